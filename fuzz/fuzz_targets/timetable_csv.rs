//! The bytes of a timetable.csv read against `instances/tiny`, then checked
//! and written back, as `classplan check INSTANCE TIMETABLE` and the writers
//! would.
#![no_main]

use std::sync::OnceLock;

use classplan::model::Instance;
use libfuzzer_sys::fuzz_target;

mod tiny;

fn instance() -> &'static Instance {
    static TINY: OnceLock<Instance> = OnceLock::new();
    TINY.get_or_init(|| classplan::io::fuzz_parse_instance_files(&tiny::FILES).expect("instances/tiny reads"))
}

fuzz_target!(|data: &[u8]| {
    let instance = instance();
    if let Ok(timetable) = classplan::io::fuzz_parse_timetable(data, instance) {
        let report = classplan::check::check(instance, &timetable);
        let _ = report.to_json(instance);
        let _ = classplan::io::timetable_csv(instance, &timetable);
    }
});
