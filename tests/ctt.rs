//! ITC-2007 track 3: reading `.ctt` files, mapping them onto instances,
//! writing solutions, and — the point of it all — the checker's cost agreeing
//! exactly with the competition's definition, recomputed here by a small
//! validator written straight from the competition rules.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use classplan::check::{check, cost};
use classplan::io::ctt::{parse_ctt, read_ctt, solution_text, to_instance, CttCourse, CttProblem};
use classplan::io::InputErrors;
use classplan::model::{AvailabilityTarget, CourseIdx, DayIdx, Instance, Placement, RoomIdx, Slot, Timetable};
use classplan::solve::SolveOptions;

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/itc2007").join(name)
}

fn read_text(name: &str) -> String {
    std::fs::read_to_string(shared(name)).expect("shared ITC-2007 file")
}

fn parse(name: &str) -> CttProblem {
    parse_ctt(&read_text(name), &shared(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

// ---------------------------------------------------------------------------
// Reading the six shared files

#[test]
fn shared_files_have_the_counts_of_the_readme_table() {
    // instance, courses, rooms, days, periods, curricula, lectures
    let table = [
        ("toy", 4, 2, 5, 4, 2, 16),
        ("comp01", 30, 6, 5, 6, 14, 160),
        ("comp05", 54, 9, 6, 6, 139, 152),
        ("comp07", 131, 20, 5, 5, 77, 434),
        ("comp11", 30, 5, 5, 9, 13, 162),
        ("comp12", 88, 11, 6, 6, 150, 218),
    ];
    for (name, courses, rooms, days, periods, curricula, lectures) in table {
        let p = parse(&format!("{name}.ctt"));
        assert_eq!(p.courses.len(), courses, "{name} courses");
        assert_eq!(p.rooms.len(), rooms, "{name} rooms");
        assert_eq!((p.days, p.periods_per_day), (days, periods), "{name} days x periods");
        assert_eq!(p.curricula.len(), curricula, "{name} curricula");
        assert_eq!(p.num_lectures(), lectures, "{name} lectures");

        let instance = to_instance(&p);
        assert_eq!(instance.num_sessions(), lectures, "{name} sessions");
        assert_eq!(instance.calendar.num_slots(), (days * periods) as usize, "{name} slots");
        assert_eq!(instance.cohorts.len(), curricula, "{name} cohorts");
        assert_eq!(instance.availability.len(), p.unavailability.len(), "{name} availability");
        let teachers: BTreeSet<&str> = p.courses.iter().map(|c| c.teacher.as_str()).collect();
        assert_eq!(instance.instructors.len(), teachers.len(), "{name} instructors");
    }
}

#[test]
fn read_ctt_reads_a_file_and_reports_a_missing_one() {
    let instance = read_ctt(&shared("toy.ctt")).expect("toy reads");
    assert_eq!(instance.courses.len(), 4);

    let missing = shared("no-such-file.ctt");
    let errors = read_ctt(&missing).unwrap_err().0;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "E-IO");
    assert_eq!(errors[0].file, missing);
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_read_the_same() {
    let text = read_text("toy.ctt");
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    assert_eq!(parse_ctt(&windows, Path::new("toy.ctt")).unwrap(), parse("toy.ctt"));
}

#[test]
fn toy_maps_onto_an_instance_as_format_md_says() {
    let instance = to_instance(&parse("toy.ctt"));

    let labels: Vec<(&str, u32)> = instance.calendar.days.iter().map(|d| (d.label.as_str(), d.periods)).collect();
    assert_eq!(labels, [("0", 4), ("1", 4), ("2", 4), ("3", 4), ("4", 4)]);

    let rooms: Vec<(&str, u32)> = instance.rooms.iter().map(|r| (r.id.as_str(), r.capacity)).collect();
    assert_eq!(rooms, [("A", 32), ("B", 50)]);
    assert!(instance.rooms.iter().all(|r| r.features.is_empty()));

    let teachers: Vec<&str> = instance.instructors.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(teachers, ["Ocra", "Indaco", "Rosa", "Scarlatti"]);
    assert!(instance.instructors.iter().all(|i| i.subjects.is_empty()));

    let cohorts: Vec<(&str, u32)> = instance.cohorts.iter().map(|k| (k.id.as_str(), k.size)).collect();
    assert_eq!(cohorts, [("Cur1", 0), ("Cur2", 0)]);

    // TecCos is in both curricula; it keeps teacher Rosa.
    let tec = &instance.courses[2];
    assert_eq!(tec.id, "TecCos");
    assert_eq!(tec.subject, "TecCos");
    assert_eq!(tec.sessions, 5);
    assert_eq!(tec.min_days, Some(4));
    assert_eq!(tec.students, Some(40));
    assert_eq!(tec.instructor.map(|i| instance.instructors[i.0].id.as_str()), Some("Rosa"));
    let tec_cohorts: Vec<&str> = tec.cohorts.iter().map(|k| instance.cohorts[k.0].id.as_str()).collect();
    assert_eq!(tec_cohorts, ["Cur1", "Cur2"]);

    // `TecCos 2 0` forbids day 2, period 1 (periods count from 1 here).
    let first = &instance.availability[0];
    assert_eq!(first.target, AvailabilityTarget::Course(CourseIdx(2)));
    assert_eq!((first.first_day, first.last_day, first.period), (DayIdx(2), DayIdx(2), Some(1)));
    assert!(first.is_hard());
    assert!(instance.is_blocked(AvailabilityTarget::Course(CourseIdx(1)), Slot { day: DayIdx(4), period: 4 }));

    let w = &instance.weights;
    assert_eq!((w.room_capacity, w.min_days, w.compactness, w.room_stability), (Some(1.0), 5.0, 2.0, 1.0));
    assert!(instance.pins.is_empty());
}

#[test]
fn imported_instance_survives_the_instance_folder_round_trip() {
    let instance = to_instance(&parse("comp01.ctt"));
    let dir = tempfile::tempdir().unwrap();
    classplan::io::write_instance(&instance, dir.path()).unwrap();
    let back = classplan::io::read_instance(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, instance);
}

// ---------------------------------------------------------------------------
// Malformed files: every error names its line

/// The toy file with line `n` (1-based) replaced, or removed when `None`.
fn toy_with(edits: &[(usize, Option<&str>)]) -> String {
    let text = read_text("toy.ctt");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        match edits.iter().find(|(n, _)| *n == i + 1) {
            Some((_, Some(new))) => out.push_str(new),
            Some((_, None)) => continue,
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// `(code, line, column)` of every error, in order.
fn errors_of(text: &str) -> Vec<(&'static str, Option<usize>, Option<usize>)> {
    let InputErrors(errors) = parse_ctt(text, Path::new("bad.ctt")).expect_err("the file is malformed");
    for e in &errors {
        assert_eq!(e.file, Path::new("bad.ctt"));
        assert!(!e.message.is_empty());
    }
    errors.iter().map(|e| (e.code, e.line, e.column.as_ref().map(|c| c.0))).collect()
}

#[test]
fn the_toy_line_numbers_used_below_are_right() {
    let text = read_text("toy.ctt");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "Courses: 4");
    assert_eq!(lines[8], "COURSES:");
    assert_eq!(lines[9], "SceCosC Ocra 3 3 30");
    assert_eq!(lines[16], "B 50");
    assert_eq!(lines[18], "CURRICULA:");
    assert_eq!(lines[20], "Cur2 2 TecCos Geotec");
    assert_eq!(lines[22], "UNAVAILABILITY_CONSTRAINTS:");
    assert_eq!(lines[23], "TecCos 2 0");
    assert_eq!(lines[32], "END.");
}

#[test]
fn a_truncated_file_reports_the_short_section_and_the_missing_end() {
    let text: String = read_text("toy.ctt").lines().take(20).map(|l| format!("{l}\n")).collect();
    // Curricula: 2 but one curriculum line; the file ends on line 20.
    assert_eq!(errors_of(&text), [("E-CTT-COUNT", Some(19), None), ("E-CTT-SECTION", Some(20), None)]);

    // Cut in the middle of a line: the curriculum lists fewer courses than it says.
    let text = read_text("toy.ctt");
    let cut = &text[..text.find("Geotec\n").unwrap()];
    assert_eq!(errors_of(cut), [("E-CTT-COUNT", Some(21), Some(2)), ("E-CTT-SECTION", Some(21), None)]);

    // An empty file lacks all seven header keys and everything after them.
    let mut expected = vec![("E-CTT-HEADER", Some(1), None); 7];
    expected.push(("E-CTT-SECTION", Some(1), None));
    assert_eq!(errors_of(""), expected);
}

#[test]
fn header_counts_must_match_their_sections() {
    // The error sits on the section heading; its message names the header line.
    assert_eq!(errors_of(&toy_with(&[(2, Some("Courses: 5"))])), [("E-CTT-COUNT", Some(9), None)]);
    assert_eq!(errors_of(&toy_with(&[(16, None)])), [("E-CTT-COUNT", Some(15), None)]);
    assert_eq!(errors_of(&toy_with(&[(7, Some("Constraints: 9"))])), [("E-CTT-COUNT", Some(23), None)]);

    let text = toy_with(&[(2, Some("Courses: 5"))]);
    let errors = parse_ctt(&text, Path::new("bad.ctt")).unwrap_err();
    assert!(errors.0[0].message.contains("line 2"), "{}", errors.0[0].message);
}

#[test]
fn unknown_courses_are_errors_where_they_are_named() {
    assert_eq!(errors_of(&toy_with(&[(21, Some("Cur2 2 TecCos Geotex"))])), [("E-CTT-UNKNOWN", Some(21), Some(4))]);
    assert_eq!(errors_of(&toy_with(&[(24, Some("TecCoz 2 0"))])), [("E-CTT-UNKNOWN", Some(24), Some(1))]);
}

#[test]
fn bad_numbers_are_errors_at_their_field() {
    assert_eq!(errors_of(&toy_with(&[(10, Some("SceCosC Ocra 3 x 30"))])), [("E-CTT-NUMBER", Some(10), Some(4))]);
    assert_eq!(errors_of(&toy_with(&[(17, Some("B 5O"))])), [("E-CTT-NUMBER", Some(17), Some(2))]);
    assert_eq!(errors_of(&toy_with(&[(4, Some("Days: -5"))])), [("E-CTT-NUMBER", Some(4), Some(2))]);
    assert_eq!(errors_of(&toy_with(&[(12, Some("TecCos Rosa 0 4 40"))])), [("E-CTT-RANGE", Some(12), Some(3))]);
}

#[test]
fn days_and_periods_out_of_range_are_errors() {
    assert_eq!(errors_of(&toy_with(&[(24, Some("TecCos 5 0"))])), [("E-CTT-RANGE", Some(24), Some(2))]);
    assert_eq!(errors_of(&toy_with(&[(24, Some("TecCos 2 4"))])), [("E-CTT-RANGE", Some(24), Some(3))]);
}

#[test]
fn wrong_field_counts_duplicates_and_misplaced_sections_are_errors() {
    assert_eq!(errors_of(&toy_with(&[(11, Some("ArcTec Indaco 3 2"))])), [("E-CTT-SYNTAX", Some(11), None)]);
    assert_eq!(errors_of(&toy_with(&[(17, Some("A 50"))])), [("E-CTT-DUPLICATE", Some(17), Some(1))]);
    // A second TecCos in place of Geotec: Cur2 now names a course that is not there.
    assert_eq!(
        errors_of(&toy_with(&[(13, Some("TecCos Rosa 5 4 18"))])),
        [("E-CTT-DUPLICATE", Some(13), Some(1)), ("E-CTT-UNKNOWN", Some(21), Some(4))]
    );
    assert_eq!(errors_of(&toy_with(&[(21, Some("Cur2 2 TecCos TecCos"))])), [("E-CTT-DUPLICATE", Some(21), Some(4))]);
    assert_eq!(errors_of(&toy_with(&[(5, Some("Periods: 4"))])), [("E-CTT-HEADER", Some(5), None), ("E-CTT-HEADER", Some(9), None)]);
    assert_eq!(errors_of(&toy_with(&[(16, Some("A,1 32"))])), [("E-CTT-ID", Some(16), Some(1))]);
    assert_eq!(errors_of(&format!("{}extra\n", read_text("toy.ctt"))), [("E-CTT-SECTION", Some(34), None)]);
    // ROOMS: before COURSES:
    let swapped = toy_with(&[(9, Some("ROOMS:")), (15, Some("COURSES:"))]);
    assert!(errors_of(&swapped).contains(&("E-CTT-SECTION", Some(9), None)));
}

#[test]
fn every_error_of_a_file_is_reported_in_line_order() {
    let text = toy_with(&[(10, Some("SceCosC Ocra 3 x 30")), (21, Some("Cur2 2 TecCos Geotex")), (24, Some("TecCos 9 0"))]);
    assert_eq!(
        errors_of(&text),
        [("E-CTT-NUMBER", Some(10), Some(4)), ("E-CTT-UNKNOWN", Some(21), Some(4)), ("E-CTT-RANGE", Some(24), Some(2))]
    );
}

#[test]
fn a_malformed_course_line_does_not_make_its_references_errors_too() {
    // One mistake, one error: Cur1 and Cur2 still name TecCos.
    assert_eq!(errors_of(&toy_with(&[(12, Some("TecCos Rosa five 4 40"))])), [("E-CTT-NUMBER", Some(12), Some(3))]);
}

#[test]
fn removing_any_data_line_or_cutting_the_file_anywhere_is_an_error_not_a_panic() {
    let text = read_text("comp01.ctt");
    let lines: Vec<&str> = text.lines().collect();
    for skip in 0..lines.len() {
        let edited: String = lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| format!("{l}\n")).collect();
        let result = parse_ctt(&edited, Path::new("comp01.ctt"));
        if lines[skip].trim().is_empty() {
            assert!(result.is_ok(), "removing blank line {} broke the file", skip + 1);
        } else {
            let errors = result.expect_err(&format!("removing line {} went unnoticed", skip + 1)).0;
            assert!(errors.iter().all(|e| e.line.is_some()), "line {}: {errors:?}", skip + 1);
        }
    }
    let toy = read_text("toy.ctt");
    let end = toy.find("END.").unwrap();
    for cut in (0..toy.len()).filter(|&i| toy.is_char_boundary(i)) {
        let result = parse_ctt(&toy[..cut], Path::new("toy.ctt"));
        assert_eq!(result.is_ok(), cut >= end + "END.".len(), "cut at byte {cut}");
    }
}

// ---------------------------------------------------------------------------
// An independent ITC-2007 validator, straight from the competition rules
// (Di Gaspero, McCollum, Schaerf: "The Second International Timetabling
// Competition (ITC-2007): Curriculum-based Course Timetabling (Track 3)").
// It reads the problem and a solution file in the competition's format and
// knows nothing of instances, timetables or the checker.

/// The four soft costs, already weighted as the competition does.
#[derive(Debug, Default, PartialEq, Eq)]
struct ItcCost {
    room_capacity: u64,
    min_working_days: u64,
    curriculum_compactness: u64,
    room_stability: u64,
}

impl ItcCost {
    fn total(&self) -> u64 {
        self.room_capacity + self.min_working_days + self.curriculum_compactness + self.room_stability
    }
}

#[derive(Debug)]
struct ItcReport {
    cost: ItcCost,
    /// Hard violations (lectures, conflicts, availability, room occupancy).
    violations: Vec<String>,
}

fn itc_validate(p: &CttProblem, solution: &str) -> ItcReport {
    let mut violations = Vec::new();
    // course id -> its lectures as (room, day, period)
    let mut lectures: BTreeMap<&str, Vec<(&str, u32, u32)>> = BTreeMap::new();
    for line in solution.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f.len(), 4, "solution line {line:?}");
        lectures.entry(f[0]).or_default().push((f[1], f[2].parse().unwrap(), f[3].parse().unwrap()));
    }
    let course = |id: &str| p.courses.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("course {id}"));
    let capacity = |id: &str| p.rooms.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("room {id}")).capacity;

    // Lectures: each course has exactly its number of lectures.
    for c in &p.courses {
        let n = lectures.get(c.id.as_str()).map_or(0, Vec::len);
        if n != c.lectures as usize {
            violations.push(format!("{} has {n} lectures, wants {}", c.id, c.lectures));
        }
    }
    // RoomOccupancy: one lecture per room per period.
    let mut occupied: BTreeMap<(&str, u32, u32), usize> = BTreeMap::new();
    for (room, d, q) in lectures.values().flatten() {
        *occupied.entry((room, *d, *q)).or_default() += 1;
    }
    violations.extend(occupied.iter().filter(|(_, n)| **n > 1).map(|(k, n)| format!("room {k:?} holds {n}")));
    // Conflicts: lectures of one course, of one curriculum, or of one teacher
    // never share a period.
    let mut groups: Vec<(String, Vec<&str>)> = p.courses.iter().map(|c| (c.id.clone(), vec![c.id.as_str()])).collect();
    groups.extend(p.curricula.iter().map(|q| (q.id.clone(), q.courses.iter().map(String::as_str).collect())));
    let mut by_teacher: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in &p.courses {
        by_teacher.entry(c.teacher.as_str()).or_default().push(c.id.as_str());
    }
    groups.extend(by_teacher.into_iter().map(|(t, cs)| (t.to_string(), cs)));
    for (name, courses) in &groups {
        let mut at: BTreeMap<(u32, u32), usize> = BTreeMap::new();
        for (_, d, q) in courses.iter().filter_map(|c| lectures.get(c)).flatten() {
            *at.entry((*d, *q)).or_default() += 1;
        }
        violations.extend(at.iter().filter(|(_, n)| **n > 1).map(|(k, n)| format!("{name} has {n} at {k:?}")));
    }
    // Availability.
    for u in &p.unavailability {
        if lectures.get(u.course.as_str()).is_some_and(|ls| ls.iter().any(|&(_, d, q)| (d, q) == (u.day, u.period))) {
            violations.push(format!("{} placed at unavailable {} {}", u.course, u.day, u.period));
        }
    }

    let mut cost = ItcCost::default();
    for (id, ls) in &lectures {
        let c = course(id);
        // RoomCapacity: each student without a seat, every lecture.
        for (room, _, _) in ls {
            cost.room_capacity += u64::from(c.students.saturating_sub(capacity(room)));
        }
        // MinimumWorkingDays: 5 for each day below the minimum.
        let days: BTreeSet<u32> = ls.iter().map(|l| l.1).collect();
        cost.min_working_days += 5 * u64::from(c.min_days.saturating_sub(days.len() as u32));
        // RoomStability: 1 for each room beyond the first.
        let rooms: BTreeSet<&str> = ls.iter().map(|l| l.0).collect();
        cost.room_stability += rooms.len() as u64 - 1;
    }
    // CurriculumCompactness: 2 for each lecture of a curriculum with no
    // lecture of the same curriculum in an adjacent period of the same day
    // (counting every lecture in that period, as the official validator does).
    for q in &p.curricula {
        let mut at: BTreeMap<(u32, u32), u64> = BTreeMap::new();
        for (_, d, per) in q.courses.iter().filter_map(|c| lectures.get(c.as_str())).flatten() {
            *at.entry((*d, *per)).or_default() += 1;
        }
        for (&(d, per), &n) in &at {
            let before = per > 0 && at.contains_key(&(d, per - 1));
            let after = at.contains_key(&(d, per + 1));
            if !before && !after {
                cost.curriculum_compactness += 2 * n;
            }
        }
    }
    ItcReport { cost, violations }
}

