//! v8: how the faults and variations of issue 18 shape what a restore session says of its
//! restores: which mailbox its statistics name, when its events and its state say the restore
//! ended, how its events are listed, and colleagues' restores beside the one under test.

use std::time::Duration;

use serde_json::{Value, json};

use super::faults::{Fault, Variation};
use super::mailbox::Drift;
use super::progress::{duration, finished};
use super::restore::Made;
use super::{BackgroundRestore, State};

/// How long, with v8-state-ahead-of-events, the restore's event stays Running after its session
/// Stopped (the server writes one, then the other).
const EVENT_BEHIND_STATE: Duration = Duration::from_millis(100);

/// Whether the variation runs every restore in the path's restore session.
pub(super) fn in_path_session(variation: Variation) -> bool {
    use Variation::*;
    matches!(
        variation,
        V8SessionIsPathSession
            | V8StatisticsOfLatestRestore
            | V8SessionHoldsOtherRestores
            | V8EventsNewestFirst
            | V8EventsPaged
    )
}

/// Restores a colleague of the organization (its first mailbox other than `except`), as another
/// operator would, with something to count: one item missing, one changed, one unchanged.
pub(super) fn restore_colleague(state: &mut State, except: &str) -> Option<Made> {
    let id = state.mailboxes.iter().find(|m| !m.id.eq_ignore_ascii_case(except))?.id.clone();
    let mailbox = state.mailbox_mut(&id)?;
    mailbox.set_drift(Drift { missing: 1, changed: 1, unchanged: 1, unwritable_missing: 0 });
    let counts = mailbox.restore();
    Some(Made { counts, mailbox_email: mailbox.email.clone(), mailbox_id: mailbox.id.clone(), certificate: false })
}

/// A restore's `BulkMailbox` entry as the faults mislabel it: another mailbox's id and address,
/// or the mailbox's In-Place Archive (its own id, the mailbox's address).
pub(super) fn name_the_entry(state: &State, entry: &mut Value) {
    match state.fault {
        Some(Fault::V8StatisticsNameAnotherMailbox) => {
            let mailbox_id = entry["id"].as_str().unwrap_or_default().to_owned();
            if let Some(other) = state.mailboxes.iter().find(|m| !m.id.eq_ignore_ascii_case(&mailbox_id)) {
                entry["id"] = json!(other.id);
                entry["name"] = json!(other.name);
                entry["mailboxEmail"] = json!(other.email);
            }
        }
        Some(Fault::V8StatisticsOfArchiveMailbox) => {
            entry["id"] = json!("a4c41fe0-0000-4000-8000-000000000001");
            entry["name"] = json!(format!("In-Place Archive - {}", entry["name"].as_str().unwrap_or_default()));
            entry["mailboxIsArchive"] = json!(true);
        }
        _ => {}
    }
}

/// The status of a restore's event: Running until it finished, then Success (Warning when
/// items failed); the faults keep it Running for ever, end it at once, or end it Failed.
pub(super) fn event_status(state: &State, restore: &BackgroundRestore) -> &'static str {
    let ended = match (state.fault, state.variation) {
        (Some(Fault::V8EventNeverEnds), _) => false,
        (Some(Fault::V8EventEndsEarly), _) => true,
        (_, Some(Variation::V8StateAheadOfEvents)) => restore.started.elapsed() >= duration(state) + EVENT_BEHIND_STATE,
        _ => finished(state, restore),
    };
    match (ended, restore.counts.failed) {
        (false, _) => "Running",
        (true, _) if state.fault == Some(Fault::RestoreDidNothingAnswered200) => "Failed",
        (true, 0) => "Success",
        (true, _) => "Warning",
    }
}

/// Whether a restore's own session reads Stopped: once the restore finished, unless the
/// variation keeps its session open.
pub(super) fn session_stopped(state: &State, restore: &BackgroundRestore) -> bool {
    state.variation != Some(Variation::V8SessionStaysWorking) && finished(state, restore)
}

/// How many events a page holds at most, whatever `limit` asks.
pub(super) fn events_page_cap(state: &State) -> usize {
    if state.variation == Some(Variation::V8EventsPaged) { 2 } else { 10_000 }
}

/// The statistics' top-level counts (total, restored, failed, skipped) and items as the faults
/// of issue "v8: figures stated twice" misstate them: a count that disagrees with the mailbox
/// entries (totalItemsCount kept restored + failed + skipped), or a colleague's entry beside the
/// mailbox's, added up, in a session of the restore's own.
pub(super) fn misstate(state: &State, top: &mut [u64; 4], items: &mut Vec<Value>) {
    let [total, _, failed, skipped] = top;
    match state.fault {
        Some(Fault::V8FailedCountedAsSkipped) => (*failed, *skipped) = (0, skipped.saturating_add(*failed)),
        Some(Fault::V8FailedCountWrong) => (*failed, *total) = (failed.saturating_add(1), total.saturating_add(1)),
        Some(Fault::V8SkippedCountWrong) => (*skipped, *total) = (skipped.saturating_add(1), total.saturating_add(1)),
        Some(Fault::V8StatisticsListAnotherMailbox) if !items.is_empty() => {
            let listed = |id: &str| items.iter().any(|item| item["id"].as_str() == Some(id));
            let Some(other) = state.mailboxes.iter().find(|m| !listed(&m.id)) else { return };
            // The mailbox's entry, made the colleague's: 1 created, 1 merged, 1 skipped.
            let mut entry = items[0].clone();
            for (key, value) in
                [("id", json!(other.id)), ("name", json!(other.email)), ("mailboxEmail", json!(other.email))]
                    .into_iter()
                    .chain([("status", json!("Success")), ("createdMailboxItemsCount", json!(1))])
                    .chain([("mergedMailboxItemsCount", json!(1)), ("failedMailboxItemsCount", json!(0))])
                    .chain([("skippedMailboxItemsCount", json!(1))])
            {
                entry[key] = value;
            }
            items.push(entry);
            let [total, restored, _, skipped] = top;
            (*total, *restored, *skipped) =
                (total.saturating_add(3), restored.saturating_add(2), skipped.saturating_add(1));
        }
        _ => {}
    }
}

/// The result of a v8 restore's own session: Warning once a restore of it failed items, else
/// Success; the faults and variations of issue "v8: figures stated twice" say otherwise once it
/// ended (`done`).
pub(super) fn session_result(state: &State, failed_items: bool, done: bool) -> &'static str {
    match (state.fault, state.variation) {
        (Some(Fault::V8SessionResultFailed | Fault::RestoreDidNothingAnswered200), _) if done => "Failed",
        (Some(Fault::V8SessionResultSuccessWithFailedItems), _) => "Success",
        (_, Some(Variation::V8SessionResultWarning)) if done => "Warning",
        (_, Some(Variation::V8FailedItemsSessionFailed)) if done && failed_items => "Failed",
        _ if failed_items => "Warning",
        _ => "Success",
    }
}
