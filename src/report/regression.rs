//! What a run is compared with (vendor regression checks): a baseline, against which it fails
//! only for new must failures (and, strict, new should failures and new skips), and the known
//! deviations, of which expired ones no longer excuse anything. The verdict weighs it.

use super::baseline::Comparison;
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
    /// Why it fails a run, one `exit 1: ...` line each.
    pub fn exit_reasons(&self, strict: bool) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(comparison) = &self.comparison {
            let list = |changes: Vec<&super::baseline::Change>| {
                changes.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
            };
            let must = comparison.new_failures(Level::Must);
            if !must.is_empty() {
                reasons.push(format!("exit 1: new must failures since the baseline: {}", list(must)));
            }
            let scenarios: Vec<&str> = comparison
                .new_failed_scenarios
                .iter()
                .filter(|(level, _)| *level == Level::Must || strict)
                .map(|(_, scenario)| scenario.as_str())
                .collect();
            if !scenarios.is_empty() {
                reasons.push(format!("exit 1: scenarios failing since the baseline: {}", scenarios.join("; ")));
            }
            let should = comparison.new_failures(Level::Should);
            if strict && !should.is_empty() {
                reasons.push(format!("exit 1: strict run (VB365_STRICT=1) and new should failures: {}", list(should)));
            }
            if strict && !comparison.newly_skipped.is_empty() {
                let skipped = comparison.newly_skipped.iter().collect();
                reasons.push(format!("exit 1: strict run (VB365_STRICT=1) and newly skipped: {}", list(skipped)));
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
