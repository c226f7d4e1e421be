//! HTTP round trips as data: what a restore request sends ([`Authorization`], [`Body`]), the
//! [`Answer`] the checks read (the request's method and path with the response), a restore's
//! record ([`Restored`]), and the [`RoundTrip`] the evidence keeps. Their `Debug` is redacted,
//! because cucumber prints the World at `-vv` and in reports. Data only: the client fills them,
//! the judge reads them. ("Answer", not "exchange": Exchange is Microsoft's mail server here.)

use std::fmt;

use reqwest::header::HeaderMap;
use secrecy::SecretString;
use serde_json::Value;

use crate::contract::counts::{MailboxIdentity, StatisticsCounts};
use crate::contract::failure::Failure;
use crate::secrets;

/// The `Authorization` header a request carries.
#[derive(Clone, Debug)]
pub enum Authorization {
    /// `Bearer <token>`.
    Bearer(SecretString),
    /// No `Authorization` header at all.
    Missing,
    /// The header as given, for malformed-token scenarios (never a real token).
    Raw(String),
    /// `<scheme> <token>`, or the token alone when `scheme` is empty: a real token under another
    /// scheme, or none.
    Scheme { scheme: &'static str, token: SecretString },
}

/// A restore request's body: JSON, or raw bytes for the not-JSON scenario.
#[derive(Clone)]
pub enum Body {
    Json(Value),
    Raw(&'static str),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(json) => write!(f, "Json({})", secrets::redact_json(json)),
            Body::Raw(text) => write!(f, "Raw({:?})", secrets::scrub(text)),
        }
    }
}

/// One request and its response.
#[derive(Clone)]
pub struct Answer {
    /// Its number among the run's recorded round trips (exchanges.har), from 0.
    pub recorded: Option<usize>,
    pub method: &'static str,
    pub path: String,
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON, each number read as its literal means (RFC 8259 §6: `int` is `[ minus ]
    /// digits`, so `-0` is an integer whose value is 0; `serde_json` reads it as the float -0.0).
    /// A literal with a fraction or an exponent (`0.0`, `-0e0`) stays a float.
    pub fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(&negative_zero_as_zero(&self.body))
    }

    /// When the answer is content-coded (a Content-Encoding other than `identity`, RFC 9110
    /// §8.4: codings are case-insensitive, a list, `identity` codes nothing), what an operator is
    /// told: every request of the suite accepts only identity (`Accept-Encoding: identity`), and
    /// its body is not read as JSON.
    pub fn coding(&self) -> Option<String> {
        let values = self.headers.get_all(reqwest::header::CONTENT_ENCODING);
        let codings: Vec<String> = values
            .iter()
            .flat_map(|value| {
                String::from_utf8_lossy(value.as_bytes()).split(',').map(str::to_owned).collect::<Vec<_>>()
            })
            .map(|coding| coding.trim_matches([' ', '\t']).to_ascii_lowercase())
            .filter(|coding| !coding.is_empty() && coding != "identity")
            .collect();
        let header: Vec<String> =
            values.iter().map(|value| secrets::scrub(&String::from_utf8_lossy(value.as_bytes()))).collect();
        (!codings.is_empty()).then(|| {
            format!(
                "the answer is {}-coded (Content-Encoding: {}) though the request accepted only identity",
                codings.join("+"),
                header.join(", ")
            )
        })
    }
}

/// `body` with the minus of every `-0` integer literal outside strings removed.
fn negative_zero_as_zero(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let (mut in_string, mut escaped) = (false, false);
    let mut minus_signs = Vec::new();
    for (index, &byte) in body.iter().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'-' if !in_string
                && body.get(index + 1) == Some(&b'0')
                && !body.get(index + 2).is_some_and(|next| next.is_ascii_digit() || b".eE".contains(next)) =>
            {
                minus_signs.push(index)
            }
            _ => {}
        }
    }
    if minus_signs.is_empty() {
        return std::borrow::Cow::Borrowed(body);
    }
    let kept = body.iter().enumerate().filter(|(index, _)| !minus_signs.contains(index)).map(|(_, byte)| *byte);
    std::borrow::Cow::Owned(kept.collect())
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if secrets::is_secret_key(name.as_str()) {
                    secrets::MASK.to_owned()
                } else {
                    secrets::scrub(&String::from_utf8_lossy(value.as_bytes()))
                };
                format!("{name}: {value}")
            })
            .collect();
        f.debug_struct("Answer")
            .field("request", &format_args!("{} {}", self.method, secrets::scrub(&self.path)))
            .field("status", &self.status)
            .field("headers", &headers)
            .field("body", &format_args!("{}", secrets::redact_body(&self.body)))
            .finish()
    }
}

