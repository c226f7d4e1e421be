//! Vendor regression checks in the runner: the baseline and the known deviations are read
//! before any scenario runs (a file that cannot be used is a setting error), and applied to
//! the outcomes and the sign-off once the run has ended.

use crate::report::ScenarioOutcome;
use crate::report::baseline::Baselines;
use crate::report::expectations::{self, Expectation};
use crate::report::regression::Regression;
use crate::report::signoff::SignOff;
use crate::suite::settings::Settings;

/// What VB365_BASELINE and VB365_EXPECTATIONS name, read.
#[derive(Default)]
pub struct Inputs {
    baseline: Option<Baselines>,
    expectations: Vec<Expectation>,
}

/// Reads the baseline and the expectations the settings name; each that cannot be used is a
/// problem of its own line.
pub fn read(settings: &Settings) -> Result<Inputs, Vec<String>> {
    let text = |path: &std::path::Path, setting: &str| {
        std::fs::read_to_string(path).map_err(|error| format!("{setting}={}: cannot read it: {error}", path.display()))
    };
    let baseline = settings.baseline.as_ref().map(|path| {
        let display = path.display().to_string();
        let versions: Vec<&str> = settings.api_versions.iter().map(|version| version.name()).collect();
        Baselines::parse(&text(path, "VB365_BASELINE")?, &display, &versions).map_err(|error| error.to_string())
    });
    let expectations = settings.expectations.as_ref().map(|path| {
        expectations::parse(&text(path, "VB365_EXPECTATIONS")?, &path.display().to_string())
            .map_err(|error| error.to_string())
    });
    let problems: Vec<String> = baseline
        .iter()
        .filter_map(|b| b.as_ref().err())
        .chain(expectations.iter().filter_map(|e| e.as_ref().err()))
        .cloned()
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Inputs {
        baseline: baseline.and_then(Result::ok),
        expectations: expectations.and_then(Result::ok).unwrap_or_default(),
    })
}

impl Inputs {
    /// Marks the failures the expectations in force on `today` (YYYY-MM-DD) list as known
    /// deviations; an expired one excuses nothing.
    pub fn apply(&self, outcomes: &mut [ScenarioOutcome], today: &str) {
        expectations::apply(outcomes, &self.expectations, today);
    }

    /// The sign-off's regression: the comparison with the baseline of its API version (or why
    /// there is none), and which expectations are fixed or expired. `run` is this run's suite,
    /// server version and target; `today` is YYYY-MM-DD.
    pub fn judge(&self, signoff: &SignOff, run: (&str, Option<&str>, &serde_json::Value), today: &str) -> Regression {
        let (suite, server_version, target) = run;
        let version = signoff.info.version.name();
        let baseline = self.baseline.as_ref().and_then(|baselines| baselines.of(version));
        Regression {
            comparison: baseline.map(|baseline| signoff.compare(baseline, suite, server_version, target)),
            without_baseline: self.baseline.as_ref().filter(|_| baseline.is_none()).map(|b| b.without(version)),
            expired: self.expectations.iter().filter(|e| e.expired(today)).cloned().collect(),
            fixed: signoff.fixed(&self.expectations).into_iter().cloned().collect(),
            expectations: self.expectations.clone(),
        }
    }
}
