//! `rules/media/media.yaml`: the media detectors' knowledge ([`crate::detect::media`]).
//!
//! - `bounds`: `max_pixels` and `max_bytes` (an image over either is not decoded),
//!   `detect_side` (the longest side of the picture the face detector looks at) and
//!   `min_side` (an image whose shorter side is smaller is not looked at);
//! - `faces`: `min_face` (pixels of the detection picture, at least 20), `min_score`,
//!   `medium_score` and `high_score` (the detector's scores for a face, and for a
//!   `medium` and a `high` one);
//! - `skin`: the prefilter's `cell` (pixels of the detection picture): a colour
//!   picture goes to the detector when some cell is at least half skin-coloured;
//! - `formats`: in the order they are tried, each `name`, `kind` (`image`, with its
//!   `codec`; `unsupported`, an image not decoded; `video`; `audio`), `magic` (a list
//!   of `{at, hex}` or `{at, text}`: bytes at an offset, all of which must be there),
//!   optional `brands` (ISO base media brands, four characters) and `extensions`
//!   (which confirm a format whose first bytes are weak evidence);
//! - `examples`: a `match` and a `no_match` list for every `media.*` signal, written
//!   as `hex` (the files are binary).
//!
//! The decoders, the prefilter and the detector stay in Rust; the detector's model is
//! the one the `rustface` crate ships. A repository's rules cannot change this family.

use super::annex3::Examples;
use super::read::{parse_one, signal_examples};
use crate::detect::media::{Codec, Kind, SIGNAL_IDS};
use crate::diag::Diagnostic;
use crate::schema::{Ctx, Located, Node};

/// The file names of the family.
pub const FILES: &[&str] = &["media.yaml"];

/// One format, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatRule {
    pub name: String,
    pub kind: Kind,
    pub magic: Vec<(usize, Vec<u8>)>,
    pub brands: Vec<String>,
    pub extensions: Vec<String>,
}

/// The family's rules, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaRules {
    pub max_pixels: u64,
    pub max_bytes: u64,
    pub detect_side: u64,
    pub min_side: u64,
    pub min_face: u64,
    pub min_score: f64,
    pub medium_score: f64,
    pub high_score: f64,
    pub skin_cell: u64,
    pub formats: Vec<FormatRule>,
    /// Examples per signal: (signal, file as shown, examples).
    pub examples: Vec<(String, String, Examples)>,
}

const TOP: &[&str] = &["bounds", "faces", "skin", "formats", "examples"];
const CODECS: &[(&str, Codec)] = &[
    ("png", Codec::Png),
    ("jpeg", Codec::Jpeg),
    ("gif", Codec::Gif),
    ("webp", Codec::Webp),
    ("bmp", Codec::Bmp),
];

/// Read the file (display, text).
pub fn parse(files: [(&str, &str); 1]) -> Result<MediaRules, Vec<Diagnostic>> {
    let [file] = files;
    parse_one(file, body)
}

