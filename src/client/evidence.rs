//! The run's evidence as the client records it: every round trip of the run, in order,
//! with what came of each answer (for exchanges.har), and the reading of a body that keeps the
//! bytes that came before an error.

use crate::contract::round_trip::RoundTrip;

/// The whole body of `response`, or the error that ended it with the bytes that came before.
pub(super) async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, (reqwest::Error, Vec<u8>)> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body),
            Err(error) => return Err((error, body)),
        }
    }
}

/// Every round trip of a run's HTTP clients, in order, for exchanges.har: held by [`super::Http`],
/// so every clone of it (every scenario's client) records into one list.
#[derive(Clone, Debug, Default)]
pub struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<RoundTrip>>>);

impl Recorder {
    /// Records `trip`; answers its number (its place in exchanges.har).
    pub(super) fn record(&self, trip: RoundTrip) -> usize {
        let mut recorded = self.0.lock().unwrap_or_else(|p| p.into_inner());
        recorded.push(trip);
        recorded.len() - 1
    }

    /// The round trips recorded so far.
    pub fn recorded(&self) -> Vec<RoundTrip> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

pub(super) fn header_pairs(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect()
}
