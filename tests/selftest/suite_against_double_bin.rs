//! The suite in live mode against `vb365-double`, the standalone double, served over HTTPS with
//! the CA it names on start: a strict acceptance run passes in v6, v7 and v8 with nothing
//! failed or skipped, and a fault started with it is caught.

use vb365_conformance::double::defaults as d;

use crate::double_bin::Running;
use crate::helpers::{root, run_suite};

/// A strict live run's settings for the double at `base` whose CA is `ca_file`.
fn live_env(base: &str, ca_file: &str, version: &str) -> Vec<(&'static str, String)> {
    let certificate = root().join(d::CERTIFICATE_FILE).to_string_lossy().into_owned();
    vec![
        ("VB365_BASE_URL", base.to_owned()),
        ("VB365_CA_CERT", ca_file.to_owned()),
        ("VB365_API_VERSION", version.to_owned()),
        ("VB365_USERNAME", d::API_USER_NAME.to_owned()),
        ("VB365_PASSWORD", d::API_PASSWORD.to_owned()),
        ("VB365_ORGANIZATION_ID", d::ORGANIZATION_ID.to_owned()),
        ("VB365_MAILBOX", d::MAILBOX.to_owned()),
        ("VB365_EXCHANGE_USERNAME", d::EXCHANGE_USER_NAME.to_owned()),
        ("VB365_EXCHANGE_PASSWORD", d::EXCHANGE_PASSWORD.to_owned()),
        ("VB365_USER_CODE", d::USER_CODE.to_owned()),
        ("VB365_APPLICATION_ID", d::APPLICATION_ID.to_owned()),
        ("VB365_APPLICATION_CERTIFICATE", certificate),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", d::CERTIFICATE_PASSWORD.to_owned()),
        ("VB365_IMPERSONATION_ACCOUNT", d::IMPERSONATION_ACCOUNT.to_owned()),
        ("VB365_ALLOW_RESTORE", "1".to_owned()),
        ("VB365_STRICT", "1".to_owned()),
    ]
}

fn run_against(extra: &[&str], version: &str) -> (crate::helpers::SuiteRun, Running) {
    let mut args = vec!["--listen", "127.0.0.1:0", "--api-version", version];
    args.extend_from_slice(extra);
    let double = Running::start(&args);
    let base = double.printed("base URL: ", " ");
    let ca_file = double.printed("trust its CA: ", " ");
    let env = live_env(&base, &ca_file, version);
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    (run_suite(&env, &[]), double)
}

#[test]
fn a_strict_live_run_against_vb365_double_over_https_passes_in_every_version() {
    for version in ["v6", "v7", "v8"] {
        let (run, double) = run_against(&[], version);
        assert_eq!(run.code, Some(0), "{version}: {}\n{}", run.stdout, run.stderr);
        assert!(run.closing_line().ends_with(" 0 failed, 0 skipped"), "{version}: {}", run.closing_line());
        assert!(run.stdout.contains("(live server)"), "{}", run.stdout);
        let (code, _) = double.stop("-TERM");
        assert_eq!(code, Some(0));
    }
}

#[test]
fn a_fault_vb365_double_is_started_with_is_caught_by_a_live_run() {
    let (run, double) = run_against(&["--fault", "device-code-not-checked"], "v6");
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.contains("[EXCHANGE-CREDENTIALS]"), "{}", run.stdout);
    double.stop("-TERM");
}