/// A placement named in the competition's terms (period from 0).
fn place(instance: &Instance, course: &str, room: &str, day: usize, period: u32) -> Placement {
    let c = instance.courses.iter().position(|c| c.id == course).unwrap_or_else(|| panic!("course {course}"));
    let r = instance.rooms.iter().position(|r| r.id == room).unwrap_or_else(|| panic!("room {room}"));
    Placement {
        course: CourseIdx(c),
        slot: Slot { day: DayIdx(day), period: period + 1 },
        room: RoomIdx(r),
        instructor: instance.courses[c].instructor.expect("ctt courses have a teacher"),
    }
}

/// The checker's cost must be the competition's, component by component.
fn assert_checker_agrees(instance: &Instance, timetable: &Timetable, itc: &ItcCost) {
    let ours = cost(instance, timetable);
    assert_eq!(ours.room_capacity, itc.room_capacity as f64, "room capacity");
    assert_eq!(ours.min_days, itc.min_working_days as f64, "min working days");
    assert_eq!(ours.compactness, itc.curriculum_compactness as f64, "curriculum compactness");
    assert_eq!(ours.room_stability, itc.room_stability as f64, "room stability");
    assert_eq!(ours.availability, 0.0, "ctt files have no soft availability");
    assert_eq!(ours.total(), itc.total() as f64);
}

