use serde_json::json;

use super::*;
use crate::report::verdict::Shortfall;

/// A results.json of a run of the double in `version`: `state` in BODY-COUNTS' password cell.
fn results(verdict: &str, version: &str, body_counts: &str) -> String {
    let cell = |requirement: &str, variant: &str, state: &str| json!({ "requirement": requirement, "level": "must", "variant": variant, "state": state });
    json!({
        "verdict": verdict,
        "verdict_of": "double",
        "exit_status": 0,
        "target": { "kind": "double", "url": null, "api_version": version, "summary": "target: the embedded double" },
        "suite": "vb365-conformance 0.1.0 (git abc)",
        "date": "2026-01-02T03:04:05Z",
        "restores_made": 32,
        "cells": [
            cell("OP-RESTORE", "password", "pass"),
            cell("OP-RESTORE", "device-code", "pass"),
            cell("OP-RESTORE", "none", "—"),
            cell("BODY-COUNTS", "password", body_counts),
            cell("BODY-COUNTS", "device-code", "pass"),
        ],
        "scenarios": [],
    })
    .to_string()
}

pub(super) fn accepted(run: usize) -> Row {
    parse(&results("ACCEPTED", "v6", "pass"), "a/results.json", run).unwrap().remove(0)
}

pub(super) fn rejected(run: usize) -> Row {
    parse(&results("REJECTED", "v7", "FAIL"), "b/results.json", run).unwrap().remove(0)
}

#[test]
fn a_whole_server_results_json_reads_as_a_row_per_version_of_one_run() {
    let version = |text: String, name: &str| {
        let mut document: serde_json::Value = serde_json::from_str(&text).unwrap();
        document["api_version"] = name.into();
        document
    };
    let whole = json!({
        "verdict": "REJECTED",
        "target": { "kind": "live", "url": "https://vbo:4443", "api_version": "v6,v8", "summary": "s" },
        "restores_made": 6,
        "versions": [version(results("ACCEPTED", "v6", "pass"), "v6"), version(results("REJECTED", "v6", "FAIL"), "v8")],
        "scenarios": [],
    });
    let rows = parse(&whole.to_string(), "whole/results.json", 3).unwrap();
    let read: Vec<(String, Verdict, usize)> = rows.iter().map(|row| (row.label(), row.verdict, row.run)).collect();
    assert_eq!(read, vec![("#3 v6".into(), Verdict::Accepted, 3), ("#3 v8".into(), Verdict::Rejected, 3)]);
    assert_eq!(rows[1].target, "https://vbo:4443");
    assert_eq!(merge(rows).verdict, Verdict::Rejected);
}

#[test]
fn a_results_json_reads_as_one_row_of_its_run_and_version() {
    let row = rejected(2);
    assert_eq!((row.run, row.api_version.as_str(), row.label()), (2, "v7", "#2 v7".to_owned()));
    assert_eq!(row.verdict, Verdict::Rejected);
    assert_eq!((row.target.as_str(), row.on_double, row.restores_made), ("the embedded double", true, 32));
    assert_eq!((row.suite.as_str(), row.date.as_str()), ("vb365-conformance 0.1.0 (git abc)", "2026-01-02T03:04:05Z"));
    assert_eq!(row.cells.len(), 5);
}

#[test]
fn a_run_that_did_not_judge_the_server_has_a_row_and_no_cells() {
    let text = json!({ "verdict": "NOT RUN", "target": { "kind": "unknown" }, "restores_made": 0 }).to_string();
    let row = parse(&text, "c.json", 1).unwrap().remove(0);
    assert_eq!((row.verdict, row.target.as_str(), row.suite.as_str()), (Verdict::NotRun, "not known", "unknown"));
    assert!(row.cells.is_empty());
}

#[test]
fn a_file_that_is_no_results_json_says_which_and_why() {
    let why = |text: &str| parse(text, "x.json", 1).unwrap_err().to_string();
    assert!(why("{ garbled").starts_with("cannot merge x.json: not JSON ("), "{}", why("{ garbled"));
    assert_eq!(why("{}"), "cannot merge x.json: not a results.json of vb365-conformance (no verdict)");
    let unknown = json!({ "verdict": "FINE", "target": {} }).to_string();
    assert_eq!(
        why(&unknown),
        "cannot merge x.json: not a results.json of vb365-conformance (unknown verdict \"FINE\")"
    );
    let no_target = json!({ "verdict": "ACCEPTED" }).to_string();
    assert!(why(&no_target).ends_with("(no target)"));
    let bad_cell = json!({ "verdict": "ACCEPTED", "target": {}, "cells": [{ "requirement": "X" }] }).to_string();
    assert!(why(&bad_cell).contains("a cell without"), "{}", why(&bad_cell));
    for line in [why("{ garbled"), why(&bad_cell)] {
        assert!(!line.contains('\n'), "one line: {line}");
    }
}

