//! The sign-off report as one self-contained HTML page: no external assets, verdict first,
//! every cell a colour and a word, failures linked from the matrix.

use std::fmt::Write as _;

use super::escape;

use super::signoff::{COLUMNS, CellState, SignOff, Verdict};

/// Markdown's `code` spans as HTML.
fn code_spans(text: &str) -> String {
    let mut out = String::new();
    for (index, part) in text.split('`').enumerate() {
        if index % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The sign-off's style sheet; the merged and whole-server views add their own rules to it.
pub(super) const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 76rem; padding: 0 1rem; color: #1b1f24; }
.verdict { padding: 1.2rem 1.5rem; border-radius: 8px; color: #fff; margin-bottom: 1.5rem; }
.verdict h1 { margin: 0 0 .3rem; font-size: 2rem; letter-spacing: .03em; }
.verdict p { margin: 0; font-size: 1.05rem; }
.v-accepted { background: #1a7f37; } .v-warnings { background: #9a6700; } .v-incomplete { background: #57606a; } .v-rejected { background: #cf222e; }
.v-double { background: #0969da; } .v-known { background: #8250df; }
td.known { background: #fbefff; color: #6e40c9; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; table-layout: auto; }
td { overflow-wrap: break-word; }
.matrix { table-layout: fixed; }
.matrix th:first-child { width: 42%; } .matrix th:nth-child(2) { width: 8%; }
.matrix th:nth-child(n+3) { width: 12.5%; }
.matrix td.cell { white-space: normal; }
code { font-family: ui-monospace, monospace; font-size: .92em; }
ol.reasons { font-size: .92rem; color: #424a53; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { font-size: 10px; margin: 0; max-width: none; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  td.cell, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  pre { white-space: pre-wrap; font-size: 9px; }
  tr, .failure { page-break-inside: avoid; }
}
th, td { border: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.cell { white-space: nowrap; font-weight: 600; }
td.pass { background: #dafbe1; color: #116329; } td.fail { background: #ffebe9; color: #a40e26; }
td.warn { background: #fff8c5; color: #7d4e00; } td.skip { background: #eaeef2; color: #424a53; white-space: normal; font-weight: 400; }
td.na { background: #ddf4ff; color: #0a3069; } td.none { color: #8c959f; font-weight: 400; }
td.cell a { color: inherit; }
.id { font-family: ui-monospace, monospace; font-weight: 600; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; white-space: pre-wrap; }
.failure { border-left: 4px solid #cf222e; padding-left: .8rem; margin-bottom: 1rem; }
.failure.should { border-color: #9a6700; }
";

/// The colour of a verdict's banner (its CSS class).
pub(super) fn verdict_class(verdict: Verdict, on_double: bool) -> &'static str {
    match verdict {
        // A verdict on the suite and its double, never the green of an accepted server.
        verdict if verdict.passes() && on_double => "v-double",
        Verdict::Accepted => "v-accepted",
        Verdict::AcceptedWithKnownDeviations => "v-known",
        Verdict::AcceptedWithWarnings | Verdict::AcceptedWithBaselineFailures => "v-warnings",
        Verdict::AcceptedAsFarAsChecked | Verdict::Incomplete => "v-incomplete",
        // Not accepted: the red of a rejection, whatever the reason.
        _ => "v-rejected",
    }
}

pub fn render(report: &SignOff) -> String {
    let info = &report.info;
    let verdict_class = verdict_class(report.verdict, info.on_double);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-off: {}</title><style>{STYLE}</style></head><body>\n",
        escape(&report.headline())
    );
    let _ = write!(
        out,
        "<section class=\"verdict {verdict_class}\" id=\"verdict\"><h1>{}</h1><p>{}.</p><p>{}</p>{}</section>\n",
        escape(&report.headline()),
        escape(&report.meaning()),
        escape(&report.tally.closing_line()),
        report
            .not_checked_sentence()
            .map(|sentence| format!("<p id=\"not-checked\">{}</p>", escape(&sentence)))
            .into_iter()
            .chain(report.verdict_notes().iter().map(|note| format!("<p>{}</p>", code_spans(&escape(note)))))
            .collect::<String>()
    );
    let _ = write!(out, "<table><tbody>\n");
    let facts = [
        (
            "Operation",
            "POST /{version}/RestoreSessions/{restoreSessionId}/organization/mailboxes/{mailboxId}/restore".to_owned(),
        ),
        ("Target", info.target.clone()),
        ("Date", info.date.clone()),
        ("Suite", format!("vb365-conformance {} (git {})", info.suite_version, info.git_revision)),
        ("Restores made", report.restores_made()),
        (
            "Requirements checked",
            format!(
                "must {}/{}, should {}/{}",
                report.must.checked, report.must.total, report.should.checked, report.should.total
            ),
        ),
        ("Mode", if info.strict { "strict (VB365_STRICT=1)".into() } else { "normal".into() }),
    ];
    for (name, value) in facts {
        let _ = writeln!(out, "<tr><th>{name}</th><td>{}</td></tr>", escape(&value));
    }
    let _ = write!(out, "</tbody></table>\n");
    let regression = report.regression_lines();
    if !regression.is_empty() {
        let _ = write!(out, "<h2>Compared with the baseline, and known deviations</h2><ul>");
        for line in regression {
            let _ = write!(out, "<li>{}</li>", escape(&line));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = write!(
        out,
        "<h2>Requirements by credential variant</h2>\n<table class=\"matrix\"><thead><tr><th>Requirement</th><th>Level</th>"
    );
    for (_, title) in COLUMNS {
        let _ = write!(out, "<th>{}</th>", escape(title));
    }
    let _ = write!(out, "</tr></thead><tbody>\n");
    for row in &report.rows {
        let _ = write!(
            out,
            "<tr><td><span class=\"id\">{}</span> {}</td><td>{}</td>",
            escape(&row.requirement.id),
            escape(&row.requirement.summary),
            row.requirement.level.tag()
        );
        for cell in &row.cells {
            let text = match (cell.state, cell.failure, &cell.reason) {
                (CellState::Fail | CellState::Warn, Some(n), _) => {
                    format!("<a href=\"#failure-{n}\">{} (#{n})</a>", cell.state.word())
                }
                (CellState::Skip, _, Some(reason)) => {
                    let n = report.skip_reason_number(reason);
                    format!("<a href=\"#skip-{n}\">skipped ({n})</a>")
                }
                (CellState::DoubleOnly, _, _) => format!("<a href=\"#not-checked\">{}</a>", cell.state.word()),
                _ => escape(cell.state.word()),
            };
            let title = cell.reason.as_deref().map(|r| format!(" title=\"{}\"", escape(r))).unwrap_or_default();
            let _ = write!(out, "<td class=\"cell {}\"{title}>{text}</td>", cell.state.class());
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = write!(out, "</tbody></table>\n");
    let reasons = report.skip_reasons();
    if !reasons.is_empty() {
        let _ = write!(out, "<p>Why cells were skipped:</p><ol class=\"reasons\">");
        for (index, reason) in reasons.iter().enumerate() {
            let _ = write!(out, "<li id=\"skip-{}\">{}</li>", index + 1, escape(reason));
        }
        let _ = writeln!(out, "</ol>");
    }
    let _ = write!(out, "<h2>Failures</h2>\n");
    if report.failures.is_empty() {
        let _ = writeln!(out, "<p>None.</p>");
    }
    for (index, cause) in report.causes().iter().enumerate() {
        let should = cause.failures.iter().all(|(_, f)| f.level() == crate::contract::requirements::Level::Should);
        let _ = write!(
            out,
            "<div class=\"failure{}\"><h3>Cause {}: {}</h3><pre>{}</pre><ul>",
            if should { " should" } else { "" },
            index + 1,
            escape(&report.cause_title(cause)),
            escape(cause.example)
        );
        for (n, failure) in &cause.failures {
            let _ = write!(
                out,
                "<li id=\"failure-{n}\">#{n} {} <small>({}, {}){}</small></li>",
                escape(&failure.scenario),
                escape(&failure.location),
                failure.level().tag(),
                escape(&report.evidence_of(failure))
            );
        }
        let _ = writeln!(out, "</ul></div>");
    }
    if !info.double_only.is_empty() {
        let _ = write!(out, "<h2>Scenarios a live run leaves out</h2><ul>");
        for scenario in &info.double_only {
            let why = scenario.message.as_deref().unwrap_or_default();
            let (name, location) = (escape(&scenario.scenario), escape(&scenario.location));
            let _ = write!(out, "<li>{name} ({location}): {}</li>", escape(why));
        }
        let _ = writeln!(out, "</ul>");
    }
    for error in &info.parse_errors {
        let _ = writeln!(out, "<p>Feature file error: {}</p>", escape(error));
    }
    let _ = write!(out, "<h2>Settings used</h2>\n<table><tbody>\n");
    for (name, value) in &info.settings {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", escape(name), escape(value));
    }
    let _ = writeln!(out, "</tbody></table>\n</body></html>");
    out
}

impl SignOff {
    pub fn html(&self) -> String {
        render(self)
    }
}
