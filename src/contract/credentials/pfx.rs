//! Opening a PKCS#12 (.pfx) file with its password as far as a wrong password or a file without
//! a key can show, without decrypting anything: the password must pass the file's integrity check
//! (its MAC, RFC 7292 appendix B), and a private key must be in its unencrypted contents, where
//! Windows and OpenSSL both put the (separately encrypted) key. ring computes the MAC, yasna reads
//! the BER. What cannot be checked this way (a file without a MAC, a MAC algorithm other than
//! HMAC-SHA-1/256/384/512, a key only inside encrypted contents) is left to the server: a refusal
//! of configured credentials then ends the run as a setup error naming the settings.

use ring::{digest, hmac};
use yasna::models::ObjectIdentifier;
use yasna::{ASN1Error, ASN1ErrorKind, BERReader, Tag};

/// What opening a file showed.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Opened {
    /// Nothing against it: the MAC matched (or could not be checked) and a key is, or may be, in it.
    Fine,
    WrongPassword,
    NoPrivateKey,
    NotPkcs12(String),
}

const DATA: &[u64] = &[1, 2, 840, 113_549, 1, 7, 1];
const KEY_BAG: &[u64] = &[1, 2, 840, 113_549, 1, 12, 10, 1, 1];
const SHROUDED_KEY_BAG: &[u64] = &[1, 2, 840, 113_549, 1, 12, 10, 1, 2];
const SHA1: &[u64] = &[1, 3, 14, 3, 2, 26];
const SHA256: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 1];
const SHA384: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 2];
const SHA512: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 3];
/// More MAC iterations than any exporter writes: such a file is left to the server, not hashed.
const MOST_ITERATIONS: u64 = 10_000_000;

/// The PFX: its authenticated contents (the octets the MAC covers) and its MAC.
struct Pfx {
    auth_safe: Vec<u8>,
    mac: Option<Mac>,
}

struct Mac {
    algorithm: ObjectIdentifier,
    digest: Vec<u8>,
    salt: Vec<u8>,
    iterations: u64,
}

pub(super) fn open(bytes: &[u8], password: &str) -> Opened {
    let pfx = match yasna::parse_ber(bytes, read_pfx) {
        Ok(pfx) => pfx,
        Err(error) => return Opened::NotPkcs12(describe(&error)),
    };
    if pfx.mac.as_ref().and_then(|mac| mac_matches(mac, &pfx.auth_safe, password)) == Some(false) {
        return Opened::WrongPassword;
    }
    match yasna::parse_ber(&pfx.auth_safe, read_key_presence) {
        Ok(KeyPresence { seen: false, hidden: false }) => Opened::NoPrivateKey,
        Ok(_) => Opened::Fine,
        Err(error) => Opened::NotPkcs12(describe(&error)),
    }
}

fn describe(error: &ASN1Error) -> String {
    match error.kind() {
        ASN1ErrorKind::Eof => "its ASN.1 structure ends too early".into(),
        ASN1ErrorKind::Extra => "data follows its ASN.1 structure".into(),
        ASN1ErrorKind::IntegerOverflow => "an integer in it is too large".into(),
        ASN1ErrorKind::StackOverflow => "its ASN.1 structure is nested too deeply".into(),
        ASN1ErrorKind::Invalid => "it is not the ASN.1 structure of a PFX".into(),
    }
}

/// PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, macData MacData OPTIONAL }
fn read_pfx(reader: BERReader) -> Result<Pfx, ASN1Error> {
    reader.read_sequence(|seq| {
        let _version = seq.next().read_u64()?;
        let auth_safe = seq.next().read_sequence(|content| {
            if content.next().read_oid()?.components().as_slice() != DATA {
                // Public-key integrity (signed data): no password integrity to check.
                return Err(ASN1Error::new(ASN1ErrorKind::Invalid));
            }
            content.next().read_tagged(Tag::context(0), |octets| octets.read_bytes())
        })?;
        let mac = seq.read_optional(|reader| {
            reader.read_sequence(|mac| {
                let (algorithm, digest) = mac.next().read_sequence(|info| {
                    let algorithm = info.next().read_sequence(|algorithm| {
                        let oid = algorithm.next().read_oid()?;
                        algorithm.read_optional(|parameters| parameters.read_null())?;
                        Ok(oid)
                    })?;
                    Ok((algorithm, info.next().read_bytes()?))
                })?;
                let salt = mac.next().read_bytes()?;
                let iterations = mac.read_default(1, |iterations| iterations.read_u64())?;
                Ok(Mac { algorithm, digest, salt, iterations })
            })
        })?;
        Ok(Pfx { auth_safe, mac })
    })
}

struct KeyPresence {
    /// A key bag in unencrypted contents.
    seen: bool,
    /// Encrypted contents, whose bags cannot be seen without decrypting them.
    hidden: bool,
}

