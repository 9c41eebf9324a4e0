# EU AI Act pack: Annex III (high-risk AI systems) candidates and Art 5 overlaps, from
# the `annex3.*` signals of the Annex III detector family (rules/annex3/).
#
# Annex III status attaches to an AI system's intended purpose, not to a file, so this
# pack never gives a verdict: it flags a point as a *candidate* for legal review, kept
# apart from the tier in each finding's `annex_iii`. Rules:
#
# - A point is judged per component (a package root or the repository: the scan passes
#   the annex3 signals of all its files as `input.component.signals`; a file judged alone
#   is its own component). It is a candidate only in a component with an AI system
#   (`annex3.ai.*`: a model library, training or inference calls, a hosted model's API, a
#   model artifact), with at least two independent signals of that point (distinct
#   signal ids), at least one of them medium or strong, and a positive weight (strong 3,
#   medium 2, weak 1) above the weight of its exclusions (`annex3.<point>.exclude.*`,
#   negative evidence such as 1:1 verification for 1(a)).
# - The flag goes on the files that implement the system: code with the point's own
#   evidence, training data with its columns, the model and its training code. Prose
#   (README, docs) is evidence for the component, never a candidate itself.
# - Art 5 overlaps are `possible-prohibited` instead of `candidate`: 1(b) inferring race,
#   religion, sexual orientation and the like (Art 5(1)(g)); 1(c) emotion recognition in
#   the workplace or in education (Art 5(1)(f)).
# - Tiering defaults: files of a candidate tier 2 (code of a high-risk system is
#   confidential); possible prohibited practices, biometric data and logs of a high-risk
#   system tier 1.
#
# Works on facts only (no glob.match/regex.match); rule heads start in column 1 and carry
# the literal "rule" id so findings point at their rule.
package tiergate.eu_ai_act_annex_iii

import rego.v1

# When Annex III applies, and the 25 points (signal-id key -> label, area, what it covers
# and what else applies): the legal facts of rules/legal/eu_ai_act.yaml, which the legal
# report reads through these rules too.
dates_in_force := data.tiergate.legal.eu_ai_act.dates_in_force

points := data.tiergate.legal.eu_ai_act.points

weights := {"low": 1, "medium": 2, "high": 3}

# Signals that mean a 1(b) system infers an Art 5(1)(g) attribute.
# Inference of a sensitive attribute from biometric data (Art 5(1)(g)): a model's race
# output, its labels, a call asking for race. A self-declared field (an `ethnicity`
# column of a form) is no inference.
art5_g_signals := {
	"annex3.1b.race_inference_call",
	"annex3.1b.race_labels",
	"annex3.1b.race_output",
}

# Signals that are biometric data themselves when found in a data file.
biometric_data_signals := {
	"annex3.1a.face_template_columns",
	"annex3.1b.face_attribute_labels",
	"annex3.1c.emotion_dataset_columns",
}

data_extensions := {
	"csv", "tsv", "psv", "json", "jsonl", "ndjson", "parquet", "avro", "orc", "feather",
	"arrow", "npy", "npz", "pkl", "pickle", "h5", "hdf5", "xlsx", "xls", "sqlite",
	"sqlite3", "db", "sql", "dump", "an2", "eft", "wsq", "nist", "log",
}

# The component's evidence: the annex3 signals of every file of the component the file
# belongs to (a package root or the repository; the scan passes them, one entry per
# signal id), or the file's own when it is judged alone.
component_signals := object.get(input, ["component", "signals"], input.file.signals)

# Every annex3 signal of a known point in the component, with its role and weight.
annex_signals := point_signals(component_signals)

# The same, of this file alone.
file_annex_signals := point_signals(input.file.signals)

point_signals(signals) := { {"point": parts[1], "role": role(parts[2]), "id": s.id, "weight": weights[s.confidence], "count": s.count} |
	some s in signals
	s.category == "annex3"
	parts := split(s.id, ".")
	count(parts) >= 3
	parts[0] == "annex3"
	points[parts[1]]
}

role(x) := "exclude" if x == "exclude"

role(x) := "context" if x == "context"

role(x) := "positive" if not x in {"exclude", "context"}

positive_ids(p) := {a.id | some a in annex_signals; a.point == p; a.role == "positive"}

context_ids(p) := {a.id | some a in annex_signals; a.point == p; a.role == "context"}

weight_of(p, r) := sum([a.weight | some a in annex_signals; a.point == p; a.role == r])

