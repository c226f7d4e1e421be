//! The checks the suite makes on a response. Each names the requirement it enforces (an id of
//! `features/requirements.toml`), and a failure lists every violation with its path, the
//! expected and the actual value, secrets masked.

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING, WWW_AUTHENTICATE};
use serde_json::Value;

use crate::contract::round_trip::{Answer, BodyLength};
use crate::contract::schema::{Document, Violation, describe_count, render_value};
use crate::secrets;

mod carried_out;
mod counts;
pub mod fields;
pub mod json_text;
mod statistics;

pub use carried_out::{no_failure_said, refusal_changed_nothing};
pub use counts::{counts, nothing_rewritten, restore_finished, same_items_accounted, total_is_every_item};
pub use statistics::{counts_agree, result_agrees, statistics_of_the_mailbox};

pub use crate::contract::failure::{Failure, Outcome, RequirementIds};

fn fail(
    requirement: impl Into<RequirementIds>,
    path: &str,
    expected: impl Into<String>,
    actual: impl Into<String>,
) -> Outcome {
    Err(Failure {
        requirements: requirement.into(),
        violations: vec![Violation { path: path.to_owned(), expected: expected.into(), actual: actual.into() }],
    })
}

fn header(answer: &Answer, name: reqwest::header::HeaderName) -> Option<String> {
    answer.headers.get(name).map(|value| secrets::scrub(&String::from_utf8_lossy(value.as_bytes())))
}

/// `content-type` as the page writes it, `Content-Type`.
fn canonical(name: &reqwest::header::HeaderName) -> String {
    let word = |part: &str| part.get(..1).unwrap_or_default().to_ascii_uppercase() + part.get(1..).unwrap_or_default();
    name.as_str().split('-').map(word).collect::<Vec<_>>().join("-")
}

/// A header the answer must carry at most once (a singleton field, RFC 9110 §5.3: a sender
/// never repeats it), as one value; two field lines fail `requirement`, even when they agree:
/// a client that reads the first and one that reads the last would disagree.
fn single_header(
    answer: &Answer,
    name: reqwest::header::HeaderName,
    requirement: impl Into<RequirementIds>,
) -> Result<Option<String>, Failure> {
    let values: Vec<String> =
        answer.headers.get_all(&name).iter().map(|v| secrets::scrub(&String::from_utf8_lossy(v.as_bytes()))).collect();
    match values.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        several => Err(Failure {
            requirements: requirement.into(),
            violations: vec![Violation {
                path: canonical(&name),
                expected: "one header field (RFC 9110 §5.3)".into(),
                actual: format!("{} fields: {}", several.len(), several.join(" | ")),
            }],
        }),
    }
}

/// The response code is exactly `expected`.
pub fn status(answer: &Answer, expected: u16, requirement: impl Into<RequirementIds>) -> Outcome {
    if answer.status == expected {
        Ok(())
    } else {
        fail(requirement, "status", expected.to_string(), status_with_body(answer))
    }
}

/// The response code is 401 Unauthorized, with at least one challenge in `WWW-Authenticate`
/// (RFC 9110 §11.6.1: a 401 MUST carry one; which schemes, and how many fields, are the
/// server's: `Bearer` is what an OWIN bearer server sends).
pub fn unauthorized(answer: &Answer, requirement: impl Into<RequirementIds>) -> Outcome {
    let requirements = requirement.into();
    status(answer, 401, &requirements)?;
    let challenges = answer.headers.get_all(WWW_AUTHENTICATE).iter().filter(|v| !v.as_bytes().trim_ascii().is_empty());
    if challenges.count() > 0 {
        Ok(())
    } else {
        let expected = "a challenge, such as Bearer (RFC 9110 §11.6.1: a 401 carries at least one)";
        let actual = if answer.headers.contains_key(WWW_AUTHENTICATE) { "(empty)" } else { "(absent)" };
        fail(requirements, "WWW-Authenticate", expected, actual)
    }
}

/// The response code is an error (4xx or 5xx), never a success.
pub fn error_status(answer: &Answer, requirement: impl Into<RequirementIds>) -> Outcome {
    if (400..=599).contains(&answer.status) {
        Ok(())
    } else {
        fail(requirement, "status", "an error status (4xx or 5xx)", status_with_body(answer))
    }
}

