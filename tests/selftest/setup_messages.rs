//! Setup messages say what to change: a closed port names VB365_BASE_URL and host:port, plain
//! HTTP to an HTTPS server suggests https://, a CA that does not match the server's certificate
//! is said to be the problem, and an unknown mailbox lists its closest matches. A request is
//! named with its API version (`POST /v6/token`).

use crate::live::HttpsDouble;

fn assert_one_line(run: &crate::helpers::SuiteRun, expected: &[&str]) {
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    for text in expected {
        assert!(run.stderr.contains(text), "{text:?} not in {}", run.stderr);
    }
    assert!(!run.stdout.contains("Scenario"), "scenarios ran: {}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_names_the_setting_and_the_address() {
    let server = HttpsDouble::start(&[]).await;
    let port = vb365_conformance::double::listen::listener(None).expect("bind").local_addr().expect("address").port();
    let url = format!("https://127.0.0.1:{port}");
    let run = server.run(&[("VB365_BASE_URL", &url)]).await;
    assert_one_line(&run, &[&format!("nothing accepts connections at 127.0.0.1:{port}"), "VB365_BASE_URL"]);
    assert!(run.stderr.contains("POST /v6/token"), "the request with its version: {}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_names_the_sign_in_with_its_version() {
    let server = HttpsDouble::start(&[("VB365_API_VERSION", "v8")]).await;
    let run = server.run(&[("VB365_CA_CERT", ""), ("VB365_API_VERSION", "v8")]).await;
    assert_one_line(&run, &["POST /v8/token", "VB365_CA_CERT", "VB365_INSECURE"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_an_https_server_suggests_https() {
    let server = HttpsDouble::start(&[]).await;
    let url = server.url().replacen("https://", "http://", 1);
    let run = server.run(&[("VB365_BASE_URL", &url)]).await;
    assert_one_line(&run, &[&format!("set VB365_BASE_URL={}", server.url())]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_that_does_not_match_the_server_is_named_as_the_problem() {
    let server = HttpsDouble::start(&[]).await;
    let other = HttpsDouble::start(&[]).await;
    let other_ca = other.ca_pem.path().to_string_lossy().into_owned();
    let run = server.run(&[("VB365_CA_CERT", &other_ca)]).await;
    assert_one_line(&run, &[&format!("the CA in VB365_CA_CERT={other_ca} does not match the server's certificate")]);
    assert!(!run.stderr.contains("set VB365_CA_CERT"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_mailbox_lists_its_closest_matches_and_how_many_there_are() {
    let server = HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_MAILBOX", "John Smyth")]).await;
    assert_one_line(&run, &["no mailbox of restore session", "VB365_MAILBOX=John Smyth", "holds 121 mailboxes"]);
    let closest = run.stderr.split("the closest: ").nth(1).unwrap_or_default();
    assert!(closest.starts_with("John Smith <jsmith@westsupport.onmicrosoft.com>"), "{}", run.stderr);
    // The 120 colleagues are not close to it.
    assert_eq!(closest.matches(" <").count(), 1, "only the close ones: {closest}");
    // Close to many: five at most.
    let run = server.run(&[("VB365_MAILBOX", "Colleague 1000")]).await;
    let closest = run.stderr.split("the closest: ").nth(1).unwrap_or_default();
    assert_eq!(closest.matches(" <").count(), 5, "at most five: {}", run.stderr);
    // Close to none: said so.
    let run = server.run(&[("VB365_MAILBOX", "Zebedee Quux")]).await;
    assert_one_line(&run, &["VB365_MAILBOX=Zebedee Quux", "none with a name or address like it"]);
    // Every session the suite started for these runs is stopped again.
    assert_eq!(server.double.stopped_sessions().len(), 3);
}
