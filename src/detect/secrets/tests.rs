//! Each secret kind on a realistic sample, and not on its documentation example,
//! placeholder or near miss. Test secrets are generated at run time (a deterministic
//! generator, or concatenation), so this file holds nothing that looks like a
//! credential.

use super::format::{BASE62, crc32, github_checksum};
use super::*;
use crate::detect::engine::Detectors;
use crate::model::Signal;

const PRIVATE_KEY: &str = "secret.private_key";
const AWS_SECRET_KEY: &str = "secret.aws_secret_key";
const GCP_SERVICE_ACCOUNT: &str = "secret.gcp_service_account";
const AZURE_STORAGE_KEY: &str = "secret.azure_storage_key";
const AZURE_CONNECTION_STRING: &str = "secret.azure_connection_string";
const GITHUB_TOKEN: &str = "secret.github_token";
const GITLAB_TOKEN: &str = "secret.gitlab_token";
const SLACK_TOKEN: &str = "secret.slack_token";
const SLACK_WEBHOOK: &str = "secret.slack_webhook";
const STRIPE_KEY: &str = "secret.stripe_key";
const OPENAI_KEY: &str = "secret.openai_key";
const ANTHROPIC_KEY: &str = "secret.anthropic_key";
const JWT: &str = "secret.jwt";
const PASSWORD_ASSIGNMENT: &str = "secret.password_assignment";
const CONNECTION_STRING: &str = "secret.connection_string";

/// The published values of a signal's data (its algorithm's, then its tokens').
fn documentation(id: &str) -> Vec<&'static str> {
    let def = DEFS.iter().find(|d| d.id == id).unwrap();
    let mut out: Vec<&'static str> = def
        .algorithm
        .iter()
        .flat_map(|a| a.documentation.iter().copied())
        .collect();
    out.extend(
        def.tokens
            .iter()
            .flat_map(|t| t.documentation.iter().copied()),
    );
    assert!(!out.is_empty(), "{id} has no documentation values");
    out
}

fn scan(path: &str, text: &str) -> Vec<Signal> {
    let d = Detectors::new(&[], &[new]).unwrap();
    let signals = d.scanner().scan(path, text.as_bytes(), false);
    for s in &signals {
        if s.id == PUBLIC_PEM {
            assert_eq!(s.category, PUBLIC_CATEGORY);
            continue;
        }
        if s.id == PLAIN_ENV || s.id == TEMPLATE {
            assert_eq!(s.category, CONFIG_CATEGORY);
            continue;
        }
        assert_eq!(s.category, "secret");
        assert!(SIGNAL_IDS.contains(&s.id.as_str()), "{}", s.id);
    }
    signals
}

/// A PEM block of `kind` with a body of made-up base64.
fn pem_block(kind: &str) -> String {
    let body = "MIIBszCCAVmgAwIBAgIUQ2lYhM8aP0c3mZ1wX4n7B9tK0qEwCgYIKoZIzj0EAwIw\n".repeat(4);
    format!("-----BEGIN {kind}-----\n{body}-----END {kind}-----\n")
}

