//! Leak canary, after Hurl's secrets test: a distinctive value in every secret setting, planted in
//! runs of every kind (tests/selftest/leak_runs.rs); then every byte a run wrote (its console and
//! every file under its report folder, found by walking it) is searched for each canary, as
//! written and as it reads once percent-, form-, JSON- (once or twice) or HTML-decoded, whole, in Base64 at any
//! offset, or cut down to its marker. `canaries_fire_on_a_planted_copy_in_every_encoding` shows
//! that each canary is found in each encoding it could take.
//!
//! The secret settings: VB365_PASSWORD, VB365_TOKEN, VB365_EXCHANGE_PASSWORD, VB365_USER_CODE,
//! VB365_APPLICATION_CERTIFICATE (the file's content) and VB365_APPLICATION_CERTIFICATE_PASSWORD;
//! besides them, the tokens a server issues. VB365 has no client secret: an application signs in
//! to Exchange with its certificate.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use crate::helpers::{SuiteRun, files_under, root};
use crate::tempfile;

pub const API_PASSWORD: &str = "CNRYapiPw7/pass+word 1";
pub const API_TOKEN: &str = "CNRYtokenQ0123456789abcdef";
pub const EXCHANGE_PASSWORD: &str = "CNRYexchPw \"Päss\" wörd&2<x>";
pub const USER_CODE: &str = "CNRYcodeZ7";
pub const CERTIFICATE_PASSWORD: &str = "CNRYpfxPw?word=3";
/// tests/fixtures/pfx/canary.pfx, protected by [`CERTIFICATE_PASSWORD`] (made as
/// tests/fixtures/README.md says).
pub const CERTIFICATE_FILE: &str = "tests/fixtures/pfx/canary.pfx";
/// The friendlyName of the canary certificate's key bag: the only text of the certificate that
/// can be found in the file's bytes (its certificate, and with it the subject, is encrypted), and
/// only in UTF-16 (a BMPString). It fires when the file itself is copied into a report; the
/// file's Base64, which the suite sends, is a canary of its own.
const CERTIFICATE_FRIENDLY_NAME: &str = "CNRYcertK-content-that-must-never-be-printed";

/// How long a canary's marker is: CNRY and four letters of its own.
const MARKER_LEN: usize = 8;

/// A secret planted in a run, and what betrays it.
pub struct Canary {
    pub name: String,
    /// (what the pattern is, its bytes).
    patterns: Vec<(String, Vec<u8>)>,
}

impl Canary {
    /// A secret found whole or in Base64 at any offset, in any view of what was written; a
    /// value starting with CNRY also by its marker (its first eight letters, its own: a secret
    /// cut, quoted twice, or escaped in a way no view undoes is a leak too).
    pub fn secret(name: &str, value: &str) -> Canary {
        let mut patterns = vec![("its value".to_owned(), value.as_bytes().to_vec())];
        patterns.extend(base64_patterns(value.as_bytes()));
        if value.starts_with("CNRY") {
            let marker = &value[..MARKER_LEN];
            patterns.push((format!("its marker {marker}"), marker.as_bytes().to_vec()));
        }
        Canary { name: name.to_owned(), patterns }
    }

    /// The canary certificate: the Base64 the suite sends (also cut to its first 48 characters),
    /// and the file's own bytes (by its UTF-16 friendlyName).
    pub fn certificate() -> Canary {
        let base64 = STANDARD.encode(certificate_bytes());
        let mut canary = Canary::secret("VB365_APPLICATION_CERTIFICATE (the file's Base64)", &base64);
        canary.patterns.push(("its first 48 characters".to_owned(), base64.as_bytes()[..48].to_vec()));
        let utf16: Vec<u8> = CERTIFICATE_FRIENDLY_NAME.encode_utf16().flat_map(u16::to_be_bytes).collect();
        canary.patterns.push(("the file's bytes (its UTF-16 friendlyName)".to_owned(), utf16));
        canary
    }
}

