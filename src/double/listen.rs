//! Where a double listens: the address asked for, or a free loopback port below the system's
//! ephemeral range.
//!
//! Not the system's own choice (port 0, from the ephemeral range): a run starts a double per
//! scenario, and each answer that closes its connection leaves it waiting out TIME_WAIT on the
//! double's side, holding the double's port. Taken from the ephemeral range, those ports fill it
//! within a few runs (the project's fault matrices run hundreds), and every outgoing connection of
//! the machine then searches the whole range for a port: a fifth of a run's CPU time went to that.
//! Below the range, no outgoing connection ever looks.

use std::io;
use std::net::{SocketAddr, TcpListener};

/// Below Linux's default ephemeral range (32768-60999) and above the well-known services.
const BELOW_EPHEMERAL: std::ops::Range<u16> = 20000..32768;

/// A listener on `address`, or on a free loopback port when `None`.
pub fn listener(address: Option<SocketAddr>) -> io::Result<TcpListener> {
    let Some(address) = address else { return free_loopback() };
    TcpListener::bind(address)
}

fn free_loopback() -> io::Result<TcpListener> {
    below_ephemeral(io::Error::new(io::ErrorKind::AddrInUse, "every loopback port from 20000 to 32767 is taken"))
}

/// The first port below the ephemeral range that binds, from a place that differs by process
/// and moment (doubles of concurrent runs seldom try the same ports). A port whose only sockets
/// wait out TIME_WAIT binds (std sets SO_REUSEADDR); one another program listens on does not.
fn below_ephemeral(exhausted: io::Error) -> io::Result<TcpListener> {
    let span = u32::from(BELOW_EPHEMERAL.end - BELOW_EPHEMERAL.start);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let start = (nanos ^ std::process::id().wrapping_mul(2_654_435_761)) % span;
    (0..span)
        .map(|offset| BELOW_EPHEMERAL.start + u16::try_from((start + offset) % span).unwrap_or(0))
        .find_map(|port| TcpListener::bind(("127.0.0.1", port)).ok())
        .ok_or(exhausted)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_free_port_is_taken_below_the_ephemeral_range() {
        let listener = super::listener(None).expect("a port below the range");
        let port = listener.local_addr().expect("address").port();
        assert!(super::BELOW_EPHEMERAL.contains(&port), "{port}");
    }
}
