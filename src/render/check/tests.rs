use super::*;
use crate::gate::{Status, TierName};

fn tiers() -> Vec<TierName> {
    [
        (1, "restricted"),
        (2, "confidential"),
        (3, "internal"),
        (4, "public"),
    ]
    .into_iter()
    .map(|(id, name)| TierName {
        id,
        name: name.into(),
    })
    .collect()
}

fn verdict(code: Code, path: Option<&str>, fails: bool) -> Verdict {
    Verdict {
        code,
        path: path.map(str::to_string),
        old_path: None,
        line: None,
        old_tier: None,
        new_tier: None,
        rule: None,
        message: format!("{code} message"),
        fails,
    }
}

fn change(path: &str, old: Option<TierId>, new: Option<TierId>) -> TierChange {
    TierChange {
        path: path.into(),
        old_path: None,
        status: match (old, new) {
            (None, _) => Status::Added,
            (_, None) => Status::Deleted,
            _ => Status::Modified,
        },
        old_tier: old,
        new_tier: new,
        direction: TierChange::direction_of(old, new),
        rule: Some("glob-rule".into()),
    }
}

fn report(verdicts: Vec<Verdict>, changes: Vec<TierChange>) -> Report {
    Report {
        mode: Mode::Range {
            base_ref: "origin/main".into(),
            base: "b".repeat(40),
            head_ref: "HEAD".into(),
            head: "0123456789abcdef0123456789abcdef01234567".into(),
            merge_base: "fedcba9876543210fedcba9876543210fedcba98".into(),
        },
        judged_with: "origin/main".into(),
        manifest: "tiergate.manifest.json".into(),
        tiers: tiers(),
        fail_on: Code::default_fail_on(),
        changed_paths: 7,
        verdicts,
        changes,
    }
}

/// Every code, failing and not, with the awkward paths.
fn full() -> Report {
    let mut lowered = verdict(Code::TierLowered, Some("new dir/a#b%c.rs"), true);
    lowered.old_path = Some("secret/a.rs".into());
    lowered.old_tier = Some(1);
    lowered.new_tier = Some(3);
    lowered.rule = Some("glob:secret/**".into());
    let mut restricted = verdict(Code::NewRestricted, Some("données/clé.pem"), false);
    restricted.new_tier = Some(1);
    restricted.line = Some(3);
    let mut violation = verdict(Code::Violation, Some("a|b`c.txt"), true);
    violation.line = Some(12);
    violation.message = "line one\nline two, with: colon 100%".into();
    violation.rule = Some("aws-key".into());
    report(
        vec![
            verdict(Code::StaleManifest, None, true),
            lowered,
            restricted,
            verdict(Code::PolicyChange, Some("tiergate.yaml"), false),
            violation,
            verdict(Code::Violation, Some("ok.txt"), false),
        ],
        vec![],
    )
}

#[test]
fn levels_follow_the_documented_scheme() {
    for code in Code::ALL {
        assert_eq!(level_of(code, true), Level::Error);
    }
    assert_eq!(level_of(Code::StaleManifest, false), Level::Warning);
    assert_eq!(level_of(Code::TierLowered, false), Level::Warning);
    assert_eq!(level_of(Code::Violation, false), Level::Warning);
    assert_eq!(level_of(Code::NewRestricted, false), Level::Note);
    assert_eq!(level_of(Code::PolicyChange, false), Level::Note);
}

#[test]
fn text_groups_by_code_and_marks_levels() {
    let r = full();
    let t = check_text(&r, false);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(
        lines[0],
        "tiergate: checking HEAD (0123456) against merge base fedcba9 with origin/main, judged with origin/main"
    );
    let codes: Vec<&str> = lines[1..lines.len() - 1]
        .iter()
        .filter(|l| !l.starts_with("fix "))
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "stale-manifest",
            "tier-lowered",
            "new-restricted",
            "policy-change",
            "violation",
            "violation"
        ]
    );
    assert!(lines[1].starts_with("error    stale-manifest  (whole change)  "));
    assert!(lines[2].contains(
        "new dir/a#b%c.rs (from secret/a.rs)  tier-lowered message (tier 1 restricted → 3 internal; rule glob:secret/**)"
    ));
    assert!(lines[3].starts_with("note     new-restricted  données/clé.pem:3  "));
    assert!(lines[4].starts_with("note     policy-change"));
    // The newline of the message must not start a forged line.
    assert!(
        lines[5].contains("a|b`c.txt:12  line one\\nline two"),
        "{}",
        lines[5]
    );
    assert!(lines[6].starts_with("warning  violation"));
    assert_eq!(
        *lines.last().unwrap(),
        "tiergate: 7 changed paths checked; 6 verdicts (3 failing); gate FAILED"
    );
    assert!(!t.contains('\u{1b}'));
}

