//! The conformance suite's runner: reads the settings, prepares a live target (or leaves each
//! scenario its own double), runs the feature files with cucumber, stops the restore session it
//! started, writes the reports and ends with `N passed, N failed, N skipped`.
//!
//! Exit status: 0 when every @must scenario passed (and, with VB365_STRICT=1, every @should
//! scenario too and nothing was skipped); 1 when one did not; 2 when the run could not start;
//! 130 when interrupted.

mod parser;
mod steps;
mod world;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cucumber::{World as _, WriterExt as _, writer};
use serde_json::json;
use vb365_conformance::client::{ApiClient, http_client};
use vb365_conformance::report::signoff::{RunInfo, SignOff};
use vb365_conformance::report::{Ledger, write_results};
use vb365_conformance::requirements;
use vb365_conformance::secrets::scrub;
use vb365_conformance::settings::{Settings, Target};
use vb365_conformance::setup::{self, Setup};

use world::{HTTP, LIVE, RestoreWorld, SETTINGS};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("vb365-conformance: {}", scrub(&message));
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<ExitCode, String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let http = http_client(&settings).map_err(|e| e.to_string())?;
    let report_dir = settings.report_dir.clone();
    std::fs::create_dir_all(&report_dir)
        .map_err(|e| format!("cannot create the report folder {} (VB365_REPORT_DIR): {e}", report_dir.display()))?;

    // Interrupted (Ctrl-C, or SIGTERM as CI sends when it cancels), at any point: stop the restore
    // session the suite started, then exit.
    let interrupted = interruption();
    tokio::pin!(interrupted);

    // Against a live server, every setup problem shows before any scenario runs.
    let live = match &settings.target {
        Target::Live(url) => {
            let client = ApiClient::new(http.clone(), url, settings.api_version, settings.timeout);
            tokio::select! {
                setup = Setup::prepare(&settings, client) => Some(setup.map_err(|e| e.to_string())?),
                code = &mut interrupted => return Ok(stop_and_exit(code).await),
            }
        }
        Target::Double => None,
    };
    let target = describe_target(&settings, live.as_ref());
    println!("{}", target["summary"].as_str().unwrap_or_default());
    let strict = settings.strict;
    let settings_used = settings.describe();
    SETTINGS.set(settings).map_err(|_| "settings were read twice")?;
    HTTP.set(http).map_err(|_| "the HTTP client was built twice")?;
    if let Some(live) = &live {
        LIVE.set(tokio::sync::Mutex::new((live.clone(), std::time::Instant::now())))
            .map_err(|_| "the live target was prepared twice")?;
    }

    let ledger = Ledger::new();
    let outcome = tokio::select! {
        outcome = run_features(&report_dir, ledger.clone()) => outcome,
        code = &mut interrupted => return Ok(stop_and_exit(code).await),
    };
    // The restore session the suite started is stopped whatever happened to the scenarios (with a
    // fresh token: the run may have outlived the first).
    if let Some(live) = world::live_setup().await.and_then(Result::ok).or(live) {
        if let Err(error) = live.finish().await {
            eprintln!(
                "vb365-conformance: could not stop restore session {}: {}",
                live.session_id,
                scrub(&error.to_string())
            );
        }
    }
    outcome?;
    if let Some(refused) = vb365_conformance::restore::refused_configured_credentials() {
        return Err(refused.to_owned());
    }

    let outcomes = ledger.outcomes();
    let parse_errors = ledger.parse_errors();
    for error in &parse_errors {
        eprintln!("vb365-conformance: cannot parse a feature file: {error}");
    }
    if outcomes.is_empty() && parse_errors.is_empty() {
        return Err("no scenario ran: --tags, --name or --input matched none".into());
    }
    let double_only = std::mem::take(&mut *parser::DOUBLE_ONLY.lock().unwrap_or_else(|p| p.into_inner()));
    if !double_only.is_empty() {
        println!(
            "{} scenarios were left out: they check the mailbox's state, which only the embedded double allows",
            double_only.len()
        );
    }
    let ran: std::collections::HashSet<&str> = outcomes.iter().map(|o| o.location.as_str()).collect();
    let not_run: Vec<_> = std::mem::take(&mut *parser::PLANNED.lock().unwrap_or_else(|p| p.into_inner()))
        .into_iter()
        .filter(|planned| !ran.contains(planned.location.as_str()))
        .collect();
    let info = RunInfo {
        target: target["summary"].as_str().unwrap_or_default().trim_start_matches("target: ").to_owned(),
        date: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        suite_version: env!("CARGO_PKG_VERSION").to_owned(),
        git_revision: git_revision(),
        settings: settings_used.iter().map(|(name, value)| ((*name).to_owned(), value.clone())).collect(),
        strict,
        version: SETTINGS.get().map(|s| s.api_version).unwrap_or_default(),
        double_only,
        not_run,
        on_double: SETTINGS.get().is_some_and(|s| s.target == Target::Double),
        parse_errors,
        restores_made: vb365_conformance::restore::restores_made(),
    };
    let signoff = SignOff::new(info, &outcomes);
    let settings_json: serde_json::Map<String, serde_json::Value> =
        settings_used.into_iter().map(|(name, value)| (name.to_owned(), value.into())).collect();
    let write = |name: &str, text: &str| {
        let path = report_dir.join(name);
        std::fs::write(&path, scrub(text)).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("signoff.md", &signoff.markdown())?;
    write("signoff.html", &signoff.html())?;
    let results = report_dir.join("results.json");
    let run = json!({
        "verdict": signoff.verdict.title(),
        "target": target,
        "settings": settings_json,
        "restores_made": signoff.info.restores_made,
    });
    write_results(&results, &run, &outcomes).map_err(|e| format!("cannot write {}: {e}", results.display()))?;
    println!("reports: {} (signoff.html, signoff.md, junit.xml, cucumber.json, results.json)", report_dir.display());
    println!("verdict: {} ({})", signoff.verdict.title(), signoff.verdict.meaning());
    println!("{}", signoff.tally.closing_line());
    Ok(if signoff.passes() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The suite's git revision, when it runs from a git checkout; "+modified" when its working tree
/// differs from it.
fn git_revision() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-C", env!("CARGO_MANIFEST_DIR")])
            .args(args)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short=12", "HEAD"]).filter(|revision| !revision.is_empty()) {
        Some(revision) if git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty()) => {
            format!("{revision}+modified")
        }
        Some(revision) => revision,
        None => "unknown".to_owned(),
    }
}

