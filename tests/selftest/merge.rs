//! `vb365-conformance merge RESULTS.json...`, run as users run it, on the results.json of real
//! runs of the suite against its double: an accepted run and one the double's fault rejects merge
//! to a view that is not accepted, exits 1 and marks where they differ; two accepted runs merge
//! to ACCEPTED and exit 0; a file that is no results.json exits 2 with one line naming it.

use serde_json::Value;

use crate::helpers::{SuiteRun, run_suite};
use crate::tempfile;

fn results(run: &SuiteRun) -> String {
    run.report_dir.path().join("results.json").to_string_lossy().into_owned()
}

/// The names of the files in the merge's report folder.
fn written(run: &SuiteRun) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(run.report_dir.path())
        .expect("report folder")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn requirement<'a>(merged: &'a Value, id: &str) -> &'a Value {
    let rows = merged["requirements"].as_array().expect("requirements");
    rows.iter().find(|row| row["requirement"] == id).unwrap_or_else(|| panic!("{id} in merged.json"))
}

#[test]
fn an_accepted_and_a_rejected_run_merge_to_a_view_that_is_not_accepted_and_marks_where_they_differ() {
    let accepted = run_suite(&[], &[]);
    assert_eq!(accepted.code, Some(0), "{}", accepted.stdout);
    let rejected = run_suite(&[("VB365_API_VERSION", "v7"), ("VB365_DOUBLE_FAULT", "count-negative")], &[]);
    assert_eq!(rejected.code, Some(1), "{}", rejected.stdout);

    let merge = run_suite(&[], &["merge", &results(&accepted), &results(&rejected)]);
    assert_eq!(merge.code, Some(1), "{}\n{}", merge.stdout, merge.stderr);
    assert_eq!(written(&merge), ["merged.html", "merged.json", "merged.md"]);
    let merged: Value = serde_json::from_str(&merge.report("merged.json")).expect("merged.json");
    assert_eq!((&merged["verdict"], &merged["exit_status"]), (&Value::from("REJECTED"), &Value::from(1)));
    let runs = merged["runs"].as_array().expect("runs");
    let row = |run: &Value| (run["api_version"].clone(), run["verdict"].clone(), run["verdict_of"].clone());
    assert_eq!(row(&runs[0]), ("v6".into(), "ACCEPTED".into(), "double".into()));
    assert_eq!(row(&runs[1]), ("v7".into(), "REJECTED".into(), "double".into()));
    for run in runs {
        assert!(run["restores_made"].as_u64().is_some_and(|n| n > 0), "{run}");
        assert!(run["suite"].as_str().is_some_and(|s| s.starts_with("vb365-conformance ")), "{run}");
        assert_eq!(run["target"], "the embedded double");
    }

    // count-negative breaks BODY-COUNTS: its cells differ and are marked; AUTH-TOKEN's agree.
    let body_counts = requirement(&merged, "BODY-COUNTS");
    assert_eq!(body_counts["differs"], true, "{body_counts}");
    assert_eq!(body_counts["cells"][0], "pass");
    assert!(body_counts["cells"][1].as_str().is_some_and(|cell| cell.starts_with("FAIL")), "{body_counts}");
    assert_eq!(requirement(&merged, "AUTH-TOKEN")["differs"], false);
    let markdown = merge.report("merged.md");
    assert!(markdown.starts_with("# Merged sign-off: REJECTED (double)\n"), "{markdown}");
    assert!(markdown.contains("| BODY-COUNTS | must | **pass** ≠ | **FAIL"), "{markdown}");
    assert!(markdown.contains("| AUTH-TOKEN | must | pass | pass |"), "{markdown}");
    let html = merge.report("merged.html");
    let body_counts_row =
        html.lines().find(|line| line.contains("<span class=\"id\">BODY-COUNTS</span>")).expect("row");
    assert!(body_counts_row.starts_with("<tr class=\"differs\">"), "{body_counts_row}");
    assert!(body_counts_row.contains("<td class=\"cell fail differs\">FAIL"), "{body_counts_row}");
    assert!(html.contains("<h1>REJECTED (double)</h1>"), "{html}");
    assert_eq!(merge.closing_line(), "verdict: REJECTED (1 of 2 runs not accepted: #2 v7 REJECTED)");
}

#[test]
fn two_accepted_runs_of_different_versions_merge_to_accepted_and_exit_0() {
    let v6 = run_suite(&[], &[]);
    let v8 = run_suite(&[("VB365_API_VERSION", "v8")], &[]);
    assert_eq!((v6.code, v8.code), (Some(0), Some(0)), "{}\n{}", v6.stdout, v8.stdout);
    let merge = run_suite(&[], &["merge", &results(&v6), &results(&v8)]);
    assert_eq!(merge.code, Some(0), "{}\n{}", merge.stdout, merge.stderr);
    let merged: Value = serde_json::from_str(&merge.report("merged.json")).expect("merged.json");
    assert_eq!(merged["verdict"], "ACCEPTED");
    // The v8-only requirements have no v6 cell, which is no difference.
    let v8_only = requirement(&merged, "V8-SESSION-ID");
    assert_eq!((&v8_only["cells"][0], &v8_only["cells"][1]), (&Value::Null, &Value::from("pass")));
    let rows = merged["requirements"].as_array().expect("requirements");
    assert!(rows.iter().all(|row| row["differs"] == false), "{merged}");
    assert!(!merge.report("merged.md").contains("≠ |"));
    assert!(merge.closing_line().starts_with("verdict: ACCEPTED ("), "{}", merge.stdout);
}

#[test]
fn a_file_that_is_no_results_json_exits_2_with_one_line_naming_it_and_merges_nothing() {
    let accepted = run_suite(&[], &["--tags", "@device-code"]);
    let folder = tempfile::tempdir().expect("temp dir");
    let garbled = folder.path().join("garbled.json");
    std::fs::write(&garbled, "{\"verdict\": \"ACCEPTED\", \"cells\": [").expect("write");
    let garbled = garbled.to_string_lossy().into_owned();
    let cucumber = accepted.report_dir.path().join("cucumber.json").to_string_lossy().into_owned();
    let missing = folder.path().join("missing.json").to_string_lossy().into_owned();
    for (file, why) in
        [(&garbled, "not JSON"), (&cucumber, "not a results.json of vb365-conformance"), (&missing, "No such file")]
    {
        let merge = run_suite(&[], &["merge", &results(&accepted), file]);
        assert_eq!(merge.code, Some(2), "{file}: {}", merge.stderr);
        let lines: Vec<&str> = merge.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line: {}", merge.stderr);
        assert!(lines[0].starts_with(&format!("vb365-conformance merge: cannot merge {file}: ")), "{}", lines[0]);
        assert!(lines[0].contains(why), "{}", lines[0]);
        assert!(!merge.stderr.contains("panicked"), "{}", merge.stderr);
        assert!(written(&merge).is_empty(), "nothing merged: {:?}", written(&merge));
    }
    let none = run_suite(&[], &["merge"]);
    assert_eq!(none.code, Some(2), "{}", none.stderr);
    assert!(none.stderr.starts_with("vb365-conformance merge: no results.json given"), "{}", none.stderr);
}
