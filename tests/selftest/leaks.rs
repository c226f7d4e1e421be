//! Leak canary, after Hurl's secrets test: distinctive values in every secret, the highest
//! verbosity, every report format, a passing and failing target, and the merged view of those
//! runs; then every byte written is searched for each canary in each encoded form it could take.

use crate::tempfile;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use crate::helpers::{SuiteRun, run_suite};

const API_PASSWORD: &str = "CNRYapiPw7/pass+word 1";
const API_TOKEN: &str = "CNRYtokenQ0123456789abcdef";
const EXCHANGE_PASSWORD: &str = "CNRYexchPw \"Päss\" wörd&2";
const USER_CODE: &str = "CNRYcodeZ7";
const CERTIFICATE_PASSWORD: &str = "CNRYpfxPw?word=3";
const CERTIFICATE_TEXT: &str = "CNRYcertK-content-that-must-never-be-printed";

/// A real PKCS#12 file protected by the canary password (the suite checks that the password
/// opens it before any request), its certificate's name and alias a canary
/// (tests/fixtures/pfx/canary.pfx, made as tests/fixtures/README.md says).
fn canary_certificate(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let bytes = std::fs::read(crate::helpers::root().join("tests/fixtures/pfx/canary.pfx")).expect("canary.pfx");
    let path = dir.join("canary.pfx");
    std::fs::write(&path, &bytes).expect("write canary certificate");
    (path, STANDARD.encode(&bytes))
}

/// The forms a secret can take on the wire or in a report, and its marker.
fn forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap();
    let mut forms = vec![
        secret.to_owned(),
        STANDARD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
        form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        json[1..json.len() - 1].to_owned(),
    ];
    // Each canary starts with a marker of its own: found alone, it is a leak too (a secret
    // quoted twice, cut, or escaped in a way no list foresees).
    forms.push(secret.chars().take_while(char::is_ascii_alphanumeric).collect());
    forms.dedup();
    forms
}

fn leaks(run: &SuiteRun, canaries: &[&str]) -> Vec<String> {
    let written = run.everything_written();
    let mut found = Vec::new();
    for canary in canaries {
        for form in forms(canary) {
            if written.contains(&form) {
                found.push(format!("{canary:?} as {form:?}"));
            }
        }
    }
    // Tokens the double issues are 64 hex digits; no id the suite prints looks like that.
    let hex_run = written.as_bytes().windows(64).any(|w| w.iter().all(u8::is_ascii_hexdigit));
    if hex_run {
        found.push("a 64-hex-digit token issued by the double".into());
    }
    found
}

#[test]
fn no_secret_appears_in_any_output_or_report_at_any_verbosity() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (certificate_path, certificate_base64) = canary_certificate(dir.path());
    let certificate_path = certificate_path.to_string_lossy().into_owned();
    let exchange = [
        ("VB365_EXCHANGE_USERNAME", "canary.user@westsupport.onmicrosoft.com"),
        ("VB365_EXCHANGE_PASSWORD", EXCHANGE_PASSWORD),
        ("VB365_USER_CODE", USER_CODE),
        ("VB365_APPLICATION_ID", "6c1a7c1e-2f7e-4c57-9a51-0d2a7f3c9e11"),
        ("VB365_APPLICATION_CERTIFICATE", certificate_path.as_str()),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", CERTIFICATE_PASSWORD),
        ("VB365_IMPERSONATION_ACCOUNT", "canary.admin@westsupport.onmicrosoft.com"),
    ];
    let canaries = [
        API_PASSWORD,
        API_TOKEN,
        EXCHANGE_PASSWORD,
        USER_CODE,
        CERTIFICATE_PASSWORD,
        CERTIFICATE_TEXT,
        certificate_base64.as_str(),
    ];
    let verbose = ["-vvv"];
    let targets: [(&str, Vec<(&str, &str)>); 5] = [
        ("passing, password login", vec![("VB365_USERNAME", "canary-operator"), ("VB365_PASSWORD", API_PASSWORD)]),
        ("passing, token login", vec![("VB365_TOKEN", API_TOKEN)]),
        (
            "failing: count-as-string",
            vec![
                ("VB365_PASSWORD", API_PASSWORD),
                ("VB365_USERNAME", "canary-operator"),
                ("VB365_DOUBLE_FAULT", "count-as-string"),
            ],
        ),
        (
            "failing: mixed-variants-accepted",
            vec![("VB365_TOKEN", API_TOKEN), ("VB365_DOUBLE_FAULT", "mixed-variants-accepted")],
        ),
        // Failures that quote error bodies which quote the credentials: only scrubbing by value hides them.
        (
            "failing: authorization-refused-403 with error-echoes-request",
            vec![
                ("VB365_TOKEN", API_TOKEN),
                ("VB365_DOUBLE_FAULT", "authorization-refused-403"),
                ("VB365_DOUBLE_VARIATION", "error-echoes-request"),
            ],
        ),
    ];
    let mut problems = Vec::new();
    let mut runs = Vec::new();
    for (name, settings) in targets {
        let env: Vec<(&str, &str)> = exchange.iter().copied().chain(settings).collect();
        let run = run_suite(&env, &verbose);
        let failing = name.starts_with("failing");
        if failing == run.closing_line().contains(" 0 failed") || run.code.is_none_or(|code| code > 1) {
            problems.push(format!("{name}: exit {:?}, {}\n{}", run.code, run.closing_line(), run.stderr));
        }
        for leak in leaks(&run, &canaries) {
            problems.push(format!("{name}: leaked {leak}"));
        }
        runs.push(run);
    }
    // The merged view of those runs, made from their results.json.
    let files: Vec<String> =
        runs.iter().map(|run| run.report_dir.path().join("results.json").to_string_lossy().into_owned()).collect();
    let merge = run_suite(&[], &[&["merge"], files.iter().map(String::as_str).collect::<Vec<_>>().as_slice()].concat());
    if merge.code != Some(1) {
        problems.push(format!("merge: exit {:?}\n{}", merge.code, merge.stderr));
    }
    for leak in leaks(&merge, &canaries) {
        problems.push(format!("merge: leaked {leak}"));
    }
    println!("canaries leaked: {}", problems.iter().filter(|p| p.contains("leaked")).count());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
