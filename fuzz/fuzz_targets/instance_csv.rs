//! The bytes of one table of `instances/tiny`: see `targets::instance_csv`.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

mod targets;

fn tiny() -> &'static [(&'static str, Vec<u8>)] {
    static FILES: OnceLock<Vec<(&str, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| targets::instance_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../instances/tiny"))))
}

fuzz_target!(|data: &[u8]| targets::instance_csv(tiny(), data));