/// Resolves with the exit status when the run is interrupted: 130 for SIGINT (Ctrl-C), 143 for
/// SIGTERM.
async fn interruption() -> u8 {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => 130,
        _ = async { match terminate.as_mut() { Some(signal) => { signal.recv().await; } None => std::future::pending().await } } => 143,
    }
}

/// Stops the restore session the suite started, if any, and says so.
async fn stop_and_exit(code: u8) -> ExitCode {
    match setup::stop_started_session().await {
        Ok(Some(session)) => eprintln!("vb365-conformance: interrupted; restore session {session} stopped"),
        Ok(None) => eprintln!("vb365-conformance: interrupted"),
        Err(error) => eprintln!(
            "vb365-conformance: interrupted; could not stop the restore session: {}",
            scrub(&error.to_string())
        ),
    }
    ExitCode::from(code)
}

/// Runs the feature files, writing the console output and the JUnit and Cucumber JSON reports.
async fn run_features(report_dir: &Path, ledger: Ledger) -> Result<(), String> {
    let create = |name: &str| {
        let path = report_dir.join(name);
        File::create(&path).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let junit = create("junit.xml")?;
    let json = create("cucumber.json")?;
    // Steps report failures as errors, which cucumber turns into panics and shows, redacted;
    // the default hook would print them a second time. Any other panic is a bug: one line.
    std::panic::set_hook(Box::new(|info| {
        let in_steps = info.location().is_some_and(|l| l.file().contains("steps") || l.file().contains("cucumber"));
        if !in_steps {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied());
            let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            eprintln!("vb365-conformance: internal error{place}: {}", scrub(message.unwrap_or("panic")));
        }
    }));
    let features: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    RestoreWorld::cucumber::<PathBuf>()
        .with_parser(parser::PlannedParser::default())
        .before(|_, _, scenario, world| {
            Box::pin(async move {
                world.requirements =
                    scenario.tags.iter().filter(|tag| requirements::find(tag).is_some()).cloned().collect();
            })
        })
        .with_writer(
            writer::Basic::stdout()
                .summarized()
                .tee::<RestoreWorld, _>(writer::JUnit::for_tee(junit, 0))
                .tee::<RestoreWorld, _>(writer::Json::for_tee(json))
                .tee::<RestoreWorld, _>(ledger.discard_stats_writes().discard_arbitrary_writes())
                .normalized(),
        )
        .run(features)
        .await;
    let _ = std::panic::take_hook();
    Ok(())
}

/// What the run checks: the server (never with credentials), the API version, the restore
/// session and the mailbox.
fn describe_target(settings: &Settings, live: Option<&Setup>) -> serde_json::Value {
    match (&settings.target, live) {
        (Target::Live(url), Some(setup)) => {
            let session =
                if setup.started_session { "started by the suite" } else { "given by VB365_RESTORE_SESSION_ID" };
            json!({
                "kind": "live",
                "url": url,
                "api_version": settings.api_version.name(),
                "restore_session_id": setup.session_id,
                "restore_session": session,
                "mailbox_id": setup.mailbox_id,
                "summary": format!(
                    "target: {url} (live server), API {}, restore session {} ({session}), mailbox {}",
                    settings.api_version, setup.session_id, setup.mailbox_id
                ),
            })
        }
        _ => json!({
            "kind": "double",
            "url": null,
            "api_version": settings.api_version.name(),
            "summary": format!(
                "target: the embedded double (API {}), one per scenario{}",
                settings.api_version,
                match (settings.double_fault, settings.double_variation) {
                    (Some(fault), _) => format!(", with fault {fault}"),
                    (None, Some(variation)) => format!(", with variation {variation}"),
                    _ => String::new(),
                }
            ),
        }),
    }
}
