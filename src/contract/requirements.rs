//! The requirements catalogue (`features/requirements.toml`), compiled into the suite so that
//! every failure can name the requirement it breaks in words.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::contract::version::ApiVersion;

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Stated by the vendor page: a failure rejects the server.
    Must,
    /// Inferred from the vendor OpenAPI or real servers: a failure is a warning unless strict.
    Should,
}

impl Level {
    pub fn tag(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Requirement {
    pub id: String,
    pub level: Level,
    pub summary: String,
    pub source: String,
    /// The API versions it applies to; empty means all.
    #[serde(default)]
    pub versions: Vec<ApiVersion>,
}

impl Requirement {
    pub fn applies_to(&self, version: ApiVersion) -> bool {
        self.versions.is_empty() || self.versions.contains(&version)
    }
}

#[derive(Deserialize)]
struct Catalogue {
    requirement: Vec<Requirement>,
}

/// The catalogue's text as compiled into the suite.
pub const SOURCE: &str = include_str!("../../features/requirements.toml");

/// Every requirement, in catalogue order.
pub fn all() -> &'static [Requirement] {
    static ALL: LazyLock<Vec<Requirement>> = LazyLock::new(|| {
        toml::from_str::<Catalogue>(SOURCE)
            .expect("features/requirements.toml is a valid catalogue (checked by the selftests)")
            .requirement
    });
    &ALL
}

pub fn find(id: &str) -> Option<&'static Requirement> {
    all().iter().find(|requirement| requirement.id == id)
}

/// `[ID] summary`, for failure messages; a scenario that checks several requirements (`ids`
/// separated by comma and space) names each on a line of its own.
pub fn headline<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    ids.into_iter()
        .map(|id| match find(id) {
            Some(requirement) => format!("[{id}] {}", requirement.summary),
            None => format!("[{id}]"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
