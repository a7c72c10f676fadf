//! Without a complete timetable a solve still hands the planner what fits:
//! `partial.csv` (re-read and re-checked here by the checker, every session
//! in it valid) and `unplaced.csv`, naming the courses left out and why.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use classplan::check;
use classplan::io::{read_instance, read_timetable};
use classplan::run::Summary;

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn infeasible(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/infeasible").join(name)
}

/// Each over-constrained instance, and the courses among which the ones
/// left out must be: those its README names as over-constrained. Which of
/// them a solve leaves out is its choice.
const CULPRITS: [(&str, &[&str]); 19] = [
    ("clique-overload", &["chinh-tri", "hoi-nhap", "phap-luat"]),
    ("cohort-overload", &["chinh-tri", "phap-luat"]),
    ("course-too-few-periods", &["ky-nang"]),
    ("feature-no-room-has", &["tin-hoc"]),
    ("feature-room-shortage", &["tin-hoc-1", "tin-hoc-2"]),
    ("instructor-overload", &["phap-luat-1", "phap-luat-2"]),
    ("no-eligible-instructor", &["kinh-te"]),
    ("no-room-seats-the-class", &["chinh-tri"]),
    ("only-qualified-max-per-day", &["phap-luat-1", "phap-luat-2"]),
    ("only-qualified-max-sessions", &["phap-luat-1", "phap-luat-2"]),
    ("pin-on-blocked-slot", &["phap-luat"]),
    ("pin-outside-window", &["phap-luat"]),
    ("pin-room-too-small", &["chinh-tri"]),
    ("pins-share-a-room", &["phap-luat", "kinh-te"]),
    ("two-lecturers-max-sessions", &["kinh-te-1", "kinh-te-2", "kinh-te-3"]),
    ("whole-courses-do-not-fit", &["kinh-te-1", "kinh-te-2", "kinh-te-3"]),
    ("lab-busy-in-short-windows", &["tin-hoc-1", "tin-hoc-2"]),
    ("two-needs-share-the-lab", &["tin-hoc", "thuyet-trinh"]),
    ("pins-over-max-per-day", &["phap-luat-1", "phap-luat-2"]),
];

#[test]
fn every_infeasible_folder_is_listed_here() {
    let mut on_disk: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/infeasible"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CULPRITS.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "a new over-constrained folder needs its culprits here");
}

#[test]
fn an_infeasible_solve_writes_what_fits_and_names_what_does_not() {
    for (name, culprits) in CULPRITS {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("out");
        let folder = infeasible(name);
        let (out, timetable) =
            common::solve_cli(&["solve", folder.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--node-limit", "200"]);
        assert!(timetable.is_none(), "{name}");
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out));
        assert!(!out_dir.join("timetable.csv").exists(), "{name}");
        let summary: Summary = serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
        assert_eq!(summary.status.name(), "infeasible", "{name}");

        // The checker, not the solver, vouches for every session placed.
        let instance = read_instance(&folder).unwrap();
        let partial = read_timetable(&out_dir.join("partial.csv"), &instance).unwrap();
        let report = check::check(&instance, &partial);
        let others: Vec<_> = report.violations.iter().filter(|v| v.kind != check::ViolationKind::MissingSession).collect();
        assert!(others.iter().all(|v| v.kind == check::ViolationKind::PinNotRespected), "{name}: {others:?}");
        assert_eq!(check::check_partial(&instance, &partial), Vec::new(), "{name}");

        // unplaced.csv: exactly the sessions partial.csv lacks, by course.
        let mut placed: BTreeMap<String, u32> = BTreeMap::new();
        for p in &partial.placements {
            *placed.entry(instance.course(p.course).id.clone()).or_default() += 1;
        }
        let expected: Vec<(String, u32)> = instance
            .courses
            .iter()
            .map(|c| (c.id.clone(), c.sessions - placed.get(&c.id).copied().unwrap_or(0)))
            .filter(|(_, missing)| *missing > 0)
            .collect();
        let mut reader = csv::Reader::from_path(out_dir.join("unplaced.csv")).unwrap();
        assert_eq!(reader.headers().unwrap(), vec!["course", "sessions", "reason"]);
        let rows: Vec<(String, u32, String)> = reader.deserialize().map(|r| r.unwrap()).collect();
        assert!(!rows.is_empty(), "{name}: no course left out, yet no timetable");
        assert_eq!(rows.iter().map(|(c, n, _)| (c.clone(), *n)).collect::<Vec<_>>(), expected, "{name}");
        for (course, _, reason) in &rows {
            assert!(culprits.contains(&course.as_str()), "{name}: {course} is left out, not one of {culprits:?}");
            assert!(reason.contains("of the calendar's "), "{name}: {reason}");
        }
        assert_eq!(summary.unplaced.len(), rows.len(), "{name}");
        assert!(text(&out).contains("left out (unplaced.csv)"), "{name}: {}", text(&out));
    }
}

/// Issue 18, case 2: the only lecturer qualified for ten sessions may give
/// six. The course left out is named with the limit that binds.
#[test]
fn a_lecturer_at_max_sessions_is_named_as_what_binds() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let folder = infeasible("only-qualified-max-sessions");
    let (out, _) =
        common::solve_cli(&["solve", folder.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--node-limit", "200", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let unplaced = std::fs::read_to_string(out_dir.join("unplaced.csv")).unwrap();
    assert!(unplaced.contains("no lecturer who may teach it is free (gv-tam has reached max_sessions 6)"), "{unplaced}");
    let left_out: u32 = unplaced.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse::<u32>().unwrap()).sum();
    assert_eq!(left_out, 4, "gv-tam gives 6 of the 10 sessions: 4 are left out\n{unplaced}");
}
