//! What a run is compared with (vendor regression checks): a baseline, against which it fails
//! only for new must failures (and, strict, new should failures and new skips), and the known
//! deviations, of which expired ones no longer excuse anything. The verdict weighs it.

use super::baseline::{Change, Comparison};
use super::expectations::Expectation;
use crate::contract::requirements::Level;

/// The baseline comparison and the expectations of a run, when given.
#[derive(Clone, Debug, Default)]
pub struct Regression {
    pub comparison: Option<Comparison>,
    /// A baseline was given, but of other API versions than this run's: why nothing is compared.
    pub without_baseline: Option<String>,
    pub expectations: Vec<Expectation>,
    /// Expectations whose date has come: they excuse no failure any more.
    pub expired: Vec<Expectation>,
    /// Expectations whose requirement now passes: remove them.
    pub fixed: Vec<Expectation>,
}

impl Regression {
    /// What rejects a run compared with its baseline, one line each without `exit 1: `: must
    /// failures, and must scenarios failing, since the baseline.
    pub fn rejections(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(comparison) = &self.comparison {
            let must = comparison.new_failures(Level::Must);
            if !must.is_empty() {
                reasons.push(format!("new must failures since the baseline: {}", list(must)));
            }
            let scenarios = scenarios_of(comparison, Level::Must);
            if !scenarios.is_empty() {
                reasons.push(format!("scenarios failing since the baseline: {}", scenarios.join("; ")));
            }
        }
        reasons
    }

    /// What else fails a strict run compared with its baseline, one `exit 1: ...` line each.
    pub fn strict_reasons(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(comparison) = &self.comparison {
            let strict = "exit 1: strict run (VB365_STRICT=1) and";
            let scenarios = scenarios_of(comparison, Level::Should);
            if !scenarios.is_empty() {
                reasons.push(format!("{strict} should scenarios failing since the baseline: {}", scenarios.join("; ")));
            }
            let should = comparison.new_failures(Level::Should);
            if !should.is_empty() {
                reasons.push(format!("{strict} new should failures: {}", list(should)));
            }
            if !comparison.newly_skipped.is_empty() {
                reasons.push(format!("{strict} newly skipped: {}", list(comparison.newly_skipped.iter().collect())));
            }
        }
        reasons
    }

    /// What the console and the sign-off say about it, one line each.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = self.comparison.as_ref().map(Comparison::lines).unwrap_or_default();
        lines.extend(self.without_baseline.clone());
        for expectation in &self.fixed {
            lines.push(format!("fixed: remove the expectation {} (VB365_EXPECTATIONS)", expectation.describe()));
        }
        for expectation in &self.expired {
            let date = expectation.expires.as_deref().unwrap_or_default();
            lines.push(format!(
                "expired on {date}: the expectation {} (VB365_EXPECTATIONS) no longer excuses a failure",
                expectation.describe()
            ));
        }
        lines
    }
}

/// The scenarios of `level` failing since the baseline.
fn scenarios_of(comparison: &Comparison, level: Level) -> Vec<&str> {
    comparison.new_failed_scenarios.iter().filter(|(l, _)| *l == level).map(|(_, scenario)| scenario.as_str()).collect()
}

/// Changes, `; `-separated.
fn list(changes: Vec<&Change>) -> String {
    changes.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl Regression {
    /// As results.json keeps it.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "baseline": self.comparison.as_ref().map(Comparison::to_json),
            "without_baseline": self.without_baseline,
            "expectations": self.expectations,
            "fixed": self.fixed,
            "expired": self.expired,
        })
    }
}