pub fn certificate_bytes() -> Vec<u8> {
    std::fs::read(root().join(CERTIFICATE_FILE)).expect("canary.pfx")
}

/// The secret settings with their canary values (the API login by password; VB365_TOKEN is
/// planted in the runs that sign in with a token).
pub fn canaries() -> Vec<Canary> {
    vec![
        Canary::secret("VB365_PASSWORD", API_PASSWORD),
        Canary::secret("VB365_TOKEN", API_TOKEN),
        Canary::secret("VB365_EXCHANGE_PASSWORD", EXCHANGE_PASSWORD),
        Canary::secret("VB365_USER_CODE", USER_CODE),
        Canary::secret("VB365_APPLICATION_CERTIFICATE_PASSWORD", CERTIFICATE_PASSWORD),
        Canary::certificate(),
    ]
}

/// `secret` in Base64 (standard and URL-safe alphabets) wherever it starts in a longer value:
/// for each of the three offsets, the characters that depend on the secret's bytes alone.
fn base64_patterns(secret: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut patterns = Vec::new();
    for (alphabet, engine) in [("Base64", &STANDARD_NO_PAD), ("Base64url", &URL_SAFE_NO_PAD)] {
        for offset in 0..3 {
            let mut bytes = vec![0u8; offset];
            bytes.extend_from_slice(secret);
            let encoded = engine.encode(&bytes);
            // The first characters mix in the bytes before it, the last one those after it.
            let skip = [0, 2, 3][offset];
            let end = if bytes.len() % 3 == 0 { encoded.len() } else { encoded.len() - 1 };
            patterns.push((format!("{alphabet} at offset {offset}"), encoded.as_bytes()[skip..end].to_vec()));
        }
    }
    patterns
}

/// The ways a text can be read: as written and decoded once or twice.
fn views(bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let text = String::from_utf8_lossy(bytes);
    let json = json_unescaped(&text);
    vec![
        ("as written", bytes.to_vec()),
        ("percent-decoded", percent_decoded(bytes, false)),
        ("form-decoded", percent_decoded(bytes, true)),
        ("JSON-unescaped", json.clone().into_bytes()),
        ("JSON-unescaped twice", json_unescaped(&json).into_bytes()),
        ("HTML-unescaped", html_unescaped(&text).into_bytes()),
    ]
}

fn percent_decoded(bytes: &[u8], plus_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (b'+', _) if plus_is_space => out.push(b' '),
            (byte, _) => out.push(byte),
        }
        i += 1;
    }
    out
}

/// Undoes JSON's escapes (\", \\, \/, \n, ... and \uXXXX with surrogate pairs) wherever they are.
fn json_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_high: Option<u16> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let Ok(unit) = u16::from_str_radix(&hex, 16) else {
                    out.push_str("\\u");
                    out.push_str(&hex);
                    continue;
                };
                match pending_high.take() {
                    Some(high) => out.extend(char::decode_utf16([high, unit]).map(|r| r.unwrap_or('\u{fffd}'))),
                    None if (0xD800..0xDC00).contains(&unit) => pending_high = Some(unit),
                    None => out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}')),
                }
            }
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn html_unescaped(text: &str) -> String {
    let mut out = text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    out = out.replace("&#39;", "'").replace("&#x27;", "'").replace("&#34;", "\"").replace("&#x22;", "\"");
    out.replace("&amp;", "&")
}

