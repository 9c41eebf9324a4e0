# Secrets pack: credentials found in a file's content by tiergate's secret detectors
# (`secret.*` signals, src/detect/mod.rs). A credential in a repository is a leak
# waiting to happen, and one sent to a cloud LLM is a leak that happened: tier 1.
#
# Confidence comes from the detectors: `high` = pattern + validator + keyword nearby,
# `medium` = pattern + validator, `low` = pattern only or a known test/example key
# (Stripe `sk_test_`, AWS `...EXAMPLE`), which stays confidential (tier 2).
#
# Zones `tests` and `docs` hold fixtures and examples, so a medium-confidence secret
# there is tier 2; a high-confidence one is still tier 1, because real credentials
# never belong in a repository, whichever directory they were pasted into.
#
# One findings rule per kind, each with its literal rule id, so findings point at it.
package tiergate.secrets

import rego.v1

# Signal ids per kind (the catalogue in src/detect/mod.rs).
private_key_ids := {"secret.private_key", "secret.key_store"}

cloud_credential_ids := {
	"secret.aws_access_key",
	"secret.aws_secret_key",
	"secret.gcp_service_account",
	"secret.azure_storage_key",
	"secret.azure_connection_string",
}

service_token_ids := {
	"secret.github_token",
	"secret.gitlab_token",
	"secret.slack_token",
	"secret.slack_webhook",
	"secret.stripe_key",
	"secret.openai_key",
	"secret.anthropic_key",
}

jwt_ids := {"secret.jwt"}

password_ids := {"secret.password_assignment"}

connection_string_ids := {"secret.connection_string"}

known_ids := private_key_ids | cloud_credential_ids | service_token_ids | jwt_ids | password_ids | connection_string_ids

# Zones where a medium-confidence secret is most likely a fixture or an example.
fixture_zones := {"tests", "docs"}

in_fixture_zone if {
	some zone in input.file.zones
	zone in fixture_zones
}

secret_signals contains s if {
	some s in input.file.signals
	startswith(s.id, "secret.")
}

# Signals that make the file tier 1: high confidence anywhere, medium outside
# tests and docs.
restricted contains s if {
	some s in secret_signals
	s.confidence == "high"
}

restricted contains s if {
	some s in secret_signals
	s.confidence == "medium"
	not in_fixture_zone
}

findings contains {
	"code": "secret",
	"tier": 1,
	"rule": "private-key",
	"reason": "Private key (PEM, OpenSSH or PGP armor, or a PKCS#12 or Java key store) in the content",
} if {
	some s in restricted
	s.id in private_key_ids
}

findings contains {
	"code": "secret",
	"tier": 1,
	"rule": "cloud-credential",
	"reason": "Cloud credential (AWS, GCP or Azure) in the content",
} if {
	some s in restricted
	s.id in cloud_credential_ids
}

findings contains {
	"code": "secret",
	"tier": 1,
	"rule": "service-token",
	"reason": "API token of a hosted service (GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic) in the content",
} if {
	some s in restricted
	s.id in service_token_ids
}

findings contains {
	"code": "secret",
	"tier": 1,
	"rule": "jwt",
	"reason": "JSON Web Token in the content: a bearer credential until it expires",
} if {
	some s in restricted
	s.id in jwt_ids
}

findings contains {
	"code": "secret",
	"tier": 1,
	"rule": "password-in-config",
	"reason": "Password assigned in the content (not a placeholder)",
} if {
	some s in restricted
	s.id in password_ids
}

findings contains {
	"code": "secret",
	"tier": 1,
	"rule": "connection-string",
	"reason": "Connection string with credentials in the content",
} if {
	some s in restricted
	s.id in connection_string_ids
}

# A `secret.*` id this pack does not know yet (a newer detector, or a custom detector
# named `secret.*`): still a secret.
findings contains {
	"code": "secret",
	"tier": 1,
	"rule": "other-secret",
	"reason": "Secret in the content",
} if {
	some s in restricted
	not s.id in known_ids
}

# Medium confidence inside tests or docs: probably a fixture or an example, still
# confidential.
findings contains {
	"code": "secret",
	"tier": 2,
	"rule": "secret-in-tests-or-docs",
	"reason": "Probable secret in tests or documentation (medium confidence): likely a fixture, kept confidential",
} if {
	some s in secret_signals
	s.confidence == "medium"
	in_fixture_zone
}

# Pattern only, or a known test or example key: kept confidential.
findings contains {
	"code": "secret",
	"tier": 2,
	"rule": "low-confidence-secret",
	"reason": "Possible secret or test key (low confidence)",
} if {
	some s in secret_signals
	s.confidence == "low"
}
