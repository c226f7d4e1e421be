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
