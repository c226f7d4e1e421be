//! The control route, under `/__double/`, a prefix no VB365 path uses: how a client
//! developer's test sets a mailbox's state and reads what was restored, as the in-process API
//! (`Double::set_drift`, `restores()`, `stopped_sessions()`) does. JSON in and out; no token
//! (it is the double's own door, not the VB365 API's).
//!
//! - `GET /__double/state`: `{"apiVersion", "apiVersions", "fault", "faultVersions", "variation",
//!   "variationVersions", "restores", "stoppedSessions", "restoreSessions", "tokens",
//!   "defaultMailboxId"}` (`apiVersion` as `--api-version` names the versions served: `v8`, `v6,v8`
//!   or `all`; the fault and variation with the served versions they show in);
//! - `GET /__double/mailboxes/{id}`: `{"id", "name", "email", "state": Drift, "restored"}`;
//! - `PUT /__double/mailboxes/{id}` with a [`Drift`](super::Drift) (`{"missing": 3, "changed": 2,
//!   "unchanged": 5, "unwritableMissing": 1}`): sets the mailbox's state, answers as GET;
//! - `GET /__double/config`: what the double accepts (its own values, never a user's secret).

use secrecy::ExposeSecret;
use serde_json::{Value, json};
use wiremock::Request;

use super::answer::Answer;
use super::mailbox::Drift;
use super::{Operator, SharedState, State};
use crate::contract::version::{ApiVersion, versions_name};

/// The prefix of every control path.
pub const PREFIX: &str = "/__double/";

/// The control route's answer, or `None` when `request` is not for it.
pub(super) fn handle(state: &SharedState, request: &Request) -> Option<Answer> {
    let path = request.url.path().strip_prefix(PREFIX)?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(match (request.method.as_str(), segments.as_slice()) {
        ("GET", ["state"]) => Answer::json(200, &summary(&state)),
        ("GET", ["config"]) => Answer::json(200, &config(&state)),
        ("GET", ["mailboxes", id]) => mailbox(&state, id),
        ("PUT" | "POST", ["mailboxes", id]) => match serde_json::from_slice::<Drift>(&request.body) {
            Ok(drift) => match state.mailbox_mut(id) {
                Some(found) => {
                    found.set_drift(drift);
                    mailbox(&state, id)
                }
                None => not_found(id),
            },
            Err(error) => Answer::json(
                400,
                &json!({"message": format!("expected {{\"missing\", \"changed\", \"unchanged\", \"unwritableMissing\"}} (non-negative integers): {error}")}),
            ),
        },
        _ => Answer::json(
            404,
            &json!({"message": format!("no control route {} {}", request.method, request.url.path())}),
        ),
    })
}

fn summary(state: &State) -> Value {
    let served = &state.served;
    let names = |versions: Vec<ApiVersion>| versions.into_iter().map(ApiVersion::name).collect::<Vec<_>>();
    json!({
        "apiVersion": versions_name(&served.versions),
        "apiVersions": names(served.versions.clone()),
        "fault": served.fault.map(|f| f.to_string()),
        "faultVersions": names(served.fault_versions()),
        "variation": served.variation.map(|v| v.to_string()),
        "variationVersions": names(served.variation_versions()),
        "restores": state.restores,
        "stoppedSessions": state.stops,
        "restoreSessions": state.sessions.len() + state.background.len(),
        "tokens": state.tokens.len(),
        "defaultMailboxId": super::DEFAULT_MAILBOX_ID,
    })
}

fn mailbox(state: &State, id: &str) -> Answer {
    match state.mailbox(id) {
        Some(m) => Answer::json(
            200,
            &json!({
                "id": m.id, "name": m.name, "email": m.email, "state": m.drift(),
                "restored": state.restored_mailboxes.contains(&m.id.to_ascii_lowercase()),
            }),
        ),
        None => not_found(id),
    }
}

fn not_found(id: &str) -> Answer {
    Answer::json(404, &json!({"message": format!("the double has no mailbox {id}")}))
}

/// What the double accepts: its operator, organization, mailbox and Exchange credentials.
fn config(state: &State) -> Value {
    let accepted = &state.accepted;
    let operator = match &accepted.login {
        Operator::Password { user_name, password } => {
            json!({"userName": user_name, "password": password.expose_secret()})
        }
        Operator::Token(_) => json!({"token": "(the configured token)"}),
    };
    json!({
        "apiVersion": versions_name(&state.served.versions),
        "operator": operator,
        "organizationId": accepted.organization_id,
        "defaultMailboxId": super::DEFAULT_MAILBOX_ID,
        "restoreBodies": state.accepted_bodies,
    })
}
