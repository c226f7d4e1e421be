//! The merged view's reports: merged.json for tools, merged.md and merged.html for people. Each
//! says the overall verdict first, then one row per run, then the requirements x runs matrix
//! with the cells that differ between runs marked.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{MatrixRow, Merged};
use crate::contract::requirements;
use crate::report::escape;
use crate::report::html::{STYLE, verdict_class};
use crate::report::markdown::cell_text;

/// What marks a cell that differs between runs, in Markdown.
const DIFFERS: &str = "≠";

impl Merged {
    /// The heading's words: the verdict, and `(double)` when every run checked the double.
    pub fn headline(&self) -> String {
        let all_double = !self.rows.is_empty() && self.on_double().len() == self.rows.len();
        format!("{}{}", self.verdict, if all_double { " (double)" } else { "" })
    }

    /// A note when some runs checked the double, whose verdict is on the suite, not a server.
    pub fn double_note(&self) -> Option<String> {
        let double = self.on_double();
        (!double.is_empty()).then(|| {
            let labels: Vec<String> = double.iter().map(|row| row.label()).collect();
            format!(
                "Runs against the embedded double ({}) check the suite and its double, not a server.",
                labels.join(", ")
            )
        })
    }

    fn differing(&self) -> Vec<&MatrixRow> {
        self.matrix.iter().filter(|row| row.differs).collect()
    }

    /// merged.json.
    pub fn json(&self) -> Value {
        let runs: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                json!({
                    "run": row.run,
                    "file": row.file,
                    "target": row.target,
                    "api_version": row.api_version,
                    "suite": row.suite,
                    "date": row.date,
                    "verdict": row.verdict.title(),
                    "verdict_of": if row.on_double { "double" } else { "server" },
                    "restores_made": row.restores_made,
                })
            })
            .collect();
        let matrix: Vec<Value> = self
            .matrix
            .iter()
            .map(|row| {
                let cells: Vec<Value> =
                    row.cells.iter().map(|cell| cell.as_ref().map(|c| c.text.clone()).into()).collect();
                json!({ "requirement": row.requirement, "level": row.level, "cells": cells, "differs": row.differs })
            })
            .collect();
        json!({
            "verdict": self.verdict.title(),
            "exit_status": self.exit_status(),
            "meaning": self.meaning(),
            "restores_made": self.restores_made(),
            "runs": runs,
            "requirements": matrix,
        })
    }

    /// merged.md.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Merged sign-off: {}\n", self.headline());
        let _ = writeln!(out, "**{}**: {}. {}\n", self.verdict, self.meaning(), ACCEPTED_WHEN);
        if let Some(note) = self.double_note() {
            let _ = writeln!(out, "{note}\n");
        }
        let _ = writeln!(out, "## Runs\n");
        let _ = writeln!(out, "| Run | Target | API version | Suite | When | Verdict | Restores made | File |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| #{} | {} | {} | {} | {} | **{}** | {} | {} |",
                row.run,
                cell_text(&row.target),
                row.api_version,
                cell_text(&row.suite),
                row.date,
                row.verdict,
                row.restores_made,
                cell_text(&row.file)
            );
        }
        let _ = writeln!(out, "\nRestores made, all runs: {}.\n", self.restores_made());
        let _ = writeln!(out, "## Requirements by run\n");
        let _ = writeln!(
            out,
            "{} marks the cells of a requirement whose runs disagree ({} of {}).\n",
            DIFFERS,
            self.differing().len(),
            self.matrix.len()
        );
        let _ = write!(out, "| Requirement | Level |");
        for row in &self.rows {
            let _ = write!(out, " {} |", row.label());
        }
        let _ = write!(out, "\n| --- | --- |");
        for _ in &self.rows {
            let _ = write!(out, " --- |");
        }
        let _ = writeln!(out);
        for row in &self.matrix {
            let _ = write!(out, "| {} | {} |", row.requirement, row.level);
            for cell in &row.cells {
                let _ = match cell {
                    Some(cell) if row.differs => write!(out, " **{}** {DIFFERS} |", cell_text(&cell.text)),
                    Some(cell) => write!(out, " {} |", cell_text(&cell.text)),
                    None => write!(out, " |"),
                };
            }
            let _ = writeln!(out);
        }
        let differing = self.differing();
        if !differing.is_empty() {
            let _ = writeln!(out, "\n## Cells that differ between runs\n");
            for row in differing {
                let _ = writeln!(out, "- {} ({}): {}", row.requirement, row.level, self.cells_by_run(row).join("; "));
            }
        }
        out
    }

    /// A matrix row's cells, each with its run's label.
    fn cells_by_run(&self, row: &MatrixRow) -> Vec<String> {
        self.rows
            .iter()
            .zip(&row.cells)
            .filter_map(|(run, cell)| cell.as_ref().map(|cell| format!("{} {}", run.label(), cell.text)))
            .collect()
    }

    /// merged.html: one self-contained page, in the sign-off's style.
    pub fn html(&self) -> String {
        let all_double = self.headline().ends_with("(double)");
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Merged sign-off: {}</title><style>{STYLE}{MERGED_STYLE}</style></head><body>\n",
            escape(&self.headline())
        );
        let _ = writeln!(
            out,
            "<section class=\"verdict {}\" id=\"verdict\"><h1>{}</h1><p>{}.</p><p>{}</p>{}</section>",
            verdict_class(self.verdict, all_double),
            escape(&self.headline()),
            escape(&self.meaning()),
            ACCEPTED_WHEN,
            self.double_note().map(|note| format!("<p>{}</p>", escape(&note))).unwrap_or_default()
        );
        let _ = write!(
            out,
            "<h2>Runs</h2>\n<table><thead><tr><th>Run</th><th>Target</th><th>API version</th><th>Suite</th><th>When</th><th>Verdict</th><th>Restores made</th><th>File</th></tr></thead><tbody>\n"
        );
        for row in &self.rows {
            let _ = writeln!(
                out,
                "<tr><td>#{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"cell {}\">{}</td><td>{}</td><td><code>{}</code></td></tr>",
                row.run,
                escape(&row.target),
                escape(&row.api_version),
                escape(&row.suite),
                escape(&row.date),
                if row.verdict.passes() { "pass" } else { "fail" },
                escape(row.verdict.title()),
                row.restores_made,
                escape(&row.file)
            );
        }
        let _ = writeln!(out, "</tbody></table>\n<p>Restores made, all runs: {}.</p>", self.restores_made());
        let _ = writeln!(
            out,
            "<h2>Requirements by run</h2>\n<p>Outlined cells, marked {DIFFERS}, belong to a requirement whose runs disagree ({} of {}).</p>",
            self.differing().len(),
            self.matrix.len()
        );
        let _ = write!(out, "<table class=\"merged\"><thead><tr><th>Requirement</th><th>Level</th>");
        for row in &self.rows {
            let _ = write!(out, "<th>{}</th>", escape(&row.label()));
        }
        let _ = writeln!(out, "</tr></thead><tbody>");
        for row in &self.matrix {
            let summary = requirements::find(&row.requirement).map(|r| r.summary.as_str()).unwrap_or_default();
            let _ = write!(
                out,
                "<tr{}><td><span class=\"id\">{}</span> {}</td><td>{}</td>",
                if row.differs { " class=\"differs\"" } else { "" },
                escape(&row.requirement),
                escape(summary),
                escape(&row.level)
            );
            for cell in &row.cells {
                let _ = match cell {
                    Some(cell) => {
                        let class = cell.state.map_or("skip", |state| state.class());
                        let (differs, mark) =
                            if row.differs { (" differs", format!(" {DIFFERS}")) } else { Default::default() };
                        write!(out, "<td class=\"cell {class}{differs}\">{}{mark}</td>", escape(&cell.text))
                    }
                    None => write!(out, "<td class=\"cell none\"></td>"),
                };
            }
            let _ = writeln!(out, "</tr>");
        }
        let _ = writeln!(out, "</tbody></table>\n</body></html>");
        out
    }
}

