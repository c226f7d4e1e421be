//! `POST /{version}/token` and the bearer tokens it issues. Tokens expire after their
//! `expires_in` (3600 s; 1 s with the variation short-token-lifetime or the fault
//! expired-token-accepted; what [`Tokens::set_lifetime`] says for an in-process double), and at most
//! [`Tokens::MAX`] are kept (the oldest go first), so a double that runs for days keeps its
//! memory flat. With the variation tokens-forgotten-at-times the double forgets every token it
//! issued at the requests [`FORGET_AT`] that carry a valid one, as restarts would.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime};

use secrecy::ExposeSecret;
use serde_json::json;
use wiremock::Request;

use super::answer::Answer;
use super::refusal::Refusal;
use super::{Operator, State};
use crate::contract::credentials::secret;
use crate::contract::version::ApiVersion;

/// The tokens a double has issued.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    by_value: HashMap<String, Token>,
    /// Issue order, for dropping the oldest.
    order: VecDeque<String>,
    /// Requests that carried a valid token, for tokens-forgotten-at-times.
    uses: u64,
    /// The latest [`Tokens::MAX`] values issued (access and refresh tokens), forgotten or
    /// expired or not: what a leak canary looks for in everything a client wrote.
    issued: VecDeque<String>,
    /// The lifetime of the tokens issued from now on, when set in process (the suite's scenario
    /// that lets a token expire, on its own double).
    lifetime: Option<Duration>,
    /// Refresh tokens not used yet, with the user name they were issued to and whether their
    /// sign-in disabled the antiforgery token; each is good for one `grant_type=refresh_token`.
    refresh: HashMap<String, (String, bool)>,
}

/// With tokens-forgotten-at-times: at which requests with a valid token the double forgets its
/// tokens (and answers that request 401). Twice: once a run has begun (on a live server, during
/// its setup) and once scenarios run; not so often that a token got again is forgotten before
/// it is used.
pub const FORGET_AT: [u64; 2] = [4, 12];

/// How long a token lives: its `expires_in`.
fn lifetime(state: &State) -> Duration {
    if state.variation == Some(super::Variation::ShortTokenLifetime)
        || state.fault == Some(super::Fault::ExpiredTokenAccepted)
    {
        Duration::from_secs(1)
    } else {
        state.tokens.lifetime.unwrap_or(Tokens::LIFETIME)
    }
}

#[derive(Debug)]
struct Token {
    /// `None`: never (a token the operator configured).
    expires: Option<Instant>,
    /// v7, v8: issued without `disable_antiforgery_token=true`, so it needs an antiforgery
    /// token the suite does not send (as a browser would): refused.
    needs_antiforgery: bool,
}

impl Tokens {
    /// How long an issued token is valid: its `expires_in`.
    pub const LIFETIME: Duration = Duration::from_secs(3600);
    /// How many tokens are kept at most.
    pub const MAX: usize = 10_000;

    /// Keeps a token; the oldest go first when over [`Tokens::MAX`], and expired ones unless
    /// `keep_expired` (a server that accepts them).
    pub fn insert(&mut self, value: String, expires: Option<Instant>, needs_antiforgery: bool, keep_expired: bool) {
        let now = Instant::now();
        while let Some(oldest) = self.order.front() {
            let expired =
                self.by_value.get(oldest).is_none_or(|t| !keep_expired && t.expires.is_some_and(|e| e <= now));
            if !expired && self.order.len() < Self::MAX {
                break;
            }
            if let Some(oldest) = self.order.pop_front() {
                self.by_value.remove(&oldest);
            }
        }
        self.order.push_back(value.clone());
        self.by_value.insert(value, Token { expires, needs_antiforgery });
    }

    /// Sets the lifetime of the tokens issued from now on.
    pub fn set_lifetime(&mut self, lifetime: Duration) {
        self.lifetime = Some(lifetime);
    }

