//! What the user configured, read from environment variables (the way CI pipelines configure).
//!
//! With `VB365_BASE_URL` unset the suite runs against the embedded double, and every setting
//! has a default that the double is configured to accept. Every secret is registered for
//! redaction as soon as it is read. Problems are reported as one line each ([`SettingsError`]).

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use crate::contract::credentials::{ExchangeCredentials, secret};
use crate::contract::version::{ApiVersion, versions_named};
use crate::double::{Fault, Variation};

mod error;
mod names;
mod target;
pub use error::{SettingsError, SettingsErrors};
pub use names::SETTINGS;
pub use target::LIVE_ONLY;

/// Where the suite sends its requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The embedded wiremock double, one per scenario.
    Double,
    /// A live server at this base URL (scheme, host and port; no credentials).
    Live(String),
}

/// How the suite gets its bearer token.
#[derive(Clone, Debug)]
pub enum ApiLogin {
    /// `VB365_TOKEN`, used as is.
    Token(SecretString),
    /// `VB365_USERNAME` + `VB365_PASSWORD`, sent to `POST /{version}/token`.
    Password { user_name: String, password: SecretString },
}

/// How the mailbox under test is chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailboxSelector {
    Id(String),
    /// Matched against the e-mail address or the name of the session's mailboxes.
    NameOrEmail(String),
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub target: Target,
    /// The API version checked; with several, the first until [`Settings::for_version`].
    pub api_version: ApiVersion,
    /// Every API version the run checks (`VB365_API_VERSION=all`, or a list): one each, against
    /// the same server, judged together.
    pub api_versions: Vec<ApiVersion>,
    pub insecure: bool,
    pub ca_cert: Option<PathBuf>,
    pub login: ApiLogin,
    pub restore_session_id: Option<String>,
    pub organization_id: Option<String>,
    pub mailbox: MailboxSelector,
    pub allow_restore: bool,
    /// Whether the suite may send the configured Exchange user a wrong password
    /// (`VB365_PROBE_EXCHANGE_PASSWORD`): each counts toward that account's lockout.
    pub probe_exchange_password: bool,
    pub exchange: ExchangeCredentials,
    pub strict: bool,
    pub timeout: Duration,
    pub report_dir: PathBuf,
    /// An earlier run's results.json to compare with (`VB365_BASELINE`).
    pub baseline: Option<PathBuf>,
    /// Known deviations, a TOML file (`VB365_EXPECTATIONS`).
    pub expectations: Option<PathBuf>,
    /// A fault the embedded double shows (`VB365_DOUBLE_FAULT`).
    pub double_fault: Option<Fault>,
    /// A benign variation the embedded double shows (`VB365_DOUBLE_VARIATION`).
    pub double_variation: Option<Variation>,
}

/// The problems found while reading the settings, so far.
#[derive(Default)]
struct Problems(Vec<SettingsError>);

impl Problems {
    /// The value, or `None` with its problem kept.
    fn take<T>(&mut self, result: Result<T, SettingsError>) -> Option<T> {
        result.map_err(|problem| self.0.push(problem)).ok()
    }

    fn push(&mut self, problem: SettingsError) {
        self.0.push(problem);
    }
}

fn unknown_double_name(source: crate::double::UnknownName) -> SettingsError {
    SettingsError::UnknownDoubleName { source }
}

/// The values the embedded double accepts when the user sets nothing.
pub use crate::double::defaults as double_defaults;

mod builds;
mod exchange;

/// Per-request timeout on a live server: v6 restores answer only when the restore has ended.
const LIVE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Per-request timeout against the in-process double.
const DOUBLE_TIMEOUT: Duration = Duration::from_secs(10);

impl Settings {
    /// The settings of the run's part that checks `version`: that version alone, with the
    /// double's fault and variation where they act in it.
    pub fn for_version(&self, version: ApiVersion) -> Settings {
        Settings {
            api_version: version,
            api_versions: vec![version],
            double_fault: self.double_fault.filter(|fault| fault.versions().contains(&version)),
            double_variation: self.double_variation.filter(|variation| variation.versions().contains(&version)),
            ..self.clone()
        }
    }

