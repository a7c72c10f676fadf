//! Replays every input the fuzz targets in `fuzz/` keep (the seed corpus in
//! `fuzz/corpus/<target>/`, and the inputs that once crashed them in
//! `fuzz/regressions/<target>/`) through the targets' own bodies
//! (`fuzz/fuzz_targets/targets.rs`), as ordinary tests: no fuzzer or
//! nightly toolchain needed. Each must be read (or refused) without a panic.

use std::fs;
use std::path::{Path, PathBuf};

use classplan::io;

#[path = "../fuzz/fuzz_targets/targets.rs"]
mod targets;

/// The kept inputs of one target, in name order.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    // fuzz/README.md promises both folders; a target's folder of
    // regressions appears with its first crash.
    for kind in ["corpus", "regressions"] {
        assert!(fuzz.join(kind).is_dir(), "fuzz/{kind} is missing: fuzz/README.md says crashing inputs are kept there");
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
    targets::instance_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/tiny"))
}

fn ben_tre() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/ben-tre-2020")
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
    replay("instance_csv", |data| targets::instance_csv(&tiny, data));
}

#[test]
fn timetable_csv_corpus_reads_and_checks_without_panics() {
    let instance = targets::instance(&tiny_files()).expect("instances/tiny reads");
    replay("timetable_csv", |data| targets::timetable_csv(&instance, data));
}

#[test]
fn ctt_corpus_parses_without_panics() {
    replay("ctt", targets::ctt);
}

#[test]
fn scenario_corpus_reads_without_panics() {
    let base = ben_tre();
    replay("scenario", |data| targets::scenario(&base, tempfile::tempdir().unwrap().path(), data));
}

/// The seeds made of a shipped instance's file (`tiny-rooms`) select that
/// file by their first byte: a change of `io::schema::INSTANCE_FILES`'
/// order that would scramble the corpora fails here.
#[test]
fn instance_csv_seeds_select_the_file_they_were_made_of() {
    let instances = [("tiny-", "tiny"), ("ben-tre-", "ben-tre-2020"), ("bom-semicolon-", "bom-semicolon")];
    let mut seen = 0;
    for (path, data) in inputs("instance_csv") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some((stem, folder)) = instances.iter().find_map(|(prefix, folder)| Some((name.strip_prefix(prefix)?, folder))) else {
            continue;
        };
        let (&which, contents) = data.split_first().unwrap();
        let files = io::schema::INSTANCE_FILES;
        let file = files[which as usize % files.len()].name;
        assert_eq!(file, format!("{stem}.csv"), "{name}");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances").join(folder).join(file);
        assert_eq!(contents, fs::read(shipped).unwrap(), "{name}");
        seen += 1;
    }
    assert_eq!(seen, 3 * io::schema::INSTANCE_FILES.len());
}

/// The seeds hold the shipped scenarios: each still reads, so the corpus
/// reaches past the reader's errors into the merge and the diagnosis.
#[test]
fn scenario_seeds_of_the_shipped_scenarios_read() {
    let base = ben_tre();
    let seeds: Vec<(PathBuf, Vec<u8>)> = inputs("scenario")
        .into_iter()
        .filter(|(path, _)| path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("ben-tre-")))
        .collect();
    assert_eq!(seeds.len(), 7);
    for (path, data) in seeds {
        let dir = tempfile::tempdir().unwrap();
        for (name, contents) in targets::scenario_files(&data) {
            fs::write(dir.path().join(name), contents).unwrap();
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
