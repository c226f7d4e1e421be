//! A check that did not hold, as data: the requirement it enforces and each violation with its
//! path, the expected and the actual value. It travels to the reports as is; its text (secrets
//! masked) is only for people.

use std::fmt;

use crate::contract::requirements;
use crate::contract::schema::Violation;
use crate::secrets;

/// The ids of the requirements a failure breaks (as features/requirements.toml spells them), in
/// the order named, each once: a check names one; a generic check of a scenario names all of
/// the scenario's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequirementIds(Vec<String>);

impl RequirementIds {
    /// Adds `id` unless it is named already.
    pub fn push(&mut self, id: &str) {
        if !self.contains(id) {
            self.0.push(id.to_owned());
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|named| named == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.0.clone()
    }
}

/// One id.
impl From<&str> for RequirementIds {
    fn from(id: &str) -> Self {
        RequirementIds(vec![id.to_owned()])
    }
}

impl From<&RequirementIds> for RequirementIds {
    fn from(ids: &RequirementIds) -> Self {
        ids.clone()
    }
}

impl<S: AsRef<str>> FromIterator<S> for RequirementIds {
    fn from_iter<I: IntoIterator<Item = S>>(ids: I) -> Self {
        let mut all = RequirementIds::default();
        ids.into_iter().for_each(|id| all.push(id.as_ref()));
        all
    }
}

/// The ids `, `-separated, as people read them.
impl fmt::Display for RequirementIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// A check that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub requirements: RequirementIds,
    pub violations: Vec<Violation>,
}

impl Failure {
    /// A failure of `requirements` with one violation.
    pub fn new(requirements: impl Into<RequirementIds>, violation: Violation) -> Failure {
        Failure { requirements: requirements.into(), violations: vec![violation] }
    }

    /// The ids of the requirements it breaks.
    pub fn requirement_ids(&self) -> Vec<String> {
        self.requirements.to_vec()
    }

    /// What it found, whatever the requirement and the step that checked it: each violation's
    /// path, expected and actual value, redacted. Failures that share it share a cause (a
    /// Content-Length one byte too long fails every scenario that reads an answer).
    pub fn cause(&self) -> String {
        let found: Vec<String> = self.violations.iter().map(|v| secrets::scrub(&v.to_string())).collect();
        found.join("\n")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", requirements::headline(self.requirements.iter()))?;
        for violation in &self.violations {
            write!(f, "\n  {}", secrets::scrub(&violation.to_string()))?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

pub type Outcome = Result<(), Failure>;
