//! Why a run exits non-zero, one line per reason, for the console just before the closing line;
//! and the verdict's headline, which marks a run against the double as such.

use std::collections::BTreeSet;

use super::signoff::{SignOff, failed_requirements};
use crate::requirements::Level;

impl SignOff {
    /// The verdict as the reports and the console show it: against the embedded double, marked
    /// "(double)", since it is a verdict on the suite and its double, never on a server.
    pub fn headline(&self) -> String {
        if self.info.on_double { format!("{} (double)", self.verdict.title()) } else { self.verdict.title().to_owned() }
    }

    /// Every reason this run exits 1, one line each (`exit 1: ...`); none when it passes.
    /// `filters` names the filters given (`--tags @should`), empty when none.
    pub fn exit_reasons(&self, filters: &str) -> Vec<String> {
        if self.passes() {
            return Vec::new();
        }
        let strict = "strict run (VB365_STRICT=1)";
        if self.regression.comparison.is_some() {
            // Against a baseline only what is new fails the run.
            let mut reasons = self.regression.exit_reasons(self.info.strict);
            if self.must.checked == 0 {
                reasons.push("exit 1: no must requirement was checked".into());
            }
            if !self.info.parse_errors.is_empty() {
                reasons.push(format!("exit 1: {} feature files could not be parsed", self.info.parse_errors.len()));
            }
            if self.info.strict && !self.info.not_run.is_empty() {
                reasons.push(format!("exit 1: {strict} and {} scenarios were filtered out", self.info.not_run.len()));
            }
            return reasons;
        }
        let failed_ids = |level: Level| -> Vec<String> {
            let ids: BTreeSet<String> = self
                .failures
                .iter()
                .filter(|failure| failure.level() == level)
                .flat_map(failed_requirements)
                .filter(|id| crate::requirements::find(id).is_some_and(|r| r.level == level))
                .collect();
            ids.into_iter().collect()
        };
        let mut reasons = Vec::new();
        let must_failed = failed_ids(Level::Must);
        if self.failures.iter().any(|f| f.level() == Level::Must) {
            // A must scenario whose failures name no must requirement (a failure of a should
            // check on the way): the must requirements it checks, by its tags.
            let ids = if must_failed.is_empty() {
                let tagged: BTreeSet<&str> = self
                    .failures
                    .iter()
                    .filter(|failure| failure.level() == Level::Must)
                    .flat_map(|failure| failure.tags.iter())
                    .filter(|tag| crate::requirements::find(tag).is_some_and(|r| r.level == Level::Must))
                    .map(String::as_str)
                    .collect();
                format!("{} (the scenarios that check it failed)", tagged.into_iter().collect::<Vec<_>>().join(", "))
            } else {
                must_failed.join(", ")
            };
            reasons.push(format!("exit 1: a must requirement failed: {ids}"));
        }
        if !self.info.parse_errors.is_empty() {
            reasons.push(format!("exit 1: {} feature files could not be parsed", self.info.parse_errors.len()));
        }
        if self.must.checked == 0 {
            let why =
                if filters.is_empty() { "every must scenario was skipped".to_owned() } else { filters.to_owned() };
            reasons.push(format!("exit 1: no must requirement was checked ({why})"));
        }
        if self.info.strict {
            let skipped = &self.skipped;
            if !skipped.is_empty() {
                let why: BTreeSet<&str> = skipped.iter().filter_map(|o| o.message.as_deref()).collect();
                reasons.push(format!(
                    "exit 1: {strict} and {} scenarios were skipped: {}",
                    skipped.len(),
                    why.into_iter().collect::<Vec<_>>().join("; ")
                ));
            }
            let should_failed = failed_ids(Level::Should);
            if self.failures.iter().any(|f| f.level() == Level::Should) {
                reasons.push(format!("exit 1: {strict} and a should requirement failed: {}", should_failed.join(", ")));
            }
            if !self.info.not_run.is_empty() {
                let by = if filters.is_empty() { "--tags, --name or --input" } else { filters };
                reasons.push(format!(
                    "exit 1: {strict} and {} scenarios were filtered out ({by}), so requirements were not checked",
                    self.info.not_run.len()
                ));
            }
        }
        reasons.extend(self.regression.exit_reasons(self.info.strict));
        if reasons.is_empty() {
            let mode = if self.info.strict { strict } else { "run" };
            reasons.push(format!("exit 1: {mode} with verdict {}", self.verdict));
        }
        reasons
    }
}
