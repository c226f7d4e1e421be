//! The double on its own, through the suite's HTTP client: what a client developer relies on.

use std::time::Duration;

use serde_json::{Value, json};
use vb365_conformance::client::{ApiClient, Authorization, Body};
use vb365_conformance::double::Double;
use vb365_conformance::suite::settings::{Settings, double_defaults as d};
use vb365_conformance::suite::setup::Setup;

async fn double(version: &str) -> (Double, Setup, Settings) {
    let settings =
        Settings::from_lookup(|name| (name == "VB365_API_VERSION").then(|| version.to_owned())).expect("settings");
    let double = settings.double().start().await;
    let client =
        ApiClient::new(settings.http_client().expect("client"), &double.uri(), settings.api_version, settings.timeout);
    let setup = Setup::prepare(&settings, client, &Default::default()).await.expect("setup");
    (double, setup, settings)
}

async fn get(setup: &Setup, path: &str) -> Value {
    let url = format!("{}/v8/{path}", setup.client.base_url());
    let token = secrecy::ExposeSecret::expose_secret(&setup.token.value()).to_owned();
    crate::helpers::http().get(url).bearer_auth(token).send().await.expect("GET").json().await.expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_v8_restore_runs_in_the_background_with_statistics_and_events() {
    // A restore that lasts 3 s (15 ms by default), so that it is read while it runs on any
    // machine; one that took longer to read it fails, saying so.
    const LASTS: Duration = Duration::from_secs(3);
    let settings =
        Settings::from_lookup(|name| (name == "VB365_API_VERSION").then(|| "v8".to_owned())).expect("settings");
    let double = settings.double().restore_duration(LASTS).start().await;
    let client =
        ApiClient::new(settings.http_client().expect("client"), &double.uri(), settings.api_version, settings.timeout);
    let setup = Setup::prepare(&settings, client, &Default::default()).await.expect("setup");
    let body =
        Body::Json(settings.exchange.body(vb365_conformance::contract::credentials::Variant::Password).expect("body"));
    let started = std::time::Instant::now();
    let answer = setup
        .client
        .restore(&Authorization::Bearer(setup.token.value()), &setup.session_id, &setup.mailbox_id, &body)
        .await
        .expect("restore");
    assert_eq!(answer.status, 200);
    let session = answer.json().expect("JSON")["sessionId"].as_str().expect("sessionId").to_owned();

    let running = get(&setup, &format!("RestoreSessions/{session}/Statistics")).await;
    let events = get(&setup, &format!("RestoreSessions/{session}/Events")).await;
    let read_after = started.elapsed();
    assert!(read_after < LASTS, "the machine took {read_after:?} to read a restore that lasts {LASTS:?}");
    assert_eq!(events["results"][0]["status"], "Running", "{events}");
    assert_eq!(running["items"], json!([]), "no details before the restore ends: {running}");

    tokio::time::sleep(LASTS.saturating_sub(started.elapsed()) + Duration::from_millis(100)).await;
    let events = get(&setup, &format!("RestoreSessions/{session}/Events")).await;
    assert_eq!(events["results"][0]["status"], "Success", "{events}");
    let done = get(&setup, &format!("RestoreSessions/{session}/Statistics")).await;
    assert_eq!(done["totalItemsCount"], 5, "{done}");
    assert_eq!(done["restoredItemsCount"], 3, "2 created and 1 merged: {done}");
    assert_eq!(done["skippedItemsCount"], 2, "{done}");
    assert_eq!(done["items"][0]["mailboxEmail"], d::MAILBOX, "{done}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paths_match_case_insensitively_and_other_versions_are_not_served() {
    let (double, setup, _) = double("v6").await;
    let token = secrecy::ExposeSecret::expose_secret(&setup.token.value()).to_owned();
    let http = crate::helpers::http();
    let url = format!("{}/V6/restoresessions/{}/Organization/Mailboxes", double.uri(), setup.session_id);
    assert_eq!(http.get(url).bearer_auth(&token).send().await.expect("GET").status(), 200);
    let v8 = format!("{}/v8/RestoreSessions/{}/organization/mailboxes", double.uri(), setup.session_id);
    assert_eq!(http.get(v8).bearer_auth(&token).send().await.expect("GET").status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_v7_on_a_token_signed_in_without_disable_antiforgery_token_is_refused() {
    let (double, _, _) = double("v7").await;
    let http = crate::helpers::http();
    let sign_in = |extra: &'static [(&'static str, &'static str)]| {
        let mut form = vec![("grant_type", "password"), ("username", d::API_USER_NAME), ("password", d::API_PASSWORD)];
        form.extend_from_slice(extra);
        http.post(format!("{}/v7/token", double.uri())).form(&form).send()
    };
    let explore = |token: String| {
        http.post(format!("{}/v7/Organizations/{}/explore", double.uri(), d::ORGANIZATION_ID))
            .bearer_auth(token)
            .json(&json!({"type": "Vex"}))
            .send()
    };
    let token = |answer: Value| answer["access_token"].as_str().expect("token").to_owned();
    let browser: Value = sign_in(&[]).await.expect("sign in").json().await.expect("JSON");
    assert_eq!(explore(token(browser)).await.expect("explore").status(), 401);
    let program: Value =
        sign_in(&[("disable_antiforgery_token", "true")]).await.expect("sign in").json().await.expect("JSON");
    assert_eq!(explore(token(program)).await.expect("explore").status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_null_application_id_is_no_application_as_a_generated_client_sends_it() {
    // The OpenAPI makes applicationId nullable: a client generated from it may send null for it
    // with a user name and password or a device code, and a .NET server reads that as no value.
    let (_double, setup, settings) = double("v6").await;
    use vb365_conformance::contract::credentials::Variant;
    for variant in [Variant::Password, Variant::DeviceCode] {
        let mut body = settings.exchange.body(variant).expect("body");
        body["applicationId"] = Value::Null;
        let answer = setup
            .client
            .restore(
                &Authorization::Bearer(setup.token.value()),
                &setup.session_id,
                &setup.mailbox_id,
                &Body::Json(body),
            )
            .await
            .expect("restore");
        assert_eq!(answer.status, 200, "{variant:?}: {}", String::from_utf8_lossy(&answer.body));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_token_signs_in_once_and_other_grant_types_are_unsupported() {
    let (double, _, _) = double("v8").await;
    let http = crate::helpers::http();
    let token_url = format!("{}/v8/token", double.uri());
    let sign_in = |form: Vec<(&'static str, String)>| http.post(&token_url).form(&form).send();
    let password = vec![
        ("grant_type", "password".to_owned()),
        ("username", d::API_USER_NAME.to_owned()),
        ("password", d::API_PASSWORD.to_owned()),
        ("disable_antiforgery_token", "true".to_owned()),
    ];
    let first: Value = sign_in(password).await.expect("sign in").json().await.expect("JSON");
    let refresh = first["refresh_token"].as_str().expect("a refresh token").to_owned();
    let by_refresh = vec![("grant_type", "refresh_token".to_owned()), ("refresh_token", refresh)];
    let answer = sign_in(by_refresh.clone()).await.expect("refresh");
    assert_eq!(answer.status(), 200);
    let second: Value = answer.json().await.expect("JSON");
    assert_eq!(second["userName"], d::API_USER_NAME, "{second}");
    // The new token works as the first did (its sign-in disabled the antiforgery token too).
    let access = second["access_token"].as_str().expect("access token").to_owned();
    let instance = http.get(format!("{}/v8/ServiceInstance", double.uri())).bearer_auth(access).send().await;
    assert_eq!(instance.expect("GET").status(), 200);
    // A refresh token is good once.
    let again = sign_in(by_refresh).await.expect("refresh again");
    assert_eq!(again.status(), 400);
    assert_eq!(again.json::<Value>().await.expect("JSON")["error"], "invalid_grant");
    // A grant type the double does not have is named in an OAuth error (RFC 6749 §5.2).
    let other = sign_in(vec![("grant_type", "client_credentials".to_owned())]).await.expect("sign in");
    assert_eq!(other.status(), 400);
    let error: Value = other.json().await.expect("JSON");
    assert_eq!(error["error"], "unsupported_grant_type", "{error}");
    assert!(error["error_description"].as_str().is_some_and(|d| d.contains("client_credentials")), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_route_asked_with_another_method_is_405_with_the_method_it_takes() {
    let (double, setup, _) = double("v6").await;
    let http = crate::helpers::http();
    let restore = format!(
        "{}/v6/RestoreSessions/{}/organization/mailboxes/{}/restore",
        double.uri(),
        setup.session_id,
        setup.mailbox_id
    );
    let answer = http.get(&restore).send().await.expect("GET");
    assert_eq!(answer.status(), 405);
    assert_eq!(answer.headers().get("allow").and_then(|v| v.to_str().ok()), Some("POST"));
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["message"], "The requested resource does not support http method 'GET'.", "{body}");
    let session = format!("{}/v6/RestoreSessions/{}", double.uri(), setup.session_id);
    let answer = http.delete(&session).send().await.expect("DELETE");
    assert_eq!(answer.status(), 405);
    assert_eq!(answer.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET"));
    // A path no route has stays the vendor's 404.
    let unknown = http.get(format!("{}/v6/RestoreSessions/{}/Nothing", double.uri(), setup.session_id)).send().await;
    assert_eq!(unknown.expect("GET").status(), 404);
}
