//! `--help` and `--version`: printed before anything else happens (no report, no server, no
//! double). `--help` explains the suite, then shows cucumber's own options.

use crate::suite::settings::DEFAULT_REPORT_DIR;

/// What `--help` prints before cucumber's options.
pub fn suite_help() -> String {
    format!(
        "\
vb365-conformance {version}: a conformance suite for one operation of the Veeam Backup for
Microsoft 365 REST API (v6, v7, v8), restoring a backed-up mailbox to its original Exchange server:
POST /{{version}}/RestoreSessions/{{restoreSessionId}}/organization/mailboxes/{{mailboxId}}/restore.
With no setting it checks the suite against its embedded double; set VB365_BASE_URL to check a
server. The feature files, schemas and the double's certificate are built in.

Usage: vb365-conformance [OPTIONS]      (cucumber's options below: --tags, --name, --input, --color ...)
       vb365-conformance merge RESULTS.json...
                                        many runs' results.json in one view (merge --help)

Settings (environment variables; empty counts as unset, except VB365_BASE_URL):
  VB365_BASE_URL            the server, scheme://host:port (default: unset, the embedded double)
  VB365_API_VERSION         v6, v7, v8, a list (v6,v8; each version once) or all: every version against the
                            same server (default v6)
  VB365_INSECURE=1          accept an invalid server certificate (default: verify it)
  VB365_CA_CERT             a PEM file of a CA to trust besides the system's (default: none)
  VB365_TOKEN               a bearer token, used as is (default: sign in)
  VB365_USERNAME, VB365_PASSWORD
                            sign in with POST /{{version}}/token (default: the double's operator)
  VB365_RESTORE_SESSION_ID  an existing restore session, live only (default: start one, stop it at the end)
  VB365_ORGANIZATION_ID     the organization to explore, live only (default: the double's)
  VB365_MAILBOX_ID, VB365_MAILBOX
                            the mailbox, by id (live only), or by e-mail address or name
                            (default jsmith@westsupport.onmicrosoft.com)
  VB365_ALLOW_RESTORE=1     allow requests that can change the original mailbox, live only
                            (default: they are skipped; always on for the double)
  VB365_PROBE_EXCHANGE_PASSWORD=1
                            also send the configured Exchange user a wrong or empty password,
                            live only: each attempt counts toward the account's lockout
                            (default: those checks read not checked; always on for the double)
  VB365_EXCHANGE_USERNAME, VB365_EXCHANGE_PASSWORD
                            the user name and password variant (double: the vendor page's example)
  VB365_USER_CODE           the device code variant (double: C6A9DB737)
  VB365_APPLICATION_ID, VB365_APPLICATION_CERTIFICATE (a .pfx file),
  VB365_APPLICATION_CERTIFICATE_PASSWORD, VB365_IMPERSONATION_ACCOUNT
                            the application certificate variant (double: a built-in .pfx)
                            A variant not set at all is skipped on a live server (a strict run
                            there does not start without every variant); half set is an error.
  VB365_STRICT=1            acceptance sign-off: a failed should, a skip or a filter fails the run
  VB365_TIMEOUT_SECS        per-request timeout (at least 1); in v8 also for a restore to finish
                            (default 10 on the double, 1800 on a live server)
  VB365_REPORT_DIR          the report folder (default ./{reports} of the working folder)
  VB365_FEATURES_DIR        run the feature files of this folder instead of the built-in ones
  VB365_DOUBLE_FAULT, VB365_DOUBLE_VARIATION
                            start the double with a fault or a benign variation (default: none)
  VB365_BASELINE            an earlier run's results.json (a whole server's: version by version): report
                            what changed; only new failures fail
  VB365_EXPECTATIONS        a TOML file of known deviations, each with a reason and an expiry date
  Flags take 1, true, yes or 0, false, no. Any other VB365_ variable is an error (a typo).

Reports: signoff.html, signoff.md, junit.xml, cucumber.json, results.json and exchanges.har (every
request and answer, redacted), in the report folder.

Exit status: 0 exactly when the verdict starts with ACCEPTED; 1 REJECTED (a must requirement
failed), INCOMPLETE (no must requirement checked), or NOT ACCEPTED with VB365_STRICT=1 (a should
failed, a scenario was skipped or filtered out); 2 the run could not start (NOT RUN: bad argument
or setting, setup problem, no scenario matched) or STOPPED on a setup problem found after scenarios
ran; 130 Ctrl-C; 143 SIGTERM (INTERRUPTED). Every problem before the first request is one line.
--help and --version print only.

Cucumber's options:
",
        version = env!("CARGO_PKG_VERSION"),
        reports = DEFAULT_REPORT_DIR,
    )
}

/// What `vb365-conformance merge --help` prints.
pub fn merge_help() -> String {
    format!(
        "\
Usage: vb365-conformance merge RESULTS.json...

Merges the results.json of many runs (servers, builds, API versions) into one view: merged.html,
merged.md and merged.json in the report folder (VB365_REPORT_DIR, default ./{reports}): one row
per run (target, API version, suite version, when, verdict, restores made), a requirements x runs
matrix with the cells that differ between runs marked, and one verdict, the worst run's: ACCEPTED
only when every run is, a word that starts with ACCEPTED only when every run's does.

Exit status: 0 when every run is accepted; 1 otherwise; 2 when a file cannot be read or is not a
results.json of the suite (one line each, naming it), or the report folder cannot be written.
",
        reports = DEFAULT_REPORT_DIR,
    )
}

/// What `--version` prints.
pub fn version() -> String {
    format!(
        "vb365-conformance {} (API versions v6, v7, v8; git {})",
        env!("CARGO_PKG_VERSION"),
        env!("SUITE_GIT_REVISION")
    )
}

/// `--help`/`-h` or `--version`/`-V` among the arguments (before a `--`).
pub fn asked(flags: &[&str]) -> bool {
    std::env::args().skip(1).take_while(|arg| arg != "--").any(|arg| flags.contains(&arg.as_str()))
}
