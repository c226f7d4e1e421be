//! The run: everything its scenarios share, made once by the runner before the first scenario
//! and handed to the parser, the ledger and (by the `before` hook) to each scenario's World.
//! Nothing of it is process-wide: two runs in one process keep apart.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::client::Http;
use crate::contract::credentials::Variant;
use crate::report::ScenarioOutcome;
use crate::suite::restore::Restored;
use crate::suite::restores::RestoreLog;
use crate::suite::settings::Settings;
use crate::suite::setup::{Setup, StartedSession};

/// One run's shared state. Cloning it is cheap; every clone is the same run.
#[derive(Clone, Debug)]
pub struct Run(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    settings: Settings,
    http: Http,
    /// Against a live server: the setup made before any scenario, shared by all (its token renews
    /// itself by its `expires_in`, and once after a 401). `None` on the double.
    live: Option<Setup>,
    /// The restore session the run started and has not stopped yet.
    started: StartedSession,
    restores: RestoreLog,
    plan: Mutex<Plan>,
    /// Which scenarios each recorded round trip (by its number in exchanges.har) served: on a
    /// live server one restore serves every scenario of its variant.
    round_trips: Mutex<HashMap<usize, Vec<String>>>,
    /// On a live server, the run's one restore with each variant's configured credentials.
    variant_restores: Mutex<HashMap<Variant, Arc<tokio::sync::OnceCell<Sent>>>>,
    /// One lock per server and mailbox id, holding the mailbox's latest successful restore.
    mailbox_locks: Mutex<HashMap<String, MailboxLock>>,
}

/// Restores of one mailbox never run at the same time; the lock holds its latest successful one.
pub type MailboxLock = Arc<tokio::sync::Mutex<Option<Restored>>>;

/// What the parser planned: the scenarios left out of the run and those it could have run.
#[derive(Debug, Default)]
pub struct Plan {
    /// Scenarios left out of a live run, not checked on this server (`plan::left_out`).
    pub left_out: Vec<ScenarioOutcome>,
    /// Every scenario the run could have run, before cucumber's filters (--tags, --name): those
    /// that did not run were filtered out, and the sign-off says so.
    pub planned: Vec<ScenarioOutcome>,
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Run {
    pub fn new(settings: Settings, http: Http, live: Option<Setup>, started: StartedSession) -> Run {
        Run(Arc::new(Shared {
            settings,
            http,
            live,
            started,
            restores: RestoreLog::default(),
            plan: Mutex::default(),
            round_trips: Mutex::default(),
            variant_restores: Mutex::default(),
            mailbox_locks: Mutex::default(),
        }))
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    pub fn http(&self) -> &Http {
        &self.0.http
    }

    /// The live setup; `None` on the double.
    pub fn live(&self) -> Option<&Setup> {
        self.0.live.as_ref()
    }

    pub fn started(&self) -> &StartedSession {
        &self.0.started
    }

    pub fn restores(&self) -> &RestoreLog {
        &self.0.restores
    }

    pub fn plan(&self) -> MutexGuard<'_, Plan> {
        locked(&self.0.plan)
    }

    /// Records that the round trips `numbers` served the scenario at `location`.
    pub fn served(&self, location: &str, numbers: impl IntoIterator<Item = usize>) {
        let mut trips = locked(&self.0.round_trips);
        for number in numbers {
            trips.entry(number).or_default().push(location.to_owned());
        }
    }

    /// Which scenarios each recorded round trip served, by its number.
    pub fn round_trips(&self) -> HashMap<usize, Vec<String>> {
        locked(&self.0.round_trips).clone()
    }

    /// The run's one restore with `variant`'s configured credentials, made or to make.
    pub(super) fn variant_restore(&self, variant: Variant) -> Arc<tokio::sync::OnceCell<Sent>> {
        locked(&self.0.variant_restores).entry(variant).or_default().clone()
    }

    /// The lock of the mailbox `mailbox_id` on `server` (each scenario's double is a server of
    /// its own).
    pub fn mailbox_lock(&self, server: &str, mailbox_id: &str) -> MailboxLock {
        let key = format!("{server} {}", mailbox_id.to_ascii_lowercase());
        locked(&self.0.mailbox_locks).entry(key).or_default().clone()
    }
}

/// A restore and the mailbox's latest restore before it, or why it was not made.
pub type Sent = Result<(Restored, Option<Restored>), Unsent>;

/// Why a request was not sent, or got no answer.
#[derive(Clone, Debug)]
pub enum Unsent {
    /// The suite would not send it (a suite bug, or no consent to restore).
    Withheld(String),
    /// No HTTP answer came: charged to the requirements the request concerns.
    NoAnswer { error: String, requirements: Vec<String> },
    /// A body shorter than its Content-Length: HDR-CONTENT-LENGTH's, first-hand, in every
    /// scenario that reads it, with the answer that did come as its evidence.
    IncompleteBody { length: crate::client::BodyLength, recorded: usize },
}
