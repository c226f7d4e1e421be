//! v8: the events of a restore session (RESTRestoreSessionEvent), every page, and what tells
//! one from another; the newest restore sessions.

use secrecy::SecretString;
use serde_json::Value;

use super::{ApiClient, CallError};

impl ApiClient {
    /// v8: `GET /{version}/RestoreSessions/{id}/Events`, every page: until a page holds fewer
    /// events than its `limit`, is empty, or brings no event not seen (a server may cap `limit`
    /// below what is asked, or ignore `offset`). Events are told apart by [`event_key`], never
    /// by their place in the list.
    pub async fn events(&self, token: &SecretString, session_id: &str) -> Result<Vec<Value>, CallError> {
        const PAGE: usize = 1000;
        const MOST_PAGES: usize = 100;
        let mut found: Vec<Value> = Vec::new();
        let mut keys = std::collections::HashSet::new();
        for _ in 0..MOST_PAGES {
            let path = format!("RestoreSessions/{session_id}/Events?offset={}&limit={PAGE}", found.len());
            let page = self.expect_json("GET", &path, None, token).await?;
            let results = page.get("results").and_then(Value::as_array).cloned().unwrap_or_default();
            let limit = page.get("limit").and_then(Value::as_u64).filter(|limit| *limit > 0).unwrap_or(PAGE as u64);
            let last = (results.len() as u64) < limit;
            let new: Vec<Value> = results.into_iter().filter(|event| keys.insert(event_key(event))).collect();
            if new.is_empty() {
                break;
            }
            found.extend(new);
            if last {
                break;
            }
        }
        Ok(found)
    }
}

impl ApiClient {
    /// v8: the ids of the newest restore sessions (`GET /{version}/RestoreSessions`, newest
    /// first, one page of 100), lower-case: a restore started since shows among them.
    pub async fn newest_restore_sessions(&self, token: &SecretString) -> Result<Vec<String>, CallError> {
        let page = self.expect_json("GET", "RestoreSessions?orderAsc=false&offset=0&limit=100", None, token).await?;
        let results = page.get("results").and_then(Value::as_array).cloned().unwrap_or_default();
        Ok(results.iter().filter_map(|s| s.get("id").and_then(Value::as_str)).map(str::to_ascii_lowercase).collect())
    }
}

/// What tells a restore session's event from the others, whatever its place in the list and
/// its status: its `id` (RESTRestoreSessionEvent requires one), else its `order`, else when it
/// started and what it says.
pub fn event_key(event: &Value) -> String {
    let text = |key: &str| event.get(key).map(Value::to_string).unwrap_or_default();
    match (event.get("id").and_then(Value::as_str), event.get("order").and_then(Value::as_i64)) {
        (Some(id), _) => format!("id {}", id.to_ascii_lowercase()),
        (None, Some(order)) => format!("order {order}"),
        (None, None) => format!("{} {} {}", text("startTime"), text("message"), text("itemName")),
    }
}
