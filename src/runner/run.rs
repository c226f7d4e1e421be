//! The values of the run every scenario shares, set once by `main` before the first scenario:
//! cucumber builds each scenario's World with `Default` and hands its steps nothing else, so
//! these are process-wide. Apart from world.rs so that the ledger and the parser, which the
//! World's steps name, can read them without naming the World.

use std::sync::OnceLock;

use crate::suite::settings::Settings;
use crate::suite::setup::Setup;

/// The run's settings, read once in `main` before any scenario starts.
pub static SETTINGS: OnceLock<Settings> = OnceLock::new();
/// The run's HTTP client, built once in `main`.
pub static HTTP: OnceLock<crate::client::Http> = OnceLock::new();
/// Against a live server: the setup `main` made before any scenario, shared by all (its token
/// renews itself by its `expires_in`, and once after a 401).
pub static LIVE: OnceLock<Setup> = OnceLock::new();

/// The live setup; `None` on the double.
pub fn live_setup() -> Option<Setup> {
    LIVE.get().cloned()
}

pub fn settings() -> &'static Settings {
    SETTINGS.get().expect("main reads the settings before the run")
}
