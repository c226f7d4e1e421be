//! The double's endpoints behind one dispatcher: a request's route is found in one pass over
//! the served versions' routes, then answered from the double's one state in the shapes of the
//! route's version. Both engines use it: one wiremock mock (in-process doubles) and the lean
//! hyper server (standalone).

use std::sync::Arc;

use serde_json::json;
use wiremock::http::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::answer::{Answer, error};
use super::despite;
use super::faults::Fault;
use super::refusal::{Refusal, Refused};
use super::restore::Body;
use super::route::Route;
use super::{SharedState, State, background, control, organizations, restore, service_instance, session, token};
use crate::contract::version::ApiVersion;

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
    /// What a client reads around the operation: the installation, the organizations, the
    /// restore sessions.
    ServiceInstance,
    Organizations,
    RestoreSessions,
}

/// The routes of the served API versions.
#[derive(Clone, Debug)]
pub(crate) struct Router {
    routes: Arc<Vec<(Operation, ApiVersion, Route)>>,
}

impl Router {
    pub fn new(versions: &[ApiVersion]) -> Router {
        let routes = [
            (Operation::Token, Method::POST, "token"),
            (Operation::Explore, Method::POST, "Organizations/{}/explore"),
            (Operation::GetSession, Method::GET, "RestoreSessions/{}"),
            (Operation::Mailboxes, Method::GET, "RestoreSessions/{}/organization/mailboxes"),
            (Operation::Restore, Method::POST, "RestoreSessions/{}/organization/mailboxes/{}/restore"),
            (Operation::Stop, Method::POST, "RestoreSessions/{}/Stop"),
            (Operation::Statistics, Method::GET, "RestoreSessions/{}/Statistics"),
            (Operation::Events, Method::GET, "RestoreSessions/{}/Events"),
            (Operation::ServiceInstance, Method::GET, "ServiceInstance"),
            (Operation::Organizations, Method::GET, "Organizations"),
            (Operation::RestoreSessions, Method::GET, "RestoreSessions"),
        ];
        let background = |operation: &Operation| matches!(operation, Operation::Statistics | Operation::Events);
        let routes = versions
            .iter()
            .flat_map(|&version| {
                routes
                    .iter()
                    .filter(move |(operation, _, _)| version.restores_in_background() || !background(operation))
                    .map(move |(operation, method, path)| {
                        (*operation, version, Route::new(method.clone(), &format!("/{version}/{path}")))
                    })
            })
            .collect();
        Router { routes: Arc::new(routes) }
    }

    /// Answers `request` from `state`.
    pub fn handle(&self, state: &SharedState, request: &Request) -> Answer {
        if let Some(answer) = control::handle(state, request) {
            return answer;
        }
        let Some((operation, version, ids)) = self
            .routes
            .iter()
            .find_map(|(operation, version, route)| route.captures(request).map(|ids| (*operation, *version, ids)))
        else {
            // A route served, asked with another method: 405 with the method it takes, as ASP.NET
            // Web API answers (before any token is looked at).
            if let Some((version, route)) =
                self.routes.iter().find(|(_, _, route)| route.has_path_of(request)).map(|(_, v, route)| (*v, route))
            {
                let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                state.answer_in(version);
                let refusal = Refusal::MethodNotAllowed(request.method.to_string());
                return error(&state, 405, &refusal).with_header("allow", route.method_name());
            }
            // What no route serves, including versions not served, is not found, as on a real server.
            return Answer::json(404, &json!({ "message": Refusal::NoResource.to_string() }));
        };
        // The restore's body is parsed and checked before the state is locked.
        let body = matches!(operation, Operation::Restore).then(|| Body::parse(&request.body));
        let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.answer_in(version);
        let restoring = matches!(operation, Operation::Restore);
        let refused = match operation {
            Operation::Token => None,
            _ => token::refusal(&mut state, request, restoring),
        };
        if let Some(reason) = refused {
            let status = if restoring && state.fault == Some(Fault::AuthorizationRefused403) { 403 } else { 401 };
            let answer = if restoring {
                let refused = Refused { status, reason };
                despite::carry_out(&mut state, &refused, &ids[0], &ids[1]);
                restore::refusal(&state, &request.body, refused)
            } else {
                error(&state, status, &reason)
            };
            return challenged(&state, answer);
        }
        match operation {
            Operation::Token => token::token(&mut state, request),
            Operation::Explore => session::explore(&mut state, request, &ids[0]),
            Operation::GetSession => session::get(&state, &ids[0]),
            Operation::Mailboxes => session::mailboxes(&state, request, &ids[0]),
            Operation::Restore => {
                let body = body.unwrap_or(Body::NotJson);
                match restore::restore(&mut state, &body, &ids[0], &ids[1]) {
                    Ok(made) if state.version.restores_in_background() => background::start(&mut state, made, &ids[0]),
                    Ok(made) => restore::answer(&state, made),
                    Err(refused) => {
                        despite::carry_out(&mut state, &refused, &ids[0], &ids[1]);
                        restore::refusal(&state, &request.body, refused)
                    }
                }
            }
            Operation::Stop => session::stop(&mut state, &ids[0]),
            Operation::Statistics => background::statistics(&state, &ids[0]),
            Operation::Events => background::events(&state, request, &ids[0]),
            Operation::ServiceInstance => service_instance::get(&state),
            Operation::Organizations => organizations::list(&state, request),
            Operation::RestoreSessions => session::list(&state, request),
        }
    }
}

/// A 401 with the challenges it must carry (RFC 9110 §11.6.1), as an OWIN bearer server sends
/// them: `WWW-Authenticate: Bearer`.
fn challenged(state: &State, answer: Answer) -> Answer {
    if answer.status != 401 || state.fault == Some(Fault::UnauthorizedWithoutChallenge) {
        return answer;
    }
    if state.variation == Some(super::Variation::UnauthorizedChallenges) {
        let bearer = r#"Bearer realm="Veeam Backup for Microsoft 365", error="invalid_token", error_description="The access token is missing, expired or not valid""#;
        return answer.with_header("www-authenticate", bearer).with_header("www-authenticate", "Negotiate");
    }
    answer.with_header("www-authenticate", "Bearer")
}

/// The wiremock responder: every request goes to the dispatcher.
struct Dispatch {
    router: Router,
    state: SharedState,
}

impl Respond for Dispatch {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.router.handle(&self.state, request).into_template()
    }
}

/// Mounts the double on a wiremock server: one mock, which matches every request.
pub(super) async fn mount(server: &MockServer, state: &SharedState, versions: &[ApiVersion]) {
    Mock::given(any())
        .respond_with(Dispatch { router: Router::new(versions), state: state.clone() })
        .named("vb365-double")
        .mount(server)
        .await;
}
