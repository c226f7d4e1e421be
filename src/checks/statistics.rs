//! v8: what the server states about a finished restore more than once must agree. Its statistics
//! state the session's counts at the top level and each mailbox's in its `BulkMailbox` entries;
//! its restore session states a result, its events a status. The top-level counts are the sums
//! of the entries wherever the entries cover the session, the session's result does not contradict
//! what its statistics and events say, and the entries are the restored mailbox's.
//! (docs/requirements.md, spec notes "v8: figures stated twice".)

use serde_json::Value;

use super::counts::{describe_entries, finished, not_the_mailbox, own_counts};
use super::{Failure, Outcome, fail};
use crate::contract::counts::{StatisticsCounts, bulk_mailboxes};
use crate::contract::round_trip::{Background, Restored};
use crate::contract::schema::{Violation, render_value};

/// Whether the statistics' mailbox entries cover the session, so that its top-level counts are
/// the entries' sums: there are entries, every item of `items` is one (an `Item` or `BulkOneDrive`
/// entry brings items the entries do not count), and either the session is the restore's own
/// (it restored this one mailbox: its entries are all it did) or, for a session that holds other
/// restores too, the entries account for as many items as the top-level counts.
fn entries_cover(background: &Background, json: &Value, after: &StatisticsCounts) -> bool {
    let Some(entries) = after.mailboxes else { return false };
    let items = json.get("items").and_then(Value::as_array).map_or(0, Vec::len);
    items == bulk_mailboxes(json).len() && (!background.shared || entries.total() == after.accounted())
}

/// v8 (V8-RESTORED-COUNT, V8-FAILED-COUNT, V8-SKIPPED-COUNT): wherever the mailbox entries
/// cover the session, restoredItemsCount is their created + merged, failedItemsCount their
/// failed and skippedItemsCount their skipped items; each count that differs fails its own
/// requirement. (totalItemsCount is V8-TOTAL's: restored + failed + skipped.)
pub fn counts_agree(restored: &Restored) -> Outcome {
    let background = finished(restored)?;
    own_counts(background)?;
    let (Ok(json), Some(after)) = (background.statistics.json(), background.after()) else { return Ok(()) };
    let Some(entries) = after.mailboxes.filter(|_| entries_cover(background, &json, &after)) else { return Ok(()) };
    let listed = bulk_mailboxes(&json).len();
    let of = if listed == 1 { "of the 1 mailbox entry".to_owned() } else { format!("of the {listed} mailbox entries") };
    let rows = [
        (
            "V8-RESTORED-COUNT",
            "/restoredItemsCount",
            entries.written(),
            format!("created {} + merged {} {of}", entries.created, entries.merged),
            after.restored,
        ),
        ("V8-FAILED-COUNT", "/failedItemsCount", entries.failed.into(), format!("failed {of}"), after.failed),
        ("V8-SKIPPED-COUNT", "/skippedItemsCount", entries.skipped.into(), format!("skipped {of}"), after.skipped),
    ];
    let mut requirements = Vec::new();
    let mut violations = Vec::new();
    for (requirement, path, sum, said, stated) in rows {
        if sum != u128::from(stated) {
            requirements.push(requirement);
            violations.push(Violation {
                path: format!("GET .../RestoreSessions/{}/Statistics {path}", background.session_id),
                expected: format!("{sum} ({said})"),
                actual: stated.to_string(),
            });
        }
    }
    if requirements.is_empty() {
        Ok(())
    } else {
        Err(Failure { requirements: requirements.into_iter().collect(), violations })
    }
}

