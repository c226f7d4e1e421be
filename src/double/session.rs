//! Restore sessions: `POST /{version}/Organizations/{id}/explore`, `GET .../RestoreSessions` (a
//! page of them), `GET .../RestoreSessions/{id}`, its paged mailboxes, and `POST .../Stop`. At
//! most [`MAX_SESSIONS`] are kept (the oldest go first), and every explored session shares one
//! list of mailbox ids.

use std::sync::Arc;

use serde_json::{Value, json};
use wiremock::Request;

use super::answer::{Answer, error};
use super::background_faults::session_stopped;
use super::faults::Variation;
use super::page::{Paging, href, link, page, query, total_count};
use super::refusal::Refusal;
use super::{RestoreSession, State, organizations};
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
        "organization": organizations::NAME,
        "type": "Vex",
        "creationTime": session.created,
        "endTime": session.ended,
        "state": if session.stopped { "Stopped" } else { "Working" },
        "result": "Success",
        "initiatedBy": "vb365-conformance",
        "_links": { "self": link(state, format!("/{}/restoresessions/{id}", state.version)) },
    })
}

fn all_mailbox_ids(state: &mut State) -> Arc<std::collections::HashSet<String>> {
    let ids = state
        .mailbox_ids
        .get_or_insert_with(|| Arc::new(state.mailboxes.iter().map(|m| m.id.to_ascii_lowercase()).collect()));
    ids.clone()
}

pub(super) fn explore(state: &mut State, request: &Request, organization_id: &str) -> Answer {
    if !organization_id.eq_ignore_ascii_case(&state.accepted.organization_id) {
        return error(state, 404, &Refusal::OrganizationNotFound);
    }
    if !request.body.is_empty() && serde_json::from_slice::<Value>(&request.body).is_err() {
        return error(state, 400, &Refusal::BodyNotJson);
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
        None => background_session(state, session_id).unwrap_or_else(|| error(state, 404, &Refusal::SessionNotFound)),
    }
}

/// `GET .../RestoreSessions`: PageOfRESTRestoreSession over every session the double keeps
/// (explored or added ones, and in v8 the sessions its restores ran in), newest first as v8
/// orders by default (`orderAsc=true`: oldest first).
pub(super) fn list(state: &State, request: &Request) -> Answer {
    let mut sessions: Vec<Value> = state
        .session_order
        .iter()
        .filter_map(|id| state.sessions.get(id).map(|session| session_json(state, id, session)))
        .collect();
    let background = state.background_order.iter().filter(|id| !state.sessions.contains_key(*id));
    sessions.extend(background.filter_map(|id| background_session_body(state, id)));
    // RFC 3339 in UTC sorts as text; the sort is stable, so sessions of one second keep their order.
    sessions.sort_by(|a, b| a["creationTime"].as_str().cmp(&b["creationTime"].as_str()));
    if !query(request, "orderAsc").is_some_and(|value| value.eq_ignore_ascii_case("true")) {
        sessions.reverse();
    }
    let paging = Paging::of(request);
    let total = sessions.len();
    let results = paging.of_items(sessions).collect();
    Answer::json(200, &page(state, paging, total, results, &format!("/{}/RestoreSessions", state.version)))
}

/// PageOfRESTExchangeMailbox, `offset` and `limit` as asked (limit 30 by default).
pub(super) fn mailboxes(state: &State, request: &Request, session_id: &str) -> Answer {
    let Some(session) = state.sessions.get(&session_id.to_ascii_lowercase()) else {
        return error(state, 404, &Refusal::SessionNotFound);
    };
    let paging = Paging::of(request);
    let version = state.version;
    let href = |path: String| Link { href: href(state, path) };
    let mailboxes = state
        .mailboxes
        .iter()
        .filter(|m| session.mailbox_ids.contains(&m.id) || session.mailbox_ids.contains(&m.id.to_ascii_lowercase()));
    let results: Vec<ListedMailbox> = paging
        .of_items(mailboxes)
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
        offset: paging.offset,
        limit: paging.limit,
        total_count: total_count(version, session.mailbox_ids.len()),
        results,
        links: SelfLink {
            this: href(paging.href(&format!("/{version}/RestoreSessions/{session_id}/organization/mailboxes"))),
        },
    };
    Answer::serialized(200, &page)
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct MailboxPage<'a> {
    offset: usize,
    limit: usize,
    /// v6 and v7 only.
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count: Option<usize>,
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
        None => error(state, 404, &Refusal::SessionNotFound),
    }
}

/// `GET /v8/RestoreSessions/{id}` for a restore's own session: Working until it finished, then
/// Stopped with its result. `None` for an id that is no such session.
fn background_session(state: &State, session_id: &str) -> Option<Answer> {
    background_session_body(state, session_id).map(|body| Answer::json(200, &body))
}

/// The RESTRestoreSession of a v8 restore's own session: Working until its restores ended, then
/// Stopped with their result. `None` for an id that is no such session.
fn background_session_body(state: &State, session_id: &str) -> Option<Value> {
    let restores = state.background.get(&session_id.to_ascii_lowercase())?;
    let done = restores.iter().all(|restore| session_stopped(state, restore));
    let started = restores.front().map(|restore| restore.created.clone()).unwrap_or_default();
    let ended = done.then(|| started.clone());
    let session = RestoreSession { mailbox_ids: Default::default(), stopped: done, created: started, ended };
    let mut body = session_json(state, session_id, &session);
    let warning = restores.iter().any(|restore| restore.counts.failed > 0);
    let failed = done && state.fault == Some(super::Fault::RestoreDidNothingAnswered200);
    body["result"] = json!(if failed {
        "Failed"
    } else if warning {
        "Warning"
    } else {
        "Success"
    });
    Some(body)
}
