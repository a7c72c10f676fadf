//! What-if scenarios: the overlay rules one by one on a small base, the
//! shipped Bến Tre scenarios, and the parallel runner, whose timetables go
//! through the checker and whose comparison figures are recomputed here
//! from the written CSV files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use classplan::check;
use classplan::io::{self, read_instance, InputErrors};
use classplan::model::{AvailabilityTarget, Instance};
use classplan::run::{scenarios, Comparison, ScenariosConfig, Settings, Status, Summary};
use classplan::scenario::read_scenario;

// ---------------------------------------------------------------------------
// A small base instance and scenario folders made of CSV text.

const BASE: &[(&str, &str)] = &[
    ("calendar.csv", "day,periods\nd1,2\nd2,2\nd3,2\n"),
    ("rooms.csv", "id,name,capacity,features\nr1,Room one,30,projector\nr2,Room two,20,\n"),
    ("instructors.csv", "id,name,subjects,max_sessions,max_per_day\ni1,Ann,math,,\ni2,Bob,math art,,\ni3,Cy,art,,\n"),
    ("cohorts.csv", "id,name,size,first_day,last_day\nk1,Class one,10,d1,d3\nk2,Class two,12,,\n"),
    (
        "courses.csv",
        "id,subject,cohorts,sessions,min_days,instructor,students,room_features\n\
         c1,math,k1,2,2,,,\n\
         c2,art,k1 k2,2,,i3,,\n\
         c3,math,k2,1,,i1,,\n",
    ),
    ("availability.csv", "kind,id,day,period,weight\ninstructor,i1,d1,,\nroom,r2,d2..d3,1,2\ncohort,k2,d3,2,\ncourse,c3,d1,,\n"),
    ("pins.csv", "course,day,period,room,instructor\nc1,d1,1,r1,\nc1,d2,2,,i2\n"),
    ("weights.csv", "name,weight\nmin_days,5\n"),
];

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// The base folder and a scenario folder named `name` beside it.
struct Case {
    _root: tempfile::TempDir,
    base: PathBuf,
    scenario: PathBuf,
}

fn case(name: &str, files: &[(&str, &str)]) -> Case {
    let root = tempfile::tempdir().unwrap();
    let base = root.path().join("base-instance");
    let scenario = root.path().join(name);
    for (dir, files) in [(&base, BASE), (&scenario, files)] {
        fs::create_dir_all(dir).unwrap();
        for (file, text) in files {
            fs::write(dir.join(file), text).unwrap();
        }
    }
    Case { _root: root, base, scenario }
}

fn overlay(files: &[(&str, &str)]) -> Instance {
    let c = case("scn", files);
    read_scenario(&c.base, &c.scenario).unwrap_or_else(|e| panic!("the scenario must load:\n{e}"))
}

/// Errors with the case's folder replaced by `ROOT`.
fn overlay_errors(files: &[(&str, &str)]) -> Vec<String> {
    let c = case("scn", files);
    let root = c.base.parent().unwrap().display().to_string();
    let err: InputErrors = read_scenario(&c.base, &c.scenario).expect_err("the scenario must be refused");
    err.0.iter().map(|e| e.to_string().replace(&root, "ROOT")).collect()
}

fn base() -> Instance {
    let dir = folder(BASE);
    read_instance(dir.path()).unwrap()
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|x| id(x).to_string()).collect()
}

// ---------------------------------------------------------------------------
// Overlay rules.

#[test]
fn an_empty_scenario_is_the_base() {
    assert_eq!(overlay(&[("README.md", "nothing changes")]), base());
}

#[test]
fn a_row_with_an_existing_id_replaces_it_in_place_and_a_new_id_is_added() {
    let inst = overlay(&[("rooms.csv", "id,name,capacity,features\nr3,New,25,projector\nr2,Room two (bigger),40,projector\n")]);
    assert_eq!(ids(&inst.rooms, |r| &r.id), ["r1", "r2", "r3"]);
    assert_eq!(inst.rooms[1].capacity, 40);
    assert_eq!(inst.rooms[1].name, "Room two (bigger)");
    assert!(inst.rooms[1].features.contains("projector"));
    assert_eq!(inst.rooms[2].capacity, 25);
}

