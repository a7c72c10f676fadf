//! FORMAT.md version 2 through the reader, the writer, the scenario
//! overlay and the solver's refusal: every new reader error with its exact
//! message, a round trip, relations under remove.csv, and a solve that
//! names the first cell setting a rule it does not place yet.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use classplan::check;
use classplan::io::{self, read_instance, write_instance, InputErrors};
use classplan::model::{CourseIdx, Instance, ProgrammeRule, RelationKind};
use classplan::scenario::read_scenario;
use classplan::solve::{self, SolveError, SolveOptions};

/// A version-2 instance in which every new column and file appears.
const BASE: [(&str, &str); 7] = [
    ("calendar.csv", "day,periods\n2020-04-06,2\n2020-04-07,2\n2020-04-08,2\n"),
    ("rooms.csv", "id,capacity\nr1,30\nr2,30\n"),
    ("instructors.csv", "id,subjects\ni1,s1 s2\ni2,s1 s2\n"),
    ("cohorts.csv", "id,size\nk1,10\nk2,10\n"),
    ("courses.csv", "id,name,subject,cohorts,sessions\na,Mở đầu,s1,k1,1\nb,Chính trị,s2,k1,2\nc,Bế mạc,s1,k1,1\n"),
    ("subjects.csv", "id,name\ns1,Lý luận\ns2,Kỹ năng\n"),
    ("weights.csv", "name,weight\nroom_capacity,hard\n"),
];

/// File names and contents.
type Files<'a> = &'a [(&'a str, &'a str)];

