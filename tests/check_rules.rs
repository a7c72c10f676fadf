//! The checker, rule by rule: a small instance, a clean timetable that
//! passes, and for each hard rule a timetable that breaks only that rule.
//! Then hand-computed costs, and diagnosis of over-constrained instances.

use std::path::Path;

use classplan::check::{check, cost, diagnose, ConflictGraph, ConflictReason, FindingKind, ViolationKind as Kind};
use classplan::model::{
    Availability, AvailabilityTarget, Calendar, Cohort, CohortIdx, Course, CourseIdx, Day, DayIdx, Instance, Instructor, InstructorIdx,
    Pin, Placement, Room, RoomIdx, Slot, Timetable, UndecidedPlacement, UnresolvedRow, Weights,
};

const DAYS: [&str; 3] = ["2020-04-06", "2020-04-07", "2020-04-08"];

/// Builds instances by id, so tests read like the CSV files they stand for.
struct Builder(Instance);

impl Builder {
    /// Three days of two periods, nothing else.
    fn new() -> Self {
        let days = DAYS.iter().map(|d| Day { label: d.to_string(), periods: 2 }).collect();
        Builder(Instance { calendar: Calendar::new(days), ..Instance::default() })
    }

    fn room(mut self, id: &str, capacity: u32, features: &[&str]) -> Self {
        self.0.rooms.push(Room {
            id: id.into(),
            name: String::new(),
            capacity,
            features: features.iter().map(|f| f.to_string()).collect(),
            site: String::new(),
        });
        self
    }

    fn instructor(mut self, id: &str, subjects: &[&str]) -> Self {
        self.0.instructors.push(Instructor {
            id: id.into(),
            name: String::new(),
            subjects: subjects.iter().map(|s| s.to_string()).collect(),
            max_sessions: None,
            max_per_day: None,
            max_days: None,
            min_sessions: None,
        });
        self
    }

    fn cohort(mut self, id: &str, size: u32) -> Self {
        self.0.cohorts.push(Cohort { id: id.into(), name: String::new(), size, first_day: None, last_day: None });
        self
    }

    fn course(mut self, id: &str, subject: &str, cohorts: &[&str], sessions: u32) -> Self {
        let cohorts = cohorts.iter().map(|k| cohort(&self.0, k)).collect();
        self.0.courses.push(Course {
            id: id.into(),
            name: String::new(),
            subject: subject.into(),
            cohorts,
            sessions,
            min_days: None,
            instructor: None,
            students: None,
            room_features: Default::default(),
            block: None,
            max_span_days: None,
        });
        self
    }

    /// Edits the course added last.
    fn with(mut self, edit: impl FnOnce(&mut Course, &Instance)) -> Self {
        let mut course = self.0.courses.pop().expect("a course to edit");
        edit(&mut course, &self.0);
        self.0.courses.push(course);
        self
    }

    fn build(self) -> Instance {
        self.0
    }
}

fn course(inst: &Instance, id: &str) -> CourseIdx {
    CourseIdx(inst.courses.iter().position(|c| c.id == id).unwrap_or_else(|| panic!("no course {id}")))
}
fn cohort(inst: &Instance, id: &str) -> CohortIdx {
    CohortIdx(inst.cohorts.iter().position(|c| c.id == id).unwrap_or_else(|| panic!("no cohort {id}")))
}
fn instructor(inst: &Instance, id: &str) -> InstructorIdx {
    InstructorIdx(inst.instructors.iter().position(|c| c.id == id).unwrap_or_else(|| panic!("no instructor {id}")))
}
fn room(inst: &Instance, id: &str) -> RoomIdx {
    RoomIdx(inst.rooms.iter().position(|c| c.id == id).unwrap_or_else(|| panic!("no room {id}")))
}
fn day(label: &str) -> DayIdx {
    DayIdx(DAYS.iter().position(|d| *d == label).unwrap_or_else(|| panic!("no day {label}")))
}
fn slot(label: &str, period: u32) -> Slot {
    Slot { day: day(label), period }
}

/// Hard (`weight` None) or soft availability of one target.
fn unavailable(target: AvailabilityTarget, from: &str, to: &str, period: Option<u32>, weight: Option<f64>) -> Availability {
    Availability { target, first_day: day(from), last_day: day(to), period, weight }
}

/// `C1 2020-04-06 1 H2 I1`
fn place(inst: &Instance, row: &str) -> Placement {
    let f: Vec<&str> = row.split_whitespace().collect();
    Placement {
        course: course(inst, f[0]),
        slot: slot(f[1], f[2].parse().expect("a period")),
        room: room(inst, f[3]),
        instructor: instructor(inst, f[4]),
    }
}

fn timetable(inst: &Instance, rows: &[&str]) -> Timetable {
    Timetable::new(rows.iter().map(|r| place(inst, r)).collect())
}

