//! What a double accepts and how it behaves: its own configuration, built with
//! [`DoubleBuilder`](super::DoubleBuilder), with the vendor page's examples as defaults. The
//! suite builds one from its settings; client developers build one from the command line of
//! `vb365-double` or in their own tests.

use std::net::SocketAddr;
use std::time::Duration;

use secrecy::SecretString;

use super::faults::{Fault, Variation};
use crate::contract::credentials::{
    CertificateCredentials, DeviceCodeCredentials, ExchangeCredentials, PasswordCredentials, secret,
};
use crate::contract::version::ApiVersion;

/// The values a double accepts unless told otherwise. The Exchange ones are the vendor page's
/// own examples (Request Examples 1 and 2).
pub mod defaults {
    pub const API_USER_NAME: &str = "vb365-conformance\\restore-operator";
    pub const API_PASSWORD: &str = "double-api-password";
    pub const ORGANIZATION_ID: &str = "5e6f8a34-7f4b-4a8e-9b1c-2d3e4f5a6b7c";
    pub const MAILBOX: &str = "jsmith@westsupport.onmicrosoft.com";
    pub const EXCHANGE_USER_NAME: &str = "jsmith@westsupport.onmicrosoft.com";
    pub const EXCHANGE_PASSWORD: &str = "paSSw0rd";
    pub const USER_CODE: &str = "C6A9DB737";
    pub const APPLICATION_ID: &str = "0b6fd1c4-54c2-4a0e-8f3e-3c9b2a1d7e55";
    /// A real PKCS#12 file made with openssl for the suite (see tests/fixtures/README.md).
    pub const CERTIFICATE_FILE: &str = "tests/fixtures/restore-application.pfx";
    pub const CERTIFICATE_PASSWORD: &str = "fixture-pfx-password";
    pub const IMPERSONATION_ACCOUNT: &str = "restore-admin@westsupport.onmicrosoft.com";
}

/// How the operator signs in to the double's REST API.
#[derive(Clone, Debug)]
pub enum Operator {
    /// `POST /{version}/token` with this user name and password.
    Password { user_name: String, password: SecretString },
    /// A bearer token the double takes as issued (no sign-in).
    Token(SecretString),
}

/// Everything a double needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// The API versions served, in order, each once (never empty): one by default, or several
    /// at once over one state, as a real server serves v6, v7 and v8 side by side.
    pub versions: Vec<ApiVersion>,
    pub operator: Operator,
    /// The organization whose mailboxes `POST .../Organizations/{id}/explore` opens.
    pub organization_id: String,
    /// The e-mail address of the mailbox under test (John Smith's).
    pub mailbox_email: String,
    /// The Exchange credentials the organization accepts, per variant.
    pub exchange: ExchangeCredentials,
    /// A fault and a variation each shape the answers of the served versions they list
    /// ([`Fault::versions`], [`Variation::versions`]); the others answer as a conforming server.
    pub fault: Option<Fault>,
    pub variation: Option<Variation>,
    /// How long the slow-answer fault keeps a restore waiting: longer than the client waits.
    pub slow_answer_delay: Duration,
    /// v8: how long a background restore takes when no fault or variation says otherwise.
    pub restore_duration: Duration,
    /// Where to listen; a free loopback port when `None`.
    pub listen: Option<SocketAddr>,
    /// Whether the double keeps every request (wiremock; tests read them). A long-running
    /// double does not: it runs on the lean server, which keeps nothing.
    pub record_requests: bool,
    /// Whether issued tokens are registered as secrets, so the suite never prints them. A
    /// standalone double prints none and keeps no such registry.
    pub register_tokens: bool,
    /// Worker threads of the lean server (doubles that do not record requests).
    pub threads: usize,
    /// How many other mailboxes the organization holds, listed before the one under test:
    /// [`COLLEAGUES`] by default, so that finding it takes a second page.
    pub colleagues: u32,
}

/// The organization's other mailboxes by default: more than a page of `GET .../mailboxes` (the
/// suite asks for 100 a page), two of them sharing a name, as people do.
pub const COLLEAGUES: u32 = 120;

impl Default for Config {
    fn default() -> Self {
        use defaults as d;
        let certificate = CertificateCredentials::built_in(
            d::APPLICATION_ID.to_owned(),
            secret(d::CERTIFICATE_PASSWORD),
            d::IMPERSONATION_ACCOUNT.to_owned(),
        );
        Config {
            versions: vec![ApiVersion::V6],
            operator: Operator::Password { user_name: d::API_USER_NAME.to_owned(), password: secret(d::API_PASSWORD) },
            organization_id: d::ORGANIZATION_ID.to_owned(),
            mailbox_email: d::MAILBOX.to_owned(),
            exchange: ExchangeCredentials {
                password: Some(PasswordCredentials {
                    user_name: d::EXCHANGE_USER_NAME.to_owned(),
                    user_password: secret(d::EXCHANGE_PASSWORD),
                }),
                device_code: Some(DeviceCodeCredentials { user_code: secret(d::USER_CODE) }),
                certificate: Some(certificate),
            },
            fault: None,
            variation: None,
            slow_answer_delay: Duration::from_secs(11),
            restore_duration: Duration::from_millis(15),
            listen: None,
            record_requests: true,
            register_tokens: true,
            threads: 2,
            colleagues: COLLEAGUES,
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    /// Settings give the built-in certificate with this password without opening it again.
    #[test]
    fn the_built_in_certificate_opens_with_the_doubles_password() {
        let password = SecretString::from(super::defaults::CERTIFICATE_PASSWORD);
        let opened = crate::contract::credentials::check_pfx(
            crate::contract::credentials::BUILT_IN_PFX,
            &password,
            std::path::Path::new(super::defaults::CERTIFICATE_FILE),
        );
        assert!(opened.is_ok(), "{opened:?}");
    }
}
