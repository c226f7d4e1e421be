//! Live mode, shown against the double served over HTTPS with a certificate made at test time:
//! sign-in with user name and password, explore and stop, lookup by mailbox name, trust through
//! VB365_CA_CERT or VB365_INSECURE, refusal of an untrusted certificate, no restore without
//! VB365_ALLOW_RESTORE, and the restore session stopped after a failed run.

use crate::tempfile;
use vb365_conformance::double::Double;
use vb365_conformance::double::tls::{Identity, TlsFront};
use vb365_conformance::suite::settings::{Settings, double_defaults as d};

use crate::helpers::{SuiteRun, root, run_suite};

/// The double behind its TLS front (src/double/tls.rs), with a certificate for `localhost` made
/// at test time, signed by a CA made with it.
pub struct HttpsDouble {
    pub double: Double,
    front: TlsFront,
    pub ca_pem: tempfile::NamedTempFile,
}

impl HttpsDouble {
    /// `double_env` configures the double (e.g. a fault), as `VB365_*` variables would.
    pub async fn start(double_env: &[(&str, &str)]) -> HttpsDouble {
        let settings =
            Settings::from_lookup(|name| double_env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
                .expect("double settings");
        let double = settings.double().start().await;
        let identity = Identity::generate(&[]).expect("a certificate");
        let ca_pem = tempfile::NamedTempFile::new().expect("CA file");
        std::fs::write(ca_pem.path(), identity.ca_pem.as_deref().expect("a CA")).expect("write CA");
        let front = TlsFront::start(identity, double.address(), None).await.expect("the TLS front starts");
        HttpsDouble { double, front, ca_pem }
    }

    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.front.address.port())
    }

    /// The settings a user of a live server sets, for this double.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        live_env(&self.url(), &self.ca_pem.path().to_string_lossy())
    }

    /// Its env, changed by `changes` (an empty value unsets).
    fn env_with(&self, changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        let mut env = self.env();
        for (name, value) in changes {
            env.retain(|(n, _)| n != name);
            if !value.is_empty() {
                env.push((name, (*value).to_owned()));
            }
        }
        env
    }

    /// Runs the suite against this double with its env, changed by `changes` (an empty value unsets).
    pub async fn run(&self, changes: &[(&'static str, &str)]) -> SuiteRun {
        let env = self.env_with(changes);
        tokio::task::spawn_blocking(move || {
            let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
            run_suite(&env, &[])
        })
        .await
        .expect("suite run")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_run_signs_in_explores_finds_the_mailbox_by_name_and_stops_the_session() {
    let server = HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_STRICT", "1")]).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(&format!("target: {} (live server), API v6", server.url())), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "(started by the suite), mailbox jsmith@westsupport.onmicrosoft.com (062fd52a-c781-4bac-a2a6-dce34f20bfe8)"
        ),
        "{}",
        run.stdout
    );
    // Scenarios that set the state of the mailbox are checked against the double only, and the
    // run says so; a strict run against this conforming server has nothing failed or skipped.
    assert!(run.stdout.contains("scenarios were left out"), "{}", run.stdout);
    assert!(run.closing_line().ends_with(" 0 failed, 0 skipped"), "{}", run.closing_line());
    assert!(run.stdout.contains("verdict: ACCEPTED ("), "{}", run.stdout);
    assert!(!run.stdout.contains("(double)") && !run.stdout.contains("not of any server"), "{}", run.stdout);
    assert_eq!(crate::verdicts::told(&run), "ACCEPTED");
    // The requirements a live run cannot check are named once, with why; no report speaks of
    // cargo test (an installed suite has none, and it checks no server).
    for report in ["signoff.md", "signoff.html"] {
        let text = run.report(report);
        assert_eq!(text.matches("Not checked on this server (5 requirements): COUNT-CREATED").count(), 1, "{text}");
        assert!(text.contains("which only the embedded double gives"), "{text}");
        assert!(!text.contains("checked against the embedded double"), "{text}");
    }
    assert!(!run.everything_written().contains("cargo test"), "a report speaks of cargo test");
    // Each variant's restore once: the repeat COUNT-REPEAT needs is the device code's, made right
    // after the password's.
    assert_eq!(server.double.restores(), 3, "restores that reached the server");
    // The figure the README and docs/live-runs.md publish.
    for doc in ["README.md", "docs/live-runs.md"] {
        let text = std::fs::read_to_string(root().join(doc)).expect("doc").replace("\n  ", " ");
        assert!(text.contains("at most 3 real restores"), "{doc} publishes another figure");
    }
    assert!(run.report("signoff.md").contains("| Restores made | 3 (real restores"), "{}", run.report("signoff.md"));
    // The run's own session and the one SESSION-STOPPED starts and stops: none is left working.
    assert_eq!(server.double.stopped_sessions().len(), 2, "the sessions the suite started are stopped");
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new());
    let report = run.report("results.json");
    assert!(report.contains("\"kind\": \"live\"") && !report.contains(d::API_PASSWORD), "{report}");
    assert!(report.contains("\"verdict_of\": \"server\""), "{report}");
}

