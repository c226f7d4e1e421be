//! Cucumber JSON as report tools read it (the cucumber-jvm shape: Jenkins' cucumber-reports,
//! cucumber-html-reporter), built from the run's outcomes as JUnit XML is: every scenario with
//! its real steps, a skipped scenario's steps `skipped` with the reason as their scenario's
//! `description`, the feature's background as a `background` element before each scenario,
//! outline rows named by their values, tags with their `@`.
//!
//! A failed should requirement is a warning, which does not fail a normal run: there its failed
//! step reads `passed`, the warning in its `output`, the scenario tagged `@warning`; in a strict
//! run it stays failed. A known deviation (VB365_EXPECTATIONS) reads the same, tagged
//! `@known-deviation`. The exit status and the JUnit XML say the same.

use serde_json::{Value, json};

use super::{HookKind, Reading, ScenarioOutcome, StepOutcome, StepStatus, WARNING};

/// The Cucumber JSON of a run.
pub fn render(outcomes: &[ScenarioOutcome], strict: bool) -> String {
    let mut features: Vec<(&str, Vec<&ScenarioOutcome>)> = Vec::new();
    for outcome in outcomes {
        let uri = uri(outcome);
        match features.iter_mut().find(|(known, _)| *known == uri) {
            Some((_, scenarios)) => scenarios.push(outcome),
            None => features.push((uri, vec![outcome])),
        }
    }
    let features: Vec<Value> = features.into_iter().map(|(uri, scenarios)| feature(uri, &scenarios, strict)).collect();
    Value::Array(features).to_string()
}

/// `features/x.feature` of `features/x.feature:12`.
fn uri(outcome: &ScenarioOutcome) -> &str {
    outcome.location.rsplit_once(':').map_or(outcome.location.as_str(), |(path, _)| path)
}

fn line(outcome: &ScenarioOutcome) -> usize {
    outcome.location.rsplit_once(':').and_then(|(_, line)| line.parse().ok()).unwrap_or_default()
}

fn feature(uri: &str, scenarios: &[&ScenarioOutcome], strict: bool) -> Value {
    let first = scenarios[0];
    let source = &first.source;
    let elements: Vec<Value> = scenarios.iter().flat_map(|outcome| elements(outcome, strict)).collect();
    json!({
        "uri": uri,
        "id": slug(&first.feature),
        "keyword": "Feature",
        "name": first.feature,
        "description": source.feature_description.clone().unwrap_or_default(),
        "line": source.feature_line,
        "tags": tags(&source.feature_tags, source.feature_line),
        "elements": elements,
    })
}

/// A scenario's elements: its background's steps (if any), then the scenario.
fn elements(outcome: &ScenarioOutcome, strict: bool) -> Vec<Value> {
    let reading = outcome.reading(strict);
    let (background, own): (Vec<&StepOutcome>, Vec<&StepOutcome>) = outcome.steps.iter().partition(|s| s.background);
    let mut tags = tags(&outcome.tags, line(outcome));
    let note = match reading {
        Reading::Warning(message) => Some(("@warning", format!("{WARNING}: {message}"))),
        Reading::Known(message) => Some(("@known-deviation", message.to_owned())),
        _ => None,
    };
    if let (Some((tag, _)), Some(tags)) = (&note, tags.as_array_mut()) {
        tags.push(json!({ "name": tag, "line": line(outcome) }));
    }
    let steps = |steps: &[&StepOutcome]| -> Vec<Value> {
        steps.iter().map(|s| step(s, note.as_ref().map(|(_, message)| message.as_str()))).collect()
    };
    let mut elements = Vec::new();
    if !background.is_empty() {
        elements.push(json!({
            "keyword": "Background",
            "type": "background",
            "name": "",
            "description": "",
            "line": outcome.source.background_line.unwrap_or_default(),
            "steps": steps(&background),
        }));
    }
    let description = match reading {
        Reading::Skipped(reason) => format!("Skipped: {reason}"),
        _ => String::new(),
    };
    let mut scenario = json!({
        "id": format!("{};{};;{}", slug(&outcome.feature), slug(&outcome.scenario), line(outcome)),
        "keyword": if outcome.source.keyword.is_empty() { "Scenario" } else { outcome.source.keyword.as_str() },
        "type": "scenario",
        "name": outcome.scenario,
        "description": description,
        "line": line(outcome),
        "tags": tags,
        "steps": steps(&own),
    });
    // A hook that failed the scenario (no step did): report tools read its failure there.
    if let (Some(hook), Reading::Failed(message) | Reading::Warning(message)) = (outcome.failed_hook, reading) {
        let name = if hook == HookKind::Before { "before" } else { "after" };
        scenario[name] = json!([{ "match": { "location": "vb365-conformance" }, "result": {
            "status": if matches!(reading, Reading::Warning(_)) { "passed" } else { "failed" },
            "error_message": message,
        } }]);
    }
    elements.push(scenario);
    elements
}

