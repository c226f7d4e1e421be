//! The leak canary's runs: every secret setting holds a canary (tests/selftest/leaks.rs), at the
//! highest verbosity, in v6, v7 and v8, against the embedded double and against the double served
//! over HTTPS as a live server; passing and failing, with error answers that quote the request's
//! credentials, a baseline and known deviations, a token renewed by its lifetime and after a 401,
//! a setup error (NOT RUN) and a run ended by SIGTERM (INTERRUPTED). Each run must end as its case
//! says (so that it shows what it claims), and nothing it wrote may hold a canary.

use serde_json::Value;

use crate::helpers::{SuiteRun, run_suite};
use crate::leaks::{
    API_PASSWORD, API_TOKEN, CERTIFICATE_FILE, CERTIFICATE_PASSWORD, Canary, EXCHANGE_PASSWORD, USER_CODE, canaries,
    scan, written,
};
use crate::live::HttpsDouble;
use crate::tempfile;

/// The Exchange credentials of every variant, each secret a canary.
fn exchange() -> Vec<(&'static str, String)> {
    let certificate = crate::helpers::root().join(CERTIFICATE_FILE).to_string_lossy().into_owned();
    vec![
        ("VB365_EXCHANGE_USERNAME", "canary.user@westsupport.onmicrosoft.com".into()),
        ("VB365_EXCHANGE_PASSWORD", EXCHANGE_PASSWORD.into()),
        ("VB365_USER_CODE", USER_CODE.into()),
        ("VB365_APPLICATION_ID", "6c1a7c1e-2f7e-4c57-9a51-0d2a7f3c9e11".into()),
        ("VB365_APPLICATION_CERTIFICATE", certificate),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", CERTIFICATE_PASSWORD.into()),
        ("VB365_IMPERSONATION_ACCOUNT", "canary.admin@westsupport.onmicrosoft.com".into()),
    ]
}

const PASSWORD_LOGIN: [(&str, &str); 3] =
    [("VB365_USERNAME", "canary-operator"), ("VB365_PASSWORD", API_PASSWORD), ("VB365_TOKEN", "")];
const TOKEN_LOGIN: [(&str, &str); 3] = [("VB365_USERNAME", ""), ("VB365_PASSWORD", ""), ("VB365_TOKEN", API_TOKEN)];

