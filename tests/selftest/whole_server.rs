//! A whole server in one run (`VB365_API_VERSION=all`, or a list): each version checked as a run
//! of its own, one verdict for the server, one set of reports with the version in every test's
//! name, and each version's reports in a folder of its own.

use serde_json::Value;

use crate::helpers::{SuiteRun, run_suite};

fn results(run: &SuiteRun) -> Value {
    serde_json::from_str(&run.report("results.json")).expect("results.json")
}

fn version_verdicts(results: &Value) -> Vec<(String, String)> {
    let versions = results["versions"].as_array().expect("versions");
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    versions.iter().map(|v| (text(v, "api_version"), text(v, "verdict"))).collect()
}

#[test]
fn a_strict_run_of_every_version_against_the_double_is_accepted_with_one_verdict_and_every_report() {
    let run = run_suite(&[("VB365_API_VERSION", "all"), ("VB365_STRICT", "1")], &[]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    // 91 + 91 + 109 scenarios, as each version alone runs them.
    assert_eq!(run.closing_line(), "291 passed, 0 failed, 0 skipped", "{}", run.stdout);
    let results = results(&run);
    assert_eq!(crate::verdicts::told(&run), "ACCEPTED", "the same verdict in every report and the exit status");
    assert_eq!((&results["verdict"], &results["exit_status"]), (&"ACCEPTED".into(), &0.into()), "{results}");
    let accepted = |v: &str| (v.to_owned(), "ACCEPTED".to_owned());
    assert_eq!(version_verdicts(&results), vec![accepted("v6"), accepted("v7"), accepted("v8")]);
    assert_eq!(results["scenarios"].as_array().map(Vec::len), Some(291));
    let junit = crate::junit::assert_valid_junit(&run);
    for version in ["v6", "v7", "v8"] {
        assert!(junit.contains(&format!("classname=\"[{version}] ")), "{version} in the class names");
        assert!(junit.contains(&format!("name=\"[{version}] A restore request")), "{version} in the test names");
        for file in ["signoff.md", "signoff.html", "results.json", "junit.xml", "cucumber.json", "exchanges.har"] {
            let path = run.report_dir.path().join(version).join(file);
            assert!(path.is_file(), "{} is written", path.display());
        }
    }
    let signoff = run.report("signoff.md");
    assert!(signoff.starts_with("# Sign-off: ACCEPTED (double)\n"), "{signoff}");
    assert!(signoff.contains("| Requirement | Level | v6 | v7 | v8 |"), "{signoff}");
    assert!(signoff.contains("| V8-SESSION-ID | should | n/a | n/a | pass |"), "{signoff}");
}

#[test]
fn a_fault_in_one_version_rejects_the_server_and_its_sign_off_shows_which_version() {
    let env = [("VB365_API_VERSION", "v6,v8"), ("VB365_STRICT", "1"), ("VB365_DOUBLE_FAULT", "v8-session-id-missing")];
    let run = run_suite(&env, &[]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let results = results(&run);
    assert_eq!(results["verdict"], "REJECTED", "{results}");
    assert_eq!(crate::verdicts::told(&run), "REJECTED", "the same verdict in every report and the exit status");
    let verdicts = version_verdicts(&results);
    assert_eq!(verdicts, vec![("v6".into(), "ACCEPTED".into()), ("v8".into(), "REJECTED".into())]);
    let signoff = run.report("signoff.md");
    assert!(signoff.contains("| Requirement | Level | v6 | v8 |"), "{signoff}");
    assert!(signoff.contains("| V8-SESSION-ID | should | n/a | warning |"), "{signoff}");
    assert!(signoff.contains("| WORKED-EXAMPLE | must | pass | FAIL |"), "{signoff}");
    assert!(run.stdout.lines().any(|line| line.starts_with("v8: exit 1: ")), "the reason names v8: {}", run.stdout);
    assert!(!run.stdout.lines().any(|line| line.starts_with("v6: exit 1")), "{}", run.stdout);
    assert!(!run.report_dir.path().join("v7").exists(), "only the versions named run");
}

#[test]
fn an_unknown_or_repeated_version_in_a_list_is_a_setting_error() {
    let run = run_suite(&[("VB365_API_VERSION", "v6,v9")], &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("VB365_API_VERSION=v6,v9") && run.stderr.contains("all"), "{}", run.stderr);
    // A version named twice is most likely a typo for another: never run once quietly.
    let twice = run_suite(&[("VB365_API_VERSION", "v6,v6")], &[]);
    assert_eq!(twice.code, Some(2), "{}\n{}", twice.stdout, twice.stderr);
    assert_eq!(
        twice.stderr,
        "vb365-conformance: VB365_API_VERSION=v6,v6: v6 is named twice: write v6, or, if one of them was meant to be another version, v6,v7 or v6,v8\n"
    );
    assert_eq!(results(&twice)["verdict"], "NOT RUN", "no verdict on the server");
    assert!(!twice.stdout.contains("Scenario"), "scenarios ran: {}", twice.stdout);
}

/// Live, over HTTPS, against one double that serves every version over one state: a strict run of
/// every version is accepted, with at most three real restores per version and every restore
/// session it started stopped; a fault in one version rejects the server and the sign-off shows
/// which version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strict_live_run_of_every_version_against_one_server() {
    let server = crate::live::HttpsDouble::start(&[("VB365_API_VERSION", "all")]).await;
    let accepted_run = server.run(&[("VB365_STRICT", "1"), ("VB365_API_VERSION", "all")]).await;
    let run = &accepted_run;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.closing_line().ends_with(" 0 failed, 0 skipped"), "{}", run.closing_line());
    let accepted = results(run);
    let restores: Vec<u64> =
        accepted["versions"].as_array().expect("versions").iter().filter_map(|v| v["restores_made"].as_u64()).collect();
    assert_eq!(restores, vec![3, 3, 3], "{accepted}");
    assert_eq!(accepted["restores_made"], 9, "{accepted}");
    assert_eq!(server.double.restores(), 9, "restores that reached the server");
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new());
    // The verdict covers what a live server allows to check, and names what it does not, as a
    // run of one version says it.
    let verdict = run.stdout.lines().find(|line| line.starts_with("verdict: ")).unwrap_or_default();
    assert!(verdict.starts_with("verdict: ACCEPTED (Every requirement a live server allows to check"), "{verdict}");
    let not_checked = "Not checked on this server (5 requirements): COUNT-CREATED, COUNT-MERGED, COUNT-FAILED";
    for report in ["signoff.md", "signoff.html"] {
        let text = run.report(report);
        assert!(text.contains("Every requirement a live server allows to check"), "{report}: {text}");
        assert!(text.contains(not_checked) && text.contains("WORKED-EXAMPLE"), "{report}: {text}");
    }
    assert!(verdict.contains(not_checked), "{verdict}");

    let faulty = crate::live::HttpsDouble::start(&[
        ("VB365_API_VERSION", "all"),
        ("VB365_DOUBLE_FAULT", "v8-session-id-missing"),
    ])
    .await;
    let run = faulty.run(&[("VB365_STRICT", "1"), ("VB365_API_VERSION", "all")]).await;
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let verdicts = version_verdicts(&results(&run));
    assert_eq!(verdicts.iter().filter(|(_, verdict)| verdict == "ACCEPTED").count(), 2, "{verdicts:?}");
    assert!(verdicts.contains(&("v8".into(), "REJECTED".into())), "{verdicts:?}");
    let signoff = run.report("signoff.md");
    assert!(signoff.starts_with("# Sign-off: REJECTED\n"), "{signoff}");
    assert!(signoff.contains("| V8-SESSION-ID | should | n/a | n/a | warning |"), "{signoff}");
    assert_eq!(faulty.double.sessions_left_working(), Vec::<String>::new());

    // The merged view of the accepted and the rejected whole-server runs: a row per run and
    // version, and the rejected run's v8 named as the one that is not accepted.
    let files: Vec<String> = [&accepted_run, &run]
        .iter()
        .map(|run| run.report_dir.path().join("results.json").to_string_lossy().into_owned())
        .collect();
    let merge = crate::helpers::run_suite(&[], &["merge", &files[0], &files[1]]);
    assert_eq!(merge.code, Some(1), "{}\n{}", merge.stdout, merge.stderr);
    let merged: Value = serde_json::from_str(&merge.report("merged.json")).expect("merged.json");
    let rows: Vec<(String, String)> = merged["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|row| {
            (
                format!("#{} {}", row["run"], row["api_version"].as_str().unwrap_or_default()),
                row["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("#1 v6", "ACCEPTED"),
        ("#1 v7", "ACCEPTED"),
        ("#1 v8", "ACCEPTED"),
        ("#2 v6", "ACCEPTED"),
        ("#2 v7", "ACCEPTED"),
        ("#2 v8", "REJECTED"),
    ]
    .iter()
    .map(|(label, verdict)| ((*label).to_owned(), (*verdict).to_owned()))
    .collect();
    assert_eq!(rows, expected, "{merged}");
}

/// A filter that matches one version's scenarios only: that version runs, the others are named
/// as left out (not run, no folder of theirs), and the run is judged on what ran.
#[test]
fn a_filter_of_one_versions_scenarios_runs_that_version_and_names_the_others_left_out() {
    let run = run_suite(&[("VB365_API_VERSION", "all")], &["--tags", "@V8-SESSION-ID"]);
    assert_eq!(run.code, Some(1), "no must requirement checked: {}", run.stdout);
    let results = results(&run);
    assert_eq!(results["api_versions"], serde_json::json!(["v8"]), "{results}");
    assert_eq!(results["api_versions_left_out"], serde_json::json!(["v6", "v7"]), "{results}");
    assert!(run.report("signoff.md").contains("Left out: v6, v7, where the filters matched no scenario."));
    assert!(!run.report_dir.path().join("v6").exists() && run.report_dir.path().join("v8").is_dir());
    assert_eq!(crate::verdicts::told(&run), "INCOMPLETE");
}

/// A whole-server run that stops in its first version (the configured credentials refused) stops
/// every restore session it started, those of the versions still to run too, and its reports say
/// which version it stopped in; an earlier run's reports do not stay behind to be read as its.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_server_run_that_stops_stops_every_session_and_says_where() {
    let env = [("VB365_API_VERSION", "all"), ("VB365_DOUBLE_FAULT", "valid-password-refused")];
    let server = crate::live::HttpsDouble::start(&env).await;
    let run = server.run(&[("VB365_STRICT", "1"), ("VB365_API_VERSION", "all")]).await;
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new(), "every session stopped");
    let results = results(&run);
    assert_eq!(results["verdict"], "STOPPED", "{results}");
    let reason = results["reason"].as_str().unwrap_or_default();
    assert!(reason.starts_with("v6: ") && reason.contains("VB365_EXCHANGE_PASSWORD"), "{reason}");
    assert_eq!(results["target"]["api_version"], "v6", "the version it stopped in: {results}");
    for later in ["v7", "v8"] {
        assert!(!run.report_dir.path().join(later).join("results.json").exists(), "{later} never ran");
    }
    let scenarios = results["scenarios"].as_array().expect("scenarios");
    assert!(!scenarios.is_empty() && scenarios.iter().all(|s| labelled(s, "v6")), "{results}");
}

