//! Target selection cannot be silently wrong: a set-but-empty VB365_BASE_URL, or a setting that
//! only means something on a live server set without it, is a one-line setup error that names
//! what to change; a run against the double says so, and its verdict is never read as a server's.

use crate::helpers::run_suite;

fn assert_setup_error(env: &[(&str, &str)], expected: &[&str]) {
    let run = run_suite(env, &[]);
    assert_eq!(run.code, Some(2), "{env:?}: {}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{env:?}: {}", run.stderr);
    for text in expected {
        assert!(run.stderr.contains(text), "{env:?}: {text:?} not in {}", run.stderr);
    }
    assert!(!run.stdout.contains("Scenario"), "{env:?}: scenarios ran: {}", run.stdout);
}

#[test]
fn a_set_but_empty_base_url_is_a_setting_error_not_the_double() {
    for empty in ["", "  "] {
        assert_setup_error(&[("VB365_BASE_URL", empty)], &["VB365_BASE_URL is set but empty", "embedded double"]);
    }
}

#[test]
fn a_live_only_setting_without_a_base_url_names_the_settings_to_change() {
    let session = "2f1c8e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
    for (name, value) in [
        ("VB365_RESTORE_SESSION_ID", session),
        ("VB365_MAILBOX_ID", session),
        ("VB365_ORGANIZATION_ID", session),
        ("VB365_CA_CERT", "/etc/ssl/vbo-ca.pem"),
        ("VB365_INSECURE", "1"),
        ("VB365_ALLOW_RESTORE", "1"),
    ] {
        assert_setup_error(&[(name, value)], &[&format!("{name} is set but VB365_BASE_URL is not"), "unset it"]);
    }
    assert_setup_error(
        &[("VB365_INSECURE", "1"), ("VB365_ALLOW_RESTORE", "yes")],
        &["VB365_INSECURE, VB365_ALLOW_RESTORE are set but VB365_BASE_URL is not", "set VB365_BASE_URL"],
    );
}

#[test]
fn a_run_against_the_double_says_so_and_is_never_a_servers_acceptance() {
    let run = run_suite(&[], &[]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let banner = run.stdout.lines().next().unwrap_or_default();
    assert!(banner.contains("the embedded double") && banner.contains("not of any server"), "{banner}");
    let verdict = run.stdout.lines().find(|line| line.starts_with("verdict: ")).expect("a verdict line");
    assert!(
        verdict.starts_with("verdict: ACCEPTED (double): the suite and its embedded double, not a server."),
        "{verdict}"
    );
    assert!(run.report("signoff.md").starts_with("# Sign-off: ACCEPTED (double)\n"));
    assert!(run.report("signoff.html").contains("<h1>ACCEPTED (double)</h1>"));
    let results: serde_json::Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    assert_eq!(results["verdict"], "ACCEPTED", "machine-readable as before");
    assert_eq!(results["verdict_of"], "double");
    assert_eq!(results["exit_status"], 0);
    assert_eq!(results["target"]["kind"], "double");
}
