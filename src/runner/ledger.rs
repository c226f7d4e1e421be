//! The cucumber writer that records each scenario's outcome for the reports, with the
//! requirements its failure broke taken from the failure itself (see [`failure`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cucumber::event::{self, Cucumber, Feature, Hook, HookType, RetryableScenario, Rule, Scenario, Step};
use cucumber::{Event, Writer, gherkin, parser};

use crate::report::console::{self, Style};
use crate::report::{HookKind, ScenarioOutcome, Status, StepStatus};
use crate::runner::run::Run;
use crate::runner::world::{Broken, RestoreWorld};

use crate::runner::parser::{self as planned, SKIP_STEP_PREFIX};
use crate::runner::scenario::{location, scenario_title, source, step_outcomes};
use crate::secrets;

/// A scenario running: its outcome so far, the step running (its index and start), how many of
/// its steps the console shows already.
#[derive(Clone, Debug)]
struct Running {
    outcome: ScenarioOutcome,
    started: Instant,
    step: Option<(usize, Instant)>,
    steps_started: usize,
    shown: usize,
}

/// A cucumber writer that records scenario outcomes into a shared list, read after the run, and
/// shows each scenario on the console, step by step as they end.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    outcomes: Arc<Mutex<Vec<ScenarioOutcome>>>,
    running: HashMap<String, Running>,
    parse_errors: Arc<Mutex<Vec<String>>>,
    last_feature: Option<String>,
    /// The console's style and verbosity, from the command line.
    console: (Style, u8),
    /// The run whose scenarios it records (its plan, whether it is strict).
    run: Option<Run>,
}

impl Ledger {
    pub fn new() -> Self {
        Self::default()
    }

    /// The ledger for the scenarios of `run` (sharing what this one recorded).
    pub fn of(&self, run: Run) -> Self {
        Ledger { run: Some(run), ..self.clone() }
    }

    /// Whether the run is strict (a failed should requirement then fails it).
    fn strict(&self) -> bool {
        self.run.as_ref().is_some_and(|run| run.settings().strict)
    }

