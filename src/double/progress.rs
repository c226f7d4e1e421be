//! v8: how far a background restore has got, by the time since it started: the double's one
//! clock for its statistics, its events and its session's state.

use std::time::Duration;

use super::faults::{Fault, Variation};
use super::{BackgroundRestore, State};

/// How long a restore takes with the variation short-token-lifetime: a run outlives its tokens.
pub(super) const SLOW_RESTORE: Duration = Duration::from_millis(300);

/// How long a background restore takes on the double: by default (`Config::restore_duration`)
/// long enough that the suite's first look finds it Working, short enough that its second (20 ms
/// later) finds it Stopped; longer where a fault or variation needs the suite to see it half-way.
pub(super) fn duration(state: &State) -> Duration {
    match (state.fault, state.variation) {
        // Long enough that a loaded machine still reads the statistics half-way.
        (Some(Fault::V8EventEndsEarly), _) => Duration::from_secs(20),
        (_, Some(Variation::ShortTokenLifetime)) => SLOW_RESTORE,
        _ => state.restore_duration,
    }
}

/// The share of a background restore done so far, 0.0 to 1.0.
pub(super) fn progress(state: &State, restore: &BackgroundRestore) -> f64 {
    let done = restore.started.elapsed().as_secs_f64() / duration(state).as_secs_f64();
    if state.fault == Some(Fault::V8RestoreNeverFinishes) { done.min(0.5) } else { done.min(1.0) }
}

pub(super) fn finished(state: &State, restore: &BackgroundRestore) -> bool {
    progress(state, restore) >= 1.0
}
