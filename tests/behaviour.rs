//! What the README and docs promise of the commands, through the binary:
//! `report`, `solve` with `--baseline`, `--stable`, `--report`, `--solver`
//! and `--method`, `scenarios` with its exit codes and comparison.csv,
//! SIGTERM (with and before a timetable), exit 1 for no timetable in time,
//! and summary.json's bound, gap and check. Every solve goes through
//! `tests/common`, which re-reads and re-checks what was written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use classplan::generate::{generate, Size};
use classplan::io;
use classplan::model::{Instance, Timetable};
use classplan::run::{Status, Summary};
use classplan::solve::{Backend, Method};
use common::{check_run_dir, classplan, read_summary, scenarios_cli, solve_cli, text};

fn instance(name: &str) -> String {
    s(&common::instances().join(name))
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// The documented optimal timetable of tiny, written to `dir`.
fn tiny_baseline(dir: &Path) -> PathBuf {
    let path = dir.join("published.csv");
    io::write_timetable(&common::shipped("tiny"), &common::tiny_documented_timetable(), &path).unwrap();
    path
}

/// Changes counted here, from the two timetables alone: (moved,
/// instructor changes, room changes), matching sessions of a course at a
/// slot as multisets.
fn count_changes(instance: &Instance, before: &Timetable, after: &Timetable) -> (usize, usize, usize) {
    let at = |t: &Timetable| {
        let mut m: BTreeMap<(usize, usize, u32), Vec<usize>> = BTreeMap::new();
        for p in &t.placements {
            m.entry((p.course.0, p.slot.day.0, p.slot.period)).or_default().push(p.room.0);
        }
        m
    };
    let (old, new) = (at(before), at(after));
    let (mut moved, mut rooms) = (0, 0);
    for (key, rooms_after) in &new {
        let rooms_before = old.get(key).cloned().unwrap_or_default();
        moved += rooms_after.len().saturating_sub(rooms_before.len());
        if rooms_before.len() == 1 && rooms_after.len() == 1 && rooms_before != *rooms_after {
            rooms += 1;
        }
    }
    let teachers = |t: &Timetable| {
        let mut m: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for p in &t.placements {
            m.entry(p.course.0).or_default().push(p.instructor.0);
        }
        m.values_mut().for_each(|v| {
            v.sort();
            v.dedup()
        });
        m
    };
    let (tb, ta) = (teachers(before), teachers(after));
    let instructors = (0..instance.courses.len()).filter(|c| tb.get(c).is_some_and(|b| ta.get(c).is_some_and(|a| a != b))).count();
    (moved, instructors, rooms)
}

#[test]
fn report_through_the_binary_writes_the_views_of_a_timetable() {
    let dir = tempfile::tempdir().unwrap();
    let timetable = tiny_baseline(dir.path());
    let out = dir.path().join("report");
    let o = classplan(&["report", &instance("tiny"), &s(&timetable), "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let tiny = common::shipped("tiny");
    for course in &tiny.courses {
        assert!(html.contains(&course.id), "{} missing from the page", course.id);
    }
    assert!(out.join("timetable.xlsx").is_file());
    // A second run into the same folder needs --force.
    let again = classplan(&["report", &instance("tiny"), &s(&timetable), "--out", &s(&out)]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    // A timetable that is not of this instance is refused.
    fs::write(dir.path().join("bad.csv"), "course,day,period,room,instructor\nnope,2020-05-04,1,hoi-truong,gv-hung\n").unwrap();
    let bad = classplan(&["report", &instance("tiny"), &s(&dir.path().join("bad.csv")), "--out", &s(&dir.path().join("r2"))]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown"), "{}", text(&bad));
    assert!(!dir.path().join("r2").exists(), "a refused report writes nothing");
}

#[test]
fn solve_against_a_baseline_counts_the_changes_and_stable_keeps_an_optimal_plan() {
    let dir = tempfile::tempdir().unwrap();
    let published = tiny_baseline(dir.path());
    let tiny = common::shipped("tiny");
    let baseline = io::read_timetable(&published, &tiny).unwrap();
    for (stable, seed) in [(false, "3"), (true, "3")] {
        let out = dir.path().join(format!("stable-{stable}"));
        let mut args = vec!["solve", tiny_path(), "--out", out.to_str().unwrap(), "--baseline", published.to_str().unwrap()];
        args.extend(["--node-limit", "200", "--seed", seed]);
        if stable {
            args.push("--stable");
        }
        let args: Vec<&str> = args;
        let (o, timetable) = solve_cli(&args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let timetable = timetable.expect("a timetable");
        let summary = read_summary(&out);
        assert_eq!(summary.settings.stable, stable);
        let changes = summary.changes.expect("changes against the baseline");
        let (moved, instructors, rooms) = count_changes(&tiny, &baseline, &timetable);
        assert_eq!((changes.moved, changes.instructor_changes, changes.room_changes), (moved, instructors, rooms));
        assert_eq!(summary.baseline.map(|b| (b.source, b.dropped)), Some((published.display().to_string(), 0)));
        if stable {
            // The baseline is optimal (docs/format.md): keeping it costs
            // nothing, so a stable repair moves nothing.
            assert_eq!((moved, instructors, rooms), (0, 0, 0));
            assert_eq!(timetable, baseline);
            assert_eq!(summary.cost.unwrap().total, common::tiny_optimum());
        }
    }
    // --stable without --baseline is a usage error.
    let o = classplan(&["solve", tiny_path(), "--out", &s(&dir.path().join("x")), "--stable"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!dir.path().join("x").exists());
}

fn tiny_path() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| instance("tiny"))
}

#[test]
fn solve_with_report_writes_the_report_beside_the_timetable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let (o, timetable) = solve_cli(&["solve", tiny_path(), "--out", &s(&out), "--report", "--node-limit", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(timetable.is_some());
    let summary = read_summary(&out);
    assert_eq!(summary.files.report.as_deref(), Some("report"));
    assert!(out.join("report/report.html").is_file() && out.join("report/timetable.xlsx").is_file());
}

#[test]
fn solve_with_the_monolithic_method_finds_tinys_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let (o, _) = solve_cli(&["solve", tiny_path(), "--out", &s(&out), "--method", "monolithic", "--node-limit", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let summary = read_summary(&out);
    assert_eq!(summary.settings.method, Method::Monolithic);
    assert_eq!(summary.status, Status::Optimal);
    assert_eq!(summary.cost.unwrap().total, common::tiny_optimum());
    let bad = classplan(&["solve", tiny_path(), "--out", &s(&dir.path().join("x")), "--method", "fast"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
}

#[test]
fn solve_with_microlp_solves_tiny_or_says_it_is_not_compiled_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let args = ["solve", tiny_path(), "--out", &s(&out), "--solver", "microlp", "--time-limit", "120"];
    if Backend::Microlp.is_available() {
        let (o, _) = solve_cli(&args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let summary = read_summary(&out);
        assert_eq!(summary.settings.backend, Backend::Microlp);
        assert_eq!(summary.cost.unwrap().total, common::tiny_optimum());
    } else {
        let o = classplan(&args);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("the microlp solver is not compiled into this build"), "{err}");
        assert!(!out.exists(), "a refused run writes nothing");
    }
}

#[test]
fn scenarios_through_the_binary_exit_by_their_statuses_and_compare_in_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let bigger = dir.path().join("bigger");
    fs::create_dir(&bigger).unwrap();
    fs::write(bigger.join("cohorts.csv"), "id,size\nbt-xa,16\n").unwrap();
    let out = dir.path().join("out");
    let (o, jobs) = scenarios_cli(&["scenarios", tiny_path(), &s(&bigger), "--out", &s(&out), "--node-limit", "200", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(jobs.iter().all(|(summary, t)| summary.status.solved() && t.is_some()));
    let rows = comparison_rows(&out);
    assert_eq!(
        rows.iter().map(|r| (r["scenario"].as_str(), r["status"].as_str())).collect::<Vec<_>>(),
        [("base", jobs[0].0.status.name()), ("bigger", jobs[1].0.status.name())]
    );
    for (row, (summary, _)) in rows.iter().zip(&jobs) {
        assert_eq!(row["total"].parse::<f64>().unwrap(), summary.cost.unwrap().total);
    }

    // Without the only room with a projector, thuyet-trinh has nowhere to
    // go: that scenario is infeasible and the run exits 1.
    let no_hall = dir.path().join("no-hall");
    fs::create_dir(&no_hall).unwrap();
    fs::write(no_hall.join("remove.csv"), "kind,id\nroom,hoi-truong\n").unwrap();
    let out = dir.path().join("out2");
    let (o, jobs) = scenarios_cli(&["scenarios", tiny_path(), &s(&no_hall), "--out", &s(&out), "--node-limit", "200", "--quiet"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!((jobs[0].0.status, jobs[1].0.status), (Status::Optimal, Status::Infeasible));
    assert!(jobs[1].1.is_none());
    let rows = comparison_rows(&out);
    assert_eq!(rows[1]["status"], "infeasible");
}

fn comparison_rows(out: &Path) -> Vec<BTreeMap<String, String>> {
    csv::Reader::from_path(out.join("comparison.csv")).unwrap().deserialize().map(|r| r.unwrap()).collect()
}

/// Writes generated instance `size`/`seed` into `dir`.
fn generated(size: Size, seed: u64, dir: &Path) -> PathBuf {
    let path = dir.join(format!("{size}-{seed}"));
    io::write_instance(&generate(size, seed).instance, &path).unwrap();
    path
}

/// The Grötzsch graph as a timetable: a course of one session per vertex,
/// a cohort shared by the two courses of each edge, one day of three
/// periods, a room and a lecturer each. The graph has no triangle but needs
/// four colours, so no timetable exists, yet no cohort, clique or count
/// shows it: neither the diagnosis nor an integer program's root does, and
/// proving it takes branching (seconds, where everything else is instant).
fn grotzsch(dir: &Path) -> PathBuf {
    let mut edges = Vec::new();
    for i in 0..5 {
        edges.push((format!("u{i}"), format!("u{}", (i + 1) % 5)));
        edges.push((format!("v{i}"), format!("u{}", (i + 4) % 5)));
        edges.push((format!("v{i}"), format!("u{}", (i + 1) % 5)));
        edges.push(("w".to_string(), format!("v{i}")));
    }
    let vertices: Vec<String> = (0..5).map(|i| format!("u{i}")).chain((0..5).map(|i| format!("v{i}"))).chain(["w".to_string()]).collect();
    let path = dir.join("grotzsch");
    fs::create_dir_all(&path).unwrap();
    let mut files = [
        ("calendar.csv", "day,periods\nd1,3\n".to_string()),
        ("rooms.csv", "id,capacity\n".to_string()),
        ("instructors.csv", "id,subjects\n".to_string()),
        ("cohorts.csv", "id,size\n".to_string()),
        ("courses.csv", "id,subject,cohorts,sessions\n".to_string()),
    ];
    for (j, _) in edges.iter().enumerate() {
        files[3].1.push_str(&format!("k{j},1\n"));
    }
    for v in &vertices {
        let cohorts: Vec<String> = edges.iter().enumerate().filter(|(_, (a, b))| a == v || b == v).map(|(j, _)| format!("k{j}")).collect();
        files[1].1.push_str(&format!("r-{v},10\n"));
        files[2].1.push_str(&format!("i-{v},s-{v}\n"));
        files[4].1.push_str(&format!("c-{v},s-{v},{},1\n", cohorts.join(" ")));
    }
    for (name, text) in files {
        fs::write(path.join(name), text).unwrap();
    }
    path
}
/// Starts `classplan solve` and sends it SIGTERM once it has printed
/// `ready` on standard error (the handler is installed before the solve
/// starts, and the progress line comes after that), then waits for it.
fn terminate_when(args: &[&str], ready: &str) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_classplan"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("classplan starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        seen.push_str(&line);
        let found = line.contains(ready);
        line.clear();
        if found {
            let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill runs");
            assert!(kill.success());
            break;
        }
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    seen.push_str(&rest);
    let status = child.wait().unwrap();
    assert!(seen.contains(ready), "never printed {ready:?}:\n{seen}");
    (status.code(), seen)
}

/// SIGTERM after the first timetable: the run ends as Ctrl-C ends it,
/// exit 130, with that timetable or a better one written and checked.
/// Under a clock the search starts afresh until the time is up (small
/// seed 1 is not proven at its first timetable), so the signal comes while
/// it runs.
#[test]
fn sigterm_after_a_timetable_ends_with_130_and_a_valid_timetable() {
    let dir = tempfile::tempdir().unwrap();
    let folder = generated(Size::Small, 1, dir.path());
    let out = dir.path().join("o");
    let args = ["solve", &s(&folder), "--out", &s(&out), "--time-limit", "600"];
    let (code, stderr) = terminate_when(&args, "first timetable");
    let instance = io::read_instance(&folder).unwrap();
    let summary = read_summary(&out);
    match summary.status {
        Status::Interrupted => {
            assert_eq!(code, Some(130), "{stderr}");
            check_run_dir(&instance, &out, &summary).expect("a timetable came before the signal");
            assert!(stderr.contains("interrupted: wrote the best timetable so far"), "{stderr}");
            // The signal ends the run, not its clock: the solver used to
            // take the search up again after it until the 600 s were up.
            // (Half the limit leaves any loaded machine room to stop.)
            assert!(summary.seconds < 300.0, "ran {} s after the signal", summary.seconds);
        }
        // Only if the solve proved optimality between the line and the
        // signal: then it is an ordinary end.
        other => {
            assert_eq!(other, Status::Optimal, "{stderr}");
            assert_eq!(code, Some(0), "{stderr}");
            check_run_dir(&instance, &out, &summary).expect("an optimal timetable");
        }
    }
}

/// SIGTERM before any timetable: exit 130 and a summary saying so,
/// without a timetable.csv. No timetable of the Grötzsch instance exists,
/// so any interruption is before one; the signal comes at the first line of
/// progress, seconds before the solver can prove infeasibility.
#[test]
fn sigterm_before_any_timetable_ends_with_130_and_only_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let folder = grotzsch(dir.path());
    let out = dir.path().join("o");
    let (code, stderr) = terminate_when(&["solve", &s(&folder), "--out", &s(&out)], "sessions");
    let summary = read_summary(&out);
    let instance = io::read_instance(&folder).unwrap();
    assert!(check_run_dir(&instance, &out, &summary).is_none());
    match summary.status {
        Status::Interrupted => {
            assert_eq!(code, Some(130), "{stderr}");
            assert!(stderr.contains("interrupted before any timetable was found"), "{stderr}");
        }
        // Only if the proof came before the signal.
        other => {
            assert_eq!(other, Status::Infeasible, "{stderr}");
            assert_eq!(code, Some(1), "{stderr}");
        }
    }
}

/// A work limit too small to find or disprove a timetable: exit 1, status
/// no_timetable_in_time, no timetable.csv, and partial.csv with what fits.
/// Deterministic: a node limit, not a clock.
#[test]
fn no_timetable_in_time_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let folder = grotzsch(dir.path());
    let diagnosis = classplan(&["check", &s(&folder)]);
    assert_eq!(diagnosis.status.code(), Some(0), "the diagnosis must not see it: {}", text(&diagnosis));
    for method in ["search", "monolithic"] {
        let out = dir.path().join(method);
        let (o, timetable) =
            solve_cli(&["solve", &s(&folder), "--out", &s(&out), "--node-limit", "1", "--rounds", "0", "--method", method]);
        let summary: Summary = read_summary(&out);
        assert_eq!(summary.status, Status::NoTimetableInTime, "{method}: {}", text(&o));
        assert_eq!(o.status.code(), Some(1));
        assert!(timetable.is_none());
        assert!(out.join("partial.csv").is_file() && text(&o).contains("no timetable was found within the time limit"));
    }
}
/// summary.json's bound and gap on a run stopped by its work limit before
/// proving optimality: both there, `0 <= gap <= 1`, bound below the
/// objective, and the check agreeing with the checker (`common`).
#[test]
fn summary_bound_gap_and_check_hold_together() {
    let dir = tempfile::tempdir().unwrap();
    let folder = generated(Size::Small, 1, dir.path());
    let out = dir.path().join("o");
    let (o, timetable) = solve_cli(&["solve", &s(&folder), "--out", &s(&out), "--node-limit", "20", "--rounds", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(timetable.is_some());
    let summary = read_summary(&out);
    let (objective, bound, gap) = (summary.objective.unwrap(), summary.bound.expect("a bound"), summary.gap.expect("a gap"));
    assert!((0.0..=1.0).contains(&gap) && bound <= objective + 1e-6, "{objective} {bound} {gap}");
    assert_eq!(summary.check.as_ref().map(|c| c.hard_violations), Some(0));
    if summary.status == Status::Optimal {
        assert!(gap <= 1e-4);
    }
}
