//! v8: restores that run in the background. The restore is done at once (so a restore right
//! after finds the mailbox written) but reveals its counts only as its statistics progress, over
//! [`duration`](super::progress::duration); its restore session and its event say when it finished.
//!
//! Each restore runs in a restore session of its own, whose state goes from Working to Stopped;
//! with the variation v8-session-is-path-session it runs in the path's restore session, whose
//! statistics and events add up every restore of that session; v8-session-per-mailbox, in one
//! session per mailbox that adds up its restores; v8-statistics-of-latest-restore, in the path's
//! session whose statistics hold the latest restore only. The other v8 variations and faults
//! shape what a session says of its restores (`background_faults.rs`).
//!
//! Bounded: at most [`MAX_SESSIONS`] sessions of background restores are kept (the oldest go
//! first), each with at most [`MAX_RESTORES_PER_SESSION`] restores (likewise).

use serde_json::{Value, json};
use wiremock::Request;

use super::answer::{Answer, error};
use super::background_faults as shaped;
use super::faults::{Fault, Variation};
use super::progress::{finished, progress};
use super::refusal::Refusal;
use super::restore::Made;
use super::{BackgroundRestore, State};

/// How many sessions of background restores a double keeps.
pub const MAX_SESSIONS: usize = 1_000;
/// How many restores a session of background restores keeps (the path's session, with the
/// variation v8-session-is-path-session, gathers every restore of that session).
pub const MAX_RESTORES_PER_SESSION: usize = 1_000;

/// Starts a restore in the background and answers its sessionId.
pub(super) fn start(state: &mut State, made: Made, path_session_id: &str) -> Answer {
    let id = match state.variation {
        Some(variation) if shaped::in_path_session(variation) => path_session_id.to_ascii_lowercase(),
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
    // Another operator's restore of a colleague, in the same session just before this one.
    if state.variation == Some(Variation::V8SessionHoldsOtherRestores) {
        if let Some(colleague) = shaped::restore_colleague(state, &made.mailbox_id) {
            push(state, &id, colleague);
        }
    }
    let (certificate, mailbox_id) = (made.certificate, made.mailbox_id.clone());
    push(state, &id, made);
    // The answer names the session of a colleague's restore, run with it, instead.
    let answered = match state.fault {
        Some(Fault::V8SessionOfAnotherMailbox) => match shaped::restore_colleague(state, &mailbox_id) {
            Some(colleague) => {
                let other = uuid::Uuid::new_v4().to_string();
                push(state, &other, colleague);
                other
            }
            None => id,
        },
        _ => id,
    };
    let body = if state.fault == Some(Fault::V8SessionIdMissing) {
        json!({})
    } else {
        json!({ "sessionId": super::session::listed_id(state, &answered) })
    };
    super::restore::success(state, certificate, body.to_string())
}

/// Adds a restore to the session `id`, keeping the registries bounded.
fn push(state: &mut State, id: &str, made: Made) {
    let restores = state.background.entry(id.to_owned()).or_default();
    let order = restores.back().map_or(0, |last| last.order.saturating_add(1));
    restores.push_back(BackgroundRestore {
        started: std::time::Instant::now(),
        created: super::session::now(),
        counts: made.counts,
        mailbox_email: made.mailbox_email,
        mailbox_id: made.mailbox_id,
        event_id: uuid::Uuid::new_v4().to_string(),
        order,
    });
    if restores.len() > MAX_RESTORES_PER_SESSION {
        restores.pop_front();
    }
    if restores.len() == 1 {
        state.background_order.push_back(id.to_owned());
        while state.background_order.len() > MAX_SESSIONS {
            if let Some(oldest) = state.background_order.pop_front() {
                state.background.remove(&oldest);
            }
        }
    }
}

/// One restore's statistics so far: (total, restored, failed, skipped, its mailbox's details
/// once it finished).
fn restore_statistics(state: &State, restore: &BackgroundRestore) -> (u64, u64, u64, u64, Option<Value>) {
    let counts = restore.counts;
    // A mailbox state set through the control route may be huge: the double saturates.
    let total = u64::try_from(counts.total()).unwrap_or(u64::MAX);
    // Items are processed in order: created, merged, failed, skipped.
    let mut left = (total as f64 * progress(state, restore)).floor() as u64;
    let mut take = |count: u64| {
        let taken = count.min(left);
        left -= taken;
        taken
    };
    let (created, merged, failed, skipped) =
        (take(counts.created), take(counts.merged), take(counts.failed), take(counts.skipped));
    let restored =
        if state.fault == Some(Fault::V8RestoredCountWrong) { created } else { created.saturating_add(merged) };
    let total =
        if state.fault == Some(Fault::V8TotalWithoutSkipped) { total.saturating_sub(counts.skipped) } else { total };
    let details =
        (finished(state, restore) && state.variation != Some(Variation::V8StatisticsWithoutItems)).then(|| {
            let mut entry = json!({
                "id": restore.mailbox_id,
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
            });
            shaped::name_the_entry(state, &mut entry);
            entry
        });
    (total, restored, failed, skipped, details)
}

/// `GET /v8/RestoreSessions/{id}/Statistics`: every restore of the session added up.
pub(super) fn statistics(state: &State, session_id: &str) -> Answer {
    let Some(restores) = state.background.get(&session_id.to_ascii_lowercase()) else {
        return error(state, 404, &Refusal::SessionNotFound);
    };
    let (mut total, mut restored, mut failed, mut skipped, mut items) = (0_u64, 0_u64, 0_u64, 0_u64, Vec::new());
    let counted = if state.variation == Some(Variation::V8StatisticsOfLatestRestore) { 1 } else { restores.len() };
    for restore in restores.iter().skip(restores.len() - counted) {
        let (t, r, f, s, details) = restore_statistics(state, restore);
        (total, restored, failed, skipped) =
            (total.saturating_add(t), restored.saturating_add(r), failed.saturating_add(f), skipped.saturating_add(s));
        items.extend(details);
    }
    let mut top = [total, restored, failed, skipped];
    shaped::misstate(state, &mut top, &mut items);
    let [total, restored, failed, skipped] = top;
    let answer = Answer::json(
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
    );
    if state.variation == Some(Variation::CountNegativeZero) { answer.zero_counts_negative() } else { answer }
}

/// `GET /v8/RestoreSessions/{id}/Events`: one event per restore of the session, a page of them
/// as `offset` and `limit` ask.
pub(super) fn events(state: &State, request: &Request, session_id: &str) -> Answer {
    let Some(restores) = state.background.get(&session_id.to_ascii_lowercase()) else {
        return error(state, 404, &Refusal::SessionNotFound);
    };
    let mut results: Vec<Value> = restores
        .iter()
        .map(|restore| {
            json!({
                "id": restore.event_id,
                "type": "Restore",
                "status": shaped::event_status(state, restore),
                "message": format!("Restoring mailbox {}", restore.mailbox_email),
                "itemName": restore.mailbox_email,
                "itemType": "ExchangeMailbox",
                "startTime": restore.created,
                "order": restore.order,
            })
        })
        .collect();
    if state.variation == Some(Variation::V8EventsNewestFirst) {
        results.reverse();
    }
    let query = |name: &str| {
        request.url.query_pairs().find(|(key, _)| key.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.parse().ok())
    };
    let offset: usize = query("offset").unwrap_or(0);
    let limit: usize = query("limit").unwrap_or(30).min(shaped::events_page_cap(state));
    let page: Vec<Value> = results.into_iter().skip(offset).take(limit).collect();
    Answer::json(200, &json!({ "offset": offset, "limit": limit, "results": page }))
}
