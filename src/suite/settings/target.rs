//! Choosing the target cannot go silently wrong: a set-but-empty `VB365_BASE_URL`, a URL with a
//! path, or a setting that only means something on a live server set without `VB365_BASE_URL`
//! is a setting error that names what to change. Boolean flags are checked here too.

use super::SettingsError;

/// Settings that mean something on a live server only. Set without `VB365_BASE_URL`, they show
/// that the operator meant a live run: running against the double instead would be silently
/// wrong. (The API login, `VB365_TOKEN` or `VB365_USERNAME`/`VB365_PASSWORD`, is not here: the
/// double accepts the login it is given, which the project's own tests use.)
pub const LIVE_ONLY: [(&str, &str); 7] = [
    ("VB365_RESTORE_SESSION_ID", "a restore session on the server"),
    ("VB365_MAILBOX_ID", "a mailbox id on the server"),
    ("VB365_ORGANIZATION_ID", "an organization on the server"),
    ("VB365_CA_CERT", "trust for the server's TLS certificate"),
    ("VB365_INSECURE", "trust for the server's TLS certificate"),
    ("VB365_ALLOW_RESTORE", "permission to change a real mailbox"),
    ("VB365_PROBE_EXCHANGE_PASSWORD", "permission to send the Exchange user a wrong password"),
];

/// Reads `VB365_BASE_URL`: `Ok(None)` when unset (the embedded double), the URL (scheme, host
/// and port) when set, an error when set but empty or not such a URL.
pub fn base_url(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<String>, SettingsError> {
    match lookup("VB365_BASE_URL") {
        None => Ok(None),
        Some(value) if value.trim().is_empty() => Err(SettingsError::BaseUrlEmpty),
        Some(value) => parse_base_url(value.trim()).map(Some),
    }
}

/// With no `VB365_BASE_URL`, no live-only setting may be set: one line names each that is.
pub fn check_live_only(lookup: &impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
    if lookup("VB365_BASE_URL").is_some() {
        return Ok(());
    }
    let names: Vec<&'static str> = LIVE_ONLY
        .iter()
        .filter(|(name, _)| lookup(name).is_some_and(|value| !value.trim().is_empty()))
        .map(|(name, _)| *name)
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    Err(SettingsError::LiveOnlyWithoutBaseUrl { names })
}

/// A boolean flag: 1, true, yes or 0, false, no (any case); unset is false.
pub fn flag(name: &str, value: Option<&str>) -> Result<bool, SettingsError> {
    let Some(value) = value else { return Ok(false) };
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(SettingsError::NotAFlag { name: name.to_owned(), value: value.to_owned() }),
    }
}

/// Scheme, host and port only: the suite adds `/{version}/...` itself.
fn parse_base_url(url: &str) -> Result<String, SettingsError> {
    let parsed = reqwest::Url::parse(url).map_err(|source| SettingsError::BaseUrlNotAUrl { source })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(SettingsError::BaseUrlNotHttp);
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(SettingsError::BaseUrlWithCredentials);
    }
    let origin = parsed.origin().ascii_serialization();
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        let extra = parsed.as_str()[origin.len()..].to_owned();
        return Err(SettingsError::BaseUrlWithPath { origin, extra });
    }
    Ok(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn a_base_url_is_scheme_host_and_port() {
        assert_eq!(base_url(&lookup(&[])), Ok(None));
        let ok = base_url(&lookup(&[("VB365_BASE_URL", "https://vbo.example.local:4443/")]));
        assert_eq!(ok, Ok(Some("https://vbo.example.local:4443".into())));
        for (value, expected) in [
            ("", "set but empty"),
            ("  ", "set but empty"),
            ("https://vbo:4443/v6", "\"/v6\""),
            ("https://vbo:4443/v8/", "\"/v8/\""),
            ("https://vbo:4443/api?x=1", "only scheme, host and port (https://vbo:4443)"),
        ] {
            let pairs: &'static [(&str, &str)] = Box::leak(Box::new([("VB365_BASE_URL", value)]));
            let error = base_url(&lookup(pairs)).expect_err(value).to_string();
            assert!(error.contains(expected), "{value}: {error}");
        }
    }

    #[test]
    fn live_only_settings_without_a_base_url_are_named() {
        let error = check_live_only(&lookup(&[("VB365_INSECURE", "1"), ("VB365_ORGANIZATION_ID", "o")])).unwrap_err();
        assert!(
            error.to_string().starts_with("VB365_ORGANIZATION_ID, VB365_INSECURE are set but VB365_BASE_URL is not")
        );
        assert!(check_live_only(&lookup(&[("VB365_INSECURE", "1"), ("VB365_BASE_URL", "https://x")])).is_ok());
        assert!(check_live_only(&lookup(&[("VB365_TOKEN", "t")])).is_ok());
    }

    #[test]
    fn flags_take_the_usual_words() {
        for (value, expected) in [("1", true), ("YES", true), ("true", true), ("0", false), ("No", false)] {
            assert_eq!(flag("VB365_STRICT", Some(value)), Ok(expected));
        }
        let error = flag("VB365_STRICT", Some("maybe")).unwrap_err().to_string();
        assert_eq!(error, "VB365_STRICT must be 1, 0, true, false, yes or no, not \"maybe\"");
    }

    #[test]
    fn a_base_url_problem_is_typed_and_keeps_the_parse_error_beneath() {
        use std::error::Error as _;
        let error = base_url(&lookup(&[("VB365_BASE_URL", "vbo.example.local")])).expect_err("no scheme");
        let SettingsError::BaseUrlNotAUrl { source } = &error else { panic!("{error:?}") };
        assert_eq!(error.to_string(), format!("VB365_BASE_URL is not a URL ({source})"));
        assert_eq!(error.source().map(ToString::to_string), Some(source.to_string()));
        let error = base_url(&lookup(&[("VB365_BASE_URL", "https://vbo:4443/v6")])).expect_err("a path");
        let expected = SettingsError::BaseUrlWithPath { origin: "https://vbo:4443".into(), extra: "/v6".into() };
        assert_eq!((&error, error.source().is_none()), (&expected, true));
        let error = base_url(&lookup(&[("VB365_BASE_URL", "https://operator:pw@vbo:4443")])).expect_err("user");
        assert_eq!(error, SettingsError::BaseUrlWithCredentials);
        assert_eq!(base_url(&lookup(&[("VB365_BASE_URL", "ftp://vbo")])), Err(SettingsError::BaseUrlNotHttp));
    }
}
