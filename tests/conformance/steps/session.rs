//! Signing in and choosing the restore session and mailbox under test.

use cucumber::given;
use vb365_conformance::double::Drift;
use vb365_conformance::settings::MailboxSelector;

use crate::world::{RestoreWorld, settings};

#[given("an authorization token of the current session")]
async fn signed_in(world: &mut RestoreWorld) -> Result<(), String> {
    world.server().await.map(|_| ())
}

#[given("a restore session that holds the mailbox to restore")]
async fn restore_session(world: &mut RestoreWorld) -> Result<(), String> {
    let server = world.server().await?;
    let settings = settings();
    let session_id = match (&settings.restore_session_id, &settings.organization_id) {
        (Some(id), _) => id.clone(),
        (None, Some(organization_id)) => {
            server.client.explore(&server.token, organization_id).await.map_err(|e| e.to_string())?
        }
        (None, None) => {
            return Err("no restore session: set VB365_RESTORE_SESSION_ID or VB365_ORGANIZATION_ID".into());
        }
    };
    let mailbox_id = match &settings.mailbox {
        MailboxSelector::Id(id) => id.clone(),
        MailboxSelector::NameOrEmail(wanted) => {
            let mailboxes = server.client.mailboxes(&server.token, &session_id).await.map_err(|e| e.to_string())?;
            let matching: Vec<_> = mailboxes
                .iter()
                .filter(|m| m.email.eq_ignore_ascii_case(wanted) || m.name.eq_ignore_ascii_case(wanted))
                .collect();
            match matching.as_slice() {
                [only] => only.id.clone(),
                [] => {
                    return Err(format!(
                        "no mailbox of restore session {session_id} is named {wanted:?}; found: {}",
                        list(&mailboxes)
                    ));
                }
                _ => {
                    return Err(format!(
                        "several mailboxes of restore session {session_id} match {wanted:?}: {}",
                        list(&matching.into_iter().cloned().collect::<Vec<_>>())
                    ));
                }
            }
        }
    };
    world.session_id = Some(session_id);
    world.mailbox_id = Some(mailbox_id);
    Ok(())
}

fn list(mailboxes: &[vb365_conformance::client::MailboxEntry]) -> String {
    if mailboxes.is_empty() {
        return "none".into();
    }
    mailboxes.iter().map(|m| format!("{} <{}> ({})", m.name, m.email, m.id)).collect::<Vec<_>>().join(", ")
}

/// The page's worked example names its restore session and mailbox.
#[given(expr = "the restore session {string} that holds the mailbox {string}")]
async fn named_restore_session(world: &mut RestoreWorld, session_id: String, mailbox_id: String) -> Result<(), String> {
    world.double().await?.add_session_with_mailbox(&session_id, &mailbox_id, Drift::default());
    world.session_id = Some(session_id);
    world.mailbox_id = Some(mailbox_id);
    Ok(())
}

#[given(
    regex = r"^the URL names (a restore session the server does not have|a mailbox the restore session does not hold|a restore session id that is not a UUID|a mailbox id that is not a UUID)$"
)]
async fn unusual_path_id(world: &mut RestoreWorld, which: String) -> Result<(), String> {
    let unknown = uuid::Uuid::new_v4().to_string();
    match which.as_str() {
        "a restore session the server does not have" => world.session_id = Some(unknown),
        "a mailbox the restore session does not hold" => world.mailbox_id = Some(unknown),
        "a restore session id that is not a UUID" => world.session_id = Some("not-a-restore-session-id".into()),
        "a mailbox id that is not a UUID" => world.mailbox_id = Some("not-a-mailbox-id".into()),
        other => return Err(format!("unknown path case {other:?}")),
    }
    Ok(())
}
