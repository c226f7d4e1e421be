//! Install once, run anywhere: the binary copied alone into an empty folder (as `cargo install`
//! leaves it) runs the suite there, against the double and against a live server, with the feature
//! files, schemas and the double's certificate built in, and its reports in the working folder.

use std::path::{Path, PathBuf};

use crate::tempfile::{self, TempDir};

use crate::helpers::{root, run_binary};
use crate::live::HttpsDouble;

/// The suite's binary, copied into an empty folder of its own, and an empty working folder.
struct Installed {
    _folders: TempDir,
    binary: PathBuf,
    work: PathBuf,
}

fn install() -> Installed {
    let folders = tempfile::tempdir().expect("temp dir");
    let (bin, work) = (folders.path().join("bin"), folders.path().join("work"));
    std::fs::create_dir_all(&bin).expect("bin folder");
    std::fs::create_dir_all(&work).expect("work folder");
    let binary = bin.join("vb365-conformance");
    std::fs::copy(env!("CARGO_BIN_EXE_vb365-conformance"), &binary).expect("copy the binary");
    Installed { _folders: folders, binary, work }
}

fn results(folder: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(folder.join("results.json")).expect("results.json");
    serde_json::from_str(&text).expect("results.json is JSON")
}

#[test]
fn the_binary_holds_no_path_of_the_checkout() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_vb365-conformance")).expect("the binary");
    let checkout = root().canonicalize().expect("checkout").to_string_lossy().into_owned();
    let found: Vec<String> = bytes
        .windows(checkout.len())
        .enumerate()
        .filter(|(_, window)| *window == checkout.as_bytes())
        .map(|(at, _)| String::from_utf8_lossy(&bytes[at..(at + checkout.len() + 40).min(bytes.len())]).into_owned())
        .collect();
    // With no path of the checkout in it, and run without cargo's environment (run_binary), the
    // binary cannot open a file of the checkout: what it reads is built in.
    assert!(found.is_empty(), "the binary names the checkout {checkout}: {found:?}");
}

#[test]
fn the_installed_binary_runs_the_built_in_suite_from_an_empty_folder() {
    let installed = install();
    let (code, stdout, stderr) = run_binary(&installed.binary, &installed.work, &[], &[]);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    // Reports in ./vb365-conformance-reports of the working folder, locations as in the checkout.
    let reports = installed.work.join("vb365-conformance-reports");
    assert!(stdout.contains("reports: vb365-conformance-reports (signoff.html"), "{stdout}");
    let results = results(&reports);
    assert_eq!(results["verdict"], "ACCEPTED", "{results}");
    let scenarios = results["scenarios"].as_array().expect("scenarios");
    // As many as the README says `cargo run` passes.
    assert_eq!(stdout.lines().last(), Some(crate::helpers::readme_closing_line().as_str()), "{stdout}");
    let passed = crate::helpers::readme_closing_line().split(' ').next().and_then(|n| n.parse::<usize>().ok());
    assert_eq!(Some(scenarios.len()), passed, "{results}");
    for scenario in scenarios {
        let location = scenario["location"].as_str().unwrap_or_default();
        assert!(location.starts_with("features/") && location.contains(".feature:"), "{location}");
    }
    for report in ["signoff.html", "signoff.md", "junit.xml", "cucumber.json"] {
        assert!(reports.join(report).is_file(), "{report}");
    }
    // The working folder holds nothing else: the run wrote only its reports.
    let entries: Vec<_> =
        std::fs::read_dir(&installed.work).expect("work").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(entries, ["vb365-conformance-reports"]);
}

