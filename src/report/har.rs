//! exchanges.har: every request the run made and every answer it got, as an HTTP Archive 1.2
//! that browsers' developer tools and HAR viewers open: the evidence a vendor ticket needs.
//! Redacted by the same rules as everything the suite writes: secret headers, fields and form
//! fields masked whatever their value, every registered secret scrubbed from the rest.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::contract::round_trip::RoundTrip;
use crate::secrets::{self, Scrubbed};

/// The HAR document of `trips`, redacted; `scenarios` names, by a trip's number, the scenario it
/// served. The largest report (hundreds of entries against the double): its entries are made
/// and scrubbed in two halves at once, each entry on a line of its own (one line per round
/// trip, for grep).
pub fn render(trips: &[RoundTrip], scenarios: &HashMap<usize, Vec<String>>, suite_version: &str) -> Scrubbed {
    let half = trips.len().div_ceil(2).max(1);
    let parts: Vec<Scrubbed> = std::thread::scope(|scope| {
        let halves: Vec<_> = trips
            .chunks(half)
            .enumerate()
            .map(|(index, chunk)| scope.spawn(move || entries(index * half, chunk, scenarios, index > 0)))
            .collect();
        halves.into_iter().map(|half| half.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    let creator = json!({ "name": "vb365-conformance", "version": suite_version });
    let opening = format!("{{\"log\": {{\"version\": \"1.2\", \"creator\": {creator}, \"entries\": [");
    let parts = std::iter::once(Scrubbed::new(&opening)).chain(parts).chain([Scrubbed::new("\n]}}\n")]);
    Scrubbed::concat(parts)
}

/// The entries of `trips` (the first numbered `first`), scrubbed, each on a line of its own;
/// `after` when entries precede them.
fn entries(first: usize, trips: &[RoundTrip], scenarios: &HashMap<usize, Vec<String>>, after: bool) -> Scrubbed {
    let mut text = String::new();
    for (offset, trip) in trips.iter().enumerate() {
        let number = first + offset;
        if after || offset > 0 {
            text.push(',');
        }
        text.push('\n');
        let entry = entry(number, trip, scenarios.get(&number).map(|s| s.join(", ")));
        text.push_str(&serde_json::to_string(&entry).unwrap_or_default());
    }
    Scrubbed::new(&text)
}

/// A HAR 1.2 entry, as the specification names its members.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    started_date_time: String,
    time: f64,
    request: Request<'a>,
    response: Response<'a>,
    cache: Empty,
    timings: Timings,
    comment: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Request<'a> {
    method: &'a str,
    url: &'a str,
    http_version: &'static str,
    cookies: [Empty; 0],
    headers: Vec<Field<'a>>,
    query_string: Vec<Field<'a>>,
    headers_size: i8,
    body_size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_data: Option<PostData<'a>>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PostData<'a> {
    mime_type: &'a str,
    text: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Response<'a> {
    status: u16,
    status_text: &'static str,
    http_version: &'static str,
    cookies: [Empty; 0],
    headers: Vec<Field<'a>>,
    content: Content<'a>,
    #[serde(rename = "redirectURL")]
    redirect_url: &'static str,
    headers_size: i8,
    body_size: usize,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Content<'a> {
    size: usize,
    mime_type: &'a str,
    text: String,
}

#[derive(serde::Serialize)]
struct Timings {
    send: u8,
    wait: f64,
    receive: u8,
}

/// A header, query or form field: `{"name", "value"}`.
#[derive(serde::Serialize)]
struct Field<'a> {
    name: std::borrow::Cow<'a, str>,
    value: String,
}

#[derive(serde::Serialize)]
struct Empty {}

fn entry(number: usize, trip: &RoundTrip, scenario: Option<String>) -> Entry<'_> {
    let query: Vec<Field> = Some(&trip.url)
        .filter(|url| url.contains('?'))
        .and_then(|url| reqwest::Url::parse(url).ok())
        .map(|url| {
            let pairs = url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned()));
            pairs.map(|(name, value)| Field { value: redact_field(&name, &value), name: name.into() }).collect()
        })
        .unwrap_or_default();
    let request_type = header(&trip.request_headers, "content-type").unwrap_or_default();
    let response_type = header(&trip.response_headers, "content-type").unwrap_or_default();
    let comment = match (scenario, &trip.error) {
        (Some(scenario), Some(error)) => format!("#{number}, {scenario}; {error}"),
        (Some(scenario), None) => format!("#{number}, {scenario}"),
        (None, Some(error)) => format!("#{number}; {error}"),
        (None, None) => format!("#{number}"),
    };
    Entry {
        started_date_time: humantime::format_rfc3339_millis(trip.started).to_string(),
        time: trip.milliseconds,
        request: Request {
            method: &trip.method,
            url: &trip.url,
            http_version: "HTTP/1.1",
            cookies: [],
            headers: headers(&trip.request_headers),
            query_string: query,
            headers_size: -1,
            body_size: trip.request_body.len(),
            post_data: (!trip.request_body.is_empty())
                .then(|| PostData { mime_type: request_type, text: redact_body(request_type, &trip.request_body) }),
        },
        response: Response {
            status: trip.status,
            status_text: reqwest::StatusCode::from_u16(trip.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or(""),
            http_version: "HTTP/1.1",
            cookies: [],
            headers: headers(&trip.response_headers),
            content: Content {
                size: trip.response_body.len(),
                mime_type: response_type,
                text: redact_body(response_type, &trip.response_body),
            },
            redirect_url: "",
            headers_size: -1,
            body_size: trip.response_body.len(),
        },
        cache: Empty {},
        timings: Timings { send: 0, wait: trip.milliseconds, receive: 0 },
        comment,
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
}

fn headers(headers: &[(String, String)]) -> Vec<Field<'_>> {
    headers.iter().map(|(name, value)| Field { name: name.into(), value: redact_field(name, value) }).collect()
}

/// A header, query or form field's value: masked when its name says it holds a secret (every
/// registered secret is scrubbed from the entries as they are made).
fn redact_field(name: &str, value: &str) -> String {
    if secrets::is_secret_key(name) { secrets::MASK.to_owned() } else { value.to_owned() }
}

/// A body as text: a form's secret fields masked, JSON's secret fields masked and its strings
/// scrubbed. A body without a backslash nor a secret field is kept as it is: a secret in it is at
/// most one escape deep, two in the document, whose entries are scrubbed as they are made.
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