fn body(cx: &mut Ctx<'_>, root: &Located<Node>, out: &mut MediaRules) {
    let Some(top) = cx.mapping(
        root,
        "a mapping with `bounds`, `faces`, `skin`, `formats` and `examples`",
        Some(TOP),
    ) else {
        return;
    };
    cx.require(root, &top, TOP, "the media file");
    // (key, least, most) of each integer.
    let ints = |cx: &mut Ctx<'_>, section: &str, keys: &[(&str, u64, u64)]| -> Vec<u64> {
        let Some(f) = top.get(section) else {
            return vec![0; keys.len()];
        };
        let names: Vec<&str> = keys.iter().map(|k| k.0).collect();
        let Some(fields) = cx.mapping(f.value, &format!("a mapping of {section}"), Some(&names))
        else {
            return vec![0; keys.len()];
        };
        cx.require(f.value, &fields, &names, &format!("`{section}`"));
        keys.iter()
            .map(|&(key, lo, hi)| {
                let Some(v) = fields.get(key) else { return 0 };
                match cx.positive(v.value, key) {
                    Some(n) if (lo..=hi).contains(&n) => n,
                    Some(n) => {
                        cx.error(
                            v.value.pos(),
                            "invalid-value",
                            format!("{key} must be between {lo} and {hi}, found {n}"),
                        );
                        0
                    }
                    None => 0,
                }
            })
            .collect()
    };
    let b = ints(
        cx,
        "bounds",
        &[
            ("max_pixels", 1, 1 << 32),
            ("max_bytes", 1, 1 << 32),
            ("detect_side", 20, 4096),
            ("min_side", 20, 4096),
        ],
    );
    (out.max_pixels, out.max_bytes, out.detect_side, out.min_side) = (b[0], b[1], b[2], b[3]);
    out.skin_cell = ints(cx, "skin", &[("cell", 1, 64)])[0];
    if let Some(f) = top.get("faces") {
        faces(cx, f.value, out);
    }
    if let Some(f) = top.get("formats") {
        formats(cx, f.value, out);
    }
    if let Some(f) = top.get("examples") {
        out.examples = signal_examples(cx, f.value, SIGNAL_IDS, SIGNAL_IDS);
    }
}

fn faces(cx: &mut Ctx<'_>, node: &Located<Node>, out: &mut MediaRules) {
    const KEYS: &[&str] = &["min_face", "min_score", "medium_score", "high_score"];
    let Some(fields) = cx.mapping(
        node,
        "a mapping of the face detector's settings",
        Some(KEYS),
    ) else {
        return;
    };
    cx.require(node, &fields, KEYS, "`faces`");
    if let Some(f) = fields.get("min_face") {
        match cx.positive(f.value, "min_face") {
            Some(n) if n >= 20 => out.min_face = n,
            Some(n) => cx.error(
                f.value.pos(),
                "invalid-value",
                format!("min_face is at least 20 (the detector's smallest window), found {n}"),
            ),
            None => {}
        }
    }
    let mut score = |key: &str| -> f64 {
        let Some(f) = fields.get(key) else { return 0.0 };
        #[allow(clippy::cast_precision_loss)]
        let v = match f.value.value {
            Node::Float(v) => v,
            Node::Int(i) => i as f64,
            _ => {
                cx.type_error(f.value, "a detector score");
                return 0.0;
            }
        };
        if v > 0.0 && v < 100.0 {
            v
        } else {
            cx.error(
                f.value.pos(),
                "invalid-value",
                format!("{key} must be between 0 and 100, found {v}"),
            );
            0.0
        }
    };
    (out.min_score, out.medium_score, out.high_score) = (
        score("min_score"),
        score("medium_score"),
        score("high_score"),
    );
    if !(out.min_score <= out.medium_score && out.medium_score <= out.high_score) {
        cx.error(
            node.pos(),
            "invalid-value",
            "the scores must be in order: min_score <= medium_score <= high_score",
        );
    }
}

