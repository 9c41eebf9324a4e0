//! Credential formats as data: the definitions `rules/secrets/formats.yaml` gives (and
//! `formats.rs`, generated from it, compiles in), and the one algorithm that confirms
//! a token format at an anchor.
//!
//! A token format is a literal prefix (the prefilter's anchor, matched case-sensitively
//! here), a body (an anchored regular expression of bounded length over the bytes after
//! the prefix), what may not touch the token on either side, and the checks that tell
//! a credential from a placeholder: entropy, filler and sequences, documentation
//! values, a checksum or a structural validator named by the data. What cannot be said
//! as a token format (a PEM armor, a JWT's JSON header, a password assignment) is a
//! named [`Algorithm`] of the family, which the data switches on and parameterizes.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use crate::model::Confidence;

/// Every credential signal: its id, what it is, how it is found.
#[derive(Debug, Clone, Copy)]
pub struct Def {
    /// `secret.<what>`.
    pub id: &'static str,
    /// What the credential is, for people: `GitHub token`.
    pub title: &'static str,
    /// Token formats, tried in order at each of their prefixes.
    pub tokens: &'static [TokenFormat],
    /// An algorithm of the family, run after the token formats.
    pub algorithm: Option<AlgorithmUse>,
}

/// A named algorithm and what the data gives it.
#[derive(Debug, Clone, Copy)]
pub struct AlgorithmUse {
    pub algorithm: Algorithm,
    /// Words the algorithm searches for (identifiers that name the credential).
    pub keywords: &'static [&'static str],
    /// Armor headers after `-----BEGIN ` that open a private key.
    pub headers: &'static [&'static str],
    /// Published example values that are not findings.
    pub documentation: &'static [&'static str],
}

/// The family's algorithms for credentials that are not a token format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// A PEM, OpenSSH or PGP private key: `-----BEGIN ` + one of `headers`, and a body
    /// of real key material.
    PrivateKey,
    /// A service-account JSON file: `"type": "service_account"` and a `"private_key"`
    /// holding a private key (of the `headers` of [`Algorithm::PrivateKey`]).
    GcpServiceAccount,
    /// A 40-character secret access key shortly after one of `keywords`; high when an
    /// access key id is within 1,000 bytes.
    AwsSecretKey,
    /// An 88-character storage account key after `AccountKey=` (reported as the
    /// connection-string signal inside a connection string) or after one of `keywords`.
    AzureStorageKey,
    /// `SharedAccessKey=` with a 44-character key and its `SharedAccessKeyName=`.
    AzureConnectionString,
    /// A legacy `sk-` key around its `T3BlbkFJ` marker.
    OpenaiLegacy,
    /// `header.payload.signature` whose header decodes to JSON with a signing `alg`;
    /// `documentation` holds signatures of published example tokens.
    Jwt,
    /// A secret value assigned to a password-like key (context `password_keywords`).
    /// Runs last: a value another signal recognized is not reported again.
    PasswordAssignment,
    /// `scheme://user:password@host` of a database or broker scheme (context
    /// `connection_schemes`).
    ConnectionString,
}

/// The algorithms by the name the data uses, with the parameters each takes.
pub const ALGORITHMS: &[(&str, Algorithm, &[&str])] = &[
    ("private_key", Algorithm::PrivateKey, &["headers"]),
    ("gcp_service_account", Algorithm::GcpServiceAccount, &[]),
    ("aws_secret_key", Algorithm::AwsSecretKey, &["keywords"]),
    (
        "azure_storage_key",
        Algorithm::AzureStorageKey,
        &["keywords", "documentation"],
    ),
    (
        "azure_connection_string",
        Algorithm::AzureConnectionString,
        &[],
    ),
    ("openai_legacy", Algorithm::OpenaiLegacy, &[]),
    ("jwt", Algorithm::Jwt, &["documentation"]),
    ("password_assignment", Algorithm::PasswordAssignment, &[]),
    ("connection_string", Algorithm::ConnectionString, &[]),
];

