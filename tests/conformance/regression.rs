//! Vendor regression checks in the runner: the baseline and the known deviations are read
//! before any scenario runs (a file that cannot be used is a setting error), and applied to
//! the outcomes and the sign-off once the run has ended.

use vb365_conformance::report::ScenarioOutcome;
use vb365_conformance::report::baseline::Baseline;
use vb365_conformance::report::expectations::{self, Expectation};
use vb365_conformance::report::regression::Regression;
use vb365_conformance::report::signoff::SignOff;
use vb365_conformance::settings::Settings;

/// What VB365_BASELINE and VB365_EXPECTATIONS name, read.
#[derive(Default)]
pub struct Inputs {
    baseline: Option<Baseline>,
    expectations: Vec<Expectation>,
}

/// Reads the baseline and the expectations the settings name.
pub fn read(settings: &Settings) -> Result<Inputs, String> {
    let text = |path: &std::path::Path, setting: &str| {
        std::fs::read_to_string(path).map_err(|error| format!("{setting}={}: cannot read it: {error}", path.display()))
    };
    let baseline = match &settings.baseline {
        Some(path) => {
            let display = path.display().to_string();
            Some(
                Baseline::parse(&text(path, "VB365_BASELINE")?, &display, settings.api_version.name())
                    .map_err(|error| error.to_string())?,
            )
        }
        None => None,
    };
    let expectations = match &settings.expectations {
        Some(path) => expectations::parse(&text(path, "VB365_EXPECTATIONS")?, &path.display().to_string())
            .map_err(|error| error.to_string())?,
        None => Vec::new(),
    };
    Ok(Inputs { baseline, expectations })
}

impl Inputs {
    /// Marks the failures the expectations list as known deviations.
    pub fn apply(&self, outcomes: &mut [ScenarioOutcome]) {
        expectations::apply(outcomes, &self.expectations);
    }

    /// The sign-off's regression: the comparison with the baseline, and which expectations are
    /// fixed or expired. `run` is this run's suite, server version and target; `today` is
    /// YYYY-MM-DD.
    pub fn judge(&self, signoff: &SignOff, run: (&str, Option<&str>, &serde_json::Value), today: &str) -> Regression {
        let (suite, server_version, target) = run;
        Regression {
            comparison: self.baseline.as_ref().map(|baseline| signoff.compare(baseline, suite, server_version, target)),
            expired: self.expectations.iter().filter(|e| e.expired(today)).cloned().collect(),
            fixed: signoff.fixed(&self.expectations).into_iter().cloned().collect(),
            expectations: self.expectations.clone(),
        }
    }
}