/// v8 (V8-SESSION-RESULT): the result of the restore's own session, once it reads Stopped, is
/// one of the OpenAPI's and does not contradict the restore: not Success where its statistics,
/// its mailbox entries or its events say items failed; not Failed where nothing failed and
/// nothing went wrong (no failed item, no error, no event Failed or Cancelled). Warning is
/// allowed either way. A session that holds other restores, or still Working, is not judged.
pub fn result_agrees(restored: &Restored) -> Outcome {
    let background = finished(restored)?;
    let Some(session) = background.session.as_ref().filter(|_| !background.shared) else { return Ok(()) };
    if session.get("state").and_then(Value::as_str) != Some("Stopped") {
        return Ok(());
    }
    let path = format!("GET .../RestoreSessions/{} /result", background.session_id);
    let result = session.get("result");
    let (failures, errors) = what_went_wrong(background);
    match result.and_then(Value::as_str) {
        Some("Success") if !failures.is_empty() => {
            fail("V8-SESSION-RESULT", &path, format!("Warning or Failed: {}", failures.join("; ")), "Success")
        }
        Some("Failed") if failures.is_empty() && errors.is_empty() => fail(
            "V8-SESSION-RESULT",
            &path,
            "Success or Warning: no item failed, no error, no event of the restore Failed or Cancelled",
            "Failed",
        ),
        Some("Success" | "Warning" | "Failed") => Ok(()),
        _ => fail(
            "V8-SESSION-RESULT",
            &path,
            "Success, Warning or Failed (RESTRestoreSession requires it)",
            result.map_or_else(|| "(absent)".to_owned(), render_value),
        ),
    }
}

/// What the statistics and the restore's events say went wrong: the failures (items failed, an
/// entry or event Failed), and other errors (the statistics' errors, an entry's error, an event
/// Cancelled), each in words.
fn what_went_wrong(background: &Background) -> (Vec<String>, Vec<String>) {
    let (mut failures, mut errors) = (Vec::new(), Vec::new());
    let json = background.statistics.json().unwrap_or(Value::Null);
    if let Some(after) = background.after() {
        if after.failed > 0 {
            failures.push(format!("the statistics' failedItemsCount is {}", after.failed));
        }
        if let Some(failed) = after.mailboxes.map(|m| m.failed).filter(|failed| *failed > 0) {
            failures.push(format!("the mailbox entries' failedMailboxItemsCount adds up to {failed}"));
        }
    }
    let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    for entry in bulk_mailboxes(&json) {
        if text(entry, "status") == "Failed" {
            failures.push(format!("the entry of {} is Failed", text(entry, "mailboxEmail")));
        }
        if ["cannotContinueMailboxError", "error"].iter().any(|key| !text(entry, key).is_empty()) {
            errors.push(format!("the entry of {} names an error", text(entry, "mailboxEmail")));
        }
    }
    if json.get("errors").and_then(Value::as_array).is_some_and(|list| !list.is_empty()) {
        errors.push("the statistics list errors".into());
    }
    for event in &background.events {
        match text(event, "status").as_str() {
            "Failed" => failures.push(format!("the restore's event {} is Failed", text(event, "id"))),
            "Cancelled" => errors.push(format!("the restore's event {} is Cancelled", text(event, "id"))),
            _ => {}
        }
    }
    (failures, errors)
}

/// v8 (V8-MAILBOX-STATISTICS): the statistics of the session the restore names are the
/// restored mailbox's: where they list mailboxes, the restored one is among them, and a session
/// of the restore's own (which restored that mailbox alone) lists no other. A sessionId that
/// names another mailbox's restore fails here.
pub fn statistics_of_the_mailbox(restored: &Restored) -> Outcome {
    let background = finished(restored)?;
    own_counts(background)?;
    match background.after() {
        Some(after) if after.name_other_mailboxes_only() => Err(not_the_mailbox(background)),
        Some(_) if !background.shared => {
            let json = background.statistics.json().unwrap_or(Value::Null);
            let others: Vec<&Value> =
                bulk_mailboxes(&json).into_iter().filter(|entry| !background.mailbox.names(entry)).collect();
            if others.is_empty() {
                return Ok(());
            }
            fail(
                "V8-MAILBOX-STATISTICS",
                &format!("GET .../RestoreSessions/{}/Statistics /items (BulkMailbox)", background.session_id),
                format!(
                    "entries of the restored mailbox only, {} (the restore's own session restored it alone)",
                    background.mailbox.describe()
                ),
                format!("entries of {} too", describe_entries(&others)),
            )
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "statistics_tests.rs"]
mod tests;
