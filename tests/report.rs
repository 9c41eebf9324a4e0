//! `tiergate report` on fixtures/report (tier-1 files in two directories, an Annex III
//! 4(a) candidate, shareable files, exceptions active, expiring, expired, pending and
//! blob-bound): the Markdown snapshot, the HTML's structure (parsed as XML), `--since`
//! with a manifest file and with a git ref, determinism, that no matched text reaches
//! either format, errors, and a headless Chromium render of the HTML.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture, git, run, tool_available};

/// Every run is judged on this day, so nothing depends on the clock.
const TODAY: &str = "2026-12-01";

/// A path that needs escaping in Markdown and in HTML (`<`, `&`, quotes, `|`, backticks).
const AWKWARD: &str = "hr/<q>&\"x\" 'y'|`z`.md";

/// A token-shaped string, built at run time so no credential literal sits in the tree.
fn token() -> String {
    format!("ghp_{}", "Zq8mN3vL5xR7tY2wB9cK4hJ6pD1sF03TUU45")
}

/// The fixture, with the awkward path and a file holding the token, committed.
fn repo() -> tempfile::TempDir {
    let dir = fixture("report");
    let p = dir.path();
    std::fs::write(p.join(AWKWARD), "# notes\n").unwrap();
    std::fs::write(
        p.join("ops/deploy.sh"),
        format!("#!/bin/sh\nexport GITHUB_TOKEN={}\n", token()),
    )
    .unwrap();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "fixture"]);
    dir
}

fn report(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["--today", TODAY, "report"];
    args.extend_from_slice(extra);
    let r = run(dir, &args);
    assert_eq!(r.code, 0, "report {extra:?} failed: {}", r.stderr);
    r.stdout
}

/// Digests and the version change whenever a policy or the crate does; the snapshot is
/// about the document.
fn redact(text: &str) -> String {
    let digests = regex::Regex::new("sha256:[0-9a-f]{64}").unwrap();
    digests.replace_all(text, "sha256:[digest]").replace(
        &format!("tiergate {}", env!("CARGO_PKG_VERSION")),
        "tiergate [version]",
    )
}

#[test]
fn markdown_report() {
    let dir = repo();
    let md = report(dir.path(), &[]);
    // The facts the snapshot must show, asserted on their own so a careless snapshot
    // update cannot lose them.
    for want in [
        "| `hr/reviews/q3.md` | 46 B | `glob-rule` | `hr-data` | `tiergate.yaml:4` | HR records are personal data |",
        "| `ops/.env` |",
        "### 4(a) recruitment and selection: candidate",
        "| 2026-08-02 | in force for 4 months |",
        "| 2027-12-02 | in 12 months | deferral reported, to be confirmed",
        "| `EXC-7` | active | `docs/public-faq.md` | 4 public | legal@example.com | 2026-11-01 | 2027-05-01 |",
        "| `EXC-9` | active, expires within 30 days (in 19 days) |",
        "| `EXC-3` | expired |",
        "| `EXC-12` | pending |",
        "| `EXC-7` | `docs/public-faq.md` | — |",
        "| `EXC-11` | — | `docs/guide.md` |",
        "| `cloud` | cloud | tier 4 and above | 1 |",
        // `|` is escaped inside the code span, backticks get a longer fence.
        "| ``hr/<q>&\"x\" 'y'\\|`z`.md`` |",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    assert!(
        md.contains("`annex3.4a.resume_parser_import` at `screening/rank_candidates.py:3`"),
        "{md}"
    );
    insta::assert_snapshot!("report_markdown", redact(&md));
}

fn attr_values<'a>(doc: &'a roxmltree::Document<'a>, name: &str) -> Vec<&'a str> {
    doc.descendants()
        .filter_map(|n| n.attribute(name))
        .collect()
}

fn elements<'a, 'i>(doc: &'a roxmltree::Document<'i>, tag: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == tag)
        .collect()
}

