//! The `merge` command's work: read each results.json given, write merged.json, merged.md and
//! merged.html to the report folder, say the verdict. Exit status 0 only when every run is
//! accepted, 1 otherwise, 2 when a file cannot be read (one line each, naming it) or the reports
//! cannot be written; nothing is merged then, and an earlier merged view is removed.

use std::path::Path;

use super::{Unreadable, merge, parse};
use crate::report::files::{remove_report, write_report};

/// The merged view's reports, in the report folder.
pub const MERGED_REPORTS: [&str; 3] = ["merged.html", "merged.md", "merged.json"];

/// Merges the results.json files `args` into `dir`; answers the exit status.
pub fn command(args: &[String], dir: &Path) -> u8 {
    let fail = |lines: Vec<String>| {
        for line in lines {
            eprintln!("vb365-conformance merge: {line}");
        }
        // No merged view left that looks like this one's.
        for name in MERGED_REPORTS {
            let _ = remove_report(dir, name);
        }
        2
    };
    if args.is_empty() {
        return fail(vec!["no results.json given (usage: vb365-conformance merge RESULTS.json...)".into()]);
    }
    let mut rows = Vec::new();
    let mut unreadable = Vec::new();
    for (index, file) in args.iter().enumerate() {
        let read = std::fs::read_to_string(file)
            .map_err(|error| Unreadable { file: file.clone(), why: error.to_string() })
            .and_then(|text| parse(&text, file, index + 1));
        match read {
            Ok(found) => rows.extend(found),
            Err(problem) => unreadable.push(problem.to_string()),
        }
    }
    if !unreadable.is_empty() {
        return fail(unreadable);
    }
    let merged = merge(rows);
    let json = serde_json::to_string_pretty(&merged.json()).unwrap_or_default();
    let written = std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot write to the report folder {} (VB365_REPORT_DIR): {error}", dir.display()))
        .and_then(|()| {
            [("merged.html", merged.html()), ("merged.md", merged.markdown()), ("merged.json", json)]
                .iter()
                .try_for_each(|(name, text)| write_report(dir, name, text))
                .map_err(|error| error.to_string())
        });
    if let Err(problem) = written {
        return fail(vec![problem]);
    }
    for row in &merged.rows {
        println!(
            "{}: {} ({}, {}): {} ({} restores made)",
            row.label(),
            row.target,
            row.suite,
            row.date,
            row.verdict,
            row.restores_made
        );
    }
    let differing = merged.matrix.iter().filter(|row| row.differs).count();
    println!("{differing} of {} requirements differ between runs", merged.matrix.len());
    println!("reports: {} ({})", dir.display(), MERGED_REPORTS.join(", "));
    if let Some(note) = merged.double_note() {
        println!("{note}");
    }
    println!("verdict: {} ({})", merged.verdict, merged.meaning());
    merged.exit_status()
}
