//! Every environment variable the suite reads, in one table. Any other `VB365_` variable is a
//! misspelling (`VB365_STIRCT`) that would otherwise be ignored without a word, leaving a run
//! that the operator believes strict, or allowed to restore, as neither: it is a setting error
//! naming the closest setting. (tests/selftest/setting_names.rs holds this table to every
//! `VB365_` name in the sources.)

use super::SettingsError;

/// Every setting of the suite, of the embedded double and of the runner, by its variable.
pub const SETTINGS: [&str; 28] = [
    "VB365_BASE_URL",
    "VB365_API_VERSION",
    "VB365_INSECURE",
    "VB365_CA_CERT",
    "VB365_TOKEN",
    "VB365_USERNAME",
    "VB365_PASSWORD",
    "VB365_RESTORE_SESSION_ID",
    "VB365_ORGANIZATION_ID",
    "VB365_MAILBOX_ID",
    "VB365_MAILBOX",
    "VB365_ALLOW_RESTORE",
    "VB365_PROBE_EXCHANGE_PASSWORD",
    "VB365_EXCHANGE_USERNAME",
    "VB365_EXCHANGE_PASSWORD",
    "VB365_USER_CODE",
    "VB365_APPLICATION_ID",
    "VB365_APPLICATION_CERTIFICATE",
    "VB365_APPLICATION_CERTIFICATE_PASSWORD",
    "VB365_IMPERSONATION_ACCOUNT",
    "VB365_STRICT",
    "VB365_TIMEOUT_SECS",
    "VB365_REPORT_DIR",
    "VB365_FEATURES_DIR",
    "VB365_DOUBLE_FAULT",
    "VB365_DOUBLE_VARIATION",
    "VB365_BASELINE",
    "VB365_EXPECTATIONS",
];

/// The prefix of the suite's variables: a variable with it is a setting, or a mistake.
pub const PREFIX: &str = "VB365_";

/// A setting error for each of `names` that starts with [`PREFIX`] (in any case) but is not a
/// setting, in the order given.
pub fn unknown_settings<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<SettingsError> {
    names
        .into_iter()
        // Any case: a variable named in lower case is a slip too (and the same one on Windows).
        .filter(|name| name.to_ascii_uppercase().starts_with(PREFIX) && !SETTINGS.contains(name))
        .map(|name| SettingsError::UnknownSetting { name: name.to_owned(), closest: closest(name) })
        .collect()
}

/// The setting `name` most likely meant: the nearest by edit distance (a transposition counts
/// as one edit), in any case, when it is at most a third of the name away.
fn closest(name: &str) -> Option<&'static str> {
    let wanted = name.to_ascii_uppercase();
    let (distance, setting) = SETTINGS
        .iter()
        .map(|setting| (strsim::damerau_levenshtein(&wanted, setting), *setting))
        .min_by_key(|(distance, _)| *distance)?;
    let suffix = wanted.len().saturating_sub(PREFIX.len()).max(1);
    (distance <= suffix.div_ceil(3)).then_some(setting)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(names: &[&str]) -> Vec<String> {
        unknown_settings(names.iter().copied()).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_misspelled_setting_names_the_one_meant() {
        assert_eq!(
            lines(&["VB365_STIRCT", "VB365_ALOW_RESTORE", "vb365_strict", "VB365_EXCHANGE_USER"]),
            [
                "VB365_STIRCT is not a setting of the suite: did you mean VB365_STRICT?",
                "VB365_ALOW_RESTORE is not a setting of the suite: did you mean VB365_ALLOW_RESTORE?",
                "vb365_strict is not a setting of the suite: did you mean VB365_STRICT?",
                "VB365_EXCHANGE_USER is not a setting of the suite: did you mean VB365_EXCHANGE_USERNAME?",
            ]
        );
    }

    #[test]
    fn a_name_near_no_setting_is_named_alone_and_other_variables_are_not_the_suites() {
        assert_eq!(
            lines(&["VB365_COLOUR_SCHEME", "PATH", "VB365", "CUCUMBER_VB365_STRICT"]),
            [
                "VB365_COLOUR_SCHEME is not a setting of the suite (unset it; vb365-conformance --help lists every setting)"
            ]
        );
        assert!(lines(&SETTINGS).is_empty());
    }
}
