//! The manual pages in `docs/man/` are generated from the command line's definition
//! (one page per command and subcommand) and must be current: a flag added, renamed or
//! reworded without them fails here. `TIERGATE_BLESS=1 cargo test --test man`
//! rewrites them.

use std::collections::BTreeMap;
use std::path::Path;

use clap::CommandFactory;

/// Every page clap_mangen writes for the command line, by file name.
fn generated() -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(tiergate::cli::Cli::command(), out.path()).unwrap();
    read_pages(out.path())
}

fn read_pages(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".1"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_manual_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let want = generated();
    assert!(want.contains_key("tiergate.1"), "{:?}", want.keys());
    assert!(want.contains_key("tiergate-check.1"), "{:?}", want.keys());
    let have = read_pages(&dir);
    if have == want {
        return;
    }
    if std::env::var_os("TIERGATE_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for name in have.keys().filter(|n| !want.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (name, bytes) in &want {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        return;
    }
    let stale: Vec<&String> = want
        .keys()
        .chain(have.keys())
        .filter(|n| have.get(*n) != want.get(*n))
        .collect();
    panic!(
        "docs/man is not current ({stale:?}): run `TIERGATE_BLESS=1 cargo test --test man` and commit the pages"
    );
}
