//! The state of one scenario. Its `Debug` (printed by cucumber at `-vv` and in reports) shows
//! ids and redacted exchanges, never a secret.

use std::fmt;
use std::sync::OnceLock;

use secrecy::SecretString;
use vb365_conformance::client::{ApiClient, Authorization, Exchange};
use vb365_conformance::double::{Double, Drift};
use vb365_conformance::settings::{ApiLogin, Settings, Target};

/// The run's settings, read once in `main` before any scenario starts.
pub static SETTINGS: OnceLock<Settings> = OnceLock::new();

pub fn settings() -> &'static Settings {
    SETTINGS.get().expect("main reads the settings before the run")
}

/// The run's HTTP client, built once in `main`.
pub static HTTP: OnceLock<reqwest::Client> = OnceLock::new();

/// The server a scenario talks to, signed in.
pub struct Server {
    /// The scenario's own double, when the run has no live server.
    pub double: Option<Double>,
    pub client: ApiClient,
    pub token: SecretString,
}

/// Which `Authorization` header the restore request carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthorizationChoice {
    /// The token of the current session.
    #[default]
    CurrentSession,
    Missing,
    Malformed,
    NeverIssued,
}

#[derive(cucumber::World, Default)]
pub struct RestoreWorld {
    /// The requirement ids the scenario is tagged with, for failure messages.
    pub requirements: Vec<String>,
    pub server: Option<Server>,
    pub session_id: Option<String>,
    pub mailbox_id: Option<String>,
    pub authorization: AuthorizationChoice,
    /// How the double's mailbox differs from its backup, when a scenario sets it.
    pub drift: Drift,
    /// Every restore exchange of the scenario, in order.
    pub exchanges: Vec<Exchange>,
}

impl fmt::Debug for RestoreWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestoreWorld")
            .field("requirements", &self.requirements)
            .field(
                "server",
                &self.server.as_ref().map(|s| s.double.as_ref().map_or("live".to_owned(), |d| format!("{d:?}"))),
            )
            .field("session_id", &self.session_id)
            .field("mailbox_id", &self.mailbox_id)
            .field("authorization", &self.authorization)
            .field("drift", &self.drift)
            .field("exchanges", &self.exchanges)
            .finish()
    }
}

impl RestoreWorld {
    /// The signed-in server; starts (and signs in to) the scenario's double on first use.
    pub async fn server(&mut self) -> Result<&Server, String> {
        if self.server.is_none() {
            self.server = Some(sign_in().await?);
        }
        Ok(self.server.as_ref().expect("set above"))
    }

    /// The scenario's double, for steps that set a mailbox's state. Such scenarios are tagged
    /// `@double-only` and never run against a live server.
    pub async fn double(&mut self) -> Result<&Double, String> {
        self.server().await?.double.as_ref().ok_or_else(|| "this step needs the embedded double".to_owned())
    }

    /// The most recent restore exchange.
    pub fn last_exchange(&self) -> Result<&Exchange, String> {
        self.exchanges.last().ok_or_else(|| "no restore request was sent in this scenario".to_owned())
    }

    /// The authorization header the restore request carries.
    pub fn authorization(&self) -> Result<Authorization, String> {
        let token = &self.server.as_ref().ok_or("the scenario has not signed in")?.token;
        Ok(match self.authorization {
            AuthorizationChoice::CurrentSession => Authorization::Bearer(token.clone()),
            AuthorizationChoice::Missing => Authorization::Missing,
            AuthorizationChoice::Malformed => Authorization::Raw("Bearer".to_owned()),
            AuthorizationChoice::NeverIssued => Authorization::Bearer(vb365_conformance::credentials::secret(format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            ))),
        })
    }

    /// The requirement a generic check fails under: the scenario's own.
    pub fn requirement(&self) -> String {
        self.requirements.join(", ")
    }
}

async fn sign_in() -> Result<Server, String> {
    let settings = settings();
    let (double, base_url) = match &settings.target {
        Target::Double => {
            let double = Double::start(settings).await;
            let uri = double.uri();
            (Some(double), uri)
        }
        Target::Live(url) => (None, url.clone()),
    };
    let http = HTTP.get().expect("main builds the HTTP client before the run").clone();
    let client = ApiClient::new(http, &base_url, &settings.api_version, settings.timeout);
    let token = match &settings.login {
        ApiLogin::Token(token) => token.clone(),
        ApiLogin::Password { user_name, password } => {
            client.sign_in(user_name, password).await.map_err(|e| e.to_string())?
        }
    };
    Ok(Server { double, client, token })
}
