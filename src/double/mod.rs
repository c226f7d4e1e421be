//! The embedded double: a stateful wiremock server that behaves like a VB365 v6 REST API for
//! the endpoints a run needs.
//!
//! - `POST /v6/token` (form-encoded, `grant_type=password`) issues bearer tokens;
//! - `POST /v6/Organizations/{id}/explore` starts a restore session;
//! - `GET /v6/RestoreSessions/{id}` and `GET .../organization/mailboxes` (offset/limit paging);
//! - `POST .../organization/mailboxes/{id}/restore`, the operation under test;
//! - `POST /v6/RestoreSessions/{id}/Stop`.
//!
//! Paths match case-insensitively. Each mailbox holds a backup and an original ([`Mailbox`]);
//! a restore computes its counts from them and writes the original. Every double has its own
//! state, so scenarios that run at the same time never share any.
//!
//! ```no_run
//! # async fn demo() {
//! use vb365_conformance::double::{Double, Drift, Fault};
//! use vb365_conformance::version::ApiVersion;
//!
//! let double = Double::builder().version(ApiVersion::V8).fault(Fault::V8TotalWithoutSkipped).start().await;
//! double.set_drift(&double.default_mailbox_id(), Drift { missing: 3, changed: 2, unchanged: 5, unwritable_missing: 0 });
//! println!("a VB365 v8 double listens on {}", double.uri());
//! # }
//! ```

mod api;
mod background;
mod config;
mod faults;
mod mailbox;
mod route;
mod wire;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use wiremock::{BodyPrintLimit, MockServer};

pub use config::{Config, Operator, defaults};
pub use faults::{FAULTS, Fault, FaultInfo, VARIATIONS, Variation, VariationInfo};
pub use mailbox::{Drift, Mailbox};
pub use route::Route;

use crate::credentials::ExchangeCredentials;
use crate::version::ApiVersion;

/// The id of the mailbox every double starts with.
const DEFAULT_MAILBOX_ID: &str = "062fd52a-c781-4bac-a2a6-dce34f20bfe8";

/// The organization's other mailboxes, listed before the one under test, so that finding it
/// takes a second page of `GET .../mailboxes` (100 a page). Two colleagues share a name, as
/// people do: looking one up by that name is ambiguous.
fn colleagues() -> impl Iterator<Item = Mailbox> {
    (1..=120u32).map(|n| {
        let id = format!("00000000-0000-4000-8000-{n:012}");
        let name = if n == 7 || n == 70 { "Alex Kim".to_owned() } else { format!("Colleague {n}") };
        Mailbox::new(&id, &name, &format!("colleague{n}@westsupport.onmicrosoft.com"), Drift::default())
    })
}

/// How that mailbox differs from its backup at first: something to create, to merge and to skip,
/// so that every count of a first restore means something and a second restore differs from it.
const DEFAULT_DRIFT: Drift = Drift { missing: 2, changed: 1, unchanged: 2, unwritable_missing: 0 };

/// What the double accepts (from its [`Config`]).
#[derive(Clone, Debug)]
pub(crate) struct Accepted {
    pub login: Operator,
    pub organization_id: String,
    pub exchange: ExchangeCredentials,
}

#[derive(Debug)]
pub(crate) struct RestoreSession {
    pub mailbox_ids: Vec<String>,
    pub stopped: bool,
}

#[derive(Debug)]
pub(crate) struct State {
    pub accepted: Accepted,
    pub tokens: HashSet<String>,
    /// v7, v8: tokens issued without `disable_antiforgery_token=true`, which need an antiforgery
    /// token the suite does not send (as a browser would): refused.
    pub tokens_needing_antiforgery: HashSet<String>,
    pub sessions: BTreeMap<String, RestoreSession>,
    pub mailboxes: Vec<Mailbox>,
    pub restores: usize,
    pub stops: Vec<String>,
    pub fault: Option<Fault>,
    pub variation: Option<Variation>,
    /// How long the slow-answer fault keeps a restore waiting.
    pub slow_answer_delay: std::time::Duration,
    pub version: ApiVersion,
    /// v8: restores running in the background, by the id of the restore session they run in.
    pub background: BTreeMap<String, Vec<BackgroundRestore>>,
    /// Mailboxes restored at least once (by lower-case id).
    pub restored_mailboxes: HashSet<String>,
}

/// v8: a restore whose counts its statistics reveal as it progresses.
#[derive(Debug)]
pub(crate) struct BackgroundRestore {
    pub started: std::time::Instant,
    pub counts: crate::counts::Counts,
    pub mailbox_email: String,
}

impl BackgroundRestore {
    /// How long a background restore takes on the double.
    pub const DURATION: std::time::Duration = std::time::Duration::from_millis(60);
}

pub(crate) type SharedState = Arc<Mutex<State>>;

/// A running double. Dropping it shuts the server down.
pub struct Double {
    /// Always `Some` until dropped.
    server: Option<MockServer>,
    /// In front of the server when a fault or variation needs answers wiremock cannot give.
    relay: Option<wire::Relay>,
    state: SharedState,
}

impl Drop for Double {
    /// `MockServer`'s own drop blocks on a tokio lock with `futures::executor::block_on`; inside
    /// a tokio task whose cooperative budget is spent, that spins forever. A plain thread has no
    /// budget.
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = std::thread::spawn(move || drop(server));
        }
    }
}

