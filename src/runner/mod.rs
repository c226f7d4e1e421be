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
mod regression;
mod run;
mod scenario;
mod steps;
mod target;
mod whole;
mod world;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;

use crate::client::{ApiClient, Http};
use crate::report::ScenarioOutcome;
use crate::report::signoff::{RunInfo, SignOff};
use cucumber::{World as _, WriterExt as _};
use serde_json::json;

use crate::contract::requirements;
use crate::secrets::scrub;
use crate::suite::settings::{Settings, Target};
use crate::suite::setup::{Setup, StartedSession};
use ledger::Ledger;

use run::Run;
use world::RestoreWorld;

/// What the reports of a run that ends early can say about it: as much as was known.
pub struct Context {
    report_dir: PathBuf,
    /// Whether the report folder takes files (found before the first request).
    report_writable: bool,
    target: serde_json::Value,
    /// The target in one line, as the reports name it.
    target_line: String,
    settings: Vec<(String, String)>,
    /// The run's HTTP clients once built: their round trips are the evidence of any ending.
    http: Option<Http>,
    /// The run once prepared: its restores made and which scenario each round trip served (in a
    /// whole-server run, the version running).
    run: Option<Run>,
    /// In a whole-server run, the restores of the versions that ran before the one running.
    earlier_restores: usize,
    /// In a whole-server run, its versions so far: the scenarios its reports name, labelled.
    whole: Option<whole::SoFar>,
    /// The restore session the run started and has not stopped yet (stopped when interrupted).
    started: StartedSession,
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

/// Resolves with the exit status when the run is interrupted (Ctrl-C, or SIGTERM as CI sends
/// when it cancels).
type Interrupted = Pin<Box<dyn Future<Output = u8>>>;

/// The binary's whole work (`src/bin/vb365-conformance.rs` only calls this): the exit status.
#[tokio::main]
pub async fn main() -> ExitCode {
    let mut context = Context {
        report_dir: preflight::report_dir(),
        report_writable: true,
        target: json!({ "kind": "unknown", "summary": "not known: the run stopped before it was chosen" }),
        target_line: "not known: the run stopped before it was chosen".to_owned(),
        settings: Vec::new(),
        http: None,
        run: None,
        earlier_restores: 0,
        whole: None,
        started: StartedSession::default(),
    };
    let ledger = Ledger::new();
    match run(&mut context, &ledger).await {
        Ok(code) => ExitCode::from(code),
        Err(stop) => ExitCode::from(ending::end(stop, &context, &ledger)),
    }
}

/// The run's phases: the arguments, the target prepared, the scenarios, the session closed, the
/// verdict and the reports.
async fn run(context: &mut Context, ledger: &Ledger) -> Result<u8, Stop> {
    // `merge RESULTS.json...` is a command of its own: it runs nothing.
    if let Some(code) = cli::merge() {
        return Ok(code);
    }
    let Some(options) = arguments()? else { return Ok(0) };
    let filters = cli::filters();
    // Interrupted at any point: the restore session the suite started is stopped, then it exits.
    let mut interrupted: Interrupted = Box::pin(interruption::interruption());
    let ready = preflight::check(context)?;
    if ready.settings.api_versions.len() > 1 {
        return whole::run(context, ledger, ready, options, &filters, &mut interrupted).await;
    }
    whole::clear_earlier_versions(&ready.settings.report_dir, &[]);
    let prepared = prepare(context, ready.settings, ready.http, &mut interrupted).await?;
    let run = prepared.run.clone();
    scenarios(&run, options, &ready.features, ledger, &mut interrupted).await?;
    close(&run).await?;
    let ran = Ran { outcomes: ledger.outcomes(), parse_errors: ledger.parse_errors() };
    let (signoff, outcomes) = judge(&run, &prepared, &ready.regression, ran, &filters)?;
    interrupted_by_now(&mut interrupted, &context.started, "as the run ended").await?;
    let report_dir = run.settings().report_dir.clone();
    let facts = prepared.facts(&prepared.target);
    if let Err(stop) = finish::write_reports(&report_dir, &signoff, &outcomes, facts, &run) {
        // Said once, by the ending: writing again would fail again.
        context.report_writable = false;
        return Err(stop);
    }
    interrupted_by_now(&mut interrupted, &context.started, "as its reports were written").await?;
    Ok(finish::say(&report_dir, &signoff, &filters))
}

/// A signal that came after the scenarios (while sessions were stopped, the verdict made or the
/// reports written) ends the run as INTERRUPTED, as at any other point: the ending writes the
/// reports again, so that they and the exit status say the same (a shell that sent Ctrl-C
/// learns the run was interrupted, and stops its script).
async fn interrupted_by_now(interrupted: &mut Interrupted, started: &StartedSession, when: &str) -> Result<(), Stop> {
    use futures::FutureExt as _;
    match interrupted.now_or_never() {
        Some(code) => Err(interruption::stop_and_exit(code, when, started).await),
        None => Ok(()),
    }
}

/// cucumber's options for the run; `None` when only help or the version was asked for.
fn arguments() -> Result<Option<cli::Options>, Stop> {
    if help::asked(&["--version", "-V"]) {
        println!("{}", help::version());
        return Ok(None);
    }
    if help::asked(&["--help", "-h"]) {
        print!("{}", help::suite_help());
    }
    match cli::parse() {
        cli::Parsed::Run(options) => Ok(Some(options)),
        cli::Parsed::Shown => Ok(None),
        cli::Parsed::Bad(message) => Err(Stop::not_run(message)),
    }
}

/// The run made ready: its shared state, and what the reports say of the target.
struct Prepared {
    run: Run,
    target: serde_json::Value,
    /// The target in one line.
    line: String,
    server_version: Option<String>,
    suite: String,
}

impl Prepared {
    /// What results.json says of the run besides its verdict, naming `target`.
    fn facts<'a>(&'a self, target: &'a serde_json::Value) -> crate::report::RunFacts<'a> {
        let settings = self.run.settings().describe().into_iter().map(|(name, value)| (name.to_owned(), value.into()));
        crate::report::RunFacts {
            target,
            settings: settings.collect(),
            suite: &self.suite,
            server_version: self.server_version.as_deref(),
        }
    }
}

/// Everything the run needs, before its first request; against a live server, every setup
/// problem shows before any scenario runs.
async fn prepare(
    context: &mut Context,
    settings: Settings,
    http: Http,
    interrupted: &mut Interrupted,
) -> Result<Prepared, Stop> {
    context.http = Some(http.clone());
    let live = match &settings.target {
        Target::Live(url) => {
            let client = ApiClient::new(http.clone(), url, settings.api_version, settings.timeout);
            tokio::select! {
                setup = Setup::prepare(&settings, client, &context.started) => Some(setup.map_err(|e| Stop::not_run(e.to_string()))?),
                code = interrupted => return Err(interruption::stop_and_exit(code, "during setup", &context.started).await),
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
    let target::Described { json: target, line } = target::describe(&settings, live.as_ref());
    (context.target, context.target_line) = (target.clone(), line.clone());
    let summary = format!("target: {line}");
    if settings.target == Target::Double {
        println!("{summary}: a check of the suite and its double, not of any server (set VB365_BASE_URL to check one)");
    } else {
        println!("{summary}");
    }
    let run = Run::new(settings, http, live, context.started.clone());
    context.run = Some(run.clone());
    let suite = suite();
    Ok(Prepared { run, target, line, server_version, suite })
}

/// Runs the feature files with cucumber; the ledger records each scenario.
async fn scenarios(
    run: &Run,
    options: cli::Options,
    features: &std::path::Path,
    ledger: &Ledger,
    interrupted: &mut Interrupted,
) -> Result<(), Stop> {
    let handed = run.clone();
    let cucumber = RestoreWorld::cucumber::<PathBuf>()
        .with_parser(parser::PlannedParser { basic: Default::default(), run: run.clone() })
        .before(move |feature, _, scenario, world| {
            let run = handed.clone();
            Box::pin(async move {
                world.run = Some(run);
                world.requirements =
                    scenario.tags.iter().filter(|tag| requirements::find(tag).is_some()).cloned().collect();
                world.location = scenario::location(feature, scenario);
            })
        })
        // The ledger records each scenario and shows it on the console; every report is built
        // from what it recorded.
        .with_writer(ledger.of(run.clone()).normalized())
        .with_cli(options);
    set_panic_hook();
    std::thread::spawn(crate::contract::schema::Document::compile_all);
    tokio::select! {
        _ = cucumber.run(features.to_path_buf()) => {},
        code = interrupted => return Err(interruption::stop_and_exit(code, "while scenarios ran", run.started()).await),
    };
    let _ = std::panic::take_hook();
    Ok(())
}

/// The restore session the suite started is stopped whatever happened to the scenarios (with a
/// token renewed as needed: the run may have outlived the first). The operator's own
/// credentials refused: found only once scenarios ran and restores may have been made, so the
/// run stopped, it did not fail to start.
async fn close(run: &Run) -> Result<(), Stop> {
    if let Some(live) = run.live() {
        if let Err(error) = run.started().stop_one(live).await {
            let session = &live.session_id;
            eprintln!("vb365-conformance: could not stop restore session {session}: {}", scrub(&error.to_string()));
        }
    }
    match run.restores().refused_configured_credentials() {
        Some(refused) => Err(Stop::Stopped(refused)),
        None => Ok(()),
    }
}

/// What the scenarios of a run left: their outcomes, and the feature files that could not be
/// parsed.
struct Ran {
    outcomes: Vec<ScenarioOutcome>,
    parse_errors: Vec<String>,
}

/// The one verdict, judged once on the outcomes, the baseline and the expectations; with the
/// outcomes as the baseline and the expectations left them.
fn judge(
    run: &Run,
    prepared: &Prepared,
    regression: &regression::Inputs,
    ran: Ran,
    filters: &str,
) -> Result<(SignOff, Vec<ScenarioOutcome>), Stop> {
    let Ran { mut outcomes, parse_errors } = ran;
    for error in &parse_errors {
        eprintln!("vb365-conformance: cannot parse a feature file: {error}");
    }
    if outcomes.is_empty() && parse_errors.is_empty() {
        let by = if filters.is_empty() { "--tags, --name or --input" } else { filters };
        return Err(Stop::not_run(format!("no scenario ran: {by} matched none")));
    }
    let plan = std::mem::take(&mut *run.plan());
    if !plan.left_out.is_empty() {
        println!("{} scenarios were left out, not checked on this server (the sign-off says why)", plan.left_out.len());
    }
    let ran: std::collections::HashSet<&str> = outcomes.iter().map(|o| o.location.as_str()).collect();
    let not_run: Vec<_> = plan.planned.into_iter().filter(|planned| !ran.contains(planned.location.as_str())).collect();
    let settings = run.settings();
    let info = RunInfo {
        target: prepared.line.clone(),
        date: now(),
        suite_version: env!("CARGO_PKG_VERSION").to_owned(),
        git_revision: git_revision(),
        settings: settings.describe().into_iter().map(|(name, value)| (name.to_owned(), value)).collect(),
        strict: settings.strict,
        version: settings.api_version,
        double_only: plan.left_out,
        not_run,
        on_double: settings.target == Target::Double,
        parse_errors,
        restores_made: run.restores().made(),
        evidence: evidence::by_scenario(run),
    };
    let today = info.date[..10.min(info.date.len())].to_owned();
    regression.apply(&mut outcomes, &today);
    print!("{}", crate::report::console::summary(&outcomes));
    let facts = (&*prepared.suite, prepared.server_version.as_deref(), &prepared.target);
    let signoff = SignOff::judged(info, &outcomes, |signoff| regression.judge(signoff, facts, &today));
    Ok((signoff, outcomes))
}

pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The suite as the reports name it: `vb365-conformance 0.1.0 (git abc1234)`.
pub fn suite() -> String {
    format!("vb365-conformance {} (git {})", env!("CARGO_PKG_VERSION"), git_revision())
}

/// The suite's git revision, captured when it was built (build.rs): "+modified" when its working
/// tree differed, "unknown" when it was built without git.
pub fn git_revision() -> String {
    env!("SUITE_GIT_REVISION").to_owned()
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