/// Where a canary was found: "{canary} as {pattern} in {place} ({the views it shows in})".
pub fn scan(canaries: &[Canary], places: &[(String, Vec<u8>)]) -> Vec<String> {
    let patterns: Vec<(&Canary, &(String, Vec<u8>))> =
        canaries.iter().flat_map(|canary| canary.patterns.iter().map(move |pattern| (canary, pattern))).collect();
    let finder = aho_corasick::AhoCorasick::new(patterns.iter().map(|(_, (_, bytes))| bytes)).expect("patterns");
    let mut found: Vec<(String, Vec<&str>)> = Vec::new();
    for (place, bytes) in places {
        for (view, text) in views(bytes) {
            for hit in finder.find_overlapping_iter(&text) {
                let (canary, (pattern, _)) = patterns[hit.pattern().as_usize()];
                let leak = format!("{} as {pattern} in {place}", canary.name);
                match found.iter_mut().find(|(known, _)| *known == leak) {
                    Some((_, seen_in)) if !seen_in.contains(&view) => seen_in.push(view),
                    Some(_) => {}
                    None => found.push((leak, vec![view])),
                }
            }
        }
        // The tokens a double issues are 64 hex digits; no id the suite writes looks like that.
        if bytes.windows(64).any(|w| w.iter().all(u8::is_ascii_hexdigit)) {
            found.push((format!("a 64-hex-digit token (as the double issues) in {place}"), vec!["as written"]));
        }
    }
    found.into_iter().map(|(leak, views)| format!("{leak} ({})", views.join(", "))).collect()
}

/// What a run wrote: its console and every file under its report folder.
pub fn written(run: &SuiteRun) -> Vec<(String, Vec<u8>)> {
    let mut places = vec![
        ("stdout".to_owned(), run.stdout.clone().into_bytes()),
        ("stderr".to_owned(), run.stderr.clone().into_bytes()),
    ];
    places.extend(folder(run.report_dir.path()));
    places
}

fn folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|(path, bytes)| (path.strip_prefix(dir).unwrap_or(&path).display().to_string(), bytes))
        .collect()
}

/// Each secret planted as code outside the suite would write it, each plant alone in a file two
/// folders down: the scan names the canary, and not only by its marker.
#[test]
fn canaries_fire_on_a_planted_copy_in_every_encoding() {
    let certificate = STANDARD.encode(certificate_bytes());
    let secrets = [
        ("VB365_PASSWORD", API_PASSWORD),
        ("VB365_TOKEN", API_TOKEN),
        ("VB365_EXCHANGE_PASSWORD", EXCHANGE_PASSWORD),
        ("VB365_USER_CODE", USER_CODE),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", CERTIFICATE_PASSWORD),
        ("VB365_APPLICATION_CERTIFICATE (the file's Base64)", certificate.as_str()),
    ];
    let canaries = canaries();
    let mut failures = Vec::new();
    let mut fired = 0;
    for (name, secret) in secrets {
        for (encoding, planted) in plants(secret) {
            let found = scan_planted(&canaries, &planted);
            let by_name = found.iter().any(|f| f.starts_with(&format!("{name} as ")) && !f.contains(" as its marker "));
            if by_name { fired += 1 } else { failures.push(format!("{name} {encoding}: found {found:?}")) }
        }
        if secret.starts_with("CNRY") {
            // Cut after its marker and a character: found by its marker alone.
            let cut = &secret[..MARKER_LEN + 1];
            let found = scan_planted(&canaries, format!("quoted: {cut}…").as_bytes());
            if !found.iter().any(|f| f.starts_with(&format!("{name} as its marker "))) {
                failures.push(format!("{name} cut to {cut:?}: found {found:?}"));
            }
        }
    }
    // The certificate file itself, copied; a token as the double issues them.
    let found = scan_planted(&canaries, &certificate_bytes());
    if !found.iter().any(|f| f.contains("as the file's bytes (its UTF-16 friendlyName)")) {
        failures.push(format!("the certificate file: found {found:?}"));
    }
    let cut = scan_planted(&canaries, format!("\"applicationCertificate\": \"{}…\"", &certificate[..60]).as_bytes());
    if !cut.iter().any(|f| f.contains("as its first 48 characters")) {
        failures.push(format!("the certificate cut: found {cut:?}"));
    }
    let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    if !scan_planted(&canaries, format!("Bearer {token}").as_bytes()).iter().any(|f| f.contains("64-hex-digit")) {
        failures.push("a token the double issued was not found".into());
    }
    // And nothing is found where nothing was planted.
    let clean = scan_planted(&canaries, b"{\"userPassword\": \"***\", \"userCode\": \"***\"} Bearer *** CNRY");
    assert!(clean.is_empty(), "{clean:?}");
    assert!(failures.is_empty(), "canaries that did not fire:\n{}", failures.join("\n"));
    assert_eq!(fired, secrets.len() * PLANTED_ENCODINGS, "every secret in every encoding");
    // The figures docs/proof.md publishes.
    let published = format!(
        "each of the {} canaries is shown to fire on a planted copy in each of {PLANTED_ENCODINGS} encodings",
        secrets.len()
    );
    let proof = std::fs::read_to_string(root().join("docs/proof.md")).expect("docs/proof.md").replace('\n', " ");
    assert!(proof.contains(&published), "docs/proof.md does not say: {published}");
}

