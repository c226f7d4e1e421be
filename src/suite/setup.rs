//! Getting ready to restore: sign in, find or start the restore session, find the mailbox; and
//! stopping the restore session again when the run ends.
//!
//! Against a live server this runs once, before any scenario, so a setup problem is one line
//! and no scenario starts. Against the double it runs once per scenario, with the scenario's
//! own double. A restore session the user named (`VB365_RESTORE_SESSION_ID`) is never stopped.

use std::sync::{Arc, Mutex};

use crate::client::{ApiClient, CallError, MailboxEntry, TransportKind};
use crate::contract::counts::MailboxIdentity;
use crate::suite::settings::{ApiLogin, MailboxSelector, Settings};
use crate::suite::token::Token;

/// A signed-in client with the restore session and mailbox under test.
#[derive(Clone, Debug)]
pub struct Setup {
    pub client: ApiClient,
    /// Renewed as it goes (every clone shares it).
    pub token: Token,
    pub session_id: String,
    pub mailbox_id: String,
    /// The mailbox as the session lists it: how v8 statistics name it.
    pub mailbox: MailboxIdentity,
    /// Whether the suite started the restore session (and so must stop it).
    pub started_session: bool,
}

impl Setup {
    /// Signs in, finds or starts the restore session and finds the mailbox. A session started
    /// here is stopped again if the mailbox cannot be found.
    /// A session it starts is held in `started` until it is stopped, so that an interrupted run
    /// can stop it.
    pub async fn prepare(settings: &Settings, client: ApiClient, started: &StartedSession) -> Result<Setup, CallError> {
        match Self::prepare_with(settings, client.clone(), started).await {
            // A server answers 404 for everything under a version it does not serve.
            Err(error) if error.status() == Some(404) && !client.serves_version().await => Err(client.not_served()),
            // The CA the operator gave is there, so "set VB365_CA_CERT" would mislead.
            Err(CallError::Transport { kind: TransportKind::Tls { detail }, .. })
                if settings.ca_cert.is_some() && !settings.insecure =>
            {
                Err(CallError::Setup(format!(
                    "TLS with {} failed: the CA in VB365_CA_CERT={} does not match the server's certificate ({}); give the CA that signed it, or VB365_INSECURE=1 to accept it",
                    client.base_url(),
                    settings.ca_cert.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
                    detail
                )))
            }
            // The client knows the request, the suite the settings behind it.
            Err(error @ CallError::TokenRefused { .. }) => Err(CallError::Named {
                error: Box::new(error),
                setting: match settings.login {
                    ApiLogin::Token(_) => "VB365_TOKEN",
                    ApiLogin::Password { .. } => "the token VB365_USERNAME signed in for",
                }
                .to_owned(),
            }),
            Err(error @ CallError::SignInRefused { .. }) => Err(CallError::Named {
                error: Box::new(error),
                setting: "check VB365_USERNAME and VB365_PASSWORD".to_owned(),
            }),
            other => other,
        }
    }

    async fn prepare_with(
        settings: &Settings,
        client: ApiClient,
        started: &StartedSession,
    ) -> Result<Setup, CallError> {
        let token = match &settings.login {
            ApiLogin::Token(token) => Token::given(token.clone()),
            ApiLogin::Password { user_name, password } => Token::sign_in(&client, user_name, password).await?,
        };
        let (session_id, started_session) = match (&settings.restore_session_id, &settings.organization_id) {
            (Some(id), _) => {
                let client = &client;
                token
                    .call(client, |t| async move { client.restore_session(&t, id).await })
                    .await
                    .map_err(|e| e.named("VB365_RESTORE_SESSION_ID"))?;
                (id.clone(), false)
            }
            (None, Some(organization_id)) => {
                let client = &client;
                let explored = token.call(client, |t| async move { client.explore(&t, organization_id).await }).await;
                (explored.map_err(|e| e.named("VB365_ORGANIZATION_ID"))?, true)
            }
            (None, None) => {
                return Err(CallError::Setup("set VB365_RESTORE_SESSION_ID or VB365_ORGANIZATION_ID".into()));
            }
        };
        let mut setup = Setup {
            client,
            token,
            session_id,
            mailbox_id: String::new(),
            mailbox: MailboxIdentity::default(),
            started_session,
        };
        if started_session {
            started.hold(&setup);
        }
        match setup.find_mailbox(&settings.mailbox).await {
            Ok(mailbox) => {
                setup.mailbox_id = mailbox.id.clone();
                setup.mailbox =
                    MailboxIdentity { id: mailbox.id, email: Some(mailbox.email), is_archive: mailbox.is_archive };
                Ok(setup)
            }
            Err(error) => {
                started.release(&setup);
                let _ = setup.finish().await;
                Err(error)
            }
        }
    }

