//! The `secrets` family: credentials and keys, category `secret`.
//!
//! Each kind is found from a literal anchor in the shared prefilter, then confirmed by
//! its structure (exact prefix case, alphabet, length, boundaries, checksums where the
//! format has one, a JSON header for JWTs) and, for keyword-anchored kinds, by entropy
//! and a placeholder list. Confidence: `high` for structurally validated tokens and
//! keys, `medium` for keyword + entropy, `low` for test keys (and GitHub tokens whose
//! checksum fails). Published documentation examples (AWS `…EXAMPLE`, the jwt.io token,
//! Stripe's docs key, the Azurite emulator key, Slack's sample webhook) are not findings.
//!
//! Binary content is skipped. Nothing here keeps matched text: hits are offsets.

use std::borrow::Cow;

use super::{AnchorId, AnchorRegistry, Family, FileCtx, Hit};
use crate::model::Confidence;

const CATEGORY: &str = "secret";

pub const PRIVATE_KEY: &str = "secret.private_key";
pub const AWS_ACCESS_KEY: &str = "secret.aws_access_key";
pub const AWS_SECRET_KEY: &str = "secret.aws_secret_key";
pub const GCP_SERVICE_ACCOUNT: &str = "secret.gcp_service_account";
pub const AZURE_STORAGE_KEY: &str = "secret.azure_storage_key";
pub const AZURE_CONNECTION_STRING: &str = "secret.azure_connection_string";
pub const GITHUB_TOKEN: &str = "secret.github_token";
pub const GITLAB_TOKEN: &str = "secret.gitlab_token";
pub const SLACK_TOKEN: &str = "secret.slack_token";
pub const SLACK_WEBHOOK: &str = "secret.slack_webhook";
pub const STRIPE_KEY: &str = "secret.stripe_key";
pub const OPENAI_KEY: &str = "secret.openai_key";
pub const ANTHROPIC_KEY: &str = "secret.anthropic_key";
pub const JWT: &str = "secret.jwt";
pub const PASSWORD_ASSIGNMENT: &str = "secret.password_assignment";
pub const CONNECTION_STRING: &str = "secret.connection_string";

/// The knowledge this family applies besides the credential formats: generated from
/// `rules/secrets/context.yaml` into [`TABLES`] (`secrets/tables.rs`, checked by
/// `tests/rules.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Tables {
    /// Extensions of programming languages, where an unquoted right-hand side is an
    /// expression, not a literal secret.
    pub code_extensions: &'static [&'static str],
    /// Last words of an identifier that name something about a password, not the
    /// password.
    pub not_a_secret_suffixes: &'static [&'static str],
    /// Whole values that are placeholders or defaults, compared ignoring ASCII case.
    pub placeholder_values: &'static [&'static str],
    /// Substrings that mark a value as a placeholder, lowercase.
    pub placeholder_parts: &'static [&'static str],
    /// Password-like keys, matched as part of an identifier.
    pub password_keywords: &'static [&'static str],
    /// Connection-string schemes whose userinfo is a database or broker credential.
    pub connection_schemes: &'static [&'static str],
}

// The tables are generated from `rules/secrets/context.yaml`.
#[rustfmt::skip]
mod tables;
pub use tables::TABLES;

/// Every signal id this family emits.
pub const SIGNAL_IDS: &[&str] = &[
    PRIVATE_KEY,
    AWS_ACCESS_KEY,
    AWS_SECRET_KEY,
    GCP_SERVICE_ACCOUNT,
    AZURE_STORAGE_KEY,
    AZURE_CONNECTION_STRING,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    SLACK_TOKEN,
    SLACK_WEBHOOK,
    STRIPE_KEY,
    OPENAI_KEY,
    ANTHROPIC_KEY,
    JWT,
    PASSWORD_ASSIGNMENT,
    CONNECTION_STRING,
];

// Published examples, split so this file does not look like it holds them.
/// The Azurite / storage emulator account key, printed in Microsoft's docs.
const AZURITE_KEY: &str = concat!(
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/",
    "K1SZFPTOtr/KBHBeksoGMGw=="
);
/// The secret test key in Stripe's API reference.
const STRIPE_DOCS_KEY: &str = concat!("sk_", "test_", "4eC39HqLyjWDarjtT1zdp7dc");
/// The signature of jwt.io's default token.
const JWT_IO_SIGNATURE: &str = concat!("SflKxwRJSMeKKF2QT4fwpMeJf36P", "Ok6yJV_adQssw5c");

struct Anchors {
    begin: AnchorId,
    aws_ids: Vec<AnchorId>,
    aws_secret: Vec<AnchorId>,
    service_account: AnchorId,
    private_key_field: AnchorId,
    account_key: AnchorId,
    shared_access_key: AnchorId,
    azure_key_words: Vec<AnchorId>,
    github: Vec<AnchorId>,
    github_pat: AnchorId,
    gitlab: Vec<AnchorId>,
    slack: AnchorId,
    slack_hook: AnchorId,
    stripe: Vec<AnchorId>,
    openai: Vec<AnchorId>,
    openai_marker: AnchorId,
    anthropic: AnchorId,
    jwt: AnchorId,
    password: Vec<AnchorId>,
    scheme_sep: AnchorId,
}