/// Whether a scenario of results.json is named as a finished whole-server run names it:
/// `[v6] ...`, under `v6/`.
fn labelled(scenario: &Value, version: &str) -> bool {
    let text = |key: &str| scenario[key].as_str().unwrap_or_default();
    let label = format!("[{version}] ");
    text("feature").starts_with(&label)
        && text("scenario").starts_with(&label)
        && text("location").starts_with(&format!("{version}/"))
}

/// A whole-server run interrupted in a later version: its reports hold every scenario run so
/// far, each named with its version as a finished run names it (the finished version's as its
/// own folder has them), and say which version it was interrupted in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_server_run_interrupted_in_a_later_version_names_each_scenario_with_its_version() {
    // v8's restores never finish: after v6's three restores, each of v8's waits for the timeout.
    let env = [("VB365_API_VERSION", "v6,v8"), ("VB365_DOUBLE_FAULT", "v8-restore-never-finishes")];
    let server = crate::live::HttpsDouble::start(&env).await;
    let changes = [("VB365_API_VERSION", "v6,v8"), ("VB365_TIMEOUT_SECS", "5")];
    // Interrupted in v8, once its first restore has timed out (its scenarios have ended).
    let run = crate::live::interrupted_after(&server, &changes, "-TERM", 5).await;
    assert_eq!(run.code, Some(143), "{}\n{}", run.stdout, run.stderr);
    crate::live::assert_interrupted(run.report_dir.path(), "-TERM");
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new(), "every session stopped");
    let results = results(&run);
    let reason = results["reason"].as_str().unwrap_or_default();
    assert!(reason.starts_with("v8: interrupted by SIGTERM"), "the version it was interrupted in: {reason}");
    assert_eq!(results["target"]["api_version"], "v8", "{results}");
    let finished: Value = serde_json::from_str(&run.report("v6/results.json")).expect("v6/results.json");
    let own = finished["scenarios"].as_array().expect("v6's scenarios");
    let scenarios = results["scenarios"].as_array().expect("scenarios");
    let (v6, v8) = scenarios.split_at(own.len().min(scenarios.len()));
    assert!(v6.iter().all(|s| labelled(s, "v6")), "{results}");
    assert!(!v8.is_empty() && v8.iter().all(|s| labelled(s, "v8")), "v8's scenarios so far: {results}");
    for (top, own) in v6.iter().zip(own) {
        let name = format!("[v6] {}", own["scenario"].as_str().unwrap_or_default());
        assert_eq!((&top["scenario"], &top["status"]), (&name.into(), &own["status"]), "as v6/results.json has it");
    }
    let signoff = run.report("signoff.md");
    assert!(signoff.contains("\n- [v6] ") && signoff.contains("\n- [v8] "), "{signoff}");
}

/// A setup problem in a later version (this server serves v6 only) is found before any scenario
/// runs, and named with its version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_setup_problem_in_a_later_version_names_the_version() {
    let server = crate::live::HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_API_VERSION", "v6,v7")]).await;
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.starts_with("vb365-conformance: v7: "), "{}", run.stderr);
    assert_eq!(results(&run)["verdict"], "NOT RUN");
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new(), "v6's session stopped");
}