    async fn find_mailbox(&self, selector: &MailboxSelector) -> Result<MailboxEntry, CallError> {
        let (client, session_id) = (&self.client, self.session_id.as_str());
        let mailboxes = self.token.call(client, |t| async move { client.mailboxes(&t, session_id).await }).await?;
        let matching: Vec<&MailboxEntry> = mailboxes
            .iter()
            .filter(|m| match selector {
                MailboxSelector::Id(id) => m.id.eq_ignore_ascii_case(id),
                MailboxSelector::NameOrEmail(wanted) => {
                    m.email.eq_ignore_ascii_case(wanted) || m.name.eq_ignore_ascii_case(wanted)
                }
            })
            .collect();
        let (setting, wanted) = match selector {
            MailboxSelector::Id(id) => ("VB365_MAILBOX_ID", id),
            MailboxSelector::NameOrEmail(name) => ("VB365_MAILBOX", name),
        };
        match matching.as_slice() {
            [only] => Ok((*only).clone()),
            [] => Err(CallError::Setup(format!(
                "no mailbox of restore session {} matches {setting}={wanted}; the session holds {} mailbox{}{}",
                self.session_id,
                mailboxes.len(),
                if mailboxes.len() == 1 { "" } else { "es" },
                match closest(&mailboxes, wanted, 5).as_slice() {
                    [] => ", none with a name or address like it".to_owned(),
                    nearest => format!(", the closest: {}", list(nearest)),
                }
            ))),
            several => Err(CallError::Setup(format!(
                "{} mailboxes of restore session {} match {setting}={wanted}: {}; set VB365_MAILBOX_ID",
                several.len(),
                self.session_id,
                list(&several.iter().map(|m| (*m).clone()).collect::<Vec<_>>())
            ))),
        }
    }

    /// A restore session of its own, started from the configured organization, with the mailbox
    /// under test found in it, then stopped: (session id, mailbox id). It is stopped whatever
    /// happens after it started, so no session outlives the call.
    pub async fn stopped_session(&self, settings: &Settings) -> Result<(String, String), CallError> {
        let organization_id = settings.organization_id.as_deref().ok_or_else(|| {
            CallError::Setup("a restore session of the suite's own needs VB365_ORGANIZATION_ID".into())
        })?;
        let client = &self.client;
        let explored = self.token.call(client, |t| async move { client.explore(&t, organization_id).await }).await;
        let session_id = explored.map_err(|e| e.named("VB365_ORGANIZATION_ID"))?;
        let own = Setup { session_id: session_id.clone(), started_session: true, ..self.clone() };
        let found = own.find_mailbox(&settings.mailbox).await;
        own.stop().await?;
        Ok((session_id, found?.id))
    }

    /// Stops the restore session if the suite started it, with a token that is still valid.
    pub async fn finish(&self) -> Result<(), CallError> {
        if !self.started_session {
            return Ok(());
        }
        self.stop().await
    }

    async fn stop(&self) -> Result<(), CallError> {
        let (client, session_id) = (&self.client, self.session_id.as_str());
        self.token.call(client, |t| async move { client.stop(&t, session_id).await }).await
    }
}

/// The restore sessions a run started and has not stopped yet (one per API version checked), for
/// when the run is interrupted at any point, setup included. Cloning it is cheap; every clone
/// holds the same sessions.
#[derive(Clone, Debug, Default)]
pub struct StartedSession(Arc<Mutex<Vec<Setup>>>);

impl StartedSession {
    fn hold(&self, setup: &Setup) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(setup.clone());
    }

    /// `setup`'s session, no longer held: whether it was (whoever takes it stops it).
    fn release(&self, setup: &Setup) -> bool {
        let same =
            |held: &Setup| held.session_id == setup.session_id && held.client.version() == setup.client.version();
        let mut held = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let before = held.len();
        held.retain(|held| !same(held));
        held.len() < before
    }

    /// Stops `setup`'s session if it is held (the suite started it and has not stopped it).
    pub async fn stop_one(&self, setup: &Setup) -> Result<(), CallError> {
        if self.release(setup) { setup.stop().await } else { Ok(()) }
    }

    /// Stops the sessions held, if any: answers their ids (the first error, once all were tried).
    pub async fn stop(&self) -> Result<Vec<String>, CallError> {
        let held = std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()));
        let mut stopped = Vec::new();
        let mut failed = None;
        for setup in held {
            match setup.stop().await {
                Ok(()) => stopped.push(setup.session_id),
                Err(error) => failed = failed.or(Some(error)),
            }
        }
        failed.map_or(Ok(stopped), Err)
    }
}

/// How similar a mailbox must be to be offered (Damerau-Levenshtein, normalised; 1 is the
/// same): "Jon Smith" and "John Smith" are 0.9, "Colleague 1" and "John Smith" 0.1.
const CLOSE: f64 = 0.6;

/// At most `limit` mailboxes close to `wanted`, the most similar first (by name, e-mail address,
/// the address's local part, or id; case-insensitive; one containing the other is close).
fn closest(mailboxes: &[MailboxEntry], wanted: &str, limit: usize) -> Vec<MailboxEntry> {
    let wanted = wanted.to_lowercase();
    let score = |m: &MailboxEntry| {
        let local = m.email.split('@').next().unwrap_or_default();
        [m.name.as_str(), m.email.as_str(), local, m.id.as_str()]
            .iter()
            .map(|candidate| {
                let candidate = candidate.to_lowercase();
                let contained = !candidate.is_empty() && (candidate.contains(&wanted) || wanted.contains(&candidate));
                strsim::normalized_damerau_levenshtein(&candidate, &wanted) + if contained { 1.0 } else { 0.0 }
            })
            .fold(0.0_f64, f64::max)
    };
    let mut scored: Vec<(f64, &MailboxEntry)> =
        mailboxes.iter().map(|m| (score(m), m)).filter(|(score, _)| *score >= CLOSE).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(limit).map(|(_, m)| m.clone()).collect()
}

fn list(mailboxes: &[MailboxEntry]) -> String {
    if mailboxes.is_empty() {
        return "no mailboxes".into();
    }
    mailboxes.iter().map(|m| format!("{} <{}> ({})", m.name, m.email, m.id)).collect::<Vec<_>>().join(", ")
}