#[test]
fn columns_a_scenario_file_lacks_keep_the_base_cells() {
    let inst = overlay(&[("cohorts.csv", "id,size\nk1,15\n")]);
    let k1 = &inst.cohorts[0];
    assert_eq!((k1.name.as_str(), k1.size), ("Class one", 15));
    assert_eq!((k1.first_day.map(|d| d.0), k1.last_day.map(|d| d.0)), (Some(0), Some(2)));
    // An empty cell in a column the scenario has does replace.
    let inst = overlay(&[("cohorts.csv", "id,size,first_day,last_day\nk1,15,,\n")]);
    assert_eq!(inst.cohorts[0].first_day, None);
}

#[test]
fn calendar_rows_replace_by_day_or_are_appended() {
    let inst = overlay(&[("calendar.csv", "day,periods\nd4,3\nd1,3\n")]);
    let days: Vec<(String, u32)> = inst.calendar.days.iter().map(|d| (d.label.clone(), d.periods)).collect();
    assert_eq!(days, [("d1".into(), 3), ("d2".into(), 2), ("d3".into(), 2), ("d4".into(), 3)]);
}

#[test]
fn weights_replace_by_name_in_any_case() {
    let inst = overlay(&[("weights.csv", "name,weight\nMIN_DAYS,7\ncompactness,0.5\n")]);
    assert_eq!((inst.weights.min_days, inst.weights.compactness), (7.0, 0.5));
}

#[test]
fn availability_and_pins_rows_are_added() {
    let inst = overlay(&[
        ("availability.csv", "kind,id,day,weight,x-note\ninstructor,i2,d1..d2,,on leave\n"),
        ("pins.csv", "course,day,period\nc3,d2,1\n"),
    ]);
    let b = base();
    assert_eq!(inst.availability.len(), b.availability.len() + 1);
    assert_eq!(inst.availability[..4], b.availability[..]);
    let last = inst.availability.last().unwrap();
    assert_eq!(
        (last.target, last.first_day.0, last.last_day.0, last.weight),
        (AvailabilityTarget::Instructor(classplan::model::InstructorIdx(1)), 0, 1, None)
    );
    assert_eq!(inst.pins.len(), 3);
    assert_eq!(inst.pins[2].course.0, 2);
}

#[test]
fn a_semicolon_scenario_file_may_write_decimal_commas() {
    let inst = overlay(&[("availability.csv", "kind;id;day;period;weight\nroom;r1;d1;2;2,5\n")]);
    assert_eq!(inst.availability.last().unwrap().weight, Some(2.5));
}

#[test]
fn removing_a_cohort_removes_its_own_courses_and_leaves_joint_ones_without_it() {
    let inst = overlay(&[("remove.csv", "kind,id\ncohort,k1\n")]);
    assert_eq!(ids(&inst.cohorts, |k| &k.id), ["k2"]);
    // c1 was for k1 alone: gone with its pins; c2 keeps k2.
    assert_eq!(ids(&inst.courses, |c| &c.id), ["c2", "c3"]);
    assert_eq!(inst.courses[0].cohorts.iter().map(|k| k.0).collect::<Vec<_>>(), [0]);
    assert!(inst.pins.is_empty());
}

#[test]
fn removing_a_room_or_an_instructor_drops_their_availability_and_frees_pins() {
    let inst = overlay(&[("remove.csv", "kind,id,x-why\nroom,r2,sold\ninstructor,i2,retired\n")]);
    assert_eq!(ids(&inst.rooms, |r| &r.id), ["r1"]);
    assert_eq!(ids(&inst.instructors, |i| &i.id), ["i1", "i3"]);
    assert_eq!(inst.availability.len(), 3, "the room's row goes, the others stay");
    assert!(inst.availability.iter().all(|a| !matches!(a.target, AvailabilityTarget::Room(_))));
    // The pinned times stay; the pinned instructor is gone.
    assert_eq!(inst.pins.len(), 2);
    assert_eq!((inst.pins[1].slot.day.0, inst.pins[1].slot.period, inst.pins[1].instructor), (1, 2, None));
    assert_eq!(inst.pins[0].room.map(|r| r.0), Some(0));
    let inst = overlay(&[("remove.csv", "kind,id\nroom,r1\n")]);
    assert_eq!(inst.pins[0].room, None);
}