    /// Lets the lifetime of the issued token `value` pass now, as if its `expires_in` had been
    /// waited out: a scenario's expired token without the wait.
    pub fn expire(&mut self, value: &str) {
        if let Some(token) = self.by_value.get_mut(value).filter(|token| token.expires.is_some()) {
            token.expires = Some(Instant::now());
        }
    }

    /// What `value` is as a bearer token of this double.
    pub fn check(&self, value: &str) -> TokenCheck {
        match self.by_value.get(value) {
            Some(token) if token.expires.is_some_and(|expires| expires <= Instant::now()) => TokenCheck::Expired,
            Some(token) if token.needs_antiforgery => TokenCheck::NeedsAntiforgery,
            Some(_) => TokenCheck::Valid,
            None => TokenCheck::Unknown,
        }
    }

    pub fn len(&self) -> usize {
        self.by_value.len()
    }

    /// Records a value issued (at most the latest [`Tokens::MAX`] are kept).
    fn record_issued(&mut self, value: &str) {
        if self.issued.len() >= Self::MAX {
            self.issued.pop_front();
        }
        self.issued.push_back(value.to_owned());
    }

    /// The latest values issued, oldest first.
    pub fn issued(&self) -> Vec<String> {
        self.issued.iter().cloned().collect()
    }

    /// Keeps a refresh token for one use; at most about [`Tokens::MAX`] of the latest are kept.
    fn keep_refresh(&mut self, value: &str, user_name: &str, needs_antiforgery: bool) {
        if self.refresh.len() >= 2 * Self::MAX {
            let latest: std::collections::HashSet<&String> = self.issued.iter().collect();
            self.refresh.retain(|token, _| latest.contains(token));
        }
        self.refresh.insert(value.to_owned(), (user_name.to_owned(), needs_antiforgery));
    }

    /// Forgets every token it issued (a configured token, which never expires, stays), refresh
    /// tokens too.
    fn forget_issued(&mut self) {
        self.refresh.clear();
        self.by_value.retain(|_, token| token.expires.is_none());
        self.order.retain(|value| self.by_value.contains_key(value));
    }
}

/// What a bearer token is to the double that issued it (or did not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenCheck {
    Valid,
    /// v7, v8: issued without `disable_antiforgery_token=true`, used without the antiforgery
    /// token a browser would keep in its cookies.
    NeedsAntiforgery,
    /// Issued, and expired.
    Expired,
    /// Never issued (or forgotten).
    Unknown,
}

/// Why the request is refused for its authorization, or `None` when it carries a valid bearer
/// token (or a fault lets it through).
pub(super) fn refusal(state: &mut State, request: &Request, restore: bool) -> Option<Refusal> {
    use super::Fault;
    if restore && state.fault == Some(Fault::AuthorizationNotEnforced) {
        return None;
    }
    let header = request.headers.get("authorization").and_then(|v| v.to_str().ok());
    // The scheme's name is case-insensitive (RFC 9110 §11.1), as OWIN reads it.
    let check = match header.and_then(|header| header.trim().split_once(' ')) {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => state.tokens.check(token.trim()),
        // The fault scheme-not-checked: the header's last word is the token, whatever comes before.
        _ if state.fault == Some(Fault::SchemeNotChecked) => match header.and_then(|h| h.split_whitespace().last()) {
            Some(token) => state.tokens.check(token),
            None => return Some(Refusal::AuthorizationDenied),
        },
        _ => return Some(Refusal::AuthorizationDenied),
    };
    // The tokens-forgotten-at-times variation: a valid token's use counts, and at some uses the
    // double forgets every token it issued, as a restart does.
    if check == TokenCheck::Valid && state.variation == Some(super::Variation::TokensForgottenAtTimes) {
        state.tokens.uses = state.tokens.uses.saturating_add(1);
        if FORGET_AT.contains(&state.tokens.uses) {
            state.tokens.forget_issued();
            return Some(Refusal::AuthorizationDenied);
        }
    }
    match check {
        TokenCheck::Valid => None,
        _ if restore && state.fault == Some(Fault::UnknownTokenAccepted) => None,
        TokenCheck::Expired if state.fault == Some(Fault::ExpiredTokenAccepted) => None,
        TokenCheck::NeedsAntiforgery => Some(Refusal::AntiforgeryTokenMissing),
        TokenCheck::Expired | TokenCheck::Unknown => Some(Refusal::AuthorizationDenied),
    }
}

