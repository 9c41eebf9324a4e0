//! The `secrets` family: credentials and keys, category `secret`.
//!
//! What a credential looks like is data: `rules/secrets/formats.yaml`, compiled in as
//! [`DEFS`] (`secrets/formats.rs`, generated; see [`format`]). Each token format is
//! found from its literal prefix in the shared prefilter, then confirmed by its
//! structure (exact prefix case, a bounded body, boundaries, checksums where the format
//! has one) and by entropy, filler and documentation values. What is not a token format
//! is one of the family's named algorithms ([`format::Algorithm`]): a PEM armor with
//! real key material, a JWT whose header decodes, a service-account file, a password
//! assigned in config or code, a connection string with a password. Confidence: `high`
//! for structurally validated tokens and keys, `medium` for keyword + entropy, `low`
//! for test keys (and GitHub tokens whose checksum fails). Published documentation
//! examples (AWS `…EXAMPLE`, the jwt.io token, Stripe's docs key, the Azurite emulator
//! key, Slack's sample webhook) are not findings.
//!
//! Nothing here keeps matched text: hits are offsets.

use std::borrow::Cow;

use super::{AnchorId, AnchorRegistry, Family, FileCtx, Hit};
use crate::model::Confidence;

mod encoded;
pub mod format;
mod keystore;

use format::{Algorithm, AlgorithmUse, Compiled, Def, entropy, looks_filler, looks_sequential};

const CATEGORY: &str = "secret";

/// The signal whose hits raise a nearby AWS secret key to high confidence.
const AWS_ACCESS_KEY: &str = "secret.aws_access_key";
/// Where a PEM armor starts.
const BEGIN: &str = "-----BEGIN ";
/// A file whose PEM blocks all hold public material (certificates, public keys): not a
/// credential, whatever its name. Category [`PUBLIC_CATEGORY`], which the credential
/// policies do not read; the baseline pack lets it lift the credential-file name rule.
pub const PUBLIC_PEM: &str = "certificate.public_pem";
pub const PUBLIC_CATEGORY: &str = "certificate";
/// A dotenv file (`.env`, `.env.local`) every line of which was read and none of whose
/// values is a credential: configuration, whatever its name (`DEBUG=1`, `PORT=8080`).
pub const PLAIN_ENV: &str = "config.plain_env";
pub const CONFIG_CATEGORY: &str = "config";
/// A template (Helm, Jinja, ERB, `${ }` interpolation) whose values under credential
/// keys are all template expressions, empty or placeholders, and in which no credential
/// rule fired: it renders credentials but holds none, whatever its name
/// (`templates/secrets.yaml`).
pub const TEMPLATE: &str = "config.template";
/// The most a dotenv file or a template may hold to be judged plain: larger ones keep
/// their name's judgement.
const PLAIN_MAX_BYTES: usize = 64 * 1024;

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
    /// Prefixes of encrypted values (`ENC[`): ciphertext is not a secret.
    pub ciphertext_prefixes: &'static [&'static str],
    /// Substrings of encrypted documents (a sealed secret, a SOPS file): their
    /// assigned values are ciphertext.
    pub ciphertext_markers: &'static [&'static str],
    /// Words of an identifier that make its token public or not a credential
    /// (`public`, `csrf`), lowercase; read by [`Algorithm::TokenAssignment`].
    pub not_a_secret_words: &'static [&'static str],
    /// Text that opens a credential (`-----BEGIN `, a JWT's header), searched for
    /// base64- and hex-encoded: the run around an encoding found is decoded once and
    /// read again ([`encoded`]).
    pub encoded_markers: &'static [&'static str],
    /// Calls whose first argument names a setting and second sets it
    /// (`setProperty(`), for the assignment rules.
    pub setter_calls: &'static [&'static str],
    /// PEM block types that hold public material (`CERTIFICATE`, `PUBLIC KEY`): a file
    /// of such blocks only is reported as [`PUBLIC_PEM`], never as a credential.
    pub public_pem_types: &'static [&'static str],
    /// Words of a dotenv key that make its value a credential unless it is empty or a
    /// placeholder (`DB_PASSWORD`, `API_KEY`), lowercase: read by [`plain_dotenv`].
    pub env_credential_words: &'static [&'static str],
    /// Template expressions, each `open close` (`{{ }}`): a file holding one whose
    /// credential values are all expressions is reported as [`TEMPLATE`].
    pub template_markers: &'static [&'static str],
    /// Environment lookups (`process.env.`, `os.getenv(`): the literal they fall back
    /// to is read as the setting's value by the password and token rules.
    pub env_lookups: &'static [&'static str],
    /// Translation bundles, by extension and by stem (a locale suffix allowed): UI text,
    /// which the password and token rules do not read.
    pub translation_extensions: &'static [&'static str],
    pub translation_stems: &'static [&'static str],
    /// Python names whose triple-quoted string is documentation (`EXAMPLES`): an
    /// assignment in it, or in a docstring, is an example.
    pub documentation_names: &'static [&'static str],
    /// The credential signals and their formats (`formats.yaml`, [`DEFS`]).
    pub formats: &'static [Def],
}

// The tables are generated from `rules/secrets/context.yaml` and `formats.yaml`.
#[rustfmt::skip]
mod tables;
pub use tables::TABLES;
#[rustfmt::skip]
mod formats;
pub use formats::{DEFS, SIGNAL_IDS};

/// Whether a signal is one of this family's: `secret.*` (the shipped ids, [`SIGNAL_IDS`],
/// and a repository's own).
pub fn is_credential(id: &str) -> bool {
    id.starts_with("secret.")
}

/// A token format of one signal, with its anchors.
struct TokenRun {
    id: &'static str,
    compiled: Compiled,
    anchors: Vec<AnchorId>,
}

/// An algorithm of one signal, with its anchors.
struct AlgorithmRun {
    id: &'static str,
    uses: AlgorithmUse,
    anchors: Vec<AnchorId>,
    /// More anchors the algorithm reads (a service account's `"private_key"`, an Azure
    /// key's keywords).
    more: Vec<AnchorId>,
}

