//! The faults of a server that refuses a restore and carries it out anyway: the refusal is
//! answered as a conforming server answers it, and the mailbox is written (v8: a restore starts
//! in the background, listed with its session and event as any restore is). One fault per kind
//! of refusal: the token's, the Exchange credentials', the body's, the path's ids', a stopped
//! session's.

use super::faults::Fault;
use super::refusal::{Refusal, Refused};
use super::{DEFAULT_MAILBOX_ID, State};

/// Whether `fault` carries out a restore refused for `reason`.
fn restores_despite(fault: Fault, reason: &Refusal) -> bool {
    use Refusal::*;
    match fault {
        Fault::UnauthorizedRestoreCarriedOut => matches!(reason, AuthorizationDenied | AntiforgeryTokenMissing),
        Fault::RefusedCredentialsStillRestore => {
            matches!(reason, ExchangeConnectionRefused | ExchangeCredentialsRefused)
        }
        Fault::RefusedBodyStillRestores => matches!(reason, BodyNotJson | InvalidRestoreOptions { .. }),
        Fault::UnknownIdRefusalStillRestores => matches!(reason, IdsNotUuids | SessionNotFound | MailboxNotInSession),
        Fault::StoppedSessionRefusalStillRestores => matches!(reason, SessionStopped),
        _ => false,
    }
}

/// Carries out the refused restore when the double's fault says so: the path's mailbox, or the
/// mailbox under test when the path names none the double holds.
pub(super) fn carry_out(state: &mut State, refused: &Refused, session_id: &str, mailbox_id: &str) {
    if refused.status < 400 || !state.fault.is_some_and(|fault| restores_despite(fault, &refused.reason)) {
        return;
    }
    let target = if state.mailbox(mailbox_id).is_some() { mailbox_id } else { DEFAULT_MAILBOX_ID };
    let Some(made) = super::restore::carry_out(state, &target.to_ascii_lowercase(), false) else { return };
    if state.version.restores_in_background() {
        drop(super::background::start(state, made, session_id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::double::FAULTS;

    #[test]
    fn each_refused_yet_restored_fault_carries_out_one_kind_of_refusal_and_no_other_fault_any() {
        let reasons = [
            Refusal::AuthorizationDenied,
            Refusal::ExchangeConnectionRefused,
            Refusal::BodyNotJson,
            Refusal::SessionNotFound,
            Refusal::SessionStopped,
        ];
        for info in FAULTS {
            let kinds = reasons.iter().filter(|reason| restores_despite(info.fault, reason)).count();
            let despite = info.name.contains("still-restore") || info.name.ends_with("carried-out");
            assert_eq!(kinds, usize::from(despite), "{}", info.name);
        }
    }
}