/// The exchange canaries, a login, and `more`, without the settings set to "" (unset).
fn settings(login: &[(&'static str, &str)], more: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut env = exchange();
    env.extend(login.iter().chain(more).map(|(name, value)| (*name, (*value).to_owned())));
    env
}

/// The verdict results.json gives, or why there is none.
fn verdict(run: &SuiteRun) -> String {
    let Ok(text) = std::fs::read_to_string(run.report_dir.path().join("results.json")) else {
        return "no results.json".into();
    };
    let results: Value = serde_json::from_str(&text).unwrap_or_default();
    results["verdict"].as_str().unwrap_or("no verdict").to_owned()
}

/// What is wrong with `run` of case `name`: an end other than (exit status, verdict), and every
/// canary found in what it wrote.
fn check_run(name: &str, run: &SuiteRun, expected: (i32, &str), canaries: &[Canary]) -> Vec<String> {
    let mut problems = Vec::new();
    let ended = (run.code, verdict(run));
    if ended != (Some(expected.0), expected.1.to_owned()) {
        problems.push(format!("{name}: ended {ended:?}, expected {expected:?}\n{}\n{}", run.stdout, run.stderr));
    }
    problems.extend(scan(canaries, &written(run)).into_iter().map(|leak| format!("{name}: leaked {leak}")));
    problems
}

#[test]
fn no_canary_leaks_from_runs_against_the_embedded_double() {
    let kept = tempfile::tempdir().expect("temp dir");
    let baseline = kept.path().join("baseline.json").to_string_lossy().into_owned();
    let expectations = kept.path().join("expectations.toml");
    std::fs::write(
        &expectations,
        "[[deviation]]\nrequirement = \"EXCHANGE-CREDENTIALS\"\nreason = \"CNRY-free reason\"\n\n\
         [[deviation]]\nrequirement = \"EXCHANGE-REFUSED\"\nreason = \"answers 400\"\n",
    )
    .expect("expectations");
    let expectations = expectations.to_string_lossy().into_owned();
    let echo = ("VB365_DOUBLE_VARIATION", "error-echoes-request");
    // (name, login, more settings, exit status, verdict); the first run's results.json is the
    // baseline of a later one.
    let cases: [(&str, &[(&'static str, &str)], Vec<(&'static str, &str)>, i32, &str); 11] = [
        ("v6, password", &PASSWORD_LOGIN, vec![], 0, "ACCEPTED"),
        ("v6, token", &TOKEN_LOGIN, vec![], 0, "ACCEPTED"),
        ("v6: count-as-string", &PASSWORD_LOGIN, vec![("VB365_DOUBLE_FAULT", "count-as-string")], 1, "REJECTED"),
        (
            "v6, token: mixed-variants-accepted",
            &TOKEN_LOGIN,
            vec![("VB365_DOUBLE_FAULT", "mixed-variants-accepted")],
            0,
            "ACCEPTED WITH WARNINGS",
        ),
        // Failures that quote error bodies which quote the credentials: only scrubbing by value hides them.
        (
            "v6, token: authorization-refused-403, error-echoes-request",
            &TOKEN_LOGIN,
            vec![("VB365_DOUBLE_FAULT", "authorization-refused-403"), echo],
            0,
            "ACCEPTED WITH WARNINGS",
        ),
        ("v7, password, error-echoes-request", &PASSWORD_LOGIN, vec![("VB365_API_VERSION", "v7"), echo], 0, "ACCEPTED"),
        (
            "v7, token: device-code-not-checked",
            &TOKEN_LOGIN,
            vec![("VB365_API_VERSION", "v7"), ("VB365_DOUBLE_FAULT", "device-code-not-checked")],
            1,
            "REJECTED",
        ),
        // v8: the restore's statistics and events, polled.
        ("v8, password, error-echoes-request", &PASSWORD_LOGIN, vec![("VB365_API_VERSION", "v8"), echo], 0, "ACCEPTED"),
        (
            "v8, token: v8-session-of-another-mailbox",
            &TOKEN_LOGIN,
            vec![("VB365_API_VERSION", "v8"), ("VB365_DOUBLE_FAULT", "v8-session-of-another-mailbox")],
            1,
            "REJECTED",
        ),
        (
            "v6, against a baseline: device-code-not-checked, error-echoes-request",
            &PASSWORD_LOGIN,
            vec![("VB365_BASELINE", &baseline), ("VB365_DOUBLE_FAULT", "device-code-not-checked"), echo],
            1,
            "REJECTED",
        ),
        (
            "v7, known deviations: device-code-not-checked, error-echoes-request",
            &PASSWORD_LOGIN,
            vec![
                ("VB365_API_VERSION", "v7"),
                ("VB365_EXPECTATIONS", &expectations),
                ("VB365_DOUBLE_FAULT", "device-code-not-checked"),
                echo,
            ],
            0,
            "ACCEPTED WITH KNOWN DEVIATIONS",
        ),
    ];
    let canaries = canaries();
    let mut problems = Vec::new();
    let mut results = Vec::new();
    for (index, (name, login, more, code, word)) in cases.iter().enumerate() {
        let env = settings(login, more);
        let env: Vec<(&str, &str)> = env.iter().filter(|(_, v)| !v.is_empty()).map(|(n, v)| (*n, v.as_str())).collect();
        let run = run_suite(&env, &["-vvv"]);
        if index == 0 {
            std::fs::write(&baseline, run.report("results.json")).expect("keep the baseline");
        }
        if more.iter().any(|(n, _)| *n == "VB365_BASELINE") && !run.stdout.contains("2 newly failing") {
            problems.push(format!("{name}: not compared with the baseline\n{}", run.stdout));
        }
        problems.extend(check_run(&format!("double {name}"), &run, (*code, word), &canaries));
        results.push((run.report_dir.path().join("results.json").to_string_lossy().into_owned(), run));
    }
    // The merged view of those runs, made from their results.json: rejected ones among them.
    let merge_args: Vec<&str> = std::iter::once("merge").chain(results.iter().map(|(file, _)| file.as_str())).collect();
    let merged = run_suite(&[], &merge_args);
    if merged.code != Some(1) {
        problems.push(format!("merge: exit {:?}\n{}", merged.code, merged.stderr));
    }
    problems.extend(scan(&canaries, &written(&merged)).into_iter().map(|leak| format!("merge: leaked {leak}")));
    let versions: Vec<&str> = cases.iter().map(|(name, ..)| &name[..2]).collect();
    assert_published("leak-canary runs, embedded double", &versions, &problems);
}

/// The runs of each version and the canaries leaked are the figures docs/proof.md publishes; and
/// nothing went wrong.
fn assert_published(label: &str, versions: &[&str], problems: &[String]) {
    let runs: Vec<String> =
        ["v6", "v7", "v8"].iter().map(|v| versions.iter().filter(|r| *r == v).count().to_string()).collect();
    // A problem reads "double v6, ..." or "live v6, ...".
    let leaked: Vec<String> = ["v6", "v7", "v8"]
        .iter()
        .map(|v| {
            problems.iter().filter(|p| p.contains(": leaked ") && p.contains(&format!(" {v}"))).count().to_string()
        })
        .collect();
    println!("{label}: {} (v6, v7, v8); canaries leaked: {}", runs.join(", "), leaked.join(", "));
    assert_eq!(runs, crate::helpers::published_figures(label), "docs/proof.md's figures of {label}");
    assert_eq!(leaked, crate::helpers::published_figures("canaries leaked"), "docs/proof.md's canaries leaked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The canaries, and each token `server` issued (found by value, in every encoding).
fn with_issued_tokens(server: &HttpsDouble) -> Vec<Canary> {
    let mut all = canaries();
    let issued = server.double.issued_tokens();
    all.extend(
        issued.iter().enumerate().map(|(i, token)| Canary::secret(&format!("token #{i} the server issued"), token)),
    );
    all
}

/// The HTTPS double that accepts the canaries, in `version`, with `more` (a fault, a variation).
async fn canary_server(
    login: &[(&'static str, &str)],
    version: &'static str,
    more: &[(&'static str, &str)],
) -> HttpsDouble {
    let env = settings(login, &[&[("VB365_API_VERSION", version)], more].concat());
    let env: Vec<(&str, &str)> = env.iter().filter(|(_, v)| !v.is_empty()).map(|(n, v)| (*n, v.as_str())).collect();
    HttpsDouble::start(&env).await
}

/// A live run against `server` with the canaries, in `version`, with `more`.
async fn live_run(
    server: &HttpsDouble,
    login: &[(&'static str, &str)],
    version: &'static str,
    more: &[(&'static str, &str)],
) -> SuiteRun {
    let env = settings(login, &[&[("VB365_API_VERSION", version)], more].concat());
    let env: Vec<(&'static str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    server.run(&env).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_canary_leaks_from_live_runs_over_https() {
    let mut problems = Vec::new();
    let mut versions = Vec::new();
    let mut check = |version: &'static str, name: &str, run: &SuiteRun, end: (i32, &str), server: &HttpsDouble| {
        versions.push(version);
        problems.extend(check_run(&format!("live {version}, {name}"), run, end, &with_issued_tokens(server)));
    };

    // A token the server forgets is renewed after the 401 it gets.
    let forgets = [("VB365_DOUBLE_VARIATION", "tokens-forgotten-at-times")];
    let server = canary_server(&PASSWORD_LOGIN, "v6", &forgets).await;
    let run = live_run(&server, &PASSWORD_LOGIN, "v6", &[]).await;
    check("v6", "tokens forgotten", &run, (0, "ACCEPTED"), &server);
    // One sign-in, one after each time the server forgot its tokens, and one for each row that
    // sends the refresh token (the expired token's rows are left out: its tokens live an hour).
    assert_eq!(server.double.issued_tokens().len(), 2 * 5, "an access and a refresh token per sign-in");

    // A token the operator gave; error answers quote the request, credentials included.
    let echo = [("VB365_DOUBLE_VARIATION", "error-echoes-request")];
    let server = canary_server(&TOKEN_LOGIN, "v7", &echo).await;
    let run = live_run(&server, &TOKEN_LOGIN, "v7", &[]).await;
    check("v7", "token, error-echoes-request", &run, (0, "ACCEPTED"), &server);

    // v8, tokens that live 1 s: renewed by their expires_in while statistics and events are polled.
    let short = [("VB365_DOUBLE_VARIATION", "short-token-lifetime")];
    let server = canary_server(&PASSWORD_LOGIN, "v8", &short).await;
    let run = live_run(&server, &PASSWORD_LOGIN, "v8", &[]).await;
    check("v8", "short-lived tokens", &run, (0, "ACCEPTED"), &server);
    let sign_ins = server.double.issued_tokens().len() / 2;
    assert!(sign_ins >= 2, "live v8, short-lived tokens: {sign_ins} sign-in, no renewal");

    // A failing run: its failures quote the answers.
    let fault = [("VB365_DOUBLE_FAULT", "count-as-string")];
    let server = canary_server(&PASSWORD_LOGIN, "v6", &fault).await;
    let run = live_run(&server, &PASSWORD_LOGIN, "v6", &[]).await;
    check("v6", "count-as-string", &run, (1, "REJECTED"), &server);

    // A setup error: an organization the server does not have.
    let server = canary_server(&PASSWORD_LOGIN, "v7", &echo).await;
    let wrong = [("VB365_ORGANIZATION_ID", "5c0f5d36-0000-4000-8000-000000000000")];
    let run = live_run(&server, &PASSWORD_LOGIN, "v7", &wrong).await;
    check("v7", "wrong organization", &run, (2, "NOT RUN"), &server);

    // SIGTERM while a restore waits on the server's answer.
    let slow = [("VB365_DOUBLE_FAULT", "slow-answer"), ("VB365_TIMEOUT_SECS", "29")];
    let server = canary_server(&PASSWORD_LOGIN, "v6", &slow).await;
    let env = settings(&PASSWORD_LOGIN, &[("VB365_API_VERSION", "v6"), ("VB365_TIMEOUT_SECS", "60")]);
    let env: Vec<(&'static str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let run = crate::live::interrupted_run(&server, &env, "-TERM").await;
    check("v6", "SIGTERM", &run, (143, "INTERRUPTED"), &server);

    assert_published("leak-canary runs, live over HTTPS", &versions, &problems);
}

/// A whole server (every version in one run) over HTTPS, error answers quoting the request's
/// credentials, then one whose restores with the configured password are refused (STOPPED): no
/// file of either, in any version's folder, and no console line holds a canary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_canary_leaks_from_whole_server_runs() {
    let mut problems = Vec::new();
    let echo = [("VB365_DOUBLE_VARIATION", "error-echoes-request")];
    let server = canary_server(&PASSWORD_LOGIN, "all", &echo).await;
    let run = live_run(&server, &PASSWORD_LOGIN, "all", &[]).await;
    problems.extend(check_run("live all, error-echoes-request", &run, (0, "ACCEPTED"), &with_issued_tokens(&server)));
    let refused = [("VB365_DOUBLE_FAULT", "valid-password-refused")];
    let server = canary_server(&TOKEN_LOGIN, "all", &refused).await;
    let run = live_run(&server, &TOKEN_LOGIN, "all", &[]).await;
    problems.extend(check_run("live all, password refused", &run, (2, "STOPPED"), &with_issued_tokens(&server)));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
