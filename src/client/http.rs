//! The run's HTTP clients, as the settings say to wait and whom to trust.

use std::fmt;
use std::time::Duration;

use super::error::one_line;

/// How the run's HTTP client waits and whom it trusts.
#[derive(Clone, Copy, Debug)]
pub struct HttpOptions<'a> {
    /// Per request.
    pub timeout: Duration,
    /// Accept any server certificate (VB365_INSECURE).
    pub insecure: bool,
    /// A PEM file of a CA to trust besides the system's (VB365_CA_CERT).
    pub ca_cert: Option<&'a std::path::Path>,
    /// Whether HTTPS may be spoken at all: a run against the embedded double speaks plain HTTP,
    /// and loading the system's trusted CAs was a tenth of its time.
    pub https: bool,
}

/// Why the HTTP client could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientError {
    CaUnreadable { path: String, error: String },
    NoPemCertificate { path: String },
    Build(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::CaUnreadable { path, error } => write!(f, "VB365_CA_CERT: cannot read {path}: {error}"),
            ClientError::NoPemCertificate { path } => write!(f, "VB365_CA_CERT: {path} holds no PEM certificate"),
            ClientError::Build(error) => write!(f, "cannot build the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// The HTTP clients of a run, built once: loading the trusted certificates is the costliest
/// part of a request to the double.
pub fn http_client(options: HttpOptions<'_>) -> Result<Http, ClientError> {
    Ok(Http { reused: build(options, true)?, fresh: build(options, false)?, recorder: Default::default() })
}

/// The run's two HTTP clients: one that keeps connections open for the next request, one that
/// opens a connection for each. A server (or its load balancer) may close a connection after
/// any answer, with or without `Connection: close`, and a request sent on it then fails: only a
/// GET, which changes nothing, is sent on a connection used before, and once more on a new one
/// when that failed. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct Http {
    reused: reqwest::Client,
    fresh: reqwest::Client,
    recorder: super::Recorder,
}

impl Http {
    /// The client that keeps connections for the next request.
    pub(super) fn reused(&self) -> &reqwest::Client {
        &self.reused
    }

    /// The client that opens a connection for each request.
    pub(super) fn fresh(&self) -> &reqwest::Client {
        &self.fresh
    }

    /// Every round trip sent with these clients, in order.
    pub fn recorder(&self) -> &super::Recorder {
        &self.recorder
    }

    /// The client requests are built with (either sends them).
    pub(super) fn builder(&self) -> &reqwest::Client {
        &self.fresh
    }
}

fn build(options: HttpOptions<'_>, reuse: bool) -> Result<reqwest::Client, ClientError> {
    // reqwest is built without a TLS provider of its own: rustls with ring (no C build).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder().timeout(options.timeout).danger_accept_invalid_certs(options.insecure);
    // Every request accepts only identity (RFC 9110 §12.5.3): the judge reads bodies as they
    // came, so a server that codes its answer anyway departs from a SHOULD and is told so.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ACCEPT_ENCODING, reqwest::header::HeaderValue::from_static("identity"));
    if !reuse {
        // A client that keeps no connection says so in every request (RFC 9112 §9.6): the server
        // closes the connection after its answer, and the run's many short connections leave
        // no local port waiting (TIME_WAIT) on this machine.
        headers.insert(reqwest::header::CONNECTION, reqwest::header::HeaderValue::from_static("close"));
        builder = builder.pool_max_idle_per_host(0);
    }
    builder = builder.default_headers(headers);
    if !options.https {
        builder = builder.tls_certs_only([]);
    }
    if let Some(path) = options.ca_cert {
        let display = path.display().to_string();
        let pem = std::fs::read(path)
            .map_err(|error| ClientError::CaUnreadable { path: display.clone(), error: error.to_string() })?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem)
            .ok()
            .filter(|certificates| !certificates.is_empty())
            .ok_or(ClientError::NoPemCertificate { path: display })?;
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder.build().map_err(|error| ClientError::Build(one_line(&error)))
}
