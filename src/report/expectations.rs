//! Known deviations (`VB365_EXPECTATIONS`): requirements known to fail on this server, accepted
//! on purpose, each with a reason and an optional expiry date. A failure one lists is reported
//! as a known deviation (never silently: the verdict says ACCEPTED WITH KNOWN DEVIATIONS and
//! lists them); a listed requirement that now passes is reported as fixed; an expired entry no
//! longer excuses anything: its failures count as failures, and the verdict follows.
//!
//! ```toml
//! [[deviation]]
//! requirement = "EXCHANGE-REFUSED"
//! variant = "password"          # optional: password, device-code, certificate, none
//! scenario = "unknown user"     # optional: part of the scenario's name
//! reason = "answers 400 where real servers answer 500; vendor ticket 01234567"
//! expires = "2027-03-31"        # optional: from this day on its failures count again
//! ```

use serde::Deserialize;

use super::matrix::{COLUMNS, failed_requirements};
use super::{ScenarioOutcome, Status};

/// One known deviation.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub requirement: String,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub scenario: Option<String>,
    pub reason: String,
    #[serde(default)]
    pub expires: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    deviation: Vec<Expectation>,
}

/// A file of expectations that cannot be used, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectationsError(pub String);

impl std::fmt::Display for ExpectationsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExpectationsError {}

/// Reads and checks the expectations of `text` (from the file at `path`).
pub fn parse(text: &str, path: &str) -> Result<Vec<Expectation>, ExpectationsError> {
    let error = |what: String| ExpectationsError(format!("VB365_EXPECTATIONS={path}: {what}"));
    let file: File =
        toml::from_str(text).map_err(|e| error(e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))?;
    for entry in &file.deviation {
        if crate::contract::requirements::find(&entry.requirement).is_none() {
            return Err(error(format!("{} is no requirement of features/requirements.toml", entry.requirement)));
        }
        if let Some(variant) = &entry.variant {
            if !COLUMNS.iter().any(|(tag, _)| tag.unwrap_or("none") == variant) {
                return Err(error(format!("variant {variant:?} is none of password, device-code, certificate, none")));
            }
        }
        if let Some(date) = &entry.expires {
            let valid = date.len() == 10 && humantime::parse_rfc3339(&format!("{date}T00:00:00Z")).is_ok();
            if !valid {
                return Err(error(format!("expires {date:?} of {} is not a date (YYYY-MM-DD)", entry.requirement)));
            }
        }
        if entry.reason.trim().is_empty() {
            return Err(error(format!("the entry for {} gives no reason", entry.requirement)));
        }
    }
    Ok(file.deviation)
}

impl Expectation {
    /// Whether it lists this failed scenario: a scenario of its requirement that failed on it,
    /// never a must scenario for a should requirement (a must scenario that fails on a should
    /// requirement has not shown its own).
    fn covers(&self, outcome: &ScenarioOutcome) -> bool {
        let level = crate::contract::requirements::find(&self.requirement).map(|r| r.level);
        outcome.tags.contains(&self.requirement)
            && (outcome.level() == crate::contract::requirements::Level::Should
                || level == Some(crate::contract::requirements::Level::Must))
            && failed_requirements(outcome).contains(&self.requirement)
            && self.variant.as_deref().is_none_or(|variant| in_variant(outcome, variant))
            && self.scenario.as_deref().is_none_or(|part| outcome.scenario.contains(part))
    }

    /// Whether it has expired by `today` (YYYY-MM-DD).
    pub fn expired(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|expires| expires <= today)
    }

    pub fn describe(&self) -> String {
        let variant = self.variant.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
        let scenario = self.scenario.as_deref().map(|s| format!(" in \"{s}\"")).unwrap_or_default();
        format!("{}{variant}{scenario}: {}", self.requirement, self.reason)
    }
}

fn in_variant(outcome: &ScenarioOutcome, variant: &str) -> bool {
    let tags: Vec<&str> = COLUMNS.iter().filter_map(|(tag, _)| *tag).collect();
    match variant {
        "none" => !outcome.tags.iter().any(|t| tags.contains(&t.as_str())),
        variant => outcome.tags.iter().any(|t| t == variant),
    }
}

/// Marks every failed scenario an expectation in force on `today` (YYYY-MM-DD) lists as a known
/// deviation, its reason first in its message. A failure only an expired expectation lists
/// stays a failure, and says so.
pub fn apply(outcomes: &mut [ScenarioOutcome], expectations: &[Expectation], today: &str) {
    for outcome in outcomes.iter_mut().filter(|o| o.status == Status::Failed) {
        let (expired, in_force): (Vec<&Expectation>, Vec<&Expectation>) =
            expectations.iter().filter(|e| e.covers(outcome)).partition(|e| e.expired(today));
        if let Some(expectation) = in_force.first() {
            outcome.status = Status::KnownDeviation;
            let message = outcome.message.take().unwrap_or_default();
            outcome.message = Some(format!("KNOWN DEVIATION ({}): {message}", expectation.reason));
        } else if let Some(expectation) = expired.first() {
            let message = outcome.message.take().unwrap_or_default();
            let date = expectation.expires.as_deref().unwrap_or_default();
            outcome.message = Some(format!(
                "{message}\n  (the known deviation \"{}\" expired on {date}: it no longer excuses this failure)",
                expectation.reason
            ));
        }
    }
}
