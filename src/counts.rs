//! The page's item counts and their v8 counterparts, as numbers: what one restore accounted for.
//!
//! The page defines created, merged, failed and skipped so that a restore accounts for every
//! backed-up item exactly once. v8 reports the same through its restore session's statistics:
//! `totalItemsCount`, `restoredItemsCount` (created + merged), `failedItemsCount`,
//! `skippedItemsCount`, and per mailbox (`BulkMailbox` items) the page's four counts. When a
//! restore's session is the path's restore session, its statistics add up every restore of that
//! session, and one restore's counts are the difference of the statistics after and before it.

use serde_json::Value;

/// The page's four counts, as properties of the response body (v6, v7).
pub const COUNT_PROPERTIES: [&str; 4] =
    ["createdItemsCount", "mergedItemsCount", "failedItemsCount", "skippedItemsCount"];

/// The four item counts of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: u64,
    pub merged: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl Counts {
    /// (property, requirement, value) for each count.
    pub fn fields(&self) -> [(&'static str, &'static str, u64); 4] {
        [
            ("createdItemsCount", "COUNT-CREATED", self.created),
            ("mergedItemsCount", "COUNT-MERGED", self.merged),
            ("failedItemsCount", "COUNT-FAILED", self.failed),
            ("skippedItemsCount", "COUNT-SKIPPED", self.skipped),
        ]
    }

    /// Items the restore wrote to the original mailbox: created and merged.
    pub fn written(&self) -> u64 {
        self.created.saturating_add(self.merged)
    }

    /// Every backed-up item, each counted once.
    pub fn total(&self) -> u64 {
        self.written().saturating_add(self.failed).saturating_add(self.skipped)
    }
}

/// The per-mailbox counts of v8 statistics, as the `BulkMailbox` items name them.
const MAILBOX_COUNTS: [&str; 4] =
    ["createdMailboxItemsCount", "mergedMailboxItemsCount", "failedMailboxItemsCount", "skippedMailboxItemsCount"];

/// The counts of v8 statistics (RESTRestoreSessionStatistics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatisticsCounts {
    pub total: u64,
    pub restored: u64,
    pub failed: u64,
    pub skipped: u64,
    /// The `BulkMailbox` items' counts added up; `None` when the statistics hold no mailbox
    /// details (the OpenAPI says "[If available]"). A count a mailbox entry leaves out is 0.
    pub mailboxes: Option<Counts>,
}