# An AI system: a model library, a training or inference call, a hosted model's API or
# a model artifact in the component (rules/annex3/ai.yaml). Annex III lists AI systems:
# without one, no point is a candidate.
ai_system_ids := {s.id | some s in component_signals; startswith(s.id, "annex3.ai.")}

ai_system if count(ai_system_ids) > 0

# Two independent signals, one medium or strong, not outweighed by exclusions, in a
# component with an AI system.
component_points contains p if {
	ai_system
	some a in annex_signals
	a.role == "positive"
	a.weight >= 2
	p := a.point
	count(positive_ids(p)) >= 2
	weight_of(p, "positive") > weight_of(p, "exclude")
}

# Documentation states a purpose (evidence for the component) but implements nothing.
prose_extensions := {"md", "markdown", "rst", "adoc", "txt", "html", "htm", "pdf", "docx"}

prose if input.file.extension in prose_extensions

file_point_ids(p) := {a.id | some a in file_annex_signals; a.point == p; a.role == "positive"}

file_ai if {
	some s in input.file.signals
	startswith(s.id, "annex3.ai.")
}

# The file implements the component's system for point p (candidate_points asks that p
# be the component's): its code holds the point's own evidence (two independent
# signals; or one medium or strong that is not a library's import: an import is used
# for more than one point), or it is the model or its training code (AI-system evidence
# without another point's medium or strong evidence: a mention in passing does not make
# it another system's). A data file is the system's data by the same test: its own
# columns are the point's evidence (applicants' records for 4(a), credit histories for
# 5(b)): what the system is trained, validated or tested on, or decides about (Art 10).
implements(p) if {
	count(file_point_ids(p)) >= 2
	some a in file_annex_signals
	a.point == p
	a.role == "positive"
	a.weight >= 2
}

implements(p) if {
	some a in file_annex_signals
	a.point == p
	a.role == "positive"
	a.weight >= 2
	not endswith(a.id, "_import")
}

implements(p) if {
	p in component_points
	file_ai
	count({a | some a in file_annex_signals; a.role == "positive"; a.weight >= 2; a.point != p}) == 0
}

# The points this file is flagged with: its component's, where the file implements them.
candidate_points contains p if {
	some p in component_points
	not prose
	implements(p)
}

# Art 5(1)(g) is about inferring a sensitive attribute: the file itself infers one (an
# estimator of age or gender next to it is no such inference), and it is the system,
# not its tests.
prohibited_points contains "1b" if {
	"1b" in candidate_points
	some a in file_annex_signals
	a.id in art5_g_signals
	not "tests" in input.file.zones
	not dataset_labelling
}

# A strong call inferring race is the practice by itself, in a component with an AI
# system, whether or not 1(b)'s other evidence makes it a candidate.
prohibited_points contains "1b" if {
	count(ai_system_ids) > 0
	not prose
	some a in file_annex_signals
	a.id in art5_g_signals
	a.weight == 3
	not "tests" in input.file.zones
	not dataset_labelling
}

# Art 5(1)(e): a face recognition system whose component scrapes images in bulk may be
# building its database by untargeted scraping. Flagged on the files that implement the
# recognition and on the scraper.
prohibited_points contains "1a" if {
	"1a" in component_points
	image_scraping
	not "tests" in input.file.zones
	not prose
	scrapes_or_implements_1a
}

image_scraping_signals := {"annex3.1a.image_scraping_import", "annex3.1a.image_scraping_call"}

image_scraping if {
	some a in annex_signals
	a.id in image_scraping_signals
}

scrapes_or_implements_1a if "1a" in candidate_points

scrapes_or_implements_1a if {
	some a in file_annex_signals
	a.id in image_scraping_signals
}

# Art 5(1)(g) does not cover labelling or filtering lawfully acquired biometric datasets.
dataset_labelling if {
	some a in annex_signals
	a.id == "annex3.1b.context.dataset_labelling"
}

# Art 5(1)(f) is about emotion recognition in the workplace or in education, "except
# where ... intended to be put in place or into the market for medical or safety
# reasons": the setting must show, more than one word in passing does (a word in the
# file that infers emotions, the words again and again in the component, or a point of
# area 3 or 4 beside it), and a medical or safety purpose (a driver's drowsiness, a
# patient's therapy) leaves a candidate, not a possible prohibited practice.
prohibited_points contains "1c" if {
	"1c" in candidate_points
	workplace_or_education
	not medical_or_safety
}

art5_f_settings := {"annex3.1c.context.workplace", "annex3.1c.context.education"}

workplace_or_education if {
	some a in file_annex_signals
	a.id in art5_f_settings
}

