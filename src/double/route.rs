//! Case-insensitive routing for the double, as real VB365 servers route (`/v6/Token`,
//! `restoresessions/...` and `.../Organization/Mailboxes/...` all reach the same operation).

use wiremock::http::Method;
use wiremock::{Match, Request};

/// A method and a path template whose `{}` segments match any one segment.
#[derive(Clone, Debug)]
pub struct Route {
    method: Method,
    segments: Vec<String>,
}

impl Route {
    pub fn new(method: Method, template: &str) -> Self {
        Route { method, segments: split(template).map(str::to_ascii_lowercase).collect() }
    }

    /// The segments that matched `{}`, in order, when `request` takes this route.
    pub fn captures(&self, request: &Request) -> Option<Vec<String>> {
        if request.method != self.method {
            return None;
        }
        self.path_captures(request)
    }

    /// Whether `request`'s path is this route's, whatever its method.
    pub fn has_path_of(&self, request: &Request) -> bool {
        self.path_captures(request).is_some()
    }

    /// The method this route answers, as the Allow field names it.
    pub fn method_name(&self) -> &'static str {
        if self.method == Method::GET { "GET" } else { "POST" }
    }

    fn path_captures(&self, request: &Request) -> Option<Vec<String>> {
        let path: Vec<&str> = split(request.url.path()).collect();
        if path.len() != self.segments.len() {
            return None;
        }
        let mut captures = Vec::new();
        for (template, actual) in self.segments.iter().zip(path) {
            if template == "{}" {
                captures.push(percent_decode(actual));
            } else if !template.eq_ignore_ascii_case(actual) {
                return None;
            }
        }
        Some(captures)
    }
}

impl Match for Route {
    fn matches(&self, request: &Request) -> bool {
        self.captures(request).is_some()
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

fn percent_decode(segment: &str) -> String {
    form_urlencoded::parse(format!("x={segment}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| segment.to_owned())
}
