//! What the policies answered for each distinct Rego input, kept between scans in
//! `<git common dir>/tiergate/policy.cache`, so that a rescan does not run the policy
//! engines again for the fact sets the last one met.
//!
//! An answer is a pure function of the input document and of the policy set: the
//! policies' sources (which the sandbox keeps free of clocks, randomness and the
//! environment), the `data` document made from the config, the tiers a finding may
//! name, the evaluation limits, and the engines (the build). The file's key ([`key`])
//! covers all of them, so an answer read back is the one the engines would give. The
//! input itself is each record's key: the whole [`RegoInput`], compared whole, never a
//! digest of it. Only answers are kept, never errors: an error may come of the machine's
//! load (the deadline), and it is met again by evaluating.
//!
//! Decisions themselves are not kept: they also read the path (globs, exceptions), the
//! date and the file's component, and are made again on every scan from these answers.
//! Must not import app, decide, manifest or render.

use std::path::Path;
use std::sync::Arc;

use crate::cache::Reader;
use crate::model::Finding;
use crate::policy::RegoInput;

const MAGIC: &[u8] = b"tiergate policy cache\n";
/// The version of the format: bump when it changes.
const VERSION: u32 = 1;

/// The cache file's name in the state directory.
pub const FILE_NAME: &str = "policy.cache";

/// The steps of `provenance.decisions` the answers depend on besides the policy set:
/// how findings are made into a decision is not kept, but the policies' answers are
/// part of that step, so a new version of it starts afresh.
pub const STEPS: &[&str] = &["decide"];

/// At most this many answers are kept (in the order of their encoding): a repository
/// whose files make more distinct fact sets gains little from the file.
const MAX_ANSWERS: usize = 1 << 14;

pub use crate::policy::Answer;

/// What the policies' answers depend on besides the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInputs<'a> {
    /// The decision versions (`crate::decide::DECISION_VERSIONS`).
    pub versions: &'a [(&'a str, u32)],
    /// Each loaded policy file's (source, digest), sorted by source.
    pub policies: Vec<(String, String)>,
    /// The `data` document the policies read, as JSON.
    pub data: String,
    /// The config's digest.
    pub config: String,
    /// The tier ids a finding may carry.
    pub tiers: Vec<u8>,
    /// `policies.max_instructions` and `policies.max_eval_ms`.
    pub max_instructions: u64,
    pub max_eval_ms: u64,
    /// The input document's version (`crate::policy::INPUT_VERSION`).
    pub input_version: u32,
    /// What names the build of tiergate (its version and the executable's identity).
    pub build: String,
}

/// The key of a policy cache: a SHA-256 over what its answers depend on.
pub fn key(k: &KeyInputs<'_>) -> [u8; 32] {
    let mut key = crate::cache::Key::new(MAGIC);
    for (step, v) in k.versions.iter().filter(|(s, _)| STEPS.contains(s)) {
        key.part(step, &v.to_string());
    }
    for (source, digest) in &k.policies {
        key.part("policy", &format!("{source} {digest}"));
    }
    let tiers: Vec<String> = k.tiers.iter().map(u8::to_string).collect();
    key.part("data", &k.data)
        .part("config", &k.config)
        .part("tiers", &tiers.join(" "))
        .part(
            "limits",
            &format!("{} {}", k.max_instructions, k.max_eval_ms),
        )
        .part("input", &k.input_version.to_string())
        .part("build", &k.build)
        .finish()
}

/// The answers kept at `path` with `key`; none when there is no file, or it has another
/// key or version, or is truncated or corrupt (all the same: everything is evaluated).
pub fn load(path: &Path, key: &[u8; 32]) -> Vec<Answer> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| parse(&bytes, key))
        .unwrap_or_default()
}

fn parse(bytes: &[u8], key: &[u8; 32]) -> Option<Vec<Answer>> {
    let mut r = crate::cache::open(bytes, MAGIC, VERSION, Some(key))?;
    let count = usize::try_from(r.u64()?).ok()?;
    let mut out = Vec::with_capacity(count.min(MAX_ANSWERS));
    for _ in 0..count {
        out.push(decode(&mut r)?);
    }
    r.is_empty().then_some(out)
}

fn decode(r: &mut Reader<'_>) -> Option<Answer> {
    let len = usize::try_from(r.u32()?).ok()?;
    let (input, findings): (RegoInput, Vec<Finding>) = serde_json::from_slice(r.take(len)?).ok()?;
    Some((input, Arc::new(findings)))
}

