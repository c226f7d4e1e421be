//! The reports of a run that did not end with a verdict: it could not start (a bad argument or
//! setting, a setup problem, filters that matched no scenario: NOT RUN, exit status 2) or it was
//! interrupted (INTERRUPTED, exit status 130 or 143). The sign-off and `results.json` say so
//! with the reason; cucumber's reports of an earlier run are removed, so nothing in the report
//! folder reads as a verdict on the server.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use super::files::{ReportError, SCENARIO_REPORTS, remove_report, write_report};
use super::{ScenarioOutcome, Tally, write_results};

/// How a run without a verdict ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfinished {
    /// It could not start; exit status 2.
    NotRun,
    /// Ctrl-C (130) or SIGTERM (143).
    Interrupted(u8),
}

impl Unfinished {
    /// The `verdict` of `results.json` and the sign-off's title.
    pub fn title(self) -> &'static str {
        match self {
            Unfinished::NotRun => "NOT RUN",
            Unfinished::Interrupted(_) => "INTERRUPTED",
        }
    }

    pub fn exit_status(self) -> u8 {
        match self {
            Unfinished::NotRun => 2,
            Unfinished::Interrupted(code) => code,
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Unfinished::NotRun => {
                "The run could not start: no requirement was checked. This is no verdict on the server"
            }
            Unfinished::Interrupted(_) => "The run was interrupted before it ended. This is no verdict on the server",
        }
    }
}

/// What the reports of a run without a verdict say.
#[derive(Clone, Debug)]
pub struct UnfinishedRun {
    pub how: Unfinished,
    /// Why, in one line (redacted when written).
    pub reason: String,
    /// The target as far as it is known, in one line; `target` of `results.json`.
    pub target: String,
    pub target_json: serde_json::Value,
    pub date: String,
    pub suite: String,
    /// The settings as far as they could be read; never a secret value.
    pub settings: Vec<(String, String)>,
    /// Scenarios that had finished when the run was interrupted.
    pub outcomes: Vec<ScenarioOutcome>,
}

impl UnfinishedRun {
    /// Writes signoff.md, signoff.html and results.json, and removes junit.xml and
    /// cucumber.json, in `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), ReportError> {
        for name in SCENARIO_REPORTS {
            remove_report(dir, name)?;
        }
        write_report(dir, "signoff.md", &self.markdown())?;
        write_report(dir, "signoff.html", &self.html())?;
        let settings: serde_json::Map<String, serde_json::Value> =
            self.settings.iter().map(|(name, value)| (name.clone(), value.clone().into())).collect();
        let run = json!({
            "verdict": self.how.title(),
            "reason": self.reason,
            "exit_status": self.how.exit_status(),
            "target": self.target_json,
            "settings": settings,
        });
        let path = dir.join("results.json");
        write_results(&path, &run, &self.outcomes).map_err(|error| ReportError { path, error })
    }

    fn facts(&self) -> Vec<(&'static str, String)> {
        let mut facts = vec![
            ("Reason", self.reason.clone()),
            ("Exit status", self.how.exit_status().to_string()),
            ("Target", self.target.clone()),
            ("Date", self.date.clone()),
            ("Suite", self.suite.clone()),
        ];
        if let Unfinished::Interrupted(_) = self.how {
            facts.push(("Scenarios finished", Tally::of(&self.outcomes).closing_line()));
        }
        facts
    }

    pub fn markdown(&self) -> String {
        let cell = |text: &str| text.replace('|', "/").replace('\n', " ");
        let mut out = String::new();
        let title = self.how.title();
        let _ = writeln!(out, "# Sign-off: {title}\n\n**{title}**: {}.\n", self.how.meaning());
        let _ = writeln!(out, "| | |\n| --- | --- |");
        for (name, value) in self.facts() {
            let _ = writeln!(out, "| {name} | {} |", cell(&value));
        }
        let _ = writeln!(out, "\n## Settings\n\n| Setting | Value |\n| --- | --- |");
        for (name, value) in &self.settings {
            let _ = writeln!(out, "| `{name}` | {} |", cell(value));
        }
        out
    }

    pub fn html(&self) -> String {
        let title = self.how.title();
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-off: {title}</title><style>body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }} .verdict {{ border-left: 6px solid #6e7781; padding: .5rem 1rem; background: #f6f8fa; }} td, th {{ text-align: left; padding: .2rem .6rem; vertical-align: top; }}</style></head><body>\n<section class=\"verdict v-unfinished\" id=\"verdict\"><h1>{title}</h1><p>{}.</p></section>\n<table><tbody>\n",
            escape(self.how.meaning())
        );
        for (name, value) in self.facts() {
            let _ = writeln!(out, "<tr><th>{name}</th><td>{}</td></tr>", escape(&value));
        }
        out.push_str("</tbody></table>\n<h2>Settings</h2>\n<table><tbody>\n");
        for (name, value) in &self.settings {
            let _ = writeln!(out, "<tr><th><code>{}</code></th><td>{}</td></tr>", escape(name), escape(value));
        }
        out.push_str("</tbody></table>\n</body></html>\n");
        out
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