/// AuthenticatedSafe ::= SEQUENCE OF ContentInfo; SafeContents ::= SEQUENCE OF SafeBag.
fn read_key_presence(reader: BERReader) -> Result<KeyPresence, ASN1Error> {
    let mut presence = KeyPresence { seen: false, hidden: false };
    reader.read_sequence_of(|content_info| {
        content_info.read_sequence(|content| {
            let data = content.next().read_oid()?.components().as_slice() == DATA;
            let value = content.read_optional(|value| value.read_tagged(Tag::context(0), |v| v.read_der()))?;
            match (data, value) {
                (true, Some(value)) => {
                    let safe_contents = yasna::parse_ber(&value, |octets| octets.read_bytes())?;
                    presence.seen |= yasna::parse_ber(&safe_contents, read_key_bag)?;
                }
                (false, Some(_)) => presence.hidden = true,
                (_, None) => {}
            }
            Ok(())
        })
    })?;
    Ok(presence)
}

fn read_key_bag(reader: BERReader) -> Result<bool, ASN1Error> {
    let mut key = false;
    reader.read_sequence_of(|bag| {
        bag.read_sequence(|bag| {
            let id = bag.next().read_oid()?;
            key |= [KEY_BAG, SHROUDED_KEY_BAG].contains(&id.components().as_slice());
            bag.next().read_der()?;
            bag.read_optional(|attributes| attributes.read_der())?;
            Ok(())
        })
    })?;
    Ok(key)
}

/// Whether the MAC matches `password`; `None` when it cannot be checked here.
fn mac_matches(mac: &Mac, auth_safe: &[u8], password: &str) -> Option<bool> {
    let (hash, algorithm, block) = match mac.algorithm.components().as_slice() {
        SHA1 => (&digest::SHA1_FOR_LEGACY_USE_ONLY, hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, 64),
        SHA256 => (&digest::SHA256, hmac::HMAC_SHA256, 64),
        SHA384 => (&digest::SHA384, hmac::HMAC_SHA384, 128),
        SHA512 => (&digest::SHA512, hmac::HMAC_SHA512, 128),
        _ => return None,
    };
    if mac.iterations == 0 || mac.iterations > MOST_ITERATIONS {
        return None;
    }
    let key = derive_key(hash, block, password, &mac.salt, mac.iterations);
    Some(hmac::verify(&hmac::Key::new(algorithm, &key), auth_safe, &mac.digest).is_ok())
}

/// The MAC key (ID 3) of RFC 7292 appendix B.2, as long as the hash's output.
fn derive_key(hash: &'static digest::Algorithm, block: usize, password: &str, salt: &[u8], iterations: u64) -> Vec<u8> {
    const MAC_KEY: u8 = 3;
    // The password as a BMPString with its two-byte terminator.
    let mut password: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    password.extend([0, 0]);
    let fill =
        |bytes: &[u8]| -> Vec<u8> { bytes.iter().cycle().take(block * bytes.len().div_ceil(block)).copied().collect() };
    let mut input = [fill(salt), fill(&password)].concat();
    let diversifier = vec![MAC_KEY; block];
    let mut key = Vec::new();
    while key.len() < hash.output_len() {
        let mut context = digest::Context::new(hash);
        context.update(&diversifier);
        context.update(&input);
        let mut a = context.finish();
        for _ in 1..iterations {
            a = digest::digest(hash, a.as_ref());
        }
        key.extend_from_slice(a.as_ref());
        let b: Vec<u8> = a.as_ref().iter().cycle().take(block).copied().collect();
        for chunk in input.chunks_mut(block) {
            // chunk = (chunk + b + 1) mod 2^(8 * block), big-endian.
            let mut carry = 1u16;
            for (byte, add) in chunk.iter_mut().zip(&b).rev() {
                let sum = u16::from(*byte) + u16::from(*add) + carry;
                *byte = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    key.truncate(hash.output_len());
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "fixture-pfx-password";

    #[test]
    fn openssl_3_defaults_aes_and_hmac_sha256() {
        let file = crate::contract::credentials::BUILT_IN_PFX;
        assert_eq!(open(file, PASSWORD), Opened::Fine);
        assert_eq!(open(file, "not-the-password"), Opened::WrongPassword);
        assert_eq!(open(file, ""), Opened::WrongPassword);
    }

    #[test]
    fn legacy_triple_des_and_hmac_sha1() {
        let file = include_bytes!("../../../tests/fixtures/pfx/legacy-sha1-3des.pfx");
        assert_eq!(open(file, PASSWORD), Opened::Fine);
        assert_eq!(open(file, "fixture-pfx-passwore"), Opened::WrongPassword);
    }

    #[test]
    fn a_file_without_a_key_is_said_to_be_one() {
        let file = include_bytes!("../../../tests/fixtures/pfx/certificate-only.pfx");
        assert_eq!(open(file, PASSWORD), Opened::NoPrivateKey);
    }

    #[test]
    fn a_file_without_a_mac_is_left_to_the_server() {
        let file = include_bytes!("../../../tests/fixtures/pfx/no-mac.pfx");
        assert_eq!(open(file, "any password"), Opened::Fine);
    }

    #[test]
    fn what_is_not_a_pfx_says_so() {
        assert!(matches!(open(b"-----BEGIN CERTIFICATE-----", PASSWORD), Opened::NotPkcs12(_)));
        let file = include_bytes!("../../../tests/fixtures/restore-application.pfx");
        assert!(matches!(open(&file[..file.len() / 2], PASSWORD), Opened::NotPkcs12(_)));
    }
}
