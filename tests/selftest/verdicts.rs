//! One verdict, told the same everywhere: the sign-off's heading, results.json, junit.xml, the
//! console and the exit status agree, a word that starts with ACCEPTED comes with exit status 0
//! and only such a word does; the README's table gives every word with its exit status.

use serde_json::Value;
use vb365_conformance::report::verdict::Verdict;

use crate::helpers::{SuiteRun, root, run_suite};

/// The verdict every report and the console tell, checked to be one, with the exit status.
pub fn told(run: &SuiteRun) -> String {
    let results: Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    let word = results["verdict"].as_str().expect("a verdict").to_owned();
    assert_eq!(results["exit_status"].as_i64().map(|s| s as i32), run.code, "results.json's exit status: {word}");
    let suffix = if results["verdict_of"] == "double" { " (double)" } else { "" };
    let heading = format!("# Sign-off: {word}{suffix}\n");
    assert!(run.report("signoff.md").starts_with(&heading), "signoff.md: {heading:?}");
    assert!(run.report("signoff.html").contains(&format!("<h1>{word}{suffix}</h1>")), "signoff.html: {word}");
    let junit = run.report("junit.xml");
    assert!(junit.contains(&format!("<property name=\"verdict\" value=\"{word}\"/>")), "junit.xml: {word}");
    assert!(junit.contains(&format!("<property name=\"exit_status\" value=\"{}\"/>", run.code.unwrap_or(-1))));
    assert!(run.stdout.contains(&format!("\nverdict: {word}{suffix}")), "console: {word}\n{}", run.stdout);
    assert_eq!(word.starts_with("ACCEPTED"), run.code == Some(0), "{word} with exit status {:?}", run.code);
    let known = Verdict::ALL.iter().find(|v| v.title() == word).expect("a word of the verdict");
    assert!(Verdict::ALL.iter().any(|v| v.title() == word && Some(i32::from(v.exit_status())) == run.code));
    assert!(!known.unfinished(), "{word}");
    // The must requirements that reject the server, as the console's `exit 1:` lines name them,
    // the sign-off's verdict names too.
    if word == "REJECTED" {
        let rejections: Vec<&str> = run
            .stdout
            .lines()
            .filter_map(|line| line.split_once("exit 1: ").map(|(_, reason)| reason))
            .filter_map(|reason| reason.strip_prefix("a must requirement failed: "))
            .collect();
        assert!(!rejections.is_empty(), "the console names what rejects the server: {}", run.stdout);
        let markdown = run.report("signoff.md");
        let verdict = markdown.lines().find(|line| line.starts_with("**REJECTED**: ")).unwrap_or_default();
        let html = run.report("signoff.html");
        let banner = html.split("<section class=\"verdict").nth(1).and_then(|s| s.split("</section>").next());
        for rejection in rejections {
            assert!(verdict.contains(rejection), "signoff.md's verdict does not say {rejection:?}: {verdict}");
            let escaped = rejection.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            assert!(banner.unwrap_or_default().contains(&escaped), "signoff.html's verdict does not say {rejection:?}");
        }
    }
    word
}

#[test]
fn the_readme_table_gives_every_verdict_with_its_exit_status() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let table = readme.split("| Verdict | When | Exit status |").nth(1).expect("the README's verdict table");
    let rows: Vec<&str> = table.lines().skip(2).take_while(|line| line.starts_with('|')).collect();
    let words: Vec<&str> = rows.iter().filter_map(|row| row.split("**").nth(1)).collect();
    for verdict in Verdict::ALL {
        let row = rows
            .iter()
            .find(|row| row.split("**").nth(1) == Some(verdict.title()))
            .unwrap_or_else(|| panic!("{} is not in the README's table", verdict.title()));
        let status = row.trim_end_matches('|').rsplit('|').next().unwrap_or_default();
        assert!(status.contains(&verdict.exit_status().to_string()), "{}: {status}", verdict.title());
        let starts_accepted = verdict.title().starts_with("ACCEPTED");
        assert_eq!(starts_accepted, verdict.exit_status() == 0, "{}", verdict.title());
    }
    assert_eq!(words.len(), rows.len(), "every row names its word in bold");
    for word in words {
        assert!(Verdict::ALL.iter().any(|v| v.title() == word), "{word} is no verdict of the suite");
    }
}

