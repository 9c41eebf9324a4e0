//! Content detectors: what is inside a file, as signals. One multi-pattern prefilter
//! (every family's literal anchors in one Aho-Corasick automaton) runs over each file's
//! bytes once; families then look only where their anchors are (or run their own
//! linear token pass, e.g. for digit runs) and confirm candidates with validators.
//! A signal records id, category, confidence, count and first line — never the matched
//! text. Must not import walk, decide, manifest or render.
//!
//! Signal id catalogue (stable; policies match on these):
//! - `secret.*` (category `secret`): the signals of `rules/secrets/formats.yaml`
//!   ([`secrets::SIGNAL_IDS`]; listed with what each is in the generated signal
//!   catalogue, `docs/src/reference/signals.md`).
//! - `pii.*` (category `pii`): `payment_card`, `iban`, `us_ssn`, `uk_nino`, `uk_nhs`,
//!   `kr_rrn`, `pl_pesel`, `es_dni`, `es_nie`, `it_codice_fiscale`, `nl_bsn`, `fr_nir`,
//!   `fi_hetu`, `se_personnummer`, `de_steuer_id`, `email`, `phone`, `ip_address`,
//!   `aba_routing`.
//! - `health.*` (category `health`): `icd10`.
//! - `special.*` (category `special_category`, GDPR Art 9/10 data: a name holding a
//!   value) and `special_field.*` (category `special_field`, the same name declared in
//!   code or a schema without values): `ethnicity`, `religion`, `health`, `biometric`,
//!   `genetic`, `sexual_orientation`, `political_opinion`, `trade_union`,
//!   `criminal_record`. `pii.person_records`: a table of names with dates of birth.
//! - `annex3.<point>.<what>` (category `annex3`), e.g. `annex3.1a.face_search_import`,
//!   `annex3.5b.credit_columns`; negative evidence as `annex3.<point>.exclude.<what>`.
//! - `media.*` (category `media`): `face` (count: faces found), `video`, `audio`, and
//!   `not_examined.{too_large,undecodable,unsupported_format,later_frames}` for what
//!   an image's decoding left unseen ([`media`]).
//! - custom detectors from config: `custom.<id>` (category from config, default `custom`).

pub mod accept;
pub mod annex3;
pub mod custom;
pub mod engine;
pub mod imports;
pub mod media;
pub mod pii;
pub mod secrets;
mod trigrams;
pub mod validators;

pub use engine::{Detectors, FamilyCtor, MAX_POSITIONS_PER_ANCHOR, Scanner};

use std::borrow::Cow;

use crate::model::Confidence;

/// The facts of a file with its signals: the detectors over `content` (the head of the
/// file, up to the content limit) for text and binary files, and, when the file goes
/// on (`rest` reads what follows the head), the secret detectors over the whole of it
/// (see [`Scanner::scan_file`]). A file whose rest cannot be read, or changed while it
/// was, becomes unreadable with the reason (tier 1): the scan and the gate both call
/// this, so the same bytes give the same facts.
pub fn with_signals(
    scanner: &mut Scanner,
    mut facts: crate::model::Facts,
    content: &[u8],
    rest: Option<&mut dyn std::io::Read>,
) -> crate::model::Facts {
    use crate::model::FileKind;
    if !matches!(facts.kind, FileKind::Text | FileKind::Binary) || content.is_empty() {
        return facts;
    }
    let binary = facts.kind == FileKind::Binary;
    match scanner.scan_file(&facts.path, content, binary, rest) {
        Ok(signals) => {
            facts.signals = signals;
            let mut accepted = scanner.take_accepted();
            // One per finding: the first line of each (signal, fingerprint, acceptor).
            accepted.sort_by(|a, b| {
                (&a.signal, &a.fingerprint, &a.by, a.line).cmp(&(
                    &b.signal,
                    &b.fingerprint,
                    &b.by,
                    b.line,
                ))
            });
            accepted.dedup_by(|b, a| {
                a.signal == b.signal && a.fingerprint == b.fingerprint && a.by == b.by
            });
            facts.accepted = accepted;
            if !binary {
                facts.imports = imports::of(&facts.path, content);
            }
        }
        Err(e) => {
            facts.kind = FileKind::Unreadable;
            facts.content_scanned = false;
            facts.signals.clear();
            facts.error = Some(format!("cannot read past the content limit: {e}"));
        }
    }
    facts
}

/// The built-in detector families, in the order they run.
pub const BUILTIN_FAMILIES: &[FamilyCtor] =
    &[secrets::new, pii::new, annex3::Annex3::new, media::new];

/// What the built-in families know: the tables compiled in ([`Knowledge::SHIPPED`]),
/// or those with a repository's own rule files added (`crate::rules::user`). The
/// tables are `'static`: ones read at run time are leaked, once per process and set of
/// rule files.
#[derive(Debug, Clone, Copy)]
pub struct Knowledge {
    pub annex3: &'static [annex3::Def],
    pub pii: &'static pii::Tables,
    pub secrets: &'static secrets::Tables,
    pub media: &'static media::Tables,
}

impl Knowledge {
    /// The tables compiled in: what [`BUILTIN_FAMILIES`] build.
    pub const SHIPPED: Knowledge = Knowledge {
        annex3: annex3::DEFS,
        pii: &pii::TABLES,
        secrets: &secrets::TABLES,
        media: &media::TABLES,
    };

