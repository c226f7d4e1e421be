//! What an endpoint of the double answers, independent of the engine that sends it: wiremock
//! (in-process doubles, requests recorded) or the lean hyper server (standalone, nothing kept).

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::State;
use super::refusal::Refusal;
use crate::contract::version::ApiVersion;

pub(crate) const JSON: &str = "application/json; charset=utf-8";

/// `text` with every count (a member named `…ItemsCount`) that is 0 written `-0`, an integer
/// literal of value 0 (RFC 8259 §6): the variation count-negative-zero.
pub(super) fn negative_zero_counts(text: &str) -> String {
    let zero = regex::Regex::new(r#"("\w*ItemsCount"\s*:\s*)0(\s*[,}\]])"#).expect("a valid pattern");
    zero.replace_all(text, "${1}-0${2}").into_owned()
}

/// A status, a body, its media type (none: no Content-Type), other header fields and how long
/// to wait first.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub mime: Option<&'static str>,
    /// Header fields besides Content-Type and the framing, in order (a name may repeat).
    pub headers: Vec<(&'static str, &'static str)>,
    pub delay: Option<Duration>,
}

impl Answer {
    /// An answer without a body nor a Content-Type.
    pub fn empty(status: u16) -> Answer {
        Answer { status, body: Vec::new(), mime: None, headers: Vec::new(), delay: None }
    }

    pub fn raw(status: u16, body: impl Into<Vec<u8>>, mime: &'static str) -> Answer {
        let mime = if mime.is_empty() { None } else { Some(mime) };
        Answer { status, body: body.into(), mime, headers: Vec::new(), delay: None }
    }

    pub fn json(status: u16, body: &Value) -> Answer {
        Answer::raw(status, body.to_string(), JSON)
    }

    /// A body serialised straight from its type: no intermediate `Value` (the mailbox pages are
    /// most of what a run against the double answers).
    pub fn serialized(status: u16, body: &impl serde::Serialize) -> Answer {
        Answer::raw(status, serde_json::to_vec(body).unwrap_or_default(), JSON)
    }

    /// The answer with every count that is 0 written `-0` ([`negative_zero_counts`]).
    pub fn zero_counts_negative(mut self) -> Answer {
        self.body = negative_zero_counts(&String::from_utf8_lossy(&self.body)).into_bytes();
        self
    }

    /// With one more header field.
    pub fn with_header(mut self, name: &'static str, value: &'static str) -> Answer {
        self.headers.push((name, value));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Answer {
        self.delay = Some(delay);
        self
    }

    pub fn into_template(self) -> ResponseTemplate {
        let mut template = match self.mime {
            Some(mime) => ResponseTemplate::new(self.status).set_body_raw(self.body, mime),
            None => ResponseTemplate::new(self.status).set_body_bytes(self.body),
        };
        for (name, value) in self.headers {
            template = template.append_header(name, value);
        }
        match self.delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

/// RESTExceptionInfo of a refusal as the double's version writes it: v7 adds `errorCode`, v8
/// `stackTrace`.
pub(crate) fn error(state: &State, status: u16, reason: &Refusal) -> Answer {
    message_body(state, status, &reason.to_string())
}

/// RESTExceptionInfo with `message`, as the double's version writes it.
pub(crate) fn message_body(state: &State, status: u16, message: &str) -> Answer {
    let body = match state.version {
        ApiVersion::V6 => json!({ "message": message }),
        ApiVersion::V7 => json!({ "message": message, "errorCode": null }),
        ApiVersion::V8 => json!({ "message": message, "errorCode": null, "stackTrace": null }),
    };
    Answer::json(status, &body)
}
