//! Which scenarios a run can carry out on its target, and why the others are skipped.
//!
//! On a live server, scenarios that set the state of the original mailbox (`@double-only`) are
//! left out of the run and listed as checked against the double only. A scenario is skipped,
//! with its reason, when it could change a real mailbox and the user did not opt in with
//! `VB365_ALLOW_RESTORE=1`, or when a credential variant it uses has no credentials. The runner
//! shows the reason as the scenario's one (unmatched) step.

use crate::contract::credentials::{ExchangeCredentials, Variant};
use crate::suite::bodies;
use crate::suite::settings::{ApiLogin, Settings, Target};
use crate::suite::token::Stated;

/// Why a scenario is left out of a live run, not checked on this server, or `None` when it is
/// part of the run: it sets the state of the original mailbox (`@double-only`), or it sends the
/// configured Exchange user a wrong password (`@lockout-risk`) and the operator did not allow
/// that, or it starts a restore session of its own (`@starts-a-session`) and no organization is
/// configured to start it from, or it needs a token the run's sign-in does not give
/// (`@refresh-token`, `@token-expiry`: see [`token_left_out`]). The sign-off lists such
/// scenarios, with the reason. `stated` is what the live run's sign-in said of its tokens
/// (`None`: the run has a given token and never signs in).
pub fn left_out(settings: &Settings, tags: &[String], stated: Option<Stated>) -> Option<String> {
    let tagged = |tag: &str| tags.iter().any(|t| t == tag);
    if !matches!(settings.target, Target::Live(_)) {
        // The embedded double states what the rows need (the expiry row has its tokens live a
        // second), unless the run has a given token.
        let given = matches!(settings.login, ApiLogin::Token(_));
        let needs_sign_in = tagged("refresh-token") || tagged("token-expiry");
        (given && needs_sign_in).then(|| GIVEN_TOKEN_REASON.into())
    } else if tagged("double-only") {
        Some(DOUBLE_ONLY_REASON.into())
    } else if tagged("lockout-risk") && !settings.probe_exchange_password {
        Some(LOCKOUT_RISK_REASON.into())
    } else if tagged("starts-a-session") && settings.organization_id.is_none() {
        Some(STARTS_A_SESSION_REASON.into())
    } else {
        token_left_out(settings, tags, stated)
    }
}

/// Why a live run cannot check a row that needs a token of its own sign-in: the refresh token
/// (`@refresh-token`), or a token left to expire (`@token-expiry`), which the suite waits for
/// only when the server's tokens live (`expires_in`) no longer than VB365_TIMEOUT_SECS: it never
/// waits longer on a live server than it waits for an answer.
fn token_left_out(settings: &Settings, tags: &[String], stated: Option<Stated>) -> Option<String> {
    let tagged = |tag: &str| tags.iter().any(|t| t == tag);
    if !tagged("refresh-token") && !tagged("token-expiry") {
        return None;
    }
    let Some(stated) = stated else { return Some(GIVEN_TOKEN_REASON.into()) };
    if tagged("refresh-token") && !stated.refresh_token {
        return Some("the server's sign-in answered no refresh_token, so there is none to send".into());
    }
    if tagged("token-expiry") {
        let timeout = settings.timeout.as_secs();
        return match stated.lifetime {
            None => Some("the server's sign-in did not say expires_in, so no token is known to have expired".into()),
            Some(lifetime) if lifetime > settings.timeout => Some(format!(
                "the server's tokens live {} s (expires_in), longer than VB365_TIMEOUT_SECS ({timeout} s), the longest the suite waits on a live server",
                lifetime.as_secs()
            )),
            Some(_) => None,
        };
    }
    None
}

/// Why a row that needs a sign-in of its own is not part of a live run with a given token.
pub const GIVEN_TOKEN_REASON: &str = "it signs in for a token of its own, and the run has a given token (VB365_TOKEN); set VB365_USERNAME and VB365_PASSWORD to check this";

/// Why a scenario tagged `@double-only` is not part of a live run.
pub const DOUBLE_ONLY_REASON: &str = "it sets the state of the original mailbox, which only the embedded double allows";

/// Why a scenario tagged `@starts-a-session` is not part of a live run without an organization.
pub const STARTS_A_SESSION_REASON: &str =
    "it starts a restore session of its own, from VB365_ORGANIZATION_ID, which is not set; set it to check this";

/// Why a scenario tagged `@lockout-risk` is not part of a live run without consent.
pub const LOCKOUT_RISK_REASON: &str = "it sends the configured Exchange user (VB365_EXCHANGE_USERNAME) a wrong password, which counts toward the account's lockout; set VB365_PROBE_EXCHANGE_PASSWORD=1 to check it";

