//! The reports of a whole server: one run that checked several API versions of the same server
//! (`VB365_API_VERSION=all`, or a list). Each version is judged as a run of its own (its own
//! sign-off, in a folder named after it); the server's verdict is the worst of theirs
//! ([`Verdict::of_versions`]), and its sign-off sets the requirements against the versions.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::html::{STYLE, verdict_class};
use super::matrix::CellState;
use super::results::RunFacts;
use super::signoff::SignOff;
use super::verdict::Verdict;
use super::{ScenarioOutcome, Tally, escape};
use crate::contract::requirements;
use crate::contract::version::ApiVersion;

/// One API version's part of the run: its sign-off and its scenarios' outcomes.
pub struct VersionRun {
    pub version: ApiVersion,
    pub signoff: SignOff,
    pub outcomes: Vec<ScenarioOutcome>,
    /// Its results.json document (`results::judged`, with its own settings and target), without
    /// its scenarios.
    pub document: Value,
}

/// Each version's outcomes, each named with its version (`[v6] ...`) and located under the
/// version's folder: how a whole-server run's own reports list its scenarios, whether it finished
/// or stopped part-way.
pub fn labelled<'a>(versions: impl IntoIterator<Item = (ApiVersion, &'a [ScenarioOutcome])>) -> Vec<ScenarioOutcome> {
    let label = |version: ApiVersion, outcome: &ScenarioOutcome| ScenarioOutcome {
        feature: format!("[{version}] {}", outcome.feature),
        scenario: format!("[{version}] {}", outcome.scenario),
        location: format!("{version}/{}", outcome.location),
        ..outcome.clone()
    };
    versions.into_iter().flat_map(|(version, outcomes)| outcomes.iter().map(move |o| label(version, o))).collect()
}

/// A server checked in several API versions.
pub struct WholeServer {
    pub versions: Vec<VersionRun>,
    /// Versions asked for in which no scenario ran (the filters matched none of theirs).
    pub left_out: Vec<ApiVersion>,
    verdict: Verdict,
}

impl WholeServer {
    pub fn new(versions: Vec<VersionRun>, left_out: Vec<ApiVersion>) -> WholeServer {
        let verdicts: Vec<Verdict> = versions.iter().map(|run| run.signoff.verdict()).collect();
        WholeServer { verdict: Verdict::of_versions(&verdicts), versions, left_out }
    }

    /// The sentence that names the versions left out, if any.
    fn left_out_sentence(&self) -> Option<String> {
        let names: Vec<&str> = self.left_out.iter().map(|version| version.name()).collect();
        (!names.is_empty()).then(|| format!("Left out: {}, where the filters matched no scenario.", names.join(", ")))
    }

