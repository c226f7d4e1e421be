//! The run's evidence: exchanges.har, and which of its entries each scenario's restores made.

use crate::runner::recorded;

/// exchanges.har: every round trip of the run, each with the scenarios it served, redacted.
pub fn exchanges_har() -> crate::secrets::Scrubbed {
    let trips = crate::client::recorded();
    crate::report::har::render(&trips, &recorded::round_trips(), env!("CARGO_PKG_VERSION"))
}

/// The entries of exchanges.har, by the scenario they served.
pub fn by_scenario() -> std::collections::BTreeMap<String, Vec<usize>> {
    let mut evidence: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (number, scenarios) in recorded::round_trips() {
        for scenario in scenarios {
            evidence.entry(scenario).or_default().push(number);
        }
    }
    evidence.values_mut().for_each(|numbers| numbers.sort_unstable());
    evidence
}