#[test]
fn input_names_a_built_in_feature_file_or_one_of_the_working_folder() {
    let installed = install();
    let built_in = ["--input", "features/authorization.feature"];
    let (code, stdout, stderr) = run_binary(&installed.binary, &installed.work, &[], &built_in);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let run = results(&installed.work.join("vb365-conformance-reports"));
    let locations: Vec<&str> =
        run["scenarios"].as_array().expect("scenarios").iter().filter_map(|s| s["location"].as_str()).collect();
    assert!(!locations.is_empty() && locations.iter().all(|l| l.starts_with("features/authorization.feature:")));

    // The user's own feature files: --input relative to the working folder, or VB365_FEATURES_DIR.
    let mine = installed.work.join("mine");
    std::fs::create_dir_all(&mine).expect("mine");
    std::fs::copy(root().join("features/authorization.feature"), mine.join("tokens.feature")).expect("copy");
    for (env, args) in
        [(vec![], vec!["--input", "mine/tokens.feature"]), (vec![("VB365_FEATURES_DIR", "mine")], vec![])]
    {
        let (code, stdout, stderr) = run_binary(&installed.binary, &installed.work, &env, &args);
        assert_eq!(code, Some(0), "{env:?} {args:?}: {stdout}\n{stderr}");
        let run = results(&installed.work.join("vb365-conformance-reports"));
        let first = run["scenarios"][0]["location"].as_str().unwrap_or_default().to_owned();
        assert!(first.starts_with("mine/tokens.feature:"), "{env:?} {args:?}: {first}");
    }
    let missing = [("VB365_FEATURES_DIR", "nowhere")];
    let (code, _, stderr) = run_binary(&installed.binary, &installed.work, &missing, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("VB365_FEATURES_DIR: nowhere is not a folder"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_installed_binary_checks_a_live_server_over_https() {
    let server = HttpsDouble::start(&[]).await;
    let installed = install();
    let mut env = server.env();
    env.push(("VB365_STRICT", "1".into()));
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let run = run_binary(&installed.binary, &installed.work, &env, &[]);
        drop(installed);
        run
    })
    .await
    .expect("suite run");
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("(live server), API v6"), "{stdout}");
    assert!(stdout.contains("verdict: ACCEPTED ("), "{stdout}");
}

#[test]
fn version_names_the_suite_the_api_versions_and_the_git_revision() {
    let installed = install();
    for flag in ["--version", "-V"] {
        let (code, stdout, stderr) = run_binary(&installed.binary, &installed.work, &[], &[flag]);
        assert_eq!(code, Some(0), "{stderr}");
        let expected = format!("vb365-conformance {} (API versions v6, v7, v8; git ", env!("CARGO_PKG_VERSION"));
        assert!(stdout.starts_with(&expected), "{stdout}");
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
    }
    assert_eq!(std::fs::read_dir(&installed.work).expect("work").count(), 0, "--version wrote something");
}

#[test]
fn help_explains_every_setting_the_exit_statuses_and_the_report_folder() {
    let installed = install();
    let (code, stdout, stderr) = run_binary(&installed.binary, &installed.work, &[], &["--help"]);
    assert_eq!(code, Some(0), "{stderr}");
    let sources = [
        "src/suite/settings/mod.rs",
        "src/suite/settings/target.rs",
        "src/suite/settings/exchange.rs",
        "src/runner/mod.rs",
        "src/runner/preflight.rs",
    ]
    .map(|file| std::fs::read_to_string(root().join(file)).expect("source"))
    .join("\n");
    let settings = regex::Regex::new(r"VB365_[A-Z_]+[A-Z]").expect("regex");
    for setting in settings.find_iter(&sources).map(|m| m.as_str()) {
        assert!(stdout.contains(setting), "--help does not explain {setting}");
    }
    for text in ["Exit status: 0", "2 the run could not start", "130 Ctrl-C", "./vb365-conformance-reports", "--tags"] {
        assert!(stdout.contains(text), "--help lacks {text:?}:\n{stdout}");
    }
    assert_eq!(std::fs::read_dir(&installed.work).expect("work").count(), 0, "--help wrote something");
}

/// The README's first command, `cargo run`, needs to know which of the two binaries is the suite.
#[test]
fn cargo_run_runs_the_suite() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(crate::helpers::root().join("Cargo.toml")).expect("Cargo.toml"))
            .expect("Cargo.toml is TOML");
    let bins: Vec<&str> = manifest["bin"]
        .as_array()
        .expect("[[bin]] targets")
        .iter()
        .filter_map(|bin| bin.get("name").and_then(toml::Value::as_str))
        .collect();
    // The two the README's install puts in ~/.cargo/bin.
    assert_eq!(bins, ["vb365-conformance", "vb365-double"]);
    assert_eq!(manifest["package"].get("default-run").and_then(toml::Value::as_str), Some("vb365-conformance"));
}
