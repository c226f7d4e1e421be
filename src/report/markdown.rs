//! The sign-off report as Markdown.

use std::fmt::Write as _;

use super::signoff::{COLUMNS, CellState, SignOff};

/// A table cell's text without characters that would break the table.
pub(super) fn cell_text(text: &str) -> String {
    text.replace('|', "/").replace('\n', " ")
}

pub fn render(report: &SignOff) -> String {
    let info = &report.info;
    let mut out = String::new();
    let _ = writeln!(out, "# Sign-off: {}\n", report.headline());
    let _ = writeln!(out, "**{}**: {}.\n", report.verdict.title(), report.meaning());
    if let Some(sentence) = report.not_checked_sentence() {
        let _ = writeln!(out, "{sentence}\n");
    }
    for note in report.verdict_notes() {
        let _ = writeln!(out, "{note}\n");
    }
    let _ = writeln!(out, "| | |\n| --- | --- |");
    let _ = writeln!(
        out,
        "| Operation | `POST /{{version}}/RestoreSessions/{{restoreSessionId}}/organization/mailboxes/{{mailboxId}}/restore` |"
    );
    let _ = writeln!(out, "| Target | {} |", cell_text(&info.target));
    let _ = writeln!(out, "| Date | {} |", info.date);
    let _ = writeln!(out, "| Suite | vb365-conformance {} (git {}) |", info.suite_version, info.git_revision);
    let _ = writeln!(out, "| Scenarios | {} |", report.tally.closing_line());
    let _ = writeln!(out, "| Restores made | {} |", report.restores_made());
    let _ = writeln!(
        out,
        "| Requirements checked | must {}/{}, should {}/{} |",
        report.must.checked, report.must.total, report.should.checked, report.should.total
    );
    let _ = writeln!(out, "| Mode | {} |", if info.strict { "strict (VB365_STRICT=1)" } else { "normal" });
    let regression = report.regression_lines();
    if !regression.is_empty() {
        let _ = writeln!(out, "\n## Compared with the baseline, and known deviations\n");
        for line in regression {
            let _ = writeln!(out, "- {}", cell_text(&line));
        }
    }
    let _ = writeln!(out, "\n## Settings used\n\n| Setting | Value |\n| --- | --- |");
    for (name, value) in &info.settings {
        let _ = writeln!(out, "| {name} | {} |", cell_text(value));
    }
    let _ = writeln!(out, "\n## Requirements by credential variant\n");
    let _ = write!(out, "| Requirement | Level |");
    for (_, title) in COLUMNS {
        let _ = write!(out, " {title} |");
    }
    let _ = write!(out, "\n| --- | --- |");
    for _ in COLUMNS {
        let _ = write!(out, " --- |");
    }
    let _ = writeln!(out);
    for row in &report.rows {
        let _ = write!(
            out,
            "| **{}** {} | {} |",
            row.requirement.id,
            cell_text(&row.requirement.summary),
            row.requirement.level.tag()
        );
        for cell in &row.cells {
            let text = match (cell.state, cell.failure, &cell.reason) {
                (CellState::Fail | CellState::Warn, Some(n), _) => {
                    format!("{} ([#{n}](#failure-{n}))", cell.state.word())
                }
                (CellState::Skip, _, Some(reason)) => format!("skipped ({})", report.skip_reason_number(reason)),
                _ => cell.state.word().to_owned(),
            };
            let _ = write!(out, " {text} |");
        }
        let _ = writeln!(out);
    }
    let reasons = report.skip_reasons();
    if !reasons.is_empty() {
        let _ = writeln!(out, "\nWhy cells were skipped:\n");
        for (index, reason) in reasons.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", index + 1, cell_text(reason));
        }
    }
    let _ = writeln!(out, "\n## Failures\n");
    if report.failures.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for (index, cause) in report.causes().iter().enumerate() {
        let _ =
            writeln!(out, "### Cause {}: {}\n\n```\n{}\n```\n", index + 1, report.cause_title(cause), cause.example);
        for (n, failure) in &cause.failures {
            let _ = writeln!(
                out,
                "- <a id=\"failure-{n}\"></a>#{n} {} ({}, {}){}",
                failure.scenario,
                failure.location,
                failure.level().tag(),
                report.evidence_of(failure)
            );
        }
        let _ = writeln!(out);
    }
    if !info.double_only.is_empty() {
        let _ = writeln!(out, "\n## Scenarios a live run leaves out\n");
        for scenario in &info.double_only {
            let why = scenario.message.as_deref().unwrap_or_default();
            let _ = writeln!(out, "- {} ({}): {why}", scenario.scenario, scenario.location);
        }
    }
    for error in &info.parse_errors {
        let _ = writeln!(out, "\nFeature file error: {error}");
    }
    out
}

impl SignOff {
    pub fn markdown(&self) -> String {
        render(self)
    }
}
