//! Restore sessions: `POST /{version}/Organizations/{id}/explore`, `GET .../RestoreSessions/{id}`,
//! its paged mailboxes, and `POST .../Stop`. At most [`MAX_SESSIONS`] are kept (the oldest go
//! first), and every explored session shares one list of mailbox ids.

use std::sync::Arc;

use serde_json::{Value, json};
use wiremock::Request;

use super::answer::{Answer, error};
use super::background_faults::session_stopped;
use super::faults::Variation;
use super::{RestoreSession, State};
use crate::contract::version::ApiVersion;

/// How many restore sessions (explored or added) a double keeps.
pub const MAX_SESSIONS: usize = 1_000;
/// How many stopped session ids a double remembers.
pub const MAX_STOPS: usize = 1_000;

/// When a session was created or ended, as the OpenAPI's date-time.
pub(super) fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Keeps `session` under `id` (lower case), dropping the oldest beyond [`MAX_SESSIONS`].
pub(super) fn insert(state: &mut State, id: String, session: RestoreSession) {
    if state.sessions.insert(id.clone(), session).is_none() {
        state.session_order.push_back(id);
    }
    while state.session_order.len() > MAX_SESSIONS {
        if let Some(oldest) = state.session_order.pop_front() {
            state.sessions.remove(&oldest);
        }
    }
}

/// An id as the double lists it: lower case, as VB365 writes UUIDs, or upper case with the
/// ids-upper-case variation (the double finds ids in any case).
pub(super) fn listed_id(state: &State, id: &str) -> String {
    if state.variation == Some(Variation::IdsUpperCase) { id.to_ascii_uppercase() } else { id.to_ascii_lowercase() }
}

/// RESTRestoreSession.
pub(super) fn session_json(state: &State, id: &str, session: &RestoreSession) -> Value {
    json!({
        "id": listed_id(state, id),
        "name": "Exchange restore (vb365-conformance double)",
        "organization": "westsupport.onmicrosoft.com",
        "type": "Vex",
        "creationTime": session.created,
        "endTime": session.ended,
        "state": if session.stopped { "Stopped" } else { "Working" },
        "result": "Success",
        "initiatedBy": "vb365-conformance",
        "_links": { "self": link(state, format!("/{}/restoresessions/{id}", state.version)) },
    })
}

/// A link as the double writes it; the link-path-case variation upper-cases it.
fn link(state: &State, href: String) -> Value {
    json!({ "href": if state.variation == Some(Variation::LinkPathCase) { href.to_ascii_uppercase() } else { href } })
}

fn all_mailbox_ids(state: &mut State) -> Arc<std::collections::HashSet<String>> {
    let ids = state
        .mailbox_ids
        .get_or_insert_with(|| Arc::new(state.mailboxes.iter().map(|m| m.id.to_ascii_lowercase()).collect()));
    ids.clone()
}

pub(super) fn explore(state: &mut State, request: &Request, organization_id: &str) -> Answer {
    if !organization_id.eq_ignore_ascii_case(&state.accepted.organization_id) {
        return error(state, 404, "Organization not found.");
    }
    if !request.body.is_empty() && serde_json::from_slice::<Value>(&request.body).is_err() {
        return error(state, 400, "The request body is not valid JSON.");
    }
    let id = uuid::Uuid::new_v4().to_string();
    let session = RestoreSession { mailbox_ids: all_mailbox_ids(state), stopped: false, created: now(), ended: None };
    let body = session_json(state, &id, &session);
    state.explored.push(id.clone());
    insert(state, id, session);
    Answer::json(if state.version == ApiVersion::V8 { 201 } else { 200 }, &body)
}

pub(super) fn get(state: &State, session_id: &str) -> Answer {
    match state.sessions.get(&session_id.to_ascii_lowercase()) {
        Some(session) => Answer::json(200, &session_json(state, session_id, session)),
        None => {
            background_session(state, session_id).unwrap_or_else(|| error(state, 404, "Restore session not found."))
        }
    }
}

/// PageOfRESTExchangeMailbox, `offset` and `limit` as asked (limit 30 by default).
pub(super) fn mailboxes(state: &State, request: &Request, session_id: &str) -> Answer {
    let Some(session) = state.sessions.get(&session_id.to_ascii_lowercase()) else {
        return error(state, 404, "Restore session not found.");
    };
    let query = |name: &str| {
        request
            .url
            .query_pairs()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let offset = query("offset").unwrap_or(0);
    let limit = query("limit").unwrap_or(30);
    let version = state.version;
    let href = |path: String| Link {
        href: if state.variation == Some(Variation::LinkPathCase) { path.to_ascii_uppercase() } else { path },
    };
    let results: Vec<ListedMailbox> = state
        .mailboxes
        .iter()
        .filter(|m| session.mailbox_ids.contains(&m.id) || session.mailbox_ids.contains(&m.id.to_ascii_lowercase()))
        .skip(offset)
        .take(limit)
        .map(|m| ListedMailbox {
            id: listed_id(state, &m.id),
            name: &m.name,
            email: &m.email,
            is_archive: false,
            is_public: false,
            links: SelfLink {
                this: href(format!("/{version}/restoresessions/{session_id}/organization/mailboxes/{}", m.id)),
            },
        })
        .collect();
    let page = MailboxPage {
        offset,
        limit,
        total_count: session.mailbox_ids.len(),
        results,
        links: SelfLink {
            this: href(format!(
                "/{version}/RestoreSessions/{session_id}/organization/mailboxes?offset={offset}&limit={limit}"
            )),
        },
    };
    Answer::serialized(200, &page)
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct MailboxPage<'a> {
    offset: usize,
    limit: usize,
    total_count: usize,
    results: Vec<ListedMailbox<'a>>,
    #[serde(rename = "_links")]
    links: SelfLink,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ListedMailbox<'a> {
    id: String,
    name: &'a str,
    email: &'a str,
    is_archive: bool,
    is_public: bool,
    #[serde(rename = "_links")]
    links: SelfLink,
}

#[derive(serde::Serialize)]
struct SelfLink {
    #[serde(rename = "self")]
    this: Link,
}

#[derive(serde::Serialize)]
struct Link {
    href: String,
}

/// `POST .../Stop`: 200 (v6, v7) or 204 (v8), no body.
pub(super) fn stop(state: &mut State, session_id: &str) -> Answer {
    match state.sessions.get_mut(&session_id.to_ascii_lowercase()) {
        Some(session) => {
            session.stopped = true;
            session.ended.get_or_insert_with(now);
            state.stops.push_back(session_id.to_owned());
            if state.stops.len() > MAX_STOPS {
                state.stops.pop_front();
            }
            Answer::empty(if state.version == ApiVersion::V8 { 204 } else { 200 })
        }
        None => error(state, 404, "Restore session not found."),
    }
}

/// `GET /v8/RestoreSessions/{id}` for a restore's own session: Working until it finished, then
/// Stopped with its result. `None` for an id that is no such session.
fn background_session(state: &State, session_id: &str) -> Option<Answer> {
    let restores = state.background.get(&session_id.to_ascii_lowercase())?;
    let done = restores.iter().all(|restore| session_stopped(state, restore));
    let started = restores.front().map(|restore| restore.created.clone()).unwrap_or_default();
    let ended = done.then(|| started.clone());
    let session = RestoreSession { mailbox_ids: Default::default(), stopped: done, created: started, ended };
    let mut body = session_json(state, session_id, &session);
    let warning = restores.iter().any(|restore| restore.counts.failed > 0);
    body["result"] = json!(if warning { "Warning" } else { "Success" });
    Some(Answer::json(200, &body))
}
