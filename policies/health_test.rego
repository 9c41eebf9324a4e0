# Tests for the health pack; run by `cargo test` and `tiergate policy test`
# (see secrets_test.rego).
package tiergate.health_test

import rego.v1

import data.tiergate.health

file(signals) := {
	"input_version": 1,
	"file": {
		"kind": "text",
		"extension": "csv",
		"language": null,
		"size_class": "medium",
		"git": "ignored",
		"zones": [],
		"rules": [],
		"content_scanned": true,
		"signals": signals,
	},
}

icd10(confidence) := {"id": "health.icd10", "category": "health", "confidence": confidence, "count": 10}

health_column(confidence) := {"id": "special.health", "category": "special_category", "confidence": confidence, "count": 1}

hits(signals) := {[f.code, f.tier, f.rule] | some f in fs} if {
	fs := health.findings with input as file(signals)
}

rules(signals) := {r | some [_, _, r] in hits(signals)}

test_icd10_is_tier_1 if {
	hits([icd10("medium")]) == {["health-data", 1, "diagnosis-codes"]}
	hits([icd10("high")]) == {["health-data", 1, "diagnosis-codes"]}
}

test_low_icd10_alone_is_nothing if {
	hits([icd10("low")]) == set()
	not "diagnosis-codes" in rules([icd10("low")])
}

test_health_column_is_tier_1 if {
	hits([health_column("low")]) == {["health-data", 1, "health-columns"]}
	hits([health_column("high")]) == {["health-data", 1, "health-columns"]}
}

test_other_special_categories_are_not_health if {
	signals := [{"id": "special.religion", "category": "special_category", "confidence": "high", "count": 1}]
	not "health-columns" in rules(signals)
	hits(signals) == set()
}

test_codes_and_columns_together if {
	hits([icd10("high"), health_column("medium")]) == {
		["health-data", 1, "diagnosis-codes"],
		["health-data", 1, "health-columns"],
	}
}

test_reasons_cite_hipaa_and_gdpr if {
	fs := health.findings with input as file([icd10("high"), health_column("medium")])
	count(fs) == 2
	every f in fs {
		contains(f.reason, "HIPAA")
		contains(f.reason, "GDPR Art 9")
	}
}

test_no_signals_no_findings if {
	hits([]) == set()
}

test_not_scanned_no_findings if {
	fs := health.findings with input as {"input_version": 1, "file": {
		"kind": "binary",
		"zones": [],
		"content_scanned": false,
		"signals": [],
	}}
	fs == set()
}

test_other_categories_are_ignored if {
	signals := [
		{"id": "pii.us_ssn", "category": "pii", "confidence": "high", "count": 1},
		{"id": "secret.jwt", "category": "secret", "confidence": "high", "count": 1},
	]
	hits(signals) == set()
}

test_a_declared_health_field_is_not_health_data if {
	signals := [{"id": "special_field.health", "category": "special_field", "confidence": "medium", "count": 1}]
	hits(signals) == set()
}
