//! Checking the response. Each step runs one check of `crate::checks`.

use crate::checks::{self, Outcome};
use crate::client::Answer;
use crate::contract::counts::Counts;
use crate::contract::schema::Document;
use crate::suite::restore::Restored;
use cucumber::then;

use crate::runner::world::RestoreWorld;

/// The requirements a whole scenario stands for: the operation itself, a credential variant's
/// Request Example, the page's worked example. Whatever check fails in a scenario tagged with
/// one fails it too, so that each can read FAIL on its own (a 500 where Request Example 1 should
/// restore fails OP-RESTORE and BODY-PASSWORD, not only RESP-200).
const STANDS_FOR: [&str; 5] = ["OP-RESTORE", "BODY-PASSWORD", "BODY-DEVICE-CODE", "BODY-CERTIFICATE", "WORKED-EXAMPLE"];

fn outcome(world: &RestoreWorld, result: Outcome) -> Result<(), String> {
    result.map_err(|mut failure| {
        for id in STANDS_FOR.iter().filter(|id| world.requirements.iter().any(|own| own == *id)) {
            failure.requirements.push(id);
        }
        world.fail(failure)
    })
}

/// The last answer, when it is a success: what a successful answer holds is read from it, and
/// a refusal is reported as it came.
fn success<'a>(world: &'a RestoreWorld, requirement: &str) -> Result<&'a Answer, String> {
    let answer = world.last_answer()?;
    outcome(world, checks::succeeded(answer, requirement))?;
    Ok(answer)
}

#[then("the response code is 200 OK")]
async fn ok(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::status(world.last_answer()?, 200, "RESP-200"))
}

#[then("the request is refused")]
async fn refused(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::error_status(world.last_answer()?, &world.requirement()))?;
    changed_nothing(world)
}

/// A 401 is judged with its challenge (RFC 9110 §11.6.1), under the scenario's requirement.
#[then(regex = r"^the request is refused with (\d{3}) [A-Za-z ]+$")]
async fn refused_with(world: &mut RestoreWorld, code: u16) -> Result<(), String> {
    let answer = world.last_answer()?;
    if code == 401 {
        outcome(world, checks::unauthorized(answer, &world.requirement()))?;
    } else {
        outcome(world, checks::status(answer, code, &world.requirement()))?;
    }
    changed_nothing(world)
}

/// A refusal changes nothing: what the request changed, where the suite can tell
/// (`suite::untouched`), fails the refusal's requirements.
fn changed_nothing(world: &RestoreWorld) -> Result<(), String> {
    let requirements: Vec<String> = world.refusal_requirements();
    outcome(
        world,
        checks::refusal_changed_nothing(
            world.left_behind.as_deref(),
            requirements.iter().collect::<checks::RequirementIds>(),
        ),
    )
}

#[then("the restore does not say that it failed")]
async fn no_failure_said(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::no_failure_said(world.last_restore()?, "OP-RESTORE"))
}

/// The error body, and its Content-Type as the successful answer's is judged (HDR-CONTENT-TYPE,
/// HDR-CONTENT-TYPE-JSON): a client reads both alike.
#[then("the response body is a RESTExceptionInfo with a message")]
async fn exception_info(world: &mut RestoreWorld) -> Result<(), String> {
    let document = Document::error(world.settings().api_version);
    let answer = world.last_answer()?;
    outcome(world, checks::body_conforms(answer, document, &world.requirement()))?;
    outcome(world, checks::content_type_present(answer))?;
    outcome(world, checks::content_type_json(answer))
}

#[then("the response has a Content-Length equal to the length of its body")]
async fn content_length(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::content_length(success(world, "HDR-CONTENT-LENGTH")?))
}

#[then("the response has a Content-Type, and it is not application/octet-stream")]
async fn content_type(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::content_type_present(success(world, "HDR-CONTENT-TYPE")?))
}

#[then("the response's Content-Type is application/json")]
async fn content_type_json(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::content_type_json(success(world, "HDR-CONTENT-TYPE-JSON")?))
}

#[then("the restore reports its item counts as non-negative integers")]
async fn four_counts(world: &mut RestoreWorld) -> Result<(), String> {
    if world.settings().api_version.restores_in_background() {
        outcome(world, checks::statistics_counts(world.last_statistics()?))
    } else {
        outcome(world, checks::body_counts(world.last_answer()?))
    }
}

#[then("the response body's other statistics have their documented types")]
async fn vendor_properties(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::body_vendor_properties(world.last_answer()?))
}

#[then(expr = "the restore reports {int} created, {int} merged, {int} failed and {int} skipped item(s)")]
async fn exact_counts(
    world: &mut RestoreWorld,
    created: u64,
    merged: u64,
    failed: u64,
    skipped: u64,
) -> Result<(), String> {
    let expected = Counts { created, merged, failed, skipped };
    outcome(world, checks::counts(world.last_restore()?, world.settings().api_version, expected))
}

/// The scenario's first restore and its last. Every restore of the mailbox accounts for the
/// same backed-up items, whatever came between them.
fn first_and_last(world: &RestoreWorld) -> Result<(&Restored, &Restored), String> {
    match world.restores.as_slice() {
        [first, .., last] => Ok((first, last)),
        _ => Err("the scenario restored fewer than two times".into()),
    }
}

/// The scenario's last restore and the one right before it: the mailbox's latest restore
/// before it (on a live server another scenario's may have come between the scenario's two).
fn right_after(world: &RestoreWorld) -> Result<(&Restored, &Restored), String> {
    match (world.right_before.as_ref(), world.restores.as_slice()) {
        (Some(before), [.., last]) => Ok((before, last)),
        (None, [.., before, last]) => Ok((before, last)),
        _ => Err("the scenario restored fewer than two times".into()),
    }
}

#[then("the second restore accounts for as many items as the first")]
async fn as_many_items(world: &mut RestoreWorld) -> Result<(), String> {
    let (first, second) = first_and_last(world)?;
    outcome(world, checks::same_items_accounted(first, second, world.settings().api_version))
}

#[then(
    "the second restore creates and merges at most the items the first failed, and skips every item the first created, merged or skipped"
)]
async fn nothing_rewritten(world: &mut RestoreWorld) -> Result<(), String> {
    let (first, second) = right_after(world)?;
    outcome(world, checks::nothing_rewritten(first, second, world.settings().api_version))
}

#[then("the response body holds the sessionId of the restore's session")]
async fn session_id(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::body_conforms(success(world, "V8-SESSION-ID")?, Document::ResponseV8, "V8-SESSION-ID"))
}

#[then("the restore's session reports that the restore finished")]
async fn finished(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::restore_finished(world.last_restore()?))
}

#[then("the restore's statistics account for every backed-up item once")]
async fn every_item_once(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::total_is_every_item(world.last_restore()?))
}

#[then("the restore's statistics have their documented types")]
async fn statistics_types(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::body_conforms(world.last_statistics()?, Document::StatisticsV8, "V8-STATISTICS"))
}

#[then("the statistics count as restored, failed and skipped what their mailbox entries do")]
async fn counts_agree(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::counts_agree(world.last_restore()?))
}

#[then("the result of the restore's session agrees with its statistics and events")]
async fn result_agrees(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::result_agrees(world.last_restore()?))
}

#[then("the restore's statistics list the restored mailbox among the mailboxes they list")]
async fn statistics_of_the_mailbox(world: &mut RestoreWorld) -> Result<(), String> {
    outcome(world, checks::statistics_of_the_mailbox(world.last_restore()?))
}
