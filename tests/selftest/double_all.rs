//! `vb365-double --api-version all` (or a list such as `v6,v8`): one process serves several API
//! versions at once, as a real VB365 server does, over one state. Each version signs in and
//! restores in its own shapes (each answer valid against that version's vendor schema), what one
//! version made is seen through the others, and a version not served is the vendor's 404.

use serde_json::{Value, json};
use vb365_conformance::contract::version::ApiVersion;
use vb365_conformance::double::defaults as d;

use crate::double_bin::Running;
use crate::vendor_schemas::{conforms, every_endpoint_conforms, vendor_violations};

/// John Smith's id, the mailbox under test.
const MAILBOX_ID: &str = "062fd52a-c781-4bac-a2a6-dce34f20bfe8";

/// A client of one version of the double at `base`, signed in through that version.
struct Client {
    base: String,
    version: ApiVersion,
    bearer: String,
    http: reqwest::Client,
}

impl Client {
    async fn sign_in(base: &str, version: ApiVersion) -> Client {
        let http = crate::helpers::http();
        let mut form = vec![("grant_type", "password"), ("username", d::API_USER_NAME), ("password", d::API_PASSWORD)];
        if version.disables_antiforgery_token() {
            form.push(("disable_antiforgery_token", "true"));
        }
        let token = http.post(format!("{base}/{version}/token")).form(&form).send().await.expect("token");
        let token = conforms(version, "token", token).await;
        let bearer = format!("Bearer {}", token["access_token"].as_str().expect("access_token"));
        Client { base: base.to_owned(), version, bearer, http }
    }

    /// The same sign-in, used through `version`.
    fn through(&self, version: ApiVersion) -> Client {
        Client { base: self.base.clone(), version, bearer: self.bearer.clone(), http: self.http.clone() }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let url = format!("{}/{}/{path}", self.base, self.version);
        let request = self.http.request(method, url).header("authorization", &self.bearer);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        request.send().await.unwrap_or_else(|error| panic!("{} {path}: {error}", self.version))
    }

    /// GET `path`, checked against the vendor schema of endpoint `name` in this version.
    async fn get(&self, name: &str, path: &str) -> Value {
        conforms(self.version, name, self.send(reqwest::Method::GET, path, None).await).await
    }

    async fn explore(&self) -> String {
        let path = format!("Organizations/{}/explore", d::ORGANIZATION_ID);
        let session = self.send(reqwest::Method::POST, &path, Some(json!({}))).await;
        conforms(self.version, "explore", session).await["id"].as_str().expect("id").to_owned()
    }

    /// Restores John Smith in `session`; answers the restore's body.
    async fn restore(&self, session: &str) -> Value {
        let path = format!("RestoreSessions/{session}/organization/mailboxes/{}/restore", MAILBOX_ID);
        let body = json!({"userCode": d::USER_CODE});
        conforms(self.version, "restore", self.send(reqwest::Method::POST, &path, Some(body)).await).await
    }

    /// The ids of every restore session listed, newest first.
    async fn listed_sessions(&self) -> Vec<String> {
        let page = self.get("restore-sessions", "RestoreSessions?limit=1000").await;
        let results = page["results"].as_array().expect("results");
        results.iter().map(|session| session["id"].as_str().expect("id").to_owned()).collect()
    }
}