/// The base files with some replaced or added.
fn folder(changes: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in BASE {
        fs::write(dir.path().join(name), text).unwrap();
    }
    for (name, text) in changes {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn read(changes: &[(&str, &str)]) -> Instance {
    let dir = folder(changes);
    read_instance(dir.path()).unwrap_or_else(|e| panic!("{e}"))
}

/// The errors reading the base with `changes`, each as displayed, with the
/// folder's path taken out.
fn errors(changes: &[(&str, &str)]) -> Vec<String> {
    let dir = folder(changes);
    let e: InputErrors = read_instance(dir.path()).expect_err("an input error");
    let prefix = format!("{}/", dir.path().display());
    e.0.iter().map(|e| e.to_string().replace(&prefix, "")).collect()
}

fn course(inst: &Instance, id: &str) -> CourseIdx {
    CourseIdx(inst.courses.iter().position(|c| c.id == id).unwrap())
}

// ---- reading ----

#[test]
fn every_new_column_and_file_is_read() {
    let inst = read(&[
        ("rooms.csv", "id,capacity,site\nr1,30,\nr2,30,Huyện Châu Thành\n"),
        ("instructors.csv", "id,subjects,max_days,min_sessions\ni1,s1 s2,2,3\ni2,s1 s2,,\n"),
        ("courses.csv", "id,name,subject,cohorts,sessions,block,max_span_days\na,Mở đầu,s1,k1,2,2,1\nb,,s2,k1,2,,\nc,,s1,k1,1,1,\n"),
        ("relations.csv", "kind,courses,weight\nBefore,a b c,\nnot_overlap,a c,2.5\n"),
        ("weights.csv", "name,weight\nteaching_quota,4\n"),
    ]);
    assert_eq!(inst.rooms[1].site, "Huyện Châu Thành");
    assert_eq!(inst.rooms[0].site, "");
    assert_eq!((inst.instructors[0].max_days, inst.instructors[0].min_sessions), (Some(2), Some(3)));
    assert_eq!((inst.instructors[1].max_days, inst.instructors[1].min_sessions), (None, None));
    let a = &inst.courses[0];
    assert_eq!((a.name.as_str(), a.block, a.max_span_days), ("Mở đầu", Some(2), Some(1)));
    assert_eq!((inst.courses[1].block, inst.courses[2].block), (None, Some(1)));
    assert_eq!(inst.subjects.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect::<Vec<_>>(), [("s1", "Lý luận"), ("s2", "Kỹ năng")]);
    assert_eq!(inst.relations.len(), 2);
    assert_eq!(inst.relations[0].kind, RelationKind::Before);
    assert_eq!(inst.relations[0].courses, [course(&inst, "a"), course(&inst, "b"), course(&inst, "c")]);
    assert_eq!(inst.relations[0].weight, None);
    assert_eq!((inst.relations[1].kind, inst.relations[1].weight), (RelationKind::NotOverlap, Some(2.5)));
    assert_eq!(inst.weights.teaching_quota, 4.0);
    // A version-1 instance has the version-2 defaults.
    let v1 = read(&[]);
    assert_eq!(v1.weights.teaching_quota, 1.0);
    assert!(v1.relations.is_empty() && v1.programme_rules_in_use().is_empty());
}

#[test]
fn kind_is_matched_without_regard_to_case_and_a_semicolon_file_may_write_a_decimal_comma() {
    let inst = read(&[("relations.csv", "kind;courses;weight\nDIFFERENT_DAYS;a b;1,5\nNot_Overlap;b c;\n")]);
    assert_eq!(inst.relations[0].kind, RelationKind::DifferentDays);
    assert_eq!(inst.relations[0].weight, Some(1.5));
    assert_eq!(inst.relations[1].kind, RelationKind::NotOverlap);
}

#[test]
fn a_block_that_does_not_divide_the_sessions_is_refused_where_it_is_written() {
    let courses = "id,subject,cohorts,sessions,block\na,s1,k1,1,\nb,s2,k1,3,2\nc,s1,k1,1,\n";
    assert_eq!(
        errors(&[("courses.csv", courses)]),
        ["courses.csv:3:5: column 'block': does not divide the course's 3 sessions; expected a divisor of sessions \
          (sessions come in whole blocks) (found \"2\") [E-BLOCK]"]
    );
    // 4 sessions in blocks of 2 are fine.
    let courses = "id,subject,cohorts,sessions,block\na,s1,k1,1,\nb,s2,k1,4,2\nc,s1,k1,1,\n";
    assert_eq!(read(&[("courses.csv", courses)]).courses[1].block, Some(2));
}

#[test]
fn a_block_or_a_max_span_days_below_1_is_refused() {
    let courses = "id,subject,cohorts,sessions,block,max_span_days\na,s1,k1,1,0,\nb,s2,k1,2,,0\nc,s1,k1,1,,\n";
    assert_eq!(
        errors(&[("courses.csv", courses)]),
        [
            "courses.csv:2:5: column 'block': is too small; expected a whole number >= 1 (found \"0\") [E-RANGE]",
            "courses.csv:3:6: column 'max_span_days': is too small; expected a whole number >= 1 (found \"0\") [E-RANGE]",
        ]
    );
}

#[test]
fn each_bad_relation_row_gets_its_own_located_error() {
    let relations = "kind,courses,weight\n\
                     before,a zz,\n\
                     before,a b a,\n\
                     different_days,a,\n\
                     after,a b,\n\
                     not_overlap,a b,0\n\
                     not_overlap,a b,-2\n\
                     before,a b,x\n";
    assert_eq!(
        errors(&[("relations.csv", relations)]),
        [
            "relations.csv:2:2: column 'courses': 'zz' is not a course id of courses.csv (found \"a zz\") [E-UNKNOWN-ID]",
            "relations.csv:3:2: column 'courses': lists course 'a' twice; a relation names each course once (found \"a b a\") [E-DUPLICATE-ID]",
            "relations.csv:4:2: column 'courses': lists one course; a relation needs two or more course ids (found \"a\") [E-RELATION]",
            "relations.csv:5:1: column 'kind': is not a relation kind; expected before, different_days or not_overlap (found \"after\") [E-KIND]",
            "relations.csv:6:3: column 'weight': is not positive; expected a penalty above 0, or empty for a hard relation (found \"0\") [E-NUMBER]",
            "relations.csv:7:3: column 'weight': is not positive; expected a penalty above 0, or empty for a hard relation (found \"-2\") [E-NUMBER]",
            "relations.csv:8:3: column 'weight': is not a number >= 0; expected e.g. 1 or 2.5 (found \"x\") [E-NUMBER]",
        ]
    );
}

#[test]
fn a_relation_with_no_course_and_a_misspelt_file_are_refused() {
    assert_eq!(
        errors(&[("relations.csv", "kind,courses\nbefore,\n")]),
        ["relations.csv:2:2: column 'courses': lists no course; a relation needs two or more course ids (found \"\") [E-RELATION]"]
    );
    // subjects.csv and relations.csv are known files now: a near miss names them.
    let e = errors(&[("relation.csv", "kind,courses\nbefore,a b\n")]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("relations.csv") && e[0].contains("[E-UNKNOWN-FILE]"), "{e:?}");
}

#[test]
fn a_relation_to_a_refused_course_is_not_reported_twice() {
    let courses = "id,subject,cohorts,sessions\na,s1,k1,1\nb,s2,k1,x\nc,s1,k1,1\n";
    let e = errors(&[("courses.csv", courses), ("relations.csv", "kind,courses\nbefore,a b\n")]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("courses.csv:3:4"), "{e:?}");
}

// ---- writing ----

#[test]
fn an_instance_with_every_new_rule_round_trips() {
    let changes = [
        ("rooms.csv", "id,capacity,site\nr1,30,\nr2,30,xa-an-hoi\n"),
        ("instructors.csv", "id,subjects,max_days,min_sessions\ni1,s1 s2,2,3\ni2,s1 s2,,\n"),
        ("courses.csv", "id,name,subject,cohorts,sessions,block,max_span_days\na,Mở đầu,s1,k1,2,2,1\nb,,s2,k1,2,,\nc,\"Bế mạc, tổng kết\",s1,k1,1,1,3\n"),
        ("relations.csv", "kind,courses,weight\nbefore,a b c,\ndifferent_days,a c,0.5\n"),
        ("weights.csv", "name,weight\nteaching_quota,2.5\n"),
    ];
    let first = read(&changes);
    let out = tempfile::tempdir().unwrap();
    write_instance(&first, out.path()).unwrap();
    let mut again = read_instance(out.path()).unwrap();
    // The cells setting rules are where each file had them; only the
    // rules they set must survive.
    let rules = |i: &Instance| i.rule_cells.0.iter().map(|(r, _)| *r).collect::<Vec<_>>();
    assert_eq!(rules(&again), rules(&first));
    let mut first = first;
    first.rule_cells = Default::default();
    again.rule_cells = Default::default();
    assert_eq!(again, first);
    // A version-1 instance stays a version-1 folder.
    let v1 = tempfile::tempdir().unwrap();
    write_instance(&read(&[]).tap_no_subjects(), v1.path()).unwrap();
    assert!(!v1.path().join("relations.csv").exists() && !v1.path().join("subjects.csv").exists());
}

trait NoSubjects {
    fn tap_no_subjects(self) -> Self;
}

impl NoSubjects for Instance {
    fn tap_no_subjects(mut self) -> Self {
        self.subjects.clear();
        self
    }
}

// ---- scenarios ----

fn scenario(base: &[(&str, &str)], files: &[(&str, &str)]) -> (tempfile::TempDir, tempfile::TempDir) {
    let b = folder(base);
    let s = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(s.path().join(name), text).unwrap();
    }
    (b, s)
}

#[test]
fn a_scenario_adds_relations_and_replaces_subjects_by_id() {
    let (b, s) = scenario(
        &[("relations.csv", "kind,courses,weight\nbefore,a b,\n")],
        &[("relations.csv", "kind,courses,weight\nnot_overlap,b c,3\n"), ("subjects.csv", "id,name\ns2,Kỹ năng lãnh đạo\n")],
    );
    let inst = read_scenario(b.path(), s.path()).unwrap();
    let kinds: Vec<RelationKind> = inst.relations.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RelationKind::Before, RelationKind::NotOverlap]);
    let names: Vec<&str> = inst.subjects.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Lý luận", "Kỹ năng lãnh đạo"]);
}