/// The secrets family.
pub struct Secrets {
    tables: &'static Tables,
    tokens: Vec<TokenRun>,
    /// In data order, [`Algorithm::PasswordAssignment`] and then
    /// [`Algorithm::TokenAssignment`] last.
    algorithms: Vec<AlgorithmRun>,
    /// The armor headers of the private-key signal, which a service account's key uses.
    key_headers: &'static [&'static str],
    /// The signal an account key inside a connection string is reported as.
    connection_string_id: Option<&'static str>,
    /// Every published value of the data (tokens' and algorithms' `documentation`):
    /// assigned to a password or token key, still not a finding.
    documented: Vec<&'static str>,
    /// Every anchor, sorted, to skip files that hold none quickly.
    all: Vec<AnchorId>,
    /// For each anchor of a token format (sorted by anchor), the formats it leads to:
    /// a file's few matched anchors name the formats to confirm, without a look at
    /// each of the hundreds of formats.
    by_anchor: Vec<(AnchorId, Vec<u32>)>,
    /// Credentials inside base64 and hex.
    encoded: encoded::Encoded,
    /// The signal of a key store with keys, found by its structure.
    key_store_id: Option<&'static str>,
    /// The anchor of PEM armor (registered by the private-key algorithm): where a file
    /// of public blocks only is recognised.
    begin: Option<AnchorId>,
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
    /// test, a repository's own rules: see [`crate::rules::leak`]).
    pub fn with_tables(reg: &mut dyn AnchorRegistry, tables: &'static Tables) -> Secrets {
        let mut recording = encoded::Recording::new(reg);
        let reg = &mut recording;
        let mut tokens = Vec::new();
        let mut algorithms = Vec::new();
        let mut key_headers: &'static [&'static str] = &[];
        let mut connection_string_id = None;
        let mut key_store_id = None;
        let mut documented: Vec<&'static str> = Vec::new();
        for def in tables.formats {
            documented.extend(
                def.tokens
                    .iter()
                    .flat_map(|t| t.documentation.iter().copied()),
            );
            if let Some(a) = def.algorithm {
                documented.extend(a.documentation.iter().copied());
            }
            for f in def.tokens {
                tokens.push(TokenRun {
                    id: def.id,
                    compiled: Compiled::new(f),
                    anchors: Compiled::new(f)
                        .anchors()
                        .iter()
                        .map(|p| reg.anchor(p))
                        .collect(),
                });
            }
            let Some(uses) = def.algorithm else {
                continue;
            };
            let (anchors, more): (Vec<&str>, Vec<&str>) = match uses.algorithm {
                Algorithm::PrivateKey => {
                    key_headers = uses.headers;
                    (vec![BEGIN], vec![])
                }
                Algorithm::GcpServiceAccount => (vec!["service_account"], vec!["\"private_key\""]),
                Algorithm::AwsSecretKey => (uses.keywords.to_vec(), vec![]),
                Algorithm::AzureStorageKey => (vec!["AccountKey="], uses.keywords.to_vec()),
                Algorithm::AzureConnectionString => {
                    connection_string_id = Some(def.id);
                    (vec!["SharedAccessKey="], vec![])
                }
                Algorithm::OpenaiLegacy => (vec!["T3BlbkFJ"], vec![]),
                Algorithm::Jwt => (vec!["eyJ"], vec![]),
                Algorithm::PasswordAssignment => (tables.password_keywords.to_vec(), vec![]),
                Algorithm::ConnectionString => (vec!["://"], vec![]),
                Algorithm::TokenAssignment => (uses.keywords.to_vec(), vec![]),
                Algorithm::KubernetesSecret => (vec!["kind: Secret"], vec![]),
                Algorithm::CurlCredentials => (vec!["curl "], vec![]),
                Algorithm::KeyStore => {
                    key_store_id = Some(def.id);
                    continue;
                }
            };
            algorithms.push(AlgorithmRun {
                id: def.id,
                uses,
                anchors: anchors.iter().map(|a| reg.anchor(a)).collect(),
                more: more.iter().map(|a| reg.anchor(a)).collect(),
            });
        }
        // Last: a password or token whose value another signal recognized is not
        // reported twice.
        algorithms.sort_by_key(|a| match a.uses.algorithm {
            Algorithm::PasswordAssignment => 1,
            Algorithm::TokenAssignment => 2,
            _ => 0,
        });
        let begin = (!tables.public_pem_types.is_empty()).then(|| reg.anchor(BEGIN));
        let literals = std::mem::take(&mut reg.literals);
        let encoded = encoded::Encoded::new(reg, tables.encoded_markers, &literals);
        let mut all: Vec<AnchorId> = tokens
            .iter()
            .flat_map(|t| t.anchors.iter())
            .chain(
                algorithms
                    .iter()
                    .flat_map(|a| a.anchors.iter().chain(&a.more)),
            )
            .copied()
            .chain(encoded.anchors())
            .collect();
        all.sort_unstable_by_key(|a| a.0);
        all.dedup();
        let mut by_anchor: Vec<(AnchorId, Vec<u32>)> = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            for &a in &t.anchors {
                by_anchor.push((a, vec![i as u32]));
            }
        }
        by_anchor.sort_unstable_by_key(|(a, f)| (*a, f[0]));
        by_anchor.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1.extend_from_slice(&next.1);
            }
            same
        });
        Secrets {
            tables,
            tokens,
            algorithms,
            key_headers,
            connection_string_id,
            documented,
            all,
            by_anchor,
            encoded,
            key_store_id,
            begin,
        }
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
        let before = out.len();
        if let Some(id) = self.key_store_id
            && let Some(confidence) = keystore::key_store(ctx.content)
        {
            emit(out, id, confidence, 0);
        }
        // Binary files are searched too: a key compiled into an executable, or a
        // keystore in a format tiergate does not read, still leaks when shared.
        if ctx.any_of(&self.all) {
            // Encoded credentials first: a value found to hold one is not reported
            // again as an assigned password or token.
            let first = out.len();
            self.encoded
                .scan(ctx, out, |inner, hits| self.scan_text(inner, hits, 0));
            self.scan_text(ctx, out, first);
        }
        // Files under a credential's name judged by their content, when it holds none.
        let first = before;
        if out.len() == first && plain_dotenv(ctx.path, ctx.content, self.tables) {
            out.push(Hit {
                id: Cow::Borrowed(PLAIN_ENV),
                category: Cow::Borrowed(CONFIG_CATEGORY),
                confidence: Confidence::High,
                offset: 0,
            });
        }
        if out.len() == first && plain_template(ctx.path, ctx.content, self.tables) {
            out.push(Hit {
                id: Cow::Borrowed(TEMPLATE),
                category: Cow::Borrowed(CONFIG_CATEGORY),
                confidence: Confidence::High,
                offset: 0,
            });
        }
        if out.len() == first
            && let Some(begin) = self.begin
            && let Some(&at) = ctx.hits(begin).first()
            && public_pem_only(ctx.content, self.tables.public_pem_types)
        {
            out.push(Hit {
                id: Cow::Borrowed(PUBLIC_PEM),
                category: Cow::Borrowed(PUBLIC_CATEGORY),
                confidence: Confidence::High,
                offset: at,
            });
        }
    }
}

impl Secrets {
    /// Every rule over `ctx`'s text as it is (not decoded). The hits of this file
    /// start at `first` in `out`: a password assignment whose value is a token
    /// already recognized is not reported twice.
    fn scan_text(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>, first: usize) {
        let c = ctx.content;
        for i in self.due_formats(ctx) {
            let t = &self.tokens[i as usize];
            for &a in &t.anchors {
                for &p in ctx.hits(a) {
                    if let Some((start, conf)) = t.compiled.confirm(c, p) {
                        emit(out, t.id, conf, start);
                    }
                }
            }
        }
        let mut scratch = Vec::new();
        for a in &self.algorithms {
            self.algorithm(a, ctx, out, first, &mut scratch);
        }
    }
}

impl Secrets {
    /// The token formats one of whose anchors matched, in data order.
    fn due_formats(&self, ctx: &FileCtx<'_>) -> Vec<u32> {
        let Some(touched) = ctx.touched else {
            return (0..self.tokens.len() as u32).collect();
        };
        let mut due: Vec<u32> = touched
            .iter()
            .filter_map(|&a| {
                self.by_anchor
                    .binary_search_by_key(&AnchorId(a), |(x, _)| *x)
                    .ok()
            })
            .flat_map(|k| self.by_anchor[k].1.iter().copied())
            .collect();
        due.sort_unstable();
        due.dedup();
        due
    }

    fn algorithm(
        &self,
        a: &AlgorithmRun,
        ctx: &FileCtx<'_>,
        out: &mut Vec<Hit>,
        first: usize,
        scratch: &mut Vec<u8>,
    ) {
        let c = ctx.content;
        let hits = || a.anchors.iter().flat_map(|&x| ctx.hits(x).iter().copied());
        match a.uses.algorithm {
            Algorithm::PrivateKey => {
                for p in hits() {
                    if let Some((header, body)) = private_key_armor(c, p, a.uses.headers)
                        && pem_body(c, body)
                    {
                        emit(out, a.id, key_confidence(c, header, body, scratch), p);
                    }
                }
            }
            Algorithm::GcpServiceAccount => {
                let field = a.more[0];
                if !ctx.has(field) {
                    return;
                }
                for p in hits() {
                    if service_account_type_at(c, p)
                        && ctx
                            .hits(field)
                            .iter()
                            .any(|&k| json_private_key_at(c, k, self.key_headers))
                    {
                        emit(out, a.id, Confidence::High, p);
                    }
                }
            }
            Algorithm::AwsSecretKey => {
                // Access key ids raise a nearby secret key to high confidence.
                let key_ids: Vec<usize> = out[first..]
                    .iter()
                    .filter(|h| h.id == AWS_ACCESS_KEY)
                    .map(|h| h.offset)
                    .collect();
                for p in hits() {
                    if let Some(at) = aws_secret_after(c, p) {
                        let paired = key_ids.iter().any(|&k| k.abs_diff(at) <= 1000);
                        let conf = if paired {
                            Confidence::High
                        } else {
                            Confidence::Medium
                        };
                        emit(out, a.id, conf, p);
                    }
                }
            }
            Algorithm::AzureStorageKey => self.azure_storage(a, ctx, out),
            Algorithm::AzureConnectionString => {
                for p in hits() {
                    if shared_access_key_at(c, p) {
                        emit(out, a.id, Confidence::High, p);
                    }
                }
            }
            Algorithm::OpenaiLegacy => {
                for p in hits() {
                    if let Some(start) = openai_legacy_key_around(c, p) {
                        emit(out, a.id, Confidence::High, start);
                    }
                }
            }
            Algorithm::Jwt => {
                for p in hits() {
                    if jwt_at(c, p, a.uses.documentation, scratch) {
                        emit(out, a.id, Confidence::High, p);
                    }
                }
            }
            // Keyword assignments are read in text: a compiled file holds the strings of
            // templates and names (`access_token=` in bytecode), not settings.
            Algorithm::PasswordAssignment | Algorithm::TokenAssignment
                if ctx.binary || translation_bundle(ctx.path, self.tables) => {}
            Algorithm::PasswordAssignment => self.passwords(a, ctx, out, first),
            Algorithm::TokenAssignment => self.tokens_assigned(a, ctx, out, first),
            Algorithm::CurlCredentials => {
                for p in hits() {
                    let Some((at, arg)) = curl_credentials_at(c, p, self.tables) else {
                        continue;
                    };
                    // A token another signal recognized (a test key stays low), or a
                    // published example, is not reported again as curl's.
                    let known = out[first..]
                        .iter()
                        .any(|h| (at..at + arg.len() + 2).contains(&h.offset));
                    if !known && !self.is_documented(&arg) {
                        emit(out, a.id, Confidence::Medium, at);
                    }
                }
            }
            // Read at the start of the file, in `scan`.
            Algorithm::KeyStore => {}
            Algorithm::KubernetesSecret => {
                for p in hits() {
                    for at in kubernetes_secret_values(c, p, self.tables, scratch) {
                        emit(out, a.id, Confidence::High, at);
                    }
                }
            }
            Algorithm::ConnectionString => {
                for p in hits() {
                    if let Some((start, conf)) = connection_string_at(c, p, self.tables) {
                        emit(out, a.id, conf, start);
                    }
                }
            }
        }
    }

