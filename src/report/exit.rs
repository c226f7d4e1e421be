//! Why a run exits non-zero, one line per reason, for the console just before the closing line;
//! and the verdict's headline, which marks a run against the double as such. Both read the
//! sign-off's one verdict: a run whose verdict passes states no reason.

use std::collections::BTreeSet;

use super::signoff::{CellState, SignOff, failed_requirements};
use crate::contract::requirements::{self, Level};

impl SignOff {
    /// The verdict as the reports and the console show it: against the embedded double, marked
    /// "(double)", since it is a verdict on the suite and its double, never on a server.
    pub fn headline(&self) -> String {
        if self.info.on_double { format!("{} (double)", self.verdict.title()) } else { self.verdict.title().to_owned() }
    }

    /// What rejects the run, one line each in the words of its `exit 1:` lines, without that
    /// prefix: the must requirements that failed (against a baseline: anew) and the feature
    /// files that could not be parsed. The console prints them as `exit 1:` lines and the
    /// sign-off's verdict names them ([`SignOff::meaning`]): one place for both.
    pub fn rejections(&self) -> Vec<String> {
        let mut rejections = match &self.regression.comparison {
            Some(_) => self.regression.rejections(),
            None => self.failed_line(Level::Must).into_iter().collect(),
        };
        if !self.info.parse_errors.is_empty() {
            rejections.push(format!("{} feature files could not be parsed", self.info.parse_errors.len()));
        }
        rejections
    }

    /// Every reason this run exits 1, one line each (`exit 1: ...`); none when it passes.
    /// `filters` names the filters given (`--tags @should`), empty when none.
    pub fn exit_reasons(&self, filters: &str) -> Vec<String> {
        if self.passes() {
            return Vec::new();
        }
        let strict = "strict run (VB365_STRICT=1)";
        let mut reasons: Vec<String> = self.rejections().iter().map(|line| format!("exit 1: {line}")).collect();
        if self.regression.comparison.is_some() {
            // Against a baseline only what is new fails the run.
            if self.info.strict {
                reasons.extend(self.regression.strict_reasons());
            }
            if self.must.checked == 0 {
                reasons.push("exit 1: no must requirement was checked".into());
            }
            if self.info.strict && !self.info.not_run.is_empty() {
                reasons.push(format!("exit 1: {strict} and {} scenarios were filtered out", self.info.not_run.len()));
            }
            return self.or_the_verdict(reasons);
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
            if let Some(line) = self.failed_line(Level::Should) {
                reasons.push(format!("exit 1: {strict} and {line}"));
            }
            if !self.info.not_run.is_empty() {
                let by = if filters.is_empty() { "--tags, --name or --input" } else { filters };
                reasons.push(format!(
                    "exit 1: {strict} and {} scenarios were filtered out ({by}), so requirements were not checked",
                    self.info.not_run.len()
                ));
            }
        }
        self.or_the_verdict(reasons)
    }

    /// `reasons`, or, should none apply, the verdict itself: a run that exits 1 always says why.
    fn or_the_verdict(&self, mut reasons: Vec<String>) -> Vec<String> {
        if reasons.is_empty() {
            let mode = if self.info.strict { "strict run (VB365_STRICT=1)" } else { "run" };
            reasons.push(format!("exit 1: {mode} with verdict {}", self.verdict));
        }
        reasons
    }

    /// What failed scenarios of `level` broke: the requirements their failures name
    /// (first-hand), and their own requirements those failures kept from being checked
    /// (consequences). `None` when no scenario of that level failed.
    fn failed_line(&self, level: Level) -> Option<String> {
        let failed: Vec<_> = self.failures.iter().filter(|f| f.level() == level).collect();
        if failed.is_empty() {
            return None;
        }
        let first_hand: BTreeSet<String> = failed.iter().flat_map(|f| failed_requirements(f)).collect();
        let named_anywhere: BTreeSet<String> = self.failures.iter().flat_map(failed_requirements).collect();
        let of_level = |id: &String| requirements::find(id).is_some_and(|r| r.level == level);
        // Requirements of that level a failure kept from being checked somewhere (a cell "not
        // reached"), which no failure names itself.
        let consequences: BTreeSet<&String> = self
            .rows
            .iter()
            .filter(|row| row.requirement.level == level && !named_anywhere.contains(&row.requirement.id))
            .filter(|row| row.cells.iter().any(|cell| cell.state == CellState::NotReached))
            .map(|row| &row.requirement.id)
            .collect();
        let own: Vec<&str> = first_hand.iter().filter(|id| of_level(id)).map(String::as_str).collect();
        let other: Vec<&str> = first_hand.iter().filter(|id| !of_level(id)).map(String::as_str).collect();
        let mut line = match (own.is_empty(), level) {
            (false, Level::Must) => format!("a must requirement failed: {}", own.join(", ")),
            (false, _) => format!("a should requirement failed: {}", own.join(", ")),
            (true, _) => format!("{} scenarios failed on {}", level.tag(), other.join(", ")),
        };
        if !own.is_empty() && !other.is_empty() {
            line.push_str(&format!(" (and {} scenarios on {})", level.tag(), other.join(", ")));
        }
        if !consequences.is_empty() {
            let ids: Vec<&str> = consequences.into_iter().map(String::as_str).collect();
            line.push_str(&format!("; not reached as a consequence: {}", ids.join(", ")));
        }
        Some(line)
    }
}
