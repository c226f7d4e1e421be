//! The end of a run that judged the server: every report written from the sign-off's one
//! verdict, then the console's last lines: the reports, the verdict, the comparison with a
//! baseline, every reason for a non-zero exit, the known deviations, and the closing line.

use std::path::Path;

use crate::report::files::{REPORTS, write_report, write_scrubbed};
use crate::report::results::{self, RunFacts};
use crate::report::signoff::SignOff;
use crate::report::{ScenarioOutcome, cucumber_json, junit, write_results};
use crate::secrets::scrub;

use crate::runner::run::Run;
use crate::runner::{Stop, evidence};

/// Writes every report of the run to `dir`, exchanges.har on a thread of its own meanwhile
/// (it was a run's last fifth on 2 cores).
pub fn write_reports(
    dir: &Path,
    signoff: &SignOff,
    outcomes: &[ScenarioOutcome],
    facts: RunFacts,
    of: &Run,
) -> Result<(), Stop> {
    let har = {
        let (dir, run) = (dir.to_path_buf(), of.clone());
        std::thread::spawn(move || {
            write_scrubbed(&dir, "exchanges.har", &evidence::exchanges_har(Some(run.http()), Some(&run)))
        })
    };
    let strict = signoff.info.strict;
    let verdict = signoff.verdict();
    let failed = |error: String| Stop::Stopped(error);
    let write = |name: &str, text: &str| write_report(dir, name, text).map_err(|e| failed(e.to_string()));
    // Every report, then exchanges.har's thread joined whatever happened to them.
    let written = (|| {
        write("junit.xml", &junit::render(outcomes, strict, verdict))?;
        write("cucumber.json", &cucumber_json::render(outcomes, strict))?;
        write("signoff.md", &signoff.markdown())?;
        write("signoff.html", &signoff.html())?;
        let results = dir.join("results.json");
        let run = results::judged(signoff, &facts);
        write_results(&results, &run, outcomes).map_err(|e| failed(format!("cannot write {}: {e}", results.display())))
    })();
    let har = har.join();
    written?;
    har.map_err(|_| failed("exchanges.har could not be made".into()))?.map_err(|e| failed(e.to_string()))
}

/// The console's last lines, the closing line last; answers the exit status, the verdict's.
pub fn say(dir: &Path, signoff: &SignOff, filters: &str) -> u8 {
    println!("reports: {} ({})", dir.display(), REPORTS.join(", "));
    if signoff.info.on_double {
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
    for reason in signoff.exit_reasons(filters) {
        println!("{}", scrub(&reason));
    }
    if let Some(line) = signoff.tally.known_line() {
        println!("{line}");
    }
    println!("{}", signoff.tally.closing_line());
    signoff.verdict().exit_status()
}
