// @generated from rules/secrets/context.yaml by tiergate::rules::codegen; do not edit.
// Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.

use super::Tables;

/// The credential detectors' context.
pub const TABLES: Tables = Tables {
    code_extensions: &["py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "kt", "kts", "scala", "go", "rs", "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php", "swift", "m", "mm", "r", "dart", "lua", "pl", "ex", "exs", "erl", "hs", "clj", "groovy", "vue", "svelte", "sql", "rego"],
    not_a_secret_suffixes: &["size", "bits", "length", "len", "min", "max", "policy", "field", "label", "prompt", "hint", "regex", "pattern", "file", "path", "dir", "env", "name", "ref", "id", "type", "format", "input", "placeholder", "reset", "expiry", "expires", "expiration", "rotation", "required", "enabled", "hash", "hashed", "salt", "url", "uri", "header", "param", "mode", "manager", "store", "provider", "source", "version", "count", "at", "changed", "strength", "rules", "validator", "confirmation", "confirm", "error", "message", "text", "help", "key_name", "arn", "selector", "mount", "volume"],
    placeholder_values: &["password", "passwd", "pass", "pwd", "secret", "changeme", "example", "test", "testing", "admin", "root", "default", "none", "null", "nil", "undefined", "true", "false", "empty", "string", "foo", "bar", "foobar", "hunter2", "qwerty", "123456", "12345678", "letmein", "user", "username", "guest", "demo"],
    placeholder_parts: &["changeme", "..", "change_me", "change-me", "changethis", "placeholder", "example", "your_", "your-", "yourpass", "yoursecret", "redacted", "replace", "dummy", "sample", "fake", "xxxx", "****", "....", "<", ">", "${", "{{", "}}", "%(", "#{", "todo", "fixme", "insert", "secret", "password", "passwd"],
    password_keywords: &["password", "passwd", "pwd", "passphrase", "secret", "api_key", "apikey", "api-key", "access_token", "auth_token"],
    connection_schemes: &["postgres", "postgresql", "pgsql", "mysql", "mariadb", "mongodb", "redis", "rediss", "amqp", "amqps", "mssql", "sqlserver", "cockroachdb", "clickhouse"],
    ciphertext_prefixes: &["ENC[", "vault:v1:", "vault:v2:", "$ANSIBLE_VAULT;"],
    ciphertext_markers: &["kind: SealedSecret", "\"kind\": \"SealedSecret\"", "$ANSIBLE_VAULT;", "\nsops:\n", "\"sops\": {"],
    not_a_secret_words: &["public", "publishable", "pub", "csrf", "xsrf", "nonce"],
    encoded_markers: &["-----BEGIN ", "eyJhbGciOi", "eyJ0eXAiOi"],
    setter_calls: &["setProperty(", "Setenv(", "setenv(", "setdefault("],
    public_pem_types: &["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CRL", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "PUBLIC KEY", "RSA PUBLIC KEY", "PKCS7", "CMS", "PGP PUBLIC KEY BLOCK", "SSH2 PUBLIC KEY", "DH PARAMETERS", "EC PARAMETERS"],
    env_credential_words: &["pass", "pwd", "secret", "token", "key", "auth", "cred", "private", "cert", "session", "cookie", "salt", "signature", "dsn", "license"],
    template_markers: &["{{ }}", "{% %}", "<% %>", "${ }"],
    env_lookups: &["process.env.", "process.env[", "import.meta.env.", "os.environ[", "os.environ.get(", "os.getenv(", "getenv(", "ENV[", "ENV.fetch(", "System.getenv(", "Deno.env.get("],
    translation_extensions: &["po", "pot", "strings", "stringsdict", "resx", "resw", "xlf", "xliff", "arb", "ftl"],
    translation_stems: &["messages", "message", "strings", "labels", "translations", "translation", "i18n", "lang", "locale"],
    documentation_names: &["DOCUMENTATION", "EXAMPLES", "EXAMPLE", "RETURN", "USAGE", "EPILOG", "HELP", "DESCRIPTION", "__doc__"],
    formats: super::DEFS,
};
