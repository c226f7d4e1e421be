//! A misspelled setting is never ignored: a `VB365_` variable that is not a setting of the suite
//! ends the run NOT RUN (exit status 2) in one line naming it and the setting it likely meant,
//! before any request, so that a run the operator believes strict, or allowed to restore, is
//! never silently neither.

use crate::helpers::{SuiteRun, run_suite};
use crate::live::HttpsDouble;

fn assert_not_run(run: &SuiteRun, lines: &[&str]) {
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    let found: Vec<&str> = run.stderr.trim().lines().collect();
    let expected: Vec<String> = lines.iter().map(|line| format!("vb365-conformance: {line}")).collect();
    assert_eq!(found, expected, "{}", run.stdout);
    assert!(!run.stdout.contains("Scenario"), "scenarios ran: {}", run.stdout);
    let results: serde_json::Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    assert_eq!((&results["verdict"], &results["exit_status"]), (&"NOT RUN".into(), &2.into()), "{results}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misspelled_flag_on_a_live_server_is_not_run_naming_the_flag_meant_before_any_request() {
    let server = HttpsDouble::start(&[]).await;
    // As the operator typed them: VB365_ALLOW_RESTORE=1 VB365_STIRCT=1, and VB365_ALOW_RESTORE=1.
    let strict = server.run(&[("VB365_STIRCT", "1")]).await;
    assert_not_run(&strict, &["VB365_STIRCT is not a setting of the suite: did you mean VB365_STRICT?"]);
    let restore = server.run(&[("VB365_ALLOW_RESTORE", ""), ("VB365_ALOW_RESTORE", "1")]).await;
    assert_not_run(&restore, &["VB365_ALOW_RESTORE is not a setting of the suite: did you mean VB365_ALLOW_RESTORE?"]);
    assert!(server.double.issued_tokens().is_empty(), "a request reached the server");
    assert_eq!(server.double.restores(), 0);
}

#[test]
fn an_unknown_setting_is_a_line_of_its_own_first_and_one_near_none_says_where_the_settings_are() {
    let run = run_suite(&[("VB365_MAILBX", "John Smith"), ("VB365_COLOUR", "blue"), ("VB365_STRICT", "maybe")], &[]);
    // Environment order is the platform's: the two unknown names come first, in either order.
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    let mut lines: Vec<&str> = run.stderr.trim().lines().collect();
    let last = "vb365-conformance: VB365_STRICT must be 1, 0, true, false, yes or no, not \"maybe\"";
    assert_eq!(lines.pop(), Some(last), "{}", run.stderr);
    lines.sort();
    assert_eq!(
        lines,
        [
            "vb365-conformance: VB365_COLOUR is not a setting of the suite (unset it; vb365-conformance --help lists every setting)",
            "vb365-conformance: VB365_MAILBX is not a setting of the suite: did you mean VB365_MAILBOX?",
        ]
    );
}
