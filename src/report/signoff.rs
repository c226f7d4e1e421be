//! The acceptance sign-off: which documented requirement was checked, how, against what, and
//! with what result; one overall verdict. Rendered as Markdown and as one self-contained HTML
//! page after every run.

use super::regression::Regression;
use super::verdict::{Findings, News};
use super::{ScenarioOutcome, Status, Tally};
use crate::contract::requirements::{self, Level, Requirement};
use crate::contract::version::ApiVersion;

pub use super::matrix::{COLUMNS, CellState, failed_requirements};
pub use super::verdict::Verdict;

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
    /// Judged once, when the sign-off is made; read through [`SignOff::verdict`].
    pub(super) verdict: Verdict,
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
    pub regression: Regression,
}

impl SignOff {
    /// The sign-off of a run: its matrix, then `judge` (the baseline comparison and the
    /// expectations, which read the matrix), then the verdict, from all of it.
    pub fn judged(info: RunInfo, outcomes: &[ScenarioOutcome], judge: impl FnOnce(&SignOff) -> Regression) -> SignOff {
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
        let of = |status: Status| outcomes.iter().filter(|o| o.status == status).cloned().collect();
        let (skipped, known) = (of(Status::Skipped), of(Status::KnownDeviation));
        let tally = Tally::of(outcomes);
        let mut signoff = SignOff {
            info,
            // Judged below, once the regression (which reads the matrix) is known.
            verdict: Verdict::NotRun,
            rows,
            failures,
            skipped,
            must,
            should,
            tally,
            known,
            regression: Regression::default(),
        };
        // Judged once, on everything the reports and the exit status read.
        signoff.regression = judge(&signoff);
        signoff.verdict = Verdict::judge(&signoff.findings(outcomes.is_empty()));
        signoff
    }

    /// A sign-off without a baseline to compare with.
    pub fn new(info: RunInfo, outcomes: &[ScenarioOutcome]) -> SignOff {
        SignOff::judged(info, outcomes, |_| Regression::default())
    }

    /// What the verdict weighs: the outcomes as the matrix counts them, and the run's policy.
    fn findings(&self, nothing_ran: bool) -> Findings {
        let failed = |level: Level| self.failures.iter().any(|f| f.level() == level);
        let baseline = self.regression.comparison.as_ref().map(|comparison| {
            let new = |level: Level| {
                !comparison.new_failures(level).is_empty()
                    || comparison.new_failed_scenarios.iter().any(|(l, _)| *l == level)
            };
            News {
                must_failures: new(Level::Must),
                should_failures: new(Level::Should),
                skips: !comparison.newly_skipped.is_empty(),
            }
        });
        let unchecked = |coverage: Coverage| coverage.checked + coverage.double_only < coverage.total;
        Findings {
            strict: self.info.strict,
            must_failed: failed(Level::Must),
            should_failed: failed(Level::Should),
            known_deviations: !self.known.is_empty(),
            skipped: !self.skipped.is_empty(),
            filtered: !self.info.not_run.is_empty(),
            unchecked: unchecked(self.must) || unchecked(self.should),
            must_checked: self.must.checked > 0,
            unreadable: !self.info.parse_errors.is_empty() || nothing_ran,
            baseline,
        }
    }

    /// The run's one verdict, which every report, the console and the exit status read.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// Whether the run exits 0: its verdict is one of the ACCEPTED words.
    pub fn passes(&self) -> bool {
        self.verdict.passes()
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
        // Why is said once, above the matrix (SignOff::not_checked_sentence).
        return Cell { state: CellState::DoubleOnly, reason: None, failure: None };
    }
    Cell { state: CellState::NotCovered, reason: None, failure: None }
}

/// Why a live run cannot check some requirements, said once in the sign-off.
pub const NOT_CHECKED_LIVE: &str = "needs control of the mailbox's state (how the original mailbox differs from its \
     backup), which only the embedded double gives, not a live server";