#[test]
fn text_colours_only_when_asked() {
    let r = full();
    let t = check_text(&r, true);
    assert!(t.contains(&AnsiColor::Red.on_default().bold().render().to_string()));
    assert!(t.contains(&AnsiColor::Yellow.on_default().render().to_string()));
    assert!(t.contains(&Style::new().dimmed().render().to_string()));
}

#[test]
fn text_header_per_mode_and_passing_summary() {
    let mut r = report(vec![], vec![]);
    r.mode = Mode::Worktree;
    r.judged_with = "working tree".into();
    let t = check_text(&r, false);
    assert_eq!(
        t,
        "tiergate: checking working tree against tiergate.manifest.json, judged with working tree\n\
         tiergate: 7 changed paths checked; 0 verdicts (0 failing); gate passed\n"
    );
    r.mode = Mode::Staged {
        head: Some("abcdef0123".into()),
    };
    assert!(
        check_text(&r, false).starts_with("tiergate: checking staged changes vs HEAD abcdef0,")
    );
    r.mode = Mode::Staged { head: None };
    assert!(check_text(&r, false).contains("repository without commits"));
}

#[test]
fn text_escapes_control_and_bidi_characters_in_paths() {
    let mut v = verdict(Code::Violation, Some("evil\n\u{1b}[31mx\u{202e}.rs"), true);
    v.message = "m".into();
    let t = check_text(&report(vec![v], vec![]), false);
    assert!(t.contains("evil\\n\\u{1b}[31mx\\u{202e}.rs"), "{t}");
    assert!(!t.contains('\u{1b}'));
    // The verdict, the next step, the summary.
    assert_eq!(t.lines().count(), 4);
    assert!(
        t.lines().nth(2).unwrap().starts_with("fix violation"),
        "{t}"
    );
}

#[test]
fn tier_without_a_name_shows_its_number_once() {
    let mut r = report(vec![], vec![]);
    r.tiers.clear();
    assert_eq!(tier_label(&r, 2), "2");
    assert_eq!(tier_label(&full(), 2), "2 confidential");
    assert_eq!(
        tiers_text(&full(), Some(1), None).as_deref(),
        Some("was tier 1 restricted")
    );
}

#[test]
fn json_has_failed_and_schema_version_and_is_deterministic() {
    let r = full();
    let j = check_json(&r);
    assert_eq!(j, check_json(&r));
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["failed"], true);
    assert_eq!(v["verdicts"].as_array().unwrap().len(), 6);
    assert_eq!(v["mode"]["kind"], "range");
    assert_eq!(v["verdicts"][1]["old_path"], "secret/a.rs");
    assert_eq!(
        v["verdicts"][4]["message"],
        "line one\nline two, with: colon 100%"
    );
    let passing = check_json(&report(vec![], vec![]));
    assert!(passing.contains("\"failed\": false"));
}

#[test]
fn uri_encoding_follows_rfc3986() {
    assert_eq!(uri_path("src/main.rs"), "src/main.rs");
    assert_eq!(uri_path("a b/c#d?e%f"), "a%20b/c%23d%3Fe%25f");
    assert_eq!(uri_path("données/clé"), "donn%C3%A9es/cl%C3%A9");
    assert_eq!(uri_path("c:x[1]|`"), "c%3Ax%5B1%5D%7C%60");
    assert_eq!(uri_path("a+b=c@d~e"), "a+b=c@d~e");
}

