//! The suite against its own double: a conforming server passes, and a run says so plainly.

use crate::helpers::run_suite;

#[test]
fn the_suite_passes_against_the_embedded_double_in_every_version() {
    // The README's figure: `cargo run` (v6) ends "91 passed, 0 failed, 0 skipped".
    assert_eq!(crate::helpers::readme_closing_line(), "91 passed, 0 failed, 0 skipped", "README.md");
    for (version, scenarios) in [("v6", 91), ("v7", 91), ("v8", 109)] {
        let run = run_suite(&[("VB365_API_VERSION", version)], &[]);
        assert_eq!(run.code, Some(0), "{version}: stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
        assert!(run.stdout.contains(&format!("the embedded double (API {version})")), "{}", run.stdout);
        assert!(run.stdout.contains("verdict: ACCEPTED ("), "{version}: {}", run.stdout);
        let line = run.closing_line();
        assert_eq!(line, format!("{scenarios} passed, 0 failed, 0 skipped"), "{version}");
    }
}

#[test]
fn version_specific_scenarios_run_only_in_their_version() {
    let v6 = run_suite(&[("VB365_API_VERSION", "v6")], &["--tags", "@v8"]);
    assert_eq!(v6.code, Some(2), "no v8 scenario runs in v6: {}", v6.stdout);
    let v8 = run_suite(&[("VB365_API_VERSION", "v8")], &["--tags", "@v8"]);
    // Seven scenarios, each for the three credential variants.
    assert_eq!(v8.closing_line(), "21 passed, 0 failed, 0 skipped");
    let v8_vendor = run_suite(&[("VB365_API_VERSION", "v8")], &["--tags", "@BODY-VENDOR-PROPERTIES"]);
    assert_eq!(v8_vendor.code, Some(2), "RESTFoldersRestoreStatistics does not exist in v8: {}", v8_vendor.stdout);
}

#[test]
fn every_run_writes_junit_and_cucumber_json_reports() {
    let run = run_suite(&[], &["--tags", "@device-code"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let junit = run.report("junit.xml");
    assert!(junit.contains("<testsuites") && junit.contains("Request Example 2 restores the mailbox"), "{junit}");
    let json: serde_json::Value = serde_json::from_str(&run.report("cucumber.json")).expect("Cucumber JSON");
    assert!(json.as_array().is_some_and(|features| !features.is_empty()), "{json}");
}

#[test]
fn tag_filters_select_scenarios() {
    let run = run_suite(&[], &["--tags", "@certificate and @must"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    // Request Example 3, its counts, its four properties changed one at a time (eight rows), and
    // its status and two headers.
    assert_eq!(run.closing_line(), "13 passed, 0 failed, 0 skipped");
}

#[test]
fn a_bad_setting_is_one_line_and_exit_status_2() {
    let run = run_suite(&[("VB365_BASE_URL", "ftp://vbo.example.local")], &[]);
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("VB365_BASE_URL"), "{}", run.stderr);
}

#[test]
fn the_console_shows_a_failed_step_with_its_check_and_at_vv_the_scenario_state() {
    let fault = ("VB365_DOUBLE_FAULT", "count-as-string");
    let run = run_suite(&[fault], &["--tags", "@COUNT-CREATED and @password", "--color", "never"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let failed =
        run.stdout.lines().position(|line| line.starts_with("   ✘  Then the restore reports")).expect("a failed step");
    let next: Vec<&str> = run.stdout.lines().skip(failed + 1).take(2).collect();
    assert!(next[0].starts_with("      [COUNT-CREATED] "), "the requirement first: {}", run.stdout);
    assert!(next[1].contains("at /createdItemsCount: expected"), "{}", run.stdout);
    assert!(!run.stdout.contains("World:") && !run.stdout.contains('\x1b'), "{}", run.stdout);
    assert!(run.stdout.contains("\n[Summary]\n"), "{}", run.stdout);

    let verbose = run_suite(&[fault], &["--tags", "@COUNT-CREATED and @password", "-vv"]);
    assert!(verbose.stdout.contains("      World: RestoreWorld {"), "{}", verbose.stdout);
}

#[test]
fn a_retried_scenario_counts_once_with_its_last_attempt() {
    let fault = ("VB365_DOUBLE_FAULT", "count-as-string");
    let once = run_suite(&[fault], &["--tags", "@COUNT-CREATED"]);
    let retried = run_suite(&[fault], &["--tags", "@COUNT-CREATED", "--retry", "1"]);
    assert_eq!(retried.closing_line(), once.closing_line(), "{}", retried.stdout);
    assert!(retried.stdout.contains("retried: attempt 1 failed, 1 left"), "{}", retried.stdout);
    let scenarios = |run: &crate::helpers::SuiteRun| {
        let results: serde_json::Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
        results["scenarios"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(scenarios(&retried), scenarios(&once));
}
