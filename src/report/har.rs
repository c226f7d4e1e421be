//! exchanges.har: every request the run made and every answer it got, as an HTTP Archive 1.2
//! that browsers' developer tools and HAR viewers open: the evidence a vendor ticket needs.
//! Redacted by the same rules as everything the suite writes: secret headers, fields and form
//! fields masked whatever their value, every registered secret scrubbed from the rest.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::round_trip::RoundTrip;
use crate::secrets;

/// The HAR document of `trips`; `scenarios` names, by a trip's number, the scenario it served.
pub fn render(trips: &[RoundTrip], scenarios: &HashMap<usize, Vec<String>>, suite_version: &str) -> String {
    let entries: Vec<Value> =
        trips.iter().enumerate().map(|(n, trip)| entry(n, trip, scenarios.get(&n).map(|s| s.join(", ")))).collect();
    let document = json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "vb365-conformance", "version": suite_version },
            "entries": entries,
        }
    });
    // Scrubbed of every registered secret as the report is written (report::files).
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

fn entry(number: usize, trip: &RoundTrip, scenario: Option<String>) -> Value {
    let started = humantime::format_rfc3339_millis(trip.started).to_string();
    let url = trip.url.clone();
    let query: Vec<Value> = Some(&trip.url)
        .filter(|url| url.contains('?'))
        .and_then(|url| reqwest::Url::parse(url).ok())
        .map(|url| {
            url.query_pairs()
                .map(|(name, value)| json!({ "name": name, "value": redact_field(&name, &value) }))
                .collect()
        })
        .unwrap_or_default();
    let request_type = header(&trip.request_headers, "content-type").unwrap_or_default();
    let response_type = header(&trip.response_headers, "content-type").unwrap_or_default();
    let mut request = json!({
        "method": trip.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": headers(&trip.request_headers),
        "queryString": query,
        "headersSize": -1,
        "bodySize": trip.request_body.len(),
    });
    if !trip.request_body.is_empty() {
        request["postData"] =
            json!({ "mimeType": request_type, "text": redact_body(&request_type, &trip.request_body) });
    }
    let comment = match (scenario, &trip.error) {
        (Some(scenario), Some(error)) => format!("#{number}, {scenario}; no answer: {error}"),
        (Some(scenario), None) => format!("#{number}, {scenario}"),
        (None, Some(error)) => format!("#{number}; no answer: {error}"),
        (None, None) => format!("#{number}"),
    };
    json!({
        "startedDateTime": started,
        "time": trip.milliseconds,
        "request": request,
        "response": {
            "status": trip.status,
            "statusText": reqwest::StatusCode::from_u16(trip.status).ok().and_then(|s| s.canonical_reason()).unwrap_or(""),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(&trip.response_headers),
            "content": {
                "size": trip.response_body.len(),
                "mimeType": response_type,
                "text": redact_body(&response_type, &trip.response_body),
            },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": trip.response_body.len(),
        },
        "cache": {},
        "timings": { "send": 0, "wait": trip.milliseconds, "receive": 0 },
        "comment": comment,
    })
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, value)| value.clone())
}

fn headers(headers: &[(String, String)]) -> Vec<Value> {
    headers.iter().map(|(name, value)| json!({ "name": name, "value": redact_field(name, value) })).collect()
}

/// A header, query or form field's value: masked when its name says it holds a secret (the
/// whole document is scrubbed of every registered secret when it is written).
fn redact_field(name: &str, value: &str) -> String {
    if secrets::is_secret_key(name) { secrets::MASK.to_owned() } else { value.to_owned() }
}

/// A body as text: a form's secret fields masked, JSON's secret fields masked and its strings
/// scrubbed. A body without a backslash nor a secret field is kept as it is: a secret in it is at
/// most one escape deep, two in the document, which is scrubbed whole as it is written.
fn redact_body(content_type: &str, body: &[u8]) -> String {
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body)
            .map(|(name, value)| format!("{name}={}", redact_field(&name, &value)))
            .collect::<Vec<_>>()
            .join("&");
    }
    if !body.contains(&b'\\') && !secrets::mentions_secret_key(body) {
        return String::from_utf8_lossy(body).into_owned();
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(json) => secrets::redact_json(&json).to_string(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    }
}
