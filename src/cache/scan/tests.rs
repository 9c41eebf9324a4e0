use super::*;
use crate::model::Confidence;

fn stamp(size: u64, t: i64) -> FileStamp {
    FileStamp {
        dev: 7,
        ino: 42,
        size,
        mtime: t,
        mtime_nsec: 5,
        ctime: t,
        ctime_nsec: 6,
    }
}

fn facts(path: &str, size: u64) -> Facts {
    let rel = crate::walk::RelPath {
        display: path.to_string(),
        raw: path.as_bytes().to_vec(),
        utf8: true,
    };
    let mut f = crate::walk::base_facts(rel, FileKind::Text, size, crate::model::GitState::Tracked);
    f.size = size;
    f.size_class = SizeClass::Small;
    f.content_scanned = true;
    f
}

fn with_findings(mut f: Facts) -> Facts {
    f.signals = vec![Signal {
        id: "secret.aws_access_key".into(),
        category: "secret".into(),
        confidence: Confidence::High,
        count: 2,
        line: 9,
    }];
    f.accepted = vec![AcceptedHit {
        signal: "pii.email".into(),
        category: "pii".into(),
        confidence: Confidence::Medium,
        line: 3,
        fingerprint: "fp:0123".into(),
        by: AcceptedBy::File { line: 12 },
    }];
    f
}

const CLOCK: Clock = Clock {
    dev: 7,
    sec: 1000,
    nsec: 0,
};

const KEY: [u8; 32] = [3; 32];

/// A cache written from `runs` and read back.
fn round_trip(runs: &[Records]) -> (tempfile::TempDir, std::path::PathBuf, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s").join(FILE_NAME);
    assert!(save(&path, &KEY, &Cache::empty(), runs).unwrap());
    let c = Cache::load(&path, &KEY);
    (dir, path, c)
}

#[test]
fn records_read_back_as_the_facts_they_were_made_from() {
    let mut r = Records::default();
    let id = Identity {
        stamp: stamp(10, 900),
        blob: Some([9; 20]),
    };
    let f = with_findings(facts("a/b.txt", 10));
    assert!(r.add(b"a/b.txt", &id, &f, Some(CLOCK)));
    let mut bin = facts("c.bin", 10);
    bin.kind = FileKind::Binary;
    bin.content_scanned = false;
    assert!(r.add(b"c.bin", &id, &bin, Some(CLOCK)));
    let (_d, _p, c) = round_trip(&[r]);
    assert_eq!(c.len(), 2);
    for want in [&f, &bin] {
        let at = c.find(want.path.as_bytes()).unwrap();
        assert_eq!(c.holds(at, &id), Some(at));
        let mut got = facts(&want.path, 10);
        got.kind = FileKind::Text;
        got.content_scanned = !want.content_scanned;
        assert!(c.fill(at, &mut got));
        assert_eq!(&got, want);
    }
    assert!(c.find(b"a/b.tx").is_none());
}

#[test]
fn a_record_holds_for_the_same_blob_or_the_same_stamp_only() {
    let mut r = Records::default();
    let id = Identity {
        stamp: stamp(10, 900),
        blob: Some([9; 20]),
    };
    r.add(b"f", &id, &facts("f", 10), Some(CLOCK));
    let (_d, _p, c) = round_trip(&[r]);
    let at = c.find(b"f").unwrap();
    // Another stamp, the same blob (a branch switched away and back): holds.
    let moved = Identity {
        stamp: stamp(10, 950),
        blob: Some([9; 20]),
    };
    assert!(c.holds(at, &moved).is_some());
    // The same stamp, no blob known (the index changed): holds.
    assert!(
        c.holds(
            at,
            &Identity {
                stamp: stamp(10, 900),
                blob: None
            }
        )
        .is_some()
    );
    // Another blob, or another size, or any other part of the stamp: does not.
    let mut other = moved;
    other.blob = Some([8; 20]);
    assert!(c.holds(at, &other).is_none());
    other.blob = None;
    assert!(c.holds(at, &other).is_none());
    let changes: [fn(&mut FileStamp); 6] = [
        |s| s.size += 1,
        |s| s.mtime += 1,
        |s| s.mtime_nsec += 1,
        |s| s.ctime += 1,
        |s| s.ctime_nsec += 1,
        |s| s.ino += 1,
    ];
    for change in changes {
        let mut s = stamp(10, 900);
        change(&mut s);
        let id = Identity {
            stamp: s,
            blob: None,
        };
        assert!(c.holds(at, &id).is_none(), "{s:?}");
    }
    // The device is not compared (as git does not).
    let mut s = stamp(10, 900);
    s.dev = 8;
    let id = Identity {
        stamp: s,
        blob: None,
    };
    assert!(c.holds(at, &id).is_some());
}

