# Tests for the EU AI Act Annex III pack. `cargo test` runs every `test_*` rule of every
# shipped `*_test.rego` (src/policy/rego_tests.rs); `opa test policies/` works too.
package tiergate.eu_ai_act_annex_iii_test

import rego.v1

import data.tiergate.eu_ai_act_annex_iii as annex

# A signal as tiergate passes it (count is a bucket lower bound).
sig(id, confidence) := {"id": id, "category": "annex3", "confidence": confidence, "count": 1}

# The input document for a file with the given signals, zones and extension.
file_with(signals, zones, ext) := {
	"input_version": 1,
	"file": {
		"kind": "text",
		"extension": ext,
		"language": null,
		"size_class": "small",
		"git": "tracked",
		"zones": zones,
		"rules": [],
		"content_scanned": true,
		"signals": signals,
	},
}

# A code file of a component with an AI system (a model library's import).
code_file(signals) := file_with(array.concat(signals, [ai]), [], "py")

ai := sig("annex3.ai.ml_library_import", "high")

# A file of a component whose other files add `more` signals (the scan passes every
# annex3 signal of the component as input.component.signals).
in_component(inp, more) := object.union(inp, {"component": {"signals": array.concat(inp.file.signals, more)}})

findings_for(inp) := fs if {
	fs := annex.findings with input as inp
}

# (code, tier, rule) of every finding.
hits(inp) := {[f.code, f.tier, f.rule] | some f in findings_for(inp)}

# (point, status) of every Annex III flag.
flags(inp) := {[a.point, a.status] | some f in findings_for(inp); some a in f.annex_iii}

evidence(inp, point) := {e | some f in findings_for(inp); some a in f.annex_iii; a.point == point; some e in a.evidence}

# ---- the pack's data ----

test_dates_in_force_carried_as_data if {
	annex.dates_in_force.original == "2026-08-02"
	annex.dates_in_force.deferred == "2027-12-02"
	annex.dates_in_force.amending_act == "Regulation (EU) 2026/1744"
	annex.dates_in_force.deferred_status == "reported, to be confirmed"
}

test_all_25_points_known if {
	count(annex.points) == 25
	{p.area | some p in annex.points} == {"1", "2", "3", "4", "5", "6", "7", "8"}
}

# ---- the two-signal threshold ----

test_no_signals_no_findings if {
	hits(code_file([])) == set()
}

test_one_strong_signal_is_not_a_candidate if {
	hits(code_file([sig("annex3.1a.face_search_call", "high")])) == set()
}

test_two_weak_signals_are_not_a_candidate if {
	hits(code_file([sig("annex3.4a.screening_terms", "low"), sig("annex3.4a.resume_dirs", "low")])) == set()
}

test_one_medium_and_one_weak_make_a_candidate if {
	inp := code_file([sig("annex3.4a.screening_terms", "low"), sig("annex3.4a.candidate_columns", "medium")])
	flags(inp) == {["4(a)", "candidate"]}
}

test_signals_of_different_points_do_not_add_up if {
	hits(code_file([sig("annex3.4a.candidate_columns", "high"), sig("annex3.4b.hr_attrition_columns", "high")])) == set()
}

test_non_annex_signals_are_ignored if {
	inp := code_file([
		{"id": "pii.email", "category": "pii", "confidence": "high", "count": 10},
		sig("annex3.5b.credit_columns", "high"),
	])
	hits(inp) == set()
}

test_unknown_point_is_ignored if {
	hits(code_file([sig("annex3.9z.thing", "high"), sig("annex3.9z.other", "high")])) == set()
}

# ---- exclusions ----

test_exclusion_outweighs_weak_evidence if {
	inp := code_file([
		sig("annex3.1a.face_recognition_import", "high"),
		sig("annex3.1a.watchlist_terms", "low"),
		sig("annex3.1a.exclude.verification_only", "high"),
		sig("annex3.1a.exclude.kyc_liveness", "medium"),
	])
	flags(inp) == set()
	hits(inp) == {["biometric-verification", 2, "annex-iii-1a-verification-only"]}
	# The exclusion is Annex III 1(a)'s own second sentence, not a definition.
	some f in findings_for(inp)
	contains(f.reason, "excluded from Annex III point 1(a) (its second sentence)")
	not contains(f.reason, "Art 3(36)")
}

