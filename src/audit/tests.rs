use super::*;

fn entry(path: &str, allowed: bool) -> Entry {
    Entry {
        user: Some("dev@example.com".into()),
        os_user: Some("dev".into()),
        agent: "claude-code".into(),
        destination: "cloud-zdr".into(),
        model: None,
        session: None,
        tool: None,
        path: path.into(),
        blob: Some("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391".into()),
        tier: if allowed { 3 } else { 1 },
        allowed,
        rule: "default_tier".into(),
    }
}

fn log_with(n: usize) -> (tempfile::TempDir, Log) {
    let dir = tempfile::tempdir().unwrap();
    let log = Log::new(dir.path().join("t/decisions.jsonl"));
    for i in 0..n {
        log.append(
            &[entry(&format!("f{i}"), i % 2 == 0)],
            "2026-11-24T10:00:00Z",
        )
        .unwrap();
    }
    (dir, log)
}

fn lines(log: &Log) -> Vec<String> {
    std::fs::read_to_string(&log.path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(log: &Log, lines: &[String]) {
    std::fs::write(
        &log.path,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
}

#[test]
fn an_intact_log_verifies_and_reads_back() {
    let (_d, log) = log_with(5);
    assert_eq!(log.verify().unwrap(), vec![]);
    let r = log.records().unwrap();
    assert_eq!(r.len(), 5);
    assert_eq!(r[0].prev, GENESIS);
    assert_eq!(r[4].seq, 5);
    assert_eq!(r[1].decision, "deny");
    // An empty or missing log is fine.
    let empty = Log::new(_d.path().join("none.jsonl"));
    assert!(empty.verify().unwrap().is_empty());
}

#[test]
fn edits_deletions_insertions_reorders_and_truncation_are_found_where_they_are() {
    let (_d, log) = log_with(5);
    let orig = lines(&log);
    // Edited: line 2's tier.
    let mut l = orig.clone();
    l[1] = l[1].replace("\"tier\":1", "\"tier\":4");
    write_lines(&log, &l);
    let b = log.verify().unwrap();
    assert_eq!(b[0].line, 3, "{b:?}");
    // Deleted: line 3.
    let mut l = orig.clone();
    l.remove(2);
    write_lines(&log, &l);
    let b = log.verify().unwrap();
    assert_eq!(b[0].line, 3, "{b:?}");
    // Inserted: a copy of line 2 after it.
    let mut l = orig.clone();
    l.insert(2, orig[1].clone());
    write_lines(&log, &l);
    assert_eq!(log.verify().unwrap()[0].line, 3);
    // Reordered: lines 4 and 5 swapped.
    let mut l = orig.clone();
    l.swap(3, 4);
    write_lines(&log, &l);
    assert_eq!(log.verify().unwrap()[0].line, 4);
    // Truncated: the last record removed; only the head file can tell.
    let mut l = orig.clone();
    l.pop();
    write_lines(&log, &l);
    let b = log.verify().unwrap();
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(b[0].what.contains("head file says 5"), "{b:?}");
    // Restored, it verifies again.
    write_lines(&log, &orig);
    assert!(log.verify().unwrap().is_empty());
}

#[test]
fn concurrent_writers_never_break_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("decisions.jsonl");
    std::thread::scope(|s| {
        for t in 0..8 {
            let path = path.clone();
            s.spawn(move || {
                let log = Log::new(path);
                for i in 0..25 {
                    log.append(
                        &[
                            entry(&format!("t{t}/f{i}"), true),
                            entry(&format!("t{t}/g{i}"), false),
                        ],
                        "2026-11-24T10:00:00Z",
                    )
                    .unwrap();
                }
            });
        }
    });
    let log = Log::new(path);
    assert_eq!(log.verify().unwrap(), vec![]);
    assert_eq!(log.records().unwrap().len(), 8 * 25 * 2);
}

#[test]
fn times_are_rfc3339_utc() {
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(rfc3339(1_795_478_400), "2026-11-24T00:00:00Z");
    assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
}

#[test]
fn the_head_is_rewritten_in_place_at_a_fixed_width() {
    let (_d, log) = log_with(3);
    let head = std::fs::read(log.sidecar(".head")).unwrap();
    assert_eq!(head.len(), HEAD_LEN);
    assert!(head.ends_with(b" \n"));
    // A head of an older release (unpadded, longer than the new one) is replaced whole.
    let long = format!(
        "{}{}",
        String::from_utf8(head.clone()).unwrap().trim_end(),
        " ".repeat(300)
    );
    std::fs::write(log.sidecar(".head"), long).unwrap();
    log.append(&[entry("g", true)], "2026-11-24T10:00:00Z")
        .unwrap();
    assert_eq!(std::fs::read(log.sidecar(".head")).unwrap().len(), HEAD_LEN);
    assert_eq!(log.verify().unwrap(), vec![]);
    assert_eq!(log.records().unwrap().len(), 4);
}

#[test]
fn a_head_left_behind_by_a_cut_short_append_is_accepted_and_caught_up() {
    let (_d, log) = log_with(4);
    let head_after_two = {
        let (_d2, two) = log_with(2);
        std::fs::read(two.sidecar(".head")).unwrap()
    };
    // The log holds four durable records; the head still vouches for the first two,
    // as after a crash between the log's sync and the head's rewrite.
    std::fs::write(log.sidecar(".head"), &head_after_two).unwrap();
    assert_eq!(log.verify().unwrap(), vec![]);
    // The next append continues from the log's last record, not from the head.
    log.append(&[entry("g", true)], "2026-11-24T10:00:00Z")
        .unwrap();
    assert_eq!(log.verify().unwrap(), vec![]);
    let r = log.records().unwrap();
    assert_eq!(r.last().unwrap().seq, 5);
    // A head created but never written (cut short at the first append) vouches for none.
    std::fs::write(log.sidecar(".head"), "").unwrap();
    assert_eq!(log.verify().unwrap(), vec![]);
    // A head whose hash is not one of the log's lines is a break, as is a missing head.
    let mut other = head_after_two.clone();
    let at = other.windows(7).position(|w| w == b"sha256:").unwrap() + 7;
    other[at] = if other[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(log.sidecar(".head"), &other).unwrap();
    assert_eq!(log.verify().unwrap().len(), 1);
    std::fs::remove_file(log.sidecar(".head")).unwrap();
    let b = log.verify().unwrap();
    assert_eq!(b[0].line, 0, "{b:?}");
}

#[test]
fn a_removed_tail_stays_visible_after_the_next_append() {
    let (_d, log) = log_with(5);
    let mut l = lines(&log);
    l.truncate(3);
    write_lines(&log, &l);
    log.append(&[entry("g", true)], "2026-11-24T10:00:00Z")
        .unwrap();
    // The new record continues the head's chain (sequence 6), so the junction breaks.
    let b = log.verify().unwrap();
    assert!(b.iter().any(|b| b.line == 4), "{b:?}");
    assert_eq!(log.records().unwrap().last().unwrap().seq, 6);
}

#[test]
fn the_last_line_is_found_across_read_windows() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l");
    for (text, want) in [
        ("".to_string(), None),
        ("a\n".to_string(), Some("a".to_string())),
        ("a\nbc".to_string(), Some("bc".to_string())),
        ("a\nbc\n\n".to_string(), Some("bc".to_string())),
        (
            format!("{}\n{}\n", "x".repeat(10), "y".repeat(20_000)),
            Some("y".repeat(20_000)),
        ),
        ("z".repeat(9000), Some("z".repeat(9000))),
    ] {
        std::fs::write(&p, &text).unwrap();
        let f = std::fs::File::open(&p).unwrap();
        let got = last_line(&f)
            .unwrap()
            .map(|b| String::from_utf8(b).unwrap());
        assert_eq!(got, want, "{:?}", &text[..text.len().min(20)]);
    }
}

// ---- The keyed mode ----

/// A keyed log of `n` records and its verifier key.
fn keyed_log_with(n: usize) -> (tempfile::TempDir, Log, VerifierKey) {
    let dir = tempfile::tempdir().unwrap();
    let log = Log::new(dir.path().join("t/decisions.jsonl"));
    let out = dir.path().join("k0.json");
    assert_eq!(log.init_key(&out).unwrap(), 1);
    for i in 0..n {
        log.append(
            &[entry(&format!("f{i}"), i % 2 == 0)],
            "2026-11-24T10:00:00Z",
        )
        .unwrap();
    }
    let k0 = VerifierKey::read(&out).unwrap();
    (dir, log, k0)
}

fn verify_keyed(log: &Log, k0: &VerifierKey) -> Vec<Break> {
    log.verify_with(&VerifyOptions {
        key: Some(k0),
        ..VerifyOptions::default()
    })
    .unwrap()
    .breaks
}

#[test]
fn a_keyed_log_verifies_with_its_verifier_key_and_only_with_it() {
    let (dir, log, k0) = keyed_log_with(4);
    let report = log
        .verify_with(&VerifyOptions {
            key: Some(&k0),
            ..VerifyOptions::default()
        })
        .unwrap();
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert_eq!((report.records, report.keyed_from), (4, Some(1)));
    assert!(report.macs_checked);
    // Without the key the chain is checked and the MACs are not.
    let plain = log.verify_with(&VerifyOptions::default()).unwrap();
    assert!(plain.breaks.is_empty() && !plain.macs_checked);
    assert!(
        lines(&log)
            .iter()
            .all(|l| l.contains(",\"mac\":\"hmac-sha256:"))
    );
    // Another verifier key fails every record and the key file.
    let other = dir.path().join("other.json");
    Log::new(dir.path().join("u/decisions.jsonl"))
        .init_key(&other)
        .unwrap();
    let wrong = VerifierKey::read(&other).unwrap();
    assert_eq!(verify_keyed(&log, &wrong).len(), 5);
    // The key file holds the key of record 5 only, mode 0600, as does the verifier key.
    use std::os::unix::fs::PermissionsExt;
    let state = key::KeyState::parse(&std::fs::read(log.key_path()).unwrap()).unwrap();
    assert_eq!(state.seq, 5);
    assert_eq!(Some(state.key), k0.key_at(5));
    for p in [log.key_path(), dir.path().join("k0.json")] {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", p.display());
    }
    // A second init is refused; the verifier key file is never overwritten.
    assert!(log.init_key(&dir.path().join("again.json")).is_err());
    assert!(
        Log::new(dir.path().join("v.jsonl"))
            .init_key(&dir.path().join("k0.json"))
            .is_err()
    );
}

#[test]
fn keying_an_existing_log_starts_at_its_next_record() {
    let (dir, log) = log_with(3);
    let out = dir.path().join("k0.json");
    assert_eq!(log.init_key(&out).unwrap(), 4);
    log.append(
        &[entry("g", true), entry("h", false)],
        "2026-11-24T10:00:00Z",
    )
    .unwrap();
    let k0 = VerifierKey::read(&out).unwrap();
    assert_eq!(verify_keyed(&log, &k0), vec![]);
    let r = log.records().unwrap();
    assert!(r[..3].iter().all(|r| r.mac.is_none()));
    assert!(r[3..].iter().all(|r| r.mac.is_some()));
    // An unkeyed record appended after the keyed ones (MAC stripped) is found.
    let mut l = lines(&log);
    let mut last: Record = serde_json::from_str(&l[4]).unwrap();
    last.mac = None;
    l[4] = serde_json::to_string(&last).unwrap();
    write_lines(&log, &l);
    let b = log.verify().unwrap();
    assert!(
        b.iter().any(|b| b.line == 5 && b.what.contains("no MAC")),
        "{b:?}"
    );
}

/// A crash after the records are durable and before the key file is rewritten: the
/// key file is behind the log. The next append derives the keys forward from it, so
/// every record keeps its own key and no key MACs two records.
#[test]
fn a_crash_between_the_records_and_the_key_rotation_reuses_no_key() {
    let (_d, log, k0) = keyed_log_with(2);
    let err = log
        .append_cut(
            &[entry("x", true), entry("y", true)],
            "2026-11-24T10:00:00Z",
            Some(CutAt::AfterRecords),
        )
        .unwrap_err();
    assert!(err.to_string().contains("cut short"));
    // Records 3 and 4 are on disk; the key file still holds the key of record 3.
    let state = key::KeyState::parse(&std::fs::read(log.key_path()).unwrap()).unwrap();
    assert_eq!(state.seq, 3);
    assert_eq!(log.records().unwrap().len(), 4);
    assert_eq!(verify_keyed(&log, &k0), vec![]);
    log.append(&[entry("z", false)], "2026-11-24T10:00:00Z")
        .unwrap();
    assert_eq!(verify_keyed(&log, &k0), vec![]);
    let records = log.records().unwrap();
    assert_eq!(records.last().unwrap().seq, 5);
    let macs: std::collections::BTreeSet<&str> =
        records.iter().filter_map(|r| r.mac.as_deref()).collect();
    assert_eq!(macs.len(), 5, "one MAC per record");
    let state = key::KeyState::parse(&std::fs::read(log.key_path()).unwrap()).unwrap();
    assert_eq!((state.seq, Some(state.key)), (6, k0.key_at(6)));
}

#[test]
fn a_key_file_ahead_of_the_log_stops_appends_and_fails_verify() {
    let (_d, log, k0) = keyed_log_with(5);
    // The tail removed and the head recomputed for the shorter log.
    let mut l = lines(&log);
    l.truncate(3);
    write_lines(&log, &l);
    std::fs::write(
        log.sidecar(".head"),
        Head {
            count: 3,
            last: digest(l[2].as_bytes()),
            keyed: true,
        }
        .to_fixed(),
    )
    .unwrap();
    let plain = log.verify().unwrap();
    assert!(
        plain
            .iter()
            .any(|b| b.what.contains("the key is at record 6")),
        "{plain:?}"
    );
    assert!(!verify_keyed(&log, &k0).is_empty());
    let err = log
        .append(&[entry("x", true)], "2026-11-24T10:00:00Z")
        .unwrap_err();
    assert!(err.to_string().contains("appending refused"), "{err}");
    // Deleting the key file does not help.
    std::fs::remove_file(log.key_path()).unwrap();
    assert!(
        log.verify()
            .unwrap()
            .iter()
            .any(|b| b.what.contains("key file is missing")),
    );
    assert!(
        log.append(&[entry("x", true)], "2026-11-24T10:00:00Z")
            .is_err()
    );
}

/// What a user with write access to the log's directory and the current key file can
/// do to one record of a keyed log, after which they rebuild the chain and the head
/// the way the unkeyed chain lets them.
#[derive(Debug, Clone)]
enum Tamper {
    Edit(usize),
    Drop(usize),
    Swap(usize, usize),
    Truncate(usize),
}

#[derive(Debug, Clone, Copy)]
enum Macs {
    /// Leave each record's MAC as it was.
    Keep,
    /// Remove the MACs.
    Strip,
    /// MAC every record with the key the key file holds (the only one they have).
    WithStolenKey,
}

#[derive(Debug, Clone, Copy)]
enum KeyFile {
    Keep,
    Delete,
    /// Renumber the stolen key to the record after the new end (the bytes cannot be
    /// wound back), with a fresh check value.
    Renumber,
}

fn tamper(log: &Log, t: &Tamper, macs: Macs, keyfile: KeyFile) {
    let mut records: Vec<Record> = log.records().unwrap();
    match *t {
        Tamper::Edit(i) => {
            records[i].tier = if records[i].tier == 1 { 4 } else { 1 };
            records[i].decision = "allow".into();
        }
        Tamper::Drop(i) => {
            records.remove(i);
        }
        Tamper::Swap(i, j) => records.swap(i, j),
        Tamper::Truncate(m) => records.truncate(m),
    }
    let stolen = key::KeyState::parse(&std::fs::read(log.key_path()).unwrap()).unwrap();
    let mut prev = GENESIS.to_string();
    let mut lines = Vec::new();
    for (i, r) in records.iter_mut().enumerate() {
        r.seq = i as u64 + 1;
        r.prev = prev.clone();
        let old = r.mac.take();
        r.mac = match macs {
            Macs::Keep => old,
            Macs::Strip => None,
            Macs::WithStolenKey => {
                let body = serde_json::to_string(&*r).unwrap();
                Some(key::mac(&stolen.key, body.as_bytes()))
            }
        };
        let line = serde_json::to_string(&*r).unwrap();
        prev = digest(line.as_bytes());
        lines.push(line);
    }
    write_lines(log, &lines);
    std::fs::write(
        log.sidecar(".head"),
        Head {
            count: lines.len() as u64,
            last: prev,
            keyed: true,
        }
        .to_fixed(),
    )
    .unwrap();
    match keyfile {
        KeyFile::Keep => {}
        KeyFile::Delete => std::fs::remove_file(log.key_path()).unwrap(),
        KeyFile::Renumber => std::fs::write(
            log.key_path(),
            key::KeyState {
                seq: lines.len() as u64 + 1,
                key: stolen.key,
            }
            .to_fixed(),
        )
        .unwrap(),
    }
}

mod keyed_properties {
    use super::*;
    use proptest::prelude::*;

    fn case() -> impl Strategy<Value = (usize, Tamper, Macs, KeyFile)> {
        (2usize..9).prop_flat_map(|n| {
            let t = prop_oneof![
                (0..n).prop_map(Tamper::Edit),
                (0..n).prop_map(Tamper::Drop),
                (0..n, 0..n)
                    .prop_filter("two records", |(i, j)| i != j)
                    .prop_map(|(i, j)| Tamper::Swap(i, j)),
                (0..n).prop_map(Tamper::Truncate),
            ];
            let m = prop_oneof![
                Just(Macs::Keep),
                Just(Macs::Strip),
                Just(Macs::WithStolenKey)
            ];
            let k = prop_oneof![
                Just(KeyFile::Keep),
                Just(KeyFile::Delete),
                Just(KeyFile::Renumber)
            ];
            (Just(n), t, m, k)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Any single-record edit, drop, reorder or truncation of a keyed log, the
        /// chain and head rebuilt, the MACs kept, stripped or redone with the stolen
        /// key, the key file kept, deleted or renumbered: verify with the verifier key
        /// reports it.
        #[test]
        fn any_single_record_change_to_a_keyed_log_is_detected(
            (n, t, macs, keyfile) in case()
        ) {
            let (_d, log, k0) = keyed_log_with(n);
            tamper(&log, &t, macs, keyfile);
            let b = verify_keyed(&log, &k0);
            prop_assert!(!b.is_empty(), "{t:?} {macs:?} {keyfile:?} went unseen");
        }
    }
}
