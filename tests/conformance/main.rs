//! The conformance suite's runner: reads its arguments and settings, prepares a live target (or
//! leaves each scenario its own double), runs the feature files with cucumber, stops the
//! restore session it started, writes the reports and ends with `N passed, N failed, N skipped`.
//!
//! Exit status: 0 when every @must scenario passed (and, with VB365_STRICT=1, every @should
//! scenario too and nothing was skipped); 1 when one did not, each reason on a line of its own
//! before the closing line; 2 when the run could not start; 130 (Ctrl-C) or 143 (SIGTERM) when
//! interrupted. `--help` touches no report; every other ending leaves reports of this run only.

mod cli;
mod evidence;
mod help;
mod interruption;
mod ledger;
mod parser;
mod regression;
mod scenario;
mod steps;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;

use cucumber::{World as _, WriterExt as _};
use serde_json::json;
use vb365_conformance::client::ApiClient;
use vb365_conformance::report::files::{write_report, write_scrubbed};
use vb365_conformance::report::signoff::{RunInfo, SignOff};
use vb365_conformance::report::unfinished::{Unfinished, UnfinishedRun};
use vb365_conformance::report::write_results;

use ledger::Ledger;
use vb365_conformance::requirements;
use vb365_conformance::secrets::scrub;
use vb365_conformance::settings::{self, Settings, Target};
use vb365_conformance::setup::Setup;

use world::{HTTP, LIVE, RestoreWorld, SETTINGS};

/// What the reports of a run that ends early can say about it: as much as was known.
struct Context {
    report_dir: PathBuf,
    target: serde_json::Value,
    settings: Vec<(String, String)>,
}

/// Why a run ended without a verdict.
pub enum Stop {
    NotRun(String),
    Interrupted(u8, String),
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut context = Context {
        report_dir: settings::report_dir(&|name: &str| std::env::var(name).ok()),
        target: json!({ "kind": "unknown", "summary": "not known: the run stopped before it was chosen" }),
        settings: Vec::new(),
    };
    let ledger = Ledger::new();
    let (how, reason) = match run(&mut context, &ledger).await {
        Ok(code) => return code,
        Err(Stop::NotRun(reason)) => {
            eprintln!("vb365-conformance: {}", scrub(&reason));
            (Unfinished::NotRun, reason)
        }
        Err(Stop::Interrupted(code, reason)) => (Unfinished::Interrupted(code), reason),
    };
    let report = UnfinishedRun {
        how,
        reason: scrub(&reason),
        target: context.target["summary"].as_str().unwrap_or_default().trim_start_matches("target: ").to_owned(),
        target_json: context.target.clone(),
        date: now(),
        suite: format!("vb365-conformance {} (git {})", env!("CARGO_PKG_VERSION"), git_revision()),
        settings: context.settings.clone(),
        outcomes: if how == Unfinished::NotRun { Vec::new() } else { ledger.outcomes() },
    };
    let written = std::fs::create_dir_all(&context.report_dir)
        .map_err(|error| error.to_string())
        .and_then(|()| report.write(&context.report_dir).map_err(|error| error.to_string()))
        .and_then(|()| {
            write_scrubbed(&context.report_dir, "exchanges.har", &evidence::exchanges_har()).map_err(|e| e.to_string())
        });
    match written {
        Ok(()) => println!("verdict: {} ({}; reports: {})", how.title(), scrub(&reason), context.report_dir.display()),
        Err(error) => eprintln!("vb365-conformance: {}", scrub(&error)),
    }
    ExitCode::from(how.exit_status())
}