#[test]
fn racy_stamps_are_not_kept() {
    let f = facts("f", 10);
    let at = |t: i64, ns: i64, blob: Option<[u8; 20]>| {
        let mut s = stamp(10, t);
        s.mtime_nsec = ns;
        s.ctime_nsec = ns;
        Identity { stamp: s, blob }
    };
    let mut r = Records::default();
    // Modified in the instant the scan started, or after: not kept by stamp.
    assert!(!r.add(b"f", &at(1000, 0, None), &f, Some(CLOCK)));
    assert!(!r.add(b"f", &at(1001, 0, None), &f, Some(CLOCK)));
    // No clock: no stamp is trusted.
    assert!(!r.add(b"f", &at(10, 0, None), &f, None));
    // On another device than the clock's: not trusted either.
    let mut other = at(10, 0, None);
    other.stamp.dev = 1;
    assert!(!r.add(b"f", &other, &f, Some(CLOCK)));
    // Named by the index's blob: kept, but holds by blob only.
    assert!(r.add(b"f", &at(1000, 0, Some([1; 20])), &f, Some(CLOCK)));
    let (_d, _p, c) = round_trip(&[r]);
    let i = c.find(b"f").unwrap();
    assert!(c.holds(i, &at(1000, 0, None)).is_none());
    assert!(c.holds(i, &at(1000, 0, Some([1; 20]))).is_some());
    // Older than the start by a nanosecond: kept by stamp.
    let mut r = Records::default();
    assert!(r.add(
        b"g",
        &at(999, 999_999_999, None),
        &facts("g", 10),
        Some(CLOCK)
    ));
}

#[test]
fn what_was_not_read_whole_is_never_kept() {
    let id = Identity {
        stamp: stamp(10, 900),
        blob: None,
    };
    let mut r = Records::default();
    let mut unreadable = facts("u", 10);
    unreadable.kind = FileKind::Unreadable;
    assert!(!r.add(b"u", &id, &unreadable, Some(CLOCK)));
    let mut err = facts("e", 10);
    err.error = Some("cannot read past the content limit".into());
    assert!(!r.add(b"e", &id, &err, Some(CLOCK)));
    let mut lfs = facts("l", 10);
    lfs.filtered = Some("lfs object missing".into());
    assert!(!r.add(b"l", &id, &lfs, Some(CLOCK)));
    // A size other than the stamp's (content that is not the file's bytes).
    assert!(!r.add(b"s", &id, &facts("s", 11), Some(CLOCK)));
    // An id too long for its field would not read back the same.
    let mut long = facts("x", 10);
    long.signals = vec![Signal {
        id: "x".repeat(300),
        category: "c".into(),
        confidence: Confidence::Low,
        count: 1,
        line: 1,
    }];
    assert!(!r.add(b"x", &id, &long, Some(CLOCK)));
    // So would an accepted hit's long category, or a fingerprint past its length.
    let mut long = with_findings(facts("y", 10));
    long.accepted[0].category = "c".repeat(256);
    assert!(!r.add(b"y", &id, &long, Some(CLOCK)));
    let mut long = with_findings(facts("z", 10));
    long.accepted[0].fingerprint = "f".repeat(usize::from(u16::MAX) + 1);
    assert!(!r.add(b"z", &id, &long, Some(CLOCK)));
    assert_eq!((r.added, r.spans.len()), (0, 0));
    assert!(r.buf.is_empty());
}

#[test]
fn a_corrupt_truncated_or_foreign_cache_is_empty() {
    let mut r = Records::default();
    let id = Identity {
        stamp: stamp(10, 900),
        blob: None,
    };
    r.add(b"f", &id, &with_findings(facts("f", 10)), Some(CLOCK));
    r.add(b"g", &id, &facts("g", 10), Some(CLOCK));
    let (_d, path, c) = round_trip(&[r]);
    assert_eq!(c.len(), 2);
    let bytes = std::fs::read(&path).unwrap();
    for cut in [0, 1, 30, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        assert!(Cache::load(&path, &KEY).is_empty(), "cut at {cut}");
    }
    for i in (0..bytes.len()).step_by(7) {
        let mut flipped = bytes.clone();
        flipped[i] ^= 0x40;
        std::fs::write(&path, &flipped).unwrap();
        assert!(Cache::load(&path, &KEY).is_empty(), "byte {i}");
    }
    std::fs::write(&path, &bytes).unwrap();
    assert!(Cache::load(&path, &[4; 32]).is_empty(), "another key");
    assert_eq!(Cache::load(&path, &KEY).len(), 2);
    std::fs::remove_file(&path).unwrap();
    assert!(Cache::load(&path, &KEY).is_empty(), "no file");
}

