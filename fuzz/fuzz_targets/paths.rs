//! Path normalization on arbitrary bytes: the walker's `rel_path` (a name on disk to the
//! manifest's key) and `repo_relative` (a path a user or an agent gives to `route` and
//! the hook). A key must be repo-relative, `/`-separated and NFC; a user path must never
//! resolve outside the root nor to a key with `.` or `..` in it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|data: &[u8]| {
    let root = Path::new("/repo/root");
    // As the walker sees names: no NUL, no empty, `.` or `..` segment.
    let segments: Vec<&[u8]> = data
        .split(|&b| b == b'/')
        .filter(|s| !s.is_empty() && *s != b"." && *s != b".." && !s.contains(&0))
        .collect();
    if !segments.is_empty() {
        let rel = segments.join(&b'/');
        let abs = root.join(OsStr::from_bytes(&rel));
        let r =
            tiergate::walk::rel_path(root, &abs).expect("a path under the root is relative to it");
        assert_eq!(r.raw, rel, "the raw name is not the name on disk");
        match std::str::from_utf8(&rel) {
            Ok(s) => {
                assert!(r.utf8);
                assert_eq!(
                    r.display,
                    s.nfc().collect::<String>(),
                    "the key is not the NFC name"
                );
            }
            Err(_) => {
                assert!(!r.utf8);
                // Escaped bytes keep it printable and one line.
                assert!(
                    !r.display.contains(['\u{fffd}']),
                    "a lossy key: {:?}",
                    r.display
                );
            }
        }
        assert!(
            !r.display.starts_with('/') && !r.display.ends_with('/'),
            "{:?}",
            r.display
        );
        assert!(
            !r.display.contains("//"),
            "an empty segment in {:?}",
            r.display
        );
    }
    assert!(tiergate::walk::rel_path(root, Path::new("/elsewhere/x")).is_none());

    // `repo_relative`: the input as text, from a working directory inside the root.
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if input.contains('\0') {
        return;
    }
    let cwd = root.join("sub/dir");
    if let Some(key) = tiergate::app::repo_relative(root, &cwd, input) {
        assert!(!key.starts_with('/'), "an absolute key {key:?}");
        for seg in key.split('/') {
            assert!(
                key.is_empty() || (!seg.is_empty() && seg != "." && seg != ".."),
                "key {key:?} from {input:?} has segment {seg:?}"
            );
        }
        assert_eq!(key, key.nfc().collect::<String>(), "the key is not NFC");
        // The key is a fixed point: given back as a repo-relative path, it stays itself.
        assert_eq!(
            tiergate::app::repo_relative(root, root, &key).as_deref(),
            Some(key.as_str()),
            "{input:?} gives {key:?}, which does not resolve to itself"
        );
    }
});
