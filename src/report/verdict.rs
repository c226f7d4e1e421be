//! The one verdict of a run, computed once from what the run found and the run's policy (strict,
//! known deviations and their dates, a baseline). The sign-off's heading, results.json, JUnit,
//! the console and the exit status all read this value: a word that starts with ACCEPTED exits
//! 0, and no other word does.

use std::fmt;

/// The answer of a run, as every report and the exit status give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every requirement was checked and passed; nothing was skipped.
    Accepted,
    /// Every must requirement passed; a should requirement failed (never in a strict run).
    AcceptedWithWarnings,
    /// Nothing rejects the server but deviations VB365_EXPECTATIONS accepts on purpose.
    AcceptedWithKnownDeviations,
    /// Compared with a baseline, nothing new fails; failures the baseline had remain.
    AcceptedWithBaselineFailures,
    /// Nothing failed, but scenarios were skipped or filtered out, or requirements not checked
    /// (never in a strict run).
    AcceptedAsFarAsChecked,
    /// A strict run (acceptance sign-off) with warnings, skips or unchecked requirements.
    NotAcceptedStrict(Shortfall),
    /// No must requirement was checked at all: nothing to accept.
    Incomplete,
    /// A must requirement failed (or the feature files could not be read).
    Rejected,
    /// A setup problem found after scenarios had run (the server refused the configured
    /// credentials): no verdict on the server.
    Stopped,
    /// The run could not start: a bad argument or setting, a setup problem, no scenario matched.
    NotRun,
    /// Ctrl-C or SIGTERM.
    Interrupted(Signal),
}

/// What keeps a strict run from being accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortfall {
    Warnings,
    Incomplete,
    WarningsAndIncomplete,
}

/// The signal that interrupted a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    CtrlC,
    Terminate,
}

impl Verdict {
    /// Every value a verdict can take, for the README's table and the tests that hold it to it.
    pub const ALL: [Verdict; 14] = [
        Verdict::Accepted,
        Verdict::AcceptedWithWarnings,
        Verdict::AcceptedWithKnownDeviations,
        Verdict::AcceptedWithBaselineFailures,
        Verdict::AcceptedAsFarAsChecked,
        Verdict::NotAcceptedStrict(Shortfall::Warnings),
        Verdict::NotAcceptedStrict(Shortfall::Incomplete),
        Verdict::NotAcceptedStrict(Shortfall::WarningsAndIncomplete),
        Verdict::Incomplete,
        Verdict::Rejected,
        Verdict::Stopped,
        Verdict::NotRun,
        Verdict::Interrupted(Signal::CtrlC),
        Verdict::Interrupted(Signal::Terminate),
    ];

