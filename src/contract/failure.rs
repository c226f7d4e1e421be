//! A check that did not hold, as data: the requirement it enforces and each violation with its
//! path, the expected and the actual value. It travels to the reports as is; its text (secrets
//! masked) is only for people.

use std::fmt;

use crate::contract::requirements;
use crate::contract::schema::Violation;
use crate::secrets;

/// A check that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The requirement's id; a generic check of a scenario names all its ids, `, `-separated.
    pub requirement: String,
    pub violations: Vec<Violation>,
}

impl Failure {
    /// The ids of the requirements it breaks.
    pub fn requirement_ids(&self) -> Vec<String> {
        self.requirement.split(", ").map(str::to_owned).collect()
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
        write!(f, "{}", requirements::headline(&self.requirement))?;
        for violation in &self.violations {
            write!(f, "\n  {}", secrets::scrub(&violation.to_string()))?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

pub type Outcome = Result<(), Failure>;