/// The secrets family.
pub struct Secrets {
    tables: &'static Tables,
    a: Anchors,
    /// Every anchor, to skip files that hold none quickly.
    all: Vec<AnchorId>,
}

/// Register the family's anchors and build it.
pub fn new(reg: &mut dyn AnchorRegistry) -> Box<dyn Family> {
    Box::new(Secrets::new(reg))
}

impl Secrets {
    pub fn new(reg: &mut dyn AnchorRegistry) -> Secrets {
        Self::with_tables(reg, &TABLES)
    }

    /// The family over other tables than the compiled-in ones (a rules directory under
    /// test, see [`crate::rules::examples`]).
    pub fn with_tables(reg: &mut dyn AnchorRegistry, tables: &'static Tables) -> Secrets {
        let mut many = |lits: &[&str]| lits.iter().map(|l| reg.anchor(l)).collect::<Vec<_>>();
        let aws_ids = many(&["AKIA", "ASIA", "ABIA", "ACCA"]);
        let aws_secret = many(&[
            "secret_access_key",
            "secret-access-key",
            "secretaccesskey",
            "aws_secret_key",
            "aws-secret-key",
            "awssecretkey",
        ]);
        let azure_key_words = many(&[
            "azure_storage_key",
            "azure_storage_account_key",
            "azurestoragekey",
            "azurestorageaccountkey",
            "storage_account_key",
            "storageaccountkey",
        ]);
        let github = many(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]);
        let gitlab = many(&["glpat-", "gldt-", "glrt-", "glptt-"]);
        let stripe = many(&["sk_live_", "rk_live_", "sk_test_", "rk_test_"]);
        let openai = many(&["sk-proj-", "sk-svcacct-", "sk-admin-"]);
        let password = many(tables.password_keywords);
        let a = Anchors {
            begin: reg.anchor("-----BEGIN "),
            aws_ids,
            aws_secret,
            service_account: reg.anchor("service_account"),
            private_key_field: reg.anchor("\"private_key\""),
            account_key: reg.anchor("AccountKey="),
            shared_access_key: reg.anchor("SharedAccessKey="),
            azure_key_words,
            github,
            github_pat: reg.anchor("github_pat_"),
            gitlab,
            slack: reg.anchor("xox"),
            slack_hook: reg.anchor("hooks.slack.com/services/"),
            stripe,
            openai,
            openai_marker: reg.anchor("T3BlbkFJ"),
            anthropic: reg.anchor("sk-ant-"),
            jwt: reg.anchor("eyJ"),
            password,
            scheme_sep: reg.anchor("://"),
        };
        let mut all = vec![
            a.begin,
            a.service_account,
            a.account_key,
            a.shared_access_key,
            a.github_pat,
            a.slack,
            a.slack_hook,
            a.openai_marker,
            a.anthropic,
            a.jwt,
            a.scheme_sep,
        ];
        for v in [
            &a.aws_ids,
            &a.aws_secret,
            &a.azure_key_words,
            &a.github,
            &a.gitlab,
            &a.stripe,
            &a.openai,
            &a.password,
        ] {
            all.extend_from_slice(v);
        }
        Secrets { tables, a, all }
    }
}

fn emit(out: &mut Vec<Hit>, id: &'static str, confidence: Confidence, offset: usize) {
    out.push(Hit {
        id: Cow::Borrowed(id),
        category: Cow::Borrowed(CATEGORY),
        confidence,
        offset,
    });
}

