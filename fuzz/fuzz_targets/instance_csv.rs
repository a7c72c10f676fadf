//! The bytes of one table of an instance. The first byte picks which file of
//! `instances/tiny` the rest replaces (by its place in `tiny::FILES`), so
//! the other files stay valid and references reach deep into the reader.
//! Whatever reads is then diagnosed, as `classplan check INSTANCE` does.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod tiny;

fuzz_target!(|data: &[u8]| {
    let Some((&which, table)) = data.split_first() else { return };
    let mut files = tiny::FILES;
    files[which as usize % files.len()].1 = table;
    if let Ok(instance) = classplan::io::fuzz_parse_instance_files(&files) {
        let _ = classplan::check::diagnose(&instance);
    }
});
