# Payment pack (PCI DSS): card numbers and bank account identifiers found in a file's
# content (`pii.payment_card`, `pii.iban`, `pii.aba_routing`, src/detect/mod.rs).
#
# PCI DSS account data is cardholder data (the PAN, plus name, expiry and service code
# stored with it) and sensitive authentication data. Wherever the PAN is stored it must
# be rendered unreadable, so a file holding validated card numbers (Luhn, with or
# without a card keyword nearby) is tier 1. Well-known test card numbers are dropped by
# the detector; pattern-only matches (low confidence) are not findings here.
package tiergate.payment

import rego.v1

bank_ids := {"pii.iban", "pii.aba_routing"}

findings contains {
	"code": "cardholder-data",
	"tier": 1,
	"rule": "payment-card-number",
	"reason": "Payment card numbers: PCI DSS cardholder data (the PAN must be protected wherever it is stored)",
} if {
	some s in input.file.signals
	s.id == "pii.payment_card"
	s.confidence in {"medium", "high"}
}

findings contains {
	"code": "bank-account-data",
	"tier": 1,
	"rule": "bank-account-number",
	"reason": "Bank account identifiers (IBAN or ABA routing number, checksum-validated)",
} if {
	some s in input.file.signals
	s.id in bank_ids
	s.confidence in {"medium", "high"}
}
