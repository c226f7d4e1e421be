//! The checks the suite makes on a response. Each names the requirement it enforces (an id of
//! `features/requirements.toml`), and a failure lists every violation with its path, the
//! expected and the actual value, secrets masked.

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::Value;

use crate::round_trip::Answer;
use crate::schema::{Document, Violation, describe_count, render_value};
use crate::secrets;

mod counts;

pub use counts::{
    counts, nothing_rewritten, restore_finished, restored_is_created_plus_merged, same_items_accounted,
    statistics_of_the_mailbox, total_is_every_item,
};

pub use crate::failure::{Failure, Outcome};

fn fail(requirement: &str, path: &str, expected: impl Into<String>, actual: impl Into<String>) -> Outcome {
    Err(Failure {
        requirement: requirement.to_owned(),
        violations: vec![Violation { path: path.to_owned(), expected: expected.into(), actual: actual.into() }],
    })
}

fn header(answer: &Answer, name: reqwest::header::HeaderName) -> Option<String> {
    answer.headers.get(name).map(|value| secrets::scrub(&String::from_utf8_lossy(value.as_bytes())))
}

/// The response code is exactly `expected`.
pub fn status(answer: &Answer, expected: u16, requirement: &str) -> Outcome {
    if answer.status == expected {
        Ok(())
    } else {
        fail(requirement, "status", expected.to_string(), status_with_body(answer))
    }
}

/// The response code is an error (4xx or 5xx), never a success.
pub fn error_status(answer: &Answer, requirement: &str) -> Outcome {
    if (400..=599).contains(&answer.status) {
        Ok(())
    } else {
        fail(requirement, "status", "an error status (4xx or 5xx)", status_with_body(answer))
    }
}

/// The answer is a success (2xx), so that what a successful answer holds can be read from it;
/// otherwise the failure reports the refusal as it came (a refused restore has no counts).
pub fn succeeded(answer: &Answer, requirement: &str) -> Outcome {
    if (200..300).contains(&answer.status) {
        Ok(())
    } else {
        fail(requirement, "status", "a successful restore (2xx) to read the answer of", status_with_body(answer))
    }
}

fn status_with_body(answer: &Answer) -> String {
    let body = secrets::redact_body(&answer.body);
    let body =
        if body.chars().count() > 200 { format!("{}…", body.chars().take(200).collect::<String>()) } else { body };
    if body.is_empty() { answer.status.to_string() } else { format!("{} with body {body}", answer.status) }
}

/// `Content-Length` is present and equals the body's length in bytes.
pub fn content_length(answer: &Answer) -> Outcome {
    const REQ: &str = "HDR-CONTENT-LENGTH";
    let actual_length = answer.body.len().to_string();
    match header(answer, CONTENT_LENGTH) {
        None => {
            fail(REQ, "Content-Length", format!("a header equal to the body's length, {actual_length}"), "(absent)")
        }
        Some(value) if value.trim() == actual_length => Ok(()),
        Some(value) => fail(REQ, "Content-Length", format!("{actual_length} (the body's length in bytes)"), value),
    }
}

/// The media type without parameters, lower-cased: `application/json; charset=utf-8` →
/// `application/json`.
pub fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// `Content-Type` is present and is not `application/octet-stream`, which the page reserves for
/// export and save.
pub fn content_type_present(answer: &Answer) -> Outcome {
    const REQ: &str = "HDR-CONTENT-TYPE";
    match header(answer, CONTENT_TYPE) {
        None => fail(REQ, "Content-Type", "a media type other than application/octet-stream", "(absent)"),
        Some(value) if media_type(&value) == "application/octet-stream" => {
            fail(REQ, "Content-Type", "a media type other than application/octet-stream", value)
        }
        Some(_) => Ok(()),
    }
}

/// `Content-Type` is `application/json`, with any parameters.
pub fn content_type_json(answer: &Answer) -> Outcome {
    const REQ: &str = "HDR-CONTENT-TYPE-JSON";
    match header(answer, CONTENT_TYPE) {
        Some(value) if media_type(&value) == "application/json" => Ok(()),
        Some(value) => fail(REQ, "Content-Type", "application/json", value),
        None => fail(REQ, "Content-Type", "application/json", "(absent)"),
    }
}

