//! Images and recordings: what a file shows, not what it says. A photograph of a
//! person is personal data (GDPR Art 4(1)); a recording may be biometric data,
//! depending on the component it belongs to.
//!
//! - A file is recognised by its first bytes (never its extension alone), from the
//!   formats of `rules/media/media.yaml` ([`TABLES`]), in order.
//! - Images (PNG, JPEG, GIF, WebP, BMP) are decoded within bounds: an image over the
//!   pixel bound, or whose bytes the scan did not read whole, is not decoded, and says
//!   so (`media.not_examined.too_large`). The first frame is shrunk to the detection
//!   size as it is decoded (`decode`), a skin-tone prefilter looks at the small
//!   picture, and only a picture that passes goes to the face detector (`faces`). A
//!   PNG is first sampled (one pixel per grid pixel: the cost of the decode alone)
//!   and decoded again, averaged, only when the prefilter lets it through. An image too small to show a face (its shorter side under `min_side`)
//!   is not looked at and gives nothing.
//! - Formats tiergate does not decode (HEIC, AVIF, TIFF, JPEG XL, PSD) give
//!   `media.not_examined.unsupported_format`; an image that fails to decode
//!   `media.not_examined.undecodable`; an animation whose later frames were not looked
//!   at `media.not_examined.later_frames`, besides what its first frame gave.
//! - Videos and audio are never decoded: `media.video` and `media.audio` say what the
//!   file is, for the policies and the component judgement to weigh by context.
//!
//! Signals (category `media`): `media.face` (count: the faces found; confidence from
//! the best detector score), `media.video`, `media.audio`, `media.not_examined.*`.

mod decode;
mod faces;
#[rustfmt::skip]
mod tables;

pub use tables::TABLES;

use std::borrow::Cow;
use std::cell::RefCell;

use super::{AnchorRegistry, Family, FileCtx, Hit};
use crate::model::Confidence;

/// The image decoders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Png,
    Jpeg,
    Gif,
    Webp,
    Bmp,
}

/// What a format is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An image tiergate decodes.
    Image(Codec),
    /// An image tiergate does not decode.
    Unsupported,
    Video,
    Audio,
}

/// A file format, recognised by its first bytes.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    pub name: &'static str,
    pub kind: Kind,
    /// Bytes at offsets, all of which must be there.
    pub magic: &'static [(usize, &'static [u8])],
    /// ISO base media brands (the `ftyp` box at offset 4): the major brand or a
    /// compatible one must be among these; empty for other formats.
    pub brands: &'static [&'static str],
    /// For formats whose first bytes are weak evidence: the extensions that confirm
    /// them (lower case); empty when the bytes suffice.
    pub extensions: &'static [&'static str],
}

/// The family's knowledge: formats, bounds and thresholds.
#[derive(Debug, Clone, Copy)]
pub struct Tables {
    /// In the order they are tried; the first that matches is the file's.
    pub formats: &'static [Format],
    /// Images of more pixels (width × height) are not decoded.
    pub max_pixels: u64,
    /// Images of more bytes are not decoded (the scan's content limit, by default).
    pub max_bytes: u64,
    /// The longest side of the picture the detector looks at.
    pub detect_side: u32,
    /// Images whose shorter side is smaller cannot show a face the detector finds.
    pub min_side: u32,
    /// The smallest face, in pixels of the detection picture.
    pub min_face: u32,
    /// The least detector score that counts as a face.
    pub min_score: f64,
    /// Scores from which a face is `medium` and `high` confidence.
    pub medium_score: f64,
    pub high_score: f64,
    /// The skin prefilter's cell side, in pixels of the detection picture: a colour
    /// picture goes to the detector when some cell is at least half skin-coloured.
    pub skin_cell: u32,
}

/// Every signal the family gives.
pub const SIGNAL_IDS: &[&str] = &[
    FACE,
    VIDEO,
    AUDIO,
    TOO_LARGE,
    UNDECODABLE,
    UNSUPPORTED,
    LATER_FRAMES,
];

pub const FACE: &str = "media.face";
pub const VIDEO: &str = "media.video";
pub const AUDIO: &str = "media.audio";
pub const TOO_LARGE: &str = "media.not_examined.too_large";
pub const UNDECODABLE: &str = "media.not_examined.undecodable";
pub const UNSUPPORTED: &str = "media.not_examined.unsupported_format";
pub const LATER_FRAMES: &str = "media.not_examined.later_frames";

/// The format of `content` (a file's first bytes) at `path`, if one of `formats`.
pub fn sniff<'t>(formats: &'t [Format], path: &str, content: &[u8]) -> Option<&'t Format> {
    formats.iter().find(|f| {
        f.magic
            .iter()
            .all(|(at, bytes)| content.get(*at..at + bytes.len()) == Some(bytes))
            && (f.brands.is_empty() || has_brand(content, f.brands))
            && (f.extensions.is_empty() || has_extension(path, f.extensions))
    })
}

