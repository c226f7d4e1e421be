//! A typo in the operator's own Exchange credentials is the operator's mistake, not the
//! server's: when a live server refuses the restore with the configured credentials, the run
//! ends with one line naming the settings and quoting the server (redacted), exit status 2. It
//! was found after scenarios ran, so the run STOPPED (it did not fail to start): its reports name
//! the scenarios that ran, the restores made and the reason.

use crate::live::HttpsDouble;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_configured_credentials_end_the_run_as_a_setup_error_naming_the_settings() {
    let server = HttpsDouble::start(&[]).await;
    let cases = [
        (
            "VB365_EXCHANGE_PASSWORD",
            "Typo-in-the-Exchange-passw0rd",
            "VB365_EXCHANGE_USERNAME, VB365_EXCHANGE_PASSWORD",
        ),
        ("VB365_USER_CODE", "C6A9DB738", "VB365_USER_CODE"),
    ];
    for (setting, typo, named) in cases {
        let run = server.run(&[(setting, typo), ("VB365_STRICT", "1")]).await;
        assert_eq!(run.code, Some(2), "{setting}: {}\n{}", run.stdout, run.stderr);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{setting}: {}", run.stderr);
        assert!(run.stderr.contains(named), "{setting}: {}", run.stderr);
        assert!(run.stderr.contains("the credentials were refused"), "the server's message is quoted: {}", run.stderr);
        assert!(!run.stdout.contains("verdict: REJECTED"), "{setting}: the server was blamed: {}", run.stdout);
        assert!(!run.everything_written().contains(typo), "{setting}: the secret leaked");
        let markdown = run.report("signoff.md");
        assert!(markdown.starts_with("# Sign-off: STOPPED\n"), "{setting}: {markdown}");
        assert!(!markdown.contains("could not start"), "{setting}: {markdown}");
        assert!(markdown.contains("## Scenarios that ran") && markdown.contains("| Restores made | "), "{markdown}");
        let results: serde_json::Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
        assert_eq!((&results["verdict"], &results["exit_status"]), (&"STOPPED".into(), &2.into()), "{results}");
        assert!(results["restores_made"].as_u64().is_some_and(|made| made > 0), "a number: {results}");
        assert!(results["scenarios"].as_array().is_some_and(|ran| !ran.is_empty()), "{results}");
        assert!(results["reason"].as_str().is_some_and(|r| r.contains(named)), "{results}");
        assert!(run.closing_line().starts_with("verdict: STOPPED ("), "{}", run.closing_line());
        assert!(run.closing_line().contains(" scenarios ran, ") && run.closing_line().contains(" restores made)"));
    }
}

/// One rule for a refused restore, live and on the double alike: a server that refuses one
/// variant's valid credentials while the others restore cannot be told from a typo in that
/// variant's settings, so the run stops naming those settings alone, whichever target it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_variants_valid_credentials_refused_stop_the_run_naming_that_variant_live_and_on_the_double() {
    use vb365_conformance::contract::credentials::Variant;
    let fault = [("VB365_DOUBLE_FAULT", "valid-device-code-refused")];
    let server = HttpsDouble::start(&fault).await;
    let live = server.run(&[("VB365_STRICT", "1")]).await;
    let double = crate::helpers::run_suite(&[fault[0], ("VB365_STRICT", "1")], &[]);
    for (target, run) in [("live", &live), ("double", &double)] {
        run.stopped_naming(&[Variant::DeviceCode])
            .unwrap_or_else(|problem| panic!("{target}: {problem}\n{}", run.stdout));
        let results: serde_json::Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
        let reason = results["reason"].as_str().unwrap_or_default();
        assert!(!reason.contains("VB365_EXCHANGE_PASSWORD"), "{target}: only the refused variant is named: {reason}");
        assert!(results["restores_made"].as_u64().is_some_and(|made| made > 0), "{target}: the others restored");
        assert!(run.closing_line().starts_with("verdict: STOPPED ("), "{target}: {}", run.closing_line());
    }
}

/// A strict sign-off checks every credential variant: with one not configured it could only end
/// NOT ACCEPTED (STRICT: INCOMPLETE), after the others' real restores. So it is a setting error,
/// before any request, naming each missing variant's settings; without VB365_STRICT the
/// variants configured are checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strict_live_run_without_every_variant_does_not_start_and_names_the_missing_settings() {
    let server = HttpsDouble::start(&[]).await;
    let device_code = "VB365_USER_CODE (the device code variant)";
    let certificate = "VB365_APPLICATION_ID, VB365_APPLICATION_CERTIFICATE, VB365_APPLICATION_CERTIFICATE_PASSWORD, VB365_IMPERSONATION_ACCOUNT (the application certificate variant)";
    let no_certificate = [
        ("VB365_APPLICATION_ID", ""),
        ("VB365_APPLICATION_CERTIFICATE", ""),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", ""),
        ("VB365_IMPERSONATION_ACCOUNT", ""),
    ];
    let one = server.run(&[("VB365_STRICT", "1"), ("VB365_USER_CODE", "")]).await;
    let two = server.run(&[&[("VB365_STRICT", "1"), ("VB365_USER_CODE", "")][..], &no_certificate].concat()).await;
    for (run, named) in [(&one, device_code.to_owned()), (&two, format!("{device_code} and {certificate}"))] {
        assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
        let line = format!(
            "vb365-conformance: a strict run (VB365_STRICT=1) checks every credential variant: set {named}, or run without VB365_STRICT to check the variants configured"
        );
        assert_eq!(run.stderr.trim(), line);
        let results: serde_json::Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
        assert_eq!((&results["verdict"], &results["restores_made"]), (&"NOT RUN".into(), &0.into()), "{results}");
    }
    assert!(server.double.issued_tokens().is_empty(), "a request reached the server");
    assert_eq!(server.double.restores(), 0, "real restores were spent on a sign-off that could not pass");
    let lenient = server.run(&[("VB365_USER_CODE", "")]).await;
    assert_eq!(crate::verdicts::told(&lenient), "ACCEPTED AS FAR AS CHECKED", "{}", lenient.stdout);
    assert!(server.double.restores() > 0);
}

/// The operator's own API login refused: one line naming the settings to check (the client
/// knows the request, the suite the settings), never the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_api_login_names_the_settings_to_check() {
    let server = HttpsDouble::start(&[]).await;
    let password = "Wrong-Api-Passw0rd";
    let run = server.run(&[("VB365_PASSWORD", password)]).await;
    assert_eq!((run.code, run.stderr.trim().lines().count()), (Some(2), 1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(
            "the server refused to sign in vb365-conformance\\restore-operator (POST /v6/token answered 400 Bad Request"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.trim().ends_with("(check VB365_USERNAME and VB365_PASSWORD)"), "{}", run.stderr);
    assert!(!run.everything_written().contains(password), "the password leaked");
    let token = server.run(&[("VB365_TOKEN", "not-a-token-the-server-issued")]).await;
    assert_eq!((token.code, token.stderr.trim().lines().count()), (Some(2), 1), "{}", token.stderr);
    assert!(token.stderr.contains("the server refused the token (VB365_TOKEN)"), "{}", token.stderr);
}
