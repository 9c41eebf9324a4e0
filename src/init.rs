//! `tiergate init`: the starter files that put a repository under the gate — a
//! commented `tiergate.yaml`, a pre-commit entry, a GitHub Actions workflow and a GitLab
//! CI job. Nothing is overwritten without `--force`: every target is checked first, and
//! if any exists nothing at all is written. Values that come from the command line
//! (a URL, a revision, an install command) are written as quoted YAML scalars, so no
//! input can change the files' structure.

use std::path::PathBuf;

use crate::app::{EXIT_OK, Failure, Io, Result, write_atomic};
use crate::cli::InitArgs;
use crate::walk::Repo;

/// Where each file goes, relative to the repository top.
pub const CONFIG: &str = "tiergate.yaml";
pub const PRE_COMMIT: &str = ".pre-commit-config.yaml";
pub const GITHUB_WORKFLOW: &str = ".github/workflows/tiergate.yml";
pub const GITLAB_JOB: &str = ".gitlab/tiergate.gitlab-ci.yml";

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The starter config: the built-in defaults spelled out, one example rule, the gate.
pub fn config_template() -> String {
    "\
# tiergate configuration. Every key is optional; the values below are the built-in
# defaults written out so they can be reviewed and changed. Reference: README.md,
# \"Configuration: tiergate.yaml\" and \"The gate\".
version: 1

# Tier of a file no rule speaks about.
default_tier: 3

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
"
    .to_string()
}

/// The hooks, as shipped in `.pre-commit-hooks.yaml`: regenerate the manifest, then
/// gate the staged change.
const HOOKS: [(&str, &str, &str); 2] = [
    ("tiergate-manifest", "tiergate manifest", "tiergate scan"),
    (
        "tiergate",
        "tiergate gate (staged)",
        "tiergate check --staged",
    ),
];

pub fn pre_commit_template(repo: Option<&str>, rev: Option<&str>) -> String {
    let mut out = String::from(
        "# tiergate hooks: the first regenerates tiergate.manifest.json (stage the new file\n\
         # when it changes), the second gates the staged change. See README.md, \"Pre-commit\".\n\
         repos:\n",
    );
    match repo {
        Some(url) => {
            let rev = rev.map_or_else(|| format!("v{VERSION}"), str::to_string);
            out.push_str(&format!(
                "  - repo: {}\n    rev: {}\n    hooks:\n",
                q(url),
                q(&rev)
            ));
            for (id, _, _) in HOOKS {
                out.push_str(&format!("      - id: {id}\n"));
            }
        }
        None => {
            out.push_str("  - repo: local\n    hooks:\n");
            for (id, name, entry) in HOOKS {
                out.push_str(&format!(
                    "      - id: {id}\n        name: {}\n        entry: {entry}\n        language: system\n        pass_filenames: false\n        always_run: true\n        require_serial: true\n",
                    q(name)
                ));
            }
        }
    }
    out
}

fn default_install() -> String {
    format!("cargo install --locked tiergate --version ={VERSION}")
}

pub fn github_template(install: &str) -> String {
    format!(
        "\
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
      BASE_REF: ${{{{ github.base_ref }}}}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Install tiergate
        run: {install}
      - name: Gate the pull request
        run: tiergate check --base \"origin/$BASE_REF\" --format github --sarif tiergate.sarif --junit tiergate-junit.xml
      - name: Tier changes
        if: always()
        run: tiergate diff --base \"origin/$BASE_REF\" --format md >> \"$GITHUB_STEP_SUMMARY\"
      - name: Upload SARIF
        if: always() && hashFiles('tiergate.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: tiergate.sarif
          category: tiergate
",
        install = q(install)
    )
}

pub fn gitlab_template(install: &str) -> String {
    format!(
        "\
# tiergate: gate every merge request. Include it from .gitlab-ci.yml:
#   include:
#     - local: {GITLAB_JOB}
tiergate:
  stage: test
  image: rust:latest
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
  variables:
    GIT_DEPTH: \"0\"
  script:
    - {install}
    - git fetch origin \"$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"
    - tiergate check --base \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\" --junit tiergate-junit.xml
    - tiergate diff --base \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\" --format md
  artifacts:
    when: always
    reports:
      junit: tiergate-junit.xml
",
        install = q(install)
    )
}

/// The files `init` writes, in order, with their contents.
pub fn plan(args: &InitArgs) -> Vec<(&'static str, String)> {
    let install = args.install.clone().unwrap_or_else(default_install);
    vec![
        (CONFIG, config_template()),
        (
            PRE_COMMIT,
            pre_commit_template(args.pre_commit_repo.as_deref(), args.rev.as_deref()),
        ),
        (GITHUB_WORKFLOW, github_template(&install)),
        (GITLAB_JOB, gitlab_template(&install)),
    ]
}

pub fn run(args: &InitArgs, io: &mut Io<'_>) -> Result<u8> {
    let root: PathBuf = match &args.dir {
        Some(d) => io.cwd.join(d),
        None => Repo::default_root(&io.cwd)?,
    };
    if !root.is_dir() {
        return Err(Failure::Other(anyhow::anyhow!(
            "{}: not a directory",
            root.display()
        )));
    }
    let files = plan(args);
    let existing: Vec<&str> = files
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| std::fs::symlink_metadata(root.join(p)).is_ok())
        .collect();
    if !existing.is_empty() && !args.force {
        return Err(Failure::Other(anyhow::anyhow!(
            "{} already exist{} in {}; nothing was written (use --force to replace)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            root.display()
        )));
    }
    for (rel, text) in &files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| anyhow::anyhow!("{}: {e}", parent.display()))?;
        }
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
        writeln!(io.out, "wrote {rel}")?;
    }
    writeln!(
        io.out,
        "\nnext: review {CONFIG}; run `tiergate scan` and commit tiergate.manifest.json with these files;\n\
         `pre-commit install` turns the hooks on; add `include: [{{local: {GITLAB_JOB}}}]` to .gitlab-ci.yml for GitLab."
    )?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_loads_and_spells_out_the_defaults() {
        let c = crate::config::parse_str(&config_template(), CONFIG).expect("loads");
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
        for text in [
            github_template(hostile),
            gitlab_template(hostile),
            pre_commit_template(Some(hostile), Some(hostile)),
        ] {
            let v: serde_json::Value = serde_saphyr::from_str(&text).expect("still YAML");
            assert!(!text.contains("\n  evil: true"), "{text}");
            assert!(v.to_string().contains("evil"), "the value is kept, quoted");
        }
    }
}
