//! The double's endpoints: one wiremock responder per operation, sharing the double's state.

use serde_json::{Value, json};
use wiremock::http::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::route::Route;
use super::{RestoreSession, SharedState, State};
use crate::credentials::{Variant, secret};
use crate::schema::Document;
use crate::settings::ApiLogin;
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
}

struct Endpoint {
    operation: Operation,
    route: Route,
    state: SharedState,
}

pub(super) async fn mount(server: &MockServer, state: &SharedState, version: &str) {
    if let ApiLogin::Token(token) = &state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .accepted
        .login
    {
        // A user-supplied token is one the double has issued.
        let token = token.expose_secret().to_owned();
        state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .tokens
            .insert(token);
    }
    let routes = [
        (Operation::Token, Method::POST, "token"),
        (Operation::Explore, Method::POST, "Organizations/{}/explore"),
        (Operation::GetSession, Method::GET, "RestoreSessions/{}"),
        (
            Operation::Mailboxes,
            Method::GET,
            "RestoreSessions/{}/organization/mailboxes",
        ),
        (
            Operation::Restore,
            Method::POST,
            "RestoreSessions/{}/organization/mailboxes/{}/restore",
        ),
        (Operation::Stop, Method::POST, "RestoreSessions/{}/Stop"),
    ];
    for (operation, method, path) in routes {
        let route = Route::new(method, &format!("/{version}/{path}"));
        Mock::given(route.clone())
            .respond_with(Endpoint {
                operation,
                route,
                state: state.clone(),
            })
            .named(format!("{operation:?}"))
            .mount(server)
            .await;
    }
    // What no route serves, including other API versions, is not found, as on a real server.
    Mock::given(any())
        .respond_with(error(
            404,
            "No HTTP resource was found that matches the request URI.",
        ))
        .with_priority(u8::MAX)
        .mount(server)
        .await;
}

impl Respond for Endpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let ids = self.route.captures(request).unwrap_or_default();
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !matches!(self.operation, Operation::Token) && !authorized(&state, request) {
            return error(401, "Authorization has been denied for this request.");
        }
        match self.operation {
            Operation::Token => token(&mut state, request),
            Operation::Explore => explore(&mut state, request, &ids[0]),
            Operation::GetSession => get_session(&state, &ids[0]),
            Operation::Mailboxes => mailboxes(&state, request, &ids[0]),
            Operation::Restore => restore(&mut state, request, &ids[0], &ids[1]),
            Operation::Stop => stop(&mut state, &ids[0]),
        }
    }
}

fn error(status: u16, message: &str) -> ResponseTemplate {
    json_response(status, &json!({ "message": message }))
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), JSON)
}

fn authorized(state: &State, request: &Request) -> bool {
    let Some(header) = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    match header.split_once(' ') {
        Some((scheme, token)) => {
            scheme.eq_ignore_ascii_case("bearer") && state.tokens.contains(token.trim())
        }
        None => false,
    }
}

fn token(state: &mut State, request: &Request) -> ResponseTemplate {
    let form: Vec<(String, String)> = form_urlencoded::parse(&request.body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let accepted = match &state.accepted.login {
        ApiLogin::Password {
            user_name,
            password,
        } => {
            field("grant_type") == Some("password")
                && field("username") == Some(user_name.as_str())
                && field("password") == Some(password.expose_secret())
        }
        ApiLogin::Token(_) => false,
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
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    secret(token.clone());
    token
}

fn session_json(id: &str, session: &RestoreSession) -> Value {
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
        "_links": { "self": { "href": format!("/v6/restoresessions/{id}") } },
    })
}

fn explore(state: &mut State, request: &Request, organization_id: &str) -> ResponseTemplate {
    if !organization_id.eq_ignore_ascii_case(&state.accepted.organization_id) {
        return error(404, "Organization not found.");
    }
    if !request.body.is_empty() && serde_json::from_slice::<Value>(&request.body).is_err() {
        return error(400, "The request body is not valid JSON.");
    }
    let id = uuid::Uuid::new_v4().to_string();
    let session = RestoreSession {
        mailbox_ids: state
            .mailboxes
            .iter()
            .map(|m| m.id.to_ascii_lowercase())
            .collect(),
        stopped: false,
    };
    let body = session_json(&id, &session);
    state.sessions.insert(id, session);
    json_response(200, &body)
}

