//! Vendor regression checks: a run compared with a baseline (an earlier run's results.json)
//! fails only for what is new; known deviations (VB365_EXPECTATIONS) are accepted on purpose and
//! said so, fixed ones are reported, expired ones excuse nothing (their failures count, and the
//! verdict follows); files that cannot be used are setting errors.

use crate::tempfile;
use serde_json::Value;

use crate::helpers::{SuiteRun, run_suite};

fn results(run: &SuiteRun) -> Value {
    serde_json::from_str(&run.report("results.json")).expect("results.json")
}

/// A run whose results.json is kept at `path`.
fn keep(run: &SuiteRun, dir: &tempfile::TempDir, name: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, run.report("results.json")).expect("keep results.json");
    path.to_string_lossy().into_owned()
}

#[test]
fn a_run_against_a_baseline_fails_only_for_what_is_new() {
    let kept = tempfile::tempdir().expect("temp dir");
    // Build N: accepted.
    let accepted = run_suite(&[], &[]);
    assert_eq!(accepted.code, Some(0), "{}", accepted.stdout);
    let build_n = keep(&accepted, &kept, "build-n.json");

    // Build N+1 breaks a must requirement: newly failing, and the run fails.
    let broken = run_suite(&[("VB365_BASELINE", &build_n), ("VB365_DOUBLE_FAULT", "device-code-not-checked")], &[]);
    assert_eq!(broken.code, Some(1), "{}", broken.stdout);
    assert!(broken.stdout.contains("2 newly failing"), "the must and the should cell: {}", broken.stdout);
    assert!(broken.stdout.contains("EXCHANGE-CREDENTIALS (device-code, must): pass → FAIL"), "{}", broken.stdout);
    assert!(broken.stdout.contains("exit 1: new must failures since the baseline"), "{}", broken.stdout);
    let json = results(&broken);
    let newly = json["regression"]["baseline"]["newly_failing"].to_string();
    assert!(newly.contains("\"requirement\":\"EXCHANGE-CREDENTIALS\""), "{json}");
    assert!(broken.report("signoff.md").contains("## Compared with the baseline"), "a section near the top");
    // docs/regression.md shows this run's console: each of its lines, figures included, but the
    // baseline's path and date.
    let docs = std::fs::read_to_string(crate::helpers::root().join("docs/regression.md")).expect("docs/regression.md");
    let example = docs.split("```\nbaseline ").nth(1).and_then(|rest| rest.split("```").next()).expect("the example");
    for line in format!("baseline {example}").lines() {
        let line = line.split_once("Z): ").map_or(line, |(_, figures)| figures);
        assert!(broken.stdout.contains(line), "docs/regression.md's {line:?} is not this run's:\n{}", broken.stdout);
    }

    // Build N+2 still has it: nothing new, the run passes; then fixed: newly passing.
    let build_n1 = keep(&broken, &kept, "build-n1.json");
    let same = run_suite(&[("VB365_BASELINE", &build_n1), ("VB365_DOUBLE_FAULT", "device-code-not-checked")], &[]);
    assert_eq!(same.code, Some(0), "an old failure is not new: {}", same.stdout);
    assert_eq!(crate::verdicts::told(&same), "ACCEPTED WITH BASELINE FAILURES");
    assert!(same.stdout.contains("0 newly failing"), "{}", same.stdout);
    let fixed = run_suite(&[("VB365_BASELINE", &build_n1)], &[]);
    assert_eq!(fixed.code, Some(0));
    assert!(fixed.stdout.contains("2 newly passing"), "{}", fixed.stdout);

    // A must scenario that fails on a requirement it is not tagged with (its cells read "not
    // reached") is new too.
    let v8 = run_suite(&[("VB365_API_VERSION", "v8")], &["--tags", "@password"]);
    let v8_baseline = keep(&v8, &kept, "v8.json");
    let stuck = [
        ("VB365_API_VERSION", "v8"),
        ("VB365_BASELINE", v8_baseline.as_str()),
        ("VB365_DOUBLE_FAULT", "v8-restore-never-finishes"),
        ("VB365_TIMEOUT_SECS", "1"),
    ];
    let stuck = run_suite(&stuck, &["--tags", "@password"]);
    assert_eq!(stuck.code, Some(1), "{}", stuck.stdout);
    assert!(stuck.stdout.contains("exit 1: scenarios failing since the baseline"), "{}", stuck.stdout);

    // A new should failure fails a strict run only.
    let warning = [("VB365_BASELINE", build_n.as_str()), ("VB365_DOUBLE_FAULT", "exchange-refusal-400")];
    assert_eq!(run_suite(&warning, &[]).code, Some(0));
    let strict = run_suite(&[warning[0], warning[1], ("VB365_STRICT", "1")], &[]);
    assert_eq!(strict.code, Some(1), "{}", strict.stdout);
    assert!(strict.stdout.contains("exit 1: strict run (VB365_STRICT=1) and new should failures"), "{}", strict.stdout);
}

