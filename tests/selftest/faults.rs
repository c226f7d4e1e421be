//! The suite catches broken servers and never fails a conforming one: the whole suite runs
//! against the double with every fault and every benign variation, in the versions of the share
//! the test runs (`proof_share`).

use std::collections::BTreeMap;

use serde_json::Value;
use vb365_conformance::contract::version::ApiVersion;
use vb365_conformance::double::{FAULTS, VARIATIONS};

use crate::helpers::{SuiteRun, run_suite};
use crate::proof_share::{Path, Share, fault_runs, variation_runs};

/// Short enough that the slow-answer fault costs little, long enough for a 2-core machine that
/// runs four suites at once beside the other selftests.
const TIMEOUT_SECS: &str = "8";

struct Scenario {
    name: String,
    location: String,
    status: String,
    message: String,
    /// The requirements its failures name (not its tags: a scenario of one requirement can fail
    /// on another's check).
    failed_requirements: Vec<String>,
}

fn scenarios(run: &SuiteRun) -> Vec<Scenario> {
    let results: Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    results["scenarios"]
        .as_array()
        .expect("an array of scenarios")
        .iter()
        .map(|s| Scenario {
            name: s["scenario"].as_str().unwrap_or_default().to_owned(),
            location: s["location"].as_str().unwrap_or_default().to_owned(),
            status: s["status"].as_str().unwrap_or_default().to_owned(),
            message: s["message"].as_str().unwrap_or_default().to_owned(),
            failed_requirements: s["failed_requirements"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        })
        .collect()
}

/// Runs the suite once per (setting value, API version), four at a time: runs wait on the
/// network (slow answers, background restores) as much as they compute.
fn run_each(
    variable: &'static str,
    names: Vec<(&'static str, &'static str)>,
) -> BTreeMap<(&'static str, &'static str), SuiteRun> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let runs = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some(&(name, version)) = names.get(next.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) {
                    let timeout =
                        if crate::live_faults::FAULTS_ABOUT_TIME.contains(&name) { "2" } else { TIMEOUT_SECS };
                    let env = [(variable, name), ("VB365_API_VERSION", version), ("VB365_TIMEOUT_SECS", timeout)];
                    let run = run_suite(&env, &[]);
                    runs.lock().expect("runs").insert((name, version), run);
                }
            });
        }
    });
    runs.into_inner().expect("runs")
}

#[test]
fn every_fault_is_caught_by_a_failure_of_a_requirement_it_violates_and_no_variation_warns() {
    prove(Share::First);
}

#[test]
#[ignore = "the rest of the proof, every other version each fault and variation lists: cargo test -- --ignored (CI runs it)"]
fn every_fault_is_caught_in_every_other_version_it_lists_and_no_variation_warns() {
    prove(Share::Rest);
}

