//! The JSON Schemas of `schemas/`, compiled once, and their violations as the suite reports them.
//!
//! The schema files are compiled into the binary, so a run never depends on its working
//! directory. Formats (`uuid`) are validated. A violation names the instance path, what the
//! schema expected (in words that never repeat the value) and the actual value, redacted by key
//! and by value. The validator is the jsonschema crate (JSON Schema 2020-12), built without its
//! network and file resolving: a schema's `$ref`s resolve within it.

use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use crate::contract::version::ApiVersion;
use crate::secrets;

/// One of the suite's schemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// `schemas/restore-request.schema.json`: exactly the three documented variants.
    Request,
    /// `schemas/restore-response.schema.json`: the v6 statistics object.
    Response,
    /// `schemas/error.schema.json`: RESTExceptionInfo (v6).
    Error,
    /// `schemas/error-v7.schema.json`: RESTExceptionInfo (v7).
    ErrorV7,
    /// `schemas/error-v8.schema.json`: RESTExceptionInfo (v8).
    ErrorV8,
    /// `schemas/restore-response-v8.schema.json`: RESTAsyncRestoreResponse.
    ResponseV8,
    /// `schemas/restore-statistics-v8.schema.json`: RESTRestoreSessionStatistics.
    StatisticsV8,
}

/// Every document, compiled once.
static COMPILED: LazyLock<Vec<(Document, Compiled)>> = LazyLock::new(|| {
    Document::ALL
        .iter()
        .map(|&document| {
            let compiled = Compiled::new(&document.json())
                .unwrap_or_else(|error| panic!("schemas/{} does not compile: {error}", document.file_name()));
            (document, compiled)
        })
        .collect()
});

impl Document {
    pub const ALL: [Document; 7] = [
        Document::Request,
        Document::Response,
        Document::Error,
        Document::ErrorV7,
        Document::ErrorV8,
        Document::ResponseV8,
        Document::StatisticsV8,
    ];

    /// The error body of `version`.
    pub fn error(version: ApiVersion) -> Document {
        match version {
            ApiVersion::V6 => Document::Error,
            ApiVersion::V7 => Document::ErrorV7,
            ApiVersion::V8 => Document::ErrorV8,
        }
    }

    /// The file under `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Document::Request => "restore-request.schema.json",
            Document::Response => "restore-response.schema.json",
            Document::Error => "error.schema.json",
            Document::ErrorV7 => "error-v7.schema.json",
            Document::ErrorV8 => "error-v8.schema.json",
            Document::ResponseV8 => "restore-response-v8.schema.json",
            Document::StatisticsV8 => "restore-statistics-v8.schema.json",
        }
    }

    /// The schema's text, as compiled into the suite.
    pub fn source(self) -> &'static str {
        match self {
            Document::Request => include_str!("../../schemas/restore-request.schema.json"),
            Document::Response => include_str!("../../schemas/restore-response.schema.json"),
            Document::Error => include_str!("../../schemas/error.schema.json"),
            Document::ErrorV7 => include_str!("../../schemas/error-v7.schema.json"),
            Document::ErrorV8 => include_str!("../../schemas/error-v8.schema.json"),
            Document::ResponseV8 => include_str!("../../schemas/restore-response-v8.schema.json"),
            Document::StatisticsV8 => include_str!("../../schemas/restore-statistics-v8.schema.json"),
        }
    }

    pub fn json(self) -> Value {
        serde_json::from_str(self.source()).expect("the suite's schema files are JSON (checked by the selftests)")
    }

    fn compiled(self) -> &'static Compiled {
        &COMPILED.iter().find(|(document, _)| *document == self).expect("every document is compiled").1
    }

    /// Compiles every document now (a run does it on a thread of its own as it starts: it
    /// takes a twentieth of a run against the double, which its first check would wait for).
    pub fn compile_all() {
        LazyLock::force(&COMPILED);
    }

    /// Every violation of this schema by `instance`; empty when it conforms.
    pub fn violations(self, instance: &Value) -> Vec<Violation> {
        let compiled = self.compiled();
        compiled.validator.iter_errors(instance).map(|error| violation(&error, instance, &compiled.schema)).collect()
    }
}

