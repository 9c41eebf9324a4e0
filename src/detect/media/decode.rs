//! Decoding an image into the small picture the face detector looks at, in bounded
//! memory and one pass: every decoder hands its rows to a [`Shrink`], which averages
//! them into a grid whose longest side is the detection size. PNG is read row by row
//! (the whole image never exists in memory); JPEG, GIF, WebP and BMP decode their first
//! frame into one buffer, which the pixel bound keeps small.
//!
//! Each decoder reads the image's size from its header first, so that an image over
//! the pixel bound is refused before any pixel is decoded.

use std::io::Cursor;

use super::Codec;

/// Why an image was not looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Over the pixel bound (or its header says so).
    TooLarge,
    /// The decoder failed: a corrupt or truncated file, or a variant the decoder does
    /// not read (a BMP compression other than none or bit fields).
    Undecodable,
}

/// What decoding gave: the picture, whether it has more frames than the first, and
/// whether its pixels carry colour (a grey image has no skin tone to look for).
pub struct Decoded {
    pub animated: bool,
    pub grey: bool,
}

/// The bounds a decode works within.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// The most pixels (width × height) an image may have to be decoded.
    pub max_pixels: u64,
    /// The longest side of the picture the detector looks at.
    pub side: u32,
}

/// The image's width and height from its header, without decoding pixels.
pub fn dimensions(codec: Codec, bytes: &[u8]) -> Option<(u32, u32)> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let le16 = |at: usize| -> Option<u32> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?).into())
    };
    let le32 = |at: usize| -> Option<i32> {
        Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let (w, h) = match codec {
        Codec::Png => (be32(16)?, be32(20)?),
        Codec::Gif => (le16(6)?, le16(8)?),
        Codec::Bmp => {
            if le32(14)? == 12 {
                (le16(18)?, le16(20)?)
            } else {
                (le32(18)?.unsigned_abs(), le32(22)?.unsigned_abs())
            }
        }
        Codec::Jpeg => jpeg_dimensions(bytes)?,
        Codec::Webp => {
            let d = image_webp::WebPDecoder::new(Cursor::new(bytes)).ok()?;
            d.dimensions()
        }
    };
    (w > 0 && h > 0).then_some((w, h))
}

/// A JPEG's size from its first start-of-frame marker.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2usize;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        // SOF0..SOF15, less DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = u16::from_be_bytes([*bytes.get(at + 5)?, *bytes.get(at + 6)?]);
            let w = u16::from_be_bytes([*bytes.get(at + 7)?, *bytes.get(at + 8)?]);
            return Some((w.into(), h.into()));
        }
        at += 2 + len;
    }
    None
}

/// Decode `bytes` (whose header gave `w` × `h`, within the bounds) into `shrink`:
/// averaged, or `sampled` (one source pixel per grid pixel, see [`Shrink`]).
pub fn decode(
    codec: Codec,
    bytes: &[u8],
    (w, h): (u32, u32),
    bounds: Bounds,
    shrink: &mut Shrink,
    sampled: bool,
) -> Result<Decoded, Refusal> {
    shrink.start(w, h, bounds.side, sampled);
    let limit = usize::try_from(bounds.max_pixels.saturating_mul(4)).unwrap_or(usize::MAX);
    match codec {
        Codec::Png => png(bytes, limit, shrink),
        Codec::Jpeg => jpeg(bytes, bounds, shrink),
        Codec::Gif => gif(bytes, limit, shrink),
        Codec::Webp => webp(bytes, limit, shrink),
        Codec::Bmp => bmp(bytes, (w, h), shrink),
    }
}

