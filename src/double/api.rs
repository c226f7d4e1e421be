//! The double's endpoints: one wiremock responder per operation, sharing the double's state.

use serde_json::{Value, json};
use wiremock::http::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::route::Route;

use super::Operator;
use super::background;
use super::faults::{Fault, Variation};
use super::{RestoreSession, SharedState, State};
use crate::counts::Counts;
use crate::credentials::{Variant, secret};
use crate::schema::Document;
use crate::version::ApiVersion;
use secrecy::ExposeSecret;

const JSON: &str = "application/json; charset=utf-8";

#[derive(Clone, Copy, Debug)]
enum Operation {
    Token,
    Explore,
    GetSession,
    Mailboxes,
    Restore,
    Stop,
    /// v8: the counts of a restore that runs in the background.
    Statistics,
    /// v8: the events of a restore that runs in the background.
    Events,
}

struct Endpoint {
    operation: Operation,
    route: Route,
    state: SharedState,
}

pub(super) async fn mount(server: &MockServer, state: &SharedState, version: ApiVersion) {
    {
        // A user-supplied token is one the double has issued.
        let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
        if let Operator::Token(token) = &state.accepted.login {
            let token = token.expose_secret().to_owned();
            state.tokens.insert(token);
        }
    }
    let routes = [
        (Operation::Token, Method::POST, "token"),
        (Operation::Explore, Method::POST, "Organizations/{}/explore"),
        (Operation::GetSession, Method::GET, "RestoreSessions/{}"),
        (Operation::Mailboxes, Method::GET, "RestoreSessions/{}/organization/mailboxes"),
        (Operation::Restore, Method::POST, "RestoreSessions/{}/organization/mailboxes/{}/restore"),
        (Operation::Stop, Method::POST, "RestoreSessions/{}/Stop"),
        (Operation::Statistics, Method::GET, "RestoreSessions/{}/Statistics"),
        (Operation::Events, Method::GET, "RestoreSessions/{}/Events"),
    ];
    let background = |operation: &Operation| matches!(operation, Operation::Statistics | Operation::Events);
    for (operation, method, path) in
        routes.into_iter().filter(|(op, _, _)| version.restores_in_background() || !background(op))
    {
        let route = Route::new(method, &format!("/{version}/{path}"));
        Mock::given(route.clone())
            .respond_with(Endpoint { operation, route, state: state.clone() })
            .named(format!("{operation:?}"))
            .mount(server)
            .await;
    }
    // What no route serves, including other API versions, is not found, as on a real server.
    Mock::given(any())
        .respond_with(json_response(
            404,
            &json!({ "message": "No HTTP resource was found that matches the request URI." }),
        ))
        .with_priority(u8::MAX)
        .mount(server)
        .await;
}

impl Respond for Endpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let ids = self.route.captures(request).unwrap_or_default();
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match self.operation {
            Operation::Token => token(&mut state, request),
            _ if !authorized(&state, request, self.operation) => {
                let restore = matches!(self.operation, Operation::Restore);
                let status = if restore && state.fault == Some(Fault::AuthorizationRefused403) { 403 } else { 401 };
                restore_error(
                    &state,
                    request,
                    self.operation,
                    status,
                    "Authorization has been denied for this request.",
                )
            }
            Operation::Explore => explore(&mut state, request, &ids[0]),
            Operation::GetSession => get_session(&state, &ids[0]),
            Operation::Mailboxes => mailboxes(&state, request, &ids[0]),
            Operation::Restore => match restore(&mut state, request, &ids[0], &ids[1]) {
                Ok(made) if state.version.restores_in_background() => background::start(&mut state, made, &ids[0]),
                Ok(made) => restore_answer(&state, made),
                Err((status, message)) => restore_error(&state, request, Operation::Restore, status, &message),
            },
            Operation::Stop => stop(&mut state, &ids[0]),
            Operation::Statistics => background::statistics(&state, &ids[0]),
            Operation::Events => background::events(&state, &ids[0]),
        }
    }
}

/// RESTExceptionInfo as the double's version writes it: v7 adds `errorCode`, v8 `stackTrace`.
pub(super) fn error(state: &State, status: u16, message: &str) -> ResponseTemplate {
    let body = match state.version {
        ApiVersion::V6 => json!({ "message": message }),
        ApiVersion::V7 => json!({ "message": message, "errorCode": null }),
        ApiVersion::V8 => json!({ "message": message, "errorCode": null, "stackTrace": null }),
    };
    json_response(status, &body)
}