#[test]
fn a_file_of_certificates_and_public_keys_only_is_public_material() {
    let ids = |text: &str| -> Vec<String> {
        scan("certs/ca.pem", text)
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    let chain = pem_block("CERTIFICATE") + &pem_block("CERTIFICATE");
    assert_eq!(ids(&chain), [PUBLIC_PEM]);
    assert_eq!(
        ids(&(pem_block("PUBLIC KEY") + "trailing notes\n")),
        [PUBLIC_PEM]
    );
    // A private key next to the certificate: a credential, not public material.
    let with_key = pem_block("CERTIFICATE") + &pem_block(&["PRIVATE", "KEY"].join(" "));
    let got = ids(&with_key);
    assert!(!got.contains(&PUBLIC_PEM.to_string()), "{got:?}");
    // A type tiergate does not know as public, or a block left open: not judged public.
    assert!(ids(&pem_block("OPENVPN STATIC KEY V1")).is_empty());
    let open = pem_block("CERTIFICATE").replace("-----END CERTIFICATE-----\n", "");
    assert!(ids(&open).is_empty());
    // No PEM at all: nothing.
    assert!(ids("just text\n").is_empty());
}

/// The single signal `text` must give, as `(id, confidence)`; also checks that its JSON
/// form leaks none of `secret`.
fn one(path: &str, text: &str, secret: &str) -> (String, Confidence) {
    let got = scan(path, text);
    assert_eq!(
        got.len(),
        1,
        "{path}: expected one signal in {text:?}, got {got:#?}"
    );
    let json = serde_json::to_string(&got).unwrap();
    assert!(
        !json.contains(secret),
        "signal JSON leaks the secret: {json}"
    );
    (got[0].id.clone(), got[0].confidence)
}

fn fires(path: &str, text: &str, secret: &str, id: &str, confidence: Confidence) {
    assert_eq!(
        one(path, text, secret),
        (id.to_string(), confidence),
        "{path}: {text:?}"
    );
}

/// No credential in `text` (public material may be noted).
fn silent(path: &str, text: &str) {
    let got: Vec<Signal> = scan(path, text)
        .into_iter()
        .filter(|s| s.id != PUBLIC_PEM && s.id != PLAIN_ENV && s.id != TEMPLATE)
        .collect();
    assert!(
        got.is_empty(),
        "{path}: expected nothing in {text:?}, got {got:#?}"
    );
}

use super::test_random::random;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(B64URL[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The first bytes of a DER private key (PKCS#1, PKCS#8, SEC1): a sequence, then the
/// version.
const DER_KEY: &[u8] = &[0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00];
/// An encrypted PKCS#8 key: a sequence, then the algorithm's sequence.
const DER_ENCRYPTED: &[u8] = &[0x30, 0x82, 0x04, 0xa4, 0x30, 0x4e];
const OPENSSH_KEY: &[u8] = b"openssh-key-v1\0";
/// A PGP secret-key packet (old format, tag 5).
const PGP_SECRET_KEY: &[u8] = &[0x95, 0x03, 0x98];

/// A key's armored body: `prefix` then 576 generated bytes, base64 wrapped at 64.
fn pem_body_of(prefix: &[u8], seed: u64) -> String {
    let hex = random(seed, 1152, b"0123456789abcdef");
    let mut bytes = prefix.to_vec();
    bytes.extend(
        hex.as_bytes()
            .chunks(2)
            .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()),
    );
    b64_wrapped(&bytes, 64)
}

/// A PKCS#8 key's body.
fn pem_body(seed: u64) -> String {
    pem_body_of(DER_KEY, seed)
}

/// Key-like text without a key's structure: random base64.
fn made_up_pem_body(seed: u64) -> String {
    (0..12)
        .map(|i| random(seed + i, 64, B64))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- private keys -------------------------------------------------------------------

#[test]
fn private_keys_of_every_kind() {
    for (i, (kind, prefix)) in [
        ("", DER_KEY),
        ("RSA ", DER_KEY),
        ("EC ", DER_KEY),
        ("DSA ", DER_KEY),
        ("OPENSSH ", OPENSSH_KEY),
        ("ENCRYPTED ", DER_ENCRYPTED),
    ]
    .iter()
    .enumerate()
    {
        let body = pem_body_of(prefix, i as u64);
        let text =
            format!("-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----\n");
        fires("id_key", &text, &body[..64], PRIVATE_KEY, Confidence::High);
        // The same armor around made-up material: a key by its look only.
        let made_up = made_up_pem_body(20 + i as u64);
        let text = format!(
            "-----BEGIN {kind}PRIVATE KEY-----\n{made_up}\n-----END {kind}PRIVATE KEY-----\n"
        );
        fires(
            "id_key",
            &text,
            &made_up[..64],
            PRIVATE_KEY,
            Confidence::Medium,
        );
    }
    let body = pem_body_of(PGP_SECRET_KEY, 10);
    let pgp = format!(
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n{body}\n-----END PGP PRIVATE KEY BLOCK-----\n"
    );
    fires("key.asc", &pgp, &body[..64], PRIVATE_KEY, Confidence::High);
    // Legacy encryption: the body is ciphertext, the DEK-Info its structure.
    let body = made_up_pem_body(11);
    let legacy = format!(
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D4E5F60718293A4B5C6D7E8F9\n\n{body}\n-----END RSA PRIVATE KEY-----\n"
    );
    fires(
        "legacy.pem",
        &legacy,
        &body[..64],
        PRIVATE_KEY,
        Confidence::High,
    );
    // Inside a JSON string, with `\n` escapes.
    let body = pem_body(12);
    let escaped = body.replace('\n', "\\n");
    let json = format!(
        "{{\"key\": \"-----BEGIN PRIVATE KEY-----\\n{escaped}\\n-----END PRIVATE KEY-----\\n\"}}"
    );
    fires("k.json", &json, &body[..64], PRIVATE_KEY, Confidence::High);
}

#[test]
fn private_key_headers_without_key_material_are_not_keys() {
    // Documentation, code that assembles a key, public keys, certificates.
    silent(
        "README.md",
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n",
    );
    silent(
        "README.md",
        "-----BEGIN OPENSSH PRIVATE KEY-----\n<your key here>\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    silent(
        "pem.py",
        "pem = \"-----BEGIN PRIVATE KEY-----\\n\" + body + \"\\n-----END PRIVATE KEY-----\"\n",
    );
    silent(
        "k.pem",
        &format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            pem_body(1)
        ),
    );
    silent(
        "c.pem",
        &format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            pem_body(2)
        ),
    );
    silent(
        "k.pem",
        &format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            "A".repeat(64 * 4)
        ),
    );
}

// ---- AWS ----------------------------------------------------------------------------

fn aws_key_id() -> String {
    format!("AKIA{}", random(7, 16, BASE32))
}

#[test]
fn aws_access_key_ids() {
    let id = aws_key_id();
    fires(
        "deploy.sh",
        &format!("export AWS_ACCESS_KEY_ID={id}\n"),
        &id,
        AWS_ACCESS_KEY,
        Confidence::High,
    );
    let sts = format!("ASIA{}", random(8, 16, BASE32));
    fires(
        "creds.json",
        &format!("{{\"AccessKeyId\": \"{sts}\"}}"),
        &sts,
        AWS_ACCESS_KEY,
        Confidence::High,
    );
}

#[test]
fn aws_documentation_keys_and_near_misses_are_not_findings() {
    silent(
        "README.md",
        concat!("aws_access_key_id = AKIA", "IOSFODNN7EXAMPLE\n"),
    );
    silent(
        "a.txt",
        &format!("key = AKIA{}EXAMPLE\n", random(1, 9, BASE32)),
    );
    // Too short, too long, wrong alphabet (0, 1, 8, 9 are not base32), lowercase,
    // inside a longer token.
    silent("a.txt", &format!("AKIA{}\n", random(2, 15, BASE32)));
    silent("a.txt", &format!("AKIA{}\n", random(2, 17, BASE32)));
    silent("a.txt", "AKIA1234567890189018\n");
    silent(
        "a.txt",
        &format!("akia{}\n", random(3, 16, BASE32).to_lowercase()),
    );
    silent("a.txt", &format!("XAKIA{}\n", random(4, 16, BASE32)));
}

#[test]
fn aws_secret_keys_need_the_keyword_and_entropy() {
    let secret = random(11, 40, B64);
    let text = format!("[default]\naws_secret_access_key = {secret}\n");
    fires(
        "credentials",
        &text,
        &secret,
        AWS_SECRET_KEY,
        Confidence::Medium,
    );
    // With its access key id next to it: high, and both reported.
    let id = aws_key_id();
    let text = format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
    let got = scan("credentials", &text);
    let ids: Vec<(&str, Confidence)> = got.iter().map(|s| (s.id.as_str(), s.confidence)).collect();
    assert_eq!(
        ids,
        vec![
            (AWS_ACCESS_KEY, Confidence::High),
            (AWS_SECRET_KEY, Confidence::High)
        ]
    );
    // The documentation secret, a low-entropy value, a 40-char value without the keyword.
    silent(
        "README.md",
        concat!(
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
            "EXAMPLEKEY\n"
        ),
    );
    silent(
        "c",
        &format!("aws_secret_access_key = {}\n", "ab".repeat(20)),
    );
    silent("c", &format!("checksum = {secret}\n"));
}

// ---- GCP, Azure ---------------------------------------------------------------------

#[test]
fn gcp_service_account_json_with_a_real_key() {
    let body = pem_body(21).replace('\n', "\\n");
    let text = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\",\n  \"client_email\": \"ci@acme-prod.iam.gserviceaccount.com\"\n}}\n",
        random(22, 40, b"0123456789abcdef")
    );
    let got = scan("sa.json", &text);
    let ids: Vec<(&str, Confidence, u32)> = got
        .iter()
        .map(|s| (s.id.as_str(), s.confidence, s.line))
        .collect();
    assert_eq!(
        ids,
        vec![
            (GCP_SERVICE_ACCOUNT, Confidence::High, 2),
            (PRIVATE_KEY, Confidence::High, 5),
        ]
    );
    // The documented shape with the key elided is neither.
    silent(
        "docs/sa.json",
        "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n\"}",
    );
    // `service_account` elsewhere is not the type field.
    silent(
        "sa.py",
        "kind = \"service_account\"\nprivate_key = load()\n",
    );
}

fn azure_key(seed: u64) -> String {
    format!("{}==", random(seed, 86, B64))
}

#[test]
fn azure_storage_keys_and_connection_strings() {
    let key = azure_key(31);
    let conn = format!(
        "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={key};EndpointSuffix=core.windows.net"
    );
    fires(
        "appsettings.json",
        &format!("{{\"Storage\": \"{conn}\"}}"),
        &key,
        AZURE_CONNECTION_STRING,
        Confidence::High,
    );
    fires(
        "k.txt",
        &format!("AccountKey={key}\n"),
        &key,
        AZURE_STORAGE_KEY,
        Confidence::High,
    );
    fires(
        "app.env",
        &format!("AZURE_STORAGE_KEY=\"{key}\"\n"),
        &key,
        AZURE_STORAGE_KEY,
        Confidence::Medium,
    );
    let sas = format!("{}=", random(32, 43, B64));
    let bus = format!(
        "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={sas}"
    );
    fires(
        "bus.config",
        &bus,
        &sas,
        AZURE_CONNECTION_STRING,
        Confidence::High,
    );
    // The storage emulator's published key, a short value, a placeholder.
    silent(
        "local.settings.json",
        &format!(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={};",
            documentation(AZURE_STORAGE_KEY)[0]
        ),
    );
    // Too short for a storage account key; a random value assigned to a key is still
    // a generic token.
    let short = scan("k.txt", &format!("AccountKey={}==\n", random(33, 40, B64)));
    assert!(
        short.iter().all(|s| s.id == "secret.generic_token"),
        "{short:#?}"
    );
    silent("k.txt", "AccountKey=<your-account-key>;\n");
}