#[test]
fn removing_a_course_drops_its_availability_and_pins() {
    let inst = overlay(&[("remove.csv", "kind,id\ncourse,c3\ncourse,c1\n")]);
    assert_eq!(ids(&inst.courses, |c| &c.id), ["c2"]);
    assert_eq!(inst.availability.len(), 3);
    assert!(inst.pins.is_empty());
}

#[test]
fn removing_a_fixed_instructor_needs_the_course_given_another() {
    let errors = overlay_errors(&[("remove.csv", "kind,id\n# Cy leaves\ninstructor,i3\n")]);
    assert_eq!(
        errors,
        ["ROOT/scn/remove.csv:3:2: column 'id': removes instructor 'i3', the fixed instructor of course 'c2' \
          (ROOT/base-instance/courses.csv line 3); give that course another instructor in the scenario's \
          courses.csv, or remove the course too (found \"i3\") [E-REMOVE]"]
    );
    let inst = overlay(&[("remove.csv", "kind,id\ninstructor,i3\n"), ("courses.csv", "id,instructor\nc2,\n")]);
    assert_eq!(inst.courses[1].instructor, None);
    assert_eq!(inst.eligible_instructors(classplan::model::CourseIdx(1)).len(), 1, "Bob also teaches art");
}

#[test]
fn errors_in_scenario_rows_name_the_scenario_file_line_and_column() {
    let errors = overlay_errors(&[
        ("courses.csv", "# new course\nid,subject,cohorts,sessions\nc4,math,k1,x\n"),
        ("availability.csv", "kind,id,day\ninstructor,nobody,d1\n"),
    ]);
    assert_eq!(
        errors,
        [
            "ROOT/scn/courses.csv:3:4: column 'sessions': is not a whole number; expected a whole number >= 1 (found \"x\") [E-COUNT]",
            "ROOT/scn/availability.csv:2:2: column 'id': 'nobody' is not an instructor id of instructors.csv (found \"nobody\") [E-UNKNOWN-ID]",
        ]
    );
}

#[test]
fn lines_stay_right_through_comments_blank_lines_and_crlf() {
    let errors = overlay_errors(&[("rooms.csv", "# rooms\r\nid,capacity\r\n\r\nr3,12\r\n\r\n# note\r\nr4,-1\r\n")]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("ROOT/scn/rooms.csv:7:2: column 'capacity':"), "{}", errors[0]);
}

#[test]
fn a_scenario_change_that_breaks_a_base_row_is_reported_at_the_base_row() {
    // c1 now has one session but the base pins it twice.
    let errors = overlay_errors(&[("courses.csv", "id,sessions\nc1,1\n")]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("ROOT/base-instance/pins.csv:3:1: column 'course':"), "{}", errors[0]);
    assert!(errors[0].contains("more pins than its 1 sessions"));
}

#[test]
fn malformed_scenario_files_are_refused_where_they_are_wrong() {
    let errors = overlay_errors(&[
        ("rooms.csv", "id,capacity,colour\nr1,30,red\n"),
        ("instructors.csv", "id,subjects\ni4,math\ni4,art\n"),
        ("room.csv", "id,capacity\nr9,1\n"),
        ("remove.csv", "kind,id\ncohort,k9\nbuilding,r1\n"),
    ]);
    let codes_and_places: Vec<&str> = errors.iter().map(|e| e.split(": ").next().unwrap()).collect();
    assert_eq!(codes_and_places, ["ROOT/scn/room.csv", "ROOT/scn/remove.csv:2:2", "ROOT/scn/remove.csv:3:1"]);
    assert_eq!(errors[0], "ROOT/scn/room.csv: is not a file of a scenario folder; did you mean rooms.csv? [E-UNKNOWN-FILE]");
    assert!(errors[1].contains("not a cohort id") && errors[2].ends_with("[E-UNKNOWN-KIND]"));
    // Without the overlay's own problems, the reader's are located too.
    let errors = overlay_errors(&[("rooms.csv", "id,capacity,colour\nr1,30,red\n"), ("instructors.csv", "id,subjects\ni4,math\ni4,art\n")]);
    assert!(errors[0].starts_with("ROOT/scn/rooms.csv:1:3: column 'colour': unknown column"), "{}", errors[0]);
    assert!(
        errors[1].starts_with("ROOT/scn/instructors.csv:3:1: column 'id':") && errors[1].ends_with("[E-DUPLICATE-ID]"),
        "{}",
        errors[1]
    );
    assert_eq!(errors.len(), 2);
}

