//! The Exchange credentials of the restore's three variants (user name and password, device
//! code, application certificate), each fully set, fully unset (its scenarios are skipped; on
//! the double, the double's defaults are used), or a setting error: every variant's problem is
//! a line of its own.

use std::path::Path;

use super::{SettingsError, double_defaults};
use crate::contract::credentials::{
    CertificateCredentials, DeviceCodeCredentials, ExchangeCredentials, PasswordCredentials, Variant, secret,
};

/// A strict run on a live server needs every variant: one not configured skips its scenarios,
/// so the run could only end NOT ACCEPTED (STRICT: INCOMPLETE), after real restores of the
/// others. Said before any request instead.
pub(super) fn every_variant(exchange: &ExchangeCredentials) -> Result<(), SettingsError> {
    let missing: Vec<Variant> = Variant::ALL.into_iter().filter(|variant| !exchange.has(*variant)).collect();
    if missing.is_empty() { Ok(()) } else { Err(SettingsError::StrictWithoutVariants { missing }) }
}

/// The three variants' credentials, or every problem with them.
pub(super) fn exchange_credentials(
    get: &impl Fn(&str) -> Option<String>,
    get_exact: &impl Fn(&str) -> Option<String>,
    on_double: bool,
) -> Result<ExchangeCredentials, Vec<SettingsError>> {
    use double_defaults as d;
    // (variable, default on the double, is a secret)
    let variant = |variables: &[(&str, &str, bool)]| -> Result<Option<Vec<String>>, SettingsError> {
        let given: Vec<Option<String>> =
            variables.iter().map(|(name, _, secret)| if *secret { get_exact(name) } else { get(name) }).collect();
        let set: Vec<&str> =
            variables.iter().zip(&given).filter(|(_, v)| v.is_some()).map(|((n, _, _), _)| *n).collect();
        if set.is_empty() {
            return Ok(on_double.then(|| variables.iter().map(|(_, default, _)| (*default).to_owned()).collect()));
        }
        if set.len() < variables.len() {
            let unset: Vec<&str> = variables.iter().map(|(n, _, _)| *n).filter(|n| !set.contains(n)).collect();
            let names = |names: Vec<&str>| names.into_iter().map(str::to_owned).collect();
            return Err(SettingsError::PartialVariant { set: names(set), unset: names(unset) });
        }
        Ok(Some(given.into_iter().flatten().collect()))
    };

    let mut problems = Vec::new();
    let mut kept = |result: Result<Option<Vec<String>>, SettingsError>| {
        result.unwrap_or_else(|problem| {
            problems.push(problem);
            None
        })
    };
    let password = kept(variant(&[
        ("VB365_EXCHANGE_USERNAME", d::EXCHANGE_USER_NAME, false),
        ("VB365_EXCHANGE_PASSWORD", d::EXCHANGE_PASSWORD, true),
    ]))
    .map(|v| PasswordCredentials { user_name: v[0].clone(), user_password: secret(v[1].clone()) });
    let device_code = kept(variant(&[("VB365_USER_CODE", d::USER_CODE, true)]))
        .map(|v| DeviceCodeCredentials { user_code: secret(v[0].clone()) });
    // Unset on the double: the fixture built into the binary, named by its path in the checkout.
    let built_in_certificate = get("VB365_APPLICATION_CERTIFICATE").is_none();
    let default_certificate = format!("{} (built in)", d::CERTIFICATE_FILE);
    let certificate = kept(variant(&[
        ("VB365_APPLICATION_ID", d::APPLICATION_ID, false),
        ("VB365_APPLICATION_CERTIFICATE", &default_certificate, false),
        ("VB365_APPLICATION_CERTIFICATE_PASSWORD", d::CERTIFICATE_PASSWORD, true),
        ("VB365_IMPERSONATION_ACCOUNT", d::IMPERSONATION_ACCOUNT, false),
    ]))
    .and_then(|v| {
        if let Err(source) = uuid::Uuid::parse_str(&v[0]) {
            problems.push(SettingsError::ApplicationIdNotUuid { value: v[0].clone(), source });
        }
        let certificate_password = secret(v[2].clone());
        let credentials = if built_in_certificate {
            // Every one of the four unset: the built-in file with its own password, which a
            // unit test opens (src/double/config.rs); not opened again here, its MAC check was
            // a thirtieth of a run.
            Ok(CertificateCredentials::built_in(v[0].clone(), certificate_password, v[3].clone()))
        } else {
            CertificateCredentials::from_pfx_file(v[0].clone(), Path::new(&v[1]), certificate_password, v[3].clone())
        };
        credentials.map_err(|source| problems.push(SettingsError::Certificate { source })).ok()
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ExchangeCredentials { password, device_code, certificate })
}