/// Each fault and each variation of `share` against the double (both shares: each in every
/// version it lists; a fault that does nothing in a version it lists is uncaught there).
fn prove(share: Share) {
    let of_share = |runs: Vec<(usize, &'static str, ApiVersion)>| -> Vec<(&'static str, &'static str)> {
        runs.into_iter().map(|(_, name, version)| (name, version.name())).collect()
    };
    let fault_runs = run_each("VB365_DOUBLE_FAULT", of_share(fault_runs(Path::Double, share)));
    let variation_runs = run_each("VB365_DOUBLE_VARIATION", of_share(variation_runs(Path::Double, share)));

    let mut matrix = Vec::new();
    let mut uncaught = Vec::new();
    let mut unclear = Vec::new();
    let mut uncaught_runs = std::collections::BTreeSet::new();
    for (&(name, version), run) in &fault_runs {
        let fault = FAULTS.iter().find(|f| f.name == name).expect("a fault of the table");
        let failed: Vec<Scenario> = scenarios(run).into_iter().filter(|s| s.status == "failed").collect();
        let catching: Vec<&Scenario> = failed
            .iter()
            .filter(|s| s.failed_requirements.iter().any(|id| fault.violates.contains(&id.as_str())))
            .collect();
        // Caught: a failure names a requirement the fault violates; and when one of those it names
        // is a must, the run exits 1 (a mixed fault caught only as a warning is not caught).
        let must = |id: &String| {
            vb365_conformance::contract::requirements::find(id)
                .is_some_and(|r| r.level == vb365_conformance::contract::requirements::Level::Must)
        };
        let named: Vec<&String> = catching
            .iter()
            .flat_map(|s| &s.failed_requirements)
            .filter(|id| fault.violates.contains(&id.as_str()))
            .collect();
        let refused = fault.fault.refuses_configured();
        let problem = if !refused.is_empty() {
            run.stopped_naming(refused).err()
        } else if catching.is_empty() {
            Some(format!("violates {:?}; exit {:?}; {}", fault.violates, run.code, run.closing_line()))
        } else if named.iter().any(|id| must(id)) && run.code != Some(1) {
            Some(format!("a must requirement it violates failed, but the run exited {:?}", run.code))
        } else {
            None
        };
        if let Some(problem) = problem {
            uncaught.push(format!("{} in {version} ({problem})", fault.name));
            uncaught_runs.insert((name, version));
        }
        // A malformed answer is a failed scenario whose message names the requirement, the
        // path, what was expected and what came.
        for scenario in &failed {
            let message = &scenario.message;
            if !(message.contains('[')
                && message.contains("at ")
                && message.contains("expected")
                && message.contains("actual"))
            {
                unclear.push(format!(
                    "{} in {version} / {} ({}): {message}",
                    fault.name, scenario.name, scenario.location
                ));
            }
        }
        let names: Vec<String> = catching.iter().map(|s| format!("{} ({})", s.name, s.location)).collect();
        matrix.push(format!("{:50} {}", format!("{} ({version}):", fault.name), names.join("; ")));
    }

    let mut false_alarms = Vec::new();
    for (&(variation, version), run) in &variation_runs {
        for scenario in scenarios(run).into_iter().filter(|s| s.status != "passed") {
            false_alarms.push(format!(
                "{variation} in {version}: {} ({}) {}: {}",
                scenario.name, scenario.location, scenario.status, scenario.message
            ));
        }
        if run.code != Some(0) {
            false_alarms.push(format!("{variation} in {version}: exit {:?}, {}", run.code, run.closing_line()));
        }
    }

    println!("fault matrix, {share:?} share (fault: scenarios of a violated requirement that caught it)");
    for line in &matrix {
        println!("  {line}");
    }
    let (mut faults_listed, mut variations_listed) = (Vec::new(), Vec::new());
    for version in ApiVersion::ALL {
        let faults = fault_runs.keys().filter(|(_, v)| *v == version.name()).count();
        let caught = faults - uncaught_runs.iter().filter(|(_, v)| *v == version.name()).count();
        let variations = variation_runs.keys().filter(|(_, v)| *v == version.name()).count();
        // A variation may raise several alarms (each scenario, the exit status): count it once.
        let alarmed: std::collections::BTreeSet<&str> = false_alarms
            .iter()
            .filter_map(|line| line.split_once(':').map(|(head, _)| head))
            .filter(|head| head.ends_with(&format!(" in {version}")))
            .collect();
        let alarms = alarmed.len();
        println!(
            "{version}, {share:?} share: faults caught {caught}/{faults}, variations passed {}/{variations}",
            variations - alarms
        );
        let listed = FAULTS.iter().filter(|f| f.fault.versions().contains(&version)).count();
        faults_listed.push(format!("{listed}/{listed}"));
        let listed = VARIATIONS.iter().filter(|v| v.variation.versions().contains(&version)).count();
        variations_listed.push(format!("{listed}/{listed}"));
    }
    // docs/proof.md publishes every fault listed for a version caught in it, and every variation
    // passed: what the two shares show together when each passes (the asserts below).
    assert_eq!(crate::helpers::published_figures("faults caught, embedded double"), faults_listed);
    assert_eq!(crate::helpers::published_figures("variations passed, embedded double"), variations_listed);
    println!(
        "faults caught {}/{} (fault x version), false alarms {}",
        fault_runs.len() - uncaught_runs.len(),
        fault_runs.len(),
        false_alarms.len()
    );
    assert!(uncaught.is_empty(), "faults not caught:\n{}", uncaught.join("\n"));
    // Every must requirement can fail on its own: some fault's failure names it, so its cell of
    // the sign-off reads FAIL there (a requirement no failure can name would always read pass).
    // The first share, every fault once, shows it.
    let failed_anywhere: std::collections::BTreeSet<String> =
        fault_runs.values().flat_map(|run| scenarios(run).into_iter().flat_map(|s| s.failed_requirements)).collect();
    let never_failed: Vec<&str> = vb365_conformance::contract::requirements::all()
        .iter()
        .filter(|r| {
            r.level == vb365_conformance::contract::requirements::Level::Must && !failed_anywhere.contains(&r.id)
        })
        .map(|r| r.id.as_str())
        .collect();
    assert!(share == Share::Rest || never_failed.is_empty(), "must requirements no fault makes fail: {never_failed:?}");
    assert!(false_alarms.is_empty(), "benign variations that failed or warned:\n{}", false_alarms.join("\n"));
    assert!(
        unclear.is_empty(),
        "failures that do not name requirement, path, expected and actual:\n{}",
        unclear.join("\n")
    );
}

#[test]
fn an_unknown_fault_name_is_a_one_line_setting_error_listing_the_known_ones() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "no-such-fault")], &[]);
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("status-201") && run.stderr.contains("no-such-fault"), "{}", run.stderr);
}

#[test]
fn the_docs_list_every_fault_and_variation() {
    let proof = std::fs::read_to_string(crate::helpers::root().join("docs/proof.md")).expect("docs/proof.md");
    let names = FAULTS.iter().map(|f| f.name).chain(VARIATIONS.iter().map(|v| v.name));
    let missing: Vec<&str> = names.filter(|name| !proof.contains(&format!("| `{name}` |"))).collect();
    assert!(missing.is_empty(), "docs/proof.md does not list {missing:?}");
}