    /// The server's one verdict, which every report, the console and the exit status read.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn on_double(&self) -> bool {
        self.versions.iter().any(|run| run.signoff.info.on_double)
    }

    pub fn headline(&self) -> String {
        let title = self.verdict.title();
        if self.on_double() { format!("{title} (double)") } else { title.to_owned() }
    }

    fn names(&self) -> String {
        self.versions.iter().map(|run| run.version.name()).collect::<Vec<_>>().join(", ")
    }

    /// Every version's scenarios together.
    pub fn tally(&self) -> Tally {
        self.versions.iter().fold(Tally::default(), |sum, run| {
            let tally = &run.signoff.tally;
            Tally {
                passed: sum.passed + tally.passed,
                failed: sum.failed + tally.failed,
                skipped: sum.skipped + tally.skipped,
                known: sum.known + tally.known,
            }
        })
    }

    pub fn restores_made(&self) -> usize {
        self.versions.iter().map(|run| run.signoff.info.restores_made).sum()
    }

    /// Every version's outcomes, labelled ([`labelled`]), for results.json, JUnit and Cucumber JSON.
    pub fn labelled_outcomes(&self) -> Vec<ScenarioOutcome> {
        labelled(self.versions.iter().map(|run| (run.version, run.outcomes.as_slice())))
    }

    /// Each requirement's state in each version (`None` where it does not apply): the worst of
    /// its cells there.
    fn matrix(&self) -> Vec<(&'static requirements::Requirement, Vec<Option<CellState>>)> {
        requirements::all()
            .iter()
            .filter(|requirement| self.versions.iter().any(|run| requirement.applies_to(run.version)))
            .map(|requirement| {
                let states = self
                    .versions
                    .iter()
                    .map(|run| {
                        let row = run.signoff.rows.iter().find(|row| row.requirement.id == requirement.id)?;
                        Some(CellState::worst(row.cells.iter().map(|cell| cell.state)))
                    })
                    .collect();
                (requirement, states)
            })
            .collect()
    }

    /// results.json: the server's verdict, then each version's document (its verdict, restores
    /// made and cells); the scenarios of every version follow, labelled, at the top level.
    pub fn results(&self, facts: &RunFacts) -> Value {
        let versions: Vec<Value> = self
            .versions
            .iter()
            .map(|run| {
                let mut document = run.document.clone();
                document["api_version"] = run.version.name().into();
                document
            })
            .collect();
        let signoff = self.versions.first().map(|run| &run.signoff);
        json!({
            "verdict": self.verdict.title(),
            "verdict_of": if self.on_double() { "double" } else { "server" },
            "exit_status": self.verdict.exit_status(),
            "api_versions": self.versions.iter().map(|run| run.version.name()).collect::<Vec<_>>(),
            "api_versions_left_out": self.left_out.iter().map(|version| version.name()).collect::<Vec<_>>(),
            "target": facts.target,
            "settings": facts.settings,
            "restores_made": self.restores_made(),
            "suite": facts.suite,
            "date": signoff.map(|s| s.info.date.clone()),
            "server_version": facts.server_version,
            "versions": versions,
        })
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Sign-off: {}\n", self.headline());
        let _ = writeln!(
            out,
            "**{}**: {}. API versions checked: {}.\n",
            self.verdict.title(),
            self.meaning(),
            self.names()
        );
        if let Some(sentence) = self.left_out_sentence() {
            let _ = writeln!(out, "{sentence}\n");
        }
        let _ = writeln!(
            out,
            "| API version | Verdict | Scenarios | Restores made | Sign-off |\n| --- | --- | --- | --- | --- |"
        );
        for run in &self.versions {
            let version = run.version;
            let _ = writeln!(
                out,
                "| {version} | {} | {} | {} | [{version}/signoff.md]({version}/signoff.md) |",
                run.signoff.headline(),
                run.signoff.tally.closing_line(),
                run.signoff.info.restores_made
            );
        }
        let _ = writeln!(out, "\nIn all: {}; {} restores made.\n", self.tally().closing_line(), self.restores_made());
        let _ = writeln!(out, "## Requirements by API version\n");
        let header: Vec<&str> = self.versions.iter().map(|run| run.version.name()).collect();
        let _ = writeln!(out, "| Requirement | Level | {} |", header.join(" | "));
        let _ = writeln!(out, "| --- | --- |{}", " --- |".repeat(header.len()));
        for (requirement, states) in self.matrix() {
            let words: Vec<&str> = states.iter().map(|state| state.map_or("n/a", CellState::word)).collect();
            let _ = writeln!(out, "| {} | {} | {} |", requirement.id, requirement.level.tag(), words.join(" | "));
        }
        out
    }

    pub fn html(&self) -> String {
        let mut out = String::new();
        let headline = escape(&self.headline());
        let class = verdict_class(self.verdict, self.on_double());
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-off: {headline}</title><style>{STYLE}</style></head><body>\n<section class=\"verdict {class}\" id=\"verdict\"><h1>{headline}</h1><p>{}. API versions checked: {}.</p><p>{}</p></section>\n",
            escape(&self.meaning()),
            self.names(),
            escape(&self.tally().closing_line())
        );
        if let Some(sentence) = self.left_out_sentence() {
            let _ = writeln!(out, "<p>{}</p>", escape(&sentence));
        }
        out.push_str("<table><tr><th>API version</th><th>Verdict</th><th>Scenarios</th><th>Restores made</th><th>Sign-off</th></tr>\n");
        for run in &self.versions {
            let version = run.version;
            let _ = writeln!(
                out,
                "<tr><td>{version}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{version}/signoff.html\">{version}/signoff.html</a></td></tr>",
                escape(&run.signoff.headline()),
                escape(&run.signoff.tally.closing_line()),
                run.signoff.info.restores_made
            );
        }
        out.push_str("</table>\n<h2>Requirements by API version</h2>\n<table class=\"matrix\"><tr><th>Requirement</th><th>Level</th>");
        for run in &self.versions {
            let _ = write!(out, "<th>{}</th>", run.version);
        }
        out.push_str("</tr>\n");
        for (requirement, states) in self.matrix() {
            let _ = write!(
                out,
                "<tr><td><span class=\"id\">{}</span> {}</td><td>{}</td>",
                escape(&requirement.id),
                escape(&requirement.summary),
                requirement.level.tag()
            );
            for state in states {
                let (class, word) = state.map_or(("none", "n/a"), |s| (s.class(), s.word()));
                let _ = write!(out, "<td class=\"cell {class}\">{word}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n</body></html>\n");
        out
    }

    /// What the verdict means, in one sentence without its full stop, as a run of one version says it.
    pub fn meaning(&self) -> String {
        let versions: Vec<(ApiVersion, &SignOff)> =
            self.versions.iter().map(|run| (run.version, &run.signoff)).collect();
        SignOff::meaning_of_versions(self.verdict, &versions)
    }
}
