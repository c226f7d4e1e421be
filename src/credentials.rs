//! The three Exchange credential variants of the vendor page and the request bodies built from them.
//!
//! Request Example 1: `userName` + `userPassword`; Example 2: `userCode` (device code); Example 3:
//! `applicationId` + `applicationCertificate` + `applicationCertificatePassword` +
//! `impersonationAccountName`. Every secret is held as a [`SecretString`] and registered with
//! [`crate::secrets`] when it is created, so it is scrubbed from anything the suite prints.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::secrets;

/// A credential variant, named as in the feature files' tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Request Example 1.
    Password,
    /// Request Example 2.
    DeviceCode,
    /// Request Example 3.
    Certificate,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Password, Variant::DeviceCode, Variant::Certificate];

    /// The settings that hold this variant's credentials, as a report names them.
    pub fn setting_group(self) -> &'static str {
        match self {
            Variant::Password => "VB365_EXCHANGE_USERNAME, VB365_EXCHANGE_PASSWORD",
            Variant::DeviceCode => "VB365_USER_CODE",
            Variant::Certificate => {
                "VB365_APPLICATION_ID, VB365_APPLICATION_CERTIFICATE, VB365_APPLICATION_CERTIFICATE_PASSWORD, VB365_IMPERSONATION_ACCOUNT"
            }
        }
    }

    /// The scenario tag that marks this variant (without `@`).
    pub fn tag(self) -> &'static str {
        match self {
            Variant::Password => "password",
            Variant::DeviceCode => "device-code",
            Variant::Certificate => "certificate",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Variant::Password => "user name and password",
            Variant::DeviceCode => "device code",
            Variant::Certificate => "application certificate",
        })
    }
}

impl FromStr for Variant {
    type Err = String;

    /// Accepts the phrases the feature files use.
    fn from_str(phrase: &str) -> Result<Self, Self::Err> {
        match phrase {
            "user name and password" | "password" => Ok(Variant::Password),
            "device code" | "device-code" => Ok(Variant::DeviceCode),
            "application certificate" | "certificate" => Ok(Variant::Certificate),
            other => Err(format!("unknown credential variant {other:?}")),
        }
    }
}

/// A value that is a secret from the moment it exists.
pub fn secret(value: impl Into<String>) -> SecretString {
    let value = value.into();
    secrets::register(&value);
    SecretString::from(value)
}

/// Request Example 1.
#[derive(Clone, Debug)]
pub struct PasswordCredentials {
    pub user_name: String,
    pub user_password: SecretString,
}

/// Request Example 2.
#[derive(Clone, Debug)]
pub struct DeviceCodeCredentials {
    pub user_code: SecretString,
}

/// Request Example 3. The certificate is held as the Base64 string the page asks for.
#[derive(Clone, Debug)]
pub struct CertificateCredentials {
    pub application_id: String,
    pub certificate_base64: SecretString,
    pub certificate_password: SecretString,
    pub impersonation_account_name: String,
}

impl CertificateCredentials {
    /// Reads a PKCS#12 (.pfx) file and converts it as the page's "Converting Certificate to
    /// Base64 String" does (`[System.Convert]::ToBase64String` of the file's bytes).
    pub fn from_pfx_file(
        application_id: String,
        pfx_path: &Path,
        certificate_password: SecretString,
        impersonation_account_name: String,
    ) -> Result<Self, String> {
        let bytes = std::fs::read(pfx_path)
            .map_err(|error| format!("cannot read the certificate file {}: {error}", pfx_path.display()))?;
        // A PKCS#12 file is one DER SEQUENCE; anything else (PEM, text, empty) is not one.
        if bytes.first() != Some(&0x30) || bytes.len() < 64 {
            return Err(format!("the certificate file {} is not a PKCS#12 (.pfx) file", pfx_path.display()));
        }
        Ok(Self {
            application_id,
            certificate_base64: secret(STANDARD.encode(bytes)),
            certificate_password,
            impersonation_account_name,
        })
    }
}

/// The Exchange credentials a run has, per variant. A variant without credentials is `None`.
#[derive(Clone, Debug, Default)]
pub struct ExchangeCredentials {
    pub password: Option<PasswordCredentials>,
    pub device_code: Option<DeviceCodeCredentials>,
    pub certificate: Option<CertificateCredentials>,
}

impl ExchangeCredentials {
    pub fn has(&self, variant: Variant) -> bool {
        match variant {
            Variant::Password => self.password.is_some(),
            Variant::DeviceCode => self.device_code.is_some(),
            Variant::Certificate => self.certificate.is_some(),
        }
    }

    /// The request body of the page's Request Example for `variant`, with this run's values.
    pub fn body(&self, variant: Variant) -> Result<Value, String> {
        let missing = || format!("no Exchange credentials configured for the {variant} variant");
        Ok(match variant {
            Variant::Password => {
                let c = self.password.as_ref().ok_or_else(missing)?;
                json!({"userName": c.user_name, "userPassword": c.user_password.expose_secret()})
            }
            Variant::DeviceCode => {
                let c = self.device_code.as_ref().ok_or_else(missing)?;
                json!({"userCode": c.user_code.expose_secret()})
            }
            Variant::Certificate => {
                let c = self.certificate.as_ref().ok_or_else(missing)?;
                json!({
                    "applicationId": c.application_id,
                    "applicationCertificate": c.certificate_base64.expose_secret(),
                    "applicationCertificatePassword": c.certificate_password.expose_secret(),
                    "impersonationAccountName": c.impersonation_account_name,
                })
            }
        })
    }

    /// The body of `variant` with `edit` applied: how the suite builds its deliberately wrong
    /// bodies from real credentials, so the server refuses them for the documented reason.
    pub fn edited_body(
        &self,
        variant: Variant,
        edit: impl FnOnce(&mut serde_json::Map<String, Value>),
    ) -> Result<Value, String> {
        let mut body = self.body(variant)?;
        if let Value::Object(map) = &mut body {
            edit(map);
        }
        Ok(body)
    }
}