/// The answer is a success (2xx), so that what a successful answer holds can be read from it;
/// otherwise the failure reports the refusal as it came (a refused restore has no counts).
pub fn succeeded(answer: &Answer, requirement: impl Into<RequirementIds>) -> Outcome {
    if (200..300).contains(&answer.status) {
        Ok(())
    } else {
        fail(requirement, "status", "a successful restore (2xx) to read the answer of", status_with_body(answer))
    }
}

fn status_with_body(answer: &Answer) -> String {
    if let Some(coding) = answer.coding() {
        return format!("{} with a body not read: {coding}", answer.status);
    }
    let body = secrets::redact_body(&answer.body);
    let body =
        if body.chars().count() > 200 { format!("{}…", body.chars().take(200).collect::<String>()) } else { body };
    if body.is_empty() { answer.status.to_string() } else { format!("{} with body {body}", answer.status) }
}

/// `Content-Length` is present once and equals the body's length in bytes, and the answer is
/// not also framed by `Transfer-Encoding` (RFC 9112 §6.2: a sender MUST NOT send both; §6.3: a
/// recipient reads such a message as chunked, so its Content-Length says nothing).
pub fn content_length(answer: &Answer) -> Outcome {
    const REQ: &str = "HDR-CONTENT-LENGTH";
    let actual_length = answer.body.len().to_string();
    let length = single_header(answer, CONTENT_LENGTH, REQ)?;
    if let (Some(length), Some(encoding)) = (&length, header(answer, TRANSFER_ENCODING)) {
        return fail(
            REQ,
            "Transfer-Encoding",
            "no Transfer-Encoding beside Content-Length (RFC 9112 §6.2)",
            format!("Transfer-Encoding: {encoding} with Content-Length: {length}"),
        );
    }
    match length {
        None => {
            fail(REQ, "Content-Length", format!("a header equal to the body's length, {actual_length}"), "(absent)")
        }
        // Read by its grammar, 1*DIGIT (RFC 9110 §8.6): `000140` is 140.
        Some(value) if fields::decimal_length(&value) == Some(answer.body.len() as u128) => Ok(()),
        Some(value) => fail(REQ, "Content-Length", format!("{actual_length} (the body's length in bytes)"), value),
    }
}

/// An answer whose body ended before the length its Content-Length declared: HDR-CONTENT-LENGTH
/// fails first-hand, with both lengths, whatever the scenario meant to read in it.
pub fn body_length(length: &BodyLength) -> Failure {
    Failure {
        requirements: "HDR-CONTENT-LENGTH".into(),
        violations: vec![Violation {
            path: "Content-Length".to_owned(),
            expected: format!("{} bytes of body, as Content-Length declared", length.declared),
            actual: format!("{} bytes, then the connection closed (status {})", length.received, length.status),
        }],
    }
}

/// The media type without parameters, lower-cased: `application/json; charset=utf-8` →
/// `application/json`.
pub fn media_type(content_type: &str) -> String {
    fields::MediaType::parse(content_type).essence
}

/// `Content-Type` is present and is not `application/octet-stream`, which the page reserves for
/// export and save.
pub fn content_type_present(answer: &Answer) -> Outcome {
    const REQ: &str = "HDR-CONTENT-TYPE";
    match single_header(answer, CONTENT_TYPE, REQ)? {
        None => fail(REQ, "Content-Type", "a media type other than application/octet-stream", "(absent)"),
        Some(value) if media_type(&value) == "application/octet-stream" => {
            fail(REQ, "Content-Type", "a media type other than application/octet-stream", value)
        }
        Some(_) => Ok(()),
    }
}