async fn run(context: &mut Context, ledger: &Ledger) -> Result<ExitCode, Stop> {
    // The arguments first: --help and --version only print; a bad argument is a setup error.
    if help::asked(&["--version", "-V"]) {
        println!("{}", help::version());
        return Ok(ExitCode::SUCCESS);
    }
    if help::asked(&["--help", "-h"]) {
        print!("{}", help::suite_help());
    }
    let cucumber = RestoreWorld::cucumber::<PathBuf>()
        .with_parser(parser::PlannedParser::default())
        .before(|feature, _, scenario, world| {
            Box::pin(async move {
                world.requirements =
                    scenario.tags.iter().filter(|tag| requirements::find(tag).is_some()).cloned().collect();
                world.location = scenario::location(feature, scenario);
            })
        })
        // The ledger records each scenario and shows it on the console; every report is built
        // from what it recorded.
        .with_writer(ledger.clone().normalized());
    let opts = match cli::parse(&cucumber) {
        cli::Parsed::Run(opts) => opts,
        cli::Parsed::Shown => return Ok(ExitCode::SUCCESS),
        cli::Parsed::Bad(message) => return Err(Stop::NotRun(message)),
    };
    let cucumber = cucumber.with_cli(opts);
    let filters = cli::filters();

    // Interrupted (Ctrl-C, or SIGTERM as CI sends when it cancels), at any point: stop the restore
    // session the suite started, then exit.
    let interrupted = interruption::interruption();
    tokio::pin!(interrupted);

    let settings = Settings::from_env().map_err(|e| Stop::NotRun(e.to_string()))?;
    let features = features_dir()?;
    context.report_dir = settings.report_dir.clone();
    context.settings = settings.describe().into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
    context.target = describe_target(&settings, None);
    let http = settings.http_client().map_err(|e| Stop::NotRun(e.to_string()))?;
    let regression = regression::read(&settings).map_err(Stop::NotRun)?;
    let report_dir = settings.report_dir.clone();
    std::fs::create_dir_all(&report_dir).map_err(|e| {
        Stop::NotRun(format!("cannot create the report folder {} (VB365_REPORT_DIR): {e}", report_dir.display()))
    })?;

    // Against a live server, every setup problem shows before any scenario runs.
    let live = match &settings.target {
        Target::Live(url) => {
            let client = ApiClient::new(http.clone(), url, settings.api_version, settings.timeout);
            tokio::select! {
                setup = Setup::prepare(&settings, client) => Some(setup.map_err(|e| Stop::NotRun(e.to_string()))?),
                code = &mut interrupted => return Err(interruption::stop_and_exit(code, "during setup").await),
            }
        }
        Target::Double => None,
    };
    let server_version = match &live {
        Some(live) => match live.token.current(&live.client).await {
            Ok(token) => live.client.server_version(&token).await,
            Err(_) => None,
        },
        None => None,
    };
    let target = describe_target(&settings, live.as_ref());
    context.target = target.clone();
    let summary = target["summary"].as_str().unwrap_or_default().to_owned();
    if settings.target == Target::Double {
        println!("{summary}: a check of the suite and its double, not of any server (set VB365_BASE_URL to check one)");
    } else {
        println!("{summary}");
    }
    let strict = settings.strict;
    let settings_used = settings.describe();
    SETTINGS.set(settings).map_err(|_| Stop::NotRun("settings were read twice".into()))?;
    HTTP.set(http).map_err(|_| Stop::NotRun("the HTTP client was built twice".into()))?;
    if let Some(live) = &live {
        LIVE.set(live.clone()).map_err(|_| Stop::NotRun("the live target was prepared twice".into()))?;
    }

    set_panic_hook();
    std::thread::spawn(vb365_conformance::schema::Document::compile_all);
    tokio::select! {
        _ = cucumber.run(features) => {},
        code = &mut interrupted => return Err(interruption::stop_and_exit(code, "while scenarios ran").await),
    };
    let _ = std::panic::take_hook();
    // The restore session the suite started is stopped whatever happened to the scenarios (with a
    // token renewed as needed: the run may have outlived the first).
    if let Some(live) = live {
        if let Err(error) = live.finish().await {
            eprintln!(
                "vb365-conformance: could not stop restore session {}: {}",
                live.session_id,
                scrub(&error.to_string())
            );
        }
    }
    if let Some(refused) = vb365_conformance::restore::refused_configured_credentials() {
        return Err(Stop::NotRun(refused));
    }

    let outcomes = ledger.outcomes();
    let parse_errors = ledger.parse_errors();
    for error in &parse_errors {
        eprintln!("vb365-conformance: cannot parse a feature file: {error}");
    }
    if outcomes.is_empty() && parse_errors.is_empty() {
        let by = if filters.is_empty() { "--tags, --name or --input".to_owned() } else { filters };
        return Err(Stop::NotRun(format!("no scenario ran: {by} matched none")));
    }
    // exchanges.har, the largest report, is made and written while the others are (it was a
    // run's last fifth on 2 cores).
    let har = {
        let dir = report_dir.clone();
        std::thread::spawn(move || write_scrubbed(&dir, "exchanges.har", &evidence::exchanges_har()))
    };
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
    let on_double = SETTINGS.get().is_some_and(|s| s.target == Target::Double);
    let info = RunInfo {
        target: summary.trim_start_matches("target: ").to_owned(),
        date: now(),
        suite_version: env!("CARGO_PKG_VERSION").to_owned(),
        git_revision: git_revision(),
        settings: settings_used.iter().map(|(name, value)| ((*name).to_owned(), value.clone())).collect(),
        strict,
        version: SETTINGS.get().map(|s| s.api_version).unwrap_or_default(),
        double_only,
        not_run,
        on_double,
        parse_errors,
        restores_made: vb365_conformance::restore::restores_made(),
        evidence: evidence::by_scenario(),
    };
    let mut outcomes = outcomes;
    regression.apply(&mut outcomes);
    print!("{}", vb365_conformance::report::console::summary(&outcomes));
    let suite = format!("vb365-conformance {} (git {})", env!("CARGO_PKG_VERSION"), info.git_revision);
    let date = info.date.clone();
    let mut signoff = SignOff::new(info, &outcomes);
    let today = &date[..10.min(date.len())];
    signoff.regression = regression.judge(&signoff, (&suite, server_version.as_deref(), &target), today);
    let exit_status: u8 = if signoff.passes() { 0 } else { 1 };
    let settings_json: serde_json::Map<String, serde_json::Value> =
        settings_used.into_iter().map(|(name, value)| (name.to_owned(), value.into())).collect();
    let write = |name: &str, text: &str| write_report(&report_dir, name, text).map_err(|e| Stop::NotRun(e.to_string()));
    // Every report, then exchanges.har's thread joined whatever happened to them: a run that
    // ends early writes exchanges.har itself.
    let written = (|| {
        write("junit.xml", &vb365_conformance::report::junit::render(&outcomes, strict))?;
        write("cucumber.json", &vb365_conformance::report::cucumber_json::render(&outcomes, strict))?;
        write("signoff.md", &signoff.markdown())?;
        write("signoff.html", &signoff.html())?;
        let results = report_dir.join("results.json");
        let run = json!({
            "verdict": signoff.verdict.title(),
            "verdict_of": if on_double { "double" } else { "server" },
            "exit_status": exit_status,
            "target": target,
            "settings": settings_json,
            "restores_made": signoff.info.restores_made,
            "suite": suite,
            "date": date,
            "server_version": server_version,
            "known_deviations": signoff.tally.known,
            "regression": signoff.regression.to_json(),
            "cells": signoff.cells_json(),
        });
        write_results(&results, &run, &outcomes)
            .map_err(|e| Stop::NotRun(format!("cannot write {}: {e}", results.display())))
    })();
    let har = har.join();
    written?;
    har.map_err(|_| Stop::NotRun("exchanges.har could not be made".into()))?
        .map_err(|e| Stop::NotRun(e.to_string()))?;
    println!("reports: {} (signoff.html, signoff.md, junit.xml, cucumber.json, results.json)", report_dir.display());
    if on_double {
        println!(
            "verdict: {}: the suite and its embedded double, not a server. {}",
            signoff.headline(),
            signoff.meaning()
        );
    } else {
        println!("verdict: {} ({})", signoff.headline(), signoff.meaning());
    }
    for line in signoff.regression.lines() {
        println!("{}", scrub(&line));
    }
    if signoff.tally.known > 0 {
        println!("{} known deviations (VB365_EXPECTATIONS): not counted as failed", signoff.tally.known);
    }
    for reason in signoff.exit_reasons(&filters) {
        println!("{}", scrub(&reason));
    }
    println!("{}", signoff.tally.closing_line());
    Ok(ExitCode::from(exit_status))
}

fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The suite's git revision, captured when it was built (build.rs): "+modified" when its working
/// tree differed, "unknown" when it was built without git.
fn git_revision() -> String {
    env!("VB365_GIT_REVISION").to_owned()
}

/// `VB365_FEATURES_DIR`, a folder of the user's own feature files (relative to the working
/// folder), or empty: the feature files built into the binary.
fn features_dir() -> Result<PathBuf, Stop> {
    let Some(dir) = std::env::var("VB365_FEATURES_DIR").ok().filter(|dir| !dir.trim().is_empty()) else {
        return Ok(PathBuf::new());
    };
    let path = PathBuf::from(&dir);
    if !path.is_dir() {
        return Err(Stop::NotRun(format!(
            "VB365_FEATURES_DIR: {dir} is not a folder (unset it to run the built-in feature files)"
        )));
    }
    Ok(path)
}

/// Steps report failures as errors, which cucumber turns into panics and shows, redacted; the
/// default hook would print them a second time. Any other panic is a bug: one line.
fn set_panic_hook() {
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
        (Target::Live(url), None) => json!({
            "kind": "live",
            "url": url,
            "api_version": settings.api_version.name(),
            "summary": format!("target: {url} (live server), API {}", settings.api_version),
        }),
        (Target::Double, _) => json!({
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
