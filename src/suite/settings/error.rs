//! Why a setting cannot be used, as data: each kind of problem, with the error underneath when
//! there is one (the URL's parse error, the certificate file's, the double's unknown name, ...).
//! Its `Display` is the one line the user sees, naming the setting and what to change; a cause's
//! words are part of that line (as the user has always read it) and the cause is also its
//! `source()`, for code that asks what went wrong beneath.

use std::error::Error;
use std::fmt;
use std::num::ParseIntError;

use crate::client::ClientError;
use crate::contract::credentials::{CertificateFileError, Variant};
use crate::contract::version::{ApiVersion, UnknownVersion};
use crate::double::UnknownName;

/// What `reqwest::Url::parse` fails with (the url crate's `ParseError`).
pub type UrlError = <reqwest::Url as std::str::FromStr>::Err;

/// A setting that cannot be used, explained in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    /// `VB365_BASE_URL` set to nothing but spaces.
    BaseUrlEmpty,
    BaseUrlNotAUrl {
        source: UrlError,
    },
    /// Not http(s), or without a host.
    BaseUrlNotHttp,
    BaseUrlWithCredentials,
    /// A path, query or fragment after scheme, host and port (`extra`).
    BaseUrlWithPath {
        origin: String,
        extra: String,
    },
    /// Settings that mean something on a live server only, set without `VB365_BASE_URL`.
    LiveOnlyWithoutBaseUrl {
        names: Vec<&'static str>,
    },
    /// One such setting, named on its own.
    LiveOnly {
        name: String,
    },
    /// A setting of the embedded double, set with `VB365_BASE_URL`.
    DoubleOnly {
        name: String,
    },
    NotAFlag {
        name: String,
        value: String,
    },
    UnknownApiVersion {
        source: UnknownVersion,
    },
    /// `VB365_API_VERSION` as a list (`text`) that names something else too.
    UnknownApiVersions {
        text: String,
        problem: String,
    },
    NoApiLogin,
    NoRestoreSession,
    NoMailbox,
    /// Some of a credential variant's settings set, the others (`unset`) not.
    PartialVariant {
        set: Vec<String>,
        unset: Vec<String>,
    },
    ApplicationIdNotUuid {
        value: String,
        source: uuid::Error,
    },
    Certificate {
        source: CertificateFileError,
    },
    /// Not a whole number of seconds above 0 (no parse error: it was 0).
    TimeoutNotSeconds {
        value: String,
        source: Option<ParseIntError>,
    },
    /// A name of `VB365_DOUBLE_FAULT` or `VB365_DOUBLE_VARIATION` that the double does not know.
    UnknownDoubleName {
        source: UnknownName,
    },
    /// A fault or variation (`variable=name`) that applies to none of the versions asked for.
    NotInVersion {
        variable: &'static str,
        name: String,
        applies_to: &'static [ApiVersion],
        versions: Vec<ApiVersion>,
    },
    HttpClient {
        source: ClientError,
    },
    /// A strict run on a live server without these variants' credentials.
    StrictWithoutVariants {
        missing: Vec<Variant>,
    },
    /// A `VB365_` variable that is no setting of the suite; `closest`, the one it likely meant.
    UnknownSetting {
        name: String,
        closest: Option<&'static str>,
    },
}

