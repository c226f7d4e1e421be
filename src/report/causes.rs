//! One defect often fails many scenarios (a count sent as a string fails every scenario that
//! reads it; a Content-Length one byte too long fails every answer). The sign-off shows each
//! cause once, with the scenarios it failed: failures that broke the same requirements with
//! findings (each violation's path, expected and actual value, whatever the step) that differ
//! only in numbers and ids share a cause, so a cause's example and count are of one requirement's
//! failures. Causes of a must requirement come first (one of them rejected the server), then by
//! how many failures each is behind.

use std::sync::LazyLock;

use regex::Regex;

use super::ScenarioOutcome;
use super::signoff::{SignOff, failed_requirements};
use crate::contract::requirements::{self, Level};

/// A cause and the failures (numbered from 1, as the matrix links them) it explains.
#[derive(Clone, Debug)]
pub struct Cause<'a> {
    /// The requirements its failures broke.
    pub requirements: Vec<String>,
    /// The first failure's message, as an example of the others.
    pub example: &'a str,
    pub failures: Vec<(usize, &'a ScenarioOutcome)>,
}

/// The requirements a failure broke and what it found once numbers and ids are taken out: its
/// cause's findings, or, for a failure that was not a check's (a suite bug), its message without
/// the step.
fn key(failure: &ScenarioOutcome) -> (Vec<String>, String) {
    let found = match &failure.cause {
        Some(cause) => normalized(cause),
        None => normalized(failure.message.as_deref().unwrap_or("(no message)")),
    };
    (failed_requirements(failure), found)
}

/// Whether a cause broke a must requirement.
fn breaks_a_must(cause: &Cause<'_>) -> bool {
    cause.requirements.iter().any(|id| requirements::find(id).is_some_and(|r| r.level == Level::Must))
}

fn normalized(message: &str) -> String {
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+").expect("regex")
    });
    // Without the step ("Then the restore reports 3 created ...: [REQ] ..."): the cause is the check's.
    let check = message.split_once(": [").map_or(message, |(_, rest)| rest);
    ID.replace_all(check, "#").into_owned()
}

impl SignOff {
    /// The run's failures grouped by cause: causes of a must requirement first, then the cause
    /// behind the most failures first (one behind every answer before the others), then in the
    /// order of their first failure.
    pub fn causes(&self) -> Vec<Cause<'_>> {
        let mut causes: Vec<((Vec<String>, String), Cause<'_>)> = Vec::new();
        for (index, failure) in self.failures.iter().enumerate() {
            let message = failure.message.as_deref().unwrap_or("(no message)");
            let key = key(failure);
            match causes.iter_mut().find(|(k, _)| *k == key) {
                Some((_, cause)) => cause.failures.push((index + 1, failure)),
                None => {
                    let requirements = key.0.clone();
                    causes.push((key, Cause { requirements, example: message, failures: vec![(index + 1, failure)] }))
                }
            }
        }
        // A stable sort: causes behind as many failures keep the order of their first.
        causes.sort_by_key(|(_, cause)| (!breaks_a_must(cause), std::cmp::Reverse(cause.failures.len())));
        causes.into_iter().map(|(_, cause)| cause).collect()
    }

    /// A cause's heading: the requirements it broke with their levels, how many scenarios it
    /// failed, and whether it is behind every failure.
    pub fn cause_title(&self, cause: &Cause<'_>) -> String {
        let broke: Vec<String> = cause
            .requirements
            .iter()
            .map(|id| match requirements::find(id) {
                Some(requirement) => format!("{id} ({})", requirement.level.tag()),
                None => id.clone(),
            })
            .collect();
        let broke =
            if broke.is_empty() { "no requirement (the suite's own failure)".to_owned() } else { broke.join(", ") };
        let failed = match cause.failures.len() {
            1 => "failed 1 scenario".to_owned(),
            count if count == self.failures.len() => format!("failed {count} scenarios, every failure of the run"),
            count => format!("failed {count} scenarios"),
        };
        format!("{broke}: {failed}")
    }

    /// The distinct reasons of skipped cells, numbered from 1 in the order the matrix meets
    /// them: each cell names its reason's number, and the list below the matrix says it once.
    pub fn skip_reasons(&self) -> Vec<&str> {
        let mut reasons: Vec<&str> = Vec::new();
        for cell in self.rows.iter().flat_map(|row| &row.cells) {
            if cell.state == super::signoff::CellState::Skip {
                if let Some(reason) = cell.reason.as_deref().filter(|r| !reasons.contains(r)) {
                    reasons.push(reason);
                }
            }
        }
        reasons
    }

