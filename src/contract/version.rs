//! The API versions the suite checks, and what changes between them for this operation
//! (vendor OpenAPI documents v6, v7, v8; notes in docs/requirements.md's spec notes).
//!
//! - v7: the same request and response as v6; RESTExceptionInfo gains a nullable `errorCode`;
//!   the token request sends `disable_antiforgery_token=true`.
//! - v8: the restore answers 200 with `{"sessionId": uuid}` and runs in the background; its
//!   counts come from `GET /v8/RestoreSessions/{sessionId}/Statistics`. RESTExceptionInfo adds
//!   `stackTrace`. Explore answers 201, Stop 204.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    #[default]
    V6,
    V7,
    V8,
}

impl ApiVersion {
    pub const ALL: [ApiVersion; 3] = [ApiVersion::V6, ApiVersion::V7, ApiVersion::V8];

    /// The path prefix and the scenario tag (without `@`): `v6`.
    pub fn name(self) -> &'static str {
        match self {
            ApiVersion::V6 => "v6",
            ApiVersion::V7 => "v7",
            ApiVersion::V8 => "v8",
        }
    }

    /// Whether the restore answers with its counts (v6, v7) or with the id of a restore session
    /// that runs in the background (v8).
    pub fn restores_in_background(self) -> bool {
        self == ApiVersion::V8
    }

    /// Whether the token request sends `disable_antiforgery_token=true` (v7 and later).
    pub fn disables_antiforgery_token(self) -> bool {
        self != ApiVersion::V6
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ApiVersion {
    type Err = UnknownVersion;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ApiVersion::ALL
            .into_iter()
            .find(|version| version.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownVersion { name: name.to_owned() })
    }
}

/// A name (of `VB365_API_VERSION`) that is none of the versions the suite checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVersion {
    pub name: String,
}

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "VB365_API_VERSION={} is not a version this suite checks: v6, v7 or v8 (or all, or a list such as v6,v8)",
            self.name
        )
    }
}

impl std::error::Error for UnknownVersion {}

/// Whether a scenario with `tags` runs in `version`: untagged scenarios run in every version;
/// scenarios tagged with versions (`@v6 @v7`) only in those.
pub fn scenario_runs_in(tags: &[String], version: ApiVersion) -> bool {
    let tagged: Vec<&String> =
        tags.iter().filter(|tag| ApiVersion::ALL.iter().any(|v| v.name() == tag.as_str())).collect();
    tagged.is_empty() || tagged.iter().any(|tag| tag.as_str() == version.name())
}

/// The versions `text` names: `all` (v6, v7 and v8), one version, or a comma-separated list such as
/// `v6,v8`; answered in order. What is not one of those is an error that says what is; so is a
/// version named twice, most likely a typo for another.
pub fn versions_named(text: &str) -> Result<Vec<ApiVersion>, String> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(ApiVersion::ALL.to_vec());
    }
    let mut named = Vec::new();
    for part in text.split(',').map(str::trim) {
        let version =
            ApiVersion::ALL.into_iter().find(|version| version.name().eq_ignore_ascii_case(part)).ok_or_else(|| {
                format!("'{part}' is not an API version (v6, v7, v8): give one, a list such as v6,v8, or all alone")
            })?;
        named.push(version);
    }
    let mut versions = named.clone();
    versions.sort();
    versions.dedup();
    match named.iter().enumerate().find(|(at, version)| named[..*at].contains(version)) {
        Some((_, &twice)) => Err(named_twice(twice, &versions)),
        None => Ok(versions),
    }
}

/// `twice` named twice in a list of `versions`: what to write instead, the list with each
/// version once, or with a version it lacks in place of the repeat.
fn named_twice(twice: ApiVersion, versions: &[ApiVersion]) -> String {
    let with = |other: ApiVersion| {
        let mut list = versions.to_vec();
        list.push(other);
        list.sort();
        versions_name(&list)
    };
    let others: Vec<String> = ApiVersion::ALL.into_iter().filter(|v| !versions.contains(v)).map(with).collect();
    let once = versions_name(versions);
    if others.is_empty() {
        return format!("{twice} is named twice: write {once}");
    }
    format!(
        "{twice} is named twice: write {once}, or, if one of them was meant to be another version, {}",
        others.join(" or ")
    )
}

/// How `versions` is named back, as [`versions_named`] reads it: `v6`, `v6,v8` or `all`.
pub fn versions_name(versions: &[ApiVersion]) -> String {
    if versions == ApiVersion::ALL {
        return "all".to_owned();
    }
    versions.iter().map(|version| version.name()).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::{ApiVersion, versions_name, versions_named};

    #[test]
    fn a_list_of_versions_reads_all_one_or_several_and_names_them_back() {
        assert_eq!(versions_named("all"), Ok(ApiVersion::ALL.to_vec()));
        assert_eq!(versions_named("V8"), Ok(vec![ApiVersion::V8]));
        assert_eq!(versions_named("v8, v6"), Ok(vec![ApiVersion::V6, ApiVersion::V8]));
        assert_eq!(versions_named("v6,v7,v8").map(|v| versions_name(&v)), Ok("all".to_owned()));
        assert_eq!(versions_name(&[ApiVersion::V6, ApiVersion::V8]), "v6,v8");
        for wrong in ["", "v9", "v6,", "v6;v8", "all,v6"] {
            let error = versions_named(wrong).expect_err(wrong);
            assert!(
                error.contains("is not an API version (v6, v7, v8): give one, a list such as v6,v8, or all alone"),
                "{wrong}: {error}"
            );
        }
    }

    /// A version named twice is most likely a typo for another: an error that says what to write.
    #[test]
    fn a_version_named_twice_is_an_error_that_names_it_and_what_to_write_instead() {
        let error = |text: &str| versions_named(text).expect_err(text);
        assert_eq!(
            error("v6,v6"),
            "v6 is named twice: write v6, or, if one of them was meant to be another version, v6,v7 or v6,v8"
        );
        assert_eq!(
            error("v8, v6,V8"),
            "v8 is named twice: write v6,v8, or, if one of them was meant to be another version, all"
        );
        assert_eq!(error("v6,v7,v8,v7"), "v7 is named twice: write all");
    }
}
