//! Sending the restore request, the operation under test.

use cucumber::when;
use vb365_conformance::checks;
use vb365_conformance::client::Body;
use vb365_conformance::credentials::Variant;
use vb365_conformance::schema::{Document, Violation};
use vb365_conformance::secrets;

use vb365_conformance::bodies;
use vb365_conformance::settings::Target;

use crate::world::{AuthorizationChoice, RestoreWorld, mailbox_lock, settings};

#[when(
    regex = r"^the mailbox is restored(?: again)? with the (user name and password|device code|application certificate)$"
)]
async fn restore_with(world: &mut RestoreWorld, variant: String) -> Result<(), String> {
    let variant: Variant = variant.parse()?;
    let body = settings().exchange.body(variant)?;
    send(world, Body::Json(body), Expect::Conforming).await
}

/// A user that does not exist, with a password: the organization refuses them, and no real
/// account is locked out by the attempt.
#[when("the mailbox is restored with Exchange credentials the organization does not know")]
async fn restore_with_unknown_credentials(world: &mut RestoreWorld) -> Result<(), String> {
    let configured = settings().exchange.password.as_ref().map(|c| c.user_name.as_str()).unwrap_or("user@example.com");
    let domain = configured.rsplit_once('@').map_or("example.com", |(_, domain)| domain);
    let unknown = uuid::Uuid::new_v4().simple().to_string();
    let password = vb365_conformance::credentials::secret(format!("wrong-{unknown}"));
    let body = serde_json::json!({
        "userName": format!("vb365-conformance-no-such-user-{}@{domain}", &unknown[..8]),
        "userPassword": secrecy::ExposeSecret::expose_secret(&password),
    });
    send(world, Body::Json(body), Expect::Conforming).await
}

#[when(regex = r"^a restore request is sent whose body is (.+)$")]
async fn restore_with_wrong_body(world: &mut RestoreWorld, phrase: String) -> Result<(), String> {
    let body = bodies::malformed(&phrase, &settings().exchange)?;
    send(world, body, Expect::Violating).await
}

/// Whether the body is meant to conform to the request schema.
enum Expect {
    Conforming,
    Violating,
}

/// Checks the body against the request schema first, so a bug in the suite is reported as
/// one and never blamed on the server; then sends it.
async fn send(world: &mut RestoreWorld, body: Body, expect: Expect) -> Result<(), String> {
    if let Body::Json(json) = &body {
        let violations = Document::Request.violations(json);
        match expect {
            Expect::Conforming if !violations.is_empty() => {
                let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
                return Err(secrets::scrub(&format!(
                    "suite bug: the request body the suite built does not conform to schemas/{}:\n  {}",
                    Document::Request.file_name(),
                    list.join("\n  ")
                )));
            }
            Expect::Violating if violations.is_empty() => {
                return Err(format!(
                    "suite bug: the deliberately wrong request body conforms to schemas/{}",
                    Document::Request.file_name()
                ));
            }
            _ => {}
        }
    }
    let settings = settings();
    if matches!(settings.target, Target::Live(_)) && !settings.allow_restore {
        let setup = world.setup().await?.clone();
        let real_target = world.session_id.as_deref() == Some(setup.session_id.as_str())
            && world.mailbox_id.as_deref() == Some(setup.mailbox_id.as_str());
        if real_target
            && world.authorization == AuthorizationChoice::CurrentSession
            && bodies::carries_credentials(&body, &settings.exchange)
        {
            return Err(
                "suite bug: this request could restore the mailbox and VB365_ALLOW_RESTORE is not set; it was not sent"
                    .into(),
            );
        }
    }
    let authorization = world.authorization()?;
    let session_id = world.session_id.clone().ok_or("no restore session chosen")?;
    let mailbox_id = world.mailbox_id.clone().ok_or("no mailbox chosen")?;
    let requirement = world.requirement();
    let client = world.setup().await?.client.clone();
    // Restores of one mailbox never overlap (a live server restores one at a time anyway).
    let lock = mailbox_lock(client.base_url(), &mailbox_id);
    let _restoring = lock.lock().await;
    let exchange = client.restore(&authorization, &session_id, &mailbox_id, &body).await.map_err(|error| {
        checks::Failure {
            requirement: requirement.clone(),
            violations: vec![Violation {
                path: "(response)".into(),
                expected: "a complete HTTP answer".into(),
                actual: error.to_string(),
            }],
        }
        .to_string()
    })?;
    // v8 restores in the background: wait for it here, inside the mailbox's lock, so that no
    // other restore of the mailbox overlaps and "right after" means after it finished.
    let background_session = (client.version().restores_in_background() && exchange.status == 200)
        .then(|| exchange.json().ok()?.get("sessionId")?.as_str().map(str::to_owned))
        .flatten();
    let statistics = match background_session {
        Some(session) => {
            Some(client.wait_for_restore(&world.setup().await?.token, &session).await.map_err(|e| e.to_string())?)
        }
        None => None,
    };
    world.exchanges.push(exchange);
    world.statistics.push(statistics);
    Ok(())
}
