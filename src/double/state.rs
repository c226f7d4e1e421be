//! The double's state, shared by its endpoints behind one lock: what it accepts, the tokens
//! it issued, its restore sessions and mailboxes, and what was restored. Every registry is
//! bounded (tokens expire, sessions and background restores beyond their caps are dropped,
//! oldest first), so a standalone double that runs for days keeps its memory flat.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::config::{Config, Operator};
use super::faults::{Fault, Variation};
use super::mailbox::{Drift, Mailbox};
use super::token::Tokens;
use crate::contract::version::ApiVersion;

/// The id of the mailbox every double starts with.
pub(crate) const DEFAULT_MAILBOX_ID: &str = "062fd52a-c781-4bac-a2a6-dce34f20bfe8";

/// The organization's other mailboxes, listed before the one under test (by default enough that
/// finding it takes a second page). Colleagues 7 and 70 share a name, as people do: looking one
/// up by that name is ambiguous.
fn colleagues(how_many: u32) -> impl Iterator<Item = Mailbox> {
    (1..=how_many).map(|n| {
        let id = format!("00000000-0000-4000-8000-{n:012}");
        let name = if n == 7 || n == 70 { "Alex Kim".to_owned() } else { format!("Colleague {n}") };
        Mailbox::new(&id, &name, &format!("colleague{n}@westsupport.onmicrosoft.com"), Drift::default())
    })
}

/// How that mailbox differs from its backup at first: something to create, to merge and to skip,
/// so that every count of a first restore means something and a second restore differs from it.
const DEFAULT_DRIFT: Drift = Drift { missing: 2, changed: 1, unchanged: 2, unwritable_missing: 0 };

/// The mailbox's first state: [`DEFAULT_DRIFT`], one of its missing items refused where a fault
/// or variation needs restores that fail an item.
fn default_drift(config: &Config) -> Drift {
    match super::faults::fails_an_item(config.fault, config.variation) {
        true => Drift { unwritable_missing: 1, ..DEFAULT_DRIFT },
        false => DEFAULT_DRIFT,
    }
}

/// What the double accepts (from its [`Config`]).
#[derive(Clone, Debug)]
pub(crate) struct Accepted {
    pub login: Operator,
    pub organization_id: String,
}

#[derive(Debug)]
pub(crate) struct RestoreSession {
    /// Lower-case ids; every explored session shares one set.
    pub mailbox_ids: Arc<HashSet<String>>,
    pub stopped: bool,
    /// RFC 3339 date-times.
    pub created: String,
    pub ended: Option<String>,
}

#[derive(Debug)]
pub(crate) struct State {
    pub accepted: Accepted,
    /// The request bodies the organization accepts, one per configured variant.
    pub accepted_bodies: Vec<Value>,
    pub tokens: Tokens,
    /// Whether issued tokens are registered as secrets (in-process doubles, whose suite prints).
    pub register_tokens: bool,
    /// By lower-case id.
    pub sessions: BTreeMap<String, RestoreSession>,
    /// Session ids in creation order, for dropping the oldest.
    pub session_order: VecDeque<String>,
    pub mailboxes: Vec<Mailbox>,
    /// Each mailbox's position in `mailboxes`, by lower-case id: a restore finds its mailbox at once.
    pub mailbox_index: HashMap<String, usize>,
    /// The mailboxes' lower-case ids, shared by explored sessions; rebuilt when one is added.
    pub mailbox_ids: Option<Arc<HashSet<String>>>,
    pub restores: usize,
    /// Restore requests that named the organization's Exchange user with another password: each
    /// would count toward that account's lockout on a real organization.
    pub wrong_passwords: usize,
    /// Restore sessions started through explore.
    pub explored: Vec<String>,
    /// The newest stopped sessions, in order.
    pub stops: VecDeque<String>,
    /// What the double serves, as it was started.
    pub served: Served,
    /// The API version of the request being answered, and the fault and variation as they apply
    /// to it ([`State::answer_in`] sets them, under the lock, before each answer).
    pub version: ApiVersion,
    pub fault: Option<Fault>,
    pub variation: Option<Variation>,
    /// How long the slow-answer fault keeps a restore waiting.
    pub slow_answer_delay: std::time::Duration,
    /// v8: how long a background restore takes when no fault or variation says otherwise.
    pub restore_duration: std::time::Duration,
    /// v8: restores running in the background, by the id of the restore session they run in.
    pub background: BTreeMap<String, VecDeque<BackgroundRestore>>,
    /// Their session ids in creation order.
    pub background_order: VecDeque<String>,
    /// Mailboxes restored at least once (by lower-case id).
    pub restored_mailboxes: HashSet<String>,
}