/// Whether the `ftyp` box at the start names one of `brands`, as major or compatible.
fn has_brand(content: &[u8], brands: &[&str]) -> bool {
    let Some(size) = content.get(0..4) else {
        return false;
    };
    let size = u32::from_be_bytes(size.try_into().expect("four bytes")) as usize;
    let end = size.clamp(16, 256).min(content.len());
    let named = |b: &[u8]| brands.iter().any(|x| x.as_bytes() == b);
    content.get(8..12).is_some_and(named)
        || content
            .get(16..end)
            .is_some_and(|c| c.chunks_exact(4).any(named))
}

fn has_extension(path: &str, extensions: &[&str]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, e)| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The detector family.
pub struct Media {
    tables: &'static Tables,
}

/// The family over the compiled-in tables.
pub fn new(reg: &mut dyn AnchorRegistry) -> Box<dyn Family> {
    Box::new(Media::with_tables(reg, &TABLES))
}

impl Media {
    /// The family over `tables` (it registers no anchors: formats are recognised by
    /// their first bytes).
    pub fn with_tables(_reg: &mut dyn AnchorRegistry, tables: &'static Tables) -> Media {
        Media { tables }
    }
}

/// Per-thread scratch: the shrunk picture and the detector's scores.
#[derive(Default)]
struct Scratch {
    shrink: decode::Shrink,
    scores: Vec<f64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn hit(out: &mut Vec<Hit>, id: &'static str, confidence: Confidence) {
    out.push(Hit {
        id: Cow::Borrowed(id),
        category: Cow::Borrowed("media"),
        confidence,
        offset: 0,
    });
}

impl Family for Media {
    fn name(&self) -> &'static str {
        "media"
    }

    fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        // Every format recognised here has a NUL among its first bytes: a text file is
        // never one, whatever it starts with.
        if !ctx.binary {
            return;
        }
        let Some(format) = sniff(self.tables.formats, ctx.path, ctx.content) else {
            return;
        };
        match format.kind {
            Kind::Video => hit(out, VIDEO, Confidence::High),
            Kind::Audio => hit(out, AUDIO, Confidence::High),
            Kind::Unsupported => hit(out, UNSUPPORTED, Confidence::High),
            Kind::Image(codec) => self.image(codec, ctx.content, out),
        }
    }
}

impl Media {
    fn image(&self, codec: Codec, bytes: &[u8], out: &mut Vec<Hit>) {
        let t = self.tables;
        let Some((w, h)) = decode::dimensions(codec, bytes) else {
            hit(out, UNDECODABLE, Confidence::High);
            return;
        };
        if w.min(h) < t.min_side {
            return;
        }
        if u64::from(w) * u64::from(h) > t.max_pixels || bytes.len() as u64 >= t.max_bytes {
            hit(out, TOO_LARGE, Confidence::High);
            return;
        }
        let bounds = decode::Bounds {
            max_pixels: t.max_pixels,
            side: t.detect_side,
        };
        let settings = faces::Settings {
            min_face: t.min_face,
            min_score: t.min_score,
        };
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            // A decoder that panics on a hostile file is an undecodable image, not a
            // failed scan.
            // A PNG streams its rows: first sampled, for the prefilter at the cost of
            // the decode alone, then (only when the prefilter lets it through)
            // averaged for the detector. The other decoders hold the whole frame
            // anyway: averaged at once.
            let sampled = codec == Codec::Png;
            let run = |shrink: &mut decode::Shrink, sampled: bool| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    decode::decode(codec, bytes, (w, h), bounds, shrink, sampled)
                }))
            };
            let decoded = match run(&mut s.shrink, sampled) {
                Ok(Ok(d)) => d,
                Ok(Err(decode::Refusal::TooLarge)) => return hit(out, TOO_LARGE, Confidence::High),
                Ok(Err(decode::Refusal::Undecodable)) | Err(_) => {
                    return hit(out, UNDECODABLE, Confidence::High);
                }
            };
            if decoded.animated {
                hit(out, LATER_FRAMES, Confidence::High);
            }
            let look = s.shrink.look(t.skin_cell);
            if !(decoded.grey || look.grey || look.skin) {
                return;
            }
            if sampled && !matches!(run(&mut s.shrink, false), Ok(Ok(_))) {
                return hit(out, UNDECODABLE, Confidence::High);
            }
            s.shrink.grey_picture();
            let sh = &s.shrink;
            faces::detect(&sh.grey, sh.nw, sh.nh, &settings, &mut s.scores);
            for &score in &s.scores {
                let confidence = if score >= t.high_score {
                    Confidence::High
                } else if score >= t.medium_score {
                    Confidence::Medium
                } else {
                    Confidence::Low
                };
                hit(out, FACE, confidence);
            }
        });
    }
}

#[cfg(test)]
mod tests;