#[test]
fn the_file_is_the_same_whatever_thread_made_which_record() {
    let id = Identity {
        stamp: stamp(10, 900),
        blob: None,
    };
    let names = ["b", "a/z", "a", "c/d/e", "a-b"];
    let mut one = Records::default();
    for n in names {
        one.add(n.as_bytes(), &id, &facts(n, 10), Some(CLOCK));
    }
    let (mut x, mut y) = (Records::default(), Records::default());
    for (i, n) in names.iter().rev().enumerate() {
        let r = if i % 2 == 0 { &mut x } else { &mut y };
        r.add(n.as_bytes(), &id, &facts(n, 10), Some(CLOCK));
    }
    let (_d1, p1, _) = round_trip(&[one]);
    let (_d2, p2, _) = round_trip(&[y, x]);
    assert_eq!(std::fs::read(p1).unwrap(), std::fs::read(p2).unwrap());
}

#[test]
fn an_unchanged_cache_is_not_written_again() {
    let id = Identity {
        stamp: stamp(10, 900),
        blob: None,
    };
    let mut r = Records::default();
    r.add(b"f", &id, &facts("f", 10), Some(CLOCK));
    r.add(b"g", &id, &facts("g", 10), Some(CLOCK));
    let (_d, path, old) = round_trip(&[r]);
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    // Every record kept: nothing to write.
    let mut all = Records::default();
    all.keep_known(&old, old.find(b"f").unwrap());
    all.keep_known(&old, old.find(b"g").unwrap());
    assert!(!save(&path, &KEY, &old, &[all]).unwrap());
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
    // One dropped (the file was deleted): written, without it.
    let mut some = Records::default();
    some.keep_known(&old, old.find(b"g").unwrap());
    assert!(save(&path, &KEY, &old, &[some]).unwrap());
    let now = Cache::load(&path, &KEY);
    assert_eq!(now.len(), 1);
    assert!(now.find(b"f").is_none() && now.find(b"g").is_some());
}

/// What the detectors read changes the key; what they do not leaves it.
#[test]
fn the_key_follows_what_the_detectors_read() {
    let inputs = || KeyInputs {
        detectors: crate::cache::DetectorInputs {
            versions: crate::decide::DECISION_VERSIONS,
            rules: vec![("shipped".into(), "sha256:1".into())],
            accepted: None,
            max_content_bytes: 1 << 20,
            binary_sniff_bytes: 8192,
            inline: true,
        },
        custom: String::new(),
        build: "0.1.0 1".into(),
    };
    let base = key(&inputs());
    assert_eq!(key(&inputs()), base);
    let mut changed = vec![];
    let mut k = inputs();
    k.detectors.versions = &[("secrets", 99)];
    changed.push(k);
    let mut k = inputs();
    k.detectors
        .rules
        .push(("rules/x.yaml".into(), "sha256:2".into()));
    changed.push(k);
    let mut k = inputs();
    k.detectors.accepted = Some("sha256:3");
    changed.push(k);
    let mut k = inputs();
    k.detectors.max_content_bytes = 5;
    changed.push(k);
    let mut k = inputs();
    k.detectors.inline = false;
    changed.push(k);
    let mut k = inputs();
    k.custom = "(\"a\", ...)".into();
    changed.push(k);
    let mut k = inputs();
    k.build = "0.1.0 2".into();
    changed.push(k);
    for k in &changed {
        assert_ne!(key(k), base, "{k:?}");
    }
    // The decide step's version is not the detectors': decisions are made again.
    let mut k = inputs();
    k.detectors.versions = &[("decide", 99)];
    let mut only_detectors = inputs();
    only_detectors.detectors.versions = &[];
    assert_eq!(key(&k), key(&only_detectors));
    crate::cache::assert_versioned(STEPS);
    // Every detector family's step is among them.
    for (step, _) in crate::decide::DECISION_VERSIONS {
        assert!(STEPS.contains(step) || *step == "decide", "{step}");
    }
}

