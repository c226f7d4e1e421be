//! `vb365-double`, the standalone double, as its users run it: it prints what it accepts and
//! serves over HTTP or HTTPS (its own CA), its answers follow the vendor OpenAPI, the control
//! route sets a mailbox's state and reads what was restored, and SIGTERM or Ctrl-C stop it
//! cleanly (exit 0 with a line).

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};
use vb365_conformance::contract::version::ApiVersion;
use vb365_conformance::double::{FAULTS, VARIATIONS, defaults as d};

use crate::vendor_schemas::every_endpoint_conforms;

/// A running `vb365-double` and what it printed up to its "ready" line.
pub(crate) struct Running {
    child: Child,
    pub(crate) banner: String,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Running {
    pub(crate) fn start(args: &[&str]) -> Running {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vb365-double"));
        command.args(args);
        Running::spawn(command)
    }

    /// Starts `command` (a vb365-double) and reads what it prints up to its "ready" line.
    pub(crate) fn spawn(mut command: Command) -> Running {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("vb365-double starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut banner = String::new();
        while !banner.contains("\nready") {
            let mut line = String::new();
            if stdout.read_line(&mut line).expect("read") == 0 {
                let mut stderr = String::new();
                let _ = child.stderr.take().expect("stderr").read_to_string(&mut stderr);
                panic!("vb365-double ended before it was ready: {banner}\n{stderr}");
            }
            banner.push_str(&line);
        }
        Running { child, banner, stdout }
    }

    /// The value printed after `prefix` on its line, up to `end`.
    pub(crate) fn printed(&self, prefix: &str, end: &str) -> String {
        let line = self.banner.lines().find_map(|l| l.split_once(prefix).map(|(_, rest)| rest)).expect(prefix);
        line.split(end).next().unwrap_or_default().to_owned()
    }

    /// Sends `signal`, waits, and answers the exit status and the rest of stdout.
    pub(crate) fn stop(mut self, signal: &str) -> (Option<i32>, String) {
        let sent = Command::new("kill").args([signal, &self.child.id().to_string()]).status().expect("kill");
        assert!(sent.success());
        let status = self.child.wait().expect("wait");
        let mut rest = String::new();
        let _ = self.stdout.read_to_string(&mut rest);
        (status.code(), rest)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_http_it_follows_the_vendor_openapi_and_the_control_route_drives_it() {
    for version in ApiVersion::ALL {
        let double = Running::start(&["--http", "--listen", "127.0.0.1:0", "--api-version", version.name()]);
        let base = double.printed("base URL: ", " ");
        assert!(base.starts_with("http://127.0.0.1:"), "{}", double.banner);
        for shown in [d::API_USER_NAME, d::API_PASSWORD, d::EXCHANGE_PASSWORD, d::USER_CODE, "/__double/state"] {
            assert!(double.banner.contains(shown), "{shown} not printed:\n{}", double.banner);
        }
        let client = crate::helpers::http();
        every_endpoint_conforms(&base, version, version, &client).await;

        // The control route: set the mailbox's state, restore, read what was restored.
        let mailbox = format!("{base}/__double/mailboxes/062fd52a-c781-4bac-a2a6-dce34f20bfe8");
        let drift = json!({"missing": 3, "changed": 2, "unchanged": 5, "unwritableMissing": 1});
        let set: Value = client.put(&mailbox).json(&drift).send().await.expect("PUT").json().await.expect("JSON");
        assert_eq!(set["state"], drift, "{set}");
        let form = [
            ("grant_type", "password"),
            ("username", d::API_USER_NAME),
            ("password", d::API_PASSWORD),
            ("disable_antiforgery_token", "true"),
        ];
        let token: Value = client
            .post(format!("{base}/{version}/token"))
            .form(&form)
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("JSON");
        let bearer = format!("Bearer {}", token["access_token"].as_str().expect("token"));
        let explore = format!("{base}/{version}/Organizations/{}/explore", d::ORGANIZATION_ID);
        let session: Value = client
            .post(explore)
            .header("authorization", &bearer)
            .send()
            .await
            .expect("explore")
            .json()
            .await
            .expect("JSON");
        let restore = format!(
            "{base}/{version}/RestoreSessions/{}/organization/mailboxes/062fd52a-c781-4bac-a2a6-dce34f20bfe8/restore",
            session["id"].as_str().expect("id")
        );
        let body = json!({"userCode": d::USER_CODE});
        let answer = client.post(restore).header("authorization", &bearer).json(&body).send().await.expect("restore");
        assert_eq!(answer.status().as_u16(), 200);
        let answer: Value = answer.json().await.expect("JSON");
        if !version.restores_in_background() {
            assert_eq!(
                (
                    &answer["createdItemsCount"],
                    &answer["mergedItemsCount"],
                    &answer["failedItemsCount"],
                    &answer["skippedItemsCount"]
                ),
                (&json!(2), &json!(2), &json!(1), &json!(5)),
                "{answer}"
            );
        }
        let after: Value = client.get(&mailbox).send().await.expect("GET").json().await.expect("JSON");
        assert_eq!(after["state"], json!({"missing": 1, "changed": 0, "unchanged": 9, "unwritableMissing": 1}));
        assert_eq!(after["restored"], true);
        let state: Value =
            client.get(format!("{base}/__double/state")).send().await.expect("state").json().await.expect("JSON");
        assert_eq!(state["restores"], 2, "{state}");
        assert_eq!(state["stoppedSessions"].as_array().map(Vec::len), Some(1), "{state}");
        assert_eq!(state["apiVersion"], version.name());

        let (code, rest) = double.stop(if version == ApiVersion::V7 { "-INT" } else { "-TERM" });
        assert_eq!(code, Some(0), "{rest}");
        let expected = if version == ApiVersion::V7 { "stopped (Ctrl-C)" } else { "stopped (SIGTERM)" };
        assert!(rest.contains(expected), "{rest}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_a_client_trusts_the_ca_it_names_on_start() {
    let double =
        Running::start(&["--listen", "127.0.0.1:0", "--api-version", "v8", "--fault", "v8-session-id-missing"]);
    let base = double.printed("base URL: ", " ");
    assert!(base.starts_with("https://localhost:"), "{}", double.banner);
    let ca_file = double.printed("trust its CA: ", " ");
    let ca = std::fs::read(&ca_file).expect("the CA file it named");
    let client = crate::helpers::http_builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("PEM"))
        .build()
        .expect("client");
    let form = [
        ("grant_type", "password"),
        ("username", d::API_USER_NAME),
        ("password", d::API_PASSWORD),
        ("disable_antiforgery_token", "true"),
    ];
    let token = client.post(format!("{base}/v8/token")).form(&form).send().await.expect("token over HTTPS");
    assert_eq!(token.status().as_u16(), 200);
    let untrusting = crate::helpers::http().post(format!("{base}/v8/token")).form(&form).send().await;
    assert!(untrusting.is_err(), "a client that does not trust the CA is refused");
    let (code, rest) = double.stop("-TERM");
    assert_eq!(code, Some(0), "{rest}");
    assert!(!std::path::Path::new(&ca_file).exists(), "the CA file made for the run is removed");
}

#[test]
fn it_lists_every_fault_and_variation_and_refuses_one_of_another_version() {
    let output = Command::new(env!("CARGO_BIN_EXE_vb365-double")).arg("--list-faults").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let listed = String::from_utf8_lossy(&output.stdout);
    for name in FAULTS.iter().map(|f| f.name).chain(VARIATIONS.iter().map(|v| v.name)) {
        assert!(listed.lines().any(|line| line.split_whitespace().next() == Some(name)), "{name}:\n{listed}");
    }
    let refused = Command::new(env!("CARGO_BIN_EXE_vb365-double"))
        .args(["--http", "--listen", "127.0.0.1:0", "--api-version", "v8", "--fault", "count-as-string"])
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("does not apply to v8"));
}

/// vb365-double writes what a live run against it needs (the settings, a file a shell sources,
/// and the application certificate as a .pfx beside it): an installed suite's strict acceptance
/// run against it is two commands, as the README shows, with every credential variant.
#[test]
fn an_installed_suites_acceptance_run_against_it_is_two_commands() {
    let folders = crate::tempfile::tempdir().expect("temp dir");
    let (bin, work) = (folders.path().join("bin"), folders.path().join("work"));
    std::fs::create_dir_all(&bin).expect("bin");
    std::fs::create_dir_all(&work).expect("work");
    for (name, built) in [
        ("vb365-double", env!("CARGO_BIN_EXE_vb365-double")),
        ("vb365-conformance", env!("CARGO_BIN_EXE_vb365-conformance")),
    ] {
        std::fs::copy(built, bin.join(name)).expect("install");
    }
    let settings = work.join("double.env");
    // 1. vb365-double --settings-file double.env   (in a terminal of its own)
    let mut command = Command::new(bin.join("vb365-double"));
    command.args(["--listen", "127.0.0.1:0", "--settings-file"]).arg(&settings);
    let double = Running::spawn(command);
    assert!(double.banner.contains(&format!("settings for vb365-conformance: {}", settings.display())));
    let text = std::fs::read_to_string(&settings).expect("the settings file");
    assert!(text.contains("export VB365_APPLICATION_CERTIFICATE='") && work.join("double.pfx").exists(), "{text}");
    // 2. . ./double.env && VB365_STRICT=1 vb365-conformance
    let mut suite = Command::new("sh");
    suite.args(["-c", ". ./double.env && VB365_STRICT=1 exec \"$1\"", "sh"]).arg(bin.join("vb365-conformance"));
    for (name, _) in std::env::vars() {
        if name.starts_with("VB365_") || name.starts_with("CARGO") || name == "LD_LIBRARY_PATH" {
            suite.env_remove(name);
        }
    }
    let output = suite.current_dir(&work).output().expect("the suite runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("(live server)") && stdout.ends_with(" 0 failed, 0 skipped\n"), "{stdout}");
    let results = std::fs::read_to_string(work.join("vb365-conformance-reports/results.json")).expect("results");
    let results: Value = serde_json::from_str(&results).expect("JSON");
    assert_eq!(results["verdict"], "ACCEPTED", "{results}");
    let certificate = results["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| s["tags"].as_array().is_some_and(|tags| tags.iter().any(|t| t == "certificate")))
        .filter(|s| s["status"] == "passed")
        .count();
    assert!(certificate > 0, "the certificate variant ran: {results}");
    let (code, rest) = double.stop("-TERM");
    assert_eq!(code, Some(0), "{rest}");
}