    /// The outcomes recorded so far (all of them, once the run has finished).
    pub fn outcomes(&self) -> Vec<ScenarioOutcome> {
        self.outcomes.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Feature files that could not be parsed.
    pub fn parse_errors(&self) -> Vec<String> {
        self.parse_errors.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn on_scenario(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        event: RetryableScenario<RestoreWorld>,
    ) {
        let location = location(feature, scenario);
        let key = location.clone();
        match event.event {
            Scenario::Started => {
                let tags = feature
                    .tags
                    .iter()
                    .chain(rule.iter().flat_map(|r| r.tags.iter()))
                    .chain(scenario.tags.iter())
                    .cloned()
                    .collect();
                // The parser's plan has the real steps (a skipped scenario runs a stand-in).
                let planned = self.run.as_ref().and_then(|run| planned::planned_steps(run, &location));
                let (steps, source) =
                    planned.unwrap_or_else(|| (step_outcomes(feature, rule, scenario), source(feature, scenario)));
                let outcome = ScenarioOutcome {
                    feature: feature.name.clone(),
                    scenario: scenario_title(scenario),
                    location,
                    tags,
                    status: Status::Passed,
                    message: None,
                    failed_requirements: Vec::new(),
                    cause: None,
                    seconds: 0.0,
                    steps,
                    source,
                    failed_hook: None,
                };
                let mut shown = String::new();
                if self.last_feature.as_deref() != Some(outcome.feature.as_str()) {
                    shown = format!("{}\n", console::feature(&outcome.feature, self.console.0));
                    self.last_feature = Some(outcome.feature.clone());
                }
                shown.push_str(&console::header(&outcome, self.console.0));
                show(&shown);
                let running = Running { outcome, started: Instant::now(), step: None, steps_started: 0, shown: 0 };
                self.running.insert(key, running);
            }
            Scenario::Hook(kind, Hook::Failed(_, info)) => {
                self.fail(&key, panic_message(&info), Broken::default());
                if let Some(running) = self.running.get_mut(&key) {
                    running.outcome.failed_hook.get_or_insert(match kind {
                        HookType::Before => HookKind::Before,
                        HookType::After => HookKind::After,
                    });
                }
            }
            Scenario::Step(step, event) | Scenario::Background(step, event) => self.on_step(&key, &step, event),
            Scenario::Finished => {
                let Some(Running { mut outcome, started, shown, .. }) = self.running.remove(&key) else { return };
                outcome.seconds = started.elapsed().as_secs_f64();
                let strict = self.strict();
                let warning = outcome.warns(strict);
                let mut rest: String =
                    outcome.steps.iter().skip(shown).map(|step| console::step(step, warning, self.console.0)).collect();
                rest.push_str(&console::ending(&outcome, strict, self.console.0));
                // A failed attempt cucumber runs again (--retry) is not the scenario's outcome.
                let retried = event.retries.filter(|r| outcome.status == Status::Failed && r.left > 0);
                if let Some(retries) = retried {
                    rest.push_str(&format!(
                        "      retried: attempt {} failed, {} left\n",
                        retries.current + 1,
                        retries.left
                    ));
                }
                show(&rest);
                if retried.is_none() {
                    self.outcomes.lock().unwrap_or_else(|p| p.into_inner()).push(outcome);
                }
            }
            _ => {}
        }
    }

    fn on_step(&mut self, key: &str, step: &gherkin::Step, event: Step<RestoreWorld>) {
        let strict = self.strict();
        if step.value.starts_with(SKIP_STEP_PREFIX) {
            // The stand-in of a skipped scenario: its real steps stay as planned, skipped.
            if let (Step::Skipped, Some(running)) = (&event, self.running.get_mut(key)) {
                running.outcome.status = Status::Skipped;
                let reason = step.value.trim_start_matches(SKIP_STEP_PREFIX);
                running.outcome.message = Some(secrets::scrub(reason));
            }
            return;
        }
        let (style, verbose) = self.console;
        let Some(running) = self.running.get_mut(key) else { return };
        if let Step::Started = event {
            running.step = Some((running.steps_started, Instant::now()));
            running.steps_started += 1;
            return;
        }
        let Some((index, started)) = running.step else { return };
        let seconds = started.elapsed().as_secs_f64();
        let mut world = None;
        let mut broke = Broken::default();
        let (status, error) = match event {
            Step::Started => return,
            Step::Passed(..) => (StepStatus::Passed, None),
            Step::Failed(_, _, state, error) => {
                // The failure the step reported, as data, from the World it left.
                if let Some(state) = &state {
                    broke = state.broken.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default();
                }
                world = state.filter(|_| verbose >= 2).map(|state| format!("World: {state:#?}"));
                (StepStatus::Failed, Some(step_error(&error)))
            }
            Step::Skipped => {
                if running.outcome.status == Status::Passed {
                    running.outcome.status = Status::Skipped;
                    let reason = format!("{} {}: no step definition matches it", step.keyword.trim(), step.value);
                    running.outcome.message = Some(secrets::scrub(&reason));
                }
                (StepStatus::Undefined, None)
            }
        };
        if let Some(record) = running.outcome.steps.get_mut(index) {
            record.status = status;
            record.seconds = seconds;
            record.error = error.as_deref().map(secrets::scrub);
        }
        if let Some(error) = error {
            self.fail(key, format!("{} {}: {error}", step.keyword.trim(), step.value), broke);
        }
        // The steps up to this one, as they ended (a failure under a should requirement is a
        // warning unless the run is strict), and the World under a failure at -vv.
        let Some(running) = self.running.get_mut(key) else { return };
        let warning = running.outcome.warns(strict);
        let upto = (index + 1).min(running.outcome.steps.len());
        let mut shown: String = running.outcome.steps[running.shown.min(upto)..upto]
            .iter()
            .map(|step| console::step(step, warning, style))
            .collect();
        running.shown = running.shown.max(upto);
        if let Some(world) = world {
            shown.extend(world.lines().map(|line| format!("      {line}\n")));
        }
        show(&shown);
    }

    fn fail(&mut self, key: &str, message: String, broken: Broken) {
        if let Some(Running { outcome, .. }) = self.running.get_mut(key) {
            if outcome.status != Status::Failed {
                outcome.status = Status::Failed;
                outcome.message = Some(secrets::scrub(&message));
                outcome.failed_requirements = broken.requirements;
                outcome.cause = broken.cause;
            }
        }
    }
}

/// Console text, redacted.
fn show(text: &str) {
    if !text.is_empty() {
        print!("{}", secrets::scrub(text));
    }
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

impl Writer<RestoreWorld> for Ledger {
    type Cli = crate::runner::cli::ConsoleOptions;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<RestoreWorld>>>, options: &Self::Cli) {
        match event.map(Event::into_inner) {
            Err(error) => {
                self.parse_errors.lock().unwrap_or_else(|p| p.into_inner()).push(secrets::scrub(&error.to_string()))
            }
            Ok(Cucumber::Started) => self.console = (options.style(), options.verbose),
            Ok(Cucumber::Feature(feature, Feature::Scenario(scenario, retryable))) => {
                self.on_scenario(&feature, None, &scenario, retryable);
            }
            Ok(Cucumber::Feature(feature, Feature::Rule(rule, Rule::Scenario(scenario, retryable)))) => {
                self.on_scenario(&feature, Some(&rule), &scenario, retryable);
            }
            Ok(_) => {}
        }
    }
}
