//! The checks on what a restore counted, each with restores that pass and restores that fail it:
//! v6/v7 bodies and v8 statistics (with and without mailbox details, adding up restores or not).

use serde_json::json;

use super::*;
use crate::checks::fixtures::{
    bare, colleague, counted, found, ids, in_background, johns, only, statistics, statistics_path, unfinished,
};

fn c(created: u64, merged: u64, failed: u64, skipped: u64) -> Counts {
    Counts { created, merged, failed, skipped }
}

#[test]
fn counts_in_the_body_pass_when_each_is_the_expected_one() {
    for version in [ApiVersion::V6, ApiVersion::V7] {
        assert_eq!(counts(&counted(3, 1, 0, 2), version, c(3, 1, 0, 2)), Ok(()));
    }
    let max = u64::MAX;
    assert_eq!(counts(&counted(max, max, max, max), ApiVersion::V6, c(max, max, max, max)), Ok(()));
}

#[test]
fn each_count_that_differs_fails_its_own_requirement() {
    let failure = counts(&counted(3, 1, 0, 2), ApiVersion::V6, c(2, 1, 0, 4)).expect_err("created and skipped");
    assert_eq!(ids(&failure), ["COUNT-CREATED", "COUNT-SKIPPED"]);
    assert_eq!(found(&failure), [("/createdItemsCount", "2", "3"), ("/skippedItemsCount", "4", "2")]);

    let mut restored = counted(3, 1, 0, 2);
    restored.answer.body = br#"{"createdItemsCount":3,"failedItemsCount":0,"skippedItemsCount":"2"}"#.to_vec();
    let failure = counts(&restored, ApiVersion::V7, c(3, 0, 0, 2)).expect_err("merged absent, skipped a string");
    assert_eq!(ids(&failure), ["COUNT-MERGED", "COUNT-SKIPPED"]);
    let string = r#"a string "2" where a non-negative integer is required"#;
    assert_eq!(found(&failure), [("/mergedItemsCount", "0", "(absent)"), ("/skippedItemsCount", "2", string)]);
}

#[test]
fn counts_of_a_refusal_or_of_a_body_that_is_not_json_fail_as_such() {
    let refused = Restored { answer: bare(500, ""), background: None };
    let failure = counts(&refused, ApiVersion::V6, c(3, 1, 0, 2)).expect_err("500");
    assert_eq!(only(&failure, "COUNT-CREATED"), ("status", "a successful restore (2xx) to read the answer of", "500"));
    let not_json = Restored { answer: bare(200, "Restore completed."), background: None };
    let failure = counts(&not_json, ApiVersion::V6, c(3, 1, 0, 2)).expect_err("not JSON");
    assert_eq!(only(&failure, "BODY-COUNTS").0, "(body)");
}

#[test]
fn v8_counts_are_the_restored_mailboxs_entries() {
    let restored = in_background(&statistics([9, 7, 0, 2], vec![johns([3, 1, 0, 2]), colleague([2, 1, 0, 0])]), None);
    assert_eq!(counts(&restored, ApiVersion::V8, c(3, 1, 0, 2)), Ok(()));
    let failure = counts(&restored, ApiVersion::V8, c(3, 1, 1, 1)).expect_err("failed and skipped");
    assert_eq!(ids(&failure), ["COUNT-FAILED", "COUNT-SKIPPED"]);
    assert_eq!(
        found(&failure),
        [
            ("/items/*/failedMailboxItemsCount (the mailbox's)", "1", "0"),
            ("/items/*/skippedMailboxItemsCount (the mailbox's)", "1", "2"),
        ]
    );
}

#[test]
fn v8_counts_without_mailbox_details_are_restored_failed_and_skipped() {
    let restored = in_background(&statistics([6, 4, 0, 2], vec![]), None);
    assert_eq!(counts(&restored, ApiVersion::V8, c(3, 1, 0, 2)), Ok(()));
    assert_eq!(counts(&restored, ApiVersion::V8, c(0, 4, 0, 2)), Ok(()), "created and merged only as their sum");
    let failure = counts(&restored, ApiVersion::V8, c(2, 1, 0, 3)).expect_err("restored and skipped");
    assert_eq!(ids(&failure), ["COUNT-CREATED", "COUNT-SKIPPED"]);
    assert_eq!(
        found(&failure),
        [("/restoredItemsCount (created + merged)", "3", "4"), ("/skippedItemsCount", "3", "2")]
    );
}