/// How the steps the plan reads begin, as the runner's step definitions phrase them (they live
/// beside those definitions, in src/runner/steps).
#[derive(Clone, Copy, Debug)]
pub struct StepPhrases {
    /// A step that sends a restore with credentials.
    pub restore: &'static str,
    /// A step that sends a deliberately wrong body; the rest of the step names it (see
    /// [`bodies::malformed`]).
    pub wrong_body: &'static str,
    /// Steps that make the server refuse a request before it could restore anything.
    pub refused_by: &'static [&'static str],
    /// Steps of `refused_by` whose authorization header carries a token the server issued: a
    /// server that does not check what they vary could restore.
    pub issued_token: &'static [&'static str],
}

/// Why a scenario cannot run with `settings`, or `None` when it can.
///
/// `tags` are the scenario's tags (feature, scenario and Examples, without `@`); `steps` the
/// texts of its steps, background included.
pub fn skip_reason(settings: &Settings, tags: &[String], steps: &[String], phrases: &StepPhrases) -> Option<String> {
    let live = matches!(settings.target, Target::Live(_));
    let tagged = |tag: &str| tags.iter().any(|t| t == tag);
    if live && !settings.allow_restore && may_restore(steps, &settings.exchange, phrases) {
        return Some(
            "it sends a restore the server may carry out; set VB365_ALLOW_RESTORE=1 to allow changes to the mailbox"
                .into(),
        );
    }
    let missing: Vec<String> = Variant::ALL
        .into_iter()
        .filter(|variant| tagged(variant.tag()) && !settings.exchange.has(*variant))
        .map(|variant| format!("no Exchange credentials for the {variant} variant: set {}", variant.setting_group()))
        .collect();
    if !missing.is_empty() {
        return Some(missing.join("; "));
    }
    None
}

/// Whether a scenario sends a restore request that a server could carry out: credentials under
/// a valid token to a real session and mailbox, even credentials the organization refuses or a
/// body that should be refused (a lenient server may ignore what it does not expect). The restore step checks the body it
/// sends again, so a scenario this misjudges cannot restore without consent either.
pub fn may_restore(steps: &[String], credentials: &ExchangeCredentials, phrases: &StepPhrases) -> bool {
    let refused = steps.iter().any(|step| {
        phrases.refused_by.iter().any(|prefix| step.starts_with(prefix))
            && !phrases.issued_token.contains(&step.as_str())
    });
    let restores = steps.iter().any(|step| match step.strip_prefix(phrases.wrong_body) {
        Some(phrase) => {
            bodies::malformed(phrase, credentials).map_or(true, |body| bodies::carries_credentials(&body, credentials))
        }
        None => step.starts_with(phrases.restore),
    });
    restores && !refused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn only_requests_that_carry_real_credentials_to_a_real_mailbox_may_restore() {
        let settings = crate::suite::settings::Settings::from_lookup(|_| None).expect("double settings");
        const PHRASES: StepPhrases = StepPhrases {
            restore: "the mailbox is restored",
            wrong_body: "a restore request is sent whose body is ",
            refused_by: &["the authorization header ", "the URL names "],
            issued_token: &["the authorization header holds the token of the current session under the Basic scheme"],
        };
        let may = |steps: &[&str]| may_restore(&strings(steps), &settings.exchange, &PHRASES);
        assert!(may(&[
            "a restore session that holds the mailbox to restore",
            "the mailbox is restored with the device code"
        ]));
        assert!(!may(&["the authorization header is missing", "the mailbox is restored with the device code"]));
        // A server that ignores the scheme would restore with the token under Basic.
        assert!(may(&[
            "the authorization header holds the token of the current session under the Basic scheme",
            "the mailbox is restored with the device code"
        ]));
        assert!(!may(&[
            "the URL names a mailbox id that is not a UUID",
            "the mailbox is restored with the device code"
        ]));
        // A lenient server could restore with credentials the organization refuses.
        assert!(may(&["the mailbox is restored with a device code the server never issued"]));
        assert!(!may(&["a restore request is sent whose body is not JSON"]));
        assert!(!may(&["a restore request is sent whose body is the user name without its password"]));
        // A lenient server could ignore the extra property and restore.
        assert!(may(&[
            "a restore request is sent whose body is the user name and password mixed with the device code"
        ]));
        assert!(may(&["a restore request is sent whose body is impersonationAccountName with the device code"]));
        assert!(may(&["a restore request is sent whose body is a certificate without impersonationAccountName"]));
    }
}