/// `POST /{version}/token`: OAuthTokenResponse, every field of the vendor's schema.
pub(super) fn token(state: &mut State, request: &Request) -> Answer {
    let form: Vec<(String, String)> = form_urlencoded::parse(&request.body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
    // The token endpoint answers OAuth-style errors, not RESTExceptionInfo (vb365-api-notes §2.1).
    let refused =
        |error: &str, description: &str| Answer::json(400, &json!({"error": error, "error_description": description}));
    // grant_type defaults to password (the OpenAPI's default).
    let (user_name, needs_antiforgery) = match field("grant_type").unwrap_or("password") {
        "password" => {
            let accepted = match &state.accepted.login {
                Operator::Password { user_name, password } => {
                    field("username") == Some(user_name.as_str()) && field("password") == Some(password.expose_secret())
                }
                Operator::Token(_) => false,
            };
            if !accepted {
                return refused("invalid_grant", "The user name or password is incorrect.");
            }
            let needs_antiforgery =
                state.version != ApiVersion::V6 && field("disable_antiforgery_token") != Some("true");
            (field("username").unwrap_or_default().to_owned(), needs_antiforgery)
        }
        // A refresh token is good once; the new sign-in keeps the first one's user and antiforgery.
        "refresh_token" => match field("refresh_token").and_then(|token| state.tokens.refresh.remove(token)) {
            Some(issued_to) => issued_to,
            None => return refused("invalid_grant", "The refresh token is not one this server issued, or was used."),
        },
        other => {
            return refused(
                "unsupported_grant_type",
                &format!(
                    "vb365-double signs in with grant_type password or refresh_token, not {other:?} (the other grant types of the vendor's OpenAPI need an identity provider it does not have)"
                ),
            );
        }
    };
    let access_token = new_token(state.register_tokens);
    let refresh_token = new_token(state.register_tokens);
    state.tokens.record_issued(&access_token);
    state.tokens.record_issued(&refresh_token);
    state.tokens.keep_refresh(&refresh_token, &user_name, needs_antiforgery);
    let lifetime = lifetime(state);
    let expires = Some(Instant::now() + lifetime);
    let keep_expired = state.fault == Some(super::Fault::ExpiredTokenAccepted);
    state.tokens.insert(access_token.clone(), expires, needs_antiforgery, keep_expired);
    if state.fault == Some(super::Fault::RefreshTokenAcceptedAsBearer) {
        state.tokens.insert(refresh_token.clone(), expires, needs_antiforgery, keep_expired);
    }
    let issued = SystemTime::now();
    Answer::json(
        200,
        &json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": lifetime.as_secs(),
            "refresh_token": refresh_token,
            "userName": user_name,
            ".issued": humantime::format_rfc3339_seconds(issued).to_string(),
            ".expires": humantime::format_rfc3339_seconds(issued + lifetime).to_string(),
        }),
    )
}

/// An opaque token; in-process doubles register it as a secret the moment it exists, so the
/// suite never prints it (a standalone double prints nothing of it, and keeps no registry).
fn new_token(register: bool) -> String {
    let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    if register {
        secret(token.clone());
    }
    token
}

/// The token the operator configured, taken as issued; it never expires.
pub(super) fn accept_configured(state: &mut State) {
    if let Operator::Token(token) = &state.accepted.login {
        let token = token.expose_secret().to_owned();
        state.tokens.insert(token, None, false, false);
    }
}
