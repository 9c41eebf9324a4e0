// @generated from rules/media/media.yaml by tiergate::rules::codegen; do not edit.
// Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.

use super::Codec::{Bmp, Gif, Jpeg, Png, Webp};
use super::Kind::{Audio, Image, Unsupported, Video};
use super::{Format, Tables};

/// The media family's knowledge.
pub const TABLES: Tables = Tables {
    max_pixels: 20000000,
    max_bytes: 8388608,
    detect_side: 480,
    min_side: 40,
    min_face: 20,
    min_score: 2.0,
    medium_score: 5.0,
    high_score: 10.0,
    skin_cell: 8,
    formats: &[
        Format { name: "png", kind: Image(Png), magic: &[(0, b"\x89PNG\x0d\x0a\x1a\x0a")], brands: &[], extensions: &[] },
        Format { name: "jpeg", kind: Image(Jpeg), magic: &[(0, b"\xff\xd8\xff")], brands: &[], extensions: &[] },
        Format { name: "gif", kind: Image(Gif), magic: &[(0, b"GIF8")], brands: &[], extensions: &[] },
        Format { name: "webp", kind: Image(Webp), magic: &[(0, b"RIFF"), (8, b"WEBP")], brands: &[], extensions: &[] },
        Format { name: "bmp", kind: Image(Bmp), magic: &[(0, b"BM"), (6, b"\x00\x00\x00\x00")], brands: &[], extensions: &[] },
        Format { name: "heif", kind: Unsupported, magic: &[(4, b"ftyp")], brands: &["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"], extensions: &[] },
        Format { name: "tiff", kind: Unsupported, magic: &[(0, b"II*\x00")], brands: &[], extensions: &[] },
        Format { name: "tiff", kind: Unsupported, magic: &[(0, b"MM\x00*")], brands: &[], extensions: &[] },
        Format { name: "jpeg-xl", kind: Unsupported, magic: &[(0, b"\x00\x00\x00\x0cJXL \x0d\x0a\x87\x0a")], brands: &[], extensions: &[] },
        Format { name: "psd", kind: Unsupported, magic: &[(0, b"8BPS")], brands: &[], extensions: &[] },
        Format { name: "m4a", kind: Audio, magic: &[(4, b"ftypM4A ")], brands: &[], extensions: &[] },
        Format { name: "m4b", kind: Audio, magic: &[(4, b"ftypM4B ")], brands: &[], extensions: &[] },
        Format { name: "mp4", kind: Video, magic: &[(4, b"ftyp")], brands: &[], extensions: &[] },
        Format { name: "quicktime", kind: Video, magic: &[(4, b"moov")], brands: &[], extensions: &[] },
        Format { name: "quicktime", kind: Video, magic: &[(4, b"mdat")], brands: &[], extensions: &[] },
        Format { name: "quicktime", kind: Video, magic: &[(4, b"wide")], brands: &[], extensions: &["mov", "qt"] },
        Format { name: "matroska-audio", kind: Audio, magic: &[(0, b"\x1aE\xdf\xa3")], brands: &[], extensions: &["mka", "weba"] },
        Format { name: "matroska", kind: Video, magic: &[(0, b"\x1aE\xdf\xa3")], brands: &[], extensions: &[] },
        Format { name: "avi", kind: Video, magic: &[(0, b"RIFF"), (8, b"AVI ")], brands: &[], extensions: &[] },
        Format { name: "flv", kind: Video, magic: &[(0, b"FLV\x01")], brands: &[], extensions: &[] },
        Format { name: "mpeg-ps", kind: Video, magic: &[(0, b"\x00\x00\x01\xba")], brands: &[], extensions: &[] },
        Format { name: "mpeg-video", kind: Video, magic: &[(0, b"\x00\x00\x01\xb3")], brands: &[], extensions: &[] },
        Format { name: "mpeg-ts", kind: Video, magic: &[(0, b"G"), (188, b"G"), (376, b"G")], brands: &[], extensions: &[] },
        Format { name: "asf-audio", kind: Audio, magic: &[(0, b"0&\xb2u\x8ef\xcf\x11")], brands: &[], extensions: &["wma"] },
        Format { name: "asf", kind: Video, magic: &[(0, b"0&\xb2u\x8ef\xcf\x11")], brands: &[], extensions: &[] },
        Format { name: "ogg-theora", kind: Video, magic: &[(0, b"OggS"), (28, b"\x80theora")], brands: &[], extensions: &[] },
        Format { name: "ogg", kind: Audio, magic: &[(0, b"OggS")], brands: &[], extensions: &[] },
        Format { name: "wav", kind: Audio, magic: &[(0, b"RIFF"), (8, b"WAVE")], brands: &[], extensions: &[] },
        Format { name: "flac", kind: Audio, magic: &[(0, b"fLaC")], brands: &[], extensions: &[] },
        Format { name: "mp3", kind: Audio, magic: &[(0, b"ID3")], brands: &[], extensions: &[] },
        Format { name: "mp3", kind: Audio, magic: &[(0, b"\xff\xfb")], brands: &[], extensions: &["mp3"] },
        Format { name: "mp3", kind: Audio, magic: &[(0, b"\xff\xf3")], brands: &[], extensions: &["mp3"] },
        Format { name: "aac", kind: Audio, magic: &[(0, b"\xff\xf1")], brands: &[], extensions: &["aac"] },
        Format { name: "aiff", kind: Audio, magic: &[(0, b"FORM"), (8, b"AIFF")], brands: &[], extensions: &[] },
        Format { name: "aiff", kind: Audio, magic: &[(0, b"FORM"), (8, b"AIFC")], brands: &[], extensions: &[] },
        Format { name: "amr", kind: Audio, magic: &[(0, b"#!AMR")], brands: &[], extensions: &[] },
    ],
};
