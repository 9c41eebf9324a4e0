//! Finding faces in the small picture: a skin-tone prefilter, then the SeetaFace
//! frontal face detector (the `rustface` crate, its model embedded).
//!
//! The detector costs tens of milliseconds a picture; the prefilter a fraction of a
//! millisecond. It asks whether some cell of the picture is at least half
//! skin-coloured pixels (the YCbCr box of Chai and Ngan, 1999), which every colour
//! photograph of a face has (a face of 20 px holds a cell of 8) and many drawings,
//! logos, screenshots, charts and generated images lack. Grey pictures have no colour
//! to judge by and always go to the detector. The colours are looked at from the
//! shrunk picture's sums ([`super::decode::Shrink::look`]).

use std::cell::RefCell;

/// The detector's model: SeetaFace Engine's frontal face detector (BSD-2-Clause, see
/// NOTICE), as the `rustface` crate ships it.
static MODEL: &[u8] = include_bytes!("seeta_fd_frontal_v1.0.bin");

/// How the detector runs and what counts as skin.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The smallest face, in pixels of the picture (the detector's least is 20).
    pub min_face: u32,
    /// The least detector score reported as a face.
    pub min_score: f64,
}

thread_local! {
    /// One detector per thread (the detector is neither `Send` nor `Sync`), built from
    /// the embedded model on the thread's first picture.
    static DETECTOR: RefCell<Option<Box<dyn rustface::Detector>>> = const { RefCell::new(None) };
}

/// Whether a pixel is skin-coloured: Cb in 77..=127 and Cr in 133..=173 (BT.601).
#[cfg(test)]
fn skin(r: u32, g: u32, b: u32) -> bool {
    skin_sums(r, g, b, 1)
}

/// [`skin`] of the mean of `n` pixels whose channels sum to `r`, `g` and `b`, without
/// dividing: Cb - 128 = (-43 R - 85 G + 128 B) / 256 in -51..=-1 and Cr - 128 =
/// (128 R - 107 G - 21 B) / 256 in 5..=45, rounded down, the means times `n`.
#[inline]
pub fn skin_sums(r: u32, g: u32, b: u32, n: u32) -> bool {
    let (r, g, b, n) = (i64::from(r), i64::from(g), i64::from(b), i64::from(n) * 256);
    let cb = -43 * r - 85 * g + 128 * b;
    let cr = 128 * r - 107 * g - 21 * b;
    (-51 * n..0).contains(&cb) && (5 * n..46 * n).contains(&cr)
}

/// The faces in the `w` × `h` grey picture: one score per face, at least `min_score`.
pub fn detect(grey: &[u8], w: u32, h: u32, s: &Settings, out: &mut Vec<f64>) {
    out.clear();
    let min_face = s.min_face.max(20);
    if w < min_face || h < min_face {
        return;
    }
    DETECTOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let det = slot.get_or_insert_with(|| {
            let model = rustface::read_model(MODEL).expect("the embedded model reads");
            let mut d = rustface::create_detector_with_model(model);
            d.set_pyramid_scale_factor(0.8);
            d.set_slide_window_step(4, 4);
            d
        });
        det.set_min_face_size(min_face);
        det.set_score_thresh(s.min_score);
        let image = rustface::ImageData::new(grey, w, h);
        out.extend(det.detect(&image).iter().map(|f| f.score()));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: Settings = Settings {
        min_face: 20,
        min_score: 2.0,
    };

    #[test]
    fn skin_tones_and_others() {
        for (r, g, b) in [
            (224, 172, 140),
            (141, 85, 36),
            (198, 134, 66),
            (255, 219, 172),
        ] {
            assert!(skin(r, g, b), "{r} {g} {b}");
        }
        for (r, g, b) in [
            (128, 128, 128),
            (0, 0, 255),
            (20, 200, 20),
            (255, 255, 255),
            (0, 0, 0),
        ] {
            assert!(!skin(r, g, b), "{r} {g} {b}");
        }
    }

    #[test]
    fn a_cell_of_skin_passes_and_scattered_skin_does_not() {
        use super::super::Codec;
        use super::super::decode::{Bounds, Shrink, decode};
        let png = |pixel: &dyn Fn(u32, u32) -> [u8; 3]| super::super::tests::png(64, 64, pixel);
        let look = |bytes: Vec<u8>| {
            let mut s = Shrink::default();
            let bounds = Bounds {
                max_pixels: 1 << 20,
                side: 480,
            };
            decode(Codec::Png, &bytes, (64, 64), bounds, &mut s, false).unwrap();
            s.look(8)
        };
        const TAN: [u8; 3] = [224, 172, 140];
        // A quarter of the pixels skin-coloured, scattered at random.
        let scattered = look(png(&|x, y| {
            let h = (x * 7919 + y * 104_729).wrapping_mul(2_654_435_761) >> 16;
            if h % 4 == 0 { TAN } else { [128; 3] }
        }));
        assert!(!scattered.skin && !scattered.grey);
        let patch = look(png(&|x, y| {
            if (16..24).contains(&x) && (8..16).contains(&y) {
                TAN
            } else {
                [128; 3]
            }
        }));
        assert!(patch.skin);
        let grey = look(png(&|x, _| [x as u8, x as u8 + 3, x as u8]));
        assert!(grey.grey && !grey.skin);
    }

    #[test]
    fn no_face_in_a_flat_picture_and_none_below_the_smallest_face() {
        let mut out = vec![1.0];
        detect(&vec![90u8; 64 * 64], 64, 64, &SETTINGS, &mut out);
        assert!(out.is_empty());
        detect(&[0u8; 19 * 19], 19, 19, &SETTINGS, &mut out);
        assert!(out.is_empty());
    }
}
