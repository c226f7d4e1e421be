//! Cucumber JSON as report tools read it, from cucumber's own writer: a failed should
//! requirement is a warning, which does not fail a normal run, so in a normal run its failed
//! steps read `passed` with the warning in their `output` and the scenario tagged `warning`;
//! in a strict run it stays failed. The exit status and the JUnit XML say the same.

use serde_json::{Value, json};

use super::{ScenarioOutcome, Status};
use crate::requirements::Level;

/// `json` (cucumber's Cucumber JSON) with warnings marked as such; unchanged if it does not parse.
pub fn adjust(json: &str, outcomes: &[ScenarioOutcome], strict: bool) -> String {
    let Ok(mut features) = serde_json::from_str::<Value>(json) else { return json.to_owned() };
    // Warnings pass a normal run; known deviations pass any.
    let warning = |feature: &str, line: u64| {
        outcomes.iter().find(|o| {
            o.feature == feature
                && o.location.rsplit_once(':').is_some_and(|(_, l)| l == line.to_string())
                && ((o.status == Status::Failed && o.level() == Level::Should && !strict)
                    || o.status == Status::KnownDeviation)
        })
    };
    for feature in features.as_array_mut().into_iter().flatten() {
        let name = feature["name"].as_str().unwrap_or_default().to_owned();
        for element in feature["elements"].as_array_mut().into_iter().flatten() {
            let Some(outcome) = warning(&name, element["line"].as_u64().unwrap_or_default()) else { continue };
            let message = outcome.message.clone().unwrap_or_default();
            for step in element["steps"].as_array_mut().into_iter().flatten() {
                if step["result"]["status"] == "failed" {
                    step["result"] = json!({ "status": "passed", "duration": step["result"]["duration"] });
                    step["output"] = json!([if outcome.status == Status::KnownDeviation {
                        message.clone()
                    } else {
                        format!("WARNING (a should requirement; not a failure unless VB365_STRICT=1): {message}")
                    }]);
                }
            }
            let line = element["line"].clone();
            if let Some(tags) = element["tags"].as_array_mut() {
                let tag = if outcome.status == Status::KnownDeviation { "known-deviation" } else { "warning" };
                tags.push(json!({ "name": tag, "line": line }));
            }
        }
    }
    features.to_string()
}