#[test]
fn html_is_self_contained_well_formed_and_escaped() {
    let dir = repo();
    let html = report(dir.path(), &["--format", "html"]);
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed ({e}):\n{html}"));
    // Self-contained: nothing to fetch.
    assert!(elements(&doc, "link").is_empty());
    assert!(elements(&doc, "img").is_empty());
    assert!(
        elements(&doc, "script").is_empty(),
        "no script, inline or not"
    );
    assert!(attr_values(&doc, "src").is_empty());
    for href in attr_values(&doc, "href") {
        assert!(href.starts_with('#'), "external link {href}");
    }
    assert!(!html.contains("url("), "no CSS url()");
    assert!(!html.contains("@import"));
    let style = elements(&doc, "style")[0].text().unwrap();
    assert!(style.contains("@media print"), "{style}");
    // One bar per tier, each with a text label.
    let svg = elements(&doc, "svg");
    assert_eq!(svg.len(), 1);
    let bars: Vec<_> = svg[0]
        .descendants()
        .filter(|n| n.tag_name().name() == "rect" && n.attribute("class") == Some("bar"))
        .collect();
    let tiers: Vec<_> = bars
        .iter()
        .map(|b| b.attribute("data-tier").unwrap())
        .collect();
    assert_eq!(tiers, ["1", "2", "3", "4"]);
    let labels: Vec<String> = svg[0]
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    assert!(labels.contains(&"1 restricted".to_string()), "{labels:?}");
    assert!(
        labels.contains(&"5 files · 246 B".to_string()),
        "{labels:?}"
    );
    // Tier 1 has 5 files in hr (the awkward one and salaries.csv), hr/reviews and ops:
    // one open <details> per directory.
    let details = elements(&doc, "details");
    let dirs: Vec<_> = details
        .iter()
        .map(|d| d.attribute("data-dir").unwrap())
        .collect();
    assert_eq!(dirs, ["hr", "hr/reviews", "ops"]);
    assert!(details.iter().all(|d| d.attribute("open").is_some()));
    // The awkward path reads back exactly as it is: escaped, not markup.
    let codes: Vec<&str> = elements(&doc, "code")
        .iter()
        .filter_map(|n| n.text())
        .collect();
    assert!(codes.contains(&AWKWARD), "{codes:?}");
    assert!(!html.contains("<q>"), "unescaped path in the HTML");
    assert!(html.contains("hr/&lt;q&gt;&amp;&quot;x&quot; &apos;y&apos;|`z`.md"));
}

#[test]
fn no_matched_text_reaches_the_report() {
    let dir = repo();
    for format in ["md", "html"] {
        let out = report(dir.path(), &["--format", format]);
        // The token's file is listed (tier 1 by a secret), its content is not.
        assert!(
            out.contains("ops/deploy.sh"),
            "{format}: token file missing"
        );
        assert!(out.contains("service-token"), "{format}: rule missing");
        assert!(!out.contains(&token()), "{format}: the token leaked");
        assert!(
            !out.contains("Zq8mN3vL5xR7"),
            "{format}: part of the token leaked"
        );
        // The Annex III evidence names signals, not the host or import it matched.
        assert!(!out.contains("greenhouse"), "{format}: matched text leaked");
        assert!(
            !out.contains("pyresparser"),
            "{format}: matched text leaked"
        );
    }
}

#[test]
fn output_is_deterministic_and_o_writes_the_same_bytes() {
    let dir = repo();
    let p = dir.path();
    for format in ["md", "html"] {
        let a = report(p, &["--format", format]);
        let b = report(p, &["--format", format, "--threads", "1"]);
        assert_eq!(a, b, "{format}: two runs differ");
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join(format!("report.{format}"));
        let r = run(
            p,
            &[
                "--today",
                TODAY,
                "report",
                "--format",
                format,
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), a);
    }
    // The report date is the only date: another day, another document.
    let later = run(p, &["--today", "2027-01-01", "report"]);
    assert_ne!(later.stdout, report(p, &[]));
    assert!(later.stdout.contains("| `EXC-9` | expired |"));
}

