//! The routing manifest: the product. A versioned, deterministic document (sorted maps,
//! no timestamps, no line numbers of content) that resolves any path to a tier and the
//! destinations it may reach, with the reasons and the provenance of every decision.
//! Must not import walk, decide or render.

mod header;
mod lookup;
mod view;

pub use header::{HeaderDifference, describe as describe_differences};
pub use lookup::{Lookup, ManifestFile};

pub use view::ManifestView;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes;
use crate::model::{AnnexFlag, Destination, Tier, TierId};

/// Version of the manifest format. Readers refuse a newer major version.
pub const SCHEMA_VERSION: u32 = 1;

/// Default file name, at the repository root.
pub const MANIFEST_FILE_NAME: &str = "tiergate.manifest.json";

/// Default file name with `--format yaml`.
pub const MANIFEST_YAML_FILE_NAME: &str = "tiergate.manifest.yaml";

/// From this many files on, [`Manifest::write_json`] renders the entries on several
/// cores, in chunks of this many.
const PARALLEL_WRITE_FILES: usize = 8192;
const WRITE_CHUNK: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version of this document.
    pub schema_version: u32,
    pub generator: Generator,
    pub provenance: Provenance,
    /// Tiers, most sensitive first.
    pub tiers: Vec<TierDef>,
    pub destinations: Vec<DestinationDef>,
    pub default_tier: TierId,
    /// Named path globs; their names are the `zones` facts policies see.
    pub zones: Vec<ZoneDef>,
    /// Glob rules of the config: they also cover paths not present when the scan ran.
    pub rules: Vec<RuleDef>,
    /// The reviewed exceptions of `tiergate.exceptions.yaml`, as written. Whether one is
    /// in force depends on the day: readers compute it from `approved` and `expires`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<ExceptionDef>,
    /// How a path that is not listed in `files` resolves.
    pub unlisted: Unlisted,
    pub summary: Summary,
    /// Every classified path, sorted.
    #[serde(deserialize_with = "sorted_files")]
    pub files: BTreeMap<String, FileEntry>,
}

/// `files` as written: each path once, in increasing order, whatever the layout. A
/// reader that binary-searches the file relies on that order, so every reader holds a
/// manifest to it (an object with a repeated key would otherwise keep the last value).
fn sorted_files<'de, D>(d: D) -> Result<BTreeMap<String, FileEntry>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Sorted;
    impl<'de> serde::de::Visitor<'de> for Sorted {
        type Value = BTreeMap<String, FileEntry>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("file entries sorted by path, each path once")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut entries: Vec<(String, FileEntry)> = Vec::new();
            while let Some(path) = map.next_key::<String>()? {
                if entries.last().is_some_and(|(prev, _)| *prev >= path) {
                    return Err(serde::de::Error::custom(format!(
                        "file entries are not sorted or repeat a path (at `{path}`); rescan"
                    )));
                }
                let entry = map.next_value()?;
                entries.push((path, entry));
            }
            Ok(entries.into_iter().collect())
        }
    }
    d.deserialize_map(Sorted)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Generator {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The commit HEAD pointed to, in the manifests a report or an inventory builds
    /// from a scan. A written manifest leaves it out: committed, it would name the
    /// commit before the one it is part of and change with every commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    pub config: ConfigProvenance,
    pub policies: Vec<PolicyProvenance>,
    /// The rule files the entries were decided with: `shipped:rules`, the files this
    /// build carries (`rules/`), with one digest over the tables they give the detectors
    /// and the policies. Absent in manifests written before they were recorded: such a
    /// manifest is stale.
    #[serde(default)]
    pub rules: Vec<ConfigProvenance>,
    /// The exceptions file, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<ConfigProvenance>,
    /// The accepted findings file, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<ConfigProvenance>,
    /// Version of the Rego input document the policies saw.
    pub rego_input_version: u32,
    /// Versions of the built-in decision steps (facts, detector families, deciding)
    /// that wrote the entries. Absent in manifests written before they were recorded:
    /// such a manifest is stale.
    #[serde(default)]
    pub decisions: BTreeMap<String, u32>,
    /// Which files are listed: `tracked` (what git tracks; the same on every machine) or
    /// `all` (also untracked and ignored files present on disk, or no git repository).
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Tracked,
    All,
}

