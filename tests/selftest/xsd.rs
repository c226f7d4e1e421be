//! An in-process XML Schema validator for the subset of XSD that `tests/fixtures/junit-10.xsd`
//! uses, so that `cargo test` needs no system tool (it used xmllint). It reads the schema itself,
//! not a copy of its rules, and refuses any construct it does not implement, so a schema that
//! grows beyond the subset fails loudly instead of being checked weakly.
//!
//! The subset: global `xs:element`s, each either of type `xs:string` or with an anonymous
//! `xs:complexType` (optionally `mixed`) holding an optional `xs:sequence` of `xs:element ref=`
//! particles (`minOccurs`/`maxOccurs`) and `xs:attribute`s of type `xs:string`
//! (`use="required"|"optional"`). Checked as xmllint checks them: well-formedness, the root and
//! every element declared, attributes declared and required ones present, children in sequence
//! order within their occurrence bounds, no text in element-only content, no child element or
//! attribute in a simple-typed element.

use std::collections::HashMap;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

#[derive(Debug)]
struct Particle {
    element: String,
    min: usize,
    max: usize,
}

#[derive(Debug)]
enum Declaration {
    Text,
    Complex { mixed: bool, attributes: Vec<(String, bool)>, sequence: Vec<Particle> },
}

pub struct Schema {
    elements: HashMap<String, Declaration>,
}

fn unsupported(node: roxmltree::Node) -> ! {
    panic!("xsd: unsupported construct <{}> at byte {}", node.tag_name().name(), node.range().start)
}

fn xs_children<'a>(node: roxmltree::Node<'a, 'a>) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> {
    node.children().filter(|child| {
        if child.is_element() && child.tag_name().namespace() != Some(XS) {
            unsupported(*child)
        }
        child.is_element()
    })
}

fn occurs(node: roxmltree::Node, name: &str) -> usize {
    match node.attribute(name) {
        None => 1,
        Some("unbounded") => usize::MAX,
        Some(number) => number.parse().unwrap_or_else(|_| panic!("xsd: {name}={number}")),
    }
}

fn string_type(node: roxmltree::Node) {
    match node.attribute("type") {
        Some("xs:string") | None => {}
        Some(_) => unsupported(node),
    }
}

fn complex(node: roxmltree::Node) -> Declaration {
    let mixed = node.attribute("mixed") == Some("true");
    let (mut attributes, mut sequence) = (Vec::new(), Vec::new());
    for child in xs_children(node) {
        match child.tag_name().name() {
            "attribute" => {
                string_type(child);
                let name = child.attribute("name").unwrap_or_else(|| unsupported(child));
                attributes.push((name.to_owned(), child.attribute("use") == Some("required")));
            }
            "sequence" => {
                for particle in xs_children(child) {
                    let element = match (particle.tag_name().name(), particle.attribute("ref")) {
                        ("element", Some(name)) => name.to_owned(),
                        _ => unsupported(particle),
                    };
                    sequence.push(Particle {
                        element,
                        min: occurs(particle, "minOccurs"),
                        max: occurs(particle, "maxOccurs"),
                    });
                }
            }
            _ => unsupported(child),
        }
    }
    Declaration::Complex { mixed, attributes, sequence }
}

