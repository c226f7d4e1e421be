//! A typo in the operator's own Exchange credentials is the operator's mistake, not the
//! server's: when a live server refuses the restore with the configured credentials, the run
//! ends with one line naming the settings and quoting the server (redacted), exit status 2.

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
    }
}
