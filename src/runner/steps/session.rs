//! Signing in and choosing the restore session and mailbox under test.

use crate::double::Drift;
use cucumber::given;

use crate::runner::world::RestoreWorld;

#[given("an authorization token of the current session")]
async fn signed_in(world: &mut RestoreWorld) -> Result<(), String> {
    world.setup().await.map(|_| ())
}

#[given("a restore session that holds the mailbox to restore")]
async fn restore_session(world: &mut RestoreWorld) -> Result<(), String> {
    let setup = world.setup().await?;
    let (session_id, mailbox_id) = (setup.session_id.clone(), setup.mailbox_id.clone());
    world.session_id = Some(session_id);
    world.mailbox_id = Some(mailbox_id);
    Ok(())
}

/// A restore session of the suite's own, which held the mailbox, stopped before the scenario goes
/// on (the run's own session stays as it is).
#[given("a restore session that the suite has stopped, which held the mailbox to restore")]
async fn stopped_restore_session(world: &mut RestoreWorld) -> Result<(), String> {
    let setup = world.setup().await?.clone();
    let (session_id, mailbox_id) = setup.stopped_session(world.settings()).await.map_err(|error| error.to_string())?;
    world.session_id = Some(session_id);
    world.mailbox_id = Some(mailbox_id);
    Ok(())
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
    let refusal = match which.as_str() {
        "a restore session the server does not have" => {
            world.session_id = Some(unknown);
            "PATH-SESSION"
        }
        "a mailbox the restore session does not hold" => {
            world.mailbox_id = Some(unknown);
            "PATH-MAILBOX"
        }
        "a restore session id that is not a UUID" => {
            world.session_id = Some("not-a-restore-session-id".into());
            "PATH-UUID"
        }
        "a mailbox id that is not a UUID" => {
            world.mailbox_id = Some("not-a-mailbox-id".into());
            "PATH-UUID"
        }
        other => return Err(format!("unknown path case {other:?}")),
    };
    // What a request to it that gets no answer is charged to (never NO-FALSE-SUCCESS).
    world.unusual_path = Some(refusal);
    Ok(())
}
