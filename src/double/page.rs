//! Pages as the vendor's `PageOf...` models write them: `offset` and `limit` as asked (0 and 30
//! by default), `results`, `_links.self`, and `totalCount` in v6 and v7 only (v8's page models no
//! longer list it, so a v8 client must page until a page is empty).

use serde_json::{Value, json};
use wiremock::Request;

use super::State;
use super::faults::Variation;
use crate::contract::version::ApiVersion;

/// `offset` and `limit` of a page request.
#[derive(Clone, Copy, Debug)]
pub(super) struct Paging {
    pub offset: usize,
    pub limit: usize,
}

impl Paging {
    /// The OpenAPI's default limit.
    pub const DEFAULT_LIMIT: usize = 30;

    pub fn of(request: &Request) -> Paging {
        let number = |name: &str| query(request, name).and_then(|value| value.parse::<usize>().ok());
        Paging { offset: number("offset").unwrap_or(0), limit: number("limit").unwrap_or(Self::DEFAULT_LIMIT) }
    }

    /// The part of `items` this page shows.
    pub fn of_items<T>(self, items: impl IntoIterator<Item = T>) -> impl Iterator<Item = T> {
        items.into_iter().skip(self.offset).take(self.limit)
    }

    /// `path` with this page's query, as its `_links.self` reads.
    pub fn href(self, path: &str) -> String {
        format!("{path}?offset={}&limit={}", self.offset, self.limit)
    }
}

/// A query parameter of `request`, its name matched case-insensitively (as ASP.NET binds them).
pub(super) fn query(request: &Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.into_owned())
}

/// `totalCount` as `version`'s page models have it: v6 and v7 list it, v8 does not.
pub(super) fn total_count(version: ApiVersion, total: usize) -> Option<usize> {
    (version != ApiVersion::V8).then_some(total)
}

/// A page of `results` (already cut to `paging`) out of `total`, under `path`.
pub(super) fn page(state: &State, paging: Paging, total: usize, results: Vec<Value>, path: &str) -> Value {
    let mut page = json!({
        "offset": paging.offset,
        "limit": paging.limit,
        "results": results,
        "_links": { "self": link(state, paging.href(path)) },
    });
    if let Some(total) = total_count(state.version, total) {
        page["totalCount"] = json!(total);
    }
    page
}

/// A link (RESTLinkHAL) as the double writes it.
pub(super) fn link(state: &State, path: String) -> Value {
    json!({ "href": href(state, path) })
}

/// A link's path; the link-path-case variation upper-cases it.
pub(super) fn href(state: &State, path: String) -> String {
    if state.variation == Some(Variation::LinkPathCase) { path.to_ascii_uppercase() } else { path }
}
