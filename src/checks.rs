//! The checks the suite makes on a response. Each names the requirement it enforces (an id of
//! `features/requirements.toml`), and a failure lists every violation with its path, the
//! expected and the actual value, secrets masked.

use std::fmt;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::Value;

use crate::client::Exchange;
use crate::requirements;
use crate::schema::{Document, Violation, render_value};
use crate::secrets;
use crate::version::ApiVersion;

/// A check that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub requirement: String,
    pub violations: Vec<Violation>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", requirements::headline(&self.requirement))?;
        for violation in &self.violations {
            write!(f, "\n  {}", secrets::scrub(&violation.to_string()))?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

pub type Outcome = Result<(), Failure>;

fn fail(requirement: &str, path: &str, expected: impl Into<String>, actual: impl Into<String>) -> Outcome {
    Err(Failure {
        requirement: requirement.to_owned(),
        violations: vec![Violation { path: path.to_owned(), expected: expected.into(), actual: actual.into() }],
    })
}

fn header(exchange: &Exchange, name: reqwest::header::HeaderName) -> Option<String> {
    exchange.headers.get(name).map(|value| secrets::scrub(&String::from_utf8_lossy(value.as_bytes())))
}

/// The response code is exactly `expected`.
pub fn status(exchange: &Exchange, expected: u16, requirement: &str) -> Outcome {
    if exchange.status == expected {
        Ok(())
    } else {
        fail(requirement, "status", expected.to_string(), status_with_body(exchange))
    }
}

/// The response code is an error (4xx or 5xx), never a success.
pub fn error_status(exchange: &Exchange, requirement: &str) -> Outcome {
    if (400..=599).contains(&exchange.status) {
        Ok(())
    } else {
        fail(requirement, "status", "an error status (4xx or 5xx)", status_with_body(exchange))
    }
}

fn status_with_body(exchange: &Exchange) -> String {
    let body = secrets::redact_body(&exchange.body);
    let body =
        if body.chars().count() > 200 { format!("{}…", body.chars().take(200).collect::<String>()) } else { body };
    if body.is_empty() { exchange.status.to_string() } else { format!("{} with body {body}", exchange.status) }
}

/// `Content-Length` is present and equals the body's length in bytes.
pub fn content_length(exchange: &Exchange) -> Outcome {
    const REQ: &str = "HDR-CONTENT-LENGTH";
    let actual_length = exchange.body.len().to_string();
    match header(exchange, CONTENT_LENGTH) {
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
pub fn content_type_present(exchange: &Exchange) -> Outcome {
    const REQ: &str = "HDR-CONTENT-TYPE";
    match header(exchange, CONTENT_TYPE) {
        None => fail(REQ, "Content-Type", "a media type other than application/octet-stream", "(absent)"),
        Some(value) if media_type(&value) == "application/octet-stream" => {
            fail(REQ, "Content-Type", "a media type other than application/octet-stream", value)
        }
        Some(_) => Ok(()),
    }
}

/// `Content-Type` is `application/json`, with any parameters.
pub fn content_type_json(exchange: &Exchange) -> Outcome {
    const REQ: &str = "HDR-CONTENT-TYPE-JSON";
    match header(exchange, CONTENT_TYPE) {
        Some(value) if media_type(&value) == "application/json" => Ok(()),
        Some(value) => fail(REQ, "Content-Type", "application/json", value),
        None => fail(REQ, "Content-Type", "application/json", "(absent)"),
    }
}

/// The body is JSON and conforms to `document`.
pub fn body_conforms(exchange: &Exchange, document: Document, requirement: &str) -> Outcome {
    body_conforms_where(exchange, document, requirement, |_| true)
}

/// The body is JSON, and the violations of `document` that `concerns` keeps are none.
pub fn body_conforms_where(
    exchange: &Exchange,
    document: Document,
    requirement: &str,
    concerns: impl Fn(&Violation) -> bool,
) -> Outcome {
    let json = body_json(exchange, requirement)?;
    let violations: Vec<Violation> = document.violations(&json).into_iter().filter(|v| concerns(v)).collect();
    if violations.is_empty() { Ok(()) } else { Err(Failure { requirement: requirement.to_owned(), violations }) }
}

/// The page's four counts, as properties of the response body.
pub const COUNT_PROPERTIES: [&str; 4] =
    ["createdItemsCount", "mergedItemsCount", "failedItemsCount", "skippedItemsCount"];

/// Whether a response-schema violation concerns the page's four counts (their presence, their
/// type, or the body being an object) rather than the OpenAPI's other properties.
pub fn concerns_counts(violation: &Violation) -> bool {
    violation.path == "(body)" || COUNT_PROPERTIES.iter().any(|p| violation.path == format!("/{p}"))
}

/// BODY-COUNTS: the four counts are present and non-negative integers.
pub fn body_counts(exchange: &Exchange) -> Outcome {
    body_conforms_where(exchange, Document::Response, "BODY-COUNTS", concerns_counts)?;
    integer_literals(exchange, &COUNT_PROPERTIES)
}

/// BODY-COUNTS in v8: the statistics' counts, and each mailbox's where given, are non-negative
/// integers. The mailboxes' details are "[If available]": their absence is no failure.
pub fn statistics_counts(statistics: &Exchange) -> Outcome {
    let concerns = |v: &Violation| v.path == "(body)" || v.path.ends_with("ItemsCount") || v.path == "/items";
    body_conforms_where(statistics, Document::StatisticsV8, "BODY-COUNTS", concerns)?;
    integer_literals(statistics, &V8_COUNTS)
}

/// BODY-COUNTS: the counts at `keys` are written without a fraction. JSON Schema counts 2.0 as
/// an integer; an int64 count never has one.
fn integer_literals(answer: &Exchange, keys: &[&str]) -> Outcome {
    let json = body_json(answer, "BODY-COUNTS")?;
    let violations: Vec<Violation> = keys
        .iter()
        .filter_map(|key| {
            let value = json.get(*key)?;
            (!value.is_u64()).then(|| Violation {
                path: format!("/{key}"),
                expected: "a non-negative integer written without a fraction".into(),
                actual: render_value(value),
            })
        })
        .collect();
    if violations.is_empty() { Ok(()) } else { Err(Failure { requirement: "BODY-COUNTS".into(), violations }) }
}

/// The counts at the top of v8 statistics.
const V8_COUNTS: [&str; 4] = ["totalItemsCount", "restoredItemsCount", "failedItemsCount", "skippedItemsCount"];

/// BODY-VENDOR-PROPERTIES: the OpenAPI's other statistics have their documented types.
pub fn body_vendor_properties(exchange: &Exchange) -> Outcome {
    body_conforms_where(exchange, Document::Response, "BODY-VENDOR-PROPERTIES", |v| !concerns_counts(v))
}

/// The body parsed as JSON, or a failure of `requirement` that shows what came instead.
pub fn body_json(exchange: &Exchange, requirement: &str) -> Result<Value, Failure> {
    exchange.json().map_err(|error| Failure {
        requirement: requirement.to_owned(),
        violations: vec![Violation {
            path: "(body)".into(),
            expected: "a JSON document".into(),
            actual: if exchange.body.is_empty() {
                "an empty body".into()
            } else {
                format!(
                    "{} ({error})",
                    render_value(&Value::String(String::from_utf8_lossy(&exchange.body).into_owned()))
                )
            },
        }],
    })
}

/// The four item counts of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: u64,
    pub merged: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl Counts {
    /// (property, requirement, value) for each count.
    pub fn fields(&self) -> [(&'static str, &'static str, u64); 4] {
        [
            ("createdItemsCount", "COUNT-CREATED", self.created),
            ("mergedItemsCount", "COUNT-MERGED", self.merged),
            ("failedItemsCount", "COUNT-FAILED", self.failed),
            ("skippedItemsCount", "COUNT-SKIPPED", self.skipped),
        ]
    }
}

/// Where the four counts of a restore are: the 200 body (v6, v7) or the statistics of the
/// restore's session (v8), as (path, value) pairs in the order created, merged, failed, skipped.
pub fn reported_counts(answer: &Exchange, version: ApiVersion) -> Result<[(String, Option<Value>); 4], Failure> {
    let json = body_json(answer, "BODY-COUNTS")?;
    let top = |key: &str| (format!("/{key}"), json.get(key).cloned());
    if !version.restores_in_background() {
        return Ok(COUNT_PROPERTIES.map(top));
    }
    // v8: created and merged per mailbox, in the statistics' items.
    let mailboxes: Vec<&Value> = json
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|item| item.get("itemRestoreDetailsType").and_then(Value::as_str) == Some("BulkMailbox"))
        .collect();
    let per_mailbox = |key: &str| {
        let values: Option<Vec<u64>> = mailboxes.iter().map(|m| m.get(key).and_then(Value::as_u64)).collect();
        let sum = values.filter(|v| !v.is_empty()).map(|v| Value::from(v.iter().sum::<u64>()));
        (format!("/items/*/{key} (BulkMailbox)"), sum)
    };
    Ok([
        per_mailbox("createdMailboxItemsCount"),
        per_mailbox("mergedMailboxItemsCount"),
        top("failedItemsCount"),
        top("skippedItemsCount"),
    ])
}

/// Each count equals the expected one; every difference is reported, under the requirement of
/// the first count that differs.
pub fn counts(answer: &Exchange, version: ApiVersion, expected: Counts) -> Outcome {
    let reported = reported_counts(answer, version)?;
    if version.restores_in_background() && reported[0].1.is_none() && reported[1].1.is_none() {
        // v8 without the mailboxes' details: created and merged only as their sum.
        let json = body_json(answer, "BODY-COUNTS")?;
        let restored = ("/restoredItemsCount (created + merged)".to_owned(), json.get("restoredItemsCount").cloned());
        let rows = [(&restored, "COUNT-CREATED", expected.created + expected.merged)];
        let rest = reported[2..].iter().zip(["COUNT-FAILED", "COUNT-SKIPPED"]).zip([expected.failed, expected.skipped]);
        return compare_counts(
            rows.into_iter()
                .map(|((path, value), req, want)| (path, value, req, want))
                .chain(rest.map(|(((path, value), req), want)| (path, value, req, want))),
        );
    }
    let requirements = ["COUNT-CREATED", "COUNT-MERGED", "COUNT-FAILED", "COUNT-SKIPPED"];
    let wanted = [expected.created, expected.merged, expected.failed, expected.skipped];
    compare_counts(
        reported.iter().zip(requirements).zip(wanted).map(|(((path, value), req), want)| (path, value, req, want)),
    )
}

/// COUNT-REPEAT: a restore right after a restore creates and merges nothing. In v8, nothing is
/// restored (restoredItemsCount counts the created and merged items; the per-mailbox details
/// may be absent).
pub fn nothing_created_or_merged(answer: &Exchange, version: ApiVersion) -> Outcome {
    if version.restores_in_background() {
        let json = body_json(answer, "COUNT-REPEAT")?;
        let restored = [("/restoredItemsCount".to_owned(), json.get("restoredItemsCount").cloned())];
        return compare_counts(restored.iter().map(|(path, value)| (path, value, "COUNT-REPEAT", 0)));
    }
    let reported = reported_counts(answer, version)?;
    compare_counts(reported[..2].iter().map(|(path, value)| (path, value, "COUNT-REPEAT", 0)))
}

/// v8 (V8-RESTORED-COUNT): restoredItemsCount is created plus merged.
pub fn restored_is_created_plus_merged(statistics: &Exchange) -> Outcome {
    let reported = reported_counts(statistics, ApiVersion::V8)?;
    let json = body_json(statistics, "V8-RESTORED-COUNT")?;
    let restored = json.get("restoredItemsCount");
    let sum = reported[0].1.as_ref().and_then(Value::as_u64).zip(reported[1].1.as_ref().and_then(Value::as_u64));
    match sum {
        Some((created, merged)) if restored.and_then(Value::as_u64) == Some(created + merged) => Ok(()),
        Some((created, merged)) => fail(
            "V8-RESTORED-COUNT",
            "/restoredItemsCount",
            format!("{} (created {created} + merged {merged})", created + merged),
            restored.map(render_value).unwrap_or_else(|| "(absent)".into()),
        ),
        // Without the mailboxes' details ("[If available]") there is nothing to compare.
        None => Ok(()),
    }
}

/// v8 (V8-FINISHES): the statistics account for every backed-up item.
pub fn restore_finished(statistics: &Exchange) -> Outcome {
    let json = body_json(statistics, "V8-FINISHES")?;
    match crate::client::accounted_items(&json) {
        Some((accounted, total)) if accounted >= total => Ok(()),
        Some((accounted, total)) => fail(
            "V8-FINISHES",
            "/restoredItemsCount + /failedItemsCount + /skippedItemsCount",
            format!("{total} (/totalItemsCount)"),
            accounted.to_string(),
        ),
        None => fail("V8-FINISHES", "(body)", "integer counts and totalItemsCount", render_value(&json)),
    }
}

/// Compares (path, value, requirement, expected) counts; integer literals only. Every
/// difference is reported, under the requirement of the first.
fn compare_counts<'a>(counts: impl Iterator<Item = (&'a String, &'a Option<Value>, &'static str, u64)>) -> Outcome {
    let mut requirement = None;
    let mut violations = Vec::new();
    for (path, actual, count_requirement, value) in counts {
        if actual.as_ref().and_then(Value::as_u64) != Some(value) {
            requirement.get_or_insert(count_requirement);
            violations.push(Violation {
                path: path.clone(),
                expected: value.to_string(),
                actual: actual.as_ref().map(render_value).unwrap_or_else(|| "(absent)".into()),
            });
        }
    }
    match requirement {
        None => Ok(()),
        Some(requirement) => Err(Failure { requirement: requirement.to_owned(), violations }),
    }
}
