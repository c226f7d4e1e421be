//! The schemas' violations as the checks report them: each keyword's path, expectation (never the
//! value) and actual value (masked, cut), and the descriptions of values the count checks use.

use serde_json::json;

use super::*;

/// Each violation of `schema` by `instance` as (path, expected, actual).
fn violations_of(schema: Value, instance: Value) -> Vec<(String, String, String)> {
    let compiled = Compiled::new(&schema).expect("compiles");
    let mut found: Vec<_> = compiled
        .validator
        .iter_errors(&instance)
        .map(|error| violation(&error, &instance, &compiled.schema))
        .map(|v| (v.path, v.expected, v.actual))
        .collect();
    found.sort();
    found
}

fn one(path: &str, expected: &str, actual: &str) -> Vec<(String, String, String)> {
    vec![(path.to_owned(), expected.to_owned(), actual.to_owned())]
}

#[test]
fn a_schema_that_breaks_the_metaschema_does_not_compile() {
    assert!(Compiled::new(&json!({"type": 5})).is_err());
    assert!(Compiled::new(&json!({"type": "string"})).is_ok());
}

#[test]
fn formats_are_asserted() {
    let uuid = Compiled::new(&json!({"type": "string", "format": "uuid"})).expect("compiles");
    assert!(uuid.errors(&json!("062fd52a-c781-4bac-a2a6-dce34f20bfe8")).is_empty());
    assert_eq!(uuid.errors(&json!("not-a-uuid")).len(), 1);
}

#[test]
fn every_document_compiles_and_passes_a_body_of_its_own() {
    let counts = json!({"createdItemsCount": 1, "mergedItemsCount": 0, "failedItemsCount": 0, "skippedItemsCount": 2});
    let statistics = json!({"totalItemsCount": 3, "restoredItemsCount": 1, "failedItemsCount": 0,
        "skippedItemsCount": 2, "items": [{"itemRestoreDetailsType": "BulkMailbox", "createdMailboxItemsCount": 1}]});
    for (document, body) in [
        (Document::Request, json!({"userCode": "RD7X-29PQ"})),
        (Document::Response, counts),
        (Document::Error, json!({"message": "Restore session not found."})),
        (Document::ErrorV7, json!({"message": "m", "errorCode": null})),
        (Document::ErrorV8, json!({"Message": "m", "errorCode": null, "stackTrace": null})),
        (Document::ResponseV8, json!({"sessionId": "0b6fd1c4-54c2-4a0e-8f3e-3c9b2a1d7e55"})),
        (Document::StatisticsV8, statistics),
    ] {
        assert_eq!(document.violations(&body), [], "{}", document.file_name());
    }
}

#[test]
fn a_missing_property_is_named_by_its_path_and_a_wrong_type_shows_the_values_type() {
    let counts = Document::Response.violations(&json!({"createdItemsCount": 2.5, "mergedItemsCount": true,
        "failedItemsCount": 0, "skippedItemsCount": 0, "failedFoldersCount": "1"}));
    let mut found: Vec<String> = counts.iter().map(Violation::to_string).collect();
    found.sort();
    assert_eq!(
        found,
        [
            "at /createdItemsCount: expected a JSON integer, actual a number with a fraction 2.5",
            "at /failedFoldersCount: expected a JSON null or a JSON integer, actual a string \"1\"",
            "at /mergedItemsCount: expected a JSON integer, actual a boolean true",
        ]
    );
    let missing = Document::StatisticsV8.violations(&json!({"totalItemsCount": 1, "restoredItemsCount": 1,
        "failedItemsCount": 0, "skippedItemsCount": 0, "items": [{"name": "Inbox"}]}));
    let expected = Violation {
        path: "/items/0/itemRestoreDetailsType".into(),
        expected: "the property to be present".into(),
        actual: "(absent)".into(),
    };
    assert_eq!(missing, [expected]);
    let null = Document::Response.violations(&json!(null));
    assert_eq!(null, [Violation { path: "(body)".into(), expected: "a JSON object".into(), actual: "null".into() }]);
}

#[test]
fn a_null_application_id_is_no_application_except_with_a_certificate() {
    // The OpenAPI makes applicationId nullable: a generated client may send null for it.
    for body in [
        json!({"userCode": "RD7X-29PQ", "applicationId": null}),
        json!({"userName": "jsmith", "userPassword": "Hunter2!", "applicationId": null}),
    ] {
        assert_eq!(Document::Request.violations(&body), [], "{body}");
    }
    let certificate = json!({"applicationId": null, "applicationCertificate": "QUJD",
        "applicationCertificatePassword": "p", "impersonationAccountName": "a@b"});
    assert_eq!(Document::Request.violations(&certificate).len(), 1);
    let with_an_application = json!({"userCode": "RD7X-29PQ", "applicationId": "062fd52a-c781-4bac-a2a6-dce34f20bfe8"});
    assert_eq!(Document::Request.violations(&with_an_application).len(), 1);
}