/// The base and scenario folders' file names are checked by one rule, each
/// against the files its folder may hold.
#[test]
fn misnamed_files_are_refused_in_the_scenario_and_in_the_base_folder() {
    let c = case("scn", &[("Rooms.csv", "id,capacity\nr3,12\n"), ("periods.csv", "period,start,end\n"), ("notes.md", "why")]);
    fs::write(c.base.join("pin.csv"), "course,day,period\n").unwrap();
    fs::write(c.base.join("periods.csv"), "period,start,end\n").unwrap();
    let root = c.base.parent().unwrap().display().to_string();
    let err = read_scenario(&c.base, &c.scenario).expect_err("misnamed files");
    let errors: Vec<String> = err.0.iter().map(|e| e.to_string().replace(&root, "ROOT")).collect();
    assert_eq!(
        errors,
        [
            "ROOT/base-instance/pin.csv: is not a file of an instance folder; did you mean pins.csv? [E-UNKNOWN-FILE]",
            "ROOT/scn/Rooms.csv: is spelt with other capitals; rename it rooms.csv [E-FILE-CASE]",
            // The report's period times come from the base folder only.
            "ROOT/scn/periods.csv: is not a file of a scenario folder (the closest is rooms.csv); expected one of calendar.csv, \
             rooms.csv, instructors.csv, cohorts.csv, courses.csv, availability.csv, pins.csv, weights.csv, remove.csv, subjects.csv, \
             relations.csv; keep other tables outside it [E-UNKNOWN-FILE]",
        ]
    );
}

/// Each scenario reads the base again; a run lists each of its errors once.
#[test]
fn a_run_reports_an_error_of_the_base_once_however_many_scenarios() {
    let c = case("scn", &[]);
    let other = c.base.parent().unwrap().join("other");
    fs::create_dir(&other).unwrap();
    fs::write(c.base.join("pin.csv"), "course,day,period\n").unwrap();
    let out = c.base.parent().unwrap().join("out");
    let err = scenarios(&c.base, &[c.scenario.clone(), other], &out, &ScenariosConfig::default(), &|_| {}).unwrap_err();
    let root = c.base.parent().unwrap().display().to_string();
    assert_eq!(
        err.to_string().replace(&root, "ROOT"),
        "ROOT/base-instance/pin.csv: is not a file of an instance folder; did you mean pins.csv? [E-UNKNOWN-FILE]"
    );
    assert!(!out.exists());
}

#[test]
fn removing_what_a_scenario_added_gives_the_base_back() {
    let added = overlay(&[
        ("cohorts.csv", "id,name,size\nk3,Class three,9\n"),
        ("courses.csv", "id,subject,cohorts,sessions,instructor\nc4,art,k3,2,\nc5,math,k2 k3,1,i1\n"),
        ("rooms.csv", "id,capacity\nr3,12\n"),
        ("instructors.csv", "id,subjects\ni4,art\n"),
        ("availability.csv", "kind,id,day,period,weight\ncohort,k3,d1,,\nroom,r3,d2,,1\ninstructor,i4,d3,1,\n"),
        ("pins.csv", "course,day,period,room,instructor\nc4,d1,2,r3,i4\nc5,d2,1,,\n"),
    ]);
    assert_eq!((added.cohorts.len(), added.courses.len(), added.availability.len(), added.pins.len()), (3, 5, 7, 4));
    let root = tempfile::tempdir().unwrap();
    let merged = root.path().join("merged");
    io::write_instance(&added, &merged).unwrap();
    let undo = root.path().join("undo");
    fs::create_dir_all(&undo).unwrap();
    fs::write(undo.join("remove.csv"), "kind,id\ncohort,k3\ncourse,c5\nroom,r3\ninstructor,i4\n").unwrap();
    assert_eq!(read_scenario(&merged, &undo).unwrap(), base());

    // The same on the Bến Tre plan with its third secretaries' class.
    let added = read_scenario(&ben_tre(), &shipped("them-lop-bi-thu")).unwrap();
    io::write_instance(&added, &root.path().join("ben-tre-3")).unwrap();
    fs::write(undo.join("remove.csv"), "kind,id\ncohort,bt-xa-3\n").unwrap();
    assert_eq!(read_scenario(&root.path().join("ben-tre-3"), &undo).unwrap(), read_instance(&ben_tre()).unwrap());
}

