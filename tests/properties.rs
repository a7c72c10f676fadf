//! Properties of the whole pipeline over generated instances
//! (`generate::generate(Size::Small, seed)` for random seeds):
//! - every timetable the solver returns passes the independent checker, and
//!   the solver's reported cost is the checker's cost;
//! - timetable.csv written and read back is the same timetable;
//! - that timetable, given back as pins (FORMAT.md: "a timetable is a full
//!   set of pins"), is what the solver then returns;
//! - the same seed and node limit give the same timetable;
//! - a scenario that adds rows and removes them again is the base.
//!
//! Every solve runs under a node limit and goes through `tests/common`,
//! which re-checks it. The pure-Rust solver has no node limit, so builds
//! with only microlp keep a clock (20 s a solve) and run just two cases.

mod common;

use std::fmt::Write as _;
use std::fs;

use classplan::generate::{generate, Size};
use classplan::io;
use classplan::model::{Instance, Timetable};
use classplan::solve::{Backend, SolveOptions, SolveOutcome, Status};
use proptest::prelude::*;

fn options(seed: u64) -> SolveOptions {
    let backend = Backend::default_available();
    let time_limit = (backend == Backend::Microlp).then_some(20.0);
    SolveOptions { node_limit: Some(50), rounds: Some(8), time_limit, seed, backend, ..SolveOptions::default() }
}

/// Generated instances are built around a feasible timetable, so a
/// timetable is owed; `common` re-checks it.
fn solve(instance: &Instance, seed: u64) -> SolveOutcome {
    common::solve_checked(instance, &options(seed))
}

/// pins.csv holding every placement, with room and instructor fixed.
fn pins_csv(instance: &Instance, timetable: &Timetable) -> String {
    let mut out = String::from("course,day,period,room,instructor\n");
    for p in &timetable.placements {
        writeln!(
            out,
            "{},{},{},{},{}",
            instance.courses[p.course.0].id,
            instance.calendar.label(p.slot.day),
            p.slot.period,
            instance.rooms[p.room.0].id,
            instance.instructors[p.instructor.0].id
        )
        .unwrap();
    }
    out
}

fn cases() -> u32 {
    if Backend::default_available() == Backend::Highs {
        4
    } else {
        2
    }
}

proptest! {
    // No shrinking: a smaller seed is not a simpler instance, and each
    // retry costs three solves.
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 0,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn solver_timetables_check_round_trip_pin_back_and_repeat(gen_seed in 0u64..1_000_000, solver_seed in 0u64..4) {
        let instance = generate(Size::Small, gen_seed).instance;
        let outcome = solve(&instance, solver_seed);
        // Generated instances are built around a feasible timetable.
        prop_assert!(matches!(outcome.status, Status::Optimal | Status::Feasible), "status {:?}", outcome.status);
        let timetable = outcome.timetable.clone().expect("a feasible outcome has a timetable");

        let dir = tempfile::tempdir().unwrap();
        let csv = io::timetable_csv(&instance, &timetable);
        let path = dir.path().join("timetable.csv");
        fs::write(&path, &csv).unwrap();
        prop_assert_eq!(&io::read_timetable(&path, &instance).expect("its own output reads"), &timetable);

        let pinned_dir = dir.path().join("pinned");
        io::write_instance(&instance, &pinned_dir).unwrap();
        fs::write(pinned_dir.join("pins.csv"), pins_csv(&instance, &timetable)).unwrap();
        let pinned = io::read_instance(&pinned_dir).expect("the pinned instance reads");
        prop_assert_eq!(pinned.pins.len(), timetable.placements.len());
        let repinned = solve(&pinned, solver_seed);
        prop_assert_eq!(repinned.timetable.as_ref(), Some(&timetable));

        // The same seed and node limit give the same timetable (the
        // pure-Rust solver runs under a clock, where nothing is promised).
        if options(solver_seed).time_limit.is_none() {
            let again = solve(&instance, solver_seed);
            prop_assert_eq!(again.timetable.as_ref(), Some(&timetable), "same seed and node limit, different timetable");
            prop_assert_eq!(again.objective, outcome.objective);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, max_shrink_iters: 0, ..ProptestConfig::default() })]

    /// A scenario that adds a room, a lecturer, a class and its course, and
    /// removes them again in its remove.csv, is the base instance.
    #[test]
    fn scenario_merge_then_remove_restores_the_base(seed in 0u64..10_000) {
        let generated = generate(Size::Small, seed);
        let root = tempfile::tempdir().unwrap();
        let base = root.path().join("base");
        let scenario = root.path().join("added-then-removed");
        fs::create_dir_all(&base).unwrap();
        fs::create_dir_all(&scenario).unwrap();
        io::write_instance(&generated.instance, &base).unwrap();
        let subject = &generated.instance.courses[0].subject;
        let files = [
            ("rooms.csv", "id,name,capacity\nzz-room,Extra room,33\n".to_string()),
            ("instructors.csv", format!("id,name,subjects\nzz-lecturer,Extra lecturer,{subject}\n")),
            ("cohorts.csv", "id,name,size\nzz-class,Extra class,20\n".to_string()),
            ("courses.csv", format!("id,subject,cohorts,sessions\nzz-course,{subject},zz-class,2\n")),
            ("remove.csv", "kind,id\ncourse,zz-course\ncohort,zz-class\ninstructor,zz-lecturer\nroom,zz-room\n".to_string()),
        ];
        for (name, text) in files {
            fs::write(scenario.join(name), text).unwrap();
        }
        let merged = classplan::scenario::read_scenario(&base, &scenario).unwrap_or_else(|e| panic!("{e}"));
        let original = io::read_instance(&base).unwrap();
        prop_assert_eq!(merged, original);
    }
}
