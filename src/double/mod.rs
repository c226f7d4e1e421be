//! The embedded double: a stateful server that behaves like a VB365 REST API (v6, v7 or v8, or
//! several of them at once over one state, as a real server serves them) for the endpoints a run
//! needs, its answers shaped by the vendor's OpenAPI schemas of the version asked.
//!
//! - `POST /{version}/token` (form-encoded, `grant_type=password`) issues bearer tokens;
//! - `GET /{version}/ServiceInstance` and `GET /{version}/Organizations`, what a client reads first;
//! - `POST /{version}/Organizations/{id}/explore` starts a restore session;
//! - `GET /{version}/RestoreSessions` (a page), `GET .../RestoreSessions/{id}` and
//!   `GET .../organization/mailboxes` (offset/limit);
//! - `POST .../organization/mailboxes/{id}/restore`, the operation under test;
//! - v8: `GET .../RestoreSessions/{id}/Statistics` and `.../Events`;
//! - `POST /{version}/RestoreSessions/{id}/Stop`;
//! - the control route under `/__double/` ([`control`]).
//!
//! One dispatcher (api.rs) answers every request; it runs on wiremock (in-process doubles,
//! which record requests) or on a lean hyper server (doubles that record nothing, such as the
//! standalone `vb365-double`, [`cli`]); [`tls`] puts HTTPS in front of either. Paths match
//! case-insensitively. Each mailbox holds a backup and an original ([`Mailbox`]);
//! a restore computes its counts from them and writes the original. Every double has its own
//! state, so scenarios that run at the same time never share any.
//!
//! ```no_run
//! # async fn demo() {
//! use vb365_conformance::double::{Double, Drift, Fault};
//! use vb365_conformance::contract::version::ApiVersion;
//!
//! let double = Double::builder().version(ApiVersion::V8).fault(Fault::V8TotalWithoutSkipped).start().await;
//! double.set_drift(&double.default_mailbox_id(), Drift { missing: 3, changed: 2, unchanged: 5, unwritable_missing: 0 });
//! println!("a VB365 v8 double listens on {}", double.uri());
//! # }
//! ```

mod answer;
mod api;
mod background;
mod background_faults;
pub mod cli;
mod config;
pub mod control;
mod despite;
mod faults;
pub mod listen;
mod mailbox;
mod organizations;
mod page;
mod progress;
mod refusal;
mod restore;
mod route;
mod serve;
mod service_instance;
mod session;
pub mod settings_file;
mod start_error;
mod state;
pub mod tls;
mod token;
mod wire;

use std::sync::{Arc, Mutex, MutexGuard};

use wiremock::{BodyPrintLimit, MockServer};

pub use config::{COLLEAGUES, Config, Operator, defaults};
pub use faults::{FAULTS, Fault, FaultInfo, UnknownName, VARIATIONS, Variation, VariationInfo};
pub use mailbox::{Drift, Mailbox};
pub use route::Route;
pub use start_error::StartError;

pub(crate) use state::{BackgroundRestore, DEFAULT_MAILBOX_ID, RestoreSession, SharedState, State};

use crate::contract::credentials::ExchangeCredentials;
use crate::contract::version::ApiVersion;

/// What serves a double's requests.
enum Engine {
    /// In-process doubles: wiremock, which keeps the requests it received.
    Wiremock(MockServer),
    /// Doubles that keep no request (standalone): the lean hyper server.
    Lean(serve::Lean),
}

/// A running double. Dropping it shuts the server down.
pub struct Double {
    /// Always `Some` until dropped.
    engine: Option<Engine>,
    /// In front of the server when a fault or variation needs answers wiremock cannot give.
    relay: Option<wire::Relay>,
    state: SharedState,
}

impl Drop for Double {
    /// `MockServer`'s own drop blocks on a tokio lock with `futures::executor::block_on`; inside
    /// a tokio task whose cooperative budget is spent, that spins forever. A plain thread has no
    /// budget.
    fn drop(&mut self) {
        match self.engine.take() {
            Some(Engine::Wiremock(server)) => drop(std::thread::spawn(move || drop(server))),
            Some(Engine::Lean(lean)) => drop(lean),
            None => {}
        }
    }
}

impl std::fmt::Debug for Double {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Double({})", self.uri())
    }
}

/// Configures and starts a [`Double`]: `Double::builder().version(ApiVersion::V8).start().await`,
/// or `.versions(ApiVersion::ALL)` for every version at once.
#[derive(Clone, Debug, Default)]
pub struct DoubleBuilder {
    config: Config,
}