#[test]
fn removing_a_course_removes_it_from_every_relation_and_a_relation_left_with_one_lapses() {
    let (b, s) = scenario(
        &[("relations.csv", "kind,courses,weight\nbefore,a b c,\ndifferent_days,a b,2\nnot_overlap,b c,\n")],
        &[("remove.csv", "kind,id\ncourse,b\n")],
    );
    let inst = read_scenario(b.path(), s.path()).unwrap();
    assert_eq!(inst.relations.len(), 1, "{:?}", inst.relations);
    assert_eq!(inst.relations[0].kind, RelationKind::Before);
    assert_eq!(inst.relations[0].courses, [course(&inst, "a"), course(&inst, "c")]);
}

#[test]
fn a_course_removed_with_its_last_cohort_leaves_the_relations_too() {
    let (b, s) = scenario(
        &[
            ("courses.csv", "id,subject,cohorts,sessions\na,s1,k1,1\nb,s2,k2,2\nc,s1,k1,1\n"),
            ("relations.csv", "kind,courses\nbefore,a b\n"),
        ],
        &[("remove.csv", "kind,id\ncohort,k2\n")],
    );
    let inst = read_scenario(b.path(), s.path()).unwrap();
    assert!(inst.relations.is_empty(), "{:?}", inst.relations);
}