    /// The built-in families over these tables, in the order of [`BUILTIN_FAMILIES`].
    pub fn families(self, reg: &mut dyn AnchorRegistry) -> Vec<Box<dyn Family>> {
        vec![
            Box::new(secrets::Secrets::with_tables(reg, self.secrets)),
            Box::new(pii::Pii::with_tables(reg, self.pii)),
            Box::new(annex3::Annex3::from_defs(reg, self.annex3)),
            Box::new(media::Media::with_tables(reg, self.media)),
        ]
    }
}

/// An anchor registered with the prefilter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnchorId(pub u32);

/// Where families register the literal strings they want located in every file. All
/// anchors share one automaton, matched ASCII-case-insensitively; families check case
/// themselves where it matters.
pub trait AnchorRegistry {
    fn anchor(&mut self, literal: &str) -> AnchorId;
}

/// One detector hit before aggregation into a [`crate::model::Signal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: Cow<'static, str>,
    pub category: Cow<'static, str>,
    pub confidence: Confidence,
    /// Byte offset of the match in the content (for the first line).
    pub offset: usize,
}

/// A detector family: built once (registering its anchors), then asked about each file.
pub trait Family: Send + Sync {
    /// Short stable name, e.g. `secrets`, `pii`, `annex3`.
    fn name(&self) -> &'static str;
    /// Push the hits found in one file.
    fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>);
    /// Push the hits found in the last bytes of a file past the content limit (`tail`
    /// ends where the file ends): what a format keeps at its end, such as a Parquet
    /// footer's schema. Most families read the head only.
    fn scan_tail(&self, _path: &str, _tail: &[u8], _out: &mut Vec<Hit>) {}
}

/// What a family sees of one file.
pub struct FileCtx<'a> {
    /// Repo-relative, `/`-separated path.
    pub path: &'a str,
    /// The bytes read (the head of the file up to the content limit).
    pub content: &'a [u8],
    /// Whether the file looked binary (a NUL in its first bytes). Most families skip
    /// binary content; schema readers (e.g. Parquet footers) may not.
    pub binary: bool,
    /// Sorted start offsets of each anchor's matches, indexed by `AnchorId.0`.
    pub anchors: &'a [Vec<usize>],
    /// The ids of the anchors that matched (those whose entry in `anchors` is not
    /// empty), in no order; None when not known.
    pub touched: Option<&'a [u32]>,
}

impl FileCtx<'_> {
    /// Start offsets of an anchor's matches, sorted.
    pub fn hits(&self, id: AnchorId) -> &[usize] {
        self.anchors.get(id.0 as usize).map_or(&[], Vec::as_slice)
    }

    pub fn has(&self, id: AnchorId) -> bool {
        !self.hits(id).is_empty()
    }

    /// Whether any of `ids` (sorted) matched: from the few that matched when they are
    /// known, not by looking at every one of `ids`.
    pub fn any_of(&self, ids: &[AnchorId]) -> bool {
        match self.touched {
            Some(t) if t.len() < ids.len() => {
                t.iter().any(|&a| ids.binary_search(&AnchorId(a)).is_ok())
            }
            _ => ids.iter().any(|&a| self.has(a)),
        }
    }

    /// Whether any anchor with an id in `lo..=hi` matched: from the few that matched
    /// when they are known, not by looking at every id of the range.
    pub fn any_in(&self, lo: u32, hi: u32) -> bool {
        match self.touched {
            Some(t) => t.iter().any(|&a| (lo..=hi).contains(&a)),
            None => self
                .anchors
                .get(lo as usize..=(hi as usize).min(self.anchors.len().saturating_sub(1)))
                .is_some_and(|s| s.iter().any(|v| !v.is_empty())),
        }
    }

    /// Whether any of `ids` occurs within `window` bytes of `offset` (either side).
    pub fn near(&self, ids: &[AnchorId], offset: usize, window: usize) -> bool {
        let lo = offset.saturating_sub(window);
        let hi = offset.saturating_add(window);
        ids.iter().any(|&id| {
            let h = self.hits(id);
            let i = h.partition_point(|&o| o < lo);
            h.get(i).is_some_and(|&o| o <= hi)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_matched_is_seen_from_the_touched_list_as_from_the_table() {
        let mut anchors = vec![Vec::new(); 10];
        anchors[3].push(7);
        anchors[8].push(1);
        let touched = [8, 3];
        for (lo, hi, want) in [
            (0, 2, false),
            (0, 3, true),
            (4, 7, false),
            (8, 8, true),
            (9, 20, false),
            (0, 20, true),
        ] {
            for t in [None, Some(&touched[..])] {
                let ctx = FileCtx {
                    path: "x",
                    content: b"",
                    binary: false,
                    anchors: &anchors,
                    touched: t,
                };
                assert_eq!(ctx.any_in(lo, hi), want, "{lo}..={hi} {t:?}");
                let ids: Vec<AnchorId> = (lo..=hi.min(12)).map(AnchorId).collect();
                assert_eq!(ctx.any_of(&ids), want, "{ids:?} {t:?}");
            }
        }
    }
}