pub(super) fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), JSON)
}

fn authorized(state: &State, request: &Request, operation: Operation) -> bool {
    let restore = matches!(operation, Operation::Restore);
    if restore && state.fault == Some(Fault::AuthorizationNotEnforced) {
        return true;
    }
    let Some(header) = request.headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    match header.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            let token = token.trim();
            (state.tokens.contains(token) && !state.tokens_needing_antiforgery.contains(token))
                || (restore && state.fault == Some(Fault::UnknownTokenAccepted))
        }
        _ => false,
    }
}

fn token(state: &mut State, request: &Request) -> ResponseTemplate {
    let form: Vec<(String, String)> = form_urlencoded::parse(&request.body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
    let accepted = match &state.accepted.login {
        Operator::Password { user_name, password } => {
            field("grant_type") == Some("password")
                && field("username") == Some(user_name.as_str())
                && field("password") == Some(password.expose_secret())
        }
        Operator::Token(_) => false,
    };
    if !accepted {
        // The token endpoint answers OAuth-style errors, not RESTExceptionInfo (vb365-api-notes §2.1).
        return json_response(
            400,
            &json!({"error": "invalid_grant", "error_description": "The user name or password is incorrect."}),
        );
    }
    let access_token = new_token();
    let refresh_token = new_token();
    state.tokens.insert(access_token.clone());
    if state.version != ApiVersion::V6 && field("disable_antiforgery_token") != Some("true") {
        state.tokens_needing_antiforgery.insert(access_token.clone());
    }
    json_response(
        200,
        &json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": 3600,
            "refresh_token": refresh_token,
            "userName": field("username"),
            ".issued": "Mon, 01 Jan 2024 10:00:00 GMT",
            ".expires": "Mon, 01 Jan 2024 11:00:00 GMT",
        }),
    )
}

/// An opaque token, registered as a secret the moment it exists.
fn new_token() -> String {
    let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    secret(token.clone());
    token
}

pub(super) fn session_json(state: &State, id: &str, session: &RestoreSession) -> Value {
    json!({
        "id": id,
        "name": "Exchange restore (vb365-conformance double)",
        "organization": "westsupport.onmicrosoft.com",
        "type": "Vex",
        "creationTime": "2024-01-01T10:00:00Z",
        "endTime": null,
        "state": if session.stopped { "Stopped" } else { "Working" },
        "result": "Success",
        "initiatedBy": "vb365-conformance",
        "_links": { "self": link(state, format!("/v6/restoresessions/{id}")) },
    })
}

/// A link as the double writes it; the link-path-case variation upper-cases it.
fn link(state: &State, href: String) -> Value {
    json!({ "href": if state.variation == Some(Variation::LinkPathCase) { href.to_ascii_uppercase() } else { href } })
}

fn explore(state: &mut State, request: &Request, organization_id: &str) -> ResponseTemplate {
    if !organization_id.eq_ignore_ascii_case(&state.accepted.organization_id) {
        return error(state, 404, "Organization not found.");
    }
    if !request.body.is_empty() && serde_json::from_slice::<Value>(&request.body).is_err() {
        return error(state, 400, "The request body is not valid JSON.");
    }
    let id = uuid::Uuid::new_v4().to_string();
    let session = RestoreSession {
        mailbox_ids: state.mailboxes.iter().map(|m| m.id.to_ascii_lowercase()).collect(),
        stopped: false,
    };
    let body = session_json(state, &id, &session);
    state.sessions.insert(id, session);
    json_response(if state.version == ApiVersion::V8 { 201 } else { 200 }, &body)
}

fn get_session(state: &State, session_id: &str) -> ResponseTemplate {
    match state.sessions.get(&session_id.to_ascii_lowercase()) {
        Some(session) => json_response(200, &session_json(state, session_id, session)),
        None => {
            background::session(state, session_id).unwrap_or_else(|| error(state, 404, "Restore session not found."))
        }
    }
}

