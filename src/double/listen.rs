//! Where a double listens: the address asked for, or a free loopback port.
//!
//! A free port is the system's (port 0, from its ephemeral range) while it has one. A machine
//! that opens connections by the ten thousand (the project's own fault matrices: hundreds of
//! runs, each a double per scenario) can have every port of that range held by a closed
//! client connection waiting out TIME_WAIT; a listener then takes a port below the range,
//! which no outgoing connection ever holds.

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
    match TcpListener::bind(("127.0.0.1", 0)) {
        Err(error) if error.kind() == io::ErrorKind::AddrInUse => below_ephemeral(error),
        bound => bound,
    }
}

/// The first port below the ephemeral range that binds, from a place that differs by process
/// and moment (doubles of concurrent runs seldom try the same ports).
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
    fn a_port_below_the_ephemeral_range_is_taken_when_the_system_has_none_free() {
        let exhausted = std::io::Error::from(std::io::ErrorKind::AddrInUse);
        let listener = super::below_ephemeral(exhausted).expect("a port below the range");
        let port = listener.local_addr().expect("address").port();
        assert!(super::BELOW_EPHEMERAL.contains(&port), "{port}");
    }
}
