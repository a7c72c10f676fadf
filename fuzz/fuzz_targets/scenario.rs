//! A scenario folder over `instances/ben-tre-2020`: see
//! `targets::scenario`.
//!
//! `scenario::read_scenario` reads folders only, so the files are written
//! to a scratch folder of this process, emptied before each input.
#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

mod targets;

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
    targets::scenario(base, scratch(), data);
});
