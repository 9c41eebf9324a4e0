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