#[test]
fn the_validator_sees_hard_violations() {
    // Guards the comparison below: a validator that saw nothing would agree
    // with anything on the hard side.
    let p = parse("toy.ctt");
    let clash = "SceCosC A 0 0\nArcTec A 0 0\nTecCos B 2 0\n";
    let report = itc_validate(&p, clash);
    let text = report.violations.join("\n");
    assert!(text.contains("room (\"A\", 0, 0) holds 2"), "{text}");
    assert!(text.contains("Cur1 has 2 at (0, 0)"), "{text}");
    assert!(text.contains("TecCos placed at unavailable 2 0"), "{text}");
    assert!(text.contains("Geotec has 0 lectures, wants 5"), "{text}");
}

// ---------------------------------------------------------------------------
// toy, by hand

/// A complete toy timetable in competition terms: course, room, day, period.
const TOY: [(&str, &str, usize, u32); 16] = [
    ("SceCosC", "A", 0, 0),
    ("SceCosC", "A", 0, 1),
    ("SceCosC", "B", 1, 0),
    ("ArcTec", "B", 0, 2),
    ("ArcTec", "B", 2, 0),
    ("ArcTec", "A", 2, 1),
    ("TecCos", "B", 0, 3),
    ("TecCos", "B", 1, 1),
    ("TecCos", "B", 1, 2),
    ("TecCos", "B", 3, 0),
    ("TecCos", "A", 4, 0),
    ("Geotec", "B", 0, 0),
    ("Geotec", "A", 1, 3),
    ("Geotec", "A", 2, 2),
    ("Geotec", "A", 3, 1),
    ("Geotec", "B", 4, 3),
];

