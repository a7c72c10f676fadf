//! The checker on FORMAT.md version 2's rules, each counted as "Counting
//! the new hard violations" says, and the two new cost components. Every
//! instance is read from CSV and every timetable from timetable.csv rows,
//! as a planner would give them to `classplan check`.

use std::fs;

use classplan::check::{check, Cost, ViolationKind as Kind};
use classplan::io::{read_instance, read_timetable};
use classplan::model::{Instance, Timetable};

/// Four teaching days; 2020-04-10 is a Friday and 2020-04-13 the Monday
/// after, one calendar row apart. Four periods a day.
const CALENDAR: &str = "day,periods\n2020-04-09,4\n2020-04-10,4\n2020-04-13,4\n2020-04-14,4\n";

fn instance(files: &[(&str, &str)]) -> Instance {
    let dir = tempfile::tempdir().unwrap();
    let defaults = [
        ("calendar.csv", CALENDAR),
        ("rooms.csv", "id,capacity,site\nr1,50,\nr2,50,\nr3,50,huyen\nr4,50,xa\n"),
        ("instructors.csv", "id,subjects\ni1,s\ni2,s\ni3,s\n"),
        ("cohorts.csv", "id,size\nk1,10\nk2,10\nk3,10\n"),
        ("courses.csv", "id,subject,cohorts,sessions\na,s,k1,1\nb,s,k2,1\nc,s,k3,1\n"),
    ];
    for (name, text) in defaults.iter().chain(files) {
        fs::write(dir.path().join(name), text).unwrap();
    }
    read_instance(dir.path()).unwrap_or_else(|e| panic!("{e}"))
}

/// `(day, period, course, instructor, room)` rows as timetable.csv.
fn timetable(inst: &Instance, rows: &[(&str, u32, &str, &str, &str)]) -> Timetable {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("day,period,course,instructor,room\n");
    for (day, period, course, instructor, room) in rows {
        csv += &format!("{day},{period},{course},{instructor},{room}\n");
    }
    let path = dir.path().join("timetable.csv");
    fs::write(&path, csv).unwrap();
    read_timetable(&path, inst).unwrap_or_else(|e| panic!("{e}"))
}

/// How many violations of `kind` the timetable has.
fn count(inst: &Instance, rows: &[(&str, u32, &str, &str, &str)], kind: Kind) -> usize {
    check(inst, &timetable(inst, rows)).violations.iter().filter(|v| v.kind == kind).count()
}

const D1: &str = "2020-04-09";
const D2: &str = "2020-04-10";
const D3: &str = "2020-04-13";
const D4: &str = "2020-04-14";

// ---- block ----

fn block_course(sessions: u32, block: u32) -> Instance {
    instance(&[("courses.csv", &format!("id,subject,cohorts,sessions,block\na,s,k1,{sessions},{block}\n"))])
}

/// Course a's sessions at these (day, period), taught by i1 in r1.
fn sessions_of_a<'a>(at: &[(&'a str, u32)]) -> Vec<(&'a str, u32, &'a str, &'a str, &'a str)> {
    at.iter().map(|&(d, p)| (d, p, "a", "i1", "r1")).collect()
}

#[test]
fn block_runs_of_whole_blocks_break_nothing() {
    let inst = block_course(4, 2);
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D2, 3), (D2, 4)]), Kind::Block), 0);
    // A run of 4 is two blocks of 2.
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D1, 3), (D1, 4)]), Kind::Block), 0);
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D1, 3), (D1, 4)]), Kind::MissingSession), 0);
}

#[test]
fn block_counts_one_per_run_whose_length_is_not_a_multiple() {
    let inst = block_course(4, 2);
    // A run of 3 and a run of 1: two violations.
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D1, 3), (D2, 1)]), Kind::Block), 2);
    // Periods 1-2 and 4 on one day: runs of 2 and 1; a run of 1 elsewhere.
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D1, 4), (D3, 2)]), Kind::Block), 2);
    // Four separate sessions: four runs of 1.
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D2, 1), (D3, 1), (D4, 1)]), Kind::Block), 4);
    // Blocks of 3 over 6 sessions: a run of 4 and a run of 2 break, a run of 3 would not.
    let inst = block_course(6, 3);
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D1, 3), (D1, 4), (D2, 1), (D2, 2)]), Kind::Block), 2);
    assert_eq!(count(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D1, 3), (D2, 2), (D2, 3), (D2, 4)]), Kind::Block), 0);
}

