# Tests for the secrets pack. `cargo test` runs every `test_*` rule of every shipped
# `*_test.rego` (src/policy/tooling.rs), and checks that each rule of the pack fires in
# at least one passing test and is evaluated without firing in another (a near miss);
# `tiergate policy test` and `opa test policies/` run them too.
package tiergate.secrets_test

import rego.v1

import data.tiergate.secrets

# The input document as tiergate builds it (src/policy/mod.rs, RegoInput).
file(signals, zones) := {
	"input_version": 1,
	"file": {
		"kind": "text",
		"extension": "py",
		"language": "python",
		"size_class": "small",
		"git": "tracked",
		"zones": zones,
		"rules": [],
		"content_scanned": true,
		"signals": signals,
	},
}

sig(id, confidence) := {"id": id, "category": "secret", "confidence": confidence, "count": 1}

# (code, tier, rule) of every finding.
hits(signals, zones) := {[f.code, f.tier, f.rule] | some f in fs} if {
	fs := secrets.findings with input as file(signals, zones)
}

# Rule ids of every finding.
rules(signals, zones) := {r | some [_, _, r] in hits(signals, zones)}

test_private_key_is_tier_1 if {
	hits([sig("secret.private_key", "high")], []) == {["secret", 1, "private-key"]}
}

test_key_store_is_a_private_key if {
	hits([sig("secret.key_store", "medium")], []) == {["secret", 1, "private-key"]}
}

test_medium_private_key_is_tier_1 if {
	hits([sig("secret.private_key", "medium")], ["vendor"]) == {["secret", 1, "private-key"]}
}

test_low_private_key_is_not_tier_1 if {
	hits([sig("secret.private_key", "low")], []) == {["secret", 2, "low-confidence-secret"]}
	not "private-key" in rules([sig("secret.private_key", "low")], [])
}

test_cloud_credentials_are_tier_1 if {
	every id in ["secret.aws_access_key", "secret.aws_secret_key", "secret.gcp_service_account", "secret.azure_storage_key", "secret.azure_connection_string"] {
		hits([sig(id, "medium")], []) == {["secret", 1, "cloud-credential"]}
	}
}

test_example_aws_key_is_not_a_cloud_credential if {
	not "cloud-credential" in rules([sig("secret.aws_access_key", "low")], [])
}

test_service_tokens_are_tier_1 if {
	every id in ["secret.github_token", "secret.gitlab_token", "secret.slack_token", "secret.slack_webhook", "secret.stripe_key", "secret.openai_key", "secret.anthropic_key"] {
		hits([sig(id, "high")], []) == {["secret", 1, "service-token"]}
	}
}

test_test_key_is_tier_2 if {
	hits([sig("secret.stripe_key", "low")], []) == {["secret", 2, "low-confidence-secret"]}
	not "service-token" in rules([sig("secret.stripe_key", "low")], [])
}

test_jwt_is_tier_1 if {
	hits([sig("secret.jwt", "medium")], []) == {["secret", 1, "jwt"]}
}

test_low_jwt_is_tier_2 if {
	not "jwt" in rules([sig("secret.jwt", "low")], [])
	hits([sig("secret.jwt", "low")], []) == {["secret", 2, "low-confidence-secret"]}
}

test_password_in_config_is_tier_1 if {
	hits([sig("secret.password_assignment", "medium")], ["ci"]) == {["secret", 1, "password-in-config"]}
}

test_low_password_is_tier_2 if {
	hits([sig("secret.password_assignment", "low")], []) == {["secret", 2, "low-confidence-secret"]}
}

test_connection_string_is_tier_1 if {
	hits([sig("secret.connection_string", "high")], []) == {["secret", 1, "connection-string"]}
}

test_connection_string_in_docs_medium_is_tier_2 if {
	hits([sig("secret.connection_string", "medium")], ["docs"]) == {["secret", 2, "secret-in-tests-or-docs"]}
	not "connection-string" in rules([sig("secret.connection_string", "medium")], ["docs"])
}

test_unknown_secret_kind_is_tier_1 if {
	hits([sig("secret.some_future_token", "high")], []) == {["secret", 1, "other-secret"]}
}

test_known_kind_is_not_other_secret if {
	not "other-secret" in rules([sig("secret.jwt", "high")], [])
}

test_low_unknown_kind_is_not_other_secret if {
	not "other-secret" in rules([sig("secret.some_future_token", "low")], [])
}

test_high_secret_in_tests_is_still_tier_1 if {
	hits([sig("secret.private_key", "high")], ["tests"]) == {["secret", 1, "private-key"]}
}

test_high_secret_in_docs_is_still_tier_1 if {
	hits([sig("secret.github_token", "high")], ["docs", "vendor"]) == {["secret", 1, "service-token"]}
}

test_medium_secret_in_tests_is_tier_2 if {
	hits([sig("secret.aws_secret_key", "medium")], ["tests"]) == {["secret", 2, "secret-in-tests-or-docs"]}
}

test_medium_secret_elsewhere_is_not_a_fixture if {
	not "secret-in-tests-or-docs" in rules([sig("secret.aws_secret_key", "medium")], ["vendor"])
}

test_high_secret_in_tests_is_not_a_fixture if {
	not "secret-in-tests-or-docs" in rules([sig("secret.aws_secret_key", "high")], ["tests"])
}

test_low_secret_in_tests_is_low_confidence if {
	hits([sig("secret.jwt", "low")], ["tests"]) == {["secret", 2, "low-confidence-secret"]}
}

test_medium_secret_is_not_low_confidence if {
	not "low-confidence-secret" in rules([sig("secret.jwt", "medium")], [])
}

test_several_kinds_together if {
	hits(
		[sig("secret.private_key", "high"), sig("secret.jwt", "medium"), sig("secret.stripe_key", "low")],
		[],
	) == {
		["secret", 1, "private-key"],
		["secret", 1, "jwt"],
		["secret", 2, "low-confidence-secret"],
	}
}

test_no_signals_no_findings if {
	hits([], []) == set()
	hits([], ["tests", "credential-files"]) == set()
}

test_not_scanned_no_findings if {
	fs := secrets.findings with input as {"input_version": 1, "file": {
		"kind": "binary",
		"zones": [],
		"content_scanned": false,
		"signals": [],
	}}
	fs == set()
}

test_other_categories_are_ignored if {
	signals := [
		{"id": "pii.email", "category": "pii", "confidence": "high", "count": 100},
		{"id": "special.health", "category": "special_category", "confidence": "high", "count": 1},
	]
	hits(signals, []) == set()
}

test_findings_carry_reasons if {
	fs := secrets.findings with input as file(
		[sig("secret.private_key", "high"), sig("secret.jwt", "low"), sig("secret.connection_string", "medium")],
		["tests"],
	)
	count(fs) == 3
	every f in fs {
		is_string(f.reason)
		f.reason != ""
	}
}
