//! Every reason for a non-zero exit is stated on the console, one line each, just before the
//! closing line (and the line that counts known deviations, when there are any), which stays the
//! last line of stdout.

use crate::helpers::{SuiteRun, run_suite};

/// The `exit 1: ...` lines, checked to stand right before the closing line.
fn reasons(run: &SuiteRun) -> Vec<String> {
    let lines: Vec<&str> = run.stdout.lines().collect();
    let closing = lines.last().copied().unwrap_or_default();
    assert!(closing.contains(" passed, ") && closing.ends_with(" skipped"), "closing line last: {closing:?}");
    // The line that counts known deviations, when there are any, stands between them.
    let reasons: Vec<String> = lines[..lines.len() - 1]
        .iter()
        .rev()
        .skip_while(|l| l.contains(" known deviations (VB365_EXPECTATIONS; not counted as failed)"))
        .take_while(|l| l.starts_with("exit 1: "))
        .map(|l| l.to_string())
        .collect();
    let anywhere = lines.iter().filter(|l| l.starts_with("exit 1: ")).count();
    assert_eq!(anywhere, reasons.len(), "reasons stand together before the closing line: {}", run.stdout);
    reasons.into_iter().rev().collect()
}

#[test]
fn a_passing_run_states_no_reason() {
    let run = run_suite(&[], &["--tags", "@device-code"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert!(reasons(&run).is_empty());
}

#[test]
fn a_failed_must_requirement_is_named() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "count-negative")], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let reasons = reasons(&run);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    // BODY-COUNTS, and the Request Examples whose counts it broke (OP-RESTORE, BODY-PASSWORD, ...).
    let named = reasons[0].strip_prefix("exit 1: a must requirement failed: ").expect("the must line");
    let first_hand: Vec<&str> = named.split("; ").next().unwrap_or_default().split(", ").collect();
    assert!(first_hand.contains(&"BODY-COUNTS") && first_hand.contains(&"OP-RESTORE"), "{reasons:?}");
}

#[test]
fn a_strict_run_names_the_failed_should_requirement() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "authorization-refused-403"), ("VB365_STRICT", "1")], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(reasons(&run), ["exit 1: strict run (VB365_STRICT=1) and a should requirement failed: AUTH-401"]);
}

#[test]
fn a_run_that_checked_no_must_requirement_says_so_with_its_filter() {
    let run = run_suite(&[], &["--tags", "@should"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(reasons(&run), ["exit 1: no must requirement was checked (--tags @should)"]);
}

#[test]
fn a_strict_filtered_run_names_the_filter() {
    let run = run_suite(&[("VB365_STRICT", "1")], &["--tags", "@device-code"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let reasons = reasons(&run);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].starts_with("exit 1: strict run (VB365_STRICT=1) and ")
            && reasons[0].contains("scenarios were filtered out (--tags @device-code)"),
        "{reasons:?}"
    );
}
