//! The console's account of a run, scenario by scenario as each ends: its real steps with how
//! each ended (a skipped scenario's steps too, with the reason), a failure's message as the
//! reports carry it, outline rows named by their values; then a summary of the counts.

use std::fmt::Write as _;

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

/// A scenario that has ended, with its steps.
pub fn scenario(outcome: &ScenarioOutcome, strict: bool, style: Style) -> String {
    let keyword = if outcome.source.keyword.is_empty() { "Scenario" } else { &outcome.source.keyword };
    let mut out = format!("  {}\n", style.paint("1", &format!("{keyword}: {}", outcome.scenario)));
    let reading = outcome.reading(strict);
    for step in &outcome.steps {
        let (mark, code) = match (step.status, reading) {
            (StepStatus::Passed, _) => ("✔", "32"),
            (StepStatus::Failed, Reading::Warning(_)) => ("!", "33"),
            (StepStatus::Failed, _) => ("✘", "31"),
            (StepStatus::Skipped, _) => ("-", "36"),
        };
        let background = if step.background { ">" } else { " " };
        let _ = writeln!(out, "{}", style.paint(code, &format!("   {mark}{background} {}{}", step.keyword, step.text)));
        for row in &step.table {
            let _ = writeln!(out, "{}", style.paint(code, &format!("       | {} |", row.join(" | "))));
        }
        if let (StepStatus::Failed, Some(error)) = (step.status, failing_message(step, reading)) {
            let _ = writeln!(out, "{}", style.paint(code, &indented(&error)));
        }
    }
    match reading {
        Reading::Skipped(reason) => {
            let _ = writeln!(out, "{}", style.paint("36", &indented(&format!("Skipped: {reason}"))));
        }
        Reading::Failed(message) | Reading::Warning(message) if !outcome.steps.iter().any(failed) => {
            // A failure outside the steps (a hook).
            let _ = writeln!(out, "{}", style.paint("31", &indented(message)));
        }
        _ => {}
    }
    out
}

fn failed(step: &StepOutcome) -> bool {
    step.status == StepStatus::Failed
}

fn failing_message(step: &StepOutcome, reading: Reading<'_>) -> Option<String> {
    let error = step.error.clone()?;
    Some(if matches!(reading, Reading::Warning(_)) { format!("{WARNING}: {error}") } else { error })
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
    ]);
    format!(
        "[Summary]\n{} features\n{} scenarios ({scenarios})\n{} steps ({step_counts})\n",
        features.len(),
        outcomes.len(),
        steps.len()
    )
}

fn counts(counts: &[(&str, usize)]) -> String {
    let given: Vec<String> = counts.iter().filter(|(_, n)| *n > 0).map(|(name, n)| format!("{n} {name}")).collect();
    if given.is_empty() { "none".to_owned() } else { given.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Source, Status};

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
            seconds: 0.0,
            steps,
            source: Source { keyword: "Scenario Outline".into(), ..Source::default() },
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
        assert_eq!(
            summary(&[passed, skipped]),
            "[Summary]\n1 features\n2 scenarios (1 passed, 1 skipped)\n2 steps (1 passed, 1 skipped)\n"
        );
    }
}
