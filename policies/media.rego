# Media pack: what images and recordings show (`media.*` signals, src/detect/media).
#
# - A photograph showing a person is personal data (GDPR Art 4(1): any information
#   relating to an identified or identifiable natural person, and a face identifies):
#   tier 2. A face the detector scores low is still most likely a face (the detector
#   finds none in textures, drawings, logos or screenshots without people), so it is
#   tier 2 as well, under its own rule, for a reviewer to tell the two apart.
# - Photographs in a biometric component, or laid out as an identity-labelled set (a
#   directory per person), are biometric data (Art 9(1), tier 1): that is judged per
#   component from the faces each file holds (`media.face`, its count), not here.
# - Videos and audio are never decoded: they are noted, and judged by the component
#   they belong to (a biometric or emotion-recognition component makes them tier 1).
# - What was not examined (an image too large to decode, undecodable, in a format
#   tiergate does not decode, the later frames of an animation) is noted, never silent.
package tiergate.media

import rego.v1

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
