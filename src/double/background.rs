//! v8: restores that run in the background. The restore is done at once (so a restore right
//! after finds the mailbox written) but reveals its counts only as its statistics progress, over
//! [`BackgroundRestore::DURATION`]; its restore session and its event say when it finished.
//!
//! Each restore runs in a restore session of its own, whose state goes from Working to Stopped;
//! with the variation v8-session-is-path-session it runs in the path's restore session, whose
//! statistics and events add up every restore of that session; v8-session-per-mailbox, in one
//! session per mailbox that adds up its restores; v8-statistics-of-latest-restore, in the path's
//! session whose statistics hold the latest restore only.
//!
//! Bounded: at most [`MAX_SESSIONS`] sessions of background restores are kept (the oldest go
//! first), each with at most [`MAX_RESTORES_PER_SESSION`] restores (likewise).

use serde_json::{Value, json};
use wiremock::Request;

use super::answer::Answer;
use super::api::error;
use super::faults::{Fault, Variation};
use super::page::{Paging, page};
use super::restore::Made;
use super::session::session_json;
use super::{BackgroundRestore, RestoreSession, State};

/// How many sessions of background restores a double keeps.
pub const MAX_SESSIONS: usize = 1_000;
/// How many restores a session of background restores keeps (the path's session, with the
/// variation v8-session-is-path-session, gathers every restore of that session).
pub const MAX_RESTORES_PER_SESSION: usize = 1_000;

/// Starts a restore in the background and answers its sessionId.
pub(super) fn start(state: &mut State, made: Made, path_session_id: &str) -> Answer {
    let id = match state.variation {
        Some(Variation::V8SessionIsPathSession | Variation::V8StatisticsOfLatestRestore) => {
            path_session_id.to_ascii_lowercase()
        }
        // One session per mailbox, named after it.
        Some(Variation::V8SessionPerMailbox) => {
            let hash = made
                .mailbox_email
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            format!("6d61696c-626f-4078-8000-{:012x}", hash & 0xffff_ffff_ffff)
        }
        _ => uuid::Uuid::new_v4().to_string(),
    };
    let restore = BackgroundRestore {
        started: std::time::Instant::now(),
        created: super::session::now(),
        counts: made.counts,
        mailbox_email: made.mailbox_email,
    };
    let restores = state.background.entry(id.clone()).or_default();
    restores.push_back(restore);
    if restores.len() > MAX_RESTORES_PER_SESSION {
        restores.pop_front();
    }
    if restores.len() == 1 {
        state.background_order.push_back(id.clone());
        while state.background_order.len() > MAX_SESSIONS {
            if let Some(oldest) = state.background_order.pop_front() {
                state.background.remove(&oldest);
            }
        }
    }
    let body = if state.fault == Some(Fault::V8SessionIdMissing) { json!({}) } else { json!({ "sessionId": id }) };
    let mime = match state.fault {
        Some(Fault::ContentTypeOctetStream) => "application/octet-stream",
        Some(Fault::CertificateContentTypeOctetStream) if made.certificate => "application/octet-stream",
        _ => "application/json; charset=utf-8",
    };
    Answer::raw(200, body.to_string(), mime)
}

/// The share of a background restore done so far, 0.0 to 1.0.
fn progress(state: &State, restore: &BackgroundRestore) -> f64 {
    let done = restore.started.elapsed().as_secs_f64() / BackgroundRestore::DURATION.as_secs_f64();
    if state.fault == Some(Fault::V8RestoreNeverFinishes) { done.min(0.5) } else { done.min(1.0) }
}

fn finished(state: &State, restore: &BackgroundRestore) -> bool {
    progress(state, restore) >= 1.0
}

