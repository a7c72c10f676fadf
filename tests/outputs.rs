//! What a run leaves in its output folder: nothing stale from an earlier
//! run, and files others may read.

mod common;

use std::path::{Path, PathBuf};

use common::{scenarios_cli, solve_cli, text};

fn instance(name: &str) -> String {
    common::instances().join(name).to_str().unwrap().to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A solve that finds a timetable, then a solve into the same folder
/// (`--force`) of an instance that has none: the first run's timetable and
/// report must go, or a planner would take them for the second's answer.
#[test]
fn force_removes_what_an_earlier_run_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("out");
    let mine = out.join("notes.txt");
    let (first, _) = solve_cli(&["solve", &instance("tiny"), "--out", path(&out), "--report", "--quiet", "--node-limit", "200"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert!(out.join("timetable.csv").is_file() && out.join("report").is_dir());
    std::fs::write(&mine, "the planner's own file").unwrap();

    let (second, _) =
        solve_cli(&["solve", &instance("infeasible/cohort-overload"), "--out", path(&out), "--force", "--quiet", "--node-limit", "200"]);
    assert_eq!(second.status.code(), Some(1), "{}", text(&second));
    assert!(!out.join("timetable.csv").exists(), "a stale timetable.csv is left beside an infeasible summary");
    assert!(!out.join("report").exists(), "a stale report is left");
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"infeasible\""), "{summary}");
    // Only what classplan writes is replaced.
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "the planner's own file");
}

/// The same for a scenario's folder in a scenarios run.
#[test]
fn force_removes_what_an_earlier_scenarios_run_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = dir.path().join("crowded");
    std::fs::create_dir(&scenario).unwrap();
    let (first, _) =
        scenarios_cli(&["scenarios", &instance("tiny"), path(&scenario), "--out", path(&out), "--quiet", "--node-limit", "200"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert!(out.join("crowded/timetable.csv").is_file());

    // Now the scenario removes the only room with a projector, which
    // thuyet-trinh needs.
    std::fs::write(scenario.join("remove.csv"), "kind,id\nroom,hoi-truong\n").unwrap();
    let (second, _) =
        scenarios_cli(&["scenarios", &instance("tiny"), path(&scenario), "--out", path(&out), "--force", "--quiet", "--node-limit", "200"]);
    assert!(second.status.code() != Some(0), "{}", text(&second));
    assert!(!out.join("crowded/timetable.csv").exists(), "a stale timetable.csv is left in the scenario's folder");
    let summary = std::fs::read_to_string(out.join("crowded/summary.json")).unwrap();
    assert!(summary.contains("\"infeasible\""), "{summary}");
}

/// Every file under `dir`, sorted.
#[cfg(unix)]
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Output files are written through a temporary file renamed into place;
/// they must still get the mode any program gives a new file (0666 less the
/// umask), not the temporary file's owner-only 0600, and no temporary file
/// may be left behind.
#[cfg(unix)]
#[test]
fn every_output_file_gets_the_usual_mode_and_no_temporary_file_is_left() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // What this process's umask makes of a plain new file.
    let reference = dir.path().join("reference.txt");
    std::fs::write(&reference, "x").unwrap();
    let usual = mode(&reference);

    let solved = dir.path().join("solved");
    let (run, _) = solve_cli(&["solve", &instance("tiny"), "--out", path(&solved), "--report", "--quiet", "--node-limit", "200"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let report = dir.path().join("report");
    let timetable = solved.join("timetable.csv");
    let run = common::classplan(&["report", &instance("tiny"), path(&timetable), "--out", path(&report)]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let scenario = dir.path().join("same");
    std::fs::create_dir(&scenario).unwrap();
    let compared = dir.path().join("compared");
    let (run, _) =
        scenarios_cli(&["scenarios", &instance("tiny"), path(&scenario), "--out", path(&compared), "--quiet", "--node-limit", "200"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let generated = dir.path().join("generated");
    let run = common::classplan(&["generate", "--size", "small", path(&generated)]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));

    let mut files = Vec::new();
    for folder in [&solved, &report, &compared, &generated] {
        files.extend(files_under(folder));
    }
    files.push(dir.path().join("generated.planted.csv"));
    for must in [
        solved.join("summary.json"),
        timetable,
        report.join("timetable.xlsx"),
        compared.join("comparison.csv"),
        generated.join("courses.csv"),
    ] {
        assert!(files.contains(&must), "{} was not written; files: {files:#?}", must.display());
    }
    let wrong: Vec<String> = files
        .iter()
        .filter(|f| mode(f) != usual || f.file_name().unwrap().to_string_lossy().starts_with(".tmp"))
        .map(|f| format!("{} {:o}", f.display(), mode(f)))
        .collect();
    assert!(wrong.is_empty(), "expected mode {usual:o} and no temporary file, found:\n{}", wrong.join("\n"));
}