fn get_session(state: &State, session_id: &str) -> ResponseTemplate {
    match state.sessions.get(&session_id.to_ascii_lowercase()) {
        Some(session) => json_response(200, &session_json(session_id, session)),
        None => error(404, "Restore session not found."),
    }
}

fn mailboxes(state: &State, request: &Request, session_id: &str) -> ResponseTemplate {
    let Some(session) = state.sessions.get(&session_id.to_ascii_lowercase()) else {
        return error(404, "Restore session not found.");
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
                "_links": { "self": { "href": format!("v6/restoresessions/{session_id}/organization/mailboxes/{}", m.id) } },
            })
        })
        .collect();
    json_response(
        200,
        &json!({
            "offset": offset, "limit": limit, "totalCount": session.mailbox_ids.len(), "results": listed,
            "_links": { "self": { "href": format!("/v6/RestoreSessions/{session_id}/organization/mailboxes?offset={offset}&limit={limit}") } },
        }),
    )
}

fn restore(
    state: &mut State,
    request: &Request,
    session_id: &str,
    mailbox_id: &str,
) -> ResponseTemplate {
    for (name, id) in [("restoreSessionId", session_id), ("mailboxId", mailbox_id)] {
        if uuid::Uuid::parse_str(id).is_err() {
            return error(
                400,
                &format!("The value of {name} is not a valid identifier."),
            );
        }
    }
    let Some(session) = state.sessions.get(&session_id.to_ascii_lowercase()) else {
        return error(404, "Restore session not found.");
    };
    if session.stopped {
        return error(500, "The restore session has been stopped.");
    }
    if !session
        .mailbox_ids
        .contains(&mailbox_id.to_ascii_lowercase())
    {
        return error(404, "Mailbox not found in the restore session.");
    }
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return error(400, "The request body is not valid JSON.");
    };
    let violations = Document::Request.violations(&body);
    if !violations.is_empty() {
        let reasons: Vec<String> = violations
            .iter()
            .map(|v| format!("{}: {}", v.path, v.expected))
            .collect();
        return error(
            400,
            &format!("Invalid restore options. {}", reasons.join("; ")),
        );
    }
    if !credentials_accepted(state, &body) {
        return error(
            500,
            "Failed to connect to the Exchange organization: the credentials were refused.",
        );
    }
    let Some(mailbox) = state
        .mailboxes
        .iter_mut()
        .find(|m| m.id.eq_ignore_ascii_case(mailbox_id))
    else {
        return error(404, "Mailbox not found.");
    };
    let counts = mailbox.restore();
    state.restores += 1;
    let exceptions: Vec<String> = (0..counts.failed)
        .map(|n| format!("Item {n} could not be written to the mailbox."))
        .collect();
    json_response(
        200,
        &json!({
            "failedFoldersCount": 0,
            "exceptions": exceptions,
            "createdItemsCount": counts.created,
            "mergedItemsCount": counts.merged,
            "failedItemsCount": counts.failed,
            "skippedItemsCount": counts.skipped,
            "cannotContinueError": null,
            "warnings": [],
        }),
    )
}

/// The body names one variant (the schema checked that); its values must be the organization's.
fn credentials_accepted(state: &State, body: &Value) -> bool {
    Variant::ALL.iter().any(|&variant| {
        state
            .accepted
            .exchange
            .body(variant)
            .is_ok_and(|expected| &expected == body)
    })
}

fn stop(state: &mut State, session_id: &str) -> ResponseTemplate {
    match state.sessions.get_mut(&session_id.to_ascii_lowercase()) {
        Some(session) => {
            session.stopped = true;
            state.stops.push(session_id.to_owned());
            ResponseTemplate::new(200)
        }
        None => error(404, "Restore session not found."),
    }
}