#[test]
fn a_block_violation_names_the_course_day_and_run() {
    let inst = block_course(4, 2);
    let report = check(&inst, &timetable(&inst, &sessions_of_a(&[(D1, 1), (D1, 2), (D1, 3), (D2, 4)])));
    let messages: Vec<String> = report.violations.iter().map(|v| v.to_string()).collect();
    assert_eq!(
        messages,
        [
            "block: Course a meets in periods 1-3 of 2020-04-09, a run of 3 periods not a multiple of its block of 2.",
            "block: Course a meets in period 4 of 2020-04-10, a run of 1 period not a multiple of its block of 2.",
        ]
    );
}

// ---- max_span_days ----

fn span_course(max: u32) -> Instance {
    instance(&[("courses.csv", &format!("id,subject,cohorts,sessions,max_span_days\na,s,k1,2,{max}\n"))])
}

#[test]
fn max_span_days_counts_calendar_rows_not_dates() {
    // Friday and Monday are adjacent rows: a span of 2.
    assert_eq!(count(&span_course(2), &sessions_of_a(&[(D2, 1), (D3, 1)]), Kind::MaxSpanDays), 0);
    // Exactly max: D1..D3 is 3 rows.
    assert_eq!(count(&span_course(3), &sessions_of_a(&[(D1, 1), (D3, 1)]), Kind::MaxSpanDays), 0);
    // One over: one violation per course, however far over.
    assert_eq!(count(&span_course(2), &sessions_of_a(&[(D1, 1), (D3, 1)]), Kind::MaxSpanDays), 1);
    assert_eq!(count(&span_course(1), &sessions_of_a(&[(D1, 1), (D4, 1)]), Kind::MaxSpanDays), 1);
    // One day is a span of 1.
    assert_eq!(count(&span_course(1), &sessions_of_a(&[(D4, 1), (D4, 3)]), Kind::MaxSpanDays), 0);
}

// ---- site ----

#[test]
fn a_cohort_at_k_sites_on_one_day_counts_k_minus_1() {
    let inst = instance(&[("courses.csv", "id,subject,cohorts,sessions\na,s,k1,1\nb,s,k1,1\nc,s,k1,1\n")]);
    // Each course its own instructor, so only the cohort moves.
    let at = |rooms: [&'static str; 3], days: [&'static str; 3]| {
        vec![(days[0], 1, "a", "i1", rooms[0]), (days[1], 2, "b", "i2", rooms[1]), (days[2], 3, "c", "i3", rooms[2])]
    };
    // r1 and r2 are both the main site.
    assert_eq!(count(&inst, &at(["r1", "r2", "r1"], [D1, D1, D1]), Kind::Site), 0);
    assert_eq!(count(&inst, &at(["r1", "r3", "r1"], [D1, D1, D1]), Kind::Site), 1);
    assert_eq!(count(&inst, &at(["r1", "r3", "r4"], [D1, D1, D1]), Kind::Site), 2);
    // Three sites on three days: no day has two.
    assert_eq!(count(&inst, &at(["r1", "r3", "r4"], [D1, D2, D3]), Kind::Site), 0);
    // Two sites, without the main one.
    assert_eq!(count(&inst, &at(["r3", "r4", "r4"], [D1, D1, D1]), Kind::Site), 1);
}

#[test]
fn an_instructor_at_two_sites_on_one_day_is_one_violation_and_names_both() {
    let inst = instance(&[]);
    let rows = [(D1, 1, "a", "i1", "r1"), (D1, 2, "b", "i1", "r3"), (D1, 3, "c", "i1", "r3")];
    let report = check(&inst, &timetable(&inst, &rows));
    let site: Vec<String> = report.violations.iter().filter(|v| v.kind == Kind::Site).map(|v| v.message.clone()).collect();
    assert_eq!(site, ["Instructor i1 is at the main site and at site huyen on 2020-04-09; one site a day (there: b and c)."]);
    // Another day for the far sessions: none.
    let rows = [(D1, 1, "a", "i1", "r1"), (D2, 2, "b", "i1", "r3"), (D2, 3, "c", "i1", "r3")];
    assert_eq!(count(&inst, &rows, Kind::Site), 0);
}

