//! What the reports need of a Gherkin scenario, in one place for the parser and the ledger: its
//! location, its title, its steps (backgrounds first) and where its feature file puts it.

use cucumber::gherkin;

use crate::report::{Source, StepOutcome, StepStatus};

/// `features/x.feature:12`, as every report names a scenario.
pub fn location(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    format!(
        "{}:{}",
        feature.path.as_ref().map(|p| relative(p)).unwrap_or_else(|| feature.name.clone()),
        scenario.position.line
    )
}

/// A scenario's name, with its Examples row for an outline, each value named by its column:
/// outline rows share a name, and a reader must tell them apart.
pub fn scenario_title(scenario: &cucumber::gherkin::Scenario) -> String {
    let table = scenario.examples.first().and_then(|examples| examples.table.as_ref());
    let (Some(header), Some(values)) = (table.and_then(|t| t.rows.first()), table.and_then(|t| t.rows.get(1))) else {
        return scenario.name.clone();
    };
    if values.is_empty() {
        return scenario.name.clone();
    }
    let named: Vec<String> = header.iter().zip(values).map(|(column, value)| format!("{column}: {value}")).collect();
    format!("{} ({})", scenario.name, named.join(", "))
}

/// A scenario's steps as the feature file words them, none run yet: the feature's background,
/// then its rule's (cucumber runs both), then its own.
pub fn step_outcomes(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> Vec<StepOutcome> {
    let of = |step: &gherkin::Step, background: bool| StepOutcome {
        keyword: step.keyword.clone(),
        text: step.value.clone(),
        line: step.position.line,
        background,
        table: step.table.as_ref().map(|table| table.rows.clone()).unwrap_or_default(),
        docstring: step.docstring.clone(),
        status: StepStatus::Skipped,
        seconds: 0.0,
        error: None,
    };
    let backgrounds = feature.background.iter().chain(rule.and_then(|r| r.background.as_ref()));
    let background = backgrounds.flat_map(|b| &b.steps).map(|step| of(step, true));
    background.chain(scenario.steps.iter().map(|step| of(step, false))).collect()
}

/// Where a scenario of `feature` stands in its file.
pub fn source(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> Source {
    Source {
        keyword: scenario.keyword.clone(),
        feature_line: feature.position.line,
        feature_tags: feature.tags.clone(),
        feature_description: feature.description.clone(),
        background_line: feature.background.as_ref().map(|b| b.position.line),
    }
}

/// A feature file's path relative to the working folder (the built-in ones' paths are relative
/// already). Not the checkout's path: an installed binary holds none (tests/selftest/installed.rs).
fn relative(path: &std::path::Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&here).unwrap_or(path).display().to_string()
}