impl Schema {
    pub fn parse(text: &str) -> Schema {
        let document = roxmltree::Document::parse(text).expect("xsd: well-formed XML");
        let root = document.root_element();
        assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(XS), "schema"), "xsd: a schema");
        let mut elements = HashMap::new();
        for element in xs_children(root) {
            if element.tag_name().name() != "element" {
                unsupported(element)
            }
            let name = element.attribute("name").unwrap_or_else(|| unsupported(element)).to_owned();
            let mut types = xs_children(element);
            let declaration = match (element.attribute("type"), types.next()) {
                (Some(_), None) => {
                    string_type(element);
                    Declaration::Text
                }
                (None, Some(kind)) if kind.tag_name().name() == "complexType" => complex(kind),
                _ => unsupported(element),
            };
            if let Some(extra) = types.next() {
                unsupported(extra)
            }
            elements.insert(name, declaration);
        }
        Schema { elements }
    }

    /// Every way `xml` departs from the schema, each with its line; empty when it is valid.
    pub fn errors(&self, xml: &str) -> Vec<String> {
        match roxmltree::Document::parse(xml) {
            Err(error) => vec![format!("not well-formed: {error}")],
            Ok(document) => {
                let mut errors = Vec::new();
                self.check(document.root_element(), &mut errors);
                errors
            }
        }
    }

    fn check(&self, node: roxmltree::Node, errors: &mut Vec<String>) {
        let line = node.document().text_pos_at(node.range().start).row;
        let name = node.tag_name().name();
        let mut fail = |what: String| errors.push(format!("line {line}: element {name}: {what}"));
        if node.tag_name().namespace().is_some() {
            return fail("an element in a namespace the schema does not declare".into());
        }
        let Some(declaration) = self.elements.get(name) else {
            return fail("not declared by the schema".into());
        };
        let children: Vec<roxmltree::Node> = node.children().filter(|child| child.is_element()).collect();
        let text = node.children().filter(|c| c.is_text()).any(|c| !c.text().unwrap_or_default().trim().is_empty());
        match declaration {
            Declaration::Text => {
                if let Some(attribute) = node.attributes().next() {
                    fail(format!("attribute {} is not allowed (a simple type has none)", attribute.name()));
                }
                if !children.is_empty() {
                    fail("a child element where only text is allowed".into());
                }
            }
            Declaration::Complex { mixed, attributes, sequence } => {
                for attribute in node.attributes() {
                    if !attributes.iter().any(|(declared, _)| declared == attribute.name()) {
                        fail(format!("attribute {} is not allowed", attribute.name()));
                    }
                }
                for (declared, _) in attributes.iter().filter(|(_, required)| *required) {
                    if node.attribute(declared.as_str()).is_none() {
                        fail(format!("the required attribute {declared} is missing"));
                    }
                }
                if text && !mixed {
                    fail("text where only elements are allowed".into());
                }
                let mut next = 0;
                for particle in sequence {
                    let mut count = 0;
                    while next < children.len()
                        && count < particle.max
                        && children[next].tag_name().name() == particle.element
                    {
                        (next, count) = (next + 1, count + 1);
                    }
                    if count < particle.min {
                        fail(format!("expected {} (at least {}), found {count}", particle.element, particle.min));
                    }
                }
                if let Some(unexpected) = children.get(next) {
                    fail(format!("the child {} is not expected here", unexpected.tag_name().name()));
                }
            }
        }
        for child in children {
            self.check(child, errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Schema;

    fn junit_schema() -> Schema {
        Schema::parse(
            &std::fs::read_to_string(crate::helpers::root().join("tests/fixtures/junit-10.xsd")).expect("xsd"),
        )
    }

    const VALID: &str = r#"<?xml version="1.0"?><testsuites tests="1"><testsuite name="f" tests="1">
        <testcase name="s" classname="f"><failure message="m" type="T">text</failure><system-out>o</system-out></testcase>
        </testsuite></testsuites>"#;

    #[test]
    fn a_valid_junit_document_has_no_errors() {
        assert_eq!(junit_schema().errors(VALID), Vec::<String>::new());
    }

    /// Each departure a JUnit consumer trips on, one at a time, is found (the check can fail).
    #[test]
    fn each_kind_of_departure_is_an_error() {
        let departures = [
            ("<testsuite name=\"f\" tests=\"1\">", "<testsuite tests=\"1\">", "required attribute name"),
            ("<testcase name=\"s\"", "<testcase colour=\"red\" name=\"s\"", "attribute colour is not allowed"),
            (
                "</testcase>",
                "</testcase><system-out>a</system-out><system-out>b</system-out>",
                "child system-out is not",
            ),
            ("<failure message", "<system-out>x</system-out><failure message", "child failure is not expected"),
            ("<testcase name", "stray text<testcase name", "text where only elements"),
            ("<system-out>o</system-out>", "<system-out><b>o</b></system-out>", "a child element where only text"),
            (
                "<testcase name=\"s\" classname=\"f\">",
                "<testcase name=\"s\" classname=\"f\"><skipped/><skipped/>",
                "skipped is not expected",
            ),
            ("<testsuites tests=\"1\">", "<testsuites tests=\"1\"><unknown/>", "unknown is not expected"),
            ("</testsuites>", "", "not well-formed"),
        ];
        for (from, to, expected) in departures {
            let document = VALID.replacen(from, to, 1);
            assert_ne!(document, VALID, "{from}");
            let errors = junit_schema().errors(&document);
            assert!(errors.iter().any(|error| error.contains(expected)), "{expected}: {errors:?}\n{document}");
        }
        let errors = junit_schema().errors("<report/>");
        assert_eq!(errors, ["line 1: element report: not declared by the schema"]);
    }

    #[test]
    #[should_panic(expected = "unsupported construct <choice>")]
    fn a_construct_outside_the_subset_is_refused_not_ignored() {
        Schema::parse(
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a"><xs:complexType>
               <xs:choice/></xs:complexType></xs:element></xs:schema>"#,
        );
    }
}
