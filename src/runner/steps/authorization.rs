//! The authorization header of the restore request.

use cucumber::given;

use crate::runner::world::{AuthorizationChoice, RestoreWorld};

#[given(
    regex = r"^the authorization header (is missing|holds a malformed token|holds a token the server never issued)$"
)]
async fn authorization_header(world: &mut RestoreWorld, case: String) -> Result<(), String> {
    world.authorization = match case.as_str() {
        "is missing" => AuthorizationChoice::Missing,
        "holds a malformed token" => AuthorizationChoice::Malformed,
        "holds a token the server never issued" => AuthorizationChoice::NeverIssued,
        other => return Err(format!("unknown authorization case {other:?}")),
    };
    Ok(())
}
