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
