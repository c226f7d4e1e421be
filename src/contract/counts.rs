//! The page's item counts and their v8 counterparts, as numbers: what one restore accounted for.
//!
//! The page defines created, merged, failed and skipped so that a restore accounts for every
//! backed-up item exactly once. v8 reports the same through its restore session's statistics:
//! `totalItemsCount`, `restoredItemsCount` (created + merged), `failedItemsCount`,
//! `skippedItemsCount`, and per mailbox (`BulkMailbox` items) the page's four counts. The
//! restored mailbox's counts are its own entries' ([`MailboxIdentity`]), whatever other
//! mailboxes the session restored. When a restore's session is the path's restore session, its
//! statistics add up every restore of that session, and one restore's counts are the difference
//! of the statistics after and before it. Sums are made in 128 bits: no count a server sends
//! can overflow them.

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
    pub fn written(&self) -> u128 {
        u128::from(self.created) + u128::from(self.merged)
    }

    /// Every backed-up item, each counted once.
    pub fn total(&self) -> u128 {
        self.written() + u128::from(self.failed) + u128::from(self.skipped)
    }

    /// These counts less `before`'s; a count that went down is 0 (the checks then see the
    /// mismatch).
    fn since(&self, before: &Counts) -> Counts {
        Counts {
            created: self.created.saturating_sub(before.created),
            merged: self.merged.saturating_sub(before.merged),
            failed: self.failed.saturating_sub(before.failed),
            skipped: self.skipped.saturating_sub(before.skipped),
        }
    }

    /// The counts of `entries` added up (a count an entry leaves out is 0); `None` when a sum
    /// goes beyond 64 bits or an entry's count is not a non-negative integer.
    fn sum<'a>(entries: impl IntoIterator<Item = &'a Value>) -> Option<Counts> {
        let mut sum = [0_u64; 4];
        for entry in entries {
            for (total, key) in sum.iter_mut().zip(MAILBOX_COUNTS) {
                let count = match entry.get(key) {
                    None | Some(Value::Null) => 0,
                    Some(value) => value.as_u64()?,
                };
                *total = total.checked_add(count)?;
            }
        }
        let [created, merged, failed, skipped] = sum;
        Some(Counts { created, merged, failed, skipped })
    }
}

/// The restored mailbox, as v8 statistics name it in their `BulkMailbox` entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailboxIdentity {
    pub id: String,
    /// Its e-mail address, when the run knows it (the mailbox lookup lists it).
    pub email: Option<String>,
    /// An In-Place Archive has an id of its own and the mailbox's address.
    pub is_archive: bool,
}

impl MailboxIdentity {
    /// A mailbox known by its id only.
    pub fn by_id(id: &str) -> MailboxIdentity {
        MailboxIdentity { id: id.to_owned(), email: None, is_archive: false }
    }

    /// Whether a `BulkMailbox` entry is this mailbox's: its `id` is the mailbox's id, or its
    /// `mailboxEmail` is the mailbox's address and its `mailboxIsArchive`, when given, says
    /// the same as the mailbox's (the archive shares the address). Case is ignored.
    pub fn names(&self, entry: &Value) -> bool {
        let text = |key: &str| entry.get(key).and_then(Value::as_str);
        if text("id").is_some_and(|id| id.eq_ignore_ascii_case(&self.id)) {
            return true;
        }
        let same_address = match (&self.email, text("mailboxEmail")) {
            (Some(email), Some(listed)) => !email.is_empty() && listed.trim().eq_ignore_ascii_case(email.trim()),
            _ => false,
        };
        let archive = entry.get("mailboxIsArchive").and_then(Value::as_bool);
        same_address && archive.is_none_or(|archive| archive == self.is_archive)
    }

    /// How the mailbox is named in messages: its address (an archive's said so) and its id.
    pub fn describe(&self) -> String {
        let archive = if self.is_archive { "the In-Place Archive of " } else { "" };
        match &self.email {
            Some(email) => format!("{archive}{email} (id {})", self.id),
            None => format!("id {}", self.id),
        }
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
    /// Every `BulkMailbox` entry's counts added up; `None` when the statistics hold no mailbox
    /// details (the OpenAPI says "[If available]"). A count a mailbox entry leaves out is 0.
    pub mailboxes: Option<Counts>,
    /// The restored mailbox's entries' counts added up; `None` when no entry names it.
    pub mailbox: Option<Counts>,
}

impl StatisticsCounts {
    /// Reads statistics whose four top-level counts, and mailbox entries' counts, are
    /// non-negative integers whose sums fit in 64 bits; `None` otherwise (the shape checks
    /// report why). `mailbox` is the restored mailbox, whose entries are picked out.
    pub fn read(statistics: &Value, mailbox: &MailboxIdentity) -> Option<Self> {
        let count = |key: &str| statistics.get(key).and_then(Value::as_u64);
        let entries = bulk_mailboxes(statistics);
        let own = entries.iter().copied().filter(|entry| mailbox.names(entry)).collect::<Vec<_>>();
        Some(StatisticsCounts {
            total: count("totalItemsCount")?,
            restored: count("restoredItemsCount")?,
            failed: count("failedItemsCount")?,
            skipped: count("skippedItemsCount")?,
            mailboxes: if entries.is_empty() { None } else { Some(Counts::sum(entries.iter().copied())?) },
            mailbox: if own.is_empty() { None } else { Some(Counts::sum(own)?) },
        })
    }

