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
