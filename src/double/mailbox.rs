//! A mailbox as the double models it: the items of its backup and the items of the original
//! mailbox on the Exchange server. The restore counts are computed from the two, as the vendor
//! page defines them, and a restore writes the original, so a second restore finds it unchanged.

use std::collections::{BTreeMap, BTreeSet};

use crate::contract::counts::Counts;

/// An item's identity within a mailbox.
pub type ItemId = u32;
/// An item's content version: a changed item has another version than its backup.
pub type Version = u32;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    pub id: String,
    pub name: String,
    pub email: String,
    /// Backed-up items and their versions.
    pub backup: BTreeMap<ItemId, Version>,
    /// The original mailbox's items and their versions.
    pub original: BTreeMap<ItemId, Version>,
    /// Items the original mailbox refuses to have written.
    pub unwritable: BTreeSet<ItemId>,
}

/// How a mailbox's original stands against its backup. As JSON (the control route):
/// `{"missing": 3, "changed": 2, "unchanged": 5, "unwritableMissing": 1}`, absent members 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Drift {
    /// Backed-up items missing from the original mailbox.
    pub missing: u32,
    /// Backed-up items changed in the original mailbox since the backup.
    pub changed: u32,
    /// Backed-up items the original mailbox holds as they were backed up.
    pub unchanged: u32,
    /// How many of the missing items the original mailbox refuses to have written.
    pub unwritable_missing: u32,
}

impl Mailbox {
    pub fn new(id: &str, name: &str, email: &str, drift: Drift) -> Self {
        let mut mailbox = Mailbox {
            id: id.to_owned(),
            name: name.to_owned(),
            email: email.to_owned(),
            backup: BTreeMap::new(),
            original: BTreeMap::new(),
            unwritable: BTreeSet::new(),
        };
        mailbox.set_drift(drift);
        mailbox
    }

    /// Replaces the items with a backup of `missing + changed + unchanged` items and an original
    /// that differs from it as `drift` says.
    pub fn set_drift(&mut self, drift: Drift) {
        self.backup.clear();
        self.original.clear();
        self.unwritable.clear();
        let mut next_id = 0..;
        let mut items = |count: u32| (0..count).map(|_| next_id.next().unwrap_or_default()).collect::<Vec<ItemId>>();
        for (index, id) in items(drift.missing).into_iter().enumerate() {
            self.backup.insert(id, 1);
            if (index as u32) < drift.unwritable_missing {
                self.unwritable.insert(id);
            }
        }
        for id in items(drift.changed) {
            self.backup.insert(id, 1);
            self.original.insert(id, 2);
        }
        for id in items(drift.unchanged) {
            self.backup.insert(id, 1);
            self.original.insert(id, 1);
        }
    }

    /// How the original stands against the backup now (after restores, every written item is
    /// unchanged).
    pub fn drift(&self) -> Drift {
        let mut drift = Drift::default();
        for (id, version) in &self.backup {
            match self.original.get(id) {
                None => {
                    drift.missing += 1;
                    drift.unwritable_missing += u32::from(self.unwritable.contains(id));
                }
                Some(current) if current == version => drift.unchanged += 1,
                Some(_) => drift.changed += 1,
            }
        }
        drift
    }

    /// Restores the backup to the original mailbox and counts what happened to each item.
    pub fn restore(&mut self) -> Counts {
        let mut counts = Counts::default();
        for (&id, &version) in &self.backup {
            match self.original.get(&id) {
                Some(&current) if current == version => counts.skipped += 1,
                _ if self.unwritable.contains(&id) => counts.failed += 1,
                Some(_) => {
                    counts.merged += 1;
                    self.original.insert(id, version);
                }
                None => {
                    counts.created += 1;
                    self.original.insert(id, version);
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox(drift: Drift) -> Mailbox {
        Mailbox::new("id", "name", "e@mail", drift)
    }

    #[test]
    fn counts_follow_the_page_definitions() {
        let mut m = mailbox(Drift { missing: 3, changed: 2, unchanged: 5, unwritable_missing: 1 });
        assert_eq!(m.restore(), Counts { created: 2, merged: 2, failed: 1, skipped: 5 });
    }

    #[test]
    fn a_second_restore_creates_and_merges_nothing() {
        let mut m = mailbox(Drift { missing: 3, changed: 2, unchanged: 5, unwritable_missing: 1 });
        m.restore();
        assert_eq!(m.restore(), Counts { created: 0, merged: 0, failed: 1, skipped: 9 });
    }

    #[test]
    fn drift_reads_back_what_was_set_and_what_a_restore_left() {
        let drift = Drift { missing: 3, changed: 2, unchanged: 5, unwritable_missing: 1 };
        let mut m = mailbox(drift);
        assert_eq!(m.drift(), drift);
        m.restore();
        assert_eq!(m.drift(), Drift { missing: 1, changed: 0, unchanged: 9, unwritable_missing: 1 });
    }
}