test_strong_evidence_outweighs_an_exclusion if {
	inp := code_file([
		sig("annex3.1a.face_recognition_import", "high"),
		sig("annex3.1a.face_search_call", "high"),
		sig("annex3.1a.exclude.verification_only", "high"),
	])
	flags(inp) == {["1(a)", "candidate"]}
	not ["biometric-verification", 2, "annex-iii-1a-verification-only"] in hits(inp)
}

test_fraud_exclusion_blocks_credit_candidate if {
	inp := code_file([
		sig("annex3.5b.credit_risk_terms", "medium"),
		sig("annex3.5b.bureau_terms", "low"),
		sig("annex3.5b.exclude.fraud_columns", "high"),
	])
	hits(inp) == set()
}

test_exclusion_of_another_point_does_not_count if {
	inp := code_file([
		sig("annex3.5b.credit_columns", "high"),
		sig("annex3.5b.credit_risk_terms", "medium"),
		sig("annex3.7d.exclude.mrz_parsing", "high"),
	])
	flags(inp) == {["5(b)", "candidate"]}
}

test_verification_note_needs_a_strong_exclusion if {
	inp := code_file([sig("annex3.1a.exclude.kyc_liveness", "medium")])
	hits(inp) == set()
}

# ---- one candidate rule per area ----

