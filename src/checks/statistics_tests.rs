//! The checks that what a v8 server states twice agrees: top-level counts and mailbox entries,
//! the session's result and the restore's outcome, the entries and the restored mailbox. Each
//! with statistics that pass and statistics that fail it.

use serde_json::{Value, json};

use super::*;
use crate::checks::fixtures::{
    COLLEAGUE_ID, colleague, ended, ids, in_background, john, johns, only, shared, statistics, statistics_path,
    unfinished,
};

#[test]
fn top_level_counts_are_the_sums_of_the_entries_of_a_session_of_the_restores_own() {
    assert_eq!(counts_agree(&in_background(&statistics([8, 4, 1, 3], vec![johns([3, 1, 1, 3])]), None)), Ok(()));
    let without_details = in_background(&statistics([6, 5, 0, 1], vec![]), None);
    assert_eq!(counts_agree(&without_details), Ok(()), "V8-TOTAL's to check");
    // The restored items left out of restoredItemsCount.
    let failure = counts_agree(&in_background(&statistics([8, 3, 1, 3], vec![johns([3, 1, 1, 3])]), None))
        .expect_err("3 is not 3 + 1");
    let path = format!("{} /restoredItemsCount", statistics_path());
    let expected = "4 (created 3 + merged 1 of the 1 mailbox entry)";
    assert_eq!(only(&failure, "V8-RESTORED-COUNT"), (path.as_str(), expected, "3"));
    // The failed items counted as skipped (the red team's v8-failed-counted-as-skipped): each count its own.
    let failure = counts_agree(&in_background(&statistics([8, 4, 0, 4], vec![johns([3, 1, 1, 3])]), None))
        .expect_err("failed as skipped");
    assert_eq!(ids(&failure), ["V8-FAILED-COUNT", "V8-SKIPPED-COUNT"]);
    let found: Vec<(String, String, String)> =
        failure.violations.iter().map(|v| (v.path.clone(), v.expected.clone(), v.actual.clone())).collect();
    assert_eq!(
        found,
        [
            (
                format!("{} /failedItemsCount", statistics_path()),
                "1 (failed of the 1 mailbox entry)".into(),
                "0".into()
            ),
            (
                format!("{} /skippedItemsCount", statistics_path()),
                "3 (skipped of the 1 mailbox entry)".into(),
                "4".into()
            ),
        ]
    );
    // One more counted at the top level than the entries hold (the total with it), whichever count.
    let failure =
        counts_agree(&in_background(&statistics([9, 4, 1, 4], vec![johns([3, 1, 1, 3])]), None)).expect_err("skipped");
    assert_eq!(only(&failure, "V8-SKIPPED-COUNT").1, "3 (skipped of the 1 mailbox entry)");
    let (restored, timeout) = unfinished();
    assert_eq!(counts_agree(&restored), Err(timeout));
}

#[test]
fn entries_that_do_not_cover_the_session_are_not_compared() {
    // Other items beside the entries: the top level counts them, the entries do not.
    let item = json!({"itemRestoreDetailsType": "Item", "id": "i-1", "name": "Report.docx", "status": "Success"});
    let with_an_item = statistics([6, 5, 0, 1], vec![johns([3, 1, 0, 1]), item]);
    assert_eq!(counts_agree(&in_background(&with_an_item, None)), Ok(()));
    // A session of other restores too, whose entries account for fewer items than its counts.
    let fewer = statistics([12, 8, 0, 4], vec![johns([3, 1, 0, 2])]);
    assert_eq!(counts_agree(&shared(in_background(&fewer, None))), Ok(()));
    // ... or for as many: then each count is theirs, and failed counted as skipped is caught there too.
    let both = vec![johns([3, 1, 1, 2]), colleague([1, 1, 0, 0])];
    assert_eq!(counts_agree(&shared(in_background(&statistics([9, 6, 1, 2], both.clone()), None))), Ok(()));
    let failure =
        counts_agree(&shared(in_background(&statistics([9, 6, 0, 3], both), None))).expect_err("failed as skipped");
    assert_eq!(ids(&failure), ["V8-FAILED-COUNT", "V8-SKIPPED-COUNT"]);
}

fn session(state: &str, result: Value) -> Value {
    json!({"id": crate::checks::fixtures::SESSION_ID, "type": "Vex", "state": state, "result": result})
}

fn event(status: &str) -> Value {
    json!({"id": "e-1", "status": status, "message": "Restoring mailbox", "order": 0})
}

#[test]
fn a_result_that_agrees_with_the_restore_passes_warning_either_way() {
    let clean = statistics([5, 3, 0, 2], vec![johns([2, 1, 0, 2])]);
    let failing = statistics([5, 2, 1, 2], vec![johns([1, 1, 1, 2])]);
    for (stats, result, status) in [
        (&clean, "Success", "Success"),
        (&clean, "Warning", "Success"),
        (&failing, "Warning", "Warning"),
        (&failing, "Failed", "Warning"),
        (&failing, "Failed", "Failed"),
    ] {
        let restored = ended(in_background(stats, None), session("Stopped", json!(result)), vec![event(status)]);
        assert_eq!(result_agrees(&restored), Ok(()), "{result} {status}");
    }
    // A Failed result that an error or a cancelled event explains.
    let mut with_errors = clean.clone();
    with_errors["errors"] = json!(["The Exchange server is not reachable."]);
    let restored = ended(in_background(&with_errors, None), session("Stopped", json!("Failed")), vec![]);
    assert_eq!(result_agrees(&restored), Ok(()));
    let cancelled = ended(in_background(&clean, None), session("Stopped", json!("Failed")), vec![event("Cancelled")]);
    assert_eq!(result_agrees(&cancelled), Ok(()));
    // Not judged: still Working, the session holds others' restores, or it could not be read.
    let working = ended(in_background(&failing, None), session("Working", json!("Success")), vec![]);
    assert_eq!(result_agrees(&working), Ok(()));
    let others = shared(ended(in_background(&failing, None), session("Stopped", json!("Success")), vec![]));
    assert_eq!(result_agrees(&others), Ok(()), "a shared session is not read");
    assert_eq!(result_agrees(&in_background(&failing, None)), Ok(()));
}

