use std::sync::atomic::{AtomicBool, Ordering};

use ignore::WalkBuilder;

/// Search every file under `paths` in parallel; print matching lines.
pub fn search(re: &regex::Regex, paths: Vec<String>) -> bool {
    let found = AtomicBool::new(false);
    let mut builder = WalkBuilder::new(&paths[0]);
    for p in &paths[1..] {
        builder.add(p);
    }
    let (tx, rx) = crossbeam_channel::unbounded::<String>();
    // One printer thread owns stdout: printing from the workers directly was a race
    // condition that interleaved lines of different files.
    let printer = std::thread::spawn(move || {
        for line in rx {
            println!("{line}");
        }
    });
    builder.build_parallel().run(|| {
        let tx = tx.clone();
        let found = &found;
        Box::new(move |entry| {
            if let Ok(e) = entry {
                if let Ok(text) = std::fs::read_to_string(e.path()) {
                    for (n, line) in text.lines().enumerate() {
                        if re.is_match(line) {
                            found.store(true, Ordering::Relaxed);
                            let _ = tx.send(format!("{}:{}:{line}", e.path().display(), n + 1));
                        }
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    drop(tx);
    printer.join().unwrap();
    found.load(Ordering::Relaxed)
}
