//! `tiergate init`: the starter files that put a repository under the gate — a
//! commented `tiergate.yaml`, a pre-commit entry, a GitHub Actions workflow and a GitLab
//! CI job.
//!
//! It never destroys what a user wrote. A missing file is written, with a first line
//! that records the digest of what was written; `--force` replaces a file only while it
//! still carries that line and matches its digest (tiergate's own, unedited). An
//! existing `.pre-commit-config.yaml` gets tiergate's hooks by a text edit that keeps
//! every byte and comment of the user's (see [`merge`]), checked by parsing the result;
//! any other existing file is kept and the text to add by hand is printed. Everything
//! is decided before anything is written: when one file cannot be handled (a
//! `.pre-commit-config.yaml` that does not parse, or whose layout the edit does not
//! know), nothing is written and the command exits 2.
//!
//! Values that come from the command line (a URL, a revision, an install command) are
//! written as quoted YAML scalars, so no input can change the files' structure.

pub mod merge;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::cli::InitArgs;
use crate::diag::{Diagnostics, Failure, Result};
use merge::{Outcome, Refusal, Style};

/// Where each file goes, relative to the repository top.
pub const CONFIG: &str = "tiergate.yaml";
pub const PRE_COMMIT: &str = ".pre-commit-config.yaml";
pub const GITHUB_WORKFLOW: &str = ".github/workflows/tiergate.yml";
pub const GITLAB_JOB: &str = ".gitlab/tiergate.gitlab-ci.yml";

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The first line of every file `init` writes: the digest of the rest of the file.
pub const MARKER: &str = "# tiergate-init: sha256=";
const MARKER_NOTE: &str =
    " (written by `tiergate init`; `init --force` replaces this file only while it is unedited)";

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `body` with the marker line in front.
pub fn stamp(body: &str) -> String {
    format!("{MARKER}{}{MARKER_NOTE}\n{body}", sha256_hex(body))
}

/// Whether `text` is a file `init` wrote and nobody edited since: its first line is the
/// marker and the digest in it is the rest's.
pub fn unedited(text: &str) -> bool {
    let Some((first, rest)) = text.split_once('\n') else {
        return false;
    };
    first
        .strip_prefix(MARKER)
        .and_then(|s| s.get(..64))
        .is_some_and(|digest| digest == sha256_hex(rest))
}

/// What the generated files install and pin, from the command line.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The git repository tiergate is published from.
    pub repo: Option<String>,
    /// The tag (or commit) of `repo` the hooks and the action are pinned to.
    pub rev: String,
    /// A shell command that installs tiergate, replacing the release or the wheel.
    pub install: Option<String>,
    /// The open-source licence the repository carries (`MIT, in LICENSE`), when it
    /// carries one: its content is published, and the starter config says so
    /// (`visibility: public`).
    pub published: Option<String>,
}

impl Setup {
    pub fn from_args(args: &InitArgs) -> Self {
        Setup {
            repo: args.repo.clone(),
            rev: args.rev.clone().unwrap_or_else(|| format!("v{VERSION}")),
            install: args.install.clone(),
            published: None,
        }
    }

    /// `OWNER/NAME` when `repo` is a github.com repository.
    pub fn github(&self) -> Option<String> {
        github_slug(self.repo.as_deref()?)
    }
}

/// `OWNER/NAME` of a github.com URL (https, ssh or scp-like, with or without `.git`).
pub fn github_slug(url: &str) -> Option<String> {
    let rest = [
        "https://github.com/",
        "http://github.com/",
        "ssh://git@github.com/",
    ]
    .iter()
    .find_map(|p| url.strip_prefix(p))
    .or_else(|| url.strip_prefix("git@github.com:"))?;
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let (owner, name) = rest.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    (ok(owner) && ok(name)).then(|| format!("{owner}/{name}"))
}

/// Licence files at a repository's top, in the order they are read.
const LICENCE_FILES: &[&str] = &[
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "LICENCE",
    "LICENCE.md",
    "LICENCE.txt",
    "COPYING",
    "COPYING.md",
    "COPYING.txt",
    "UNLICENSE",
];

