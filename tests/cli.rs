//! The command line: exit codes, refusals that protect the planner's files,
//! and the end-to-end path generate -> check -> solve -> check.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn classplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_classplan")).args(args).output().expect("runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn check_prints_the_summary_and_exits_0() {
    let out = classplan(&["check", root().join("instances/ben-tre-2020").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("251 days, 502 periods, 6 rooms, 20 instructors, 9 cohorts, 47 courses, 256 sessions"));
}

#[test]
fn diagnosis_of_an_infeasible_instance_exits_1() {
    let out = classplan(&["check", root().join("instances/infeasible/cohort-overload").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    // Findings grouped by kind, under the one heading solve and scenarios
    // print too.
    assert!(
        text(&out).contains(
            "no timetable exists for this instance:\n  cohort overload (1):\n    Cohort bt-xa must attend 4 sessions (chinh-tri and phap-luat)"
        ),
        "{}",
        text(&out)
    );
}

#[test]
fn bad_input_and_bad_usage_exit_2() {
    let out = classplan(&["check", "/nonexistent/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("does not exist"));
    let out = classplan(&["solve"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn generate_then_check_the_planted_timetable_then_solve_and_check_again() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("small");
    let out = classplan(&["generate", "--size", "small", "--seed", "4", inst.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let planted = dir.path().join("small.planted.csv");
    let out = classplan(&["check", inst.to_str().unwrap(), planted.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["violations"].as_array().unwrap().len(), 0);

    let solved = dir.path().join("solved");
    let (out, _) =
        common::solve_cli(&["solve", inst.to_str().unwrap(), "--out", solved.to_str().unwrap(), "--node-limit", "200", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(solved.join("summary.json")).unwrap()).unwrap();
    let out = classplan(&["check", inst.to_str().unwrap(), solved.join("timetable.csv").to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checked = json["cost"]["total"].as_f64().unwrap();
    // The solver's objective (no baseline: no perturbation) and the cost the
    // summary reports both agree with the checker run on the file.
    assert!((checked - summary["objective"].as_f64().unwrap()).abs() < 1e-6, "{summary}");
    assert!((checked - summary["cost"]["total"].as_f64().unwrap()).abs() < 1e-6, "{summary}");
    assert_eq!(summary["check"]["hard_violations"], 0);

    // A second solve into the same folder is refused without --force ...
    let out = classplan(&["solve", inst.to_str().unwrap(), "--out", solved.to_str().unwrap(), "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("is not empty"), "{}", text(&out));
    // ... and generate refuses to overwrite an instance.
    let out = classplan(&["generate", "--size", "small", inst.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn solve_refuses_to_write_into_the_instance_folder() {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(root().join("instances/tiny")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.path().join(f.file_name())).unwrap();
    }
    let before: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    let out = classplan(&["solve", dir.path().to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("refusing to write into the instance folder"), "{}", text(&out));
    let after: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(before, after);
}

#[test]
fn a_timetable_with_violations_exits_1_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let tt = dir.path().join("timetable.csv");
    // Two sessions of different courses in the same room and period.
    std::fs::write(
        &tt,
        "day,period,course,subject,cohorts,instructor,room\n\
         2020-05-04,1,chinh-tri,,,gv-hung,hoi-truong\n\
         2020-05-04,1,phap-luat,,,gv-tam,hoi-truong\n",
    )
    .unwrap();
    let out = classplan(&["check", root().join("instances/tiny").to_str().unwrap(), tt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("violation [room_clash]"), "{}", text(&out));
}

/// An empty room or instructor cell is the planner's "to be decided": a
/// hard violation of that session (exit 1), not an input error (exit 2).
#[test]
fn a_timetable_with_a_room_or_instructor_to_decide_exits_1_and_names_the_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let tt = dir.path().join("timetable.csv");
    let tiny = root().join("instances/tiny");
    let solved = dir.path().join("solved");
    let (out, _) =
        common::solve_cli(&["solve", tiny.to_str().unwrap(), "--out", solved.to_str().unwrap(), "--quiet", "--node-limit", "200"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // The solver's own timetable has every cell filled.
    let written = std::fs::read_to_string(solved.join("timetable.csv")).unwrap();
    let out = classplan(&["check", tiny.to_str().unwrap(), solved.join("timetable.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Empty the room of the first row and the instructor of the second.
    let mut lines: Vec<String> = written.lines().map(str::to_string).collect();
    let cells = |line: &str| line.split(',').map(str::to_string).collect::<Vec<_>>();
    let (mut first, mut second) = (cells(&lines[1]), cells(&lines[2]));
    let (first_at, second_at) = (format!("{} period {}", first[0], first[1]), format!("{} period {}", second[0], second[1]));
    let (first_course, second_course) = (first[2].clone(), second[2].clone());
    first[6].clear();
    second[5].clear();
    lines[1] = first.join(",");
    lines[2] = second.join(",");
    std::fs::write(&tt, lines.join("\n") + "\n").unwrap();
    let out = classplan(&["check", tiny.to_str().unwrap(), tt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let violations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("violation")).collect();
    assert_eq!(
        violations,
        [
            format!("violation [missing_room]: Course {first_course} has a session on {first_at} with no room (timetable line 2)."),
            format!(
                "violation [missing_instructor]: Course {second_course} has a session on {second_at} with no instructor (timetable line 3)."
            ),
        ]
    );
    assert!(stdout.contains("\n2 hard violation(s)\n"), "{stdout}");
    let out = classplan(&["check", tiny.to_str().unwrap(), tt.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let types: Vec<&str> = json["violations"].as_array().unwrap().iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["missing_room", "missing_instructor"]);

    // The report shows what is decided and says what it leaves out; the
    // ITC-2007 format has no way to say "to be decided".
    let report = dir.path().join("report");
    let out = classplan(&["report", tiny.to_str().unwrap(), tt.to_str().unwrap(), "--out", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let note = "note: 2 timetable rows have no room or no instructor yet; they are left out until decided (run check)";
    assert!(String::from_utf8_lossy(&out.stderr).lines().any(|l| l == note), "{}", text(&out));
    let sol = dir.path().join("tiny.sol");
    let out = classplan(&["export-ctt", tiny.to_str().unwrap(), tt.to_str().unwrap(), sol.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let refusal = "error: timetable line 2: the room or instructor is empty; an ITC-2007 solution needs both";
    assert!(String::from_utf8_lossy(&out.stderr).lines().any(|l| l == refusal), "{}", text(&out));
    assert!(!sol.exists());

    // As a baseline the same file is a reference with a room and an
    // instructor not to keep: repairing against it moves nothing.
    let repaired = dir.path().join("repaired");
    let args = ["solve", tiny.to_str().unwrap(), "--out", repaired.to_str().unwrap(), "--baseline", tt.to_str().unwrap(), "--stable"];
    let (out, _) = common::solve_cli(&[&args[..], &["--quiet", "--node-limit", "200"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(repaired.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["changes"]["moved"], 0, "{summary:#}");
}

#[test]
fn infeasible_solve_exits_1_with_the_diagnosis() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = common::solve_cli(&[
        "solve",
        root().join("instances/infeasible/cohort-overload").to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("no timetable exists"), "{}", text(&out));
    assert!(!dir.path().join("o/timetable.csv").exists());
}

#[test]
fn solve_accepts_a_ctt_file_and_export_ctt_writes_the_competition_format() {
    let dir = tempfile::tempdir().unwrap();
    // ITC-2007's toy instance, as published.
    let toy = dir.path().join("toy.ctt");
    std::fs::write(&toy, TOY_CTT).unwrap();
    let (out, _) = common::solve_cli(&[
        "solve",
        toy.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
        "--quiet",
        "--node-limit",
        "200",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let imported = dir.path().join("toy");
    assert_eq!(classplan(&["import-ctt", toy.to_str().unwrap(), imported.to_str().unwrap()]).status.code(), Some(0));
    let sol = dir.path().join("toy.sol");
    let out =
        classplan(&["export-ctt", imported.to_str().unwrap(), dir.path().join("o/timetable.csv").to_str().unwrap(), sol.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let lines = std::fs::read_to_string(&sol).unwrap();
    assert_eq!(lines.lines().count(), 16);
}

const TOY_CTT: &str = "Name: ToyExample
Courses: 4
Rooms: 2
Days: 5
Periods_per_day: 4
Curricula: 2
Constraints: 8

COURSES:
SceCosC Ocra 3 3 30
ArcTec Indaco 3 2 42
TecCos Rosa 5 4 40
Geotec Scarlatti 5 4 18

ROOMS:
A 32
B 50

CURRICULA:
Cur1 3 SceCosC ArcTec TecCos
Cur2 2 TecCos Geotec

UNAVAILABILITY_CONSTRAINTS:
TecCos 2 0
TecCos 2 1
TecCos 3 2
TecCos 3 3
ArcTec 4 0
ArcTec 4 1
ArcTec 4 2
ArcTec 4 3

END.
";

/// Ctrl-C during a solve writes the best timetable found so far: complete,
/// valid, and re-checked here by `classplan check`.
#[test]
fn sigint_during_a_solve_writes_the_best_timetable_so_far() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let inst = root().join("instances/ben-tre-2020");
    let mut child = Command::new(env!("CARGO_BIN_EXE_classplan"))
        .args(["solve", inst.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--time-limit", "600", "--threads", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    // The construction's line comes after its timetable is recorded.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.starts_with("construction: cost") {
            break;
        }
    }
    // Keep reading, so the solver's later lines do not hit a closed pipe.
    let drain = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    assert!(seen.last().is_some_and(|l| l.starts_with("construction: cost")), "no construction line: {seen:?}");
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(killed.success());
    let status = child.wait().unwrap();
    let rest = drain.join().unwrap();
    assert_eq!(status.code(), Some(130), "exit after SIGINT: {rest:?}");
    let timetable = out_dir.join("timetable.csv");
    assert!(timetable.is_file(), "no timetable written");
    let summary = std::fs::read_to_string(out_dir.join("summary.json")).unwrap();
    assert!(summary.contains("\"status\": \"interrupted\""), "{summary}");
    let check = classplan(&["check", inst.to_str().unwrap(), timetable.to_str().unwrap(), "--json"]);
    assert_eq!(check.status.code(), Some(0), "the interrupted timetable must pass the checker: {}", text(&check));
    let checked: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert!((summary["cost"]["total"].as_f64().unwrap() - checked["cost"]["total"].as_f64().unwrap()).abs() < 1e-6, "{summary}");
    let rows = std::fs::read_to_string(&timetable).unwrap().lines().count();
    assert_eq!(rows, 256 + 1, "every one of the 256 sessions, plus the header");
}

/// An instance whose per-period tables cannot fit in memory is refused
/// before anything is built, with a clear message and exit 2.
#[test]
fn an_instance_too_large_for_memory_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("huge");
    std::fs::create_dir(&inst).unwrap();
    // 1,000 days of 1,000 periods (the calendar's limit) and 60,000 courses.
    let mut calendar = String::from("day,periods\n");
    for d in 0..1000 {
        calendar.push_str(&format!("D{d:04},1000\n"));
    }
    let mut courses = String::from("id,subject,cohorts,sessions\n");
    for k in 0..60_000 {
        courses.push_str(&format!("C{k},law,K{},1\n", k % 100));
    }
    let mut cohorts = String::from("id,name,size\n");
    for k in 0..100 {
        cohorts.push_str(&format!("K{k},Class {k},20\n"));
    }
    std::fs::write(inst.join("calendar.csv"), calendar).unwrap();
    std::fs::write(inst.join("courses.csv"), courses).unwrap();
    std::fs::write(inst.join("cohorts.csv"), cohorts).unwrap();
    std::fs::write(inst.join("rooms.csv"), "id,name,capacity\nR1,Hall,40\n").unwrap();
    std::fs::write(inst.join("instructors.csv"), "id,name,subjects\nI1,Lecturer,law\n").unwrap();
    let out_dir = dir.path().join("out");
    let out = classplan(&["solve", inst.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--time-limit", "10"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("too large to model in memory"), "{}", text(&out));
    assert!(!out_dir.join("timetable.csv").exists());
}

/// Every bad value of a shared flag is refused the same way by `solve` and
/// `scenarios`: exit 2, a message naming the flag, nothing written.
#[test]
fn bad_flag_values_are_refused_by_solve_and_scenarios_alike() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = root().join("instances/tiny");
    let scenario = dir.path().join("scn");
    std::fs::create_dir(&scenario).unwrap();
    std::fs::write(scenario.join("cohorts.csv"), "id,size\n").unwrap();
    let out = dir.path().join("out");
    let bad: &[(&str, &str)] = &[
        ("--threads", "0"),
        ("--time-limit", "inf"),
        ("--time-limit", "NaN"),
        ("--time-limit", "1e20"),
        ("--time-limit", "0"),
        ("--time-limit", "-5"),
        ("--move-weight", "-1"),
        ("--move-weight", "inf"),
        ("--move-weight", "NaN"),
        ("--node-limit", "0"),
        ("--node-limit", "many"),
    ];
    let (tiny, scenario, out_s) = (tiny.to_str().unwrap(), scenario.to_str().unwrap(), out.to_str().unwrap());
    for (flag, value) in bad {
        for command in [vec!["solve", tiny], vec!["scenarios", tiny, scenario]] {
            let mut args = command.clone();
            args.extend(["--out", out_s, flag, value]);
            if *flag != "--node-limit" {
                // Should a bad value slip through, the solve stays short.
                args.extend(["--node-limit", "10"]);
            }
            let o = classplan(&args);
            assert_eq!(o.status.code(), Some(2), "{} {flag} {value}: {}", command[0], text(&o));
            assert!(text(&o).contains(flag), "{} {flag} {value}: {}", command[0], text(&o));
            assert!(!out.exists(), "{} {flag} {value} wrote {}", command[0], out.display());
        }
    }
}