impl Scope {
    /// Whether a manifest of this scope lists a file in this git state.
    pub fn lists(self, git: crate::model::GitState) -> bool {
        self == Scope::All || git == crate::model::GitState::Tracked
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigProvenance {
    /// `tiergate.yaml` (repo-relative) or `builtin`.
    pub source: String,
    /// `sha256:<hex>` of the config bytes (of the canonical defaults for `builtin`).
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyProvenance {
    pub package: String,
    pub source: String,
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierDef {
    pub id: TierId,
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DestinationDef {
    pub name: String,
    /// `local`, `cloud-zdr` or `cloud`.
    pub kind: String,
    /// The most sensitive tier it may receive: a path may go there iff its tier >= accepts.
    pub accepts: TierId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneDef {
    pub name: String,
    pub globs: Vec<String>,
    /// The most restrictive tier the policies give a file in this zone by its path alone
    /// (untracked or ignored, content unknown), when they give one. Exports exclude the
    /// zone's globs from every destination that may not receive it, so files that appear
    /// after the scan (a new `.env`, a local dump) are covered too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_tier: Option<TierId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub globs: Vec<String>,
    pub tier: TierId,
    pub reason: String,
    /// `file:line` of the rule in the config.
    pub source: String,
}

/// A reviewed exception: paths matching `paths` get `tier` from `approved` until the day
/// before `expires`, and only while the content is `blob` when that is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionDef {
    pub id: String,
    /// Paths or globs (rule glob semantics).
    pub paths: Vec<String>,
    pub tier: TierId,
    pub reason: String,
    pub approver: String,
    /// `YYYY-MM-DD`.
    pub approved: String,
    /// `YYYY-MM-DD`: the first day it no longer applies.
    pub expires: String,
    /// git blob id the exception is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
    /// `file:line` of the entry.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unlisted {
    /// Tier of a path the manifest does not list: its content was never classified, so
    /// it is the most sensitive tier (fail closed).
    pub tier: TierId,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub files: u64,
    pub by_tier: Vec<TierCount>,
    /// Groups of listed paths that differ only by letter case.
    pub case_collisions: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierCount {
    pub tier: TierId,
    pub name: String,
    pub files: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub tier: TierId,
    /// `text`, `binary`, `symlink`, `submodule`, `special` or `unreadable`.
    pub kind: String,
    /// `tracked`, `untracked`, `ignored` or `no-repo`.
    pub git: String,
    /// Every finding, most restrictive first.
    pub reasons: Vec<Reason>,
    /// EU AI Act Annex III flags (kept apart from the tier).
    pub annex_iii: Vec<AnnexFlag>,
}

/// What a runtime walk needs of an entry: its tier and kind (the other fields are
/// skipped, not parsed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EntryHead {
    pub tier: TierId,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Stable kebab-case code.
    pub code: String,
    /// The rule that fired.
    pub rule: String,
    /// The tier this finding asks for; null for notes that do not take part.
    pub tier: Option<TierId>,
    /// `file:line` of the rule (`builtin` for tiergate's own findings).
    pub source: String,
    pub message: String,
}

impl JsonSchema for AnnexFlag {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AnnexFlag".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "required": ["point", "status"],
            "additionalProperties": false,
            "properties": {
                "point": {"type": "string", "description": "Annex III point, e.g. 4(a)"},
                "status": {"type": "string", "description": "candidate or possible-prohibited"},
                "evidence": {"type": "array", "items": {"type": "string"}}
            }
        })
    }
}

/// How one path resolves against a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub path: String,
    pub tier: TierId,
    pub listed: bool,
    pub reasons: Vec<Reason>,
}

impl Manifest {
    pub fn tier_def(&self, id: TierId) -> Option<&TierDef> {
        self.tiers.iter().find(|t| t.id == id)
    }

    pub fn destination(&self, name: &str) -> Option<&DestinationDef> {
        self.destinations.iter().find(|d| d.name == name)
    }

    /// Names of the destinations that admit a tier, in manifest order.
    pub fn destinations_for(&self, tier: TierId) -> Vec<String> {
        self.destinations
            .iter()
            .filter(|d| tier >= d.accepts)
            .map(|d| d.name.clone())
            .collect()
    }

