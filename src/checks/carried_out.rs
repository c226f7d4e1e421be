//! Whether a restore was carried out, by what the server itself shows: a request it refused
//! changed nothing (the suite reads what it could change before and after, `suite::untouched`),
//! and a restore it answered with a success does not say, in its own answer or (v8) its own
//! event and session, that it failed (docs/requirements.md, "A refusal changes nothing" and "A
//! success does not say it failed").

use serde_json::Value;

use crate::contract::round_trip::Restored;
use crate::contract::schema::Violation;
use crate::secrets;

use super::{Failure, Outcome, RequirementIds};

/// A refused request changed nothing: `changes` lists what it changed (`None`: nothing tells).
pub fn refusal_changed_nothing(changes: Option<&[Violation]>, requirement: impl Into<RequirementIds>) -> Outcome {
    match changes {
        Some(changes) if !changes.is_empty() => {
            Err(Failure { requirements: requirement.into(), violations: changes.to_vec() })
        }
        _ => Ok(()),
    }
}

/// A restore answered with a success does not say that it failed: v6/v7, no `cannotContinueError`
/// with words in the answer; v8, none of the restore's own events Failed, and its own session's
/// `result` not Failed. Warnings (Warning, `warnings[]`) are no failure: items failed, the
/// restore ran. An answer that is not a success is not judged here.
pub fn no_failure_said(restored: &Restored, requirement: impl Into<RequirementIds>) -> Outcome {
    if !(200..300).contains(&restored.answer.status) {
        return Ok(());
    }
    let mut said = Vec::new();
    let answer = &restored.answer;
    if let Ok(body) = answer.json() {
        if let Some(error) = body.get("cannotContinueError").and_then(Value::as_str).filter(|e| !e.trim().is_empty()) {
            said.push(Violation {
                path: format!("{} {}: cannotContinueError", answer.method, secrets::scrub(&answer.path)),
                expected: format!("none (null, absent or empty): the restore answered {}", answer.status),
                actual: secrets::scrub(error),
            });
        }
    }
    // Items that failed while others were restored or skipped: a Failed result or event then
    // tells of them (V8-SESSION-RESULT judges that it agrees with the statistics), not that the
    // restore did nothing.
    let partly_failed = |background: &&crate::contract::round_trip::Background| {
        background.statistics.json().ok().is_some_and(|statistics| {
            let count = |key: &str| statistics.get(key).and_then(Value::as_u64).unwrap_or(0);
            count("failedItemsCount") > 0 && count("restoredItemsCount") + count("skippedItemsCount") > 0
        })
    };
    if let Some(background) = restored.background.as_ref().filter(|b| !partly_failed(b)) {
        let version = answer.path.split('/').nth(1).unwrap_or("v8");
        let session = &background.session_id;
        let expected =
            "not Failed: the restore answered 200 with its sessionId (Success, or Warning when items failed)";
        let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).unwrap_or("?").to_owned();
        for event in &background.events {
            if text(event, "status").eq_ignore_ascii_case("Failed") {
                said.push(Violation {
                    path: format!(
                        "GET /{version}/RestoreSessions/{session}/Events: event {} status",
                        text(event, "id")
                    ),
                    expected: expected.into(),
                    actual: secrets::scrub(&format!("Failed: {}", text(event, "message"))),
                });
            }
        }
        if let Some(own) = &background.session {
            if text(own, "result").eq_ignore_ascii_case("Failed") {
                said.push(Violation {
                    path: format!("GET /{version}/RestoreSessions/{session}: result"),
                    expected: expected.into(),
                    actual: "Failed".into(),
                });
            }
        }
    }
    match said.is_empty() {
        true => Ok(()),
        false => Err(Failure { requirements: requirement.into(), violations: said }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::fixtures::{bare, ids, in_background, johns, statistics};
    use super::*;
    use crate::contract::round_trip::Restored;

    fn v6(body: serde_json::Value) -> Restored {
        Restored { answer: bare(200, &body.to_string()), background: None }
    }

    #[test]
    fn a_v6_success_with_a_cannot_continue_error_says_it_failed_and_fails_op_restore() {
        let said = json!({"createdItemsCount": 0, "mergedItemsCount": 0, "failedItemsCount": 0,
            "skippedItemsCount": 0, "cannotContinueError": "Failed to connect to the Exchange organization."});
        let failure = no_failure_said(&v6(said), "OP-RESTORE").expect_err("a 200 that says it failed");
        assert_eq!(ids(&failure), ["OP-RESTORE"]);
        let violation = &failure.violations[0];
        assert!(
            violation.path.ends_with("cannotContinueError") && violation.actual.contains("Exchange"),
            "{violation:?}"
        );
        // None, null, empty: nothing said; warnings are no failure; a refusal is not judged here.
        for quiet in [json!({}), json!({"cannotContinueError": null}), json!({"cannotContinueError": " "})] {
            assert!(no_failure_said(&v6(quiet), "OP-RESTORE").is_ok());
        }
        assert!(no_failure_said(&v6(json!({"warnings": ["Item 3 skipped"]})), "OP-RESTORE").is_ok());
        let refused = Restored { answer: bare(500, r#"{"cannotContinueError":"x"}"#), background: None };
        assert!(no_failure_said(&refused, "OP-RESTORE").is_ok());
    }

    #[test]
    fn a_v8_success_whose_own_event_or_session_reads_failed_says_it_failed_and_a_warning_does_not() {
        let finished = |events: Vec<serde_json::Value>, session: Option<serde_json::Value>| {
            let mut restored = in_background(&statistics([5, 3, 0, 2], vec![johns([2, 1, 0, 2])]), None);
            let background = restored.background.as_mut().expect("v8");
            background.events = events;
            background.session = session;
            restored
        };
        let event = |status: &str| json!({"id": "e1", "type": "Restore", "status": status, "message": "Restoring"});
        let failed = no_failure_said(&finished(vec![event("Failed")], None), "OP-RESTORE").expect_err("Failed event");
        assert!(failed.violations[0].path.contains("/Events: event e1 status"), "{:?}", failed.violations);
        let result = no_failure_said(&finished(vec![], Some(json!({"result": "Failed"}))), "OP-RESTORE");
        assert!(result.expect_err("Failed result").violations[0].path.ends_with(": result"));
        for quiet in [
            finished(vec![event("Success")], Some(json!({"result": "Success"}))),
            finished(vec![event("Warning")], Some(json!({"result": "Warning"}))),
        ] {
            assert!(no_failure_said(&quiet, "OP-RESTORE").is_ok());
        }
    }

    #[test]
    fn a_refusal_that_changed_something_fails_with_each_change_and_one_that_changed_nothing_passes() {
        let change =
            Violation { path: "the double's restores carried out".into(), expected: "1".into(), actual: "2".into() };
        let failure = refusal_changed_nothing(Some(&[change.clone()]), "AUTH-TOKEN").expect_err("a change");
        assert_eq!((ids(&failure), failure.violations.len()), (vec!["AUTH-TOKEN".to_owned()], 1));
        assert!(refusal_changed_nothing(Some(&[]), "AUTH-TOKEN").is_ok());
        assert!(refusal_changed_nothing(None, "AUTH-TOKEN").is_ok());
    }
}