impl Family for Secrets {
    fn name(&self) -> &'static str {
        "secrets"
    }

    fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        // Binary files are searched too: a key compiled into an executable, or a
        // keystore in a format tiergate does not read, still leaks when shared.
        if !self.all.iter().any(|&a| ctx.has(a)) {
            return;
        }
        let c = ctx.content;
        let a = &self.a;
        // Hits of this scan start here: a password assignment whose value is a token
        // already recognized is not reported twice.
        let first = out.len();

        for &p in ctx.hits(a.begin) {
            if private_key_at(c, p) {
                emit(out, PRIVATE_KEY, Confidence::High, p);
            }
        }

        // Access key ids also raise a nearby secret key to high confidence.
        let mut key_ids: Vec<usize> = Vec::new();
        for &id in &a.aws_ids {
            for &p in ctx.hits(id) {
                if aws_key_id_at(c, p) {
                    key_ids.push(p);
                    emit(out, AWS_ACCESS_KEY, Confidence::High, p);
                }
            }
        }
        for &id in &a.aws_secret {
            for &p in ctx.hits(id) {
                if let Some(at) = aws_secret_after(c, p) {
                    let paired = key_ids.iter().any(|&k| k.abs_diff(at) <= 1000);
                    let conf = if paired {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    };
                    emit(out, AWS_SECRET_KEY, conf, p);
                }
            }
        }

        if ctx.has(a.private_key_field) {
            for &p in ctx.hits(a.service_account) {
                if service_account_type_at(c, p)
                    && ctx
                        .hits(a.private_key_field)
                        .iter()
                        .any(|&k| json_private_key_at(c, k))
                {
                    emit(out, GCP_SERVICE_ACCOUNT, Confidence::High, p);
                }
            }
        }

        self.azure(ctx, out);

        for &id in &a.github {
            for &p in ctx.hits(id) {
                if let Some(conf) = github_token_at(c, p) {
                    emit(out, GITHUB_TOKEN, conf, p);
                }
            }
        }
        for &p in ctx.hits(a.github_pat) {
            if github_pat_at(c, p) {
                emit(out, GITHUB_TOKEN, Confidence::High, p);
            }
        }
        for &id in &a.gitlab {
            for &p in ctx.hits(id) {
                if gitlab_token_at(c, p) {
                    emit(out, GITLAB_TOKEN, Confidence::High, p);
                }
            }
        }
        for &p in ctx.hits(a.slack) {
            if slack_token_at(c, p) {
                emit(out, SLACK_TOKEN, Confidence::High, p);
            }
        }
        for &p in ctx.hits(a.slack_hook) {
            if slack_webhook_at(c, p) {
                emit(out, SLACK_WEBHOOK, Confidence::High, p);
            }
        }
        for &id in &a.stripe {
            for &p in ctx.hits(id) {
                if let Some(conf) = stripe_key_at(c, p) {
                    emit(out, STRIPE_KEY, conf, p);
                }
            }
        }
        for &id in &a.openai {
            for &p in ctx.hits(id) {
                if openai_project_key_at(c, p) {
                    emit(out, OPENAI_KEY, Confidence::High, p);
                }
            }
        }
        for &p in ctx.hits(a.openai_marker) {
            if let Some(start) = openai_legacy_key_around(c, p) {
                emit(out, OPENAI_KEY, Confidence::High, start);
            }
        }
        for &p in ctx.hits(a.anthropic) {
            if anthropic_key_at(c, p) {
                emit(out, ANTHROPIC_KEY, Confidence::High, p);
            }
        }
        let mut scratch = Vec::new();
        for &p in ctx.hits(a.jwt) {
            if jwt_at(c, p, &mut scratch) {
                emit(out, JWT, Confidence::High, p);
            }
        }

        self.passwords(ctx, out, first);

        for &p in ctx.hits(a.scheme_sep) {
            if let Some((start, conf)) = connection_string_at(c, p, self.tables) {
                emit(out, CONNECTION_STRING, conf, start);
            }
        }
    }
}

impl Secrets {
    fn azure(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        let c = ctx.content;
        let a = &self.a;
        for &p in ctx.hits(a.account_key) {
            let v = p + "AccountKey=".len();
            if !azure_storage_key(c, v) {
                continue;
            }
            let before = &c[p.saturating_sub(400)..p];
            let in_connection_string = find_ci(before, b"DefaultEndpointsProtocol=").is_some()
                || find_ci(before, b"AccountName=").is_some();
            if in_connection_string {
                emit(out, AZURE_CONNECTION_STRING, Confidence::High, p);
            } else {
                emit(out, AZURE_STORAGE_KEY, Confidence::High, p);
            }
        }
        for &p in ctx.hits(a.shared_access_key) {
            let v = p + "SharedAccessKey=".len();
            let end = run(c, v, 64, |b| is_b64(b) || b == b'=');
            let key = &c[v..end];
            let before = &c[p.saturating_sub(400)..p];
            if key.len() == 44
                && key.ends_with(b"=")
                && entropy(key) >= 4.0
                && find_ci(before, b"SharedAccessKeyName=").is_some()
            {
                emit(out, AZURE_CONNECTION_STRING, Confidence::High, p);
            }
        }
        for &id in &a.azure_key_words {
            for &p in ctx.hits(id) {
                // `AZURE_STORAGE_KEY="…"`: the value shortly after the keyword.
                let window = &c[p..c.len().min(p + 80)];
                let Some(i) = window.iter().position(|&b| b == b'=' || b == b':') else {
                    continue;
                };
                let mut v = p + i + 1;
                while v < c.len() && matches!(c[v], b' ' | b'\t' | b'"' | b'\'') {
                    v += 1;
                }
                if azure_storage_key(c, v) {
                    emit(out, AZURE_STORAGE_KEY, Confidence::Medium, p);
                }
            }
        }
    }

    fn passwords(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>, first: usize) {
        let c = ctx.content;
        let code = is_code_path(ctx.path, self.tables);
        // Several keywords can sit in one identifier (`secret_password`); judge each
        // identifier once.
        let mut seen: Vec<usize> = Vec::new();
        for (&id, kw) in self.a.password.iter().zip(self.tables.password_keywords) {
            for &p in ctx.hits(id) {
                let start = ident_start(c, p);
                if seen.contains(&start) {
                    continue;
                }
                seen.push(start);
                let Some(value) = password_assignment_at(c, start, p + kw.len(), code, self.tables)
                else {
                    continue;
                };
                let known = out[first..].iter().any(|h| value.contains(&h.offset));
                if !known {
                    emit(out, PASSWORD_ASSIGNMENT, Confidence::Medium, p);
                }
            }
        }
    }
}