// ---------------------------------------------------------------------------
// The shipped scenarios.

fn ben_tre() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/ben-tre-2020")
}

fn shipped(name: &str) -> PathBuf {
    ben_tre().join("scenarios").join(name)
}

const SHIPPED: &[&str] = &[
    "giang-vien-nghi-phep",
    "hoi-truong-sua-chua",
    "khoa-giang-vien-mot-tuan",
    "lop-hdnd-2021",
    "si-so-tang-20",
    "si-so-tang-20-tach-lop",
    "them-lop-bi-thu",
];

#[test]
fn every_shipped_scenario_loads_and_says_what_it_is() {
    let mut found: Vec<String> = fs::read_dir(ben_tre().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    found.sort();
    assert_eq!(found, SHIPPED);
    let b = read_instance(&ben_tre()).unwrap();
    for name in SHIPPED {
        let inst = read_scenario(&ben_tre(), &shipped(name)).unwrap_or_else(|e| panic!("{name}:\n{e}"));
        assert_ne!(inst, b, "{name} changes nothing");
        let readme = fs::read_to_string(shipped(name).join("README.md")).unwrap();
        assert!(!readme.trim().is_empty());
    }
    let hdnd = read_scenario(&ben_tre(), &shipped("lop-hdnd-2021")).unwrap();
    assert_eq!(hdnd.calendar.num_days(), b.calendar.num_days() + 25);
    assert_eq!(hdnd.calendar.days.last().unwrap().label, "2021-02-05");
    assert_eq!(hdnd.courses.len(), b.courses.len() + 9);
    let bigger = read_scenario(&ben_tre(), &shipped("si-so-tang-20")).unwrap();
    for (old, new) in b.cohorts.iter().zip(&bigger.cohorts) {
        assert_eq!((new.size as f64 - old.size as f64 * 1.2).abs().round(), 0.0, "{}", old.id);
        assert_eq!((&new.name, new.first_day, new.last_day), (&old.name, old.first_day, old.last_day));
    }
    let split = read_scenario(&ben_tre(), &shipped("si-so-tang-20-tach-lop")).unwrap();
    assert!(!split.courses.iter().any(|c| c.id == "btx-nghi-quyet" || c.id == "btx-to-chuc-can-bo"));
    assert_eq!(split.num_sessions(), b.num_sessions() + 8);
    assert_eq!(split.pins.len(), b.pins.len() + 1, "the joint pin goes, two split pins come");
}

// ---------------------------------------------------------------------------
// The runner.

/// A timetable file as rows of ids: (course, day, period, room, instructor).
type Row = (String, String, u32, String, String);

fn timetable_rows(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .deserialize::<BTreeMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            (r["course"].clone(), r["day"].clone(), r["period"].parse().unwrap(), r["room"].clone(), r["instructor"].clone())
        })
        .collect()
}

