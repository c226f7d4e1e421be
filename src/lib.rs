//! The library behind the VB365 mailbox-restore conformance suite.
//!
//! The suite checks one operation of the Veeam Backup for Microsoft 365 REST API,
//! `POST /v6/RestoreSessions/{restoreSessionId}/organization/mailboxes/{mailboxId}/restore`,
//! against a live server or against [`double::Double`], a stateful wiremock stand-in for one.
//! Its layers, each a folder importing only those below (tests/selftest/layers.rs checks it):
//!
//! - [`runner`]: the cucumber World, its steps, the ledger and the run's phases (the binary
//!   `vb365-conformance` only calls [`runner::main`]);
//! - [`suite`]: settings, the live setup, the run's token, the plan, the bodies, the restore
//!   procedure;
//! - adapters, which never import one another: [`checks`] (the judge: the response checks, each
//!   naming the requirement it enforces), [`client`] (the HTTP calls a run makes), [`double`]
//!   (the stand-in server), [`report`] (the per-scenario outcomes, the reports and the exit status);
//! - [`contract`]: versions, requirements, schemas, credentials, counts, round trips, failures;
//! - [`secrets`]: redaction by key and by value, applied to everything the suite prints;
//!   [`signals`]: Ctrl-C and SIGTERM, listened to from the moment asked.

pub mod checks;
pub mod client;
pub mod contract;
pub mod double;
pub mod report;
pub mod runner;
pub mod secrets;
pub mod signals;
pub mod suite;
