//! `GET /{version}/ServiceInstance` (RESTServiceInstance): the installation a client talks to.
//! The double reports a fixed installation id and the build `N.0.0.0` of the newest API version
//! it serves, the same through every version (one installation serves them all, as a real server
//! does): a build number clients can parse as one, which no real release carries.

use serde_json::json;

use super::State;
use super::answer::Answer;

/// The double's installation id, the same on every start (clients may keep it).
pub const INSTALLATION_ID: &str = "d0ab1e65-0000-4000-8000-0000000b3650";

pub(super) fn get(state: &State) -> Answer {
    let major = state.served.newest().name().trim_start_matches('v');
    Answer::json(200, &json!({ "installationId": INSTALLATION_ID, "version": format!("{major}.0.0.0") }))
}
