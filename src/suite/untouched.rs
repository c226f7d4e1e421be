//! What a refused restore request must leave as it was, and what it changed (docs/requirements.md,
//! "A refusal changes nothing"). On the scenario's own double: its restore counter and every
//! mailbox's items. On a live v8 server: the newest restore sessions and the run's restore
//! session's events, since a restore carried out starts in a restore session and is logged as an
//! event of type Restore. A server may log the refused attempt itself as an event Failed (or
//! Skipped): that restored nothing. On a live v6 or v7 server nothing tells: a restore whose
//! counts equal the last one's leaves no trace the API shows.

use std::collections::HashSet;

use serde_json::Value;

use crate::client::{ApiClient, event_key};
use crate::contract::counts::MailboxIdentity;
use crate::contract::schema::Violation;
use crate::double::{Double, Mailbox};
use crate::suite::token::Token;

/// What a restore request could change, read before it.
pub enum Untouched {
    /// The scenario's own double.
    Double { restores: usize, mailboxes: Vec<Mailbox> },
    /// A live v8 server: the newest restore sessions' ids and the watched session's events.
    Sessions { sessions: HashSet<String>, events: HashSet<String> },
}

/// Where a live v8 server shows a restore: the run's own restore session.
pub struct Watched<'a> {
    pub client: &'a ApiClient,
    pub token: &'a Token,
    pub session_id: &'a str,
    pub mailbox: &'a MailboxIdentity,
}

impl Untouched {
    /// Reads it before the request; `None` when nothing a restore leaves can be read (v6 and v7
    /// live, or a live server that did not answer the lists).
    pub async fn take(double: Option<&Double>, watched: &Watched<'_>) -> Option<Untouched> {
        if let Some(double) = double {
            return Some(Untouched::Double { restores: double.restores(), mailboxes: double.mailboxes() });
        }
        if !watched.client.version().restores_in_background() {
            return None;
        }
        let sessions = newest_sessions(watched).await?;
        // A session that holds no restore may list no events at all (404).
        let events = events(watched, watched.session_id).await.unwrap_or_default().iter().map(event_key).collect();
        Some(Untouched::Sessions { sessions, events })
    }

    /// What the request changed: each change as a violation (path, what it was, what it is).
    pub async fn changes(&self, double: Option<&Double>, watched: &Watched<'_>) -> Vec<Violation> {
        match (self, double) {
            (Untouched::Double { restores, mailboxes }, Some(double)) => {
                double_changes(*restores, mailboxes, double.restores(), &double.mailboxes())
            }
            (Untouched::Sessions { sessions, events: before }, _) => {
                let mut found = Vec::new();
                let version = watched.client.version();
                if let Some(events) = events(watched, watched.session_id).await {
                    let new = events.iter().filter(|event| !before.contains(&event_key(event)));
                    let path = format!("GET /{version}/RestoreSessions/{}/Events", watched.session_id);
                    found
                        .extend(new.filter(|event| restore_started(event, watched.mailbox)).map(|e| started(&path, e)));
                }
                let now = newest_sessions(watched).await.unwrap_or_default();
                for id in now.difference(sessions) {
                    let path = format!("GET /{version}/RestoreSessions/{id}/Events (a session started since)");
                    let events = events(watched, id).await.unwrap_or_default();
                    found.extend(
                        events
                            .iter()
                            .filter(|event| restore_started(event, watched.mailbox))
                            .map(|e| started(&path, e)),
                    );
                }
                found
            }
            (Untouched::Double { .. }, None) => Vec::new(),
        }
    }
}

async fn newest_sessions(watched: &Watched<'_>) -> Option<HashSet<String>> {
    let Watched { client, token, .. } = watched;
    let ids = token.call(client, |t| async move { client.newest_restore_sessions(&t).await }).await.ok()?;
    Some(ids.into_iter().collect())
}

async fn events(watched: &Watched<'_>, session_id: &str) -> Option<Vec<Value>> {
    let Watched { client, token, .. } = watched;
    token.call(client, |t| async move { client.events(&t, session_id).await }).await.ok()
}

/// Whether an event says a restore of `mailbox` started: of type Restore (or untyped), not
/// Failed or Skipped (the refused attempt, logged), and naming no other mailbox.
fn restore_started(event: &Value, mailbox: &MailboxIdentity) -> bool {
    let text = |key: &str| event.get(key).and_then(Value::as_str);
    let restore = text("type").is_none_or(|kind| kind.eq_ignore_ascii_case("Restore"));
    let did_nothing =
        text("status").is_some_and(|s| s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Skipped"));
    let other_mailbox = match (text("itemName"), &mailbox.email) {
        (Some(item), Some(email)) => !item.eq_ignore_ascii_case(email) && !item.eq_ignore_ascii_case(&mailbox.id),
        _ => false,
    };
    restore && !did_nothing && !other_mailbox
}

fn started(path: &str, event: &Value) -> Violation {
    let text = |key: &str| event.get(key).and_then(Value::as_str).unwrap_or("?").to_owned();
    Violation {
        path: path.to_owned(),
        expected: "no restore started by a refused request (at most the attempt logged as an event Failed)".into(),
        actual: crate::secrets::scrub(&format!(
            "event {} of type {} {}: {}",
            text("id"),
            text("type"),
            text("status"),
            text("message")
        )),
    }
}

/// The double's restore counter and each mailbox whose items changed.
fn double_changes(restores: usize, before: &[Mailbox], restores_now: usize, now: &[Mailbox]) -> Vec<Violation> {
    let mut found = Vec::new();
    if restores_now != restores {
        found.push(Violation {
            path: "the double's restores carried out".into(),
            expected: format!("{restores}, as before the refused request"),
            actual: restores_now.to_string(),
        });
    }
    for mailbox in now {
        let was = before.iter().find(|m| m.id == mailbox.id);
        if was.is_some_and(|was| was != mailbox) {
            let drift = |m: &Mailbox| {
                let d = m.drift();
                format!("{} missing, {} changed, {} unchanged", d.missing, d.changed, d.unchanged)
            };
            found.push(Violation {
                path: format!("the double's mailbox {} ({})", mailbox.email, mailbox.id),
                expected: format!("as before the refused request: {}", was.map(drift).unwrap_or_default()),
                actual: format!("written: {}", drift(mailbox)),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::restore_started;
    use crate::contract::counts::MailboxIdentity;
    use serde_json::json;

    #[test]
    fn a_restore_event_of_the_mailbox_not_failed_is_a_restore_started_and_a_logged_refusal_is_not() {
        let mailbox = MailboxIdentity { id: "m1".into(), email: Some("j@x.com".into()), is_archive: false };
        let event = |kind: &str, status: &str, item: &str| json!({"type": kind, "status": status, "itemName": item});
        assert!(restore_started(&event("Restore", "Running", "J@X.com"), &mailbox));
        assert!(restore_started(&event("Restore", "Success", "m1"), &mailbox));
        assert!(restore_started(&json!({"status": "Warning"}), &mailbox));
        assert!(!restore_started(&event("Restore", "Failed", "j@x.com"), &mailbox));
        assert!(!restore_started(&event("Restore", "Skipped", "j@x.com"), &mailbox));
        assert!(!restore_started(&event("None", "Success", "j@x.com"), &mailbox));
        assert!(!restore_started(&event("Restore", "Success", "colleague@x.com"), &mailbox));
    }
}