/// Two cohorts; C1 (math, K1, 2 sessions), C2 (law, K1, fixed to I2, 2
/// sessions), C3 (math, K2, 1 session, needs a projector).
fn base() -> Instance {
    Builder::new()
        .room("H1", 30, &["projector"])
        .room("H2", 20, &[])
        .instructor("I1", &["math"])
        .instructor("I2", &["law"])
        .instructor("I3", &["math"])
        .cohort("K1", 20)
        .cohort("K2", 10)
        .course("C1", "math", &["K1"], 2)
        .course("C2", "law", &["K1"], 2)
        .with(|c, inst| c.instructor = Some(instructor(inst, "I2")))
        .course("C3", "math", &["K2"], 1)
        .with(|c, _| c.room_features = ["projector".to_string()].into())
        .build()
}

const CLEAN: [&str; 5] =
    ["C1 2020-04-06 1 H2 I1", "C1 2020-04-06 2 H2 I1", "C2 2020-04-07 1 H1 I2", "C2 2020-04-07 2 H1 I2", "C3 2020-04-08 1 H1 I3"];

/// CLEAN with the rows starting like `replace[i]`'s first three fields
/// (course, day, period) swapped for it, `drop` rows removed, `add` added.
fn variant(inst: &Instance, replace: &[(&str, &str)], add: &[&str]) -> Timetable {
    let mut rows: Vec<String> = CLEAN.iter().map(|r| r.to_string()).collect();
    for (old, new) in replace {
        let at = rows.iter().position(|r| r == old).unwrap_or_else(|| panic!("no row {old}"));
        if new.is_empty() {
            rows.remove(at);
        } else {
            rows[at] = new.to_string();
        }
    }
    rows.extend(add.iter().map(|r| r.to_string()));
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    timetable(inst, &rows)
}

/// Checks and asserts every violation is of `kind`, returning the messages.
fn only(inst: &Instance, tt: &Timetable, kind: Kind) -> Vec<String> {
    let report = check(inst, tt);
    assert!(!report.violations.is_empty(), "expected {kind} violations, found none");
    for v in &report.violations {
        assert_eq!(v.kind, kind, "unexpected violation: {}", v.message);
    }
    report.violations.into_iter().map(|v| v.message).collect()
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{message:?} does not mention {part:?}");
    }
}

#[test]
fn clean_timetable_passes() {
    let inst = base();
    let report = check(&inst, &timetable(&inst, &CLEAN));
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(diagnose(&inst).is_empty());
}

#[test]
fn missing_session() {
    let inst = base();
    let msgs = only(&inst, &variant(&inst, &[("C1 2020-04-06 2 H2 I1", "")], &[]), Kind::MissingSession);
    assert_eq!(msgs, ["Course C1 has 1 of its 2 sessions placed: 1 missing."]);
}

#[test]
fn extra_session() {
    let inst = base();
    let msgs = only(&inst, &variant(&inst, &[], &["C3 2020-04-08 2 H1 I3"]), Kind::ExtraSession);
    assert_eq!(msgs, ["Course C3 has 2 sessions placed but needs only 1: 1 extra."]);
}

#[test]
fn course_double_booked() {
    let inst = base();
    let tt = variant(&inst, &[("C1 2020-04-06 2 H2 I1", "C1 2020-04-06 1 H1 I1")], &[]);
    let msgs = only(&inst, &tt, Kind::CourseDoubleBooked);
    assert_eq!(msgs.len(), 1);
    assert_mentions(&msgs[0], &["Course C1", "two sessions", "2020-04-06 period 1"]);
}

#[test]
fn room_clash() {
    let inst = base();
    let tt = variant(&inst, &[("C3 2020-04-08 1 H1 I3", "C3 2020-04-07 1 H1 I3")], &[]);
    let msgs = only(&inst, &tt, Kind::RoomClash);
    assert_eq!(msgs, ["Room H1 holds two sessions on 2020-04-07 period 1: courses C2 and C3."]);
}

#[test]
fn cohort_clash() {
    let inst = base();
    let tt = variant(&inst, &[("C2 2020-04-07 1 H1 I2", "C2 2020-04-06 1 H1 I2")], &[]);
    let msgs = only(&inst, &tt, Kind::CohortClash);
    assert_eq!(msgs, ["Cohort K1 has two sessions on 2020-04-06 period 1: courses C1 and C2."]);
}

#[test]
fn instructor_clash() {
    let inst = base();
    let tt = variant(&inst, &[("C3 2020-04-08 1 H1 I3", "C3 2020-04-06 1 H1 I1")], &[]);
    let msgs = only(&inst, &tt, Kind::InstructorClash);
    assert_eq!(msgs, ["Instructor I1 teaches two sessions on 2020-04-06 period 1: courses C1 and C3."]);
}

#[test]
fn unavailable_for_each_kind_of_target() {
    let mut inst = base();
    let tt = timetable(&inst, &CLEAN);
    let i1 = AvailabilityTarget::Instructor(instructor(&inst, "I1"));
    let h1 = AvailabilityTarget::Room(room(&inst, "H1"));
    let k2 = AvailabilityTarget::Cohort(cohort(&inst, "K2"));
    let c2 = AvailabilityTarget::Course(course(&inst, "C2"));
    inst.availability = vec![
        unavailable(i1, "2020-04-06", "2020-04-06", Some(1), None),
        unavailable(h1, "2020-04-07", "2020-04-07", Some(2), None),
        unavailable(k2, "2020-04-08", "2020-04-08", None, None),
        unavailable(c2, "2020-04-07", "2020-04-08", Some(1), None),
        // Soft rows never make a violation.
        unavailable(i1, "2020-04-06", "2020-04-08", None, Some(4.0)),
    ];
    let msgs = only(&inst, &tt, Kind::Unavailable);
    assert_eq!(
        msgs,
        [
            "Course C1 is placed on 2020-04-06 period 1, when instructor I1 is unavailable.",
            "Course C2 is placed on 2020-04-07 period 1, when the course itself is unavailable.",
            "Course C2 is placed on 2020-04-07 period 2, when room H1 is unavailable.",
            "Course C3 is placed on 2020-04-08 period 1, when cohort K2 is unavailable.",
        ]
    );
}

