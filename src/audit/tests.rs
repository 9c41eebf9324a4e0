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