#[test]
fn the_cohort_and_the_instructor_each_count_their_own_day() {
    let inst = instance(&[("courses.csv", "id,subject,cohorts,sessions\na,s,k1,1\nb,s,k1,1\nc,s,k3,1\n")]);
    // k1 and i1 both at two sites on D1: two violations.
    let rows = [(D1, 1, "a", "i1", "r1"), (D1, 2, "b", "i1", "r3"), (D2, 1, "c", "i2", "r4")];
    assert_eq!(count(&inst, &rows, Kind::Site), 2);
}

// ---- max_days ----

fn visiting(max_days: u32) -> Instance {
    instance(&[
        ("instructors.csv", &format!("id,subjects,max_days\ni1,s,{max_days}\ni2,s,\ni3,s,\n")),
        ("courses.csv", "id,subject,cohorts,sessions\na,s,k1,4\n"),
    ])
}

#[test]
fn max_days_counts_the_excess_days() {
    let on = |days: [&'static str; 4]| days.iter().enumerate().map(|(p, &d)| (d, p as u32 + 1, "a", "i1", "r1")).collect::<Vec<_>>();
    assert_eq!(count(&visiting(2), &on([D1, D1, D2, D2]), Kind::MaxDays), 0);
    assert_eq!(count(&visiting(2), &on([D1, D2, D3, D3]), Kind::MaxDays), 1);
    assert_eq!(count(&visiting(2), &on([D1, D2, D3, D4]), Kind::MaxDays), 2);
    assert_eq!(count(&visiting(4), &on([D1, D2, D3, D4]), Kind::MaxDays), 0);
    // Another instructor's days are not theirs.
    let rows = [(D1, 1, "a", "i2", "r1"), (D2, 2, "a", "i2", "r1"), (D3, 3, "a", "i2", "r1"), (D4, 4, "a", "i2", "r1")];
    assert_eq!(count(&visiting(1), &rows, Kind::MaxDays), 0);
}

// ---- relations ----

fn related(relations: &str) -> Instance {
    instance(&[("relations.csv", relations)])
}

#[test]
fn before_counts_one_per_adjacent_pair_that_fails() {
    let inst = related("kind,courses\nbefore,a b c\n");
    let at = |a: (&'static str, u32), b: (&'static str, u32), c: (&'static str, u32)| {
        vec![(a.0, a.1, "a", "i1", "r1"), (b.0, b.1, "b", "i2", "r2"), (c.0, c.1, "c", "i3", "r3")]
    };
    // Same day, earlier period: in order.
    assert_eq!(count(&inst, &at((D1, 1), (D1, 2), (D2, 1)), Kind::Before), 0);
    // b after c: the pair (b, c) fails.
    assert_eq!(count(&inst, &at((D1, 1), (D3, 1), (D2, 1)), Kind::Before), 1);
    // The same period is not earlier.
    assert_eq!(count(&inst, &at((D1, 1), (D1, 1), (D2, 1)), Kind::Before), 1);
    // Reversed: both pairs fail. (a, c) is no pair of its own.
    assert_eq!(count(&inst, &at((D3, 1), (D2, 1), (D1, 1)), Kind::Before), 2);
}

#[test]
fn before_needs_every_session_of_a_before_every_session_of_b() {
    let inst =
        instance(&[("courses.csv", "id,subject,cohorts,sessions\na,s,k1,2\nb,s,k2,2\n"), ("relations.csv", "kind,courses\nbefore,a b\n")]);
    let ok = [(D1, 1, "a", "i1", "r1"), (D1, 2, "a", "i1", "r1"), (D1, 3, "b", "i2", "r2"), (D2, 1, "b", "i2", "r2")];
    assert_eq!(count(&inst, &ok, Kind::Before), 0);
    let interleaved = [(D1, 1, "a", "i1", "r1"), (D2, 2, "a", "i1", "r1"), (D1, 3, "b", "i2", "r2"), (D2, 3, "b", "i2", "r2")];
    assert_eq!(count(&inst, &interleaved, Kind::Before), 1);
}

#[test]
fn different_days_counts_k_minus_1_per_day() {
    let inst = related("kind,courses\ndifferent_days,a b c\n");
    let on = |days: [&'static str; 3]| vec![(days[0], 1, "a", "i1", "r1"), (days[1], 2, "b", "i2", "r2"), (days[2], 3, "c", "i3", "r3")];
    assert_eq!(count(&inst, &on([D1, D2, D3]), Kind::DifferentDays), 0);
    assert_eq!(count(&inst, &on([D1, D1, D3]), Kind::DifferentDays), 1);
    assert_eq!(count(&inst, &on([D1, D1, D1]), Kind::DifferentDays), 2);
}

#[test]
fn not_overlap_counts_k_minus_1_per_period() {
    let inst = related("kind,courses\nnot_overlap,a b c\n");
    let at =
        |periods: [u32; 3]| vec![(D1, periods[0], "a", "i1", "r1"), (D1, periods[1], "b", "i2", "r2"), (D1, periods[2], "c", "i3", "r3")];
    // The same day is fine; only the same period counts.
    assert_eq!(count(&inst, &at([1, 2, 3]), Kind::NotOverlap), 0);
    assert_eq!(count(&inst, &at([1, 1, 3]), Kind::NotOverlap), 1);
    assert_eq!(count(&inst, &at([2, 2, 2]), Kind::NotOverlap), 2);
    // Nothing is shared, so no other rule sees the overlap.
    assert_eq!(check(&inst, &timetable(&inst, &at([2, 2, 2]))).violations.len(), 2);
}

// ---- costs ----

#[test]
fn a_soft_relation_costs_its_weight_per_violation_and_breaks_no_hard_rule() {
    let inst = related("kind,courses,weight\nnot_overlap,a b c,2.5\ndifferent_days,a b,4\n");
    let rows = [(D1, 2, "a", "i1", "r1"), (D1, 2, "b", "i2", "r2"), (D1, 2, "c", "i3", "r3")];
    let report = check(&inst, &timetable(&inst, &rows));
    assert!(report.is_feasible(), "{:?}", report.violations);
    // not_overlap: 2 x 2.5; different_days: 1 x 4.
    assert_eq!(report.cost.relations, 9.0);
    let apart = [(D1, 1, "a", "i1", "r1"), (D2, 2, "b", "i2", "r2"), (D1, 3, "c", "i3", "r3")];
    assert_eq!(check(&inst, &timetable(&inst, &apart)).cost.relations, 0.0);
}

#[test]
fn teaching_quota_costs_each_session_below_min_sessions() {
    let inst = instance(&[
        ("instructors.csv", "id,subjects,min_sessions\ni1,s,3\ni2,s,1\ni3,s,\n"),
        ("courses.csv", "id,subject,cohorts,sessions\na,s,k1,2\nb,s,k2,1\n"),
        ("weights.csv", "name,weight\nteaching_quota,1.5\n"),
    ]);
    // i1 teaches 2 of 3 (1 short), i2 none of 1 (1 short), i3 has no quota.
    let rows = [(D1, 1, "a", "i1", "r1"), (D1, 2, "a", "i1", "r1"), (D1, 1, "b", "i3", "r2")];
    let cost = check(&inst, &timetable(&inst, &rows)).cost;
    assert_eq!(cost.teaching_quota, 3.0);
    // Quotas met.
    let rows = [(D1, 1, "a", "i1", "r1"), (D1, 2, "a", "i1", "r1"), (D1, 1, "b", "i2", "r2")];
    assert_eq!(check(&inst, &timetable(&inst, &rows)).cost.teaching_quota, 1.5);
    // Default weight 1.
    let inst = instance(&[("instructors.csv", "id,subjects,min_sessions\ni1,s,2\ni2,s,\ni3,s,\n")]);
    assert_eq!(check(&inst, &timetable(&inst, &[(D1, 1, "a", "i1", "r1")])).cost.teaching_quota, 1.0);
}

#[test]
fn cost_components_come_in_format_order_and_add_up() {
    assert_eq!(Cost::NAMES, ["room_capacity", "min_days", "compactness", "room_stability", "availability", "teaching_quota", "relations"]);
    let cost = Cost {
        room_capacity: 1.0,
        min_days: 2.0,
        compactness: 4.0,
        room_stability: 8.0,
        availability: 16.0,
        teaching_quota: 32.0,
        relations: 64.0,
    };
    assert_eq!(cost.total(), 127.0);
    let json = cost.to_json();
    for (name, value) in cost.components() {
        assert_eq!(json[name].as_f64(), Some(value), "{name}");
    }
    assert_eq!(json["total"].as_f64(), Some(127.0));
    // A summary written before version 2 still reads, with the new
    // components at 0.
    let old: Cost =
        serde_json::from_str(r#"{"room_capacity":1,"min_days":2,"compactness":4,"room_stability":8,"availability":16}"#).unwrap();
    assert_eq!((old.teaching_quota, old.relations, old.total()), (0.0, 0.0, 31.0));
}

#[test]
fn check_prints_every_component_and_its_json_holds_the_new_violations() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("calendar.csv", CALENDAR),
        ("rooms.csv", "id,capacity,site\nr1,50,\nr3,50,huyen\n"),
        ("instructors.csv", "id,subjects,min_sessions\ni1,s,3\n"),
        ("cohorts.csv", "id,size\nk1,10\n"),
        ("courses.csv", "id,subject,cohorts,sessions\na,s,k1,1\nb,s,k1,1\n"),
        ("relations.csv", "kind,courses,weight\nbefore,b a,2\n"),
    ];
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    // Outside the instance folder: a .csv there that is no instance file is refused.
    let elsewhere = tempfile::tempdir().unwrap();
    let tt = elsewhere.path().join("plan.csv");
    fs::write(&tt, "day,period,course,instructor,room\n2020-04-09,1,a,i1,r1\n2020-04-09,2,b,i1,r3\n").unwrap();
    let run = |json: bool| {
        let mut args = vec!["check".to_string(), dir.path().display().to_string(), tt.display().to_string()];
        if json {
            args.push("--json".into());
        }
        std::process::Command::new(env!("CARGO_BIN_EXE_classplan")).args(&args).output().unwrap()
    };
    let out = run(false);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Cohort k1 and instructor i1 both change site; compactness 0, quota
    // 1 short, before (b, a) broken once at 2.
    assert!(stdout.contains("2 hard violation(s)"), "{stdout}");
    assert!(
        stdout.contains(
            "cost 3 = room_capacity 0 + min_days 0 + compactness 0 + room_stability 0 + availability 0 + teaching_quota 1 + relations 2"
        ),
        "{stdout}"
    );
    let json: serde_json::Value = serde_json::from_slice(&run(true).stdout).unwrap();
    let kinds: Vec<&str> = json["violations"].as_array().unwrap().iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["site", "site"]);
    assert_eq!(json["cost"]["teaching_quota"].as_f64(), Some(1.0));
    assert_eq!(json["cost"]["relations"].as_f64(), Some(2.0));
    assert_eq!(json["cost"]["total"].as_f64(), Some(3.0));
}