    /// Resolve a repo-relative, normalized path. A listed file resolves to its entry; a
    /// directory to the most restrictive of its files; anything else to the unlisted
    /// tier (fail closed).
    pub fn resolve(&self, path: &str) -> Resolution {
        if let Some(e) = self.files.get(path) {
            return listed(path, e);
        }
        let prefix = if path.is_empty() {
            String::new()
        } else {
            format!("{path}/")
        };
        let under = self
            .files
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, e)| (p.as_str(), e.tier));
        directory(path, under).unwrap_or_else(|| unlisted(path, &self.unlisted))
    }

    /// The canonical bytes: pretty JSON, except that each file entry sits on one line,
    /// so a change to one file's decision is a one-line diff in review.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        self.write_json(&mut out)
            .expect("writing to memory cannot fail");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    /// Write [`Manifest::to_json`]'s bytes. A large manifest's entries are rendered in
    /// chunks on several cores while earlier chunks are written.
    pub fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.write_json_on(w, renderers())
    }

    fn write_json_on(&self, w: &mut dyn std::io::Write, threads: usize) -> std::io::Result<()> {
        self.write_head(w)?;
        let files: Vec<(&String, &FileEntry)> = self.files.iter().collect();
        write_entries(w, &files, threads, |w, i, (path, entry)| {
            write_key(w, i, path)?;
            serde_json::to_writer(&mut *w, entry).map_err(std::io::Error::other)
        })?;
        write_end(w, self.files.is_empty())
    }

    /// Write the bytes [`Manifest::to_json`] would write if `files` held the entries
    /// `listed` picks from `entries` (in path order): each a path and its entry already
    /// rendered by [`FileEntry::to_json`], or None for one the manifest leaves out.
    /// `self.files` is not read (a scan leaves it empty and keeps one rendering of each
    /// distinct entry instead of an entry per file). Rendered on several cores like
    /// [`Manifest::write_json`], from the caller's list as it is (no list of the
    /// entries to write is made first).
    pub fn write_json_rendered<E: Sync>(
        &self,
        w: &mut dyn std::io::Write,
        entries: &[E],
        listed: impl for<'e> Fn(&'e E) -> Option<(&'e str, &'e str)> + Sync,
    ) -> std::io::Result<()> {
        let first = entries.iter().position(|e| listed(e).is_some());
        self.write_head(w)?;
        write_entries(w, entries, renderers(), |w, i, e| {
            let Some((path, entry)) = listed(e) else {
                return Ok(());
            };
            write_key(w, usize::from(Some(i) != first), path)?;
            w.write_all(entry.as_bytes())
        })?;
        write_end(w, first.is_none())
    }

    /// Everything up to the opening brace of `files`: the pretty-printed head.
    fn write_head(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let head = Manifest {
            schema_version: self.schema_version,
            generator: self.generator.clone(),
            provenance: self.provenance.clone(),
            tiers: self.tiers.clone(),
            destinations: self.destinations.clone(),
            default_tier: self.default_tier,
            zones: self.zones.clone(),
            rules: self.rules.clone(),
            exceptions: self.exceptions.clone(),
            unlisted: self.unlisted.clone(),
            summary: self.summary.clone(),
            files: BTreeMap::new(),
        };
        let mut s = serde_json::to_string_pretty(&head).map_err(std::io::Error::other)?;
        // `files` is the last field; its empty rendering is the suffix replaced here.
        let empty = "  \"files\": {}\n}";
        debug_assert!(s.ends_with(empty));
        s.truncate(s.len() - empty.len());
        s.push_str("  \"files\": {");
        w.write_all(s.as_bytes())
    }

    /// Parse a manifest, refusing other schema versions with a clear message.
    pub fn from_json(text: &str, display: &str) -> Result<Manifest, crate::diag::Diagnostics> {
        use crate::diag::{Diagnostic, Diagnostics};
        #[derive(Deserialize)]
        struct Probe {
            schema_version: Option<u32>,
        }
        let probe: Probe = serde_json::from_str(text).map_err(|e| {
            Diagnostics(vec![Diagnostic::new(
                display,
                e.line() as u64,
                e.column() as u64,
                "manifest-invalid",
                format!("not a tiergate manifest: {e}"),
            )])
        })?;
        match probe.schema_version {
            Some(SCHEMA_VERSION) => {}
            Some(v) => {
                return Err(Diagnostics(vec![Diagnostic::new(
                    display,
                    0,
                    0,
                    "manifest-version",
                    format!(
                        "manifest schema version {v} is not supported by this tiergate (it reads version {SCHEMA_VERSION}); upgrade tiergate or rescan"
                    ),
                )]));
            }
            None => {
                return Err(Diagnostics(vec![Diagnostic::new(
                    display,
                    0,
                    0,
                    "manifest-invalid",
                    "not a tiergate manifest: no `schema_version`",
                )]));
            }
        }
        let m: Manifest = serde_json::from_str(text).map_err(|e| {
            Diagnostics(vec![Diagnostic::new(
                display,
                e.line() as u64,
                e.column() as u64,
                "manifest-invalid",
                format!("invalid manifest: {e}"),
            )])
        })?;
        m.check_header_tiers(display)?;
        for (path, e) in &m.files {
            if !m.defines_tier(e.tier) {
                // Located by the entry's key, which the sorted, unique keys make one.
                let key = format!("{}:", serde_json::to_string(path).unwrap_or_default());
                let line = text
                    .find(&key)
                    .or_else(|| text.find(&key.replace(':', " :")))
                    .map_or(0, |at| text[..at].matches('\n').count() as u64 + 1);
                return Err(undefined_tier(display, line, path, e.tier));
            }
        }
        Ok(m)
    }

    /// Whether the header defines a tier.
    pub fn defines_tier(&self, tier: TierId) -> bool {
        self.tiers.iter().any(|t| t.id == tier)
    }

    /// Every tier the header refers to (the unlisted and default tiers, what each
    /// destination accepts, the rules', zones' and exceptions' tiers) must be one it
    /// defines: a flipped bit that turns 1 into 9 must not read as "less sensitive than
    /// every tier".
    fn check_header_tiers(&self, display: &str) -> Result<(), crate::diag::Diagnostics> {
        let mut refs: Vec<(String, TierId)> = vec![
            ("unlisted.tier".into(), self.unlisted.tier),
            ("default_tier".into(), self.default_tier),
        ];
        refs.extend(
            self.destinations
                .iter()
                .map(|d| (format!("destinations[{}].accepts", d.name), d.accepts)),
        );
        refs.extend(
            self.rules
                .iter()
                .map(|r| (format!("rules[{}].tier", r.id), r.tier)),
        );
        refs.extend(self.zones.iter().filter_map(|z| {
            z.path_tier
                .map(|t| (format!("zones[{}].path_tier", z.name), t))
        }));
        refs.extend(
            self.exceptions
                .iter()
                .map(|x| (format!("exceptions[{}].tier", x.id), x.tier)),
        );
        let bad: Vec<crate::diag::Diagnostic> = refs
            .into_iter()
            .filter(|(_, t)| !self.defines_tier(*t))
            .map(|(field, t)| {
                crate::diag::Diagnostic::new(
                    display,
                    0,
                    0,
                    INVALID_TIER,
                    format!("`{field}` is tier {t}, which the manifest does not define; rescan"),
                )
            })
            .collect();
        if bad.is_empty() {
            Ok(())
        } else {
            Err(crate::diag::Diagnostics(bad))
        }
    }

    /// The JSON Schema of the manifest, pretty-printed.
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(Manifest);
        let mut s = serde_json::to_string_pretty(&schema).expect("schema serializes");
        s.push('\n');
        s
    }
}

