//! Running the suite as its users do: the `vb365-conformance` binary, with a clean environment
//! and a report folder of its own.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::tempfile::{self, TempDir};

/// One finished run of the suite.
pub struct SuiteRun {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Holds the reports; removed when the run is dropped.
    pub report_dir: TempDir,
}

impl SuiteRun {
    pub fn report(&self, name: &str) -> String {
        std::fs::read_to_string(self.report_dir.path().join(name)).unwrap_or_else(|e| panic!("report {name}: {e}"))
    }

    /// Every byte the run wrote: stdout, stderr and each file under its report folder.
    pub fn everything_written(&self) -> String {
        let mut all = format!("{}\n{}", self.stdout, self.stderr);
        for (_, bytes) in files_under(self.report_dir.path()) {
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
        all
    }

    pub fn closing_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or_default()
    }

    /// Whether the run ended as one against a server that refused the restores with the
    /// configured credentials of `variants` must: STOPPED, exit status 2, the reason naming each
    /// variant's settings (docs/live-runs.md); else what it did instead.
    pub fn stopped_naming(&self, variants: &[vb365_conformance::contract::credentials::Variant]) -> Result<(), String> {
        let results: serde_json::Value =
            serde_json::from_str(&self.report("results.json")).map_err(|error| format!("results.json: {error}"))?;
        let reason = results["reason"].as_str().unwrap_or_default();
        let unnamed: Vec<&str> =
            variants.iter().map(|v| v.setting_group()).filter(|group| !reason.contains(group)).collect();
        match (self.code, results["verdict"].as_str()) {
            (Some(2), Some("STOPPED")) if unnamed.is_empty() => Ok(()),
            (code, verdict) => Err(format!("exit {code:?}, verdict {verdict:?}, settings not named {unnamed:?}")),
        }
    }
}

/// Every file under `dir`, at any depth, with its bytes (found by walking the folder, so that a
/// file no test knows by name is read too).
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

/// Runs the suite with `env` (on top of a environment without any VB365_ variable) and `args`.
pub fn run_suite(env: &[(&str, &str)], args: &[&str]) -> SuiteRun {
    let report_dir = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_vb365-conformance"));
    for (name, _) in std::env::vars() {
        if name.starts_with("VB365_") || name.starts_with("CUCUMBER_") {
            command.env_remove(name);
        }
    }
    command.env("VB365_REPORT_DIR", report_dir.path()).envs(env.iter().copied()).args(args);
    let (code, stdout, stderr) = run_with_deadline(command, DEADLINE);
    SuiteRun { code, stdout, stderr, report_dir }
}

/// Runs `binary` in `folder` with `env` (on top of an environment without any VB365_ variable), as
/// a user of an installed suite does: reports go where the binary puts them.
pub fn run_binary(binary: &Path, folder: &Path, env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let mut command = Command::new(binary);
    for (name, _) in std::env::vars() {
        // An installed binary runs without cargo's environment (LD_LIBRARY_PATH points into target/).
        if name.starts_with("VB365_")
            || name.starts_with("CUCUMBER_")
            || name.starts_with("CARGO")
            || name == "LD_LIBRARY_PATH"
        {
            command.env_remove(name);
        }
    }
    command.current_dir(folder).envs(env.iter().copied()).args(args);
    run_with_deadline(command, DEADLINE)
}

/// A whole run against the double takes well under a second; a run still going after this is hung.
const DEADLINE: Duration = Duration::from_secs(120);

/// Runs `command` to its end, or kills it at `deadline` and fails the test with what it printed.
fn run_with_deadline(mut command: Command, deadline: Duration) -> (Option<i32>, String, String) {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    // A binary a test has just copied may still be open for writing in a child another test
    // forked meanwhile (ETXTBSY) until that child execs: try again briefly.
    let mut tries = 0;
    let mut child = loop {
        match command.spawn() {
            Err(error) if error.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            spawned => break spawned.expect("the suite binary starts"),
        }
    };
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the suite") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the suite ran longer than {deadline:?}; stdout:\n{}", stdout.join().unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (status.code(), stdout.join().unwrap_or_default(), stderr.join().unwrap_or_default())
}

/// The project's root folder.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every feature file of the suite.
pub fn feature_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("features"))
        .expect("features/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "feature"))
        .collect();
    files.sort();
    files
}

/// An HTTP client builder for tests that talk to a double directly. reqwest is built without a
/// TLS provider of its own: the suite installs ring, and so must any test that builds a client,
/// whichever test runs first.
pub fn http_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// A plain HTTP client (see [`http_builder`]).
pub fn http() -> reqwest::Client {
    http_builder().build().expect("an HTTP client")
}

/// The closing line the README says `cargo run` (v6, against the double) ends with.
pub fn readme_closing_line() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md").replace('\n', " ");
    let line = readme.split("it ends with `").nth(1).and_then(|rest| rest.split('`').next());
    line.expect("the README's closing line of `cargo run`").to_owned()
}

/// The cells of the row called `label` of the figures table in `docs/proof.md` (v6, v7, v8): the
/// figures the docs publish, which the matrices that measure them assert.
pub fn published_figures(label: &str) -> Vec<String> {
    let proof = std::fs::read_to_string(root().join("docs/proof.md")).expect("docs/proof.md");
    let row = proof
        .lines()
        .find(|line| line.starts_with(&format!("| {label} |")))
        .unwrap_or_else(|| panic!("docs/proof.md has no row {label:?}"));
    row.split('|').map(str::trim).filter(|cell| !cell.is_empty()).skip(1).map(str::to_owned).collect()
}
