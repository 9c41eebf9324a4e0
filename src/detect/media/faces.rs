//! Finding faces in the small picture: a skin-tone prefilter, then the SeetaFace
//! frontal face detector (the `rustface` crate, its model embedded).
//!
//! The detector costs tens of milliseconds a picture; the prefilter a fraction of a
//! millisecond. It asks whether any cell of the picture is mostly skin-coloured (the
//! YCbCr box of Chai and Ngan, 1999), which every colour photograph of a face has and
//! most drawings, logos, screenshots, charts and generated images lack. Grey pictures
//! have no colour to judge by and always go to the detector.

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
    /// Side of a prefilter cell, in pixels of the picture.
    pub skin_cell: u32,
    /// The share of a cell's pixels (percent) that must be skin-coloured.
    pub skin_percent: u32,
}

thread_local! {
    /// One detector per thread (the detector is neither `Send` nor `Sync`), built from
    /// the embedded model on the thread's first picture.
    static DETECTOR: RefCell<Option<Box<dyn rustface::Detector>>> = const { RefCell::new(None) };
}

/// Whether a pixel is skin-coloured: Cb in 77..=127 and Cr in 133..=173 (BT.601).
fn skin(r: i32, g: i32, b: i32) -> bool {
    let cb = 128 + ((-43 * r - 85 * g + 128 * b) >> 8);
    let cr = 128 + ((128 * r - 107 * g - 21 * b) >> 8);
    (77..=127).contains(&cb) && (133..=173).contains(&cr)
}

/// Whether some cell of the `w` × `h` RGB picture is mostly skin-coloured.
pub fn has_skin(rgb: &[u8], w: u32, h: u32, s: &Settings) -> bool {
    let cell = s.skin_cell.max(1) as usize;
    let (w, h) = (w as usize, h as usize);
    let cols = w.div_ceil(cell);
    let mut counts = vec![0u32; cols];
    let need = (cell * cell) as u32 * s.skin_percent / 100;
    for band in 0..h.div_ceil(cell) {
        counts.iter_mut().for_each(|c| *c = 0);
        for y in band * cell..((band + 1) * cell).min(h) {
            let row = &rgb[y * w * 3..(y + 1) * w * 3];
            for (x, p) in row.chunks_exact(3).enumerate() {
                if skin(p[0].into(), p[1].into(), p[2].into()) {
                    counts[x / cell] += 1;
                }
            }
        }
        if counts.iter().any(|&c| c >= need.max(1)) {
            return true;
        }
    }
    false
}

/// Whether the RGB picture is grey: no pixel's channels differ by more than a little.
pub fn is_grey(rgb: &[u8]) -> bool {
    rgb.chunks_exact(3).all(|p| {
        let (lo, hi) = (p[0].min(p[1]).min(p[2]), p[0].max(p[1]).max(p[2]));
        hi - lo <= 12
    })
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
        skin_cell: 8,
        skin_percent: 50,
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
        let (w, h) = (32u32, 32u32);
        let mut rgb = vec![128u8; (w * h * 3) as usize];
        // Every fourth pixel skin-coloured: a quarter of each cell.
        for i in (0..(w * h) as usize).step_by(4) {
            rgb[i * 3..i * 3 + 3].copy_from_slice(&[224, 172, 140]);
        }
        assert!(!has_skin(&rgb, w, h, &SETTINGS));
        for y in 8..16 {
            for x in 16..24 {
                let i = (y * w + x) as usize;
                rgb[i * 3..i * 3 + 3].copy_from_slice(&[224, 172, 140]);
            }
        }
        assert!(has_skin(&rgb, w, h, &SETTINGS));
        assert!(!is_grey(&rgb));
        assert!(is_grey(&[10, 12, 9, 200, 201, 199]));
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
