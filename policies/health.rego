# Health pack (HIPAA, GDPR Art 9): diagnoses found in a file's content (`health.icd10`,
# ICD-10 codes with medical keywords nearby, or a column of them) and health data
# (`special.health`: health columns or keys holding values, a table of conditions per
# person), src/detect/pii.rs. A health field declared without values
# (`special_field.health`) is not health data: the personal data pack makes it tier 2.
#
# Health information tied to any of the HIPAA safe-harbour identifiers (45 CFR
# 164.514(b)(2): names, dates, phone, e-mail, SSN, medical record numbers...) is PHI,
# and health data is a GDPR Art 9(1) special category. A file cannot show that its
# diagnoses are de-identified, so validated ICD-10 codes are tier 1. A code-shaped
# token without a medical keyword (low confidence: `E11` is also a version number or
# a grid cell) is not a finding on its own.
package tiergate.health

import rego.v1

findings contains {
	"code": "health-data",
	"tier": 1,
	"rule": "diagnosis-codes",
	"reason": "ICD-10 diagnosis codes: health data (HIPAA PHI when stored with any identifier, 45 CFR 164.514(b)(2); GDPR Art 9(1))",
} if {
	some s in input.file.signals
	s.id == "health.icd10"
	s.confidence in {"medium", "high"}
}

findings contains {
	"code": "health-data",
	"tier": 1,
	"rule": "health-columns",
	"reason": "Health data columns: HIPAA PHI when stored with any identifier (45 CFR 164.514(b)(2)) and GDPR Art 9(1) special-category data",
} if {
	some s in input.file.signals
	s.id == "special.health"
}
