//! The checks on what a restore counted: the exact counts a mailbox's state implies (the
//! double), what two restores right after each other must report on any server (conservation,
//! from the page's definitions), and v8's statistics.

use serde_json::Value;

use super::{Failure, Outcome, RequirementIds, body_json, fail, status_with_body, succeeded};
use crate::contract::counts::bulk_mailboxes;
use crate::contract::counts::{Counts, StatisticsCounts};
use crate::contract::round_trip::{Background, Restored};
use crate::contract::schema::{Violation, describe_count, render_value};
use crate::contract::version::ApiVersion;

/// One reported count: where it is, the requirement that defines it, and its value.
struct Row {
    path: String,
    requirement: &'static str,
    value: Option<Value>,
}

/// The page's counts of a restore: from the 200 body (v6, v7) or its own statistics (v8), in
/// the order created, merged, failed, skipped. In v8 they are the restored mailbox's entries';
/// statistics without mailbox details give created and merged only as their sum
/// (restoredItemsCount): three rows.
fn rows(restored: &Restored, version: ApiVersion, requirement: impl Into<RequirementIds>) -> Result<Vec<Row>, Failure> {
    if !version.restores_in_background() {
        succeeded(&restored.answer, requirement)?;
        let json = body_json(&restored.answer, "BODY-COUNTS")?;
        return Ok(Counts::default()
            .fields()
            .into_iter()
            .map(|(key, requirement, _)| Row { path: format!("/{key}"), requirement, value: json.get(key).cloned() })
            .collect());
    }
    let background = finished(restored)?;
    let own = own_counts(background)?;
    let since = if background.cumulative() { " (difference since the restore before)" } else { "" };
    let row = |path: &str, requirement, value: u64| Row {
        path: format!("{path}{since}"),
        requirement,
        value: Some(value.into()),
    };
    if own.name_other_mailboxes_only() {
        return Err(not_the_mailbox(background));
    }
    Ok(match own.mailbox {
        Some(m) => vec![
            row("/items/*/createdMailboxItemsCount (the mailbox's)", "COUNT-CREATED", m.created),
            row("/items/*/mergedMailboxItemsCount (the mailbox's)", "COUNT-MERGED", m.merged),
            row("/items/*/failedMailboxItemsCount (the mailbox's)", "COUNT-FAILED", m.failed),
            row("/items/*/skippedMailboxItemsCount (the mailbox's)", "COUNT-SKIPPED", m.skipped),
        ],
        None => vec![
            row("/restoredItemsCount (created + merged)", "COUNT-CREATED", own.restored),
            row("/failedItemsCount", "COUNT-FAILED", own.failed),
            row("/skippedItemsCount", "COUNT-SKIPPED", own.skipped),
        ],
    })
}

/// v8: the restore in the background, finished; or the failure that says why its statistics
/// cannot be read (no sessionId, or it never finished).
pub(super) fn finished(restored: &Restored) -> Result<&Background, Failure> {
    let background = restored.background.as_ref().ok_or_else(|| no_restore_session(restored))?;
    background.finished.clone()?;
    Ok(background)
}

fn no_restore_session(restored: &Restored) -> Failure {
    let answer = &restored.answer;
    if (200..300).contains(&answer.status) {
        // A body that is not JSON is reported as what it is, not as a sessionId left out.
        if let Err(failure) = body_json(answer, "V8-SESSION-ID") {
            return failure;
        }
    }
    let actual = if (200..300).contains(&answer.status) {
        "(absent: no statistics to read)".to_owned()
    } else {
        status_with_body(answer)
    };
    Failure {
        requirements: "V8-SESSION-ID".into(),
        violations: vec![Violation {
            path: "/sessionId".into(),
            expected: "the id of the restore session whose statistics hold the counts".into(),
            actual,
        }],
    }
}

pub(super) fn own_counts(background: &Background) -> Result<StatisticsCounts, Failure> {
    background.own().ok_or_else(|| Failure {
        requirements: "BODY-COUNTS".into(),
        violations: vec![Violation {
            path: format!("GET .../RestoreSessions/{}/Statistics", background.session_id),
            expected: "totalItemsCount, restoredItemsCount, failedItemsCount, skippedItemsCount and the mailboxes' counts as non-negative integers (their sums within 64 bits)".into(),
            actual: background.statistics.json().map(|json| render_value(&json)).unwrap_or_else(|_| "not JSON".into()),
        }],
    })
}

/// Each count equals the expected one; every difference is reported, each count that differs
/// under its own requirement (a created count that is right and a skipped one that is wrong is a
/// failure of COUNT-SKIPPED alone).
pub fn counts(restored: &Restored, version: ApiVersion, expected: Counts) -> Outcome {
    let rows = rows(restored, version, "COUNT-CREATED")?;
    let wanted: Vec<u128> = if rows.len() == 3 {
        vec![expected.written(), expected.failed.into(), expected.skipped.into()]
    } else {
        [expected.created, expected.merged, expected.failed, expected.skipped].map(u128::from).to_vec()
    };
    let mut requirements: Vec<&str> = Vec::new();
    let mut violations = Vec::new();
    for (row, want) in rows.iter().zip(wanted) {
        if row.value.as_ref().and_then(Value::as_u64).map(u128::from) != Some(want) {
            if !requirements.contains(&row.requirement) {
                requirements.push(row.requirement);
            }
            violations.push(Violation {
                path: row.path.clone(),
                expected: want.to_string(),
                actual: describe_count(row.value.as_ref()),
            });
        }
    }
    if requirements.is_empty() {
        Ok(())
    } else {
        Err(Failure { requirements: requirements.iter().collect(), violations })
    }
}