/// The rule of the overall verdict, in every report.
const ACCEPTED_WHEN: &str = "The merged verdict is the worst run's: ACCEPTED only when every run is ACCEPTED, a word that starts with ACCEPTED only when every run's does.";

const MERGED_STYLE: &str = "
.merged td.cell { white-space: normal; }
td.cell.differs { outline: 3px solid #bf3989; outline-offset: -3px; }
tr.differs td:first-child { border-left: 4px solid #bf3989; }
";

#[cfg(test)]
mod tests {
    use super::super::merge;
    use super::super::tests::{accepted, rejected};

    #[test]
    fn every_report_marks_the_cells_that_differ_and_gives_the_overall_verdict() {
        let merged = merge(vec![accepted(1), rejected(2)]);
        let markdown = merged.markdown();
        assert!(markdown.starts_with("# Merged sign-off: REJECTED (double)\n"), "{markdown}");
        assert!(
            markdown.contains("| BODY-COUNTS | must | **pass** ≠ | **FAIL (user name and password)** ≠ |"),
            "{markdown}"
        );
        assert!(markdown.contains("| OP-RESTORE | must | pass | pass |"), "{markdown}");
        assert!(
            markdown.contains("- BODY-COUNTS (must): #1 v6 pass; #2 v7 FAIL (user name and password)"),
            "{markdown}"
        );
        let html = merged.html();
        assert!(html.contains("<h1>REJECTED (double)</h1>"), "{html}");
        assert!(html.contains("<td class=\"cell fail differs\">FAIL (user name and password) ≠</td>"), "{html}");
        assert!(html.contains("<td class=\"cell pass\">pass</td><td class=\"cell pass\">pass</td>"), "{html}");
        let json = merged.json();
        assert_eq!(json["verdict"], "REJECTED");
        assert_eq!(json["exit_status"], 1);
        let body_counts =
            json["requirements"].as_array().unwrap().iter().find(|r| r["requirement"] == "BODY-COUNTS").unwrap();
        assert_eq!(body_counts["differs"], true);
        assert_eq!(body_counts["cells"][1], "FAIL (user name and password)");
        assert_eq!(json["runs"][1]["api_version"], "v7");
        assert_eq!(json["runs"][1]["verdict"], "REJECTED");
    }

    #[test]
    fn runs_that_agree_mark_no_cell() {
        let merged = merge(vec![accepted(1), accepted(2)]);
        assert!(!merged.markdown().contains("≠ |"), "{}", merged.markdown());
        assert!(!merged.html().contains(" differs\""), "{}", merged.html());
        assert!(merged.markdown().contains("(0 of 2)"), "{}", merged.markdown());
        assert_eq!(merged.headline(), "ACCEPTED (double)");
    }
}
