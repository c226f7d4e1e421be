//! The cucumber writer that records each scenario's outcome for the reports, with the
//! requirements its failure broke taken from the failure itself (see [`failure`]).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use cucumber::event::{self, Cucumber, Feature, Hook, Rule, Scenario, Step};
use cucumber::{Event, Writer, cli, gherkin, parser};

use vb365_conformance::failure::Failure;
use vb365_conformance::report::{ScenarioOutcome, Status};

use crate::parser::SKIP_STEP_PREFIX;
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

/// A cucumber writer that records scenario outcomes into a shared list, read after the run.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    outcomes: Arc<Mutex<Vec<ScenarioOutcome>>>,
    running: HashMap<String, (ScenarioOutcome, std::time::Instant)>,
    parse_errors: Arc<Mutex<Vec<String>>>,
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

    fn on_scenario<W>(
        &mut self,
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
                self.running.insert(
                    key,
                    (
                        ScenarioOutcome {
                            feature: feature.name.clone(),
                            scenario: scenario_title(scenario),
                            location,
                            tags,
                            status: Status::Passed,
                            message: None,
                            failed_requirements: Vec::new(),
                            seconds: 0.0,
                        },
                        std::time::Instant::now(),
                    ),
                );
            }
            Scenario::Hook(_, Hook::Failed(_, info)) => self.fail(&key, panic_message(&info), Vec::new()),
            Scenario::Step(step, Step::Failed(_, _, _, error))
            | Scenario::Background(step, Step::Failed(_, _, _, error)) => {
                let error = step_error(&error);
                let broke = failed_requirements(&error);
                self.fail(&key, format!("{} {}: {error}", step.keyword.trim(), step.value), broke);
            }
            Scenario::Step(step, Step::Skipped) | Scenario::Background(step, Step::Skipped) => {
                if let Some((outcome, _)) = self.running.get_mut(&key) {
                    if outcome.status == Status::Passed {
                        outcome.status = Status::Skipped;
                        let reason = match step.value.strip_prefix(SKIP_STEP_PREFIX) {
                            Some(reason) => reason.to_owned(),
                            None => format!("{} {}: no step definition matches it", step.keyword.trim(), step.value),
                        };
                        outcome.message = Some(secrets::scrub(&reason));
                    }
                }
            }
            Scenario::Finished => {
                if let Some((mut outcome, started)) = self.running.remove(&key) {
                    outcome.seconds = started.elapsed().as_secs_f64();
                    self.outcomes.lock().unwrap_or_else(|p| p.into_inner()).push(outcome);
                }
            }
            _ => {}
        }
    }

    fn fail(&mut self, key: &str, message: String, failed_requirements: Vec<String>) {
        if let Some((outcome, _)) = self.running.get_mut(key) {
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

impl<W: 'static> Writer<W> for Ledger {
    type Cli = cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
        match event.map(Event::into_inner) {
            Err(error) => {
                self.parse_errors.lock().unwrap_or_else(|p| p.into_inner()).push(secrets::scrub(&error.to_string()))
            }
            Ok(Cucumber::Feature(feature, Feature::Scenario(scenario, retryable))) => {
                self.on_scenario(&feature, None, &scenario, retryable.event);
            }
            Ok(Cucumber::Feature(feature, Feature::Rule(rule, Rule::Scenario(scenario, retryable)))) => {
                self.on_scenario(&feature, Some(&rule), &scenario, retryable.event);
            }
            Ok(_) => {}
        }
    }
}
