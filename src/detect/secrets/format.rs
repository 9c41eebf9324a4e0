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
    /// A generated-looking value (16 characters or more, letters and digits, 3.5 bits
    /// of entropy per byte), or a key's bytes written out (hex or base64 of 16, 24 or
    /// 32 bytes, random-looking), assigned to an identifier with one of `keywords` as a
    /// whole word (`token`, `key`: `accessToken`, `API_KEY`, `client-key`, not
    /// `monkey`), and no password keyword (those are
    /// [`Algorithm::PasswordAssignment`]'s). Runs after it, with the same placeholders
    /// and exclusions; `documentation` holds published test keys.
    TokenAssignment,
    /// A Kubernetes Secret manifest (`kind: Secret`): every value under its `data:`
    /// (base64, decoded) or `stringData:` that is a secret value, not a placeholder.
    KubernetesSecret,
    /// A `curl` command line (with its `\` continuations) passing credentials: `-u` /
    /// `--user` with a password, or an `Authorization` (`Basic`, `Bearer`, `Token`),
    /// `X-API-Key` or `Private-Token` header with a secret value.
    CurlCredentials,
    /// A key store with keys, by its structure at the start of the file (PKCS#12,
    /// JKS, JCEKS), whatever the file's name; a trust store of certificates only is
    /// not one.
    KeyStore,
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
    (
        "token_assignment",
        Algorithm::TokenAssignment,
        &["keywords", "documentation"],
    ),
    ("kubernetes_secret", Algorithm::KubernetesSecret, &[]),
    ("curl_credentials", Algorithm::CurlCredentials, &[]),
    ("key_store", Algorithm::KeyStore, &[]),
];

/// One token format: a token recognized by its own prefix, or a value assigned to an
/// identifier that names the service (`keywords`).
#[derive(Debug, Clone, Copy)]
pub struct TokenFormat {
    /// Literal prefixes, each three bytes or more, matched with their case unless
    /// `ignore_case`. Empty for an assigned value.
    pub prefixes: &'static [&'static str],
    /// Words naming the service, searched for inside an identifier that is
    /// assigned the value (`databricks_token = "…"`, `"twilioKey": "…"`,
    /// `<add key="Sendgrid" value="…"`): after the word, up to 20 more identifier
    /// characters and 3 blanks or quotes, an assignment operator (`=`, `:`, `:=`, `=>`,
    /// `?=`, `::=`, `||`, `>`, `,`), up to 5 blanks, quotes or `=`, then the value, then
    /// a delimiter (see [`Class::Delimiter`]). A keyword compares ignoring case unless it
    /// is written with an upper-case letter (`Sumo` does not match `sumOf`). Empty for a
    /// prefixed token.
    pub keywords: &'static [&'static str],
    /// Prefixes compare ignoring ASCII case.
    pub ignore_case: bool,
    /// A fixed-length regular expression the bytes right before the prefix must match
    /// (the token then starts there): for formats whose literal part is not at their
    /// start (`[a-z0-9]{14}` before `.atlasv1.`). Empty for none.
    pub lead: &'static str,
    /// The body after the prefix (or the value after the assignment): a regular
    /// expression over bytes (no Unicode classes), anchored, greedy, of bounded length
    /// ([`MAX_BODY_BYTES`]). When it has a group, the checks measure the group (the
    /// random part).
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
    /// As `after` only: the token must be followed by a quote, a backquote, a blank,
    /// `;`, an escaped `\n` or `\r`, or the end of the file.
    Delimiter,
}

impl Class {
    pub const NAMES: &[(&str, Class)] = &[
        ("none", Class::None),
        ("alnum", Class::Alnum),
        ("word", Class::Word),
        ("base64url", Class::Base64Url),
        ("delimiter", Class::Delimiter),
    ];