/// A JSON Schema compiled (2020-12 unless it names its draft; formats asserted; checked against
/// its metaschema as it compiles; nothing fetched: `$ref`s resolve within the schema).
pub struct Compiled {
    validator: jsonschema::Validator,
    /// The schema itself, whose titles name the shapes a oneOf or anyOf expected.
    schema: Value,
}

impl Compiled {
    pub fn new(schema: &Value) -> Result<Compiled, String> {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(schema)
            .map_err(|error| format!("at {}: {}", display_path(error.schema_path().as_str()), error.masked()))?;
        Ok(Compiled { validator, schema: schema.clone() })
    }

    /// Each way `instance` departs from the schema, as "at /path: what was wrong" (for tests
    /// and tools; the suite's own checks use [`Document::violations`]). Values are masked.
    pub fn errors(&self, instance: &Value) -> Vec<String> {
        self.validator
            .iter_errors(instance)
            .map(|error| format!("at {}: {}", display_path(error.instance_path().as_str()), error.masked()))
            .collect()
    }
}

/// The violations one error stands for. jsonschema reports each failed keyword where it
/// failed (a missing property each; a oneOf or anyOf as one, whatever its branches said).
fn violation(error: &ValidationError, instance: &Value, schema: &Value) -> Violation {
    let path = error.instance_path().as_str();
    let actual = || instance.pointer(path).map(render_value).unwrap_or_else(|| "(absent)".into());
    match error.kind() {
        ValidationErrorKind::Required { property } => Violation {
            path: format!("{path}/{}", property.as_str().unwrap_or_default()),
            expected: "the property to be present".into(),
            actual: "(absent)".into(),
        },
        ValidationErrorKind::AdditionalProperties { unexpected } => Violation {
            path: display_path(path),
            expected: "no property but the documented ones".into(),
            actual: format!("also {}", unexpected.join(", ")),
        },
        kind @ ValidationErrorKind::Type { .. } => Violation {
            path: display_path(path),
            expected: expectation(kind),
            actual: instance.pointer(path).map(with_its_type).unwrap_or_else(|| "(absent)".into()),
        },
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::OneOfMultipleValid { .. } => Violation {
            path: display_path(path),
            expected: match shapes(schema, error.schema_path().as_str()) {
                Some(shapes) => format!("exactly one of the documented shapes, complete and alone ({shapes})"),
                None => "exactly one of the documented shapes, complete and alone".into(),
            },
            actual: actual(),
        },
        ValidationErrorKind::AnyOf { .. } => Violation {
            path: display_path(path),
            expected: match shapes(schema, error.schema_path().as_str()) {
                Some(shapes) => format!("a value of one of the documented shapes ({shapes})"),
                None => "a value of one of the documented shapes".into(),
            },
            actual: actual(),
        },
        kind => Violation { path: display_path(path), expected: expectation(kind), actual: actual() },
    }
}