    /// What a restore added to statistics that stood at `before` (cumulative statistics). A
    /// count that went down is reported as 0, and the checks then see the mismatch.
    pub fn since(&self, before: &StatisticsCounts) -> StatisticsCounts {
        let since = |after: Option<Counts>, before: Option<Counts>| match (after, before) {
            (Some(after), Some(before)) => Some(after.since(&before)),
            (after, _) => after,
        };
        StatisticsCounts {
            total: self.total.saturating_sub(before.total),
            restored: self.restored.saturating_sub(before.restored),
            failed: self.failed.saturating_sub(before.failed),
            skipped: self.skipped.saturating_sub(before.skipped),
            mailboxes: since(self.mailboxes, before.mailboxes),
            mailbox: since(self.mailbox, before.mailbox),
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
    pub fn accounted(&self) -> u128 {
        u128::from(self.restored) + u128::from(self.failed) + u128::from(self.skipped)
    }

    /// Whether the statistics list mailboxes (`BulkMailbox` entries) but none is the restored
    /// mailbox: they are another restore's.
    pub fn name_other_mailboxes_only(&self) -> bool {
        self.mailboxes.is_some() && self.mailbox.is_none()
    }
}

/// The statistics' `BulkMailbox` entries.
pub fn bulk_mailboxes(statistics: &Value) -> Vec<&Value> {
    statistics
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|item| item.get("itemRestoreDetailsType").and_then(Value::as_str) == Some("BulkMailbox"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn john() -> MailboxIdentity {
        MailboxIdentity {
            id: "062fd52a-c781-4bac-a2a6-dce34f20bfe8".into(),
            email: Some("JSmith@x.test".into()),
            is_archive: false,
        }
    }

    fn entry(email: &str, created: u64, merged: u64, failed: u64, skipped: u64) -> Value {
        json!({"itemRestoreDetailsType": "BulkMailbox", "id": uuid_of(email), "mailboxEmail": email,
               "mailboxIsArchive": false, "createdMailboxItemsCount": created,
               "mergedMailboxItemsCount": merged, "failedMailboxItemsCount": failed,
               "skippedMailboxItemsCount": skipped})
    }

    fn uuid_of(email: &str) -> String {
        format!("00000000-0000-4000-8000-{:012}", email.len())
    }

    fn statistics(total: u64, restored: u64, failed: u64, skipped: u64, items: Vec<Value>) -> Value {
        json!({
            "totalItemsCount": total, "restoredItemsCount": restored, "failedItemsCount": failed,
            "skippedItemsCount": skipped, "items": items,
        })
    }

    #[test]
    fn the_difference_of_cumulative_statistics_is_the_last_restore() {
        let first = StatisticsCounts::read(&statistics(5, 3, 0, 2, vec![entry("jsmith@x.test", 2, 1, 0, 2)]), &john())
            .expect("first");
        let both =
            statistics(10, 3, 0, 7, vec![entry("jsmith@x.test", 2, 1, 0, 2), entry("jsmith@x.test", 0, 0, 0, 5)]);
        let second = StatisticsCounts::read(&both, &john()).expect("both").since(&first);
        assert_eq!((second.total, second.restored, second.skipped), (5, 0, 5));
        assert_eq!(second.mailbox, Some(Counts { created: 0, merged: 0, failed: 0, skipped: 5 }));
    }

    #[test]
    fn the_mailbox_is_picked_out_by_its_id_or_its_address_and_archive_flag() {
        let mut by_id = entry("someone-else@x.test", 1, 0, 0, 0);
        by_id["id"] = json!(john().id.to_uppercase());
        let mut archive = entry("jsmith@x.test", 7, 0, 0, 0);
        archive["mailboxIsArchive"] = json!(true);
        archive["id"] = json!("00000000-0000-4000-8000-00000000aaaa");
        let mut unflagged = entry("jsmith@x.test", 0, 2, 0, 0);
        unflagged.as_object_mut().expect("object").remove("mailboxIsArchive");
        let colleague = entry("colleague@x.test", 9, 9, 9, 9);
        let items = vec![colleague.clone(), by_id, archive, unflagged, entry("JSMITH@X.TEST", 0, 0, 1, 3)];
        let read = StatisticsCounts::read(&statistics(50, 40, 10, 12, items), &john()).expect("read");
        assert_eq!(read.mailbox, Some(Counts { created: 1, merged: 2, failed: 1, skipped: 3 }));
        assert_eq!(read.mailboxes, Some(Counts { created: 17, merged: 11, failed: 10, skipped: 12 }));
        let others = StatisticsCounts::read(&statistics(36, 18, 9, 9, vec![colleague]), &john()).expect("read");
        assert!(others.name_other_mailboxes_only());
        let archive_of_john = MailboxIdentity { is_archive: true, id: "another".into(), ..john() };
        let mut only_archive = entry("jsmith@x.test", 7, 0, 0, 0);
        only_archive["mailboxIsArchive"] = json!(true);
        let read = StatisticsCounts::read(&statistics(7, 7, 0, 0, vec![only_archive]), &archive_of_john);
        assert_eq!(read.expect("read").mailbox, Some(Counts { created: 7, ..Counts::default() }));
    }

    #[test]
    fn a_mailbox_entry_without_a_count_counts_it_as_zero_and_no_entries_means_no_details() {
        let read = StatisticsCounts::read(
            &json!({
                "totalItemsCount": 2, "restoredItemsCount": 2, "failedItemsCount": 0, "skippedItemsCount": 0,
                "items": [{"itemRestoreDetailsType": "BulkMailbox", "mailboxEmail": "jsmith@x.test", "createdMailboxItemsCount": 1}],
            }),
            &john(),
        )
        .expect("read");
        assert_eq!(read.mailbox, Some(Counts { created: 1, ..Counts::default() }));
        let without = StatisticsCounts::read(&statistics(2, 2, 0, 0, vec![]), &john()).expect("read");
        assert_eq!((without.mailboxes, without.mailbox, without.name_other_mailboxes_only()), (None, None, false));
        assert!(StatisticsCounts::read(&json!({"totalItemsCount": "2"}), &john()).is_none());
    }

    #[test]
    fn an_entry_of_another_mailbox_or_the_other_archive_is_not_the_mailboxs() {
        let archive = MailboxIdentity { is_archive: true, ..john() };
        let mut flagged = entry("jsmith@x.test", 1, 0, 0, 0);
        assert!(john().names(&flagged) && !archive.names(&flagged), "the flag tells mailbox and archive apart");
        flagged["mailboxIsArchive"] = json!(true);
        assert!(!john().names(&flagged) && archive.names(&flagged));
        let no_address = MailboxIdentity { email: Some(String::new()), ..MailboxIdentity::by_id("other") };
        assert!(!no_address.names(&json!({"mailboxEmail": ""})), "an empty address names no mailbox");
        assert!(!MailboxIdentity::by_id("other").names(&entry("jsmith@x.test", 1, 0, 0, 0)));
        assert_eq!(
            archive.describe(),
            "the In-Place Archive of JSmith@x.test (id 062fd52a-c781-4bac-a2a6-dce34f20bfe8)"
        );
        assert_eq!(MailboxIdentity::by_id("m-1").describe(), "id m-1");
        let folder = json!({"itemRestoreDetailsType": "Folder", "id": john().id});
        assert_eq!(bulk_mailboxes(&json!({"items": [folder, entry("a@x.test", 0, 0, 0, 0)]})).len(), 1);
    }

    #[test]
    fn statistics_add_up_a_restore_only_when_no_count_went_down_and_more_is_accounted_for() {
        let read = |counts: [u64; 4]| {
            let [total, restored, failed, skipped] = counts;
            StatisticsCounts::read(&statistics(total, restored, failed, skipped, vec![]), &john()).expect("read")
        };
        assert!(read([10, 3, 0, 7]).adds_up(&read([5, 3, 0, 2])));
        assert!(!read([5, 3, 0, 2]).adds_up(&read([5, 3, 0, 2])), "nothing more accounted for");
        assert!(!read([10, 2, 0, 8]).adds_up(&read([5, 3, 0, 2])), "restored went down");
        let fields = Counts { created: 1, merged: 2, failed: 3, skipped: 4 }.fields();
        assert_eq!(
            fields.map(|(key, id, n)| format!("{key} {id} {n}")),
            [
                "createdItemsCount COUNT-CREATED 1",
                "mergedItemsCount COUNT-MERGED 2",
                "failedItemsCount COUNT-FAILED 3",
                "skippedItemsCount COUNT-SKIPPED 4",
            ]
        );
    }

    #[test]
    fn huge_counts_never_overflow() {
        let max = u64::MAX;
        let read = StatisticsCounts::read(&statistics(max, max, max, max, vec![]), &john()).expect("read");
        assert_eq!(read.accounted(), 3 * u128::from(max));
        let two = vec![entry("jsmith@x.test", max, 0, 0, 0), entry("jsmith@x.test", 1, 0, 0, 0)];
        assert!(StatisticsCounts::read(&statistics(1, 1, 0, 0, two), &john()).is_none(), "a sum beyond 64 bits");
        let counts = Counts { created: max, merged: max, failed: max, skipped: max };
        assert_eq!((counts.written(), counts.total()), (2 * u128::from(max), 4 * u128::from(max)));
    }
}
