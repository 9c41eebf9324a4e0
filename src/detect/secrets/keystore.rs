//! Key stores recognized by their structure, whatever their file is named: PKCS#12
//! (`.p12`, `.pfx`, `.P12`) and Java's JKS and JCEKS. A key store of certificates only
//! (a trust store) holds nothing secret; one with a private or secret key is a
//! credential.

use crate::model::Confidence;

/// `1.2.840.113549.1.7.1` (data) without its last byte; signed data ends in 2.
const PKCS7: [u8; 10] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];
/// `1.2.840.113549.1.12.10.1` (PKCS#12 bag types) without the bag's number: 1 is a
/// key bag, 2 a shrouded key bag.
const BAG: [u8; 12] = [
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01,
];
const JKS: [u8; 4] = [0xfe, 0xed, 0xfe, 0xed];
const JCEKS: [u8; 4] = [0xce, 0xce, 0xce, 0xce];

/// Whether `c` (a file's first bytes) is a key store with keys: high when a key entry
/// or key bag is seen, medium when the structure is a key store's and what it holds
/// cannot be read (encrypted, or past the bytes read), None for anything else,
/// trust stores included.
pub(super) fn key_store(c: &[u8]) -> Option<Confidence> {
    match c.first()? {
        0x30 => pkcs12(c),
        0xfe | 0xce => java(c),
        _ => None,
    }
}

/// A DER header of `tag` at `i`: where its content starts, and its length.
pub(super) fn der(c: &[u8], i: usize, tag: u8) -> Option<(usize, usize)> {
    if *c.get(i)? != tag {
        return None;
    }
    let l = *c.get(i + 1)?;
    if l < 0x80 {
        return Some((i + 2, usize::from(l)));
    }
    let n = usize::from(l & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for k in 0..n {
        len = len << 8 | usize::from(*c.get(i + 2 + k)?);
    }
    Some((i + 2 + n, len))
}

/// `PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data or signed
/// data), macData OPTIONAL }`; its keys are in key bags, whose type is in the clear
/// unless the whole safe is encrypted.
fn pkcs12(c: &[u8]) -> Option<Confidence> {
    let (body, _) = der(c, 0, 0x30)?;
    if c.get(body..body + 3)? != [0x02, 0x01, 0x03] {
        return None;
    }
    let (info, _) = der(c, body + 3, 0x30)?;
    let oid = c.get(info..info + 11)?;
    if oid[..10] != PKCS7 || !matches!(oid[10], 1 | 2) {
        return None;
    }
    let keys = c
        .windows(BAG.len() + 1)
        .any(|w| w[..BAG.len()] == BAG && matches!(w[BAG.len()], 1 | 2));
    Some(if keys {
        Confidence::High
    } else {
        Confidence::Medium
    })
}

/// Big-endian reads over the bytes, None past their end.
struct Reader<'a> {
    c: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.c.get(self.i..self.i.checked_add(n)?)?;
        self.i += n;
        Some(s)
    }
    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|b| usize::from(b[0]) << 8 | usize::from(b[1]))
    }
    fn u32(&mut self) -> Option<usize> {
        self.take(4)
            .map(|b| b.iter().fold(0usize, |a, &x| a << 8 | usize::from(x)))
    }
    /// A UTF string (u16 length) and skip it.
    fn skip_utf(&mut self) -> Option<()> {
        let n = self.u16()?;
        self.take(n).map(|_| ())
    }
    /// A blob (u32 length) and skip it.
    fn skip_blob(&mut self) -> Option<()> {
        let n = self.u32()?;
        self.take(n).map(|_| ())
    }
}

/// JKS or JCEKS: magic, version 1 or 2, entry count, entries. Tag 1 is a private key
/// (with its chain), 2 a trusted certificate, 3 a secret key (JCEKS).
fn java(c: &[u8]) -> Option<Confidence> {
    let magic = c.get(..4)?;
    if magic != JKS && magic != JCEKS {
        return None;
    }
    let mut r = Reader { c, i: 4 };
    let version = r.u32()?;
    if version != 1 && version != 2 {
        return None;
    }
    let count = r.u32()?;
    // What is read of each entry; past the bytes read, the store may hold anything.
    let unread = Some(Confidence::Medium);
    for _ in 0..count {
        let Some(tag) = r.u32() else { return unread };
        match tag {
            1 | 3 => return Some(Confidence::High),
            2 => {}
            _ => return None,
        }
        if r.skip_utf().is_none() || r.take(8).is_none() {
            return unread;
        }
        if version == 2 && r.skip_utf().is_none() {
            return unread;
        }
        if r.skip_blob().is_none() {
            return unread;
        }
    }
    // Certificates only: a trust store.
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match body.len() {
            n @ 0..=0x7f => out.push(n as u8),
            n @ 0x80..=0xff => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(body);
        out
    }

    /// A PFX with a shrouded key bag in the clear, or with an encrypted safe only.
    pub(crate) fn pfx(key_bag: bool) -> Vec<u8> {
        let mut oid_data = PKCS7.to_vec();
        oid_data.push(1);
        let bag = if key_bag {
            let mut b = BAG.to_vec();
            b.push(2);
            b.extend(seq(0xa0, &seq(0x30, &[0x5a; 40])));
            seq(0x30, &seq(0x30, &b))
        } else {
            seq(0x30, &[0x5a; 40])
        };
        let mut safe = oid_data.clone();
        safe.extend(seq(0xa0, &seq(0x04, &seq(0x30, &bag))));
        let mut info = oid_data;
        info.extend(seq(0xa0, &seq(0x04, &seq(0x30, &seq(0x30, &safe)))));
        let mut body = vec![0x02, 0x01, 0x03];
        body.extend(seq(0x30, &info));
        seq(0x30, &body)
    }

    /// A JKS (version 2) with the entries' tags given, each with a small blob.
    pub(crate) fn jks(tags: &[u32]) -> Vec<u8> {
        let mut out = JKS.to_vec();
        out.extend(2u32.to_be_bytes());
        out.extend((tags.len() as u32).to_be_bytes());
        for &t in tags {
            out.extend(t.to_be_bytes());
            out.extend(5u16.to_be_bytes());
            out.extend(b"alias");
            out.extend([0u8; 8]);
            out.extend(5u16.to_be_bytes());
            out.extend(b"X.509");
            out.extend(3u32.to_be_bytes());
            out.extend([1, 2, 3]);
        }
        out
    }

    #[test]
    fn pkcs12_by_structure() {
        assert_eq!(key_store(&pfx(true)), Some(Confidence::High));
        assert_eq!(key_store(&pfx(false)), Some(Confidence::Medium));
        // DER that is not a PFX: a certificate's first bytes.
        assert_eq!(key_store(&seq(0x30, &seq(0x30, &[0x02, 0x01, 0x02]))), None);
        assert_eq!(key_store(&[0x30]), None);
    }

    #[test]
    fn java_key_stores_with_keys_not_trust_stores() {
        assert_eq!(key_store(&jks(&[2, 1])), Some(Confidence::High));
        assert_eq!(key_store(&jks(&[2, 2])), None);
        let mut jceks = jks(&[3]);
        jceks[..4].copy_from_slice(&JCEKS);
        assert_eq!(key_store(&jceks), Some(Confidence::High));
        // Cut short after a certificate: what follows is unknown.
        let cut = jks(&[2, 2]);
        assert_eq!(key_store(&cut[..cut.len() - 4]), Some(Confidence::Medium));
        assert_eq!(key_store(&[0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 9]), None);
    }
}