    /// The number of a skipped cell's reason in [`SignOff::skip_reasons`].
    pub fn skip_reason_number(&self, reason: &str) -> usize {
        self.skip_reasons().iter().position(|r| *r == reason).map_or(0, |index| index + 1)
    }

    /// Where a failure's round trips are in exchanges.har, as a clause: `; exchanges.har #3, #4`.
    pub fn evidence_of(&self, failure: &ScenarioOutcome) -> String {
        match self.info.evidence.get(&failure.location) {
            Some(numbers) if !numbers.is_empty() => {
                let numbers: Vec<String> = numbers.iter().map(|n| format!("#{n}")).collect();
                format!("; exchanges.har {}", numbers.join(", "))
            }
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalized as key;
    use crate::report::signoff::SignOff;

    #[test]
    fn failures_that_differ_in_numbers_and_ids_share_a_cause() {
        let a = "Then the restore reports 3 created: [BODY-COUNTS] counts\n  at /createdItemsCount: expected 3, actual a string \"3\"";
        let b = "Then the restore reports 4 created: [BODY-COUNTS] counts\n  at /createdItemsCount: expected 4, actual a string \"4\"";
        assert_eq!(key(a), key(b));
        let c = "Then x: [V8-FINISHES] at GET /v8/RestoreSessions/82127ff2-3f56-49a9-ae5f-57ca83794b86: late";
        let d = "Then y: [V8-FINISHES] at GET /v8/RestoreSessions/f795ff2b-699f-4365-a38d-c495edc63d3a: late";
        assert_eq!(key(c), key(d));
        assert_ne!(key(a), key(c));
    }

    fn outcome(message: &str, requirement: &str, cause: &str) -> crate::report::ScenarioOutcome {
        crate::report::ScenarioOutcome {
            feature: "F".into(),
            scenario: "S".into(),
            location: "features/f.feature:1".into(),
            tags: Vec::new(),
            status: crate::report::Status::Failed,
            message: Some(message.into()),
            failed_requirements: vec![requirement.into()],
            cause: Some(cause.into()),
            seconds: 0.0,
            steps: Vec::new(),
            source: Default::default(),
            failed_hook: None,
        }
    }

    #[test]
    fn failures_in_different_steps_that_break_the_same_requirement_alike_share_a_cause() {
        let a =
            outcome("When a: [AUTH-TOKEN] x", "HDR-CONTENT-LENGTH", "at Content-Length: expected 57 bytes, actual 56");
        let b =
            outcome("When b: [BODY-COUNTS] y", "HDR-CONTENT-LENGTH", "at Content-Length: expected 61 bytes, actual 60");
        assert_eq!(super::key(&a), super::key(&b));
    }

    /// An error body without a message fails a must requirement's scenarios and a should
    /// requirement's alike: each is a cause of its own, its example and count its own, and the
    /// must requirement's, which rejects the server, comes first whatever the counts.
    #[test]
    fn failures_of_different_requirements_are_causes_of_their_own_the_must_ones_first() {
        let found = "at (body): expected a RESTExceptionInfo, actual {}";
        let should = |n: usize| outcome(&format!("Then {n}: [BODY-MALFORMED] refused"), "BODY-MALFORMED", found);
        let must = outcome("Then m: [EXCHANGE-CREDENTIALS] refused", "EXCHANGE-CREDENTIALS", found);
        let info = crate::report::signoff::RunInfo {
            target: String::new(),
            date: String::new(),
            suite_version: String::new(),
            git_revision: String::new(),
            settings: Vec::new(),
            strict: false,
            version: crate::contract::version::ApiVersion::V6,
            double_only: Vec::new(),
            not_run: Vec::new(),
            on_double: true,
            parse_errors: Vec::new(),
            restores_made: 0,
            evidence: Default::default(),
        };
        let signoff = SignOff::new(info, &[should(1), should(2), must, should(3)]);
        let causes = signoff.causes();
        let summary: Vec<(String, &str, Vec<usize>)> = causes
            .iter()
            .map(|cause| {
                let numbers = cause.failures.iter().map(|(n, _)| *n).collect();
                (signoff.cause_title(cause), cause.example, numbers)
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "EXCHANGE-CREDENTIALS (must): failed 1 scenario".to_owned(),
                    "Then m: [EXCHANGE-CREDENTIALS] refused",
                    vec![3]
                ),
                (
                    "BODY-MALFORMED (should): failed 3 scenarios".to_owned(),
                    "Then 1: [BODY-MALFORMED] refused",
                    vec![1, 2, 4]
                ),
            ]
        );
    }
}