impl StatisticsCounts {
    /// Reads statistics whose four top-level counts are non-negative integers; `None` otherwise
    /// (the shape checks report why).
    pub fn read(statistics: &Value) -> Option<Self> {
        let count = |key: &str| statistics.get(key).and_then(Value::as_u64);
        let mailboxes: Vec<&Value> = statistics
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|item| item.get("itemRestoreDetailsType").and_then(Value::as_str) == Some("BulkMailbox"))
            .collect();
        let sum = |key: &str| {
            mailboxes.iter().map(|m| m.get(key).and_then(Value::as_u64).unwrap_or(0)).fold(0u64, u64::saturating_add)
        };
        let [created, merged, failed, skipped] = MAILBOX_COUNTS.map(sum);
        Some(StatisticsCounts {
            total: count("totalItemsCount")?,
            restored: count("restoredItemsCount")?,
            failed: count("failedItemsCount")?,
            skipped: count("skippedItemsCount")?,
            mailboxes: (!mailboxes.is_empty()).then_some(Counts { created, merged, failed, skipped }),
        })
    }

    /// What a restore added to statistics that stood at `before` (cumulative statistics). A
    /// count that went down is reported as 0, and the checks then see the mismatch.
    pub fn since(&self, before: &StatisticsCounts) -> StatisticsCounts {
        let mailboxes = match (self.mailboxes, before.mailboxes) {
            (Some(after), Some(before)) => Some(Counts {
                created: after.created.saturating_sub(before.created),
                merged: after.merged.saturating_sub(before.merged),
                failed: after.failed.saturating_sub(before.failed),
                skipped: after.skipped.saturating_sub(before.skipped),
            }),
            (after, _) => after,
        };
        StatisticsCounts {
            total: self.total.saturating_sub(before.total),
            restored: self.restored.saturating_sub(before.restored),
            failed: self.failed.saturating_sub(before.failed),
            skipped: self.skipped.saturating_sub(before.skipped),
            mailboxes,
        }
    }

    /// Whether these statistics add up a restore to `before`: no count went down, and more items
    /// are accounted for (a restore accounts for every backed-up item).
    pub fn adds_up(&self, before: &StatisticsCounts) -> bool {
        self.total >= before.total
            && self.restored >= before.restored
            && self.failed >= before.failed
            && self.skipped >= before.skipped
            && self.accounted() > before.accounted()
    }

    /// Restored, failed and skipped: the items the restore accounted for.
    pub fn accounted(&self) -> u64 {
        self.restored.saturating_add(self.failed).saturating_add(self.skipped)
    }

    /// The page's counts, as far as the statistics give them: created and merged from the
    /// mailbox details, or only their sum (restoredItemsCount) without them.
    pub fn written(&self) -> u64 {
        self.mailboxes.map_or(self.restored, |m| m.written())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statistics(total: u64, restored: u64, failed: u64, skipped: u64, created: u64, merged: u64) -> Value {
        json!({
            "totalItemsCount": total, "restoredItemsCount": restored, "failedItemsCount": failed,
            "skippedItemsCount": skipped,
            "items": [{"itemRestoreDetailsType": "BulkMailbox", "createdMailboxItemsCount": created,
                       "mergedMailboxItemsCount": merged, "failedMailboxItemsCount": failed,
                       "skippedMailboxItemsCount": skipped}],
        })
    }

    #[test]
    fn the_difference_of_cumulative_statistics_is_the_last_restore() {
        let first = StatisticsCounts::read(&statistics(5, 3, 0, 2, 2, 1)).expect("first");
        let both = StatisticsCounts::read(&statistics(10, 3, 0, 7, 2, 1)).expect("both");
        let second = both.since(&first);
        assert_eq!((second.total, second.restored, second.skipped), (5, 0, 5));
        assert_eq!(second.mailboxes, Some(Counts { created: 0, merged: 0, failed: 0, skipped: 5 }));
    }

    #[test]
    fn a_mailbox_entry_without_a_count_counts_it_as_zero_and_no_entries_means_no_details() {
        let read = StatisticsCounts::read(&json!({
            "totalItemsCount": 2, "restoredItemsCount": 2, "failedItemsCount": 0, "skippedItemsCount": 0,
            "items": [{"itemRestoreDetailsType": "BulkMailbox", "createdMailboxItemsCount": 1}],
        }))
        .expect("read");
        assert_eq!(read.mailboxes, Some(Counts { created: 1, ..Counts::default() }));
        let without = StatisticsCounts::read(&json!({
            "totalItemsCount": 2, "restoredItemsCount": 2, "failedItemsCount": 0, "skippedItemsCount": 0, "items": [],
        }))
        .expect("read");
        assert_eq!((without.mailboxes, without.written()), (None, 2));
        assert!(StatisticsCounts::read(&json!({"totalItemsCount": "2"})).is_none());
    }

    /// Counts a server may send (up to u64's largest) never overflow the arithmetic: the shape
    /// checks report them, and nothing panics or wraps in between.
    #[test]
    fn the_largest_counts_saturate_instead_of_overflowing() {
        let huge = StatisticsCounts::read(&statistics(u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX))
            .expect("read");
        assert_eq!((huge.accounted(), huge.written()), (u64::MAX, u64::MAX));
        let counts = Counts { created: u64::MAX, merged: 1, failed: 1, skipped: 1 };
        assert_eq!((counts.written(), counts.total()), (u64::MAX, u64::MAX));
        assert!(!huge.adds_up(&huge));
    }
}