/// Commit the manifest, then change the repository: a lowered, a raised, an added and
/// a removed path, an Annex III flag gone, an exception added and one removed.
fn changed_repo() -> (tempfile::TempDir, String) {
    let dir = repo();
    let p = dir.path();
    let r = run(p, &["--today", TODAY, "scan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    git(p, &["add", "tiergate.manifest.json"]);
    git(p, &["commit", "-q", "-m", "manifest"]);
    let old = std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap();
    let config = std::fs::read_to_string(p.join("tiergate.yaml")).unwrap();
    let config = config.replace("globs: [\"hr/**\"]", "globs: [\"hr/*.csv\"]")
        + "  - id: src-code\n    globs: [\"src/**\"]\n    tier: 2\n    reason: Core code\n";
    std::fs::write(p.join("tiergate.yaml"), config).unwrap();
    let x = std::fs::read_to_string(p.join("tiergate.exceptions.yaml")).unwrap();
    let start = x.find("  - id: EXC-3").unwrap();
    let end = x.find("  - id: EXC-9").unwrap();
    let x = format!(
        "{}{}  - id: EXC-20\n    paths: [\"docs/new.md\"]\n    tier: 4\n    reason: Release notes\n    approver: legal@example.com\n    approved: 2026-11-15\n    expires: 2027-11-15\n",
        &x[..start],
        &x[end..]
    );
    std::fs::write(p.join("tiergate.exceptions.yaml"), x).unwrap();
    std::fs::write(p.join("docs/new.md"), "# New\n").unwrap();
    git(p, &["rm", "-q", "screening/rank_candidates.py"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "change"]);
    (dir, old)
}

fn assert_changes(md: &str) {
    let section = &md[md.find("## 6. Changes since").expect("changes section")..];
    for want in [
        "Tiers: 2 lowered, 1 raised, 1 added, 1 removed.",
        "### Lowered (less protected; needs review)",
        "| `hr/reviews/q3.md` | 1 restricted | 3 internal |",
        "| ``hr/<q>&\"x\" 'y'\\|`z`.md`` | 1 restricted | 3 internal |",
        "| `hr/handbook.md` | 3 internal | 3 internal |",
        "### Raised\n\n| Path | Before | After |\n|---|---|---|\n| `src/util.py` | 3 internal | 2 confidential |",
        "### Added\n\n| Path | Before | After |\n|---|---|---|\n| `docs/new.md` | — | 4 public |",
        "### Removed\n\n| Path | Before | After |\n|---|---|---|\n| `screening/rank_candidates.py` | 2 confidential | — |",
        "### Annex III flags that disappeared\n\n| Path | Point | Status |\n|---|---|---|\n| `screening/rank_candidates.py` | 4(a) | candidate |",
        "Exceptions added: `EXC-20`.",
        "Exceptions removed: `EXC-3`.",
    ] {
        if want.contains("hr/handbook.md") {
            // Decided by its exception before and after: not a change.
            assert!(!section.contains(want), "{section}");
            continue;
        }
        assert!(section.contains(want), "missing {want:?} in\n{section}");
    }
    assert!(
        !section.contains("Annex III flags that appeared"),
        "{section}"
    );
}

#[test]
fn since_a_manifest_file() {
    let (dir, old) = changed_repo();
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("reviewed.json");
    std::fs::write(&file, old).unwrap();
    let md = report(dir.path(), &["--since", file.to_str().unwrap()]);
    assert!(md.contains("## 6. Changes since `/"), "{md}");
    assert_changes(&md);
    let html = report(
        dir.path(),
        &["--format", "html", "--since", file.to_str().unwrap()],
    );
    assert!(html.contains("<h3 id=\"changes-lowered\">"), "{html}");
    assert!(html.contains("<code>EXC-20</code>"));
}

#[test]
fn since_a_git_ref() {
    let (dir, _) = changed_repo();
    let head1 = git(dir.path(), &["rev-parse", "HEAD~1"]);
    let md = report(dir.path(), &["--since", "HEAD~1"]);
    assert!(
        md.contains(&format!(
            "## 6. Changes since `HEAD~1 ({})`",
            &head1.trim()[..12]
        )),
        "{md}"
    );
    assert_changes(&md);
    // Against itself nothing changed.
    let same = tempfile::tempdir().unwrap();
    let m = same.path().join("now.json");
    let r = run(
        dir.path(),
        &["--today", TODAY, "scan", "-o", m.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = report(dir.path(), &["--since", m.to_str().unwrap()]);
    assert!(md.ends_with("Nothing changed.\n"), "{md}");
}

#[test]
fn since_naming_nothing_is_an_error() {
    let dir = repo();
    let p = dir.path();
    let r = run(p, &["--today", TODAY, "report", "--since", "no-such-thing"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("--since no-such-thing: neither a manifest file nor a git ref"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    // A commit without a manifest in its tree.
    let r = run(p, &["--today", TODAY, "report", "--since", "HEAD"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("has no tiergate.manifest.json"),
        "{}",
        r.stderr
    );
    // A file that is not a manifest.
    let r = run(p, &["--today", TODAY, "report", "--since", "README.md"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("README.md"), "{}", r.stderr);
    // Outside git there is no ref to read.
    let plain = fixture("report");
    let r = run(
        plain.path(),
        &["--today", TODAY, "report", "--since", "main"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not in a git repository"), "{}", r.stderr);
}

#[test]
fn a_disabled_annex_pack_is_said_so() {
    let dir = fixture("report");
    let p = dir.path();
    let config = std::fs::read_to_string(p.join("tiergate.yaml")).unwrap()
        + "policies:\n  disable: [eu_ai_act_annex_iii]\n";
    std::fs::write(p.join("tiergate.yaml"), config).unwrap();
    let md = report(p, &[]);
    assert!(
        md.contains("Not reviewed: the `eu_ai_act_annex_iii` policy pack is disabled"),
        "{md}"
    );
    assert!(!md.contains("in force for"), "{md}");
    // Outside git every file is listed, and there is no commit.
    assert!(md.contains("scope: all files on disk"), "{md}");
}

/// Render the HTML with headless Chromium and check the screenshot is a real picture.
#[test]
fn html_renders_in_headless_chromium() {
    if !tool_available("chromium") {
        return;
    }
    let dir = repo();
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("report.html");
    let png = out.path().join("report.png");
    let r = run(
        dir.path(),
        &[
            "--today",
            TODAY,
            "report",
            "--format",
            "html",
            "-o",
            page.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", out.path().join("profile").display()),
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            &format!("file://{}", page.display()),
        ])
        .output()
        .expect("chromium runs");
    assert!(
        png.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    if let Ok(keep) = std::env::var("TIERGATE_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    // IHDR: width and height, big-endian, right after the signature and chunk header.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 2000));
    // A blank page compresses to a few KB; text, tables and the chart do not.
    assert!(
        bytes.len() > 40_000,
        "screenshot looks blank ({} bytes)",
        bytes.len()
    );
}
