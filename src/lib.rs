//! The library behind the VB365 mailbox-restore conformance suite.
//!
//! The suite checks one operation of the Veeam Backup for Microsoft 365 REST API,
//! `POST /v6/RestoreSessions/{restoreSessionId}/organization/mailboxes/{mailboxId}/restore`,
//! against a live server or against [`double::Double`], a stateful wiremock stand-in for one.
//! The runner ([`runner`]: the cucumber World, its steps, the ledger and the run's phases) drives
//! these modules:
//!
//! - [`settings`]: what the user configured (environment variables), secrets held as secrets;
//! - [`credentials`]: the three Exchange credential variants and the request bodies built from them;
//! - [`client`]: the HTTP calls a run makes (token, explore, mailboxes, restore, stop);
//! - [`schema`]: the JSON Schemas of `schemas/`, compiled once, and their violations;
//! - [`counts`]: the page's item counts and v8's statistics, as numbers;
//! - [`token`]: the run's bearer token, renewed by its `expires_in` and once after a 401;
//! - [`restore`]: the restore procedure (v8: waiting for the restore in the background);
//! - [`checks`]: the response checks, each naming the requirement it enforces;
//! - [`secrets`]: redaction by key and by value, applied to everything the suite prints;
//! - [`report`]: the per-scenario ledger, the closing line and the exit status.

pub mod bodies;
pub mod checks;
pub mod client;
pub mod counts;
pub mod credentials;
pub mod double;
pub mod failure;
pub mod plan;
pub mod report;
pub mod requirements;
pub mod restore;
pub mod round_trip;
pub mod runner;
pub mod schema;
pub mod secrets;
pub mod settings;
pub mod setup;
pub mod token;
pub mod version;