fn png(bytes: &[u8], limit: usize, shrink: &mut Shrink) -> Result<Decoded, Refusal> {
    use png::{ColorType, Transformations};
    let mut dec = png::Decoder::new(Cursor::new(bytes));
    dec.set_limits(png::Limits { bytes: limit });
    // The pixels are looked at, not kept: a checksum that fails would only hide them.
    dec.ignore_checksums(true);
    dec.set_ignore_text_chunk(true);
    dec.set_transformations(Transformations::EXPAND | Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|_| Refusal::Undecodable)?;
    let info = reader.info();
    let (w, h) = (info.width, info.height);
    if (w, h) != (shrink.w, shrink.h) {
        return Err(Refusal::Undecodable);
    }
    let animated = info.animation_control.is_some_and(|a| a.num_frames > 1);
    let interlaced = info.interlaced;
    let (color, _) = reader.output_color_type();
    let channels = match color {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err(Refusal::Undecodable),
    };
    if interlaced {
        // Rows come pass by pass: the whole frame, within the pixel bound.
        let size = reader.output_buffer_size().ok_or(Refusal::TooLarge)?;
        let mut buf = vec![0; size];
        let out = reader
            .next_frame(&mut buf)
            .map_err(|_| Refusal::Undecodable)?;
        for (y, row) in buf.chunks_exact(out.line_size).enumerate() {
            shrink.row(y as u32, row, channels);
        }
    } else {
        let mut y = 0u32;
        while let Some(row) = reader.next_row().map_err(|_| Refusal::Undecodable)? {
            shrink.row(y, row.data(), channels);
            y += 1;
        }
    }
    Ok(Decoded {
        animated,
        grey: channels <= 2,
    })
}

fn jpeg(bytes: &[u8], bounds: Bounds, shrink: &mut Shrink) -> Result<Decoded, Refusal> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let max = usize::try_from(bounds.max_pixels).unwrap_or(usize::MAX);
    let probe = |space| {
        DecoderOptions::default()
            .jpeg_set_out_colorspace(space)
            .set_max_width(max)
            .set_max_height(max)
    };
    let mut dec =
        zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), probe(ColorSpace::RGB));
    dec.decode_headers().map_err(|_| Refusal::Undecodable)?;
    let grey_input = matches!(dec.input_colorspace(), Some(ColorSpace::Luma));
    // A large photograph is looked at in grey: a third of the memory, and the skin
    // prefilter is skipped (a photograph that large is worth the detector's time).
    let (w, h) = (shrink.w, shrink.h);
    let large = u64::from(w) * u64::from(h) > LARGE_JPEG_PIXELS;
    let (space, channels) = if grey_input || large {
        (ColorSpace::Luma, 1)
    } else {
        (ColorSpace::RGB, 3)
    };
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), probe(space));
    let pixels = dec.decode().map_err(|_| Refusal::Undecodable)?;
    let (dw, dh) = dec.dimensions().ok_or(Refusal::Undecodable)?;
    if (dw, dh) != (w as usize, h as usize) || pixels.len() < dw * dh * channels {
        return Err(Refusal::Undecodable);
    }
    for (y, row) in pixels.chunks_exact(dw * channels).enumerate() {
        shrink.row(y as u32, row, channels);
    }
    Ok(Decoded {
        animated: false,
        grey: channels == 1,
    })
}

/// Above this many pixels a JPEG is decoded to grey (see [`jpeg`]).
const LARGE_JPEG_PIXELS: u64 = 4_000_000;

