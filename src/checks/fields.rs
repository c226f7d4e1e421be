//! Header field values read by their grammar (RFC 9110), never compared as text: what a value
//! means is what the judge checks, so `000140` is the Content-Length 140, `Application/JSON ;
//! Charset="UTF-8"` is JSON in UTF-8, and a content coding is
//! read by `Answer::coding`.

/// A Content-Length value, `1*DIGIT` (RFC 9110 §8.6): its decimal value (leading zeros count
/// for nothing), or `None` when the value is not that grammar (a sign, a list, a fraction).
/// Digits beyond `u128` are a length no body has: read as `u128::MAX`.
pub fn decimal_length(value: &str) -> Option<u128> {
    let digits = value.trim_matches([' ', '\t']);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u128::MAX))
}

/// A media type (RFC 9110 §8.3.1): `type/subtype` lower-cased (case-insensitive), and its
/// parameters, each name lower-cased and its value as meant (a quoted-string unquoted and
/// unescaped, §5.6.4); OWS around `;` and `=`-less parameters tolerated as recipients do.
#[derive(Debug, PartialEq, Eq)]
pub struct MediaType {
    pub essence: String,
    pub parameters: Vec<(String, String)>,
}

impl MediaType {
    pub fn parse(value: &str) -> MediaType {
        let mut parts = split_outside_quotes(value, b';').into_iter();
        let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let parameters = parts
            .filter_map(|parameter| {
                let (name, value) = parameter.split_once('=')?;
                Some((name.trim().to_ascii_lowercase(), unquote(value.trim())))
            })
            .collect();
        MediaType { essence, parameters }
    }

    /// The value of parameter `name` (lower case), if given.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters.iter().find(|(own, _)| own == name).map(|(_, value)| value.as_str())
    }
}

/// `text` split at each `separator` that is not inside a quoted-string.
fn split_outside_quotes(text: &str, separator: u8) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (index, byte) in text.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            _ if byte == separator && !quoted => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A token as it is, a quoted-string without its quotes and with its quoted-pairs undone.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')) else {
        return value.to_owned();
    };
    let mut unquoted = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        unquoted.push(if c == '\\' { chars.next().unwrap_or(c) } else { c });
    }
    unquoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_length_is_read_as_its_decimal_value() {
        assert_eq!(decimal_length("140"), Some(140));
        assert_eq!(decimal_length("000140"), Some(140));
        assert_eq!(decimal_length(" 0 "), Some(0));
        assert_eq!(decimal_length("99999999999999999999999999999999999999999"), Some(u128::MAX));
        for not_digits in ["", "+140", "-1", "140, 140", "14 0", "1.4e2", "0x8c", "１４０"] {
            assert_eq!(decimal_length(not_digits), None, "{not_digits:?}");
        }
    }

    #[test]
    fn a_media_type_is_read_case_insensitively_with_its_parameters_unquoted() {
        let json = MediaType::parse("Application/JSON ; Charset=\"UTF-8\"");
        assert_eq!(json.essence, "application/json");
        assert_eq!(json.parameter("charset"), Some("UTF-8"));
        let quoted = MediaType::parse(r#"application/json; note="a;b \"c\""; charset=utf-16"#);
        assert_eq!(quoted.parameter("note"), Some(r#"a;b "c""#));
        assert_eq!(quoted.parameter("charset"), Some("utf-16"));
        assert_eq!(MediaType::parse("application/json").parameters, vec![]);
    }
}
