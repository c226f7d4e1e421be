//! `GET /{version}/Organizations`: the one organization the double backs up, whose mailboxes
//! `POST .../Organizations/{id}/explore` opens. v6 and v7 answer an array of
//! RestOrganizationComposed, v8 a page of them (PageOfRestOrganizationComposed, offset and limit).
//! Only properties every version's model lists; the connection settings (which hold an
//! account's password on a real server) are left out, as the model allows.

use serde_json::{Value, json};
use wiremock::Request;

use super::State;
use super::answer::Answer;
use super::page::{Paging, link, page};
use crate::contract::version::ApiVersion;

/// The organization's Microsoft 365 name, which restore sessions name too.
pub(super) const NAME: &str = "westsupport.onmicrosoft.com";

fn organization(state: &State) -> Value {
    let id = &state.accepted.organization_id;
    json!({
        "id": id,
        "name": NAME,
        "officeName": NAME,
        "type": "Office365",
        "region": "Worldwide",
        "isExchangeOnline": true,
        "isSharePointOnline": false,
        "isTeamsOnline": false,
        "isTeamsChatsOnline": false,
        "isBackedup": true,
        "_links": { "self": link(state, format!("/{}/Organizations/{id}", state.version)) },
    })
}

pub(super) fn list(state: &State, request: &Request) -> Answer {
    let organizations = [organization(state)];
    if state.version != ApiVersion::V8 {
        return Answer::json(200, &Value::from(organizations.to_vec()));
    }
    let paging = Paging::of(request);
    let results = paging.of_items(organizations).collect();
    Answer::json(200, &page(state, paging, 1, results, &format!("/{}/Organizations", state.version)))
}