// ---- tokens -------------------------------------------------------------------------

fn github_token(prefix: &str, seed: u64) -> String {
    let random30 = random(seed, 30, ALNUM);
    let sum = github_checksum(random30.as_bytes());
    format!("{prefix}{random30}{}", std::str::from_utf8(&sum).unwrap())
}

#[test]
fn github_tokens_with_and_without_a_valid_checksum() {
    for (i, prefix) in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"].iter().enumerate() {
        let t = github_token(prefix, 40 + i as u64);
        fires(
            "ci.yml",
            &format!("token: {t}\n"),
            &t,
            GITHUB_TOKEN,
            Confidence::High,
        );
    }
    // A well-formed token whose checksum fails: reported, but low.
    let mut bad = github_token("ghp_", 50);
    let last = if bad.ends_with('A') { "B" } else { "A" };
    bad.replace_range(bad.len() - 1.., last);
    fires(
        "ci.yml",
        &format!("token: {bad}\n"),
        &bad,
        GITHUB_TOKEN,
        Confidence::Low,
    );
    let pat = format!(
        "github_pat_{}_{}",
        random(51, 22, ALNUM),
        random(52, 59, ALNUM)
    );
    fires(
        "ci.yml",
        &format!("GH_TOKEN={pat}\n"),
        &pat,
        GITHUB_TOKEN,
        Confidence::High,
    );
    // Placeholders, the shape in GitHub's docs, wrong length, upper-case prefix.
    silent("a.md", &format!("ghp_{}\n", "x".repeat(36)));
    silent(
        "a.md",
        concat!("ghp_abcdefghijklmnopqrstuvwxyz", "ABCD012345\n"),
    );
    silent("a.md", &format!("ghp_{}\n", random(53, 35, ALNUM)));
    silent("a.md", &format!("GHP_{}\n", random(54, 36, ALNUM)));
    silent("a.md", "github_pat_XXXXXXXXXXXXXXXXXXXXXX_XXXXX\n");
}

#[test]
fn github_checksum_matches_the_published_scheme() {
    // CRC32 of "123456789" is the standard check value 0xCBF43926.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    // 0xCBF43926 = 3421780262 in base62 (0-9A-Za-z), six digits.
    let mut n = 3_421_780_262u64;
    let mut expect = [b'0'; 6];
    for slot in expect.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    assert_eq!(github_checksum(b"123456789"), expect);
}

#[test]
fn gitlab_slack_stripe_tokens() {
    let gl = format!("glpat-{}", random(60, 20, B64URL));
    fires(
        ".gitlab-ci.yml",
        &format!("  GITLAB_TOKEN: {gl}\n"),
        &gl,
        GITLAB_TOKEN,
        Confidence::High,
    );
    silent("a.md", "glpat-xxxxxxxxxxxxxxxxxxxx\n");
    silent("a.md", &format!("glpat-{}\n", random(61, 12, ALNUM)));

    let xoxb = format!(
        "xoxb-{}-{}-{}",
        random(62, 12, b"0123456789"),
        random(63, 13, b"0123456789"),
        random(64, 24, ALNUM)
    );
    fires(
        "bot.py",
        &format!("SLACK_TOKEN = \"{xoxb}\"\n"),
        &xoxb,
        SLACK_TOKEN,
        Confidence::High,
    );
    silent("a.md", "export SLACK_TOKEN=xoxb-your-bot-token-here\n");
    silent(
        "a.md",
        "xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX\n",
    );

    let hook = format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        random(65, 8, BASE32),
        random(66, 10, BASE32),
        random(67, 24, ALNUM)
    );
    fires(
        "notify.sh",
        &format!("curl -X POST {hook}\n"),
        &hook[30..],
        SLACK_WEBHOOK,
        Confidence::High,
    );
    silent(
        "README.md",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n",
    );

    let live = format!("sk_live_{}", random(68, 24, ALNUM));
    fires(
        "pay.rb",
        &format!("Stripe.api_key = '{live}'\n"),
        &live,
        STRIPE_KEY,
        Confidence::High,
    );
    let restricted = format!("rk_live_{}", random(69, 99, ALNUM));
    fires(
        "pay.env",
        &format!("STRIPE={restricted}\n"),
        &restricted,
        STRIPE_KEY,
        Confidence::High,
    );
    let test = format!("sk_test_{}", random(70, 24, ALNUM));
    fires(
        "pay_test.rb",
        &format!("key = '{test}'\n"),
        &test,
        STRIPE_KEY,
        Confidence::Low,
    );
    silent(
        "docs.md",
        &format!("curl -u {}:\n", documentation(STRIPE_KEY)[0]),
    );
    silent("docs.md", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n");
    silent("docs.md", "pk_live_is_publishable_anyway\n");
}

#[test]
fn openai_and_anthropic_keys() {
    let proj = format!(
        "sk-proj-{}T3BlbkFJ{}",
        random(80, 40, B64URL),
        random(81, 40, B64URL)
    );
    fires(
        "ai.env",
        &format!("OPENAI_API_KEY={proj}\n"),
        &proj,
        OPENAI_KEY,
        Confidence::High,
    );
    let legacy = format!(
        "sk-{}T3BlbkFJ{}",
        random(82, 20, ALNUM),
        random(83, 20, ALNUM)
    );
    fires(
        "ai.py",
        &format!("openai.api_key = \"{legacy}\"\n"),
        &legacy,
        OPENAI_KEY,
        Confidence::High,
    );
    let ant = format!("sk-ant-api03-{}AA", random(84, 93, B64URL));
    fires(
        "ai.env",
        &format!("ANTHROPIC_API_KEY={ant}\n"),
        &ant,
        ANTHROPIC_KEY,
        Confidence::High,
    );
    silent("README.md", "export OPENAI_API_KEY=sk-proj-...\n");
    silent(
        "README.md",
        "export ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxx\n",
    );
    silent("README.md", &format!("sk-proj-{}\n", "x".repeat(60)));
    silent("a.txt", "task-list and risk-based desk-top\n");
}

// ---- JWT ----------------------------------------------------------------------------

fn jwt(header: &str, seed: u64) -> String {
    format!(
        "{}.{}.{}",
        b64url(header.as_bytes()),
        b64url(b"{\"sub\":\"8f14e45f\",\"iat\":1767225600,\"scope\":\"admin\"}"),
        random(seed, 43, B64URL)
    )
}

#[test]
fn jwts_have_a_json_header_with_alg() {
    let t = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 90);
    fires(
        "req.http",
        &format!("Authorization: Bearer {t}\n"),
        &t,
        JWT,
        Confidence::High,
    );
    let rs = jwt("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"k1\"}", 91);
    fires("t.txt", &rs, &rs, JWT, Confidence::High);
}

