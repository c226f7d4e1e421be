//! The schemas of schemas/: valid 2020-12 schemas, true to the vendor page's examples, and
//! carrying every property of the vendor's own OpenAPI schemas with the same type.

use serde_json::{Value, json};
use vb365_conformance::contract::schema::Document;

use crate::helpers::root;

/// The certificate of the page's Request Example 3, verbatim.
const PAGE_CERTIFICATE: &str = include_str!("page_example_certificate.txt");

fn valid(document: Document, instance: &Value) -> bool {
    document.violations(instance).is_empty()
}

#[test]
fn each_schema_is_a_valid_2020_12_schema() {
    for document in Document::ALL {
        let schema = document.json();
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{}", document.file_name());
        // Compiling checks the schema against the 2020-12 metaschema.
        if let Err(error) = vb365_conformance::contract::schema::Compiled::new(&schema) {
            panic!("schemas/{} is not a valid schema: {error}", document.file_name());
        }
        let on_disk = std::fs::read_to_string(root().join("schemas").join(document.file_name())).expect("schema file");
        assert_eq!(on_disk, document.source(), "the suite compiles schemas/{}", document.file_name());
    }
}

#[test]
fn the_page_request_examples_conform() {
    let examples = [
        json!({"userName": "jsmith@westsupport.onmicrosoft.com", "userPassword": "paSSw0rd"}),
        json!({"userCode": "C6A9DB737"}),
        // Example 3 writes applicationId as <app_id>, which is not JSON: a UUID string stands in.
        json!({
            "applicationId": "00000000-0000-0000-0000-000000000000",
            "applicationCertificate": PAGE_CERTIFICATE.trim(),
            "applicationCertificatePassword": "xxx",
            "impersonationAccountName": "xxx",
        }),
    ];
    for example in examples {
        let violations = Document::Request.violations(&example);
        assert!(violations.is_empty(), "{example}: {violations:?}");
    }
}

#[test]
fn the_page_request_example_3_is_not_json_as_printed() {
    let printed = r#"{"applicationId" : <app_id>, "applicationCertificatePassword": "xxx"}"#;
    assert!(serde_json::from_str::<Value>(printed).is_err());
}

#[test]
fn bodies_that_are_not_exactly_one_variant_do_not_conform() {
    let password = json!({"userName": "jsmith@westsupport.onmicrosoft.com", "userPassword": "paSSw0rd"});
    let certificate = json!({
        "applicationId": "0b6fd1c4-54c2-4a0e-8f3e-3c9b2a1d7e55",
        "applicationCertificate": "MIIKEgIBAzCC",
        "applicationCertificatePassword": "xxx",
        "impersonationAccountName": "admin@westsupport.onmicrosoft.com",
    });
    let with = |base: &Value, key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let without = |base: &Value, key: &str| {
        let mut body = base.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    assert!(valid(Document::Request, &password) && valid(Document::Request, &certificate));
    let bad = [
        json!({}),
        json!([]),
        json!("userName"),
        without(&password, "userPassword"),
        without(&password, "userName"),
        with(&password, "userName", json!(42)),
        with(&password, "userPassword", json!(true)),
        with(&password, "userName", json!("")),
        with(&password, "userCode", json!("C6A9DB737")),
        with(&password, "impersonationAccountName", json!("admin")),
        with(&password, "unknownProperty", json!("x")),
        json!({"userCode": 123456789}),
        json!({"userCode": "C6A9DB737", "impersonationAccountName": "admin"}),
        without(&certificate, "impersonationAccountName"),
        without(&certificate, "applicationId"),
        without(&certificate, "applicationCertificatePassword"),
        with(&certificate, "applicationId", json!("not-a-uuid")),
        with(&certificate, "applicationId", Value::Null),
        with(&certificate, "applicationCertificate", json!("this is not a Base64 string!")),
        with(&certificate, "userName", json!("jsmith")),
    ];
    for body in bad {
        assert!(!valid(Document::Request, &body), "conforms but must not: {body}");
    }
}

#[test]
fn the_page_response_example_conforms_and_broken_counts_do_not() {
    let example = json!({"createdItemsCount": 0, "mergedItemsCount": 0, "failedItemsCount": 0, "skippedItemsCount": 1});
    assert!(valid(Document::Response, &example));
    let with_vendor_properties = json!({
        "failedFoldersCount": null, "exceptions": null, "createdItemsCount": 42, "mergedItemsCount": 0,
        "failedItemsCount": 0, "skippedItemsCount": 493, "cannotContinueError": null, "warnings": [], "newVendorProperty": {}
    });
    assert!(valid(Document::Response, &with_vendor_properties));
    for (count, value) in [
        ("createdItemsCount", json!("0")),
        ("mergedItemsCount", json!(1.5)),
        ("failedItemsCount", json!(-1)),
        ("skippedItemsCount", Value::Null),
    ] {
        let mut body = example.clone();
        body[count] = value;
        let violations = Document::Response.violations(&body);
        assert_eq!(violations.len(), 1, "{body}: {violations:?}");
        assert_eq!(violations[0].path, format!("/{count}"));
    }
    let mut missing = example.clone();
    missing.as_object_mut().unwrap().remove("failedItemsCount");
    assert!(!valid(Document::Response, &missing));
    assert!(!valid(Document::Response, &json!([])));
    assert!(!valid(
        Document::Response,
        &json!({"createdItemsCount": 0, "mergedItemsCount": 0, "failedItemsCount": 0, "skippedItemsCount": 1, "exceptions": "boom"})
    ));
}

#[test]
fn error_bodies_need_a_string_message() {
    assert!(valid(Document::Error, &json!({"message": "Restore session not found."})));
    assert!(valid(Document::Error, &json!({"message": "x", "errorCode": null, "stackTrace": null})));
    // ASP.NET's own errors write Message (see the README's spec notes).
    assert!(valid(Document::Error, &json!({"Message": "No HTTP resource was found that matches the request URI."})));
    for bad in
        [json!({}), json!({"message": 5}), json!({"Message": 5}), json!({"MESSAGE": "x"}), json!("x"), json!(null)]
    {
        assert!(!valid(Document::Error, &bad), "{bad}");
    }
}

/// A vendor OpenAPI schema from the trimmed copy of `version`'s document (origin in its
/// x-origin), and that document.
fn vendor_schema(version: &str, name: &str) -> (Value, Value) {
    let path = root().join(format!("schemas/vendor/vb365_rest_{version}.restore.json"));
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("vendor copy")).expect("vendor JSON");
    (document["components"]["schemas"][name].clone(), document)
}

