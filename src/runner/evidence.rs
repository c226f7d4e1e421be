//! The run's evidence: exchanges.har, and which of its entries each scenario's restores made.

use crate::runner::run::Run;

/// exchanges.har: every round trip of the run's HTTP clients, each with the scenarios of `run`
/// it served, redacted (none before the HTTP clients were built).
pub fn exchanges_har(http: Option<&crate::client::Http>, run: Option<&Run>) -> crate::secrets::Scrubbed {
    let trips = http.map(|http| http.recorder().recorded()).unwrap_or_default();
    let served = run.map(Run::round_trips).unwrap_or_default();
    crate::report::har::render(&trips, &served, env!("CARGO_PKG_VERSION"))
}

/// The entries of exchanges.har, by the scenario they served.
pub fn by_scenario(run: &Run) -> std::collections::BTreeMap<String, Vec<usize>> {
    let mut evidence: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (number, scenarios) in run.round_trips() {
        for scenario in scenarios {
            evidence.entry(scenario).or_default().push(number);
        }
    }
    evidence.values_mut().for_each(|numbers| numbers.sort_unstable());
    evidence
}
