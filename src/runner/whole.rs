//! A whole server: every API version `VB365_API_VERSION` names (`all`, or a list such as
//! `v6,v8`) checked in one run against the same server. Each version is prepared before any
//! scenario runs (a setup problem in any shows first), then runs as a run of its own (its own
//! restore session, at most three real restores, its reports in a folder named after it); the
//! server gets one verdict, the worst of the versions', and one set of reports beside theirs.

use std::fmt::Write as _;

use serde_json::Value;

use crate::contract::version::ApiVersion;
use crate::report::files::write_report;
use crate::report::whole::{VersionRun, WholeServer, labelled};
use crate::report::{RunFacts, ScenarioOutcome, cucumber_json, junit, write_results};
use crate::secrets::scrub;

use super::ledger::Ledger;
use super::{Context, Interrupted, Ran, Stop, cli, close, finish, judge, preflight, prepare, scenarios};

/// Checks every version of the settings; answers the exit status, the server's verdict's.
pub(super) async fn run(
    context: &mut Context,
    ledger: &Ledger,
    ready: preflight::Ready,
    options: cli::Options,
    filters: &str,
    interrupted: &mut Interrupted,
) -> Result<u8, Stop> {
    let preflight::Ready { settings, features, regression, .. } = ready;
    context.whole = Some(SoFar::default());
    clear_earlier_versions(&settings.report_dir, &settings.api_versions);
    // Each version's settings, report folder (emptied of an earlier run's reports) and HTTP
    // clients (its exchanges.har holds its round trips) before any session starts.
    let mut parts = Vec::new();
    for &version in &settings.api_versions {
        let mut of_version = settings.for_version(version);
        of_version.report_dir = settings.report_dir.join(version.name());
        let folder = &of_version.report_dir;
        clear_reports(folder)
            .map_err(|error| Stop::not_run(format!("cannot make the report folder {}: {error}", folder.display())))?;
        let http = of_version.http_client().map_err(|error| Stop::not_run(error.to_string()))?;
        parts.push((of_version, http));
    }
    let mut prepared = Vec::new();
    for (of_version, http) in parts {
        let version = of_version.api_version;
        match prepare(context, of_version, http, interrupted).await {
            Ok(ready) => prepared.push(ready),
            Err(stop) => return Err(stopping_all(context, in_version(stop, version)).await),
        }
    }
    let mut without_scenarios = Vec::new();
    for ready in &prepared {
        let run = &ready.run;
        let version = run.settings().api_version;
        // A run that ends early says what this version did, with the restores of those before.
        (context.run, context.http) = (Some(run.clone()), Some(run.http().clone()));
        (context.target, context.target_line) = (ready.target.clone(), ready.line.clone());
        println!("\nAPI {version}:");
        let (outcomes_before, errors_before) = (ledger.outcomes().len(), ledger.parse_errors().len());
        so_far(context).running = Some((version, outcomes_before));
        if let Err(stop) = scenarios(run, options.clone(), &features, ledger, interrupted).await {
            return Err(in_version(stop, version));
        }
        if let Err(stop) = close(run).await {
            return Err(stopping_all(context, in_version(stop, version)).await);
        }
        let ran = Ran {
            outcomes: ledger.outcomes().split_off(outcomes_before),
            parse_errors: ledger.parse_errors().split_off(errors_before),
        };
        if ran.outcomes.is_empty() && ran.parse_errors.is_empty() {
            // A filter of another version's scenarios (`--tags @V8-SESSION-ID`): this one has none.
            println!("{version}: no scenario matched; the version is left out");
            let _ = std::fs::remove_dir(&run.settings().report_dir);
            without_scenarios.push(version);
            so_far(context).running = None;
            continue;
        }
        let (signoff, outcomes) = match judge(run, ready, &regression, ran, filters) {
            Ok(judged) => judged,
            Err(stop) => return Err(stopping_all(context, in_version(stop, version)).await),
        };
        let facts = ready.facts(&ready.target);
        let document = crate::report::results::judged(&signoff, &facts);
        let dir = &run.settings().report_dir;
        if let Err(stop) = finish::write_reports(dir, &signoff, &outcomes, facts, run) {
            context.report_writable = false;
            return Err(stopping_all(context, stop).await);
        }
        println!(
            "{version}: verdict: {} ({}); reports: {}",
            signoff.headline(),
            signoff.tally.closing_line(),
            dir.display()
        );
        context.earlier_restores += run.restores().made();
        let so_far = so_far(context);
        so_far.versions.push(VersionRun { version, signoff, outcomes, document });
        so_far.running = None;
    }
    if so_far(context).versions.is_empty() {
        let by = if filters.is_empty() { "--tags, --name or --input" } else { filters };
        return Err(Stop::not_run(format!("no scenario ran: {by} matched none, in any version")));
    }
    super::interrupted_by_now(interrupted, &context.started, "as the run ended").await?;
    let whole = WholeServer::new(std::mem::take(&mut so_far(context).versions), without_scenarios);
    let first = prepared.first().ok_or_else(|| Stop::not_run("VB365_API_VERSION names no version"))?;
    let (target, line) = whole_target(&prepared);
    (context.target, context.target_line) = (target.clone(), line);
    let described = settings.describe().into_iter().map(|(name, value)| (name.to_owned(), value.into()));
    let facts = RunFacts { settings: described.collect(), ..first.facts(&target) };
    write(&settings.report_dir, &whole, &facts).map_err(|error| {
        context.report_writable = false;
        Stop::Stopped(error)
    })?;
    if let Err(stop) = super::interrupted_by_now(interrupted, &context.started, "as its reports were written").await {
        // The ending names each scenario with its version from what ran so far.
        so_far(context).versions = whole.versions;
        return Err(stop);
    }
    Ok(say(&settings.report_dir, &whole, filters))
}

