//! `vb365-conformance merge RESULTS.json...`: many runs (servers, builds, API versions) in one
//! view. Each results.json is read into rows, one per (run, API version) it checked; the rows
//! give a requirements x runs matrix whose cells that differ between runs are marked, and one
//! overall verdict, ACCEPTED only when every run is. Pure functions from text to the merged
//! model (here), its reports (`render`), and the command that reads and writes files
//! (`command`).

mod command;
mod render;

pub use command::{MERGED_REPORTS, command};

use serde_json::Value;

use super::baseline::target_of;
use super::matrix::{COLUMNS, CellState};
use super::verdict::Verdict;
use crate::contract::requirements;

/// One run of one API version, as its results.json says. A whole-server run (several API
/// versions) gives a row per version, with the same `run`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The run's place among the files given, from 1.
    pub run: usize,
    /// The results.json it was read from, as given.
    pub file: String,
    /// The server's URL, or the embedded double.
    pub target: String,
    pub api_version: String,
    pub suite: String,
    /// When it ran (RFC 3339).
    pub date: String,
    pub verdict: Verdict,
    /// Its verdict is on the suite and its double, not on a server.
    pub on_double: bool,
    pub restores_made: u64,
    /// Its matrix cells, in its own order.
    pub cells: Vec<CellRecord>,
}

impl Row {
    /// How the matrix's column and the console name it: `#2 v7`.
    pub fn label(&self) -> String {
        format!("#{} {}", self.run, self.api_version)
    }
}

/// One cell of a run's requirement x credential variant matrix, as results.json keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRecord {
    pub requirement: String,
    pub level: String,
    /// `password`, `device-code`, `certificate` or `none`.
    pub variant: String,
    /// The cell's word (`pass`, `FAIL`, ...).
    pub state: String,
}

/// A file that cannot be merged, with why, in one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub file: String,
    pub why: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot merge {}: {}", self.file, self.why)
    }
}

/// Reads the results.json `text` of `file`, the `run`th file given: a row, or one per API
/// version of a whole-server run (its `versions`).
pub fn parse(text: &str, file: &str, run: usize) -> Result<Vec<Row>, Unreadable> {
    let unreadable = |why: String| Unreadable { file: file.to_owned(), why };
    let results: Value = serde_json::from_str(text).map_err(|error| unreadable(format!("not JSON ({error})")))?;
    if !results.get("verdict").is_some_and(Value::is_string) {
        return Err(unreadable(NOT_OURS.replace("{}", "no verdict")));
    }
    if !results.get("target").is_some_and(Value::is_object) {
        return Err(unreadable(NOT_OURS.replace("{}", "no target")));
    }
    match results.get("versions").and_then(Value::as_array) {
        Some(versions) if versions.is_empty() => Err(NOT_OURS.replace("{}", "a whole-server run without versions")),
        Some(versions) => versions.iter().map(|version| row(version, &results, file, run)).collect(),
        None => row(&results, &results, file, run).map(|row| vec![row]),
    }
    .map_err(unreadable)
}

const NOT_OURS: &str = "not a results.json of vb365-conformance ({})";

/// The row of one API version's document (`results`, or one of a whole-server run's
/// `versions`); `run` is the whole file's.
fn row(results: &Value, run_results: &Value, file: &str, run: usize) -> Result<Row, String> {
    let not_ours = |what: &str| NOT_OURS.replace("{}", what);
    let word = results.get("verdict").and_then(Value::as_str).ok_or_else(|| not_ours("no verdict"))?;
    let verdict = Verdict::from_title(word).ok_or_else(|| not_ours(&format!("unknown verdict {word:?}")))?;
    let text_of = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let cells = match results.get("cells") {
        // A run that did not judge the server has no matrix.
        None => Vec::new(),
        Some(Value::Array(cells)) => cells
            .iter()
            .map(|cell| {
                Some(CellRecord {
                    requirement: text_of(cell, "requirement")?,
                    level: text_of(cell, "level")?,
                    variant: text_of(cell, "variant")?,
                    state: text_of(cell, "state")?,
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| not_ours("a cell without requirement, level, variant or state"))?,
        Some(_) => return Err(not_ours("cells is not a list")),
    };
    let unknown = || "unknown".to_owned();
    let api_version = text_of(results, "api_version")
        .or_else(|| results.pointer("/target/api_version").and_then(Value::as_str).map(str::to_owned));
    Ok(Row {
        run,
        file: file.to_owned(),
        target: target_of(run_results),
        api_version: api_version.unwrap_or_else(unknown),
        suite: text_of(results, "suite").unwrap_or_else(unknown),
        date: text_of(results, "date").unwrap_or_else(unknown),
        verdict,
        on_double: run_results.pointer("/target/kind").and_then(Value::as_str) == Some("double"),
        restores_made: results.get("restores_made").and_then(Value::as_u64).unwrap_or(0),
        cells,
    })
}

/// The merged view: the rows, the requirements x runs matrix and the overall verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub rows: Vec<Row>,
    pub matrix: Vec<MatrixRow>,
    pub verdict: Verdict,
}

/// One requirement across the runs.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRow {
    pub requirement: String,
    pub level: String,
    /// One per row of the merged view, in its order; `None` where that run has no cell for it
    /// (another API version, or a run that did not judge the server).
    pub cells: Vec<Option<Cell>>,
    /// The runs that have a cell for it disagree: every such cell is highlighted.
    pub differs: bool,
}

/// A requirement's cells in one run, summed up over the credential variants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The worst state among its variants, with the variants that have it when not all do:
    /// `pass`, `FAIL (device code)`.
    pub text: String,
    /// The worst state; `None` for a word this suite does not know (a newer suite's).
    pub state: Option<CellState>,
}

