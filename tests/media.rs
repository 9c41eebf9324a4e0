//! Images and recordings (`fixtures/media-faces`): a photograph of a person is
//! personal data (tier 2); a drawing, a cat, textures and screenshots stay at the
//! default tier; videos, audio and images tiergate does not decode are noted, never
//! silent; the benchmark's synthetic images show no face.

mod common;

use std::path::Path;

use common::{codes_of, fixture, git, git_commit_all, json, run, scan_manifest, tier_of};

/// The `media.*` signals `tiergate explain` shows for `path`, as `id` or `id×count`.
fn media_signals(dir: &Path, path: &str) -> Vec<String> {
    let r = run(dir, &["explain", "--format", "json", path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ex = json(&r.stdout);
    ex["facts"]["signals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let id = s["id"].as_str()?;
            id.starts_with("media.").then(|| match s["count"].as_u64() {
                Some(n) if n > 1 => format!("{id}×{n}"),
                _ => id.to_string(),
            })
        })
        .collect()
}

fn reasons(manifest: &serde_json::Value, path: &str) -> Vec<String> {
    manifest["files"][path]["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            format!(
                "{} {}",
                r["rule"].as_str().unwrap_or_default(),
                r["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn photographs_of_people_are_tier_2_and_the_near_misses_are_not() {
    let dir = fixture("media-faces");
    git(dir.path(), &["init", "-q"]);
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &[]);
    for photo in ["team/eileen_collins.png", "team/grace_hopper.jpg"] {
        assert_eq!(tier_of(&m, photo), 2, "{photo}: {:?}", reasons(&m, photo));
        assert_eq!(media_signals(dir.path(), photo), ["media.face"], "{photo}");
        assert!(
            codes_of(&m, photo).contains(&"personal-data".to_string()),
            "{photo}: {:?}",
            reasons(&m, photo)
        );
    }
    for near_miss in [
        "assets/horse_drawing.png",
        "assets/cat.webp",
        "assets/textures/brick.png",
        "assets/textures/gravel.jpg",
        "docs/img/dashboard_screenshot.png",
        "docs/img/docs_screenshot.gif",
    ] {
        assert_eq!(
            tier_of(&m, near_miss),
            3,
            "{near_miss}: {:?}",
            reasons(&m, near_miss)
        );
        assert!(
            media_signals(dir.path(), near_miss).is_empty(),
            "{near_miss}: {:?}",
            media_signals(dir.path(), near_miss)
        );
    }
    for (path, signal, code) in [
        ("media/intro.mp4", "media.video", "recording"),
        ("media/greeting.wav", "media.audio", "recording"),
        (
            "media/IMG_2041.HEIC",
            "media.not_examined.unsupported_format",
            "media-not-examined",
        ),
    ] {
        assert_eq!(media_signals(dir.path(), path), [signal], "{path}");
        assert_eq!(tier_of(&m, path), 3, "{path}: {:?}", reasons(&m, path));
        assert!(
            codes_of(&m, path).contains(&code.to_string()),
            "{path}: {:?}",
            reasons(&m, path)
        );
    }
}

/// The benchmark corpus's images (`bench/mkcorpus.py --images`): gradients with rows
/// of noise, at the sizes it draws, written as it writes them. None shows a face, so
/// none may leave the default tier.
#[test]
fn the_benchmark_s_synthetic_images_stay_at_the_default_tier() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("static")).unwrap();
    let sizes = [(32, 32), (97, 800), (480, 320), (800, 800)];
    for (i, &(w, h)) in sizes.iter().enumerate() {
        std::fs::write(
            p.join(format!("static/image_{i:05}.png")),
            synthetic_png(w, h, i as u64 + 1),
        )
        .unwrap();
    }
    git(p, &["init", "-q"]);
    git_commit_all(p);
    let m = scan_manifest(p, &[]);
    for i in 0..sizes.len() {
        let path = format!("static/image_{i:05}.png");
        assert_eq!(tier_of(&m, &path), 3, "{path}: {:?}", reasons(&m, &path));
        assert!(media_signals(p, &path).is_empty(), "{path}");
    }
}