    fn azure_storage(&self, a: &AlgorithmRun, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        let c = ctx.content;
        let documentation = a.uses.documentation;
        for &p in a.anchors.iter().flat_map(|&x| ctx.hits(x)) {
            let v = p + "AccountKey=".len();
            if !azure_storage_key(c, v, documentation) {
                continue;
            }
            let before = &c[p.saturating_sub(400)..p];
            let in_connection_string = find_ci(before, b"DefaultEndpointsProtocol=").is_some()
                || find_ci(before, b"AccountName=").is_some();
            let id = match self.connection_string_id {
                Some(cs) if in_connection_string => cs,
                _ => a.id,
            };
            emit(out, id, Confidence::High, p);
        }
        for &p in a.more.iter().flat_map(|&x| ctx.hits(x)) {
            // `AZURE_STORAGE_KEY="…"`: the value shortly after the keyword.
            let window = &c[p..c.len().min(p + 80)];
            let Some(i) = window.iter().position(|&b| b == b'=' || b == b':') else {
                continue;
            };
            let mut v = p + i + 1;
            while v < c.len() && matches!(c[v], b' ' | b'\t' | b'"' | b'\'') {
                v += 1;
            }
            if azure_storage_key(c, v, documentation) {
                emit(out, a.id, Confidence::Medium, p);
            }
        }
    }

    fn passwords(&self, a: &AlgorithmRun, ctx: &FileCtx<'_>, out: &mut Vec<Hit>, first: usize) {
        let c = ctx.content;
        let mut code: Option<bool> = None;
        // Whether the file is an encrypted document, read once a value is to be reported.
        let mut encrypted: Option<bool> = None;
        // Several keywords can sit in one identifier (`secret_password`); judge each
        // identifier once.
        let mut seen: foldhash::HashSet<usize> = foldhash::HashSet::default();
        // Values reported, by start: an environment lookup's name and the identifier it
        // is assigned to (`SECRET_KEY = os.getenv("SECRET_KEY", "…")`) share one.
        let mut reported: foldhash::HashSet<usize> = foldhash::HashSet::default();
        // A Python file's documentation strings, found once an assignment is met.
        let mut docs: Option<Vec<(usize, usize)>> = None;
        for (&id, kw) in a.anchors.iter().zip(self.tables.password_keywords) {
            for &p in ctx.hits(id) {
                if !assignment_follows(c, p + kw.len()) {
                    continue;
                }
                if in_documentation(&mut docs, ctx, p, self.tables) {
                    continue;
                }
                let code = *code.get_or_insert_with(|| is_code_path(ctx.path, self.tables));
                let start = ident_start(c, p);
                if !seen.insert(start) {
                    continue;
                }
                let Some(value) = password_assignment_at(c, start, p + kw.len(), code, self.tables)
                else {
                    continue;
                };
                let known = out[first..].iter().any(|h| value.contains(&h.offset));
                if !known
                    && !self.is_documented(&c[value.clone()])
                    && !*encrypted.get_or_insert_with(|| self.encrypted_document(c))
                    && reported.insert(value.start)
                {
                    emit(out, a.id, Confidence::Medium, p);
                }
            }
        }
    }
}

impl Secrets {
    /// Whether `c` is an encrypted document (a sealed secret, a SOPS or Ansible Vault
    /// file): its assigned values are ciphertext.
    fn encrypted_document(&self, c: &[u8]) -> bool {
        self.tables
            .ciphertext_markers
            .iter()
            .any(|m| memchr::memmem::find(c, m.as_bytes()).is_some())
    }

    /// Whether `v` is a published value (a documentation or emulator key, a sample
    /// token's signature) of any signal.
    fn is_documented(&self, v: &[u8]) -> bool {
        self.documented
            .iter()
            .any(|d| memchr::memmem::find(v, d.as_bytes()).is_some())
    }

    fn tokens_assigned(
        &self,
        a: &AlgorithmRun,
        ctx: &FileCtx<'_>,
        out: &mut Vec<Hit>,
        first: usize,
    ) {
        let c = ctx.content;
        let mut code: Option<bool> = None;
        let mut encrypted: Option<bool> = None;
        // Identifiers judged, by start: a keyword such as `key` can have thousands of
        // hits in one file.
        let mut seen: foldhash::HashSet<usize> = foldhash::HashSet::default();
        let mut reported: foldhash::HashSet<usize> = foldhash::HashSet::default();
        let mut docs: Option<Vec<(usize, usize)>> = None;
        for (&id, kw) in a.anchors.iter().zip(a.uses.keywords) {
            for &p in ctx.hits(id) {
                if !whole_word(c, p, kw.len()) || !assignment_follows(c, p + kw.len()) {
                    continue;
                }
                if in_documentation(&mut docs, ctx, p, self.tables) {
                    continue;
                }
                let code = *code.get_or_insert_with(|| is_code_path(ctx.path, self.tables));
                let start = ident_start(c, p);
                if !seen.insert(start) {
                    continue;
                }
                // Cheapest first: an assignment with a generated-looking value.
                let Some(value) = assigned_value_at(c, start, p + kw.len(), code, self.tables)
                else {
                    continue;
                };
                let v = &c[value.clone()];
                // A generated-looking token, or a key's bytes written out.
                let key = key_material(v) && secret_value(v, self.tables);
                if !(key || token_value(v, self.tables)) {
                    continue;
                }
                let end = run(c, p + kw.len(), 128, is_ident);
                let lower = c[start..end].to_ascii_lowercase();
                let password = self
                    .tables
                    .password_keywords
                    .iter()
                    .any(|k| find(&lower, k.as_bytes()).is_some());
                if password || has_word(&c[start..end], self.tables.not_a_secret_words) {
                    continue;
                }
                // Another signal at the identifier (`AccountKey=`) or in the value.
                let known = out[first..]
                    .iter()
                    .any(|h| (start..value.end).contains(&h.offset) || h.offset == value.start);
                if !known
                    && !self.is_documented(&c[value.clone()])
                    && !*encrypted.get_or_insert_with(|| self.encrypted_document(c))
                    && reported.insert(value.start)
                {
                    emit(out, a.id, Confidence::Medium, p);
                }
            }
        }
    }
}

/// Whether `c` is a dotenv file (by `path`'s name: `.env`, `.env.*`) whose every line
/// is blank, a comment or `[export ]KEY=VALUE`, with no value a credential: none
/// generated-looking, and none under a key with a credential word that is not empty
/// or a placeholder. Any other line, or a file over 64 KiB, is not judged (false).
fn plain_dotenv(path: &str, c: &[u8], t: &Tables) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if !(name == ".env" || name.starts_with(".env.")) || c.len() > PLAIN_MAX_BYTES || c.is_empty() {
        return false;
    }
    let Ok(text) = std::str::from_utf8(c) else {
        return false;
    };
    let mut assignments = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return false;
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            return false;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value)
            .as_bytes();
        let lower = key.to_ascii_lowercase();
        let named = t.env_credential_words.iter().any(|w| lower.contains(w));
        if token_value(value, t) || (named && !is_placeholder(value, t)) {
            return false;
        }
        assignments += 1;
    }
    assignments > 0
}