#[test]
fn a_jwt_shape_without_a_json_alg_header_is_not_a_jwt() {
    // Starts with `eyJ` (`{"`), but the header is not JSON.
    let not_json = format!(
        "{}.{}.{}",
        b64url(b"{\"oops"),
        b64url(b"{}"),
        random(92, 43, B64URL)
    );
    assert!(not_json.starts_with("eyJ"));
    silent("t.txt", &not_json);
    silent("t.txt", &jwt("{\"typ\":\"JWT\"}", 93));
    silent("t.txt", &jwt("{\"alg\":\"none\"}", 94));
    silent("t.txt", &jwt("{\"alg\":\"HS256\"}", 95).replace('.', ""));
    // jwt.io's default token.
    let example = format!(
        "{}.{}.{}",
        b64url(b"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"),
        b64url(b"{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}"),
        documentation(JWT)[0]
    );
    silent("README.md", &example);
}

// ---- passwords ----------------------------------------------------------------------

#[test]
fn password_assignments_in_config_and_code() {
    let pw = "Zq8#vN2!pL5xR";
    let cases = [
        ("config.py", format!("DB_PASSWORD = \"{pw}\"\n")),
        ("app.yaml", format!("database:\n  password: {pw}\n")),
        ("app.yaml", format!("database:\n  password: '{pw}'\n")),
        // A UUID, all hexadecimal, is a client secret, not a resource's name.
        (
            "app.yaml",
            "client_secret: 3f9a1c2e-7b4d-4e8a-9c1f-2d6b8e0a5f73\n".to_string(),
        ),
        (".env", format!("POSTGRES_PASSWORD={pw}\n")),
        ("settings.json", format!("{{\"smtpPassword\": \"{pw}\"}}")),
        (
            "app.properties",
            format!("spring.datasource.password={pw}\n"),
        ),
        ("web.config", format!("<password>{pw}</password>\n")),
        ("main.go", format!("var apiKey := \"{pw}\"\n")),
        ("x.ini", format!("client_secret = {pw}\n")),
        ("x.rb", format!("config.passwd => \"{pw}\"\n")),
    ];
    for (path, text) in &cases {
        fires(path, text, pw, PASSWORD_ASSIGNMENT, Confidence::Medium);
    }
}

#[test]
fn placeholders_references_and_labels_are_not_passwords() {
    for text in [
        "password: ${DB_PASSWORD}\n",
        "password: \"${DB_PASSWORD}\"\n",
        "password: \"{{ vault_db_password }}\"\n",
        "password: <password>\n",
        "password: changeme\n",
        "password: \"password\"\n",
        "password: example-password\n",
        "password: xxxxxxxxxxxx\n",
        "password: \"************\"\n",
        "password: \"\"\n",
        "password:\n",
        "password: $DB_PASS\n",
        "password_min_length: 12\n",
        "passwordField: \"user-password-input\"\n",
        "secret: db-credentials-secret\n",
        "secretName: my-tls\n",
        // A key vault's name, and other resource names.
        "  keyVaultToStoreSecrets: cmp2-qat-1208358310\n",
        "secret_store: prod-db-eu-west-1\n",
        "password: DB_PASSWORD_FROM_ENV\n",
        "password: %(db_password)s\n",
        "label: \"Enter your password\"\n",
        "password: abcdefgh12\n",
        "password: aaaabbbb\n",
    ] {
        silent("app.yaml", text);
    }
    for text in [
        "password = get_password()\n",
        "password = os.environ[\"DB_PASSWORD\"]\n",
        "password = f\"{prefix}Zq8#vN2!pL5x\"\n",
        "if password == \"Zq8#vN2!pL5xR\":\n",
        "def check(password: str) -> bool:\n",
        "PASSWORD_RE = re.compile(r\"^[A-Za-z0-9]{8,}$\")\n",
    ] {
        silent("auth.py", text);
    }
}

#[test]
fn one_identifier_with_two_keywords_counts_once() {
    let got = scan("x.env", "SECRET_PASSWORD=Zq8#vN2!pL5xR\n");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].count, 1);
}

// ---- connection strings -------------------------------------------------------------

#[test]
fn connection_strings_with_inline_credentials() {
    let pw = "N7x!pQ2zLmR4";
    for url in [
        format!("postgres://app:{pw}@db.internal:5432/app"),
        format!("postgresql+asyncpg://app:{pw}@db/app"),
        format!("jdbc:mysql://svc:{pw}@mysql.prod:3306/shop"),
        format!("mongodb+srv://reader:{pw}@cluster0.abcde.mongodb.net/db"),
        format!("redis://:{pw}@cache:6379/0"),
        format!("amqps://bus:{pw}@mq.internal/vhost"),
    ] {
        fires(
            "compose.yml",
            &format!("  DATABASE_URL: \"{url}\"\n"),
            pw,
            CONNECTION_STRING,
            Confidence::High,
        );
    }
    fires(
        "c.txt",
        "mysql://root:r00tpw@db/x\n",
        "r00tpw",
        CONNECTION_STRING,
        Confidence::Medium,
    );
    fires(
        "c.txt",
        "postgres://postgres:postgres@localhost/x\n",
        "postgres:postgres",
        CONNECTION_STRING,
        Confidence::Low,
    );
}

#[test]
fn connection_strings_with_placeholder_or_no_password_are_not_findings() {
    for text in [
        "postgres://user:password@localhost/db\n",
        "postgres://user:${DB_PASS}@host/db\n",
        "postgresql://<user>:<password>@host:5432/db\n",
        "mongodb://user:pass@host/db\n",
        "mysql://{{ user }}:{{ password }}@db/x\n",
        "postgres://app@db/app\n",
        "redis://cache:6379/0\n",
        "https://user:Zq8vN2pL5xR@example.com/\n",
        "amqp://guest:guest@localhost:5672/\n",
        "postgres://app:****@db/app\n",
    ] {
        silent("c.txt", text);
    }
}

// ---- aggregation --------------------------------------------------------------------

#[test]
fn counts_lines_and_binaries() {
    let a = aws_key_id();
    let b = format!("AKIA{}", random(100, 16, BASE32));
    let text = format!("# keys\n\nfirst = {a}\nsecond = {b}\nagain = {a}\n");
    let got = scan("keys.txt", &text);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].count, got[0].line), (3, 3));
    let json = serde_json::to_string(&got).unwrap();
    assert!(!json.contains(&a) && !json.contains(&b), "{json}");

    // Binary content is searched too: a key in an executable still leaks.
    let d = Detectors::new(&[], &[new]).unwrap();
    assert_eq!(d.scanner().scan("keys.bin", text.as_bytes(), true), got);
}