#[test]
fn a_strict_run_with_a_failed_should_requirement_is_not_accepted_anywhere() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "authorization-refused-403"), ("VB365_STRICT", "1")], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(told(&run), "NOT ACCEPTED (STRICT: WARNINGS)");
    assert!(!run.report("signoff.md").contains("ACCEPTED WITH WARNINGS"), "{}", run.report("signoff.md"));
    let normal = run_suite(&[("VB365_DOUBLE_FAULT", "authorization-refused-403")], &[]);
    assert_eq!(told(&normal), "ACCEPTED WITH WARNINGS");
    let skipped = run_suite(&[("VB365_STRICT", "1")], &["--tags", "@device-code"]);
    assert_eq!(told(&skipped), "NOT ACCEPTED (STRICT: INCOMPLETE)");
}

#[test]
fn rejected_incomplete_and_accepted_runs_agree_everywhere() {
    assert_eq!(told(&run_suite(&[("VB365_DOUBLE_FAULT", "count-negative")], &[])), "REJECTED");
    assert_eq!(told(&run_suite(&[], &["--tags", "@should"])), "INCOMPLETE");
    assert_eq!(told(&run_suite(&[], &["--tags", "@device-code"])), "ACCEPTED AS FAR AS CHECKED");
    assert_eq!(told(&run_suite(&[], &["--tags", "@password"])), "ACCEPTED AS FAR AS CHECKED");
}

/// A restore answer one byte short of its Content-Length: one cause, HDR-CONTENT-LENGTH with both
/// lengths; the evidence keeps the status and headers that came; the exit line names the
/// requirement that failed first-hand and the others as consequences.
#[test]
fn a_body_shorter_than_its_content_length_fails_hdr_content_length_with_both_lengths() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "content-length-wrong")], &[]);
    assert_eq!(told(&run), "REJECTED");
    let markdown = run.report("signoff.md");
    assert_eq!(markdown.matches("### Cause ").count(), 1, "{markdown}");
    let cause = markdown.split("### Cause 1: ").nth(1).expect("a cause");
    assert!(cause.starts_with("HDR-CONTENT-LENGTH (must): failed 91 scenarios, every failure of the run"), "{cause}");
    assert!(cause.contains("[HDR-CONTENT-LENGTH]") && cause.contains("at Content-Length: expected "), "{cause}");
    assert!(cause.contains(" bytes of body, as Content-Length declared, actual ") && cause.contains(" bytes, then"));
    let reasons: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("exit 1: ")).collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    let (first_hand, consequences) = reasons[0].split_once("; not reached as a consequence: ").expect("consequences");
    assert_eq!(first_hand, "exit 1: a must requirement failed: HDR-CONTENT-LENGTH");
    assert!(consequences.contains("BODY-COUNTS") && consequences.contains("AUTH-TOKEN"), "{consequences}");
    let har: Value = serde_json::from_str(&run.report("exchanges.har")).expect("HAR");
    let restores: Vec<&Value> = har["log"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["request"]["url"].as_str().is_some_and(|u| u.ends_with("/restore")))
        .collect();
    assert!(!restores.is_empty());
    for entry in restores {
        let response = &entry["response"];
        assert_ne!(response["status"], 0, "{entry}");
        let headers = response["headers"].as_array().expect("headers");
        let declared = headers.iter().find(|h| h["name"] == "content-length").expect("Content-Length kept");
        let declared: usize = declared["value"].as_str().and_then(|v| v.parse().ok()).expect("a length");
        assert_eq!(response["content"]["size"].as_u64(), Some(declared as u64 - 1), "{entry}");
        let comment = entry["comment"].as_str().unwrap_or_default();
        assert!(comment.contains("features/") && comment.contains("Content-Length declared"), "{comment}");
    }
}

/// Error answers without a message fail the refusals of a must requirement (EXCHANGE-CREDENTIALS)
/// and of should ones alike: the cause that rejects the server comes first, its example is its
/// own, and the failure says which shapes the body should have had.
#[test]
fn the_cause_that_rejects_the_server_comes_first_with_an_example_of_its_own() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "error-without-message")], &[]);
    assert_eq!(told(&run), "REJECTED");
    let markdown = run.report("signoff.md");
    let first = markdown.split("### Cause 1: ").nth(1).and_then(|c| c.split("### Cause 2: ").next()).expect("causes");
    assert!(first.starts_with("EXCHANGE-CREDENTIALS (must): failed "), "{first}");
    let example = first.split("```").nth(1).expect("an example");
    assert!(example.contains("[EXCHANGE-CREDENTIALS]") && !example.contains("[BODY-MALFORMED]"), "{example}");
    assert!(
        example
            .contains("expected a value of one of the documented shapes (a RESTExceptionInfo with a string message;")
    );
    assert!(markdown.contains("BODY-MALFORMED (should): failed "), "{markdown}");
}