/// A wrong password for the operator's own Exchange user counts toward its lockout: those three
/// checks run only with VB365_PROBE_EXCHANGE_PASSWORD=1, and are reported as not checked without
/// it, which a strict run accepts (nothing was skipped: the operator chose not to check them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_for_the_exchange_user_is_sent_only_with_consent_and_otherwise_not_checked() {
    let server = HttpsDouble::start(&[("VB365_DOUBLE_FAULT", "user-password-not-checked")]).await;
    let without = server.run(&[("VB365_STRICT", "1")]).await;
    assert_eq!(server.double.wrong_passwords(), 0, "a wrong password reached the server without consent");
    assert_eq!(without.code, Some(0), "the fault is not checked without consent: {}", without.stdout);
    assert!(without.closing_line().ends_with(" 0 failed, 0 skipped"), "{}", without.closing_line());
    let signoff = without.report("signoff.md");
    assert_eq!(signoff.matches("set VB365_PROBE_EXCHANGE_PASSWORD=1 to check it").count(), 3, "{signoff}");

    let with = server.run(&[("VB365_STRICT", "1"), ("VB365_PROBE_EXCHANGE_PASSWORD", "1")]).await;
    assert_eq!(server.double.wrong_passwords(), 3, "the three @lockout-risk rows, once each");
    assert_eq!(with.code, Some(1), "{}", with.stdout);
    let results: serde_json::Value = serde_json::from_str(&with.report("results.json")).expect("results.json");
    let failed: Vec<&str> = results["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| s["status"] == "failed")
        .flat_map(|s| s["failed_requirements"].as_array().into_iter().flatten().filter_map(|id| id.as_str()))
        .collect();
    assert!(!failed.is_empty() && failed.iter().all(|id| *id == "EXCHANGE-CREDENTIALS"), "{failed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insecure_accepts_an_untrusted_certificate() {
    let server = HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_CA_CERT", ""), ("VB365_INSECURE", "1")]).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_is_refused_in_one_line_naming_the_settings() {
    let server = HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_CA_CERT", "")]).await;
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("VB365_INSECURE") && run.stderr.contains("VB365_CA_CERT"), "{}", run.stderr);
    assert_eq!(server.double.restores(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_allow_restore_no_restore_reaches_the_server() {
    let server = HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_ALLOW_RESTORE", "")]).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(server.double.restores(), 0, "a restore reached the server without VB365_ALLOW_RESTORE");
    assert!(run.stdout.contains("set VB365_ALLOW_RESTORE=1"), "{}", run.stdout);
    assert_eq!(crate::verdicts::told(&run), "ACCEPTED AS FAR AS CHECKED");
    // Requests that must be refused still run.
    assert!(run.closing_line().starts_with(|c: char| c.is_ascii_digit() && c != '0'), "{}", run.closing_line());
    // Nor with a lenient server that would restore from a body it should refuse.
    let lenient = HttpsDouble::start(&[("VB365_DOUBLE_FAULT", "mixed-variants-accepted")]).await;
    let run = lenient.run(&[("VB365_ALLOW_RESTORE", "")]).await;
    assert_eq!(lenient.double.restores(), 0, "a lenient server restored without VB365_ALLOW_RESTORE: {}", run.stdout);
    let strict = server.run(&[("VB365_ALLOW_RESTORE", ""), ("VB365_STRICT", "1")]).await;
    assert_eq!(strict.code, Some(1), "a strict run with skipped scenarios fails: {}", strict.closing_line());
    assert_eq!(crate::verdicts::told(&strict), "NOT ACCEPTED (STRICT: INCOMPLETE)");
    let reason = strict.stdout.lines().find(|l| l.starts_with("exit 1: ")).unwrap_or_default();
    assert!(
        reason.starts_with("exit 1: strict run (VB365_STRICT=1) and ")
            && reason.contains("scenarios were skipped: ")
            && reason.contains("VB365_ALLOW_RESTORE"),
        "{}",
        strict.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_the_suite_started_is_stopped_after_a_failed_run() {
    let server = HttpsDouble::start(&[("VB365_DOUBLE_FAULT", "count-as-string")]).await;
    let run = server.run(&[]).await;
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(server.double.stopped_sessions().len(), 2);
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_the_user_gave_is_never_stopped() {
    let server = HttpsDouble::start(&[]).await;
    let session = "2f1c8e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
    server.double.add_session_with_mailbox(session, &server.double.default_mailbox_id(), Default::default());
    let run = server
        .run(&[
            ("VB365_RESTORE_SESSION_ID", session),
            ("VB365_ORGANIZATION_ID", ""),
            ("VB365_MAILBOX_ID", "062fd52a-c781-4bac-a2a6-dce34f20bfe8"),
        ])
        .await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("given by VB365_RESTORE_SESSION_ID"), "{}", run.stdout);
    assert!(server.double.stopped_sessions().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_problems_are_one_line_before_any_scenario() {
    let server = HttpsDouble::start(&[]).await;
    let cases: [(&[(&'static str, &str)], &str); 8] = [
        (&[("VB365_MAILBOX", "Alex Kim")], "2 mailboxes of restore session"),
        (&[("VB365_API_VERSION", "v8")], "does not serve v8"),
        (&[("VB365_API_VERSION", "v8"), ("VB365_TOKEN", "some-token-1234")], "does not serve v8"),
        (&[("VB365_TOKEN", "a-token-the-server-never-issued")], "refused the token (VB365_TOKEN)"),
        (&[("VB365_MAILBOX", "jsmith@westsupport.onmicrosoft.co")], "John Smith <jsmith@westsupport.onmicrosoft.com>"),
        (&[("VB365_PASSWORD", "wrong-api-password")], "refused to sign in"),
        (&[("VB365_RESTORE_SESSION_ID", "7d1f7a52-0000-4000-8000-000000000000")], "VB365_RESTORE_SESSION_ID"),
        (&[("VB365_BASE_URL", "https://127.0.0.1:9")], "127.0.0.1:9 (connection refused)"),
    ];
    for (changes, expected) in cases {
        let run = server.run(changes).await;
        assert_eq!(run.code, Some(2), "{changes:?}: {}\n{}", run.stdout, run.stderr);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{changes:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{changes:?}: {}", run.stderr);
        assert!(!run.stdout.contains("Scenario"), "{changes:?}: scenarios ran");
    }
    // The sessions started for the runs whose mailbox was not found, or not found once, are stopped again.
    assert_eq!(server.double.stopped_sessions().len(), 2);
    assert_eq!(server.double.restores(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_v8_run_polls_statistics_and_stops_its_session_with_204() {
    let server = HttpsDouble::start(&[("VB365_API_VERSION", "v8")]).await;
    let run = server.run(&[("VB365_API_VERSION", "v8"), ("VB365_STRICT", "1")]).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("(live server), API v8"), "{}", run.stdout);
    assert!(run.closing_line().ends_with(" 0 failed, 0 skipped"), "{}", run.closing_line());
    assert_eq!(server.double.stopped_sessions().len(), 2);
    assert_eq!(server.double.sessions_left_working(), Vec::<String>::new());
    assert_eq!(server.double.restores(), 3, "each variant's restore once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_variant_without_credentials_is_skipped_with_its_reason() {
    let server = HttpsDouble::start(&[]).await;
    let unset = [
        ("VB365_APPLICATION_ID", ""),
        ("VB365_APPLICATION_CERTIFICATE", ""),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", ""),
        ("VB365_IMPERSONATION_ACCOUNT", ""),
    ];
    let run = server.run(&unset).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no Exchange credentials for the application certificate variant"), "{}", run.stdout);
    assert_eq!(crate::verdicts::told(&run), "ACCEPTED AS FAR AS CHECKED");
    assert!(!run.closing_line().ends_with(" 0 skipped"), "{}", run.closing_line());
}

/// Starts the suite against `server` with its env changed by `changes`, waits until a restore
/// has reached the server, sends `signal` (`-INT`, `-TERM`), and returns the run once it ended.
pub async fn interrupted_run(server: &HttpsDouble, changes: &[(&'static str, &str)], signal: &str) -> SuiteRun {
    interrupted_after(server, changes, signal, 1).await
}

/// As [`interrupted_run`], the signal sent once `restores` restores have reached the server.
pub async fn interrupted_after(
    server: &HttpsDouble,
    changes: &[(&'static str, &str)],
    signal: &str,
    restores: usize,
) -> SuiteRun {
    let env = server.env_with(changes);
    let report_dir = tempfile::tempdir().expect("report dir");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_vb365-conformance"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("VB365_") || name.starts_with("CUCUMBER_")) {
        command.env_remove(name);
    }
    let mut child = command
        .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
        .env("VB365_REPORT_DIR", report_dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the suite starts");
    // However slow the machine, the signal comes once scenarios run (a test that sent it during
    // setup would pass without showing what it claims).
    let started = std::time::Instant::now();
    while server.double.restores() < restores {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{restores} restores did not reach the double in 120 s: the run cannot be interrupted when asked");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let sent = std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().expect("kill");
    assert!(sent.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output()).await.expect("join").expect("wait");
    SuiteRun {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        report_dir,
    }
}

/// Interrupts a run against `server` during its restores with `signal`, and returns the exit
/// status and stderr, after checking the reports say INTERRUPTED.
async fn interrupt_during_restores(server: &HttpsDouble, signal: &str) -> (Option<i32>, String) {
    let run = interrupted_run(server, &[("VB365_TIMEOUT_SECS", "60")], signal).await;
    assert_interrupted(run.report_dir.path(), signal);
    (run.code, run.stderr)
}

/// The reports of an interrupted run say so, with the reason, and hold no cucumber report.
pub fn assert_interrupted(dir: &std::path::Path, signal: &str) {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let why = if signal == "-TERM" { "interrupted by SIGTERM" } else { "interrupted by Ctrl-C (SIGINT)" };
    assert!(read("signoff.md").starts_with("# Sign-off: INTERRUPTED\n"), "{signal}: {}", read("signoff.md"));
    assert!(read("signoff.md").contains(why) && read("signoff.html").contains("<h1>INTERRUPTED</h1>"));
    let results: serde_json::Value = serde_json::from_str(&read("results.json")).expect("results.json");
    assert_eq!(results["verdict"], "INTERRUPTED", "{signal}");
    assert!(results["reason"].as_str().is_some_and(|r| r.contains(why)), "{results}");
    assert!(!dir.join("junit.xml").exists() && !dir.join("cucumber.json").exists(), "{signal}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_or_sigterm_stops_the_session_the_suite_started() {
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        // Restores that answer only after 30 s keep the run busy until it is interrupted.
        let server = HttpsDouble::start(&[("VB365_DOUBLE_FAULT", "slow-answer"), ("VB365_TIMEOUT_SECS", "29")]).await;
        let (status, stderr) = interrupt_during_restores(&server, signal).await;
        assert_eq!(status, Some(code), "{signal}: {stderr}");
        assert!(stderr.contains("interrupted; restore session") && stderr.contains("stopped"), "{signal}: {stderr}");
        assert!(!server.double.stopped_sessions().is_empty(), "{signal}: no session stopped");
        let left = server.double.sessions_left_working();
        assert!(left.is_empty(), "{signal}: the interrupted run left {left:?} working");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_during_setup_ends_the_run_at_once() {
    // A server that accepts connections and never answers: setup waits on it.
    let listener = vb365_conformance::double::listen::listener(None).expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let report_dir = tempfile::tempdir().expect("report dir");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_vb365-conformance"))
        .envs([
            ("VB365_BASE_URL", url.as_str()),
            ("VB365_TOKEN", "setup-token-123"),
            ("VB365_ORGANIZATION_ID", "o"),
            ("VB365_MAILBOX", "m"),
        ])
        .env("VB365_REPORT_DIR", report_dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the suite starts");
    let _connection = tokio::task::spawn_blocking(move || listener.accept()).await.expect("join").expect("accept");
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(sent.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output()).await.expect("join").expect("wait");
    assert_eq!(output.status.code(), Some(130), "{}", String::from_utf8_lossy(&output.stderr));
    assert_interrupted(report_dir.path(), "-INT");
}

/// The settings a user of a live server sets, for a double at `url` whose CA is in `ca_file`.
pub fn live_env(url: &str, ca_file: &str) -> Vec<(&'static str, String)> {
    let certificate = root().join(d::CERTIFICATE_FILE).to_string_lossy().into_owned();
    vec![
        ("VB365_BASE_URL", url.to_owned()),
        ("VB365_USERNAME", d::API_USER_NAME.into()),
        ("VB365_PASSWORD", d::API_PASSWORD.into()),
        ("VB365_ORGANIZATION_ID", d::ORGANIZATION_ID.into()),
        ("VB365_MAILBOX", "John Smith".into()),
        ("VB365_EXCHANGE_USERNAME", d::EXCHANGE_USER_NAME.into()),
        ("VB365_EXCHANGE_PASSWORD", d::EXCHANGE_PASSWORD.into()),
        ("VB365_USER_CODE", d::USER_CODE.into()),
        ("VB365_APPLICATION_ID", d::APPLICATION_ID.into()),
        ("VB365_APPLICATION_CERTIFICATE", certificate),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", d::CERTIFICATE_PASSWORD.into()),
        ("VB365_IMPERSONATION_ACCOUNT", d::IMPERSONATION_ACCOUNT.into()),
        ("VB365_CA_CERT", ca_file.to_owned()),
        ("VB365_ALLOW_RESTORE", "1".into()),
    ]
}
