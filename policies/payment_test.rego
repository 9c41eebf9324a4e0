# Tests for the payment pack; run by `cargo test` and `tiergate policy test`
# (see secrets_test.rego).
package tiergate.payment_test

import rego.v1

import data.tiergate.payment

file(signals) := {
	"input_version": 1,
	"file": {
		"kind": "text",
		"extension": "csv",
		"language": null,
		"size_class": "small",
		"git": "untracked",
		"zones": [],
		"rules": [],
		"content_scanned": true,
		"signals": signals,
	},
}

sig(id, confidence) := {"id": id, "category": "pii", "confidence": confidence, "count": 2}

hits(signals) := {[f.code, f.tier, f.rule] | some f in fs} if {
	fs := payment.findings with input as file(signals)
}

rules(signals) := {r | some [_, _, r] in hits(signals)}

test_card_number_is_tier_1 if {
	hits([sig("pii.payment_card", "medium")]) == {["cardholder-data", 1, "payment-card-number"]}
	hits([sig("pii.payment_card", "high")]) == {["cardholder-data", 1, "payment-card-number"]}
}

test_unvalidated_card_number_is_nothing if {
	hits([sig("pii.payment_card", "low")]) == set()
	not "payment-card-number" in rules([sig("pii.payment_card", "low")])
}

test_card_reason_cites_pci_dss if {
	some f in payment.findings with input as file([sig("pii.payment_card", "high")])
	contains(f.reason, "PCI DSS")
	contains(f.reason, "PAN")
}

test_iban_is_tier_1 if {
	hits([sig("pii.iban", "medium")]) == {["bank-account-data", 1, "bank-account-number"]}
}

test_aba_routing_is_tier_1 if {
	hits([sig("pii.aba_routing", "high")]) == {["bank-account-data", 1, "bank-account-number"]}
}

test_unvalidated_bank_numbers_are_nothing if {
	hits([sig("pii.iban", "low"), sig("pii.aba_routing", "low")]) == set()
	not "bank-account-number" in rules([sig("pii.iban", "low")])
}

test_cards_and_accounts_together if {
	hits([sig("pii.payment_card", "high"), sig("pii.iban", "high")]) == {
		["cardholder-data", 1, "payment-card-number"],
		["bank-account-data", 1, "bank-account-number"],
	}
}

test_other_identifiers_are_not_payment_data if {
	signals := [sig("pii.us_ssn", "high"), sig("pii.email", "high")]
	hits(signals) == set()
	not "payment-card-number" in rules(signals)
	not "bank-account-number" in rules(signals)
}

test_no_signals_no_findings if {
	hits([]) == set()
}

test_not_scanned_no_findings if {
	fs := payment.findings with input as {"input_version": 1, "file": {
		"kind": "binary",
		"zones": ["data-dumps"],
		"content_scanned": false,
		"signals": [],
	}}
	fs == set()
}
