//! Sending the restore request, the operation under test.
//!
//! On a live server a real restore may take many minutes: the restore of each credential
//! variant with the configured credentials is made once per run, and every scenario that
//! restores with that variant reads it: at most three real restores. They are made in the
//! variants' order (user name and password, device code, certificate), each right after the one
//! before, so "restored again with the device code" reads a restore made right after the
//! password's. Each scenario against the double makes its own.

use crate::checks;
use crate::client::{Body, CallError};
use crate::contract::counts::MailboxIdentity;
use crate::contract::credentials::Variant;
use crate::contract::schema::{Document, Violation};
use crate::secrets;
use crate::suite::bodies;
use crate::suite::restore::{self, Restored};
use crate::suite::settings::Target;
use crate::suite::untouched::{Untouched, Watched};
use cucumber::when;

use crate::runner::run::{Sent, Unsent};
use crate::runner::world::{AuthorizationChoice, RestoreWorld};

/// How every step that sends a restore with credentials begins.
pub const RESTORE: &str = "the mailbox is restored";
/// How the step that sends a deliberately wrong body begins; the rest names the body.
pub const WRONG_BODY: &str = "a restore request is sent whose body is ";

#[when(regex = r"^the mailbox is restored with the (user name and password|device code|application certificate)$")]
async fn restore_with(world: &mut RestoreWorld, variant: String) -> Result<(), String> {
    let (restored, _) = restore_with_configured(world, variant.parse()?).await?;
    keep(world, restored);
    Ok(())
}

/// The restore with `variant`'s configured credentials (on a live server the run's one, made
/// once), and the mailbox's latest restore before it.
async fn restore_with_configured(
    world: &mut RestoreWorld,
    variant: Variant,
) -> Result<(Restored, Option<Restored>), String> {
    let body = Body::Json(world.settings().exchange.body(variant)?);
    let sent = match shared_live_restore(world, variant).await? {
        Some(sent) => sent,
        None => perform(world, body, Expect::Succeeding, true).await,
    };
    let (restored, right_before) = sent.map_err(|unsent| message(unsent, world))?;
    note_refusal(world, variant, &restored).await?;
    Ok((restored, right_before))
}

/// A restore with the configured credentials the server refused (an error status other than
/// 401, which is the token's), in the run's own restore session and mailbox with the current
/// token: the run cannot tell the operator's typo from valid credentials refused, so the server
/// is not judged (`RestoreLog::refused_configured_credentials`), live and on the double alike.
async fn note_refusal(world: &mut RestoreWorld, variant: Variant, restored: &Restored) -> Result<(), String> {
    let status = restored.answer.status;
    if (400..=599).contains(&status)
        && status != 401
        && world.authorization == AuthorizationChoice::CurrentSession
        && real_target(world).await?
    {
        world.run().restores().configured_credentials_refused(
            &variant.to_string(),
            variant.setting_group(),
            &restored.answer,
        );
    }
    Ok(())
}

#[when(
    regex = r"^the mailbox is restored again with the (user name and password|device code|application certificate)$"
)]
async fn restore_again_with(world: &mut RestoreWorld, variant: String) -> Result<(), String> {
    let (restored, right_before) = restore_with_configured(world, variant.parse()?).await?;
    // "Right after": the mailbox's latest restore before this one, whichever scenario made it.
    world.right_before = right_before;
    keep(world, restored);
    Ok(())
}

/// Credentials the organization refuses, built so that no real account is locked out (see
/// [`bodies::refused_credentials`]). A lenient server could still restore with them.
#[when(
    regex = r"^the mailbox is restored with (a user that does not exist in the organization's domain|a device code the server never issued|the application certificate and a wrong certificate password|the application certificate and an application id the organization does not know|the application certificate and an impersonation account that does not exist)$"
)]
async fn restore_with_refused_credentials(world: &mut RestoreWorld, phrase: String) -> Result<(), String> {
    let (variant, body) = bodies::refused_credentials(&phrase, &world.settings().exchange)?;
    after_a_restore_with(world, variant).await?;
    send(world, Body::Json(body), Expect::Conforming, true).await
}

/// A server may keep the Exchange connection a successful restore made and take any credentials
/// of the variant afterwards: refused credentials are sent after a restore with the variant's
/// configured ones, on a live server the run's one (made once; it adds no real restore), on the
/// double the scenario's own. Without VB365_ALLOW_RESTORE on a live server neither is sent.
async fn after_a_restore_with(world: &mut RestoreWorld, variant: Variant) -> Result<(), String> {
    let settings = world.settings();
    let live = matches!(settings.target, Target::Live(_));
    if !settings.exchange.has(variant) || (live && !settings.allow_restore) {
        return Ok(());
    }
    restore_with_configured(world, variant).await.map(drop)
}

