//! The `check` and `diff` renderers through the public API on one representative report:
//! snapshots of the human and CI formats, and the JUnit XML read back by a real parser.

mod report_fixture;

use tiergate::render::check::{check_github, check_junit, check_text, diff_markdown};

#[test]
fn check_text_snapshot() {
    insta::assert_snapshot!("check_text", check_text(&report_fixture::report(), false));
}

#[test]
fn check_github_snapshot() {
    insta::assert_snapshot!("check_github", check_github(&report_fixture::report()));
}

#[test]
fn diff_markdown_snapshot() {
    insta::assert_snapshot!("diff_markdown", diff_markdown(&report_fixture::report()));
}

fn testcases<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect()
}

#[test]
fn junit_parses_with_correct_counts() {
    let xml = check_junit(&report_fixture::report());
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.attribute("name"), Some("tiergate"));
    let cases = testcases(&doc);
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        names,
        [
            "stale-manifest",
            "tier-lowered",
            "new-restricted",
            "policy-change",
            "violation",
            "exception-expired",
            "exception-mismatch"
        ]
    );
    assert!(
        cases
            .iter()
            .all(|c| c.attribute("classname") == Some("tiergate"))
    );
    let failing: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failing, ["stale-manifest", "tier-lowered", "violation"]);
    for node in [root, suite] {
        assert_eq!(node.attribute("tests"), Some("7"));
        assert_eq!(node.attribute("failures"), Some("3"));
    }
    for c in &cases {
        if let Some(f) = c.children().find(|n| n.has_tag_name("failure")) {
            assert_eq!(f.attribute("type"), c.attribute("name"));
        }
    }
}

#[test]
fn junit_escapes_paths_and_messages() {
    let xml = check_junit(&report_fixture::report());
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let violation = testcases(&doc)
        .into_iter()
        .find(|c| c.attribute("name") == Some("violation"))
        .unwrap();
    let failure = violation
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    // Exactly one failing violation, on one line, with its characters intact.
    assert_eq!(
        failure.text(),
        Some(
            "ops/a|b `x`.env:7: AWS access key committed\\nrotate it, then remove it: history keeps it (tier 1 restricted; rule aws-access-key)"
        )
    );
    let out = violation
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .unwrap();
    assert_eq!(
        out.text(),
        Some(
            "warning: README.md: requirement docs-public: README.md should be tier 4 (tier 3 internal; rule docs-public)"
        )
    );
}

#[test]
fn junit_survives_markup_and_illegal_characters() {
    let mut r = report_fixture::report();
    r.verdicts[0].path = Some("<a href=\"x\">&'b'</a>\u{1}.txt".into());
    r.verdicts[0].message = "]]> <!-- \u{0}\u{b}".into();
    let xml = check_junit(&r);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let failure = testcases(&doc)[0]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    let text = failure.text().unwrap();
    assert!(
        text.starts_with("<a href=\"x\">&'b'</a>\\u{1}.txt: ]]> <!-- \\u{0}\\u{b}"),
        "{text}"
    );
}