#[test]
fn a_requirement_sums_up_its_variants_to_the_worst_naming_the_variants_that_have_it() {
    let cell = |variant: &str, state: &str| CellRecord {
        requirement: "R".into(),
        level: "must".into(),
        variant: variant.into(),
        state: state.into(),
    };
    let (pass, fail, skip, none) =
        (cell("password", "pass"), cell("device-code", "FAIL"), cell("certificate", "skipped"), cell("none", "—"));
    assert_eq!(summed(&[&pass, &none]).unwrap().text, "pass");
    let worst = summed(&[&pass, &skip, &fail]).unwrap();
    assert_eq!((worst.text.as_str(), worst.state), ("FAIL (device code)", Some(CellState::Fail)));
    assert_eq!(summed(&[&pass, &skip]).unwrap().text, "skipped (application certificate)");
    assert_eq!(summed(&[&none]).unwrap().text, "—");
    assert_eq!(summed(&[]), None);
    let newer = cell("password", "exploded");
    assert_eq!(
        summed(&[&pass, &newer]).unwrap(),
        Cell { text: "exploded (user name and password)".into(), state: None }
    );
}

#[test]
fn cells_that_differ_between_runs_are_marked_and_a_missing_cell_is_no_difference() {
    let merged = merge(vec![accepted(1), rejected(2)]);
    let row = |id: &str| merged.matrix.iter().find(|row| row.requirement == id).unwrap();
    assert!(row("BODY-COUNTS").differs);
    assert!(!row("OP-RESTORE").differs);
    // The catalogue's order: OP-RESTORE before BODY-COUNTS.
    assert_eq!(merged.matrix.iter().map(|r| r.requirement.as_str()).collect::<Vec<_>>(), ["OP-RESTORE", "BODY-COUNTS"]);
    let not_run = parse(&json!({ "verdict": "NOT RUN", "target": {} }).to_string(), "c", 3).unwrap();
    let merged = merge([vec![accepted(1), accepted(2)], not_run].concat());
    assert!(merged.matrix.iter().all(|row| !row.differs && row.cells[2].is_none()));
}

#[test]
fn the_merged_verdict_is_accepted_only_when_every_run_is() {
    let verdict = |verdicts: &[Verdict]| overall(verdicts.iter().copied());
    assert_eq!(verdict(&[Verdict::Accepted, Verdict::Accepted]), Verdict::Accepted);
    assert_eq!(verdict(&[Verdict::Accepted, Verdict::AcceptedWithWarnings]), Verdict::AcceptedWithWarnings);
    assert_eq!(verdict(&[Verdict::Rejected, Verdict::Accepted, Verdict::Incomplete]), Verdict::Rejected);
    assert_eq!(verdict(&[Verdict::Accepted, Verdict::NotRun]), Verdict::Incomplete);
    let strict = |shortfall| Verdict::NotAcceptedStrict(shortfall);
    assert_eq!(
        verdict(&[strict(Shortfall::Warnings), Verdict::Accepted, strict(Shortfall::Incomplete)]),
        strict(Shortfall::WarningsAndIncomplete)
    );
    // Every pair of words: the merged one starts with ACCEPTED exactly when both do.
    for a in Verdict::ALL {
        for b in Verdict::ALL {
            assert_eq!(verdict(&[a, b]).passes(), a.passes() && b.passes(), "{a} and {b}");
            assert_eq!(verdict(&[a, b]) == Verdict::Accepted, a == Verdict::Accepted && b == Verdict::Accepted);
        }
    }
}

#[test]
fn the_merge_exits_0_only_when_every_run_is_accepted() {
    let both = merge(vec![accepted(1), accepted(2)]);
    assert_eq!((both.verdict, both.exit_status()), (Verdict::Accepted, 0));
    assert_eq!(both.meaning(), "every one of the 2 runs is accepted; the merged verdict is the worst of theirs");
    let mixed = merge(vec![accepted(1), rejected(2)]);
    assert_eq!((mixed.verdict, mixed.exit_status()), (Verdict::Rejected, 1));
    assert_eq!(mixed.meaning(), "1 of 2 runs not accepted: #2 v7 REJECTED");
    assert_eq!(mixed.restores_made(), 64);
}
