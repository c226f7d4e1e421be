//! The run's bearer token. One signed in for with VB365_USERNAME and VB365_PASSWORD is renewed
//! by the lifetime its sign-in answered (`expires_in`): once three quarters of it have passed,
//! the next request signs in again first. A request the server refuses with 401 all the same
//! (a server may forget its tokens when it restarts, or count time otherwise) renews it once
//! and is sent once more: a 401 says the server did not carry the request out. Nothing is sent
//! again after any other answer, nor after a transport error (the server may have received
//! it). A token given as VB365_TOKEN is never renewed.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use crate::client::{Answer, ApiClient, CallError, SignedIn};

/// What a token lives when its sign-in does not say: VB365's default, 60 minutes.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(60 * 60);
/// How long past its stated lifetime a token is sent as an expired one: a server may count its
/// lifetime in whole seconds.
pub const EXPIRY_MARGIN: Duration = Duration::from_secs(1);
/// How many earlier values a token remembers (a request may still carry one).
const REMEMBERED: usize = 100;

/// When to renew a token asked for at `asked`: once three quarters of its lifetime have passed
/// (counted from the request, so that the server's clock is never ahead of it).
fn renew_at(signed_in: &SignedIn, asked: Instant) -> Option<Instant> {
    let lifetime = signed_in.lifetime.unwrap_or(DEFAULT_LIFETIME);
    asked.checked_add(lifetime.saturating_sub(lifetime / 4))
}

/// The run's bearer token, shared by every clone.
#[derive(Clone)]
pub struct Token {
    /// The operator's user name and password; `None` for a given token.
    login: Option<Arc<(String, SecretString)>>,
    current: Arc<Mutex<Current>>,
    /// Held while signing in again, so that requests refused together renew once.
    renewing: Arc<tokio::sync::Mutex<()>>,
}

struct Current {
    value: SecretString,
    /// What the latest sign-in said of its tokens; `None` for a given token.
    stated: Option<Stated>,
    /// When to sign in again; `None`: never.
    renew_at: Option<Instant>,
    /// The values it had before, newest last.
    earlier: Vec<SecretString>,
}

/// What a sign-in said of the tokens it gave: their lifetime (`expires_in`) and whether it gave
/// a refresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stated {
    pub lifetime: Option<Duration>,
    pub refresh_token: bool,
}

impl Stated {
    fn of(signed_in: &SignedIn) -> Stated {
        Stated { lifetime: signed_in.lifetime, refresh_token: signed_in.refresh_token.is_some() }
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let renewable = self.login.is_some();
        f.debug_struct("Token").field("value", &crate::secrets::MASK).field("renewable", &renewable).finish()
    }
}

impl Token {
    /// A token the operator gave: used as is, never renewed.
    pub fn given(value: SecretString) -> Token {
        let current = Current { value, stated: None, renew_at: None, earlier: Vec::new() };
        Token { login: None, current: Arc::new(Mutex::new(current)), renewing: Default::default() }
    }