/// The comparison figures recomputed from the CSV files by ids: baseline
/// rows naming anything the instance lacks are dropped first.
fn expected_changes(inst: &Instance, baseline: &[Row], rows: &[Row]) -> (usize, usize, usize, usize, usize, usize, usize) {
    let has = |r: &Row| {
        inst.courses.iter().any(|c| c.id == r.0)
            && inst.rooms.iter().any(|x| x.id == r.3)
            && inst.instructors.iter().any(|x| x.id == r.4)
            && inst.calendar.day_by_label(&r.1).is_some_and(|d| r.2 <= inst.calendar.days[d.0].periods)
    };
    let kept: Vec<&Row> = baseline.iter().filter(|r| has(r)).collect();
    let dropped = baseline.len() - kept.len();
    let at = |rs: &[&Row]| {
        let mut m: BTreeMap<(String, String, u32), Vec<Row>> = BTreeMap::new();
        for r in rs {
            m.entry((r.0.clone(), r.1.clone(), r.2)).or_default().push((*r).clone());
        }
        m
    };
    let (old, new) = (at(&kept), at(&rows.iter().collect::<Vec<_>>()));
    let (mut moved, mut rooms) = (0, 0);
    let mut teachers: BTreeSet<String> = BTreeSet::new();
    let mut touched_courses: BTreeSet<String> = BTreeSet::new();
    for key in old.keys().chain(new.keys()).collect::<BTreeSet<_>>() {
        let (o, n) = (old.get(key).cloned().unwrap_or_default(), new.get(key).cloned().unwrap_or_default());
        // No course is ever twice at one slot in these timetables.
        assert!(o.len() <= 1 && n.len() <= 1);
        let room_changed = o.len() == 1 && n.len() == 1 && o[0].3 != n[0].3;
        moved += n.len().saturating_sub(o.len());
        rooms += room_changed as usize;
        if o.len() != n.len() || room_changed {
            teachers.extend(o.iter().chain(&n).map(|r| r.4.clone()));
            touched_courses.insert(key.0.clone());
        }
    }
    let teacher_sets = |rs: &[&Row]| {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in rs {
            m.entry(r.0.clone()).or_default().insert(r.4.clone());
        }
        m
    };
    let (to, tn) = (teacher_sets(&kept), teacher_sets(&rows.iter().collect::<Vec<_>>()));
    let mut instructor_changes = 0;
    for (course, before) in &to {
        if let Some(after) = tn.get(course).filter(|after| *after != before) {
            instructor_changes += 1;
            teachers.extend(before.iter().chain(after).cloned());
            touched_courses.insert(course.clone());
        }
    }
    let cohorts: BTreeSet<&String> = inst
        .courses
        .iter()
        .filter(|c| touched_courses.contains(&c.id))
        .flat_map(|c| c.cohorts.iter().map(|k| &inst.cohorts[k.0].id))
        .collect();
    let new = rows.iter().filter(|r| !to.contains_key(&r.0)).count();
    (moved, new, instructor_changes, rooms, teachers.len(), cohorts.len(), dropped)
}

fn comparison_csv(out: &Path) -> Vec<BTreeMap<String, String>> {
    csv::Reader::from_path(out.join("comparison.csv")).unwrap().deserialize().map(|r| r.unwrap()).collect()
}

fn figures(row: &BTreeMap<String, String>) -> (usize, usize, usize, usize, usize, usize, usize) {
    let n = |k: &str| row[k].parse::<usize>().unwrap_or_else(|_| panic!("{k} = {:?}", row[k]));
    (
        n("moved"),
        n("new"),
        n("instructor_changes"),
        n("room_changes"),
        n("instructors_affected"),
        n("cohorts_affected"),
        n("baseline_dropped"),
    )
}

/// Checks every timetable written against its merged instance, each
/// summary.json against the run's own summary and the checker, and the
/// comparison figures against a recomputation from the files.
fn verify_run(base: &Path, scenarios: &[PathBuf], out: &Path, comparison: &Comparison, baseline_file: Option<&Path>) {
    let csv_rows = comparison_csv(out);
    assert_eq!(csv_rows.len(), scenarios.len() + 1);
    let baseline = timetable_rows(baseline_file.unwrap_or(&out.join("base/timetable.csv")));
    for (i, row) in comparison.rows.iter().enumerate() {
        let inst = if i == 0 { read_instance(base).unwrap() } else { read_scenario(base, &scenarios[i - 1]).unwrap() };
        assert_eq!(csv_rows[i]["scenario"], row.job());
        assert_eq!(csv_rows[i]["status"], row.status.name());
        let path = out.join(row.job()).join("timetable.csv");
        let summary: Summary = serde_json::from_slice(&fs::read(out.join(row.job()).join("summary.json")).unwrap()).unwrap();
        assert_eq!((summary.status, &summary.scenario, &summary.changes), (row.status, &row.scenario, &row.changes));
        if !row.status.solved() {
            assert!(!path.exists());
            continue;
        }
        let tt = io::read_timetable(&path, &inst).unwrap();
        let report = check::check(&inst, &tt);
        assert!(report.violations.is_empty(), "{}: {:#?}", row.job(), report.violations);
        assert_eq!(summary.check.as_ref().map(|c| c.hard_violations), Some(0));
        assert_eq!(tt.placements.len(), inst.num_sessions());
        assert_eq!(csv_rows[i]["total"].parse::<f64>().unwrap(), report.cost.total());
        assert!((summary.cost.unwrap().total - report.cost.total()).abs() < 1e-9);
        let expected = expected_changes(&inst, &baseline, &timetable_rows(&path));
        assert_eq!(figures(&csv_rows[i]), expected, "{}", row.job());
    }
}

