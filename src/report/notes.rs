//! What the sign-off says under its verdict, so that the verdict is not misread: what the
//! failures under an accepted verdict are, what a verdict against the double is worth, which
//! requirements a live run cannot check (named once, with why), and the exit status.

use super::signoff::{CellState, NOT_CHECKED_LIVE, SignOff};
use super::verdict::Verdict;
use crate::contract::requirements::Requirement;

impl SignOff {
    /// What the verdict means for this run: against a live server, an accepted verdict covers
    /// the requirements a live server allows to check.
    pub fn meaning(&self) -> String {
        match self.verdict {
            Verdict::Accepted if !self.not_checked_here().is_empty() => {
                "Every requirement a live server allows to check was checked and passed; nothing was skipped".into()
            }
            verdict => verdict.meaning().to_owned(),
        }
    }

    /// The requirements a live run cannot check (none against the double): no scenario of
    /// theirs ran, and some were left out because they need the double.
    pub fn not_checked_here(&self) -> Vec<&'static Requirement> {
        self.rows
            .iter()
            .filter(|row| {
                let ran = row
                    .cells
                    .iter()
                    .any(|c| matches!(c.state, CellState::Pass | CellState::Fail | CellState::Warn | CellState::Known));
                !ran && row.cells.iter().any(|c| c.state == CellState::DoubleOnly)
            })
            .map(|row| row.requirement)
            .collect()
    }

    /// The one sentence that names the requirements a live run cannot check, and why.
    pub fn not_checked_sentence(&self) -> Option<String> {
        let ids: Vec<&str> = self.not_checked_here().iter().map(|r| r.id.as_str()).collect();
        (!ids.is_empty()).then(|| {
            format!(
                "Not checked on this server ({} requirements): {}. Each {NOT_CHECKED_LIVE}; the verdict covers the other requirements.",
                ids.len(),
                ids.join(", ")
            )
        })
    }

    /// The restores the run made, in words.
    pub fn restores_made(&self) -> String {
        let what = if self.info.on_double { "against the double" } else { "real restores of the mailbox" };
        format!("{} ({what}; restore requests answered with a success status)", self.info.restores_made)
    }

    /// Sentences under the verdict: what the failures under an accepted verdict are, what a
    /// verdict against the double is worth, and the run's exit status.
    pub fn verdict_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let failed = self.tally.failed;
        match self.verdict {
            Verdict::AcceptedWithWarnings => notes
                .push(format!("The {failed} failed scenarios check should requirements: warnings, not rejections.")),
            Verdict::AcceptedWithBaselineFailures => notes.push(format!(
                "The {failed} failed scenarios failed in the baseline too: nothing fails that did not fail then."
            )),
            Verdict::AcceptedAsFarAsChecked | Verdict::NotAcceptedStrict(_) if !self.skipped.is_empty() => {
                notes.push(format!("{} scenarios were skipped; why is said below the matrix.", self.skipped.len()))
            }
            _ => {}
        }
        if self.info.on_double {
            notes.push(
                "Target: the embedded double. This verdict is on the suite and its double, not on a real server."
                    .into(),
            );
        }
        let mode = if self.info.strict { "strict run (VB365_STRICT=1)" } else { "run" };
        notes.push(format!(
            "This {mode} {}: exit status {}.",
            if self.passes() { "PASSED" } else { "FAILED" },
            self.verdict.exit_status()
        ));
        notes
    }
}
