//! The conformance suite's runner: reads the settings, runs the feature files with cucumber,
//! writes the reports and ends with `N passed, N failed, N skipped`.
//!
//! Exit status: 0 when every @must scenario passed (and, with VB365_STRICT=1, every @should
//! scenario too and nothing was skipped); 1 when one did not; 2 when the run could not start.

mod parser;
mod steps;
mod world;

use std::fs::File;
use std::path::Path;
use std::process::ExitCode;

use cucumber::{World as _, WriterExt as _, writer};
use vb365_conformance::report::{Ledger, Tally, run_succeeded, write_results};
use vb365_conformance::requirements;
use vb365_conformance::settings::Settings;

use world::{HTTP, RestoreWorld, SETTINGS};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("vb365-conformance: {}", vb365_conformance::secrets::scrub(&message));
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<ExitCode, String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let report_dir = settings.report_dir.clone();
    let strict = settings.strict;
    let http = vb365_conformance::client::http_client(settings.timeout).map_err(|e| e.to_string())?;
    SETTINGS.set(settings).map_err(|_| "settings were read twice")?;
    HTTP.set(http).map_err(|_| "the HTTP client was built twice")?;

    std::fs::create_dir_all(&report_dir)
        .map_err(|e| format!("cannot create the report folder {} (VB365_REPORT_DIR): {e}", report_dir.display()))?;
    let create = |name: &str| {
        let path = report_dir.join(name);
        File::create(&path).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let junit = create("junit.xml")?;
    let json = create("cucumber.json")?;

    // Steps report failures as errors; cucumber shows their (redacted) text. The default panic
    // hook would print them a second time, unredacted by cucumber's writers.
    std::panic::set_hook(Box::new(|_| {}));

    let ledger = Ledger::new();
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    RestoreWorld::cucumber::<std::path::PathBuf>()
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
                .tee::<RestoreWorld, _>(ledger.clone())
                .normalized(),
        )
        .run(features)
        .await;
    let _ = std::panic::take_hook();

    let outcomes = ledger.outcomes();
    let parse_errors = ledger.parse_errors();
    for error in &parse_errors {
        eprintln!("vb365-conformance: cannot parse a feature file: {error}");
    }
    let results = report_dir.join("results.json");
    write_results(&results, &outcomes).map_err(|e| format!("cannot write {}: {e}", results.display()))?;
    println!("reports: {} (junit.xml, cucumber.json, results.json)", report_dir.display());
    println!("{}", Tally::of(&outcomes).closing_line());
    Ok(if run_succeeded(&outcomes, parse_errors.len(), strict) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
