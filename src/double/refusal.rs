//! Why the double refuses a request, as data: each reason, worded as a VB365 server words it in
//! the error body's `message` (ASP.NET's own words for a refused authorization). The answer's
//! status is the caller's, since a fault may change it; the words stay the same.

use std::fmt;

use crate::contract::schema::Violation;

/// Why the double refuses a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A path no route of the double serves (another API version's too), as ASP.NET words it.
    NoResource,
    /// A route the double serves, asked with another method (ASP.NET Web API's 405).
    MethodNotAllowed(String),
    /// No bearer token, or one the double never issued (or forgot, or that expired).
    AuthorizationDenied,
    /// A token issued without `disable_antiforgery_token=true`: it says what is missing, which a
    /// bare 401 leaves a client developer to guess.
    AntiforgeryTokenMissing,
    /// A restore whose session id or mailbox id is not a UUID.
    IdsNotUuids,
    OrganizationNotFound,
    SessionNotFound,
    SessionStopped,
    MailboxNotInSession,
    /// The mailbox of a restore the double no longer holds.
    MailboxNotFound,
    BodyNotJson,
    /// A restore body of no one documented credential variant: the request schema's violations.
    InvalidRestoreOptions {
        violations: Vec<Violation>,
    },
    /// Exchange refused the credentials (the server's 500).
    ExchangeConnectionRefused,
    /// Exchange refused the credentials, worded as the 400 of a fault.
    ExchangeCredentialsRefused,
    /// A restore that failed for no reason the client could change.
    RestoreFailed,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::NoResource => "No HTTP resource was found that matches the request URI.",
            Refusal::AuthorizationDenied => "Authorization has been denied for this request.",
            Refusal::AntiforgeryTokenMissing => {
                "Authorization has been denied for this request: the access token was issued without \
                disable_antiforgery_token=true, so each request must also carry the antiforgery token a browser \
                keeps in its cookies, and this one does not. A client that is not a browser signs in with \
                disable_antiforgery_token=true."
            }
            Refusal::IdsNotUuids => "The restore session id and the mailbox id must be UUIDs.",
            Refusal::OrganizationNotFound => "Organization not found.",
            Refusal::SessionNotFound => "Restore session not found.",
            Refusal::SessionStopped => "The restore session has been stopped.",
            Refusal::MailboxNotInSession => "Mailbox not found in the restore session.",
            Refusal::MailboxNotFound => "Mailbox not found.",
            Refusal::BodyNotJson => "The request body is not valid JSON.",
            Refusal::MethodNotAllowed(method) => {
                return write!(f, "The requested resource does not support http method '{method}'.");
            }
            Refusal::InvalidRestoreOptions { violations } => {
                let found: Vec<String> = violations.iter().map(|v| format!("{}: {}", v.path, v.expected)).collect();
                return write!(f, "Invalid restore options. {}", found.join("; "));
            }
            Refusal::ExchangeConnectionRefused => {
                "Failed to connect to the Exchange organization: the credentials were refused."
            }
            Refusal::ExchangeCredentialsRefused => "The Exchange credentials were refused.",
            Refusal::RestoreFailed => "An unexpected error occurred while restoring the mailbox.",
        })
    }
}

impl std::error::Error for Refusal {}

/// A refused request: the status it is answered with and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub status: u16,
    pub reason: Refusal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_reads_as_the_double_always_wrote_it() {
        assert_eq!(
            Refusal::AntiforgeryTokenMissing.to_string(),
            "Authorization has been denied for this request: the access token was issued without disable_antiforgery_token=true, so each request must also carry the antiforgery token a browser keeps in its cookies, and this one does not. A client that is not a browser signs in with disable_antiforgery_token=true."
        );
        let violation = |path: &str, expected: &str| Violation {
            path: path.into(),
            expected: expected.into(),
            actual: "never shown: it may hold a secret".into(),
        };
        let invalid = Refusal::InvalidRestoreOptions {
            violations: vec![violation("(body)", "exactly one variant"), violation("/userName", "a string")],
        };
        assert_eq!(invalid.to_string(), "Invalid restore options. (body): exactly one variant; /userName: a string");
        assert_eq!(Refusal::SessionNotFound.to_string(), "Restore session not found.");
    }
}
