//! The keyed mode of the log: a forward-secure MAC chain.
//!
//! The organisation keeps an initial key K0 (the *verifier key*, e.g. a CI secret);
//! the writer keeps only the key of the next record, in the *key file* beside the log.
//! Record `seq` is MACed with K(seq) — HMAC-SHA256 over the record's line without its
//! `mac` field — where K(start) = K0 and K(n+1) = SHA-256("tiergate-audit-key" ||
//! K(n)). After the records of an append are durable, the key file is overwritten in
//! place with the key of the record after them, so the keys of written records are no
//! longer on the machine: whoever reads the key file later can MAC records to come, but
//! cannot forge, edit, drop or reorder the earlier ones, nor wind the key file back
//! (the hash is one-way), which is what makes a removed tail visible.
//!
//! The key file holds its record number and a check value, so a file damaged by a
//! crash mid-write is refused rather than used.

use std::io::Write as _;
use std::path::Path;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// 32 bytes.
pub type Key = [u8; 32];

/// Prefix of a record's `mac`.
pub const MAC_PREFIX: &str = "hmac-sha256:";

const KEY_DOMAIN: &[u8] = b"tiergate-audit-key";
const COMMIT_DOMAIN: &[u8] = b"tiergate-audit-commitment";
const CHECK_DOMAIN: &[u8] = b"tiergate-audit-keyfile";

/// Bytes of the key file: its JSON padded with spaces and a newline, rewritten in
/// place with one write of the same size.
pub const KEY_FILE_LEN: usize = 160;

/// The key of the record after the one `key` belongs to.
pub fn next(key: &Key) -> Key {
    let mut h = Sha256::new();
    h.update(KEY_DOMAIN);
    h.update(key);
    h.finalize().into()
}

/// The key of record `to`, from the key of record `from` (`from <= to`).
pub fn advance(key: &Key, from: u64, to: u64) -> Key {
    debug_assert!(from <= to);
    let mut k = *key;
    for _ in from..to {
        k = next(&k);
    }
    k
}

/// `hmac-sha256:<hex>` of `body` under `key`.
pub fn mac(key: &Key, body: &[u8]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(body);
    format!("{MAC_PREFIX}{}", hex(&m.finalize().into_bytes()))
}

/// Whether `tag` (`hmac-sha256:<hex>`) is the MAC of `body` under `key`, compared in
/// constant time.
pub fn mac_matches(key: &Key, body: &[u8], tag: &str) -> bool {
    let Some(bytes) = tag.strip_prefix(MAC_PREFIX).and_then(unhex) else {
        return false;
    };
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(body);
    m.verify_slice(&bytes).is_ok()
}

