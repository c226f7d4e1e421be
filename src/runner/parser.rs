//! The feature parser: cucumber's own, then [`plan::skip_reason`] applied to every scenario. A
//! scenario that cannot run becomes, for cucumber, one stand-in step that no definition matches,
//! with the reason as its text; the plan keeps every scenario's real steps, which the ledger
//! (and so every report) shows instead.

use cucumber::feature::Ext as _;
use cucumber::gherkin::{Feature, GherkinEnv, ParseFileError, Scenario, Step};
use cucumber::parser::{self, Parser};
use futures::StreamExt as _;
use futures::stream::{self, BoxStream};
use std::path::{Path, PathBuf};

use crate::report::{ScenarioOutcome, Source, Status, StepOutcome};
use crate::suite::plan;

use crate::contract::version;
use crate::runner::scenario::{location, scenario_title, source, step_outcomes};

use crate::runner::run::Run;

mod built_in {
    include!(concat!(env!("OUT_DIR"), "/features.rs"));
}

/// Where the feature files come from: those built into the binary, or a folder given by
/// `VB365_FEATURES_DIR`; `--input` (a glob, relative to the working folder) overrides both.
/// What it planned goes to the run ([`Run::plan`]).
#[derive(Debug)]
pub struct PlannedParser {
    pub basic: parser::Basic,
    pub run: Run,
}

impl<I: AsRef<Path>> Parser<I> for PlannedParser {
    type Cli = <parser::Basic as Parser<I>>::Cli;
    type Output = BoxStream<'static, parser::Result<Feature>>;

    /// `input` is the folder of `VB365_FEATURES_DIR`, or empty for the built-in feature files.
    fn parse(self, input: I, cli: Self::Cli) -> Self::Output {
        let from_folder = !input.as_ref().as_os_str().is_empty();
        let built_in = match (&cli.features, from_folder) {
            (None, false) => Some(BUILT_IN_FEATURES.iter().collect::<Vec<_>>()),
            // `--input features/x.feature` names a built-in feature file when no such file is
            // in the working folder.
            (Some(_), false) => input_arg().and_then(|glob| built_in_named(&glob)).map(|feature| vec![feature]),
            _ => None,
        };
        let run = self.run;
        let plan = move |feature: parser::Result<Feature>| feature.map(|feature| plan_feature(feature, &run));
        match built_in {
            Some(features) => {
                let parsed: Vec<_> = features.into_iter().map(|(name, text)| parse_built_in(name, text)).collect();
                stream::iter(parsed).map(plan).boxed()
            }
            None => self.basic.parse(input, cli).map(|feature| feature.map(relative_path)).map(plan).boxed(),
        }
    }
}

/// The suite's own feature files, built into the binary: (file name, text).
pub const BUILT_IN_FEATURES: &[(&str, &str)] = built_in::FEATURES;

/// Parses a built-in feature file; its path reads `features/<name>` in reports, as in the checkout.
fn parse_built_in(name: &str, text: &str) -> parser::Result<Feature> {
    let path = Path::new("features").join(name);
    let mut feature = Feature::parse(text, GherkinEnv::default())
        .map_err(|source| parser::Error::from(ParseFileError::Parsing { path: path.clone(), error: None, source }))?;
    feature.path = Some(path);
    feature.expand_examples().map_err(parser::Error::from)
}

/// The built-in feature file `glob` names (`features/x.feature`, `x.feature`), when no file
/// matches it in the working folder.
fn built_in_named(glob: &str) -> Option<&'static (&'static str, &'static str)> {
    if Path::new(glob).exists() {
        return None;
    }
    let name = glob.strip_prefix("./").unwrap_or(glob);
    let name = name.strip_prefix("features/").unwrap_or(name);
    BUILT_IN_FEATURES.iter().find(|(file, _)| *file == name)
}

/// The value of `--input` (`-i`), as given.
fn input_arg() -> Option<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    args.iter().enumerate().find_map(|(index, arg)| match arg.as_str() {
        "--input" | "-i" => args.get(index + 1).cloned(),
        _ => arg.strip_prefix("--input=").or_else(|| arg.strip_prefix("-i=")).map(str::to_owned),
    })
}

/// A feature file's path relative to the working folder when it is inside it, so that reports say
/// `features/x.feature:12` wherever the suite runs.
fn relative_path(mut feature: Feature) -> Feature {
    if let (Some(path), Ok(cwd)) = (&feature.path, std::env::current_dir()) {
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        let relative: Option<PathBuf> = path.strip_prefix(&cwd).ok().map(Path::to_path_buf);
        let relative = relative.or_else(|| path.strip_prefix("./").ok().map(Path::to_path_buf));
        if let Some(relative) = relative {
            feature.path = Some(relative);
        }
    }
    feature
}

/// The text of the step that stands for a skipped scenario (no step definition matches it): the
/// reason follows it; the ledger records the reason alone.
pub const SKIP_STEP_PREFIX: &str = "this scenario is skipped: ";

/// The real steps and the place of the scenario at `location`, as `run` planned it (before a
/// skipped scenario's steps gave way to the stand-in).
pub fn planned_steps(run: &Run, location: &str) -> Option<(Vec<StepOutcome>, Source)> {
    let plan = run.plan();
    plan.planned.iter().find(|p| p.location == location).map(|p| (p.steps.clone(), p.source.clone()))
}

fn plan_feature(mut feature: Feature, run: &Run) -> Feature {
    let settings = run.settings();
    let tags_of = |scenario: &Scenario| -> Vec<String> { feature.tags.iter().chain(&scenario.tags).cloned().collect() };
    // Scenarios of other API versions do not apply: they are dropped, not skipped.
    feature.scenarios.retain(|scenario| version::scenario_runs_in(&tags_of(scenario), settings.api_version));
    // What the live run's sign-in said of its tokens (rows that need a token of their own read it).
    let stated = run.live().and_then(|live| live.token.stated());
    // Each scenario with the reason it is left out of the run, if it is (decided once).
    let (left_out, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut feature.scenarios)
        .into_iter()
        .map(|scenario| (plan::left_out(settings, &tags_of(&scenario), stated), scenario))
        .partition(|(reason, _)| reason.is_some());
    let kept: Vec<Scenario> = kept.into_iter().map(|(_, scenario)| scenario).collect();
    let not_run = |scenario: &Scenario, message: &str| ScenarioOutcome {
        feature: feature.name.clone(),
        scenario: scenario_title(scenario),
        location: location(&feature, scenario),
        tags: tags_of(scenario),
        status: Status::Skipped,
        message: Some(message.to_owned()),
        failed_requirements: Vec::new(),
        cause: None,
        seconds: 0.0,
        steps: step_outcomes(&feature, None, scenario),
        source: source(&feature, scenario),
        failed_hook: None,
    };
    let left_out = left_out.iter().map(|(reason, scenario)| not_run(scenario, reason.as_deref().unwrap_or_default()));
    let filtered_out = "not run: filtered out by --tags, --name or --input";
    {
        let mut plan = run.plan();
        plan.left_out.extend(left_out);
        plan.planned.extend(kept.iter().map(|scenario| not_run(scenario, filtered_out)));
    }
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
            plan::skip_reason(settings, &tags_of(scenario), &steps, &crate::runner::steps::PHRASES)
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