#[test]
fn every_truncation_of_every_sample_scans_without_panicking() {
    // Validators look ahead of their anchor; a file may end anywhere.
    let d = Detectors::new(&[], &[new]).unwrap();
    let mut s = d.scanner();
    let samples = [
        format!("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\n{}\n", pem_body(3)),
        format!("{{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{}\"}}", random(4, 80, B64)),
        format!("aws_access_key_id={}\naws_secret_access_key={}\n", aws_key_id(), random(5, 40, B64)),
        format!("DefaultEndpointsProtocol=https;AccountName=a;AccountKey={};SharedAccessKeyName=x;SharedAccessKey={}=", azure_key(6), random(7, 43, B64)),
        format!("{} github_pat_{}_{} glpat-{}", github_token("ghp_", 8), random(9, 22, ALNUM), random(10, 59, ALNUM), random(11, 20, ALNUM)),
        format!("xoxb-123456789012-{} hooks.slack.com/services/T{}/B{}/{}", random(12, 24, ALNUM), random(13, 8, BASE32), random(14, 9, BASE32), random(15, 24, ALNUM)),
        format!("sk_live_{} sk-proj-{} sk-{}T3BlbkFJ{} sk-ant-api03-{}", random(16, 24, ALNUM), random(17, 50, B64URL), random(18, 20, ALNUM), random(19, 20, ALNUM), random(20, 95, B64URL)),
        jwt("{\"alg\":\"HS256\"}", 21),
        "<password>Zq8#vN2!pL5xR</password>\n\"password\": r\"Zq8#vN2!pL5xR\"\npassword := `Zq8#vN2!pL5xR`".to_string(),
        "postgresql+asyncpg://app:N7x!pQ2zLmR4@db/app mongodb+srv://:@".to_string(),
    ];
    for sample in &samples {
        let full = s.scan("x.yaml", sample.as_bytes(), false);
        assert!(!full.is_empty(), "sample finds nothing: {sample}");
        for k in 0..sample.len() {
            s.scan("x.yaml", &sample.as_bytes()[..k], false);
        }
    }
}

#[test]
fn token_keywords_are_whole_words_of_any_casing_and_separator() {
    let value = random(140, 24, ALNUM);
    for ident in [
        "accessToken",
        "ACCESS_TOKEN",
        "access-token",
        "access.token",
        "token",
        "authTokens",
        "API_KEY2",
        "clientKey",
        "signing_key",
        "X-Auth",
        "credentials",
        "bearer",
    ] {
        let text = format!("{ident} = \"{value}\"\n");
        let got = scan("settings.py", &text);
        assert!(
            got.iter()
                .any(|s| s.id == "secret.generic_token" || s.id == PASSWORD_ASSIGNMENT),
            "{ident}: {got:#?}"
        );
    }
    for ident in [
        "monkey",
        "keyboard",
        "author",
        "tokenizer",
        "turkey",
        "keynote",
        "authority",
    ] {
        silent("settings.py", &format!("{ident} = \"{value}\"\n"));
    }
}

#[test]
fn token_values_look_generated() {
    for value in [
        // Words, a name, a resource's name, too short, one class of characters.
        "\"user-profile-page-v2\"",
        "\"thisIsNotASecretValue\"",
        "\"prod-db-eu-west-1\"",
        "\"a1B2c3D4\"",
        "\"abcdefghijklmnopqrstuvwx\"",
        "\"<your-access-token-here>\"",
        "\"${ACCESS_TOKEN}\"",
        // Too short, a reference to code, a name of words, an elided example.
        "\"gdoym0ceili2r1lq\"",
        "PdfEncryptionKeySize.Key128Bit",
        "\"id-Gost28147-89-None-KeyMeshing\"",
        "\"ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6..\"",
    ] {
        silent("settings.txt", &format!("accessToken = {value}\n"));
    }
    // Public tokens and keys, and CSRF tokens, are not credentials.
    let value = random(170, 32, ALNUM);
    for ident in [
        "publicToken",
        "public_key",
        "publishableKey",
        "csrf-token",
        "pubKey",
    ] {
        silent("settings.py", &format!("{ident} = \"{value}\"\n"));
    }
}

#[test]
fn ciphertext_is_not_a_secret() {
    let sops = concat!(
        "database:\n    password: ENC[AES256_GCM,data:Tr7o3pY0k9Qe,iv:1rOdPVdB2Vw6jPq0KxQ0h5Ydr2p0Yb1c1lVJc9Z0X2A=,",
        "tag:7lQ1bYpS2T0bZ1qJt9dO4g==,type:str]\n"
    );
    silent("secrets.enc.yaml", sops);
    silent(
        "values.yaml",
        "token: \"vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==\"\n",
    );
    let sealed = concat!(
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\n",
        "spec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq",
        "R7qmYnl5HH0ExAiQhZ7s2e3GyUgFOmbXv9X8wTq0BH6jFLe\n"
    );
    silent("sealed.yaml", sealed);
    // The same value outside an encrypted document is a password.
    let plain = sealed.replace("kind: SealedSecret", "kind: Config");
    assert_eq!(scan("plain.yaml", &plain)[0].id, PASSWORD_ASSIGNMENT);
}

#[test]
fn kubernetes_secret_manifests_report_each_secret_value_once() {
    let b64 = |s: &str| {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let b = s.as_bytes();
        let mut out = String::new();
        for chunk in b.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &x)| n | (u32::from(x) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    };
    let (user, pass, token) = (
        random(150, 6, ALNUM),
        random(151, 16, ALNUM),
        random(152, 24, ALNUM),
    );
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: {}\n---\napiVersion: v1\nkind: Secret\n\
metadata:\n  name: app\ntype: Opaque\ndata:\n  username: {}\n  password: {}\n  api_token: {}\n  placeholder: {}\n\
stringData:\n  password: \"{}\"\n---\nkind: SecretStore\ndata:\n  x: {}\n",
        b64(&random(153, 24, ALNUM)),
        b64(&user),
        b64(&pass),
        b64(&token),
        b64("changeme"),
        random(154, 20, ALNUM),
        b64(&random(155, 24, ALNUM)),
    );
    let got = scan("k8s/app.yaml", &text);
    let k8s: Vec<_> = got
        .iter()
        .filter(|s| s.id == "secret.kubernetes_secret")
        .collect();
    // password, api_token and the stringData password; not the short user name, the
    // placeholder, the ConfigMap or the SecretStore.
    assert_eq!(k8s.len(), 1, "{got:#?}");
    assert_eq!(
        (k8s[0].count, k8s[0].line, k8s[0].confidence),
        (3, 13, Confidence::High)
    );
    // The stringData password is the manifest's finding, not also a password rule's.
    assert!(got.iter().all(|s| s.id != PASSWORD_ASSIGNMENT), "{got:#?}");
}