/// OSI-approved licences, by a phrase of their text every copy carries.
const OSI_LICENCES: &[(&str, &str)] = &[
    ("GNU AFFERO GENERAL PUBLIC LICENSE", "AGPL"),
    ("GNU LESSER GENERAL PUBLIC LICENSE", "LGPL"),
    ("GNU GENERAL PUBLIC LICENSE", "GPL"),
    ("Apache License", "Apache-2.0"),
    ("Mozilla Public License", "MPL-2.0"),
    ("Eclipse Public License", "EPL"),
    ("Boost Software License", "BSL-1.0"),
    ("Permission is hereby granted, free of charge", "MIT"),
    ("Redistribution and use in source and binary forms", "BSD"),
    (
        "Permission to use, copy, modify, and/or distribute this software",
        "ISC",
    ),
    (
        "This is free and unencumbered software released into the public domain",
        "Unlicense",
    ),
];

/// The open-source licence of the repository at `root`, as `MIT, in LICENSE`: the first
/// licence file at its top whose first 8 KiB hold an OSI licence's phrase. Whether the
/// remote is public is not asked: init never uses the network.
pub fn published_licence(root: &Path) -> Option<String> {
    use std::io::Read;
    for name in LICENCE_FILES {
        let Ok(f) = std::fs::File::open(root.join(name)) else {
            continue;
        };
        let mut head = Vec::new();
        if f.take(8192).read_to_end(&mut head).is_err() {
            continue;
        }
        // Line breaks inside a phrase are common: compare with single spaces.
        let flat = String::from_utf8_lossy(&head)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if let Some((_, id)) = OSI_LICENCES.iter().find(|(p, _)| flat.contains(p)) {
            return Some(format!("{id}, in {name}"));
        }
    }
    None
}

