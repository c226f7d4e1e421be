//! The authorization header of the restore request.

use std::time::Duration;

use cucumber::given;

use crate::runner::world::{AuthorizationChoice, RestoreWorld};

/// The rows of the header whose token the server issued (the plan reads them: a server that does
/// not check what the row varies could restore with such a header).
pub const ISSUED_TOKEN: &[&str] = &[
    "the authorization header holds the refresh token of the current session",
    "the authorization header holds the token of the current session under the Basic scheme",
    "the authorization header holds the token of the current session without a scheme",
    "the authorization header holds a token of the current session that has expired",
];

/// How long a token the embedded double issues for the expired row lives.
const SHORT_LIFETIME: Duration = Duration::from_secs(1);

#[given(
    regex = r"^the authorization header (is missing|holds a malformed token|holds a token the server never issued|holds the refresh token of the current session|holds the token of the current session under the Basic scheme|holds the token of the current session without a scheme|holds a token of the current session that has expired)$"
)]
async fn authorization_header(world: &mut RestoreWorld, case: String) -> Result<(), String> {
    world.authorization = match case.as_str() {
        "is missing" => AuthorizationChoice::Missing,
        "holds a malformed token" => AuthorizationChoice::Malformed,
        "holds a token the server never issued" => AuthorizationChoice::NeverIssued,
        "holds the refresh token of the current session" => {
            world.prepared_token = Some(refresh_token(world).await?);
            AuthorizationChoice::RefreshToken
        }
        "holds the token of the current session under the Basic scheme" => AuthorizationChoice::OtherScheme,
        "holds the token of the current session without a scheme" => AuthorizationChoice::NoScheme,
        "holds a token of the current session that has expired" => {
            world.prepared_token = Some(expired_token(world).await?);
            AuthorizationChoice::Expired
        }
        other => return Err(format!("unknown authorization case {other:?}")),
    };
    Ok(())
}

/// The refresh token of a sign-in of the scenario's own (the run's token stays as it is).
async fn refresh_token(world: &mut RestoreWorld) -> Result<secrecy::SecretString, String> {
    let setup = world.setup().await?.clone();
    let signed_in = setup.token.sign_in_apart(&setup.client).await.map_err(|error| error.to_string())?;
    let signed_in =
        signed_in.ok_or("the run has a given token (VB365_TOKEN) and cannot sign in for a refresh token")?;
    signed_in.refresh_token.ok_or_else(|| "the sign-in answered no refresh_token".to_owned())
}

/// A token of a sign-in of the scenario's own, once its stated lifetime passed. The scenario's own
/// double issues it for a second and lets that second pass at once (its clock is the double's);
/// a live server's tokens live as it says, waited out (the plan leaves the scenario out when that
/// is longer than the timeout).
async fn expired_token(world: &mut RestoreWorld) -> Result<secrecy::SecretString, String> {
    let setup = world.setup().await?.clone();
    let Some(double) = &world.double else {
        return setup.token.expired(&setup.client, world.settings().timeout).await;
    };
    double.set_token_lifetime(SHORT_LIFETIME);
    let signed_in = setup.token.sign_in_apart(&setup.client).await.map_err(|error| error.to_string())?;
    let signed_in = signed_in.ok_or("the run has a given token (VB365_TOKEN) and cannot sign in for another")?;
    if signed_in.lifetime != Some(SHORT_LIFETIME) {
        return Err(format!(
            "the double's sign-in said expires_in {:?}, not the second it was set to",
            signed_in.lifetime
        ));
    }
    double.expire_token(secrecy::ExposeSecret::expose_secret(&signed_in.token));
    Ok(signed_in.token)
}