/// One token format.
#[derive(Debug, Clone, Copy)]
pub struct TokenFormat {
    /// Literal prefixes, each three bytes or more, matched with their case.
    pub prefixes: &'static [&'static str],
    /// The body after the prefix: a regular expression over bytes (no Unicode classes),
    /// anchored at the prefix's end, greedy, of bounded length ([`MAX_BODY_BYTES`]).
    /// When it has a group, the checks measure the group (the random part).
    pub body: &'static str,
    /// What may not come right before the prefix.
    pub before: Class,
    /// What may not come right after the body.
    pub after: Class,
    /// What the checks measure.
    pub measure: Measure,
    /// Least Shannon entropy, in bits per byte, of what is measured.
    pub entropy: f64,
    /// A run of one character or of filler characters (`xxxx`, `****`, `0000`) is a
    /// placeholder.
    pub reject_filler: bool,
    /// Eight ascending bytes (`abcdefgh`, `12345678`) mark an example.
    pub reject_sequential: bool,
    /// A token containing one of these (`EXAMPLE`) is a documentation example.
    pub example_marks: &'static [&'static str],
    /// Whole published tokens that are not findings.
    pub documentation: &'static [&'static str],
    /// A checksum the format carries: a token failing it is reported `low` (a fake or
    /// an edited token), not dropped.
    pub checksum: Option<Checksum>,
    /// A structural check the token must pass.
    pub validator: Option<Validator>,
    /// The confidence of a confirmed token.
    pub confidence: Confidence,
}

/// A class of bytes that may not touch a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Anything may.
    None,
    /// `[A-Za-z0-9]`.
    Alnum,
    /// `[A-Za-z0-9_]`.
    Word,
    /// `[A-Za-z0-9_-]`.
    Base64Url,
}

impl Class {
    pub const NAMES: &[(&str, Class)] = &[
        ("none", Class::None),
        ("alnum", Class::Alnum),
        ("word", Class::Word),
        ("base64url", Class::Base64Url),
    ];

    pub fn contains(self, b: u8) -> bool {
        match self {
            Class::None => false,
            Class::Alnum => b.is_ascii_alphanumeric(),
            Class::Word => b.is_ascii_alphanumeric() || b == b'_',
            Class::Base64Url => b.is_ascii_alphanumeric() || b == b'_' || b == b'-',
        }
    }
}

/// What a token format's checks measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The body, or its group when it has one.
    Body,
    /// The whole token, prefix included.
    Token,
}

/// Checksums a token format may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// The last 6 of 36 body characters: CRC32 of the first 30, in base62.
    GithubCrc32,
}

impl Checksum {
    pub const NAMES: &[(&str, Checksum)] = &[("github_crc32", Checksum::GithubCrc32)];
}

/// Structural validators a token format may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    /// Dash-separated segments: a numeric id of eight digits or more, and a random
    /// alphanumeric last segment of sixteen or more.
    SlackSegments,
    /// `T…/B…/secret`: workspace and channel ids that are not filler.
    SlackWebhookIds,
}

impl Validator {
    pub const NAMES: &[(&str, Validator)] = &[
        ("slack_segments", Validator::SlackSegments),
        ("slack_webhook_ids", Validator::SlackWebhookIds),
    ];
}

/// The longest body a format may match: the streamed scan keeps this much context
/// after each anchor (well within it).
pub const MAX_BODY_BYTES: usize = 1024;

/// A body's regular expression as the matcher compiles it: anchored, bytes, no Unicode.
pub fn compile_body(body: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&format!("^(?:{body})"))
        .unicode(false)
        .size_limit(1 << 20)
        .build()
}

/// The longest match of a body, or `None` when it is unbounded.
pub fn body_max_len(body: &str) -> Result<Option<usize>, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(body)
        .map_err(|e| e.to_string())?;
    Ok(hir.properties().maximum_len())
}

/// The groups of a body (a format has at most one).
pub fn body_groups(body: &str) -> Result<usize, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(body)
        .map_err(|e| e.to_string())?;
    Ok(hir.properties().explicit_captures_len())
}

/// A token format with its body compiled on first use: a run whose files never hold
/// the prefix never compiles it.
pub(super) struct Compiled {
    pub(super) format: &'static TokenFormat,
    regex: OnceLock<Option<Regex>>,
}

impl Compiled {
    pub(super) fn new(format: &'static TokenFormat) -> Compiled {
        Compiled {
            format,
            regex: OnceLock::new(),
        }
    }

    fn regex(&self) -> Option<&Regex> {
        // The shipped bodies are compiled by tests; a rules directory's are checked
        // when it is read. A body that still does not compile matches nothing.
        self.regex
            .get_or_init(|| compile_body(self.format.body).ok())
            .as_ref()
    }