#[test]
fn sarif_levels_locations_and_fingerprints() {
    let r = full();
    let s = check_sarif(&r);
    assert_eq!(s, check_sarif(&r), "deterministic");
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(v["$schema"], SARIF_SCHEMA);
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "tiergate");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver.get("informationUri").is_none());
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, Code::ALL.map(Code::as_str));
    assert_eq!(
        driver["rules"][2]["defaultConfiguration"]["level"], "note",
        "new-restricted does not fail by default"
    );
    assert_eq!(driver["rules"][1]["defaultConfiguration"]["level"], "error");

    // The stale manifest is a notification of the run, not a result.
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["associatedRule"]["id"], "stale-manifest");
    assert_eq!(notes[0]["level"], "error");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "note", "note", "error", "warning"]);
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "new%20dir/a%23b%25c.rs");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
    assert_eq!(loc["region"]["startLine"], 1, "no line: the file's first");
    let loc = &results[3]["locations"][0]["physicalLocation"];
    assert_eq!(loc["region"]["startLine"], 12);
    for (i, res) in results.iter().enumerate() {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(res["ruleId"], ids[idx], "result {i}");
        assert_eq!(
            res["partialFingerprints"]["tiergate/v1"]
                .as_str()
                .unwrap()
                .len(),
            64
        );
    }
    assert_ne!(
        results[3]["partialFingerprints"],
        results[4]["partialFingerprints"]
    );
    assert!(!s.contains("/work/"), "no absolute paths");
}

#[test]
fn fingerprint_ignores_line_and_message_but_not_rename_source() {
    let a = verdict(Code::TierLowered, Some("x"), true);
    let mut b = a.clone();
    b.line = Some(4);
    b.message = "reworded".into();
    assert_eq!(fingerprint(&a), fingerprint(&b));
    b.old_path = Some("y".into());
    assert_ne!(fingerprint(&a), fingerprint(&b));
    // Field boundaries matter: ("ab", "c") is not ("a", "bc").
    let mut c = verdict(Code::TierLowered, Some("ab"), true);
    c.old_path = Some("c".into());
    let mut d = verdict(Code::TierLowered, Some("a"), true);
    d.old_path = Some("bc".into());
    assert_ne!(fingerprint(&c), fingerprint(&d));
}