/// What a failed keyword expected, in the suite's words; never the value itself (a secret may be
/// where a schema expected something else).
fn expectation(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::Type { kind } => {
            let mut types: Vec<JsonType> = match kind {
                TypeKind::Single(json_type) => vec![*json_type],
                TypeKind::Multiple(set) => set.iter().collect(),
            };
            // JSON Schema's order (number before integer), whatever the set's bit order.
            types.sort_by_key(|json_type| JSON_TYPE_ORDER.iter().position(|t| t == json_type));
            let types: Vec<String> = types.iter().map(|json_type| format!("a JSON {json_type}")).collect();
            types.join(" or ")
        }
        ValidationErrorKind::Minimum { limit } => format!("a number not below {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("a number not above {limit}"),
        ValidationErrorKind::Format { format } => format!("a {format} string"),
        ValidationErrorKind::MinLength { limit } => format!("a string of at least {limit} characters"),
        ValidationErrorKind::MaxLength { limit } => format!("a string of at most {limit} characters"),
        ValidationErrorKind::Pattern { .. } => "a string in the documented encoding (Base64)".into(),
        ValidationErrorKind::Enum { options } => match options.as_ref() {
            Value::Array(options) => {
                format!("one of {}", options.iter().map(Value::to_string).collect::<Vec<_>>().join(", "))
            }
            other => format!("one of {other}"),
        },
        ValidationErrorKind::Constant { expected_value } => format!("exactly {expected_value}"),
        ValidationErrorKind::FalseSchema => "nothing here".into(),
        _ => "what the schema requires here".into(),
    }
}

/// The titles of the branches of the oneOf or anyOf at `keyword` (a JSON pointer into `schema`),
/// `; `-separated, a branch that is a local `$ref` by its target's title; `None` unless every
/// branch has one.
fn shapes(schema: &Value, keyword: &str) -> Option<String> {
    let title = |branch: &Value| {
        let target = match branch.get("$ref").and_then(Value::as_str) {
            Some(reference) => schema.pointer(reference.strip_prefix('#')?)?,
            None => branch,
        };
        target.get("title").and_then(Value::as_str).map(str::to_owned)
    };
    let titles: Option<Vec<String>> = schema.pointer(keyword)?.as_array()?.iter().map(title).collect();
    titles.filter(|titles| !titles.is_empty()).map(|titles| titles.join("; "))
}

/// The order JSON Schema's metaschema lists the types in, which messages follow.
const JSON_TYPE_ORDER: [JsonType; 7] = [
    JsonType::Null,
    JsonType::Boolean,
    JsonType::Number,
    JsonType::Integer,
    JsonType::String,
    JsonType::Array,
    JsonType::Object,
];

/// One way an instance departs from what is required.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A JSON pointer into the body (`/createdItemsCount`), or a name (`Content-Length`).
    pub path: String,
    pub expected: String,
    pub actual: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: expected {}, actual {}", self.path, self.expected, self.actual)
    }
}

/// The JSON pointer of the whole body reads better as a word.
pub fn display_path(pointer: &str) -> String {
    if pointer.is_empty() { "(body)".to_owned() } else { pointer.to_owned() }
}

/// A value as a failure message shows it: secrets masked, long values cut.
pub fn render_value(value: &Value) -> String {
    const LIMIT: usize = 200;
    let text = secrets::redact_json(value).to_string();
    if text.chars().count() > LIMIT {
        format!("{}… ({} characters)", text.chars().take(LIMIT).collect::<String>(), text.chars().count())
    } else {
        text
    }
}

/// A value with the name of its JSON type, for a type error: `a string "3"`.
fn with_its_type(value: &Value) -> String {
    let kind = match value {
        Value::Null => return "null".into(),
        Value::String(_) => "a string",
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::Number(number) if number.is_i64() || number.is_u64() => "an integer",
        Value::Number(_) => "a number with a fraction",
    };
    format!("{kind} {}", render_value(value))
}

/// A value where a count (a non-negative integer) is required, described so that the failure
/// says what was wrong with it: `a string "3" where a non-negative integer is required`.
pub fn describe_count(value: Option<&Value>) -> String {
    let Some(value) = value else { return "(absent)".into() };
    let what = match value {
        Value::Number(number) if number.is_u64() => return render_value(value),
        Value::Null => return "null where a non-negative integer is required".into(),
        Value::String(_) => "a string",
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::Number(number) if number.is_i64() => "a negative number",
        Value::Number(_) => "a number with a fraction",
    };
    format!("{what} {} where a non-negative integer is required", render_value(value))
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
