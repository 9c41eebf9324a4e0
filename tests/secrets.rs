//! Credential judgement end to end: files under a credential's name that are templates
//! holding none (`fixtures/secret-templates`) leave the credential-file rule, a
//! template holding a literal credential keeps it, and a hard-coded default key (a
//! key's bytes under a key's name, also as an environment lookup's fallback) is a
//! credential. Credentials are written at run time, so no fixture holds one.

mod common;

use std::path::Path;

use common::{codes_of, fixture, git, git_commit_all, json, run, scan_manifest, tier_of};

/// The signal ids `tiergate explain` shows for `path`.
fn signals(dir: &Path, path: &str) -> Vec<String> {
    let r = run(dir, &["explain", "--format", "json", path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r.stdout)["facts"]["signals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect()
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[path = "../src/detect/secrets/test_random.rs"]
mod test_random;
use test_random::random;

const HEX: &[u8] = b"0123456789abcdef";

#[test]
fn templates_under_a_credential_name_hold_none_unless_a_value_is_literal() {
    let dir = fixture("secret-templates");
    let root = dir.path();
    // The same chart template, with a literal password beside the expressions.
    let literal = [
        "apiVersion: v1\nkind: Secret\nstringData:\n  user: {{ .Values.db.user }}\n  password: ",
        &random(
            7,
            18,
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
        ),
        "\n",
    ]
    .concat();
    write(root, "charts/legacy/templates/secrets.yaml", &literal);
    git(root, &["init", "-q"]);
    git_commit_all(root);
    let m = scan_manifest(root, &[]);
    for path in [
        "charts/app/templates/secrets.yaml",
        "deploy/roles/app/templates/secrets.yml",
        ".npmrc",
    ] {
        assert_eq!(tier_of(&m, path), 3, "{path}: {:?}", codes_of(&m, path));
        assert_eq!(signals(root, path), ["config.template"], "{path}");
    }
    let path = "charts/legacy/templates/secrets.yaml";
    assert_eq!(tier_of(&m, path), 1, "{path}");
    let codes = codes_of(&m, path);
    assert!(codes.contains(&"credential-file".to_string()), "{codes:?}");
    assert!(codes.contains(&"secret".to_string()), "{codes:?}");
    assert!(!signals(root, path).contains(&"config.template".to_string()));
}

#[test]
fn a_hard_coded_default_key_is_tier_1_and_its_placeholder_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let key = random(11, 64, HEX);
    write(
        root,
        "config/default.js",
        &format!(
            "module.exports = {{\n  port: process.env.PORT || 8080,\n  encryptionKey: process.env.ENCRYPTION_KEY || '{key}',\n}};\n"
        ),
    );
    write(
        root,
        "app/settings.py",
        &format!(
            "AES_KEY = os.getenv(\"AES_KEY\", \"{}\")\n",
            random(12, 32, HEX)
        ),
    );
    write(
        root,
        "config/example.js",
        "module.exports = {\n  encryptionKey: process.env.ENCRYPTION_KEY || 'replace-with-64-hex-characters',\n};\n",
    );
    write(
        root,
        "app/vectors.py",
        &format!(
            "aes_key = \"{}\"\n",
            (0u8..32).map(|b| format!("{b:02x}")).collect::<String>()
        ),
    );
    git(root, &["init", "-q"]);
    git_commit_all(root);
    let m = scan_manifest(root, &[]);
    for path in ["config/default.js", "app/settings.py"] {
        assert_eq!(tier_of(&m, path), 1, "{path}: {:?}", codes_of(&m, path));
        assert_eq!(signals(root, path), ["secret.generic_token"], "{path}");
    }
    // The manifest names the signal, never the key.
    let text = std::fs::read_to_string(root.join("tiergate.manifest.json")).unwrap();
    assert!(!text.contains(&key));
    for path in ["config/example.js", "app/vectors.py"] {
        assert_eq!(tier_of(&m, path), 3, "{path}: {:?}", codes_of(&m, path));
    }
}
