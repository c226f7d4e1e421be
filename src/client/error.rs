//! What a call that went wrong says: typed, so that setup decides on the kind of error and
//! never on its words; one line each, naming what to change.

use std::fmt;
use std::time::Duration;

use crate::contract::round_trip::BodyLength;
use crate::contract::version::ApiVersion;
use crate::secrets;

/// A call that got no HTTP answer, or a setup call that got the wrong one. Each says in one line
/// what happened and, where the operator can, what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// No HTTP answer (connection, TLS, timeout); `message` says what to change.
    Transport { kind: TransportKind, message: String },
    /// `what` answered, but its body ended before the length its Content-Length declared.
    /// `recorded` is its number in the run's evidence (exchanges.har), from 0.
    IncompleteBody { what: String, length: BodyLength, recorded: usize },
    /// `what` answered an error status.
    Status { what: String, status: u16, body: String },
    /// `what` answered 401: the bearer token was refused.
    TokenRefused { what: String },
    /// The server answers 404 for the API version's token endpoint.
    NotServed { base_url: String, version: ApiVersion },
    /// The sign-in with the operator's user name and password was refused.
    SignInRefused { user_name: String, version: ApiVersion, status: u16, body: String },
    /// An answer that is not what the operation documents (no JSON, no id).
    Unexpected(String),
    /// A setup problem in words (no such mailbox, several match).
    Setup(String),
    /// `error`, caused by the value of `setting`.
    Named { error: Box<CallError>, setting: String },
}

/// Why a call got no HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportKind {
    Timeout,
    /// Plain HTTP to a server that speaks TLS.
    PlainHttpToTls,
    /// The TLS handshake failed; `detail` is the library's words.
    Tls {
        detail: String,
    },
    Refused,
    Connect,
    Other,
}

impl CallError {
    /// The error status the server answered, if it answered one.
    pub fn status(&self) -> Option<u16> {
        match self {
            CallError::Status { status, .. } => Some(*status),
            CallError::Named { error, .. } => error.status(),
            _ => None,
        }
    }

    /// `self`, caused by the value of `setting` (a value the server refused).
    pub fn named(self, setting: &str) -> CallError {
        match self {
            CallError::Status { .. } | CallError::Unexpected(_) => {
                CallError::Named { error: Box::new(self), setting: setting.to_owned() }
            }
            other => other,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            CallError::Transport { message, .. } => message.clone(),
            CallError::IncompleteBody { what, length, .. } => format!(
                "{what} answered {}, but its body ended after {} of the {} bytes its Content-Length declared",
                status_text(length.status),
                length.received,
                length.declared
            ),
            CallError::Status { what, status, body } => format!("{what} answered {}: {body}", status_text(*status)),
            CallError::TokenRefused { what } => {
                format!("{what} answered 401 Unauthorized: the server refused the token")
            }
            CallError::NotServed { base_url, version } => format!(
                "the server at {base_url} does not serve {version} (POST /{version}/token answered 404 Not Found); set VB365_API_VERSION to a version it serves"
            ),
            CallError::SignInRefused { user_name, version, status, body } => format!(
                "the server refused to sign in {user_name} (POST /{version}/token answered {}: {body})",
                status_text(*status)
            ),
            CallError::Unexpected(text) | CallError::Setup(text) => text.clone(),
            CallError::Named { error, setting } => format!("{error} ({setting})"),
        };
        f.write_str(&secrets::scrub(&text))
    }
}

/// `404 Not Found`, as reqwest writes a status.
fn status_text(status: u16) -> String {
    reqwest::StatusCode::from_u16(status).map(|s| s.to_string()).unwrap_or_else(|_| status.to_string())
}

impl std::error::Error for CallError {}

/// What a call that got no HTTP answer says: what happened and what to change.
pub(super) fn transport(what: &str, base_url: &str, timeout: Duration, error: reqwest::Error) -> CallError {
    // The URL is named once, by `what` and the base URL, not again by reqwest.
    let error = error.without_url();
    let detail = one_line(&error);
    let lower = detail.to_ascii_lowercase();
    let plain_http = base_url.starts_with("http://");
    // What a TLS server answers to plain HTTP: a TLS alert, or it drops the connection.
    let spoke_http_to_tls = plain_http
        && (lower.contains("invalid http")
            || lower.contains("connection reset")
            || lower.contains("connection closed before message completed")
            || lower.contains("unexpected eof"));
    let (kind, message) = if error.is_timeout() {
        (
            TransportKind::Timeout,
            format!("{what} got no answer from {} within {} s (VB365_TIMEOUT_SECS)", base_url, timeout.as_secs()),
        )
    } else if spoke_http_to_tls {
        (
            TransportKind::PlainHttpToTls,
            format!(
                "{what}: {} did not answer plain HTTP ({detail}); it likely serves HTTPS: set VB365_BASE_URL={}",
                base_url,
                base_url.replacen("http://", "https://", 1)
            ),
        )
    } else if lower.contains("close_notify") {
        (
            TransportKind::Other,
            format!(
                "{what}: {} closed the TLS connection without close_notify, before its answer was complete ({detail})",
                base_url
            ),
        )
    } else if names_trust(&lower) {
        (
            TransportKind::Tls { detail: detail.clone() },
            format!(
                "{what}: TLS with {} was refused ({detail}); set VB365_CA_CERT to a PEM file of the CA, or VB365_INSECURE=1 to accept the server's certificate",
                base_url
            ),
        )
    } else if error.is_connect() && lower.contains("refused") {
        let address = reqwest::Url::parse(&base_url)
            .ok()
            .and_then(|url| Some(format!("{}:{}", url.host_str()?, url.port_or_known_default()?)))
            .unwrap_or_else(|| base_url.to_owned());
        (
            TransportKind::Refused,
            format!(
                "{what}: nothing accepts connections at {address} (connection refused): check the host and port of VB365_BASE_URL={}",
                base_url
            ),
        )
    } else if error.is_connect() {
        (TransportKind::Connect, format!("{what}: cannot connect to {} ({detail}): check VB365_BASE_URL", base_url))
    } else {
        (TransportKind::Other, format!("{what} to {} failed: {detail}", base_url))
    };
    CallError::Transport { kind, message }
}

/// Whether a TLS error's words (lower case) speak of the handshake or the server's certificate,
/// which the operator's trust settings decide; a connection closed without close_notify does
/// not (rustls: "peer closed connection without sending TLS close_notify").
fn names_trust(lower: &str) -> bool {
    (lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake"))
        && !lower.contains("close_notify")
}

/// An error and its causes on one line.
pub(super) fn one_line(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    secrets::scrub(&text.replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::names_trust;

    #[test]
    fn a_connection_closed_without_close_notify_is_not_a_trust_problem() {
        assert!(names_trust("invalid peer certificate: unknownissuer"));
        assert!(names_trust("received fatal alert: handshakefailure"));
        assert!(!names_trust("error decoding response body: peer closed connection without sending tls close_notify"));
        assert!(!names_trust("connection reset by peer"));
    }
}