fn gif(bytes: &[u8], limit: usize, shrink: &mut Shrink) -> Result<Decoded, Refusal> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    opts.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(limit as u64).ok_or(Refusal::TooLarge)?,
    ));
    let mut dec = opts
        .read_info(Cursor::new(bytes))
        .map_err(|_| Refusal::Undecodable)?;
    let (w, h) = (shrink.w as usize, shrink.h as usize);
    // The first frame over a white screen (what a viewer shows under transparency).
    let mut canvas = vec![255u8; w * h * 4];
    {
        let frame = dec
            .read_next_frame()
            .map_err(|_| Refusal::Undecodable)?
            .ok_or(Refusal::Undecodable)?;
        let (fl, ft) = (usize::from(frame.left), usize::from(frame.top));
        let fw = usize::from(frame.width);
        for (fy, src) in frame.buffer.chunks_exact(fw * 4).enumerate() {
            let y = ft + fy;
            if y >= h || fl >= w {
                continue;
            }
            let n = fw.min(w - fl);
            let dst = &mut canvas[(y * w + fl) * 4..(y * w + fl + n) * 4];
            for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                if s[3] != 0 {
                    d.copy_from_slice(s);
                }
            }
        }
    }
    // One more frame descriptor means an animation whose later frames are not looked at.
    let animated = matches!(dec.next_frame_info(), Ok(Some(_)));
    for (y, row) in canvas.chunks_exact(w * 4).enumerate() {
        shrink.row(y as u32, row, 4);
    }
    Ok(Decoded {
        animated,
        grey: false,
    })
}

fn webp(bytes: &[u8], limit: usize, shrink: &mut Shrink) -> Result<Decoded, Refusal> {
    let mut dec =
        image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|_| Refusal::Undecodable)?;
    dec.set_memory_limit(limit);
    let size = dec.output_buffer_size().ok_or(Refusal::TooLarge)?;
    if size > limit {
        return Err(Refusal::TooLarge);
    }
    let channels = if dec.has_alpha() { 4 } else { 3 };
    let animated = dec.is_animated();
    let mut buf = vec![0u8; size];
    dec.read_image(&mut buf).map_err(|_| Refusal::Undecodable)?;
    for (y, row) in buf.chunks_exact(shrink.w as usize * channels).enumerate() {
        shrink.row(y as u32, row, channels);
    }
    Ok(Decoded {
        animated,
        grey: false,
    })
}

/// Uncompressed BMPs (and 32-bit bit fields): 1, 4, 8, 24 and 32 bits per pixel.
/// Others (run-length, embedded JPEG or PNG, 16-bit) are undecodable here.
fn bmp(bytes: &[u8], (w, h): (u32, u32), shrink: &mut Shrink) -> Result<Decoded, Refusal> {
    let u16_at = |at: usize| -> Option<usize> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?).into())
    };
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let bad = || Refusal::Undecodable;
    let offset = u32_at(10).ok_or_else(bad)? as usize;
    let header = u32_at(14).ok_or_else(bad)? as usize;
    let (bpp, compression, top_down) = if header == 12 {
        (u16_at(24).ok_or_else(bad)?, 0, false)
    } else {
        let raw_h = i32::from_le_bytes(
            bytes
                .get(22..26)
                .ok_or_else(bad)?
                .try_into()
                .map_err(|_| bad())?,
        );
        (
            u16_at(28).ok_or_else(bad)?,
            u32_at(30).ok_or_else(bad)?,
            raw_h < 0,
        )
    };
    if !(compression == 0 || (compression == 3 && bpp == 32)) {
        return Err(bad());
    }
    let palette_at = 14 + header;
    let entry = if header == 12 { 3 } else { 4 };
    let (w, h) = (w as usize, h as usize);
    let stride = (w * bpp).div_ceil(32) * 4;
    if bytes.len() < offset.saturating_add(stride.saturating_mul(h)) {
        return Err(bad());
    }
    let mut rgb = vec![0u8; w * 3];
    for i in 0..h {
        let src = &bytes[offset + i * stride..offset + (i + 1) * stride];
        for (x, px) in rgb.chunks_exact_mut(3).enumerate() {
            let (b, g, r) = match bpp {
                24 | 32 => {
                    let o = x * bpp / 8;
                    (src[o], src[o + 1], src[o + 2])
                }
                1 | 4 | 8 => {
                    let bit = x * bpp;
                    let byte = src[bit / 8];
                    let shift = 8 - bpp - bit % 8;
                    let index = usize::from((byte >> shift) & ((1u16 << bpp) - 1) as u8);
                    let at = palette_at + index * entry;
                    match bytes.get(at..at + 3) {
                        Some(c) => (c[0], c[1], c[2]),
                        None => return Err(bad()),
                    }
                }
                _ => return Err(bad()),
            };
            px.copy_from_slice(&[r, g, b]);
        }
        let y = if top_down { i } else { h - 1 - i };
        shrink.row(y as u32, &rgb, 3);
    }
    Ok(Decoded {
        animated: false,
        grey: false,
    })
}

