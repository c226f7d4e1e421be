//! The HTTP calls a run makes, with reqwest: sign in, start a restore session, find the mailbox,
//! restore it, stop the session.
//!
//! Each answer the checks read is an [`Exchange`] (the contract's record of one round trip).

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::contract::credentials::secret;
use crate::contract::version::ApiVersion;
use crate::secrets;

mod error;
mod events;
mod evidence;
mod http;

pub use crate::contract::round_trip::{Answer, Authorization, Body, BodyLength, RoundTrip};
pub use error::{CallError, TransportKind};
pub use events::event_key;
pub use evidence::Recorder;
use evidence::{header_pairs, read_body};
pub use http::{ClientError, Http, HttpOptions, http_client};

/// A mailbox of a restore session, as `GET .../organization/mailboxes` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxEntry {
    pub id: String,
    pub name: String,
    pub email: String,
    /// An In-Place Archive: listed apart, with its own id and the mailbox's e-mail address.
    pub is_archive: bool,
}

/// What a sign-in got: the bearer token and how long the server says it lives.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub token: SecretString,
    /// `expires_in`, when the answer gives it as a positive number of seconds.
    pub lifetime: Option<Duration>,
    /// `refresh_token`, when the answer gives one.
    pub refresh_token: Option<SecretString>,
}

/// The REST API of one server, at one version.
#[derive(Clone, Debug)]
pub struct ApiClient {
    http: Http,
    base_url: String,
    version: ApiVersion,
    timeout: Duration,
}

impl ApiClient {
    /// `http` comes from [`http_client`]; it is shared (cloning it is cheap).
    pub fn new(http: Http, base_url: &str, version: ApiVersion, timeout: Duration) -> Self {
        Self { http, base_url: base_url.trim_end_matches('/').to_owned(), version, timeout }
    }

    pub fn version(&self) -> ApiVersion {
        self.version
    }

