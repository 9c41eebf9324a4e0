# Tests for the media pack; run by `cargo test` and `tiergate policy test`
# (see secrets_test.rego).
package tiergate.media_test

import rego.v1

import data.tiergate.media

file(signals) := {
	"input_version": 1,
	"file": {
		"kind": "binary",
		"extension": "jpg",
		"language": null,
		"size_class": "medium",
		"git": "tracked",
		"zones": [],
		"rules": [],
		"content_scanned": false,
		"signals": signals,
	},
}

sig(id, confidence, n) := {"id": id, "category": "media", "confidence": confidence, "count": n}

hits(signals) := {[f.code, f.tier, f.rule] | some f in fs} if {
	fs := media.findings with input as file(signals)
}

rules(signals) := {r | some [_, _, r] in hits(signals)}

test_a_face_is_personal_data_tier_2 if {
	hits([sig("media.face", "high", 1)]) == {["personal-data", 2, "face-in-image"]}
	hits([sig("media.face", "medium", 5)]) == {["personal-data", 2, "face-in-image"]}
}

test_a_low_confidence_face_is_tier_2_under_its_own_rule if {
	hits([sig("media.face", "low", 1)]) == {["personal-data", 2, "possible-face-in-image"]}
	not "face-in-image" in rules([sig("media.face", "low", 1)])
}

test_a_clear_face_and_a_low_one_are_one_finding if {
	hits([sig("media.face", "high", 1), sig("media.face", "low", 1)]) == {["personal-data", 2, "face-in-image"]}
	not "possible-face-in-image" in rules([sig("media.face", "high", 1), sig("media.face", "low", 1)])
}

test_the_reason_cites_gdpr if {
	some f in media.findings with input as file([sig("media.face", "high", 2)])
	contains(f.reason, "GDPR Art 4(1)")
}

test_an_image_without_a_face_is_nothing if {
	hits([]) == set()
	not "face-in-image" in rules([])
	not "possible-face-in-image" in rules([])
}

test_other_signals_are_not_faces if {
	signals := [sig("pii.email", "high", 1), sig("annex3.1a.face_recognition_import", "high", 1)]
	hits(signals) == set()
}

test_what_was_not_examined_is_a_note if {
	every id in ["media.not_examined.too_large", "media.not_examined.undecodable", "media.not_examined.unsupported_format", "media.not_examined.later_frames"] {
		hits([sig(id, "high", 1)]) == {["media-not-examined", null, "image-not-examined"]}
	}
	some f in media.findings with input as file([sig("media.not_examined.unsupported_format", "high", 1)])
	contains(f.reason, "HEIC")
}

test_an_animation_with_a_face_is_tier_2_and_noted if {
	hits([sig("media.face", "high", 1), sig("media.not_examined.later_frames", "high", 1)]) == {
		["personal-data", 2, "face-in-image"],
		["media-not-examined", null, "image-not-examined"],
	}
}

test_recordings_are_noted_not_tiered if {
	hits([sig("media.video", "high", 1)]) == {["recording", null, "recording"]}
	hits([sig("media.audio", "high", 1)]) == {["recording", null, "recording"]}
	some f in media.findings with input as file([sig("media.audio", "high", 1)])
	startswith(f.reason, "An audio recording")
}

in_component(signals, component) := object.union(file(signals), {"input_version": 2, "component": component})

csig(id, confidence) := {"id": id, "category": "annex3", "confidence": confidence, "count": 1}

chits(signals, component) := {[f.code, f.tier, f.rule] | some f in fs} if {
	fs := media.findings with input as in_component(signals, component)
}

face_recognition := [
	csig("annex3.1a.face_recognition_import", "high"),
	csig("annex3.1a.face_search_call", "medium"),
	csig("annex3.ai.recognition_library_import", "high"),
]

test_a_face_in_a_biometric_component_is_biometric_data_tier_1 if {
	["biometric-data", 1, "face-in-biometric-component"] in chits([sig("media.face", "high", 1)], {"signals": face_recognition})
	some f in media.findings with input as in_component([sig("media.face", "low", 1)], {"signals": face_recognition})
	f.rule == "face-in-biometric-component"
	contains(f.reason, "remote biometric identification, Annex III 1(a)")
	contains(f.reason, "Art 9(1)")
}