fn toy_timetable(instance: &Instance) -> Timetable {
    Timetable::new(TOY.iter().map(|&(c, r, d, q)| place(instance, c, r, d, q)).collect())
}

#[test]
fn toy_cost_by_hand() {
    let p = parse("toy.ctt");
    let instance = to_instance(&p);
    let timetable = toy_timetable(&instance);
    assert!(check(&instance, &timetable).is_feasible(), "the hand timetable breaks a hard rule");

    // Room capacity (A seats 32, B 50): ArcTec (42) once in A -> 10,
    // TecCos (40) once in A -> 8; SceCosC (30) and Geotec (18) always fit.
    // 18 x 1 = 18.
    //
    // Min working days: SceCosC uses days {0, 1}, wants 3 -> 1 short;
    // ArcTec {0, 2} >= 2, TecCos {0, 1, 3, 4} >= 4, Geotec {0..4} >= 4.
    // 1 x 5 = 5.
    //
    // Curriculum compactness, periods used per day:
    //   Cur1 (SceCosC ArcTec TecCos): day 0 {0 1 2 3}, day 1 {0 1 2},
    //        day 2 {0 1}, day 3 {0}, day 4 {0} -> 2 isolated.
    //   Cur2 (TecCos Geotec): day 0 {0 3}, day 1 {1 2 3}, day 2 {2},
    //        day 3 {0 1}, day 4 {0 3} -> 2 + 1 + 2 = 5 isolated.
    // 7 x 2 = 14.
    //
    // Room stability: every course uses both A and B -> 4 x 1 = 4.
    //
    // Total 18 + 5 + 14 + 4 = 41.
    let report = itc_validate(&p, &solution_text(&instance, &timetable));
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    let expected = ItcCost { room_capacity: 18, min_working_days: 5, curriculum_compactness: 14, room_stability: 4 };
    assert_eq!(report.cost, expected);
    assert_eq!(report.cost.total(), 41);
    assert_checker_agrees(&instance, &timetable, &expected);
}