/// `v` over white at opacity `a`.
fn over_white(v: u8, a: u8) -> u32 {
    (u32::from(v) * u32::from(a) + 255 * (255 - u32::from(a))) / 255
}

/// Add one row of `C`-byte pixels into the grid row's sums: pixel by pixel when the
/// grid is as wide as the source (`same`), else run by run (`xstart`).
fn add<const C: usize>(
    sums: &mut [u32],
    data: &[u8],
    xstart: &[u32],
    same: bool,
    rgb: impl Fn(&[u8]) -> [u32; 3],
) {
    if same {
        for (acc, p) in sums.chunks_exact_mut(3).zip(data.chunks_exact(C)) {
            let [r, g, b] = rgb(p);
            acc[0] += r;
            acc[1] += g;
            acc[2] += b;
        }
        return;
    }
    for (acc, run) in sums.chunks_exact_mut(3).zip(xstart.windows(2)) {
        let (mut r, mut g, mut b) = (0u32, 0u32, 0u32);
        for p in data[run[0] as usize * C..run[1] as usize * C].chunks_exact(C) {
            let [pr, pg, pb] = rgb(p);
            (r, g, b) = (r + pr, g + pg, b + pb);
        }
        acc[0] += r;
        acc[1] += g;
        acc[2] += b;
    }
}

/// Averages an image's rows, given in any order, into a grid whose longest side is at
/// most the detection size (box filter: each small pixel is the mean of the source
/// pixels it covers). Buffers are kept from image to image.
#[derive(Default)]
pub struct Shrink {
    /// The source's size.
    pub w: u32,
    pub h: u32,
    /// The grid's size.
    pub nw: u32,
    pub nh: u32,
    /// The first source column of each grid column, and the source's width last.
    xstart: Vec<u32>,
    /// Per grid pixel: sums of red, green and blue.
    sums: Vec<u32>,
    /// How many source rows each grid row covers.
    ycount: Vec<u32>,
    /// Whether the grid holds one source pixel per grid pixel (the middle one of
    /// those it covers) rather than their sums: a picture for the prefilter only, made
    /// for the cost of reading the rows.
    sampled: bool,
    /// The grid in grey, once [`Shrink::grey_picture`] made it.
    pub grey: Vec<u8>,
    /// Sums per cell of the current band (see [`Shrink::look`]).
    skin: Vec<u32>,
}

/// What [`Shrink::look`] saw of the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Some cell is at least half skin-coloured pixels.
    pub skin: bool,
    /// No pixel has colour (its channels differ by at most a little).
    pub grey: bool,
}

impl Shrink {
    fn start(&mut self, w: u32, h: u32, side: u32, sampled: bool) {
        self.sampled = sampled;
        // A sampled picture is for the prefilter: half the side is as much as it looks
        // at of an averaged one (see [`Shrink::look`]).
        let side = if sampled { (side / 2).max(1) } else { side };
        let long = w.max(h);
        let (nw, nh) = if long <= side {
            (w, h)
        } else {
            let scale = |v: u32| -> u32 {
                u32::try_from(u64::from(v) * u64::from(side) / u64::from(long))
                    .unwrap_or(1)
                    .max(1)
            };
            (scale(w), scale(h))
        };
        (self.w, self.h, self.nw, self.nh) = (w, h, nw, nh);
        // Grid column gx covers the source columns x with x * nw / w == gx.
        self.xstart.clear();
        self.xstart.extend(
            (0..=nw).map(|gx| (u64::from(gx) * u64::from(w)).div_ceil(u64::from(nw)) as u32),
        );
        self.ycount.clear();
        self.ycount.resize(nh as usize, 0);
        for y in 0..h {
            let row = self.grid_row(y);
            self.ycount[row] += 1;
        }
        self.sums.clear();
        self.sums.resize(nw as usize * nh as usize * 3, 0);
    }