/// A step; `accepted` is the warning or known deviation that makes its failure pass.
fn step(step: &StepOutcome, accepted: Option<&str>) -> Value {
    let mut result = json!({
        "status": step.status.name(),
        "duration": (step.seconds * 1e9) as u64,
    });
    let mut value = json!({
        "keyword": step.keyword,
        "name": step.text,
        "line": step.line,
    });
    match (step.status, accepted) {
        (StepStatus::Failed, Some(message)) => {
            result["status"] = json!("passed");
            value["output"] = json!([message]);
        }
        (StepStatus::Failed, None) => {
            result["error_message"] = json!(step.error.clone().unwrap_or_default());
        }
        _ => {}
    }
    value["result"] = result;
    if !step.table.is_empty() {
        value["rows"] = step.table.iter().map(|row| json!({ "cells": row })).collect();
    }
    if let Some(docstring) = &step.docstring {
        value["doc_string"] = json!({ "value": docstring, "line": step.line + 1 });
    }
    value
}

fn tags(names: &[String], line: usize) -> Value {
    names.iter().map(|name| json!({ "name": format!("@{name}"), "line": line })).collect()
}

/// `The authorization header` as `the-authorization-header`.
fn slug(name: &str) -> String {
    let lower = name.to_lowercase();
    let words = lower.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty());
    words.collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Source, Status};

    fn outcome(status: Status, tags: &[&str], steps: Vec<StepOutcome>) -> ScenarioOutcome {
        ScenarioOutcome {
            feature: "The authorization header".into(),
            scenario: "A refusal (header: is missing)".into(),
            location: "features/authorization.feature:19".into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            status,
            message: Some("Then the request is refused: [AUTH-401] expected 401, got 403".into()),
            failed_requirements: vec!["AUTH-401".into()],
            cause: None,
            seconds: 0.1,
            steps,
            source: Source {
                keyword: "Scenario Outline".into(),
                feature_line: 3,
                feature_tags: vec!["password".into()],
                feature_description: None,
                background_line: Some(7),
            },
            failed_hook: None,
        }
    }

    fn step(text: &str, background: bool, status: StepStatus) -> StepOutcome {
        StepOutcome {
            keyword: "Given ".into(),
            text: text.into(),
            line: 8,
            background,
            table: vec![vec!["a".into(), "b".into()]],
            docstring: None,
            status,
            seconds: 0.5,
            error: (status == StepStatus::Failed).then(|| "expected 401, got 403".into()),
        }
    }

    fn rendered(outcome: &ScenarioOutcome, strict: bool) -> Value {
        serde_json::from_str(&render(std::slice::from_ref(outcome), strict)).unwrap()
    }

    #[test]
    fn a_skipped_scenario_keeps_its_real_steps_and_says_why() {
        let mut skipped = outcome(
            Status::Skipped,
            &["password", "must"],
            vec![step("a token", true, StepStatus::Skipped), step("a restore", false, StepStatus::Skipped)],
        );
        skipped.message = Some("set VB365_ALLOW_RESTORE=1".into());
        let json = rendered(&skipped, false);
        let feature = &json[0];
        assert_eq!(feature["uri"], "features/authorization.feature");
        assert_eq!(feature["tags"], json!([{ "name": "@password", "line": 3 }]));
        let elements = feature["elements"].as_array().unwrap();
        assert_eq!(elements.len(), 2);
        assert_eq!(elements[0]["type"], "background");
        assert_eq!(elements[0]["steps"][0]["name"], "a token");
        assert_eq!(elements[1]["steps"][0]["name"], "a restore");
        assert_eq!(elements[1]["steps"][0]["result"]["status"], "skipped");
        assert_eq!(elements[1]["steps"][0]["rows"], json!([{ "cells": ["a", "b"] }]));
        assert_eq!(elements[1]["description"], "Skipped: set VB365_ALLOW_RESTORE=1");
        assert_eq!(elements[1]["name"], "A refusal (header: is missing)");
        assert_eq!(elements[1]["id"], "the-authorization-header;a-refusal-header-is-missing;;19");
    }

    #[test]
    fn a_failed_should_is_a_passing_warning_unless_strict() {
        let failed = outcome(Status::Failed, &["should"], vec![step("refused", false, StepStatus::Failed)]);
        let normal = rendered(&failed, false);
        let scenario = &normal[0]["elements"][0];
        assert_eq!(scenario["steps"][0]["result"]["status"], "passed");
        assert!(scenario["steps"][0]["output"][0].as_str().unwrap().starts_with(WARNING));
        assert!(scenario["tags"].as_array().unwrap().contains(&json!({ "name": "@warning", "line": 19 })));

        let strict = rendered(&failed, true);
        let step = &strict[0]["elements"][0]["steps"][0];
        assert_eq!(step["result"]["status"], "failed");
        assert_eq!(step["result"]["error_message"], "expected 401, got 403");
    }

    #[test]
    fn a_failed_hook_is_reported_as_one() {
        let mut failed = outcome(Status::Failed, &["must"], vec![step("refused", false, StepStatus::Skipped)]);
        failed.failed_hook = Some(HookKind::Before);
        let json = rendered(&failed, false);
        let scenario = &json[0]["elements"][0];
        assert_eq!(scenario["before"][0]["result"]["status"], "failed");
        assert!(scenario["before"][0]["result"]["error_message"].as_str().unwrap().contains("AUTH-401"));
    }

    #[test]
    fn a_failed_must_stays_failed() {
        let failed = outcome(Status::Failed, &["must"], vec![step("refused", false, StepStatus::Failed)]);
        let json = rendered(&failed, false);
        assert_eq!(json[0]["elements"][0]["steps"][0]["result"]["status"], "failed");
    }
}