#[test]
fn outside_window() {
    let mut inst = base();
    inst.cohorts[1].first_day = Some(day("2020-04-06"));
    inst.cohorts[1].last_day = Some(day("2020-04-07"));
    let msgs = only(&inst, &timetable(&inst, &CLEAN), Kind::OutsideWindow);
    assert_eq!(msgs, ["Course C3 is placed on 2020-04-08 period 1, outside cohort K2's window 2020-04-06..2020-04-07."]);
}

#[test]
fn missing_room_feature() {
    let inst = base();
    let tt = variant(&inst, &[("C3 2020-04-08 1 H1 I3", "C3 2020-04-08 1 H2 I3")], &[]);
    let msgs = only(&inst, &tt, Kind::MissingRoomFeature);
    assert_eq!(msgs, ["Room H2 lacks projector needed by course C3 on 2020-04-08 period 1."]);
}

#[test]
fn unqualified_instructor_for_the_subject() {
    let inst = base();
    let tt = variant(&inst, &[("C1 2020-04-06 1 H2 I1", "C1 2020-04-06 1 H2 I2"), ("C1 2020-04-06 2 H2 I1", "C1 2020-04-06 2 H2 I2")], &[]);
    let msgs = only(&inst, &tt, Kind::UnqualifiedInstructor);
    assert_eq!(
        msgs,
        ["Instructor I2 teaches 2 sessions of course C1 (first on 2020-04-06 period 1) but is not qualified for its subject math."]
    );
}

#[test]
fn unqualified_instructor_other_than_the_fixed_one() {
    let inst = base();
    let tt = variant(&inst, &[("C2 2020-04-07 1 H1 I2", "C2 2020-04-07 1 H1 I3"), ("C2 2020-04-07 2 H1 I2", "C2 2020-04-07 2 H1 I3")], &[]);
    let msgs = only(&inst, &tt, Kind::UnqualifiedInstructor);
    assert_eq!(msgs, ["Course C2 is fixed to instructor I2, but instructor I3 teaches 2 sessions of it (first on 2020-04-07 period 1)."]);
}

#[test]
fn instructor_changed() {
    let inst = base();
    let tt = variant(&inst, &[("C1 2020-04-06 2 H2 I1", "C1 2020-04-06 2 H2 I3")], &[]);
    let msgs = only(&inst, &tt, Kind::InstructorChanged);
    assert_eq!(msgs, ["Course C1 is taught by 2 instructors (I1 and I3); one instructor must teach all its sessions."]);
}

#[test]
fn max_sessions() {
    let mut inst = base();
    inst.instructors[0].max_sessions = Some(1);
    let msgs = only(&inst, &timetable(&inst, &CLEAN), Kind::MaxSessions);
    assert_eq!(msgs, ["Instructor I1 teaches 2 sessions, more than their max_sessions of 1."]);
    inst.instructors[0].max_sessions = Some(2);
    assert!(check(&inst, &timetable(&inst, &CLEAN)).is_feasible());
}

#[test]
fn max_per_day() {
    let mut inst = base();
    inst.instructors[0].max_per_day = Some(1);
    let report = check(&inst, &timetable(&inst, &CLEAN));
    let msgs = only(&inst, &timetable(&inst, &CLEAN), Kind::MaxPerDay);
    assert_eq!(msgs, ["Instructor I1 teaches two sessions on 2020-04-06, more than their max_per_day of 1."]);
    assert_eq!(report.violations[0].day, Some(day("2020-04-06")));
    assert_eq!(report.violations[0].slot, None);
}

#[test]
fn pin_not_respected() {
    let mut inst = base();
    let tt = timetable(&inst, &CLEAN);
    let (c1, c2) = (course(&inst, "C1"), course(&inst, "C2"));
    let (h1, h2, i2) = (room(&inst, "H1"), room(&inst, "H2"), instructor(&inst, "I2"));
    // Respected pins: slot only, and slot with room and instructor.
    inst.pins = vec![
        Pin { course: c1, slot: slot("2020-04-06", 2), room: None, instructor: None },
        Pin { course: c2, slot: slot("2020-04-07", 1), room: Some(h1), instructor: Some(i2) },
    ];
    assert!(check(&inst, &tt).is_feasible());
    inst.pins.push(Pin { course: c1, slot: slot("2020-04-07", 1), room: None, instructor: None });
    inst.pins.push(Pin { course: c2, slot: slot("2020-04-07", 2), room: Some(h2), instructor: None });
    let msgs = only(&inst, &tt, Kind::PinNotRespected);
    assert_eq!(
        msgs,
        [
            "Course C1 is pinned to 2020-04-07 period 1, but the course has no session there.",
            "Course C2 is pinned to 2020-04-07 period 2 in room H2, but its session there is in room H1 with instructor I2.",
        ]
    );
}