/// Sets how John Smith's original differs from its backup, through the control route.
async fn set_mailbox(http: &reqwest::Client, base: &str, drift: Value) {
    let url = format!("{base}/__double/mailboxes/{MAILBOX_ID}");
    let answer = http.put(url).json(&drift).send().await.expect("PUT");
    assert_eq!(answer.status().as_u16(), 200, "{drift}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_process_serves_v6_v7_and_v8_in_their_own_shapes_over_one_state() {
    let double = Running::start(&["--http", "--listen", "127.0.0.1:0", "--api-version", "all"]);
    let base = double.printed("base URL: ", " ");
    assert!(double.banner.contains("(the API is under /v6/, /v7/ and /v8/)"), "{}", double.banner);
    // Sign-in and a restore through each version, every answer in that version's vendor schema
    // (the mailbox set back to how it starts each time: the versions share it).
    let http = crate::helpers::http();
    for version in ApiVersion::ALL {
        set_mailbox(&http, &base, json!({"missing": 2, "changed": 1, "unchanged": 2})).await;
        every_endpoint_conforms(&base, version, ApiVersion::V8, &http).await;
    }

    // A session explored through one version is listed, read and restored in through another.
    let v6 = Client::sign_in(&base, ApiVersion::V6).await;
    let v8 = Client::sign_in(&base, ApiVersion::V8).await;
    let from_v6 = v6.explore().await;
    assert!(v8.listed_sessions().await.contains(&from_v6), "v6's session, listed through v8");
    assert_eq!(v8.get("session", &format!("RestoreSessions/{from_v6}")).await["state"], "Working");
    let from_v8 = v8.explore().await;
    let listed = v6.listed_sessions().await;
    assert!(listed.contains(&from_v8), "v8's session, listed through v6");
    let through_v6 = v6.get("restore-sessions", "RestoreSessions?limit=1").await;
    assert_eq!(through_v6["totalCount"], listed.len(), "v6 pages count, v8's sessions too: {through_v6}");
    let through_v8 = v8.get("restore-sessions", "RestoreSessions?limit=1").await;
    assert!(through_v8.get("totalCount").is_none(), "v8 pages do not count: {through_v8}");

    // v8 restores 3 missing items in the session v6 explored, in the background; its own
    // session, with its statistics, is listed through v7 as Stopped once the restore ended.
    set_mailbox(&http, &base, json!({"missing": 3})).await;
    let v8_session = v8.restore(&from_v6).await["sessionId"].as_str().expect("sessionId").to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let statistics = v8.get("statistics", &format!("RestoreSessions/{v8_session}/Statistics")).await;
    assert_eq!(statistics["items"][0]["createdMailboxItemsCount"], 3, "{statistics}");
    let v7 = v6.through(ApiVersion::V7);
    assert!(v7.listed_sessions().await.contains(&v8_session), "v8's restore session, listed through v7");
    assert_eq!(v7.get("session", &format!("RestoreSessions/{v8_session}")).await["state"], "Stopped");
    // v7 restores in the session v8 explored, with v6's token: the mailbox v8 wrote back has
    // nothing left to create.
    let counts = v7.restore(&from_v8).await;
    assert_eq!((&counts["createdItemsCount"], &counts["skippedItemsCount"]), (&json!(0), &json!(3)), "{counts}");
    // v8 stops the session v6 explored; v6 reads it Stopped.
    let stopped = v8.send(reqwest::Method::POST, &format!("RestoreSessions/{from_v6}/Stop"), None).await;
    conforms(ApiVersion::V8, "stop", stopped).await;
    assert_eq!(v6.get("session", &format!("RestoreSessions/{from_v6}")).await["state"], "Stopped");

    let state: Value =
        http.get(format!("{base}/__double/state")).send().await.expect("state").json().await.expect("JSON");
    assert_eq!((&state["apiVersion"], &state["apiVersions"]), (&json!("all"), &json!(["v6", "v7", "v8"])), "{state}");
    assert_eq!(state["restores"], 5, "three restores, one per version, then v8's and v7's: {state}");
    let (code, rest) = double.stop("-TERM");
    assert_eq!(code, Some(0), "{rest}");
}

/// `--api-version v6,v8` serves those two, and v7 is the vendor's 404 even with a valid token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_of_v6_and_v8_answers_404_for_v7() {
    let double = Running::start(&["--http", "--listen", "127.0.0.1:0", "--api-version", "v6,v8"]);
    let base = double.printed("base URL: ", " ");
    let v6 = Client::sign_in(&base, ApiVersion::V6).await;
    Client::sign_in(&base, ApiVersion::V8).await;
    for (version, status) in [(ApiVersion::V6, 200), (ApiVersion::V7, 404), (ApiVersion::V8, 200)] {
        let answer = v6.through(version).send(reqwest::Method::GET, "ServiceInstance", None).await;
        assert_eq!(answer.status().as_u16(), status, "{version}");
        if status == 200 {
            continue;
        }
        let body: Value = answer.json().await.expect("error JSON");
        assert!(vendor_violations(version, "RESTExceptionInfo", &body).is_empty(), "{body}");
        let form = [("grant_type", "password"), ("username", d::API_USER_NAME), ("password", d::API_PASSWORD)];
        let token = v6.http.post(format!("{base}/{version}/token")).form(&form).send().await.expect("token");
        assert_eq!(token.status().as_u16(), 404, "{version}: no sign-in either");
    }
    let state: Value =
        v6.http.get(format!("{base}/__double/state")).send().await.expect("state").json().await.expect("JSON");
    assert_eq!(state["apiVersion"], "v6,v8", "{state}");
    let (code, rest) = double.stop("-TERM");
    assert_eq!(code, Some(0), "{rest}");
}

/// A fault shows in the served versions it lists, and the banner and the control route say
/// which: v8-session-id-missing drops v8's sessionId, and v6 still answers its counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_shows_in_the_versions_it_lists_the_others_conform() {
    let args = ["--http", "--listen", "127.0.0.1:0", "--api-version", "all", "--fault", "v8-session-id-missing"];
    let double = Running::start(&args);
    assert!(double.banner.contains("fault: v8-session-id-missing (in v8; v6,v7 conforming)"), "{}", double.banner);
    let base = double.printed("base URL: ", " ");
    let v6 = Client::sign_in(&base, ApiVersion::V6).await;
    let session = v6.explore().await;
    assert!(v6.restore(&session).await["createdItemsCount"].is_u64(), "v6 conforms");
    let v8 = v6.through(ApiVersion::V8);
    let path = format!("RestoreSessions/{session}/organization/mailboxes/{}/restore", MAILBOX_ID);
    let answer = v8.send(reqwest::Method::POST, &path, Some(json!({"userCode": d::USER_CODE}))).await;
    assert_eq!(answer.status().as_u16(), 200);
    let answer: Value = answer.json().await.expect("JSON");
    assert!(answer.get("sessionId").is_none(), "the fault shows in v8: {answer}");
    let state: Value =
        v6.http.get(format!("{base}/__double/state")).send().await.expect("state").json().await.expect("JSON");
    assert_eq!((&state["fault"], &state["faultVersions"]), (&json!("v8-session-id-missing"), &json!(["v8"])));
    let (code, rest) = double.stop("-TERM");
    assert_eq!(code, Some(0), "{rest}");
}