    /// Reads the process environment, as the suite's runner does: besides what
    /// [`Settings::from_lookup`] checks, a setting that means something on a live server only
    /// ([`LIVE_ONLY`]) set without `VB365_BASE_URL` is an error, so that a run meant for a server
    /// never runs against the double instead, and so is a `VB365_` variable that is not a
    /// setting ([`SETTINGS`]): a misspelled flag never leaves a run less strict than meant.
    /// Every problem is a line of its own.
    pub fn from_env() -> Result<Self, SettingsErrors> {
        let names: Vec<String> = std::env::vars_os().map(|(name, _)| name.to_string_lossy().into_owned()).collect();
        // First: a misspelled name may be why another setting reads as missing.
        let mut problems = names::unknown_settings(names.iter().map(String::as_str));
        match Self::read(|name: &str| std::env::var(name).ok(), true) {
            Ok(settings) if problems.is_empty() => Ok(settings),
            Ok(_) => Err(SettingsErrors(problems)),
            Err(SettingsErrors(found)) => {
                problems.extend(found);
                Err(SettingsErrors(problems))
            }
        }
    }

    /// Reads settings through `lookup` (the environment, or a map in tests). Empty values count
    /// as unset, except `VB365_BASE_URL`: set but empty, it is an error. Every setting is read,
    /// and every problem found, before the first is reported.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsErrors> {
        Self::read(lookup, false)
    }

    /// Reads settings through `lookup`; `every_live_only` names every live-only setting set
    /// without `VB365_BASE_URL` in one line (the runner's), instead of the ids one by one.
    fn read(lookup: impl Fn(&str) -> Option<String>, every_live_only: bool) -> Result<Self, SettingsErrors> {
        // Secrets are used exactly as given; other values are trimmed. Empty means unset.
        let get_exact = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let get = |name: &str| get_exact(name).map(|v| v.trim().to_owned());
        let mut problems = Problems::default();
        if every_live_only {
            problems.take(target::check_live_only(&lookup));
        }
        let mut flag = |name: &str| problems.take(target::flag(name, get(name).as_deref())).unwrap_or_default();
        let (insecure, allow_restore, strict) =
            (flag("VB365_INSECURE"), flag("VB365_ALLOW_RESTORE"), flag("VB365_STRICT"));
        let probe_exchange_password = flag("VB365_PROBE_EXCHANGE_PASSWORD");
        // A VB365_BASE_URL that cannot be used still means a live server, but what a live server
        // needs besides is not asked for: the one problem is the URL.
        let (target, target_known) = match problems.take(target::base_url(&lookup)) {
            Some(None) => (Target::Double, true),
            Some(Some(url)) => (Target::Live(url), true),
            None => (Target::Live(String::new()), false),
        };
        let on_double = target == Target::Double;
        let needed = |problems: &mut Problems, problem: SettingsError| {
            if target_known {
                problems.push(problem);
            }
        };
        let default = |value: &str| on_double.then(|| value.to_owned());
        // Ids of things on a live server mean nothing to a double that makes its own.
        let live_only = |name: &str| match get(name) {
            Some(_) if on_double && every_live_only => Ok(None),
            Some(_) if on_double => Err(SettingsError::LiveOnly { name: name.to_owned() }),
            value => Ok(value),
        };
        let double_only = |name: &str| match get(name) {
            Some(_) if !on_double && target_known => Err(SettingsError::DoubleOnly { name: name.to_owned() }),
            value => Ok(value),
        };

        let api_versions: Vec<ApiVersion> = problems
            .take(get("VB365_API_VERSION").map_or(Ok(vec![ApiVersion::V6]), |text| {
                // One name keeps its own error (with its source); a list or `all` is read whole.
                if text.contains(',') || text.trim().eq_ignore_ascii_case("all") {
                    versions_named(&text).map_err(|problem| SettingsError::UnknownApiVersions { text, problem })
                } else {
                    text.parse().map(|one| vec![one]).map_err(|source| SettingsError::UnknownApiVersion { source })
                }
            }))
            .unwrap_or_else(|| vec![ApiVersion::V6]);
        let api_version = api_versions.first().copied().unwrap_or_default();

        let login = match (get_exact("VB365_TOKEN"), get("VB365_USERNAME"), get_exact("VB365_PASSWORD")) {
            (Some(token), _, _) => ApiLogin::Token(secret(token)),
            (None, user, password) => {
                let user = user.or_else(|| default(double_defaults::API_USER_NAME));
                let password = password.or_else(|| default(double_defaults::API_PASSWORD));
                match (user, password) {
                    (Some(user_name), Some(password)) => ApiLogin::Password { user_name, password: secret(password) },
                    _ => {
                        needed(&mut problems, SettingsError::NoApiLogin);
                        ApiLogin::Token(secret(String::new()))
                    }
                }
            }
        };

        let restore_session_id = problems.take(live_only("VB365_RESTORE_SESSION_ID")).flatten();
        let organization_id = get("VB365_ORGANIZATION_ID").or_else(|| default(double_defaults::ORGANIZATION_ID));
        if restore_session_id.is_none() && organization_id.is_none() && get("VB365_RESTORE_SESSION_ID").is_none() {
            needed(&mut problems, SettingsError::NoRestoreSession);
        }
        let mailbox = match (problems.take(live_only("VB365_MAILBOX_ID")).flatten(), get("VB365_MAILBOX")) {
            (Some(id), _) => MailboxSelector::Id(id),
            (None, Some(name)) => MailboxSelector::NameOrEmail(name),
            (None, None) if on_double => MailboxSelector::NameOrEmail(double_defaults::MAILBOX.into()),
            (None, None) => {
                if get("VB365_MAILBOX_ID").is_none() {
                    needed(&mut problems, SettingsError::NoMailbox);
                }
                MailboxSelector::Id(String::new())
            }
        };

        let exchange = match exchange::exchange_credentials(&get, &get_exact, on_double) {
            Ok(exchange) => {
                if strict && !on_double {
                    problems.take(exchange::every_variant(&exchange));
                }
                exchange
            }
            Err(found) => {
                problems.0.extend(found);
                Default::default()
            }
        };

        let timeout = match get("VB365_TIMEOUT_SECS") {
            None if on_double => DOUBLE_TIMEOUT,
            None => LIVE_TIMEOUT,
            Some(secs) => match secs.parse::<u64>() {
                Ok(whole) if whole > 0 => Duration::from_secs(whole),
                parsed => {
                    problems.push(SettingsError::TimeoutNotSeconds { value: secs, source: parsed.err() });
                    DOUBLE_TIMEOUT
                }
            },
        };

        let double_fault: Option<Fault> = problems
            .take(
                double_only("VB365_DOUBLE_FAULT")
                    .and_then(|name| name.map(|n| n.parse()).transpose().map_err(unknown_double_name)),
            )
            .flatten();
        let double_variation: Option<Variation> = problems
            .take(
                double_only("VB365_DOUBLE_VARIATION")
                    .and_then(|name| name.map(|n| n.parse()).transpose().map_err(unknown_double_name)),
            )
            .flatten();
        // With several versions, a fault or variation acts in those it lists (at least one).
        let not_in_version = |variable, name: String, applies_to| SettingsError::NotInVersion {
            variable,
            name,
            applies_to,
            versions: api_versions.clone(),
        };
        if let Some(fault) = double_fault.filter(|f| !api_versions.iter().any(|v| f.versions().contains(v))) {
            problems.push(not_in_version("VB365_DOUBLE_FAULT", fault.to_string(), fault.versions()));
        }
        if let Some(variation) = double_variation.filter(|v| !api_versions.iter().any(|a| v.versions().contains(a))) {
            problems.push(not_in_version("VB365_DOUBLE_VARIATION", variation.to_string(), variation.versions()));
        }
        if !problems.0.is_empty() {
            return Err(SettingsErrors(problems.0));
        }

        Ok(Settings {
            target,
            api_version,
            api_versions,
            insecure,
            ca_cert: get("VB365_CA_CERT").map(PathBuf::from),
            login,
            restore_session_id,
            organization_id,
            mailbox,
            // The double holds no real mailbox: restoring to it can harm nothing.
            allow_restore: on_double || allow_restore,
            // The double's accounts cannot be locked out.
            probe_exchange_password: on_double || probe_exchange_password,
            exchange,
            strict,
            timeout,
            report_dir: report_dir(&lookup),
            baseline: get("VB365_BASELINE").map(PathBuf::from),
            expectations: get("VB365_EXPECTATIONS").map(PathBuf::from),
            double_fault,
            double_variation,
        })
    }

    /// The settings that were used, by name, for reports: never a secret's value.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        let set = |present: bool| {
            if present { "set".to_owned() } else { "unset".to_owned() }
        };
        let mut lines = vec![
            (
                "target",
                match &self.target {
                    Target::Double => "embedded double (settings not given take the double's defaults)".to_owned(),
                    Target::Live(url) => url.clone(),
                },
            ),
            ("VB365_API_VERSION", self.api_versions.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")),
            (
                "login",
                match &self.login {
                    ApiLogin::Token(_) => "VB365_TOKEN (value hidden)".to_owned(),
                    ApiLogin::Password { user_name, .. } => {
                        format!("VB365_USERNAME={user_name}, VB365_PASSWORD (value hidden)")
                    }
                },
            ),
            ("VB365_INSECURE", set(self.insecure)),
            ("VB365_CA_CERT", self.ca_cert.as_ref().map_or("unset".into(), |path| path.display().to_string())),
            ("VB365_RESTORE_SESSION_ID", self.restore_session_id.clone().unwrap_or_else(|| "unset".into())),
            ("VB365_ORGANIZATION_ID", self.organization_id.clone().unwrap_or_else(|| "unset".into())),
            (
                "mailbox",
                match &self.mailbox {
                    MailboxSelector::Id(id) => format!("VB365_MAILBOX_ID={id}"),
                    MailboxSelector::NameOrEmail(name) => format!("VB365_MAILBOX={name}"),
                },
            ),
            ("VB365_REPORT_DIR", self.report_dir.display().to_string()),
            ("VB365_ALLOW_RESTORE", set(self.allow_restore)),
            ("VB365_PROBE_EXCHANGE_PASSWORD", set(self.probe_exchange_password)),
            ("VB365_STRICT", set(self.strict)),
            ("VB365_TIMEOUT_SECS", self.timeout.as_secs().to_string()),
            ("VB365_BASELINE", self.baseline.as_ref().map_or("unset".into(), |path| path.display().to_string())),
            ("VB365_EXPECTATIONS", self.expectations.as_ref().map_or("unset".into(), |p| p.display().to_string())),
        ];
        for variant in crate::contract::credentials::Variant::ALL {
            let state = if self.exchange.has(variant) { "set" } else { "not set: its scenarios are skipped" };
            lines.push((variant.setting_group(), state.into()));
        }
        if let Some(fault) = self.double_fault {
            lines.push(("VB365_DOUBLE_FAULT", fault.to_string()));
        }
        if let Some(variation) = self.double_variation {
            lines.push(("VB365_DOUBLE_VARIATION", variation.to_string()));
        }
        lines
    }
}

/// The report folder by default: `vb365-conformance-reports` in the working folder.
pub const DEFAULT_REPORT_DIR: &str = "vb365-conformance-reports";

/// The report folder, `VB365_REPORT_DIR` or [`DEFAULT_REPORT_DIR`] in the working folder: known
/// even when other settings are wrong, so that a run that cannot start still says so there.
pub fn report_dir(lookup: &impl Fn(&str) -> Option<String>) -> PathBuf {
    lookup("VB365_REPORT_DIR")
        .map(|dir| dir.trim().to_owned())
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_REPORT_DIR))
}