/// The starter config: the built-in defaults spelled out, one example rule, the gate.
/// A published repository (`published`: its open-source licence) gets
/// `visibility: public`, and with it the default tier 4.
pub fn config_template(published: Option<&str>) -> String {
    let visibility = match published {
        Some(licence) => format!(
            "\
# The repository carries an open-source licence ({licence}): its content is published.
# Files no finding speaks about are tier 4 (public); credentials, personal data, Annex
# III candidates and zones still raise a file. Write `private` if it is not published.
visibility: public
"
        ),
        None => "\
# Tier of a file no rule speaks about. For a published repository, write
# `visibility: public` instead: files no finding speaks about are then tier 4.
default_tier: 3
"
        .to_string(),
    };
    let head = "\
# tiergate configuration. Every key is optional; the values below are the built-in
# defaults written out so they can be reviewed and changed. Reference: tiergate's
# docs/src/configuration.md and docs/src/gate.md.
version: 1

";
    let rest = "
# Lower number = more sensitive. Tier 1 never leaves the building.
tiers:
  - {id: 1, name: restricted, label: Highly Confidential}
  - {id: 2, name: confidential, label: Confidential}
  - {id: 3, name: internal, label: General}
  - {id: 4, name: public, label: Public}

# Where content may go, and the most sensitive tier each accepts.
destinations:
  - {name: local, kind: local, accepts: 1}
  - {name: cloud-zdr, kind: cloud-zdr, accepts: 3}
  - {name: cloud, kind: cloud, accepts: 4}

# Glob rules: a matching path gets at least this tier. Adapt or add your own.
rules:
  - id: secrets-directory
    globs: [\"secrets/**\"]
    tier: 1
    reason: Secret material stays on local models only

# Repository policies (Rego) live in these directories; see \"Rego contract\".
policies:
  dirs: [\".tiergate/policies\"]

# How `tiergate check` judges commits and pull requests.
gate:
  fail_on: [stale-manifest, tier-lowered, violation, exception-expired, exception-mismatch]
  committed_secrets: violation
  require: []

# False positives: a `tiergate:accept` marker on the line, or the finding's fingerprint
# in tiergate.accepted.yaml (`tiergate accept PATH --reason ...`). The gate notes each
# new one as a policy change. Set inline: false to allow the reviewed file only.
accept:
  inline: true
";
    format!("{head}{visibility}{rest}")
}

/// The hooks, as shipped in `.pre-commit-hooks.yaml`: regenerate the manifest, then
/// gate the staged change.
pub const HOOKS: [(&str, &str, &str); 2] = [
    (
        "tiergate-manifest",
        "tiergate manifest",
        "tiergate scan --stage",
    ),
    (
        "tiergate",
        "tiergate gate (staged)",
        "tiergate check --staged",
    ),
];

pub const HOOK_IDS: [&str; 2] = [HOOKS[0].0, HOOKS[1].0];

/// tiergate's `repos:` item in `style`, one line per element, for a `repos:` key at
/// column 0. With a repository, the shipped hooks pinned to its revision (pre-commit
/// installs them from the prebuilt wheel); without, local hooks that run the
/// `tiergate` on PATH.
pub fn pre_commit_item(setup: &Setup, style: Style) -> Vec<String> {
    let sp = |n: usize| " ".repeat(n);
    let key = style.item + 1 + style.gap;
    let hook_dash = key + style.hooks_offset;
    let hook_key = hook_dash + 1 + style.hooks_gap;
    let (dash, gap, hdash, hgap) = (
        sp(style.item),
        sp(style.gap),
        sp(hook_dash),
        sp(style.hooks_gap),
    );
    let mut out = vec![format!(
        "{dash}# tiergate: regenerate tiergate.manifest.json, then gate the staged change"
    )];
    match &setup.repo {
        Some(url) => {
            out.push(format!("{dash}-{gap}repo: {}", q(url)));
            out.push(format!("{}rev: {}", sp(key), q(&setup.rev)));
            out.push(format!("{}hooks:", sp(key)));
            for (id, _, _) in HOOKS {
                out.push(format!("{hdash}-{hgap}id: {id}"));
            }
        }
        None => {
            out.push(format!("{dash}-{gap}repo: local"));
            out.push(format!("{}hooks:", sp(key)));
            let k = sp(hook_key);
            for (id, name, entry) in HOOKS {
                out.push(format!("{hdash}-{hgap}id: {id}"));
                out.push(format!("{k}name: {}", q(name)));
                out.push(format!("{k}entry: {entry}"));
                out.push(format!("{k}language: system"));
                out.push(format!("{k}pass_filenames: false"));
                out.push(format!("{k}always_run: true"));
                out.push(format!("{k}require_serial: true"));
            }
        }
    }
    out
}

pub fn pre_commit_template(setup: &Setup) -> String {
    let mut out = String::from(
        "# pre-commit hooks (https://pre-commit.com). `pre-commit install` turns them on.\n\
         # tiergate's first hook regenerates tiergate.manifest.json (stage the new file when\n\
         # it changes), the second gates the staged change.\n\
         repos:\n",
    );
    for l in pre_commit_item(setup, merge::DEFAULT_STYLE) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// The workflow's gate: the pinned action (release binary, checksum, cache), or an
/// install step followed by the commands.
pub fn github_template(setup: &Setup) -> String {
    const GATE: &str = "check --base \"origin/$BASE_REF\" --format github --sarif tiergate.sarif --junit tiergate-junit.xml";
    let head = "\
# tiergate: gate every pull request. The rules that judge come from the base branch.
name: tiergate
on:
  pull_request:
permissions:
  contents: read
  security-events: write
jobs:
  gate:
    runs-on: ubuntu-latest
    env:
      BASE_REF: ${{ github.base_ref }}
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
";
    let gate = match (&setup.install, setup.github()) {
        (None, Some(slug)) => format!(
            "      # The release binary of this tiergate version: checksum verified, cached.
      - name: Install tiergate
        uses: {uses}
        with:
          version: {version}
          args: \"\"
      - name: Gate the pull request
        run: tiergate {GATE}
",
            uses = q(&format!("{slug}@{}", setup.rev)),
            version = q(VERSION),
        ),
        (None, None) => format!(
            "      # The prebuilt wheel of this tiergate version, from PyPI (pip's cache is kept).
      - uses: actions/setup-python@v6
        with:
          python-version: \"3.13\"
          cache: pip
          cache-dependency-path: {GITHUB_WORKFLOW}
      - name: Install tiergate
        run: python -m pip install {req}
      - name: Gate the pull request
        run: tiergate {GATE}
",
            req = q(&format!("tiergate=={VERSION}")),
        ),
        (Some(cmd), _) => format!(
            "      - name: Install tiergate
        run: {cmd}
      - name: Gate the pull request
        run: tiergate {GATE}
",
            cmd = q(cmd)
        ),
    };
    format!(
        "{head}{gate}      - name: Tier changes
        if: always()
        run: tiergate diff --base \"origin/$BASE_REF\" --format md >> \"$GITHUB_STEP_SUMMARY\"
      # The agents' exclusion files (tiergate.yaml `agents:`) say what the manifest says.
      - name: Agent exclusion files are current
        run: tiergate export --all --check
      - name: Upload the JUnit report
        if: always() && hashFiles('tiergate-junit.xml') != ''
        uses: actions/upload-artifact@v6
        with:
          name: tiergate-junit
          path: tiergate-junit.xml
      # Code scanning is not enabled on every repository: the upload may fail, the gate
      # has spoken already.
      - name: Upload SARIF
        if: always() && hashFiles('tiergate.sarif') != ''
        continue-on-error: true
        uses: github/codeql-action/upload-sarif@v4
        with:
          sarif_file: tiergate.sarif
          category: tiergate
"
    )
}

pub fn gitlab_template(setup: &Setup) -> String {
    let (image, variables, install) = match (&setup.install, setup.github()) {
        (None, Some(slug)) => (
            "alpine:3.22",
            format!(
                "    TIERGATE_RELEASE: {}\n",
                q(&format!(
                    "https://github.com/{slug}/releases/download/v{VERSION}"
                ))
            ),
            "    # The release binary of this tiergate version (static, musl), checksum verified.
    - apk add --no-cache git curl
    - archive=\"tiergate-$(uname -m)-unknown-linux-musl.tar.gz\"
    - curl -fsSL -o \"$archive\" \"$TIERGATE_RELEASE/$archive\"
    - curl -fsSL -o \"$archive.sha256\" \"$TIERGATE_RELEASE/$archive.sha256\"
    - sha256sum -c \"$archive.sha256\"
    - tar -xzf \"$archive\" -C /usr/local/bin tiergate
"
            .to_string(),
        ),
        (None, None) => (
            "python:3.13-alpine",
            String::new(),
            format!(
                "    # The prebuilt wheel of this tiergate version, from PyPI.
    - apk add --no-cache git
    - python -m pip install --root-user-action=ignore {}
",
                q(&format!("tiergate=={VERSION}"))
            ),
        ),
        (Some(cmd), _) => (
            // The install command is the user's: an image with a Rust toolchain and git
            // fits the usual `cargo install`; change it to what the command needs.
            "rust:latest",
            String::new(),
            format!("    - {}\n", q(cmd)),
        ),
    };
    format!(
        "\
# tiergate: gate every merge request. Include it from .gitlab-ci.yml:
#   include:
#     - local: {GITLAB_JOB}
tiergate:
  stage: test
  image: {image}
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
  variables:
    GIT_DEPTH: \"0\"
{variables}  before_script:
{install}  script:
    - git fetch origin \"$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"
    - tiergate check --base \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\" --junit tiergate-junit.xml
    - tiergate diff --base \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\" --format md
  artifacts:
    when: always
    reports:
      junit: tiergate-junit.xml
"
    )
}

/// The files `init` writes when none exists, in order, with their contents (marker
/// line included).
pub fn plan(setup: &Setup) -> Vec<(&'static str, String)> {
    vec![
        (CONFIG, stamp(&config_template(setup.published.as_deref()))),
        (PRE_COMMIT, stamp(&pre_commit_template(setup))),
        (GITHUB_WORKFLOW, stamp(&github_template(setup))),
        (GITLAB_JOB, stamp(&gitlab_template(setup))),
    ]
}

/// What happens to one file.
pub(crate) enum Action {
    Write(String),
    Replace(String),
    Merge(String),
    /// Left as it is: why, and the text to add by hand (if any).
    Keep(String, Option<String>),
}

/// The tiergate item for a user's pre-commit config, as a snippet to add by hand.
fn pre_commit_snippet(setup: &Setup) -> String {
    let mut s = String::new();
    for l in pre_commit_item(setup, merge::DEFAULT_STYLE) {
        s.push_str(&l);
        s.push('\n');
    }
    s
}

/// Decide what to do with the existing `.pre-commit-config.yaml` text.
fn merge_pre_commit(text: &str, setup: &Setup) -> Result<Action> {
    let before = crate::config::parse_yaml_value(text, PRE_COMMIT)
        .map_err(|d| Failure::Diagnostics(Diagnostics(vec![d])))?;
    let refuse = |why: &str| {
        Failure::Other(anyhow::anyhow!(
            "{PRE_COMMIT}: the tiergate hooks cannot be added by an edit that keeps the \
             file as it is: {why}. Nothing was written. Add this item to its `repos:` list \
             by hand:\n\n{}",
            pre_commit_snippet(setup)
        ))
    };
    let outcome = merge::add_item(text, &before, &HOOK_IDS, |style| {
        pre_commit_item(setup, style)
    });
    match outcome {
        Ok(Outcome::Present) => Ok(Action::Keep(
            "it lists the tiergate hooks already".into(),
            None,
        )),
        Err(Refusal::Partial { present }) => Ok(Action::Keep(
            format!(
                "it lists {} but not every tiergate hook; list the rest in the same item",
                present.join(", ")
            ),
            Some(pre_commit_snippet(setup)),
        )),
        Err(Refusal::Layout(why)) => Err(refuse(&why)),
        Ok(Outcome::Added(after_text)) => {
            let after = crate::config::parse_yaml_value(&after_text, PRE_COMMIT)
                .map_err(|d| refuse(&format!("the edited file does not parse ({d})")))?;
            let expected = crate::config::parse_yaml_value(
                &format!("repos:\n{}", pre_commit_snippet(setup)),
                "snippet",
            )
            .map_err(|d| anyhow::anyhow!("tiergate's own snippet does not parse: {d}"))?;
            let expected = expected["repos"][0].clone();
            merge::verify(&before, &after, &expected)
                .map_err(|why| refuse(&format!("the edited file did not read back: {why}")))?;
            Ok(Action::Merge(after_text))
        }
    }
}

pub(crate) fn decide(
    root: &Path,
    rel: &str,
    fresh: &str,
    setup: &Setup,
    force: bool,
) -> Result<Action> {
    let path = root.join(rel);
    let meta = match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Action::Write(fresh.to_string()));
        }
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display()).into()),
        Ok(m) => m,
    };
    // The text to add by hand: tiergate's item of a pre-commit config, a whole CI file
    // (without its marker), nothing for the config (the user's is the user's).
    let snippet = || match rel {
        PRE_COMMIT => Some(pre_commit_snippet(setup)),
        CONFIG => None,
        _ => Some(fresh.split_once('\n').map_or(fresh, |(_, b)| b).to_string()),
    };
    if !meta.is_file() {
        return Ok(Action::Keep(
            "it is not a regular file (a link or a directory): not edited".into(),
            snippet(),
        ));
    }
    let text = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let text = String::from_utf8(text)
        .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text; nothing was written", path.display()))?;
    if text == fresh {
        return Ok(Action::Keep("it is up to date".into(), None));
    }
    if unedited(&text) {
        if force {
            return Ok(Action::Replace(fresh.to_string()));
        }
        if rel != PRE_COMMIT {
            return Ok(Action::Keep(
                "an earlier `tiergate init` wrote it and it is unedited: `--force` replaces it"
                    .into(),
                None,
            ));
        }
    }
    if rel == PRE_COMMIT {
        return merge_pre_commit(&text, setup);
    }
    if rel == CONFIG {
        return Ok(Action::Keep("it is yours".into(), None));
    }
    Ok(Action::Keep(
        "it is yours (or edited since `tiergate init` wrote it): compare it with this".into(),
        snippet(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(repo: Option<&str>, install: Option<&str>) -> Setup {
        Setup {
            repo: repo.map(str::to_string),
            rev: format!("v{VERSION}"),
            install: install.map(str::to_string),
            published: None,
        }
    }

    #[test]
    fn a_published_repository_s_starter_config_says_so_and_loads() {
        let text = stamp(&config_template(Some("MIT, in LICENSE")));
        assert!(text.contains("\nvisibility: public\n"), "{text}");
        assert!(!text.contains("\ndefault_tier:"), "{text}");
        assert!(text.contains("(MIT, in LICENSE)"), "{text}");
        let c = crate::config::parse_str(&text, CONFIG).expect("loads");
        assert_eq!(c.visibility, crate::config::Visibility::Public);
        assert_eq!(c.default_tier, 4);
        let private = stamp(&config_template(None));
        assert!(
            private.contains("\n# `visibility: public` instead"),
            "{private}"
        );
    }

    #[test]
    fn an_open_source_licence_is_known_by_its_text_and_anything_else_is_not() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(published_licence(dir.path()), None);
        std::fs::write(
            dir.path().join("LICENSE"),
            "Copyright (c) 2026 Acme. All rights reserved.\n",
        )
        .unwrap();
        assert_eq!(published_licence(dir.path()), None, "a proprietary notice");
        std::fs::write(
            dir.path().join("COPYING"),
            "MIT License\n\nPermission is hereby granted, free of\ncharge, to any person\n",
        )
        .unwrap();
        assert_eq!(
            published_licence(dir.path()).as_deref(),
            Some("MIT, in COPYING")
        );
        std::fs::write(
            dir.path().join("LICENSE"),
            "                                 Apache License\n                           Version 2.0, January 2004\n",
        )
        .unwrap();
        assert_eq!(
            published_licence(dir.path()).as_deref(),
            Some("Apache-2.0, in LICENSE")
        );
    }

    #[test]
    fn the_starter_config_loads_and_spells_out_the_defaults() {
        let c = crate::config::parse_str(&stamp(&config_template(None)), CONFIG).expect("loads");
        let d = crate::config::defaults();
        assert_eq!(c.tiers, d.tiers);
        assert_eq!(c.destinations, d.destinations);
        assert_eq!(c.default_tier, d.default_tier);
        assert_eq!(c.gate, d.gate);
        assert_eq!(c.rules.len(), 1);
    }

    #[test]
    fn command_line_values_cannot_break_the_yaml() {
        let hostile = "x\"\n  evil: true\n# ";
        let gh = "https://github.com/o/n";
        for s in [setup(Some(hostile), Some(hostile)), setup(Some(gh), None)] {
            let s = Setup {
                rev: hostile.into(),
                ..s
            };
            let mut values = String::new();
            for text in [
                github_template(&s),
                gitlab_template(&s),
                pre_commit_template(&s),
            ] {
                let v: serde_json::Value = serde_saphyr::from_str(&text).expect("still YAML");
                assert!(!text.contains("\n  evil: true"), "{text}");
                values.push_str(&v.to_string());
            }
            // The values are kept whole (the rev at least twice: hooks and action).
            assert!(values.matches("evil").count() >= 2, "{values}");
        }
    }

    #[test]
    fn the_marker_tells_an_unedited_file_from_an_edited_one() {
        let text = stamp("a: 1\n");
        assert!(unedited(&text));
        assert!(!unedited(&text.replace("a: 1", "a: 2")));
        assert!(!unedited(&format!("{text}# mine\n")));
        assert!(!unedited("a: 1\n"));
        assert!(!unedited(&format!("{MARKER}0000\na: 1\n")));
    }

    #[test]
    fn github_urls_give_the_action_repository() {
        for url in [
            "https://github.com/acme/tiergate",
            "https://github.com/acme/tiergate.git",
            "https://github.com/acme/tiergate/",
            "git@github.com:acme/tiergate.git",
            "ssh://git@github.com/acme/tiergate.git",
        ] {
            assert_eq!(github_slug(url).as_deref(), Some("acme/tiergate"), "{url}");
        }
        for url in [
            "https://git.example.org/acme/tiergate",
            "https://github.com/acme",
            "https://github.com/acme/tier gate",
            "https://github.com/acme/tiergate/tree/main",
            "https://github.com/../x",
        ] {
            assert_eq!(github_slug(url), None, "{url}");
        }
    }
}