#[test]
fn github_escapes_like_the_actions_toolkit() {
    assert_eq!(gh_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
    assert_eq!(gh_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    let r = full();
    let g = check_github(&r);
    let lines: Vec<&str> = g.lines().collect();
    assert_eq!(lines.len(), 7, "{g}");
    assert!(lines[0].starts_with("::error title=tiergate stale-manifest::"));
    assert!(lines[1].starts_with("::error file=new dir/a#b%25c.rs,title=tiergate tier-lowered::"));
    assert!(lines[1].ends_with("(renamed from secret/a.rs)"));
    assert!(
        lines[2]
            .starts_with("::notice file=données/clé.pem,line=3,title=tiergate new-restricted::")
    );
    assert!(lines[4].starts_with("::error file=a|b`c.txt,line=12,title=tiergate violation::line one%0Aline two, with: colon 100%25"));
    assert!(lines[5].starts_with("::warning file=ok.txt,title="));
    assert_eq!(
        lines[6],
        "::error title=tiergate::tiergate: 7 changed paths checked; 6 verdicts (3 failing); gate FAILED"
    );
    let pass = check_github(&report(vec![], vec![]));
    assert!(pass.starts_with("::notice title=tiergate::"), "{pass}");
}

#[test]
fn github_escapes_commas_and_colons_in_file() {
    let v = verdict(Code::Violation, Some("a,b:c.txt"), true);
    let g = check_github(&report(vec![v], vec![]));
    assert!(g.starts_with("::error file=a%2Cb%3Ac.txt,title="), "{g}");
}

#[test]
fn xml_escape_escapes_and_drops_illegal_characters() {
    assert_eq!(
        xml_escape("a&b<c>d\"e'f", false),
        "a&amp;b&lt;c&gt;d&quot;e&apos;f"
    );
    assert_eq!(xml_escape("x\u{0}\u{8}\u{1b}y\u{fffe}z", false), "xyz");
    assert_eq!(xml_escape("t\tn\nr\r", false), "t\tn\nr&#13;");
    assert_eq!(xml_escape("t\tn\n", true), "t&#9;n&#10;");
}

#[test]
fn junit_has_one_case_per_code_and_counts_failures() {
    let r = full();
    let x = check_junit(&r);
    assert_eq!(x.matches("<testcase ").count(), 7);
    assert!(x.contains("<testsuite name=\"tiergate\" tests=\"7\" failures=\"3\""));
    assert_eq!(x.matches("<failure ").count(), 3);
    assert!(x.contains("a|b`c.txt:12: line one\\nline two"));
    assert!(x.contains("<system-out>warning: ok.txt: violation message</system-out>"));
    let clean = check_junit(&report(vec![], vec![]));
    assert!(clean.contains("failures=\"0\""));
    assert_eq!(clean.matches("/>").count(), 7);
}

#[test]
fn md_code_handles_backticks_and_pipes() {
    assert_eq!(md_code("a.rs"), "`a.rs`");
    assert_eq!(md_code("a|b"), "`a\\|b`");
    assert_eq!(md_code("a`b"), "``a`b``");
    assert_eq!(md_code("`a``"), "``` `a`` ```");
    assert_eq!(md_code("line\nbreak"), "`line\\nbreak`");
    assert_eq!(md_text("a|b*c"), "a\\|b\\*c");
}

fn diff_report() -> Report {
    let mut renamed = change("public/moved.rs", Some(1), Some(4));
    renamed.old_path = Some("secret/moved.rs".into());
    renamed.status = Status::Renamed;
    let mut rules = change("docs/a|b.md", Some(2), Some(1));
    rules.status = Status::Unchanged;
    let mut same = change("same.rs", Some(3), Some(3));
    same.old_path = Some("was.rs".into());
    same.status = Status::Renamed;
    let mut r = report(
        vec![verdict(Code::TierLowered, Some("public/moved.rs"), true)],
        vec![
            rules,
            change("new `tick`.rs", None, Some(1)),
            renamed,
            change("gone.rs", Some(3), None),
            same,
        ],
    );
    r.changes.sort_by(|a, b| a.path.cmp(&b.path));
    r
}

#[test]
fn markdown_sections_in_order_with_escaped_paths() {
    let m = diff_markdown(&diff_report());
    assert!(
        m.starts_with("### tiergate: tier changes\n\n1 lowered, 1 raised, 1 added, 1 removed.\n")
    );
    let pos = |s: &str| m.find(s).unwrap_or_else(|| panic!("{s} missing in\n{m}"));
    assert!(pos("#### Lowered") < pos("#### Raised"));
    assert!(pos("#### Raised") < pos("#### Added"));
    assert!(pos("#### Added") < pos("#### Removed"));
    assert!(m.contains(
        "| `secret/moved.rs` → `public/moved.rs` | 1 restricted | 4 public | `glob-rule` |"
    ));
    assert!(m.contains(
        "| `docs/a\\|b.md` | 2 confidential | 1 restricted | `glob-rule` (content unchanged) |"
    ));
    assert!(m.contains("| ``new `tick`.rs`` | — | 1 restricted |"));
    assert!(!m.contains("same.rs"), "same tier is not a tier change");
    assert!(m.ends_with("Gate: failed (1 verdict)\n"));
}

#[test]
fn markdown_omits_empty_sections_and_says_when_nothing_changed() {
    let r = report(vec![], vec![change("a.rs", None, Some(3))]);
    let m = diff_markdown(&r);
    assert!(m.contains("#### Added"));
    assert!(!m.contains("#### Lowered"));
    assert!(m.ends_with("Gate: passed\n"));
    let none = diff_markdown(&report(vec![], vec![]));
    assert_eq!(
        none,
        "### tiergate: tier changes\n\nNo path changes tier.\n\nGate: passed\n"
    );
}

#[test]
fn diff_json_groups_by_direction() {
    let r = diff_report();
    let j = diff_json(&r);
    assert_eq!(j, diff_json(&r));
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["mode"]["kind"], "range");
    assert_eq!(v["judged_with"], "origin/main");
    let keys: Vec<&String> = v["changes"].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(v["changes"]["lowered"][0]["path"], "public/moved.rs");
    assert_eq!(v["changes"]["lowered"][0]["old_path"], "secret/moved.rs");
    assert_eq!(v["changes"]["raised"][0]["path"], "docs/a|b.md");
    assert_eq!(v["changes"]["added"][0]["path"], "new `tick`.rs");
    assert_eq!(v["changes"]["removed"][0]["path"], "gone.rs");
    assert!(!j.contains("same.rs"));
    // Key order is part of the format: schema_version first.
    assert!(j.starts_with("{\n  \"schema_version\": 1,\n  \"mode\""));
}

#[test]
fn sarif_rules_link_their_codes_section_when_the_build_names_the_page() {
    let r = full();
    let page = "https://example.invalid/docs/src/reference/codes.md";
    let rule = serde_json::to_value(sarif_rule(&r, Code::TierLowered, Some(page))).unwrap();
    assert_eq!(rule["helpUri"], format!("{page}#tier-lowered"));
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("tier-lowered")
    );
    for unset in [None, Some("")] {
        let rule = serde_json::to_value(sarif_rule(&r, Code::TierLowered, unset)).unwrap();
        assert!(rule.get("helpUri").is_none(), "{rule}");
    }
}