test_area_1_candidate if {
	inp := code_file([sig("annex3.1a.face_recognition_import", "high"), sig("annex3.1a.face_search_call", "high")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-1-biometrics"]}
	flags(inp) == {["1(a)", "candidate"]}
	evidence(inp, "1(a)") == {"annex3.1a.face_recognition_import", "annex3.1a.face_search_call"}
}

test_candidate_tier_is_configurable if {
	inp := code_file([sig("annex3.4a.candidate_columns", "high"), sig("annex3.4a.resume_parser_import", "high")])
	settings := {"eu_ai_act_annex_iii": {"candidate_tier": 1}}
	fs := annex.findings with input as inp with data.tiergate.config.settings as settings
	{[f.code, f.tier] | some f in fs} == {["annex-iii-candidate", 1]}
}

test_candidate_tier_defaults_to_2_without_settings if {
	inp := code_file([sig("annex3.4a.candidate_columns", "high"), sig("annex3.4a.resume_parser_import", "high")])
	fs := annex.findings with input as inp with data.tiergate.config.settings as {"other_pack": {"x": 1}}
	{[f.code, f.tier] | some f in fs} == {["annex-iii-candidate", 2]}
}

test_area_1_not_from_one_signal if {
	hits(code_file([sig("annex3.1c.emotion_import", "high")])) == set()
}

test_area_2_candidate if {
	inp := code_file([sig("annex3.2.ics_protocol_import", "medium"), sig("annex3.2.actuation_call", "medium")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-2-critical-infrastructure"]}
	flags(inp) == {["2", "candidate"]}
}

test_area_2_simulation_only_is_not_a_candidate if {
	inp := code_file([
		sig("annex3.2.grid_water_traffic_import", "low"),
		sig("annex3.2.control_terms", "low"),
	])
	hits(inp) == set()
}

test_area_3_candidate if {
	inp := in_component(file_with([sig("annex3.3a.admission_columns", "high"), sig("annex3.3a.admission_target", "medium")], [], "csv"), [ai])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-3-education"]}
	flags(inp) == {["3(a)", "candidate"]}
}

test_area_3_not_from_one_signal if {
	hits(code_file([sig("annex3.3d.gaze_tracking_import", "high")])) == set()
}

test_area_4_candidate if {
	inp := code_file([sig("annex3.4a.resume_parser_import", "high"), sig("annex3.4a.ats_api_host", "high")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-4-employment"]}
	flags(inp) == {["4(a)", "candidate"]}
}

test_area_4_not_from_one_signal if {
	hits(code_file([sig("annex3.4b.hr_attrition_columns", "high")])) == set()
}

test_area_5_candidate if {
	inp := code_file([sig("annex3.5b.scorecard_import", "high"), sig("annex3.5b.credit_columns", "high")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-5-essential-services"]}
	flags(inp) == {["5(b)", "candidate"]}
}

test_area_5_not_from_one_signal if {
	hits(code_file([sig("annex3.5d.dispatch_systems", "high")])) == set()
}

test_area_6_candidate if {
	inp := code_file([sig("annex3.6d.compas_columns", "high"), sig("annex3.6d.recidivism_terms", "medium")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-6-law-enforcement"]}
	flags(inp) == {["6(d)", "candidate"]}
}

test_area_6_not_from_one_signal if {
	hits(code_file([sig("annex3.6d.recidivism_terms", "medium")])) == set()
}

test_area_7_candidate if {
	inp := code_file([sig("annex3.7c.asylum_terms", "medium"), sig("annex3.7c.application_columns", "medium")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-7-migration"]}
	flags(inp) == {["7(c)", "candidate"]}
}

test_area_7_mrz_only_is_not_a_candidate if {
	inp := code_file([
		sig("annex3.7d.exclude.mrz_parsing", "high"),
		sig("annex3.7d.exclude.travel_document_terms", "medium"),
		sig("annex3.7d.border_terms", "medium"),
	])
	hits(inp) == set()
}

test_area_8_candidate if {
	inp := code_file([sig("annex3.8b.voter_file_columns", "high"), sig("annex3.8b.microtargeting_terms", "medium")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-8-justice-democracy"]}
	flags(inp) == {["8(b)", "candidate"]}
}

test_area_8_logistics_is_not_a_candidate if {
	inp := code_file([
		sig("annex3.8b.voter_file_columns", "high"),
		sig("annex3.8b.voter_data_vendor", "medium"),
		sig("annex3.8b.exclude.campaign_logistics", "medium"),
		sig("annex3.8b.exclude.campaign_logistics_import", "high"),
	])
	hits(inp) == set()
}

test_two_points_give_two_flags if {
	inp := code_file([
		sig("annex3.4a.candidate_columns", "high"),
		sig("annex3.4a.resume_parser_import", "high"),
		sig("annex3.1c.emotion_import", "high"),
		sig("annex3.1c.emotion_api_call", "high"),
	])
	flags(inp) == {["4(a)", "candidate"], ["1(c)", "possible-prohibited"]}
}

# ---- Art 5 overlaps ----

test_race_inference_is_possible_prohibited if {
	inp := code_file([sig("annex3.1b.race_inference_call", "high"), sig("annex3.1b.face_attribute_dataset", "high")])
	hits(inp) == {["annex-iii-possible-prohibited", 1, "art5-biometric-categorisation"]}
	flags(inp) == {["1(b)", "possible-prohibited"]}
}

test_age_gender_estimation_is_only_a_candidate if {
	inp := code_file([sig("annex3.1b.age_gender_estimation", "medium"), sig("annex3.1b.face_attribute_dataset", "high")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-1-biometrics"]}
	flags(inp) == {["1(b)", "candidate"]}
}

test_the_file_that_infers_race_is_possible_prohibited_not_its_neighbours if {
	age := code_file([sig("annex3.1b.age_gender_estimation", "medium"), sig("annex3.1b.face_attribute_dataset", "high")])
	race := [sig("annex3.1b.race_labels", "medium")]
	flags(in_component(age, race)) == {["1(b)", "candidate"]}
	flags(in_component(code_file(race), age.file.signals)) == {["1(b)", "possible-prohibited"]}
	# Its tests exercise the inference; they are not the system.
	test := object.union(code_file([sig("annex3.1b.race_inference_call", "high"), sig("annex3.1b.age_gender_estimation", "medium")]), {"file": {"zones": ["tests"]}})
	flags(test) == {["1(b)", "candidate"]}
}

test_art5_g_signal_alone_is_not_flagged if {
	hits(code_file([sig("annex3.1b.race_output", "medium")])) == set()
}

test_a_lone_call_inferring_race_is_possible_prohibited if {
	inp := code_file([sig("annex3.1b.race_inference_call", "high")])
	flags(inp) == {["1(b)", "possible-prohibited"]}
	# Without an AI system, or labelling a lawfully acquired dataset, it is not.
	hits(file_with([sig("annex3.1b.race_inference_call", "high")], [], "py")) == set()
	labelling := code_file([sig("annex3.1b.race_inference_call", "high"), sig("annex3.1b.context.dataset_labelling", "low")])
	not ["1(b)", "possible-prohibited"] in flags(labelling)
}

test_a_face_recognition_system_that_scrapes_images_is_possible_prohibited if {
	recognition := code_file([sig("annex3.1a.face_recognition_import", "high"), sig("annex3.1a.face_search_call", "high")])
	scraper := [sig("annex3.1a.image_scraping_import", "medium")]
	hits(in_component(recognition, scraper)) == {["annex-iii-possible-prohibited", 1, "art5-face-database-scraping"]}
	some f in findings_for(in_component(recognition, scraper))
	contains(f.reason, "Art 5(1)(e)")
	# The scraper itself, in that component.
	flags(in_component(code_file(scraper), recognition.file.signals)) == {["1(a)", "possible-prohibited"]}
}

test_face_recognition_without_scraping_or_scraping_without_it_is_no_art5_e if {
	recognition := code_file([sig("annex3.1a.face_recognition_import", "high"), sig("annex3.1a.face_search_call", "high")])
	flags(recognition) == {["1(a)", "candidate"]}
	scraper := code_file([sig("annex3.1a.image_scraping_import", "medium")])
	flags(scraper) == set()
}

test_a_self_declared_ethnicity_field_beside_age_estimation_is_no_inference if {
	inp := code_file([
		sig("annex3.1b.age_gender_estimation", "medium"),
		sig("annex3.1b.face_attribute_dataset", "high"),
		sig("annex3.1b.sensitive_target_columns", "low"),
	])
	flags(inp) == {["1(b)", "candidate"]}
}

test_emotion_recognition_at_work_is_possible_prohibited if {
	inp := code_file([
		sig("annex3.1c.emotion_import", "high"),
		sig("annex3.1c.emotion_api_call", "high"),
		sig("annex3.1c.context.workplace", "low"),
	])
	hits(inp) == {["annex-iii-possible-prohibited", 1, "art5-emotion-recognition-work-education"]}
	flags(inp) == {["1(c)", "possible-prohibited"]}
	evidence(inp, "1(c)") == {"annex3.1c.emotion_import", "annex3.1c.emotion_api_call", "annex3.1c.context.workplace"}
}

test_emotion_recognition_with_proctoring_is_possible_prohibited if {
	inp := code_file([
		sig("annex3.1c.emotion_import", "high"),
		sig("annex3.1c.emotion_dataset", "medium"),
		sig("annex3.3d.cheating_signals", "medium"),
		sig("annex3.3d.gaze_tracking_import", "high"),
	])
	flags(inp) == {["1(c)", "possible-prohibited"], ["3(d)", "candidate"]}
}

test_emotion_recognition_without_context_is_a_candidate if {
	inp := code_file([sig("annex3.1c.emotion_import", "high"), sig("annex3.1c.emotion_api_call", "high")])
	hits(inp) == {["annex-iii-candidate", 2, "annex-iii-1-biometrics"]}
	flags(inp) == {["1(c)", "candidate"]}
}

test_context_alone_does_not_count_as_a_signal if {
	inp := code_file([sig("annex3.1c.emotion_import", "high"), sig("annex3.1c.context.education", "low")])
	hits(inp) == set()
}

test_a_word_of_the_setting_in_passing_elsewhere_is_no_workplace if {
	model := code_file([sig("annex3.1c.emotion_import", "high"), sig("annex3.1c.emotion_api_call", "high")])
	once := object.union(sig("annex3.1c.context.workplace", "low"), {"count": 1})
	flags(in_component(model, [once])) == {["1(c)", "candidate"]}
	# The words again and again, or both settings, show it.
	often := object.union(sig("annex3.1c.context.workplace", "low"), {"count": 5})
	flags(in_component(model, [often])) == {["1(c)", "possible-prohibited"]}
	both := [once, object.union(sig("annex3.1c.context.education", "low"), {"count": 1})]
	flags(in_component(model, both)) == {["1(c)", "possible-prohibited"]}
}

test_emotion_recognition_for_medical_or_safety_reasons_is_a_candidate if {
	inp := code_file([
		sig("annex3.1c.emotion_import", "high"),
		sig("annex3.1c.emotion_api_call", "high"),
		sig("annex3.1c.context.workplace", "low"),
		sig("annex3.1c.context.medical_or_safety", "low"),
	])
	flags(inp) == {["1(c)", "candidate"]}
}

test_text_sentiment_is_not_emotion_recognition if {
	inp := code_file([
		sig("annex3.1c.exclude.text_sentiment", "high"),
		sig("annex3.1c.exclude.text_sentiment_call", "high"),
		sig("annex3.1c.context.workplace", "low"),
	])
	hits(inp) == set()
}

# ---- biometric data ----

test_face_templates_in_data_are_tier_1 if {
	inp := file_with([sig("annex3.1a.face_template_columns", "high")], [], "csv")
	hits(inp) == {["biometric-data", 1, "annex-iii-biometric-data"]}
}

test_face_template_columns_in_code_are_not_data if {
	hits(code_file([sig("annex3.1a.face_template_columns", "high")])) == set()
}

test_special_biometric_is_tier_1 if {
	inp := code_file([{"id": "special.biometric", "category": "special_category", "confidence": "high", "count": 1}])
	hits(inp) == {["biometric-data", 1, "annex-iii-biometric-data"]}
}

test_biometric_data_with_candidate_keeps_both if {
	inp := in_component(file_with([sig("annex3.1c.emotion_dataset_columns", "high"), sig("annex3.1c.emotion_dataset", "medium")], [], "csv"), [ai])
	hits(inp) == {["biometric-data", 1, "annex-iii-biometric-data"], ["annex-iii-candidate", 2, "annex-iii-1-biometrics"]}
}

# ---- logs of high-risk systems ----

test_logs_with_annex_signals_are_tier_1 if {
	inp := file_with([sig("annex3.1a.face_template_columns", "high")], ["logs"], "log")
	["annex-iii-possible-high-risk-log", 1, "annex-iii-possible-high-risk-logs"] in hits(inp)
}

test_logs_with_only_weak_signals_are_not_flagged if {
	inp := file_with([sig("annex3.5d.triage_terms", "low")], ["logs"], "log")
	hits(inp) == set()
}

test_same_signals_outside_logs_are_not_log_findings if {
	inp := file_with([sig("annex3.5d.dispatch_columns", "medium")], ["docs"], "txt")
	hits(inp) == set()
}

# ---- finding shape ----

test_findings_cite_legal_basis_and_dates if {
	inp := code_file([
		sig("annex3.5b.scorecard_import", "high"),
		sig("annex3.5b.credit_columns", "high"),
		sig("annex3.1b.race_inference_call", "high"),
		sig("annex3.1b.race_output", "medium"),
	])
	fs := findings_for(inp)
	count(fs) == 2
	every f in fs {
		contains(f.reason, "Annex III point")
		contains(f.reason, "Art 6(2)")
		contains(f.reason, "2026-08-02")
		contains(f.reason, "2027-12-02")
		contains(f.reason, "Regulation (EU) 2026/1744")
		count(f.annex_iii) == 1
	}
	some c in fs
	c.code == "annex-iii-candidate"
	# Conditional on the system's purpose, never a verdict; the Art 6(3) conditions and
	# the provider's duties are stated.
	contains(c.reason, "If this code is part of an AI system whose intended purpose is point 5(b)")
	contains(c.reason, "Art 6(3)(a)-(d)")
	contains(c.reason, "never when it profiles natural persons")
	contains(c.reason, "Art 16")
	contains(c.reason, "Art 49(2)")
	contains(c.reason, "Art 10")
	contains(c.reason, "Art 12")
	contains(c.reason, "Art 14")
	contains(c.reason, "Art 26")
	some p in fs
	p.code == "annex-iii-possible-prohibited"
	contains(p.reason, "Art 5(1)(g)")
	# Not prohibited does not mean high-risk: Art 6(3) still applies.
	not contains(p.reason, "If it is not prohibited, it is high-risk")
	contains(p.reason, "Art 6(3)(a)-(d)")
}

test_evidence_is_signal_ids_only if {
	inp := code_file([
		sig("annex3.4a.candidate_columns", "high"),
		sig("annex3.4a.resume_parser_import", "high"),
		sig("annex3.4a.exclude.something", "low"),
	])
	evidence(inp, "4(a)") == {"annex3.4a.candidate_columns", "annex3.4a.resume_parser_import"}
}

# The Art 5 overlaps and the report's obligations are the legal facts, not the pack's own.
test_art5_basis_and_obligations_come_from_the_legal_facts if {
	legal := data.tiergate.legal.eu_ai_act
	annex.art5_basis == {"1a": legal.points["1a"].art5, "1b": legal.points["1b"].art5, "1c": legal.points["1c"].art5}
	startswith(annex.art5_basis["1c"], "Art 5(1)(f)")
	annex.obligations == legal.obligations
	annex.obligations[0].status == "possible-prohibited"
}


# ---- components: purpose judged once, flags on the files that implement it ----

screening := [sig("annex3.4a.candidate_columns", "high"), sig("annex3.4a.resume_parser_import", "high")]

test_no_ai_system_no_candidate if {
	# A data set and its description without any model: not an AI system.
	inp := file_with(screening, [], "py")
	hits(inp) == set()
	hits(in_component(file_with([sig("annex3.4a.screening_terms", "low")], [], "md"), screening)) == set()
}

test_readme_is_evidence_not_a_candidate if {
	readme := in_component(file_with([sig("annex3.4a.screening_terms", "low")], [], "md"), array.concat(screening, [ai]))
	hits(readme) == set()
	# ... while its statement of purpose counts for the component's code.
	code := in_component(code_file([sig("annex3.4a.candidate_columns", "medium")]), [sig("annex3.4a.screening_terms", "low")])
	flags(code) == {["4(a)", "candidate"]}
	evidence(code, "4(a)") == {"annex3.4a.candidate_columns", "annex3.4a.screening_terms"}
}

test_model_artifact_and_training_code_of_a_candidate_component_are_flagged if {
	model := in_component(file_with([sig("annex3.ai.model_artifact", "high")], [], "joblib"), screening)
	flags(model) == {["4(a)", "candidate"]}
	train := in_component(file_with([sig("annex3.ai.training_call", "medium")], [], "py"), screening)
	flags(train) == {["4(a)", "candidate"]}
}

test_model_outside_a_candidate_component_is_not_flagged if {
	hits(file_with([sig("annex3.ai.model_artifact", "high")], [], "joblib")) == set()
}

test_code_with_a_weak_mention_in_a_candidate_component_is_not_flagged if {
	# A helper that mentions shortlisting but holds neither the model nor the features.
	inp := in_component(file_with([sig("annex3.4a.screening_terms", "low")], [], "py"), array.concat(screening, [ai]))
	hits(inp) == set()
}

test_code_of_another_point_in_the_component_is_flagged_with_its_own_point_only if {
	# A component with two systems: the pricing code is not flagged for the ranking.
	pricing := [sig("annex3.5c.insurance_columns", "high"), sig("annex3.5c.actuarial_import", "high")]
	inp := in_component(code_file(pricing), screening)
	flags(inp) == {["5(c)", "candidate"]}
}

test_point_evidence_next_to_the_model_use_is_flagged if {
	inp := in_component(code_file([sig("annex3.4a.candidate_columns", "medium")]), [sig("annex3.4a.resume_parser_import", "high")])
	flags(inp) == {["4(a)", "candidate"]}
}

# ---- the system's data ----

test_a_data_file_with_the_point_s_columns_in_a_candidate_component_is_flagged if {
	data_file := file_with([sig("annex3.5b.credit_columns", "high")], [], "csv")
	scorer := [sig("annex3.5b.credit_risk_terms", "medium"), ai]
	["5(b)", "candidate"] in flags(in_component(data_file, scorer))
	# Alone, or where the point is no candidate, the same file is nothing.
	flags(data_file) == set()
	flags(in_component(data_file, [ai])) == set()
}

test_code_with_the_point_s_own_evidence_implements_the_component_s_system if {
	# The monitoring loop holds the point's evidence; the model is another file's.
	loop := file_with([sig("annex3.3d.cheating_signals", "medium")], [], "py")
	component := [sig("annex3.3d.proctoring_terms", "medium"), ai]
	flags(in_component(loop, component)) == {["3(d)", "candidate"]}
	# Without an AI system in the component, nothing.
	flags(in_component(loop, [sig("annex3.3d.proctoring_terms", "medium")])) == set()
}

test_a_log_of_a_candidate_component_is_a_high_risk_log if {
	log := file_with([object.union(sig("pii.person_events", "medium"), {"category": "pii"})], [], "log")
	proctoring := [sig("annex3.3d.cheating_signals", "medium"), sig("annex3.3d.proctoring_terms", "medium"), ai]
	hits(in_component(log, proctoring)) == {["annex-iii-possible-high-risk-log", 1, "annex-iii-possible-high-risk-logs"]}
	# A log of a component where no point is a candidate is the baseline's business.
	hits(in_component(log, [sig("annex3.3d.proctoring_terms", "medium"), ai])) == set()
	hits(log) == set()
}

test_a_table_whose_rows_say_when_is_a_log_of_a_candidate_component if {
	attendance := file_with([sig("schema.timestamped_rows", "high"), object.union(sig("pii.person_events", "medium"), {"category": "pii"})], [], "csv")
	proctoring := [sig("annex3.3d.cheating_signals", "medium"), sig("annex3.3d.proctoring_terms", "medium"), ai]
	hits(in_component(attendance, proctoring)) == {["annex-iii-possible-high-risk-log", 1, "annex-iii-possible-high-risk-logs"]}
	# Outside a candidate component the same table is nothing to this pack.
	hits(in_component(attendance, [ai])) == set()
	hits(attendance) == set()
}

# ---- the system's code ----

test_code_linked_by_imports_to_a_candidate_s_code_is_the_system_s_code if {
	api := object.union(file_with([], [], "py"), {"component": {
		"signals": [sig("annex3.7c.casework_terms", "medium"), ai],
		"system": [{"point": "7(c)", "relation": "imports"}],
	}})
	hits(api) == {["annex-iii-system-code", 2, "annex-iii-system-code"]}
	# No flag: the file shows none of the point's evidence.
	flags(api) == set()
	some f in findings_for(api)
	contains(f.reason, "point 7(c) system of its component: it imports a file that implements")
	# Without a link, the same file is nothing to this pack.
	hits(in_component(file_with([], [], "py"), [sig("annex3.7c.casework_terms", "medium"), ai])) == set()
}

test_the_system_code_s_tier_is_the_candidate_tier if {
	features := object.union(file_with([], [], "py"), {"component": {
		"signals": [ai],
		"system": [{"point": "5(a)", "relation": "imported-by"}],
	}})
	hits(features) == {["annex-iii-system-code", 1, "annex-iii-system-code"]} with data.tiergate.config.settings.eu_ai_act_annex_iii.candidate_tier as 1
}

test_a_log_without_personal_data_is_no_high_risk_log if {
	trace := file_with([], [], "log")
	proctoring := [sig("annex3.3d.cheating_signals", "medium"), sig("annex3.3d.proctoring_terms", "medium"), ai]
	hits(in_component(trace, proctoring)) == set()
	steps := file_with([sig("schema.timestamped_rows", "high")], [], "csv")
	hits(in_component(steps, proctoring)) == set()
}