/// v8: a restore whose counts its statistics reveal as it progresses.
#[derive(Debug)]
pub(crate) struct BackgroundRestore {
    pub started: std::time::Instant,
    /// RFC 3339.
    pub created: String,
    pub counts: crate::contract::counts::Counts,
    pub mailbox_email: String,
    pub mailbox_id: String,
    /// Its event's id and order number in the session, the same at every look.
    pub event_id: String,
    pub order: u64,
}

pub(crate) type SharedState = Arc<Mutex<State>>;

/// The API versions a double serves, and the fault and variation it was started with.
#[derive(Clone, Debug)]
pub(crate) struct Served {
    pub versions: Vec<ApiVersion>,
    pub fault: Option<Fault>,
    pub variation: Option<Variation>,
}

impl Served {
    pub fn of(config: &Config) -> Served {
        Served { versions: config.versions.clone(), fault: config.fault, variation: config.variation }
    }

    /// The served versions in which the fault shows: those it lists ([`Fault::versions`]).
    pub fn fault_versions(&self) -> Vec<ApiVersion> {
        let listed = self.fault.map(Fault::versions).unwrap_or_default();
        self.versions.iter().copied().filter(|version| listed.contains(version)).collect()
    }

    /// The served versions in which the variation shows: those it lists.
    pub fn variation_versions(&self) -> Vec<ApiVersion> {
        let listed = self.variation.map(Variation::versions).unwrap_or_default();
        self.versions.iter().copied().filter(|version| listed.contains(version)).collect()
    }

    /// The newest version served: the build a real server serving them all would report.
    pub fn newest(&self) -> ApiVersion {
        self.versions.iter().copied().max().unwrap_or_default()
    }
}

impl State {
    pub fn new(config: &Config) -> State {
        let mut state = State {
            accepted: Accepted { login: config.operator.clone(), organization_id: config.organization_id.clone() },
            accepted_bodies: super::restore::accepted_bodies(&config.exchange),
            tokens: Tokens::default(),
            register_tokens: config.register_tokens,
            sessions: BTreeMap::new(),
            session_order: VecDeque::new(),
            mailboxes: colleagues(config.colleagues)
                .chain([Mailbox::new(DEFAULT_MAILBOX_ID, "John Smith", &config.mailbox_email, default_drift(config))])
                .collect(),
            mailbox_index: HashMap::new(),
            mailbox_ids: None,
            restores: 0,
            wrong_passwords: 0,
            explored: Vec::new(),
            stops: VecDeque::new(),
            served: Served::of(config),
            version: ApiVersion::default(),
            fault: None,
            variation: None,
            slow_answer_delay: config.slow_answer_delay,
            restore_duration: config.restore_duration,
            background: BTreeMap::new(),
            background_order: VecDeque::new(),
            restored_mailboxes: HashSet::new(),
        };
        state.mailbox_index =
            state.mailboxes.iter().enumerate().map(|(at, m)| (m.id.to_ascii_lowercase(), at)).collect();
        super::token::accept_configured(&mut state);
        state.answer_in(config.versions.first().copied().unwrap_or_default());
        state
    }

    /// Makes the next answer one of `version`: its shapes, and the fault and variation only if
    /// they show in it. The state itself (organization, sessions, mailboxes, tokens, restores)
    /// is one for every version.
    pub fn answer_in(&mut self, version: ApiVersion) {
        self.version = version;
        self.fault = self.served.fault.filter(|fault| fault.versions().contains(&version));
        self.variation = self.served.variation.filter(|variation| variation.versions().contains(&version));
    }

    pub fn mailbox(&self, id: &str) -> Option<&Mailbox> {
        self.mailbox_index.get(&id.to_ascii_lowercase()).map(|&at| &self.mailboxes[at])
    }

    pub fn mailbox_mut(&mut self, id: &str) -> Option<&mut Mailbox> {
        self.mailbox_index.get(&id.to_ascii_lowercase()).map(|&at| &mut self.mailboxes[at])
    }

    pub fn add_mailbox(&mut self, mailbox: Mailbox) {
        self.mailbox_index.insert(mailbox.id.to_ascii_lowercase(), self.mailboxes.len());
        self.mailboxes.push(mailbox);
        self.mailbox_ids = None;
    }
}