#[test]
fn curl_command_lines_pass_credentials() {
    let pass = random(160, 12, ALNUM);
    let token = random(161, 28, B64URL);
    for text in [
        format!("curl -u admin:{pass} https://h/api\n"),
        format!("curl --user=admin:{pass} https://h/api\n"),
        format!("curl \"https://h/api\" \\\n  --user 'admin:{pass}'\n"),
        format!("curl -H \"Authorization: Bearer {token}\" https://h\n"),
        format!("curl -s -H 'X-API-Key: {token}' https://h\n"),
        format!("curl --header \"Private-Token: {token}\" https://h\n"),
        // An API key as the user, no password; a word of adjacent quoted parts.
        format!("curl -u \"{token}:\" https://h/api\n"),
        format!("curl --user \"admin\":\"{pass}\" https://h/api\n"),
        // Any scheme word, or none; a header named for the token; a long bearer value.
        format!("curl -H 'Authorization: Api-Token {token}' https://h\n"),
        format!("curl -H 'Authorization: {token}' https://h\n"),
        format!("curl -H 'Token: {token}' https://h\n"),
        format!(
            "curl -H 'Authorization: Bearer {}' https://h\n",
            random(162, 420, B64URL)
        ),
    ] {
        let got = scan("run.sh", &text);
        assert!(
            got.iter().any(|s| s.id == "secret.curl_credentials"),
            "{text}: {got:#?}"
        );
    }
    for text in [
        "curl -u \"$USER:$PASS\" https://h\n".to_string(),
        "curl -u admin:changeme https://h\n".to_string(),
        "curl -u admin https://h\n".to_string(),
        "curl -u username: https://h\n".to_string(),
        "curl -u \"$API_KEY:\" https://h\n".to_string(),
        "curl -H 'Content-Type: application/json' https://h\n".to_string(),
        "curl -H 'Authorization: Bearer $API_TOKEN' https://h\n".to_string(),
        "curl -H 'Authorization: Digest username=\"admin\", realm=\"x\"' https://h\n".to_string(),
        format!(
            "curl -H 'Authorization: Bearer {}' https://h\n",
            "x".repeat(300)
        ),
        format!("curl https://h\necho -u admin:{pass}\n"),
        format!("mycurl -u admin:{pass} https://h\n"),
    ] {
        let got = scan("run.sh", &text);
        assert!(
            got.iter().all(|s| s.id != "secret.curl_credentials"),
            "{text}: {got:#?}"
        );
    }
}

#[test]
fn assignment_forms_of_many_languages() {
    let value = random(141, 32, ALNUM);
    for (path, text) in [
        ("Makefile", format!("API_TOKEN ?= \"{value}\"\n")),
        ("grammar.bnf", format!("api_token ::= \"{value}\"\n")),
        ("grammar.bnf", format!("api_token :::= \"{value}\"\n")),
        ("index.php", format!("$apiToken .= \"{value}\";\n")),
        ("main.go", format!("var apiToken string = \"{value}\"\n")),
        ("app.ts", format!("const apiToken: string = \"{value}\";\n")),
        ("app.py", format!("api_token: str = \"{value}\"\n")),
        (
            "Main.java",
            format!("System.setProperty(\"API_TOKEN\", \"{value}\");\n"),
        ),
        (
            "main.go",
            format!("os.Setenv(\"API_TOKEN\", \"{value}\")\n"),
        ),
        (
            "settings.xml",
            format!("<apiToken>\n    {value}\n</apiToken>\n"),
        ),
    ] {
        let got = scan(path, &text);
        assert!(
            got.iter().any(|s| s.id == "secret.generic_token"),
            "{text}: {got:#?}"
        );
    }
    for (path, text) in [
        // Uses and comparisons, not assignments.
        ("app.py", format!("if api_token == \"{value}\":\n")),
        (
            "main.rs",
            format!("let x = api_token::parse(\"{value}\");\n"),
        ),
        ("app.py", format!("send(api_token, \"{value}\")\n")),
        // A quoted name in markup is not followed by a type: the next attribute is not
        // its value.
        (
            "form.html",
            format!("<input name=\"authenticity_token\" value=\"{value}\">\n"),
        ),
    ] {
        silent(path, &text);
    }
}

// ---- encoded credentials ------------------------------------------------------------

/// Standard base64, padded, wrapped at `width` digits (0: one line).
fn b64_wrapped(bytes: &[u8], width: usize) -> String {
    let mut one = b64url(bytes).replace('-', "+").replace('_', "/");
    while !one.len().is_multiple_of(4) {
        one.push('=');
    }
    if width == 0 {
        return one;
    }
    one.as_bytes()
        .chunks(width)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn private_key_pem(seed: u64) -> String {
    format!(
        "-----BEGIN {}-----\n{}\n-----END PRIVATE KEY-----\n",
        "PRIVATE KEY",
        pem_body(seed)
    )
}

#[test]
fn a_base64_encoded_private_key_is_decoded_once() {
    let pem = private_key_pem(70);
    // A multipart fixture: the key as an attachment, wrapped at 76.
    let multipart = format!(
        "--boundary\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--boundary--\r\n",
        b64_wrapped(pem.as_bytes(), 76).replace('\n', "\r\n")
    );
    fires(
        "tests/fixtures/upload.eml",
        &multipart,
        "PRIVATE",
        PRIVATE_KEY,
        Confidence::High,
    );
    // A Kubernetes value, indented, on one line; and after text at every alignment.
    for before in ["", "x", "xy"] {
        let mut text = before.as_bytes().to_vec();
        text.extend_from_slice(pem.as_bytes());
        let yaml = format!("data:\n  tls.key: {}\n", b64_wrapped(&text, 0));
        fires(
            "deploy/secret.yaml",
            &yaml,
            "PRIVATE",
            PRIVATE_KEY,
            Confidence::High,
        );
    }
    // Hex, as a test fixture writes bytes.
    let hex: String = pem.bytes().map(|b| format!("{b:02x}")).collect();
    fires(
        "key_test.go",
        &format!("var key = \"{hex}\"\n"),
        "PRIVATE",
        PRIVATE_KEY,
        Confidence::High,
    );
}

#[test]
fn a_base64_encoded_jwt_is_decoded_once() {
    let token = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 71);
    let text = format!("AUTH_TOKEN_B64={}\n", b64_wrapped(token.as_bytes(), 0));
    fires(".env.ci", &text, "eyJ", JWT, Confidence::High);
}

#[test]
fn encoded_public_material_and_plain_data_are_not_findings() {
    // A certificate, encoded: the armor's type decides, as in plain text.
    let cert = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        pem_body(72)
    );
    silent(
        "ca.yaml",
        &format!("ca.crt: {}\n", b64_wrapped(cert.as_bytes(), 0)),
    );
    // A placeholder key, encoded, stays a placeholder.
    let doc = "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n";
    silent(
        "docs.yaml",
        &format!("key: {}\n", b64_wrapped(doc.as_bytes(), 0)),
    );
    // Random data of the size of an image.
    let data = (0..40).map(|i| random(73 + i, 64, B64)).collect::<String>();
    silent(
        "page.html",
        &format!("<img src=\"data:image/png;base64,{data}\">\n"),
    );
    // Encoded twice is not decoded twice.
    let pem = private_key_pem(74);
    let twice = b64_wrapped(b64_wrapped(pem.as_bytes(), 0).as_bytes(), 0);
    silent("twice.txt", &format!("{twice}\n"));
}