#[test]
fn room_too_small_only_when_capacity_is_hard() {
    let mut inst = base();
    inst.courses[0].students = Some(25);
    let tt = timetable(&inst, &CLEAN);
    let msgs = only(&inst, &tt, Kind::RoomTooSmall);
    assert_eq!(
        msgs,
        [
            "Room H2 seats 20, but course C1 has 25 students on 2020-04-06 period 1.",
            "Room H2 seats 20, but course C1 has 25 students on 2020-04-06 period 2.",
        ]
    );
    inst.weights.room_capacity = Some(1.0);
    assert!(check(&inst, &tt).is_feasible());
}

/// A session left with an empty room or instructor cell is a session of
/// its course (no missing_session) that lacks what is empty.
#[test]
fn missing_room_and_missing_instructor() {
    let inst = base();
    let at = |day, period| Slot { day: DayIdx(day), period };
    let mut tt = variant(&inst, &[("C1 2020-04-06 2 H2 I1", "")], &[]);
    let i1 = Some(instructor(&inst, "I1"));
    tt.undecided.push(UndecidedPlacement { line: 3, course: course(&inst, "C1"), slot: at(0, 2), room: None, instructor: i1 });
    assert_eq!(only(&inst, &tt, Kind::MissingRoom), ["Course C1 has a session on 2020-04-06 period 2 with no room (timetable line 3)."]);

    let mut tt = variant(&inst, &[("C3 2020-04-08 1 H1 I3", "")], &[]);
    tt.undecided.push(UndecidedPlacement { line: 6, course: course(&inst, "C3"), slot: at(2, 1), room: None, instructor: None });
    let report = check(&inst, &tt);
    let found: Vec<(Kind, &str)> = report.violations.iter().map(|v| (v.kind, v.message.as_str())).collect();
    assert_eq!(
        found,
        [
            (Kind::MissingRoom, "Course C3 has a session on 2020-04-08 period 1 with no room (timetable line 6)."),
            (Kind::MissingInstructor, "Course C3 has a session on 2020-04-08 period 1 with no instructor (timetable line 6)."),
        ]
    );
    let json = report.to_json(&inst);
    assert_eq!(json["feasible"], false);
    assert_eq!(json["violations"][1]["type"], "missing_instructor");
    assert_eq!(json["violations"][1]["courses"], serde_json::json!(["C3"]));
    assert_eq!(json["violations"][1]["day"], "2020-04-08");
}

/// A session still to decide takes part in the rules that do not need what
/// it lacks: filling its room must not reveal a clash that was already there.
#[test]
fn a_session_to_decide_takes_part_in_the_rules_it_can() {
    let inst = base();
    let at = |day, period| Slot { day: DayIdx(day), period };
    // C1's second session moved onto C2's period (both attended by K1),
    // with its room to decide; and C3 with no instructor in C2's room.
    let mut tt = variant(&inst, &[("C1 2020-04-06 2 H2 I1", ""), ("C3 2020-04-08 1 H1 I3", "")], &[]);
    let i1 = Some(instructor(&inst, "I1"));
    tt.undecided.push(UndecidedPlacement { line: 3, course: course(&inst, "C1"), slot: at(1, 1), room: None, instructor: i1 });
    tt.undecided.push(UndecidedPlacement {
        line: 6,
        course: course(&inst, "C3"),
        slot: at(1, 2),
        room: Some(RoomIdx(0)),
        instructor: None,
    });
    let found: Vec<(Kind, String)> = check(&inst, &tt).violations.into_iter().map(|v| (v.kind, v.message)).collect();
    let expected = [
        (Kind::MissingRoom, "Course C1 has a session on 2020-04-07 period 1 with no room (timetable line 3)."),
        (Kind::MissingInstructor, "Course C3 has a session on 2020-04-07 period 2 with no instructor (timetable line 6)."),
        (Kind::RoomClash, "Room H1 holds two sessions on 2020-04-07 period 2: courses C2 and C3."),
        (Kind::CohortClash, "Cohort K1 has two sessions on 2020-04-07 period 1: courses C1 and C2."),
    ];
    assert_eq!(found, expected.map(|(k, m)| (k, m.to_string())));
}

#[test]
fn unknown_id() {
    let inst = base();
    let mut tt = timetable(&inst, &CLEAN);
    tt.unresolved.push(UnresolvedRow { line: 7, column: "room".into(), value: "H9".into() });
    let msgs = only(&inst, &tt, Kind::UnknownId);
    assert_eq!(msgs, ["Timetable line 7 names room 'H9', which the instance does not have."]);
}

#[test]
fn placement_with_foreign_indices_is_reported_not_a_panic() {
    let inst = base();
    let mut tt = timetable(&inst, &CLEAN);
    tt.placements.push(Placement {
        course: CourseIdx(0),
        slot: Slot { day: DayIdx(9), period: 1 },
        room: RoomIdx(42),
        instructor: InstructorIdx(0),
    });
    let msgs = only(&inst, &tt, Kind::UnknownId);
    assert_eq!(msgs, ["A placement of course C1 names room #42 and day #9 period 1, which the instance does not have."]);
}

