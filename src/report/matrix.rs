//! The sign-off's matrix, requirement by credential variant: its columns, what a cell says, and
//! which requirements a failed scenario counts against. A leaf: the sign-off, the baseline and the
//! expectations all read it.

use super::ScenarioOutcome;
use crate::contract::requirements;

/// The matrix's columns: the credential variants, then scenarios that use none.
pub const COLUMNS: [(Option<&str>, &str); 4] = [
    (Some("password"), "user name and password"),
    (Some("device-code"), "device code"),
    (Some("certificate"), "application certificate"),
    (None, "no credentials"),
];

/// What one cell of the matrix says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellState {
    Pass,
    /// A must scenario failed.
    Fail,
    /// A should scenario failed.
    Warn,
    Skip,
    /// The requirement needs control of the mailbox's state, which only the embedded double
    /// gives: a live run cannot check it.
    DoubleOnly,
    /// Its scenario failed on another requirement before reaching this one.
    NotReached,
    /// Its scenarios were filtered out of this run.
    NotRun,
    /// No scenario of this requirement uses this variant.
    NotCovered,
    /// It failed as VB365_EXPECTATIONS says it is known to on this server.
    Known,
}

impl CellState {
    /// From the worst to the best, as a requirement's cells are summed up: a failure over a
    /// warning over anything not checked over a pass.
    pub const WORST_FIRST: [CellState; 9] = [
        CellState::Fail,
        CellState::Warn,
        CellState::Known,
        CellState::NotReached,
        CellState::Skip,
        CellState::NotRun,
        CellState::DoubleOnly,
        CellState::Pass,
        CellState::NotCovered,
    ];

    /// The worst of `states` (not covered when there are none).
    pub fn worst(states: impl IntoIterator<Item = CellState>) -> CellState {
        let badness = |state: &CellState| CellState::WORST_FIRST.iter().position(|s| s == state);
        states.into_iter().min_by_key(badness).unwrap_or(CellState::NotCovered)
    }

    pub fn word(self) -> &'static str {
        match self {
            CellState::Pass => "pass",
            CellState::Fail => "FAIL",
            CellState::Warn => "warning",
            CellState::Skip => "skipped",
            CellState::DoubleOnly => "not on this server",
            CellState::NotReached => "not reached",
            CellState::NotRun => "not run",
            CellState::NotCovered => "—",
            CellState::Known => "known deviation",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            CellState::Pass => "pass",
            CellState::Fail => "fail",
            CellState::Warn => "warn",
            CellState::Skip => "skip",
            CellState::DoubleOnly => "na",
            CellState::NotReached => "skip",
            CellState::NotRun => "skip",
            CellState::NotCovered => "none",
            CellState::Known => "known",
        }
    }
}

/// The requirements a failed scenario broke, as its failure named them; when it failed on
/// something else (a transport error, a suite bug), all the scenario's own: a failure counts
/// against the requirement it broke, not against every requirement of its scenario.
pub fn failed_requirements(outcome: &ScenarioOutcome) -> Vec<String> {
    let named: Vec<String> =
        outcome.failed_requirements.iter().filter(|id| requirements::find(id).is_some()).cloned().collect();
    if named.is_empty() {
        outcome.tags.iter().filter(|t| requirements::find(t).is_some()).cloned().collect()
    } else {
        named
    }
}
