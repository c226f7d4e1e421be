//! The run's bearer token (src/suite/token.rs): renewed by the `expires_in` its sign-in answered, not
//! by a fixed interval; renewed once after a 401 and the request sent once more; never renewed
//! when the operator gave it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use secrecy::ExposeSecret;
use vb365_conformance::client::{ApiClient, CallError};
use vb365_conformance::contract::credentials::secret;
use vb365_conformance::contract::version::ApiVersion;
use vb365_conformance::double::{Double, Variation};
use vb365_conformance::suite::settings::{Settings, double_defaults as d};
use vb365_conformance::suite::setup::Setup;
use vb365_conformance::suite::token::Token;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn client(base_url: &str) -> ApiClient {
    let settings = Settings::from_lookup(|_| None).expect("settings");
    ApiClient::new(settings.http_client().expect("client"), base_url, ApiVersion::V6, Duration::from_secs(5))
}

fn same(a: &secrecy::SecretString, b: &secrecy::SecretString) -> bool {
    a.expose_secret() == b.expose_secret()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_renewed_once_three_quarters_of_its_expires_in_have_passed() {
    let double = Double::builder().variation(Variation::ShortTokenLifetime).start().await;
    let client = client(&double.uri());
    let token = Token::sign_in(&client, d::API_USER_NAME, &secret(d::API_PASSWORD)).await.expect("sign in");
    let first = token.value();
    assert!(same(&token.current(&client).await.expect("current"), &first), "fresh: not renewed");
    // expires_in is 1 s: at 0.8 s a quarter is not left.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let renewed = token.current(&client).await.expect("current");
    assert!(!same(&renewed, &first), "renewed after 3/4 of expires_in");
    assert!(token.holds(&first) && token.holds(&renewed), "a request may still carry the earlier value");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let session = |t: secrecy::SecretString| {
        let client = client.clone();
        async move { client.explore(&t, d::ORGANIZATION_ID).await }
    };
    assert!(matches!(session(first).await, Err(CallError::TokenRefused { .. })), "the double enforces expires_in");
    session(renewed).await.expect("the renewed token is still valid");
}

/// A server whose sign-in answers a new token each time and which refuses every other request
/// with 401, counting both.
struct RefusingServer {
    sign_ins: Arc<AtomicUsize>,
}

impl Respond for RefusingServer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.sign_ins.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": format!("refusing-server-token-{n}-{}", uuid::Uuid::new_v4().simple()),
            "token_type": "bearer",
            "expires_in": 3600,
        }))
    }
}

async fn refusing_server() -> (MockServer, Arc<AtomicUsize>) {
    let listener = vb365_conformance::double::listen::listener(None).expect("a free port");
    let server = MockServer::builder().listener(listener).start().await;
    let sign_ins = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/v6/token"))
        .respond_with(RefusingServer { sign_ins: sign_ins.clone() })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v6/Organizations/{}/explore", d::ORGANIZATION_ID)))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "denied"})))
        .mount(&server)
        .await;
    (server, sign_ins)
}

fn explores(requests: &[Request]) -> usize {
    requests.iter().filter(|r| r.url.path().ends_with("/explore")).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_renews_the_token_once_and_the_request_is_sent_once_more_only() {
    let (server, sign_ins) = refusing_server().await;
    let client = client(&server.uri());
    let token = Token::sign_in(&client, "operator", &secret("refusing-server-password")).await.expect("sign in");
    let explore = |t: secrecy::SecretString| {
        let client = client.clone();
        async move { client.explore(&t, d::ORGANIZATION_ID).await }
    };
    let refused = token.call(&client, explore).await;
    assert!(matches!(refused, Err(CallError::TokenRefused { .. })), "{refused:?}");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!((sign_ins.load(Ordering::SeqCst), explores(&requests)), (2, 2), "one renewal, one more request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_operator_gave_is_never_renewed() {
    let (server, sign_ins) = refusing_server().await;
    let client = client(&server.uri());
    let token = Token::given(secret("a-token-the-operator-gave-for-the-selftest"));
    let explore = |t: secrecy::SecretString| {
        let client = client.clone();
        async move { client.explore(&t, d::ORGANIZATION_ID).await }
    };
    assert!(matches!(token.call(&client, explore).await, Err(CallError::TokenRefused { .. })));
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!((sign_ins.load(Ordering::SeqCst), explores(&requests)), (0, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_survives_a_server_that_forgets_its_tokens_on_the_way() {
    let settings = Settings::from_lookup(|name| {
        (name == "VB365_DOUBLE_VARIATION").then(|| "tokens-forgotten-at-times".to_owned())
    })
    .expect("settings");
    // Its 4th request with a token (the mailboxes' last page) is answered 401.
    let double = settings.double().start().await;
    let client =
        ApiClient::new(settings.http_client().expect("client"), &double.uri(), ApiVersion::V6, settings.timeout);
    let setup = Setup::prepare(&settings, client, &Default::default()).await.expect("setup renews the forgotten token");
    assert_eq!(setup.mailbox_id, double.default_mailbox_id());
}
