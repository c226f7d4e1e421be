//! The live path is as strict as the double's: every fault the double can show, served over
//! HTTPS as a live server, fails a strict live run through a scenario of a requirement it
//! violates (unless all those requirements need control of the mailbox, which only the double
//! gives); every benign variation passes a strict live run with nothing failed or skipped; every
//! run stops the restore session it started.

use std::collections::BTreeSet;

use serde_json::Value;
use vb365_conformance::contract::version::ApiVersion;
use vb365_conformance::double::{FAULTS, VARIATIONS};

use crate::helpers::SuiteRun;
use crate::live::HttpsDouble;
use crate::proof_share::{Path, Share, fault_runs, variation_runs};

const TIMEOUT_SECS: &str = "5";

/// Faults that answer late or never: each of their restores waits out the timeout, so theirs is
/// short (their other requests are answered in milliseconds).
pub const FAULTS_ABOUT_TIME: [&str; 3] = ["slow-answer", "v8-restore-never-finishes", "v8-event-never-ends"];

fn timeout_for(double_env: (&str, &str)) -> &'static str {
    if FAULTS_ABOUT_TIME.contains(&double_env.1) { "2" } else { TIMEOUT_SECS }
}

/// (status, tags, the requirements its failures name) of every scenario of a run.
fn scenarios(run: &SuiteRun) -> Vec<(String, Vec<String>, Vec<String>)> {
    let results: Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    let strings = |value: &Value| -> Vec<String> {
        value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };
    results["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap_or_default().to_owned(),
                strings(&s["tags"]),
                strings(&s["failed_requirements"]),
            )
        })
        .collect()
}