/// The server as results.json names it (the first version's target, with every version's), and
/// in one line.
fn whole_target(prepared: &[super::Prepared]) -> (Value, String) {
    let mut target = prepared.first().map(|ready| ready.target.clone()).unwrap_or_default();
    let names: Vec<&str> = prepared.iter().map(|ready| ready.run.settings().api_version.name()).collect();
    target["api_version"] = names.join(",").into();
    target["versions"] = prepared.iter().map(|ready| ready.target.clone()).collect();
    let line = prepared.iter().map(|ready| ready.line.as_str()).collect::<Vec<_>>().join("; ");
    target["summary"] = format!("target: {line}").into();
    (target, line)
}

/// Removes what an earlier run of other versions left in the report folder `dir`: the folders of
/// the versions not in `kept` (their reports, then the folder when nothing else is in it) and,
/// when versions are kept (a whole-server run, whose round trips are in each version's folder), a
/// top-level exchanges.har.
pub(super) fn clear_earlier_versions(dir: &std::path::Path, kept: &[ApiVersion]) {
    for version in ApiVersion::ALL.into_iter().filter(|version| !kept.contains(version)) {
        let folder = dir.join(version.name());
        if folder.is_dir() {
            let _ = clear_reports(&folder);
            let _ = std::fs::remove_dir(&folder);
        }
    }
    if !kept.is_empty() {
        let _ = std::fs::remove_file(dir.join("exchanges.har"));
    }
}

/// Makes `folder` and removes the reports an earlier run left in it: a run leaves reports of its
/// own only (a stale results.json would read as this run's).
fn clear_reports(folder: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    for name in crate::report::files::REPORTS {
        match std::fs::remove_file(folder.join(name)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    Ok(())
}

/// Says which version a stop came from.
fn in_version(stop: Stop, version: ApiVersion) -> Stop {
    match stop {
        Stop::NotRun(problems) => Stop::NotRun(problems.into_iter().map(|p| format!("{version}: {p}")).collect()),
        Stop::Stopped(reason) => Stop::Stopped(format!("{version}: {reason}")),
        Stop::Interrupted(code, reason) => Stop::Interrupted(code, format!("{version}: {reason}")),
    }
}

/// What a whole-server run has run so far, for the reports of a run that ends early: the
/// versions judged, and the version running with where its outcomes start among the ledger's.
#[derive(Default)]
pub(super) struct SoFar {
    versions: Vec<VersionRun>,
    running: Option<(ApiVersion, usize)>,
}

impl SoFar {
    /// Every scenario run so far (`recorded`: the ledger's), named with its version as a
    /// finished run's reports name it; a judged version's as its own reports have them.
    pub(super) fn outcomes(&self, recorded: &[ScenarioOutcome]) -> Vec<ScenarioOutcome> {
        let judged = self.versions.iter().map(|run| (run.version, run.outcomes.as_slice()));
        let running = self.running.map(|(version, from)| (version, recorded.get(from..).unwrap_or_default()));
        labelled(judged.chain(running))
    }
}

fn so_far(context: &mut Context) -> &mut SoFar {
    context.whole.get_or_insert_with(SoFar::default)
}

/// A run that stops stops every restore session it started first (the versions not yet run hold
/// theirs).
async fn stopping_all(context: &Context, stop: Stop) -> Stop {
    if let Err(error) = context.started.stop().await {
        eprintln!("vb365-conformance: could not stop a restore session: {}", scrub(&error.to_string()));
    }
    stop
}

/// The server's own reports, beside each version's folder.
fn write(dir: &std::path::Path, whole: &WholeServer, facts: &RunFacts) -> Result<(), String> {
    let strict = whole.versions.iter().any(|run| run.signoff.info.strict);
    let labelled = whole.labelled_outcomes();
    let write = |name: &str, text: &str| write_report(dir, name, text).map_err(|e| e.to_string());
    write("junit.xml", &junit::render(&labelled, strict, whole.verdict()))?;
    write("cucumber.json", &cucumber_json::render(&labelled, strict))?;
    write("signoff.md", &whole.markdown())?;
    write("signoff.html", &whole.html())?;
    let results = dir.join("results.json");
    write_results(&results, &whole.results(facts), &labelled)
        .map_err(|e| format!("cannot write {}: {e}", results.display()))
}

/// The console's last lines, the closing line last; answers the exit status.
fn say(dir: &std::path::Path, whole: &WholeServer, filters: &str) -> u8 {
    let folders: Vec<String> = whole.versions.iter().map(|run| format!("{}/", run.version)).collect();
    println!(
        "reports: {} (signoff.html, signoff.md, junit.xml, cucumber.json, results.json; {} each with the version's own, exchanges.har included)",
        dir.display(),
        folders.join(", ")
    );
    let on_double = whole.versions.iter().any(|run| run.signoff.info.on_double);
    if on_double {
        println!("verdict: {}: the suite and its embedded double, not a server. {}", whole.headline(), whole.meaning());
    } else {
        println!("verdict: {} ({})", whole.headline(), whole.meaning());
    }
    // Each version's reasons to exit 1, then its known deviations, as a run of it alone says them.
    let mut lines = String::new();
    for run in &whole.versions {
        let version = run.version;
        let known = run.signoff.tally.known_line();
        for line in run.signoff.regression.lines().into_iter().chain(run.signoff.exit_reasons(filters)).chain(known) {
            let _ = writeln!(lines, "{version}: {}", scrub(&line));
        }
    }
    print!("{lines}");
    println!("{}", whole.tally().closing_line());
    whole.verdict().exit_status()
}
