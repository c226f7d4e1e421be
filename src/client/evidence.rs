//! The run's evidence as the client records it: every round trip of this process, in order,
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

/// Every round trip of this process, in order, for exchanges.har.
static RECORDED: std::sync::Mutex<Vec<RoundTrip>> = std::sync::Mutex::new(Vec::new());

pub(super) fn record(trip: RoundTrip) -> usize {
    let mut recorded = RECORDED.lock().unwrap_or_else(|p| p.into_inner());
    recorded.push(trip);
    recorded.len() - 1
}

/// The round trips recorded so far.
pub fn recorded() -> Vec<RoundTrip> {
    RECORDED.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

pub(super) fn header_pairs(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect()
}
