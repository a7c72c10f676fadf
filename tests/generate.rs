//! The generator: determinism, the shape of each size, and that the planted
//! timetable is feasible, priced the same by the checker as by an
//! independent recount here, and survives a write/read round trip.

use std::collections::{BTreeMap, BTreeSet};

use classplan::check::check;
use classplan::generate::{generate, Generated, Size};
use classplan::io::{read_instance, write_instance};
use classplan::model::{AvailabilityTarget, CourseIdx, Instance, Timetable};

const SEEDS: [u64; 3] = [0, 1, 42];

#[test]
fn same_seed_gives_the_same_instance_and_timetable() {
    for size in Size::ALL {
        assert_eq!(generate(size, 7), generate(size, 7), "{size}");
    }
}

#[test]
fn different_seeds_give_different_instances() {
    for size in Size::ALL {
        let a = generate(size, 1);
        let b = generate(size, 2);
        assert_ne!(a.instance, b.instance, "{size}");
        assert_ne!(a.planted, b.planted, "{size}");
    }
}

#[test]
fn size_names_parse_and_print() {
    for size in Size::ALL {
        assert_eq!(size.to_string().parse::<Size>(), Ok(size));
    }
    assert_eq!(" YEAR ".parse::<Size>(), Ok(Size::Year));
    assert!("huge".parse::<Size>().is_err());
}

/// An inclusive range of counts.
type Range = (usize, usize);

/// Expected ranges per size: (days, sessions, cohorts, rooms, instructors).
fn expected(size: Size) -> (Range, Range, usize, Range, Range) {
    match size {
        Size::Small => ((10, 10), (25, 50), 3, (3, 5), (4, 5)),
        Size::Medium => ((20, 30), (150, 260), 8, (6, 14), (14, 14)),
        Size::Large => ((60, 60), (600, 950), 15, (12, 25), (30, 30)),
        Size::Year => ((250, 250), (4200, 5800), 40, (25, 45), (80, 80)),
    }
}

#[test]
fn every_size_has_the_promised_shape() {
    for size in Size::ALL {
        for seed in SEEDS {
            let Generated { instance, planted } = generate(size, seed);
            let what = format!("{size} seed {seed}");
            let (days, sessions, cohorts, rooms, instructors) = expected(size);
            let in_range = |v: usize, (lo, hi): (usize, usize)| lo <= v && v <= hi;
            assert!(in_range(instance.calendar.num_days(), days), "{what}: days");
            assert!(in_range(instance.num_sessions(), sessions), "{what}: {} sessions", instance.num_sessions());
            assert_eq!(instance.cohorts.len(), cohorts, "{what}");
            assert!(in_range(instance.rooms.len(), rooms), "{what}: {} rooms", instance.rooms.len());
            assert!(in_range(instance.instructors.len(), instructors), "{what}: instructors");
            assert_eq!(planted.placements.len(), instance.num_sessions(), "{what}");
            assert!(instance.calendar.days.iter().all(|d| is_iso_date(&d.label)), "{what}: day labels");

            for c in 0..instance.courses.len() {
                let eligible = instance.eligible_instructors(CourseIdx(c));
                assert!(!eligible.is_empty(), "{what}: course {} has no eligible instructor", instance.courses[c].id);
            }
            let joint = instance.courses.iter().filter(|c| c.cohorts.len() >= 2).count();
            let fixed = instance.courses.iter().filter(|c| c.instructor.is_some()).count();
            let chosen_among_several = (0..instance.courses.len())
                .filter(|&c| instance.courses[c].instructor.is_none())
                .filter(|&c| instance.eligible_instructors(CourseIdx(c)).len() >= 2)
                .count();
            assert!(joint > 0 && fixed > 0 && chosen_among_several > 0, "{what}: {joint} {fixed} {chosen_among_several}");
            assert!(instance.courses.iter().any(|c| c.min_days.is_some()), "{what}: min_days");
            let features: BTreeSet<&str> = instance.courses.iter().flat_map(|c| c.room_features.iter().map(String::as_str)).collect();
            assert!(features.contains("computers") || features.contains("lab"), "{what}: {features:?}");
            assert!(instance.cohorts.iter().any(|k| k.first_day.is_some() || k.last_day.is_some()), "{what}");
            assert!(!instance.pins.is_empty(), "{what}: pins");
            assert!(instance.pins.iter().any(|p| p.room.is_some() || p.instructor.is_some()), "{what}: bare pins only");
            assert!(instance.instructors.iter().any(|i| i.max_sessions.is_some()), "{what}: max_sessions");
            assert!(instance.instructors.iter().any(|i| i.max_per_day.is_some()), "{what}: max_per_day");

            let kinds: BTreeSet<(usize, bool)> = instance.availability.iter().map(|a| (kind(a.target), a.is_hard())).collect();
            assert_eq!(kinds.len(), 8, "{what}: availability kinds {kinds:?}");
        }
    }
}

#[test]
fn loads_are_tight_but_feasible() {
    for size in Size::ALL {
        for seed in SEEDS {
            let Generated { instance, planted } = generate(size, seed);
            let what = format!("{size} seed {seed}");
            let cal = &instance.calendar;
            let mut per_slot = vec![0usize; cal.num_slots()];
            for p in &planted.placements {
                per_slot[cal.slot_index(p.slot)] += 1;
            }
            let peak = per_slot.iter().copied().max().unwrap_or(0) as f64 / instance.rooms.len() as f64;
            assert!((0.5..=1.0).contains(&peak), "{what}: rooms {peak:.2} busy at peak");

            for (k, courses) in instance.courses_of_cohort().iter().enumerate() {
                let cohort = &instance.cohorts[k];
                let first = cohort.first_day.map_or(0, |d| d.0);
                let last = cohort.last_day.map_or(cal.num_days() - 1, |d| d.0);
                let slots: usize = (first..=last).map(|d| cal.days[d].periods as usize).sum();
                let sessions: u32 = courses.iter().map(|&c| instance.course(c).sessions).sum();
                let fill = sessions as f64 / slots as f64;
                assert!((0.4..=0.8).contains(&fill), "{what}: cohort {} fills {fill:.2}", cohort.id);
            }
        }
    }
}

