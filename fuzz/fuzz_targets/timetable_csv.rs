//! The bytes of a timetable.csv read against `instances/tiny`: see
//! `targets::timetable_csv`.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use classplan::model::Instance;
use libfuzzer_sys::fuzz_target;

mod targets;

fn instance() -> &'static Instance {
    static TINY: OnceLock<Instance> = OnceLock::new();
    TINY.get_or_init(|| {
        let files = targets::instance_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../instances/tiny")));
        targets::instance(&files).expect("instances/tiny reads")
    })
}

fuzz_target!(|data: &[u8]| targets::timetable_csv(instance(), data));
