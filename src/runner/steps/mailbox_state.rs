//! The state of the original mailbox, set on the double (scenarios tagged @double-only).

use cucumber::given;

use crate::runner::world::RestoreWorld;

#[given(expr = "the original mailbox lacks {int} backed-up item(s), has {int} changed and {int} unchanged")]
async fn mailbox_drift(world: &mut RestoreWorld, missing: u32, changed: u32, unchanged: u32) -> Result<(), String> {
    world.drift = crate::double::Drift { missing, changed, unchanged, ..world.drift };
    apply(world).await
}

#[given(expr = "the original mailbox refuses to have {int} of the missing items written")]
async fn unwritable(world: &mut RestoreWorld, unwritable_missing: u32) -> Result<(), String> {
    if unwritable_missing > world.drift.missing {
        return Err(format!(
            "the scenario makes {unwritable_missing} items unwritable but only {} are missing",
            world.drift.missing
        ));
    }
    world.drift.unwritable_missing = unwritable_missing;
    apply(world).await
}

#[given(expr = "the original mailbox holds {int} item(s), unchanged since the backup")]
async fn unchanged_only(world: &mut RestoreWorld, unchanged: u32) -> Result<(), String> {
    world.drift = crate::double::Drift { unchanged, ..Default::default() };
    apply(world).await
}

async fn apply(world: &mut RestoreWorld) -> Result<(), String> {
    let mailbox_id = world.mailbox_id.clone().ok_or("no mailbox chosen yet")?;
    let drift = world.drift;
    world.double().await?.set_drift(&mailbox_id, drift);
    Ok(())
}