/// How many encodings [`plants`] writes each secret in.
const PLANTED_ENCODINGS: usize = 13;

/// `secret` as code outside the suite writes it, by encoding.
fn plants(secret: &str) -> Vec<(&'static str, Vec<u8>)> {
    let escaped_ascii: String = secret
        .encode_utf16()
        .map(|unit| match unit {
            0x22 => "\\\"".to_owned(),
            0x5c => "\\\\".to_owned(),
            unit if unit < 0x80 => char::from(unit as u8).to_string(),
            unit => format!("\\u{unit:04X}"),
        })
        .collect();
    let every_byte_percent: String = secret.bytes().map(|b| format!("%{b:02x}")).collect();
    let mut url = reqwest::Url::parse("https://vbo.example/v6/RestoreSessions").expect("url");
    url.path_segments_mut().expect("segments").push(secret);
    let html = secret.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let body = serde_json::json!({"userName": "u", "userPassword": secret});
    let plants: Vec<(&'static str, String)> = vec![
        ("as given", format!("message: {secret}.")),
        ("in Base64", STANDARD.encode(secret)),
        ("in Base64 after 1 byte", format!("Basic {}", STANDARD.encode(format!(":{secret}!")))),
        ("in Base64 after 2 bytes", format!("Basic {}", STANDARD.encode(format!("u:{secret}!!")))),
        ("in Base64 after 3 bytes", format!("Basic {}", STANDARD.encode(format!("op:{secret}")))),
        ("in Base64url, unpadded", URL_SAFE_NO_PAD.encode(format!("{{\"p\":\"{secret}\"}}"))),
        ("form-encoded", form_urlencoded::Serializer::new(String::new()).append_pair("password", secret).finish()),
        ("percent-encoded in a URL path", url.to_string()),
        ("percent-encoded, every byte, lower case", every_byte_percent),
        ("JSON-escaped", body.to_string()),
        ("JSON-escaped, non-ASCII as \\u (as .NET writes)", format!("{{\"message\": \"{escaped_ascii}\"}}")),
        ("JSON in JSON", serde_json::json!({"message": format!("Request body: {body}")}).to_string()),
        ("HTML-escaped", format!("<td>{html}</td>")),
    ];
    assert_eq!(plants.len(), PLANTED_ENCODINGS);
    plants.into_iter().map(|(encoding, text)| (encoding, text.into_bytes())).collect()
}

/// Plants `bytes` in a file two folders down in a fresh folder, and scans that folder.
fn scan_planted(canaries: &[Canary], bytes: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("evidence").join("more");
    std::fs::create_dir_all(&nested).expect("nested folder");
    std::fs::write(nested.join("planted.txt"), bytes).expect("plant");
    std::fs::write(dir.path().join("clean.txt"), "nothing secret here").expect("clean file");
    scan(canaries, &folder(dir.path()))
}
