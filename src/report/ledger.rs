//! The cucumber writer that records each scenario's outcome for the reports.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cucumber::event::{self, Cucumber, Feature, Hook, Rule, Scenario, Step};
use cucumber::{Event, Writer, cli, gherkin, parser};

use super::{ScenarioOutcome, Status};
use crate::secrets;

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
        let location = format!(
            "{}:{}",
            feature.path.as_ref().map(|p| relative(p)).unwrap_or_else(|| feature.name.clone()),
            scenario.position.line
        );
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
                            scenario: super::scenario_title(scenario),
                            location,
                            tags,
                            status: Status::Passed,
                            message: None,
                            seconds: 0.0,
                        },
                        std::time::Instant::now(),
                    ),
                );
            }
            Scenario::Hook(_, Hook::Failed(_, info)) => self.fail(&key, panic_message(&info)),
            Scenario::Step(step, Step::Failed(_, _, _, error))
            | Scenario::Background(step, Step::Failed(_, _, _, error)) => {
                self.fail(&key, format!("{} {}: {}", step.keyword.trim(), step.value, step_error(&error)));
            }
            Scenario::Step(step, Step::Skipped) | Scenario::Background(step, Step::Skipped) => {
                if let Some((outcome, _)) = self.running.get_mut(&key) {
                    if outcome.status == Status::Passed {
                        outcome.status = Status::Skipped;
                        let reason = match step.value.strip_prefix(super::SKIP_STEP_PREFIX) {
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

    fn fail(&mut self, key: &str, message: String) {
        if let Some((outcome, _)) = self.running.get_mut(key) {
            if outcome.status != Status::Failed {
                outcome.status = Status::Failed;
                outcome.message = Some(secrets::scrub(&message));
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
