//! The operator's own inputs are checked locally, before any scenario: the application id is a
//! UUID, the .pfx opens with its password (never printed), flags take the usual words, and
//! VB365_BASE_URL is scheme, host and port only.

use crate::tempfile;
use secrecy::SecretString;
use vb365_conformance::contract::credentials::{CertificateFileError, check_pfx};
use vb365_conformance::suite::settings::double_defaults as d;

use crate::helpers::{SuiteRun, root, run_suite};

fn certificate_env<'a>(id: &'a str, file: &'a str, password: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("VB365_APPLICATION_ID", id),
        ("VB365_APPLICATION_CERTIFICATE", file),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", password),
        ("VB365_IMPERSONATION_ACCOUNT", d::IMPERSONATION_ACCOUNT),
    ]
}

fn assert_one_line_error(run: &SuiteRun, expected: &str) {
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(expected), "{expected:?} not in {}", run.stderr);
    assert!(!run.stdout.contains("Scenario"), "scenarios ran: {}", run.stdout);
}

#[test]
fn the_fixture_opens_with_its_password_and_no_other() {
    let path = root().join(d::CERTIFICATE_FILE);
    let bytes = std::fs::read(&path).expect("the fixture");
    assert_eq!(check_pfx(&bytes, &SecretString::from(d::CERTIFICATE_PASSWORD), &path), Ok(()));
    let wrong = check_pfx(&bytes, &SecretString::from("not-the-password"), &path);
    assert!(matches!(wrong, Err(CertificateFileError::WrongPassword { .. })), "{wrong:?}");
}

#[test]
fn a_wrong_certificate_password_is_one_line_naming_the_setting_never_the_password() {
    let file = root().join(d::CERTIFICATE_FILE).to_string_lossy().into_owned();
    let password = "Wrong-Pfx-Passw0rd";
    let run = run_suite(&certificate_env(d::APPLICATION_ID, &file, password), &[]);
    assert_one_line_error(&run, "VB365_APPLICATION_CERTIFICATE_PASSWORD does not open the certificate file");
    assert!(!run.everything_written().contains(password), "the password was printed");
}

#[test]
fn a_file_that_is_not_pkcs12_is_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("app.pfx");
    std::fs::write(&file, "-----BEGIN CERTIFICATE-----\nnot a pfx\n-----END CERTIFICATE-----\n").expect("write");
    let run = run_suite(&certificate_env(d::APPLICATION_ID, &file.to_string_lossy(), d::CERTIFICATE_PASSWORD), &[]);
    assert_one_line_error(&run, "is not a PKCS#12 (.pfx) file");
}

#[test]
fn an_application_id_that_is_not_a_uuid_is_one_line() {
    let file = root().join(d::CERTIFICATE_FILE).to_string_lossy().into_owned();
    let run = run_suite(&certificate_env("restore-app", &file, d::CERTIFICATE_PASSWORD), &[]);
    assert_one_line_error(&run, "VB365_APPLICATION_ID must be the application's UUID, not \"restore-app\"");
}

#[test]
fn flags_take_1_0_true_false_yes_no_and_say_so() {
    let run = run_suite(&[("VB365_STRICT", "maybe")], &[]);
    assert_one_line_error(&run, "VB365_STRICT must be 1, 0, true, false, yes or no, not \"maybe\"");
    let lenient = run_suite(&[("VB365_STRICT", "No")], &["--tags", "@device-code"]);
    assert_eq!(lenient.code, Some(0), "{}", lenient.stdout);
    let strict = run_suite(&[("VB365_STRICT", "yes")], &["--tags", "@device-code"]);
    assert_eq!(strict.code, Some(1), "an incomplete strict run fails: {}", strict.stdout);
}

#[test]
fn a_base_url_with_a_path_is_a_setting_error() {
    for (url, path) in [
        ("https://vbo.example.local:4443/v6", "/v6"),
        ("https://vbo.example.local:4443/v8/", "/v8/"),
        ("https://vbo:4443/api", "/api"),
    ] {
        let run = run_suite(&[("VB365_BASE_URL", url)], &[]);
        assert_one_line_error(&run, "must give only scheme, host and port");
        assert!(run.stderr.contains(&format!("not {path:?}")), "{}", run.stderr);
    }
}

#[test]
fn a_timeout_of_0_says_it_must_be_at_least_1() {
    let run = run_suite(&[("VB365_TIMEOUT_SECS", "0")], &[]);
    assert_one_line_error(&run, "VB365_TIMEOUT_SECS must be at least 1 (whole seconds), not \"0\"");
}