/// One restore's statistics so far: (total, restored, failed, skipped, its mailbox's details
/// once it finished).
fn restore_statistics(state: &State, restore: &BackgroundRestore) -> (u64, u64, u64, u64, Option<Value>) {
    let counts = restore.counts;
    let total = counts.total();
    // Items are processed in order: created, merged, failed, skipped.
    let mut left = (total as f64 * progress(state, restore)).floor() as u64;
    let mut take = |count: u64| {
        let taken = count.min(left);
        left -= taken;
        taken
    };
    let (created, merged, failed, skipped) =
        (take(counts.created), take(counts.merged), take(counts.failed), take(counts.skipped));
    let restored = if state.fault == Some(Fault::V8RestoredCountWrong) { created } else { created + merged };
    let total = if state.fault == Some(Fault::V8TotalWithoutSkipped) { total - counts.skipped } else { total };
    let details =
        (finished(state, restore) && state.variation != Some(Variation::V8StatisticsWithoutItems)).then(|| {
            json!({
                "id": uuid::Uuid::new_v4().to_string(),
                "itemRestoreDetailsType": "BulkMailbox",
                "name": restore.mailbox_email,
                "itemType": "ExchangeMailbox",
                "status": if failed > 0 { "Warning" } else { "Success" },
                "mailboxEmail": restore.mailbox_email,
                "mailboxIsArchive": false,
                "mailboxIsPublic": false,
                "createdMailboxItemsCount": created,
                "mergedMailboxItemsCount": merged,
                "failedMailboxItemsCount": failed,
                "skippedMailboxItemsCount": skipped,
                "warnings": [],
            })
        });
    (total, restored, failed, skipped, details)
}

/// `GET /v8/RestoreSessions/{id}/Statistics`: every restore of the session added up.
pub(super) fn statistics(state: &State, session_id: &str) -> Answer {
    let Some(restores) = state.background.get(&session_id.to_ascii_lowercase()) else {
        return error(state, 404, "Restore session not found.");
    };
    let (mut total, mut restored, mut failed, mut skipped, mut items) = (0, 0, 0, 0, Vec::new());
    let counted = if state.variation == Some(Variation::V8StatisticsOfLatestRestore) { 1 } else { restores.len() };
    for restore in restores.iter().skip(restores.len() - counted) {
        let (t, r, f, s, details) = restore_statistics(state, restore);
        (total, restored, failed, skipped) = (total + t, restored + r, failed + f, skipped + s);
        items.extend(details);
    }
    Answer::json(
        200,
        &json!({
            "totalItemsCount": total,
            "restoredItemsCount": restored,
            "failedItemsCount": failed,
            "skippedItemsCount": skipped,
            "warnings": [],
            "errors": (0..failed).map(|n| format!("Item {n} could not be written to the mailbox.")).collect::<Vec<_>>(),
            "items": items,
        }),
    )
}

/// `GET /v8/RestoreSessions/{id}/Events`: one event per restore of the session.
pub(super) fn events(state: &State, request: &Request, session_id: &str) -> Answer {
    let Some(restores) = state.background.get(&session_id.to_ascii_lowercase()) else {
        return error(state, 404, "Restore session not found.");
    };
    let paging = Paging::of(request);
    let results: Vec<Value> = paging
        .of_items(restores.iter().enumerate())
        .map(|(order, restore)| {
            json!({
                "id": uuid::Uuid::new_v4().to_string(),
                "type": "Restore",
                "status": event_status(state, restore),
                "message": format!("Restoring mailbox {}", restore.mailbox_email),
                "itemName": restore.mailbox_email,
                "itemType": "ExchangeMailbox",
                "startTime": restore.created,
                "order": order,
            })
        })
        .collect();
    let path = format!("/{}/RestoreSessions/{session_id}/Events", state.version);
    Answer::json(200, &page(state, paging, restores.len(), results, &path))
}

fn event_status(state: &State, restore: &BackgroundRestore) -> &'static str {
    match (finished(state, restore), restore.counts.failed) {
        (false, _) => "Running",
        (true, 0) => "Success",
        (true, _) => "Warning",
    }
}

/// `GET /v8/RestoreSessions/{id}` for a restore's own session: Working until it finished, then
/// Stopped with its result. `None` for an id that is no such session.
pub(super) fn session(state: &State, session_id: &str) -> Option<Answer> {
    session_body(state, session_id).map(|body| Answer::json(200, &body))
}

/// The RESTRestoreSession of a restore's own session, as [`session`] answers it.
pub(super) fn session_body(state: &State, session_id: &str) -> Option<Value> {
    let restores = state.background.get(&session_id.to_ascii_lowercase())?;
    let done = restores.iter().all(|restore| finished(state, restore));
    let started = restores.front().map(|restore| restore.created.clone()).unwrap_or_default();
    let ended = done.then(|| started.clone());
    let session = RestoreSession { mailbox_ids: Default::default(), stopped: done, created: started, ended };
    let mut body = session_json(state, session_id, &session);
    let warning = restores.iter().any(|restore| restore.counts.failed > 0);
    body["result"] = json!(if warning { "Warning" } else { "Success" });
    Some(body)
}