workplace_or_education if {
	some a in annex_signals
	a.id in art5_f_settings
	a.count >= 5
}

workplace_or_education if {
	count({a.id | some a in annex_signals; a.id in art5_f_settings}) >= 2
}

workplace_or_education if {
	some p in component_points
	points[p].area in {"3", "4"}
}

medical_or_safety if {
	some a in annex_signals
	a.id == "annex3.1c.context.medical_or_safety"
}

# Facts of rules/legal/eu_ai_act.yaml: each point's Art 5 overlap, the report's duties.
art5_basis := {p: basis | some p, point in points; basis := point.art5}

obligations := data.tiergate.legal.eu_ai_act.obligations

flag(p, status) := {
	"point": points[p].label,
	"status": status,
	"evidence": sort(positive_ids(p) | context_ids(p)),
}

dates_text := sprintf(
	"Annex III applies from %s (%s); a deferral to %s by %s is %s.",
	[dates_in_force.original, dates_in_force.original_basis, dates_in_force.deferred, dates_in_force.amending_act, dates_in_force.deferred_status],
)

# The findings say what the evidence supports and no more: the system's intended
# purpose decides, and the provider may document under Art 6(3) that it poses no
# significant risk.
art6_3_text := "unless its provider documents before placing it on the market (Art 6(4), with registration under Art 49(2)) that it poses no significant risk because it only performs a narrow procedural task, improves the result of a completed human activity, detects decision patterns without replacing or influencing the human assessment without proper review, or performs a preparatory task (Art 6(3)(a)-(d)); never when it profiles natural persons"

candidate_reason(p) := sprintf(
	"Annex III point %s candidate (%s), from at least two independent signals. If this code is part of an AI system whose intended purpose is point %s, that system is high-risk under Art 6(2), %s. Obligations if confirmed: the provider's (Art 16: Art 9, 11, 13, 15, 17, 43, 47-49, 72-73), Art 10 data governance, Art 12 record-keeping, Art 14 human oversight, and the deployer's (Art 26).%s %s Intended purpose decides: legal review needed.",
	[points[p].label, points[p].title, points[p].label, art6_3_text, points[p].extra, dates_text],
)

prohibited_reason(p) := sprintf(
	"Annex III point %s (%s) with evidence of a practice prohibited since %s by %s. If this code is part of an AI system used for that practice, placing it on the market or using it is prohibited: review before any use. If it is not, point %s applies as for any candidate (Art 6(2), %s). %s",
	[points[p].label, points[p].title, dates_in_force.prohibitions, art5_basis[p], points[p].label, art6_3_text, dates_text],
)

candidates_in(area) := {p | some p in candidate_points; points[p].area == area; not p in prohibited_points}

# ---- Annex III candidates, one rule per area ----

# The tier of an Annex III candidate's code: 2 unless tiergate.yaml sets
# policies.settings.eu_ai_act_annex_iii.candidate_tier (a configured tier id; anything
# else makes the files fail closed with a policy error).
candidate_tier := object.get(data.tiergate.config, ["settings", "eu_ai_act_annex_iii", "candidate_tier"], 2)

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-1-biometrics",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("1")
}

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-2-critical-infrastructure",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("2")
}

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-3-education",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("3")
}

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-4-employment",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("4")
}

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-5-essential-services",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("5")
}

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-6-law-enforcement",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("6")
}

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-7-migration",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("7")
}

findings contains {
	"code": "annex-iii-candidate",
	"tier": candidate_tier,
	"rule": "annex-iii-8-justice-democracy",
	"reason": candidate_reason(p),
	"annex_iii": [flag(p, "candidate")],
} if {
	some p in candidates_in("8")
}

# ---- The system's code ----

# A file linked by imports to a file that implements a candidate
# (`input.component.system`, src/component/system.rs): the API that serves its scores,
# the features it is trained and scored on. It shows none of the point's evidence
# itself, so it carries no flag; its tier is the candidate's code's.
system_links := object.get(input, ["component", "system"], [])

relation_text := {"imports": "imports", "imported-by": "is imported by"}

findings contains {
	"code": "annex-iii-system-code",
	"tier": candidate_tier,
	"rule": "annex-iii-system-code",
	"reason": sprintf(
		"Code of the possible Annex III point %s system of its component: it %s a file that implements the system (the component's judgement names it), so it is part of the system's code (Art 11 and Annex IV technical documentation) though it shows no evidence of its own",
		[l.point, relation_text[l.relation]],
	),
} if {
	some l in system_links
}