/// A public commitment to the key of record `seq`, for anchors: a verifier holding
/// K0 recomputes it; nobody learns the key from it.
pub fn commitment(key: &Key) -> String {
    let mut h = Sha256::new();
    h.update(COMMIT_DOMAIN);
    h.update(key);
    format!("sha256:{}", hex(&h.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2)
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn key_from_hex(text: &str) -> Option<Key> {
    unhex(text)?.try_into().ok()
}

/// The writer's key file: the key of record `seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyState {
    pub seq: u64,
    pub key: Key,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFileJson {
    seq: u64,
    key: String,
    check: String,
}

fn check_value(seq: u64, key: &Key) -> String {
    let mut h = Sha256::new();
    h.update(CHECK_DOMAIN);
    h.update(seq.to_string().as_bytes());
    h.update(key);
    hex(&h.finalize()[..8])
}

impl KeyState {
    /// The file's bytes, `KEY_FILE_LEN` long.
    pub fn to_fixed(&self) -> Vec<u8> {
        let json = KeyFileJson {
            seq: self.seq,
            key: hex(&self.key),
            check: check_value(self.seq, &self.key),
        };
        let mut out = serde_json::to_vec(&json).expect("a key file serializes");
        debug_assert!(out.len() < KEY_FILE_LEN);
        out.resize(KEY_FILE_LEN - 1, b' ');
        out.push(b'\n');
        out
    }

    pub fn parse(text: &[u8]) -> Result<KeyState, String> {
        let json: KeyFileJson =
            serde_json::from_slice(text).map_err(|e| format!("not a key file ({e})"))?;
        let key = key_from_hex(&json.key).ok_or("its key is not 64 hex digits")?;
        if json.check != check_value(json.seq, &key) {
            return Err(
                "its check value does not match (damaged by a crash while it was rewritten, or edited)"
                    .into(),
            );
        }
        Ok(KeyState { seq: json.seq, key })
    }
}

/// The verifier key: K0 and the record it starts at. Written once by `tiergate audit
/// init-key`, kept by the organisation, never by the writer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifierKey {
    /// Always 1.
    pub tiergate_audit_key: u32,
    /// The first record MACed with this key.
    pub start: u64,
    /// K0, 64 hex digits.
    pub key: String,
}

impl VerifierKey {
    pub fn read(path: &Path) -> anyhow::Result<VerifierKey> {
        let text = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let k: VerifierKey = serde_json::from_slice(&text).map_err(|e| {
            anyhow::anyhow!("{}: not a tiergate verifier key ({e})", path.display())
        })?;
        if k.tiergate_audit_key != 1 || k.start == 0 || key_from_hex(&k.key).is_none() {
            anyhow::bail!(
                "{}: not a tiergate verifier key (version 1, start from 1, 64 hex digits)",
                path.display()
            );
        }
        Ok(k)
    }

    pub fn k0(&self) -> Key {
        key_from_hex(&self.key).expect("checked when read or made")
    }

    /// The key of record `seq` (`None` before the start).
    pub fn key_at(&self, seq: u64) -> Option<Key> {
        (seq >= self.start).then(|| advance(&self.k0(), self.start, seq))
    }
}

/// 32 random bytes from the operating system.
pub fn random_key() -> anyhow::Result<Key> {
    use std::io::Read as _;
    let mut key = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut key))
        .map_err(|e| anyhow::anyhow!("/dev/urandom: {e}"))?;
    Ok(key)
}

/// Create `path` with mode 0600, failing if it exists, write `bytes` and sync.
pub fn create_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut f = crate::platform::create_private(path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_advance_one_way_and_macs_bind_key_and_body() {
        let k0 = [7u8; 32];
        let k1 = next(&k0);
        assert_ne!(k0, k1);
        assert_eq!(advance(&k0, 3, 6), next(&next(&next(&k0))));
        assert_eq!(advance(&k0, 4, 4), k0);
        let tag = mac(&k1, b"body");
        assert!(tag.starts_with(MAC_PREFIX) && tag.len() == MAC_PREFIX.len() + 64);
        assert!(mac_matches(&k1, b"body", &tag));
        assert!(!mac_matches(&k0, b"body", &tag));
        assert!(!mac_matches(&k1, b"bodY", &tag));
        assert!(!mac_matches(&k1, b"body", "hmac-sha256:00"));
        assert!(!mac_matches(&k1, b"body", &tag.replace(MAC_PREFIX, "")));
        // The RFC 4231 test case 2 pins the HMAC itself.
        let mut m = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&m.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_key_file_round_trips_at_a_fixed_width_and_refuses_damage() {
        let s = KeyState {
            seq: 12,
            key: [0xab; 32],
        };
        let bytes = s.to_fixed();
        assert_eq!(bytes.len(), KEY_FILE_LEN);
        assert_eq!(KeyState::parse(&bytes).unwrap(), s);
        let big = KeyState {
            seq: u64::MAX,
            key: [0xff; 32],
        };
        assert_eq!(big.to_fixed().len(), KEY_FILE_LEN);
        // One hex digit of the key changed, as a torn write or an edit would.
        let text = String::from_utf8(bytes).unwrap();
        let torn = text.replacen("abab", "abac", 1);
        assert!(
            KeyState::parse(torn.as_bytes())
                .unwrap_err()
                .contains("check")
        );
        let moved = text.replacen("\"seq\":12", "\"seq\":11", 1);
        assert!(KeyState::parse(moved.as_bytes()).is_err());
    }

    #[test]
    fn the_verifier_key_derives_the_key_of_any_later_record() {
        let v = VerifierKey {
            tiergate_audit_key: 1,
            start: 5,
            key: hex(&[1u8; 32]),
        };
        assert_eq!(v.key_at(4), None);
        assert_eq!(v.key_at(5), Some([1u8; 32]));
        assert_eq!(v.key_at(7), Some(next(&next(&[1u8; 32]))));
    }
}
