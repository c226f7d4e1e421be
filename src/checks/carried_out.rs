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
    if let Some(background) = &restored.background {
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
