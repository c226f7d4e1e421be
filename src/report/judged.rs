//! The sign-off read against what a run is compared with: its cells for the baseline, the
//! comparison, the expectations it fixed, its regression lines. Apart from baseline.rs,
//! expectations.rs and regression.rs, which the sign-off names (its `regression`), so that those
//! need not name it back.

use serde_json::{Value, json};

use super::baseline::{Baseline, Change, Comparison, checked, failing, target_of};
use super::expectations::Expectation;
use super::matrix::{COLUMNS, CellState, failed_requirements};
use super::signoff::SignOff;
use crate::contract::requirements::Level;

impl SignOff {
    /// Every cell of the matrix: (requirement, variant, state word).
    pub fn cells(&self) -> Vec<(&str, Level, &'static str, &'static str)> {
        self.rows
            .iter()
            .flat_map(|row| {
                row.cells.iter().zip(COLUMNS).map(|(cell, (tag, _))| {
                    (row.requirement.id.as_str(), row.requirement.level, tag.unwrap_or("none"), cell.state.word())
                })
            })
            .collect()
    }

    /// The matrix as results.json keeps it.
    pub fn cells_json(&self) -> Value {
        Value::Array(
            self.cells()
                .into_iter()
                .map(|(requirement, level, variant, state)| {
                    json!({ "requirement": requirement, "level": level.tag(), "variant": variant, "state": state })
                })
                .collect(),
        )
    }

    /// This run compared with `baseline`; `suite` and `server_version` are this run's.
    pub fn compare(
        &self,
        baseline: &Baseline,
        suite: &str,
        server_version: Option<&str>,
        target: &Value,
    ) -> Comparison {
        let mut comparison =
            Comparison { baseline: format!("{} ({})", baseline.path, baseline.date), ..Default::default() };
        for (requirement, level, variant, now) in self.cells() {
            let then = baseline.cells.get(&(requirement.to_owned(), variant.to_owned())).map_or("—", String::as_str);
            let change = Change {
                requirement: requirement.to_owned(),
                level,
                variant: variant.to_owned(),
                then: then.to_owned(),
                now: now.to_owned(),
            };
            if now == CellState::Skip.word() && then != CellState::Skip.word() {
                comparison.newly_skipped.push(change.clone());
            }
            match (checked(then), checked(now)) {
                (true, true) if failing(now) && !failing(then) => comparison.newly_failing.push(change),
                (true, true) if !failing(now) && failing(then) => comparison.newly_passing.push(change),
                (true, true) => comparison.unchanged += 1,
                (false, true) => comparison.checked_now_only.push(change),
                (true, false) => comparison.checked_then_only.push(change),
                (false, false) => {}
            }
        }
        for failure in &self.failures {
            let variants: Vec<&str> = COLUMNS
                .iter()
                .filter_map(|(tag, _)| *tag)
                .filter(|tag| failure.tags.iter().any(|t| t == tag))
                .collect();
            let variants = if variants.is_empty() { vec!["none"] } else { variants };
            let old = failed_requirements(failure).iter().all(|id| {
                variants.iter().all(|variant| {
                    baseline.cells.get(&(id.clone(), (*variant).to_owned())).is_some_and(|state| failing(state))
                })
            });
            if !old {
                comparison
                    .new_failed_scenarios
                    .push((failure.level(), format!("{} ({})", failure.scenario, failure.location)));
            }
        }
        let now = target_of(&serde_json::json!({ "target": target }));
        if baseline.target != now {
            comparison.target_changed = Some((baseline.target.clone(), now));
        }
        if baseline.suite != suite {
            comparison.suite_changed = Some((baseline.suite.clone(), suite.to_owned()));
        }
        let (then, now) =
            (baseline.server_version.as_deref().unwrap_or("unknown"), server_version.unwrap_or("unknown"));
        if then != now {
            comparison.server_changed = Some((then.to_owned(), now.to_owned()));
        }
        comparison
    }
}

impl SignOff {
    /// The expectations whose requirement was checked and now passes wherever they apply.
    pub fn fixed<'a>(&self, expectations: &'a [Expectation]) -> Vec<&'a Expectation> {
        expectations
            .iter()
            .filter(|expectation| {
                let Some(row) = self.rows.iter().find(|row| row.requirement.id == expectation.requirement) else {
                    return false;
                };
                let cells: Vec<&CellState> = row
                    .cells
                    .iter()
                    .zip(COLUMNS)
                    .filter(|(_, (tag, _))| expectation.variant.as_deref().is_none_or(|v| tag.unwrap_or("none") == v))
                    .map(|(cell, _)| &cell.state)
                    .collect();
                cells.contains(&&CellState::Pass)
                    && !cells.iter().any(|s| matches!(s, CellState::Fail | CellState::Warn | CellState::Known))
            })
            .collect()
    }
}

impl SignOff {
    /// The lines of the sign-off's regression section: the comparison with the baseline, fixed
    /// and expired expectations, and every known deviation with its reason; empty without
    /// either setting.
    pub fn regression_lines(&self) -> Vec<String> {
        let mut lines = self.regression.lines();
        for known in &self.known {
            lines.push(format!(
                "known deviation: {} ({}): {}",
                known.scenario,
                known.location,
                known.message.as_deref().unwrap_or_default().lines().next().unwrap_or_default()
            ));
        }
        lines
    }
}
