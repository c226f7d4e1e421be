//! The contract: what the vendor page and the suite's requirements say, as data and pure
//! functions (no I/O). Imports only the base ([`crate::secrets`]).
//!
//! - [`version`]: the API versions v6, v7, v8 and what differs between them;
//! - [`requirements`]: the requirement ids of `features/requirements.toml`;
//! - [`schema`]: the JSON Schemas of `schemas/`, compiled once, and their violations;
//! - [`credentials`]: the three Exchange credential variants and the request bodies built from them;
//! - [`counts`]: the page's item counts and v8's statistics, as numbers;
//! - [`round_trip`]: one HTTP exchange as the reports record it;
//! - [`failure`]: a check's failure, naming the requirement it breaks.

pub mod counts;
pub mod credentials;
pub mod failure;
pub mod requirements;
pub mod round_trip;
pub mod schema;
pub mod version;
