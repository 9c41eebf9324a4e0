//! Stable kebab-case codes of the findings tiergate itself makes. Policies add their own
//! codes; these are reserved. Each code is documented once here and reused as the
//! manifest reason code. The codes reference of the book (docs/src/reference/codes.md)
//! is generated from [`BUILTIN_CODES`] and tested to be current (`tests/docs_generated.rs`).

/// (code, tier it carries or None for a note, description)
pub const BUILTIN_CODES: &[(&str, Option<u8>, &str)] = &[
    (
        GLOB_RULE,
        None,
        "A glob rule of the config matched the path; its tier applies.",
    ),
    (
        DEFAULT_TIER,
        None,
        "No rule fired; the configured default tier applies.",
    ),
    (
        READ_ERROR,
        Some(1),
        "The file could not be read or its metadata could not be taken; fail closed.",
    ),
    (
        POLICY_ERROR,
        Some(1),
        "A policy failed to evaluate for this file; fail closed.",
    ),
    (
        NON_UTF8_PATH,
        Some(1),
        "The path is not valid UTF-8 and cannot be matched reliably; fail closed.",
    ),
    (
        SYMLINK_ESCAPES,
        Some(1),
        "A symbolic link points outside the repository.",
    ),
    (
        SYMLINK_LOOP,
        Some(1),
        "A symbolic link resolves to itself through a chain of links.",
    ),
    (
        SYMLINK_TARGET,
        None,
        "A symbolic link takes at least the tier of what it points to.",
    ),
    (
        SYMLINK_DANGLING,
        Some(1),
        "A symbolic link points to nothing the manifest lists: nothing is there, or what is there is outside the manifest (an ignored or untracked file, a path inside a submodule); fail closed.",
    ),
    (
        SYMLINK_INTO_GIT,
        Some(1),
        "A symbolic link resolves into a `.git` directory, whose config and objects the manifest never lists (a remote URL may carry a token); fail closed.",
    ),
    (
        SUBMODULE,
        Some(1),
        "The path is a submodule: its files are classified only by the submodule's own manifest, never by this one; fail closed.",
    ),
    (
        NAME_COLLISION,
        Some(1),
        "Several files on disk (or in the index) have this one name once normalized (Unicode NFC, or the `\\xNN` form of bytes that are not UTF-8); which one a tool opens depends on the tool, so they are one entry with every file's findings; fail closed.",
    ),
    (
        CONTENT_FILTERED,
        Some(1),
        "The path goes through a git filter (LFS, git-crypt, ...), so the bytes git stores are not the file's content, and the real content could not be read (an LFS object that is absent or does not match its pointer, or a filter tiergate cannot undo); fail closed.",
    ),
    (
        UNPUBLISHED,
        None,
        "Under `visibility: public`, an untracked or ignored file is not published with the repository: it is kept at the tier just more sensitive than the public one (3 with the default tiers), not at the public default.",
    ),
    (
        CONTENT_NOT_SCANNED,
        None,
        "The content was not read (binary or special file); decided by path and metadata.",
    ),
    (
        CONTENT_TRUNCATED,
        None,
        "The file is larger than the content limit: every detector read its head, the secret detectors read it whole.",
    ),
    (
        CASE_COLLISION,
        None,
        "Another path differs from this one only by letter case; agents that match case-insensitively may confuse them.",
    ),
    (
        NOT_IN_MANIFEST,
        Some(1),
        "The path is not in the manifest: its content was never classified; fail closed.",
    ),
    (
        OUTSIDE_REPOSITORY,
        Some(1),
        "The path lies outside the repository; fail closed.",
    ),
    (
        DIRECTORY,
        None,
        "A directory takes the most restrictive tier of the files under it.",
    ),
    (
        EXCEPTION,
        None,
        "An approved exception of tiergate.exceptions.yaml sets the tier (it carries the exception's tier).",
    ),
    (
        EXCEPTION_EXPIRED,
        None,
        "An exception covers the path but has expired; it no longer applies and fails the gate.",
    ),
    (
        EXCEPTION_MISMATCH,
        None,
        "An exception bound to a blob covers the path, but the content changed; it does not apply and fails the gate.",
    ),
    (
        EXCEPTION_PENDING,
        None,
        "An exception covers the path but is approved for a later day.",
    ),
    (
        ACCEPTED,
        None,
        "A detector hit was accepted as a false positive, by a `tiergate:accept` marker in the file or by its fingerprint in `tiergate.accepted.yaml`: policies do not see it. The gate notes every new one as a policy change.",
    ),
    (
        CHANGED_SINCE_SCAN,
        None,
        "Route and the hooks: the file changed after the manifest was written (or is not the kind it lists), so it was classified again with the rules in force.",
    ),
    (
        GIT_INTERNALS,
        Some(1),
        "Route and the hooks: a reader that descends into `.git/` reads every version of every file and the repository's config; fail closed.",
    ),
    (
        PATH_UNKNOWABLE,
        Some(1),
        "Route and the hooks: the path goes through a process's open files or another process's directory (`/proc/*/fd`, `/dev/fd`, ...), which cannot be known; fail closed.",
    ),
    (
        SUBMODULE_NOT_SCANNED,
        Some(1),
        "Route and the hooks: the path lies in a submodule whose work tree holds no manifest of its own that the rules in force vouch for; fail closed.",
    ),
    (
        GOVERNANCE_FILE,
        Some(1),
        "The hooks: tiergate's own files (manifest, config, exceptions, policies, `.claude/`, `.git/tiergate/`) are edited by people, not agents; a write is denied whatever the destination.",
    ),
];

