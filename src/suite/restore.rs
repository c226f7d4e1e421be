//! The restore procedure the steps call: one restore request and, from v8 on, the wait for the
//! restore running in the background and what its statistics say about it.
//!
//! A v8 restore has finished when its restore session says so, by its state and the restore's
//! events together: none of the restore's events is `Running`, and either the session (a
//! session of the restore's own) is `Stopped` or the restore has events and all have ended.
//! While they disagree (the session Stopped, an event of the restore still Running) the restore
//! has not finished: the two are written one after the other, and a server that never makes
//! them agree fails V8-FINISHES at the timeout. The restore's events are those the session did
//! not list before the restore, told apart by their ids (else their order), never by their
//! place in the list. The counts alone cannot tell: a server whose totalItemsCount is wrong
//! would make a restore look finished half-way. When the answer's sessionId is the path's
//! restore session, or a session whose statistics the run has read before, the statistics add
//! up every restore of that session; the restore is judged by their difference before and
//! after it.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::checks::Failure;
use crate::client::{Answer, ApiClient, Authorization, Body, CallError, event_key};
use crate::contract::counts::{MailboxIdentity, StatisticsCounts};
use crate::contract::schema::Violation;
use crate::suite::restores::{RestoreLog, Snapshot};
use crate::suite::token::Token;

pub use crate::contract::round_trip::{Background, Restored};

/// Sends one restore request and, in v8, waits for the restore of `mailbox` to finish. `token`
/// reads the statistics and events; the request carries `authorization`, and when that is the
/// token's a 401 renews it and the request is sent once more (a 401 was not carried out).
pub async fn restore(
    log: &RestoreLog,
    client: &ApiClient,
    token: &Token,
    authorization: &Authorization,
    session_id: &str,
    mailbox: &MailboxIdentity,
    body: &Body,
) -> Result<Restored, CallError> {
    let background = client.version().restores_in_background();
    // What the path's session held before, should the restore run in it.
    let before = if background { Some(Snapshot::take(client, token, session_id, mailbox).await) } else { None };
    let mut answer = client.restore(authorization, session_id, &mailbox.id, body).await?;
    if let Authorization::Bearer(sent) = authorization {
        if answer.status == 401 && token.holds(sent) {
            if let Some(renewed) = token.renewed_after(client, sent).await? {
                answer = client.restore(&Authorization::Bearer(renewed), session_id, &mailbox.id, body).await?;
            }
        }
    }
    if (200..300).contains(&answer.status) {
        log.count_made();
    }
    let restore_session = (background && answer.status == 200)
        .then(|| answer.json().ok()?.get("sessionId")?.as_str().map(str::to_owned))
        .flatten();
    let Some(restore_session) = restore_session else { return Ok(Restored { answer, background: None }) };
    let key = format!("{} {}", client.base_url(), restore_session.to_ascii_lowercase());
    let in_path_session = restore_session.eq_ignore_ascii_case(session_id);
    // A session that held restores before (the path's, or one the run has seen): its state may
    // already read Stopped, and its statistics and events may add up earlier restores.
    let earlier = match before.filter(|_| in_path_session) {
        Some(snapshot) => Some(snapshot),
        None => log.seen().get(&key).cloned(),
    };
    let shared = earlier.is_some();
    let (before, events_before) =
        earlier.map_or((None, HashSet::new()), |snapshot| (snapshot.statistics, snapshot.events));
    let mut finished = wait(client, token, &restore_session, shared, &events_before).await;
    let id = restore_session.as_str();
    // Statistics that never came are V8-STATISTICS's failure, not the restore answer's.
    let statistics = match read_statistics(client, token, id).await {
        Ok(statistics) => statistics,
        Err(error) => {
            let path = format!("/{}/RestoreSessions/{id}/Statistics", client.version());
            finished = finished.and(Err(Failure {
                requirements: "V8-STATISTICS".into(),
                violations: vec![Violation {
                    path: format!("GET {path}"),
                    expected: "RESTRestoreSessionStatistics".into(),
                    actual: format!("no answer: {error}"),
                }],
            }));
            Answer { recorded: None, method: "GET", path, status: 0, headers: Default::default(), body: Vec::new() }
        }
    };
    let listed = read_events(client, token, id).await;
    // What the restore says of itself: its own events, and its session when that is its alone.
    let own_events: Vec<Value> =
        listed.iter().flatten().filter(|event| !events_before.contains(&event_key(event))).cloned().collect();
    let session = match shared {
        true => None,
        false => token.call(client, |t| async move { client.restore_session(&t, id).await }).await.ok(),
    };
    let events = match listed {
        Some(events) => events.iter().map(event_key).collect(),
        None => events_before,
    };
    let after = statistics.json().ok().as_ref().and_then(|json| StatisticsCounts::read(json, mailbox));
    log.seen().insert(key, Snapshot { statistics: after, events });
    let mailbox = mailbox.clone();
    let background =
        Background { session_id: restore_session, finished, statistics, before, mailbox, events: own_events, session };
    Ok(Restored { answer, background: Some(background) })
}

