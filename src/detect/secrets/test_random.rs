//! Deterministic pseudo-random text for the secrets tests: the unit tests beside the
//! detector and the integration tests (`tests/secrets.rs`, which includes this file)
//! draw credential-shaped values from one generator.

/// Deterministic pseudo-random characters of `alphabet` (xorshift64 from `seed`).
pub fn random(seed: u64, len: usize, alphabet: &[u8]) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}