/// A work limit, not a clock: each job's outcome does not depend on the
/// machine's load.
fn options() -> ScenariosConfig {
    let settings = Settings { node_limit: Some(200), rounds: Some(8), threads: 2, ..Settings::default() };
    ScenariosConfig { settings, ..ScenariosConfig::default() }
}

/// Runs the scenarios and re-checks every timetable written against its
/// job's instance (`tests/common`).
fn run_scenarios(base: &Path, dirs: &[PathBuf], out: &Path, config: &ScenariosConfig) -> Comparison {
    let comparison = scenarios(base, dirs, out, config, &|_| {}).unwrap_or_else(|e| panic!("the scenarios must run: {e}"));
    let jobs = common::check_scenarios_dir(base, dirs, out);
    for (row, (summary, _)) in comparison.rows.iter().zip(&jobs) {
        assert_eq!((row.status, &row.cost, &row.check), (summary.status, &summary.cost, &summary.check), "{}", row.job());
    }
    comparison
}

#[test]
fn the_shipped_scenarios_run_side_by_side_and_compare_with_the_base() {
    let dirs: Vec<PathBuf> = SHIPPED.iter().map(|n| shipped(n)).collect();
    let out = tempfile::tempdir().unwrap();
    let comparison = run_scenarios(&ben_tre(), &dirs, out.path(), &options());
    eprintln!("{}", comparison.text());
    let names: Vec<&str> = comparison.rows.iter().map(|r| r.job()).collect();
    assert_eq!(names[0], "base");
    assert_eq!(&names[1..], SHIPPED);
    assert!(!comparison.all_solved());
    for row in &comparison.rows {
        assert_eq!(row.status.solved(), row.job() != "si-so-tang-20", "{}: {}", row.job(), row.status);
    }
    let infeasible = &comparison.rows[5];
    assert_eq!(infeasible.status, Status::Infeasible);
    assert!(infeasible.note().is_some_and(|d| d.contains("btx-nghi-quyet")), "{:?}", infeasible.note());
    assert!(infeasible.diagnosis.iter().any(|f| f.proves_infeasible));
    // Issue 18, case 8: the terminal shows every finding, not only the
    // first; the one that helps ("no room seats ...") among them.
    let text = comparison.text();
    assert!(text.contains("si-so-tang-20:\n  no timetable exists for this instance:\n"), "{text}");
    for finding in &infeasible.diagnosis {
        assert!(text.contains(&format!("      {}\n", finding.message)), "{text}");
    }
    // What fits is written, and the checker finds every session of it valid.
    let job = out.path().join("si-so-tang-20");
    let inst = read_scenario(&ben_tre(), &shipped("si-so-tang-20")).unwrap();
    let partial = io::read_timetable(&job.join("partial.csv"), &inst).unwrap();
    assert_eq!(check::check_partial(&inst, &partial), Vec::new());
    assert!(std::fs::read_to_string(job.join("unplaced.csv")).unwrap().contains("btx-nghi-quyet"));
    assert_eq!(comparison.rows[0].changes.as_ref().unwrap().moved, 0);
    verify_run(&ben_tre(), &dirs, out.path(), &comparison, None);
}