#[test]
fn violations_are_sorted_by_kind_then_slot() {
    let inst = base();
    // A room clash on day 2 and a cohort clash on day 1, plus C1 short.
    let tt = variant(
        &inst,
        &[
            ("C3 2020-04-08 1 H1 I3", "C3 2020-04-07 2 H1 I3"),
            ("C1 2020-04-06 2 H2 I1", ""),
            ("C2 2020-04-07 1 H1 I2", "C2 2020-04-06 1 H1 I2"),
        ],
        &[],
    );
    let kinds: Vec<Kind> = check(&inst, &tt).violations.iter().map(|v| v.kind).collect();
    assert_eq!(kinds, [Kind::MissingSession, Kind::RoomClash, Kind::CohortClash]);
}

#[test]
fn json_uses_ids_and_day_labels() {
    let inst = base();
    let tt = variant(&inst, &[("C3 2020-04-08 1 H1 I3", "C3 2020-04-07 1 H1 I3")], &[]);
    let report = check(&inst, &tt);
    let json = report.to_json(&inst);
    assert_eq!(json["feasible"], false);
    let v = &json["violations"][0];
    assert_eq!(v["type"], "room_clash");
    assert_eq!(v["day"], "2020-04-07");
    assert_eq!(v["period"], 1);
    assert_eq!(v["courses"], serde_json::json!(["C2", "C3"]));
    assert_eq!(v["rooms"], serde_json::json!(["H1"]));
    assert_eq!(json["cost"]["total"], report.cost.total());
    // The derived form uses positions and the same type names.
    let raw = serde_json::to_value(&report).expect("serializable");
    assert_eq!(raw["violations"][0]["type"], "room_clash");
    assert_eq!(raw["violations"][0]["rooms"], serde_json::json!([0]));
}

// ---- costs, computed by hand -------------------------------------------

#[test]
fn cost_of_the_clean_timetable_is_one_isolated_session() {
    let inst = base();
    let c = cost(&inst, &timetable(&inst, &CLEAN));
    // Only C3 (K2, alone on 2020-04-08) is isolated: 1 x compactness 2.
    assert_eq!((c.room_capacity, c.min_days, c.compactness, c.room_stability, c.availability), (0.0, 0.0, 2.0, 0.0, 0.0));
    assert_eq!(c.total(), 2.0);
}

#[test]
fn cost_room_capacity_counts_each_student_over_when_soft() {
    let mut inst = base();
    inst.courses[0].students = Some(26);
    let tt = timetable(&inst, &CLEAN);
    // Hard capacity: a violation, no cost.
    assert_eq!(cost(&inst, &tt).room_capacity, 0.0);
    inst.weights.room_capacity = Some(1.5);
    // C1: 26 students in H2 (20 seats), twice: 6 x 2 x 1.5.
    assert_eq!(cost(&inst, &tt).room_capacity, 18.0);
}

#[test]
fn cost_min_days_counts_each_day_short() {
    let mut inst = base();
    inst.courses[0].min_days = Some(2); // C1 uses one day: 1 short
    inst.courses[1].min_days = Some(3); // C2 uses one day: 2 short
    inst.courses[2].min_days = Some(1); // C3 uses one day: none short
    let tt = timetable(&inst, &CLEAN);
    assert_eq!(cost(&inst, &tt).min_days, 15.0);
    inst.weights.min_days = 2.0;
    assert_eq!(cost(&inst, &tt).min_days, 6.0);
}

#[test]
fn cost_compactness_is_counted_per_cohort() {
    let mut inst = base();
    let rows =
        ["C1 2020-04-06 1 H2 I1", "C1 2020-04-07 1 H2 I1", "C2 2020-04-06 2 H1 I2", "C2 2020-04-08 2 H1 I2", "C3 2020-04-08 1 H1 I3"];
    let tt = timetable(&inst, &rows);
    // K1: 04-06 p1/p2 adjacent, 04-07 p1 and 04-08 p2 isolated; K2: C3 isolated.
    assert_eq!(cost(&inst, &tt).compactness, 3.0 * 2.0);
    // With C3 attended by K1 too, K1's 04-08 p2 now has C3 beside it, but
    // C3 stays isolated for K2: K1 1 + K2 1.
    let k1 = cohort(&inst, "K1");
    inst.courses[2].cohorts.insert(0, k1);
    assert_eq!(cost(&inst, &tt).compactness, 2.0 * 2.0);
    inst.weights.compactness = 0.5;
    assert_eq!(cost(&inst, &tt).compactness, 1.0);
}

#[test]
fn cost_room_stability_counts_rooms_beyond_the_first() {
    let mut inst = base();
    let tt = variant(&inst, &[("C1 2020-04-06 2 H2 I1", "C1 2020-04-06 2 H1 I1"), ("C2 2020-04-07 2 H1 I2", "C2 2020-04-07 2 H2 I2")], &[]);
    assert_eq!(cost(&inst, &tt).room_stability, 2.0);
    inst.weights.room_stability = 3.0;
    assert_eq!(cost(&inst, &tt).room_stability, 6.0);
}

