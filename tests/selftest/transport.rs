//! Answers lost in transit: each such fault is caught in every version it lists, on the double
//! and on the live path; a request that got no answer is charged to the requirement it concerns
//! (a refusal's, never NO-FALSE-SUCCESS, which only forbids a success); a restore POST that got
//! no answer is never sent again; a run against a server that renews tokens early stops its
//! session at the end.

use std::collections::BTreeSet;

use serde_json::Value;
use vb365_conformance::double::{Fault, FaultInfo};

use crate::helpers::{SuiteRun, run_suite};
use crate::live::HttpsDouble;

const FAULTS: [Fault; 2] = [Fault::ConnectionDroppedOnRefusals, Fault::RestoreAnswerLost];

/// (status, failed requirements, tags) of every scenario of a run.
fn scenarios(run: &SuiteRun) -> Vec<(String, Vec<String>, Vec<String>)> {
    let results: Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    let strings = |value: &Value| -> Vec<String> {
        value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };
    let scenarios = results["scenarios"].as_array().expect("scenarios");
    scenarios
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap_or_default().to_owned(),
                strings(&s["failed_requirements"]),
                strings(&s["tags"]),
            )
        })
        .collect()
}

/// Asserts the run caught `fault` (exit 1, a failure that names a requirement it violates),
/// and charged nothing to NO-FALSE-SUCCESS.
fn assert_caught(fault: &FaultInfo, run: &SuiteRun, how: &str) {
    let scenarios = scenarios(run);
    let caught = scenarios
        .iter()
        .any(|(status, failed, _)| status == "failed" && failed.iter().any(|id| fault.violates.contains(&id.as_str())));
    assert!(caught && run.code == Some(1), "{} {how}: not caught: {}\n{}", fault.name, run.closing_line(), run.stdout);
    let charged: BTreeSet<&String> = scenarios.iter().flat_map(|(_, failed, _)| failed).collect();
    assert!(!charged.iter().any(|id| *id == "NO-FALSE-SUCCESS"), "{} {how}: charged {charged:?}", fault.name);
    for (status, failed, tags) in &scenarios {
        if tags.iter().any(|tag| tag == "NO-FALSE-SUCCESS") && status == "failed" {
            // An answer cut short of its Content-Length is HDR-CONTENT-LENGTH's, first-hand.
            let refusal = ["PATH-SESSION", "PATH-MAILBOX", "PATH-UUID", "HDR-CONTENT-LENGTH"];
            assert!(failed.iter().all(|id| refusal.contains(&id.as_str())), "{} {how}: {failed:?}", fault.name);
        }
    }
}

/// The restore requests exchanges.har holds that got no answer: (URL, body).
fn unanswered_restores(run: &SuiteRun) -> Vec<(String, String)> {
    run.report("exchanges.har")
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line.trim().trim_end_matches(',')).ok())
        .filter(|entry| entry["request"]["url"].as_str().is_some_and(|url| url.ends_with("/restore")))
        .filter(|entry| entry["response"]["status"] == 0)
        .map(|entry| {
            let url = entry["request"]["url"].as_str().unwrap_or_default().to_owned();
            (url, entry["request"]["postData"]["text"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_lost_in_transit_are_caught_in_every_version_they_list_and_no_restore_is_sent_twice() {
    for fault in FAULTS.map(Fault::info) {
        for version in fault.fault.versions().iter().map(|v| v.name()) {
            let double_env = [("VB365_DOUBLE_FAULT", fault.name), ("VB365_API_VERSION", version)];
            let embedded = tokio::task::spawn_blocking(move || run_suite(&double_env, &[]));
            let server = HttpsDouble::start(&double_env).await;
            let live = server.run(&[("VB365_API_VERSION", version), ("VB365_STRICT", "1")]).await;
            assert_caught(fault, &embedded.await.expect("embedded run"), &format!("{version} on the double"));
            assert_caught(fault, &live, &format!("{version} live"));
            let left = server.double.sessions_left_working();
            assert!(left.is_empty(), "{} {version}: sessions left working: {left:?}", fault.name);
            if fault.fault == Fault::RestoreAnswerLost {
                // Each restore the double carried out is one request the suite sent once: its
                // answer never came, and it was not sent again.
                let unanswered = unanswered_restores(&live);
                let distinct: BTreeSet<&(String, String)> = unanswered.iter().collect();
                assert_eq!(distinct.len(), unanswered.len(), "{version}: a restore sent twice: {unanswered:?}");
                assert_eq!(server.double.restores(), unanswered.len(), "{version}: {unanswered:?}");
                assert_eq!(unanswered.len(), 3, "{version}: each credential variant's restore, once");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_outlives_its_tokens_renews_them_by_expires_in_and_stops_its_session() {
    let server = HttpsDouble::start(&[("VB365_DOUBLE_VARIATION", "short-token-lifetime")]).await;
    let run = server.run(&[("VB365_STRICT", "1")]).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.closing_line().ends_with(" 0 failed, 0 skipped"), "{}", run.closing_line());
    // The run's session and SESSION-STOPPED's own, each stopped with a token still valid.
    assert_eq!(server.double.stopped_sessions().len(), 2, "stopped with a token still valid");
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new());
    let har = run.report("exchanges.har");
    let sign_ins =
        har.lines().filter(|line| line.contains("\"method\":\"POST\"") && line.contains("/v6/token\"")).count();
    // Four restores of 0.3 s each, with tokens of 1 s: renewed at least once.
    assert!(sign_ins >= 2, "{sign_ins} sign-ins");
}