/// Whether `c` is a template holding no credential: not code, at most
/// [`PLAIN_MAX_BYTES`], UTF-8, with at least one template expression (`markers`, each
/// `open close`) and at least one value under a key with a credential word
/// (`env_credential_words`) that is one; every such value is a template expression (its
/// text outside expressions not a secret), empty or a placeholder; no value outside
/// expressions looks generated; no such value opens a YAML block scalar (`|`, `>`),
/// whose lines would not be read as values. Called when no credential rule fired.
fn plain_template(path: &str, c: &[u8], t: &Tables) -> bool {
    if t.template_markers.is_empty()
        || c.is_empty()
        || c.len() > PLAIN_MAX_BYTES
        || is_code_path(path, t)
    {
        return false;
    }
    let pairs: Vec<(&str, &str)> = t
        .template_markers
        .iter()
        .filter_map(|m| m.split_once(' '))
        .collect();
    if !pairs
        .iter()
        .any(|(open, _)| find(c, open.as_bytes()).is_some())
    {
        return false;
    }
    let Ok(text) = std::str::from_utf8(c) else {
        return false;
    };
    let mut expressions = 0;
    let mut templated = 0;
    for line in text.lines() {
        let (outside, n) = outside_expressions(line, &pairs);
        expressions += n;
        let generated = outside
            .split(|ch: char| {
                ch.is_ascii_whitespace()
                    || matches!(ch, '"' | '\'' | '`' | ',' | ';' | '(' | ')' | ':' | '=')
            })
            .any(|w| token_value(w.as_bytes(), t));
        if generated {
            return false;
        }
        for value in credential_values(line, t) {
            let (rest, n) = outside_expressions(value, &pairs);
            let rest = rest
                .trim()
                .trim_matches(|ch| matches!(ch, '"' | '\'' | '`'));
            let block_scalar = n == 0 && matches!(rest.as_bytes().first(), Some(b'|' | b'>'));
            let plain = if n > 0 {
                !secret_value(rest.as_bytes(), t) || is_placeholder(rest.as_bytes(), t)
            } else {
                rest.is_empty() || is_placeholder(rest.as_bytes(), t)
            };
            if block_scalar || !plain {
                return false;
            }
            templated += usize::from(n > 0);
        }
    }
    expressions > 0 && templated > 0
}

/// `line` with its template expressions (`pairs` of opening and closing text, on the
/// line) cut out, and how many there were. An expression left open runs to the end.
fn outside_expressions(line: &str, pairs: &[(&str, &str)]) -> (String, usize) {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut n = 0;
    loop {
        let next = pairs
            .iter()
            .filter_map(|&(open, close)| rest.find(open).map(|i| (i, open, close)))
            .min_by_key(|&(i, open, _)| (i, usize::MAX - open.len()));
        let Some((i, open, close)) = next else {
            out.push_str(rest);
            return (out, n);
        };
        out.push_str(&rest[..i]);
        n += 1;
        let after = &rest[i + open.len()..];
        match after.find(close) {
            Some(j) => rest = &after[j + close.len()..],
            None => return (out, n),
        }
    }
}

/// The values assigned on `line` to keys with a credential word (`password:`,
/// `"apiKey": `, `DB_PASSWORD=`, `_authToken=`): the text after the `:` or `=` to
/// the end of the line, without a trailing comma.
fn credential_values<'l>(line: &'l str, t: &Tables) -> Vec<&'l str> {
    let c = line.as_bytes();
    let lower = line.to_ascii_lowercase();
    let mut values = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    for w in t.env_credential_words {
        let mut from = 0;
        while let Some(i) = find(&lower.as_bytes()[from..], w.as_bytes()) {
            let p = from + i;
            from = p + 1;
            let end = run(c, p, 128, is_ident);
            if ends.contains(&end) {
                continue;
            }
            ends.push(end);
            let mut j = end;
            if matches!(c.get(j), Some(b'"' | b'\'')) {
                j += 1;
            }
            j = skip_blanks(c, j);
            let assigned = match (c.get(j), c.get(j + 1)) {
                (Some(b':'), Some(b':' | b'/')) | (Some(b'='), Some(b'=')) => false,
                (Some(b':' | b'='), _) => true,
                _ => false,
            };
            if assigned {
                let v = line[j + 1..].trim();
                values.push(v.strip_suffix(',').unwrap_or(v));
            }
        }
    }
    values
}

/// Whether every PEM block of `c` (at least one) is of a public type: its header's
/// type is one of `public`, and its footer closes it.
fn public_pem_only(c: &[u8], public: &[&str]) -> bool {
    let mut blocks = 0;
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&c[from..], BEGIN.as_bytes()) {
        let start = from + i + BEGIN.len();
        let Some(len) = memchr::memmem::find(&c[start..c.len().min(start + 64)], b"-----") else {
            return false;
        };
        let kind = &c[start..start + len];
        if !public.iter().any(|p| p.as_bytes() == kind) {
            return false;
        }
        let mut end = Vec::with_capacity(len + 16);
        end.extend_from_slice(b"-----END ");
        end.extend_from_slice(kind);
        end.extend_from_slice(b"-----");
        let Some(j) = memchr::memmem::find(&c[start..], &end) else {
            return false;
        };
        blocks += 1;
        from = start + j + end.len();
    }
    blocks > 0
}

/// `SharedAccessKey=` + a 44-character key, in a connection string with its
/// `SharedAccessKeyName=`.
fn shared_access_key_at(c: &[u8], p: usize) -> bool {
    let v = p + "SharedAccessKey=".len();
    let end = run(c, v, 64, |b| is_b64(b) || b == b'=');
    let key = &c[v..end];
    let before = &c[p.saturating_sub(400)..p];
    key.len() == 44
        && key.ends_with(b"=")
        && entropy(key) >= 4.0
        && find_ci(before, b"SharedAccessKeyName=").is_some()
}

// ---- small byte helpers ------------------------------------------------------------

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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

// ---- private keys -------------------------------------------------------------------

/// A PEM/OpenSSH/PGP private key header at `p` (the `-----BEGIN ` anchor), followed by
/// a body of real key material: a documentation header followed by `...` is not a key.
fn private_key_at(c: &[u8], p: usize, headers: &[&str]) -> bool {
    private_key_armor(c, p, headers).is_some_and(|(_, body)| pem_body(c, body))
}

/// `-----BEGIN ` at `p` with one of `headers`: the header and where the body starts.
fn private_key_armor<'h>(c: &[u8], p: usize, headers: &[&'h str]) -> Option<(&'h str, usize)> {
    let rest = c[p..].strip_prefix(BEGIN.as_bytes())?;
    let h = headers.iter().find(|h| rest.starts_with(h.as_bytes()))?;
    Some((h, p + BEGIN.len() + h.len()))
}

/// How sure a private key's armor is a key (`h` its header, its body from `from`):
/// high when its body has the structure of its kind (DER with a version for PKCS#1,
/// PKCS#8 and SEC1 keys, DER of an algorithm and ciphertext for an encrypted PKCS#8
/// key, `openssh-key-v1` for OpenSSH, a secret-key packet for PGP, the `DEK-Info` of an
/// encrypted legacy key), medium when it is key-like text only (made-up or damaged
/// material).
fn key_confidence(c: &[u8], h: &str, from: usize, scratch: &mut Vec<u8>) -> Confidence {
    let body = &c[from..c.len().min(from + 8192)];
    let body = find(body, b"-----END").map_or(body, |i| &body[..i]);
    if find(body, b"DEK-Info:").is_some() {
        return Confidence::High;
    }
    // The first base64 digits of the body: armor header lines (`Version: …`) and line
    // breaks, also written as `\n` escapes, left out; up to the padding.
    let mut digits = Vec::with_capacity(512);
    for line in body.split(|&b| b == b'\n') {
        for piece in split_escapes(line) {
            if piece.contains(&b':') {
                continue;
            }
            digits.extend(piece.iter().copied().filter(|&b| is_b64(b) || b == b'='));
        }
        if digits.len() >= 512 {
            break;
        }
    }
    let digits = digits.split(|&b| b == b'=').next().unwrap_or_default();
    let whole = digits.len().min(512) / 4 * 4;
    if whole < 8 || !b64_decode(&digits[..whole], scratch) {
        return Confidence::Medium;
    }
    let d = scratch.as_slice();
    // A DER sequence whose first element has `tag`.
    let der_then =
        |tag: u8| keystore::der(d, 0, 0x30).is_some_and(|(at, _)| d.get(at) == Some(&tag));
    let valid = if h.starts_with("OPENSSH") {
        d.starts_with(b"openssh-key-v1\0")
    } else if h.starts_with("PGP") {
        d.first().is_some_and(|&b| {
            let tag = if b & 0x40 != 0 {
                b & 0x3f
            } else {
                (b >> 2) & 0x0f
            };
            b & 0x80 != 0 && matches!(tag, 5 | 7)
        })
    } else if h.starts_with("ENCRYPTED") {
        der_then(0x30)
    } else {
        der_then(0x02)
    };
    if valid {
        Confidence::High
    } else {
        Confidence::Medium
    }
}

