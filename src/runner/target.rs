//! What the run checks, in one line and as results.json's `target`: the server (never with
//! credentials) or the embedded double, the API version, the restore session and the mailbox.

use crate::suite::settings::{Settings, Target};
use crate::suite::setup::Setup;
use serde_json::json;

/// What the run checks: the server (never with credentials), the API version, the restore
/// session and the mailbox.
pub fn describe(settings: &Settings, live: Option<&Setup>) -> serde_json::Value {
    match (&settings.target, live) {
        (Target::Live(url), Some(setup)) => {
            let session =
                if setup.started_session { "started by the suite" } else { "given by VB365_RESTORE_SESSION_ID" };
            json!({
                "kind": "live",
                "url": url,
                "api_version": settings.api_version.name(),
                "restore_session_id": setup.session_id,
                "restore_session": session,
                "mailbox_id": setup.mailbox_id,
                "summary": format!(
                    "target: {url} (live server), API {}, restore session {} ({session}), mailbox {}",
                    settings.api_version, setup.session_id, setup.mailbox_id
                ),
            })
        }
        (Target::Live(url), None) => json!({
            "kind": "live",
            "url": url,
            "api_version": settings.api_version.name(),
            "summary": format!("target: {url} (live server), API {}", settings.api_version),
        }),
        (Target::Double, _) => json!({
            "kind": "double",
            "url": null,
            "api_version": settings.api_version.name(),
            "summary": format!(
                "target: the embedded double (API {}), one per scenario{}",
                settings.api_version,
                match (settings.double_fault, settings.double_variation) {
                    (Some(fault), _) => format!(", with fault {fault}"),
                    (None, Some(variation)) => format!(", with variation {variation}"),
                    _ => String::new(),
                }
            ),
        }),
    }
}
