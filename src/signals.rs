//! The signals that end a process gracefully, Ctrl-C (SIGINT) and SIGTERM, listened to from the
//! moment [`stopping`] is called, not from its first poll: a signal that comes in between (a
//! supervisor that stops a program as soon as it says it is ready) is not lost to the default
//! action, which would end the process without its clean-up.

use std::future::Future;

/// Which signal came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopping {
    CtrlC,
    Terminate,
}

impl Stopping {
    pub fn name(self) -> &'static str {
        match self {
            Stopping::CtrlC => "Ctrl-C",
            Stopping::Terminate => "SIGTERM",
        }
    }

    /// The exit status of a program the signal ended: 128 and the signal's number.
    pub fn exit_status(self) -> u8 {
        match self {
            Stopping::CtrlC => 130,
            Stopping::Terminate => 143,
        }
    }
}

/// Resolves with the first of Ctrl-C or SIGTERM to come after this call.
#[cfg(unix)]
pub fn stopping() -> impl Future<Output = Stopping> {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let interrupt = signal(SignalKind::interrupt()).ok();
    let terminate = signal(SignalKind::terminate()).ok();
    async fn next(signal: Option<Signal>) {
        match signal {
            Some(mut signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    }
    async move {
        tokio::select! {
            _ = next(interrupt) => Stopping::CtrlC,
            _ = next(terminate) => Stopping::Terminate,
        }
    }
}

/// Resolves with Ctrl-C (the one such signal elsewhere).
#[cfg(not(unix))]
pub fn stopping() -> impl Future<Output = Stopping> {
    async {
        let _ = tokio::signal::ctrl_c().await;
        Stopping::CtrlC
    }
}