/// Follows `$ref`s within `document` (OpenAPI `#/components/...` or JSON Schema `#/$defs/...`).
fn resolve<'a>(mut schema: &'a Value, document: &'a Value) -> &'a Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        schema =
            document.pointer(reference.trim_start_matches('#')).unwrap_or_else(|| panic!("unresolved {reference}"));
    }
    schema
}

/// Every definition of property `name` anywhere in `schema` (through oneOf branches and $defs).
fn our_definitions<'a>(name: &str, node: &'a Value, document: &'a Value, found: &mut Vec<&'a Value>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                if let Some(definition) = properties.get(name) {
                    found.push(resolve(definition, document));
                }
            }
            for value in map.values() {
                our_definitions(name, value, document, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| our_definitions(name, item, document, found)),
        _ => {}
    }
}

#[test]
fn every_vendor_property_is_in_our_schemas_with_the_same_type() {
    for (version, vendor_name, ours) in [
        ("v6", "RESTRestoreToOriginalLocation", Document::Request),
        ("v6", "RESTFoldersRestoreStatistics", Document::Response),
        ("v6", "RESTExceptionInfo", Document::Error),
        ("v7", "RESTRestoreToOriginalLocation", Document::Request),
        ("v7", "RESTFoldersRestoreStatistics", Document::Response),
        ("v7", "RESTExceptionInfo", Document::ErrorV7),
        ("v8", "RESTRestoreToOriginalLocation", Document::Request),
        ("v8", "RESTAsyncRestoreResponse", Document::ResponseV8),
        ("v8", "RESTRestoreSessionStatistics", Document::StatisticsV8),
        ("v8", "RESTExceptionInfo", Document::ErrorV8),
    ] {
        let (vendor, vendor_document) = vendor_schema(version, vendor_name);
        let vendor_name = format!("{version} {vendor_name}");
        let our_document = ours.json();
        let properties = vendor["properties"].as_object().unwrap_or_else(|| panic!("{vendor_name} has properties"));
        assert!(!properties.is_empty());
        for (name, definition) in properties {
            let definition = resolve(definition, &vendor_document);
            let vendor_type = definition["type"].as_str().unwrap_or_else(|| panic!("{vendor_name}.{name} has a type"));
            let mut found = Vec::new();
            our_definitions(name, &our_document, &our_document, &mut found);
            assert!(!found.is_empty(), "{vendor_name}.{name} is missing from schemas/{}", ours.file_name());
            for ours_definition in found {
                let types: Vec<&str> = match &ours_definition["type"] {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    other => panic!("{name} in schemas/{} has no type: {other}", ours.file_name()),
                };
                // A property the vendor makes nullable may be null only where a variant has no use
                // for its value (applicationId without a certificate: docs/requirements.md).
                if types == ["null"] && definition["nullable"] == true {
                    continue;
                }
                assert!(types.contains(&vendor_type), "{vendor_name}.{name}: vendor {vendor_type}, ours {types:?}");
                if let Some(format) = definition.get("format").and_then(Value::as_str).filter(|f| *f != "int64") {
                    assert_eq!(
                        ours_definition.get("format").and_then(Value::as_str),
                        Some(format),
                        "{vendor_name}.{name} format"
                    );
                }
                if let Some(items) = definition.get("items") {
                    let ours_items = resolve(&ours_definition["items"], &our_document);
                    assert_eq!(
                        ours_items["type"],
                        resolve(items, &vendor_document)["type"],
                        "{vendor_name}.{name} items"
                    );
                }
            }
        }
    }
}
