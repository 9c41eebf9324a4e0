# Tests for the personal data pack; run by `cargo test` and `tiergate policy test`
# (see secrets_test.rego).
package tiergate.personal_data_test

import rego.v1

import data.tiergate.personal_data

file(signals) := {
	"input_version": 1,
	"file": {
		"kind": "text",
		"extension": "csv",
		"language": null,
		"size_class": "small",
		"git": "tracked",
		"zones": [],
		"rules": [],
		"content_scanned": true,
		"signals": signals,
	},
}

sig(id, confidence, n) := {"id": id, "category": category(id), "confidence": confidence, "count": n}

category(id) := "special_category" if startswith(id, "special.")

category(id) := "special_field" if startswith(id, "special_field.")

category(id) := "pii" if startswith(id, "pii.")

hits(signals) := {[f.code, f.tier, f.rule] | some f in fs} if {
	fs := personal_data.findings with input as file(signals)
}

rules(signals) := {r | some [_, _, r] in hits(signals)}

test_validated_identifier_is_tier_1 if {
	hits([sig("pii.us_ssn", "medium", 1)]) == {["personal-data", 1, "personal-identifier"]}
}

test_every_national_id_is_tier_1 if {
	ids := [
		"pii.us_ssn", "pii.uk_nino", "pii.uk_nhs", "pii.kr_rrn", "pii.pl_pesel",
		"pii.es_dni", "pii.es_nie", "pii.it_codice_fiscale", "pii.nl_bsn", "pii.fr_nir",
		"pii.fi_hetu", "pii.se_personnummer", "pii.de_steuer_id",
	]
	every id in ids {
		hits([sig(id, "high", 2)]) == {["personal-data", 1, "personal-identifier"]}
	}
}

test_low_identifier_alone_is_nothing if {
	hits([sig("pii.uk_nino", "low", 2)]) == set()
	not "personal-identifier" in rules([sig("pii.uk_nino", "low", 2)])
}

test_many_low_identifiers_are_tier_2 if {
	hits([sig("pii.es_dni", "low", 5)]) == {["personal-data", 2, "unvalidated-identifiers"]}
	hits([sig("pii.es_dni", "low", 100)]) == {["personal-data", 2, "unvalidated-identifiers"]}
}

test_few_low_identifiers_are_not_a_data_set if {
	not "unvalidated-identifiers" in rules([sig("pii.es_dni", "low", 2)])
}

test_low_identifiers_with_a_validated_one_are_tier_1_only if {
	signals := [sig("pii.es_dni", "low", 10), sig("pii.nl_bsn", "medium", 1)]
	hits(signals) == {["personal-data", 1, "personal-identifier"]}
	not "unvalidated-identifiers" in rules(signals)
}

test_payment_identifiers_are_left_to_the_payment_pack if {
	hits([sig("pii.payment_card", "high", 10), sig("pii.iban", "high", 1), sig("pii.aba_routing", "medium", 1)]) == set()
}

test_maintainer_email_is_nothing if {
	hits([sig("pii.email", "high", 1)]) == set()
	hits([sig("pii.email", "high", 5)]) == set()
	not "contact-data-set" in rules([sig("pii.email", "high", 5)])
}

test_contact_data_set_is_tier_2 if {
	every id in ["pii.email", "pii.phone", "pii.ip_address"] {
		hits([sig(id, "medium", 10)]) == {["personal-data", 2, "contact-data-set"]}
	}
	hits([sig("pii.email", "low", 100)]) == {["personal-data", 2, "contact-data-set"]}
}

test_contact_data_is_not_an_identifier if {
	not "personal-identifier" in rules([sig("pii.phone", "high", 100)])
}

test_special_category_is_tier_1 if {
	ids := [
		"special.ethnicity", "special.religion", "special.health", "special.biometric",
		"special.genetic", "special.sexual_orientation", "special.political_opinion",
		"special.trade_union",
	]
	every id in ids {
		hits([sig(id, "low", 1)]) == {["special-category-data", 1, "special-category"]}
	}
}

test_criminal_record_is_art_10 if {
	hits([sig("special.criminal_record", "high", 1)]) == {["special-category-data", 1, "criminal-record"]}
	not "special-category" in rules([sig("special.criminal_record", "high", 1)])
}

test_art_9_is_not_a_criminal_record if {
	not "criminal-record" in rules([sig("special.religion", "high", 1)])
}

test_reasons_cite_gdpr if {
	fs := personal_data.findings with input as file([sig("special.biometric", "medium", 1), sig("special.criminal_record", "medium", 1)])
	some f in fs
	f.rule == "special-category"
	contains(f.reason, "GDPR Art 9")
	some g in fs
	g.rule == "criminal-record"
	contains(g.reason, "GDPR Art 10")
}

test_no_signals_no_findings if {
	hits([]) == set()
}

test_not_scanned_no_findings if {
	fs := personal_data.findings with input as {"input_version": 1, "file": {
		"kind": "binary",
		"zones": ["data-dumps"],
		"content_scanned": false,
		"signals": [],
	}}
	fs == set()
}

test_other_categories_are_ignored if {
	signals := [
		{"id": "secret.jwt", "category": "secret", "confidence": "high", "count": 1},
		{"id": "health.icd10", "category": "health", "confidence": "high", "count": 10},
		{"id": "annex3.5b.credit_columns", "category": "annex3", "confidence": "high", "count": 1},
	]
	hits(signals) == set()
}

test_special_fields_are_tier_2 if {
	ids := [
		"special_field.ethnicity", "special_field.religion", "special_field.health",
		"special_field.biometric", "special_field.genetic",
		"special_field.sexual_orientation", "special_field.political_opinion",
		"special_field.trade_union", "special_field.criminal_record",
	]
	every id in ids {
		hits([sig(id, "medium", 1)]) == {["special-category-schema", 2, "special-category-schema"]}
	}
}

test_special_fields_are_never_tier_1 if {
	not "special-category" in rules([sig("special_field.health", "high", 100)])
	not "criminal-record" in rules([sig("special_field.criminal_record", "high", 100)])
}

test_low_special_field_is_nothing if {
	hits([sig("special_field.ethnicity", "low", 10)]) == set()
}

test_special_data_with_its_schema_is_tier_1_only if {
	signals := [sig("special.ethnicity", "high", 1), sig("special_field.ethnicity", "medium", 5)]
	hits(signals) == {["special-category-data", 1, "special-category"]}
}

test_person_records_are_tier_2 if {
	hits([sig("pii.person_records", "high", 1)]) == {["personal-data", 2, "person-records"]}
	not "personal-identifier" in rules([sig("pii.person_records", "high", 1)])
}

test_a_document_about_one_person_is_tier_2 if {
	hits([sig("pii.personal_document", "medium", 1)]) == {["personal-data", 2, "personal-document"]}
	not "personal-identifier" in rules([sig("pii.personal_document", "medium", 1)])
}

test_what_a_personal_document_records_of_special_categories_is_tier_1 if {
	signals := [sig("pii.personal_document", "medium", 1), sig("special.religion", "high", 1)]
	hits(signals) == {["personal-data", 2, "personal-document"], ["special-category-data", 1, "special-category"]}
}

test_a_record_of_events_about_people_is_tier_2 if {
	hits([sig("pii.person_events", "medium", 1)]) == {["personal-data", 2, "person-events"]}
	not "personal-identifier" in rules([sig("pii.person_events", "medium", 1)])
}