    /// Signs in with the operator's user name and password.
    pub async fn sign_in(client: &ApiClient, user_name: &str, password: &SecretString) -> Result<Token, CallError> {
        let asked = Instant::now();
        let signed_in = client.sign_in(user_name, password).await?;
        let renew_at = renew_at(&signed_in, asked);
        let stated = Some(Stated::of(&signed_in));
        let current = Current { value: signed_in.token, stated, renew_at, earlier: Vec::new() };
        Ok(Token {
            login: Some(Arc::new((user_name.to_owned(), password.clone()))),
            current: Arc::new(Mutex::new(current)),
            renewing: Default::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value it holds now, renewed or not.
    pub fn value(&self) -> SecretString {
        self.lock().value.clone()
    }

    /// Whether `value` is this token, now or before a renewal.
    pub fn holds(&self, value: &SecretString) -> bool {
        let current = self.lock();
        let same = |other: &SecretString| other.expose_secret() == value.expose_secret();
        same(&current.value) || current.earlier.iter().any(same)
    }

    /// What the latest sign-in said of its tokens; `None` when the token was given
    /// (VB365_TOKEN): the run never signs in.
    pub fn stated(&self) -> Option<Stated> {
        self.lock().stated
    }

    /// A sign-in of its own, apart from the run's token (which it neither replaces nor renews):
    /// a token to let expire, a refresh token to send as an access token. `None` when the token
    /// was given, so the run cannot sign in.
    pub async fn sign_in_apart(&self, client: &ApiClient) -> Result<Option<SignedIn>, CallError> {
        match &self.login {
            Some(login) => client.sign_in(&login.0, &login.1).await.map(Some),
            None => Ok(None),
        }
    }

    /// A token of a sign-in apart, once it expired: the lifetime its sign-in stated
    /// (`expires_in`) waited out, and [`EXPIRY_MARGIN`]. `Err` when the run cannot sign in, or
    /// the lifetime is not stated or longer than `longest_wait` (a live run's plan leaves the
    /// scenario out then, from what the run's own sign-in stated).
    pub async fn expired(&self, client: &ApiClient, longest_wait: Duration) -> Result<SecretString, String> {
        let signed_in = self.sign_in_apart(client).await.map_err(|error| error.to_string())?;
        let signed_in = signed_in.ok_or("the run has a given token (VB365_TOKEN) and cannot sign in for another")?;
        match signed_in.lifetime {
            Some(lifetime) if lifetime <= longest_wait => {
                tokio::time::sleep(lifetime + EXPIRY_MARGIN).await;
                Ok(signed_in.token)
            }
            Some(lifetime) => Err(format!(
                "the sign-in's token lives {} s (expires_in), longer than the {} s the suite waits",
                lifetime.as_secs(),
                longest_wait.as_secs()
            )),
            None => Err("the sign-in did not say expires_in: the suite cannot tell when its token expired".into()),
        }
    }

    /// Takes a new sign-in's token, remembering the one it replaces.
    fn replace(&self, signed_in: SignedIn, asked: Instant) {
        let mut current = self.lock();
        current.renew_at = renew_at(&signed_in, asked);
        current.stated = Some(Stated::of(&signed_in));
        let old = std::mem::replace(&mut current.value, signed_in.token);
        if current.earlier.len() >= REMEMBERED {
            current.earlier.remove(0);
        }
        current.earlier.push(old);
    }

    /// The value to send now: signed in again first when the lifetime says so.
    pub async fn current(&self, client: &ApiClient) -> Result<SecretString, CallError> {
        let due = |token: &Token| token.login.is_some() && token.lock().renew_at.is_some_and(|at| Instant::now() >= at);
        if due(self) {
            let _renewing = self.renewing.lock().await;
            if due(self) {
                self.sign_in_again(client).await?;
            }
        }
        Ok(self.value())
    }

    /// After a 401 for `refused`: the value to send once more, signed in again unless another
    /// request did so meanwhile; `None` when `refused` is not this token's, or it cannot be
    /// renewed.
    pub async fn renewed_after(
        &self,
        client: &ApiClient,
        refused: &SecretString,
    ) -> Result<Option<SecretString>, CallError> {
        if self.login.is_none() || !self.holds(refused) {
            return Ok(None);
        }
        let _renewing = self.renewing.lock().await;
        if self.value().expose_secret() == refused.expose_secret() {
            self.sign_in_again(client).await?;
        }
        Ok(Some(self.value()))
    }

    async fn sign_in_again(&self, client: &ApiClient) -> Result<(), CallError> {
        let Some(login) = &self.login else { return Ok(()) };
        let asked = Instant::now();
        let signed_in = client.sign_in(&login.0, &login.1).await?;
        self.replace(signed_in, asked);
        Ok(())
    }

    /// Makes `call` with the token; a 401 (`CallError::TokenRefused`) renews it, and `call` is
    /// made once more.
    pub async fn call<T, F, Fut>(&self, client: &ApiClient, call: F) -> Result<T, CallError>
    where
        F: Fn(SecretString) -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let token = self.current(client).await?;
        match call(token.clone()).await {
            Err(CallError::TokenRefused { what }) => match self.renewed_after(client, &token).await? {
                Some(renewed) => call(renewed).await,
                None => Err(CallError::TokenRefused { what }),
            },
            other => other,
        }
    }

    /// Makes `call`, whose answer is judged as it comes, with the token; an answer 401 renews
    /// it, and `call` is made once more.
    pub async fn answer<F, Fut>(&self, client: &ApiClient, call: F) -> Result<Answer, CallError>
    where
        F: Fn(SecretString) -> Fut,
        Fut: Future<Output = Result<Answer, CallError>>,
    {
        let token = self.current(client).await?;
        let answer = call(token.clone()).await?;
        if answer.status != 401 {
            return Ok(answer);
        }
        match self.renewed_after(client, &token).await? {
            Some(renewed) => call(renewed).await,
            None => Ok(answer),
        }
    }
}
