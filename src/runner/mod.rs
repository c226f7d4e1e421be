//! The conformance suite's runner, the library's top layer: reads its arguments and settings, prepares a live target (or
//! leaves each scenario its own double), runs the feature files with cucumber, stops the
//! restore session it started, writes the reports and ends with `N passed, N failed, N skipped`.
//!
//! The exit status is the verdict's (report::verdict): 0 exactly for the ACCEPTED words; 1 when
//! the server is not accepted, each reason on a line of its own before the closing line; 2 when
//! the run could not start or stopped on a setup problem; 130 (Ctrl-C) or 143 (SIGTERM) when
//! interrupted. `--help` touches no report; every other ending leaves reports of this run only.

mod cli;
mod ending;
mod evidence;
mod finish;
mod help;
mod interruption;
mod ledger;
mod parser;
mod preflight;
mod recorded;
mod regression;
mod run;
mod scenario;
mod steps;
mod target;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::client::ApiClient;
use crate::report::signoff::{RunInfo, SignOff};
use cucumber::{World as _, WriterExt as _};
use serde_json::json;

use crate::contract::requirements;
use crate::secrets::scrub;
use crate::suite::settings::Target;
use crate::suite::setup::Setup;
use ledger::Ledger;

use run::{HTTP, LIVE, SETTINGS};
use world::RestoreWorld;

/// What the reports of a run that ends early can say about it: as much as was known.
pub struct Context {
    report_dir: PathBuf,
    /// Whether the report folder takes files (found before the first request).
    report_writable: bool,
    target: serde_json::Value,
    settings: Vec<(String, String)>,
}

/// Why a run ended without judging the server.
pub enum Stop {
    /// It could not start: each problem in one line.
    NotRun(Vec<String>),
    /// A setup problem found after scenarios had run.
    Stopped(String),
    Interrupted(u8, String),
}

impl Stop {
    fn not_run(problem: impl Into<String>) -> Stop {
        Stop::NotRun(vec![problem.into()])
    }
}

/// The binary's whole work (`src/bin/vb365-conformance.rs` only calls this): the exit status.
#[tokio::main]
pub async fn main() -> ExitCode {
    let mut context = Context {
        report_dir: preflight::report_dir(),
        report_writable: true,
        target: json!({ "kind": "unknown", "summary": "not known: the run stopped before it was chosen" }),
        settings: Vec::new(),
    };
    let ledger = Ledger::new();
    match run(&mut context, &ledger).await {
        Ok(code) => ExitCode::from(code),
        Err(stop) => ExitCode::from(ending::end(stop, &context, &ledger)),
    }
}

async fn run(context: &mut Context, ledger: &Ledger) -> Result<u8, Stop> {
    // `merge RESULTS.json...` is a command of its own: it runs nothing.
    if let Some(code) = cli::merge() {
        return Ok(code);
    }
    // The arguments first: --help and --version only print; a bad argument is a setup error.
    if help::asked(&["--version", "-V"]) {
        println!("{}", help::version());
        return Ok(0);
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
        cli::Parsed::Shown => return Ok(0),
        cli::Parsed::Bad(message) => return Err(Stop::not_run(message)),
    };
    let cucumber = cucumber.with_cli(opts);
    let filters = cli::filters();

    // Interrupted (Ctrl-C, or SIGTERM as CI sends when it cancels), at any point: stop the restore
    // session the suite started, then exit.
    let interrupted = interruption::interruption();
    tokio::pin!(interrupted);

    // Everything the run needs, before its first request.
    let preflight::Ready { settings, features, http, regression } = preflight::check(context)?;
    let report_dir = settings.report_dir.clone();

    // Against a live server, every setup problem shows before any scenario runs.
    let live = match &settings.target {
        Target::Live(url) => {
            let client = ApiClient::new(http.clone(), url, settings.api_version, settings.timeout);
            tokio::select! {
                setup = Setup::prepare(&settings, client) => Some(setup.map_err(|e| Stop::not_run(e.to_string()))?),
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
    let target = target::describe(&settings, live.as_ref());
    context.target = target.clone();
    let summary = target["summary"].as_str().unwrap_or_default().to_owned();
    if settings.target == Target::Double {
        println!("{summary}: a check of the suite and its double, not of any server (set VB365_BASE_URL to check one)");
    } else {
        println!("{summary}");
    }
    let strict = settings.strict;
    let settings_used = settings.describe();
    SETTINGS.set(settings).map_err(|_| Stop::not_run("settings were read twice"))?;
    HTTP.set(http).map_err(|_| Stop::not_run("the HTTP client was built twice"))?;
    if let Some(live) = &live {
        LIVE.set(live.clone()).map_err(|_| Stop::not_run("the live target was prepared twice"))?;
    }

    set_panic_hook();
    std::thread::spawn(crate::contract::schema::Document::compile_all);
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
    // The operator's own credentials refused: found only once scenarios ran and restores may
    // have been made, so the run stopped, it did not fail to start.
    if let Some(refused) = crate::suite::restore::refused_configured_credentials() {
        return Err(Stop::Stopped(refused));
    }

    let outcomes = ledger.outcomes();
    let parse_errors = ledger.parse_errors();
    for error in &parse_errors {
        eprintln!("vb365-conformance: cannot parse a feature file: {error}");
    }
    if outcomes.is_empty() && parse_errors.is_empty() {
        let by = if filters.is_empty() { "--tags, --name or --input".to_owned() } else { filters };
        return Err(Stop::not_run(format!("no scenario ran: {by} matched none")));
    }
    let double_only = std::mem::take(&mut *parser::DOUBLE_ONLY.lock().unwrap_or_else(|p| p.into_inner()));
    if !double_only.is_empty() {
        println!("{} scenarios were left out, not checked on this server (the sign-off says why)", double_only.len());
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
        restores_made: crate::suite::restore::restores_made(),
        evidence: evidence::by_scenario(),
    };
    let suite = format!("vb365-conformance {} (git {})", env!("CARGO_PKG_VERSION"), info.git_revision);
    let today = info.date[..10.min(info.date.len())].to_owned();
    let mut outcomes = outcomes;
    regression.apply(&mut outcomes, &today);
    print!("{}", crate::report::console::summary(&outcomes));
    // The one verdict, judged once on the outcomes, the baseline and the expectations.
    let signoff = SignOff::judged(info, &outcomes, |signoff| {
        regression.judge(signoff, (&suite, server_version.as_deref(), &target), &today)
    });
    let facts = finish::Facts {
        target: &target,
        settings: settings_used.into_iter().map(|(name, value)| (name.to_owned(), value.into())).collect(),
        suite: &suite,
        server_version: server_version.as_deref(),
    };
    if let Err(stop) = finish::write_reports(&report_dir, &signoff, &outcomes, facts) {
        // Said once, by the ending: writing again would fail again.
        context.report_writable = false;
        return Err(stop);
    }
    Ok(finish::say(&report_dir, &signoff, &filters))
}

pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The suite's git revision, captured when it was built (build.rs): "+modified" when its working
/// tree differed, "unknown" when it was built without git.
pub fn git_revision() -> String {
    env!("VB365_GIT_REVISION").to_owned()
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
