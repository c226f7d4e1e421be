//! Regression checks (`VB365_BASELINE`): this run compared, cell by cell of the requirement x
//! variant matrix, with an earlier run's results.json of the same API version: newly failing,
//! newly passing, unchanged, checked now but not then (or the reverse), and whether the suite
//! or the server changed version in between.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::contract::requirements::Level;

/// An earlier run, as its results.json says.
#[derive(Clone, Debug)]
pub struct Baseline {
    pub path: String,
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

impl Baseline {
    /// Reads the results.json `text` (from `path`) of an earlier run of `api_version`.
    pub fn parse(text: &str, path: &str, api_version: &str) -> Result<Baseline, BaselineError> {
        let not_ours = |why: &str| {
            BaselineError(format!(
                "VB365_BASELINE={path} is not a results.json of this suite ({why}); give the results.json of an earlier run"
            ))
        };
        let results: Value = serde_json::from_str(text).map_err(|_| not_ours("not JSON"))?;
        let cells = results.get("cells").and_then(Value::as_array).ok_or_else(|| not_ours("no cells"))?;
        let suite = results.get("suite").and_then(Value::as_str).ok_or_else(|| not_ours("no suite"))?;
        if !suite.starts_with("vb365-conformance") {
            return Err(not_ours("written by another program"));
        }
        let version = results.pointer("/target/api_version").and_then(Value::as_str).unwrap_or("unknown");
        if version != api_version {
            return Err(BaselineError(format!(
                "VB365_BASELINE={path} is a run of API {version}; this run checks {api_version}: give a baseline of the same API version"
            )));
        }
        let text_of = |cell: &Value, key: &str| cell.get(key).and_then(Value::as_str).map(str::to_owned);
        let cells = cells
            .iter()
            .filter_map(|cell| {
                Some(((text_of(cell, "requirement")?, text_of(cell, "variant")?), text_of(cell, "state")?))
            })
            .collect();
        Ok(Baseline {
            path: path.to_owned(),
            date: results.get("date").and_then(Value::as_str).unwrap_or("an unknown date").to_owned(),
            suite: suite.to_owned(),
            server_version: results.get("server_version").and_then(Value::as_str).map(str::to_owned),
            target: target_of(&results),
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
