//! The checks on the body: one JSON text, its schema, the page's counts and the OpenAPI's other
//! properties, each with bodies that pass and bodies that fail it.

use serde_json::json;

use super::fixtures::{answer, bare, found, ids, only, statistics};
use super::*;

const COUNTS: &str = r#"{"createdItemsCount":3,"mergedItemsCount":1,"failedItemsCount":0,"skippedItemsCount":2}"#;
const NOT_JSON: &str = "one JSON text (RFC 8259)";

#[test]
fn body_json_reads_one_json_text() {
    assert_eq!(body_json(&bare(200, COUNTS), "BODY-COUNTS"), Ok(serde_json::from_str(COUNTS).expect("JSON")));
    assert_eq!(body_json(&bare(200, " [1, 2] "), "BODY-COUNTS"), Ok(json!([1, 2])));
}

#[test]
fn body_json_fails_what_is_not_one_json_text_and_says_what_came() {
    for (body, actual) in [
        ("", "an empty body"),
        ("Restore completed.", r#""Restore completed." (expected value at line 1 column 1)"#),
        ("{} {}", r#""{} {}" (trailing characters at line 1 column 4)"#),
        ("\u{feff}{}", "a byte order mark (EF BB BF) before the JSON text"),
        (
            r#"{"createdItemsCount":1,"createdItemsCount":2}"#,
            r#"the name "createdItemsCount" twice in the top-level object"#,
        ),
    ] {
        let failure = body_json(&bare(200, body), "V8-SESSION-ID").expect_err(body);
        assert_eq!(only(&failure, "V8-SESSION-ID"), ("(body)", NOT_JSON, actual), "{body:?}");
    }
}

#[test]
fn body_conforms_passes_a_body_of_the_schema_and_lists_every_violation_of_another() {
    assert_eq!(body_conforms(&bare(200, COUNTS), Document::Response, "RESP-200"), Ok(()));
    let message = bare(404, r#"{"message":"Mailbox not found."}"#);
    assert_eq!(body_conforms(&message, Document::Error, "PATH-MAILBOX"), Ok(()));
    let asp_net = bare(401, r#"{"Message":"Authorization has been denied for this request."}"#);
    assert_eq!(body_conforms(&asp_net, Document::ErrorV8, "AUTH-401"), Ok(()));

    let broken = bare(200, r#"{"createdItemsCount":"3","mergedItemsCount":-1,"failedItemsCount":0}"#);
    let failure = body_conforms(&broken, Document::Response, "BODY-COUNTS").expect_err("three violations");
    assert_eq!(ids(&failure), ["BODY-COUNTS"]);
    let mut violations = found(&failure);
    violations.sort();
    assert_eq!(
        violations,
        [
            ("/createdItemsCount", "a JSON integer", r#"a string "3""#),
            ("/mergedItemsCount", "a number not below 0", "-1"),
            ("/skippedItemsCount", "the property to be present", "(absent)"),
        ]
    );
    let array = body_conforms(&bare(200, &format!("[{COUNTS}]")), Document::Response, "BODY-COUNTS").expect_err("[]");
    let (path, expected, actual) = only(&array, "BODY-COUNTS");
    assert_eq!((path, expected), ("(body)", "a JSON object"));
    assert!(actual.starts_with("an array [{"), "{actual}");
}

#[test]
fn body_conforms_fails_an_error_body_without_a_message_and_a_session_id_that_is_no_uuid() {
    let failure = body_conforms(&bare(500, "{}"), Document::ErrorV7, "EXCHANGE-REFUSED").expect_err("no message");
    let shapes = "a value of one of the documented shapes (a RESTExceptionInfo with a string message; \
                  a RESTExceptionInfo with a string Message, as ASP.NET writes it)";
    assert_eq!(only(&failure, "EXCHANGE-REFUSED"), ("(body)", shapes, "{}"));
    let failure = body_conforms(&bare(500, "oops"), Document::Error, "EXCHANGE-REFUSED").expect_err("not JSON");
    assert_eq!(only(&failure, "EXCHANGE-REFUSED").0, "(body)");
    assert_eq!(only(&failure, "EXCHANGE-REFUSED").1, NOT_JSON);

    let good = bare(200, r#"{"sessionId":"0b6fd1c4-54c2-4a0e-8f3e-3c9b2a1d7e55"}"#);
    assert_eq!(body_conforms(&good, Document::ResponseV8, "V8-SESSION-ID"), Ok(()));
    let bad = bare(200, r#"{"sessionId":"session-1"}"#);
    let failure = body_conforms(&bad, Document::ResponseV8, "V8-SESSION-ID").expect_err("no UUID");
    assert_eq!(only(&failure, "V8-SESSION-ID"), ("/sessionId", "a uuid string", r#""session-1""#));
}

#[test]
fn body_conforms_where_keeps_only_the_violations_asked_about() {
    let body = bare(
        200,
        r#"{"createdItemsCount":1,"mergedItemsCount":0,"failedItemsCount":0,"skippedItemsCount":0,"warnings":"none"}"#,
    );
    assert_eq!(body_conforms_where(&body, Document::Response, "BODY-COUNTS", concerns_counts), Ok(()));
    let failure = body_conforms_where(&body, Document::Response, "BODY-VENDOR-PROPERTIES", |v| !concerns_counts(v))
        .expect_err("warnings is no array");
    let expected = "a JSON null or a JSON array";
    assert_eq!(only(&failure, "BODY-VENDOR-PROPERTIES"), ("/warnings", expected, r#"a string "none""#));
}

#[test]
fn a_violation_concerns_the_counts_at_the_body_or_one_of_the_four_counts() {
    let at = |path: &str| Violation { path: path.into(), expected: String::new(), actual: String::new() };
    for path in ["(body)", "/createdItemsCount", "/mergedItemsCount", "/failedItemsCount", "/skippedItemsCount"] {
        assert!(concerns_counts(&at(path)), "{path}");
    }
    for path in ["/exceptions", "/createdItemsCountX", "/items/0/createdItemsCount", "createdItemsCount"] {
        assert!(!concerns_counts(&at(path)), "{path}");
    }
}

#[test]
fn body_counts_passes_four_int64_counts_whatever_the_other_properties() {
    assert_eq!(body_counts(&bare(200, COUNTS)), Ok(()));
    let others_wrong = COUNTS.replace('}', r#","exceptions":"boom","failedFoldersCount":-3}"#);
    assert_eq!(body_counts(&bare(200, &others_wrong)), Ok(()));
    let largest = COUNTS.replace(":3,", ":9223372036854775807,");
    assert_eq!(body_counts(&bare(200, &largest)), Ok(()));
    // `-0` is an int literal of value 0 (RFC 8259 §6); `-0.0` and `0e0` are not integers.
    assert_eq!(body_counts(&bare(200, &COUNTS.replace(":0,", ":-0,"))), Ok(()));
    for not_int in ["-0.0", "0e0", "-0E1"] {
        let failure = body_counts(&bare(200, &COUNTS.replace(":0,", &format!(":{not_int},")))).expect_err(not_int);
        assert_eq!(only(&failure, "BODY-COUNTS").0, "/failedItemsCount", "{not_int}");
    }
}

#[test]
fn body_counts_fails_a_refusal_a_missing_count_and_a_count_beyond_int64_or_with_a_fraction() {
    let refused = body_counts(&bare(500, "")).expect_err("500");
    assert_eq!(only(&refused, "BODY-COUNTS"), ("status", "a successful restore (2xx) to read the answer of", "500"));

    let missing = body_counts(&bare(200, r#"{"createdItemsCount":3,"mergedItemsCount":1,"failedItemsCount":0}"#));
    let missing = missing.expect_err("skipped missing");
    assert_eq!(only(&missing, "BODY-COUNTS"), ("/skippedItemsCount", "the property to be present", "(absent)"));

    let int64 = "a non-negative int64 written without a fraction (at most 9223372036854775807)";
    let fraction = body_counts(&bare(200, &COUNTS.replace(":1,", ":1.0,"))).expect_err("1.0");
    let actual = "a number with a fraction 1.0 where a non-negative integer is required";
    assert_eq!(only(&fraction, "BODY-COUNTS"), ("/mergedItemsCount", int64, actual));
    let beyond = body_counts(&bare(200, &COUNTS.replace(":3,", ":9223372036854775808,"))).expect_err("2^63");
    assert_eq!(only(&beyond, "BODY-COUNTS"), ("/createdItemsCount", int64, "9223372036854775808"));
    let null = body_counts(&bare(200, &COUNTS.replace(":2}", ":null}"))).expect_err("null");
    let (path, expected, actual) = only(&null, "BODY-COUNTS");
    assert_eq!((path, expected, actual), ("/skippedItemsCount", "a JSON integer", "null"));
}

#[test]
fn body_vendor_properties_passes_documented_types_and_fails_others_but_not_the_counts() {
    let documented = COUNTS.replace('}', r#","exceptions":null,"warnings":["w"],"cannotContinueError":null}"#);
    assert_eq!(body_vendor_properties(&bare(200, &documented)), Ok(()));
    assert_eq!(body_vendor_properties(&bare(200, &COUNTS.replace(":3,", r#":"3","#))), Ok(()));
    let failure = body_vendor_properties(&bare(200, &COUNTS.replace('}', r#","exceptions":"boom"}"#)))
        .expect_err("exceptions is a string");
    let expected = "a JSON null or a JSON array";
    assert_eq!(only(&failure, "BODY-VENDOR-PROPERTIES"), ("/exceptions", expected, r#"a string "boom""#));
    let failure = body_vendor_properties(&bare(500, "")).expect_err("500");
    assert_eq!(only(&failure, "BODY-VENDOR-PROPERTIES").0, "status");
}

#[test]
fn statistics_counts_passes_integer_counts_and_leaves_the_mailbox_details_optional() {
    let entry = json!({"itemRestoreDetailsType": "BulkMailbox", "createdMailboxItemsCount": 1, "name": 5});
    assert_eq!(statistics_counts(&bare(200, &statistics([3, 1, 0, 2], vec![entry]).to_string())), Ok(()));
    assert_eq!(statistics_counts(&bare(200, &statistics([0, 0, 0, 0], vec![]).to_string())), Ok(()));
}

#[test]
fn statistics_counts_fails_a_missing_or_negative_count_and_a_fraction() {
    let mut missing = statistics([3, 1, 0, 2], vec![]);
    missing.as_object_mut().expect("object").remove("totalItemsCount");
    let failure = statistics_counts(&bare(200, &missing.to_string())).expect_err("total missing");
    assert_eq!(only(&failure, "BODY-COUNTS"), ("/totalItemsCount", "the property to be present", "(absent)"));

    let entry = json!({"itemRestoreDetailsType": "BulkMailbox", "skippedMailboxItemsCount": -4});
    let negative = statistics([3, 1, 0, 2], vec![entry]);
    let failure = statistics_counts(&bare(200, &negative.to_string())).expect_err("negative");
    let expected = ("/items/0/skippedMailboxItemsCount", "a number not below 0", "-4");
    assert_eq!(only(&failure, "BODY-COUNTS"), expected);

    let fraction =
        statistics([3, 1, 0, 2], vec![]).to_string().replace("\"restoredItemsCount\":1", "\"restoredItemsCount\":1.0");
    let failure = statistics_counts(&bare(200, &fraction)).expect_err("1.0");
    let (path, _, actual) = only(&failure, "BODY-COUNTS");
    assert_eq!(
        (path, actual),
        ("/restoredItemsCount", "a number with a fraction 1.0 where a non-negative integer is required")
    );
    let failure = statistics_counts(&bare(404, "")).expect_err("no statistics");
    assert_eq!(only(&failure, "BODY-COUNTS"), ("status", "a successful restore (2xx) to read the answer of", "404"));
}

#[test]
fn a_coded_body_is_named_by_its_coding_never_shown_as_bytes() {
    let coded = answer(200, &[("content-encoding", "gzip")], "\u{1f}\u{8b}\u{8}binary");
    let told = "the answer is gzip-coded (Content-Encoding: gzip) though the request accepted only identity";
    let failure = body_counts(&coded).expect_err("not read");
    assert_eq!(only(&failure, "BODY-COUNTS"), ("(body)", NOT_JSON, told));
    let refused = answer(500, &[("content-encoding", "gzip")], "\u{1f}\u{8b}\u{8}binary");
    let failure = status(&refused, 200, "RESP-200").expect_err("500");
    assert_eq!(only(&failure, "RESP-200").2, format!("500 with a body not read: {told}"));
    // identity codes nothing: the body is read.
    assert_eq!(body_counts(&answer(200, &[("content-encoding", "identity")], COUNTS)), Ok(()));
}