test_a_recording_in_an_emotion_recognition_component_is_tier_1 if {
	emotion := [
		csig("annex3.1c.emotion_dataset", "medium"),
		csig("annex3.1c.emotion_labels", "medium"),
		csig("annex3.ai.training_call", "medium"),
	]
	chits([sig("media.audio", "high", 1)], {"signals": emotion}) == {
		["recording", null, "recording"],
		["biometric-data", 1, "recording-in-biometric-component"],
	}
	["biometric-data", 1, "recording-in-biometric-component"] in chits([sig("media.video", "high", 1)], {"signals": emotion})
}

test_without_an_ai_system_the_purpose_words_make_no_biometric_component if {
	words := [csig("annex3.1a.face_recognition_import", "high"), csig("annex3.1a.face_search_call", "medium")]
	chits([sig("media.face", "high", 1)], {"signals": words}) == {["personal-data", 2, "face-in-image"]}
	chits([sig("media.audio", "high", 1)], {"signals": words}) == {["recording", null, "recording"]}
}

test_one_signal_or_an_outweighing_exclusion_is_no_biometric_component if {
	one := [csig("annex3.1c.emotion_labels", "high"), csig("annex3.ai.training_call", "medium")]
	chits([sig("media.audio", "high", 1)], {"signals": one}) == {["recording", null, "recording"]}
	sentiment := [
		csig("annex3.1c.emotion_labels", "medium"),
		csig("annex3.1c.emotion_recognition_terms", "low"),
		csig("annex3.1c.exclude.text_sentiment", "high"),
		csig("annex3.ai.training_call", "medium"),
	]
	chits([sig("media.audio", "high", 1)], {"signals": sentiment}) == {["recording", null, "recording"]}
}

test_other_points_make_no_biometric_component if {
	hiring := [csig("annex3.4a.candidate_columns", "high"), csig("annex3.4a.screening_terms", "medium"), csig("annex3.ai.inference_call", "medium")]
	chits([sig("media.face", "high", 1)], {"signals": hiring}) == {["personal-data", 2, "face-in-image"]}
}

test_a_face_in_a_set_laid_out_by_person_is_tier_1 if {
	chits([sig("media.face", "medium", 1)], {"signals": [], "person_set": true}) == {
		["personal-data", 2, "face-in-image"],
		["biometric-data", 1, "face-in-person-set"],
	}
	# A picture without a face in such a folder is not raised by the layout.
	chits([], {"signals": [], "person_set": true}) == set()
}

test_recordings_and_faces_in_a_monitoring_component_are_its_data_tier_1 if {
	proctoring := [
		csig("annex3.3d.cheating_signals", "medium"),
		csig("annex3.3d.gaze_tracking", "medium"),
		csig("annex3.ai.inference_call", "medium"),
	]
	chits([sig("media.video", "high", 1)], {"signals": proctoring}) == {
		["recording", null, "recording"],
		["high-risk-data", 1, "media-in-monitoring-component"],
	}
	["high-risk-data", 1, "media-in-monitoring-component"] in chits([sig("media.face", "high", 1)], {"signals": proctoring})
	some f in media.findings with input as in_component([sig("media.audio", "high", 1)], {"signals": proctoring})
	f.rule == "media-in-monitoring-component"
	contains(f.reason, "the monitoring of students during tests, Annex III 3(d)")
}

test_a_weak_word_of_monitoring_or_no_ai_system_makes_no_monitoring_component if {
	chits([sig("media.video", "high", 1)], {"signals": [csig("annex3.3d.proctoring_terms", "low"), csig("annex3.ai.inference_call", "medium")]}) == {["recording", null, "recording"]}
	chits([sig("media.video", "high", 1)], {"signals": [csig("annex3.3d.cheating_signals", "medium"), csig("annex3.3d.gaze_tracking", "medium")]}) == {["recording", null, "recording"]}
}