#[test]
fn known_deviations_are_accepted_on_purpose_never_silently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("expectations.toml");
    std::fs::write(
        &path,
        "[[deviation]]\nrequirement = \"EXCHANGE-REFUSED\"\nreason = \"answers 400; vendor ticket 01234567\"\nexpires = \"2099-12-31\"\n\n\
         [[deviation]]\nrequirement = \"AUTH-401\"\nreason = \"answered 403 until build 9\"\n",
    )
    .expect("write");
    let file = path.to_string_lossy().into_owned();
    let run = run_suite(
        &[("VB365_EXPECTATIONS", &file), ("VB365_DOUBLE_FAULT", "exchange-refusal-400"), ("VB365_STRICT", "1")],
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert_eq!(crate::verdicts::told(&run), "ACCEPTED WITH KNOWN DEVIATIONS");
    // The line before the closing line counts them; the closing line keeps its form.
    let lines: Vec<&str> = run.stdout.lines().rev().take(2).collect();
    assert_eq!(lines[0], "86 passed, 0 failed, 0 skipped", "{}", run.stdout);
    assert_eq!(
        lines[1],
        "91 scenarios: 86 passed, 0 failed, 5 known deviations (VB365_EXPECTATIONS; not counted as failed), 0 skipped"
    );
    // The line docs/reports.md shows.
    let docs = std::fs::read_to_string(crate::helpers::root().join("docs/reports.md")).expect("docs/reports.md");
    assert!(docs.replace('\n', " ").contains(&format!("(`{}`)", lines[1])), "docs/reports.md shows another line");
    assert!(run.stdout.contains("fixed: remove the expectation AUTH-401"), "{}", run.stdout);
    let json = results(&run);
    let known =
        json["scenarios"].as_array().expect("scenarios").iter().filter(|s| s["status"] == "known-deviation").count();
    assert_eq!(known, 5, "{json}");
    assert!(run.report("junit.xml").contains("failures=\"0\"") && run.report("junit.xml").contains("KNOWN DEVIATION"));
    assert!(run.report("signoff.md").contains("known deviation"), "listed in the sign-off");

    // A should entry never covers a must scenario that failed on it.
    std::fs::write(&path, "[[deviation]]\nrequirement = \"V8-FINISHES\"\nreason = \"slow\"\n").expect("write");
    let stuck = run_suite(
        &[
            ("VB365_EXPECTATIONS", &file),
            ("VB365_API_VERSION", "v8"),
            ("VB365_DOUBLE_FAULT", "v8-restore-never-finishes"),
            ("VB365_TIMEOUT_SECS", "1"),
        ],
        &["--tags", "@password"],
    );
    assert_eq!(stuck.code, Some(1), "{}", stuck.stdout);
    assert!(stuck.stdout.contains("verdict: REJECTED"), "{}", stuck.stdout);
    std::fs::write(
        &path,
        "[[deviation]]\nrequirement = \"EXCHANGE-REFUSED\"\nreason = \"answers 400; vendor ticket 01234567\"\n",
    )
    .expect("write");

    // A must failure it does not list still rejects the server.
    let rejected = run_suite(&[("VB365_EXPECTATIONS", &file), ("VB365_DOUBLE_FAULT", "count-as-string")], &[]);
    assert_eq!(rejected.code, Some(1));
    assert!(rejected.stdout.contains("verdict: REJECTED"), "{}", rejected.stdout);

    // An expired entry excuses nothing: its failures count, the cells read FAIL, and the verdict
    // follows, in every report.
    std::fs::write(&path, "[[deviation]]\nrequirement = \"BODY-COUNTS\"\nreason = \"old\"\nexpires = \"2020-01-01\"\n")
        .expect("write");
    let expired = run_suite(&[("VB365_EXPECTATIONS", &file), ("VB365_DOUBLE_FAULT", "count-negative")], &[]);
    assert_eq!(crate::verdicts::told(&expired), "REJECTED");
    assert!(expired.stdout.contains("expired on 2020-01-01: the expectation BODY-COUNTS: old"), "{}", expired.stdout);
    assert!(!expired.closing_line().contains(" 0 failed"), "{}", expired.closing_line());
    let markdown = expired.report("signoff.md");
    let row = markdown.lines().find(|line| line.starts_with("| **BODY-COUNTS**")).expect("BODY-COUNTS row");
    assert!(row.contains("FAIL") && !row.contains("known deviation"), "{row}");
    assert!(markdown.contains("it no longer excuses this failure"), "{markdown}");
    let json = results(&expired);
    assert!(json["scenarios"].as_array().expect("scenarios").iter().all(|s| s["status"] != "known-deviation"));
}

