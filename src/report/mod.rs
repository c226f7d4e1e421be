//! What a run found, and each report built from it: each scenario's outcome
//! ([`ScenarioOutcome`], recorded by the runner), the closing `N passed, N failed, N skipped`
//! line, `results.json`, JUnit XML, Cucumber JSON, and the acceptance sign-off ([`signoff`]) with
//! its verdict, which decides the exit status. Nothing here knows cucumber.

pub mod baseline;
mod causes;
pub mod cucumber_json;
mod exit;
pub mod expectations;
pub mod files;
pub mod har;
mod html;
pub mod junit;
mod markdown;
pub mod regression;
pub mod signoff;
pub mod unfinished;

use crate::requirements::Level;
use crate::secrets;

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
    /// How long it ran.
    pub seconds: f64,
}

impl ScenarioOutcome {
    /// `must` unless the scenario is tagged `@should`.
    pub fn level(&self) -> Level {
        if self.tags.iter().any(|tag| tag == "should") { Level::Should } else { Level::Must }
    }
}

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
}

/// Writes `results.json`: the run's target and settings (`run`, an object) and every scenario's
/// outcome, for tools and the project's own tests.
pub fn write_results(
    path: &std::path::Path,
    run: &serde_json::Value,
    outcomes: &[ScenarioOutcome],
) -> std::io::Result<()> {
    let mut document = run.clone();
    document["scenarios"] = serde_json::to_value(outcomes).map_err(std::io::Error::other)?;
    let json = serde_json::to_string_pretty(&document).map_err(std::io::Error::other)?;
    files::write_atomic(path, secrets::scrub(&json).as_bytes())
}

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