#[test]
fn both_capacity_modes_occur() {
    for size in Size::ALL {
        let modes: BTreeSet<bool> = SEEDS.iter().map(|&s| generate(size, s).instance.weights.room_capacity.is_none()).collect();
        assert_eq!(modes.len(), 2, "{size}");
    }
}

#[test]
fn planted_timetable_breaks_no_rule_and_costs_what_we_recount() {
    for size in Size::ALL {
        for seed in SEEDS {
            let Generated { instance, planted } = generate(size, seed);
            let report = check(&instance, &planted);
            let messages: Vec<&str> = report.violations.iter().take(5).map(|v| v.message.as_str()).collect();
            assert!(report.violations.is_empty(), "{size} seed {seed}: {messages:?}");
            let ours = recount_cost(&instance, &planted);
            let theirs = report.cost.total();
            assert!(ours > 0.0, "{size} seed {seed}: a planted timetable should leave cost to remove");
            assert!((ours - theirs).abs() < 1e-6 * ours.max(1.0), "{size} seed {seed}: recount {ours}, checker {theirs}");
        }
    }
}

#[test]
fn written_instance_reads_back_equal() {
    for size in Size::ALL {
        let generated = generate(size, 3);
        let dir = tempfile::tempdir().expect("temporary folder");
        write_instance(&generated.instance, dir.path()).expect("write instance");
        let read = match read_instance(dir.path()) {
            Ok(read) => read,
            Err(errors) => panic!("{size}: {errors:?}"),
        };
        assert_eq!(read, generated.instance, "{size}");
    }
}

#[test]
fn year_generates_sessions() {
    // How long this takes is measured by `cargo bench --bench check`.
    let generated = generate(Size::Year, 11);
    assert!(generated.instance.num_sessions() > 4_000, "{}", generated.instance.num_sessions());
}

fn is_iso_date(label: &str) -> bool {
    let b = label.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn kind(target: AvailabilityTarget) -> usize {
    match target {
        AvailabilityTarget::Cohort(_) => 0,
        AvailabilityTarget::Instructor(_) => 1,
        AvailabilityTarget::Room(_) => 2,
        AvailabilityTarget::Course(_) => 3,
    }
}

/// The soft cost of docs/rules.md, recounted from the rules' text with
/// nothing from the checker or the model's helpers.
fn recount_cost(instance: &Instance, timetable: &Timetable) -> f64 {
    let w = &instance.weights;
    let ps = &timetable.placements;
    let students = |c: usize| {
        let course = &instance.courses[c];
        course.students.unwrap_or_else(|| course.cohorts.iter().map(|k| instance.cohorts[k.0].size).sum())
    };
    let mut total = 0.0;

    if let Some(weight) = w.room_capacity {
        for p in ps {
            let over = students(p.course.0).saturating_sub(instance.rooms[p.room.0].capacity);
            total += over as f64 * weight;
        }
    }

    let mut days: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    let mut rooms: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for p in ps {
        days.entry(p.course.0).or_default().insert(p.slot.day.0);
        rooms.entry(p.course.0).or_default().insert(p.room.0);
    }
    for (c, course) in instance.courses.iter().enumerate() {
        if let Some(min_days) = course.min_days {
            let used = days.get(&c).map_or(0, BTreeSet::len) as u32;
            total += min_days.saturating_sub(used) as f64 * w.min_days;
        }
        let distinct = rooms.get(&c).map_or(0, BTreeSet::len);
        total += distinct.saturating_sub(1) as f64 * w.room_stability;
    }

    // Per cohort, the (day, period) pairs where it is in class.
    let mut attends: BTreeMap<usize, BTreeSet<(usize, u32)>> = BTreeMap::new();
    for p in ps {
        for k in &instance.courses[p.course.0].cohorts {
            attends.entry(k.0).or_default().insert((p.slot.day.0, p.slot.period));
        }
    }
    for p in ps {
        for k in &instance.courses[p.course.0].cohorts {
            let busy = &attends[&k.0];
            let (d, q) = (p.slot.day.0, p.slot.period);
            let neighbour = busy.contains(&(d, q + 1)) || (q > 1 && busy.contains(&(d, q - 1)));
            if !neighbour {
                total += w.compactness;
            }
        }
    }

    for p in ps {
        let course = &instance.courses[p.course.0];
        for a in &instance.availability {
            let Some(weight) = a.weight else { continue };
            let about = match a.target {
                AvailabilityTarget::Course(c) => c == p.course,
                AvailabilityTarget::Cohort(k) => course.cohorts.contains(&k),
                AvailabilityTarget::Instructor(i) => i == p.instructor,
                AvailabilityTarget::Room(r) => r == p.room,
            };
            let day_in = a.first_day <= p.slot.day && p.slot.day <= a.last_day;
            let period_in = a.period.is_none_or(|q| q == p.slot.period);
            if about && day_in && period_in {
                total += weight;
            }
        }
    }
    total
}
