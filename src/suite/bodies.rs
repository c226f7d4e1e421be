//! The deliberately wrong request bodies, by the phrase the feature files use. Each is built
//! from the run's real credentials, so the server can refuse it only for the documented reason.
//! Some of them still carry a complete credential variant ([`carries_credentials`]): a lenient
//! server could restore with them, so on a live server they need `VB365_ALLOW_RESTORE=1`.

use serde_json::{Value, json};

use crate::client::Body;
use crate::contract::credentials::{ExchangeCredentials, Variant};

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

/// The body of `variant` with its `property` changed as `change` says and every other property
/// right: a request a conforming server refuses, which shows that the property matters on its
/// own. None of the changes names a real account with a wrong password but those of
/// `userPassword` (the scenarios tagged `@lockout-risk`, run only with consent on a live server):
/// a user that does not exist gets the real password, a wrong certificate password or a wrong
/// application locks out no account.
///
/// `change` is one of: a wrong value ("a user that does not exist in the organization's domain",
/// "a wrong password", "a device code the server never issued", "an application id the
/// organization does not know", "another application's certificate, with its own password",
/// "an account that does not exist"), "an empty string", or a value that belongs to another
/// property ("the application id", "the certificate password", "the user name").
pub fn one_property_changed(
    variant: Variant,
    property: &str,
    change: &str,
    credentials: &ExchangeCredentials,
) -> Result<Value, String> {
    let mut body = credentials.body(variant)?;
    let map = body.as_object_mut().ok_or("a credential body is an object")?;
    if !map.contains_key(property) {
        return Err(format!("the {variant} body has no property {property}"));
    }
    let unknown = uuid::Uuid::new_v4().simple().to_string();
    // A user of the organization's domain (from a configured account) that does not exist.
    let no_such_user = |configured: Option<&str>| {
        let domain = configured.and_then(|name| name.rsplit_once('@')).map_or("example.com", |(_, domain)| domain);
        format!("vb365-conformance-no-such-user-{}@{domain}", &unknown[..8])
    };
    let exposed = |secret: secrecy::SecretString| secrecy::ExposeSecret::expose_secret(&secret).to_owned();
    let value = match (property, change) {
        (_, "an empty string") => String::new(),
        ("userName", "a user that does not exist in the organization's domain") => {
            no_such_user(credentials.password.as_ref().map(|c| c.user_name.as_str()))
        }
        ("userName", "the application id") => credentials
            .certificate
            .as_ref()
            .map_or_else(|| uuid::Uuid::new_v4().to_string(), |c| c.application_id.clone()),
        ("userPassword" | "applicationCertificatePassword", "a wrong password") => {
            exposed(crate::contract::credentials::secret(format!("wrong-{unknown}")))
        }
        ("userPassword", "the certificate password") => match &credentials.certificate {
            Some(c) => secrecy::ExposeSecret::expose_secret(&c.certificate_password).to_owned(),
            None => exposed(crate::contract::credentials::secret(format!("wrong-{unknown}"))),
        },
        // Shaped like a real one (nine upper-case hexadecimal digits, as the page's C6A9DB737).
        ("userCode", "a device code the server never issued") => {
            exposed(crate::contract::credentials::secret(unknown[..9].to_ascii_uppercase()))
        }
        ("userCode", "the user name") => {
            credentials.password.as_ref().map_or_else(|| no_such_user(None), |c| c.user_name.clone())
        }
        ("applicationId", "an application id the organization does not know") => uuid::Uuid::new_v4().to_string(),
        ("applicationCertificate", "another application's certificate, with its own password") => {
            let (certificate, password) = crate::contract::credentials::another_application_certificate();
            map.insert("applicationCertificatePassword".into(), json!(secrecy::ExposeSecret::expose_secret(&password)));
            secrecy::ExposeSecret::expose_secret(&certificate).to_owned()
        }
        ("impersonationAccountName", "an account that does not exist") => {
            no_such_user(credentials.certificate.as_ref().map(|c| c.impersonation_account_name.as_str()))
        }
        _ => return Err(format!("the suite knows no change {change:?} of {property}")),
    };
    map.insert(property.to_owned(), json!(value));
    Ok(body)
}

/// A request body of one variant with credentials the organization refuses, by the phrase the
/// feature files use: one property changed ([`one_property_changed`]), so that no real account is
/// locked out by the attempt.
pub fn refused_credentials(phrase: &str, credentials: &ExchangeCredentials) -> Result<(Variant, Value), String> {
    let (variant, property, change) = match phrase {
        "a user that does not exist in the organization's domain" => {
            (Variant::Password, "userName", "a user that does not exist in the organization's domain")
        }
        "a device code the server never issued" => {
            (Variant::DeviceCode, "userCode", "a device code the server never issued")
        }
        "the application certificate and a wrong certificate password" => {
            (Variant::Certificate, "applicationCertificatePassword", "a wrong password")
        }
        "the application certificate and an application id the organization does not know" => {
            (Variant::Certificate, "applicationId", "an application id the organization does not know")
        }
        "the application certificate and an impersonation account that does not exist" => {
            (Variant::Certificate, "impersonationAccountName", "an account that does not exist")
        }
        other => return Err(format!("the suite knows no refused credentials called {other:?}")),
    };
    Ok((variant, one_property_changed(variant, property, change, credentials)?))
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