/// One property of a variant's body changed, every other right ([`bodies::one_property_changed`]):
/// the server must refuse it, which shows the property matters on its own. An empty string breaks
/// the request schema where it sets a minLength (not for a certificate's password: a .pfx may
/// have an empty one); every other change conforms to it.
#[when(
    regex = r"^the mailbox is restored with the (user name and password|device code|application certificate) whose (\w+) is (.+)$"
)]
async fn restore_with_one_property_changed(
    world: &mut RestoreWorld,
    variant: String,
    property: String,
    change: String,
) -> Result<(), String> {
    let variant: Variant = variant.parse()?;
    let body = bodies::one_property_changed(variant, &property, &change, &world.settings().exchange)?;
    after_a_restore_with(world, variant).await?;
    let expect = if change == "an empty string" { Expect::Either } else { Expect::Conforming };
    send(world, Body::Json(body), expect, true).await
}

#[when(regex = r"^a restore request is sent whose body is (.+)$")]
async fn restore_with_wrong_body(world: &mut RestoreWorld, phrase: String) -> Result<(), String> {
    let body = bodies::malformed(&phrase, &world.settings().exchange)?;
    send(world, body, Expect::Violating, false).await
}

/// Whether the body is meant to conform to the request schema, and whether it holds the
/// organization's own credentials (the restore succeeds unless its path or token is wrong).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Succeeding,
    Conforming,
    Violating,
    /// As the schema says: the scenario names the change, not whether it is malformed.
    Either,
}

/// What a request not sent, or not answered, fails: the failure stays in the World.
fn message(unsent: Unsent, world: &RestoreWorld) -> String {
    match unsent {
        Unsent::Withheld(message) => message,
        Unsent::IncompleteBody { length, recorded } => {
            // The answer that did come is the evidence a vendor ticket needs.
            world.run().served(&world.location, [recorded]);
            world.fail(checks::body_length(&length))
        }
        Unsent::NoAnswer { error, requirements } => world.fail(checks::Failure {
            requirements: requirements.iter().collect(),
            violations: vec![Violation {
                path: "(response)".into(),
                expected: "a complete HTTP answer".into(),
                actual: error,
            }],
        }),
    }
}

/// The requirement a request that got no answer concerns: a restore that should succeed did not
/// answer 200 (RESP-200); a request the server must refuse was not refused, under the
/// scenario's requirements, but never NO-FALSE-SUCCESS, which only forbids a success and is not
/// judged without an answer: there the refusal of the path's id the scenario chose is charged.
fn concerned_requirements(world: &RestoreWorld, expect: Expect, real_target: bool) -> Vec<String> {
    if succeeding(world, expect, real_target) {
        return vec!["RESP-200".into()];
    }
    world.refusal_requirements()
}

/// Whether the request is the restore with the configured credentials of the run's own session
/// and mailbox with the current token: every other the server must refuse.
fn succeeding(world: &RestoreWorld, expect: Expect, real_target: bool) -> bool {
    expect == Expect::Succeeding && real_target && world.authorization == AuthorizationChoice::CurrentSession
}

/// On a live server, the run's one restore with `variant`'s configured credentials, when this
/// scenario's request is that restore (the current session's token, the run's own restore
/// session and mailbox); `None` otherwise, and always against the double. The restores of the
/// configured variants before `variant` are made first, in order, so each is made right after
/// the one before it.
async fn shared_live_restore(world: &mut RestoreWorld, variant: Variant) -> Result<Option<Sent>, String> {
    if !matches!(world.settings().target, Target::Live(_)) || world.authorization != AuthorizationChoice::CurrentSession
    {
        return Ok(None);
    }
    if !real_target(world).await? {
        return Ok(None);
    }
    let run = world.run();
    let exchange = &run.settings().exchange;
    let mut sent = None;
    for earlier in Variant::ALL.into_iter().take_while(|v| *v != variant).filter(|v| exchange.has(*v)).chain([variant])
    {
        let cell = run.variant_restore(earlier);
        let body = Body::Json(exchange.body(earlier)?);
        sent = Some(cell.get_or_init(|| perform(world, body, Expect::Succeeding, true)).await.clone());
    }
    Ok(sent)
}

/// Whether the scenario's request names the run's own restore session and mailbox.
async fn real_target(world: &mut RestoreWorld) -> Result<bool, String> {
    let setup = world.setup().await?.clone();
    Ok(world.session_id.as_deref() == Some(setup.session_id.as_str())
        && world.mailbox_id.as_deref() == Some(setup.mailbox_id.as_str()))
}

async fn send(world: &mut RestoreWorld, body: Body, expect: Expect, could_restore: bool) -> Result<(), String> {
    let (restored, _) = perform(world, body, expect, could_restore).await.map_err(|unsent| message(unsent, world))?;
    keep(world, restored);
    Ok(())
}

