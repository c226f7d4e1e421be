//! Why the standalone double cannot start, as data, with the error underneath as `source()`. Its
//! `Display` is the line `vb365-double:` prints (the cause's words included, as it always was).

use std::error::Error;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem;

#[derive(Debug)]
pub enum StartError {
    /// A fault or variation (by name) of other versions than those served (`versions`, as
    /// `--api-version` names them).
    NotInVersion {
        name: String,
        versions: String,
    },
    Runtime {
        source: io::Error,
    },
    /// rcgen could not make `what` (the CA, its key, the certificate, ...).
    MakeCertificate {
        what: &'static str,
        source: rcgen::Error,
    },
    ReadCertificate {
        path: PathBuf,
        source: pem::Error,
    },
    NoPemCertificate {
        path: PathBuf,
    },
    ReadKey {
        path: PathBuf,
        source: pem::Error,
    },
    NotATlsServer {
        source: rustls::Error,
    },
    Listen {
        address: SocketAddr,
        source: io::Error,
    },
    /// The address a listener was given could not be read back.
    LocalAddress {
        source: io::Error,
    },
    WriteCa {
        path: PathBuf,
        source: io::Error,
    },
    Write {
        path: PathBuf,
        source: io::Error,
    },
    CertificateNotBase64 {
        source: base64::DecodeError,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StartError::*;
        match self {
            NotInVersion { name, versions } => write!(f, "{name} does not apply to {versions} (see --list-faults)"),
            Runtime { source } => write!(f, "cannot start a runtime: {source}"),
            MakeCertificate { what, source } => write!(f, "cannot make the {what}: {source}"),
            ReadCertificate { path, source } => write!(f, "cannot read the certificate {}: {source}", path.display()),
            NoPemCertificate { path } => write!(f, "{} holds no PEM certificate", path.display()),
            ReadKey { path, source } => write!(f, "cannot read the private key {}: {source}", path.display()),
            NotATlsServer { source } => write!(f, "the certificate and key do not make a TLS server: {source}"),
            Listen { address, source } => write!(f, "cannot listen on {address}: {source}"),
            LocalAddress { source } => write!(f, "{source}"),
            WriteCa { path, source } => write!(f, "cannot write the CA to {}: {source}", path.display()),
            Write { path, source } => write!(f, "cannot write {}: {source}", path.display()),
            CertificateNotBase64 { source } => write!(f, "the double's certificate is not Base64: {source}"),
        }
    }
}

impl Error for StartError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        use StartError::*;
        match self {
            NotInVersion { .. } | NoPemCertificate { .. } => None,
            Runtime { source } | Listen { source, .. } | LocalAddress { source } => Some(source),
            WriteCa { source, .. } | Write { source, .. } => Some(source),
            MakeCertificate { source, .. } => Some(source),
            ReadCertificate { source, .. } | ReadKey { source, .. } => Some(source),
            NotATlsServer { source } => Some(source),
            CertificateNotBase64 { source } => Some(source),
        }
    }
}
