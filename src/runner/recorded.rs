//! What steps record beside cucumber's events, for the ledger to read: a failure's requirements
//! and cause by the text cucumber passes on, and which scenarios each recorded round trip served.
//! Apart from the ledger so that the steps, which the parser names, need not name the ledger.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use crate::contract::failure::Failure;

/// The failures steps reported, by the text cucumber passes on: the ledger reads the
/// requirements a failure broke, and what it found, from the failure, never from its words.
static FAILURES: LazyLock<Mutex<HashMap<String, Broken>>> = LazyLock::new(Default::default);

/// What a failure broke: its requirements, and what it found (its cause in the sign-off).
#[derive(Clone, Debug, Default)]
pub(super) struct Broken {
    pub(super) requirements: Vec<String>,
    pub(super) cause: Option<String>,
}

/// A step's failure as the error text cucumber carries, remembered with its requirements.
pub fn failure(failure: Failure) -> String {
    let text = failure.to_string();
    let broken = Broken { requirements: failure.requirement_ids(), cause: Some(failure.cause()) };
    FAILURES.lock().unwrap_or_else(|p| p.into_inner()).insert(text.clone(), broken);
    text
}

/// The scenarios each recorded round trip (by its number in exchanges.har) served: on a live
/// server one restore serves every scenario of its variant.
static ROUND_TRIPS: LazyLock<Mutex<HashMap<usize, Vec<String>>>> = LazyLock::new(Default::default);

/// Records that the round trips `numbers` served the scenario at `location`.
pub fn served(location: &str, numbers: impl IntoIterator<Item = usize>) {
    let mut trips = ROUND_TRIPS.lock().unwrap_or_else(|p| p.into_inner());
    for number in numbers {
        trips.entry(number).or_default().push(location.to_owned());
    }
}

/// Which scenarios each recorded round trip served, by its number.
pub fn round_trips() -> HashMap<usize, Vec<String>> {
    ROUND_TRIPS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

pub(super) fn broken(text: &str) -> Broken {
    FAILURES.lock().unwrap_or_else(|p| p.into_inner()).get(text).cloned().unwrap_or_default()
}
