use super::*;

fn scan(path: &str, content: &[u8]) -> Vec<Hit> {
    let mut reg = crate::detect::engine::Registry::default();
    let media = Media::with_tables(&mut reg, &TABLES);
    let ctx = FileCtx {
        path,
        content,
        binary: true,
        anchors: &[],
        touched: None,
    };
    let mut out = Vec::new();
    media.scan(&ctx, &mut out);
    out
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_ref()).collect()
}

/// A PNG of `w` × `h` RGB pixels from `pixel(x, y)`.
pub(super) fn png(w: u32, h: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let data: Vec<u8> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .flat_map(|(x, y)| pixel(x, y))
        .collect();
    let mut out = Vec::new();
    let mut e = ::png::Encoder::new(&mut out, w, h);
    e.set_color(::png::ColorType::Rgb);
    e.set_depth(::png::BitDepth::Eight);
    e.write_header()
        .and_then(|mut wr| wr.write_image_data(&data))
        .expect("a PNG encodes");
    out
}

/// The benchmark corpus's synthetic images (`bench/mkcorpus.py`'s `png`): gradient rows
/// shifted row by row, with a row of noise every 16 rows. No face, no skin.
pub(super) fn synthetic(w: u32, h: u32, seed: u64) -> Vec<u8> {
    let base: Vec<u8> = (0..3 * 2048 + 3 * 1200)
        .map(|i: usize| ((i * 7 + (i / 3) * 5) & 255) as u8)
        .collect();
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let rows: Vec<Vec<u8>> = (0..h as usize)
        .map(|y| {
            if y % 16 == 0 {
                (0..3 * w).map(|_| next() as u8).collect()
            } else {
                let off = (y * 3 + (next() % 3) as usize) % 3600;
                base[off..off + 3 * w as usize].to_vec()
            }
        })
        .collect();
    png(w, h, |x, y| {
        let r = &rows[y as usize];
        let i = 3 * x as usize;
        [r[i], r[i + 1], r[i + 2]]
    })
}

#[test]
fn the_benchmark_s_synthetic_images_show_no_face() {
    for (i, (w, h)) in [(32, 32), (64, 480), (320, 200), (640, 640), (800, 97)]
        .into_iter()
        .enumerate()
    {
        let got = scan("img/image_00001.png", &synthetic(w, h, i as u64 + 7));
        assert!(got.is_empty(), "{w}x{h}: {:?}", ids(&got));
    }
}

#[test]
fn an_image_too_small_for_a_face_gives_nothing_and_a_flat_one_no_face() {
    assert!(scan("icon.png", &png(16, 16, |_, _| [224, 172, 140])).is_empty());
    // Skin-coloured all over: the prefilter lets it through, the detector finds nothing.
    assert!(scan("tan.png", &png(120, 90, |_, _| [224, 172, 140])).is_empty());
}

#[test]
fn what_was_not_examined_is_said() {
    // The header says 30000 x 30000: over the pixel bound, never decoded.
    let mut big = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    big.extend(30_000u32.to_be_bytes());
    big.extend(30_000u32.to_be_bytes());
    big.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(ids(&scan("huge.png", &big)), [TOO_LARGE]);
    // A header and nothing after it.
    let mut cut = png(100, 100, |_, _| [1, 2, 3]);
    cut.truncate(60);
    assert_eq!(ids(&scan("cut.png", &cut)), [UNDECODABLE]);
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0";
    assert_eq!(ids(&scan("IMG_0001.HEIC", heic)), [UNSUPPORTED]);
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf\0\0\0\0";
    assert_eq!(ids(&scan("photo.avif", avif)), [UNSUPPORTED]);
    assert_eq!(ids(&scan("scan.tif", b"II*\0\x08\0\0\0")), [UNSUPPORTED]);
}

#[test]
fn recordings_are_named_not_decoded() {
    let mp4 = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41\0\0\0\x08free";
    assert_eq!(ids(&scan("clip.mp4", mp4)), [VIDEO]);
    let m4a = b"\0\0\0\x20ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0\0\0\0\x08free";
    assert_eq!(ids(&scan("voice.m4a", m4a)), [AUDIO]);
    let webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\0\0";
    assert_eq!(ids(&scan("call.webm", webm)), [VIDEO]);
    assert_eq!(ids(&scan("call.weba", webm)), [AUDIO]);
    assert_eq!(
        ids(&scan("a.wav", b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0")),
        [AUDIO]
    );
    assert_eq!(ids(&scan("a.avi", b"RIFF\x24\0\0\0AVI LIST")), [VIDEO]);
    assert_eq!(ids(&scan("a.mp3", b"ID3\x04\0\0\0\0\0\x21")), [AUDIO]);
    // A frame sync alone is weak: only with its extension.
    assert_eq!(ids(&scan("a.mp3", b"\xff\xfb\x90\x64\0\0")), [AUDIO]);
    assert!(scan("a.bin", b"\xff\xfb\x90\x64\0\0").is_empty());
    let ogg = |codec: &[u8]| {
        let mut v = b"OggS\0\x02".to_vec();
        v.resize(28, 0);
        v.extend(codec);
        v
    };
    assert_eq!(ids(&scan("a.ogg", &ogg(b"\x01vorbis"))), [AUDIO]);
    assert_eq!(ids(&scan("a.ogv", &ogg(b"\x80theora"))), [VIDEO]);
}

#[test]
fn a_text_file_is_never_media_whatever_it_starts_with() {
    let mut reg = crate::detect::engine::Registry::default();
    let media = Media::with_tables(&mut reg, &TABLES);
    let ctx = FileCtx {
        path: "notes.mp3",
        content: b"ID3 tags are read by the player\n",
        binary: false,
        anchors: &[],
        touched: None,
    };
    let mut out = Vec::new();
    media.scan(&ctx, &mut out);
    assert!(out.is_empty());
}

#[test]
fn the_extension_alone_makes_nothing_media() {
    assert!(scan("photo.jpg", b"\0\0\0not a jpeg").is_empty());
    assert!(scan("movie.mp4", b"\0\0\0\0\0\0\0\0").is_empty());
}

/// Hits and misses on a directory of images (`TIERGATE_MEDIA_EVAL`), one line a file:
/// the signals, whether the skin prefilter let the picture through, and the time.
/// `TIERGATE_MEDIA_EVAL=DIR cargo test --release --lib detect::media::tests::eval -- --ignored --nocapture`
#[test]
#[ignore = "evaluation; give it a directory of images"]
fn eval() {
    let dir = std::env::var("TIERGATE_MEDIA_EVAL").expect("TIERGATE_MEDIA_EVAL=DIR");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let t = std::time::Instant::now();
        let hits = scan(&name, &bytes);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let faces: Vec<String> = hits
            .iter()
            .filter(|h| h.id == FACE)
            .map(|h| format!("{:?}", h.confidence))
            .collect();
        let others: Vec<&str> = hits
            .iter()
            .filter(|h| h.id != FACE)
            .map(|h| h.id.as_ref())
            .collect();
        // Whether the picture went to the detector (grey, or skin in some cell).
        let skin = SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            (s.shrink.grey.len() == (s.shrink.nw * s.shrink.nh) as usize).then(|| {
                let look = s.shrink.look(TABLES.skin_cell);
                look.skin || look.grey
            })
        });
        println!(
            "{name}\tfaces={}\t[{}]\tprefilter={:?}\t{ms:.1}ms\t{}",
            faces.len(),
            faces.join(","),
            skin,
            others.join(",")
        );
    }
}