/// The code of a manifest that uses a tier its header does not define.
pub const INVALID_TIER: &str = "manifest-invalid-tier";

/// An entry whose tier the header does not define: an error, never an answer (fail
/// closed, as `merge` does).
pub(crate) fn undefined_tier(
    display: &str,
    line: u64,
    path: &str,
    tier: TierId,
) -> crate::diag::Diagnostics {
    crate::diag::Diagnostics(vec![crate::diag::Diagnostic::new(
        display,
        line,
        0,
        INVALID_TIER,
        format!("`{path}` has tier {tier}, which the manifest does not define; rescan"),
    )])
}

/// Threads that render a large manifest's entries: the cores, at most four.
fn renderers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Write `entries`, the `i`-th by `write_one(w, i, entry)`. A long list is rendered
/// on several cores: chunk k by renderer k mod n, written in order (the same bytes as
/// one pass) while later chunks are rendered. Each renderer is at most one chunk ahead
/// of the writer, so about 2n chunks exist at once, not the whole 25 MB of a
/// 100,000-file manifest.
fn write_entries<E: Sync>(
    w: &mut dyn std::io::Write,
    entries: &[E],
    threads: usize,
    write_one: impl Fn(&mut dyn std::io::Write, usize, &E) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    let write_part = |w: &mut dyn std::io::Write, from: usize, part: &[E]| {
        for (i, e) in part.iter().enumerate() {
            write_one(w, from + i, e)?;
        }
        std::io::Result::Ok(())
    };
    if entries.len() < PARALLEL_WRITE_FILES || threads < 2 {
        return write_part(w, 0, entries);
    }
    let chunks: Vec<&[E]> = entries.chunks(WRITE_CHUNK).collect();
    std::thread::scope(|s| {
        let parts: Vec<crossbeam_channel::Receiver<std::io::Result<Vec<u8>>>> = (0..threads)
            .map(|t| {
                let (tx, rx) = crossbeam_channel::bounded(1);
                let (chunks, write_part) = (&chunks, &write_part);
                s.spawn(move || {
                    for k in (t..chunks.len()).step_by(threads) {
                        let mut buf = Vec::with_capacity(chunks[k].len() * 256);
                        let part = write_part(&mut buf, k * WRITE_CHUNK, chunks[k]);
                        // A closed channel: the writer failed and stopped.
                        if tx.send(part.map(|()| buf)).is_err() {
                            break;
                        }
                    }
                });
                rx
            })
            .collect();
        for k in 0..chunks.len() {
            let part = parts[k % threads]
                .recv()
                .expect("each renderer sends its every chunk");
            w.write_all(&part?)?;
        }
        std::io::Result::Ok(())
    })
}

