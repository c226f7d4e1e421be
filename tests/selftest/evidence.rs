//! Evidence for a vendor ticket: every run writes exchanges.har, an HTTP Archive 1.2 of every
//! request and answer, redacted, and the sign-off links each failure to its entries. (The leak
//! canary, tests/selftest/leak_runs.rs, searches it with every other report.)

use serde_json::Value;

use crate::helpers::{root, run_suite};

#[test]
fn exchanges_har_is_an_http_archive_that_failures_link_to() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "count-as-string")], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let har: Value = serde_json::from_str(&run.report("exchanges.har")).expect("exchanges.har is JSON");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/har-1.2.schema.json")).expect("HAR schema"),
    )
    .expect("schema JSON");
    let compiled = vb365_conformance::contract::schema::Compiled::new(&schema).expect("schema");
    let errors: Vec<String> = compiled.errors(&har).into_iter().take(5).collect();
    assert!(errors.is_empty(), "exchanges.har is not HAR 1.2: {errors:?}");

    let entries = har["log"]["entries"].as_array().expect("entries");
    let restores =
        entries.iter().filter(|e| e["request"]["url"].as_str().is_some_and(|u| u.ends_with("/restore"))).count();
    assert!(restores >= 30, "every restore request is there: {restores}");
    for entry in entries {
        for header in entry["request"]["headers"].as_array().into_iter().flatten() {
            if header["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case("authorization")) {
                assert_eq!(header["value"], "***", "{entry}");
            }
        }
        let form = entry["request"]["postData"]["text"].as_str().unwrap_or_default();
        assert!(!form.contains("password=") || form.contains("password=***"), "{form}");
    }

    // Each failure names its entries, and those entries name its scenario.
    let markdown = run.report("signoff.md");
    let failures: Vec<&str> = markdown.lines().filter(|l| l.starts_with("- <a id=\"failure-")).collect();
    assert!(!failures.is_empty());
    for failure in failures {
        let (_, numbers) = failure.split_once("exchanges.har ").unwrap_or_else(|| panic!("no evidence: {failure}"));
        let location =
            failure.rsplit_once(" (").map(|(_, rest)| rest.split(',').next().unwrap_or_default()).unwrap_or_default();
        for number in numbers.split(", ").map(|n| n.trim_start_matches('#').parse::<usize>().expect("entry number")) {
            let comment = entries[number]["comment"].as_str().unwrap_or_default();
            assert!(comment.contains(location), "entry #{number} ({comment}) does not name {location}");
        }
    }
}