// ---- the solver's refusal ----

fn options() -> SolveOptions {
    SolveOptions { time_limit: Some(20.0), node_limit: Some(200), ..SolveOptions::default() }
}

#[test]
fn solve_refuses_each_hard_rule_it_does_not_place_naming_the_first_cell() {
    let cases: [(Files, ProgrammeRule, &str); 5] = [
        (
            &[("courses.csv", "id,subject,cohorts,sessions,block\na,s1,k1,1,\nb,s2,k1,2,2\nc,s1,k1,1,\n")],
            ProgrammeRule::Block,
            "courses.csv:3:5: column 'block' (found \"2\")",
        ),
        (
            &[("courses.csv", "id,subject,cohorts,sessions,max_span_days\na,s1,k1,1,\nb,s2,k1,2,\nc,s1,k1,1,1\n")],
            ProgrammeRule::MaxSpanDays,
            "courses.csv:4:5: column 'max_span_days' (found \"1\")",
        ),
        (&[("rooms.csv", "site,id,capacity\n,r1,30\nxa,r2,30\n")], ProgrammeRule::Site, "rooms.csv:3:1: column 'site' (found \"xa\")"),
        (
            &[("instructors.csv", "id,subjects,max_days\ni1,s1 s2,\ni2,s1 s2,3\n")],
            ProgrammeRule::MaxDays,
            "instructors.csv:3:3: column 'max_days' (found \"3\")",
        ),
        (
            &[("relations.csv", "kind,courses,weight\nbefore,a b,1\nbefore,b c,\n")],
            ProgrammeRule::HardRelation,
            "relations.csv:3:1: column 'kind' (found \"before\")",
        ),
    ];
    for (changes, rule, at) in cases {
        let dir = folder(changes);
        let inst = read_instance(dir.path()).unwrap();
        let err = solve::solve(&inst, &options(), &mut |_| {}).expect_err("a refusal");
        let SolveError::RuleNotPlaced { rule: got, at: Some(cell) } = &err else { panic!("{err}") };
        assert_eq!(*got, rule);
        let message = err.to_string().replace(&format!("{}/", dir.path().display()), "");
        assert!(message.starts_with(at), "{message}");
        assert!(message.ends_with("which the solver does not place yet; `classplan check` checks it"), "{message}");
        assert_eq!(cell.file, dir.path().join(at.split(':').next().unwrap()));
    }
}

#[test]
fn one_site_everywhere_a_block_of_1_and_soft_relations_do_not_stop_a_solve() {
    let inst = read(&[
        ("rooms.csv", "id,capacity,site\nr1,30,xa\nr2,30,xa\n"),
        ("courses.csv", "id,subject,cohorts,sessions,block\na,s1,k1,1,1\nb,s2,k1,2,\nc,s1,k1,1,\n"),
        ("relations.csv", "kind,courses,weight\nbefore,c a,2\n"),
    ]);
    assert_eq!(solve::refuse_unmodelled_rules(&inst).ok(), Some(()));
}

