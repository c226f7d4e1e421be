//! The feature parser: cucumber's own, then [`plan::skip_reason`] applied to every scenario. A
//! scenario that cannot run becomes one step that no definition matches, which cucumber reports
//! as skipped, with the reason as the step's text.

use cucumber::gherkin::{Feature, Scenario, Step};
use cucumber::parser::{self, Parser};
use futures::StreamExt as _;
use futures::stream::BoxStream;
use std::sync::Mutex;

use vb365_conformance::plan::{self, SKIP_STEP_PREFIX};
use vb365_conformance::report::{ScenarioOutcome, Status};

use crate::ledger::scenario_title;
use vb365_conformance::version;

use crate::world::settings;

#[derive(Debug, Default)]
pub struct PlannedParser(pub parser::Basic);

impl<I: AsRef<std::path::Path>> Parser<I> for PlannedParser {
    type Cli = <parser::Basic as Parser<I>>::Cli;
    type Output = BoxStream<'static, parser::Result<Feature>>;

    fn parse(self, input: I, cli: Self::Cli) -> Self::Output {
        self.0.parse(input, cli).map(|feature| feature.map(plan_feature)).boxed()
    }
}

/// Scenarios left out of a live run because only the double can check them.
pub static DOUBLE_ONLY: Mutex<Vec<ScenarioOutcome>> = Mutex::new(Vec::new());
/// Every scenario the run could have run, before cucumber's filters (--tags, --name): those that
/// did not run were filtered out, and the sign-off says so.
pub static PLANNED: Mutex<Vec<ScenarioOutcome>> = Mutex::new(Vec::new());

fn plan_feature(mut feature: Feature) -> Feature {
    let tags_of = |scenario: &Scenario| -> Vec<String> { feature.tags.iter().chain(&scenario.tags).cloned().collect() };
    // Scenarios of other API versions do not apply: they are dropped, not skipped.
    feature.scenarios.retain(|scenario| version::scenario_runs_in(&tags_of(scenario), settings().api_version));
    let (kept, left_out): (Vec<Scenario>, Vec<Scenario>) =
        std::mem::take(&mut feature.scenarios).into_iter().partition(|s| !plan::double_only(settings(), &tags_of(s)));
    let left_out: Vec<ScenarioOutcome> = left_out
        .iter()
        .map(|scenario| ScenarioOutcome {
            feature: feature.name.clone(),
            scenario: scenario_title(scenario),
            location: location(&feature, scenario),
            tags: tags_of(scenario),
            status: Status::Skipped,
            message: Some(plan::DOUBLE_ONLY_REASON.to_owned()),
            failed_requirements: Vec::new(),
            seconds: 0.0,
        })
        .collect();
    DOUBLE_ONLY.lock().unwrap_or_else(|p| p.into_inner()).extend(left_out);
    PLANNED.lock().unwrap_or_else(|p| p.into_inner()).extend(kept.iter().map(|scenario| ScenarioOutcome {
        feature: feature.name.clone(),
        scenario: scenario_title(scenario),
        location: location(&feature, scenario),
        tags: tags_of(scenario),
        status: Status::Skipped,
        message: Some("not run: filtered out by --tags, --name or --input".to_owned()),
        failed_requirements: Vec::new(),
        seconds: 0.0,
    }));
    feature.scenarios = kept;

    let reasons: Vec<Option<String>> = feature
        .scenarios
        .iter()
        .map(|scenario| {
            let steps: Vec<String> = feature
                .background
                .iter()
                .flat_map(|b| &b.steps)
                .chain(&scenario.steps)
                .map(|s| s.value.clone())
                .collect();
            plan::skip_reason(settings(), &tags_of(scenario), &steps, &crate::steps::PHRASES)
        })
        .collect();
    if reasons.iter().all(Option::is_none) {
        return feature;
    }
    // A skipped scenario must not run the background either (it may sign in or start a restore
    // session): move the background into the scenarios that run.
    let background = feature.background.take().map(|b| b.steps).unwrap_or_default();
    for (scenario, reason) in feature.scenarios.iter_mut().zip(reasons) {
        match reason {
            Some(reason) => skip(scenario, &reason),
            None => scenario.steps.splice(0..0, background.iter().cloned()).for_each(drop),
        }
    }
    feature
}

fn location(feature: &Feature, scenario: &Scenario) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = feature.path.as_deref().map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string());
    format!("{}:{}", path.unwrap_or_else(|| feature.name.clone()), scenario.position.line)
}

fn skip(scenario: &mut Scenario, reason: &str) {
    let Some(first) = scenario.steps.first().cloned() else {
        return;
    };
    scenario.steps = vec![Step {
        keyword: "Given ".into(),
        value: format!("{SKIP_STEP_PREFIX}{reason}"),
        docstring: None,
        table: None,
        ..first
    }];
}