# ---- Art 5 overlaps: possible prohibited practices, tier 1 ----

findings contains {
	"code": "annex-iii-possible-prohibited",
	"tier": 1,
	"rule": "art5-biometric-categorisation",
	"reason": prohibited_reason("1b"),
	"annex_iii": [flag("1b", "possible-prohibited")],
} if {
	"1b" in prohibited_points
}

findings contains {
	"code": "annex-iii-possible-prohibited",
	"tier": 1,
	"rule": "art5-face-database-scraping",
	"reason": prohibited_reason("1a"),
	"annex_iii": [flag("1a", "possible-prohibited")],
} if {
	"1a" in prohibited_points
}

findings contains {
	"code": "annex-iii-possible-prohibited",
	"tier": 1,
	"rule": "art5-emotion-recognition-work-education",
	"reason": prohibited_reason("1c"),
	"annex_iii": [flag("1c", "possible-prohibited")],
} if {
	"1c" in prohibited_points
}

# ---- Data and logs ----

# Face templates, face-attribute labels and facial-expression datasets are biometric
# data (GDPR Art 9(1), AI Act Art 3(34)): local models only, whatever the Annex III status.
findings contains {
	"code": "biometric-data",
	"tier": 1,
	"rule": "annex-iii-biometric-data",
	"reason": "Biometric data (face templates, face-attribute or facial-expression data; GDPR Art 9(1), AI Act Art 3(34)) stays on local models; Art 10 data governance applies to training, validation and test sets of high-risk systems",
} if {
	input.file.extension in data_extensions
	some a in file_annex_signals
	a.id in biometric_data_signals
}

findings contains {
	"code": "biometric-data",
	"tier": 1,
	"rule": "annex-iii-biometric-data",
	"reason": "Biometric data (GDPR Art 9(1), AI Act Art 3(34)) stays on local models; Art 10 data governance applies to training, validation and test sets of high-risk systems",
} if {
	some s in input.file.signals
	s.id == "special.biometric"
}

# 1:1 verification is outside 1(a) (Annex III point 1(a), second sentence: systems whose
# sole purpose is to confirm that a person is who they claim to be), but the code still
# handles biometric data.
findings contains {
	"code": "biometric-verification",
	"tier": 2,
	"rule": "annex-iii-1a-verification-only",
	"reason": "Biometric verification whose sole purpose is to confirm that a person is who they claim to be is excluded from Annex III point 1(a) (its second sentence), but it processes biometric data to identify a person (GDPR Art 9(1)): the code is confidential and the images and templates it reads stay on local models",
} if {
	some a in file_annex_signals
	a.point == "1a"
	a.role == "exclude"
	a.weight == 3
	not "1a" in candidate_points
}

# Logs written by a high-risk system (Art 12 record-keeping, kept at least six months
# under Art 19 and Art 26(6)) hold the inputs and matches of real people. A log is one
# only when it holds personal data of the people the system processed (a `pii.*` or
# `special.*` signal of its own: events naming a person, contact data...; or biometric
# data: template matches, face attributes): a step trace of the training loop is not. Possible: the component's status is a candidate's.
findings contains {
	"code": "annex-iii-possible-high-risk-log",
	"tier": 1,
	"rule": "annex-iii-possible-high-risk-logs",
	"reason": sprintf("Possibly a log of an Annex III high-risk system: it holds personal data of the people the system processed, and Art 12 record-keeping logs are kept at least six months (Art 19 and Art 26(6)). %s", [dates_text]),
} if {
	high_risk_log
}

# A log whose own lines carry a point's evidence, or any log of a component where a
# point is a candidate (what the system wrote about the people it processed).
high_risk_log if {
	log_file
	personal_data_in_file
	some a in file_annex_signals
	a.role == "positive"
	a.weight >= 2
}

high_risk_log if {
	log_file
	personal_data_in_file
	count(component_points) > 0
}

personal_data_in_file if {
	some s in input.file.signals
	startswith(s.id, "pii.")
}

personal_data_in_file if {
	some s in input.file.signals
	startswith(s.id, "special.")
}

# Face templates and matches, face attributes and expressions of people: biometric data.
personal_data_in_file if {
	some a in file_annex_signals
	a.id in biometric_data_signals
}

log_file if "logs" in input.file.zones

log_file if input.file.extension == "log"

# A table whose every row says when (`schema.timestamped_rows`: who was seen when, what
# was decided when): what a system wrote about the events it saw.
log_file if {
	some s in input.file.signals
	s.id == "schema.timestamped_rows"
}
