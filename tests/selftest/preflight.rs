//! Everything a run needs is checked before its first request, every problem one line: a report
//! folder that cannot be written (found by a probe file, said once), and every setting that
//! cannot be used, not only the first.

use crate::helpers::run_suite;
use crate::live::HttpsDouble;
use crate::tempfile;

/// A folder that exists and takes no file, even for root (who ignores permissions): /proc then.
fn unwritable_folder(dir: &tempfile::TempDir) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let folder = dir.path().join("read-only");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    if std::fs::write(folder.join("probe"), "x").is_ok() {
        return std::path::PathBuf::from("/proc");
    }
    folder
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_folder_that_cannot_be_written_is_found_before_the_first_request_and_said_once() {
    let server = HttpsDouble::start(&[]).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = unwritable_folder(&dir);
    let run = server.run(&[("VB365_REPORT_DIR", &folder.to_string_lossy())]).await;
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "said once: {}", run.stderr);
    assert!(run.stderr.contains(&format!("cannot write to the report folder {}", folder.display())), "{}", run.stderr);
    assert!(run.stderr.contains("VB365_REPORT_DIR"), "{}", run.stderr);
    assert!(!run.stdout.contains("Scenario"), "scenarios ran: {}", run.stdout);
    assert!(run.closing_line().starts_with("verdict: NOT RUN ("), "{}", run.stdout);
    assert!(run.closing_line().ends_with("; no report written)"), "{}", run.stdout);
    // Not one request: no token issued, no restore session started, no restore made.
    let state: serde_json::Value = crate::helpers::http_builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(&std::fs::read(server.ca_pem.path()).expect("CA")).expect("PEM"),
        )
        .build()
        .expect("client")
        .get(format!("{}/__double/state", server.url()))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("JSON");
    assert_eq!((&state["tokens"], &state["restores"]), (&serde_json::json!(0), &serde_json::json!(0)), "{state}");
}

#[test]
fn every_setting_that_cannot_be_used_is_a_line_of_its_own() {
    let run = run_suite(
        &[
            ("VB365_TIMEOUT_SECS", "soon"),
            ("VB365_STRICT", "maybe"),
            ("VB365_API_VERSION", "v9"),
            ("VB365_USER_CODE", ""),
            ("VB365_APPLICATION_ID", "restore-app"),
            ("VB365_FEATURES_DIR", "no/such/folder"),
        ],
        &[],
    );
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stderr.trim().lines().collect();
    for expected in [
        "VB365_TIMEOUT_SECS must be a whole number of seconds",
        "VB365_STRICT must be 1, 0, true, false, yes or no",
        "VB365_API_VERSION",
        "VB365_APPLICATION_ID set but",
        "VB365_FEATURES_DIR: no/such/folder is not a folder",
    ] {
        assert_eq!(lines.iter().filter(|line| line.contains(expected)).count(), 1, "{expected:?}: {lines:#?}");
    }
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(lines.iter().all(|line| line.starts_with("vb365-conformance: ")), "{lines:#?}");
    let results: serde_json::Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    assert_eq!(results["verdict"], "NOT RUN");
    assert_eq!(results["restores_made"], 0, "always a number: {results}");
    let reason = results["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("VB365_TIMEOUT_SECS") && reason.contains("VB365_STRICT"), "{reason}");
}