#[test]
fn a_request_body_of_no_one_variant_is_one_violation_with_its_secrets_masked() {
    let mixed = json!({"userName": "jsmith", "userPassword": "Hunter2!", "userCode": "RD7X-29PQ"});
    let found = Document::Request.violations(&mixed);
    assert_eq!(found.len(), 1, "{found:?}");
    let (path, expected) = (found[0].path.as_str(), found[0].expected.as_str());
    assert_eq!(path, "(body)");
    assert_eq!(
        expected,
        "exactly one of the documented shapes, complete and alone (Request Example 1: user name and password; \
         Request Example 2: device code; Request Example 3: application certificate)"
    );
    assert_eq!(found[0].actual, r#"{"userCode":"***","userName":"jsmith","userPassword":"***"}"#);
}

#[test]
fn each_keyword_says_what_it_expected_without_the_value() {
    let schema = |keyword: Value| json!({"properties": {"x": keyword}});
    let cases = [
        (json!({"minimum": 0}), json!(-1), "a number not below 0", "-1"),
        (json!({"maximum": 9}), json!(10), "a number not above 9", "10"),
        (json!({"format": "uuid"}), json!("x"), "a uuid string", "\"x\""),
        (json!({"minLength": 1}), json!(""), "a string of at least 1 characters", "\"\""),
        (json!({"maxLength": 2}), json!("abc"), "a string of at most 2 characters", "\"abc\""),
        (json!({"pattern": "^[A-Z]+$"}), json!("a1"), "a string in the documented encoding (Base64)", "\"a1\""),
        (json!({"enum": ["Stopped", "Working"]}), json!("Done"), "one of \"Stopped\", \"Working\"", "\"Done\""),
        (json!({"const": 7}), json!(8), "exactly 7", "8"),
        (json!(false), json!(1), "nothing here", "1"),
        (
            json!({"anyOf": [{"title": "a name", "type": "string"}, {"title": "a count of 5 or more", "minimum": 5}]}),
            json!(1),
            "a value of one of the documented shapes (a name; a count of 5 or more)",
            "1",
        ),
        // Shapes without a title cannot be named.
        (
            json!({"anyOf": [{"type": "string"}, {"minimum": 5}]}),
            json!(1),
            "a value of one of the documented shapes",
            "1",
        ),
        (
            json!({"type": ["string", "null", "integer"]}),
            json!([]),
            "a JSON null or a JSON integer or a JSON string",
            "an array []",
        ),
        (json!({"type": ["integer", "number"]}), json!("1"), "a JSON number or a JSON integer", "a string \"1\""),
    ];
    for (keyword, value, expected, actual) in cases {
        let found = violations_of(schema(keyword.clone()), json!({ "x": value }));
        assert_eq!(found, one("/x", expected, actual), "{keyword}");
    }
    let closed = json!({"properties": {"a": {}}, "additionalProperties": false});
    assert_eq!(
        violations_of(closed, json!({"a": 1, "b": 2, "c": 3})),
        one("(body)", "no property but the documented ones", "also b, c")
    );
}

#[test]
fn a_value_is_shown_masked_and_cut() {
    assert_eq!(render_value(&json!({"userPassword": "Hunter2!", "n": 1})), r#"{"n":1,"userPassword":"***"}"#);
    let long = json!("y".repeat(250));
    let shown = render_value(&long);
    assert_eq!(shown, format!("\"{}… (252 characters)", "y".repeat(199)));
    assert_eq!(display_path(""), "(body)");
    assert_eq!(display_path("/items/0"), "/items/0");
}

#[test]
fn a_count_is_described_by_what_is_wrong_with_it() {
    assert_eq!(describe_count(None), "(absent)");
    assert_eq!(describe_count(Some(&json!(3))), "3");
    assert_eq!(describe_count(Some(&json!(u64::MAX))), "18446744073709551615");
    let required = " where a non-negative integer is required";
    for (value, what) in [
        (json!(null), format!("null{required}")),
        (json!(-1), format!("a negative number -1{required}")),
        (json!(2.0), format!("a number with a fraction 2.0{required}")),
        (json!("3"), format!("a string \"3\"{required}")),
        (json!(false), format!("a boolean false{required}")),
        (json!([1]), format!("an array [1]{required}")),
        (json!({"n": 1}), format!("an object {{\"n\":1}}{required}")),
    ] {
        assert_eq!(describe_count(Some(&value)), what, "{value}");
    }
}
