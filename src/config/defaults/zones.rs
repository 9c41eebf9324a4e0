// @generated from rules/zones/builtin.yaml by tiergate::rules::codegen; do not edit.
// Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.

/// The built-in zones, in order: (name, globs).
pub const BUILTIN_ZONES: &[(&str, &[&str])] = &[
    ("credential-files", &["**/.env", "**/.env.*", "**/*.pem", "**/*.key", "**/*.p12", "**/*.P12", "**/*.pfx", "**/*.PFX", "**/*.jks", "**/*.JKS", "**/*.keystore", "**/*.KEYSTORE", "**/id_rsa", "**/id_dsa", "**/id_ecdsa", "**/id_ed25519", "**/.npmrc", "**/.pypirc", "**/.netrc", "**/.git-credentials", "**/.htpasswd", "**/credentials.json", "**/secrets.yaml", "**/secrets.yml", "**/*.tfstate", "**/*.tfstate.backup", "**/kubeconfig", "**/.kube/config"]),
    ("credential-templates", &["**/.env.example", "**/.env.sample", "**/.env.template", "**/.env.dist", "**/*.pem.example", "**/*.key.example"]),
    ("data-dumps", &["**/*.sql", "**/*.dump", "**/*.bak", "**/*.sqlite", "**/*.sqlite3", "**/*.db", "**/*.har"]),
    ("logs", &["**/*.log", "**/logs/**"]),
    ("tests", &["**/test/**", "**/tests/**", "**/__tests__/**", "**/*_test.*", "**/*.test.*", "**/*.spec.*", "**/test_*.py"]),
    ("docs", &["docs/**", "**/README*", "**/CHANGELOG*", "**/LICENSE*"]),
    ("vendor", &["**/vendor/**", "**/node_modules/**", "**/third_party/**"]),
    ("ci", &[".github/**", ".gitlab-ci.yml", ".circleci/**"]),
];
