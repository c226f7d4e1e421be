//! Ctrl-C and SIGTERM at any point: the restore session the suite started is stopped, and the
//! run ends with 130 or 143.

use crate::secrets::scrub;
use crate::suite::setup::StartedSession;

use crate::runner::Stop;

/// Resolves with the exit status when the run is interrupted: 130 for SIGINT (Ctrl-C), 143 for
/// SIGTERM. Registered now, not when first polled: a signal that comes while setup connects is
/// caught.
pub fn interruption() -> impl std::future::Future<Output = u8> {
    let stopping = crate::signals::stopping();
    async move { stopping.await.exit_status() }
}

/// Stops the restore session the suite started, if any, and says so.
pub async fn stop_and_exit(code: u8, when: &str, started: &StartedSession) -> Stop {
    let signal = if code == 143 { "SIGTERM" } else { "Ctrl-C (SIGINT)" };
    let stopped = match started.stop().await {
        Ok(sessions) if sessions.is_empty() => String::new(),
        Ok(sessions) => format!("; restore session {} stopped", sessions.join(", ")),
        Err(error) => format!("; could not stop the restore session: {}", scrub(&error.to_string())),
    };
    eprintln!("vb365-conformance: interrupted{stopped}");
    Stop::Interrupted(code, format!("interrupted by {signal} {when}{stopped}"))
}