#[test]
fn toy_solution_text_is_in_competition_format() {
    let instance = to_instance(&parse("toy.ctt"));
    let text = solution_text(&instance, &toy_timetable(&instance));
    // The timetable's order: by day, period, then room (A before B).
    let expected = "\
SceCosC A 0 0
Geotec B 0 0
SceCosC A 0 1
ArcTec B 0 2
TecCos B 0 3
SceCosC B 1 0
TecCos B 1 1
TecCos B 1 2
Geotec A 1 3
ArcTec B 2 0
ArcTec A 2 1
Geotec A 2 2
TecCos B 3 0
Geotec A 3 1
TecCos A 4 0
Geotec B 4 3
";
    assert_eq!(text, expected);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut hand: Vec<String> = TOY.iter().map(|(c, r, d, q)| format!("{c} {r} {d} {q}")).collect();
    lines.sort();
    hand.sort();
    assert_eq!(lines, hand);
}

// ---------------------------------------------------------------------------
// comp01, by a deterministic greedy

/// First-fit greedy in competition terms: the most entangled courses
/// first, each lecture at the first period (starting from a different day
/// per lecture, to spread them) where the course, its curricula and its
/// teacher are free and the course is available, in the smallest free room
/// that seats everyone, else the largest free room.
fn greedy(p: &CttProblem) -> Vec<(String, String, usize, u32)> {
    let (days, periods) = (p.days as usize, p.periods_per_day as usize);
    let slots = days * periods;
    let mut room_busy = vec![vec![false; slots]; p.rooms.len()];
    let mut busy: BTreeMap<&str, Vec<bool>> = BTreeMap::new(); // course, curriculum or teacher
    let mut rooms_by_size: Vec<usize> = (0..p.rooms.len()).collect();
    rooms_by_size.sort_by_key(|&r| (p.rooms[r].capacity, r));
    // Most entangled first: lectures of the course and of every course
    // sharing a curriculum or the teacher with it.
    let entangled = |c: usize| -> u32 {
        let course = &p.courses[c];
        let shares = |o: &CttCourse| {
            o.teacher == course.teacher || p.curricula.iter().any(|q| q.courses.contains(&course.id) && q.courses.contains(&o.id))
        };
        p.courses.iter().filter(|o| shares(o)).map(|o| o.lectures).sum()
    };
    let mut order: Vec<usize> = (0..p.courses.len()).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(entangled(c)), c));

    let mut out = Vec::new();
    for c in order {
        let course = &p.courses[c];
        let mut owners = vec![course.id.as_str(), course.teacher.as_str()];
        owners.extend(p.curricula.iter().filter(|q| q.courses.contains(&course.id)).map(|q| q.id.as_str()));
        for lecture in 0..course.lectures as usize {
            let start = lecture * days / course.lectures as usize * periods;
            let slot = (0..slots).map(|i| (start + i) % slots).find(|&s| {
                let (d, q) = ((s / periods) as u32, (s % periods) as u32);
                owners.iter().all(|o| !busy.get(o).is_some_and(|b| b[s]))
                    && !p.unavailability.iter().any(|u| u.course == course.id && (u.day, u.period) == (d, q))
                    && room_busy.iter().any(|r| !r[s])
            });
            let s = slot.unwrap_or_else(|| panic!("greedy found no period for {}", course.id));
            let free: Vec<usize> = rooms_by_size.iter().copied().filter(|&r| !room_busy[r][s]).collect();
            let room = free.iter().copied().find(|&r| p.rooms[r].capacity >= course.students).unwrap_or(*free.last().unwrap());
            room_busy[room][s] = true;
            for o in &owners {
                busy.entry(o).or_insert_with(|| vec![false; slots])[s] = true;
            }
            out.push((course.id.clone(), p.rooms[room].id.clone(), s / periods, (s % periods) as u32));
        }
    }
    out
}