    fn grid_row(&self, y: u32) -> usize {
        (u64::from(y) * u64::from(self.nh) / u64::from(self.h)) as usize
    }

    /// Add source row `y`: `channels` bytes a pixel (grey, grey+alpha, RGB, RGBA);
    /// transparent pixels count as white.
    pub fn row(&mut self, y: u32, data: &[u8], channels: usize) {
        if y >= self.h || data.len() < self.w as usize * channels {
            return;
        }
        let nw = self.nw as usize;
        let gy = self.grid_row(y);
        let base = gy * nw * 3;
        let sums = &mut self.sums[base..base + nw * 3];
        let xstart = &self.xstart;
        if self.sampled {
            // The middle source row of the grid row, the middle pixel of each run.
            let first = (u64::from(gy as u32) * u64::from(self.h)).div_ceil(u64::from(self.nh));
            if u64::from(y) != first + u64::from(self.ycount[gy] / 2) {
                return;
            }
            for (acc, run) in sums.chunks_exact_mut(3).zip(xstart.windows(2)) {
                let x = ((run[0] + run[1]) / 2) as usize * channels;
                let p = &data[x..x + channels];
                let rgb = match channels {
                    3 | 4 if channels == 3 || p[3] == 255 => [p[0], p[1], p[2]].map(u32::from),
                    4 => [p[0], p[1], p[2]].map(|v| over_white(v, p[3])),
                    2 => [over_white(p[0], p[1]); 3],
                    _ => [u32::from(p[0]); 3],
                };
                acc.copy_from_slice(&rgb);
            }
            return;
        }
        let same = self.nw == self.w;
        match channels {
            3 => add::<3>(sums, data, xstart, same, |p| {
                [p[0], p[1], p[2]].map(u32::from)
            }),
            4 => add::<4>(sums, data, xstart, same, |p| {
                if p[3] == 255 {
                    [p[0], p[1], p[2]].map(u32::from)
                } else {
                    [p[0], p[1], p[2]].map(|v| over_white(v, p[3]))
                }
            }),
            2 => add::<2>(sums, data, xstart, same, |p| [over_white(p[0], p[1]); 3]),
            _ => add::<1>(sums, data, xstart, same, |p| [u32::from(p[0]); 3]),
        }
    }

    /// Look at the picture's colours: whether some cell of `cell` x `cell` pixels of
    /// the detection picture is at least half skin-coloured, and whether the picture
    /// is grey. One pixel in four is looked at: every other one of every other row of
    /// an averaged picture, every one of a sampled picture (half the side); a face of
    /// 20 px still shows a hundred. From the sums, without dividing.
    pub fn look(&mut self, cell: u32) -> Look {
        let (nw, nh) = (self.nw as usize, self.nh as usize);
        // Even, so that every cell holds the same samples.
        let cell = (cell.max(2) & !1) as usize;
        let (cell, step) = if self.sampled {
            (cell / 2, 1)
        } else {
            (cell, 2)
        };
        // Samples of a cell that must be skin-coloured: half of them.
        let need = ((cell / step) * (cell / step) / 2).max(1) as u32;
        self.skin.clear();
        self.skin.resize(nw.div_ceil(cell), 0);
        let mut look = Look {
            skin: false,
            grey: true,
        };
        for gy in (0..nh).step_by(step) {
            let yc = self.ycount[gy];
            let row = &self.sums[gy * nw * 3..(gy + 1) * nw * 3];
            for (ci, count) in self.skin.iter_mut().enumerate() {
                for gx in (ci * cell..((ci + 1) * cell).min(nw)).step_by(step) {
                    let s = &row[gx * 3..gx * 3 + 3];
                    let n = if self.sampled {
                        1
                    } else {
                        (self.xstart[gx + 1] - self.xstart[gx]) * yc
                    };
                    if look.grey {
                        let (lo, hi) = (s[0].min(s[1]).min(s[2]), s[0].max(s[1]).max(s[2]));
                        look.grey = hi - lo <= GREY_SPREAD * n;
                    }
                    *count += u32::from(super::faces::skin_sums(s[0], s[1], s[2], n));
                }
            }
            // The band of cells ends with this row (or its pair), or the picture does.
            if (gy + step) % cell == 0 || gy + step >= nh {
                look.skin |= self.skin.iter().any(|&c| c >= need);
                self.skin.iter_mut().for_each(|c| *c = 0);
            }
        }
        look
    }

