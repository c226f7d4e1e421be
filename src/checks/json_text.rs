//! A body read by JSON's rules (RFC 8259), beyond what `serde_json` enforces: no byte order mark
//! before the text (§8.1: "MUST NOT add a byte order mark"), and every name once per object
//! (§4 leaves duplicates' meaning to the reader; I-JSON, RFC 7493 §2.3, forbids them: a server
//! that sends two `createdItemsCount` lets each client pick its own count). Trailing bytes after
//! the one value are refused by `serde_json` itself.

use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// How a body departs from one JSON text, when it parses otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Departure {
    /// The body starts with U+FEFF encoded in UTF-8 (EF BB BF).
    ByteOrderMark,
    /// An object names `name` twice, at the JSON pointer `at`.
    DuplicateName { at: String, name: String },
}

impl fmt::Display for Departure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Departure::ByteOrderMark => f.write_str("a byte order mark (EF BB BF) before the JSON text"),
            Departure::DuplicateName { at, name } => {
                let at = if at.is_empty() { "the top-level object" } else { at };
                write!(f, "the name {name:?} twice in {at}")
            }
        }
    }
}

/// The byte order mark JSON forbids.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The first departure of `body` from one JSON text by RFC 8259's rules, if any. A body that is
/// not JSON at all is `serde_json`'s to report.
pub fn departure(body: &[u8]) -> Option<Departure> {
    if body.starts_with(BOM) {
        return Some(Departure::ByteOrderMark);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    // Dozens of bytes per count: no depth guard beyond serde_json's own recursion limit.
    Names { at: String::new() }.deserialize(&mut deserializer).ok().flatten()
}

/// Walks a value, answering the first duplicate name found under the pointer `at`.
struct Names {
    at: String,
}

impl<'de> DeserializeSeed<'de> for Names {
    type Value = Option<Departure>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Names {
    type Value = Option<Departure>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut seen, mut found) = (HashSet::new(), None);
        while let Some(name) = map.next_key::<String>()? {
            let inner = Names { at: format!("{}/{}", self.at, name.replace('~', "~0").replace('/', "~1")) };
            if found.is_some() {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            found = map.next_value_seed(inner)?;
            if found.is_none() && !seen.insert(name.clone()) {
                found = Some(Departure::DuplicateName { at: self.at.clone(), name });
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (mut index, mut found) = (0usize, None);
        loop {
            let inner = Names { at: format!("{}/{index}", self.at) };
            let item = if found.is_some() {
                seq.next_element::<IgnoredAny>()?.map(|_| None)
            } else {
                seq.next_element_seed(inner)?
            };
            match item {
                None => return Ok(found),
                Some(departure) => found = found.or(departure),
            }
            index += 1;
        }
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_clean_json_text_has_no_departure() {
        for body in [&b"{\"a\":1,\"b\":[{\"a\":2},{\"a\":3}]}"[..], b"[1,2]", b"  {}  ", b"\"\xEF\xBB\xBF\""] {
            assert_eq!(departure(body), None, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn a_byte_order_mark_and_a_name_given_twice_are_departures() {
        assert_eq!(departure(b"\xEF\xBB\xBF{\"a\":1}"), Some(Departure::ByteOrderMark));
        let twice = departure(b"{\"createdItemsCount\":1,\"mergedItemsCount\":0,\"createdItemsCount\":1}");
        assert_eq!(twice, Some(Departure::DuplicateName { at: String::new(), name: "createdItemsCount".into() }));
        let nested = departure(b"{\"items\":[{\"id\":\"x\"},{\"id\":\"y\",\"id\":\"z\"}]}");
        assert_eq!(nested, Some(Departure::DuplicateName { at: "/items/1".into(), name: "id".into() }));
        assert_eq!(nested.map(|d| d.to_string()).as_deref(), Some("the name \"id\" twice in /items/1"));
    }

    #[test]
    fn the_first_duplicate_is_reported_at_an_escaped_pointer() {
        let escaped = departure(b"{\"a/b~c\":{\"x\":1,\"x\":2},\"y\":0,\"y\":1}");
        assert_eq!(escaped, Some(Departure::DuplicateName { at: "/a~1b~0c".into(), name: "x".into() }));
        let top = Departure::DuplicateName { at: String::new(), name: "y".into() };
        assert_eq!(top.to_string(), "the name \"y\" twice in the top-level object");
        assert_eq!(Departure::ByteOrderMark.to_string(), "a byte order mark (EF BB BF) before the JSON text");
    }

    #[test]
    fn what_is_not_json_is_left_to_serde_json() {
        for body in [&b""[..], b"Restore completed.", b"{\"a\":", b"{} {}"] {
            assert_eq!(departure(body), None, "{}", String::from_utf8_lossy(body));
        }
    }
}