#[test]
fn comp01_greedy_timetable_costs_the_same_for_checker_and_validator() {
    let p = parse("comp01.ctt");
    let instance = to_instance(&p);
    let lectures = greedy(&p);
    let timetable = Timetable::new(lectures.iter().map(|(c, r, d, q)| place(&instance, c, r, *d, *q)).collect());
    assert_eq!(timetable.placements.len(), 160);

    let report = check(&instance, &timetable);
    assert!(report.is_feasible(), "{report:?}");
    let text = solution_text(&instance, &timetable);
    assert_eq!(text.lines().count(), 160);
    let itc = itc_validate(&p, &text);
    assert!(itc.violations.is_empty(), "{:?}", itc.violations);

    // A greedy pays in every component, so each one is really compared.
    assert!(itc.cost.room_capacity > 0, "{:?}", itc.cost);
    assert!(itc.cost.min_working_days > 0, "{:?}", itc.cost);
    assert!(itc.cost.curriculum_compactness > 0, "{:?}", itc.cost);
    assert!(itc.cost.room_stability > 0, "{:?}", itc.cost);
    assert_checker_agrees(&instance, &timetable, &itc.cost);
}

#[test]
fn two_search_workers_on_comp01_leave_a_timetable_the_validator_accepts() {
    // Two threads run the search's workers side by side (two
    // neighbourhoods a round) and merge results computed from older
    // timetables: what comes out must still meet every rule, as the ITC's
    // own rules count them. A work limit, not a clock, bounds the run.
    let p = parse("comp01.ctt");
    let instance = to_instance(&p);
    let options = SolveOptions { node_limit: Some(50), rounds: Some(2), threads: 2, ..SolveOptions::default() };
    let mut steps: Vec<String> = Vec::new();
    let outcome = common::solve_checked_with(&instance, &options, &mut |line: &str| steps.push(line.to_string()));
    let search = steps.iter().find(|l| l.starts_with("neighbourhood search:")).unwrap_or_else(|| panic!("no search in {steps:?}"));
    let solved: u64 = search.split(" sub-problems").next().and_then(|s| s.rsplit(' ').next()).and_then(|n| n.parse().ok()).expect(search);
    assert!(solved >= 4, "{search}");

    let timetable = outcome.timetable.expect("a timetable");
    assert!(check(&instance, &timetable).is_feasible());
    let itc = itc_validate(&p, &solution_text(&instance, &timetable));
    assert!(itc.violations.is_empty(), "{:?}", itc.violations);
    assert_checker_agrees(&instance, &timetable, &itc.cost);
    assert_eq!(itc.cost.total() as f64, outcome.objective.expect("priced").total());
    // comp01's published optimum is 5 (instances/itc2007-best-known.csv):
    // a solver that beat it would be pricing by a rule of its own.
    assert!(itc.cost.total() >= 5, "{:?}", itc.cost);
}