#[test]
fn cost_availability_adds_up_every_soft_row() {
    let mut inst = base();
    let c1 = AvailabilityTarget::Course(course(&inst, "C1"));
    let k1 = AvailabilityTarget::Cohort(cohort(&inst, "K1"));
    let i1 = AvailabilityTarget::Instructor(instructor(&inst, "I1"));
    let h2 = AvailabilityTarget::Room(room(&inst, "H2"));
    let k2 = AvailabilityTarget::Cohort(cohort(&inst, "K2"));
    inst.availability = vec![
        unavailable(k1, "2020-04-06", "2020-04-06", None, Some(2.0)),
        unavailable(k1, "2020-04-06", "2020-04-07", Some(2), Some(1.0)),
        unavailable(i1, "2020-04-06", "2020-04-06", Some(1), Some(3.0)),
        unavailable(h2, "2020-04-06", "2020-04-07", Some(2), Some(0.5)),
        unavailable(c1, "2020-04-06", "2020-04-06", None, Some(1.0)),
        // K2's row covers no placement of K2 (C3 is on 2020-04-08).
        unavailable(k2, "2020-04-06", "2020-04-07", None, Some(7.0)),
    ];
    let c = cost(&inst, &timetable(&inst, &CLEAN));
    // C1 04-06 p1: K1 2 + I1 3 + C1 1 = 6
    // C1 04-06 p2: K1 2 + K1 1 + H2 0.5 + C1 1 = 4.5
    // C2 04-07 p2: K1 1 (room H1, not H2) = 1
    assert_eq!(c.availability, 11.5);
    assert_eq!(c.total(), 11.5 + 2.0);
}

// ---- diagnosis ------------------------------------------------------------

fn kinds(inst: &Instance) -> Vec<FindingKind> {
    let findings = diagnose(inst);
    assert!(findings.iter().all(|f| f.proves_infeasible));
    findings.iter().map(|f| f.kind).collect()
}

#[test]
fn diagnose_cohort_overload() {
    let mut inst = base();
    inst.courses[0].sessions = 5; // K1 now needs 7 of its 6 periods
    let findings = diagnose(&inst);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, FindingKind::CohortOverload);
    assert_mentions(
        &findings[0].message,
        &["Cohort K1", "7 sessions", "C1 and C2", "only 6 free periods", "2020-04-06..2020-04-08", "cut 1 session"],
    );
}

#[test]
fn diagnose_course_overload_counts_hard_rows_of_its_people() {
    let mut inst = base();
    let i2 = AvailabilityTarget::Instructor(instructor(&inst, "I2"));
    inst.availability.push(unavailable(i2, "2020-04-06", "2020-04-07", None, None));
    inst.availability.push(unavailable(i2, "2020-04-08", "2020-04-08", Some(1), None));
    let findings = diagnose(&inst);
    assert_eq!(findings.iter().map(|f| f.kind).collect::<Vec<_>>(), [FindingKind::CourseOverload], "{findings:?}");
    assert_mentions(
        &findings[0].message,
        &["Course C2 needs 2 sessions", "only 1 period is open", "2020-04-06..2020-04-08 has 6 periods", "5 blocked", "instructor I2"],
    );
}

#[test]
fn diagnose_instructor_limits() {
    let mut inst = base();
    inst.courses[0].instructor = Some(instructor(&inst, "I1"));
    inst.courses[2].instructor = Some(instructor(&inst, "I1"));
    inst.instructors[0].max_sessions = Some(2);
    inst.instructors[0].max_per_day = Some(1);
    let found = kinds(&inst);
    assert_eq!(found, [FindingKind::InstructorMaxSessions]);
    let message = &diagnose(&inst)[0].message;
    assert_mentions(message, &["Instructor I1", "3 sessions", "C1 and C3", "max_sessions is 2"]);

    inst.instructors[0].max_sessions = None;
    let i1 = AvailabilityTarget::Instructor(instructor(&inst, "I1"));
    inst.availability.push(unavailable(i1, "2020-04-07", "2020-04-08", None, None));
    // Free only on 2020-04-06 with max_per_day 1: one session at most.
    let found = kinds(&inst);
    assert!(found.contains(&FindingKind::InstructorMaxPerDay), "{found:?}");
    assert!(found.contains(&FindingKind::InstructorOverload), "{found:?}");
}

#[test]
fn diagnose_room_shortage_by_feature_and_by_size() {
    let mut inst = base();
    inst.courses[0].room_features = ["projector".to_string()].into();
    inst.courses[0].sessions = 4;
    inst.courses[1].room_features = ["projector".to_string()].into();
    // C1 4 + C2 2 + C3 1 = 7 projector sessions, H1 has 6 periods. K1 is
    // overloaded too (6 of 6 + ...): keep it within by moving C2 to K2.
    inst.courses[1].cohorts = vec![cohort(&inst, "K2")];
    let findings = diagnose(&inst);
    assert_eq!(findings.iter().map(|f| f.kind).collect::<Vec<_>>(), [FindingKind::RoomShortage], "{findings:?}");
    assert_mentions(&findings[0].message, &["C1, C2 and C3", "with projector", "7 sessions", "1 such room (H1)", "6 free periods"]);

    let mut inst = base();
    inst.cohorts[0].size = 25; // C1 and C2 now fit only H1, which holds 6 periods
    inst.courses[0].sessions = 4;
    inst.courses[2].room_features.clear();
    inst.cohorts[1].size = 25;
    let findings = diagnose(&inst);
    assert_eq!(findings.iter().map(|f| f.kind).collect::<Vec<_>>(), [FindingKind::RoomShortage], "{findings:?}");
    assert_mentions(&findings[0].message, &["seating at least 25", "7 sessions", "H1"]);
    // With capacity soft, size is a cost, not a shortage.
    inst.weights = Weights { room_capacity: Some(1.0), ..Weights::default() };
    assert!(diagnose(&inst).is_empty());
}

