//! The double answers as the vendor's OpenAPI documents say, on every endpoint it serves, in
//! v6, v7 and v8, whether it serves one version or all of them at once: each answer is validated against the vendor schema of its operation, from the
//! trimmed copies in schemas/vendor/*.double.json (made by scripts/extract-vendor-schemas, origin
//! noted in each), so that a client generated from the vendor's OpenAPI works against it. An
//! object may hold only the properties its model lists (v8's pages have no totalCount).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{Map, Value, json};
use vb365_conformance::contract::schema::Compiled;
use vb365_conformance::contract::version::ApiVersion;
use vb365_conformance::double::{Double, Drift, defaults as d};

use crate::helpers::root;

/// A UUID, where a model needs one.
const ANY_ID: &str = "062fd52a-c781-4bac-a2a6-dce34f20bfe8";

/// The trimmed vendor document of `version`.
fn vendor(version: ApiVersion) -> Value {
    let path = root().join(format!("schemas/vendor/vb365_rest_{version}.double.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("vendor extract")).expect("vendor JSON")
}

/// An OpenAPI 3.0 schema as JSON Schema 2020-12: `nullable` as a null alternative, references
/// into `$defs`, the OpenAPI-only keywords left out, and a model's listed properties the only
/// ones it allows (OpenAPI allows others by default; a client generated from the model drops
/// them, and the double must not answer what the model does not say).
fn to_json_schema(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "$ref" => {
                        let reference = value.as_str().unwrap_or_default().replace("#/components/schemas/", "#/$defs/");
                        out.insert(key.clone(), json!(reference));
                    }
                    "nullable" | "example" | "discriminator" | "x-anyOf" | "readOnly" => {}
                    "properties" => {
                        let properties = value.as_object().expect("properties").iter();
                        let converted =
                            properties.map(|(name, schema)| (name.clone(), to_json_schema(schema))).collect();
                        out.insert(key.clone(), Value::Object(converted));
                    }
                    _ => {
                        out.insert(key.clone(), to_json_schema(value));
                    }
                }
            }
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), json!(false));
            }
            if map.get("nullable") == Some(&json!(true)) {
                json!({ "anyOf": [Value::Object(out), { "type": "null" }] })
            } else {
                Value::Object(out)
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// Every violation of the vendor schema `name` of `version` by `instance`.
pub fn vendor_violations(version: ApiVersion, name: &str, instance: &Value) -> Vec<String> {
    violations_of(version, Schema { name: name.to_owned(), array: false }, instance)
}

/// A vendor model, or an array of it (v6 and v7's Organizations).
#[derive(Debug)]
struct Schema {
    name: String,
    array: bool,
}

fn violations_of(version: ApiVersion, schema: Schema, instance: &Value) -> Vec<String> {
    // Each model compiled once per version (this file's tests check about 200 answers).
    static COMPILED: LazyLock<Mutex<HashMap<String, Arc<Compiled>>>> = LazyLock::new(Default::default);
    let key = format!("{version} {schema:?}");
    let cached = COMPILED.lock().expect("cache").get(&key).cloned();
    let compiled = cached.unwrap_or_else(|| {
        let compiled = Arc::new(compile(version, &schema));
        COMPILED.lock().expect("cache").insert(key, compiled.clone());
        compiled
    });
    compiled.errors(instance)
}

fn compile(version: ApiVersion, schema: &Schema) -> Compiled {
    let document = vendor(version);
    let defs = to_json_schema(&document["components"]["schemas"]);
    let name = &schema.name;
    assert!(defs.get(name).is_some(), "{version}: the extract has no schema {name}");
    let model = json!({ "$ref": format!("#/$defs/{name}") });
    let root = if schema.array { json!({ "type": "array", "items": model }) } else { model };
    let mut root = root.as_object().expect("an object").clone();
    root.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    root.insert("$defs".into(), defs);
    Compiled::new(&Value::Object(root)).unwrap_or_else(|error| panic!("{version} {name} does not compile: {error}"))
}

/// The status and vendor schema the extract gives for an endpoint.
fn endpoint(version: ApiVersion, name: &str) -> (u16, Option<Schema>) {
    let document = vendor(version);
    let endpoint = &document["x-endpoints"][name];
    let status = endpoint["status"].as_u64().unwrap_or_else(|| panic!("{version}: no endpoint {name}")) as u16;
    let array = endpoint["array"] == json!(true);
    (status, endpoint["schema"].as_str().map(|name| Schema { name: name.to_owned(), array }))
}

/// Checks one answer against its endpoint's documented status and schema; returns its body.
pub async fn conforms(version: ApiVersion, name: &str, response: reqwest::Response) -> Value {
    let (status, schema) = endpoint(version, name);
    assert_eq!(response.status().as_u16(), status, "{version} {name}: status");
    let json_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = response.bytes().await.expect("body");
    let Some(schema) = schema else {
        assert!(bytes.is_empty(), "{version} {name}: the OpenAPI documents no body");
        return Value::Null;
    };
    assert!(json_type.is_some_and(|t| t.starts_with("application/json")), "{version} {name}: Content-Type");
    let body: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{version} {name}: not JSON: {e}"));
    let described = format!("{schema:?}");
    let violations = violations_of(version, schema, &body);
    assert!(violations.is_empty(), "{version} {name} ({described}): {violations:#?}\n{body:#}");
    body
}

/// Goes through every endpoint the double serves at `base` (sign-in to Stop) through `version`
/// and validates each answer against the vendor schema of `version`. `newest` is the newest
/// version the double serves, whose build its ServiceInstance reports through every version.
pub async fn every_endpoint_conforms(base: &str, version: ApiVersion, newest: ApiVersion, client: &reqwest::Client) {
    let mut form = vec![("grant_type", "password"), ("username", d::API_USER_NAME), ("password", d::API_PASSWORD)];
    if version != ApiVersion::V6 {
        form.push(("disable_antiforgery_token", "true"));
    }
    let token = client.post(format!("{base}/{version}/token")).form(&form).send().await.expect("token");
    let token = conforms(version, "token", token).await;
    let bearer = format!("Bearer {}", token["access_token"].as_str().expect("access_token"));
    let call = |method: reqwest::Method, path: String| {
        client.request(method, format!("{base}/{version}/{path}")).header("authorization", bearer.clone())
    };
    let explored =
        call(reqwest::Method::POST, format!("Organizations/{}/explore", d::ORGANIZATION_ID)).json(&json!({})).send();
    let session = conforms(version, "explore", explored.await.expect("explore")).await;
    let session_id = session["id"].as_str().expect("session id").to_owned();
    let got = call(reqwest::Method::GET, format!("RestoreSessions/{session_id}")).send().await.expect("session");
    conforms(version, "session", got).await;
    what_a_client_reads_first(version, newest, &call, &session_id).await;
    let page =
        call(reqwest::Method::GET, format!("RestoreSessions/{session_id}/organization/mailboxes?offset=100&limit=100"));
    let page = conforms(version, "mailboxes", page.send().await.expect("mailboxes")).await;
    let results = page["results"].as_array().expect("results");
    let mailbox = results.iter().find(|m| m["email"] == d::MAILBOX).expect("John Smith on the second page");
    let mailbox_id = mailbox["id"].as_str().expect("mailbox id");
    let restore = format!("RestoreSessions/{session_id}/organization/mailboxes/{mailbox_id}/restore");
    let body = json!({"userName": d::EXCHANGE_USER_NAME, "userPassword": d::EXCHANGE_PASSWORD});
    let restored = call(reqwest::Method::POST, restore).json(&body).send().await.expect("restore");
    let restored = conforms(version, "restore", restored).await;
    if version.restores_in_background() {
        let own = restored["sessionId"].as_str().expect("sessionId").to_owned();
        // The restore lasts 15 ms on the double; a loaded machine waits longer, and says so if it ends never.
        let started = std::time::Instant::now();
        loop {
            let session = call(reqwest::Method::GET, format!("RestoreSessions/{own}")).send().await.expect("session");
            if session.json::<Value>().await.expect("session JSON")["state"] == "Stopped" {
                break;
            }
            assert!(started.elapsed().as_secs() < 60, "{version}: the restore's session not Stopped after 60 s");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let statistics = call(reqwest::Method::GET, format!("RestoreSessions/{own}/Statistics")).send().await;
        let statistics = conforms(version, "statistics", statistics.expect("statistics")).await;
        assert_eq!(statistics["items"][0]["createdMailboxItemsCount"], 2, "{statistics}");
        let events = call(reqwest::Method::GET, format!("RestoreSessions/{own}/Events")).send().await;
        conforms(version, "events", events.expect("events")).await;
        let finished = call(reqwest::Method::GET, format!("RestoreSessions/{own}")).send().await;
        assert_eq!(conforms(version, "session", finished.expect("own session")).await["state"], "Stopped");
    } else {
        assert_eq!(restored["createdItemsCount"], 2, "{restored}");
    }
    let unknown = "7d1f7a52-0000-4000-8000-000000000000";
    let refused =
        call(reqwest::Method::POST, format!("RestoreSessions/{unknown}/organization/mailboxes/{mailbox_id}/restore"));
    let refused = refused.json(&body).send().await.expect("refused restore");
    assert_eq!(refused.status().as_u16(), 404);
    let refused: Value = refused.json().await.expect("error JSON");
    let violations = vendor_violations(version, "RESTExceptionInfo", &refused);
    assert!(violations.is_empty(), "{version} error: {violations:?}");
    let stopped = call(reqwest::Method::POST, format!("RestoreSessions/{session_id}/Stop")).send().await;
    conforms(version, "stop", stopped.expect("stop")).await;
}

/// ServiceInstance, Organizations and the restore sessions, each validated; the restore
/// sessions paged, with `totalCount` in v6 and v7 only.
async fn what_a_client_reads_first(
    version: ApiVersion,
    newest: ApiVersion,
    call: &impl Fn(reqwest::Method, String) -> reqwest::RequestBuilder,
    session_id: &str,
) {
    let get = |path: &str| call(reqwest::Method::GET, path.to_owned()).send();
    let instance = conforms(version, "service-instance", get("ServiceInstance").await.expect("instance")).await;
    assert_eq!(instance["version"], format!("{}.0.0.0", newest.name().trim_start_matches('v')), "{version}");
    let organizations = conforms(version, "organizations", get("Organizations").await.expect("organizations")).await;
    let organizations = if version == ApiVersion::V8 { &organizations["results"] } else { &organizations };
    assert_eq!(organizations[0]["id"], d::ORGANIZATION_ID, "{version}: {organizations}");
    // A second session, so that a page of one holds the newest and the next page the other.
    let explore = format!("Organizations/{}/explore", d::ORGANIZATION_ID);
    let newest = call(reqwest::Method::POST, explore).json(&json!({})).send().await.expect("explore");
    let newest = conforms(version, "explore", newest).await["id"].as_str().expect("id").to_owned();
    let first = conforms(version, "restore-sessions", get("RestoreSessions?limit=1").await.expect("page")).await;
    assert_eq!(first["results"][0]["id"], newest.as_str(), "{version}: newest first");
    assert_eq!(first.get("totalCount").is_some(), version != ApiVersion::V8, "{version}: {first}");
    let next = get("RestoreSessions?offset=1&limit=1").await.expect("next page");
    assert_eq!(conforms(version, "restore-sessions", next).await["results"][0]["id"], session_id);
    let every = conforms(version, "restore-sessions", get("RestoreSessions?limit=1000").await.expect("all")).await;
    let end = every["results"].as_array().expect("results").len();
    let past = get(&format!("RestoreSessions?offset={end}")).await.expect("past");
    assert_eq!(conforms(version, "restore-sessions", past).await["results"], json!([]), "{version}: past the end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_of_the_double_follows_the_vendor_openapi_in_v6_v7_and_v8() {
    let client = crate::helpers::http();
    for version in ApiVersion::ALL {
        // A double that keeps no request: the lean server the standalone double runs on.
        let double = Double::builder().version(version).record_requests(false).register_tokens(false).start().await;
        every_endpoint_conforms(&double.uri(), version, version, &client).await;
        assert_eq!(double.restores(), 1, "{version}");
        assert_eq!(double.stopped_sessions().len(), 1, "{version}");
        // And the in-process (wiremock) engine the suite uses.
        let double = Double::builder().version(version).start().await;
        every_endpoint_conforms(&double.uri(), version, version, &client).await;
    }
}

/// One double serving v6, v7 and v8 at once, over one state, answers each version in that
/// version's own shapes (v8's pages without totalCount, its restore in the background), on
/// both engines; the three restores and stops land in the one state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_serving_every_version_at_once_answers_each_in_its_own_vendor_schema() {
    let client = crate::helpers::http();
    for record in [false, true] {
        let double =
            Double::builder().versions(ApiVersion::ALL).record_requests(record).register_tokens(record).start().await;
        for version in ApiVersion::ALL {
            // The versions share the mailbox: set it back to how it starts each time.
            double.set_drift(
                &double.default_mailbox_id(),
                Drift { missing: 2, changed: 1, unchanged: 2, unwritable_missing: 0 },
            );
            every_endpoint_conforms(&double.uri(), version, ApiVersion::V8, &client).await;
        }
        assert_eq!(double.restores(), 3, "recording requests: {record}");
        assert_eq!(double.stopped_sessions().len(), 3, "recording requests: {record}");
    }
}

#[test]
fn the_extracts_name_their_origin_and_every_endpoint_the_double_serves() {
    for version in ApiVersion::ALL {
        let document = vendor(version);
        assert!(document["x-origin"]["source"].as_str().is_some_and(|s| s.contains("Cenvora/veeam-365")));
        let mut names = vec!["token", "explore", "session", "mailboxes", "restore", "stop", "error"];
        names.extend(["service-instance", "organizations", "restore-sessions"]);
        if version.restores_in_background() {
            names.extend(["statistics", "events"]);
        }
        for name in names {
            assert!(document["x-endpoints"].get(name).is_some(), "{version}: {name}");
        }
    }
    // The validation bites: what the double used to answer is refused.
    let v6_null = json!({"createdItemsCount": 1, "cannotContinueError": null});
    assert!(!vendor_violations(ApiVersion::V6, "RESTFoldersRestoreStatistics", &v6_null).is_empty());
    let rfc1123 = json!({"access_token": "a", "refresh_token": "r", "token_type": "bearer", "expires_in": 3600,
        "userName": "u", ".issued": "Mon, 01 Jan 2024 10:00:00 GMT", ".expires": "Mon, 01 Jan 2024 11:00:00 GMT"});
    assert!(!vendor_violations(ApiVersion::V8, "OAuthTokenResponse", &rfc1123).is_empty());
    let no_expires = json!({"access_token": "a", "refresh_token": "r", "token_type": "bearer", "expires_in": 3600});
    assert!(!vendor_violations(ApiVersion::V7, "OAuthTokenResponse", &no_expires).is_empty());
    // A property the model does not list is refused, at any depth: v8's pages have no totalCount.
    let page = json!({"offset": 0, "limit": 30, "results": [], "totalCount": 0});
    assert!(vendor_violations(ApiVersion::V7, "PageOfRESTExchangeMailbox", &page).is_empty());
    let refused = vendor_violations(ApiVersion::V8, "PageOfRESTExchangeMailbox", &page);
    assert!(refused.iter().any(|error| error.contains("totalCount")), "{refused:?}");
    let mailbox = json!({"offset": 0, "limit": 30, "results": [{"id": ANY_ID, "displayName": "x"}]});
    assert!(!vendor_violations(ApiVersion::V6, "PageOfRESTExchangeMailbox", &mailbox).is_empty());
    let linked = json!({"id": ANY_ID, "_links": {"self": {"href": "/v6/x", "rel": "self"}}});
    assert!(!vendor_violations(ApiVersion::V6, "RESTExchangeMailbox", &linked).is_empty());
    let instance = json!({"installationId": ANY_ID, "version": "8.0.0.0", "edition": "x"});
    assert!(!vendor_violations(ApiVersion::V8, "RESTServiceInstance", &instance).is_empty());
}

/// v7 and v8 refuse a token asked without disable_antiforgery_token=true, and say why; what no
/// route serves (another version, a vendor route the double does not serve) is the vendor's 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_say_what_is_missing_and_unknown_routes_are_not_found() {
    let client = crate::helpers::http();
    for version in ApiVersion::ALL {
        let double = Double::builder().version(version).record_requests(false).register_tokens(false).start().await;
        let base = double.uri();
        let form = [("grant_type", "password"), ("username", d::API_USER_NAME), ("password", d::API_PASSWORD)];
        let token = client.post(format!("{base}/{version}/token")).form(&form).send().await.expect("token");
        let token = conforms(version, "token", token).await["access_token"].as_str().expect("token").to_owned();
        let get = |path: String| client.get(format!("{base}/{path}")).bearer_auth(&token).send();
        let answer = get(format!("{version}/ServiceInstance")).await.expect("answer");
        if version == ApiVersion::V6 {
            conforms(version, "service-instance", answer).await;
        } else {
            assert_eq!(answer.status().as_u16(), 401, "{version}");
            let body: Value = answer.json().await.expect("error JSON");
            assert!(vendor_violations(version, "RESTExceptionInfo", &body).is_empty(), "{version}: {body}");
            let message = body["message"].as_str().expect("message");
            assert!(message.contains("disable_antiforgery_token=true"), "{version}: {message}");
            assert!(message.contains("antiforgery token"), "{version}: {message}");
        }
        for path in ["v9/ServiceInstance".to_owned(), format!("{version}/Jobs"), format!("{version}/Organizations/x/y")]
        {
            let answer = get(path.clone()).await.expect("answer");
            assert_eq!(answer.status().as_u16(), 404, "{path}");
            let body: Value = answer.json().await.expect("error JSON");
            assert!(vendor_violations(version, "RESTExceptionInfo", &body).is_empty(), "{path}: {body}");
        }
    }
}