/// A restore session's statistics, asked again (at most twice) when no answer came: a GET the
/// server may have received changes nothing.
async fn read_statistics(client: &ApiClient, token: &Token, session_id: &str) -> Result<Answer, CallError> {
    let mut tries = 0;
    loop {
        match token.answer(client, |t| async move { client.statistics(&t, session_id).await }).await {
            Err(CallError::Transport { .. }) if tries < 2 => tries += 1,
            read => return read,
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The events of a restore session, `None` when they cannot be read.
async fn read_events(client: &ApiClient, token: &Token, session_id: &str) -> Option<Vec<Value>> {
    token.call(client, |t| async move { client.events(&t, session_id).await }).await.ok()
}

impl Snapshot {
    /// The path's session before a restore. It may hold no restore yet (an error answer, or no
    /// statistics): then it adds up nothing. An answer that failed in transit is asked again.
    async fn take(client: &ApiClient, token: &Token, session_id: &str, mailbox: &MailboxIdentity) -> Snapshot {
        let mut statistics = None;
        for _ in 0..3 {
            match token.answer(client, |t| async move { client.statistics(&t, session_id).await }).await {
                Ok(answer) if answer.status == 200 => {
                    statistics = answer.json().ok().as_ref().and_then(|json| StatisticsCounts::read(json, mailbox));
                    break;
                }
                Ok(answer) if answer.status < 500 => break,
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        let events = read_events(client, token, session_id).await.unwrap_or_default();
        Snapshot { statistics, events: events.iter().map(event_key).collect() }
    }
}

/// Waits until the restore session reports the restore finished, for at most the client's
/// timeout; polls at 20 ms, doubling up to 2 s.
async fn wait(
    client: &ApiClient,
    token: &Token,
    session_id: &str,
    shared: bool,
    events_before: &HashSet<String>,
) -> Result<(), Failure> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        let progress = Progress::read(client, token, session_id, shared, events_before).await;
        if progress.finished() {
            return Ok(());
        }
        if started.elapsed() + pause > client.timeout() {
            return Err(Failure {
                requirements: "V8-FINISHES".into(),
                violations: vec![Violation {
                    path: format!("GET /{}/RestoreSessions/{session_id} and .../Events", client.version()),
                    expected: format!(
                        "the restore finished within {} s (VB365_TIMEOUT_SECS): none of its events Running, and its session Stopped or its events ended",
                        client.timeout().as_secs()
                    ),
                    actual: progress.to_string(),
                }],
            });
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

/// What a restore session says of a restore in it.
struct Progress {
    /// The session's state, for a session of the restore's own.
    state: Option<String>,
    /// The events that came with the restore, `None` when they could not be read.
    events: Option<Vec<Value>>,
}

impl Progress {
    async fn read(
        client: &ApiClient,
        token: &Token,
        session_id: &str,
        shared: bool,
        events_before: &HashSet<String>,
    ) -> Progress {
        // The path's session stays Working while it is open, and a session that held a restore
        // before may read Stopped already: only a session of this restore's own ends with it.
        let state = match shared {
            true => None,
            false => token
                .call(client, |t| async move { client.restore_session(&t, session_id).await })
                .await
                .ok()
                .and_then(|session| session.get("state").and_then(Value::as_str).map(str::to_owned)),
        };
        // The events that came with this restore; an earlier restore's event still Running is
        // not this one's.
        let events = read_events(client, token, session_id)
            .await
            .map(|events| events.into_iter().filter(|event| !events_before.contains(&event_key(event))).collect());
        Progress { state, events }
    }

    /// The restore's events still Running.
    fn running(&self) -> Vec<&Value> {
        let running = |event: &&Value| event.get("status").and_then(Value::as_str) == Some("Running");
        self.events.iter().flatten().filter(running).collect()
    }

    /// None of its events Running, and its session Stopped or its events all ended.
    fn finished(&self) -> bool {
        let ended = self.events.as_ref().is_some_and(|events| !events.is_empty());
        self.running().is_empty() && (self.state.as_deref() == Some("Stopped") || ended)
    }
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.state {
            Some(state) => write!(f, "session state {state}")?,
            None => write!(f, "no session state of its own")?,
        }
        let Some(events) = &self.events else { return write!(f, "; no events to read") };
        let running = self.running();
        write!(f, "; {} new events, {} Running", events.len(), running.len())?;
        if let Some(event) = running.first() {
            let text = |key: &str| event.get(key).and_then(Value::as_str).unwrap_or("?").to_owned();
            write!(f, " (id {}: {})", text("id"), crate::secrets::scrub(&text("message")))?;
        }
        if self.state.as_deref() == Some("Stopped") && !running.is_empty() {
            write!(f, ": the session and the restore's events disagree")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;
    use serde_json::{Value, json};

    fn progress(state: Option<&str>, statuses: Option<&[&str]>) -> Progress {
        let event = |(n, status): (usize, &&str)| json!({"id": format!("e{n}"), "status": status, "order": n});
        Progress {
            state: state.map(str::to_owned),
            events: statuses.map(|statuses| statuses.iter().enumerate().map(event).collect::<Vec<Value>>()),
        }
    }

    #[test]
    fn a_restore_has_finished_when_none_of_its_events_runs_and_its_session_stopped_or_its_events_ended() {
        // Both agree.
        assert!(progress(Some("Stopped"), Some(&["Success"])).finished());
        assert!(!progress(Some("Working"), Some(&["Running"])).finished());
        // The session stays open after the restore (the path's session, or one kept Working).
        assert!(progress(Some("Working"), Some(&["Warning", "Success"])).finished());
        assert!(progress(None, Some(&["Failed"])).finished());
        // The session says nothing of its own and no event came yet: not started.
        assert!(!progress(None, Some(&[])).finished());
        assert!(!progress(Some("Working"), None).finished());
        // A session Stopped without events (none logged, or none readable): its state decides.
        assert!(progress(Some("Stopped"), Some(&[])).finished());
        assert!(progress(Some("Stopped"), None).finished());
    }

    #[test]
    fn while_the_session_is_stopped_and_an_event_of_the_restore_runs_it_has_not_finished_and_says_they_disagree() {
        let disagreeing = progress(Some("Stopped"), Some(&["Success", "Running"]));
        assert!(!disagreeing.finished());
        let said = disagreeing.to_string();
        assert!(said.contains("1 Running (id e1") && said.contains("disagree"), "{said}");
    }
}
