//! The cucumber writer that records each scenario's outcome for the reports, with the
//! requirements its failure broke taken from the failure itself (see [`failure`]).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Instant;

use cucumber::event::{self, Cucumber, Feature, Hook, Rule, Scenario, Step};
use cucumber::{Event, Writer, gherkin, parser};

use vb365_conformance::failure::Failure;
use vb365_conformance::report::console::{self, Style};
use vb365_conformance::report::{ScenarioOutcome, Source, Status, StepOutcome, StepStatus};

use crate::parser::{self as planned, SKIP_STEP_PREFIX};
use vb365_conformance::secrets;

/// The failures steps reported, by the text cucumber passes on: the ledger reads the
/// requirements a failure broke from the failure, never from its words.
static FAILURES: LazyLock<Mutex<HashMap<String, Vec<String>>>> = LazyLock::new(Default::default);

/// A step's failure as the error text cucumber carries, remembered with its requirements.
pub fn failure(failure: Failure) -> String {
    let text = failure.to_string();
    FAILURES.lock().unwrap_or_else(|p| p.into_inner()).insert(text.clone(), failure.requirement_ids());
    text
}

/// The scenarios each recorded round trip (by its number in exchanges.har) served: on a live
/// server one restore serves every scenario of its variant.
static ROUND_TRIPS: LazyLock<Mutex<HashMap<usize, Vec<String>>>> = LazyLock::new(Default::default);

/// Records that the round trips `numbers` served the scenario at `location`.
pub fn served(location: &str, numbers: impl IntoIterator<Item = usize>) {
    let mut trips = ROUND_TRIPS.lock().unwrap_or_else(|p| p.into_inner());
    for number in numbers {
        trips.entry(number).or_default().push(location.to_owned());
    }
}