impl std::fmt::Debug for Double {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Double({})", self.uri())
    }
}

/// Configures and starts a [`Double`]: `Double::builder().version(ApiVersion::V8).start().await`.
#[derive(Clone, Debug, Default)]
pub struct DoubleBuilder {
    config: Config,
}

impl DoubleBuilder {
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.config.version = version;
        self
    }

    pub fn operator(mut self, operator: Operator) -> Self {
        self.config.operator = operator;
        self
    }

    pub fn organization_id(mut self, id: impl Into<String>) -> Self {
        self.config.organization_id = id.into();
        self
    }

    pub fn mailbox_email(mut self, email: impl Into<String>) -> Self {
        self.config.mailbox_email = email.into();
        self
    }

    pub fn exchange(mut self, exchange: ExchangeCredentials) -> Self {
        self.config.exchange = exchange;
        self
    }

    pub fn fault(mut self, fault: impl Into<Option<Fault>>) -> Self {
        self.config.fault = fault.into();
        self
    }

    pub fn variation(mut self, variation: impl Into<Option<Variation>>) -> Self {
        self.config.variation = variation.into();
        self
    }

    pub fn slow_answer_delay(mut self, delay: std::time::Duration) -> Self {
        self.config.slow_answer_delay = delay;
        self
    }

    pub fn listen(mut self, address: std::net::SocketAddr) -> Self {
        self.config.listen = Some(address);
        self
    }

    pub fn record_requests(mut self, record: bool) -> Self {
        self.config.record_requests = record;
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub async fn start(self) -> Double {
        Double::start(self.config).await
    }
}

impl Double {
    pub fn builder() -> DoubleBuilder {
        DoubleBuilder::default()
    }

    /// Starts a double as `config` says.
    pub async fn start(config: Config) -> Double {
        let state = State {
            accepted: Accepted {
                login: config.operator.clone(),
                organization_id: config.organization_id.clone(),
                exchange: config.exchange.clone(),
            },
            tokens: HashSet::new(),
            tokens_needing_antiforgery: HashSet::new(),
            sessions: BTreeMap::new(),
            mailboxes: colleagues()
                .chain([Mailbox::new(DEFAULT_MAILBOX_ID, "John Smith", &config.mailbox_email, DEFAULT_DRIFT)])
                .collect(),
            restores: 0,
            stops: Vec::new(),
            fault: config.fault,
            variation: config.variation,
            slow_answer_delay: config.slow_answer_delay,
            version: config.version,
            background: BTreeMap::new(),
            restored_mailboxes: HashSet::new(),
        };
        let state = Arc::new(Mutex::new(state));
        // Request bodies hold Exchange passwords: never let wiremock print them.
        let mut builder = MockServer::builder().body_print_limit(BodyPrintLimit::Limited(0));
        if !config.record_requests {
            builder = builder.disable_request_recording();
        }
        if let Some(address) = config.listen.filter(|_| wire::rewrite(&config).is_none()) {
            let listener = std::net::TcpListener::bind(address)
                .unwrap_or_else(|error| panic!("the double cannot listen on {address}: {error}"));
            builder = builder.listener(listener);
        }
        let server = builder.start().await;
        api::mount(&server, &state, config.version).await;
        let relay = match wire::rewrite(&config) {
            Some(rewrite) => Some(
                wire::start(*server.address(), config.listen, rewrite)
                    .await
                    .expect("the double's relay binds its port"),
            ),
            None => None,
        };
        Double { server: Some(server), relay, state }
    }

    /// The base URL to give the suite (`http://127.0.0.1:port`).
    pub fn uri(&self) -> String {
        match &self.relay {
            Some(relay) => format!("http://{}", relay.address),
            None => self.server.as_ref().map(MockServer::uri).unwrap_or_default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn default_mailbox_id(&self) -> String {
        DEFAULT_MAILBOX_ID.to_owned()
    }

    /// Sets how the original of `mailbox_id` differs from its backup.
    pub fn set_drift(&self, mailbox_id: &str, drift: Drift) {
        if let Some(mailbox) = self.state().mailboxes.iter_mut().find(|m| m.id.eq_ignore_ascii_case(mailbox_id)) {
            mailbox.set_drift(drift);
        }
    }

    /// Adds a restore session with a given id that holds a mailbox with a given id: how the
    /// page's worked example is set up.
    pub fn add_session_with_mailbox(&self, session_id: &str, mailbox_id: &str, drift: Drift) {
        let mut state = self.state();
        if !state.mailboxes.iter().any(|m| m.id.eq_ignore_ascii_case(mailbox_id)) {
            let email = format!("mailbox-{mailbox_id}@westsupport.onmicrosoft.com");
            state.mailboxes.push(Mailbox::new(mailbox_id, "Worked example", &email, drift));
        }
        state.sessions.insert(
            session_id.to_ascii_lowercase(),
            RestoreSession { mailbox_ids: vec![mailbox_id.to_ascii_lowercase()], stopped: false },
        );
    }

    /// How many restores the double has carried out (refused requests do not count).
    pub fn restores(&self) -> usize {
        self.state().restores
    }

    /// The restore sessions stopped through `POST .../Stop`, in order.
    pub fn stopped_sessions(&self) -> Vec<String> {
        self.state().stops.clone()
    }
}
