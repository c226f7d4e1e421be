//! Regression checks (`VB365_BASELINE`): this run compared, cell by cell of the requirement x
//! variant matrix, with an earlier run's results.json, version by version (a whole-server run's
//! holds a baseline per version it checked): newly failing, newly passing, unchanged, checked now
//! but not then (or the reverse), and whether the suite or the server changed version in between.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::contract::requirements::Level;

/// An earlier run of one API version, as its results.json says.
#[derive(Clone, Debug)]
pub struct Baseline {
    /// The file, and in a whole-server run's the version (`whole.json [v6]`).
    pub path: String,
    /// The API version it checked.
    pub version: String,
    pub date: String,
    pub suite: String,
    pub server_version: Option<String>,
    /// The target's summary (URL, API version, restore session, mailbox; or the double).
    pub target: String,
    /// (requirement, variant) → the cell's word.
    pub cells: BTreeMap<(String, String), String>,
}

/// A baseline that cannot be used, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineError(pub String);

impl std::fmt::Display for BaselineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BaselineError {}

/// `VB365_BASELINE` read: the baseline of each API version it checked (one, or each of a
/// whole-server run's).
#[derive(Clone, Debug)]
pub struct Baselines {
    pub path: String,
    pub versions: Vec<Baseline>,
}

impl Baselines {
    /// Reads the results.json `text` (from `path`) of an earlier run, for a run of `api_versions`:
    /// it must have checked one of them at least.
    pub fn parse(text: &str, path: &str, api_versions: &[&str]) -> Result<Baselines, BaselineError> {
        let not_ours = |why: &str| {
            BaselineError(format!(
                "VB365_BASELINE={path} is not a results.json of this suite ({why}); give the results.json of an earlier run"
            ))
        };
        let results: Value = serde_json::from_str(text).map_err(|_| not_ours("not JSON"))?;
        let versions = match results.get("versions").and_then(Value::as_array) {
            Some(documents) => documents
                .iter()
                .map(|document| Baseline::of(document, &results, |version| format!("{path} [{version}]")))
                .collect::<Result<Vec<_>, _>>(),
            None => Baseline::of(&results, &results, |_| path.to_owned()).map(|baseline| vec![baseline]),
        }
        .map_err(not_ours)?;
        if !versions.iter().any(|baseline| api_versions.contains(&baseline.version.as_str())) {
            let then: Vec<&str> = versions.iter().map(|baseline| baseline.version.as_str()).collect();
            return Err(BaselineError(format!(
                "VB365_BASELINE={path} is a run of API {}; this run checks {}: give a baseline of the same API version",
                then.join(","),
                api_versions.join(",")
            )));
        }
        Ok(Baselines { path: path.to_owned(), versions })
    }

    /// The baseline of `version`, when it checked it.
    pub fn of(&self, version: &str) -> Option<&Baseline> {
        self.versions.iter().find(|baseline| baseline.version == version)
    }

    /// What a version it did not check is compared with: nothing, in one line.
    pub fn without(&self, version: &str) -> String {
        format!("{} has no run of API {version}: {version} is compared with no baseline", self.path)
    }
}

impl Baseline {
    /// One version's `document` of the results.json `results` (the whole file, or one of a
    /// whole-server run's `versions`), named by `path_of` its version; why not, when it is no
    /// run of this suite.
    fn of(document: &Value, results: &Value, path_of: impl Fn(&str) -> String) -> Result<Baseline, &'static str> {
        let cells = document.get("cells").and_then(Value::as_array).ok_or("no cells")?;
        let suite = document.get("suite").and_then(Value::as_str).ok_or("no suite")?;
        if !suite.starts_with("vb365-conformance") {
            return Err("written by another program");
        }
        let version = document.pointer("/target/api_version").and_then(Value::as_str).unwrap_or("unknown");
        let text_of = |cell: &Value, key: &str| cell.get(key).and_then(Value::as_str).map(str::to_owned);
        let cells = cells
            .iter()
            .filter_map(|cell| {
                Some(((text_of(cell, "requirement")?, text_of(cell, "variant")?), text_of(cell, "state")?))
            })
            .collect();
        Ok(Baseline {
            path: path_of(version),
            version: version.to_owned(),
            date: document.get("date").and_then(Value::as_str).unwrap_or("an unknown date").to_owned(),
            suite: suite.to_owned(),
            server_version: document.get("server_version").and_then(Value::as_str).map(str::to_owned),
            target: target_of(results),
            cells,
        })
    }
}