#[test]
fn relation_violations_name_their_courses_and_where() {
    let inst = related("kind,courses\nbefore,a b\ndifferent_days,a b c\n");
    let rows = [(D2, 1, "a", "i1", "r1"), (D2, 1, "b", "i2", "r2"), (D2, 3, "c", "i3", "r3")];
    let report = check(&inst, &timetable(&inst, &rows));
    let json: Vec<serde_json::Value> = report.violations.iter().map(|v| v.to_json(&inst)).collect();
    let shown: Vec<(&str, &str, serde_json::Value)> =
        json.iter().map(|v| (v["type"].as_str().unwrap(), v["message"].as_str().unwrap(), v["courses"].clone())).collect();
    assert_eq!(
        shown,
        [
            (
                "before",
                "Course a must end before course b starts, but a has a session on 2020-04-10 period 1 and b one on 2020-04-10 period 1.",
                serde_json::json!(["a", "b"])
            ),
            (
                "different_days",
                "Courses a, b and c must meet on different days, but three of them meet on 2020-04-10.",
                serde_json::json!(["a", "b"])
            ),
            (
                "different_days",
                "Courses a, b and c must meet on different days, but three of them meet on 2020-04-10.",
                serde_json::json!(["a", "c"])
            ),
        ]
    );
    assert_eq!(json[1]["day"], "2020-04-10");
}