#[test]
fn diagnose_clique_overload_across_cohorts_and_an_instructor() {
    // A and B share K1, B and C share K2, A and C share fixed instructor
    // I1: together 7 sessions in 6 periods, though each cohort and the
    // instructor alone fit.
    let inst = Builder::new()
        .room("R1", 50, &[])
        .room("R2", 50, &[])
        .instructor("I1", &["x"])
        .instructor("I2", &["x"])
        .cohort("K1", 5)
        .cohort("K2", 5)
        .course("A", "x", &["K1"], 2)
        .with(|c, inst| c.instructor = Some(instructor(inst, "I1")))
        .course("B", "x", &["K1", "K2"], 3)
        .with(|c, inst| c.instructor = Some(instructor(inst, "I2")))
        .course("C", "x", &["K2"], 2)
        .with(|c, inst| c.instructor = Some(instructor(inst, "I1")))
        .build();
    let findings = diagnose(&inst);
    assert_eq!(findings.iter().map(|f| f.kind).collect::<Vec<_>>(), [FindingKind::CliqueOverload], "{findings:?}");
    assert_mentions(&findings[0].message, &["A, B and C", "cohort K1", "cohort K2", "instructor I1", "7 sessions", "6 periods"]);
}

#[test]
fn diagnose_no_eligible_instructor() {
    let mut inst = base();
    inst.instructors[0].max_sessions = Some(1); // I1: room for 1, C1 needs 2
    let i3 = AvailabilityTarget::Instructor(instructor(&inst, "I3"));
    inst.availability.push(unavailable(i3, "2020-04-06", "2020-04-07", None, None));
    inst.courses.pop(); // C3, the other math course
    inst.courses[0].sessions = 3; // I3 is free only on 2020-04-08: 2 periods
    let findings = diagnose(&inst);
    assert_eq!(findings.iter().map(|f| f.kind).collect::<Vec<_>>(), [FindingKind::NoEligibleInstructor], "{findings:?}");
    assert_mentions(
        &findings[0].message,
        &["Course C1", "I1 has room for only 1 more session", "I3 is free in only 2 of the course's open periods"],
    );

    let mut inst = base();
    inst.instructors[0].subjects.clear();
    inst.instructors[2].subjects.clear();
    let findings = diagnose(&inst);
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert_mentions(&findings[0].message, &["No instructor is qualified for subject math of course C1"]);
}

#[test]
fn diagnose_pin_conflicts() {
    let mut inst = base();
    let (c1, c2, c3) = (course(&inst, "C1"), course(&inst, "C2"), course(&inst, "C3"));
    let (h1, h2, i1, i3) = (room(&inst, "H1"), room(&inst, "H2"), instructor(&inst, "I1"), instructor(&inst, "I3"));
    let k1 = AvailabilityTarget::Cohort(cohort(&inst, "K1"));
    inst.availability.push(unavailable(k1, "2020-04-08", "2020-04-08", Some(2), None));
    inst.pins = vec![
        // Blocked for K1.
        Pin { course: c1, slot: slot("2020-04-08", 2), room: None, instructor: None },
        // C3 needs a projector, H2 has none.
        Pin { course: c3, slot: slot("2020-04-06", 1), room: Some(h2), instructor: None },
        // C2 is fixed to I2.
        Pin { course: c2, slot: slot("2020-04-07", 1), room: None, instructor: Some(i1) },
        // C1 and C2 in the same room at once, and both with K1.
        Pin { course: c1, slot: slot("2020-04-07", 2), room: Some(h1), instructor: Some(i3) },
        Pin { course: c2, slot: slot("2020-04-07", 2), room: Some(h1), instructor: None },
    ];
    let findings = diagnose(&inst);
    let pins: Vec<&str> = findings.iter().filter(|f| f.kind == FindingKind::PinConflict).map(|f| f.message.as_str()).collect();
    assert_eq!(pins.len(), 4, "{findings:?}");
    assert_mentions(pins[0], &["Pin of course C1 on 2020-04-08 period 2", "cohort K1 marked unavailable"]);
    assert_mentions(pins[1], &["course C3 on 2020-04-06 period 1", "room H2 lacks projector"]);
    assert_mentions(pins[2], &["C2", "names instructor I1 but the course is fixed to I2"]);
    assert_mentions(pins[3], &["Courses C1 and C2", "2020-04-07 period 2", "room H1 and cohort K1"]);
}

