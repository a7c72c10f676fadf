//! What each fuzz target does with one input. The targets here call these,
//! and `tests/fuzz_corpus.rs` includes this file to replay the kept inputs
//! through the very same code on every `cargo test`.

// Each target uses only its own part.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

use classplan::io::{self, ctt, schema};
use classplan::model::Instance;

/// The files of an instance folder, in `io::schema::INSTANCE_FILES` order:
/// the first byte of an `instance_csv` input picks one by its place here.
pub fn instance_files(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    schema::INSTANCE_FILES.iter().map(|f| (f.name, fs::read(dir.join(f.name)).expect("every file of the instance"))).collect()
}

/// The instance of [`instance_files`], read from memory.
pub fn instance(files: &[(&str, Vec<u8>)]) -> Result<Instance, io::InputErrors> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    io::fuzz_parse_instance_files(&files)
}

/// `instance_csv`: the first byte picks the file of `files` that the rest
/// replaces, so the other files stay valid and references reach deep into
/// the reader. Whatever reads is then diagnosed, as `classplan check
/// INSTANCE` does.
pub fn instance_csv(files: &[(&str, Vec<u8>)], data: &[u8]) {
    let Some((&which, table)) = data.split_first() else { return };
    let mut files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let at = which as usize % files.len();
    files[at].1 = table;
    if let Ok(instance) = io::fuzz_parse_instance_files(&files) {
        let _ = classplan::check::diagnose(&instance);
    }
}

/// `timetable_csv`: a timetable.csv read against `instance`, then checked
/// and written back, as `classplan check INSTANCE TIMETABLE` and the
/// writers would.
pub fn timetable_csv(instance: &Instance, data: &[u8]) {
    if let Ok(timetable) = io::fuzz_parse_timetable(data, instance) {
        let report = classplan::check::check(instance, &timetable);
        let _ = report.to_json(instance);
        let _ = io::timetable_csv(instance, &timetable);
    }
}

/// `ctt`: any bytes, as text (invalid UTF-8 replaced, so no input is
/// wasted), parsed, mapped onto an instance and diagnosed, as `classplan
/// check FILE.ctt` does.
pub fn ctt(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(problem) = ctt::parse_ctt(&text, Path::new("fuzz.ctt")) {
        let _ = classplan::check::diagnose(&ctt::to_instance(&problem));
    }
}

/// Splits a `scenario` input into files.
const SEPARATOR: u8 = 0xFF;

/// What a piece of a `scenario` input can be: every file a scenario may
/// hold, and one it may not.
pub fn scenario_file_names() -> Vec<&'static str> {
    schema::scenario_file_names().chain(["notes.csv"]).collect()
}

/// The files a `scenario` input stands for: the input split at every 0xFF
/// byte (never part of UTF-8 text), the first byte of each piece picking
/// its name (by its place in [`scenario_file_names`], modulo their number)
/// and the rest its contents. A later piece of the same name replaces an
/// earlier one when written.
pub fn scenario_files(data: &[u8]) -> Vec<(&'static str, &[u8])> {
    let names = scenario_file_names();
    data.split(|&b| b == SEPARATOR)
        .filter_map(|piece| piece.split_first())
        .map(|(&which, contents)| (names[which as usize % names.len()], contents))
        .collect()
}

/// `scenario`: the files of `data` written to `dir` (emptied of them
/// first) and laid over `base` as `classplan scenarios` reads them.
/// Whatever reads is then diagnosed; errors are formatted, since placing
/// them back in the base or scenario file is part of the reader.
pub fn scenario(base: &Path, dir: &Path, data: &[u8]) {
    for name in scenario_file_names() {
        let _ = fs::remove_file(dir.join(name));
    }
    for (name, contents) in scenario_files(data) {
        fs::write(dir.join(name), contents).expect("a scratch file");
    }
    match classplan::scenario::read_scenario(base, dir) {
        Ok(instance) => {
            let _ = classplan::check::diagnose(&instance);
        }
        Err(errors) => {
            let _ = errors.to_string();
        }
    }
}
