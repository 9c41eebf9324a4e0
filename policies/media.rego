# Media pack: what images and recordings show (`media.*` signals, src/detect/media).
#
# - A photograph showing a person is personal data (GDPR Art 4(1): any information
#   relating to an identified or identifiable natural person, and a face identifies):
#   tier 2. A face the detector scores low is still most likely a face (the detector
#   finds none in textures, drawings, logos or screenshots without people), so it is
#   tier 2 as well, under its own rule, for a reviewer to tell the two apart.
# - Photographs in a biometric component, or laid out as an identity-labelled set (a
#   folder per person, side by side: `dataset/<person>/<n>.jpg`), are biometric data
#   (GDPR Art 4(14), Art 9(1)): tier 1. A scan passes a picture with a face its
#   component's Annex III evidence (`input.component.signals`) and whether it is in
#   such a set (`input.component.person_set`, see src/component.rs).
# - Videos and audio are never decoded: they are noted, and judged by the component
#   they belong to: in a biometric or emotion-recognition component they are tier 1.
# - A biometric component is one with an AI system (`annex3.ai.*`) and the evidence
#   the Annex III pack asks of points 1(a) remote biometric identification, 1(b)
#   biometric categorisation or 1(c) emotion recognition: two independent signals, one
#   medium or strong, not outweighed by the point's exclusions (a text-sentiment
#   classifier is no emotion recognition).
# - What was not examined (an image too large to decode, undecodable, in a format
#   tiergate does not decode, the later frames of an animation) is noted, never silent.
package tiergate.media

import rego.v1

component_signals := object.get(input, ["component", "signals"], [])

person_set := object.get(input, ["component", "person_set"], false)

weights := {"low": 1, "medium": 2, "high": 3}

biometric_points := {"1a", "1b", "1c"}

# Points whose systems watch people through a camera or a microphone: students during
# tests (3(d)), workers (4(b)). What they record is the watched people's data.
monitoring_points := {"3d", "4b"}

# The component's Annex III signals of point p in role r (positive, exclude).
point_signals(p, r) := {s.id: weights[s.confidence] |
	some s in component_signals
	parts := split(s.id, ".")
	count(parts) >= 3
	parts[0] == "annex3"
	parts[1] == p
	role(parts[2]) == r
}

role(x) := x if x in {"exclude", "context"}

role(x) := "positive" if not x in {"exclude", "context"}

component_ai if {
	some s in component_signals
	startswith(s.id, "annex3.ai.")
}

# The biometric points the component's system appears to serve.
biometric_component contains p if {
	component_ai
	some p in biometric_points
	positive := point_signals(p, "positive")
	count(positive) >= 2
	some w in positive
	w >= 2
	sum([v | some v in positive]) > sum([v | some v in point_signals(p, "exclude")])
}

# The monitoring points the component's system appears to serve, by the same test.
monitoring_component contains p if {
	component_ai
	some p in monitoring_points
	positive := point_signals(p, "positive")
	count(positive) >= 2
	some w in positive
	w >= 2
	sum([v | some v in positive]) > sum([v | some v in point_signals(p, "exclude")])
}

monitoring_names := {
	"3d": "the monitoring of students during tests, Annex III 3(d)",
	"4b": "the monitoring of workers, Annex III 4(b)",
}

monitoring_purpose := concat("; ", sort([monitoring_names[p] | some p in monitoring_component]))

point_names := {
	"1a": "remote biometric identification, Annex III 1(a)",
	"1b": "biometric categorisation, Annex III 1(b)",
	"1c": "emotion recognition, Annex III 1(c)",
}

# The component's purpose in words, for the reasons.
biometric_purpose := concat("; ", sort([point_names[p] | some p in biometric_component]))

face_signals contains s if {
	some s in input.file.signals
	s.id == "media.face"
}

clear_face if {
	some s in face_signals
	s.confidence in {"medium", "high"}
}

findings contains {
	"code": "personal-data",
	"tier": 2,
	"rule": "face-in-image",
	"reason": "An image showing a person's face: a photograph of a person is personal data (GDPR Art 4(1))",
} if {
	clear_face
}

findings contains {
	"code": "personal-data",
	"tier": 2,
	"rule": "possible-face-in-image",
	"reason": "An image in which the face detector found a face at low confidence: probably a photograph of a person, personal data (GDPR Art 4(1))",
} if {
	some s in face_signals
	s.confidence == "low"
	not clear_face
}

findings contains {
	"code": "biometric-data",
	"tier": 1,
	"rule": "face-in-biometric-component",
	"reason": sprintf("A photograph of a person's face in a component whose AI system appears to serve %s: biometric data (GDPR Art 4(14), Art 9(1))", [biometric_purpose]),
} if {
	count(face_signals) > 0
	count(biometric_component) > 0
}

findings contains {
	"code": "biometric-data",
	"tier": 1,
	"rule": "face-in-person-set",
	"reason": "A photograph of a person's face in a set laid out by person (a folder per person, side by side), as face recognition is trained and evaluated on: biometric data (GDPR Art 4(14), Art 9(1))",
} if {
	count(face_signals) > 0
	person_set
}

# Why an image was not looked at, by signal.
not_examined := {
	"media.not_examined.too_large": "the image is over the bound the media detectors decode (pixels, or bytes the scan reads)",
	"media.not_examined.undecodable": "the image could not be decoded (corrupt, truncated, or a variant the decoder does not read)",
	"media.not_examined.unsupported_format": "the image is in a format tiergate does not decode (HEIC, AVIF, TIFF, JPEG XL, PSD)",
	"media.not_examined.later_frames": "the image is an animation: only its first frame was looked at",
}

findings contains {
	"code": "media-not-examined",
	"tier": null,
	"rule": "image-not-examined",
	"reason": sprintf("Not examined for faces: %s", [why]),
} if {
	some s in input.file.signals
	why := not_examined[s.id]
}

recordings := {
	"media.video": "A video",
	"media.audio": "An audio recording",
}

findings contains {
	"code": "recording",
	"tier": null,
	"rule": "recording",
	"reason": sprintf("%s, not decoded: a recording of people is personal data, and biometric data in a biometric or emotion-recognition component (judged by its component)", [what]),
} if {
	some s in input.file.signals
	what := recordings[s.id]
}

findings contains {
	"code": "biometric-data",
	"tier": 1,
	"rule": "recording-in-biometric-component",
	"reason": sprintf("%s in a component whose AI system appears to serve %s: a recording of the people it identifies, categorises or reads emotions from is biometric data (GDPR Art 4(14), Art 9(1))", [what, biometric_purpose]),
} if {
	some s in input.file.signals
	what := recordings[s.id]
	count(biometric_component) > 0
}

findings contains {
	"code": "high-risk-data",
	"tier": 1,
	"rule": "media-in-monitoring-component",
	"reason": sprintf("%s in a component whose AI system appears to serve %s: a record of the people it watches, the data of a possible high-risk system (Art 10)", [what, monitoring_purpose]),
} if {
	some s in input.file.signals
	what := watched[s.id]
	count(biometric_component) == 0
	count(monitoring_component) > 0
}

watched := {
	"media.video": "A video",
	"media.audio": "An audio recording",
	"media.face": "A photograph of a person's face",
}
