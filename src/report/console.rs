//! The console's account of a run, scenario by scenario as each ends: its real steps with how
//! each ended (a skipped scenario's steps too, with the reason), a failure's message as the
//! reports carry it, outline rows named by their values; then a summary of the counts.

use super::{Reading, ScenarioOutcome, StepOutcome, StepStatus, Tally, WARNING};

/// Whether the console shows colours (ANSI escapes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }
}

/// `Feature: ...`, printed before the feature's first scenario.
pub fn feature(name: &str, style: Style) -> String {
    style.paint("1", &format!("Feature: {name}"))
}

/// `Scenario: ...` (or `Scenario Outline: ... (row values)`), as the scenario starts.
pub fn header(outcome: &ScenarioOutcome, style: Style) -> String {
    let keyword = if outcome.source.keyword.is_empty() { "Scenario" } else { &outcome.source.keyword };
    format!("  {}\n", style.paint("1", &format!("{keyword}: {}", outcome.scenario)))
}

/// A step as it ended: its mark and words, its table or doc string, and why it failed.
pub fn step(step: &StepOutcome, warning: bool, style: Style) -> String {
    let (mark, code) = match (step.status, warning) {
        (StepStatus::Passed, _) => ("✔", "32"),
        (StepStatus::Failed, true) => ("!", "33"),
        (StepStatus::Failed, false) => ("✘", "31"),
        (StepStatus::Skipped, _) => ("-", "36"),
        (StepStatus::Undefined, _) => ("?", "33"),
    };
    let background = if step.background { ">" } else { " " };
    let mut out = format!("{}\n", style.paint(code, &format!("   {mark}{background} {}{}", step.keyword, step.text)));
    for row in &step.table {
        out.push_str(&format!("{}\n", style.paint(code, &format!("       | {} |", row.join(" | ")))));
    }
    if let Some(docstring) = &step.docstring {
        out.push_str(&format!("{}\n", style.paint(code, &indented(&format!("\"\"\"\n{docstring}\n\"\"\"")))));
    }
    if let (StepStatus::Failed, Some(error)) = (step.status, &step.error) {
        let error = if warning { format!("{WARNING}: {error}") } else { error.clone() };
        out.push_str(&format!("{}\n", style.paint(code, &indented(&error))));
    }
    out
}

/// What follows a scenario's steps: why it was skipped, or a failure outside its steps (a hook).
pub fn ending(outcome: &ScenarioOutcome, strict: bool, style: Style) -> String {
    match outcome.reading(strict) {
        Reading::Skipped(reason) => format!("{}\n", style.paint("36", &indented(&format!("Skipped: {reason}")))),
        Reading::Failed(message) | Reading::Warning(message)
            if !outcome.steps.iter().any(|s| s.status == StepStatus::Failed) =>
        {
            format!("{}\n", style.paint("31", &indented(message)))
        }
        _ => String::new(),
    }
}

fn indented(text: &str) -> String {
    text.lines().map(|line| format!("      {line}")).collect::<Vec<_>>().join("\n")
}

