//! The suite: what a run does with the adapters (the judge, the client, the double, the
//! reports) to check one server. Imports the adapters, the contract and the base; the runner
//! ([`crate::runner`]) sits on top.
//!
//! - [`settings`]: what the user configured (environment variables), secrets held as secrets;
//! - [`setup`]: a live target prepared before any scenario (token, session, mailbox);
//! - [`token`]: the run's bearer token, renewed by its `expires_in` and once after a 401;
//! - [`plan`]: which scenarios run on this target, and why the others do not;
//! - [`bodies`]: the deliberately wrong request bodies, by the feature files' phrases;
//! - [`restore`]: the restore procedure (v8: waiting for the restore in the background);
//! - [`restores`]: what the run's restores leave behind (restores made, refusals, sessions read);
//! - [`untouched`]: what a refused restore request must leave as it was, and what it changed.

pub mod bodies;
pub mod plan;
pub mod restore;
pub mod restores;
pub mod settings;
pub mod setup;
pub mod token;
pub mod untouched;
