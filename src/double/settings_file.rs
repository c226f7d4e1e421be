//! What a live run of the suite against a standalone double needs, written as files: the
//! settings (`VB365_*`) as a file a POSIX shell sources, and the application certificate the
//! double accepts as a .pfx file beside it. An installed suite's acceptance run against the
//! double is then `. ./file && vb365-conformance` (`VB365_API_VERSION` names every version the
//! double serves: `v6`, `v6,v8` or `all`). The values are the double's own (the vendor
//! page's examples and its throwaway certificate), never a user's secret.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use secrecy::ExposeSecret;

use super::start_error::StartError;
use super::{Config, Operator};
use crate::contract::version::versions_name;

/// Where the files go, and how the suite reaches and trusts the double.
pub struct Target<'a> {
    /// The settings file; the .pfx is beside it, with the extension `.pfx`.
    pub path: &'a Path,
    pub base_url: &'a str,
    /// The CA to trust (VB365_CA_CERT); `None` over plain HTTP or with the user's own --cert.
    pub ca_file: Option<&'a Path>,
    /// Plain HTTP: nothing to trust.
    pub http: bool,
}

/// A value as a POSIX shell reads it literally: single-quoted, each `'` written `'\''`.
pub fn shell_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// The .pfx file that goes with the settings file at `path`.
pub fn pfx_path(path: &Path) -> PathBuf {
    path.with_extension("pfx")
}

/// Writes the .pfx, then the settings file (whole, by a rename: a script that waits for it
/// never reads half of it). Answers the .pfx's path.
pub fn write(config: &Config, target: &Target<'_>) -> Result<PathBuf, StartError> {
    let cannot = |path: &Path, source| StartError::Write { path: path.to_owned(), source };
    let pfx = pfx_path(target.path);
    let mut lines = vec![
        format!(
            "# vb365-double at {} (API {}): source this file, then run vb365-conformance",
            target.base_url,
            versions_name(&config.versions)
        ),
        format!("# (e.g. . {} && VB365_STRICT=1 vb365-conformance)", target.path.display()),
    ];
    let mut set = |name: &str, value: &str| lines.push(format!("export {name}={}", shell_quoted(value)));
    set("VB365_BASE_URL", target.base_url);
    set("VB365_API_VERSION", &versions_name(&config.versions));
    match (target.http, target.ca_file) {
        (true, _) => {}
        (false, Some(ca)) => set("VB365_CA_CERT", &ca.display().to_string()),
        (false, None) => {}
    }
    match &config.operator {
        Operator::Password { user_name, password } => {
            set("VB365_USERNAME", user_name);
            set("VB365_PASSWORD", password.expose_secret());
        }
        Operator::Token(token) => set("VB365_TOKEN", token.expose_secret()),
    }
    set("VB365_ORGANIZATION_ID", &config.organization_id);
    set("VB365_MAILBOX", &config.mailbox_email);
    if let Some(password) = &config.exchange.password {
        set("VB365_EXCHANGE_USERNAME", &password.user_name);
        set("VB365_EXCHANGE_PASSWORD", password.user_password.expose_secret());
    }
    if let Some(device_code) = &config.exchange.device_code {
        set("VB365_USER_CODE", device_code.user_code.expose_secret());
    }
    if let Some(certificate) = &config.exchange.certificate {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(certificate.certificate_base64.expose_secret())
            .map_err(|source| StartError::CertificateNotBase64 { source })?;
        std::fs::write(&pfx, bytes).map_err(|error| cannot(&pfx, error))?;
        set("VB365_APPLICATION_ID", &certificate.application_id);
        set("VB365_APPLICATION_CERTIFICATE", &pfx.display().to_string());
        set("VB365_APPLICATION_CERTIFICATE_PASSWORD", certificate.certificate_password.expose_secret());
        set("VB365_IMPERSONATION_ACCOUNT", &certificate.impersonation_account_name);
    }
    // The double holds no real mailbox: restoring it harms nothing.
    set("VB365_ALLOW_RESTORE", "1");
    if !target.http && target.ca_file.is_none() {
        lines.push("# the server certificate is --cert's: set VB365_CA_CERT to its CA (or VB365_INSECURE=1)".into());
    }
    let text = lines.join("\n") + "\n";
    let temporary = target.path.with_extension(format!("{}.tmp", std::process::id()));
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, target.path))
        .map_err(|error| cannot(target.path, error))?;
    Ok(pfx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_so_that_a_shell_reads_them_literally() {
        assert_eq!(shell_quoted("vb365\\operator"), "'vb365\\operator'");
        assert_eq!(shell_quoted("it's $HOME `x`"), "'it'\\''s $HOME `x`'");
    }
}
