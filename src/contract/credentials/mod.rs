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

mod pfx;

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

/// Why a .pfx file cannot be used, found before any request is sent. Never holds the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertificateFileError {
    Unreadable {
        path: String,
        error: String,
    },
    NotPkcs12 {
        path: String,
        detail: String,
    },
    /// The password does not open the file (its integrity check fails).
    WrongPassword {
        path: String,
    },
    /// The file opens but holds no private key: no application can sign in with it.
    NoPrivateKey {
        path: String,
    },
}

impl fmt::Display for CertificateFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable { path, error } => {
                write!(f, "VB365_APPLICATION_CERTIFICATE: cannot read the certificate file {path}: {error}")
            }
            Self::NotPkcs12 { path, detail } => write!(
                f,
                "VB365_APPLICATION_CERTIFICATE: the certificate file {path} is not a PKCS#12 (.pfx) file ({detail})"
            ),
            Self::WrongPassword { path } => write!(
                f,
                "VB365_APPLICATION_CERTIFICATE_PASSWORD does not open the certificate file {path} (VB365_APPLICATION_CERTIFICATE): give the password the .pfx was exported with"
            ),
            Self::NoPrivateKey { path } => write!(
                f,
                "VB365_APPLICATION_CERTIFICATE: the certificate file {path} holds no private key: export the certificate with its private key"
            ),
        }
    }
}

impl std::error::Error for CertificateFileError {}

/// Opens a PKCS#12 file with its password as far as it can without decrypting it (see
/// [`pfx`]): the password must pass the file's integrity check, and a private key must be in it.
pub fn check_pfx(bytes: &[u8], password: &SecretString, path: &Path) -> Result<(), CertificateFileError> {
    let path = path.display().to_string();
    match pfx::open(bytes, password.expose_secret()) {
        pfx::Opened::Fine => Ok(()),
        pfx::Opened::WrongPassword => Err(CertificateFileError::WrongPassword { path }),
        pfx::Opened::NoPrivateKey => Err(CertificateFileError::NoPrivateKey { path }),
        pfx::Opened::NotPkcs12(detail) => Err(CertificateFileError::NotPkcs12 { path, detail }),
    }
}

impl CertificateCredentials {
    /// Reads a PKCS#12 (.pfx) file, checks that its password opens it, and converts it as the
    /// page's "Converting Certificate to Base64 String" does (`[System.Convert]::ToBase64String`
    /// of the file's bytes).
    pub fn from_pfx_file(
        application_id: String,
        pfx_path: &Path,
        certificate_password: SecretString,
        impersonation_account_name: String,
    ) -> Result<Self, CertificateFileError> {
        let bytes = std::fs::read(pfx_path).map_err(|error| CertificateFileError::Unreadable {
            path: pfx_path.display().to_string(),
            error: error.to_string(),
        })?;
        Self::from_pfx_bytes(application_id, &bytes, pfx_path, certificate_password, impersonation_account_name)
    }

    /// As [`Self::from_pfx_file`], for a file already read (`path` names it in messages): the
    /// double's built-in fixture, [`BUILT_IN_PFX`].
    pub fn from_pfx_bytes(
        application_id: String,
        bytes: &[u8],
        path: &Path,
        certificate_password: SecretString,
        impersonation_account_name: String,
    ) -> Result<Self, CertificateFileError> {
        // Registered before it is parsed: no message about it may show it.
        let certificate_base64 = secret(STANDARD.encode(bytes));
        check_pfx(bytes, &certificate_password, path)?;
        Ok(Self { application_id, certificate_base64, certificate_password, impersonation_account_name })
    }

    /// The built-in certificate ([`BUILT_IN_PFX`]) with its password, as the double accepts it:
    /// not opened again (a unit test in src/double/config.rs opens it with that password).
    pub fn built_in(
        application_id: String,
        certificate_password: SecretString,
        impersonation_account_name: String,
    ) -> Self {
        // Encoded once: every scenario against the double builds its credentials.
        static BASE64: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| STANDARD.encode(BUILT_IN_PFX));
        let certificate_base64 = secret(BASE64.as_str());
        Self { application_id, certificate_base64, certificate_password, impersonation_account_name }
    }
}

/// The double's application certificate, `tests/fixtures/restore-application.pfx`, built into the
/// binary so that an installed suite needs no checkout.
pub const BUILT_IN_PFX: &[u8] = include_bytes!("../../../tests/fixtures/restore-application.pfx");

/// A second throw-away certificate, `tests/fixtures/another-application.pfx`: it opens with
/// [`ANOTHER_APPLICATION_PASSWORD`] but is no organization's application certificate. The suite
/// sends it, every other property right, to show that the server checks which certificate it
/// gets.
pub const ANOTHER_APPLICATION_PFX: &[u8] = include_bytes!("../../../tests/fixtures/another-application.pfx");

/// The password [`ANOTHER_APPLICATION_PFX`] was exported with.
pub const ANOTHER_APPLICATION_PASSWORD: &str = "another-application-pfx-password";

/// [`ANOTHER_APPLICATION_PFX`] as the page's Base64 string, and its password, both secrets.
pub fn another_application_certificate() -> (SecretString, SecretString) {
    (secret(STANDARD.encode(ANOTHER_APPLICATION_PFX)), secret(ANOTHER_APPLICATION_PASSWORD))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The second certificate is a real one that opens with its password (so a server refuses
    /// it for being another application's, not for being broken), and not the double's.
    #[test]
    fn another_applications_certificate_opens_with_its_password_and_is_not_the_built_in_one() {
        let password = SecretString::from(ANOTHER_APPLICATION_PASSWORD);
        assert_eq!(check_pfx(ANOTHER_APPLICATION_PFX, &password, Path::new("another-application.pfx")), Ok(()));
        let wrong = SecretString::from("wrong");
        assert!(check_pfx(ANOTHER_APPLICATION_PFX, &wrong, Path::new("another-application.pfx")).is_err());
        assert_ne!(ANOTHER_APPLICATION_PFX, BUILT_IN_PFX);
    }
}
