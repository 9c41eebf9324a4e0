# Personal data pack: identifiers and GDPR special categories found in a file's content
# (`pii.*` and `special.*` signals, src/detect/mod.rs).
#
# - A validated identifier (national id, social security number...) identifies a
#   person: tier 1. Pattern-only matches (low confidence) are noise one by one, but a
#   file with five or more of them is probably a data set: tier 2.
# - E-mail addresses, phone numbers and IP addresses are everywhere (a maintainer's
#   address in a README); only ten or more in one file make a data set: tier 2.
# - Special categories (GDPR Art 9(1): racial or ethnic origin, political opinions,
#   religious or philosophical beliefs, trade-union membership, genetic data, biometric
#   data, health, sex life or sexual orientation) and criminal records (Art 10), as data
#   (`special.*`: records with values: a table column, a document's key, an SQL row):
#   tier 1 whatever the confidence.
# - The same names declared in code or a schema without values (`special_field.*`: DDL,
#   an entity's typed fields, JSON Schema, protobuf): tier 2. Such a file holds no one's
#   data, so never tier 1; but it is the data model of a system that processes
#   special-category data, which a reviewer keeps off the widest destinations. Names in
#   prose, comments, labels and translations give no signal at all.
# - A table of people by name and date of birth (`pii.person_records`): tier 2.
# - A document about one identified person (`pii.personal_document`: a CV, an interview
#   record, a form about them), or a record of events each naming a person
#   (`pii.person_events`: a log of what a system saw of people): tier 2. What it records of special categories (a
#   labelled field, a question put to them) comes as `special.*`: tier 1.
#
# Payment cards, IBANs and ABA routing numbers are the payment pack's.
#
# `count` is bucketed (1, 2, 5, 10, 100 = "at least"), so thresholds use those values.
package tiergate.personal_data

import rego.v1

# Contact data: personal, but common enough that a few occurrences mean nothing.
contact_ids := {"pii.email", "pii.phone", "pii.ip_address"}

# Financial identifiers, classified by the payment pack.
payment_ids := {"pii.payment_card", "pii.iban", "pii.aba_routing"}

# Records of people (a table with names and dates of birth): personal data, not an
# identifier.
record_ids := {"pii.person_records"}

# A document about one person, or a record of events each naming a person: their
# data, not an identifier.
document_ids := {"pii.personal_document", "pii.person_events"}

# Identifier signals: every `pii.*` signal that is neither contact, payment nor record
# data (national ids, social security and health-service numbers, and any newer `pii.*`).
identifiers contains s if {
	some s in input.file.signals
	startswith(s.id, "pii.")
	not s.id in contact_ids
	not s.id in payment_ids
	not s.id in record_ids
	not s.id in document_ids
}

strong_identifier if {
	some s in identifiers
	s.confidence in {"medium", "high"}
}

special_signals contains s if {
	some s in input.file.signals
	startswith(s.id, "special.")
}

findings contains {
	"code": "personal-data",
	"tier": 1,
	"rule": "personal-identifier",
	"reason": "Validated personal identifier (national id, social security or health-service number)",
} if {
	some s in identifiers
	s.confidence in {"medium", "high"}
}

findings contains {
	"code": "personal-data",
	"tier": 2,
	"rule": "unvalidated-identifiers",
	"reason": "Five or more possible personal identifiers (pattern only): probably a data set",
} if {
	not strong_identifier
	some s in identifiers
	s.confidence == "low"
	s.count >= 5
}

findings contains {
	"code": "personal-data",
	"tier": 2,
	"rule": "contact-data-set",
	"reason": "Ten or more e-mail addresses, phone numbers or IP addresses: a data set of personal data",
} if {
	some s in input.file.signals
	s.id in contact_ids
	s.count >= 10
}

findings contains {
	"code": "special-category-data",
	"tier": 1,
	"rule": "special-category",
	"reason": "Special-category personal data (GDPR Art 9(1): origin, opinions, beliefs, union membership, genetic, biometric, health or sex life data)",
} if {
	some s in special_signals
	s.id != "special.criminal_record"
}

findings contains {
	"code": "special-category-data",
	"tier": 1,
	"rule": "criminal-record",
	"reason": "Personal data on criminal convictions and offences (GDPR Art 10)",
} if {
	some s in special_signals
	s.id == "special.criminal_record"
}

findings contains {
	"code": "special-category-schema",
	"tier": 2,
	"rule": "special-category-schema",
	"reason": "Code or schema that processes special-category data (fields for GDPR Art 9(1) or Art 10 data declared without values): it shows what the system holds about people, and holds none of it",
} if {
	not special_data
	some s in input.file.signals
	startswith(s.id, "special_field.")
	s.confidence in {"medium", "high"}
}

special_data if {
	some _ in special_signals
}

findings contains {
	"code": "personal-data",
	"tier": 2,
	"rule": "person-records",
	"reason": "Records of people: names with dates of birth",
} if {
	some s in input.file.signals
	s.id in record_ids
}

findings contains {
	"code": "personal-data",
	"tier": 2,
	"rule": "personal-document",
	"reason": "A document about one identified person (a CV, an interview record, a form about them): personal data",
} if {
	some s in input.file.signals
	s.id == "pii.personal_document"
}

findings contains {
	"code": "personal-data",
	"tier": 2,
	"rule": "person-events",
	"reason": "A record of events about people (log lines or timestamped rows that each name a person, pseudonymous ids included): personal data",
} if {
	some s in input.file.signals
	s.id == "pii.person_events"
}
