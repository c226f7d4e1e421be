//! The state of one scenario. Its `Debug` (printed by the console at `-vv`) shows
//! ids and redacted exchanges, never a secret.

use std::fmt;
use std::sync::Mutex;

use secrecy::SecretString;

use crate::checks::{Failure, RequirementIds};
use crate::client::{Answer, ApiClient, Authorization};
use crate::contract::credentials::secret;
use crate::double::{Double, Drift};
use crate::suite::restore::Restored;
use crate::suite::settings::Settings;
use crate::suite::setup::{Setup, StartedSession};

use super::run::Run;

/// Which `Authorization` header the restore request carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthorizationChoice {
    /// The token of the current session.
    #[default]
    CurrentSession,
    Missing,
    Malformed,
    NeverIssued,
    /// The refresh token of a sign-in, as a bearer token.
    RefreshToken,
    /// The current session's token under `Basic`.
    OtherScheme,
    /// The current session's token alone, without a scheme.
    NoScheme,
    /// A token of a sign-in, after the lifetime it stated.
    Expired,
}

impl AuthorizationChoice {
    /// Whether the header carries a token the server issued: a server that does not check what
    /// the scenario varies could restore with it.
    pub fn carries_issued_token(self) -> bool {
        !matches!(
            self,
            AuthorizationChoice::Missing | AuthorizationChoice::Malformed | AuthorizationChoice::NeverIssued
        )
    }
}

/// What a failed step broke, kept for the ledger (which reads it from the World cucumber hands
/// it with the failure): its requirements, and what it found (its cause in the sign-off).
#[derive(Clone, Debug, Default)]
pub struct Broken {
    pub requirements: Vec<String>,
    pub cause: Option<String>,
}

#[derive(cucumber::World, Default)]
pub struct RestoreWorld {
    /// The run the scenario belongs to, handed over by the runner's `before` hook.
    pub run: Option<Run>,
    /// The requirement ids the scenario is tagged with, for failure messages.
    pub requirements: Vec<String>,
    /// `features/x.feature:12`, as the reports name the scenario.
    pub location: String,
    /// The scenario's own double, when the run has no live server.
    pub double: Option<Double>,
    pub setup: Option<Setup>,
    pub session_id: Option<String>,
    pub mailbox_id: Option<String>,
    pub authorization: AuthorizationChoice,
    /// The token a step got for the authorization header (a refresh token, an expired token).
    pub prepared_token: Option<SecretString>,
    /// How the double's mailbox differs from its backup, when a scenario sets it.
    pub drift: Drift,
    /// Every restore request of the scenario and what became of it, in order.
    pub restores: Vec<Restored>,
    /// For "restored again": the mailbox's latest restore before it, whichever scenario made it.
    pub right_before: Option<Restored>,
    /// When the URL names an id the server must refuse: the requirement of that refusal.
    pub unusual_path: Option<&'static str>,
    /// What the last restore request changed that a refusal must leave as it was
    /// (`suite::untouched`); `None` when it was not watched or nothing tells (v6/v7 live).
    pub left_behind: Option<Vec<crate::contract::schema::Violation>>,
    /// The failure the step that failed reported, as data.
    pub broken: Mutex<Option<Broken>>,
}

impl fmt::Debug for RestoreWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestoreWorld")
            .field("requirements", &self.requirements)
            .field("double", &self.double)
            .field("session_id", &self.session_id)
            .field("mailbox_id", &self.mailbox_id)
            .field("authorization", &self.authorization)
            .field("drift", &self.drift)
            .field("restores", &self.restores)
            .finish()
    }
}

/// The other mailboxes of a scenario's own double.
const EMBEDDED_COLLEAGUES: u32 = 2;

impl RestoreWorld {
    /// The run (the runner's `before` hook hands it to every scenario before its first step).
    pub fn run(&self) -> Run {
        self.run.clone().expect("the runner hands each scenario its run before the first step")
    }

    pub fn settings(&self) -> &Settings {
        self.run.as_ref().expect("the runner hands each scenario its run before the first step").settings()
    }

    /// A step's failure as the error text cucumber carries; the failure itself stays in the
    /// World, where the ledger reads it.
    pub fn fail(&self, failure: Failure) -> String {
        let text = failure.to_string();
        let broken = Broken { requirements: failure.requirement_ids(), cause: Some(failure.cause()) };
        *self.broken.lock().unwrap_or_else(|p| p.into_inner()) = Some(broken);
        text
    }

