//! The acceptance sign-off: which documented requirement was checked, how, against what, and
//! with what result; one overall verdict. Rendered as Markdown and as one self-contained HTML
//! page after every run.

use std::fmt;

use super::{ScenarioOutcome, Status, Tally};
use crate::requirements::{self, Level, Requirement};
use crate::version::ApiVersion;

/// The one-word answer of a sign-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every must requirement was checked and passed, every should passed, nothing was skipped.
    Accepted,
    /// As accepted, but a should requirement failed.
    AcceptedWithWarnings,
    /// Nothing failed that rejects the server, but something was skipped or a requirement
    /// was not checked.
    Incomplete,
    /// A must requirement failed (or the features could not be read).
    Rejected,
    /// As accepted, but failures that VB365_EXPECTATIONS lists as known on this server.
    AcceptedWithKnownDeviations,
}

impl Verdict {
    pub fn title(self) -> &'static str {
        match self {
            Verdict::Accepted => "ACCEPTED",
            Verdict::AcceptedWithWarnings => "ACCEPTED WITH WARNINGS",
            Verdict::Incomplete => "INCOMPLETE",
            Verdict::Rejected => "REJECTED",
            Verdict::AcceptedWithKnownDeviations => "ACCEPTED WITH KNOWN DEVIATIONS",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Accepted => "Every requirement was checked and passed; nothing was skipped",
            Verdict::AcceptedWithWarnings => {
                "Every must requirement passed; a should requirement (OpenAPI or real-server behaviour) failed"
            }
            Verdict::Incomplete => {
                "Nothing rejects the server, but scenarios were skipped or requirements were not checked"
            }
            Verdict::Rejected => "A must requirement of the vendor page failed",
            Verdict::AcceptedWithKnownDeviations => {
                "Nothing rejects the server but the deviations VB365_EXPECTATIONS lists as known on it, each accepted on purpose"
            }
        }
    }

    /// Whether the run exits 0: only a rejection fails a run, unless strict (acceptance
    /// sign-off), where anything short of ACCEPTED does.
    pub fn passes(self, strict: bool) -> bool {
        match self {
            Verdict::Accepted | Verdict::AcceptedWithKnownDeviations => true,
            Verdict::AcceptedWithWarnings | Verdict::Incomplete => !strict,
            Verdict::Rejected => false,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

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
    /// The requirement needs control of the mailbox: checked against the double only.
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
    pub fn word(self) -> &'static str {
        match self {
            CellState::Pass => "pass",
            CellState::Fail => "FAIL",
            CellState::Warn => "warning",
            CellState::Skip => "skipped",
            CellState::DoubleOnly => "double only",
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

#[derive(Clone, Debug)]
pub struct Cell {
    pub state: CellState,
    /// Why it was skipped or is double only.
    pub reason: Option<String>,
    /// The number (1-based) of the first failure behind a FAIL or warning cell.
    pub failure: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Row {
    pub requirement: &'static Requirement,
    pub cells: Vec<Cell>,
}

/// The run the sign-off is about.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// One line naming the target (never with credentials).
    pub target: String,
    pub date: String,
    pub suite_version: String,
    pub git_revision: String,
    /// The settings used, by name; never a secret value.
    pub settings: Vec<(String, String)>,
    pub strict: bool,
    /// The API version checked: the sign-off covers the requirements that apply to it.
    pub version: ApiVersion,
    /// Scenarios not run because they apply to the double only (live runs).
    pub double_only: Vec<ScenarioOutcome>,
    /// Scenarios the filters (--tags, --name, --input) left out.
    pub not_run: Vec<ScenarioOutcome>,
    /// Whether the target was the embedded double (a verdict on the suite, not on a server).
    pub on_double: bool,
    pub parse_errors: Vec<String>,
    /// Restore requests answered with a success status: on a live server, real restores.
    pub restores_made: usize,
    /// The entries of exchanges.har each scenario's restores made, by the scenario's location.
    pub evidence: std::collections::BTreeMap<String, Vec<usize>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coverage {
    pub checked: usize,
    pub total: usize,
    /// Requirements only the double can check, left out of a live run.
    pub double_only: usize,
}

#[derive(Clone, Debug)]
pub struct SignOff {
    pub info: RunInfo,
    pub verdict: Verdict,
    pub rows: Vec<Row>,
    /// Failed scenarios, numbered from 1 in this order.
    pub failures: Vec<ScenarioOutcome>,
    /// Skipped scenarios, with their reasons.
    pub skipped: Vec<ScenarioOutcome>,
    pub must: Coverage,
    pub should: Coverage,
    pub tally: Tally,
    /// Failed scenarios VB365_EXPECTATIONS lists as known deviations.
    pub known: Vec<ScenarioOutcome>,
    /// The baseline comparison and the expectations, when given.
    pub regression: super::regression::Regression,
}

impl SignOff {
    pub fn new(info: RunInfo, outcomes: &[ScenarioOutcome]) -> SignOff {
        let failures: Vec<ScenarioOutcome> = outcomes.iter().filter(|o| o.status == Status::Failed).cloned().collect();
        let failure_number = |outcome: &ScenarioOutcome| {
            failures.iter().position(|f| f.location == outcome.location).map(|index| index + 1)
        };
        let rows: Vec<Row> = requirements::all()
            .iter()
            .filter(|requirement| requirement.applies_to(info.version))
            .map(|requirement| {
                let cells = COLUMNS
                    .iter()
                    .map(|(variant, _)| {
                        let in_cell = |o: &&ScenarioOutcome| o.tags.contains(&requirement.id) && in_column(o, *variant);
                        let ran: Vec<&ScenarioOutcome> = outcomes.iter().filter(in_cell).collect();
                        let double_only: Vec<&ScenarioOutcome> = info.double_only.iter().filter(in_cell).collect();
                        let not_run = info.not_run.iter().any(|o| in_cell(&o));
                        cell(&requirement.id, requirement.level, &ran, &double_only, not_run, failure_number)
                    })
                    .collect();
                Row { requirement, cells }
            })
            .collect();
        let coverage = |level: Level| {
            let of_level: Vec<&Row> = rows.iter().filter(|r| r.requirement.level == level).collect();
            let ran = |row: &&&Row| {
                row.cells
                    .iter()
                    .any(|c| matches!(c.state, CellState::Pass | CellState::Fail | CellState::Warn | CellState::Known))
            };
            let only_double = |row: &&&Row| !ran(row) && row.cells.iter().any(|c| c.state == CellState::DoubleOnly);
            Coverage {
                checked: of_level.iter().filter(ran).count(),
                total: of_level.len(),
                double_only: of_level.iter().filter(only_double).count(),
            }
        };
        let (must, should) = (coverage(Level::Must), coverage(Level::Should));
        let failed = |level: Level| failures.iter().any(|f| f.level() == level);
        let verdict = if failed(Level::Must) || !info.parse_errors.is_empty() || outcomes.is_empty() {
            Verdict::Rejected
        } else if outcomes.iter().any(|o| o.status == Status::Skipped)
            || must.checked + must.double_only < must.total
            || should.checked + should.double_only < should.total
        {
            Verdict::Incomplete
        } else if outcomes.iter().any(|o| o.status == Status::KnownDeviation) {
            Verdict::AcceptedWithKnownDeviations
        } else if failed(Level::Should) {
            Verdict::AcceptedWithWarnings
        } else {
            Verdict::Accepted
        };
        let of = |status: Status| outcomes.iter().filter(|o| o.status == status).cloned().collect();
        let (skipped, known) = (of(Status::Skipped), of(Status::KnownDeviation));
        let tally = Tally::of(outcomes);
        let regression = Default::default();
        SignOff { info, verdict, rows, failures, skipped, must, should, tally, known, regression }
    }

    /// Whether the run exits 0. A run that checked no must requirement at all (every such
    /// scenario skipped) cannot pass, strict or not.
    pub fn passes(&self) -> bool {
        if !self.regression.passes(self) {
            return false;
        }
        let verdict = self.regression.comparison.is_some() || self.verdict.passes(self.info.strict);
        verdict && self.must.checked > 0
    }

    pub fn markdown(&self) -> String {
        super::markdown::render(self)
    }

    pub fn html(&self) -> String {
        super::html::render(self)
    }
}

/// Whether a scenario falls in a column: it uses that variant, or (the last column) none.
fn in_column(outcome: &ScenarioOutcome, variant: Option<&str>) -> bool {
    let variants = COLUMNS.iter().filter_map(|(v, _)| *v);
    match variant {
        Some(variant) => outcome.tags.iter().any(|t| t == variant),
        None => !outcome.tags.iter().any(|t| variants.clone().any(|v| v == t)),
    }
}

fn cell(
    requirement: &str,
    level: Level,
    ran: &[&ScenarioOutcome],
    double_only: &[&ScenarioOutcome],
    not_run: bool,
    failure_number: impl Fn(&ScenarioOutcome) -> Option<usize>,
) -> Cell {
    let failed = |o: &&&ScenarioOutcome| o.status == Status::Failed;
    if let Some(failed) = ran.iter().filter(failed).find(|o| failed_requirements(o).iter().any(|id| id == requirement))
    {
        let state = if level == Level::Must { CellState::Fail } else { CellState::Warn };
        return Cell { state, reason: None, failure: failure_number(failed) };
    }
    if let Some(skipped) = ran.iter().find(|o| o.status == Status::Skipped) {
        // The runner's ledger records a skip's reason alone.
        return Cell { state: CellState::Skip, reason: skipped.message.clone(), failure: None };
    }
    if ran
        .iter()
        .any(|o| o.status == Status::KnownDeviation && failed_requirements(o).iter().any(|id| id == requirement))
    {
        return Cell { state: CellState::Known, reason: None, failure: None };
    }
    if ran.iter().any(|o| o.status == Status::Passed) {
        return Cell { state: CellState::Pass, reason: None, failure: None };
    }
    if let Some(other) = ran.iter().find(failed) {
        let reason = format!("its scenario failed on {} first", failed_requirements(other).join(", "));
        return Cell { state: CellState::NotReached, reason: Some(reason), failure: failure_number(other) };
    }
    if not_run {
        let reason = "filtered out by --tags, --name or --input";
        return Cell { state: CellState::NotRun, reason: Some(reason.into()), failure: None };
    }
    if !double_only.is_empty() {
        let reason = "needs control of the mailbox's state: checked against the embedded double (cargo test)";
        return Cell { state: CellState::DoubleOnly, reason: Some(reason.into()), failure: None };
    }
    Cell { state: CellState::NotCovered, reason: None, failure: None }
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

impl SignOff {
    /// The restores the run made, in words.
    pub fn restores_made(&self) -> String {
        let what = if self.info.on_double { "against the double" } else { "real restores of the mailbox" };
        format!("{} ({what}; restore requests answered with a success status)", self.info.restores_made)
    }

    /// Sentences under the verdict that keep it from being misread: what a passing verdict is
    /// worth against the double, what the failures under an accepted one are, and whether the
    /// run as a whole passed.
    pub fn verdict_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.verdict == Verdict::AcceptedWithWarnings {
            notes.push(format!(
                "The {} failed scenarios check should requirements: warnings, not rejections.",
                self.tally.failed
            ));
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
            if self.passes() { 0 } else { 1 }
        ));
        notes
    }
}
