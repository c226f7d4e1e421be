//! The double's HTTPS front: a TLS accept loop (tokio-rustls, ring) that relays each
//! connection to the double's plain HTTP address. Its certificate is made at start for
//! `localhost` and `127.0.0.1`, signed by a CA made with it (whose PEM a client trusts), or
//! read from PEM files.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use super::start_error::StartError;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A server certificate chain and its key.
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    /// The CA that signed a generated certificate, as PEM; `None` for one read from files.
    pub ca_pem: Option<String>,
}

impl Identity {
    /// A certificate for `localhost` and `127.0.0.1` (and `names`), signed by a CA made now.
    pub fn generate(names: &[&str]) -> Result<Identity, StartError> {
        let failed = |what, source| StartError::MakeCertificate { what, source };
        let ca_key = KeyPair::generate().map_err(|e| failed("CA key", e))?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(|e| failed("CA", e))?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "vb365-double CA (made at start, for tests only)");
        let ca = ca_params.self_signed(&ca_key).map_err(|e| failed("CA", e))?;
        let server_key = KeyPair::generate().map_err(|e| failed("server key", e))?;
        let mut subject_names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        subject_names.extend(names.iter().map(|name| (*name).to_owned()));
        let mut params = CertificateParams::new(subject_names).map_err(|e| failed("certificate", e))?;
        params.distinguished_name.push(DnType::CommonName, "vb365-double");
        let server =
            params.signed_by(&server_key, &Issuer::new(ca_params, ca_key)).map_err(|e| failed("certificate", e))?;
        Ok(Identity {
            chain: vec![server.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            ca_pem: Some(ca.pem()),
        })
    }

    /// A certificate chain and its private key from PEM files.
    pub fn from_pem_files(certificate: &Path, key: &Path) -> Result<Identity, StartError> {
        let chain = CertificateDer::pem_file_iter(certificate)
            .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
            .map_err(|source| StartError::ReadCertificate { path: certificate.to_owned(), source })?;
        if chain.is_empty() {
            return Err(StartError::NoPemCertificate { path: certificate.to_owned() });
        }
        let key =
            PrivateKeyDer::from_pem_file(key).map_err(|source| StartError::ReadKey { path: key.to_owned(), source })?;
        Ok(Identity { chain, key, ca_pem: None })
    }

    fn acceptor(self) -> Result<TlsAcceptor, StartError> {
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .and_then(|builder| builder.with_no_client_auth().with_single_cert(self.chain, self.key))
            .map_err(|source| StartError::NotATlsServer { source })?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

/// A running TLS front; dropping it stops it.
pub struct TlsFront {
    pub address: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsFront {
    /// Listens on `listen` (a free loopback port when `None`) on the current tokio runtime and
    /// relays every TLS connection to `backend`.
    pub async fn start(
        identity: Identity,
        backend: SocketAddr,
        listen: Option<SocketAddr>,
    ) -> Result<TlsFront, StartError> {
        let acceptor = identity.acceptor()?;
        let listener = super::listen::listener(listen)
            .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
            .and_then(tokio::net::TcpListener::from_std)
            .map_err(|source| StartError::Listen {
                address: listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartError::LocalAddress { source })?;
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let _ = stream.set_nodelay(true);
                    let Ok(mut tls) = acceptor.accept(stream).await else { return };
                    let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else { return };
                    let _ = plain.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        Ok(TlsFront { address, task })
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn pem_files_that_cannot_be_used_say_which_and_keep_the_cause() {
        let missing = Path::new("/nowhere/server.pem");
        let Err(error) = Identity::from_pem_files(missing, missing) else { panic!("no such file") };
        assert!(matches!(&error, StartError::ReadCertificate { path, .. } if path == missing), "{error:?}");
        let cause = error.source().map(ToString::to_string).expect("the I/O error beneath");
        assert_eq!(error.to_string(), format!("cannot read the certificate /nowhere/server.pem: {cause}"));

        let empty = std::env::temp_dir().join(format!("vb365-double-no-pem-{}.pem", std::process::id()));
        std::fs::write(&empty, "no PEM here\n").expect("a temporary file");
        let result = Identity::from_pem_files(&empty, missing);
        let _ = std::fs::remove_file(&empty);
        let Err(error) = result else { panic!("no certificate in it") };
        assert_eq!(error.to_string(), format!("{} holds no PEM certificate", empty.display()));
        assert!(error.source().is_none());
    }
}
