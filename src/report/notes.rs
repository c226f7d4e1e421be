//! What the sign-off says under its verdict, so that the verdict is not misread: what the
//! failures under an accepted verdict are, what a verdict against the double is worth, which
//! requirements a live run cannot check (named once, with why), and the exit status.

use super::signoff::{CellState, NOT_CHECKED_LIVE, SignOff};
use super::verdict::Verdict;
use crate::contract::requirements::Requirement;
use crate::contract::version::ApiVersion;

impl SignOff {
    /// What the verdict means for this run, in one sentence without its full stop: against a
    /// live server, an accepted verdict covers the requirements a live server allows to check; a
    /// rejected one names what rejected it, in the words of the console's `exit 1:` lines.
    pub fn meaning(&self) -> String {
        meaning(self.verdict, !self.not_checked_here().is_empty(), &self.rejections())
    }

    /// What the verdict of a server checked in several API versions (`versions`, each with its
    /// sign-off) means, in the words of one version's ([`SignOff::meaning`]): then the versions not
    /// accepted, a rejected one with what rejected it, and the requirements a live server does
    /// not allow to check, named.
    pub fn meaning_of_versions(verdict: Verdict, versions: &[(ApiVersion, &SignOff)]) -> String {
        let mut not_checked: Vec<&str> = Vec::new();
        for requirement in versions.iter().flat_map(|(_, signoff)| signoff.not_checked_here()) {
            if !not_checked.contains(&requirement.id.as_str()) {
                not_checked.push(&requirement.id);
            }
        }
        let mut meaning = meaning(verdict, !not_checked.is_empty(), &[]);
        let failing: Vec<String> = versions
            .iter()
            .filter(|(_, signoff)| !signoff.passes())
            .map(|(version, signoff)| match signoff.rejections() {
                rejections if signoff.verdict == Verdict::Rejected && !rejections.is_empty() => {
                    format!("{version} ({}: {})", signoff.verdict.title(), rejections.join("; "))
                }
                _ => format!("{version} ({})", signoff.verdict.title()),
            })
            .collect();
        if !failing.is_empty() {
            meaning.push_str(&format!("; not accepted in {}", failing.join(", ")));
        }
        if let Some(words) = not_checked_words(&not_checked) {
            meaning.push_str(&format!(". {words}"));
        }
        meaning
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
        not_checked_words(&ids).map(|words| format!("{words}."))
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

/// What `verdict` means, in one sentence without its full stop, for one API version or a whole
/// server: accepted against a live server (`live_unchecked`: requirements a live server does not
/// allow to check), it covers the others; rejected, it says what rejected it (`rejections`, the
/// words of the `exit 1:` lines), when known.
fn meaning(verdict: Verdict, live_unchecked: bool, rejections: &[String]) -> String {
    match verdict {
        Verdict::Accepted if live_unchecked => {
            "Every requirement a live server allows to check was checked and passed; nothing was skipped".into()
        }
        Verdict::Rejected if !rejections.is_empty() => {
            let said = rejections.join("; ");
            let mut letters = said.chars();
            letters.next().map(|first| first.to_uppercase().chain(letters).collect()).unwrap_or(said)
        }
        verdict => verdict.meaning().to_owned(),
    }
}

/// The requirements a live run cannot check (`ids`), named, and why, without the full stop.
fn not_checked_words(ids: &[&str]) -> Option<String> {
    (!ids.is_empty()).then(|| {
        format!(
            "Not checked on this server ({} requirements): {}. Each {NOT_CHECKED_LIVE}; the verdict covers the other requirements",
            ids.len(),
            ids.join(", ")
        )
    })
}