    /// The confidence of the token at `p` (where one of the prefixes was found), if it
    /// is one.
    pub(super) fn confirm(&self, c: &[u8], p: usize) -> Option<Confidence> {
        let f = self.format;
        let prefix = f
            .prefixes
            .iter()
            .find(|x| c[p..].starts_with(x.as_bytes()))?;
        if p > 0 && f.before.contains(c[p - 1]) {
            return None;
        }
        let s = p + prefix.len();
        let hay = &c[s..c.len().min(s + MAX_BODY_BYTES)];
        let caps = self.regex()?.captures(hay)?;
        let end = s + caps.get(0)?.end();
        if c.get(end).is_some_and(|&b| f.after.contains(b)) {
            return None;
        }
        let token = &c[p..end];
        let measured = match f.measure {
            Measure::Token => token,
            Measure::Body => caps.get(1).map_or(&c[s..end], |g| &hay[g.range()]),
        };
        if (f.reject_filler && looks_filler(measured))
            || (f.reject_sequential && looks_sequential(measured))
            || entropy(measured) < f.entropy
            || f.example_marks
                .iter()
                .any(|m| memchr::memmem::find(token, m.as_bytes()).is_some())
            || f.documentation.iter().any(|d| d.as_bytes() == token)
        {
            return None;
        }
        if let Some(v) = f.validator
            && !validate(v, &c[s..end])
        {
            return None;
        }
        match f.checksum {
            Some(k) if !checksum_holds(k, &c[s..end]) => Some(Confidence::Low),
            _ => Some(f.confidence),
        }
    }
}

fn validate(v: Validator, body: &[u8]) -> bool {
    match v {
        Validator::SlackSegments => slack_segments(body),
        Validator::SlackWebhookIds => slack_webhook_ids(body),
    }
}

fn checksum_holds(k: Checksum, body: &[u8]) -> bool {
    match k {
        Checksum::GithubCrc32 => body.len() == 36 && github_checksum(&body[..30]) == body[30..],
    }
}

/// Dash-separated segments with a numeric id and a random tail.
fn slack_segments(body: &[u8]) -> bool {
    let mut has_id = false;
    let mut tail: &[u8] = &[];
    for seg in body.split(|&b| b == b'-') {
        if seg.len() >= 8 && seg.iter().all(u8::is_ascii_digit) && !looks_filler(seg) {
            has_id = true;
        }
        tail = seg;
    }
    has_id
        && tail.len() >= 16
        && tail.iter().all(u8::is_ascii_alphanumeric)
        && !looks_filler(tail)
        && entropy(tail) >= 3.0
}

/// `T…/B…/…`: the workspace and channel ids are not filler.
fn slack_webhook_ids(body: &[u8]) -> bool {
    let mut parts = body.split(|&b| b == b'/');
    let (Some(team), Some(channel)) = (parts.next(), parts.next()) else {
        return false;
    };
    team.len() > 1 && channel.len() > 1 && !looks_filler(&team[1..]) && !looks_filler(&channel[1..])
}

pub(super) const BASE62: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

pub(super) fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// GitHub's token checksum: CRC32 of the 30 random characters, base62, 6 digits.
pub(super) fn github_checksum(random: &[u8]) -> [u8; 6] {
    let mut n = crc32(random);
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// Shannon entropy in bits per byte.
pub(super) fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = f64::from(k) / n;
            -p * p.log2()
        })
        .sum()
}

/// A run of one character, or of filler characters only: `xxxx`, `****`, `0000`.
pub(super) fn looks_filler(s: &[u8]) -> bool {
    let Some(&first) = s.first() else {
        return true;
    };
    s.iter().all(|&b| b.eq_ignore_ascii_case(&first))
        || s.iter()
            .all(|&b| matches!(b, b'x' | b'X' | b'*' | b'.' | b'-' | b'_' | b'#' | b'0'))
        || s.windows(6)
            .any(|w| w.iter().all(|&b| b.eq_ignore_ascii_case(&w[0])))
}

/// `abcdef…`, `123456…`: sequences typed as examples.
pub(super) fn looks_sequential(s: &[u8]) -> bool {
    s.windows(8)
        .any(|w| w.windows(2).all(|p| p[1] == p[0].wrapping_add(1)))
}