// ---- small byte helpers ------------------------------------------------------------

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// End of the run of bytes satisfying `f` from `from`, looking at most `max` bytes.
fn run(c: &[u8], from: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    let limit = c.len().min(from.saturating_add(max));
    let mut i = from.min(limit);
    while i < limit && f(c[i]) {
        i += 1;
    }
    i
}

/// Whether the byte before `p` does not continue a token of `f`.
fn starts_token(c: &[u8], p: usize, f: impl Fn(u8) -> bool) -> bool {
    p == 0 || !f(c[p - 1])
}

fn ends_token(c: &[u8], end: usize, f: impl Fn(u8) -> bool) -> bool {
    c.get(end).is_none_or(|&b| !f(b))
}

/// Shannon entropy in bits per byte.
fn entropy(s: &[u8]) -> f64 {
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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// A run of one character, or of filler characters only: `xxxx`, `****`, `0000`.
fn looks_filler(s: &[u8]) -> bool {
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
fn looks_sequential(s: &[u8]) -> bool {
    s.windows(8)
        .any(|w| w.windows(2).all(|p| p[1] == p[0].wrapping_add(1)))
}

// ---- private keys -------------------------------------------------------------------

const KEY_HEADERS: &[&[u8]] = &[
    b"PRIVATE KEY-----",
    b"RSA PRIVATE KEY-----",
    b"EC PRIVATE KEY-----",
    b"DSA PRIVATE KEY-----",
    b"OPENSSH PRIVATE KEY-----",
    b"ENCRYPTED PRIVATE KEY-----",
    b"PGP PRIVATE KEY BLOCK-----",
];

/// A PEM/OpenSSH/PGP private key header at `p` (the `-----BEGIN ` anchor), followed by
/// a body of real key material: a documentation header followed by `...` is not a key.
fn private_key_at(c: &[u8], p: usize) -> bool {
    if !c[p..].starts_with(b"-----BEGIN ") {
        return false;
    }
    let rest = &c[p + 11..];
    let Some(h) = KEY_HEADERS.iter().find(|h| rest.starts_with(h)) else {
        return false;
    };
    pem_body(c, p + 11 + h.len())
}

/// At least 64 base64 characters of varied key material after a header, skipping
/// line breaks (also as `\n` escapes in JSON and code) and, in the first lines, armor
/// headers such as `Proc-Type: 4,ENCRYPTED` or `Version: GnuPG`.
fn pem_body(c: &[u8], from: usize) -> bool {
    let end = c.len().min(from + 4096);
    let mut i = from;
    let mut count = 0usize;
    let mut lines = 0usize;
    let mut seen: u128 = 0;
    while i < end && count < 200 {
        if lines <= 4 {
            let line_end = line_end(c, i, end);
            if c[i..line_end].contains(&b':') {
                i = line_end;
            }
        }
        while i < end && (is_b64(c[i]) || matches!(c[i], b'=' | b' ' | b'\t')) {
            if c[i] != b' ' && c[i] != b'\t' {
                count += 1;
                seen |= 1u128 << (c[i] & 0x7f);
            }
            i += 1;
        }
        match (c.get(i), c.get(i + 1)) {
            (Some(b'\r'), _) => i += 1,
            (Some(b'\n'), _) => {
                i += 1;
                lines += 1;
            }
            (Some(b'\\'), Some(b'n' | b'r')) => {
                i += 2;
                lines += 1;
            }
            _ => break,
        }
    }
    count >= 64 && seen.count_ones() >= 20
}

/// Where the line starting at `i` ends: at a newline or a `\n` escape, or `end`.
fn line_end(c: &[u8], i: usize, end: usize) -> usize {
    let limit = end.min(i + 256);
    let hay = &c[i..limit];
    let nl = memchr::memchr(b'\n', hay).unwrap_or(hay.len());
    let esc = memchr::memmem::find(hay, b"\\n").unwrap_or(hay.len());
    i + nl.min(esc)
}

/// `"private_key": "-----BEGIN …` with a real key, at the `"private_key"` anchor.
fn json_private_key_at(c: &[u8], p: usize) -> bool {
    let mut i = p + "\"private_key\"".len();
    i = skip_ws(c, i);
    if c.get(i) != Some(&b':') {
        return false;
    }
    i = skip_ws(c, i + 1);
    if c.get(i) != Some(&b'"') {
        return false;
    }
    private_key_at(c, i + 1)
}

fn skip_ws(c: &[u8], mut i: usize) -> usize {
    while i < c.len() && matches!(c[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// `"type": "service_account"` around the `service_account` anchor at `p`.
fn service_account_type_at(c: &[u8], p: usize) -> bool {
    if !c[p..].starts_with(b"service_account\"") || p == 0 || c[p - 1] != b'"' {
        return false;
    }
    let mut i = p - 1;
    while i > 0 && matches!(c[i - 1], b' ' | b'\t' | b'\r' | b'\n') {
        i -= 1;
    }
    if i == 0 || c[i - 1] != b':' {
        return false;
    }
    i -= 1;
    while i > 0 && matches!(c[i - 1], b' ' | b'\t' | b'\r' | b'\n') {
        i -= 1;
    }
    c[..i].ends_with(b"\"type\"")
}

// ---- AWS ----------------------------------------------------------------------------

/// `AKIA`/`ASIA`/`ABIA`/`ACCA` + 16 base32 characters, as a whole token, not a
/// documentation `…EXAMPLE` key.
fn aws_key_id_at(c: &[u8], p: usize) -> bool {
    let prefix = &c[p..c.len().min(p + 4)];
    if !matches!(prefix, b"AKIA" | b"ASIA" | b"ABIA" | b"ACCA")
        || !starts_token(c, p, |b| b.is_ascii_alphanumeric())
    {
        return false;
    }
    let end = run(c, p + 4, 17, |b| {
        b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)
    });
    end == p + 20
        && ends_token(c, end, |b| b.is_ascii_alphanumeric())
        && !c[p..end].ends_with(b"EXAMPLE")
        && entropy(&c[p..end]) >= 3.0
}

/// The offset of a 40-character secret access key within a short window after an
/// `aws_secret_access_key`-like keyword, if there is one.
fn aws_secret_after(c: &[u8], p: usize) -> Option<usize> {
    let end = c.len().min(p + 120);
    let mut i = p;
    while i < end {
        if !is_b64(c[i]) {
            i += 1;
            continue;
        }
        let s = i;
        let e = run(c, s, 64, is_b64);
        i = e.max(s + 1);
        let token = &c[s..e];
        if token.len() == 40
            && starts_token(c, s, is_b64)
            && ends_token(c, e, |b| is_b64(b) || b == b'=')
            && token.iter().any(u8::is_ascii_uppercase)
            && token.iter().any(u8::is_ascii_lowercase)
            && token
                .iter()
                .any(|b| b.is_ascii_digit() || *b == b'/' || *b == b'+')
            && find(token, b"EXAMPLE").is_none()
            && entropy(token) >= 4.0
        {
            return Some(s);
        }
    }
    None
}

// ---- Azure --------------------------------------------------------------------------

/// A storage account key at `v`: 86 base64 characters and `==`, not the emulator key.
fn azure_storage_key(c: &[u8], v: usize) -> bool {
    let end = run(c, v, 100, |b| is_b64(b) || b == b'=');
    let key = &c[v..end];
    key.len() == 88
        && key.ends_with(b"==")
        && !key[..86].contains(&b'=')
        && key != AZURITE_KEY.as_bytes()
        && entropy(key) >= 4.5
}

// ---- GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic ---------------------------------

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn crc32(data: &[u8]) -> u32 {
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
fn github_checksum(random: &[u8]) -> [u8; 6] {
    let mut n = crc32(random);
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// `ghp_` (and `gho_ ghu_ ghs_ ghr_`) + 36 alphanumerics. High when the built-in
/// checksum holds, low when it does not (a fake, or a hand-edited token).
fn github_token_at(c: &[u8], p: usize) -> Option<Confidence> {
    let prefix = &c[p..c.len().min(p + 4)];
    if !matches!(prefix, b"ghp_" | b"gho_" | b"ghu_" | b"ghs_" | b"ghr_")
        || !starts_token(c, p, is_word)
    {
        return None;
    }
    let end = run(c, p + 4, 37, |b| b.is_ascii_alphanumeric());
    if end != p + 40 || !ends_token(c, end, is_word) {
        return None;
    }
    let body = &c[p + 4..end];
    if looks_filler(body) || looks_sequential(body) || entropy(body) < 3.0 {
        return None;
    }
    if github_checksum(&body[..30]) == body[30..] {
        Some(Confidence::High)
    } else {
        Some(Confidence::Low)
    }
}

/// `github_pat_` + 22 alphanumerics + `_` + 59 alphanumerics.
fn github_pat_at(c: &[u8], p: usize) -> bool {
    if !c[p..].starts_with(b"github_pat_") || !starts_token(c, p, is_word) {
        return false;
    }
    let s = p + 11;
    let a = run(c, s, 23, |b| b.is_ascii_alphanumeric());
    if a != s + 22 || c.get(a) != Some(&b'_') {
        return false;
    }
    let e = run(c, a + 1, 60, |b| b.is_ascii_alphanumeric());
    e == a + 60 && ends_token(c, e, is_word) && !looks_filler(&c[s..e]) && entropy(&c[s..e]) >= 4.0
}

/// `glpat-` (and `gldt- glrt- glptt-`) + at least 20 token characters.
fn gitlab_token_at(c: &[u8], p: usize) -> bool {
    let Some(prefix) = [&b"glpat-"[..], b"gldt-", b"glrt-", b"glptt-"]
        .into_iter()
        .find(|x| c[p..].starts_with(x))
    else {
        return false;
    };
    if !starts_token(c, p, is_word) {
        return false;
    }
    let s = p + prefix.len();
    let e = run(c, s, 200, |b| is_b64url(b) || b == b'.');
    let body = &c[s..e];
    body.len() >= 20 && !looks_filler(body) && !looks_sequential(body) && entropy(body) >= 3.5
}

/// `xox[abprse]-` tokens: numeric id segments and a random tail.
fn slack_token_at(c: &[u8], p: usize) -> bool {
    let head = &c[p..c.len().min(p + 5)];
    if head.len() < 5
        || &head[..3] != b"xox"
        || !matches!(head[3], b'a' | b'b' | b'p' | b'r' | b's' | b'e')
        || head[4] != b'-'
        || !starts_token(c, p, is_word)
    {
        return false;
    }
    let s = p + 5;
    let e = run(c, s, 200, |b| b.is_ascii_alphanumeric() || b == b'-');
    let body = &c[s..e];
    if body.len() < 24 {
        return false;
    }
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

/// `hooks.slack.com/services/T…/B…/…` with real workspace and channel ids.
fn slack_webhook_at(c: &[u8], p: usize) -> bool {
    if !c[p..].starts_with(b"hooks.slack.com/services/") {
        return false;
    }
    let s = p + "hooks.slack.com/services/".len();
    let e = run(c, s, 120, |b| b.is_ascii_alphanumeric() || b == b'/');
    let mut parts = c[s..e].split(|&b| b == b'/');
    let (Some(team), Some(channel), Some(secret)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let id_ok = |seg: &[u8], lead: u8| {
        seg.len() >= 9
            && seg[0] == lead
            && seg[1..]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && !looks_filler(&seg[1..])
    };
    id_ok(team, b'T')
        && id_ok(channel, b'B')
        && secret.len() >= 20
        && !looks_filler(secret)
        && entropy(secret) >= 3.0
}

/// `sk_live_`/`rk_live_` (high) or `sk_test_`/`rk_test_` (low) + 24 or more
/// alphanumerics; Stripe's published docs key is not a finding.
fn stripe_key_at(c: &[u8], p: usize) -> Option<Confidence> {
    let head = &c[p..c.len().min(p + 8)];
    let conf = match head {
        b"sk_live_" | b"rk_live_" => Confidence::High,
        b"sk_test_" | b"rk_test_" => Confidence::Low,
        _ => return None,
    };
    if !starts_token(c, p, is_word) {
        return None;
    }
    let e = run(c, p + 8, 256, |b| b.is_ascii_alphanumeric());
    let body = &c[p + 8..e];
    (body.len() >= 24
        && ends_token(c, e, is_word)
        && &c[p..e] != STRIPE_DOCS_KEY.as_bytes()
        && !looks_filler(body)
        && !looks_sequential(body)
        && entropy(body) >= 3.5)
        .then_some(conf)
}

/// `sk-proj-`, `sk-svcacct-`, `sk-admin-` + 40 or more token characters.
fn openai_project_key_at(c: &[u8], p: usize) -> bool {
    let Some(prefix) = [&b"sk-proj-"[..], b"sk-svcacct-", b"sk-admin-"]
        .into_iter()
        .find(|x| c[p..].starts_with(x))
    else {
        return false;
    };
    if !starts_token(c, p, is_b64url) {
        return false;
    }
    let s = p + prefix.len();
    let e = run(c, s, 300, is_b64url);
    let body = &c[s..e];
    body.len() >= 40 && !looks_filler(body) && entropy(body) >= 3.5
}

/// A legacy `sk-` key around the `T3BlbkFJ` marker (base64 of "OpenAI"): 20
/// alphanumerics, the marker, 20 alphanumerics. Project keys carry the marker too but
/// are counted from their prefix. Returns the key's start.
fn openai_legacy_key_around(c: &[u8], p: usize) -> Option<usize> {
    if !c[p..].starts_with(b"T3BlbkFJ") || p < 23 {
        return None;
    }
    let s = p - 23;
    let e = run(c, p + 8, 21, |b| b.is_ascii_alphanumeric());
    (c[s..].starts_with(b"sk-")
        && starts_token(c, s, is_b64url)
        && c[s + 3..p].iter().all(u8::is_ascii_alphanumeric)
        && e == p + 28
        && ends_token(c, e, is_b64url))
    .then_some(s)
}

/// `sk-ant-api03-…` (and `admin01`, `oat01`) with a long random body.
fn anthropic_key_at(c: &[u8], p: usize) -> bool {
    if !c[p..].starts_with(b"sk-ant-") || !starts_token(c, p, is_b64url) {
        return false;
    }
    let s = p + 7;
    let kind_end = run(c, s, 12, |b| b.is_ascii_lowercase());
    let digits_end = run(c, kind_end, 3, |b| b.is_ascii_digit());
    if kind_end == s || digits_end != kind_end + 2 || c.get(digits_end) != Some(&b'-') {
        return false;
    }
    let b = digits_end + 1;
    let e = run(c, b, 300, is_b64url);
    let body = &c[b..e];
    body.len() >= 80 && !looks_filler(body) && entropy(body) >= 4.0
}

// ---- JWT ----------------------------------------------------------------------------

/// Decode unpadded (or `=`-padded) base64url into `out`.
fn b64url_decode(s: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let s = s
        .strip_suffix(b"==")
        .or_else(|| s.strip_suffix(b"="))
        .unwrap_or(s);
    if s.len() % 4 == 1 {
        return false;
    }
    let mut acc = 0u32;
    let mut bits = 0u32;
    for &b in s {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return false,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    true
}

/// `header.payload.signature` at the `eyJ` anchor, where the header decodes to a JSON
/// object with a string `alg` other than `none`, and the payload to a JSON object.
fn jwt_at(c: &[u8], p: usize, scratch: &mut Vec<u8>) -> bool {
    if !c[p..].starts_with(b"eyJ") || !starts_token(c, p, is_b64url) {
        return false;
    }
    let h_end = run(c, p, 2048, is_b64url);
    if c.get(h_end) != Some(&b'.') {
        return false;
    }
    let p_start = h_end + 1;
    let p_end = run(c, p_start, 1 << 16, is_b64url);
    if p_end == p_start || c.get(p_end) != Some(&b'.') {
        return false;
    }
    let s_start = p_end + 1;
    let s_end = run(c, s_start, 4096, is_b64url);
    let signature = &c[s_start..s_end];
    if signature.len() < 16 || signature == JWT_IO_SIGNATURE.as_bytes() || looks_filler(signature) {
        return false;
    }
    if !b64url_decode(&c[p..h_end], scratch) {
        return false;
    }
    let header_ok = match serde_json::from_slice::<serde_json::Value>(scratch) {
        Ok(serde_json::Value::Object(m)) => m
            .get("alg")
            .and_then(|v| v.as_str())
            .is_some_and(|alg| !alg.eq_ignore_ascii_case("none") && !alg.is_empty()),
        _ => false,
    };
    header_ok && b64url_decode(&c[p_start..p_end], scratch) && scratch.first() == Some(&b'{')
}

// ---- passwords in config and code ---------------------------------------------------

fn is_code_path(path: &str, t: &Tables) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && t.code_extensions
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e))
    })
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

fn ident_start(c: &[u8], p: usize) -> usize {
    let mut s = p;
    while s > 0 && is_ident(c[s - 1]) && p - s < 128 {
        s -= 1;
    }
    s
}

/// The last word of an identifier, lowercase: `db_password_length` → `length`,
/// `passwordField` → `field`.
fn last_word(ident: &[u8]) -> Vec<u8> {
    let end = ident.len();
    let mut s = end;
    while s > 0 && ident[s - 1].is_ascii_alphanumeric() {
        s -= 1;
        if ident[s].is_ascii_uppercase() && s > 0 && ident[s - 1].is_ascii_lowercase() {
            break;
        }
    }
    ident[s..end].to_ascii_lowercase()
}

/// `key = "value"`, `key: value`, `"key": "value"`, `<key>value</key>` with a secret
/// value, for the identifier `c[start..]` containing a password keyword ending at `kw_end`.
/// Returns where the value is.
fn password_assignment_at(
    c: &[u8],
    start: usize,
    kw_end: usize,
    code: bool,
    t: &Tables,
) -> Option<std::ops::Range<usize>> {
    let end = run(c, kw_end, 128, is_ident);
    let ident = &c[start..end];
    let lower = ident.to_ascii_lowercase();
    // Left to the AWS detector, which knows the key's shape.
    if find(&lower, b"secret_access_key").is_some()
        || find(&lower, b"secretaccesskey").is_some()
        || find(&lower, b"secret-access-key").is_some()
        || find(&lower, b"aws_secret").is_some()
    {
        return None;
    }
    let word = last_word(ident.strip_suffix(b".").unwrap_or(ident));
    if t.not_a_secret_suffixes.iter().any(|s| s.as_bytes() == word) {
        return None;
    }
    let mut i = end;
    let opener = start.checked_sub(1).map(|j| c[j]);
    let xml = opener == Some(b'<') && c.get(i) == Some(&b'>');
    if xml {
        i += 1;
    } else {
        if let Some(q) = opener.filter(|q| matches!(q, b'"' | b'\''))
            && c.get(i) == Some(&q)
        {
            i += 1;
        }
        i = skip_blanks(c, i);
        let op_len = match &c[i..c.len().min(i + 2)] {
            [b':', b'='] | [b'=', b'>'] => 2,
            [b'=', b'='] | [b':', b':'] => return None,
            [b'=', ..] | [b':', ..] => 1,
            _ => return None,
        };
        i = skip_blanks(c, i + op_len);
    }
    let value = if xml {
        let e = run(c, i, 256, |b| b != b'<' && b != b'\n');
        if c.get(e) != Some(&b'<') {
            return None;
        }
        i..e
    } else {
        // Python string prefixes: an f-string is a template, r/b strings are literals.
        let mut j = i;
        if let Some(&pre) = c.get(j)
            && matches!(pre, b'r' | b'R' | b'b' | b'B' | b'f' | b'F')
            && matches!(c.get(j + 1), Some(b'"' | b'\''))
        {
            if matches!(pre, b'f' | b'F') {
                return None;
            }
            j += 1;
        }
        match c.get(j) {
            Some(&q @ (b'"' | b'\'' | b'`')) => {
                let e = run(c, j + 1, 256, |b| b != q && b != b'\n');
                if c.get(e) != Some(&q) {
                    return None;
                }
                j + 1..e
            }
            Some(&first) if !code => {
                if matches!(
                    first,
                    b'$' | b'%'
                        | b'{'
                        | b'['
                        | b'('
                        | b'!'
                        | b'&'
                        | b'*'
                        | b'|'
                        | b'>'
                        | b'/'
                        | b'~'
                        | b'@'
                ) {
                    return None;
                }
                let e = run(c, j, 256, |b| {
                    !b.is_ascii_whitespace()
                        && !matches!(b, b',' | b';' | b'"' | b'\'' | b'<' | b')' | b'}' | b']')
                });
                j..e
            }
            _ => return None,
        }
    };
    secret_value(&c[value.clone()], t).then_some(value)
}

fn skip_blanks(c: &[u8], mut i: usize) -> usize {
    while i < c.len() && matches!(c[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// A value that looks like a real secret: not a placeholder, a reference, a name or a
/// label, and with enough entropy.
fn secret_value(v: &[u8], t: &Tables) -> bool {
    if v.len() < 8 || v.len() > 200 || v.iter().any(|b| b.is_ascii_whitespace()) {
        return false;
    }
    if is_placeholder(v, t) || find(v, b"://").is_some() {
        return false;
    }
    // ENV_VAR_NAMES, kebab-case-names and dotted.config.keys are references.
    let upper_snake = v
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && v.contains(&b'_');
    let kebab = v.iter().all(|b| b.is_ascii_lowercase() || *b == b'-') && v.contains(&b'-');
    let dotted = v
        .iter()
        .all(|b| b.is_ascii_lowercase() || *b == b'_' || *b == b'.')
        && v.contains(&b'.');
    if upper_snake || kebab || dotted {
        return false;
    }
    entropy(v) >= 3.0
}

fn is_placeholder(v: &[u8], t: &Tables) -> bool {
    if v.is_empty() || looks_filler(v) || looks_sequential(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    t.placeholder_values.iter().any(|p| p.as_bytes() == lower)
        || t.placeholder_parts
            .iter()
            .any(|p| find(&lower, p.as_bytes()).is_some())
        || (v.len() > 1 && v[0] == b'$' && (v[1].is_ascii_alphabetic() || v[1] == b'_'))
        || v.starts_with(b"%s")
}

// ---- connection strings -------------------------------------------------------------

/// `scheme://user:password@host` at the `://` anchor, for database and broker schemes
/// (driver suffixes such as `postgresql+asyncpg` and `mongodb+srv` included). Returns
/// the scheme's start and the confidence: high for a strong password, low when the
/// password repeats the user name, medium otherwise.
fn connection_string_at(c: &[u8], p: usize, t: &Tables) -> Option<(usize, Confidence)> {
    let mut s = p;
    while s > 0
        && p - s < 32
        && (c[s - 1].is_ascii_alphanumeric() || matches!(c[s - 1], b'+' | b'.' | b'-'))
    {
        s -= 1;
    }
    let scheme = c[s..p].to_ascii_lowercase();
    let base = scheme.split(|&b| b == b'+').next().unwrap_or(&[]);
    if !t.connection_schemes.iter().any(|x| x.as_bytes() == base) {
        return None;
    }
    let a = p + 3;
    let e = run(c, a, 256, |b| {
        !b.is_ascii_whitespace()
            && !matches!(
                b,
                b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'`' | b')' | b',' | b';'
            )
    });
    let authority = &c[a..e];
    let at = authority.iter().rposition(|&b| b == b'@')?;
    let (userinfo, host) = (&authority[..at], &authority[at + 1..]);
    let colon = userinfo.iter().position(|&b| b == b':')?;
    let (user, pass) = (&userinfo[..colon], &userinfo[colon + 1..]);
    if host.is_empty() || pass.is_empty() || is_placeholder(pass, t) {
        return None;
    }
    let lower = pass.to_ascii_lowercase();
    if matches!(&lower[..], b"pass" | b"pwd" | b"passw0rd" | b"p@ssw0rd") {
        return None;
    }
    let conf = if pass == user {
        Confidence::Low
    } else if pass.len() >= 8 && entropy(pass) >= 3.0 {
        Confidence::High
    } else {
        Confidence::Medium
    };
    Some((s, conf))
}

#[cfg(test)]
mod tests;