/// Written (created + merged), failed and skipped items of one restore, as integers (in 128
/// bits: no sum of counts overflows).
#[derive(Clone, Copy)]
struct Accounting {
    written: u128,
    failed: u128,
    skipped: u128,
}

impl Accounting {
    fn of(
        restored: &Restored,
        version: ApiVersion,
        requirement: impl Into<RequirementIds>,
    ) -> Result<Accounting, Failure> {
        let rows = rows(restored, version, requirement)?;
        let mut values = Vec::new();
        for row in &rows {
            let value = row.value.as_ref().and_then(Value::as_u64).ok_or_else(|| Failure {
                requirements: "BODY-COUNTS".into(),
                violations: vec![Violation {
                    path: row.path.clone(),
                    expected: "a non-negative integer".into(),
                    actual: describe_count(row.value.as_ref()),
                }],
            })?;
            values.push(u128::from(value));
        }
        let (written, rest) = if values.len() == 4 {
            (values[0].saturating_add(values[1]), &values[2..])
        } else {
            (values[0], &values[1..])
        };
        Ok(Accounting { written, failed: rest[0], skipped: rest[1] })
    }

    fn total(&self) -> u128 {
        self.written + self.failed + self.skipped
    }
}

impl std::fmt::Display for Accounting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} created or merged, {} failed, {} skipped", self.written, self.failed, self.skipped)
    }
}

/// COUNT-TOTAL: a restore accounts for every backed-up item once, so two restores right after
/// each other account for as many items.
pub fn same_items_accounted(first: &Restored, second: &Restored, version: ApiVersion) -> Outcome {
    let (a, b) = (Accounting::of(first, version, "COUNT-TOTAL")?, Accounting::of(second, version, "COUNT-TOTAL")?);
    if a.total() == b.total() {
        return Ok(());
    }
    fail(
        "COUNT-TOTAL",
        "created + merged + failed + skipped of the second restore",
        format!("{} (the first restore's: {a})", a.total()),
        format!("{} ({b})", b.total()),
    )
}

/// COUNT-REPEAT: right after a restore, only the items it failed can still need writing, and
/// every item it wrote or skipped is unchanged: the second restore creates and merges at most
/// the first's failed items and skips at least the first's created, merged and skipped ones.
pub fn nothing_rewritten(first: &Restored, second: &Restored, version: ApiVersion) -> Outcome {
    let (a, b) = (Accounting::of(first, version, "COUNT-REPEAT")?, Accounting::of(second, version, "COUNT-REPEAT")?);
    let mut violations = Vec::new();
    if b.written > a.failed {
        violations.push(Violation {
            path: "created + merged of the second restore".into(),
            expected: format!("at most {} (the items the first restore failed; it reported {a})", a.failed),
            actual: b.written.to_string(),
        });
    }
    if b.skipped < a.written.saturating_add(a.skipped) {
        violations.push(Violation {
            path: "skippedItemsCount of the second restore".into(),
            expected: format!(
                "at least {} (what the first restore created, merged or skipped: {a})",
                a.written.saturating_add(a.skipped)
            ),
            actual: b.skipped.to_string(),
        });
    }
    if violations.is_empty() { Ok(()) } else { Err(Failure { requirements: "COUNT-REPEAT".into(), violations }) }
}

/// v8 (V8-TOTAL): totalItemsCount, "the total number of items in the backup", is what the
/// finished restore accounted for: restored + failed + skipped. Statistics that add up several
/// restores may add up the total too, or keep the backup's size: either is accepted.
pub fn total_is_every_item(restored: &Restored) -> Outcome {
    let background = finished(restored)?;
    let own = own_counts(background)?;
    let after_total = background.after().map(|after| after.total);
    let accounted = own.accounted();
    if u128::from(own.total) == accounted || (background.cumulative() && after_total.map(u128::from) == Some(accounted))
    {
        return Ok(());
    }
    fail(
        "V8-TOTAL",
        "/totalItemsCount",
        format!("{accounted} (restored {} + failed {} + skipped {})", own.restored, own.failed, own.skipped),
        after_total.map_or_else(|| own.total.to_string(), |total| total.to_string()),
    )
}

/// v8 (V8-FINISHES): the restore's session reported it finished within the timeout.
pub fn restore_finished(restored: &Restored) -> Outcome {
    restored.background.as_ref().ok_or_else(|| no_restore_session(restored))?.finished.clone()
}

/// The statistics list mailboxes, none of them the restored one.
pub(super) fn not_the_mailbox(background: &Background) -> Failure {
    let json = background.statistics.json().unwrap_or(Value::Null);
    Failure {
        requirements: "V8-MAILBOX-STATISTICS".into(),
        violations: vec![Violation {
            path: format!("GET .../RestoreSessions/{}/Statistics /items (BulkMailbox)", background.session_id),
            expected: format!("an entry of the restored mailbox, {}", background.mailbox.describe()),
            actual: format!("entries of {} only", describe_entries(&bulk_mailboxes(&json))),
        }],
    }
}

/// Mailbox entries as messages name them: the address (an archive's said so) and the id.
pub(super) fn describe_entries(entries: &[&Value]) -> String {
    let described: Vec<String> = entries
        .iter()
        .map(|entry| {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("?").to_owned();
            let archive = entry.get("mailboxIsArchive").and_then(Value::as_bool) == Some(true);
            format!("{}{} (id {})", if archive { "the archive of " } else { "" }, text("mailboxEmail"), text("id"))
        })
        .collect();
    described.join(", ")
}

#[cfg(test)]
#[path = "counts_tests.rs"]
mod tests;