/// The body is JSON and conforms to `document`.
pub fn body_conforms(answer: &Answer, document: Document, requirement: &str) -> Outcome {
    body_conforms_where(answer, document, requirement, |_| true)
}

/// The body is JSON, and the violations of `document` that `concerns` keeps are none.
pub fn body_conforms_where(
    answer: &Answer,
    document: Document,
    requirement: &str,
    concerns: impl Fn(&Violation) -> bool,
) -> Outcome {
    let json = body_json(answer, requirement)?;
    let violations: Vec<Violation> = document.violations(&json).into_iter().filter(|v| concerns(v)).collect();
    if violations.is_empty() { Ok(()) } else { Err(Failure { requirement: requirement.to_owned(), violations }) }
}

use crate::counts::COUNT_PROPERTIES;

/// Whether a response-schema violation concerns the page's four counts (their presence, their
/// type, or the body being an object) rather than the OpenAPI's other properties.
pub fn concerns_counts(violation: &Violation) -> bool {
    violation.path == "(body)" || COUNT_PROPERTIES.iter().any(|p| violation.path == format!("/{p}"))
}

/// BODY-COUNTS: the four counts are present and non-negative integers.
pub fn body_counts(answer: &Answer) -> Outcome {
    succeeded(answer, "BODY-COUNTS")?;
    body_conforms_where(answer, Document::Response, "BODY-COUNTS", concerns_counts)?;
    integer_literals(answer, &COUNT_PROPERTIES)
}

/// BODY-COUNTS in v8: the statistics' counts, and each mailbox's where given, are non-negative
/// integers. The mailboxes' details are "[If available]": their absence is no failure.
pub fn statistics_counts(statistics: &Answer) -> Outcome {
    succeeded(statistics, "BODY-COUNTS")?;
    let concerns = |v: &Violation| v.path == "(body)" || v.path.ends_with("ItemsCount") || v.path == "/items";
    body_conforms_where(statistics, Document::StatisticsV8, "BODY-COUNTS", concerns)?;
    integer_literals(statistics, &V8_COUNTS)
}

/// BODY-COUNTS: the counts at `keys` are written without a fraction. JSON Schema counts 2.0 as
/// an integer; an int64 count never has one.
fn integer_literals(answer: &Answer, keys: &[&str]) -> Outcome {
    let json = body_json(answer, "BODY-COUNTS")?;
    let violations: Vec<Violation> = keys
        .iter()
        .filter_map(|key| {
            let value = json.get(*key)?;
            (!value.is_u64()).then(|| Violation {
                path: format!("/{key}"),
                expected: "a non-negative integer written without a fraction".into(),
                actual: describe_count(Some(value)),
            })
        })
        .collect();
    if violations.is_empty() { Ok(()) } else { Err(Failure { requirement: "BODY-COUNTS".into(), violations }) }
}

/// The counts at the top of v8 statistics.
const V8_COUNTS: [&str; 4] = ["totalItemsCount", "restoredItemsCount", "failedItemsCount", "skippedItemsCount"];

/// BODY-VENDOR-PROPERTIES: the OpenAPI's other statistics have their documented types.
pub fn body_vendor_properties(answer: &Answer) -> Outcome {
    succeeded(answer, "BODY-VENDOR-PROPERTIES")?;
    body_conforms_where(answer, Document::Response, "BODY-VENDOR-PROPERTIES", |v| !concerns_counts(v))
}

/// The body parsed as JSON, or a failure of `requirement` that shows what came instead.
pub fn body_json(answer: &Answer, requirement: &str) -> Result<Value, Failure> {
    answer.json().map_err(|error| Failure {
        requirement: requirement.to_owned(),
        violations: vec![Violation {
            path: "(body)".into(),
            expected: "a JSON document".into(),
            actual: if answer.body.is_empty() {
                "an empty body".into()
            } else {
                format!(
                    "{} ({error})",
                    render_value(&Value::String(String::from_utf8_lossy(&answer.body).into_owned()))
                )
            },
        }],
    })
}