#[test]
fn a_path_keeps_its_current_record_and_one_earlier_blob() {
    let at = |blob: u8, t: i64| Identity {
        stamp: stamp(10, t),
        blob: Some([blob; 20]),
    };
    let mut r = Records::default();
    r.add(b"f", &at(1, 900), &facts("f", 10), Some(CLOCK));
    let (_d, path, v1) = round_trip(&[r]);
    // The file changed (blob 2): its new record, and the earlier one kept.
    let mut r = Records::default();
    r.add(
        b"f",
        &at(2, 950),
        &with_findings(facts("f", 10)),
        Some(CLOCK),
    );
    r.keep_earlier(&v1, v1.find(b"f").unwrap(), None, Some([2; 20]));
    assert!(save(&path, &KEY, &v1, &[r]).unwrap());
    let v2 = Cache::load(&path, &KEY);
    assert_eq!(v2.len(), 2);
    let first = v2.find(b"f").unwrap();
    // Back to blob 1 (a branch switched back, the file rewritten): known, with the
    // facts read from it then.
    let back = v2.holds(first, &at(1, 990)).unwrap();
    let mut got = facts("f", 10);
    assert!(v2.fill(back, &mut got));
    assert!(got.signals.is_empty());
    let now = v2.holds(first, &at(2, 990)).unwrap();
    assert!(v2.fill(now, &mut got));
    assert_eq!(got.signals.len(), 1);
    assert!(v2.holds(first, &at(3, 990)).is_none());
    // Known again as blob 1: both kept, no third. Changed to blob 3: blob 3 and one
    // earlier.
    let mut r = Records::default();
    r.keep_known(&v2, back);
    assert_eq!((r.kept, r.hits), (2, 1));
    let mut r = Records::default();
    r.add(b"f", &at(3, 995), &facts("f", 10), Some(CLOCK));
    r.keep_earlier(&v2, first, None, Some([3; 20]));
    assert_eq!((r.added, r.kept), (1, 1));
    assert!(save(&path, &KEY, &v2, &[r]).unwrap());
    assert_eq!(Cache::load(&path, &KEY).len(), 2);
}

#[test]
fn a_record_is_checked_as_it_is_read() {
    let mut r = Records::default();
    let id = Identity {
        stamp: stamp(10, 900),
        blob: Some([9; 20]),
    };
    let mut f = with_findings(facts("a/b.txt", 10));
    f.accepted.push(AcceptedHit {
        by: AcceptedBy::Inline,
        ..f.accepted[0].clone()
    });
    assert!(r.add(b"a/b.txt", &id, &f, Some(CLOCK)));
    let Span::New(start, len) = r.spans[0] else {
        panic!("a record made here")
    };
    let rec = r.buf[start + 4..start + len].to_vec();
    fn body(bytes: &[u8]) -> Option<Reader<'_>> {
        let mut r = Reader(bytes);
        Head::read(&mut r).map(|_| r)
    }
    let same = |bytes: &[u8]| {
        let (Some(mut a), Some(mut b)) = (body(bytes), body(bytes)) else {
            return;
        };
        assert_eq!(
            Kept::check(&mut a).is_some(),
            Kept::read(&mut b).is_some(),
            "{bytes:?}"
        );
    };
    same(&rec);
    assert!(Kept::check(&mut body(&rec).unwrap()).is_some());
    for cut in 0..rec.len() {
        same(&rec[..cut]);
    }
    for i in 0..rec.len() {
        for bit in [0x01, 0x02, 0x10, 0x80] {
            let mut flipped = rec.clone();
            flipped[i] ^= bit;
            same(&flipped);
        }
    }
}

#[test]
fn records_are_sorted_by_path_whatever_their_origin() {
    let id = Identity {
        stamp: stamp(10, 900),
        blob: Some([9; 20]),
    };
    let mut first = Records::default();
    for p in ["d/b", "a", "d/a", "c", "b"] {
        assert!(first.add(p.as_bytes(), &id, &facts(p, 10), Some(CLOCK)));
    }
    let (_d, _p, old) = round_trip(&[first]);
    // Kept from the cache in walk order, mixed with records made anew.
    let mut r = Records::default();
    for p in ["d/a", "c", "a"] {
        r.keep(&old, old.find(p.as_bytes()).unwrap());
    }
    for p in ["bb", "0", "e", "d/0"] {
        assert!(r.add(p.as_bytes(), &id, &facts(p, 10), Some(CLOCK)));
    }
    r.keep(&old, old.find(b"d/b").unwrap());
    r.sort(&old);
    let paths: Vec<&[u8]> = r.entries(&old).map(|(p, _)| p).collect();
    let want: Vec<&[u8]> = ["0", "a", "bb", "c", "d/0", "d/a", "d/b", "e"]
        .iter()
        .map(|p| p.as_bytes())
        .collect();
    assert_eq!(paths, want);
}
