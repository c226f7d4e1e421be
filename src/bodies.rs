//! The deliberately wrong request bodies, by the phrase the feature files use. Each is built
//! from the run's real credentials, so the server can refuse it only for the documented reason.
//! Some of them still carry a complete credential variant ([`carries_credentials`]): a lenient
//! server could restore with them, so on a live server they need `VB365_ALLOW_RESTORE=1`.

use serde_json::{Value, json};

use crate::client::Body;
use crate::credentials::{ExchangeCredentials, Variant};

/// Whether `body` holds one of the run's complete, real credential variants, with which a
/// server could restore whatever else the body says.
pub fn carries_credentials(body: &Body, credentials: &ExchangeCredentials) -> bool {
    let Body::Json(Value::Object(sent)) = body else { return false };
    Variant::ALL.iter().any(|&variant| match credentials.body(variant) {
        // A certificate could authenticate without the account to impersonate.
        Ok(Value::Object(real)) => real
            .iter()
            .filter(|(key, _)| *key != "impersonationAccountName")
            .all(|(key, value)| sent.get(key) == Some(value)),
        _ => false,
    })
}

/// A request body of one variant with credentials the organization refuses, by the phrase the
/// feature files use. None of them names a real account with a wrong password, so no real
/// account is locked out by the attempt: the user does not exist, the device code was never
/// issued, or the certificate's password, application or impersonation account is wrong.
pub fn refused_credentials(phrase: &str, credentials: &ExchangeCredentials) -> Result<Value, String> {
    let unknown = uuid::Uuid::new_v4().simple().to_string();
    // A user of the organization's domain (from a configured account) that does not exist.
    let no_such_user = |configured: Option<&str>| {
        let domain = configured.and_then(|name| name.rsplit_once('@')).map_or("example.com", |(_, domain)| domain);
        format!("vb365-conformance-no-such-user-{}@{domain}", &unknown[..8])
    };
    let certificate = |key: &str, value: Value| {
        credentials.edited_body(Variant::Certificate, |map| {
            map.insert(key.into(), value);
        })
    };
    match phrase {
        "a user that does not exist in the organization's domain" => {
            let configured = credentials.password.as_ref().map(|c| c.user_name.as_str());
            let password = crate::credentials::secret(format!("wrong-{unknown}"));
            Ok(json!({
                "userName": no_such_user(configured),
                "userPassword": secrecy::ExposeSecret::expose_secret(&password),
            }))
        }
        // Shaped like a real one (nine upper-case hexadecimal digits, as the page's C6A9DB737).
        "a device code the server never issued" => {
            let code = crate::credentials::secret(unknown[..9].to_ascii_uppercase());
            Ok(json!({ "userCode": secrecy::ExposeSecret::expose_secret(&code) }))
        }
        "the application certificate and a wrong certificate password" => {
            let password = crate::credentials::secret(format!("wrong-{unknown}"));
            certificate("applicationCertificatePassword", json!(secrecy::ExposeSecret::expose_secret(&password)))
        }
        "the application certificate and an application id the organization does not know" => {
            certificate("applicationId", json!(uuid::Uuid::new_v4().to_string()))
        }
        "the application certificate and an impersonation account that does not exist" => {
            let configured = credentials.certificate.as_ref().map(|c| c.impersonation_account_name.as_str());
            certificate("impersonationAccountName", json!(no_such_user(configured)))
        }
        other => Err(format!("the suite knows no refused credentials called {other:?}")),
    }
}

/// The wrong body a phrase names.
pub fn malformed(phrase: &str, credentials: &ExchangeCredentials) -> Result<Body, String> {
    use Variant::*;
    let edit = |variant, edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        credentials.edited_body(variant, |map| edit(map)).map(Body::Json)
    };
    let field = |variant, name: &str| -> Result<Value, String> {
        credentials.body(variant)?.get(name).cloned().ok_or_else(|| format!("the {variant} body has no {name}"))
    };
    match phrase {
        "not JSON" => Ok(Body::Raw("{\"userName\": \"jsmith@westsupport.onmicrosoft.com\", \"userPassword\": ")),
        "an empty JSON object" => Ok(Body::Json(json!({}))),
        "the user name as a number" => edit(Password, &|map| {
            map.insert("userName".into(), json!(42));
        }),
        "the password as a boolean" => edit(Password, &|map| {
            map.insert("userPassword".into(), json!(true));
        }),
        "the device code as a number" => Ok(Body::Json(json!({ "userCode": 123456789 }))),
        "the user name without its password" => edit(Password, &|map| {
            map.remove("userPassword");
        }),
        "the password without its user name" => edit(Password, &|map| {
            map.remove("userName");
        }),
        "the user name and password mixed with the device code" => {
            let user_code = field(DeviceCode, "userCode")?;
            edit(Password, &|map| {
                map.insert("userCode".into(), user_code.clone());
            })
        }
        "the certificate mixed with the user name and password" => {
            let password_body = credentials.body(Password)?;
            edit(Certificate, &|map| {
                if let Value::Object(password) = &password_body {
                    map.extend(password.clone());
                }
            })
        }
        "a certificate that is not Base64" => edit(Certificate, &|map| {
            map.insert("applicationCertificate".into(), json!("this is not a Base64 string!"));
        }),
        "a certificate without its applicationId" => edit(Certificate, &|map| {
            map.remove("applicationId");
        }),
        "a certificate without impersonationAccountName" => edit(Certificate, &|map| {
            map.remove("impersonationAccountName");
        }),
        "impersonationAccountName with the user name and password" => {
            let account = field(Certificate, "impersonationAccountName")?;
            edit(Password, &|map| {
                map.insert("impersonationAccountName".into(), account.clone());
            })
        }
        "impersonationAccountName with the device code" => {
            let account = field(Certificate, "impersonationAccountName")?;
            edit(DeviceCode, &|map| {
                map.insert("impersonationAccountName".into(), account.clone());
            })
        }
        other => Err(format!("the suite knows no request body called {other:?}")),
    }
}