/// The counts of features, scenarios and steps.
pub fn summary(outcomes: &[ScenarioOutcome]) -> String {
    let mut features: Vec<&str> = outcomes.iter().map(|o| o.feature.as_str()).collect();
    features.sort_unstable();
    features.dedup();
    let tally = Tally::of(outcomes);
    let scenarios = counts(&[
        ("passed", tally.passed),
        ("failed", tally.failed),
        ("known deviations", tally.known),
        ("skipped", tally.skipped),
    ]);
    let steps: Vec<&StepOutcome> = outcomes.iter().flat_map(|o| &o.steps).collect();
    let of = |status| steps.iter().filter(|s| s.status == status).count();
    let step_counts = counts(&[
        ("passed", of(StepStatus::Passed)),
        ("failed", of(StepStatus::Failed)),
        ("skipped", of(StepStatus::Skipped)),
        ("undefined", of(StepStatus::Undefined)),
    ]);
    format!(
        "[Summary]\n{}\n{} ({scenarios})\n{} ({step_counts})\n",
        plural(features.len(), "feature"),
        plural(outcomes.len(), "scenario"),
        plural(steps.len(), "step")
    )
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

fn counts(counts: &[(&str, usize)]) -> String {
    let given: Vec<String> = counts.iter().filter(|(_, n)| *n > 0).map(|(name, n)| format!("{n} {name}")).collect();
    if given.is_empty() { "none".to_owned() } else { given.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Source, Status};

    /// A scenario that has ended, as the runner shows it piece by piece.
    fn scenario(outcome: &ScenarioOutcome, strict: bool, style: Style) -> String {
        let mut out = header(outcome, style);
        let warning = outcome.warns(strict);
        out.extend(outcome.steps.iter().map(|s| super::step(s, warning, style)));
        out.push_str(&ending(outcome, strict, style));
        out
    }

    fn step(text: &str, background: bool, status: StepStatus, error: Option<&str>) -> StepOutcome {
        StepOutcome {
            keyword: "Given ".into(),
            text: text.into(),
            line: 1,
            background,
            table: Vec::new(),
            docstring: None,
            status,
            seconds: 0.0,
            error: error.map(str::to_owned),
        }
    }

    fn outcome(status: Status, tags: &[&str], message: &str, steps: Vec<StepOutcome>) -> ScenarioOutcome {
        ScenarioOutcome {
            feature: "F".into(),
            scenario: "S (header: is missing)".into(),
            location: "features/f.feature:9".into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            status,
            message: Some(message.into()),
            failed_requirements: Vec::new(),
            cause: None,
            seconds: 0.0,
            steps,
            source: Source { keyword: "Scenario Outline".into(), ..Source::default() },
            failed_hook: None,
        }
    }

    #[test]
    fn a_skipped_scenario_shows_its_real_steps_and_the_reason() {
        let steps =
            vec![step("a token", true, StepStatus::Skipped, None), step("a restore", false, StepStatus::Skipped, None)];
        let text =
            scenario(&outcome(Status::Skipped, &[], "set VB365_ALLOW_RESTORE=1", steps), false, Style::default());
        assert_eq!(
            text,
            "  Scenario Outline: S (header: is missing)\n   -> Given a token\n   -  Given a restore\n      Skipped: set VB365_ALLOW_RESTORE=1\n"
        );
    }

    #[test]
    fn a_failure_shows_its_message_and_a_should_reads_as_a_warning_unless_strict() {
        let steps = vec![step("refused", false, StepStatus::Failed, Some("[AUTH-401] expected 401\ngot 403"))];
        let failed = outcome(Status::Failed, &["should"], "m", steps);
        let normal = scenario(&failed, false, Style::default());
        assert!(normal.contains("   !  Given refused\n      WARNING (a should"), "{normal}");
        let strict = scenario(&failed, true, Style::default());
        assert!(strict.contains("   ✘  Given refused\n      [AUTH-401] expected 401\n      got 403\n"), "{strict}");
        assert!(scenario(&failed, true, Style { color: true }).contains("\x1b[31m"));
    }

    #[test]
    fn the_summary_counts_features_scenarios_and_steps() {
        let passed = outcome(Status::Passed, &[], "", vec![step("a", false, StepStatus::Passed, None)]);
        let skipped = outcome(Status::Skipped, &[], "why", vec![step("b", false, StepStatus::Skipped, None)]);
        let undefined =
            outcome(Status::Skipped, &[], "no definition", vec![step("c", false, StepStatus::Undefined, None)]);
        assert_eq!(
            summary(&[passed, skipped, undefined]),
            "[Summary]\n1 feature\n3 scenarios (1 passed, 2 skipped)\n3 steps (1 passed, 1 skipped, 1 undefined)\n"
        );
    }
}
