//! Step definitions, one concern per file. Step phrases read like the vendor page; each lives
//! in exactly one place.

mod authorization;
mod mailbox_state;
mod response;
mod restore;
mod session;

/// How the steps the plan reads begin (the definitions in restore.rs, authorization.rs and
/// session.rs): the plan decides from them which scenarios could change a real mailbox.
pub const PHRASES: crate::suite::plan::StepPhrases = crate::suite::plan::StepPhrases {
    restore: restore::RESTORE,
    wrong_body: restore::WRONG_BODY,
    refused_by: &["the authorization header ", "the URL names "],
    issued_token: authorization::ISSUED_TOKEN,
};