#[test]
fn the_first_cell_in_file_order_is_named_when_several_rules_are_used() {
    let dir = folder(&[
        ("rooms.csv", "id,capacity,site\nr1,30,\nr2,30,xa\n"),
        ("courses.csv", "id,subject,cohorts,sessions,block\na,s1,k1,1,\nb,s2,k1,2,2\nc,s1,k1,1,\n"),
    ]);
    let inst = read_instance(dir.path()).unwrap();
    let Err(SolveError::RuleNotPlaced { rule, at: Some(cell) }) = solve::refuse_unmodelled_rules(&inst) else { panic!() };
    assert_eq!((rule, cell.line, cell.column), (ProgrammeRule::Site, 3, 3));
}

#[test]
fn a_scenario_setting_a_hard_rule_is_refused_at_the_scenario_file() {
    let (b, s) = scenario(&[], &[("courses.csv", "id,max_span_days\nb,1\n")]);
    let inst = read_scenario(b.path(), s.path()).unwrap();
    let Err(SolveError::RuleNotPlaced { rule, at: Some(cell) }) = solve::refuse_unmodelled_rules(&inst) else { panic!() };
    assert_eq!(rule, ProgrammeRule::MaxSpanDays);
    assert_eq!((cell.file.clone(), cell.line, cell.column), (s.path().join("courses.csv"), 2, 2));
}

fn classplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_classplan")).args(args).output().expect("runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn the_solve_and_scenarios_commands_exit_2_and_write_nothing() {
    let dir = folder(&[("instructors.csv", "id,subjects,max_days\ni1,s1 s2,2\ni2,s1 s2,\n")]);
    let out_dir = dir.path().parent().unwrap().join(format!("{}-out", dir.path().file_name().unwrap().to_string_lossy()));
    let out = classplan(&["solve", dir.path().to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let expected = format!(
        "error: {}:2:3: column 'max_days' (found \"2\"): the instance uses an instructor's max_days (instructors.csv), \
         which the solver does not place yet; `classplan check` checks it",
        dir.path().join("instructors.csv").display()
    );
    assert!(text(&out).contains(&expected), "{}", text(&out));
    assert!(!out_dir.exists());

    let scen = tempfile::tempdir().unwrap();
    let s = scen.path().join("nghi");
    fs::create_dir(&s).unwrap();
    fs::write(s.join("weights.csv"), "name,weight\nmin_days,1\n").unwrap();
    let out = classplan(&["scenarios", dir.path().to_str().unwrap(), s.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("which the solver does not place yet"), "{}", text(&out));
    assert!(!out_dir.exists());
}

#[test]
fn soft_rules_are_solved_as_if_absent_and_the_summary_prices_them_as_the_checker_does() {
    let dir = folder(&[
        ("instructors.csv", "id,subjects,min_sessions\ni1,s1 s2,9\ni2,s1 s2,\n"),
        ("relations.csv", "kind,courses,weight\nbefore,c a,3\n"),
        ("weights.csv", "name,weight\nteaching_quota,2\n"),
    ]);
    let root = tempfile::tempdir().unwrap();
    let out_dir: PathBuf = root.path().join("out");
    let out = classplan(&["solve", dir.path().to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--node-limit", "200", "--quiet"]);
    assert!(matches!(out.status.code(), Some(0)), "{}", text(&out));
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    let inst = read_instance(dir.path()).unwrap();
    let timetable = io::read_timetable(&out_dir.join("timetable.csv"), &inst).unwrap();
    let report = check::check(&inst, &timetable);
    assert!(report.is_feasible());
    let cost = &summary["cost"];
    // 4 sessions in all: whoever teaches them, i1 is short of 9 by at
    // least 5, each at 2.
    assert!(report.cost.teaching_quota >= 10.0, "{:?}", report.cost);
    assert_eq!(cost["teaching_quota"].as_f64(), Some(report.cost.teaching_quota));
    assert_eq!(cost["relations"].as_f64(), Some(report.cost.relations));
    assert_eq!(cost["total"].as_f64(), Some(report.cost.total()));
    // The solver proved optimal a price without the quota: the timetable's
    // cost is not proven optimal, and the status does not say it is.
    assert_eq!(summary["status"], "feasible", "{summary:#}");
}