    /// How long one request may take; in v8 also how long a restore may take to finish.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The server's base URL (scheme, host, port).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The sign-in request as messages name it: `POST /v6/token`.
    fn token_request(&self) -> String {
        format!("POST /{}/token", self.version)
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}/{}", self.base_url, self.version, path.trim_start_matches('/'))
    }

    /// `POST /{version}/token` with `grant_type=password`, form-encoded.
    pub async fn sign_in(&self, user_name: &str, password: &SecretString) -> Result<SignedIn, CallError> {
        let mut form =
            vec![("grant_type", "password"), ("username", user_name), ("password", password.expose_secret())];
        if self.version.disables_antiforgery_token() {
            // A programmatic client has no browser to hold an antiforgery token (v7 and later).
            form.push(("disable_antiforgery_token", "true"));
        }
        let answer =
            self.execute(self.http.builder().post(self.url("token")).form(&form), &self.token_request()).await?;
        let status = reqwest::StatusCode::from_u16(answer.status).unwrap_or(reqwest::StatusCode::INTERNAL_SERVER_ERROR);
        let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(self.not_served());
        }
        if !status.is_success() {
            return Err(CallError::SignInRefused {
                user_name: user_name.to_owned(),
                version: self.version,
                status: status.as_u16(),
                body: secrets::redact_json(&body).to_string(),
            });
        }
        // OAuthTokenResponse's expires_in: "lifetime of the access token in seconds".
        let lifetime = body.get("expires_in").and_then(Value::as_u64).filter(|s| *s > 0).map(Duration::from_secs);
        match body.get("access_token").and_then(Value::as_str) {
            Some(token) => {
                let refresh_token = body.get("refresh_token").and_then(Value::as_str).map(secret);
                Ok(SignedIn { token: secret(token), lifetime, refresh_token })
            }
            None => Err(CallError::Unexpected(format!(
                "POST /{}/token answered {status} without an access_token",
                self.version
            ))),
        }
    }

    /// `POST /{version}/Organizations/{id}/explore`: starts an Exchange (Vex) restore session.
    pub async fn explore(&self, token: &SecretString, organization_id: &str) -> Result<String, CallError> {
        let path = format!("Organizations/{organization_id}/explore");
        let body = self.expect_json("POST", &path, Some(json!({"type": "Vex"})), token).await?;
        body.get("id").and_then(Value::as_str).map(str::to_owned).ok_or_else(|| {
            CallError::Unexpected(format!("POST /{}/{path} answered without a restore session id", self.version))
        })
    }

    /// `GET /{version}/RestoreSessions/{id}`: whether the restore session exists.
    pub async fn restore_session(&self, token: &SecretString, session_id: &str) -> Result<Value, CallError> {
        self.expect_json("GET", &format!("RestoreSessions/{session_id}"), None, token).await
    }

    /// `GET /{version}/RestoreSessions/{id}/organization/mailboxes`, every page: until a page is
    /// empty, or holds only mailboxes already seen (a server that ignores `offset`). Not until
    /// `totalCount`: a server that miscounts would hide the mailbox, and the run would blame the
    /// operator's VB365_MAILBOX.
    pub async fn mailboxes(&self, token: &SecretString, session_id: &str) -> Result<Vec<MailboxEntry>, CallError> {
        const PAGE: usize = 100;
        const MOST_PAGES: usize = 1000;
        let mut found: Vec<MailboxEntry> = Vec::new();
        for _ in 0..MOST_PAGES {
            let path =
                format!("RestoreSessions/{session_id}/organization/mailboxes?offset={}&limit={PAGE}", found.len());
            let page = self.expect_json("GET", &path, None, token).await?;
            let text = |item: &Value, key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            let new: Vec<MailboxEntry> = page
                .get("results")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|item| MailboxEntry {
                    id: text(item, "id"),
                    name: text(item, "name"),
                    email: text(item, "email"),
                    is_archive: item.get("isArchive").and_then(Value::as_bool).unwrap_or(false),
                })
                .filter(|mailbox| !found.iter().any(|seen| seen.id == mailbox.id))
                .collect();
            if new.is_empty() {
                break;
            }
            found.extend(new);
        }
        Ok(found)
    }

    /// `GET /v8/RestoreSessions/{id}/Statistics`, as an exchange the checks can read.
    pub async fn statistics(&self, token: &SecretString, session_id: &str) -> Result<Answer, CallError> {
        let path = format!("/{}/RestoreSessions/{session_id}/Statistics", self.version);
        let request = self.http.builder().get(format!("{}{path}", self.base_url)).bearer_auth(token.expose_secret());
        let answer = self.execute(request, "GET .../Statistics").await?;
        Ok(Answer { method: "GET", path, ..answer })
    }

    /// `GET /{version}/ServiceInstance`: the server's version, when it says (RESTServiceInstance).
    pub async fn server_version(&self, token: &SecretString) -> Option<String> {
        let instance = self.expect_json("GET", "ServiceInstance", None, token).await.ok()?;
        instance.get("version").and_then(Value::as_str).map(str::to_owned)
    }

    /// `POST /{version}/RestoreSessions/{id}/Stop`.
    pub async fn stop(&self, token: &SecretString, session_id: &str) -> Result<(), CallError> {
        self.expect_json("POST", &format!("RestoreSessions/{session_id}/Stop"), None, token).await.map(|_| ())
    }

    /// The operation under test. Any HTTP answer is an [`Exchange`]; only a transport failure
    /// is an error.
    pub async fn restore(
        &self,
        authorization: &Authorization,
        session_id: &str,
        mailbox_id: &str,
        body: &Body,
    ) -> Result<Answer, CallError> {
        let path =
            format!("/{}/RestoreSessions/{session_id}/organization/mailboxes/{mailbox_id}/restore", self.version);
        let mut request = self.http.builder().post(format!("{}{path}", self.base_url));
        request = match authorization {
            Authorization::Bearer(token) => request.bearer_auth(token.expose_secret()),
            Authorization::Missing => request,
            Authorization::Raw(header) => request.header(AUTHORIZATION, header.as_str()),
            Authorization::Scheme { scheme, token } => {
                let value = if scheme.is_empty() {
                    token.expose_secret().to_owned()
                } else {
                    format!("{scheme} {}", token.expose_secret())
                };
                request.header(AUTHORIZATION, value)
            }
        };
        let bytes = match body {
            Body::Json(json) => json.to_string().into_bytes(),
            Body::Raw(text) => text.as_bytes().to_vec(),
        };
        let request = request.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(bytes);
        let answer = self.execute(request, "the restore request").await?;
        Ok(Answer { method: "POST", path, ..answer })
    }

    async fn expect_json(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: &SecretString,
    ) -> Result<Value, CallError> {
        let url = self.url(path);
        let request = match method {
            "GET" => self.http.builder().get(&url),
            _ => self.http.builder().post(&url),
        };
        let request = match body {
            Some(json) => request.json(&json),
            None => request.header(reqwest::header::CONTENT_LENGTH, 0),
        };
        let what = format!("{method} /{}/{}", self.version, path.split('?').next().unwrap_or(path));
        let answer = self.execute(request.bearer_auth(token.expose_secret()), &what).await?;
        let status = reqwest::StatusCode::from_u16(answer.status).unwrap_or(reqwest::StatusCode::INTERNAL_SERVER_ERROR);
        let text = String::from_utf8_lossy(&answer.body).into_owned();
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(CallError::TokenRefused { what });
        }
        if let Some(coding) = answer.coding() {
            return Err(CallError::Unexpected(format!("{what} answered {status}, and {coding}")));
        }
        if !status.is_success() {
            return Err(CallError::Status {
                what,
                status: status.as_u16(),
                body: secrets::redact_body(text.as_bytes()),
            });
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|error| {
            CallError::Unexpected(format!("{what} answered {status} with a body that is not JSON ({error})"))
        })
    }

    /// Whether the server serves this API version: its token endpoint answers anything but 404
    /// (an empty sign-in is refused, not unknown). A transport failure counts as served: it is
    /// reported as what it is.
    pub async fn serves_version(&self) -> bool {
        match self
            .execute(
                self.http.builder().post(self.url("token")).form(&[("grant_type", "password")]),
                &self.token_request(),
            )
            .await
        {
            Ok(answer) => answer.status != 404,
            Err(_) => true,
        }
    }

    /// A server answers 404 for an API version it does not serve: not a contract failure.
    pub fn not_served(&self) -> CallError {
        CallError::NotServed { base_url: self.base_url.clone(), version: self.version }
    }

    /// Sends `request` and reads its whole answer, recording the round trip for the run's
    /// evidence (exchanges.har). Only a transport failure is an error. A request that changes
    /// nothing if sent twice (a GET, or a sign-in: another token) goes on a connection used
    /// before when one is open, and once more on a new one when that failed short of a timeout
    /// (the server may have closed it after its last answer); every other request goes on a new
    /// connection and is never sent again.
    async fn execute(&self, request: reqwest::RequestBuilder, what: &str) -> Result<Answer, CallError> {
        let request = request.build().map_err(|error| self.transport_error(what, error))?;
        let repeatable = request.method() == reqwest::Method::GET || request.url().path().ends_with("/token");
        let again = repeatable.then(|| request.try_clone()).flatten();
        let Some(again) = again else { return self.send(self.http.fresh(), request, what).await };
        match self.send(self.http.reused(), request, what).await {
            Err(CallError::Transport { kind, .. }) if kind != TransportKind::Timeout => {
                self.send(self.http.fresh(), again, what).await
            }
            answered => answered,
        }
    }

    async fn send(&self, http: &reqwest::Client, request: reqwest::Request, what: &str) -> Result<Answer, CallError> {
        let started = std::time::SystemTime::now();
        let clock = std::time::Instant::now();
        let mut trip = RoundTrip {
            started,
            milliseconds: 0.0,
            method: request.method().to_string(),
            url: request.url().to_string(),
            request_headers: header_pairs(request.headers()),
            request_body: request.body().and_then(|body| body.as_bytes()).map(<[u8]>::to_vec).unwrap_or_default(),
            status: 0,
            response_headers: Vec::new(),
            response_body: Vec::new(),
            error: None,
        };
        let response = http.execute(request).await;
        let response = match response {
            Ok(response) => response,
            Err(error) => {
                trip.milliseconds = clock.elapsed().as_secs_f64() * 1000.0;
                let error = self.transport_error(what, error);
                trip.error = Some(format!("no answer: {error}"));
                self.http.recorder().record(trip);
                return Err(error);
            }
        };
        // The head came: kept in the evidence whatever becomes of the body.
        let (status, headers) = (response.status().as_u16(), response.headers().clone());
        (trip.status, trip.response_headers) = (status, header_pairs(&headers));
        let body = read_body(response).await;
        trip.milliseconds = clock.elapsed().as_secs_f64() * 1000.0;
        match body {
            Ok(body) => {
                trip.response_body = body.clone();
                let recorded = Some(self.http.recorder().record(trip));
                Ok(Answer { recorded, method: "", path: String::new(), status, headers, body })
            }
            Err((error, received)) => {
                let declared = headers
                    .get(reqwest::header::CONTENT_LENGTH)
                    .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok());
                // A body shorter than its Content-Length is the server's answer, not the network's
                // failure: HDR-CONTENT-LENGTH's, with both lengths. (Longer cannot be seen: the
                // HTTP library reads no further than Content-Length.)
                let length = match declared {
                    Some(declared) if !error.is_timeout() && (received.len() as u64) < declared => {
                        Some(BodyLength { status, declared, received: received.len() })
                    }
                    _ => None,
                };
                let what = what.to_owned();
                let mut error = match length {
                    Some(length) => CallError::IncompleteBody { what, length, recorded: 0 },
                    None => self.transport_error(&what, error),
                };
                trip.response_body = received;
                trip.error = Some(format!("incomplete answer: {error}"));
                let number = self.http.recorder().record(trip);
                if let CallError::IncompleteBody { recorded, .. } = &mut error {
                    *recorded = number;
                }
                Err(error)
            }
        }
    }

    fn transport_error(&self, what: &str, error: reqwest::Error) -> CallError {
        error::transport(what, &self.base_url, self.timeout, error)
    }
}