#[test]
fn a_result_that_contradicts_the_restore_fails() {
    let failing = statistics([5, 2, 1, 2], vec![johns([1, 1, 1, 2])]);
    let restored = ended(in_background(&failing, None), session("Stopped", json!("Success")), vec![event("Warning")]);
    let failure = result_agrees(&restored).expect_err("Success with a failed item");
    let path = format!("GET .../RestoreSessions/{} /result", crate::checks::fixtures::SESSION_ID);
    let expected = "Warning or Failed: the statistics' failedItemsCount is 1; the mailbox entries' failedMailboxItemsCount adds up to 1";
    assert_eq!(only(&failure, "V8-SESSION-RESULT"), (path.as_str(), expected, "Success"));
    let clean = statistics([5, 3, 0, 2], vec![johns([2, 1, 0, 2])]);
    let failed_event = ended(in_background(&clean, None), session("Stopped", json!("Success")), vec![event("Failed")]);
    let failure = result_agrees(&failed_event).expect_err("Success with a Failed event");
    assert_eq!(only(&failure, "V8-SESSION-RESULT").1, "Warning or Failed: the restore's event e-1 is Failed");
    let failed = ended(in_background(&clean, None), session("Stopped", json!("Failed")), vec![event("Success")]);
    let failure = result_agrees(&failed).expect_err("Failed with nothing failed");
    let expected = "Success or Warning: no item failed, no error, no event of the restore Failed or Cancelled";
    assert_eq!(only(&failure, "V8-SESSION-RESULT"), (path.as_str(), expected, "Failed"));
    let unknown = ended(in_background(&clean, None), session("Stopped", json!("Done")), vec![]);
    assert_eq!(only(&result_agrees(&unknown).expect_err("Done"), "V8-SESSION-RESULT").2, r#""Done""#);
    let (restored, timeout) = unfinished();
    assert_eq!(result_agrees(&restored), Err(timeout));
}

#[test]
fn statistics_of_the_mailbox_pass_when_they_list_it_or_no_mailbox() {
    let listed = statistics([5, 3, 0, 2], vec![colleague([1, 0, 0, 0]), johns([1, 1, 0, 2])]);
    assert_eq!(statistics_of_the_mailbox(&shared(in_background(&listed, None))), Ok(()));
    assert_eq!(statistics_of_the_mailbox(&in_background(&statistics([5, 3, 0, 2], vec![]), None)), Ok(()));
    let own = statistics([4, 2, 0, 2], vec![johns([1, 1, 0, 2])]);
    assert_eq!(statistics_of_the_mailbox(&in_background(&own, None)), Ok(()));
}

#[test]
fn statistics_of_other_mailboxes_only_fail_and_name_them() {
    let mut archive = colleague([1, 0, 0, 0]);
    archive["mailboxIsArchive"] = json!(true);
    let others = statistics([3, 3, 0, 0], vec![colleague([2, 0, 0, 0]), archive]);
    let failure = statistics_of_the_mailbox(&shared(in_background(&others, None))).expect_err("not John's");
    let path = format!("{} /items (BulkMailbox)", statistics_path());
    let expected = format!("an entry of the restored mailbox, jsmith@x.test (id {})", john().id);
    let actual = format!(
        "entries of colleague@x.test (id {COLLEAGUE_ID}), the archive of colleague@x.test (id {COLLEAGUE_ID}) only"
    );
    assert_eq!(only(&failure, "V8-MAILBOX-STATISTICS"), (path.as_str(), expected.as_str(), actual.as_str()));
    let unreadable = in_background(&json!({"items": []}), None);
    assert_eq!(ids(&statistics_of_the_mailbox(&unreadable).expect_err("no counts")), ["BODY-COUNTS"]);
}

#[test]
fn a_session_of_the_restores_own_lists_no_other_mailbox() {
    let listed = statistics([5, 3, 0, 2], vec![colleague([1, 0, 0, 0]), johns([1, 1, 0, 2])]);
    let failure = statistics_of_the_mailbox(&in_background(&listed, None)).expect_err("a colleague's entry too");
    let path = format!("{} /items (BulkMailbox)", statistics_path());
    let expected = format!(
        "entries of the restored mailbox only, jsmith@x.test (id {}) (the restore's own session restored it alone)",
        john().id
    );
    let actual = format!("entries of colleague@x.test (id {COLLEAGUE_ID}) too");
    assert_eq!(only(&failure, "V8-MAILBOX-STATISTICS"), (path.as_str(), expected.as_str(), actual.as_str()));
}