/// Keeps a restore's record in the scenario, and notes which round trips served it (the
/// sign-off links a failure to its entries of exchanges.har).
fn keep(world: &mut RestoreWorld, restored: Restored) {
    let statistics = restored.background.as_ref().and_then(|b| b.statistics.recorded);
    world.run().served(&world.location, restored.answer.recorded.into_iter().chain(statistics));
    world.restores.push(restored);
}

/// Checks the body against the request schema first, so a bug in the suite is reported as
/// one and never blamed on the server; refuses to send, on a live server without
/// VB365_ALLOW_RESTORE, a request a server could restore with (`could_restore`, or a body
/// that carries real credentials); then sends it.
/// Answers the restore and the mailbox's latest successful restore before it.
async fn perform(
    world: &mut RestoreWorld,
    body: Body,
    expect: Expect,
    could_restore: bool,
) -> Result<(Restored, Option<Restored>), Unsent> {
    world.left_behind = None;
    if let Body::Json(json) = &body {
        let violations = Document::Request.violations(json);
        match expect {
            Expect::Succeeding | Expect::Conforming if !violations.is_empty() => {
                let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
                return Err(Unsent::Withheld(secrets::scrub(&format!(
                    "suite bug: the request body the suite built does not conform to schemas/{}:\n  {}",
                    Document::Request.file_name(),
                    list.join("\n  ")
                ))));
            }
            Expect::Violating if violations.is_empty() => {
                return Err(Unsent::Withheld(format!(
                    "suite bug: the deliberately wrong request body conforms to schemas/{}",
                    Document::Request.file_name()
                )));
            }
            _ => {}
        }
    }
    let run = world.run();
    let settings = run.settings();
    let real_target = real_target(world).await.map_err(Unsent::Withheld)?;
    if matches!(settings.target, Target::Live(_))
        && !settings.allow_restore
        && real_target
        && world.authorization.carries_issued_token()
        && (could_restore || bodies::carries_credentials(&body, &settings.exchange))
    {
        return Err(Unsent::Withheld(
            "suite bug: this request could restore the mailbox and VB365_ALLOW_RESTORE is not set; it was not sent"
                .into(),
        ));
    }
    let withheld = |message: &str| Unsent::Withheld(message.to_owned());
    let session_id = world.session_id.clone().ok_or_else(|| withheld("no restore session chosen"))?;
    let mailbox_id = world.mailbox_id.clone().ok_or_else(|| withheld("no mailbox chosen"))?;
    let setup = world.setup().await.map_err(Unsent::Withheld)?.clone();
    let requirements = concerned_requirements(world, expect, real_target);
    let no_answer = |error: String| Unsent::NoAnswer { error, requirements: requirements.clone() };
    // v8 statistics name the mailbox by id, or by the address and archive flag the lookup gave.
    let mailbox =
        if mailbox_id == setup.mailbox_id { setup.mailbox.clone() } else { MailboxIdentity::by_id(&mailbox_id) };
    // Restores of one mailbox never overlap (a live server restores one at a time anyway); in
    // v8 the wait for the restore in the background is inside the lock, so "right after" means
    // after it finished.
    // A request the server must refuse is watched for what it changes (`suite::untouched`); on a
    // live server under the lock of the run's mailbox too, so that no restore of it comes between.
    let watching = !succeeding(world, expect, real_target);
    let run_mailbox = run.mailbox_lock(setup.client.base_url(), &setup.mailbox_id);
    let _run_mailbox = match watching && mailbox_id != setup.mailbox_id {
        true => Some(run_mailbox.lock().await),
        false => None,
    };
    let lock = run.mailbox_lock(setup.client.base_url(), &mailbox_id);
    let mut latest = lock.lock().await;
    // Taken once the lock is held, so that a token renewed meanwhile is the one sent (its renewal
    // may itself get no answer).
    let authorization = world.authorization().await.map_err(no_answer)?;
    let watched =
        Watched { client: &setup.client, token: &setup.token, session_id: &setup.session_id, mailbox: &setup.mailbox };
    let before = match watching {
        true => Untouched::take(world.double.as_ref(), &watched).await,
        false => None,
    };
    let restored =
        restore::restore(run.restores(), &setup.client, &setup.token, &authorization, &session_id, &mailbox, &body)
            .await
            .map_err(|error| match error {
                CallError::IncompleteBody { length, recorded, .. } => Unsent::IncompleteBody { length, recorded },
                other => no_answer(other.to_string()),
            })?;
    world.left_behind = match before {
        Some(before) => Some(before.changes(world.double.as_ref(), &watched).await),
        None => None,
    };
    let right_before = latest.clone();
    if (200..300).contains(&restored.answer.status) {
        *latest = Some(restored.clone());
    }
    Ok((restored, right_before))
}