/// The cells of the sign-off's requirement x variant matrix that a scenario checked and passed.
fn checked_cells(run: &SuiteRun) -> usize {
    run.report("signoff.md")
        .lines()
        .filter(|line| line.starts_with("| **"))
        .flat_map(|line| {
            line.split(" | ")
                .skip(2)
                .map(str::trim)
                .map(|cell| cell.trim_end_matches(" |").to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|cell| cell == "pass")
        .count()
}

/// A strict live run against the HTTPS double started with `double_env`; it fails the test
/// unless the run stopped the restore session it started, whatever the double did.
async fn strict_live_run(version: &str, double_env: (&'static str, &'static str)) -> SuiteRun {
    let timeout = timeout_for(double_env);
    let server =
        HttpsDouble::start(&[double_env, ("VB365_API_VERSION", version), ("VB365_TIMEOUT_SECS", timeout)]).await;
    // A whole acceptance run: the operator also allows the wrong passwords for the Exchange user.
    let env = [("VB365_API_VERSION", version), ("VB365_STRICT", "1"), ("VB365_TIMEOUT_SECS", timeout)];
    let run = server.run(&[env[0], env[1], env[2], ("VB365_PROBE_EXCHANGE_PASSWORD", "1")]).await;
    // Every session the run started is stopped, whatever the fault (SESSION-STOPPED starts one of
    // its own besides the run's).
    let left = server.double.sessions_left_working();
    assert!(left.is_empty(), "{double_env:?} {version}: {left:?} left working\n{}\n{}", run.stdout, run.stderr);
    assert!(!server.double.stopped_sessions().is_empty(), "{double_env:?} {version}: no session stopped");
    run
}

/// Runs `runs` three at a time (each runs the suite binary and serves the double over TLS; a run
/// waits on its double's answers as much as it computes), in their order.
async fn in_order<F: std::future::Future<Output = SuiteRun>>(runs: Vec<(String, F)>) -> Vec<(String, SuiteRun)> {
    use futures::StreamExt as _;
    let mut done: Vec<(usize, String, SuiteRun)> = futures::stream::iter(runs.into_iter().enumerate())
        .map(|(index, (name, run))| async move { (index, name, run.await) })
        .buffer_unordered(3)
        .collect()
        .await;
    done.sort_by_key(|(index, _, _)| *index);
    done.into_iter().map(|(_, name, run)| (name, run)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_fails_a_strict_live_run_and_every_variation_passes_one() {
    prove(Share::First).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the rest of the proof, every other version each fault and variation lists: cargo test -- --ignored (CI runs it)"]
async fn every_fault_fails_a_strict_live_run_in_every_other_version_it_lists() {
    prove(Share::Rest).await;
}

/// Strict live runs against a conforming server in every version, then against each fault and
/// each variation of `share`.
async fn prove(share: Share) {
    // What a strict live run against a conforming server checks.
    let conforming: Vec<(String, SuiteRun)> = in_order(
        ["v6", "v7", "v8"]
            .iter()
            .map(|v| (v.to_string(), strict_live_run(v, ("VB365_DOUBLE_VARIATION", ""))))
            .collect(),
    )
    .await;
    let mut checked_live = BTreeSet::new();
    let mut restores_figures = Vec::new();
    for (version, run) in &conforming {
        assert_eq!(run.code, Some(0), "{version}: {}\n{}", run.stdout, run.stderr);
        assert!(run.closing_line().ends_with(" 0 failed, 0 skipped"), "{version}: {}", run.closing_line());
        checked_live.extend(scenarios(run).into_iter().flat_map(|(_, tags, _)| tags));
        println!("live {version}: {} requirement x variant cells checked", checked_cells(run));
        let results: Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
        restores_figures.push(results["restores_made"].to_string());
    }
    let published = "real restores of a strict live run against a conforming server";
    assert_eq!(crate::helpers::published_figures(published), restores_figures, "docs/proof.md");

    // Each fault of the share, but those whose every requirement needs control of the mailbox
    // (which no live run has): those are listed, not run.
    let mut double_only = Vec::new();
    let mut live_faults = Vec::new();
    for (index, name, version) in fault_runs(Path::Live, share) {
        let fault = &FAULTS[index];
        if fault.violates.iter().any(|id| checked_live.contains(*id)) && !fault.fault.unseen_live().contains(&version) {
            live_faults.push((fault, format!("{name} ({version})"), version));
        } else {
            double_only.push(format!("{name} ({version})"));
        }
    }
    let fault_runs = in_order(
        live_faults
            .iter()
            .map(|(fault, label, version)| {
                (label.clone(), strict_live_run(version.name(), ("VB365_DOUBLE_FAULT", fault.name)))
            })
            .collect(),
    )
    .await;
    let mut uncaught = Vec::new();
    for ((fault, _, _), (name, run)) in live_faults.iter().zip(&fault_runs) {
        let refused = fault.fault.refuses_configured();
        if !refused.is_empty() {
            if let Err(problem) = run.stopped_naming(refused) {
                uncaught.push(format!("{name} (violates {:?}): {problem}", fault.violates));
            }
            continue;
        }
        // Caught: a failure names a requirement the fault violates.
        let caught = scenarios(run).iter().any(|(status, _, failed)| {
            status == "failed" && failed.iter().any(|id| fault.violates.contains(&id.as_str()))
        });
        if !caught || run.code != Some(1) {
            uncaught.push(format!(
                "{name} (violates {:?}): exit {:?}, {}",
                fault.violates,
                run.code,
                run.closing_line()
            ));
        }
    }

    let variation_runs = in_order(
        variation_runs(Path::Live, share)
            .into_iter()
            .map(|(_, name, version)| {
                (format!("{name} ({version})"), strict_live_run(version.name(), ("VB365_DOUBLE_VARIATION", name)))
            })
            .collect(),
    )
    .await;
    let false_alarms: Vec<String> = variation_runs
        .iter()
        .filter(|(_, run)| run.code != Some(0) || !run.closing_line().ends_with(" 0 failed, 0 skipped"))
        .map(|(name, run)| format!("{name}: exit {:?}, {}\n{}", run.code, run.closing_line(), run.stdout))
        .collect();

    let live_checkable =
        |fault: &&vb365_conformance::double::FaultInfo| fault.violates.iter().any(|id| checked_live.contains(*id));
    let (mut faults_listed, mut variations_listed) = (Vec::new(), Vec::new());
    for version in ApiVersion::ALL {
        let of = |names: &mut dyn Iterator<Item = &str>| names.filter(|n| n.ends_with(&format!("({version})"))).count();
        let runs = of(&mut fault_runs.iter().map(|(name, _)| name.as_str()));
        let left = of(&mut double_only.iter().map(String::as_str));
        let missed = of(&mut uncaught.iter().map(|line| line.split(" (violates").next().unwrap_or_default()));
        let variations = of(&mut variation_runs.iter().map(|(name, _)| name.as_str()));
        let alarms = of(&mut false_alarms.iter().map(|line| line.split(':').next().unwrap_or_default()));
        println!(
            "live {version}, {share:?} share: faults caught {}/{runs} ({left} need control of the mailbox), variations passed strictly {}/{variations}",
            runs - missed,
            variations - alarms
        );
        let seen = |fault: &&vb365_conformance::double::FaultInfo| !fault.fault.unseen_live().contains(&version);
        let listed =
            FAULTS.iter().filter(|f| f.fault.versions().contains(&version)).filter(live_checkable).filter(seen).count();
        faults_listed.push(format!("{listed}/{listed}"));
        let listed = VARIATIONS.iter().filter(|v| v.variation.versions().contains(&version)).count();
        variations_listed.push(format!("{listed}/{listed}"));
    }
    let left_out: Vec<&str> = FAULTS.iter().filter(|f| !live_checkable(f)).map(|f| f.name).collect();
    println!("live: faults that need control of the mailbox: {}", left_out.join(", "));
    // docs/proof.md publishes every fault a live run can check caught in every version it lists,
    // and every variation passed: what the two shares show together when each passes (the asserts
    // below); and it names the faults that need control of the mailbox.
    assert_eq!(crate::helpers::published_figures("faults caught, strict live run over HTTPS"), faults_listed);
    assert_eq!(crate::helpers::published_figures("variations passed strictly, live"), variations_listed);
    let proof = std::fs::read_to_string(crate::helpers::root().join("docs/proof.md")).expect("docs/proof.md");
    // Those a live run sees in some versions only (a refusal that still restores: v8 only).
    let unseen_in_some: Vec<&str> =
        FAULTS.iter().filter(|f| live_checkable(f) && !f.fault.unseen_live().is_empty()).map(|f| f.name).collect();
    let versions =
        |name: &str| FAULTS.iter().find(|f| f.name == name).map(|f| f.fault.unseen_live()).unwrap_or_default();
    let unseen_versions = unseen_in_some.first().map(|name| versions(name)).unwrap_or_default();
    assert!(
        unseen_in_some.iter().all(|name| versions(name) == unseen_versions),
        "docs/proof.md says one set of versions"
    );
    let unseen_versions: Vec<&str> = unseen_versions.iter().map(|v| v.name()).collect();
    let published = format!(
        "Live, {} faults per version need control of the mailbox and are left out: {}. In {}, {} more are: {}.",
        left_out.len(),
        left_out.join(", "),
        unseen_versions.join(" and "),
        unseen_in_some.len(),
        unseen_in_some.join(", ")
    );
    assert!(proof.replace('\n', " ").contains(&published), "docs/proof.md does not say {published:?}");
    assert!(uncaught.is_empty(), "faults a strict live run did not reject:\n{}", uncaught.join("\n"));
    assert!(false_alarms.is_empty(), "variations a strict live run did not pass:\n{}", false_alarms.join("\n"));
}
