//! The feature parser: cucumber's own, then [`plan::skip_reason`] applied to every scenario. A
//! scenario that cannot run becomes one step that no definition matches, which cucumber reports
//! as skipped, with the reason as the step's text.

use cucumber::gherkin::{Feature, Scenario, Step};
use cucumber::parser::{self, Parser};
use futures::StreamExt as _;
use futures::stream::BoxStream;
use vb365_conformance::plan::{self, SKIP_STEP_PREFIX};

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

fn plan_feature(mut feature: Feature) -> Feature {
    let reasons: Vec<Option<String>> = feature
        .scenarios
        .iter()
        .map(|scenario| {
            let tags: Vec<String> = feature.tags.iter().chain(&scenario.tags).cloned().collect();
            let steps: Vec<String> = feature
                .background
                .iter()
                .flat_map(|b| &b.steps)
                .chain(&scenario.steps)
                .map(|s| s.value.clone())
                .collect();
            plan::skip_reason(settings(), &tags, &steps)
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