/// An answer whose head came but whose body ended before the length its Content-Length
/// declared (the connection closed): what HDR-CONTENT-LENGTH fails on, with both lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyLength {
    pub status: u16,
    /// What Content-Length declared, in bytes.
    pub declared: u64,
    /// The bytes that came before the connection closed.
    pub received: usize,
}

/// One restore request and what became of it.
#[derive(Clone, Debug)]
pub struct Restored {
    pub answer: Answer,
    /// v8: the restore in the background, when the answer named its session.
    pub background: Option<Background>,
}

/// v8: a restore running in the background, as its restore session reports it.
#[derive(Clone, Debug)]
pub struct Background {
    /// The answer's sessionId.
    pub session_id: String,
    /// Whether it finished within VB365_TIMEOUT_SECS (V8-FINISHES).
    pub finished: Result<(), Failure>,
    /// The session's statistics once it finished (or when the time ran out).
    pub statistics: Answer,
    /// The statistics of the session before this restore, when they add up earlier restores.
    pub before: Option<StatisticsCounts>,
    /// The restored mailbox, whose entries of the statistics hold its counts.
    pub mailbox: MailboxIdentity,
    /// Whether the session held restores before this one (the path's restore session, or one
    /// the run has read before): its statistics, events and result may be others' too.
    pub shared: bool,
    /// A session of the restore's own: its RESTRestoreSession as read once the restore finished
    /// (after its statistics and events), when it could be read.
    pub session: Option<Value>,
    /// The restore's events (those the session did not list before it), as last read.
    pub events: Vec<Value>,
}

impl Background {
    /// The statistics as read, when their counts are integers.
    pub fn after(&self) -> Option<StatisticsCounts> {
        StatisticsCounts::read(&self.statistics.json().ok()?, &self.mailbox)
    }

    /// What this restore accounted for: the statistics, less what they held before it when
    /// they add up restores (every count grew, and the items accounted for did); else the
    /// statistics as they are (a session's statistics of its latest restore alone).
    pub fn own(&self) -> Option<StatisticsCounts> {
        let after = self.after()?;
        Some(if self.cumulative() { after.since(&self.before?) } else { after })
    }

    /// Whether its statistics add up this restore and earlier ones.
    pub fn cumulative(&self) -> bool {
        match (self.before, self.after()) {
            (Some(before), Some(after)) => after.adds_up(&before),
            _ => false,
        }
    }
}

/// One round trip as the run's evidence keeps it (exchanges.har), unredacted: the report that
/// writes it redacts it.
#[derive(Clone, Debug)]
pub struct RoundTrip {
    pub started: std::time::SystemTime,
    pub milliseconds: f64,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Vec<u8>,
    /// 0 when no answer's head came.
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Vec<u8>,
    /// Why no answer came, or no whole one, in words (`no answer: ...`, `incomplete answer: ...`).
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_of(body: &str) -> Value {
        let answer = Answer {
            recorded: None,
            method: "POST",
            path: String::new(),
            status: 200,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        };
        answer.json().expect("JSON")
    }

    #[test]
    fn a_number_is_read_as_its_literal_means() {
        let json = json_of(r#"{"a": -0, "b": [-0,-0], "c": "-0 \"-0", "d": -0.0, "e": -0e0, "g": -7}"#);
        assert_eq!(json["a"].as_u64(), Some(0));
        assert_eq!(json["b"], serde_json::json!([0, 0]));
        assert_eq!(json["c"], "-0 \"-0");
        assert!(json["d"].is_f64() && json["e"].is_f64(), "a fraction or an exponent stays a float: {json}");
        assert_eq!(json["g"].as_i64(), Some(-7));
        assert_eq!(json_of("-0").as_u64(), Some(0));
    }

    #[test]
    fn a_content_coding_is_named_plainly_and_identity_is_none() {
        let coded = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(reqwest::header::CONTENT_ENCODING, value.parse().expect("a header value"));
            }
            Answer { recorded: None, method: "POST", path: String::new(), status: 200, headers, body: Vec::new() }
                .coding()
        };
        assert_eq!(
            coded(&["gzip"]).as_deref(),
            Some("the answer is gzip-coded (Content-Encoding: gzip) though the request accepted only identity")
        );
        assert_eq!(
            coded(&["GZIP, br"]).as_deref(),
            Some("the answer is gzip+br-coded (Content-Encoding: GZIP, br) though the request accepted only identity")
        );
        assert_eq!(coded(&[]), None);
        assert_eq!(coded(&["identity", " Identity ,"]), None);
    }
}