/// `bench/mkcorpus.py`'s `png`: rows of a shifted gradient, one row of noise in 16,
/// RGB (its zlib level differs; the pixels are the same).
fn synthetic_png(w: usize, h: usize, seed: u64) -> Vec<u8> {
    let base: Vec<u8> = (0..3 * 2048 + 3 * 1200)
        .map(|i: usize| ((i * 7 + (i / 3) * 5) & 255) as u8)
        .collect();
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut data = Vec::with_capacity(h * 3 * w);
    for y in 0..h {
        if y % 16 == 0 {
            data.extend((0..3 * w).map(|_| next() as u8));
        } else {
            let off = (y * 3 + (next() % 3) as usize) % 3600;
            data.extend_from_slice(&base[off..off + 3 * w]);
        }
    }
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w as u32, h as u32);
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Eight);
    e.write_header()
        .and_then(|mut wr| wr.write_image_data(&data))
        .expect("a PNG encodes");
    out
}

/// `fixtures/media-biometric`: what a picture or a recording is depends on where it
/// is. In a face-recognition component a reference photo and a voice recording are
/// biometric data (tier 1); photographs laid out a folder per person are too, whatever
/// the code around them; a single portrait stays personal data (tier 2) and a
/// recording outside a biometric component a note.
#[test]
fn pictures_and_recordings_are_biometric_data_in_a_biometric_component_or_a_set_by_person() {
    let dir = fixture("media-biometric");
    git(dir.path(), &["init", "-q"]);
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &[]);
    let rules_of = |path: &str| -> Vec<String> {
        m["files"][path]["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["rule"].as_str().map(str::to_string))
            .collect()
    };
    for (path, rule) in [
        ("recognizer/known/ada.jpg", "face-in-biometric-component"),
        (
            "recognizer/voice/enrolment.wav",
            "recording-in-biometric-component",
        ),
        ("staff/photos/grace_hopper/1.jpg", "face-in-person-set"),
        ("staff/photos/eileen_collins/1.png", "face-in-person-set"),
    ] {
        assert_eq!(tier_of(&m, path), 1, "{path}: {:?}", reasons(&m, path));
        assert!(
            rules_of(path).contains(&rule.to_string()),
            "{path}: {:?}",
            reasons(&m, path)
        );
        assert!(
            codes_of(&m, path).contains(&"biometric-data".to_string()),
            "{path}"
        );
    }
    // The reason names the purpose the component appears to serve.
    assert!(
        reasons(&m, "recognizer/known/ada.jpg")
            .iter()
            .any(|r| r.contains("remote biometric identification, Annex III 1(a)")),
        "{:?}",
        reasons(&m, "recognizer/known/ada.jpg")
    );
    // The staff photos are no biometric component's: only the layout makes them tier 1.
    assert!(
        !rules_of("staff/photos/grace_hopper/1.jpg")
            .contains(&"face-in-biometric-component".to_string())
    );
    assert_eq!(tier_of(&m, "staff/eileen_collins.png"), 2);
    assert_eq!(tier_of(&m, "staff/media/welcome.wav"), 3);
    let welcome = rules_of("staff/media/welcome.wav");
    assert!(welcome.contains(&"recording".to_string()), "{welcome:?}");
    assert!(!codes_of(&m, "staff/media/welcome.wav").contains(&"biometric-data".to_string()));

    // `explain` decides a picture as the scan does, and shows the layout it was given.
    let r = run(
        dir.path(),
        &[
            "explain",
            "--format",
            "json",
            "staff/photos/grace_hopper/1.jpg",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ex = json(&r.stdout);
    assert_eq!(ex["rego_input"]["component"]["person_set"], true, "{ex}");
    assert_eq!(ex["decision"]["tier"], 1, "{ex}");
}
