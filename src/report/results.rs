//! results.json: the run as data, for tools and the project's own tests. A judged run's
//! document is built from its sign-off (the one verdict) and the facts of the run; a run that
//! ended early writes its own (`unfinished`). Every scenario's outcome follows.

use serde_json::{Value, json};

use super::signoff::SignOff;
use super::{ScenarioOutcome, files};
use crate::secrets;

/// What results.json says of a judged run besides its sign-off.
pub struct RunFacts<'a> {
    pub target: &'a Value,
    pub settings: serde_json::Map<String, Value>,
    pub suite: &'a str,
    pub server_version: Option<&'a str>,
}

/// The document of a judged run, without its scenarios.
pub fn judged(signoff: &SignOff, facts: &RunFacts) -> Value {
    let verdict = signoff.verdict();
    json!({
        "verdict": verdict.title(),
        "verdict_of": if signoff.info.on_double { "double" } else { "server" },
        "exit_status": verdict.exit_status(),
        "target": facts.target,
        "settings": facts.settings,
        "restores_made": signoff.info.restores_made,
        "suite": facts.suite,
        "date": signoff.info.date,
        "server_version": facts.server_version,
        "known_deviations": signoff.tally.known,
        "regression": signoff.regression.to_json(),
        "cells": signoff.cells_json(),
    })
}

/// Writes `results.json`: the run's document (`run`, an object) and every scenario's outcome,
/// redacted.
pub fn write_results(path: &std::path::Path, run: &Value, outcomes: &[ScenarioOutcome]) -> std::io::Result<()> {
    let mut document = run.clone();
    document["scenarios"] = serde_json::to_value(outcomes).map_err(std::io::Error::other)?;
    let json = serde_json::to_string_pretty(&document).map_err(std::io::Error::other)?;
    files::write_atomic(path, secrets::scrub(&json).as_bytes())
}