/// What a results.json says it checked: the server's URL, or the double (or neither, when the
/// run stopped before it chose).
pub(super) fn target_of(results: &Value) -> String {
    match results.pointer("/target/url").and_then(Value::as_str) {
        Some(url) => url.to_owned(),
        None if results.pointer("/target/kind").and_then(Value::as_str) == Some("unknown") => "not known".to_owned(),
        None => "the embedded double".to_owned(),
    }
}

/// One cell that changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub requirement: String,
    pub level: Level,
    pub variant: String,
    pub then: String,
    pub now: String,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, {}): {} → {}", self.requirement, self.variant, self.level.tag(), self.then, self.now)
    }
}

/// This run against the baseline.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    pub baseline: String,
    pub newly_failing: Vec<Change>,
    pub newly_passing: Vec<Change>,
    pub unchanged: usize,
    pub checked_now_only: Vec<Change>,
    pub checked_then_only: Vec<Change>,
    /// Cells skipped now that were not skipped then.
    pub newly_skipped: Vec<Change>,
    /// Failed scenarios whose failure the baseline did not have (a failure can break a
    /// requirement of another scenario, whose own cells then read "not reached").
    pub new_failed_scenarios: Vec<(Level, String)>,
    /// (then, now), when they differ.
    pub suite_changed: Option<(String, String)>,
    pub server_changed: Option<(String, String)>,
    /// (then, now), when the runs checked different targets.
    pub target_changed: Option<(String, String)>,
}

pub(super) fn checked(state: &str) -> bool {
    matches!(state, "pass" | "FAIL" | "warning" | "known deviation")
}

pub(super) fn failing(state: &str) -> bool {
    matches!(state, "FAIL" | "warning" | "known deviation")
}

impl Comparison {
    /// Failures now that the baseline did not have: newly failing cells, and failing cells it
    /// did not check.
    pub fn new_failures(&self, level: Level) -> Vec<&Change> {
        // (Failed scenarios whose failure is new but shows in no cell are in new_failed_scenarios.)
        self.newly_failing
            .iter()
            .chain(self.checked_now_only.iter().filter(|c| failing(&c.now) && c.now != "known deviation"))
            .filter(|change| change.level == level && change.now != "known deviation")
            .collect()
    }

    /// One line per kind of change, for the console and the sign-off.
    pub fn lines(&self) -> Vec<String> {
        let list = |changes: &[Change]| changes.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        let mut lines = vec![format!(
            "baseline {}: {} newly failing, {} newly passing, {} unchanged, {} checked now but not then, {} checked then but not now",
            self.baseline,
            self.newly_failing.len(),
            self.newly_passing.len(),
            self.unchanged,
            self.checked_now_only.len(),
            self.checked_then_only.len()
        )];
        for (what, changes) in [
            ("newly failing", &self.newly_failing),
            ("newly passing", &self.newly_passing),
            ("checked now but not then", &self.checked_now_only),
            ("checked then but not now", &self.checked_then_only),
            ("newly skipped", &self.newly_skipped),
        ] {
            if !changes.is_empty() {
                lines.push(format!("{what}: {}", list(changes)));
            }
        }
        if let Some((then, now)) = &self.suite_changed {
            lines.push(format!("the suite changed: {then} then, {now} now"));
        }
        if let Some((then, now)) = &self.server_changed {
            lines.push(format!("the server changed version: {then} then, {now} now"));
        }
        if let Some((then, now)) = &self.target_changed {
            lines.push(format!("the target changed: {then} then, {now} now"));
        }
        lines
    }

    pub fn to_json(&self) -> Value {
        let list = |changes: &[Change]| -> Vec<Value> {
            changes
                .iter()
                .map(|c| json!({"requirement": c.requirement, "variant": c.variant, "then": c.then, "now": c.now}))
                .collect()
        };
        json!({
            "baseline": self.baseline,
            "newly_failing": list(&self.newly_failing),
            "newly_passing": list(&self.newly_passing),
            "unchanged": self.unchanged,
            "checked_now_only": list(&self.checked_now_only),
            "checked_then_only": list(&self.checked_then_only),
            "newly_skipped": list(&self.newly_skipped),
            "new_failed_scenarios": self.new_failed_scenarios.iter().map(|(_, s)| s).collect::<Vec<_>>(),
            "suite_changed": self.suite_changed,
            "server_changed": self.server_changed,
            "target_changed": self.target_changed,
        })
    }
}
