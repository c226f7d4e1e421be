//! The reports of a run that did not judge the server: it could not start (a bad argument or
//! setting, a setup problem, filters that matched no scenario: NOT RUN, exit status 2), it
//! stopped on a setup problem found after scenarios had run (STOPPED, exit status 2), or it was
//! interrupted (INTERRUPTED, exit status 130 or 143). The sign-off and `results.json` say so
//! with the reason, the scenarios that ran and the restores made; cucumber's reports of an
//! earlier run are removed, so nothing in the report folder reads as a verdict on the server.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use super::files::{ReportError, SCENARIO_REPORTS, remove_report, write_report};
use super::verdict::Verdict;
use super::{ScenarioOutcome, Tally, write_results};

/// What the reports of a run without a verdict say.
#[derive(Clone, Debug)]
pub struct UnfinishedRun {
    /// NOT RUN, STOPPED or INTERRUPTED.
    pub verdict: Verdict,
    /// Why, in one line (redacted when written).
    pub reason: String,
    /// The target as far as it is known, in one line; `target` of `results.json`.
    pub target: String,
    pub target_json: serde_json::Value,
    pub date: String,
    pub suite: String,
    /// The settings as far as they could be read; never a secret value.
    pub settings: Vec<(String, String)>,
    /// Scenarios that had finished when the run stopped or was interrupted.
    pub outcomes: Vec<ScenarioOutcome>,
    /// Restore requests answered with a success status: on a live server, real restores.
    pub restores_made: usize,
}

impl UnfinishedRun {
    /// The reports it writes in the report folder (exchanges.har is the runner's).
    pub const REPORTS: [&str; 3] = ["signoff.html", "signoff.md", "results.json"];

    /// Writes signoff.md, signoff.html and results.json, and removes junit.xml and
    /// cucumber.json, in `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), ReportError> {
        debug_assert!(self.verdict.unfinished(), "{:?} judges the server", self.verdict);
        for name in SCENARIO_REPORTS {
            remove_report(dir, name)?;
        }
        write_report(dir, "signoff.md", &self.markdown())?;
        write_report(dir, "signoff.html", &self.html())?;
        let settings: serde_json::Map<String, serde_json::Value> =
            self.settings.iter().map(|(name, value)| (name.clone(), value.clone().into())).collect();
        let run = json!({
            "verdict": self.verdict.title(),
            "reason": self.reason,
            "exit_status": self.verdict.exit_status(),
            "restores_made": self.restores_made,
            "target": self.target_json,
            "settings": settings,
            "suite": self.suite,
            "date": self.date,
        });
        let path = dir.join("results.json");
        write_results(&path, &run, &self.outcomes).map_err(|error| ReportError { path, error })
    }

    fn facts(&self) -> Vec<(&'static str, String)> {
        let mut facts = vec![
            ("Reason", self.reason.clone()),
            ("Exit status", self.verdict.exit_status().to_string()),
            ("Target", self.target.clone()),
            ("Date", self.date.clone()),
            ("Suite", self.suite.clone()),
            ("Restores made", format!("{} (restore requests answered with a success status)", self.restores_made)),
        ];
        if self.verdict != Verdict::NotRun {
            let ran = format!("{} ({})", self.outcomes.len(), Tally::of(&self.outcomes).closing_line());
            facts.push(("Scenarios that ran", ran));
        }
        facts
    }

    /// The scenarios that ran, one line each: name, location and how it ended.
    fn scenario_lines(&self) -> Vec<String> {
        self.outcomes.iter().map(|o| format!("{} ({}): {}", o.scenario, o.location, o.status.name())).collect()
    }

    pub fn markdown(&self) -> String {
        let cell = |text: &str| text.replace('|', "/").replace('\n', " ");
        let mut out = String::new();
        let title = self.verdict.title();
        let _ = writeln!(out, "# Sign-off: {title}\n\n**{title}**: {}.\n", self.verdict.meaning());
        let _ = writeln!(out, "| | |\n| --- | --- |");
        for (name, value) in self.facts() {
            let _ = writeln!(out, "| {name} | {} |", cell(&value));
        }
        let _ = writeln!(out, "\n## Settings\n\n| Setting | Value |\n| --- | --- |");
        for (name, value) in &self.settings {
            let _ = writeln!(out, "| `{name}` | {} |", cell(value));
        }
        let lines = self.scenario_lines();
        if !lines.is_empty() {
            let _ = writeln!(out, "\n## Scenarios that ran\n");
            for line in lines {
                let _ = writeln!(out, "- {}", cell(&line));
            }
        }
        out
    }

    pub fn html(&self) -> String {
        let title = self.verdict.title();
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-off: {title}</title><style>body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }} .verdict {{ border-left: 6px solid #6e7781; padding: .5rem 1rem; background: #f6f8fa; }} td, th {{ text-align: left; padding: .2rem .6rem; vertical-align: top; }}</style></head><body>\n<section class=\"verdict v-unfinished\" id=\"verdict\"><h1>{title}</h1><p>{}.</p></section>\n<table><tbody>\n",
            escape(self.verdict.meaning())
        );
        for (name, value) in self.facts() {
            let _ = writeln!(out, "<tr><th>{name}</th><td>{}</td></tr>", escape(&value));
        }
        out.push_str("</tbody></table>\n<h2>Settings</h2>\n<table><tbody>\n");
        for (name, value) in &self.settings {
            let _ = writeln!(out, "<tr><th><code>{}</code></th><td>{}</td></tr>", escape(name), escape(value));
        }
        out.push_str("</tbody></table>\n");
        let lines = self.scenario_lines();
        if !lines.is_empty() {
            out.push_str("<h2>Scenarios that ran</h2>\n<ul>\n");
            for line in lines {
                let _ = writeln!(out, "<li>{}</li>", escape(&line));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</body></html>\n");
        out
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