#[test]
fn a_dotenv_file_is_judged_by_its_values_not_its_name() {
    let ids = |path: &str, text: &str| -> Vec<String> {
        scan(path, text).into_iter().map(|s| s.id).collect()
    };
    let plain = "# test app settings\nFOO=env\nexport SPAM=1\nDEBUG=\"true\"\nPORT=8080\nDATABASE_URL=sqlite:///dev.db\n";
    assert_eq!(ids("tests/test_apps/.env", plain), [PLAIN_ENV]);
    assert_eq!(ids("app/.env.local", "LOG_LEVEL=info\n"), [PLAIN_ENV]);
    // A placeholder under a credential's name is still configuration.
    assert_eq!(ids(".env", "API_KEY=\nDB_PASSWORD=changeme\n"), [PLAIN_ENV]);
    // A value under a credential's name, however short, is not judged plain.
    let plain = PLAIN_ENV.to_string();
    assert!(!ids(".env", "DB_PASSWORD=Kq7mWz2p\n").contains(&plain));
    assert!(!ids(".env", "SESSION_SECRET=abc\n").contains(&plain));
    // A generated-looking value under any name, a line that is not an assignment, or a
    // file that is not a dotenv file: not judged plain.
    let generated = ["MYSERVICE_X=", &random(7, 32, ALNUM), "\n"].concat();
    assert!(!ids(".env", &generated).contains(&PLAIN_ENV.to_string()));
    assert!(ids(".env", "FOO=1\nsomething else\n").is_empty());
    assert!(ids("config/settings.env.txt", "FOO=1\n").is_empty());
    assert!(ids("app/.envrc", "FOO=1\n").is_empty());
    assert!(ids(".env", "").is_empty());
}

#[test]
fn a_template_under_a_credential_name_is_judged_by_its_values() {
    let ids = |path: &str, text: &str| -> Vec<String> {
        scan(path, text).into_iter().map(|s| s.id).collect()
    };
    let template = TEMPLATE.to_string();
    // A Helm Secret template: its values are template expressions.
    let helm = "{{- if not .Values.db.existingSecret }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include \"app.fullname\" . }}-db\ntype: Opaque\ndata:\n  password: {{ required \"db.password is required\" .Values.db.password | b64enc | quote }}\n{{- end }}\n";
    assert_eq!(ids("charts/app/templates/secrets.yaml", helm), [TEMPLATE]);
    // Jinja, ERB, interpolation, JSON; an empty value or a placeholder beside them.
    let jinja = "db:\n  user: app\n  password: \"{{ vault_db_password }}\"\n  api_key: ''\n{% if tls %}\n  cert_pass: {{ tls_pass }}\n{% endif %}\n";
    assert_eq!(ids("roles/app/files/secrets.yml", jinja), [TEMPLATE]);
    let erb =
        "production:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n  token: changeme\n";
    assert_eq!(ids("config/secrets.yaml", erb), [TEMPLATE]);
    let npmrc = "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nalways-auth=true\n";
    assert_eq!(ids("app/.npmrc", npmrc), [TEMPLATE]);
    let json =
        "{\n  \"client_secret\": \"{{ .Values.oauth.secret }}\",\n  \"region\": \"eu-west-1\"\n}\n";
    assert_eq!(ids("credentials.json", json), [TEMPLATE]);
    // A template that also holds a literal credential is not one.
    let literal = [
        "stringData:\n  user: {{ .Values.user }}\n  password: ",
        &random(11, 16, ALNUM),
        "\n",
    ]
    .concat();
    let got = ids("charts/app/templates/secrets.yaml", &literal);
    assert!(!got.contains(&template) && !got.is_empty(), "{got:?}");
    let short = "api_key: {{ .Values.key }}\nadmin_pass: s3cr3t\n";
    assert!(ids("secrets.yaml", short).is_empty());
    // Literal text beside an expression in a credential's value, a generated-looking
    // value under any key, a block scalar under a credential's key: not judged plain.
    let mixed = [
        "password: \"",
        &random(12, 12, ALNUM),
        "{{ .Values.suffix }}\"\n",
    ]
    .concat();
    assert!(!ids("secrets.yaml", &mixed).contains(&template));
    let generated = [
        "password: {{ .Values.pw }}\nchecksum: ",
        &random(13, 40, ALNUM),
        "\n",
    ]
    .concat();
    assert!(ids("secrets.yaml", &generated).is_empty());
    let block = "password: {{ .Values.pw }}\nprivate_key: |\n  {{ .Values.key | nindent 2 }}\n";
    assert!(ids("secrets.yaml", block).is_empty());
    // Not a template, no credential key, code, or a dotenv file (judged as one).
    assert!(ids("secrets.yaml", "password: \"\"\n").is_empty());
    assert!(
        ids(
            "templates/deployment.yaml",
            "replicas: {{ .Values.replicas }}\n"
        )
        .is_empty()
    );
    assert!(ids("render.py", "password = \"{{ pw }}\"\n").is_empty());
    assert_eq!(ids(".env", "DB_PASSWORD={{ db_password }}\n"), [PLAIN_ENV]);
}

#[test]
fn template_expressions_are_cut_out_of_a_line() {
    let pairs = [("{{", "}}"), ("{%", "%}"), ("${", "}")];
    assert_eq!(
        outside_expressions("a: {{ .x }}-db {% if y %}z", &pairs),
        ("a: -db z".to_string(), 2)
    );
    assert_eq!(
        outside_expressions("k=${A}${B}", &pairs),
        ("k=".to_string(), 2)
    );
    assert_eq!(
        outside_expressions("open {{ to the end", &pairs),
        ("open ".to_string(), 1)
    );
    assert_eq!(
        outside_expressions("plain", &pairs),
        ("plain".to_string(), 0)
    );
}

const HEX: &[u8] = b"0123456789abcdef";

/// A hex key of `bytes` bytes whose entropy per character lies in `range`.
fn hex_key(bytes: usize, range: std::ops::Range<f64>) -> String {
    (1..)
        .map(|seed| random(seed, bytes * 2, HEX))
        .find(|k| {
            range.contains(&entropy(k.as_bytes())) && k.bytes().any(|b| b.is_ascii_alphabetic())
        })
        .unwrap()
}

