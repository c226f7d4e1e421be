//! What the run checks, in one line and as results.json's `target`: the server (never with
//! credentials) or the embedded double, the API version, the restore session and the mailbox.

use crate::suite::settings::{Settings, Target};
use crate::suite::setup::Setup;
use serde_json::json;

/// What the run checks, as results.json's `target` and in one line (its `summary` without the
/// `target: ` the console puts before it).
pub struct Described {
    pub json: serde_json::Value,
    pub line: String,
}

/// What the run checks: the server (never with credentials), the API version, the restore
/// session and the mailbox.
pub fn describe(settings: &Settings, live: Option<&Setup>) -> Described {
    let version = settings.api_version;
    let (mut json, line) = match (&settings.target, live) {
        (Target::Live(url), Some(setup)) => {
            let session =
                if setup.started_session { "started by the suite" } else { "given by VB365_RESTORE_SESSION_ID" };
            let json = json!({
                "kind": "live",
                "url": url,
                "api_version": version.name(),
                "restore_session_id": setup.session_id,
                "restore_session": session,
                "mailbox_id": setup.mailbox_id,
                "mailbox_email": setup.mailbox.email,
            });
            let id = &setup.session_id;
            // The address with the id: the operator sees whom the run restores.
            let mailbox = match &setup.mailbox.email {
                Some(email) => format!("{email} ({})", setup.mailbox_id),
                None => setup.mailbox_id.clone(),
            };
            (json, format!("{url} (live server), API {version}, restore session {id} ({session}), mailbox {mailbox}"))
        }
        (Target::Live(url), None) => {
            let json = json!({ "kind": "live", "url": url, "api_version": version.name() });
            (json, format!("{url} (live server), API {version}"))
        }
        (Target::Double, _) => {
            let json = json!({ "kind": "double", "url": null, "api_version": version.name() });
            let with = match (settings.double_fault, settings.double_variation) {
                (Some(fault), _) => format!(", with fault {fault}"),
                (None, Some(variation)) => format!(", with variation {variation}"),
                _ => String::new(),
            };
            (json, format!("the embedded double (API {version}), one per scenario{with}"))
        }
    };
    json["summary"] = format!("target: {line}").into();
    Described { json, line }
}