    /// The word every report and the console show.
    pub fn title(self) -> &'static str {
        match self {
            Verdict::Accepted => "ACCEPTED",
            Verdict::AcceptedWithWarnings => "ACCEPTED WITH WARNINGS",
            Verdict::AcceptedWithKnownDeviations => "ACCEPTED WITH KNOWN DEVIATIONS",
            Verdict::AcceptedWithBaselineFailures => "ACCEPTED WITH BASELINE FAILURES",
            Verdict::AcceptedAsFarAsChecked => "ACCEPTED AS FAR AS CHECKED",
            Verdict::NotAcceptedStrict(Shortfall::Warnings) => "NOT ACCEPTED (STRICT: WARNINGS)",
            Verdict::NotAcceptedStrict(Shortfall::Incomplete) => "NOT ACCEPTED (STRICT: INCOMPLETE)",
            Verdict::NotAcceptedStrict(Shortfall::WarningsAndIncomplete) => {
                "NOT ACCEPTED (STRICT: WARNINGS, INCOMPLETE)"
            }
            Verdict::Incomplete => "INCOMPLETE",
            Verdict::Rejected => "REJECTED",
            Verdict::Stopped => "STOPPED",
            Verdict::NotRun => "NOT RUN",
            Verdict::Interrupted(_) => "INTERRUPTED",
        }
    }

    /// The verdict a report names by `word` (results.json's `verdict`); INTERRUPTED reads as
    /// Ctrl-C, since the word does not say which signal.
    pub fn from_title(word: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|verdict| verdict.title() == word)
    }

    /// The run's exit status: 0 exactly for the words that start with ACCEPTED.
    pub fn exit_status(self) -> u8 {
        match self {
            Verdict::Accepted
            | Verdict::AcceptedWithWarnings
            | Verdict::AcceptedWithKnownDeviations
            | Verdict::AcceptedWithBaselineFailures
            | Verdict::AcceptedAsFarAsChecked => 0,
            Verdict::NotAcceptedStrict(_) | Verdict::Incomplete | Verdict::Rejected => 1,
            Verdict::Stopped | Verdict::NotRun => 2,
            Verdict::Interrupted(Signal::CtrlC) => 130,
            Verdict::Interrupted(Signal::Terminate) => 143,
        }
    }

    /// The verdict of a server checked in several API versions, from each version's: the worst of
    /// them (ACCEPTED only when every version is), strict shortfalls put together.
    pub fn of_versions(verdicts: &[Verdict]) -> Verdict {
        let rank = |verdict: &Verdict| match verdict {
            Verdict::Accepted => 0,
            Verdict::AcceptedWithWarnings => 1,
            Verdict::AcceptedWithKnownDeviations => 2,
            Verdict::AcceptedWithBaselineFailures => 3,
            Verdict::AcceptedAsFarAsChecked => 4,
            Verdict::NotAcceptedStrict(_) => 5,
            Verdict::Incomplete => 6,
            Verdict::Rejected => 7,
            Verdict::Stopped => 8,
            Verdict::NotRun => 9,
            Verdict::Interrupted(_) => 10,
        };
        let Some(worst) = verdicts.iter().copied().max_by_key(rank) else { return Verdict::NotRun };
        if let Verdict::NotAcceptedStrict(_) = worst {
            let short = |of: Shortfall| {
                verdicts.iter().any(|v| matches!(v, Verdict::NotAcceptedStrict(s) if *s == of || *s == Shortfall::WarningsAndIncomplete))
            };
            return Verdict::NotAcceptedStrict(match (short(Shortfall::Warnings), short(Shortfall::Incomplete)) {
                (true, true) => Shortfall::WarningsAndIncomplete,
                (true, false) => Shortfall::Warnings,
                _ => Shortfall::Incomplete,
            });
        }
        worst
    }

    /// Whether the run exits 0.
    pub fn passes(self) -> bool {
        self.exit_status() == 0
    }

    /// Whether the run ended without judging the server (it could not start, was stopped or
    /// interrupted): its reports say why instead.
    pub fn unfinished(self) -> bool {
        matches!(self, Verdict::Stopped | Verdict::NotRun | Verdict::Interrupted(_))
    }

    /// What the word means, in one sentence without its full stop.
    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Accepted => "Every requirement was checked and passed; nothing was skipped",
            Verdict::AcceptedWithWarnings => {
                "Every must requirement passed; a should requirement (OpenAPI or real-server behaviour) failed"
            }
            Verdict::AcceptedWithKnownDeviations => {
                "Nothing rejects the server but the deviations VB365_EXPECTATIONS lists as known on it, each accepted on purpose"
            }
            Verdict::AcceptedWithBaselineFailures => {
                "Nothing fails that did not fail in the baseline; the failures the baseline had remain"
            }
            Verdict::AcceptedAsFarAsChecked => {
                "Nothing failed that rejects the server, but scenarios were skipped or requirements were not checked"
            }
            Verdict::NotAcceptedStrict(Shortfall::Warnings) => {
                "Every must requirement passed, but a should requirement failed, which a strict run (VB365_STRICT=1) does not accept"
            }
            Verdict::NotAcceptedStrict(Shortfall::Incomplete) => {
                "Nothing failed, but scenarios were skipped or requirements were not checked, which a strict run (VB365_STRICT=1) does not accept"
            }
            Verdict::NotAcceptedStrict(Shortfall::WarningsAndIncomplete) => {
                "Every must requirement passed, but a should requirement failed and scenarios were skipped or requirements were not checked, which a strict run (VB365_STRICT=1) does not accept"
            }
            Verdict::Incomplete => "No must requirement was checked: there is nothing to accept",
            Verdict::Rejected => "A must requirement of the vendor page failed",
            Verdict::Stopped => {
                "The run stopped on a setup problem found after scenarios had run. This is no verdict on the server"
            }
            Verdict::NotRun => "The run could not start: no requirement was checked. This is no verdict on the server",
            Verdict::Interrupted(_) => "The run was interrupted before it ended. This is no verdict on the server",
        }
    }

    /// The verdict of a run that judged the server, from what it found.
    pub fn judge(found: &Findings) -> Verdict {
        if found.unreadable {
            return Verdict::Rejected;
        }
        let incomplete = found.skipped || found.filtered || found.unchecked;
        let (rejected, warnings, shortfall_incomplete) = match &found.baseline {
            // Against a baseline only what is new fails the run.
            Some(news) => (news.must_failures, news.should_failures, news.skips || found.filtered),
            None => (found.must_failed, found.should_failed, incomplete),
        };
        if rejected {
            return Verdict::Rejected;
        }
        if !found.must_checked {
            return Verdict::Incomplete;
        }
        if found.strict {
            let shortfall = match (warnings, shortfall_incomplete) {
                (true, true) => Some(Shortfall::WarningsAndIncomplete),
                (true, false) => Some(Shortfall::Warnings),
                (false, true) => Some(Shortfall::Incomplete),
                (false, false) => None,
            };
            if let Some(shortfall) = shortfall {
                return Verdict::NotAcceptedStrict(shortfall);
            }
        }
        let old_failures = found.must_failed || (found.strict && found.should_failed);
        if found.baseline.is_some() && old_failures {
            Verdict::AcceptedWithBaselineFailures
        } else if incomplete {
            Verdict::AcceptedAsFarAsChecked
        } else if found.known_deviations {
            Verdict::AcceptedWithKnownDeviations
        } else if found.should_failed {
            Verdict::AcceptedWithWarnings
        } else {
            Verdict::Accepted
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// What a finished run found, as the verdict weighs it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    /// VB365_STRICT=1: warnings and skips fail the run.
    pub strict: bool,
    /// A must scenario failed (a known deviation is not a failure; an expired one is).
    pub must_failed: bool,
    pub should_failed: bool,
    pub known_deviations: bool,
    pub skipped: bool,
    /// Scenarios the filters (--tags, --name, --input) left out.
    pub filtered: bool,
    /// Requirements no scenario checked (beyond those a live server cannot check).
    pub unchecked: bool,
    /// At least one must requirement was checked.
    pub must_checked: bool,
    /// Feature files could not be read, or no scenario ended.
    pub unreadable: bool,
    /// Compared with a baseline: what is new since.
    pub baseline: Option<News>,
}

/// What a run has that its baseline did not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct News {
    pub must_failures: bool,
    pub should_failures: bool,
    pub skips: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_starts_with_accepted_exactly_when_the_run_exits_0() {
        for verdict in Verdict::ALL {
            assert_eq!(verdict.title().starts_with("ACCEPTED"), verdict.exit_status() == 0, "{verdict:?}");
        }
    }

    #[test]
    fn a_server_checked_in_several_versions_is_accepted_only_when_every_version_is() {
        use Verdict::*;
        assert_eq!(Verdict::of_versions(&[Accepted, Accepted, Accepted]), Accepted);
        assert_eq!(Verdict::of_versions(&[Accepted, AcceptedWithWarnings]), AcceptedWithWarnings);
        assert_eq!(Verdict::of_versions(&[Accepted, Rejected, AcceptedAsFarAsChecked]), Rejected);
        assert_eq!(Verdict::of_versions(&[Rejected, Stopped]), Stopped);
        let (warned, incomplete) = (NotAcceptedStrict(Shortfall::Warnings), NotAcceptedStrict(Shortfall::Incomplete));
        assert_eq!(
            Verdict::of_versions(&[warned, Accepted, incomplete]),
            NotAcceptedStrict(Shortfall::WarningsAndIncomplete)
        );
        assert_eq!(Verdict::of_versions(&[warned, Accepted]), warned);
        assert_eq!(Verdict::of_versions(&[]), NotRun);
        for pair in Verdict::ALL.iter().flat_map(|a| Verdict::ALL.iter().map(move |b| [*a, *b])) {
            let both = Verdict::of_versions(&pair);
            assert_eq!(both.passes(), pair.iter().all(|v| v.passes()), "{pair:?} -> {both:?}");
        }
    }

    fn passing() -> Findings {
        Findings { must_checked: true, ..Findings::default() }
    }

    #[test]
    fn every_word_reads_back_as_its_verdict() {
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::from_title(verdict.title()).map(Verdict::title), Some(verdict.title()));
        }
        assert_eq!(Verdict::from_title("accepted"), None);
    }

    #[test]
    fn a_strict_run_with_warnings_or_skips_is_not_accepted() {
        let warned = Findings { should_failed: true, ..passing() };
        assert_eq!(Verdict::judge(&warned), Verdict::AcceptedWithWarnings);
        let strict = Findings { strict: true, ..warned };
        assert_eq!(Verdict::judge(&strict), Verdict::NotAcceptedStrict(Shortfall::Warnings));
        let skipped = Findings { strict: true, skipped: true, ..strict };
        assert_eq!(Verdict::judge(&skipped), Verdict::NotAcceptedStrict(Shortfall::WarningsAndIncomplete));
        assert_eq!(Verdict::judge(&Findings { skipped: true, ..passing() }), Verdict::AcceptedAsFarAsChecked);
        let known = Findings { strict: true, known_deviations: true, ..passing() };
        assert_eq!(Verdict::judge(&known), Verdict::AcceptedWithKnownDeviations);
    }

    #[test]
    fn a_must_failure_rejects_and_no_must_requirement_checked_is_incomplete() {
        let failed = Findings { must_failed: true, ..passing() };
        assert_eq!(Verdict::judge(&failed), Verdict::Rejected);
        assert_eq!(Verdict::judge(&Findings { skipped: true, ..Findings::default() }), Verdict::Incomplete);
        assert_eq!(Verdict::judge(&Findings { unreadable: true, ..passing() }), Verdict::Rejected);
    }

    #[test]
    fn against_a_baseline_only_what_is_new_fails_the_run() {
        let old = Findings { must_failed: true, baseline: Some(News::default()), ..passing() };
        assert_eq!(Verdict::judge(&old), Verdict::AcceptedWithBaselineFailures);
        let new = Findings { baseline: Some(News { must_failures: true, ..News::default() }), ..old };
        assert_eq!(Verdict::judge(&new), Verdict::Rejected);
        let strict = Findings { strict: true, baseline: Some(News { skips: true, ..News::default() }), ..old };
        assert_eq!(Verdict::judge(&strict), Verdict::NotAcceptedStrict(Shortfall::Incomplete));
        let clean = Findings { baseline: Some(News::default()), ..passing() };
        assert_eq!(Verdict::judge(&clean), Verdict::Accepted);
    }
}
