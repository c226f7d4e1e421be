//! The checks on the status line and the header fields, each with answers that pass and answers
//! that fail it.

use super::fixtures::{answer, bare, ids, only};
use super::*;

const REFUSAL: &str = r#"{"message":"Restore session not found."}"#;

#[test]
fn status_passes_the_code_asked_for_only() {
    assert_eq!(status(&bare(200, "{}"), 200, "RESP-200"), Ok(()));
    assert_eq!(status(&bare(404, REFUSAL), 404, "PATH-NOT-FOUND"), Ok(()));
    let refused = status(&bare(404, REFUSAL), 200, "RESP-200").expect_err("404 is not 200");
    let expected_actual = format!("404 with body {REFUSAL}");
    assert_eq!(only(&refused, "RESP-200"), ("status", "200", expected_actual.as_str()));
    let empty = status(&bare(500, ""), 400, "BODY-MALFORMED").expect_err("500 is not 400");
    assert_eq!(only(&empty, "BODY-MALFORMED"), ("status", "400", "500"));
}

#[test]
fn a_status_failure_shows_the_body_cut_and_its_secrets_masked() {
    let long = format!("{{\"message\":\"{}\"}}", "x".repeat(300));
    let failure = status(&bare(500, &long), 200, "RESP-200").expect_err("500");
    let (_, _, actual) = only(&failure, "RESP-200");
    let shown: String = long.chars().take(200).collect();
    assert_eq!(actual, format!("500 with body {shown}…"));

    let echoed = r#"{"message":"refused","userPassword":"Hunter2-echoed-back"}"#;
    let failure = status(&bare(500, echoed), 200, "RESP-200").expect_err("500");
    assert_eq!(only(&failure, "RESP-200").2, r#"500 with body {"message":"refused","userPassword":"***"}"#);

    crate::secrets::register("registered-pw-9Zq7");
    let failure = status(&bare(500, "cannot sign in with registered-pw-9Zq7"), 200, "RESP-200").expect_err("500");
    assert_eq!(only(&failure, "RESP-200").2, "500 with body cannot sign in with ***");
}

#[test]
fn error_status_passes_4xx_and_5xx_only() {
    for code in [400, 401, 404, 500, 599] {
        assert_eq!(error_status(&bare(code, REFUSAL), "PATH-UUID"), Ok(()), "{code}");
    }
    for (code, body, actual) in
        [(200, "{}", "200 with body {}"), (204, "", "204"), (302, "", "302"), (399, "", "399"), (600, "", "600")]
    {
        let failure = error_status(&bare(code, body), "PATH-UUID").expect_err("not an error status");
        assert_eq!(only(&failure, "PATH-UUID"), ("status", "an error status (4xx or 5xx)", actual), "{code}");
    }
}

#[test]
fn succeeded_passes_2xx_only_and_reports_a_refusal_as_it_came() {
    for code in [200, 201, 204, 299] {
        assert_eq!(succeeded(&bare(code, ""), "BODY-COUNTS"), Ok(()), "{code}");
    }
    let expected = "a successful restore (2xx) to read the answer of";
    let refused = succeeded(&bare(500, REFUSAL), "BODY-COUNTS").expect_err("500");
    let actual = format!("500 with body {REFUSAL}");
    assert_eq!(only(&refused, "BODY-COUNTS"), ("status", expected, actual.as_str()));
    let redirect = succeeded(&bare(300, ""), "HDR-CONTENT-LENGTH").expect_err("300");
    assert_eq!(only(&redirect, "HDR-CONTENT-LENGTH"), ("status", expected, "300"));
}

#[test]
fn content_length_passes_one_field_equal_to_the_body_length() {
    let body = "{\"a\":\"é\"}"; // 10 bytes, 9 characters
    assert_eq!(content_length(&answer(200, &[("content-length", "10")], body)), Ok(())); // bytes, not characters
    assert_eq!(content_length(&answer(204, &[("content-length", "0")], "")), Ok(()));
    // By its grammar, 1*DIGIT (RFC 9110 §8.6), not as text.
    assert_eq!(content_length(&answer(200, &[("content-length", "00010")], body)), Ok(()));
    assert_eq!(content_length(&answer(204, &[("content-length", "000")], "")), Ok(()));
    for not_the_length in ["+10", "10, 10", "010.0"] {
        let failure =
            content_length(&answer(200, &[("content-length", not_the_length)], body)).expect_err("not 1*DIGIT");
        assert_eq!(only(&failure, "HDR-CONTENT-LENGTH").2, not_the_length);
    }

    let wrong = content_length(&answer(200, &[("content-length", "9")], body)).expect_err("9 is not 10");
    let expected = "10 (the body's length in bytes)";
    assert_eq!(only(&wrong, "HDR-CONTENT-LENGTH"), ("Content-Length", expected, "9"));

    let absent = content_length(&answer(200, &[], body)).expect_err("absent");
    let expected = "a header equal to the body's length, 10";
    assert_eq!(only(&absent, "HDR-CONTENT-LENGTH"), ("Content-Length", expected, "(absent)"));
    let chunked = content_length(&answer(200, &[("transfer-encoding", "chunked")], body)).expect_err("chunked");
    assert_eq!(only(&chunked, "HDR-CONTENT-LENGTH"), ("Content-Length", expected, "(absent)"));
}

#[test]
fn content_length_fails_a_repeated_field_and_one_beside_transfer_encoding() {
    let body = "{}";
    let twice = answer(200, &[("content-length", "2"), ("content-length", "2")], body);
    let failure = content_length(&twice).expect_err("two fields, even agreeing");
    let expected = "one header field (RFC 9110 §5.3)";
    assert_eq!(only(&failure, "HDR-CONTENT-LENGTH"), ("Content-Length", expected, "2 fields: 2 | 2"));

    let both = answer(200, &[("content-length", "2"), ("transfer-encoding", "chunked")], body);
    let failure = content_length(&both).expect_err("both framings");
    assert_eq!(
        only(&failure, "HDR-CONTENT-LENGTH"),
        (
            "Transfer-Encoding",
            "no Transfer-Encoding beside Content-Length (RFC 9112 §6.2)",
            "Transfer-Encoding: chunked with Content-Length: 2"
        )
    );
}

#[test]
fn a_body_cut_short_fails_content_length_with_both_lengths() {
    let failure = body_length(&BodyLength { status: 200, declared: 120, received: 64 });
    assert_eq!(
        only(&failure, "HDR-CONTENT-LENGTH"),
        (
            "Content-Length",
            "120 bytes of body, as Content-Length declared",
            "64 bytes, then the connection closed (status 200)"
        )
    );
}

#[test]
fn a_media_type_is_read_without_its_parameters_in_lower_case() {
    assert_eq!(media_type("Application/JSON; charset=utf-8"), "application/json");
    assert_eq!(media_type(" text/plain "), "text/plain");
    assert_eq!(media_type(""), "");
}

#[test]
fn content_type_present_passes_any_type_but_octet_stream() {
    for value in ["application/json; charset=utf-8", "text/plain"] {
        assert_eq!(content_type_present(&answer(200, &[("content-type", value)], "{}")), Ok(()), "{value}");
    }
    let expected = "a media type other than application/octet-stream";
    for value in ["application/octet-stream", "Application/Octet-Stream; q=1"] {
        let failure = content_type_present(&answer(200, &[("content-type", value)], "{}")).expect_err(value);
        assert_eq!(only(&failure, "HDR-CONTENT-TYPE"), ("Content-Type", expected, value));
    }
    let absent = content_type_present(&bare(200, "{}")).expect_err("absent");
    assert_eq!(only(&absent, "HDR-CONTENT-TYPE"), ("Content-Type", expected, "(absent)"));
    let twice = answer(200, &[("content-type", "application/json"), ("content-type", "text/plain")], "{}");
    let failure = content_type_present(&twice).expect_err("two fields");
    assert_eq!(ids(&failure), ["HDR-CONTENT-TYPE"]);
    assert_eq!(failure.violations[0].actual, "2 fields: application/json | text/plain");
}

#[test]
fn content_type_json_passes_json_in_utf_8_only() {
    for value in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;charset=\"UTF-8\"",
        "application/json; v=1",
    ] {
        assert_eq!(content_type_json(&answer(200, &[("content-type", value)], "{}")), Ok(()), "{value}");
    }
    let other_charset = "application/json; charset=iso-8859-1";
    let failure = content_type_json(&answer(200, &[("content-type", other_charset)], "{}")).expect_err("latin-1");
    let expected = "application/json, in UTF-8 (no charset, or charset=utf-8)";
    assert_eq!(only(&failure, "HDR-CONTENT-TYPE-JSON"), ("Content-Type", expected, other_charset));
    for value in ["text/plain; charset=utf-8", "application/problem+json"] {
        let failure = content_type_json(&answer(200, &[("content-type", value)], "{}")).expect_err(value);
        assert_eq!(only(&failure, "HDR-CONTENT-TYPE-JSON"), ("Content-Type", "application/json", value));
    }
    let absent = content_type_json(&bare(200, "{}")).expect_err("absent");
    assert_eq!(only(&absent, "HDR-CONTENT-TYPE-JSON"), ("Content-Type", "application/json", "(absent)"));
    let twice = answer(200, &[("content-type", "application/json"), ("content-type", "application/json")], "{}");
    let failure = content_type_json(&twice).expect_err("two fields");
    let expected = "one header field (RFC 9110 §5.3)";
    let actual = "2 fields: application/json | application/json";
    assert_eq!(only(&failure, "HDR-CONTENT-TYPE-JSON"), ("Content-Type", expected, actual));
}
