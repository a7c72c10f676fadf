//! A scenario folder over `instances/ben-tre-2020`, as `classplan
//! scenarios` reads it. The input is split at every 0xFF byte (never part
//! of UTF-8 text) into files; the first byte of each piece picks which file
//! of the scenario it is (by its place in `FILES`, modulo their number,
//! a later piece replacing an earlier one) and the rest is its contents.
//! Whatever reads is then diagnosed; errors are formatted, since placing
//! them back in the base or scenario file is part of the reader.
//!
//! `scenario::read_scenario` reads folders only, so the pieces are written
//! to a scratch folder of this process, emptied before each input.
#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// What a piece can be: every file a scenario may hold, and one it may not.
/// Keep in step with `tests/fuzz_corpus.rs`.
const FILES: [&str; 10] = [
    "calendar.csv",
    "rooms.csv",
    "instructors.csv",
    "cohorts.csv",
    "courses.csv",
    "availability.csv",
    "pins.csv",
    "weights.csv",
    "remove.csv",
    "notes.csv",
];

const SEPARATOR: u8 = 0xFF;

fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("classplan-fuzz-scenario-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let base = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../instances/ben-tre-2020"));
    let dir = scratch();
    for name in FILES {
        let _ = fs::remove_file(dir.join(name));
    }
    for piece in data.split(|&b| b == SEPARATOR) {
        let Some((&which, contents)) = piece.split_first() else { continue };
        fs::write(dir.join(FILES[which as usize % FILES.len()]), contents).expect("a scratch file");
    }
    match classplan::scenario::read_scenario(base, dir) {
        Ok(instance) => {
            let _ = classplan::check::diagnose(&instance);
        }
        Err(errors) => {
            let _ = errors.to_string();
        }
    }
});