/// Position in [`CellState::WORST_FIRST`], an unknown word first (shown rather than hidden).
fn badness(word: &str) -> usize {
    CellState::WORST_FIRST.iter().position(|state| state.word() == word).map_or(0, |i| i + 1)
}

/// A requirement's cells of one run summed up: `None` when the run has none.
fn summed(cells: &[&CellRecord]) -> Option<Cell> {
    let covered: Vec<&&CellRecord> = cells.iter().filter(|cell| cell.state != CellState::NotCovered.word()).collect();
    let Some(worst) = covered.iter().min_by_key(|cell| badness(&cell.state)) else {
        return (!cells.is_empty())
            .then(|| Cell { text: CellState::NotCovered.word().to_owned(), state: Some(CellState::NotCovered) });
    };
    let state = CellState::WORST_FIRST.into_iter().find(|state| state.word() == worst.state);
    let having: Vec<&str> = covered
        .iter()
        .filter(|cell| cell.state == worst.state)
        .map(|cell| {
            COLUMNS.iter().find(|(tag, _)| tag.unwrap_or("none") == cell.variant).map_or(cell.variant.as_str(), |c| c.1)
        })
        .collect();
    let text = if having.len() == covered.len() {
        worst.state.clone()
    } else {
        format!("{} ({})", worst.state, having.join(", "))
    };
    Some(Cell { text, state })
}

/// The merged view of `rows`.
pub fn merge(rows: Vec<Row>) -> Merged {
    // Requirements in the catalogue's order; ones it does not know (another suite's) after.
    let mut ids: Vec<(&str, &str)> = Vec::new();
    for cell in rows.iter().flat_map(|row| &row.cells) {
        if !ids.iter().any(|(id, _)| *id == cell.requirement) {
            ids.push((&cell.requirement, &cell.level));
        }
    }
    let place = |id: &str| requirements::all().iter().position(|r| r.id == id).unwrap_or(usize::MAX);
    ids.sort_by_key(|(id, _)| place(id));
    let matrix = ids
        .into_iter()
        .map(|(id, level)| {
            let cells: Vec<Option<Cell>> = rows
                .iter()
                .map(|row| summed(&row.cells.iter().filter(|cell| cell.requirement == id).collect::<Vec<_>>()))
                .collect();
            let mut texts = cells.iter().flatten().map(|cell| &cell.text);
            let first = texts.next();
            let differs = texts.any(|text| Some(text) != first);
            MatrixRow { requirement: id.to_owned(), level: level.to_owned(), cells, differs }
        })
        .collect();
    let verdict = overall(rows.iter().map(|row| row.verdict));
    Merged { rows, matrix, verdict }
}

/// The verdict of all the runs together: the worst run's ([`Verdict::of_versions`]), so ACCEPTED
/// only when every run is; a run that did not judge its server counts as INCOMPLETE (the merged
/// view has no verdict on that server, and exits 1 for it).
fn overall(verdicts: impl Iterator<Item = Verdict>) -> Verdict {
    let judged: Vec<Verdict> =
        verdicts.map(|verdict| if verdict.unfinished() { Verdict::Incomplete } else { verdict }).collect();
    // No run at all is nothing to accept.
    if judged.is_empty() { Verdict::Incomplete } else { Verdict::of_versions(&judged) }
}

impl Merged {
    /// The merge's exit status: 0 only when every run is accepted, 1 otherwise.
    pub fn exit_status(&self) -> u8 {
        u8::from(!self.verdict.passes())
    }

    /// The runs that are not accepted.
    pub fn not_accepted(&self) -> Vec<&Row> {
        self.rows.iter().filter(|row| !row.verdict.passes()).collect()
    }

    /// What the overall verdict rests on, in one sentence without its full stop.
    pub fn meaning(&self) -> String {
        let runs = self.rows.len();
        let not_accepted = self.not_accepted();
        if not_accepted.is_empty() {
            return format!("every one of the {runs} runs is accepted; the merged verdict is the worst of theirs");
        }
        let named: Vec<String> = not_accepted.iter().map(|row| format!("{} {}", row.label(), row.verdict)).collect();
        format!("{} of {runs} runs not accepted: {}", not_accepted.len(), named.join(", "))
    }

    /// The rows whose verdict is on the suite and its double, not on a server.
    pub fn on_double(&self) -> Vec<&Row> {
        self.rows.iter().filter(|row| row.on_double).collect()
    }

    pub fn restores_made(&self) -> u64 {
        self.rows.iter().map(|row| row.restores_made).sum()
    }
}

#[cfg(test)]
mod tests;