    /// The signed-in client, restore session and mailbox: the run's own against a live server;
    /// against the double, those of the scenario's own double, started on first use.
    pub async fn setup(&mut self) -> Result<&Setup, String> {
        if self.setup.is_none() {
            let run = self.run();
            let setup = match run.live() {
                Some(live) => live.clone(),
                None => {
                    // On the runtime's workers: cucumber runs every scenario's steps on one
                    // thread, and a scenario's own double and sign-in are most of their work.
                    // (Not cancelled with the scenario: after --fail-fast or Ctrl-C a double may
                    // still start, and is dropped with the task.)
                    let (double, setup) = tokio::spawn(async move {
                        let settings = run.settings();
                        // A small organization: every scenario finds its mailbox on one page (the
                        // live selftests check the paging, against the double's 120 colleagues).
                        let double = settings.double().colleagues(EMBEDDED_COLLEAGUES).start().await;
                        let client =
                            ApiClient::new(run.http().clone(), &double.uri(), settings.api_version, settings.timeout);
                        // The session dies with the scenario's double: none to stop if interrupted.
                        let started = StartedSession::default();
                        let setup = Setup::prepare(settings, client, &started).await.map_err(|e| e.to_string());
                        (double, setup)
                    })
                    .await
                    .map_err(|error| format!("the scenario's double did not start: {error}"))?;
                    self.double = Some(double);
                    setup?
                }
            };
            self.setup = Some(setup);
        }
        Ok(self.setup.as_ref().expect("set above"))
    }

    /// The scenario's double, for steps that set a mailbox's state. Such scenarios are tagged
    /// `@double-only` and never run against a live server.
    pub async fn double(&mut self) -> Result<&Double, String> {
        self.setup().await?;
        self.double.as_ref().ok_or_else(|| "this step needs the embedded double".to_owned())
    }

    /// The most recent restore request and what became of it.
    pub fn last_restore(&self) -> Result<&Restored, String> {
        self.restores.last().ok_or_else(|| "no restore request was sent in this scenario".to_owned())
    }

    /// The answer to the most recent restore request.
    pub fn last_answer(&self) -> Result<&Answer, String> {
        self.last_restore().map(|restored| &restored.answer)
    }

    /// v8: the statistics of the last restore, once it finished.
    pub fn last_statistics(&self) -> Result<&Answer, String> {
        let restored = self.last_restore()?;
        crate::checks::restore_finished(restored).map_err(|failure| self.fail(failure))?;
        restored.background.as_ref().map(|b| &b.statistics).ok_or_else(|| "no statistics to read".to_owned())
    }

    /// The authorization header the restore request carries: the current session's token is
    /// renewed first when its lifetime says so.
    pub async fn authorization(&self) -> Result<Authorization, String> {
        let setup = self.setup.as_ref().ok_or("the scenario has not signed in")?;
        Ok(match self.authorization {
            AuthorizationChoice::CurrentSession => {
                Authorization::Bearer(setup.token.current(&setup.client).await.map_err(|error| error.to_string())?)
            }
            AuthorizationChoice::Missing => Authorization::Missing,
            AuthorizationChoice::Malformed => Authorization::Raw("Bearer".to_owned()),
            AuthorizationChoice::NeverIssued => Authorization::Bearer(secret(format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            ))),
            AuthorizationChoice::RefreshToken | AuthorizationChoice::Expired => {
                Authorization::Bearer(self.prepared_token.clone().ok_or("no token was prepared for the header")?)
            }
            AuthorizationChoice::OtherScheme | AuthorizationChoice::NoScheme => {
                let token = setup.token.current(&setup.client).await.map_err(|error| error.to_string())?;
                let scheme = if self.authorization == AuthorizationChoice::OtherScheme { "Basic" } else { "" };
                Authorization::Scheme { scheme, token }
            }
        })
    }

    /// The requirements a generic check fails under: the scenario's own.
    pub fn requirement(&self) -> RequirementIds {
        self.requirements.iter().collect()
    }

    /// The requirements a request the server must refuse breaks when it is not refused, or
    /// refused yet carried out: the scenario's own, but never NO-FALSE-SUCCESS, which only
    /// forbids a success status: there the refusal of the path's id the scenario chose.
    pub fn refusal_requirements(&self) -> Vec<String> {
        let own: Vec<String> = self.requirements.iter().filter(|id| *id != "NO-FALSE-SUCCESS").cloned().collect();
        match (own.is_empty(), self.unusual_path) {
            (false, _) => own,
            (true, Some(refusal)) => vec![refusal.to_owned()],
            (true, None) => self.requirements.clone(),
        }
    }
}