/// A whole-server run's results.json as the baseline: each version of a run is compared with the
/// same version of it; a version it did not check is compared with nothing, and the run says so.
#[test]
fn a_whole_server_baseline_is_compared_version_by_version() {
    let kept = tempfile::tempdir().expect("temp dir");
    let fault = ("VB365_DOUBLE_FAULT", "device-code-not-checked");
    let then = run_suite(&[("VB365_API_VERSION", "v6,v8"), fault], &[]);
    assert_eq!(then.code, Some(1), "{}", then.stdout);
    let baseline = keep(&then, &kept, "whole.json");

    // v6 and v8 fail as they did then; v7, which the baseline did not check, is rejected for it.
    let now = run_suite(&[("VB365_API_VERSION", "all"), ("VB365_BASELINE", &baseline), fault], &[]);
    assert_eq!(now.code, Some(1), "{}\n{}", now.stdout, now.stderr);
    let json = results(&now);
    let verdicts: Vec<&str> =
        json["versions"].as_array().expect("versions").iter().filter_map(|v| v["verdict"].as_str()).collect();
    let old = "ACCEPTED WITH BASELINE FAILURES";
    assert_eq!(verdicts, vec![old, "REJECTED", old], "{json}");
    for version in ["v6", "v8"] {
        // Compared with the same version: every cell checked then and now.
        let line =
            now.stdout.lines().find(|line| line.starts_with(&format!("{version}: baseline {baseline} [{version}] (")));
        let line = line.unwrap_or_else(|| panic!("no comparison of {version}: {}", now.stdout));
        assert!(line.contains(": 0 newly failing, 0 newly passing, "), "{line}");
        assert!(line.ends_with(", 0 checked now but not then, 0 checked then but not now"), "{line}");
    }
    let without = format!("{baseline} has no run of API v7: v7 is compared with no baseline");
    assert!(now.stdout.contains(&format!("v7: {without}")), "{}", now.stdout);
    assert!(now.report("v7/signoff.md").contains(&without), "said in v7's sign-off");
    assert_eq!(json["versions"][1]["regression"]["without_baseline"], without.as_str(), "{json}");

    // A run of one version takes that version of it.
    let one = run_suite(&[("VB365_API_VERSION", "v8"), ("VB365_BASELINE", &baseline), fault], &[]);
    assert_eq!(one.code, Some(0), "{}\n{}", one.stdout, one.stderr);
    assert_eq!(crate::verdicts::told(&one), old);
    assert!(one.stdout.contains(&format!("baseline {baseline} [v8] (")), "{}", one.stdout);
}

#[test]
fn a_baseline_or_expectations_that_cannot_be_used_is_a_one_line_setting_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"verdict\": \"ACCEPTED\"}").expect("write");
    let v6 = run_suite(&[], &["--tags", "@device-code"]);
    let v6_results = dir.path().join("v6.json");
    std::fs::write(&v6_results, v6.report("results.json")).expect("write");
    let whole = dir.path().join("whole.json");
    let whole_run = run_suite(&[("VB365_API_VERSION", "v6,v7")], &["--tags", "@device-code"]);
    std::fs::write(&whole, whole_run.report("results.json")).expect("write");
    let toml = dir.path().join("bad.toml");
    std::fs::write(&toml, "[[deviation]]\nrequirement = \"NO-SUCH\"\nreason = \"x\"\n").expect("write");
    let cases = [
        (vec![("VB365_BASELINE", other.to_string_lossy().into_owned())], "is not a results.json of this suite"),
        (
            vec![("VB365_BASELINE", v6_results.to_string_lossy().into_owned()), ("VB365_API_VERSION", "v8".into())],
            "is a run of API v6; this run checks v8",
        ),
        (vec![("VB365_EXPECTATIONS", toml.to_string_lossy().into_owned())], "NO-SUCH is no requirement"),
        // A whole-server run's, of no version this run checks.
        (
            vec![("VB365_BASELINE", whole.to_string_lossy().into_owned()), ("VB365_API_VERSION", "v8".into())],
            "is a run of API v6,v7; this run checks v8: give a baseline of the same API version",
        ),
    ];
    for (env, expected) in cases {
        let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let run = run_suite(&env, &[]);
        assert_eq!(run.code, Some(2), "{env:?}: {}", run.stdout);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(expected), "{env:?}: {}", run.stderr);
    }
}

/// A baseline of another target (here: the double, then a live server) is compared, and the
/// change of target is named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_target_is_named() {
    let kept = tempfile::tempdir().expect("temp dir");
    let on_double = run_suite(&[], &["--tags", "@device-code"]);
    let baseline = keep(&on_double, &kept, "double.json");
    let server = crate::live::HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_BASELINE", &baseline)]).await;
    let expected = format!("the target changed: the embedded double then, {} now", server.url());
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    assert!(!on_double.stdout.contains("the target changed"));
}