/// An answer's record: its length in four bytes, then `[input, findings]` in JSON. None
/// when it would not read back as the same answer.
fn encode((input, findings): &Answer) -> Option<Vec<u8>> {
    let json = serde_json::to_vec(&(input, &**findings)).ok()?;
    let mut out = Vec::with_capacity(json.len() + 4);
    out.extend_from_slice(&u32::try_from(json.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&json);
    let back = decode(&mut Reader(&out))?;
    (back.0 == *input && back.1 == *findings).then_some(out)
}

/// Write `answers` to `path` with `key`, in the order of their encoding (the same
/// answers always give the same file). Streamed to the file, unsynced: see
/// [`crate::cache::write_sealed`].
pub fn save(path: &Path, key: &[u8; 32], answers: &[Answer]) -> anyhow::Result<()> {
    let mut records: Vec<Vec<u8>> = answers.iter().filter_map(encode).collect();
    records.sort_unstable();
    records.dedup();
    records.truncate(MAX_ANSWERS);
    crate::cache::write_sealed(path, |w| {
        let mut head = Vec::with_capacity(64);
        crate::cache::header(&mut head, MAGIC, VERSION);
        head.extend_from_slice(key);
        head.extend_from_slice(&(records.len() as u64).to_le_bytes());
        w.write_all(&head)?;
        for rec in &records {
            w.write_all(rec)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, FileKind, GitState, SizeClass, SourceLoc};
    use crate::policy::{RegoComponent, RegoFile, RegoSignal};

    fn input(ext: &str, component: bool) -> RegoInput {
        let signal = RegoSignal {
            id: "pii.email".into(),
            category: "pii".into(),
            confidence: Confidence::Medium,
            count: 2,
        };
        RegoInput {
            input_version: crate::policy::INPUT_VERSION,
            file: RegoFile {
                kind: FileKind::Text,
                extension: Some(ext.into()),
                language: None,
                size_class: SizeClass::Small,
                git: GitState::Tracked,
                zones: vec!["secrets".into()],
                rules: vec!["r1".into()],
                content_scanned: true,
                signals: vec![signal.clone()],
            },
            component: component.then(|| RegoComponent {
                signals: vec![signal],
                person_set: true,
                system: vec![crate::policy::RegoLink {
                    point: "4(a)".into(),
                    relation: crate::component::Relation::ImportedBy,
                }],
            }),
        }
    }

    fn findings(n: usize) -> Arc<Vec<Finding>> {
        Arc::new(
            (0..n)
                .map(|i| Finding {
                    code: "pii-data".into(),
                    rule: format!("rule-{i}"),
                    tier: Some(2),
                    source: SourceLoc {
                        file: "shipped:policies/baseline.rego".into(),
                        line: 12,
                    },
                    message: "personal data \"quoted\"".into(),
                    annex_iii: vec![crate::model::AnnexFlag {
                        point: "1a".into(),
                        status: "candidate".into(),
                        evidence: vec!["x".into()],
                    }],
                })
                .collect(),
        )
    }

    #[test]
    fn answers_read_back_as_written_and_only_with_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s").join(FILE_NAME);
        let answers = vec![
            (input("py", false), findings(0)),
            (input("md", true), findings(2)),
            (input("rs", false), findings(1)),
        ];
        save(&path, &[1; 32], &answers).unwrap();
        let mut back = load(&path, &[1; 32]);
        back.sort_by_key(|a| a.0.file.extension.clone());
        let mut want = answers.clone();
        want.sort_by_key(|a| a.0.file.extension.clone());
        assert_eq!(back, want);
        assert!(load(&path, &[2; 32]).is_empty());
        // The same answers in another order make the same file.
        let bytes = std::fs::read(&path).unwrap();
        let mut reversed = answers.clone();
        reversed.reverse();
        save(&path, &[1; 32], &reversed).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        // Truncated or corrupt: nothing.
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(load(&path, &[1; 32]).is_empty(), "{cut}");
        }
        let mut flipped = bytes.clone();
        flipped[bytes.len() / 2] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(load(&path, &[1; 32]).is_empty());
        assert!(load(&dir.path().join("none"), &[1; 32]).is_empty());
    }

    #[test]
    fn the_key_follows_what_the_policies_read() {
        let inputs = || KeyInputs {
            versions: crate::decide::DECISION_VERSIONS,
            policies: vec![("shipped:policies/baseline.rego".into(), "sha256:1".into())],
            data: "{}".into(),
            config: "sha256:c".into(),
            tiers: vec![1, 2, 3, 4],
            max_instructions: 1000,
            max_eval_ms: 200,
            input_version: 2,
            build: "0.1.0 1".into(),
        };
        let base = key(&inputs());
        assert_eq!(key(&inputs()), base);
        let mut changed = vec![];
        let mut k = inputs();
        k.versions = &[("decide", 99)];
        changed.push(k);
        let mut k = inputs();
        k.policies.push(("p/x.rego".into(), "sha256:2".into()));
        changed.push(k);
        let mut k = inputs();
        k.policies[0].1 = "sha256:3".into();
        changed.push(k);
        let mut k = inputs();
        k.data = "{\"a\":1}".into();
        changed.push(k);
        let mut k = inputs();
        k.config = "sha256:d".into();
        changed.push(k);
        let mut k = inputs();
        k.tiers = vec![1, 2, 3];
        changed.push(k);
        let mut k = inputs();
        k.max_instructions = 5;
        changed.push(k);
        let mut k = inputs();
        k.max_eval_ms = 5;
        changed.push(k);
        let mut k = inputs();
        k.input_version = 3;
        changed.push(k);
        let mut k = inputs();
        k.build = "0.1.0 2".into();
        changed.push(k);
        for k in &changed {
            assert_ne!(key(k), base, "{k:?}");
        }
        // The detector families' versions are the scan cache's, not this one's.
        let mut k = inputs();
        k.versions = &[("secrets", 99)];
        let mut none = inputs();
        none.versions = &[];
        assert_eq!(key(&k), key(&none));
        crate::cache::assert_versioned(STEPS);
    }
}
