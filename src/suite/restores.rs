//! What the run's restores leave behind, for the scenarios that come after and for the reports:
//! how many restores the server carried out, the refusals of the operator's own credentials, and
//! the last statistics and events read of each restore session. One value per run, shared by
//! every scenario (cloning it is cheap).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::client::Answer;
use crate::contract::counts::StatisticsCounts;

/// The run's record of its restores.
#[derive(Clone, Debug, Default)]
pub struct RestoreLog(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    /// Restores answered with a success status: real restores on a live server.
    made: AtomicUsize,
    /// Restores with the configured credentials the server refused, one per variant.
    refused: Mutex<Vec<Refusal>>,
    /// The last statistics and events read of each restore session, by server and id: a session
    /// named again adds up its restores.
    seen: Mutex<HashMap<String, Snapshot>>,
}

/// A restore with a variant's configured credentials that the server refused.
#[derive(Clone, Debug)]
struct Refusal {
    variant: String,
    /// The settings that hold the variant's credentials.
    settings: String,
    status: u16,
    /// The answer's body, redacted and cut short.
    body: String,
}

/// A restore session's statistics and the events it lists (by `client::event_key`) at one
/// moment.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub statistics: Option<StatisticsCounts>,
    pub events: HashSet<String>,
}

impl RestoreLog {
    /// How many restores were answered with a success status so far.
    pub fn made(&self) -> usize {
        self.0.made.load(Ordering::SeqCst)
    }

    pub(super) fn count_made(&self) {
        self.0.made.fetch_add(1, Ordering::SeqCst);
    }

    pub(super) fn seen(&self) -> MutexGuard<'_, HashMap<String, Snapshot>> {
        self.0.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records that the server refused the restore of `variant` with the configured credentials
    /// (`settings` names them); the first refusal of each variant counts.
    pub fn configured_credentials_refused(&self, variant: &str, settings: &str, answer: &Answer) {
        let body: String = crate::secrets::redact_body(&answer.body).chars().take(300).collect();
        let mut refused = self.0.refused.lock().unwrap_or_else(|p| p.into_inner());
        if !refused.iter().any(|refusal| refusal.variant == variant) {
            let (variant, settings) = (variant.to_owned(), settings.to_owned());
            refused.push(Refusal { variant, settings, status: answer.status, body });
        }
    }

    /// Why the run cannot judge the server, when it refused a restore with the configured
    /// credentials of a variant (an error status other than 401, which is the token's). No run
    /// can tell credentials the operator mistyped from valid ones the server refuses: either way
    /// the server is not judged (STOPPED, exit status 2), on a live server and on the double
    /// alike, and the line names the settings to check and what the server said.
    pub fn refused_configured_credentials(&self) -> Option<String> {
        let refused = self.0.refused.lock().unwrap_or_else(|p| p.into_inner());
        let said: Vec<String> =
            refused.iter().map(|r| format!("{} ({} {}; check {})", r.variant, r.status, r.body, r.settings)).collect();
        (!said.is_empty()).then(|| {
            format!(
                "the server refused the restore with the configured credentials of: {}. If they are right, the server refuses valid credentials (EXCHANGE-CREDENTIALS), which no run can tell from a typo",
                said.join("; ")
            )
        })
    }
}