/// Versions as a sign-off lists them: `v6, v8`.
fn names(versions: &[ApiVersion]) -> String {
    versions.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SettingsError::*;
        match self {
            BaseUrlEmpty => f.write_str(
                "VB365_BASE_URL is set but empty: set it to the server (e.g. https://vbo.example.local:4443), or unset it to run against the embedded double",
            ),
            BaseUrlNotAUrl { source } => write!(f, "VB365_BASE_URL is not a URL ({source})"),
            BaseUrlNotHttp => {
                f.write_str("VB365_BASE_URL must be an http(s) URL with a host, e.g. https://vbo.example.local:4443")
            }
            BaseUrlWithCredentials => {
                f.write_str("VB365_BASE_URL must not hold credentials: use VB365_USERNAME and VB365_PASSWORD")
            }
            BaseUrlWithPath { origin, extra } => write!(
                f,
                "VB365_BASE_URL must give only scheme, host and port ({origin}), not {extra:?}: the suite adds the API version (VB365_API_VERSION) and the path itself"
            ),
            LiveOnlyWithoutBaseUrl { names } => {
                let one = names.len() == 1;
                write!(
                    f,
                    "{} {} set but VB365_BASE_URL is not: {} only on a live server; set VB365_BASE_URL to the server, or unset {} to run against the embedded double",
                    names.join(", "),
                    if one { "is" } else { "are" },
                    if one { "it means something" } else { "they mean something" },
                    if one { "it" } else { "them" },
                )
            }
            LiveOnly { name } => write!(
                f,
                "{name} names something on a live server: set VB365_BASE_URL too, or unset it to use the embedded double"
            ),
            DoubleOnly { name } => write!(f, "{name} applies to the embedded double only: unset VB365_BASE_URL"),
            NotAFlag { name, value } => write!(f, "{name} must be 1, 0, true, false, yes or no, not {value:?}"),
            UnknownApiVersion { source } => write!(f, "{source}"),
            UnknownApiVersions { text, problem } => write!(f, "VB365_API_VERSION={text}: {problem}"),
            NoApiLogin => f.write_str("set VB365_TOKEN, or VB365_USERNAME and VB365_PASSWORD, to sign in to the REST API"),
            NoRestoreSession => f.write_str(
                "set VB365_RESTORE_SESSION_ID, or VB365_ORGANIZATION_ID to let the suite start a restore session",
            ),
            NoMailbox => f.write_str("set VB365_MAILBOX_ID or VB365_MAILBOX to name the mailbox to restore"),
            PartialVariant { set, unset } => {
                write!(f, "{} set but {} unset: set all of them or none", set.join(", "), unset.join(", "))
            }
            ApplicationIdNotUuid { value, .. } => {
                write!(f, "VB365_APPLICATION_ID must be the application's UUID, not {value:?}")
            }
            Certificate { source } => write!(f, "{source}"),
            TimeoutNotSeconds { value, source: None } => {
                write!(f, "VB365_TIMEOUT_SECS must be at least 1 (whole seconds), not {value:?}")
            }
            TimeoutNotSeconds { value, source: Some(_) } => {
                write!(f, "VB365_TIMEOUT_SECS must be a whole number of seconds, not {value:?}")
            }
            UnknownDoubleName { source } => write!(f, "{source}"),
            NotInVersion { variable, name, applies_to, versions } => {
                write!(f, "{variable}={name} applies to {} only, not {}", names(applies_to), names(versions))
            }
            HttpClient { source } => write!(f, "{source}"),
            StrictWithoutVariants { missing } => {
                let unset: Vec<String> = missing
                    .iter()
                    .map(|variant| format!("{} (the {} variant)", variant.setting_group(), variant))
                    .collect();
                write!(
                    f,
                    "a strict run (VB365_STRICT=1) checks every credential variant: set {}, or run without VB365_STRICT to check the variants configured",
                    unset.join(" and ")
                )
            }
            UnknownSetting { name, closest: Some(setting) } => {
                write!(f, "{name} is not a setting of the suite: did you mean {setting}?")
            }
            UnknownSetting { name, closest: None } => write!(
                f,
                "{name} is not a setting of the suite (unset it; vb365-conformance --help lists every setting)"
            ),
        }
    }
}

impl Error for SettingsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        use SettingsError::*;
        match self {
            BaseUrlNotAUrl { source } => Some(source),
            UnknownApiVersion { source } => Some(source),
            ApplicationIdNotUuid { source, .. } => Some(source),
            Certificate { source } => Some(source),
            TimeoutNotSeconds { source, .. } => source.as_ref().map(|source| source as &(dyn Error + 'static)),
            UnknownDoubleName { source } => Some(source),
            HttpClient { source } => Some(source),
            _ => None,
        }
    }
}

/// Every setting that cannot be used, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsErrors(pub Vec<SettingsError>);

