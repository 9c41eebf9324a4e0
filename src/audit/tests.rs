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