fn mailboxes(state: &State, request: &Request, session_id: &str) -> ResponseTemplate {
    let Some(session) = state.sessions.get(&session_id.to_ascii_lowercase()) else {
        return error(state, 404, "Restore session not found.");
    };
    let query = |name: &str| {
        request
            .url
            .query_pairs()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let offset = query("offset").unwrap_or(0);
    let limit = query("limit").unwrap_or(30);
    let listed: Vec<Value> = state
        .mailboxes
        .iter()
        .filter(|m| session.mailbox_ids.contains(&m.id.to_ascii_lowercase()))
        .skip(offset)
        .take(limit)
        .map(|m| {
            json!({
                "id": m.id, "name": m.name, "email": m.email, "isArchive": false, "isPublic": false,
                "_links": { "self": link(state, format!("v6/restoresessions/{session_id}/organization/mailboxes/{}", m.id)) },
            })
        })
        .collect();
    json_response(
        200,
        &json!({
            "offset": offset, "limit": limit, "totalCount": session.mailbox_ids.len(), "results": listed,
            "_links": { "self": link(state, format!("/v6/RestoreSessions/{session_id}/organization/mailboxes?offset={offset}&limit={limit}")) },
        }),
    )
}

/// A restore the double carried out.
pub(super) struct Made {
    pub counts: Counts,
    pub mailbox_email: String,
    /// Whether the application certificate authenticated it.
    pub certificate: bool,
}

/// The operation under test: the counts of a restore, or the status and message of a refusal.
fn restore(state: &mut State, request: &Request, session_id: &str, mailbox_id: &str) -> Result<Made, (u16, String)> {
    let fault = state.fault;
    let refuse = |status: u16, message: &str| Err((status, message.to_owned()));
    let first_mailbox = state.mailboxes.first().map(|m| m.id.to_ascii_lowercase()).unwrap_or_default();
    let mut target = mailbox_id.to_ascii_lowercase();
    if [session_id, mailbox_id].iter().any(|id| uuid::Uuid::parse_str(id).is_err()) {
        match fault {
            Some(Fault::NonUuidIdAccepted) => {}
            Some(Fault::NonUuidIdAnswered200) => {
                return refuse(200, "The restore session id and the mailbox id must be UUIDs.");
            }
            _ => return refuse(400, "The restore session id and the mailbox id must be UUIDs."),
        }
        target = first_mailbox;
    } else {
        let unknown_status = if fault == Some(Fault::UnknownId500) { 500 } else { 404 };
        match state.sessions.get(&session_id.to_ascii_lowercase()) {
            None if fault == Some(Fault::UnknownSessionAccepted) => {}
            None => return refuse(unknown_status, "Restore session not found."),
            Some(session) if session.stopped => return refuse(500, "The restore session has been stopped."),
            Some(session) if !session.mailbox_ids.contains(&target) => {
                if fault != Some(Fault::UnknownMailboxAccepted) {
                    return refuse(unknown_status, "Mailbox not found in the restore session.");
                }
                target = first_mailbox;
            }
            Some(_) => {}
        }
    }
    let body = serde_json::from_slice::<Value>(&request.body);
    let refused_credentials = match &body {
        Err(_) if fault == Some(Fault::NotJsonAccepted) => false,
        Err(_) => return refuse(400, "The request body is not valid JSON."),
        Ok(body) => {
            let violations = Document::Request.violations(body);
            if violations.is_empty() {
                !credentials_accepted(state, body)
            } else if fault.is_some_and(|fault| tolerates(fault, body)) {
                false
            } else {
                let reasons: Vec<String> = violations.iter().map(|v| format!("{}: {}", v.path, v.expected)).collect();
                return refuse(400, &format!("Invalid restore options. {}", reasons.join("; ")));
            }
        }
    };
    if refused_credentials {
        let message = "Failed to connect to the Exchange organization: the credentials were refused.";
        return match fault {
            Some(Fault::ExchangeRefusal400) => refuse(400, "The Exchange credentials were refused."),
            Some(Fault::RefusedCredentialsAnswered200) => refuse(200, message),
            _ => refuse(500, message),
        };
    }
    let certificate = body.as_ref().is_ok_and(|body| body.get("applicationCertificate").is_some());
    let repeat = !state.restored_mailboxes.insert(target.clone());
    let Some(mailbox) = state.mailboxes.iter_mut().find(|m| m.id.eq_ignore_ascii_case(&target)) else {
        return refuse(404, "Mailbox not found.");
    };
    let counts = if fault == Some(Fault::RestoreWritesNothing) { mailbox.clone().restore() } else { mailbox.restore() };
    let mailbox_email = mailbox.email.clone();
    state.restores += 1;
    let counts = if repeat && fault == Some(Fault::SecondRestoreCountsZero) {
        Counts::default()
    } else {
        miscount(fault, counts)
    };
    Ok(Made { counts, mailbox_email, certificate })
}

/// Whether a fault makes the double accept a body the request schema refuses.
fn tolerates(fault: Fault, body: &Value) -> bool {
    const PASSWORD: &[&str] = &["userName", "userPassword"];
    const DEVICE_CODE: &[&str] = &["userCode"];
    const CERTIFICATE: &[&str] = &["applicationId", "applicationCertificate", "applicationCertificatePassword"];
    let Some(map) = body.as_object() else { return fault == Fault::WrongTypesAccepted };
    let has = |keys: &[&str]| keys.iter().filter(|key| map.contains_key(**key)).count();
    let variants = [PASSWORD, DEVICE_CODE, CERTIFICATE].iter().filter(|keys| has(keys) > 0).count();
    let impersonation = map.contains_key("impersonationAccountName");
    match fault {
        Fault::MixedVariantsAccepted => variants >= 2,
        Fault::IncompleteVariantAccepted => {
            variants == 0 || (variants == 1 && (has(PASSWORD) == 1 || (has(CERTIFICATE) > 0 && has(CERTIFICATE) < 3)))
        }
        Fault::CertificateWithoutImpersonationAccepted => has(CERTIFICATE) == 3 && !impersonation && variants == 1,
        Fault::ImpersonationWithoutCertificateAccepted => impersonation && has(CERTIFICATE) == 0,
        Fault::WrongTypesAccepted => map.values().any(|value| !value.is_string()),
        _ => false,
    }
}

/// The counting faults.
fn miscount(fault: Option<Fault>, counts: Counts) -> Counts {
    match fault {
        Some(Fault::CountsSwapped) => Counts { created: counts.merged, merged: counts.created, ..counts },
        Some(Fault::UnchangedCountedAsMerged) => {
            Counts { merged: counts.merged + counts.skipped, skipped: 0, ..counts }
        }
        Some(Fault::FailedCountedAsSkipped) => Counts { skipped: counts.skipped + counts.failed, failed: 0, ..counts },
        Some(Fault::CannedCounts) => Counts { created: 0, merged: 0, failed: 0, skipped: 1 },
        _ => counts,
    }
}

/// The 200 answer of a restore, as the fault or variation shapes it.
fn restore_answer(state: &State, made: Made) -> ResponseTemplate {
    let counts = made.counts;
    let (fault, variation) = (state.fault, state.variation);
    let exceptions: Vec<String> =
        (0..counts.failed).map(|n| format!("Item {n} could not be written to the mailbox.")).collect();
    let mut body = json!({
        "failedFoldersCount": 0,
        "exceptions": exceptions,
        "createdItemsCount": counts.created,
        "mergedItemsCount": counts.merged,
        "failedItemsCount": counts.failed,
        "skippedItemsCount": counts.skipped,
        "cannotContinueError": null,
        "warnings": [],
    });
    match fault {
        Some(Fault::CountAsString) => body["createdItemsCount"] = json!(counts.created.to_string()),
        Some(Fault::CountAsFloat) => body["mergedItemsCount"] = json!(counts.merged as f64 + 0.5),
        Some(Fault::CountNegative) => body["failedItemsCount"] = json!(-1),
        Some(Fault::CountNull) => body["skippedItemsCount"] = Value::Null,
        Some(Fault::CountMissing) => {
            body.as_object_mut().map(|map| map.remove("skippedItemsCount"));
        }
        Some(Fault::BodyArray) => body = json!([body]),
        Some(Fault::VendorPropertyWrongType) => body["exceptions"] = json!("boom"),
        _ => {}
    }
    match variation {
        Some(Variation::ExtraProperties) => {
            body["restoredFolders"] = json!([{"name": "Inbox", "itemsCount": 1}]);
            body["_links"] = json!({"self": {"href": "/v6/restoresessions"}});
        }
        Some(Variation::NullOptionals) => {
            for key in ["failedFoldersCount", "exceptions", "warnings", "cannotContinueError"] {
                body[key] = Value::Null;
            }
        }
        Some(Variation::CountsOnly) => {
            if let Some(map) = body.as_object_mut() {
                map.retain(|key, _| crate::counts::COUNT_PROPERTIES.contains(&key.as_str()));
            }
        }
        _ => {}
    }
    let text = match (fault, variation) {
        (Some(Fault::BodyEmpty | Fault::NoContent204), _) => String::new(),
        (Some(Fault::BodyNotJson), _) => "Restore completed.".into(),
        (_, Some(Variation::OrderAndWhitespace)) => reordered_pretty(&body),
        _ => body.to_string(),
    };
    let status = match fault {
        Some(Fault::Created201) => 201,
        Some(Fault::Accepted202) => 202,
        Some(Fault::NoContent204) => 204,
        _ => 200,
    };
    let mime = match (fault, variation) {
        (Some(Fault::ContentTypeOctetStream), _) => "application/octet-stream",
        (Some(Fault::CertificateContentTypeOctetStream), _) if made.certificate => "application/octet-stream",
        (Some(Fault::ContentTypeTextPlain), _) => "text/plain; charset=utf-8",
        (Some(Fault::ContentTypeMissing | Fault::NoContent204), _) => "",
        (_, Some(Variation::JsonWithoutCharset)) => "application/json",
        _ => JSON,
    };
    let answer = ResponseTemplate::new(status).set_body_raw(text.into_bytes(), mime);
    if fault == Some(Fault::SlowAnswer) { answer.set_delay(state.slow_answer_delay) } else { answer }
}

/// The same JSON value written otherwise: properties in reverse order, pretty-printed.
fn reordered_pretty(body: &Value) -> String {
    let Some(map) = body.as_object() else { return body.to_string() };
    let members: Vec<String> =
        map.iter().rev().map(|(key, value)| format!("  {} :  {}", Value::String(key.clone()), value)).collect();
    format!("{{\n{}\n}}\n", members.join(" ,\n"))
}

/// An error answer; for the restore operation, as the fault or variation shapes it.
fn restore_error(
    state: &State,
    request: &Request,
    operation: Operation,
    status: u16,
    message: &str,
) -> ResponseTemplate {
    if !matches!(operation, Operation::Restore) {
        return error(state, status, message);
    }
    let echoed;
    let message = if state.variation == Some(Variation::ErrorEchoesRequest) {
        // As .NET writes text: every non-ASCII character as \uXXXX.
        let body: String = String::from_utf8_lossy(&request.body)
            .encode_utf16()
            .map(|unit| if unit < 0x80 { char::from(unit as u8).to_string() } else { format!("\\u{unit:04x}") })
            .collect();
        echoed = format!("{message} Request body: {body}");
        echoed.as_str()
    } else {
        message
    };
    match (state.fault, state.variation) {
        (Some(Fault::ErrorWithoutMessage), _) => json_response(status, &json!({})),
        (Some(Fault::ErrorNotJson), _) => {
            ResponseTemplate::new(status).set_body_raw(message.as_bytes().to_vec(), "text/plain; charset=utf-8")
        }
        (Some(Fault::ErrorMessageNotString), _) => json_response(status, &json!({"message": 42})),
        (_, Some(Variation::ErrorMessagePascalCase)) => json_response(status, &json!({ "Message": message })),
        (_, Some(Variation::ErrorDetails)) => {
            json_response(status, &json!({"message": message, "errorCode": null, "stackTrace": null}))
        }
        _ => error(state, status, message),
    }
}

/// The body names one variant (the schema checked that); its values must be the organization's,
/// but for those a fault leaves unchecked.
fn credentials_accepted(state: &State, body: &Value) -> bool {
    let unchecked: &[&str] = match state.fault {
        Some(Fault::ExchangeCredentialsNotChecked) => &["userName", "userPassword"],
        Some(Fault::DeviceCodeNotChecked) => &["userCode"],
        Some(Fault::CertificatePasswordNotChecked) => &["applicationCertificatePassword"],
        Some(Fault::ApplicationIdNotChecked) => &["applicationId"],
        Some(Fault::ImpersonationAccountNotChecked) => &["impersonationAccountName"],
        _ => &[],
    };
    let Some(sent) = body.as_object() else { return false };
    Variant::ALL.iter().any(|&variant| {
        state.accepted.exchange.body(variant).is_ok_and(|expected| {
            expected.as_object().is_some_and(|expected| {
                expected.len() == sent.len()
                    && expected.iter().all(|(key, value)| {
                        sent.get(key).is_some_and(|given| given == value || unchecked.contains(&key.as_str()))
                    })
            })
        })
    })
}

fn stop(state: &mut State, session_id: &str) -> ResponseTemplate {
    match state.sessions.get_mut(&session_id.to_ascii_lowercase()) {
        Some(session) => {
            session.stopped = true;
            state.stops.push(session_id.to_owned());
            ResponseTemplate::new(if state.version == ApiVersion::V8 { 204 } else { 200 })
        }
        None => error(state, 404, "Restore session not found."),
    }
}
