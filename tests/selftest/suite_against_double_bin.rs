//! The suite in live mode against `vb365-double`, the standalone double, served over HTTPS with
//! the CA it names on start: a strict acceptance run passes in v6, v7 and v8 with nothing
//! failed or skipped (also one after the other against one process serving them all), and a
//! fault started with it is caught.

use crate::double_bin::Running;
use crate::helpers::run_suite;

fn run_against(extra: &[&str], version: &str) -> (crate::helpers::SuiteRun, Running) {
    let mut args = vec!["--listen", "127.0.0.1:0", "--api-version", version];
    args.extend_from_slice(extra);
    let double = Running::start(&args);
    (strict_run(&double, version), double)
}

/// A strict live run of `version` against `double`.
fn strict_run(double: &Running, version: &str) -> crate::helpers::SuiteRun {
    let base = double.printed("base URL: ", " ");
    let ca_file = double.printed("trust its CA: ", " ");
    let mut env = crate::live::live_env(&base, &ca_file);
    env.extend([("VB365_API_VERSION", version.to_owned()), ("VB365_STRICT", "1".to_owned())]);
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    run_suite(&env, &[])
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

/// One process serving every version, its state left as each run leaves it (mailbox restored,
/// sessions stopped), as a real server's is between runs of its versions.
#[test]
fn strict_live_runs_of_each_version_against_one_all_version_vb365_double_pass() {
    let double = Running::start(&["--listen", "127.0.0.1:0", "--api-version", "all"]);
    for version in ["v6", "v7", "v8"] {
        let run = strict_run(&double, version);
        assert_eq!(run.code, Some(0), "{version}: {}\n{}", run.stdout, run.stderr);
        assert!(run.closing_line().ends_with(" 0 failed, 0 skipped"), "{version}: {}", run.closing_line());
    }
    let (code, _) = double.stop("-TERM");
    assert_eq!(code, Some(0));
}

#[test]
fn a_fault_vb365_double_is_started_with_is_caught_by_a_live_run() {
    let (run, double) = run_against(&["--fault", "device-code-not-checked"], "v6");
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.contains("[EXCHANGE-CREDENTIALS]"), "{}", run.stdout);
    double.stop("-TERM");
}