#[test]
fn diagnose_leaves_a_tight_but_feasible_instance_alone() {
    // Every cohort period and H1 period used, instructors at their limits.
    let mut inst = base();
    inst.courses[0].sessions = 4;
    inst.instructors[0].max_sessions = Some(4);
    inst.instructors[0].max_per_day = Some(2);
    inst.rooms.truncate(1);
    inst.courses.pop();
    assert!(diagnose(&inst).is_empty(), "{:?}", diagnose(&inst));
}

/// Issue #9: thousands of courses of one cohort form one clique of the
/// conflict graph. Diagnosis used to pair them all up (37 s at 1,000
/// courses, minutes and gigabytes at 5,000); it must still find the
/// overload, and the graph must still know every conflict.
#[test]
fn diagnose_thousands_of_courses_of_one_cohort() {
    const N: usize = 5000;
    let mut builder = Builder::new().room("R1", 50, &[]).cohort("K1", 10);
    for n in 0..N {
        builder = builder.instructor(&format!("I{n}"), &["x"]);
    }
    for n in 0..N {
        builder = builder.course(&format!("C{n}"), "x", &["K1"], 1);
        // Every other course has its own fixed lecturer too: it still
        // conflicts with exactly the courses of K1.
        if n % 2 == 0 {
            builder = builder.with(|c, inst| c.instructor = Some(instructor(inst, &format!("I{n}"))));
        }
    }
    let inst = builder.build();

    let findings = diagnose(&inst);
    // The one room is free whenever the cohort is: time is short, not
    // rooms, and a room finding would only echo the cohort's.
    assert_eq!(kinds(&inst), [FindingKind::CohortOverload], "{findings:?}");
    assert_mentions(
        &findings[0].message,
        &["Cohort K1 must attend 5000 sessions", "C0, C1, C2, C3, C4, C5 and 4994 more", "only 6 free periods"],
    );
    assert_mentions(&findings[0].message, &["cut 4994 sessions"]);

    let graph = ConflictGraph::new(&inst);
    assert_eq!(graph.num_conflicts(), N * (N - 1) / 2);
    let all: Vec<CourseIdx> = (0..N).map(CourseIdx).collect();
    assert_eq!(graph.maximal_cliques(2), vec![all.clone()]);
    assert_eq!(graph.neighbours(CourseIdx(7)).collect::<Vec<_>>(), [&all[..7], &all[8..]].concat());
    assert_eq!(graph.reasons(CourseIdx(0), CourseIdx(2)), [ConflictReason::Cohort(cohort(&inst, "K1"))]);
}

// ---- the infeasible instance folders ----------------------------------------

#[test]
fn infeasible_folders_are_diagnosed() {
    let expected = [
        ("cohort-overload", FindingKind::CohortOverload),
        ("instructor-overload", FindingKind::InstructorMaxSessions),
        ("feature-room-shortage", FindingKind::RoomShortage),
        ("clique-overload", FindingKind::CliqueOverload),
        ("no-eligible-instructor", FindingKind::NoEligibleInstructor),
        ("pin-on-blocked-slot", FindingKind::PinConflict),
        ("course-too-few-periods", FindingKind::CourseOverload),
        ("feature-no-room-has", FindingKind::NoSuitableRoom),
        ("no-room-seats-the-class", FindingKind::NoSuitableRoom),
        ("pin-outside-window", FindingKind::PinConflict),
        ("pin-room-too-small", FindingKind::PinConflict),
        ("pins-share-a-room", FindingKind::PinConflict),
        ("only-qualified-max-sessions", FindingKind::QualifiedOverload),
        ("only-qualified-max-per-day", FindingKind::QualifiedOverload),
        ("two-lecturers-max-sessions", FindingKind::QualifiedOverload),
        ("whole-courses-do-not-fit", FindingKind::QualifiedOverload),
        ("lab-busy-in-short-windows", FindingKind::RoomShortage),
        ("two-needs-share-the-lab", FindingKind::RoomShortage),
        ("pins-over-max-per-day", FindingKind::PinConflict),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/infeasible");
    for (name, kind) in expected {
        let inst = classplan::io::read_instance(&root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let findings = diagnose(&inst);
        assert!(findings.iter().any(|f| f.kind == kind && f.proves_infeasible), "{name}: expected {kind:?}, found {findings:?}");
    }
}

// ---- generated instances: no false alarms, and fast -------------------------

#[test]
fn planted_timetables_pass_and_their_instances_raise_no_finding() {
    use classplan::generate::{generate, Size};
    for size in [Size::Small, Size::Medium, Size::Large] {
        for seed in 0..4 {
            let g = generate(size, seed);
            let report = check(&g.instance, &g.planted);
            assert!(report.is_feasible(), "{size} seed {seed}: {:?}", report.violations.first());
            let findings = diagnose(&g.instance);
            assert!(findings.is_empty(), "{size} seed {seed}: {findings:?}");
        }
    }
}

#[test]
fn a_year_checks_clean_and_raises_no_finding() {
    // How long this takes is measured by `cargo bench --bench check`.
    use classplan::generate::{generate, Size};
    let g = generate(Size::Year, 1);
    let report = check(&g.instance, &g.planted);
    assert!(report.is_feasible(), "{:?}", report.violations.first());
    let findings = diagnose(&g.instance);
    assert!(findings.is_empty(), "{findings:?}");
}
