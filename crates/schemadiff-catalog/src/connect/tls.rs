//! TLS with rustls, as libpq's `sslmode`s verify: the root certificates and a verifier that checks the chain,
//! and the host name only for `verify-full`.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verify {
    None,
    Chain,
    Full,
}

pub(super) fn load_roots(root: &RootCert) -> Result<RootCertStore, ConnectError> {
    let mut store = RootCertStore::empty();
    match root {
        RootCert::File(path) => {
            let data = fs::read(path).map_err(|e| {
                ConnectError::Tls(format!(
                    "could not read root certificate file \"{}\": {e}",
                    path.display()
                ))
            })?;
            for cert in CertificateDer::pem_slice_iter(&data) {
                let cert = cert.map_err(|e| {
                    ConnectError::Tls(format!(
                        "could not parse root certificate file \"{}\": {e}",
                        path.display()
                    ))
                })?;
                store.add(cert).map_err(|e| {
                    ConnectError::Tls(format!(
                        "invalid certificate in root certificate file \"{}\": {e}",
                        path.display()
                    ))
                })?;
            }
            if store.is_empty() {
                return Err(ConnectError::Tls(format!(
                    "no certificates found in root certificate file \"{}\" (PEM expected)",
                    path.display()
                )));
            }
        }
        RootCert::System => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                let why = found
                    .errors
                    .first()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                return Err(ConnectError::Tls(format!(
                    "sslrootcert=system: no trusted root certificates found on this system{why}; \
                     install the CA certificates (e.g. the ca-certificates package) or give \
                     sslrootcert=<CA file>"
                )));
            }
        }
    }
    Ok(store)
}

/// libpq's certificate checks: none, the chain only, or chain and host name.
#[derive(Debug)]
pub(super) struct PgServerVerifier {
    pub(super) verify: Verify,
    pub(super) roots: Option<Arc<RootCertStore>>,
    pub(super) provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PgServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.verify == Verify::None {
            return Ok(ServerCertVerified::assertion());
        }
        let Some(roots) = &self.roots else {
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            ));
        };
        let cert = ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &cert,
            roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )?;
        if self.verify == Verify::Full {
            rustls::client::verify_server_name(&cert, server_name)?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
