//! Replays every input the fuzz targets in `fuzz/` keep (the seed corpus in
//! `fuzz/corpus/<target>/`, and the inputs that once crashed them in
//! `fuzz/regressions/<target>/`) through the same public entry points, as
//! ordinary tests: no fuzzer or nightly toolchain needed. Each must be read
//! (or refused) without a panic. Keep these bodies in step with
//! `fuzz/fuzz_targets/*.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use classplan::io::{self, ctt};
use classplan::model::Instance;

const TINY: [&str; 8] =
    ["calendar.csv", "rooms.csv", "instructors.csv", "cohorts.csv", "courses.csv", "availability.csv", "pins.csv", "weights.csv"];

/// The kept inputs of one target, in name order.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(fuzz.join(kind).join(target)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                let bytes = fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

fn tiny_files() -> Vec<(&'static str, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/tiny");
    TINY.iter().map(|&name| (name, fs::read(dir.join(name)).unwrap())).collect()
}

/// `fuzz_targets/instance_csv.rs`: the first byte picks the file of tiny
/// that the rest replaces.
fn instance_csv(tiny: &[(&str, Vec<u8>)], data: &[u8]) {
    let Some((&which, table)) = data.split_first() else { return };
    let mut files: Vec<(&str, &[u8])> = tiny.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let at = which as usize % files.len();
    files[at].1 = table;
    if let Ok(instance) = io::fuzz_parse_instance_files(&files) {
        let _ = classplan::check::diagnose(&instance);
    }
}

/// `fuzz_targets/timetable_csv.rs`.
fn timetable_csv(instance: &Instance, data: &[u8]) {
    if let Ok(timetable) = io::fuzz_parse_timetable(data, instance) {
        let report = classplan::check::check(instance, &timetable);
        let _ = report.to_json(instance);
        let _ = io::timetable_csv(instance, &timetable);
    }
}

/// `fuzz_targets/ctt.rs`.
fn ctt_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(problem) = ctt::parse_ctt(&text, Path::new("fuzz.ctt")) {
        let _ = classplan::check::diagnose(&ctt::to_instance(&problem));
    }
}

/// `fuzz_targets/scenario.rs`: the pieces between 0xFF bytes, each a
/// selector byte picking its file and the contents, laid as a scenario
/// over `instances/ben-tre-2020`.
const SCENARIO_FILES: [&str; 10] = [
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

fn scenario(data: &[u8]) {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/ben-tre-2020");
    let dir = tempfile::tempdir().unwrap();
    for piece in data.split(|&b| b == 0xFF) {
        let Some((&which, contents)) = piece.split_first() else { continue };
        fs::write(dir.path().join(SCENARIO_FILES[which as usize % SCENARIO_FILES.len()]), contents).unwrap();
    }
    match classplan::scenario::read_scenario(&base, dir.path()) {
        Ok(instance) => {
            let _ = classplan::check::diagnose(&instance);
        }
        Err(errors) => {
            let _ = errors.to_string();
        }
    }
}

/// Runs `body` on every input, naming those that panic.
fn replay(target: &str, body: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no inputs for {target}: is fuzz/corpus/{target} there?");
    let panicked: Vec<String> = inputs
        .iter()
        .filter(|(_, bytes)| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(bytes))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(panicked.is_empty(), "{target}: these inputs panic:\n{}", panicked.join("\n"));
}

#[test]
fn instance_csv_corpus_reads_without_panics() {
    let tiny = tiny_files();
    replay("instance_csv", |data| instance_csv(&tiny, data));
}

#[test]
fn timetable_csv_corpus_reads_and_checks_without_panics() {
    let tiny = tiny_files();
    let files: Vec<(&str, &[u8])> = tiny.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let instance = io::fuzz_parse_instance_files(&files).expect("instances/tiny reads");
    replay("timetable_csv", |data| timetable_csv(&instance, data));
}

#[test]
fn ctt_corpus_parses_without_panics() {
    replay("ctt", ctt_text);
}

#[test]
fn scenario_corpus_reads_without_panics() {
    replay("scenario", scenario);
}

/// The seeds hold the shipped scenarios: each still reads, so the corpus
/// reaches past the reader's errors into the merge and the diagnosis.
#[test]
fn scenario_seeds_of_the_shipped_scenarios_read() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/ben-tre-2020");
    let seeds: Vec<(PathBuf, Vec<u8>)> = inputs("scenario")
        .into_iter()
        .filter(|(path, _)| path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("ben-tre-")))
        .collect();
    assert_eq!(seeds.len(), 7);
    for (path, data) in seeds {
        let dir = tempfile::tempdir().unwrap();
        for piece in data.split(|&b| b == 0xFF) {
            let (&which, contents) = piece.split_first().unwrap();
            fs::write(dir.path().join(SCENARIO_FILES[which as usize % SCENARIO_FILES.len()]), contents).unwrap();
        }
        let name = path.file_name().unwrap().to_string_lossy().trim_start_matches("ben-tre-").to_string();
        let shipped = base.join("scenarios").join(&name);
        assert_eq!(
            classplan::scenario::read_scenario(&base, dir.path()).unwrap(),
            classplan::scenario::read_scenario(&base, &shipped).unwrap(),
            "{name}"
        );
    }
}

/// The memory entry point is the folder reader on bytes: the same instance,
/// or the same errors with the same file names.
#[test]
fn reading_from_memory_matches_reading_the_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/tiny");
    let tiny = tiny_files();
    let files: Vec<(&str, &[u8])> = tiny.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    assert_eq!(io::fuzz_parse_instance_files(&files).unwrap(), io::read_instance(&dir).unwrap());

    let broken: Vec<(&str, &[u8])> = files
        .iter()
        .map(|&(n, b)| if n == "rooms.csv" { (n, &b"id,capacity\nhoi-truong,-1\nphong-101,20\n"[..]) } else { (n, b) })
        .collect();
    let err = io::fuzz_parse_instance_files(&broken).unwrap_err();
    assert_eq!(err.to_string(), "rooms.csv:2:2: column 'capacity': is too small; expected a whole number >= 1 (found \"-1\") [E-RANGE]");

    let missing: Vec<(&str, &[u8])> = files.iter().copied().filter(|&(n, _)| n != "courses.csv").collect();
    let err = io::fuzz_parse_instance_files(&missing).unwrap_err();
    assert_eq!(err.to_string(), "courses.csv: is missing; every instance needs it [E-MISSING-FILE]");
}
