//! What the settings build for the run: the embedded double that accepts them, and the HTTP
//! client that waits and trusts as they say.

use std::time::Duration;

use super::{ApiLogin, MailboxSelector, Settings, SettingsError, Target};

impl Settings {
    /// The embedded double that accepts these settings, as the run's scenarios need it.
    pub fn double(&self) -> crate::double::DoubleBuilder {
        use crate::double::{Double, Operator};
        let operator = match &self.login {
            ApiLogin::Token(token) => Operator::Token(token.clone()),
            ApiLogin::Password { user_name, password } => {
                Operator::Password { user_name: user_name.clone(), password: password.clone() }
            }
        };
        let mut double = Double::builder()
            .versions(self.api_versions.iter().copied())
            .operator(operator)
            .exchange(self.exchange.clone())
            .fault(self.double_fault)
            .variation(self.double_variation)
            // The slow-answer fault outlasts the client's timeout.
            .slow_answer_delay(self.timeout + Duration::from_secs(1));
        if let Some(organization_id) = &self.organization_id {
            double = double.organization_id(organization_id.clone());
        }
        if let MailboxSelector::NameOrEmail(name) = &self.mailbox {
            double = double.mailbox_email(name.clone());
        }
        double
    }
}

impl Settings {
    /// The run's HTTP client, as these settings say to wait and whom to trust.
    pub fn http_client(&self) -> Result<crate::client::Http, SettingsError> {
        let options = crate::client::HttpOptions {
            timeout: self.timeout,
            insecure: self.insecure,
            ca_cert: self.ca_cert.as_deref(),
            https: self.target != Target::Double,
        };
        crate::client::http_client(options).map_err(|source| SettingsError::HttpClient { source })
    }
}