#[test]
fn a_hard_coded_default_key_is_a_credential() {
    const TOKEN_ASSIGNMENT: &str = "secret.generic_token";
    let k32 = hex_key(32, 3.7..4.0);
    // 16 bytes in hex with less entropy than a generated token needs: a key still.
    let k16 = hex_key(16, 3.0..3.5);
    let b64 = ["Kq", &random(21, 20, B64), "=="].concat();
    let cases = [
        (
            "config/default.js",
            format!(
                "module.exports = {{\n  encryptionKey: process.env.ENCRYPTION_KEY || '{k32}',\n}};\n"
            ),
            &k32,
        ),
        (
            "app/keys.py",
            format!("AES_KEY = os.getenv(\"AES_KEY\", \"{k16}\")\n"),
            &k16,
        ),
        (
            "app/keys.py",
            format!("aes_key = os.environ.get(\"APP_AES\", \"{b64}\")\n"),
            &b64,
        ),
        (
            "app/keys.py",
            format!("hmac_key = os.environ.get(\"HMAC\") or \"{k16}\"\n"),
            &k16,
        ),
        (
            "config/signing.rb",
            format!("SIGNING_KEY = ENV.fetch(\"SIGNING_KEY\", \"{k16}\")\n"),
            &k16,
        ),
        (
            "Keys.kt",
            format!("val cipherKey = System.getenv(\"CIPHER\") ?: \"{k32}\"\n"),
            &k32,
        ),
        (
            "server.ts",
            format!("const key = process.env.MASTER_KEY ?? \"{k16}\";\n"),
            &k16,
        ),
        (
            "crypto.ts",
            format!("export const aesKey = \"{b64}\";\n"),
            &b64,
        ),
    ];
    for (path, text, key) in &cases {
        fires(path, text, key, TOKEN_ASSIGNMENT, Confidence::Medium);
    }
    // A secret's name: the password rule's.
    let text = format!("SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"{k32}\")\n");
    fires(
        "settings.py",
        &text,
        &k32,
        PASSWORD_ASSIGNMENT,
        Confidence::Medium,
    );
    let text = format!("signing_secret: process.env.SIGNING_SECRET || '{k16}',\n");
    fires(
        "config.js",
        &text,
        &k16,
        PASSWORD_ASSIGNMENT,
        Confidence::Medium,
    );
    // Placeholders, filler, counting, published test keys, no literal fallback, a
    // name that names no key.
    for text in [
        "encryptionKey: process.env.ENCRYPTION_KEY || 'replace-with-64-hex-chars',\n".to_string(),
        format!("AES_KEY = os.getenv(\"AES_KEY\", \"{}\")\n", "0".repeat(64)),
        format!("AES_KEY = os.getenv(\"AES_KEY\", \"{}\")\n", "a".repeat(32)),
        format!(
            "AES_KEY = os.getenv(\"AES_KEY\", \"{}\")\n",
            (0u8..16).map(|b| format!("{b:02x}")).collect::<String>()
        ),
        format!("aes_key = \"{}\"\n", documentation(TOKEN_ASSIGNMENT)[0]),
        format!("aes_key = \"{}\"\n", documentation(TOKEN_ASSIGNMENT)[2]),
        "encryptionKey: process.env.ENCRYPTION_KEY,\nport: process.env.PORT || 8080,\n".to_string(),
        "AES_KEY = os.getenv(\"AES_KEY\", default_key)\n".to_string(),
        "AES_KEY = os.getenv(\"AES_KEY\", f\"{prefix}-key\")\n".to_string(),
        format!("build_id = os.getenv(\"BUILD\", \"{k32}\")\n"),
        format!(
            "const cacheKey = process.env.CACHE || \"{}\";\n",
            documentation(TOKEN_ASSIGNMENT)[4]
        ),
    ] {
        silent("app/keys.py", &text);
    }
    // Each literal is reported once, whether read from the lookup's name or the
    // identifier it is assigned to.
    let text = format!("AES_KEY = os.getenv(\"AES_KEY\", \"{k16}\")\n");
    assert_eq!(scan("keys.py", &text)[0].count, 1);
}

#[test]
fn key_material_is_a_key_s_length_in_hex_or_base64_and_random() {
    let k = |n: usize| hex_key(n, 3.0..4.1);
    assert!(key_material(k(16).as_bytes()));
    assert!(key_material(k(24).as_bytes()));
    assert!(key_material(k(32).as_bytes()));
    assert!(key_material(k(32).to_ascii_uppercase().as_bytes()));
    // Not a key's length, mixed case, filler, counting bytes.
    assert!(!key_material(k(20).as_bytes()));
    let mixed = k(16);
    let mixed = [&mixed[..16], &mixed[16..].to_ascii_uppercase()].concat();
    assert!(mixed.bytes().any(|b| b.is_ascii_uppercase()));
    assert!(!key_material(mixed.as_bytes()));
    assert!(!key_material("0".repeat(32).as_bytes()));
    let counting: String = (0x20u8..0x30).map(|b| format!("{b:02x}")).collect();
    assert!(!key_material(counting.as_bytes()));
    // Base64 of 16, 24 and 32 bytes, standard or URL-safe.
    assert!(key_material(
        ["Kq", &random(31, 20, B64), "=="].concat().as_bytes()
    ));
    assert!(key_material(
        ["Kq", &random(32, 30, B64URL)].concat().as_bytes()
    ));
    assert!(key_material(
        ["Kq", &random(33, 41, B64), "="].concat().as_bytes()
    ));
    assert!(!key_material(
        ["Kq", &random(34, 40, B64), "="].concat().as_bytes()
    ));
    assert!(!key_material(b"abcdefghijklmnopqrstuv=="));
}

#[test]
fn keyword_assignments_that_are_messages_names_calls_or_translations_are_not_passwords() {
    // A message under a key naming a secret question: words, not a password.
    silent(
        "conf/errors.properties",
        "Error.options.secretQuestion.empty=Question should not be empty\n",
    );
    // A setting's name as the value, and a name that qualifies the secret.
    silent(
        "src/Constants.java",
        "public static final String GP_PASSWORD_RESET_VALIDTIME = \"security.validTime\";\n",
    );
    // A call is no literal.
    silent(
        "web/setup.vm",
        "    var passwordInputContainer = document.getElementById('passwordInputContainer');\n",
    );
    // Translation bundles hold UI text in every language.
    for (path, text) in [
        (
            "api/messages_de.properties",
            "SystemInfo.Database.password=Datenbankpasswort\n",
        ),
        ("api/messages_lt.properties", "User.password=Slaptažodis\n"),
        (
            "api/messages_zh_CN.properties",
            "User.password.description =必须至少有8个字符\n",
        ),
        ("po/de.po", "msgid \"password\"\nmsgstr \"Kennwort1x\"\n"),
    ] {
        silent(path, text);
    }
    // Compiled files hold templates and names, not settings.
    let dex = b"dex\n035\0\0\0access_token=%s&password=Xk29fLq81mZ\0\0";
    let d = Detectors::new(&[], &[new]).unwrap();
    let got = d.scanner().scan("app/build/AuthResponse.dex", dex, true);
    assert!(got.is_empty(), "{got:#?}");
    // The same assignments with a real value still fire, in configuration and code.
    let value = random(71, 20, ALNUM);
    fires(
        "conf/application.properties",
        &format!("db.password={value}\n"),
        &value,
        PASSWORD_ASSIGNMENT,
        Confidence::Medium,
    );
    fires(
        "src/Config.java",
        &format!("static final String DB_PASSWORD = \"{value}\";\n"),
        &value,
        PASSWORD_ASSIGNMENT,
        Confidence::Medium,
    );
}

#[test]
fn assignments_in_python_documentation_strings_are_examples() {
    let value = random(72, 20, ALNUM);
    // A module's EXAMPLES block and a function's docstring.
    let module = format!(
        "DOCUMENTATION = r\"\"\"\nmodule: expect\n\"\"\"\n\nEXAMPLES = r\"\"\"\n- name: answer the prompt\n  \
         responses:\n    (?i)password: \"{value}\"\n\"\"\"\n\n\ndef run(child):\n    \"\"\"Answer the prompt.\n\n    \
         password = \"{value}\" would be read from the vault.\n    \"\"\"\n    return child\n"
    );
    silent("lib/modules/expect.py", &module);
    // The same text assigned to a name that is no documentation is configuration; so
    // is an assignment outside the strings.
    let config = format!("SETTINGS = \"\"\"\npassword: \"{value}\"\n\"\"\"\n");
    fires(
        "app/settings.py",
        &config,
        &value,
        PASSWORD_ASSIGNMENT,
        Confidence::Medium,
    );
    let code = format!("\"\"\"The service.\"\"\"\n\nDB_PASSWORD = \"{value}\"\n");
    fires(
        "app/db.py",
        &code,
        &value,
        PASSWORD_ASSIGNMENT,
        Confidence::Medium,
    );
}