fn formats(cx: &mut Ctx<'_>, node: &Located<Node>, out: &mut MediaRules) {
    const KEYS: &[&str] = &["name", "kind", "codec", "magic", "brands", "extensions"];
    let Some(items) = cx.seq(node, "a list of formats") else {
        return;
    };
    for item in items {
        let Some(f) = cx.mapping(item, "a format", Some(KEYS)) else {
            continue;
        };
        cx.require(item, &f, &["name", "kind", "magic"], "a format");
        let name = f
            .get("name")
            .and_then(|v| cx.string(v.value, "a format name"));
        let codec = f.get("codec").and_then(|v| {
            let s = cx.string(v.value, "a codec")?;
            let found = CODECS.iter().find(|(n, _)| *n == s).map(|(_, c)| *c);
            if found.is_none() {
                cx.error(
                    v.value.pos(),
                    "invalid-value",
                    format!("unknown codec `{s}`; expected one of png, jpeg, gif, webp, bmp"),
                );
            }
            found
        });
        let kind = f.get("kind").and_then(|v| {
            let s = cx.string(v.value, "a kind")?;
            let kind = match (s, codec) {
                ("image", Some(c)) => Kind::Image(c),
                ("unsupported", None) => Kind::Unsupported,
                ("video", None) => Kind::Video,
                ("audio", None) => Kind::Audio,
                ("image", None) => {
                    cx.error(
                        v.value.pos(),
                        "missing-key",
                        "an image format names its `codec`",
                    );
                    return None;
                }
                ("unsupported" | "video" | "audio", Some(_)) => {
                    cx.error(
                        v.value.pos(),
                        "invalid-value",
                        "only an `image` format has a `codec`",
                    );
                    return None;
                }
                _ => {
                    cx.error(
                        v.value.pos(),
                        "invalid-value",
                        format!(
                            "unknown kind `{s}`; expected one of image, unsupported, video, audio"
                        ),
                    );
                    return None;
                }
            };
            Some(kind)
        });
        let magic = f.get("magic").and_then(|v| magic(cx, v.value));
        let mut words = |key: &str, len: Option<usize>| -> Vec<String> {
            let Some(v) = f.get(key) else {
                return Vec::new();
            };
            let Some(items) = cx.seq(v.value, "a list of strings") else {
                return Vec::new();
            };
            items
                .iter()
                .filter_map(|i| {
                    let s = cx.string(i, "a string")?;
                    if len.is_some_and(|n| s.len() != n) || s.is_empty() {
                        cx.error(i.pos(), "invalid-value", format!("`{s}` is not a {key} entry (a brand is four characters, an extension one or more)"));
                        return None;
                    }
                    Some(s.to_string())
                })
                .collect()
        };
        let brands = words("brands", Some(4));
        let extensions = words("extensions", None);
        if let (Some(name), Some(kind), Some(magic)) = (name, kind, magic) {
            out.formats.push(FormatRule {
                name: name.to_string(),
                kind,
                magic,
                brands,
                extensions,
            });
        }
    }
}

/// `[{at, hex}|{at, text}]`: at least one entry, each a few bytes within the first
/// kilobyte.
fn magic(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<(usize, Vec<u8>)>> {
    let items = cx.seq(node, "a list of `{at, hex}` or `{at, text}`")?;
    let mut out = Vec::new();
    for item in items {
        let Some(f) = cx.mapping(
            item,
            "`{at, hex}` or `{at, text}`",
            Some(&["at", "hex", "text"]),
        ) else {
            continue;
        };
        let at = match f.get("at").map(|v| (v, cx.int(v.value, "an offset"))) {
            Some((_, Some(n))) if (0..=1024).contains(&n) => n as usize,
            Some((v, Some(_))) => {
                cx.error(
                    v.value.pos(),
                    "invalid-value",
                    "an offset is between 0 and 1024",
                );
                continue;
            }
            Some((_, None)) => continue,
            None => {
                cx.error(item.pos(), "missing-key", "a magic entry has `at`");
                continue;
            }
        };
        let bytes = match (f.get("hex"), f.get("text")) {
            (Some(h), None) => cx.string(h.value, "hex digits").and_then(|s| {
                let b = super::annex3::hex_bytes(s);
                if b.is_none() {
                    cx.error(
                        h.value.pos(),
                        "invalid-value",
                        "`hex` is pairs of hex digits",
                    );
                }
                b
            }),
            (None, Some(t)) => cx.string(t.value, "text").map(|s| s.as_bytes().to_vec()),
            _ => {
                cx.error(
                    item.pos(),
                    "invalid-value",
                    "a magic entry has one of `hex` and `text`",
                );
                None
            }
        };
        match bytes {
            Some(b) if !b.is_empty() && b.len() <= 16 => out.push((at, b)),
            Some(_) => cx.error(item.pos(), "invalid-value", "magic bytes are 1 to 16 bytes"),
            None => {}
        }
    }
    if out.is_empty() {
        cx.error(
            node.pos(),
            "invalid-value",
            "a format needs at least one magic entry",
        );
        return None;
    }
    Some(out)
}