/// `Content-Type` is `application/json`, once; a `charset` parameter, which the media type
/// does not define, may only name the encoding JSON is exchanged in, UTF-8 (RFC 8259 §8.1): one
/// that names another tells clients to decode the body wrongly.
pub fn content_type_json(answer: &Answer) -> Outcome {
    const REQ: &str = "HDR-CONTENT-TYPE-JSON";
    match single_header(answer, CONTENT_TYPE, REQ)? {
        Some(value) if media_type(&value) == "application/json" => {
            match fields::MediaType::parse(&value).parameter("charset") {
                Some(charset) if !charset.eq_ignore_ascii_case("utf-8") => {
                    fail(REQ, "Content-Type", "application/json, in UTF-8 (no charset, or charset=utf-8)", value)
                }
                _ => Ok(()),
            }
        }
        Some(value) => fail(REQ, "Content-Type", "application/json", value),
        None => fail(REQ, "Content-Type", "application/json", "(absent)"),
    }
}

/// The body is JSON and conforms to `document`.
pub fn body_conforms(answer: &Answer, document: Document, requirement: impl Into<RequirementIds>) -> Outcome {
    body_conforms_where(answer, document, requirement, |_| true)
}

/// The body is JSON, and the violations of `document` that `concerns` keeps are none.
pub fn body_conforms_where(
    answer: &Answer,
    document: Document,
    requirement: impl Into<RequirementIds>,
    concerns: impl Fn(&Violation) -> bool,
) -> Outcome {
    let requirements = requirement.into();
    let json = body_json(answer, &requirements)?;
    let violations: Vec<Violation> = document.violations(&json).into_iter().filter(|v| concerns(v)).collect();
    if violations.is_empty() { Ok(()) } else { Err(Failure { requirements, violations }) }
}

use crate::contract::counts::COUNT_PROPERTIES;

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

/// BODY-COUNTS: the counts at `keys` are written without a fraction and fit the OpenAPI's
/// `int64`. JSON Schema counts 2.0 as an integer; an int64 count never has one, nor exceeds
/// 9223372036854775807 (a client generated from the OpenAPI could not read it).
fn integer_literals(answer: &Answer, keys: &[&str]) -> Outcome {
    let json = body_json(answer, "BODY-COUNTS")?;
    let violations: Vec<Violation> = keys
        .iter()
        .filter_map(|key| {
            let value = json.get(*key)?;
            let int64 = value.as_u64().is_some_and(|count| i64::try_from(count).is_ok());
            (!int64).then(|| Violation {
                path: format!("/{key}"),
                expected: "a non-negative int64 written without a fraction (at most 9223372036854775807)".into(),
                actual: describe_count(Some(value)),
            })
        })
        .collect();
    if violations.is_empty() { Ok(()) } else { Err(Failure { requirements: "BODY-COUNTS".into(), violations }) }
}

/// The counts at the top of v8 statistics.
const V8_COUNTS: [&str; 4] = ["totalItemsCount", "restoredItemsCount", "failedItemsCount", "skippedItemsCount"];

/// BODY-VENDOR-PROPERTIES: the OpenAPI's other statistics have their documented types.
pub fn body_vendor_properties(answer: &Answer) -> Outcome {
    succeeded(answer, "BODY-VENDOR-PROPERTIES")?;
    body_conforms_where(answer, Document::Response, "BODY-VENDOR-PROPERTIES", |v| !concerns_counts(v))
}

/// The body parsed as one JSON text by RFC 8259's rules ([`json_text`]), or a failure of
/// `requirement` that shows what came instead.
pub fn body_json(answer: &Answer, requirement: impl Into<RequirementIds>) -> Result<Value, Failure> {
    let not_json = |actual: String| Failure {
        requirements: requirement.into(),
        violations: vec![Violation { path: "(body)".into(), expected: "one JSON text (RFC 8259)".into(), actual }],
    };
    // A body the suite did not accept (it asks for identity) is named, never shown as bytes.
    if let Some(coding) = answer.coding() {
        return Err(not_json(coding));
    }
    if let Some(departure) = json_text::departure(&answer.body) {
        return Err(not_json(departure.to_string()));
    }
    answer.json().map_err(|error| {
        not_json(if answer.body.is_empty() {
            "an empty body".into()
        } else {
            format!("{} ({error})", render_value(&Value::String(String::from_utf8_lossy(&answer.body).into_owned())))
        })
    })
}

#[cfg(test)]
mod body_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod headers_tests;