/// The separator before the `index`-th entry and its key: each entry on a line of its
/// own.
fn write_key(w: &mut dyn std::io::Write, index: usize, path: &str) -> std::io::Result<()> {
    w.write_all(if index == 0 { b"\n    " } else { b",\n    " })?;
    // Nearly every path needs no escape: written as it is, as serde_json would.
    if path.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_writer(&mut *w, path).map_err(std::io::Error::other)?;
        w.write_all(b": ")
    } else {
        w.write_all(b"\"")?;
        w.write_all(path.as_bytes())?;
        w.write_all(b"\": ")
    }
}

fn write_end(w: &mut dyn std::io::Write, no_files: bool) -> std::io::Result<()> {
    w.write_all(if no_files { b"}\n}\n" } else { b"\n  }\n}\n" })
}

impl FileEntry {
    /// The entry as the manifest writes it: compact JSON on one line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an entry serializes")
    }
}

/// How a listed file resolves.
pub(crate) fn listed(path: &str, e: &FileEntry) -> Resolution {
    Resolution {
        path: path.into(),
        tier: e.tier,
        listed: true,
        reasons: e.reasons.clone(),
    }
}

/// How a directory resolves: its most restrictive file. None when nothing is under it.
pub(crate) fn directory<'a>(
    path: &str,
    mut under: impl Iterator<Item = (&'a str, TierId)>,
) -> Option<Resolution> {
    let (first_path, first_tier) = under.next()?;
    let (mut tier, mut worst, mut n) = (first_tier, first_path, 1u64);
    for (p, t) in under {
        n += 1;
        if t < tier {
            tier = t;
            worst = p;
        }
    }
    Some(Resolution {
        path: path.into(),
        tier,
        listed: true,
        reasons: vec![Reason {
            code: codes::DIRECTORY.into(),
            rule: codes::DIRECTORY.into(),
            tier: Some(tier),
            source: "builtin".into(),
            message: format!(
                "directory of {n} files; the most restrictive is `{worst}` (tier {tier})"
            ),
        }],
    })
}

/// How a path the manifest does not know resolves: the unlisted tier (fail closed).
pub(crate) fn unlisted(path: &str, u: &Unlisted) -> Resolution {
    Resolution {
        path: path.into(),
        tier: u.tier,
        listed: false,
        reasons: vec![Reason {
            code: u.code.clone(),
            rule: u.code.clone(),
            tier: Some(u.tier),
            source: "builtin".into(),
            message: "not in the manifest: its content was never classified (rescan)".into(),
        }],
    }
}

pub fn tier_def(t: &Tier) -> TierDef {
    TierDef {
        id: t.id,
        name: t.name.clone(),
        label: t.label.clone(),
    }
}

