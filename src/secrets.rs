//! Secrets never leak: redaction by key and by value.
//!
//! Every secret value the suite learns (passwords, user codes, certificates and their passwords,
//! tokens) is [`register`]ed, together with the encoded forms it may take on the wire or in a
//! report (Base64, URL-encoded, JSON-escaped). [`scrub`] removes all of them from any text, and
//! [`redact_json`] also masks the values of [`SECRET_KEYS`] whatever they hold, so an unknown
//! secret in a known field is hidden too.

use std::collections::HashSet;
use std::sync::{LazyLock, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use regex::Regex;
use serde_json::Value;

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// JSON keys (compared case-insensitively) whose values are always masked.
pub const SECRET_KEYS: &[&str] = &[
    "userPassword",
    "userCode",
    "applicationCertificate",
    "applicationCertificatePassword",
    "password",
    "access_token",
    "refresh_token",
    "assertion",
    "authorization",
];

/// Secret values below this length are not registered: scrubbing "a" out of every message
/// would hide everything and protect nothing.
const MIN_SECRET_LEN: usize = 3;

/// Every secret value the process has seen. The one mutable process-wide value, on purpose: a
/// secret must be masked wherever its text may surface (a panic message, a library's error, any
/// report, the console) whoever holds it, so registration cannot depend on a value being passed.
static REGISTRY: LazyLock<RwLock<Registry>> = LazyLock::new(Default::default);

/// Every registered form of every secret, found by a few automata whose sizes at least double
/// from the newest to the oldest (as in a log-structured merge): a new form is built into a
/// small automaton, merged with those no larger. A run against the double registers hundreds of
/// tokens, one scenario after another, and scrubs between them: rebuilding one automaton of
/// every form each time cost a tenth of the run.
#[derive(Default)]
struct Registry {
    /// The secrets registered (each once: a run registers the same certificate per scenario).
    secrets: HashSet<String>,
    forms: HashSet<String>,
    /// Forms registered since the last scrub, in no automaton yet.
    pending: Vec<String>,
    finders: Vec<Finder>,
    /// A set of forms no automaton could hold: every scrub then masks the whole text.
    unbuildable: bool,
}

struct Finder {
    forms: Vec<String>,
    automaton: aho_corasick::AhoCorasick,
}

impl Registry {
    /// Builds the pending forms into the finders.
    fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut forms = std::mem::take(&mut self.pending);
        while self.finders.last().is_some_and(|last| last.forms.len() <= forms.len()) {
            forms.extend(self.finders.pop().map(|finder| finder.forms).unwrap_or_default());
        }
        // A contiguous NFA: a tenth of a DFA's build time (which cost a run against the double a
        // third of its start), and fast enough to search megabytes.
        let automaton =
            aho_corasick::AhoCorasick::builder().kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA)).build(&forms);
        match automaton {
            Ok(automaton) => self.finders.push(Finder { forms, automaton }),
            Err(_) => self.unbuildable = true,
        }
    }

    /// `text` with every occurrence of every form masked: overlapping occurrences (of one form
    /// or several) are masked together, so no part of a secret is left.
    fn mask(&self, text: &str) -> String {
        if self.unbuildable {
            return MASK.to_owned();
        }
        let mut spans: Vec<(usize, usize)> = self
            .finders
            .iter()
            .flat_map(|finder| finder.automaton.find_overlapping_iter(text).map(|found| (found.start(), found.end())))
            .collect();
        if spans.is_empty() {
            return text.to_owned();
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut spans = spans.into_iter().peekable();
        while let Some((start, mut end)) = spans.next() {
            while let Some(&(next_start, next_end)) = spans.peek() {
                if next_start > end {
                    break;
                }
                end = end.max(next_end);
                spans.next();
            }
            out.push_str(&text[copied..start]);
            out.push_str(MASK);
            copied = end;
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// Registers a secret value and its encoded forms so that [`scrub`] removes them.
pub fn register(secret: &str) {
    if secret.len() < MIN_SECRET_LEN {
        return;
    }
    let known = |registry: &Registry| registry.secrets.contains(secret);
    if known(&REGISTRY.read().unwrap_or_else(|poisoned| poisoned.into_inner())) {
        return;
    }
    let mut forms = vec![
        secret.to_owned(),
        STANDARD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
        form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>(),
        percent_encoded(secret),
        json_escaped(secret),
        json_escaped(&json_escaped(secret)),
        ascii_json_escaped(secret, false),
        ascii_json_escaped(secret, true),
    ];
    forms.retain(|form| form.len() >= MIN_SECRET_LEN);
    let mut registry = REGISTRY.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    if !registry.secrets.insert(secret.to_owned()) {
        return;
    }
    for form in forms {
        if registry.forms.insert(form.clone()) {
            registry.pending.push(form);
        }
    }
}

/// Secret fields in text that is not parsed JSON: JSON members (also escaped inside a string),
/// form fields and bearer tokens. Their values are masked whatever they are, so a secret the
/// suite never learnt (or one too short to scrub by value) is hidden too.
static SECRET_FIELDS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let keys = SECRET_KEYS.join("|");
    vec![
        (Regex::new(&format!(r#"(?i)("(?:{keys})"\s*:\s*)"(?:[^"\\]|\\.)*""#)).expect("regex"), "${1}\"***\""),
        (
            Regex::new(&format!(r#"(?i)(\\"(?:{keys})\\"\s*:\s*)\\"(?:[^"\\]|\\[^"])*\\""#)).expect("regex"),
            "${1}\\\"***\\\"",
        ),
        (Regex::new(r"(?i)\b(password|access_token|refresh_token|assertion)=[^&\s\x22]*").expect("regex"), "${1}=***"),
        (Regex::new(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}").expect("regex"), "${1}***"),
    ]
});

/// Removes every registered secret (in every registered form) and every value of a secret field
/// from `text`.
pub fn scrub(text: &str) -> String {
    let mut clean = text.to_owned();
    for (pattern, replacement) in SECRET_FIELDS.iter() {
        if pattern.is_match(&clean) {
            clean = pattern.replace_all(&clean, *replacement).into_owned();
        }
    }
    {
        let registry = REGISTRY.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        if registry.pending.is_empty() {
            return registry.mask(&clean);
        }
    }
    let mut registry = REGISTRY.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    registry.settle();
    registry.mask(&clean)
}

/// Text that [`scrub`] has been through: what a report may write as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scrubbed(String);

impl Scrubbed {
    pub fn new(text: &str) -> Self {
        Scrubbed(scrub(text))
    }

    /// Parts scrubbed one by one (at once, on several threads), put one after the other. Each
    /// part must hold whole values (a document's whole entries): a secret split across two parts
    /// would be found in neither.
    pub(crate) fn concat(parts: impl IntoIterator<Item = Scrubbed>) -> Self {
        Scrubbed(parts.into_iter().map(|part| part.0).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `text` holds the name of a secret field anywhere (case-insensitively): text that does
/// not needs no masking by key.
pub fn mentions_secret_key(text: &[u8]) -> bool {
    static KEYS: LazyLock<Option<aho_corasick::AhoCorasick>> =
        LazyLock::new(|| aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(SECRET_KEYS).ok());
    KEYS.as_ref().is_none_or(|keys| keys.is_match(text))
}

/// Whether `key` names a field whose value is always a secret.
pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|secret| secret.eq_ignore_ascii_case(key))
}

/// A copy of `value` with the values of secret keys masked and registered secrets scrubbed.
pub fn redact_json(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    let item = if is_secret_key(key) && !item.is_null() {
                        Value::String(MASK.to_owned())
                    } else {
                        redact_json(item)
                    };
                    (scrub(key), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_json).collect()),
        Value::String(text) => Value::String(scrub(text)),
        other => other.clone(),
    }
}

/// A printable, redacted rendering of a body that may or may not be JSON.
pub fn redact_body(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(json) => redact_json(&json).to_string(),
        Err(_) => scrub(&String::from_utf8_lossy(body)),
    }
}

fn percent_encoded(secret: &str) -> String {
    secret
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// JSON escaping as .NET writes it: every non-ASCII character as `\uXXXX`.
fn ascii_json_escaped(secret: &str, upper: bool) -> String {
    json_escaped(secret)
        .encode_utf16()
        .map(|unit| match char::from_u32(u32::from(unit)) {
            Some(c) if c.is_ascii() => c.to_string(),
            _ if upper => format!("\\u{unit:04X}"),
            _ => format!("\\u{unit:04x}"),
        })
        .collect()
}

fn json_escaped(secret: &str) -> String {
    let quoted = Value::String(secret.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scrub_removes_a_registered_secret_in_every_encoded_form() {
        register("s3cret/with+\"odd\" chars");
        for form in [
            "s3cret/with+\"odd\" chars".to_owned(),
            STANDARD.encode("s3cret/with+\"odd\" chars"),
            "s3cret%2Fwith%2B%22odd%22+chars".to_owned(),
            "s3cret/with+\\\"odd\\\" chars".to_owned(),
        ] {
            assert_eq!(scrub(&format!("before {form} after")), "before *** after", "{form}");
        }
    }

    #[test]
    fn redact_json_masks_secret_keys_whatever_their_value() {
        let body = json!({"userName": "jsmith", "USERPASSWORD": "never-registered", "nested": [{"userCode": 7}]});
        assert_eq!(
            redact_json(&body),
            json!({"userName": "jsmith", "USERPASSWORD": "***", "nested": [{"userCode": "***"}]})
        );
    }

    #[test]
    fn non_ascii_secrets_are_removed_as_dotnet_escapes_them() {
        register("pässwörd<1>");
        assert_eq!(scrub(r#"{"message":"p\u00e4ssw\u00f6rd<1>"}"#), r#"{"message":"***"}"#);
        assert_eq!(scrub(r#"p\u00E4ssw\u00F6rd<1>"#), "***");
    }

    #[test]
    fn secret_fields_are_masked_in_text_whatever_their_value() {
        assert_eq!(
            scrub(r#"echo: {"userName":"u","userPassword":"zq"}"#),
            r#"echo: {"userName":"u","userPassword":"***"}"#
        );
        assert_eq!(
            scrub(r#"{"message":"body {\"userCode\": \"AB\"} refused"}"#),
            r#"{"message":"body {\"userCode\": \"***\"} refused"}"#
        );
        assert_eq!(scrub("grant_type=password&username=u&password=zq"), "grant_type=password&username=u&password=***");
        assert_eq!(scrub("Authorization: Bearer abcdefgh12345678"), "Authorization: Bearer ***");
    }

    #[test]
    fn overlapping_secrets_registered_apart_leave_nothing() {
        register("overlap-first-7Qx");
        assert_eq!(scrub("a overlap-first-7Qx b"), "a *** b");
        // Registered after a scrub: in another automaton than the first.
        register("first-7Qx-then-second");
        register("with-overlap-first-7Qx-inside");
        assert_eq!(scrub("a overlap-first-7Qx-then-second b"), "a *** b");
        assert_eq!(scrub("a with-overlap-first-7Qx-inside b"), "a *** b");
    }

    #[test]
    fn short_values_are_not_registered() {
        register("ab");
        assert_eq!(scrub("ab cab"), "ab cab");
    }
}
