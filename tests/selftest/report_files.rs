//! The report folder always describes the run that just ended: --help touches nothing, a run
//! that could not start leaves a NOT RUN sign-off and results.json and no cucumber report of an
//! earlier run, and no temporary file is left behind.

use crate::tempfile;
use std::collections::BTreeMap;
use std::path::Path;

use crate::helpers::{SuiteRun, run_suite};

/// Every file of the report folder and its contents.
fn folder(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("report dir")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            (name, String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned())
        })
        .collect()
}

/// A passing run's reports in a folder of their own, to run again over.
fn passing_run() -> (SuiteRun, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_suite(&[("VB365_REPORT_DIR", &dir.path().to_string_lossy())], &["--tags", "@device-code"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let names: Vec<String> = folder(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        ["cucumber.json", "exchanges.har", "junit.xml", "results.json", "signoff.html", "signoff.md"],
        "no temporary file"
    );
    let listed = format!(
        "reports: {} (signoff.html, signoff.md, junit.xml, cucumber.json, results.json, exchanges.har)",
        dir.path().display()
    );
    assert!(run.stdout.contains(&listed), "every report written is listed: {}", run.stdout);
    (run, dir)
}

fn assert_not_run(dir: &Path, run: &SuiteRun, reason: &str) {
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    let files = folder(dir);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["exchanges.har", "results.json", "signoff.html", "signoff.md"],
        "stale cucumber reports removed; the evidence of what was sent"
    );
    assert!(files["signoff.md"].starts_with("# Sign-off: NOT RUN\n"), "{}", files["signoff.md"]);
    assert!(files["signoff.md"].contains(reason), "{reason:?} not in {}", files["signoff.md"]);
    assert!(files["signoff.html"].contains("<h1>NOT RUN</h1>") && files["signoff.html"].contains(reason));
    let results: serde_json::Value = serde_json::from_str(&files["results.json"]).expect("results.json");
    assert_eq!(results["verdict"], "NOT RUN");
    assert_eq!(results["exit_status"], 2);
    assert!(results["reason"].as_str().is_some_and(|r| r.contains(reason)), "{results}");
    assert_eq!(results["scenarios"], serde_json::json!([]));
    assert_eq!(results["restores_made"], 0, "always a number");
    assert_eq!(run.closing_line(), format!("verdict: NOT RUN ({})", results["reason"].as_str().unwrap_or_default()));
    let reports = format!("reports: {} (signoff.html, signoff.md, results.json, exchanges.har)", dir.display());
    assert!(run.stdout.contains(&reports), "every report written is listed: {}", run.stdout);
}

#[test]
fn help_prints_and_touches_no_report() {
    let (_, dir) = passing_run();
    let before = folder(dir.path());
    for flag in ["--help", "-h"] {
        let help = run_suite(&[("VB365_REPORT_DIR", &dir.path().to_string_lossy())], &[flag]);
        assert_eq!(help.code, Some(0), "{}", help.stderr);
        assert!(help.stdout.contains("--tags"), "{}", help.stdout);
        assert_eq!(folder(dir.path()), before, "{flag} changed the reports");
    }
}

#[test]
fn an_argument_error_leaves_a_not_run_sign_off() {
    let (_, dir) = passing_run();
    let run = run_suite(&[("VB365_REPORT_DIR", &dir.path().to_string_lossy())], &["--no-such-option"]);
    assert_not_run(dir.path(), &run, "--no-such-option");
}

#[test]
fn a_setting_error_leaves_a_not_run_sign_off() {
    let (_, dir) = passing_run();
    let run = run_suite(&[("VB365_REPORT_DIR", &dir.path().to_string_lossy()), ("VB365_TIMEOUT_SECS", "soon")], &[]);
    assert_not_run(dir.path(), &run, "VB365_TIMEOUT_SECS must be a whole number of seconds");
}

#[test]
fn filters_that_match_nothing_leave_a_not_run_sign_off() {
    let (_, dir) = passing_run();
    let run = run_suite(&[("VB365_REPORT_DIR", &dir.path().to_string_lossy())], &["--tags", "@no-such-tag"]);
    assert_not_run(dir.path(), &run, "no scenario ran: --tags @no-such-tag matched none");
}

#[test]
fn a_finished_run_writes_every_report_anew() {
    let (_, dir) = passing_run();
    let first_results = folder(dir.path())["results.json"].clone();
    let run = run_suite(&[("VB365_REPORT_DIR", &dir.path().to_string_lossy())], &["--tags", "@certificate and @must"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let files = folder(dir.path());
    assert_eq!(files.len(), 6, "{:?}", files.keys());
    assert_ne!(files["results.json"], first_results);
    assert!(files["junit.xml"].contains("Request Example 3") && !files["junit.xml"].contains("Request Example 2"));
    let json: serde_json::Value = serde_json::from_str(&files["cucumber.json"]).expect("Cucumber JSON");
    assert!(json.as_array().is_some_and(|features| !features.is_empty()), "{json}");
}
