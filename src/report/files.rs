//! Report files that always describe the run that just ended: each is written whole to a
//! temporary file in the report folder and renamed over the old one, so a reader (or an
//! interruption) never sees half a report; a run that ends early removes the reports it cannot
//! write, so no earlier run's verdict is left looking current.

use std::io;
use std::path::{Path, PathBuf};

use crate::secrets::Scrubbed;

/// Every report a run writes.
pub const REPORTS: [&str; 6] =
    ["signoff.html", "signoff.md", "junit.xml", "cucumber.json", "results.json", "exchanges.har"];

/// Reports that only a run whose scenarios ran can write (the scenario-by-scenario formats).
pub const SCENARIO_REPORTS: [&str; 2] = ["junit.xml", "cucumber.json"];

/// Writes `text`, redacted, to `dir/name` atomically: a temporary file in `dir`, then a rename.
pub fn write_report(dir: &Path, name: &str, text: &str) -> Result<(), ReportError> {
    write_scrubbed(dir, name, &Scrubbed::new(text))
}

/// Writes `text`, redacted already, to `dir/name` atomically.
pub fn write_scrubbed(dir: &Path, name: &str, text: &Scrubbed) -> Result<(), ReportError> {
    let path = dir.join(name);
    write_atomic(&path, text.as_str().as_bytes()).map_err(|error| ReportError { path, error })
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, which
/// replaces the old file in one step.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Removes `dir/name` if it is there.
pub fn remove_report(dir: &Path, name: &str) -> Result<(), ReportError> {
    let path = dir.join(name);
    match std::fs::remove_file(&path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(ReportError { path, error }),
        _ => Ok(()),
    }
}

/// A report that could not be written or removed.
#[derive(Debug)]
pub struct ReportError {
    pub path: PathBuf,
    pub error: io::Error,
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {} (VB365_REPORT_DIR): {}", self.path.display(), self.error)
    }
}

impl std::error::Error for ReportError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_replaces_the_old_one_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("vb365-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("results.json"), "old").unwrap();
        write_report(&dir, "results.json", "new").unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("results.json")).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        remove_report(&dir, "results.json").unwrap();
        remove_report(&dir, "results.json").unwrap();
        std::fs::remove_dir(&dir).unwrap();
    }
}