    /// Whether `b` may not touch a token (for [`Class::Delimiter`], see [`delimited`]).
    pub fn contains(self, b: u8) -> bool {
        match self {
            Class::None | Class::Delimiter => false,
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
    /// The whole token is a Bech32 string (human-readable part, `1`, data, a 6-character
    /// checksum), compared ignoring case.
    Bech32,
}

impl Checksum {
    pub const NAMES: &[(&str, Checksum)] = &[
        ("github_crc32", Checksum::GithubCrc32),
        ("bech32", Checksum::Bech32),
    ];
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

/// What comes between a keyword and the value it is assigned (see
/// [`TokenFormat::keywords`]).
const ASSIGNMENT: &str =
    r#"[ \t\w.-]{0,20}[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[`'"\s=]{0,5}"#;
/// The longest [`ASSIGNMENT`].
const MAX_ASSIGNMENT_BYTES: usize = 20 + 3 + 4 + 5;

/// Whether [`ASSIGNMENT`] can match at `s`: its operator is the first byte after `s`
/// that is none of the name's and blanks' (which the operators are not; the expression
/// is ASCII), and it comes within the name's 20 bytes and 3 blanks. Most keyword hits
/// are uses, not assignments: this passes over them without the regex.
fn operator_may_follow(c: &[u8], s: usize) -> bool {
    let window = &c[s.min(c.len())..c.len().min(s + 20 + 3 + 1)];
    window
        .iter()
        .find(|&&b| {
            !(b.is_ascii_alphanumeric()
                || b.is_ascii_whitespace()
                || matches!(b, b'_' | b'.' | b'-' | b'\'' | b'"' | 0x0b))
        })
        .is_some_and(|b| matches!(b, b'=' | b'>' | b':' | b'|' | b'?' | b','))
}

/// A body's regular expression as the matcher compiles it: anchored, bytes, no Unicode;
/// for an assigned value, after the assignment, the value in group `value`.
pub fn compile_body(body: &str, assigned: bool) -> Result<Regex, regex::Error> {
    let pattern = if assigned {
        format!("^(?i:{ASSIGNMENT})(?P<value>{body})")
    } else {
        format!("^(?:{body})")
    };
    RegexBuilder::new(&pattern)
        .unicode(false)
        .size_limit(1 << 20)
        .build()
}

/// A lead as the matcher compiles it, with its length: it must have one.
pub fn compile_lead(lead: &str) -> Result<(Regex, usize), String> {
    let hir = parse_pattern(lead)?;
    let p = hir.properties();
    let len = match (p.minimum_len(), p.maximum_len()) {
        (Some(a), Some(b)) if a == b && a > 0 && a <= MAX_BODY_BYTES => a,
        _ => {
            return Err(
                "a lead has one length, 1 to 1,024 bytes (no `?`, `*` or ranges of lengths)".into(),
            );
        }
    };
    let re = RegexBuilder::new(&format!("^(?:{lead})$"))
        .unicode(false)
        .build()
        .map_err(|e| e.to_string())?;
    Ok((re, len))
}

/// Whether the token ending at `end` is followed by a delimiter: a quote, a backquote,
/// a blank, `;`, an escaped `\n` or `\r`, or the end of the file.
pub fn delimited(c: &[u8], end: usize) -> bool {
    match c.get(end) {
        None => true,
        Some(b'\'') | Some(b'"') | Some(b'`') | Some(b';') => true,
        Some(b) if b.is_ascii_whitespace() => true,
        Some(b'\\') => matches!(c.get(end + 1), Some(b'n' | b'r')),
        Some(_) => false,
    }
}

/// The longest match of a body, or `None` when it is unbounded.
pub fn body_max_len(body: &str) -> Result<Option<usize>, String> {
    Ok(parse_pattern(body)?.properties().maximum_len())
}

/// A pattern of the data as the matcher reads it: bytes, no Unicode classes.
fn parse_pattern(pattern: &str) -> Result<regex_syntax::hir::Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

/// The groups of a body (a format has at most one).
pub fn body_groups(body: &str) -> Result<usize, String> {
    Ok(parse_pattern(body)?.properties().explicit_captures_len())
}

/// A token format with its body compiled on first use: a run whose files never hold
/// the prefix never compiles it.
pub(super) struct Compiled {
    pub(super) format: &'static TokenFormat,
    regex: OnceLock<Option<Regex>>,
    /// The lead, anchored at both ends, with its length.
    lead: OnceLock<Option<(Regex, usize)>>,
}

impl Compiled {
    /// The literals the prefilter searches for.
    pub(super) fn anchors(&self) -> &'static [&'static str] {
        if self.format.keywords.is_empty() {
            self.format.prefixes
        } else {
            self.format.keywords
        }
    }

    pub(super) fn new(format: &'static TokenFormat) -> Compiled {
        Compiled {
            format,
            regex: OnceLock::new(),
            lead: OnceLock::new(),
        }
    }

    fn regex(&self) -> Option<&Regex> {
        // The shipped bodies are compiled by tests; a rules directory's are checked
        // when it is read. A body that still does not compile matches nothing.
        self.regex
            .get_or_init(|| compile_body(self.format.body, !self.format.keywords.is_empty()).ok())
            .as_ref()
    }

    /// Where the token at `p` (where one of the anchors was found) starts and its
    /// confidence, if it is one.
    pub(super) fn confirm(&self, c: &[u8], p: usize) -> Option<(usize, Confidence)> {
        let f = self.format;
        let assigned = !f.keywords.is_empty();
        // Keywords compare ignoring case unless written with an upper-case letter;
        // prefixes with their case unless `ignore_case`.
        let at = |x: &&str| {
            let x = x.as_bytes();
            let loose = if assigned {
                !x.iter().any(u8::is_ascii_uppercase)
            } else {
                f.ignore_case
            };
            c.len() >= p + x.len()
                && if loose {
                    c[p..p + x.len()].eq_ignore_ascii_case(x)
                } else {
                    &c[p..p + x.len()] == x
                }
        };
        let anchor = self.anchors().iter().find(|x| at(x))?;
        let p0 = p;
        let p = if f.lead.is_empty() {
            p
        } else {
            let (re, len) = self
                .lead
                .get_or_init(|| compile_lead(f.lead).ok())
                .as_ref()?;
            let start = p.checked_sub(*len)?;
            if !re.is_match(&c[start..p]) {
                return None;
            }
            start
        };
        if p > 0 && f.before.contains(c[p - 1]) {
            return None;
        }
        let s = p0 + anchor.len();
        if assigned && !operator_may_follow(c, s) {
            return None;
        }
        let room = MAX_BODY_BYTES + if assigned { MAX_ASSIGNMENT_BYTES } else { 0 };
        let hay = &c[s..c.len().min(s + room)];
        let regex = self.regex()?;
        // Most candidates fail: the automaton says so without building captures.
        if !regex.is_match(hay) {
            return None;
        }
        let caps = regex.captures(hay)?;
        // The token: from the prefix, or the assigned value.
        let (start, end) = match caps.name("value") {
            Some(v) => (s + v.start(), s + v.end()),
            None => (p, s + caps.get(0)?.end()),
        };
        let after_ok = match f.after {
            Class::Delimiter => delimited(c, end),
            class => c.get(end).is_none_or(|&b| !class.contains(b)),
        };
        if !after_ok {
            return None;
        }
        let token = &c[start..end];
        let body = if assigned { token } else { &c[s..end] };
        // The measured part: the format's own group when it has one.
        let group = if assigned { 2 } else { 1 };
        let measured = match f.measure {
            Measure::Token => token,
            Measure::Body => caps.get(group).map_or(body, |g| &hay[g.range()]),
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
            && !validate(v, body)
        {
            return None;
        }
        match f.checksum {
            Some(k) if !checksum_holds(k, token, body) => Some((start, Confidence::Low)),
            _ => Some((start, f.confidence)),
        }
    }
}

fn validate(v: Validator, body: &[u8]) -> bool {
    match v {
        Validator::SlackSegments => slack_segments(body),
        Validator::SlackWebhookIds => slack_webhook_ids(body),
    }
}

fn checksum_holds(k: Checksum, token: &[u8], body: &[u8]) -> bool {
    match k {
        Checksum::GithubCrc32 => body.len() == 36 && github_checksum(&body[..30]) == body[30..],
        Checksum::Bech32 => bech32_holds(token),
    }
}

/// A Bech32 string's checksum (BIP 173): the polymod of the expanded human-readable
/// part and the data is 1.
pub(super) fn bech32_holds(token: &[u8]) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let Some(sep) = token.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, data) = (&token[..sep], &token[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let mut chk: u32 = 1;
    let mut step = |v: u32| {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ v;
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    };
    let lower = |b: u8| b.to_ascii_lowercase();
    for &b in hrp {
        step(u32::from(lower(b)) >> 5);
    }
    step(0);
    for &b in hrp {
        step(u32::from(lower(b)) & 31);
    }
    for &b in data {
        let Some(v) = CHARSET.iter().position(|&c| c == lower(b)) else {
            return false;
        };
        step(v as u32);
    }
    chk == 1
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

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: TokenFormat = TokenFormat {
        prefixes: &[],
        keywords: &[],
        ignore_case: false,
        lead: "",
        body: "",
        before: Class::Word,
        after: Class::Word,
        measure: Measure::Body,
        entropy: 0.0,
        reject_filler: true,
        reject_sequential: false,
        example_marks: &[],
        documentation: &[],
        checksum: None,
        validator: None,
        confidence: Confidence::High,
    };

    const ASSIGNED: TokenFormat = TokenFormat {
        keywords: &["vendorx"],
        body: "(?i)vx[a-f0-9]{16}",
        after: Class::Delimiter,
        confidence: Confidence::Medium,
        ..BASE
    };

    const PREFIXED: TokenFormat = TokenFormat {
        prefixes: &["VXK-"],
        ignore_case: true,
        body: "[0-9a-z]{12}",
        after: Class::Delimiter,
        ..BASE
    };

    /// Where each anchor of `f` is in `text`, the first confirmed token: (its text, confidence).
    fn first(f: &'static TokenFormat, text: &str) -> Option<(String, Confidence)> {
        let c = Compiled::new(f);
        let lower = text.to_ascii_lowercase();
        c.anchors().iter().find_map(|a| {
            lower
                .match_indices(&a.to_ascii_lowercase())
                .find_map(|(p, _)| c.confirm(text.as_bytes(), p))
                .map(|(start, conf)| {
                    let end = text[start..]
                        .find(|ch: char| !ch.is_ascii_alphanumeric())
                        .map_or(text.len(), |e| start + e);
                    (text[start..end].to_string(), conf)
                })
        })
    }

    #[test]
    fn an_assigned_value_is_found_after_its_keyword_in_the_usual_syntaxes() {
        let value = "VX0123456789abcdef";
        for text in [
            format!("VENDORX_TOKEN={value}\n"),
            format!("vendorx_api_key: \"{value}\""),
            format!("{{\"vendorxToken\": \"{value}\"}}"),
            format!("$vendorx_secret .= '{value}';"),
            format!("export VendorX-Key := `{value}`"),
            format!("vendorx.token => {value}"),
            format!("{{\"cfg\": \"VENDORX_KEY={value}\\nNEXT=1\"}}"),
            format!("vendorx_key = {value}"),
        ] {
            assert_eq!(
                first(&ASSIGNED, &text),
                Some((value.to_string(), Confidence::Medium)),
                "{text}"
            );
        }
    }

    #[test]
    fn an_assigned_value_needs_the_assignment_and_a_delimiter() {
        let value = "vx0123456789abcdef";
        for text in [
            // No assignment operator.
            format!("vendorx {value}"),
            // Too far from the keyword.
            format!("vendorx_the_very_long_identifier_name = {value}"),
            // Not delimited: the value goes on.
            format!("vendorx = {value}zz"),
            // Filler.
            "vendorx = vx0000000000000000".to_string(),
        ] {
            assert_eq!(first(&ASSIGNED, &text), None, "{text}");
        }
    }

    #[test]
    fn prefixes_may_ignore_case_and_a_delimiter_must_follow() {
        assert_eq!(
            first(&PREFIXED, "key: vxk-a1b2c3d4e5f6\n").map(|x| x.1),
            Some(Confidence::High)
        );
        assert_eq!(
            first(&PREFIXED, "key: VXK-a1b2c3d4e5f6;").map(|x| x.1),
            Some(Confidence::High)
        );
        assert_eq!(first(&PREFIXED, "key: VXK-a1b2c3d4e5f6/"), None);
        assert_eq!(first(&PREFIXED, "key: xVXK-a1b2c3d4e5f6 "), None);
        assert!(delimited(b"ab\\n", 2) && delimited(b"ab", 2) && !delimited(b"ab\\x", 2));
    }

    const LEAD: TokenFormat = TokenFormat {
        prefixes: &[".vx1."],
        lead: "[a-z0-9]{6}",
        body: "[a-z0-9]{10}",
        before: Class::Alnum,
        ..BASE
    };

    #[test]
    fn a_lead_comes_before_the_prefix_and_the_token_starts_there() {
        let c = Compiled::new(&LEAD);
        let text = b"id: abc123.vx1.k3j9x2m8q1 ";
        let p = 10;
        assert_eq!(&text[p..p + 5], b".vx1.");
        assert_eq!(c.confirm(text, p), Some((4, Confidence::High)));
        // Too short a lead, or one that goes on before (the `before` class).
        assert_eq!(c.confirm(b"id: bc123.vx1.k3j9x2m8q1 ", 9), None);
        assert_eq!(c.confirm(b"id: zabc123.vx1.k3j9x2m8q1 ", 11), None);
        assert!(compile_lead("[a-z]{2,4}").is_err());
        assert_eq!(compile_lead("[a-z]{3}_").unwrap().1, 4);
    }

    #[test]
    fn bech32_checksums_follow_the_published_vectors() {
        // Valid strings of BIP 173's test vectors.
        assert!(bech32_holds(b"A12UEL5L"));
        assert!(bech32_holds(
            b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"
        ));
        assert!(bech32_holds(
            b"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"
        ));
        // One character changed.
        assert!(!bech32_holds(
            b"split1checkupstagehandshakeupstreamerranterredcaperred2y9e2w"
        ));
        assert!(!bech32_holds(b"nosep"));
    }

    #[test]
    fn the_assignment_is_bounded() {
        assert_eq!(body_max_len("[a-z]{4}").unwrap(), Some(4));
        assert!(compile_body("[a-z]{4}", true).is_ok());
        let re = compile_body("abc", true).unwrap();
        let longest = format!("{}{}{}{}abc", "x".repeat(20), "'''", ":::=", "     ");
        assert_eq!(longest.len() - 3, MAX_ASSIGNMENT_BYTES);
        assert!(re.is_match(longest.as_bytes()));
    }

    /// The quick test never passes over an assignment the expression reads.
    #[test]
    fn operator_may_follow_holds_wherever_the_assignment_matches() {
        let re = compile_body("v", true).unwrap();
        let alphabet = b"a_.-9 \t\n\x0b'\"=>:|?,`;(\xc3v";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut matched = 0;
        for _ in 0..200_000 {
            let len = (next() % 30) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .chain([b'v'])
                .collect();
            if re.is_match(&text) {
                matched += 1;
                assert!(
                    operator_may_follow(&text, 0),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
        assert!(matched > 1000, "{matched}");
    }
}
