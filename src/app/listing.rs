//! What `scan` keeps of each classified file until the manifest is written: its path,
//! and a decision with its rendered manifest entry, shared by every file that has the
//! same one. Nineteen files in twenty of a repository carry the same default-tier
//! decision, so a 100,000-file scan holds a few thousand decisions and entries instead
//! of one each: far less memory to fill (each fresh page costs a fault and zeroing),
//! and the entries are rendered once per distinct decision instead of once per file.

use std::collections::HashMap;
use std::sync::Arc;

use crate::decide::{Classified, FileRecord};
use crate::manifest::Scope;
use crate::model::{Decision, FileKind, Finding, GitState};

/// One listed file: its shared entry, and its link target when it is a link (which
/// `decide::finish` resolves) or its raw name when it differs from its path (which
/// `decide::merge_twins` reports).
pub(crate) struct Listed {
    entry: Arc<Entry>,
    /// Boxed: few files have either.
    extra: Option<Box<Extra>>,
    /// The path's case hash, computed on the worker (not in the serial tail).
    case: u64,
}

struct Extra {
    link_target: Option<Box<str>>,
    raw_name: Option<Box<[u8]>>,
}

/// A decision for files of one kind and git state, with its manifest entry rendered.
struct Entry {
    kind: FileKind,
    git: GitState,
    decision: Decision,
    json: String,
}

impl Entry {
    fn new(kind: FileKind, git: GitState, decision: Decision) -> Entry {
        let json = super::file_entry(kind, git, &decision).to_json();
        Entry {
            kind,
            git,
            decision,
            json,
        }
    }
}

impl Listed {
    pub(crate) fn git(&self) -> GitState {
        self.entry.git
    }

    /// The manifest entry, rendered.
    pub(crate) fn json(&self) -> &str {
        &self.entry.json
    }
}

impl Classified for Listed {
    fn kind(&self) -> FileKind {
        self.entry.kind
    }
    fn git(&self) -> GitState {
        self.entry.git
    }
    fn link_target(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|x| x.link_target.as_deref())
    }
    fn raw_name(&self) -> Option<&[u8]> {
        self.extra.as_ref().and_then(|x| x.raw_name.as_deref())
    }
    fn decision(&self) -> &Decision {
        &self.entry.decision
    }
    fn take_findings(&mut self) -> Vec<Finding> {
        self.entry.decision.findings.clone()
    }
    fn set_decision(&mut self, decision: Decision) {
        self.entry = Arc::new(Entry::new(self.entry.kind, self.entry.git, decision));
    }
    fn case_hash(&self) -> Option<u64> {
        Some(self.case)
    }
}

/// A worker's table of the entries it has made, by (kind, git state, decision).
#[derive(Default)]
pub(crate) struct Interner {
    by_hash: HashMap<u64, Vec<Arc<Entry>>, foldhash::fast::FixedState>,
    hasher: foldhash::fast::FixedState,
    case: crate::model::CaseHasher,
}

impl Interner {
    /// What the scan keeps of `record`: its path, and its entry, shared with the files
    /// that came before with the same one.
    pub(crate) fn keep(&mut self, record: FileRecord) -> (String, Listed) {
        use std::hash::BuildHasher;
        let FileRecord { facts, decision } = record;
        let (kind, git) = (facts.kind, facts.git);
        let hash = self.hasher.hash_one((kind, git, &decision));
        let same = self.by_hash.entry(hash).or_default();
        let entry = match same
            .iter()
            .find(|e| e.kind == kind && e.git == git && e.decision == decision)
        {
            Some(e) => Arc::clone(e),
            None => {
                let e = Arc::new(Entry::new(kind, git, decision));
                same.push(Arc::clone(&e));
                e
            }
        };
        let extra = (facts.link_target.is_some() || facts.raw_name.is_some()).then(|| {
            Box::new(Extra {
                link_target: facts.link_target.map(String::into_boxed_str),
                raw_name: facts.raw_name.map(Vec::into_boxed_slice),
            })
        });
        let case = self.case.hash(&facts.path);
        (facts.path, Listed { entry, extra, case })
    }

    /// Distinct entries made so far.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_hash.values().map(Vec::len).sum()
    }
}

/// A listed file's path and rendered entry, for the manifest of `scope`; None for a
/// file it leaves out.
pub(crate) fn rendered(
    scope: Scope,
) -> impl for<'e> Fn(&'e (String, Listed)) -> Option<(&'e str, &'e str)> + Sync + Copy {
    move |(p, l)| scope.lists(l.git()).then(|| (p.as_str(), l.json()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Facts, SizeClass};

    fn record(path: &str, kind: FileKind, tier: u8) -> FileRecord {
        let finding = Finding::builtin("glob-rule", Some(tier), format!("tier {tier}"));
        FileRecord {
            facts: Facts {
                path: path.into(),
                kind,
                size: 1,
                size_class: SizeClass::Small,
                extension: None,
                language: None,
                git: GitState::Tracked,
                zones: vec![],
                content_scanned: true,
                signals: vec![],
                link_target: (kind == FileKind::Symlink).then(|| "target".to_string()),
                error: None,
                raw_name: None,
                filtered: None,
                accepted: Vec::new(),
                imports: Vec::new(),
            },
            decision: Decision::combine(vec![finding], 3),
        }
    }

    #[test]
    fn files_with_the_same_decision_share_one_rendered_entry() {
        let mut interner = Interner::default();
        let (pa, a) = interner.keep(record("a.txt", FileKind::Text, 2));
        let (_, b) = interner.keep(record("b.txt", FileKind::Text, 2));
        let (_, c) = interner.keep(record("c.txt", FileKind::Text, 1));
        let (_, d) = interner.keep(record("d.bin", FileKind::Binary, 2));
        assert_eq!(pa, "a.txt");
        assert!(Arc::ptr_eq(&a.entry, &b.entry));
        assert!(!Arc::ptr_eq(&a.entry, &c.entry));
        assert!(
            !Arc::ptr_eq(&a.entry, &d.entry),
            "the kind is part of the entry"
        );
        assert_eq!(interner.len(), 3);
        // The case hash made on the worker is the one the tail would compute.
        let mut h = crate::model::CaseHasher::default();
        assert_eq!(a.case_hash(), Some(h.hash("a.txt")));
        assert_eq!(a.case_hash(), Some(h.hash("A.TXT")));
        assert_ne!(b.case_hash(), a.case_hash());
        let r = record("a.txt", FileKind::Text, 2);
        assert_eq!(
            a.json(),
            super::super::file_entry(r.facts.kind, r.facts.git, &r.decision).to_json()
        );
    }

    #[test]
    fn a_new_decision_is_rendered_for_its_file_alone() {
        let mut interner = Interner::default();
        let (_, mut a) = interner.keep(record("l", FileKind::Symlink, 3));
        let (_, b) = interner.keep(record("m", FileKind::Symlink, 3));
        assert_eq!(a.link_target(), Some("target"));
        let mut findings = a.take_findings();
        findings.push(Finding::builtin(
            "symlink-target",
            Some(1),
            "to tier 1".into(),
        ));
        a.set_decision(Decision::combine(findings, 3));
        assert_eq!(a.decision().tier, 1);
        assert!(a.json().contains("symlink-target"));
        assert_eq!(
            b.decision().tier,
            3,
            "the other file keeps the shared entry"
        );
        assert!(!b.json().contains("symlink-target"));
    }
}