impl fmt::Display for SettingsErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(SettingsError::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl Error for SettingsErrors {}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;
    use crate::suite::settings::Settings;

    /// The lines `Settings::from_lookup` gives for these settings, each with its cause's words.
    fn problems(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        let lookup = |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
        let errors = Settings::from_lookup(lookup).expect_err("settings that cannot be used");
        errors.0.iter().map(|error| (error.to_string(), error.source().map(ToString::to_string))).collect()
    }

    fn line(text: &str) -> (String, Option<String>) {
        (text.to_owned(), None)
    }

    #[test]
    fn each_problem_on_the_double_reads_as_it_always_did() {
        let found = problems(&[
            ("VB365_API_VERSION", "v9"),
            ("VB365_STRICT", "maybe"),
            ("VB365_MAILBOX_ID", "m"),
            ("VB365_EXCHANGE_USERNAME", "jsmith"),
            ("VB365_APPLICATION_ID", "app"),
            ("VB365_APPLICATION_CERTIFICATE", "/nowhere/app.pfx"),
            ("VB365_APPLICATION_CERTIFICATE_PASSWORD", "pw"),
            ("VB365_IMPERSONATION_ACCOUNT", "svc"),
            ("VB365_TIMEOUT_SECS", "0"),
            ("VB365_DOUBLE_FAULT", "no-such-fault"),
        ]);
        let version =
            "VB365_API_VERSION=v9 is not a version this suite checks: v6, v7 or v8 (or all, or a list such as v6,v8)";
        assert_eq!(found[0], line("VB365_STRICT must be 1, 0, true, false, yes or no, not \"maybe\""));
        assert_eq!(found[1], (version.to_owned(), Some(version.to_owned())));
        assert_eq!(
            found[2],
            line(
                "VB365_MAILBOX_ID names something on a live server: set VB365_BASE_URL too, or unset it to use the embedded double"
            )
        );
        assert_eq!(
            found[3],
            line("VB365_EXCHANGE_USERNAME set but VB365_EXCHANGE_PASSWORD unset: set all of them or none")
        );
        assert_eq!(found[4].0, "VB365_APPLICATION_ID must be the application's UUID, not \"app\"");
        assert!(found[4].1.as_ref().is_some_and(|uuid| uuid.contains("invalid")), "{found:?}");
        let certificate = "VB365_APPLICATION_CERTIFICATE: cannot read the certificate file /nowhere/app.pfx: ";
        assert!(found[5].0.starts_with(certificate) && found[5].1.as_ref() == Some(&found[5].0), "{found:?}");
        assert_eq!(found[6], line("VB365_TIMEOUT_SECS must be at least 1 (whole seconds), not \"0\""));
        assert!(found[7].0.starts_with("VB365_DOUBLE_FAULT=no-such-fault is not a fault of the double; known: "));
        assert_eq!(found[7].1.as_ref(), Some(&found[7].0));
        assert_eq!(found.len(), 8, "{found:#?}");
    }

    #[test]
    fn each_problem_on_a_live_server_reads_as_it_always_did() {
        let found = problems(&[
            ("VB365_BASE_URL", "https://vbo.example.local:4443"),
            ("VB365_TIMEOUT_SECS", "ten"),
            ("VB365_DOUBLE_VARIATION", "extra-properties"),
        ]);
        let timeout = "VB365_TIMEOUT_SECS must be a whole number of seconds, not \"ten\"";
        assert_eq!(
            found,
            [
                line("set VB365_TOKEN, or VB365_USERNAME and VB365_PASSWORD, to sign in to the REST API"),
                line("set VB365_RESTORE_SESSION_ID, or VB365_ORGANIZATION_ID to let the suite start a restore session"),
                line("set VB365_MAILBOX_ID or VB365_MAILBOX to name the mailbox to restore"),
                (timeout.to_owned(), Some("invalid digit found in string".to_owned())),
                line("VB365_DOUBLE_VARIATION applies to the embedded double only: unset VB365_BASE_URL"),
            ]
        );
    }

    #[test]
    fn a_fault_of_another_version_and_several_live_only_settings_read_as_they_always_did() {
        let fault = crate::double::FAULTS.iter().find(|info| info.fault.versions() == [ApiVersion::V8]);
        let fault = fault.expect("a fault of v8 only");
        let found = problems(&[("VB365_DOUBLE_FAULT", fault.name)]);
        assert_eq!(found, [line(&format!("VB365_DOUBLE_FAULT={} applies to v8 only, not v6", fault.name))]);
        let two = SettingsError::LiveOnlyWithoutBaseUrl { names: vec!["VB365_MAILBOX_ID", "VB365_INSECURE"] };
        assert_eq!(
            two.to_string(),
            "VB365_MAILBOX_ID, VB365_INSECURE are set but VB365_BASE_URL is not: they mean something only on a live server; set VB365_BASE_URL to the server, or unset them to run against the embedded double"
        );
        let one = SettingsError::LiveOnlyWithoutBaseUrl { names: vec!["VB365_INSECURE"] };
        assert!(one.to_string().starts_with("VB365_INSECURE is set but VB365_BASE_URL is not: it means something"));
        let client = ClientError::NoPemCertificate { path: "ca.txt".into() };
        let error = SettingsError::HttpClient { source: client.clone() };
        assert_eq!(error.to_string(), "VB365_CA_CERT: ca.txt holds no PEM certificate");
        assert_eq!(error.source().map(ToString::to_string), Some(client.to_string()));
    }
}
