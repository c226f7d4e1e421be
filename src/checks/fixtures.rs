//! What the judge's unit tests feed the checks: answers as the client records them, v8 restores
//! with their statistics, and the parts of a failure the tests compare (the requirement ids, and
//! each violation's path, expected and actual value).

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

use crate::contract::counts::{MailboxIdentity, StatisticsCounts};
use crate::contract::failure::Failure;
use crate::contract::round_trip::{Answer, Background, Restored};
use crate::contract::schema::Violation;

pub const RESTORE_PATH: &str = "/v6/RestoreSessions/s/organization/mailboxes/m/restore";

/// An answer with these header fields (repeated names give repeated fields) and body.
pub fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        map.append(name, HeaderValue::from_str(value).expect("a header value"));
    }
    Answer {
        recorded: None,
        method: "POST",
        path: RESTORE_PATH.into(),
        status,
        headers: map,
        body: body.as_bytes().to_vec(),
    }
}

/// An answer without header fields.
pub fn bare(status: u16, body: &str) -> Answer {
    answer(status, &[], body)
}

/// A v6/v7 restore's answer: a 200 with the page's four counts (and the OpenAPI's others).
pub fn counted(created: u64, merged: u64, failed: u64, skipped: u64) -> Restored {
    let body = json!({
        "createdItemsCount": created, "mergedItemsCount": merged, "failedItemsCount": failed,
        "skippedItemsCount": skipped, "failedFoldersCount": 0, "exceptions": [], "warnings": [],
    });
    Restored { answer: bare(200, &body.to_string()), background: None }
}

/// The restored mailbox of the v8 fixtures.
pub fn john() -> MailboxIdentity {
    MailboxIdentity {
        id: "062fd52a-c781-4bac-a2a6-dce34f20bfe8".into(),
        email: Some("jsmith@x.test".into()),
        is_archive: false,
    }
}

pub const SESSION_ID: &str = "0b6fd1c4-54c2-4a0e-8f3e-3c9b2a1d7e55";

/// A `BulkMailbox` entry of v8 statistics: created, merged, failed, skipped.
pub fn mailbox_entry(email: &str, id: &str, [created, merged, failed, skipped]: [u64; 4]) -> Value {
    json!({
        "itemRestoreDetailsType": "BulkMailbox", "id": id, "mailboxEmail": email, "mailboxIsArchive": false,
        "createdMailboxItemsCount": created, "mergedMailboxItemsCount": merged,
        "failedMailboxItemsCount": failed, "skippedMailboxItemsCount": skipped,
    })
}

/// The restored mailbox's entry.
pub fn johns(counts: [u64; 4]) -> Value {
    mailbox_entry("jsmith@x.test", &john().id, counts)
}

/// v8 statistics: total, restored, failed, skipped and the mailbox entries.
pub fn statistics([total, restored, failed, skipped]: [u64; 4], items: Vec<Value>) -> Value {
    json!({
        "totalItemsCount": total, "restoredItemsCount": restored, "failedItemsCount": failed,
        "skippedItemsCount": skipped, "items": items,
    })
}

/// A v8 restore that named its session, finished, with these statistics (and, for statistics
/// that add up restores, what they held before).
pub fn in_background(statistics: &Value, before: Option<&Value>) -> Restored {
    let session = json!({ "sessionId": SESSION_ID }).to_string();
    let before = before.map(|before| StatisticsCounts::read(before, &john()).expect("statistics before"));
    let statistics_path = format!("/v8/RestoreSessions/{SESSION_ID}/Statistics");
    let background = Background {
        session_id: SESSION_ID.into(),
        finished: Ok(()),
        statistics: Answer { method: "GET", path: statistics_path, ..bare(200, &statistics.to_string()) },
        before,
        mailbox: john(),
        events: Vec::new(),
        session: None,
    };
    Restored { answer: bare(200, &session), background: Some(background) }
}

/// A failure as another part of the suite makes it (the restore's wait, V8-FINISHES).
pub fn failure(requirement: &str, path: &str, expected: &str, actual: &str) -> Failure {
    Failure {
        requirements: requirement.into(),
        violations: vec![Violation { path: path.into(), expected: expected.into(), actual: actual.into() }],
    }
}

/// The requirement ids a failure names.
pub fn ids(failure: &Failure) -> Vec<String> {
    failure.requirement_ids()
}

/// Each violation as (path, expected, actual).
pub fn found(failure: &Failure) -> Vec<(&str, &str, &str)> {
    failure.violations.iter().map(|v| (v.path.as_str(), v.expected.as_str(), v.actual.as_str())).collect()
}

/// The one violation of a failure of `requirement`, as (path, expected, actual); panics with the
/// failure when it names another requirement or holds several violations.
pub fn only<'a>(failure: &'a Failure, requirement: &str) -> (&'a str, &'a str, &'a str) {
    assert_eq!(ids(failure), [requirement], "{failure:?}");
    match found(failure).as_slice() {
        [one] => *one,
        several => panic!("one violation expected, {} found: {failure:?}", several.len()),
    }
}