pub fn destination_def(d: &Destination) -> DestinationDef {
    DestinationDef {
        name: d.name.clone(),
        kind: d.kind.as_str().into(),
        accepts: d.accepts,
    }
}

/// A manifest listing `paths` (tiers cycling 1..4), for tests.
#[cfg(test)]
pub(crate) fn test_manifest(paths: &[&str]) -> Manifest {
    let files = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let tier = (i % 4) as u8 + 1;
            let e = FileEntry {
                tier,
                kind: "text".into(),
                git: "tracked".into(),
                reasons: vec![Reason {
                    code: "glob-rule".into(),
                    rule: format!("r{i}"),
                    tier: Some(tier),
                    source: "tiergate.yaml:3".into(),
                    message: "a \"quoted\" message, with: colons\n".into(),
                }],
                annex_iii: vec![],
            };
            (p.to_string(), e)
        })
        .collect();
    Manifest {
        schema_version: SCHEMA_VERSION,
        generator: Generator {
            name: "tiergate".into(),
            version: "0.0.0".into(),
        },
        provenance: Provenance {
            commit: None,
            config: ConfigProvenance {
                source: "builtin".into(),
                digest: "sha256:00".into(),
            },
            policies: vec![],
            rules: crate::rules::provenance(),
            exceptions: None,
            accepted: None,
            rego_input_version: 1,
            decisions: crate::decide::decision_versions(),
            scope: Scope::Tracked,
        },
        tiers: [
            (1, "restricted"),
            (2, "confidential"),
            (3, "internal"),
            (4, "public"),
        ]
        .into_iter()
        .map(|(id, name)| TierDef {
            id,
            name: name.into(),
            label: name.into(),
        })
        .collect(),
        destinations: vec![],
        default_tier: 3,
        zones: vec![],
        rules: vec![],
        exceptions: vec![],
        unlisted: Unlisted {
            tier: 1,
            code: "not-in-manifest".into(),
        },
        summary: Summary {
            files: paths.len() as u64,
            by_tier: vec![],
            case_collisions: vec![],
        },
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_written_as_serde_json_writes_them() {
        for path in [
            "a/b.txt",
            "quote\"d",
            "back\\slash",
            "tab\there",
            "nul\u{0}x",
            "del\u{7f}",
            "é/ü",
            "",
        ] {
            let mut got = Vec::new();
            write_key(&mut got, 1, path).unwrap();
            let want = format!(",\n    {}: ", serde_json::to_string(path).unwrap());
            assert_eq!(String::from_utf8(got).unwrap(), want, "{path:?}");
        }
    }

    /// Entries out of order or repeated are refused in any layout, with a location:
    /// JSON alone would take them (a repeated key keeping its last value), but the
    /// positioned lookups binary-search the file.
    #[test]
    fn unsorted_or_repeated_entries_are_refused_in_any_layout() {
        let m = test_manifest(&["a/1", "a/2", "a/3"]);
        let canonical = m.to_json();
        assert_eq!(Manifest::from_json(&canonical, "m").unwrap(), m);
        let swapped = canonical
            .replacen("\"a/2\"", "\"a/x\"", 1)
            .replacen("\"a/3\"", "\"a/2\"", 1)
            .replacen("\"a/x\"", "\"a/3\"", 1);
        let repeated = canonical.replacen("\"a/2\"", "\"a/1\"", 1);
        for bad in [&swapped, &repeated] {
            // As written, then with its entries spaced out of the canonical layout (which
            // a view then parses whole).
            let pretty = bad.replace("\": {\"tier", "\" : {\"tier");
            for text in [bad, &pretty] {
                let e = Manifest::from_json(text, "m").unwrap_err();
                let d = &e.0[0];
                assert!(d.message.contains("not sorted or repeat a path"), "{e:?}");
                assert!(d.line > 0 && d.col > 0, "{e:?}");
                assert!(ManifestView::parse(text.clone(), "m").is_err());
            }
        }
    }

    /// Every tier the header refers to must be one it defines: the unlisted tier, the
    /// default, what a destination accepts, the rules', zones' and exceptions' tiers.
    #[test]
    fn a_header_referring_to_an_undefined_tier_is_refused() {
        let mut m = test_manifest(&["a"]);
        m.destinations.push(DestinationDef {
            name: "cloud-zdr".into(),
            kind: "cloud-zdr".into(),
            accepts: 3,
        });
        m.rules.push(RuleDef {
            id: "r".into(),
            globs: vec!["x/**".into()],
            tier: 1,
            reason: "r".into(),
            source: "tiergate.yaml:1".into(),
        });
        m.zones.push(ZoneDef {
            name: "z".into(),
            globs: vec!["y/**".into()],
            path_tier: Some(2),
        });
        assert!(Manifest::from_json(&m.to_json(), "m").is_ok());
        type Change = (&'static str, fn(&mut Manifest));
        let changes: [Change; 6] = [
            ("unlisted.tier", |m| m.unlisted.tier = 9),
            ("default_tier", |m| m.default_tier = 0),
            ("destinations[cloud-zdr].accepts", |m| {
                m.destinations[0].accepts = 9
            }),
            ("rules[r].tier", |m| m.rules[0].tier = 5),
            ("zones[z].path_tier", |m| m.zones[0].path_tier = Some(7)),
            ("tiers", |m| {
                m.tiers.remove(0);
            }),
        ];
        for (field, change) in changes {
            let mut bad = m.clone();
            change(&mut bad);
            let err = Manifest::from_json(&bad.to_json(), "m").unwrap_err();
            assert_eq!(err.0[0].code, INVALID_TIER, "{field}: {err}");
            if field != "tiers" {
                assert!(err.0[0].message.contains(field), "{field}: {err}");
            }
        }
    }

    #[test]
    fn rendering_on_several_cores_writes_the_bytes_of_one_pass() {
        let paths: Vec<String> = (0..3 * WRITE_CHUNK + PARALLEL_WRITE_FILES + 17)
            .map(|i| format!("d{}/f{i:06}.txt", i % 7))
            .collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let m = test_manifest(&refs);
        let mut one = Vec::new();
        m.write_json_on(&mut one, 1).unwrap();
        // Three renderers: chunks do not divide evenly among them.
        for threads in [2, 3] {
            let mut many = Vec::new();
            m.write_json_on(&mut many, threads).unwrap();
            assert!(one == many, "{threads} renderers wrote other bytes");
        }
        let back = Manifest::from_json(std::str::from_utf8(&one).unwrap(), "m").unwrap();
        assert_eq!(back, m);
        // The scan's path: entries rendered beforehand, written on several cores.
        let rendered: Vec<(String, String)> = m
            .files
            .iter()
            .map(|(p, e)| (p.clone(), e.to_json()))
            .collect();
        let mut head_only = m.clone();
        head_only.files.clear();
        let mut pre = Vec::new();
        head_only
            .write_json_rendered(&mut pre, &rendered, |(p, e)| Some((p.as_str(), e.as_str())))
            .unwrap();
        assert!(one == pre, "pre-rendered entries wrote other bytes");
        // Entries the manifest leaves out, the first ones among them, are skipped
        // without a trace; with none left, `files` is empty.
        let kept = |i: usize| i % 3 == 1;
        let mut some = m.clone();
        some.files = m
            .files
            .iter()
            .enumerate()
            .filter(|(i, _)| kept(*i))
            .map(|(_, (p, e))| (p.clone(), e.clone()))
            .collect();
        let numbered: Vec<(usize, &(String, String))> = rendered.iter().enumerate().collect();
        for (want, keep) in [
            (&some, &kept as &(dyn Fn(usize) -> bool + Sync)),
            (&head_only, &|_| false),
        ] {
            let mut got = Vec::new();
            head_only
                .write_json_rendered(&mut got, &numbered, |(i, (p, e))| {
                    keep(*i).then_some((p.as_str(), e.as_str()))
                })
                .unwrap();
            assert!(
                got == want.to_json().into_bytes(),
                "{} files",
                want.files.len()
            );
        }
    }

    /// Fails every write after `left` bytes.
    struct Failing {
        left: usize,
    }

    impl std::io::Write for Failing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.left {
                return Err(std::io::Error::other("disk full"));
            }
            self.left -= buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_stops_the_renderers_and_reports_the_error() {
        let paths: Vec<String> = (0..PARALLEL_WRITE_FILES * 2)
            .map(|i| format!("f{i:06}"))
            .collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let m = test_manifest(&refs);
        for left in [0, 10_000, 1_000_000] {
            let e = m
                .write_json_on(&mut Failing { left }, 2)
                .expect_err("the writer fails");
            assert_eq!(e.to_string(), "disk full");
        }
    }
}