/// Which scenarios each recorded round trip served, by its number.
pub fn round_trips() -> HashMap<usize, Vec<String>> {
    ROUND_TRIPS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// `features/x.feature:12`, as every report names a scenario.
pub fn location(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    format!(
        "{}:{}",
        feature.path.as_ref().map(|p| relative(p)).unwrap_or_else(|| feature.name.clone()),
        scenario.position.line
    )
}

fn failed_requirements(text: &str) -> Vec<String> {
    FAILURES.lock().unwrap_or_else(|p| p.into_inner()).get(text).cloned().unwrap_or_default()
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

/// A scenario's steps as the feature file words them, background first, none run yet.
pub fn step_outcomes(background: Option<&gherkin::Background>, steps: &[gherkin::Step]) -> Vec<StepOutcome> {
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
    let background = background.into_iter().flat_map(|b| &b.steps).map(|step| of(step, true));
    background.chain(steps.iter().map(|step| of(step, false))).collect()
}

/// Where a scenario of `feature` stands in its file.
pub fn source(
    feature: &gherkin::Feature,
    background: Option<&gherkin::Background>,
    scenario: &gherkin::Scenario,
) -> Source {
    Source {
        keyword: scenario.keyword.clone(),
        feature_line: feature.position.line,
        feature_tags: feature.tags.clone(),
        feature_description: feature.description.clone(),
        background_line: background.map(|b| b.position.line),
    }
}

/// A scenario running: its outcome so far, the step running (its index and start).
#[derive(Clone, Debug)]
struct Running {
    outcome: ScenarioOutcome,
    started: Instant,
    step: Option<(usize, Instant)>,
    steps_started: usize,
    /// The World when a step failed (`-vv`): its `Debug`, which is redacted.
    world: Option<String>,
}

/// A cucumber writer that records scenario outcomes into a shared list, read after the run, and
/// shows each scenario on the console as it ends.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    outcomes: Arc<Mutex<Vec<ScenarioOutcome>>>,
    running: HashMap<String, Running>,
    parse_errors: Arc<Mutex<Vec<String>>>,
    last_feature: Option<String>,
    /// The console's style and verbosity, from the command line.
    console: Option<(Style, u8)>,
}

impl Ledger {
    pub fn new() -> Self {
        Self::default()
    }

    /// The outcomes recorded so far (all of them, once the run has finished).
    pub fn outcomes(&self) -> Vec<ScenarioOutcome> {
        self.outcomes.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Feature files that could not be parsed.
    pub fn parse_errors(&self) -> Vec<String> {
        self.parse_errors.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn on_scenario<W: std::fmt::Debug>(
        &mut self,
        style: Style,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        event: Scenario<W>,
    ) {
        let location = location(feature, scenario);
        let key = location.clone();
        match event {
            Scenario::Started => {
                let tags = feature
                    .tags
                    .iter()
                    .chain(rule.iter().flat_map(|r| r.tags.iter()))
                    .chain(scenario.tags.iter())
                    .cloned()
                    .collect();
                // The parser's plan has the real steps (a skipped scenario runs a stand-in).
                let (steps, source) = planned::planned_steps(&location).unwrap_or_else(|| {
                    let background = rule.and_then(|r| r.background.as_ref()).or(feature.background.as_ref());
                    (step_outcomes(background, &scenario.steps), self::source(feature, background, scenario))
                });
                let outcome = ScenarioOutcome {
                    feature: feature.name.clone(),
                    scenario: scenario_title(scenario),
                    location,
                    tags,
                    status: Status::Passed,
                    message: None,
                    failed_requirements: Vec::new(),
                    seconds: 0.0,
                    steps,
                    source,
                };
                let running = Running { outcome, started: Instant::now(), step: None, steps_started: 0, world: None };
                self.running.insert(key, running);
            }
            Scenario::Hook(_, Hook::Failed(_, info)) => self.fail(&key, panic_message(&info), Vec::new()),
            Scenario::Step(step, event) | Scenario::Background(step, event) => self.on_step(&key, &step, event),
            Scenario::Finished => {
                if let Some(Running { mut outcome, started, world, .. }) = self.running.remove(&key) {
                    outcome.seconds = started.elapsed().as_secs_f64();
                    self.show(&outcome, world.as_deref(), style);
                    self.outcomes.lock().unwrap_or_else(|p| p.into_inner()).push(outcome);
                }
            }
            _ => {}
        }
    }

    fn on_step<W: std::fmt::Debug>(&mut self, key: &str, step: &gherkin::Step, event: Step<W>) {
        let show_world = self.console.is_some_and(|(_, verbose)| verbose >= 2);
        if step.value.starts_with(SKIP_STEP_PREFIX) {
            // The stand-in of a skipped scenario: its real steps stay as planned, skipped.
            if let (Step::Skipped, Some(running)) = (&event, self.running.get_mut(key)) {
                running.outcome.status = Status::Skipped;
                let reason = step.value.trim_start_matches(SKIP_STEP_PREFIX);
                running.outcome.message = Some(secrets::scrub(reason));
            }
            return;
        }
        let Some(running) = self.running.get_mut(key) else { return };
        if let Step::Started = event {
            running.step = Some((running.steps_started, Instant::now()));
            running.steps_started += 1;
            return;
        }
        let Some((index, started)) = running.step else { return };
        let record = running.outcome.steps.get_mut(index);
        match event {
            Step::Passed(..) => {
                if let Some(record) = record {
                    record.status = StepStatus::Passed;
                    record.seconds = started.elapsed().as_secs_f64();
                }
            }
            Step::Failed(_, _, world, error) => {
                if let (true, Some(world)) = (show_world, world) {
                    running.world = Some(format!("World: {world:#?}"));
                }
                let error = step_error(&error);
                if let Some(record) = record {
                    record.status = StepStatus::Failed;
                    record.seconds = started.elapsed().as_secs_f64();
                    record.error = Some(secrets::scrub(&error));
                }
                let broke = failed_requirements(&error);
                self.fail(key, format!("{} {}: {error}", step.keyword.trim(), step.value), broke);
            }
            Step::Skipped => {
                if running.outcome.status == Status::Passed {
                    running.outcome.status = Status::Skipped;
                    let reason = format!("{} {}: no step definition matches it", step.keyword.trim(), step.value);
                    running.outcome.message = Some(secrets::scrub(&reason));
                }
            }
            Step::Started => {}
        }
    }

    /// The scenario on the console, after its feature's name when it is the feature's first.
    fn show(&mut self, outcome: &ScenarioOutcome, world: Option<&str>, style: Style) {
        let strict = crate::world::SETTINGS.get().is_some_and(|settings| settings.strict);
        let mut text = String::new();
        if self.last_feature.as_deref() != Some(outcome.feature.as_str()) {
            text = format!("{}\n", console::feature(&outcome.feature, style));
            self.last_feature = Some(outcome.feature.clone());
        }
        text.push_str(&console::scenario(outcome, strict, style));
        if let Some(world) = world {
            text.extend(world.lines().map(|line| format!("      {line}\n")));
        }
        print!("{}", secrets::scrub(&text));
    }

    fn fail(&mut self, key: &str, message: String, failed_requirements: Vec<String>) {
        if let Some(Running { outcome, .. }) = self.running.get_mut(key) {
            if outcome.status != Status::Failed {
                outcome.status = Status::Failed;
                outcome.message = Some(secrets::scrub(&message));
                outcome.failed_requirements = failed_requirements;
            }
        }
    }
}

fn relative(path: &std::path::Path) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

fn panic_message(info: &event::Info) -> String {
    info.downcast_ref::<String>()
        .cloned()
        .or_else(|| info.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a step panicked".to_owned())
}

fn step_error(error: &event::StepError) -> String {
    match error {
        event::StepError::Panic(info) => panic_message(info),
        other => other.to_string(),
    }
}

impl<W: std::fmt::Debug + 'static> Writer<W> for Ledger {
    type Cli = crate::cli::ConsoleOptions;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, options: &Self::Cli) {
        let (style, _) = *self.console.get_or_insert_with(|| (options.style(), options.verbose));
        match event.map(Event::into_inner) {
            Err(error) => {
                self.parse_errors.lock().unwrap_or_else(|p| p.into_inner()).push(secrets::scrub(&error.to_string()))
            }
            Ok(Cucumber::Feature(feature, Feature::Scenario(scenario, retryable))) => {
                self.on_scenario(style, &feature, None, &scenario, retryable.event);
            }
            Ok(Cucumber::Feature(feature, Feature::Rule(rule, Rule::Scenario(scenario, retryable)))) => {
                self.on_scenario(style, &feature, Some(&rule), &scenario, retryable.event);
            }
            Ok(_) => {}
        }
    }
}