impl DoubleBuilder {
    /// Serves `version` alone (v6 unless told otherwise).
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.config.versions = vec![version];
        self
    }

    /// Serves each of `versions` at once, over one state: a session, token or restore made
    /// through one version is seen through the others, each answering in its own shapes. An empty
    /// list changes nothing.
    pub fn versions(mut self, versions: impl IntoIterator<Item = ApiVersion>) -> Self {
        let mut versions: Vec<ApiVersion> = versions.into_iter().collect();
        versions.sort();
        versions.dedup();
        if !versions.is_empty() {
            self.config.versions = versions;
        }
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

    /// v8: how long a background restore takes (15 ms unless a fault or variation says otherwise).
    pub fn restore_duration(mut self, duration: std::time::Duration) -> Self {
        self.config.restore_duration = duration;
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

    pub fn register_tokens(mut self, register: bool) -> Self {
        self.config.register_tokens = register;
        self
    }

    pub fn threads(mut self, threads: usize) -> Self {
        self.config.threads = threads;
        self
    }

    /// How many other mailboxes the organization holds ([`COLLEAGUES`] by default).
    pub fn colleagues(mut self, colleagues: u32) -> Self {
        self.config.colleagues = colleagues;
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

    /// Starts a double as `config` says. A double that records requests runs on wiremock; one
    /// that does not (standalone, long runs) on the lean server, which keeps nothing.
    pub async fn start(config: Config) -> Double {
        let state = Arc::new(Mutex::new(State::new(&config)));
        let rewrite = wire::rewrite(&config);
        let listen = config.listen.filter(|_| rewrite.is_none());
        let bind = |address: Option<std::net::SocketAddr>| {
            listen::listener(address).unwrap_or_else(|error| panic!("the double cannot listen ({address:?}): {error}"))
        };
        let (engine, backend) = if config.record_requests {
            // Request bodies hold Exchange passwords: never let wiremock print them.
            let builder = MockServer::builder().body_print_limit(BodyPrintLimit::Limited(0));
            let server = builder.listener(bind(listen)).start().await;
            api::mount(&server, &state, &config.versions).await;
            let backend = *server.address();
            (Engine::Wiremock(server), backend)
        } else {
            let listener = bind(listen);
            let lean = serve::start(listener, api::Router::new(&config.versions), state.clone(), config.threads)
                .expect("the double's server starts");
            let backend = lean.address;
            (Engine::Lean(lean), backend)
        };
        let relay = match rewrite {
            Some(rewrite) => {
                Some(wire::start(backend, config.listen, rewrite).await.expect("the double's relay binds its port"))
            }
            None => None,
        };
        Double { engine: Some(engine), relay, state }
    }

    /// The base URL to give the suite (`http://127.0.0.1:port`).
    pub fn uri(&self) -> String {
        format!("http://{}", self.address())
    }

    /// The address the double (or its relay) listens on.
    pub fn address(&self) -> std::net::SocketAddr {
        match (&self.relay, &self.engine) {
            (Some(relay), _) => relay.address,
            (None, Some(Engine::Wiremock(server))) => *server.address(),
            (None, Some(Engine::Lean(lean))) => lean.address,
            (None, None) => std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
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
        if let Some(mailbox) = self.state().mailbox_mut(mailbox_id) {
            mailbox.set_drift(drift);
        }
    }

    /// Sets the lifetime (`expires_in`) of the tokens issued from now on: how a scenario lets a
    /// token expire on its own double without waiting an hour.
    pub fn set_token_lifetime(&self, lifetime: std::time::Duration) {
        self.state().tokens.set_lifetime(lifetime);
    }

    /// Lets the lifetime of the issued token `value` pass now (its `expires_in` as if waited out).
    pub fn expire_token(&self, value: &str) {
        self.state().tokens.expire(value);
    }

    /// Adds a restore session with a given id that holds a mailbox with a given id: how the
    /// page's worked example is set up.
    pub fn add_session_with_mailbox(&self, session_id: &str, mailbox_id: &str, drift: Drift) {
        let mut state = self.state();
        if state.mailbox(mailbox_id).is_none() {
            let email = format!("mailbox-{mailbox_id}@westsupport.onmicrosoft.com");
            state.add_mailbox(Mailbox::new(mailbox_id, "Worked example", &email, drift));
        }
        let session = RestoreSession {
            mailbox_ids: Arc::new([mailbox_id.to_ascii_lowercase()].into()),
            stopped: false,
            created: session::now(),
            ended: None,
        };
        session::insert(&mut state, session_id.to_ascii_lowercase(), session);
    }

    /// How many restores the double has carried out (refused requests do not count).
    pub fn restores(&self) -> usize {
        self.state().restores
    }

    /// Every mailbox as it stands now (its backup and original items): what a refused request
    /// must leave as it was.
    pub fn mailboxes(&self) -> Vec<Mailbox> {
        self.state().mailboxes.clone()
    }

    /// How many restore requests named the organization's Exchange user with a password other than
    /// its own (each would count toward a real account's lockout).
    pub fn wrong_passwords(&self) -> usize {
        self.state().wrong_passwords
    }

    /// The restore sessions started through explore and not stopped since: a client that closes
    /// every session it opens leaves none.
    pub fn sessions_left_working(&self) -> Vec<String> {
        let state = self.state();
        state.explored.iter().filter(|id| state.sessions.get(*id).is_some_and(|s| !s.stopped)).cloned().collect()
    }

    /// The access and refresh tokens the double has issued (the latest ten thousand), oldest first.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state().tokens.issued()
    }

    /// The restore sessions stopped through `POST .../Stop`, in order.
    pub fn stopped_sessions(&self) -> Vec<String> {
        self.state().stops.iter().cloned().collect()
    }
}
