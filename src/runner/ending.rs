//! The end of a run that did not judge the server: NOT RUN (it could not start), STOPPED (a
//! setup problem found after scenarios ran) or INTERRUPTED. Each problem is said once, on
//! stderr; the reports say the same, with the scenarios that ran and the restores made, unless
//! the report folder cannot be written (found before the first request).

use crate::report::files::write_scrubbed;
use crate::report::unfinished::UnfinishedRun;
use crate::report::verdict::{Signal, Verdict};
use crate::secrets::scrub;

use crate::runner::ledger::Ledger;
use crate::runner::{Context, Stop, evidence};

/// Writes the reports of a run that ended with `stop`, says so on the console, and answers the
/// exit status.
pub fn end(stop: Stop, context: &Context, ledger: &Ledger) -> u8 {
    let (verdict, reason) = match stop {
        Stop::NotRun(problems) => {
            for problem in &problems {
                eprintln!("vb365-conformance: {}", scrub(problem));
            }
            (Verdict::NotRun, problems.join("; "))
        }
        Stop::Stopped(reason) => {
            eprintln!("vb365-conformance: {}", scrub(&reason));
            (Verdict::Stopped, reason)
        }
        Stop::Interrupted(code, reason) => {
            let signal = if code == 143 { Signal::Terminate } else { Signal::CtrlC };
            (Verdict::Interrupted(signal), reason)
        }
    };
    let report = UnfinishedRun {
        verdict,
        reason: scrub(&reason),
        target: context.target_line.clone(),
        target_json: context.target.clone(),
        date: crate::runner::now(),
        suite: crate::runner::suite(),
        settings: context.settings.clone(),
        outcomes: match &context.whole {
            _ if verdict == Verdict::NotRun => Vec::new(),
            // Each named with its version, as a finished whole-server run names it.
            Some(whole) => whole.outcomes(&ledger.outcomes()),
            None => ledger.outcomes(),
        },
        restores_made: context.earlier_restores + context.run.as_ref().map_or(0, |run| run.restores().made()),
    };
    let dir = &context.report_dir;
    let mut summary = report.reason.clone();
    if verdict != Verdict::NotRun {
        summary.push_str(&format!("; {} scenarios ran, {} restores made", report.outcomes.len(), report.restores_made));
    }
    if !context.report_writable {
        // Said once already, as a problem: no report can be written.
        println!("verdict: {verdict} ({summary}; no report written)");
        return verdict.exit_status();
    }
    let written = report.write(dir).map_err(|error| error.to_string()).and_then(|()| {
        write_scrubbed(dir, "exchanges.har", &evidence::exchanges_har(context.http.as_ref(), context.run.as_ref()))
            .map_err(|error| error.to_string())
    });
    match written {
        Ok(()) => {
            let names: Vec<&str> = UnfinishedRun::REPORTS.into_iter().chain(["exchanges.har"]).collect();
            println!("reports: {} ({})", dir.display(), names.join(", "));
            println!("verdict: {verdict} ({summary})");
        }
        Err(error) => {
            eprintln!("vb365-conformance: {}", scrub(&error));
            println!("verdict: {verdict} ({summary}; no report written)");
        }
    }
    verdict.exit_status()
}
