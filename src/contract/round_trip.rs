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
    pub fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
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
    /// What the restore says of itself once finished: its own events (those its session did not
    /// list before it), as last read.
    pub events: Vec<Value>,
    /// Its own restore session (RESTRestoreSession) once finished, when the session is the
    /// restore's alone (one that held restores before speaks for them too) and could be read.
    pub session: Option<Value>,
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