pub const GLOB_RULE: &str = "glob-rule";
pub const DEFAULT_TIER: &str = "default-tier";
pub const READ_ERROR: &str = "read-error";
pub const POLICY_ERROR: &str = "policy-error";
pub const NON_UTF8_PATH: &str = "non-utf8-path";
pub const SYMLINK_ESCAPES: &str = "symlink-escapes";
pub const SYMLINK_LOOP: &str = "symlink-loop";
pub const SYMLINK_TARGET: &str = "symlink-target";
pub const SYMLINK_DANGLING: &str = "symlink-dangling";
pub const SYMLINK_INTO_GIT: &str = "symlink-into-git";
pub const SUBMODULE: &str = "submodule";
pub const NAME_COLLISION: &str = "name-collision";
pub const CONTENT_FILTERED: &str = "content-filtered";
pub const UNPUBLISHED: &str = "unpublished";
pub const CONTENT_NOT_SCANNED: &str = "content-not-scanned";
pub const CONTENT_TRUNCATED: &str = "content-truncated";
pub const CASE_COLLISION: &str = "case-collision";
pub const NOT_IN_MANIFEST: &str = "not-in-manifest";
pub const OUTSIDE_REPOSITORY: &str = "outside-repository";
pub const DIRECTORY: &str = "directory";
pub const EXCEPTION: &str = "exception";
pub const EXCEPTION_EXPIRED: &str = "exception-expired";
pub const EXCEPTION_MISMATCH: &str = "exception-mismatch";
pub const EXCEPTION_PENDING: &str = "exception-pending";
pub const ACCEPTED: &str = "accepted";
pub const CHANGED_SINCE_SCAN: &str = "changed-since-scan";
pub const GIT_INTERNALS: &str = "git-internals";
pub const PATH_UNKNOWABLE: &str = "path-unknowable";
pub const SUBMODULE_NOT_SCANNED: &str = "submodule-not-scanned";
pub const GOVERNANCE_FILE: &str = "governance-file";

/// Whether a code is reserved for tiergate's own findings.
pub fn is_builtin(code: &str) -> bool {
    BUILTIN_CODES.iter().any(|(c, _, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_described() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, _, desc) in BUILTIN_CODES {
            assert!(seen.insert(*code), "duplicate code {code}");
            assert!(
                code.split('-').all(|p| !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{code} is not kebab-case"
            );
            assert!(
                desc.ends_with('.'),
                "{code}: description must be a sentence"
            );
        }
    }
}
