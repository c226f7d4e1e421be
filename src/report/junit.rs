//! JUnit XML as CI servers read it (Jenkins, GitLab, GitHub test reporters), built from the
//! run's outcomes: one testsuite per feature, one testcase per scenario (outline rows named by
//! their values), classname the feature. It validates against the common Jenkins schema
//! (junit-10.xsd, in tests/fixtures).
//!
//! A failed must requirement is a `<failure>` whose message starts with the requirement and the
//! check. A failed should requirement is a warning: in a normal run it does not fail the run, so
//! its testcase passes with the warning in `<system-out>` (`WARNING: ...`), and CI tools do not
//! mark the build failed or unstable for it; in a strict run it is a `<failure>`. A skipped
//! scenario is `<skipped>` with its reason as the element's text. A known deviation
//! (VB365_EXPECTATIONS) passes with `KNOWN DEVIATION (reason): ...` in `<system-out>`: the run
//! accepts it on purpose, and so does the exit status. Every testsuite carries the run's
//! verdict and exit status as properties, read from the one verdict the other reports read.

use std::fmt::Write as _;

use super::escape;

use super::verdict::Verdict;
use super::{Reading, ScenarioOutcome, WARNING};

/// The JUnit XML of a run judged `verdict`.
pub fn render(outcomes: &[ScenarioOutcome], strict: bool, verdict: Verdict) -> String {
    let mut features: Vec<&str> = Vec::new();
    for outcome in outcomes {
        if !features.contains(&outcome.feature.as_str()) {
            features.push(&outcome.feature);
        }
    }
    let total = |of: &[&ScenarioOutcome], pick: fn(&Reading) -> bool| {
        of.iter().filter(|outcome| pick(&outcome.reading(strict))).count()
    };
    let seconds = |of: &[&ScenarioOutcome]| of.iter().map(|outcome| outcome.seconds).sum::<f64>();
    let all: Vec<&ScenarioOutcome> = outcomes.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"vb365-conformance\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3}\">",
        all.len(),
        total(&all, |v| matches!(v, Reading::Failed(_))),
        seconds(&all)
    );
    for feature in features {
        let cases: Vec<&ScenarioOutcome> = outcomes.iter().filter(|o| o.feature == feature).collect();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3}\">",
            escape(feature),
            cases.len(),
            total(&cases, |v| matches!(v, Reading::Failed(_))),
            total(&cases, |v| matches!(v, Reading::Skipped(_))),
            seconds(&cases)
        );
        let _ = writeln!(
            out,
            "    <properties>\n      <property name=\"verdict\" value=\"{}\"/>\n      <property name=\"exit_status\" value=\"{}\"/>\n    </properties>",
            escape(verdict.title()),
            verdict.exit_status()
        );
        for case in cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                escape(feature),
                escape(&case.scenario),
                case.seconds
            );
            match case.reading(strict) {
                Reading::Passed => out.push_str("/>\n"),
                Reading::Skipped(reason) => {
                    let _ = writeln!(out, ">\n      <skipped>{}</skipped>\n    </testcase>", escape(reason));
                }
                Reading::Warning(message) => {
                    let _ = writeln!(
                        out,
                        ">\n      <system-out>{WARNING}: {}\n{}</system-out>\n    </testcase>",
                        escape(&headline(message)),
                        escape(message)
                    );
                }
                Reading::Known(message) => {
                    let _ = writeln!(out, ">\n      <system-out>{}</system-out>\n    </testcase>", escape(message));
                }
                Reading::Failed(message) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"{}\">{}\n{}</failure>\n    </testcase>",
                        escape(&headline(message)),
                        escape(&failure_type(case)),
                        escape(&case.location),
                        escape(message)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// A failure's first line, requirement first: `[HDR-CONTENT-TYPE] ... (Then the response has a
/// Content-Type ...)`.
fn headline(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    match first.split_once(": [") {
        Some((step, rest)) => format!("[{rest} ({step})"),
        None => first.to_owned(),
    }
}

/// The requirement ids a failure broke (as the failure itself named them), for its type.
fn failure_type(case: &ScenarioOutcome) -> String {
    if case.failed_requirements.is_empty() { "failure".to_owned() } else { case.failed_requirements.join(" ") }
}