    /// The grid as a grey picture (BT.601 luma), in [`Shrink::grey`].
    pub fn grey_picture(&mut self) {
        let (nw, nh) = (self.nw as usize, self.nh as usize);
        self.grey.clear();
        self.grey.resize(nw * nh, 0);
        let lo = self.w / self.nw.max(1);
        for gy in 0..nh {
            // A grid column covers `lo` or `lo + 1` source columns: 2^24 / n for both.
            let yc = self.ycount[gy].max(1);
            let inverse = [lo, lo + 1].map(|x| (1u64 << 24) / u64::from((x * yc).max(1)));
            let row = &self.sums[gy * nw * 3..(gy + 1) * nw * 3];
            for (gx, (s, grey)) in row
                .chunks_exact(3)
                .zip(&mut self.grey[gy * nw..(gy + 1) * nw])
                .enumerate()
            {
                let inv = inverse[usize::from(self.xstart[gx + 1] - self.xstart[gx] > lo)];
                let luma = u64::from(s[0]) * 77 + u64::from(s[1]) * 150 + u64::from(s[2]) * 29;
                *grey = ((luma * inv + (1 << 31)) >> 32).min(255) as u8;
            }
        }
    }
}

/// A pixel whose channels differ by more than this has colour.
const GREY_SPREAD: u32 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_image_is_averaged_into_the_detection_size() {
        let mut s = Shrink::default();
        s.start(1000, 500, 480, false);
        assert_eq!((s.nw, s.nh), (480, 240));
        let row: Vec<u8> = (0..1000)
            .flat_map(|x| [if x < 500 { 0 } else { 200 }; 3])
            .collect();
        for y in 0..500 {
            s.row(y, &row, 3);
        }
        let look = s.look(8);
        s.grey_picture();
        assert_eq!(s.grey[0], 0);
        assert_eq!(s.grey[240 * 480 - 1], 200);
        assert_eq!(s.grey[479], 200);
        assert_eq!(s.grey[239], 0);
        assert_eq!(
            look,
            Look {
                skin: false,
                grey: true
            }
        );
    }

    #[test]
    fn a_small_image_is_kept_as_it_is_and_transparency_is_white() {
        let mut s = Shrink::default();
        s.start(2, 1, 480, false);
        assert_eq!((s.nw, s.nh), (2, 1));
        s.row(0, &[10, 20, 30, 255, 0, 0, 0, 0], 4);
        let look = s.look(8);
        s.grey_picture();
        assert_eq!(s.grey, vec![18, 255]);
        assert!(!look.grey && !look.skin);
    }

    #[test]
    fn sizes_come_from_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(480u32.to_be_bytes());
        assert_eq!(dimensions(Codec::Png, &png), Some((640, 480)));
        assert_eq!(
            dimensions(Codec::Gif, b"GIF89a\x20\x03\x58\x02"),
            Some((800, 600))
        );
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80,
        ];
        assert_eq!(dimensions(Codec::Jpeg, &jpeg), Some((640, 480)));
        assert_eq!(dimensions(Codec::Png, b"\x89PNG"), None);
    }
}