/// A line split at its `\n` and `\r` escapes (a key in a JSON string or code).
fn split_escapes(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let at = rest
            .windows(2)
            .position(|w| w[0] == b'\\' && matches!(w[1], b'n' | b'r'));
        let (piece, next) = match at {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        Some(piece)
    })
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
fn json_private_key_at(c: &[u8], p: usize, headers: &[&str]) -> bool {
    let mut i = p + "\"private_key\"".len();
    i = skip_ws(c, i);
    if c.get(i) != Some(&b':') {
        return false;
    }
    i = skip_ws(c, i + 1);
    if c.get(i) != Some(&b'"') {
        return false;
    }
    private_key_at(c, i + 1, headers)
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

/// A storage account key at `v`: 86 base64 characters and `==`, not a published one
/// (the storage emulator's).
fn azure_storage_key(c: &[u8], v: usize, documentation: &[&str]) -> bool {
    let end = run(c, v, 100, |b| is_b64(b) || b == b'=');
    let key = &c[v..end];
    key.len() == 88
        && key.ends_with(b"==")
        && !key[..86].contains(&b'=')
        && !documentation.iter().any(|d| d.as_bytes() == key)
        && entropy(key) >= 4.5
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

// ---- curl command lines ---------------------------------------------------------------

/// Where a credential is passed in the `curl` command starting at `p` (the `curl `
/// anchor), if one is: `-u`/`--user user:password`, or an authorization header.
fn curl_credentials_at(c: &[u8], p: usize, t: &Tables) -> Option<(usize, Vec<u8>)> {
    if p > 0 && (c[p - 1].is_ascii_alphanumeric() || c[p - 1] == b'_' || c[p - 1] == b'-') {
        return None;
    }
    // The command: to the end of the line, over `\` continuations, 4 KiB at most.
    let limit = c.len().min(p + 4096);
    let mut end = p;
    while end < limit {
        match memchr::memchr(b'\n', &c[end..limit]) {
            Some(i) => {
                let nl = end + i;
                let before = c[..nl].trim_ascii_end();
                end = nl + 1;
                if !before.ends_with(b"\\") {
                    end = nl;
                    break;
                }
            }
            None => {
                end = limit;
                break;
            }
        }
    }
    let cmd = &c[p..end];
    let mut i = 0;
    while i < cmd.len() {
        let rest = &cmd[i..];
        // The option and whether it passes `user:password` (else a header).
        let opt = [
            (&b"--user"[..], true),
            (b"-u", true),
            (b"--header", false),
            (b"-H", false),
        ]
        .into_iter()
        .find(|(o, _)| {
            rest.starts_with(o)
                && rest
                    .get(o.len())
                    .is_some_and(|&b| b == b' ' || b == b'=' || b == b'\t')
        })
        .map(|(o, user)| (o.len(), user));
        let boundary = i == 0 || cmd[i - 1].is_ascii_whitespace();
        if let (true, Some((len, user))) = (boundary, opt) {
            let mut j = i + len;
            while j < cmd.len() && matches!(cmd[j], b' ' | b'\t' | b'=') {
                j += 1;
            }
            let (arg, arg_at) = shell_word(cmd, j);
            let found = if user {
                user_password(&arg, t)
            } else {
                auth_header(&arg, t)
            };
            if found {
                return Some((p + arg_at, arg));
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    None
}

/// The shell word at `j`, its quotes removed (`"a":"b"` is `a:b`), and where its text
/// starts.
fn shell_word(cmd: &[u8], j: usize) -> (Vec<u8>, usize) {
    let start = j + usize::from(matches!(cmd.get(j), Some(b'"' | b'\'')));
    let mut word = Vec::new();
    let mut i = j;
    while i < cmd.len() && !cmd[i].is_ascii_whitespace() {
        match cmd[i] {
            q @ (b'"' | b'\'') => {
                let e = memchr::memchr(q, &cmd[i + 1..]).map_or(cmd.len(), |k| i + 1 + k);
                word.extend_from_slice(&cmd[i + 1..e]);
                i = e + 1;
            }
            b => {
                word.push(b);
                i += 1;
            }
        }
    }
    (word, start)
}

/// `user:password` with a password that is not a placeholder or a reference, or
/// `key:` (an API key as the user, no password) with a secret value.
fn user_password(arg: &[u8], t: &Tables) -> bool {
    let Some(colon) = arg.iter().position(|&b| b == b':') else {
        return false;
    };
    let pass = &arg[colon + 1..];
    if pass.is_empty() {
        let user = &arg[..colon];
        return !user.starts_with(b"$") && secret_value(user, t);
    }
    pass.len() >= 6
        && !pass.starts_with(b"$")
        && !is_placeholder(pass, t)
        && !pass.iter().any(u8::is_ascii_whitespace)
}

/// `Authorization: [scheme] <value>` (any scheme word: `Bearer`, `Api-Token`, none),
/// or a header that carries a credential by its name (`X-API-Key`, `Private-Token`,
/// `Token`), with a secret value.
fn auth_header(arg: &[u8], t: &Tables) -> bool {
    let Some(colon) = arg.iter().position(|&b| b == b':') else {
        return false;
    };
    let name = arg[..colon].trim_ascii().to_ascii_lowercase();
    let value = arg[colon + 1..].trim_ascii();
    let value = match &name[..] {
        b"authorization" | b"proxy-authorization" => match value.iter().position(|&b| b == b' ') {
            Some(sp)
                if value[..sp]
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-') =>
            {
                value[sp + 1..].trim_ascii()
            }
            Some(_) => return false,
            None => value,
        },
        b"x-api-key" | b"api-key" | b"x-auth-token" | b"private-token" | b"x-access-token"
        | b"token" | b"api-token" | b"x-api-token" | b"x-token" => value,
        _ => return false,
    };
    if value.len() < 10 || value.starts_with(b"$") {
        return false;
    }
    // A long bearer value (a JWT, a signed session) is past what an assigned secret
    // may be: judge it by its alphabet and entropy.
    if value.len() > 200 {
        return value.len() <= 8192
            && value
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"-_.~+/=%".contains(&b))
            && entropy(value) >= 4.0;
    }
    secret_value(value, t)
}

// ---- Kubernetes Secret manifests ---------------------------------------------------

/// The offsets of the secret values of the YAML Secret manifest whose `kind: Secret`
/// is at `p`: the values of its `data:` (base64, decoded) and `stringData:` blocks,
/// within the same document (up to a `---` line).
fn kubernetes_secret_values(c: &[u8], p: usize, t: &Tables, scratch: &mut Vec<u8>) -> Vec<usize> {
    let mut found = Vec::new();
    let after_kind = p + memchr::memchr(b'S', &c[p..]).map_or(0, |i| i + "Secret".len());
    // `kind: Secret` exactly: not `SecretStore`, `SecretProviderClass`.
    if c.get(after_kind)
        .is_some_and(|&b| b.is_ascii_alphanumeric())
    {
        return found;
    }
    let doc_start = memchr::memmem::rfind(&c[..p], b"\n---").map_or(0, |i| i + 4);
    let doc_end = memchr::memmem::find(&c[p..], b"\n---").map_or(c.len(), |i| p + i);
    let doc = &c[doc_start..doc_end];
    let mut block: Option<(usize, bool)> = None; // (indent of `data:`, base64)
    let mut offset = doc_start;
    for line in doc.split(|&b| b == b'\n') {
        let start = offset;
        offset += line.len() + 1;
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let text = &line[indent..];
        if text.is_empty() || text.starts_with(b"#") {
            continue;
        }
        if let Some((block_indent, base64)) = block {
            if indent > block_indent {
                if let Some((at, v)) = yaml_value(text)
                    && secret_data(v, base64, t, scratch)
                {
                    // At the value: a password rule's hit on it is the same finding.
                    found.push(start + indent + at);
                }
                continue;
            }
            block = None;
        }
        if text.starts_with(b"data:") && text[5..].iter().all(u8::is_ascii_whitespace) {
            block = Some((indent, true));
        } else if text.starts_with(b"stringData:") && text[11..].iter().all(u8::is_ascii_whitespace)
        {
            block = Some((indent, false));
        }
    }
    found
}

/// The value of a `key: value` line, unquoted, with where it starts in the line.
fn yaml_value(line: &[u8]) -> Option<(usize, &[u8])> {
    let colon = memchr::memmem::find(line, b": ")?;
    let rest = &line[colon + 2..];
    let at = colon + 2 + rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let v = line[at..].trim_ascii_end();
    let (at, v) = match v.first() {
        Some(&q @ (b'"' | b'\'')) if v.len() >= 2 && v.ends_with(&[q]) => {
            (at + 1, &v[1..v.len() - 1])
        }
        _ => (at, v),
    };
    (!v.is_empty()).then_some((at, v))
}

/// A value of a Secret's data (base64) or stringData that is a secret.
fn secret_data(v: &[u8], base64: bool, t: &Tables, scratch: &mut Vec<u8>) -> bool {
    if !base64 {
        return secret_value(v, t);
    }
    if !b64_decode(v, scratch) || scratch.is_empty() {
        return false;
    }
    let decoded = std::mem::take(scratch);
    let ok = decoded
        .iter()
        .all(|&b| b >= 0x20 || b == b'\n' || b == b'\t')
        && {
            let text = decoded.trim_ascii();
            secret_value(text, t) || (text.len() >= 16 && entropy(text) >= 4.0)
        };
    *scratch = decoded;
    // Binary data (a keystore, a certificate's DER) is secret material too.
    ok || (scratch.len() >= 32 && entropy(scratch) >= 5.0)
}

/// Decode standard (padded) base64 into `out`.
fn b64_decode(s: &[u8], out: &mut Vec<u8>) -> bool {
    base64_decode(s, *b"+/", out)
}

// ---- JWT ----------------------------------------------------------------------------

/// Decode unpadded (or `=`-padded) base64url into `out`.
fn b64url_decode(s: &[u8], out: &mut Vec<u8>) -> bool {
    base64_decode(s, *b"-_", out)
}

/// Decode base64 whose last two digits are `extra` (`+/`, or `-_` for base64url),
/// padded with `=` or not, into `out`.
fn base64_decode(s: &[u8], extra: [u8; 2], out: &mut Vec<u8>) -> bool {
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
            _ if b == extra[0] => 62,
            _ if b == extra[1] => 63,
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
/// object with a string `alg` other than `none`, and the payload to a JSON object; the
/// signatures of published example tokens (`documentation`) are not findings.
fn jwt_at(c: &[u8], p: usize, documentation: &[&str], scratch: &mut Vec<u8>) -> bool {
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
    if signature.len() < 16
        || documentation.iter().any(|d| d.as_bytes() == signature)
        || looks_filler(signature)
    {
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
    let value = assigned_value_at(c, start, kw_end, code, t)?;
    secret_value(&c[value.clone()], t).then_some(value)
}

/// The literal value assigned to the identifier `c[start..]` (containing a keyword
/// ending at `kw_end`), unless the identifier names something about a secret
/// (`password_length`) or is the AWS secret key's.
fn assigned_value_at(
    c: &[u8],
    start: usize,
    kw_end: usize,
    code: bool,
    t: &Tables,
) -> Option<std::ops::Range<usize>> {
    let end = run(c, kw_end, 128, is_ident);
    let mut i = end;
    let opener = start.checked_sub(1).map(|j| c[j]);
    let xml = opener == Some(b'<') && c.get(i) == Some(&b'>');
    if xml {
        i += 1;
    } else {
        let quoted = opener.filter(|q| matches!(q, b'"' | b'\''));
        if let Some(q) = quoted
            && c.get(i) == Some(&q)
        {
            i += 1;
        }
        i = skip_blanks(c, i);
        // `process.env.ENCRYPTION_KEY || '…'`: the lookup's fallback is its value.
        if quoted.is_none()
            && let Some(k) = fallback_operator(c, i)
        {
            let ident = &c[start..end];
            let lookup = t
                .env_lookups
                .iter()
                .any(|l| l.ends_with('.') && ident.starts_with(l.as_bytes()));
            return lookup
                .then(|| quoted_at(c, k))
                .flatten()
                .and_then(|v| named_value(c, start, end, v, t));
        }
        i = match operator_at(c, i, quoted.is_none()) {
            Some(after) => after,
            // `System.setProperty("API_TOKEN", "…")`: a setter's name, then its value.
            None if quoted.is_some()
                && c.get(i) == Some(&b',')
                && setter_before(c, start - 1, t) =>
            {
                i + 1
            }
            None => return None,
        };
        i = skip_blanks(c, i);
    }
    let value = if xml {
        // `<apiToken>…</apiToken>`, the body on its line or on the next.
        let mut j = i;
        while j < c.len() && j - i < 64 && c[j].is_ascii_whitespace() {
            j += 1;
        }
        let e = run(c, j, 256, |b| b != b'<' && b != b'\n');
        let close = run(c, e, 64, |b| b.is_ascii_whitespace());
        if e == j || c.get(close) != Some(&b'<') {
            return None;
        }
        j..e
    } else if let Some(fallback) = env_fallback(c, i, t) {
        // `os.getenv("SECRET_KEY", "…")`, `process.env.KEY || '…'`: the literal the
        // lookup falls back to, if any.
        fallback?
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
                // `document.getElementById(...)`: a call, no literal.
                if c[j..e].contains(&b'(') {
                    return None;
                }
                // `secretQuestion.empty=Question should not be empty`: words without a
                // digit followed by more words are a message, not a password; and text
                // without an ASCII letter or digit (`无效的用户名/密码。`) is no credential.
                let v = &c[j..e];
                if !v.iter().any(u8::is_ascii_digit) && sentence_follows(c, e)
                    || !v.iter().any(u8::is_ascii_alphanumeric)
                {
                    return None;
                }
                j..e
            }
            _ => return None,
        }
    };
    named_value(c, start, end, value, t)
}

/// Whether a word of the identifier after its first password keyword is one of
/// `not_a_secret_suffixes` (`password_reset_validtime`, `passwordInputContainer`): the
/// identifier names something about the secret, not the secret.
fn qualifying_word_after_keyword(ident: &[u8], t: &Tables) -> bool {
    // Words split on non-alphanumerics and camelCase boundaries, lower case.
    let mut words: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    for (i, &b) in ident.iter().enumerate() {
        if !b.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if b.is_ascii_uppercase() && i > 0 && ident[i - 1].is_ascii_lowercase() && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        cur.push(b.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let Some(k) = words.iter().position(|w| {
        t.password_keywords
            .iter()
            .any(|kw| !kw.is_empty() && find(w, kw.as_bytes()).is_some())
    }) else {
        return false;
    };
    words[k + 1..].iter().any(|w| {
        t.not_a_secret_suffixes
            .iter()
            .any(|s| s.as_bytes() == w.as_slice())
    })
}

/// Whether `p` is inside a documentation string of the Python file of `ctx` (found
/// once, kept in `docs`): an assignment there is an example.
fn in_documentation(
    docs: &mut Option<Vec<(usize, usize)>>,
    ctx: &FileCtx<'_>,
    p: usize,
    t: &Tables,
) -> bool {
    let docs = docs.get_or_insert_with(|| {
        let python = ctx
            .path
            .rsplit_once('.')
            .is_some_and(|(_, e)| e.eq_ignore_ascii_case("py") || e.eq_ignore_ascii_case("pyi"));
        if python {
            python_doc_strings(ctx.content, t.documentation_names)
        } else {
            Vec::new()
        }
    });
    let i = docs.partition_point(|&(_, e)| e <= p);
    docs.get(i).is_some_and(|&(s, _)| s <= p)
}

/// The documentation strings of Python source, as sorted (start, end) ranges: a
/// triple-quoted string standing alone as a statement (a docstring, a block of text),
/// or assigned to one of `names` (`EXAMPLES = r"""..."""`).
fn python_doc_strings(c: &[u8], names: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let next = [&b"\"\"\""[..], b"'''"]
            .iter()
            .filter_map(|q| find(&c[i..], q).map(|k| (i + k, *q)))
            .min_by_key(|(k, _)| *k);
        let Some((k, q)) = next else { break };
        let Some(e) = find(&c[k + 3..], q).map(|e| k + 3 + e + 3) else {
            break;
        };
        // What stands before the string on its line, string prefixes aside.
        let mut b = k;
        while b > 0 && matches!(c[b - 1], b'r' | b'R' | b'b' | b'B' | b'u' | b'U') {
            b -= 1;
        }
        let line = memchr::memrchr(b'\n', &c[..b]).map_or(0, |n| n + 1);
        let before = c[line..b].trim_ascii();
        let after_end = memchr::memchr(b'\n', &c[e..]).map_or(c.len(), |n| e + n);
        let alone_after = c[e..after_end].trim_ascii().is_empty()
            || c[e..after_end].trim_ascii().starts_with(b"#");
        let doc = if before.is_empty() {
            alone_after
        } else if let Some(lhs) = before.strip_suffix(b"=") {
            let name = lhs.trim_ascii();
            names.iter().any(|n| n.as_bytes() == name)
        } else {
            false
        };
        if doc {
            out.push((k, e));
        }
        i = e;
    }
    out
}

/// Whether the file at `path` is a translation bundle (`translation_extensions`, or a
/// stem of `translation_stems` with or without a locale suffix: `messages_de`,
/// `strings_pt_BR`).
fn translation_bundle(path: &str, t: &Tables) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if t.translation_extensions.contains(&ext) {
        return true;
    }
    if !matches!(ext, "properties" | "json" | "yaml" | "yml" | "xml") {
        return false;
    }
    // `messages`, `messages_de`, `messages_pt_br`, `messages-fr`: the stem, then at
    // most two short parts (a language and a region or script).
    let mut parts = stem.split(['_', '-']);
    let head = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    t.translation_stems.contains(&head)
        && rest.len() <= 2
        && rest
            .iter()
            .all(|p| (2..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Whether a word (two letters or more) follows the blanks at `e` on the same line:
/// the value before it is the first word of a sentence.
fn sentence_follows(c: &[u8], e: usize) -> bool {
    let mut i = e;
    let mut blanks = false;
    while i < c.len() && matches!(c[i], b' ' | b'\t') {
        i += 1;
        blanks = true;
    }
    let w = run(c, i, 64, letter);
    blanks && w - i >= 2
}

/// A byte of a word's letter: ASCII letters and the bytes of other UTF-8 characters
/// (`Réponse secrète`).
fn letter(b: u8) -> bool {
    b.is_ascii_alphabetic() || b >= 0x80
}

/// `value`, unless the identifier `c[start..end]` it is assigned to names something
/// about a secret (`password_length`) or is the AWS secret key's.
fn named_value(
    c: &[u8],
    start: usize,
    end: usize,
    value: std::ops::Range<usize>,
    t: &Tables,
) -> Option<std::ops::Range<usize>> {
    // The identifier, once the syntax holds (most keyword hits are not assignments).
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
    // `GP_PASSWORD_RESET_VALIDTIME`: a word after the keyword qualifies the secret (its
    // reset, its policy), the identifier names something about it.
    if qualifying_word_after_keyword(ident, t) {
        return None;
    }
    Some(value)
}

/// Whether an assignment can follow the identifier holding a keyword that ends at
/// `kw_end`: after the identifier, a closing quote and blanks, an assignment operator
/// or a type and `=` ([`operator_at`]), the `>` of an XML element, or a setter call's
/// comma. Most keyword hits are uses, not assignments: they are passed over here,
/// before any other work. [`assigned_value_at`] accepts less.
fn assignment_follows(c: &[u8], kw_end: usize) -> bool {
    let mut i = run(c, kw_end, 128, is_ident);
    let quoted = matches!(c.get(i), Some(b'"' | b'\''));
    if quoted {
        i += 1;
    }
    i = skip_blanks(c, i);
    c.get(i) == Some(&b'>')
        || (quoted && c.get(i) == Some(&b','))
        || operator_at(c, i, !quoted).is_some()
        || (!quoted && fallback_operator(c, i).is_some())
}

/// The end of an assignment operator at `i` (after the identifier and blanks): `=`,
/// `:`, `:=`, `::=`, `:::=`, `?=` (make), `.=` (PHP), `=>`; or a declared type and `=`
/// (`var token string = …`, `token: String = …`) when `typed` (not after a quoted
/// name: `name="api_token" value="…"` is markup). Not a comparison (`==`) or a path
/// (`::`).
fn operator_at(c: &[u8], i: usize, may_be_typed: bool) -> Option<usize> {
    let at = |k: usize| c.get(i + k).copied();
    let len = match (at(0)?, at(1), at(2), at(3)) {
        (b':', Some(b':'), Some(b':'), Some(b'=')) => 4,
        (b':', Some(b':'), Some(b'='), _) => 3,
        (b'=', Some(b'='), ..) | (b':', Some(b':'), ..) => return None,
        (b':', Some(b'='), ..) | (b'=', Some(b'>'), ..) | (b'?' | b'.', Some(b'='), ..) => 2,
        (b'=', ..) => 1,
        (b':', ..) if may_be_typed => {
            return Some(typed(c, skip_blanks(c, i + 1)).unwrap_or(i + 1));
        }
        (b':', ..) => 1,
        (b, ..) if may_be_typed && b.is_ascii_alphabetic() => return typed(c, i),
        _ => return None,
    };
    Some(i + len)
}

/// After `name` or `name:`, a type and `=`: the end of the `=`.
fn typed(c: &[u8], i: usize) -> Option<usize> {
    if !c.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let w = run(c, i, 40, |b| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'_' | b'.' | b'[' | b']' | b'<' | b'>' | b'?' | b'*')
    });
    let k = skip_blanks(c, w);
    (c.get(k) == Some(&b'=') && !matches!(c.get(k + 1), Some(b'=' | b'>'))).then_some(k + 1)
}

/// Whether a setter call (`setProperty(`, `Setenv(`: context `setter_calls`) opens
/// just before the quote at `quote`.
fn setter_before(c: &[u8], quote: usize, t: &Tables) -> bool {
    let before = &c[quote.saturating_sub(64)..quote];
    let before = &before[..skip_blanks_back(before)];
    t.setter_calls
        .iter()
        .chain(t.env_lookups.iter().filter(|l| l.ends_with('(')))
        .any(|s| before.ends_with(s.as_bytes()))
}

/// After an identifier and blanks at `i`, a fallback operator (`||`, `??`, Kotlin's
/// `?:`, Python's `or`) and the blanks after it: where the fallback starts.
fn fallback_operator(c: &[u8], i: usize) -> Option<usize> {
    let len = match (c.get(i)?, c.get(i + 1), c.get(i + 2)) {
        (b'|', Some(b'|'), Some(b'=')) | (b'?', Some(b'?'), Some(b'=')) => return None,
        (b'|', Some(b'|'), _) | (b'?', Some(b'?' | b':'), _) => 2,
        (b'o', Some(b'r'), Some(b' ' | b'\t')) => 2,
        _ => return None,
    };
    Some(skip_blanks(c, i + len))
}

/// The right-hand side at `i` when it is an environment lookup (`env_lookups`): the
/// literal it falls back to (`process.env.KEY || '…'`, `os.getenv("KEY", "…")`,
/// `os.environ.get("KEY") or "…"`), or `Some(None)` when it has none. `None` when `i`
/// holds no lookup.
fn env_fallback(c: &[u8], i: usize, t: &Tables) -> Option<Option<std::ops::Range<usize>>> {
    let lookup = t
        .env_lookups
        .iter()
        .find(|l| c[i.min(c.len())..].starts_with(l.as_bytes()))?;
    let j = i + lookup.len();
    let after = match lookup.as_bytes().last() {
        // A call: the variable's name, then `,` and the fallback, or `)`.
        Some(b'(') => {
            let k = skip_blanks(c, skip_argument(c, j));
            match c.get(k) {
                Some(b',') => return Some(quoted_at(c, skip_blanks(c, k + 1))),
                Some(b')') => k + 1,
                _ => return Some(None),
            }
        }
        Some(b'[') => match memchr::memchr(b']', &c[j..c.len().min(j + 128)]) {
            Some(e) => j + e + 1,
            None => return Some(None),
        },
        _ => run(c, j, 128, |b| b.is_ascii_alphanumeric() || b == b'_'),
    };
    let after = skip_blanks(c, after);
    Some(fallback_operator(c, after).and_then(|k| quoted_at(c, k)))
}

/// The end of a call's argument at `j`: a quoted string or a name.
fn skip_argument(c: &[u8], j: usize) -> usize {
    match c.get(j) {
        Some(&q @ (b'"' | b'\'' | b'`')) => {
            let e = run(c, j + 1, 256, |b| b != q && b != b'\n');
            if c.get(e) == Some(&q) { e + 1 } else { e }
        }
        _ => run(c, j, 128, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.')
        }),
    }
}

/// A quoted string literal at `j` (Python's `r` and `b` prefixes allowed; an f-string
/// is a template, not a literal), on one line: where its text is.
fn quoted_at(c: &[u8], mut j: usize) -> Option<std::ops::Range<usize>> {
    if let Some(&pre) = c.get(j)
        && matches!(pre, b'r' | b'R' | b'b' | b'B')
        && matches!(c.get(j + 1), Some(b'"' | b'\''))
    {
        j += 1;
    }
    let q = *c.get(j)?;
    if !matches!(q, b'"' | b'\'' | b'`') {
        return None;
    }
    let e = run(c, j + 1, 256, |b| b != q && b != b'\n');
    (c.get(e) == Some(&q)).then_some(j + 1..e)
}

/// A key's bytes written out: hex (one case) of 16, 24 or 32 bytes, or base64 of the
/// same (padded or not, standard or URL-safe; not hex digits only), random-looking: letters and digits
/// mixed, 3 bits of entropy per byte for hex and 3.5 for base64, no filler, no run of
/// eight ascending characters or bytes (`000102…0f`, a test key's counting bytes).
fn key_material(v: &[u8]) -> bool {
    let hex = matches!(v.len(), 32 | 48 | 64)
        && v.iter().all(u8::is_ascii_hexdigit)
        && !(v.iter().any(u8::is_ascii_uppercase) && v.iter().any(u8::is_ascii_lowercase));
    let body = v
        .strip_suffix(b"==")
        .or_else(|| v.strip_suffix(b"="))
        .unwrap_or(v);
    let base64 = !hex
        && matches!(
            (v.len(), v.len() - body.len()),
            (24, 2) | (22, 0) | (32, 0) | (44, 1) | (43, 0)
        )
        && (body.iter().all(|&b| is_b64(b)) || body.iter().all(|&b| is_b64url(b)))
        // Hex in mixed case is no key's base64 (hex digits only: 22 of 64 symbols).
        && !body.iter().all(u8::is_ascii_hexdigit)
        && body.iter().any(u8::is_ascii_uppercase)
        && body.iter().any(u8::is_ascii_lowercase);
    if !(hex || base64) {
        return false;
    }
    let mut bytes = Vec::with_capacity(32);
    if hex {
        bytes.extend(v.chunks(2).map(|p| {
            let d = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            d(p[0]) << 4 | d(p[1])
        }));
    } else {
        let url = body.iter().any(|&b| b == b'-' || b == b'_');
        base64_decode(body, if url { *b"-_" } else { *b"+/" }, &mut bytes);
    }
    let counting = bytes
        .windows(8)
        .any(|w| w.windows(2).all(|p| p[1] == p[0].wrapping_add(1)));
    v.iter().any(u8::is_ascii_digit)
        && v.iter().any(u8::is_ascii_alphabetic)
        && entropy(v) >= if hex { 3.0 } else { 3.5 }
        && !looks_filler(v)
        && !looks_sequential(v)
        && !counting
}

/// The length of `s` without its trailing blanks.
fn skip_blanks_back(s: &[u8]) -> usize {
    let mut n = s.len();
    while n > 0 && matches!(s[n - 1], b' ' | b'\t') {
        n -= 1;
    }
    n
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
    if t.ciphertext_prefixes
        .iter()
        .any(|p| v.starts_with(p.as_bytes()))
    {
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
    // `security.validTime`: identifiers of letters joined by dots, a setting's name.
    let dotted_name = v.contains(&b'.')
        && v.split(|&b| b == b'.').all(|part| {
            !part.is_empty() && part.iter().all(|b| b.is_ascii_alphabetic() || *b == b'_')
        });
    if upper_snake || kebab || dotted || dotted_name || resource_name(v) {
        return false;
    }
    entropy(v) >= 3.0
}

/// A value that looks like a generated token, for the weaker keywords of
/// [`Algorithm::TokenAssignment`]: a secret value of 20 characters or more, letters and
/// digits mixed, 3.5 bits of entropy per byte or more, not a dotted reference to
/// code (`PdfEncryptionKeySize.Key128Bit`).
fn token_value(v: &[u8], t: &Tables) -> bool {
    v.len() >= 20
        && v.iter().any(u8::is_ascii_digit)
        && v.iter().any(u8::is_ascii_alphabetic)
        && entropy(v) >= 3.5
        && !code_reference(v)
        && secret_value(v, t)
}

/// `Name.Member`, `pkg.mod_v8.name`: identifiers joined by dots.
fn code_reference(v: &[u8]) -> bool {
    v.contains(&b'.')
        && v.split(|&b| b == b'.').all(|part| {
            part.first()
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                && part.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        })
}

/// Whether one of `words` is a whole word of the identifier `ident` (split at
/// separators and camelCase).
fn has_word(ident: &[u8], words: &[&str]) -> bool {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    for (i, &b) in ident.iter().enumerate() {
        let camel = b.is_ascii_uppercase() && i > 0 && ident[i - 1].is_ascii_lowercase();
        if (!b.is_ascii_alphanumeric() || camel) && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        if b.is_ascii_alphanumeric() {
            cur.push(b.to_ascii_lowercase());
        }
    }
    parts.push(cur);
    parts
        .iter()
        .any(|p| words.iter().any(|w| w.as_bytes() == &p[..]))
}

/// Whether the keyword at `c[p..p + len]` is a whole word of its identifier: at the
/// start or after a separator or a lower-case letter (camelCase), and followed by the
/// end, a separator, an upper-case letter, or a plural `s`.
fn whole_word(c: &[u8], p: usize, len: usize) -> bool {
    let before = p.checked_sub(1).map(|i| c[i]);
    let first = c[p];
    let starts = !first.is_ascii_alphanumeric()
        || match before {
            None => true,
            Some(b) if !b.is_ascii_alphanumeric() => true,
            Some(b) => b.is_ascii_lowercase() && first.is_ascii_uppercase() || b.is_ascii_digit(),
        };
    let last = c[p + len - 1];
    let ends = |i: usize| match c.get(i) {
        None => true,
        Some(&b) if !b.is_ascii_alphanumeric() => true,
        Some(&b) => b.is_ascii_uppercase() && last.is_ascii_lowercase() || b.is_ascii_digit(),
    };
    starts && (ends(p + len) || (matches!(c.get(p + len), Some(b's' | b'S')) && ends(p + len + 1)))
}

/// A resource's name, not a secret: lower-case words and numbers joined by at least two
/// hyphens (or words of any case joined by four), one word not hexadecimal
/// (`cmp2-qat-1208358310`, `prod-db-eu-west-1`; a UUID, all hexadecimal, may be a
/// client secret).
fn resource_name(v: &[u8]) -> bool {
    let parts: Vec<&[u8]> = v.split(|&b| b == b'-').collect();
    let lower = parts.iter().all(|p| {
        !p.is_empty()
            && p.iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    // Mixed case, when there are five words or more (`id-Gost28147-89-None-KeyMeshing`).
    let words = parts.len() >= 5
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_alphanumeric));
    parts.len() >= 3
        && (lower || words)
        && parts.iter().any(|p| {
            p.iter()
                .any(|b| (b'g'..=b'z').contains(&b.to_ascii_lowercase()))
        })
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
mod test_random;
#[cfg(test)]
mod tests;