#[test]
fn a_baseline_file_is_matched_by_ids_and_what_is_gone_counts_as_moved() {
    let c = case("no-r2", &[("remove.csv", "kind,id\nroom,r2\n")]);
    let first = tempfile::tempdir().unwrap();
    run_scenarios(&c.base, std::slice::from_ref(&c.scenario), first.path(), &options());
    let published = first.path().join("base/timetable.csv");
    let in_r2 = timetable_rows(&published).iter().filter(|r| r.3 == "r2").count();
    assert!(in_r2 > 0, "a pin puts c2 in r2");

    let out = tempfile::tempdir().unwrap();
    let opts = ScenariosConfig { baseline: Some(published.clone()), ..options() };
    let comparison = run_scenarios(&c.base, std::slice::from_ref(&c.scenario), out.path(), &opts);
    assert!(comparison.all_solved());
    assert_eq!(comparison.rows[1].baseline.as_ref().unwrap().dropped, in_r2);
    assert!(comparison.rows[1].changes.as_ref().unwrap().moved >= in_r2);
    verify_run(&c.base, std::slice::from_ref(&c.scenario), out.path(), &comparison, Some(&published));
}

#[test]
fn stable_mode_moves_only_what_the_blocked_week_forces() {
    let scenario = shipped("khoa-giang-vien-mot-tuan");
    let blocked = |r: &Row| r.4 == "kc-le-thi-phuong-thao" && ("2020-06-22".."2020-06-27").contains(&r.1.as_str());

    let free = tempfile::tempdir().unwrap();
    let unstable = run_scenarios(&ben_tre(), std::slice::from_ref(&scenario), free.path(), &options());
    let out = tempfile::tempdir().unwrap();
    let mut opts = options();
    opts.settings.stable = true;
    opts.settings.move_weight = 10.0;
    let stable = run_scenarios(&ben_tre(), std::slice::from_ref(&scenario), out.path(), &opts);
    verify_run(&ben_tre(), std::slice::from_ref(&scenario), out.path(), &stable, None);

    let forced = timetable_rows(&out.path().join("base/timetable.csv")).iter().filter(|r| blocked(r)).count();
    let changes = stable.rows[1].changes.clone().unwrap();
    let free_changes = unstable.rows[1].changes.clone().unwrap();
    eprintln!(
        "blocked week: {forced} session(s) forced to move; stable: {} moved, {} instructor and {} room change(s); \
         without --stable: {} moved, {} instructor and {} room change(s)",
        changes.moved,
        changes.instructor_changes,
        changes.room_changes,
        free_changes.moved,
        free_changes.instructor_changes,
        free_changes.room_changes
    );
    // Her courses have her as fixed instructor: each blocked session must
    // move, and a minimal repair moves little else.
    assert!(changes.moved >= forced);
    assert!(changes.moved <= forced + 4, "{changes:?}");
    assert_eq!(changes.instructor_changes, 0);
    assert!(changes.moved + changes.room_changes <= free_changes.moved + free_changes.room_changes);
    let summary =
        |job: &str| -> serde_json::Value { serde_json::from_slice(&fs::read(out.path().join(job).join("summary.json")).unwrap()).unwrap() };
    // The base is solved first, freely; the scenario stays close to it.
    assert_eq!(summary("khoa-giang-vien-mot-tuan")["settings"]["stable"], true);
    assert_eq!(summary("base")["settings"]["stable"], false);
}

#[test]
fn the_runner_refuses_a_used_output_folder_and_clashing_names() {
    let c = case("scn", &[("cohorts.csv", "id,size\nk1,11\n")]);
    let out = tempfile::tempdir().unwrap();
    fs::write(out.path().join("old.txt"), "x").unwrap();
    let config = |force| ScenariosConfig { force, ..options() };
    let run = |dirs: &[PathBuf], out: &Path, force| scenarios(&c.base, dirs, out, &config(force), &|_| {});
    let one = std::slice::from_ref(&c.scenario);
    let err = run(one, out.path(), false).unwrap_err().to_string();
    assert!(err.contains("is not empty") && err.contains("--force"), "{err}");
    assert!(run(one, out.path(), true).unwrap().all_solved());
    common::check_scenarios_dir(&c.base, one, out.path());
    assert!(out.path().join("scn/timetable.csv").exists() && out.path().join("comparison.csv").exists());

    let twice = run(&[c.scenario.clone(), c.scenario.clone()], &out.path().join("x"), false);
    assert!(twice.unwrap_err().to_string().contains("two scenario folders are named 'scn'"));
    let inside = run(one, &c.base.join("out"), false);
    assert!(inside.unwrap_err().to_string().contains("refusing to write into the input folder"));
    assert!(!c.base.join("out").exists() && !out.path().join("x").exists(), "a refusal writes nothing");
}