#[test]
fn v8_counts_of_statistics_that_add_up_restores_are_the_difference() {
    let before = statistics([5, 3, 0, 2], vec![johns([2, 1, 0, 2])]);
    let after = statistics([10, 3, 0, 7], vec![johns([2, 1, 0, 2]), johns([0, 0, 0, 5])]);
    let restored = in_background(&after, Some(&before));
    assert_eq!(counts(&restored, ApiVersion::V8, c(0, 0, 0, 5)), Ok(()));
    let failure = counts(&restored, ApiVersion::V8, c(0, 0, 0, 4)).expect_err("5 skipped, not 4");
    let path = "/items/*/skippedMailboxItemsCount (the mailbox's) (difference since the restore before)";
    assert_eq!(only(&failure, "COUNT-SKIPPED"), (path, "4", "5"));
}

#[test]
fn v8_counts_fail_without_a_session_a_finish_or_readable_statistics_of_the_mailbox() {
    let expected = "the id of the restore session whose statistics hold the counts";
    let no_session = Restored { answer: bare(200, "{}"), background: None };
    let failure = counts(&no_session, ApiVersion::V8, c(0, 0, 0, 0)).expect_err("no sessionId");
    assert_eq!(only(&failure, "V8-SESSION-ID"), ("/sessionId", expected, "(absent: no statistics to read)"));
    let refused = Restored { answer: bare(409, r#"{"message":"busy"}"#), background: None };
    let failure = counts(&refused, ApiVersion::V8, c(0, 0, 0, 0)).expect_err("refused");
    assert_eq!(only(&failure, "V8-SESSION-ID"), ("/sessionId", expected, r#"409 with body {"message":"busy"}"#));

    let (restored, timeout) = unfinished();
    assert_eq!(counts(&restored, ApiVersion::V8, c(0, 0, 0, 0)), Err(timeout));

    let others = in_background(&statistics([2, 2, 0, 0], vec![colleague([2, 0, 0, 0])]), None);
    let failure = counts(&others, ApiVersion::V8, c(2, 0, 0, 0)).expect_err("another mailbox's");
    assert_eq!(ids(&failure), ["V8-MAILBOX-STATISTICS"]);

    let unreadable = in_background(&json!({"totalItemsCount": "6", "items": []}), None);
    let failure = counts(&unreadable, ApiVersion::V8, c(0, 0, 0, 0)).expect_err("a string total");
    let (path, expected, actual) = only(&failure, "BODY-COUNTS");
    assert_eq!((path, actual), (statistics_path().as_str(), r#"{"items":[],"totalItemsCount":"6"}"#));
    assert!(expected.starts_with("totalItemsCount, restoredItemsCount, failedItemsCount, skippedItemsCount"));
}

#[test]
fn same_items_accounted_passes_equal_totals_and_fails_others_with_both_accounts() {
    assert_eq!(same_items_accounted(&counted(3, 1, 0, 2), &counted(0, 0, 0, 6), ApiVersion::V6), Ok(()));
    let max = u64::MAX;
    let huge = counted(max, max, max, max);
    assert_eq!(same_items_accounted(&huge, &huge, ApiVersion::V7), Ok(()), "sums beyond 64 bits");
    let (first, second) = (statistics([6, 4, 0, 2], vec![]), statistics([6, 0, 0, 6], vec![]));
    let v8 = |s: &Value| in_background(s, None);
    assert_eq!(same_items_accounted(&v8(&first), &v8(&second), ApiVersion::V8), Ok(()));

    let failure = same_items_accounted(&counted(3, 1, 0, 2), &counted(0, 0, 0, 5), ApiVersion::V6).expect_err("5 of 6");
    assert_eq!(
        only(&failure, "COUNT-TOTAL"),
        (
            "created + merged + failed + skipped of the second restore",
            "6 (the first restore's: 4 created or merged, 0 failed, 2 skipped)",
            "5 (0 created or merged, 0 failed, 5 skipped)"
        )
    );
}

#[test]
fn same_items_accounted_fails_a_refusal_and_a_count_that_is_no_integer() {
    let refused = Restored { answer: bare(500, ""), background: None };
    let failure = same_items_accounted(&refused, &counted(0, 0, 0, 6), ApiVersion::V6).expect_err("500");
    assert_eq!(only(&failure, "COUNT-TOTAL").0, "status");
    let mut string = counted(3, 1, 0, 2);
    string.answer.body =
        br#"{"createdItemsCount":3,"mergedItemsCount":1,"failedItemsCount":"x","skippedItemsCount":2}"#.to_vec();
    let failure = same_items_accounted(&counted(3, 1, 0, 2), &string, ApiVersion::V6).expect_err("a string");
    let actual = r#"a string "x" where a non-negative integer is required"#;
    assert_eq!(only(&failure, "BODY-COUNTS"), ("/failedItemsCount", "a non-negative integer", actual));
}

#[test]
fn nothing_rewritten_passes_a_repeat_that_writes_only_what_failed() {
    assert_eq!(nothing_rewritten(&counted(3, 1, 1, 2), &counted(1, 0, 0, 6), ApiVersion::V6), Ok(()));
    assert_eq!(nothing_rewritten(&counted(3, 1, 0, 2), &counted(0, 0, 0, 9), ApiVersion::V7), Ok(()));
    let (first, second) = (statistics([7, 4, 1, 2], vec![]), statistics([7, 1, 0, 6], vec![]));
    let v8 = |s: &Value| in_background(s, None);
    assert_eq!(nothing_rewritten(&v8(&first), &v8(&second), ApiVersion::V8), Ok(()));
}

#[test]
fn nothing_rewritten_fails_a_repeat_that_writes_again_or_skips_too_little() {
    let failure = nothing_rewritten(&counted(3, 1, 1, 2), &counted(2, 0, 0, 5), ApiVersion::V6).expect_err("rewrote");
    assert_eq!(ids(&failure), ["COUNT-REPEAT"]);
    let first = "4 created or merged, 1 failed, 2 skipped";
    let at_most = format!("at most 1 (the items the first restore failed; it reported {first})");
    let at_least = format!("at least 6 (what the first restore created, merged or skipped: {first})");
    assert_eq!(
        found(&failure),
        [
            ("created + merged of the second restore", at_most.as_str(), "2"),
            ("skippedItemsCount of the second restore", at_least.as_str(), "5"),
        ]
    );
}

#[test]
fn total_is_every_item_the_restore_accounted_for() {
    assert_eq!(total_is_every_item(&in_background(&statistics([6, 4, 0, 2], vec![]), None)), Ok(()));
    let failure = total_is_every_item(&in_background(&statistics([10, 4, 0, 2], vec![]), None)).expect_err("10");
    let expected = "6 (restored 4 + failed 0 + skipped 2)";
    assert_eq!(only(&failure, "V8-TOTAL"), ("/totalItemsCount", expected, "10"));
    let (restored, timeout) = unfinished();
    assert_eq!(total_is_every_item(&restored), Err(timeout));
}

#[test]
fn total_of_statistics_that_add_up_restores_may_add_up_or_keep_the_backups_size() {
    let before = statistics([5, 3, 0, 2], vec![]);
    let added_up = in_background(&statistics([10, 3, 0, 7], vec![]), Some(&before));
    assert_eq!(total_is_every_item(&added_up), Ok(()));
    let backup_size = in_background(&statistics([5, 3, 0, 7], vec![]), Some(&before));
    assert_eq!(total_is_every_item(&backup_size), Ok(()));
    let neither = in_background(&statistics([7, 3, 0, 7], vec![]), Some(&before));
    let failure = total_is_every_item(&neither).expect_err("7 is neither 10 nor 5");
    let expected = "5 (restored 0 + failed 0 + skipped 5)";
    assert_eq!(only(&failure, "V8-TOTAL"), ("/totalItemsCount", expected, "7"));
}

#[test]
fn restore_finished_passes_a_finished_session_and_fails_with_why_not() {
    assert_eq!(restore_finished(&in_background(&statistics([0, 0, 0, 0], vec![]), None)), Ok(()));
    let (restored, timeout) = unfinished();
    assert_eq!(restore_finished(&restored), Err(timeout));
    let refused = Restored { answer: bare(500, ""), background: None };
    let failure = restore_finished(&refused).expect_err("refused");
    let expected = "the id of the restore session whose statistics hold the counts";
    assert_eq!(only(&failure, "V8-SESSION-ID"), ("/sessionId", expected, "500"));
}

#[test]
fn a_v8_answer_that_is_not_json_is_reported_as_such_not_as_a_session_id_left_out() {
    let not_json = |body: &str| Restored { answer: bare(200, body), background: None };
    let bom = restore_finished(&not_json("\u{feff}{\"sessionId\":\"0b6fd1c4-54c2-4a0e-8f3e-3c9b2a1d7e55\"}"))
        .expect_err("no session to wait for");
    let byte_order_mark = "a byte order mark (EF BB BF) before the JSON text";
    assert_eq!(only(&bom, "V8-SESSION-ID"), ("(body)", "one JSON text (RFC 8259)", byte_order_mark));
    let absent = restore_finished(&not_json("{}")).expect_err("no sessionId");
    assert_eq!(absent.violations[0].actual, "(absent: no statistics to read)");
}
