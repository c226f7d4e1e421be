//! What a run found, and each report built from it: each scenario's outcome
//! ([`ScenarioOutcome`], recorded by the runner), the closing `N passed, N failed, N skipped`
//! line, `results.json`, JUnit XML, Cucumber JSON, and the acceptance sign-off ([`signoff`]) with
//! its one [`verdict::Verdict`], which every report reads and which decides the exit status;
//! and the merged view of many runs' results.json ([`merge`]). Nothing here knows cucumber.

pub mod baseline;
mod causes;
pub mod console;
pub mod cucumber_json;
mod exit;
pub mod expectations;
pub mod files;
pub mod har;
mod html;
mod judged;
pub mod junit;
mod markdown;
pub mod matrix;
pub mod merge;
mod notes;
pub mod regression;
pub mod results;
pub mod signoff;
pub mod unfinished;
pub mod verdict;
pub mod whole;

use crate::contract::requirements::Level;

/// How a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    Skipped,
    /// Failed, on a requirement VB365_EXPECTATIONS lists as known to fail on this server.
    #[serde(rename = "known-deviation")]
    KnownDeviation,
}

impl Status {
    /// As results.json spells it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::KnownDeviation => "known-deviation",
        }
    }
}

/// One scenario (one Examples row of an outline) and how it ended.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ScenarioOutcome {
    pub feature: String,
    pub scenario: String,
    /// `features/x.feature:12`.
    pub location: String,
    /// Feature, rule and scenario tags, without `@`.
    pub tags: Vec<String>,
    pub status: Status,
    /// Why it failed or was skipped, redacted.
    pub message: Option<String>,
    /// The requirements its failure broke (from the failure itself, not from its text); empty
    /// when it did not fail on a check.
    pub failed_requirements: Vec<String>,
    /// What its failure found, without the step and the requirement (each violation's path,
    /// expected and actual value, redacted): failures that share it share a cause in the
    /// sign-off. `None` when it did not fail on a check.
    #[serde(skip)]
    pub cause: Option<String>,
    /// How long it ran.
    pub seconds: f64,
    /// Its steps in the feature file's words, background first, each with how it ended (a
    /// skipped scenario's steps all `skipped`): the console and Cucumber JSON show them.
    #[serde(skip)]
    pub steps: Vec<StepOutcome>,
    /// Where its feature file puts it, as Cucumber JSON names it.
    #[serde(skip)]
    pub source: Source,
    /// The hook that failed it, when no step did.
    #[serde(skip)]
    pub failed_hook: Option<HookKind>,
}

/// A hook: code the runner runs before or after a scenario's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookKind {
    Before,
    After,
}

/// Where a scenario stands in its feature file, beyond its location.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Source {
    /// `Scenario` or `Scenario Outline`.
    pub keyword: String,
    pub feature_line: usize,
    /// The feature's own tags, without `@` (a scenario's `tags` include them).
    pub feature_tags: Vec<String>,
    pub feature_description: Option<String>,
    /// The line of the feature's `Background:`, if it has one.
    pub background_line: Option<usize>,
}

/// One step of a scenario and how it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct StepOutcome {
    /// `Given `, `When `, `And ` ... as written, with its trailing space.
    pub keyword: String,
    pub text: String,
    pub line: usize,
    /// A step of the feature's `Background:`.
    pub background: bool,
    /// Its data table's rows, if it has one.
    pub table: Vec<Vec<String>>,
    pub docstring: Option<String>,
    pub status: StepStatus,
    pub seconds: f64,
    /// Why it failed, redacted.
    pub error: Option<String>,
}

/// How a step ended: `Skipped` when it did not run (its scenario was skipped, or an earlier step
/// failed), `Undefined` when no step definition matches its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    Passed,
    Failed,
    Skipped,
    Undefined,
}

impl StepStatus {
    /// As Cucumber JSON spells it.
    pub fn name(self) -> &'static str {
        match self {
            StepStatus::Passed => "passed",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
            StepStatus::Undefined => "undefined",
        }
    }
}

impl ScenarioOutcome {
    /// `must` unless the scenario is tagged `@should`.
    pub fn level(&self) -> Level {
        if self.tags.iter().any(|tag| tag == "should") { Level::Should } else { Level::Must }
    }

    /// How it reads in every report: a failed should requirement is a warning, which fails only
    /// a strict run.
    pub fn reading(&self, strict: bool) -> Reading<'_> {
        let message = self.message.as_deref().unwrap_or("(no message)");
        match self.status {
            Status::Passed => Reading::Passed,
            Status::Skipped => Reading::Skipped(message),
            Status::KnownDeviation => Reading::Known(message),
            Status::Failed if self.warns(strict) => Reading::Warning(message),
            Status::Failed => Reading::Failed(message),
        }
    }

    /// Whether its failure is a warning: a should requirement, in a run that is not strict.
    pub fn warns(&self, strict: bool) -> bool {
        self.level() == Level::Should && !strict
    }
}

/// How a scenario reads in a report, with its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading<'a> {
    Passed,
    /// Failed on a should requirement, in a run that is not strict: it does not fail the run.
    Warning(&'a str),
    /// Failed as VB365_EXPECTATIONS says it is known to.
    Known(&'a str),
    Failed(&'a str),
    Skipped(&'a str),
}

/// What precedes a warning's message in every report.
pub const WARNING: &str = "WARNING (a should requirement; not a failure unless VB365_STRICT=1)";

/// The scenario counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Failed as VB365_EXPECTATIONS says they are known to: not counted as failed.
    pub known: usize,
}

impl Tally {
    pub fn of(outcomes: &[ScenarioOutcome]) -> Self {
        let count = |status| outcomes.iter().filter(|o| o.status == status).count();
        Tally {
            passed: count(Status::Passed),
            failed: count(Status::Failed),
            skipped: count(Status::Skipped),
            known: count(Status::KnownDeviation),
        }
    }

    /// The closing line CI recognises.
    pub fn closing_line(&self) -> String {
        format!("{} passed, {} failed, {} skipped", self.passed, self.failed, self.skipped)
    }

    /// The line before the closing one when known deviations are left out of its counts: every
    /// scenario counted, known deviations included.
    pub fn known_line(&self) -> Option<String> {
        (self.known > 0).then(|| {
            let total = self.passed + self.failed + self.known + self.skipped;
            format!(
                "{total} scenarios: {} passed, {} failed, {} known deviations (VB365_EXPECTATIONS; not counted as failed), {} skipped",
                self.passed, self.failed, self.known, self.skipped
            )
        })
    }
}

pub use results::{RunFacts, write_results};

/// Text as XML and HTML carry it: markup characters escaped, and the control characters XML
/// 1.0 does not allow replaced.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
