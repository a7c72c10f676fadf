//! The optimizer, judged by the independent checker: every timetable it
//! writes has no hard violation and costs exactly what it reports.

use std::path::Path;

use classplan::check;
use classplan::generate::{generate, Size};
use classplan::io::read_instance;
use classplan::model::Instance;
use classplan::solve::{solve, Baseline, Method, SolveOptions, SolveOutcome, Status};

fn shipped(name: &str) -> Instance {
    read_instance(&Path::new(env!("CARGO_MANIFEST_DIR")).join("instances").join(name)).unwrap()
}

/// Solves and re-checks: no violation, and the checker's cost equals the
/// reported objective component by component.
fn solve_checked(instance: &Instance, options: &SolveOptions) -> SolveOutcome {
    let outcome = solve(instance, options, &mut |_| {}).expect("the solver runs");
    let timetable = outcome.timetable.as_ref().expect("a timetable");
    let report = check::check(instance, timetable);
    assert!(report.violations.is_empty(), "violations: {:#?}", report.violations);
    let objective = outcome.objective.expect("an objective");
    let cost = report.cost;
    for (name, solver, checker) in [
        ("room_capacity", objective.cost.room_capacity, cost.room_capacity),
        ("min_days", objective.cost.min_days, cost.min_days),
        ("compactness", objective.cost.compactness, cost.compactness),
        ("room_stability", objective.cost.room_stability, cost.room_stability),
        ("availability", objective.cost.availability, cost.availability),
    ] {
        assert!((solver - checker).abs() < 1e-6, "{name}: solver {solver}, checker {checker}");
    }
    assert_eq!(timetable.placements.len(), instance.num_sessions());
    outcome
}

fn options(time_limit: f64) -> SolveOptions {
    SolveOptions { time_limit: Some(time_limit), threads: 2, ..SolveOptions::default() }
}

#[test]
fn tiny_is_solved_to_its_known_optimum() {
    // docs/format.md explains why 4 is optimal: each class has 5 sessions in
    // 6 periods, so one session per class is always isolated.
    let outcome = solve_checked(&shipped("tiny"), &options(60.0));
    assert_eq!(outcome.status, Status::Optimal);
    assert_eq!(outcome.objective.unwrap().total(), 4.0);
    assert_eq!(outcome.gap, Some(0.0));
}

#[test]
fn ben_tre_2020_is_proven_optimal() {
    let outcome = solve_checked(&shipped("ben-tre-2020"), &options(300.0));
    assert_eq!(outcome.status, Status::Optimal, "gap {:?}", outcome.gap);
}

#[test]
fn toy_itc_is_solved_optimally() {
    let outcome = solve_checked(&shipped("toy-itc"), &options(120.0));
    assert_eq!(outcome.status, Status::Optimal);
}

#[test]
fn generated_instances_are_solved_and_beat_their_planted_timetable() {
    for (size, seed, limit) in [(Size::Small, 1, 60.0), (Size::Small, 2, 60.0), (Size::Medium, 1, 90.0)] {
        let g = generate(size, seed);
        let planted = check::cost(&g.instance, &g.planted).total();
        let outcome = solve_checked(&g.instance, &options(limit));
        let found = outcome.objective.unwrap().total();
        assert!(found <= planted + 1e-9, "{size} seed {seed}: found {found}, planted {planted}");
        if let Some(bound) = outcome.bound {
            assert!(bound <= found + 1e-6, "bound {bound} above the cost {found}");
        }
    }
}

#[test]
fn clocked_runs_that_prove_optimality_agree_on_the_cost() {
    // Under a clock, where a stage stops depends on the machine's load
    // (stage caps are clocked), so the timetable is promised only under a
    // node limit; two proven optima still cost the same.
    let g = generate(Size::Small, 3);
    let one = SolveOptions { threads: 1, ..options(60.0) };
    let a = solve_checked(&g.instance, &one);
    let b = solve_checked(&g.instance, &one);
    assert_eq!(a.status, Status::Optimal, "small seed 3 is proven within 60 s");
    let (optimum, other) = (a.objective.unwrap().total(), b.objective.unwrap().total());
    if b.status == Status::Optimal {
        assert!((optimum - other).abs() <= 1e-6, "two proven optima: {optimum} and {other}");
    } else {
        assert!(other >= optimum - 1e-6, "{other} beats the proven optimum {optimum}");
    }
}

#[test]
fn node_limit_is_deterministic() {
    let g = generate(Size::Small, 2);
    let opts = SolveOptions { node_limit: Some(20), threads: 2, ..SolveOptions::default() };
    let a = solve(&g.instance, &opts, &mut |_| {}).unwrap();
    let b = solve(&g.instance, &opts, &mut |_| {}).unwrap();
    assert_eq!(a.timetable, b.timetable);
    assert_eq!(a.objective, b.objective);
}

/// Under a work limit the thread count changes how fast, not what: one
/// and two threads give the same timetable. ben-tre-2020 is the instance
/// on which they used to differ.
#[test]
fn node_limit_gives_the_same_timetable_with_one_or_two_threads() {
    let inst = shipped("ben-tre-2020");
    let work = |threads| SolveOptions { node_limit: Some(50), rounds: Some(8), threads, ..SolveOptions::default() };
    let one = solve_checked(&inst, &work(1));
    let two = solve_checked(&inst, &work(2));
    assert_eq!(one.timetable, two.timetable);
    assert_eq!(one.objective, two.objective);
}

#[test]
fn infeasible_instance_is_reported_as_such() {
    let inst = read_instance(&Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/infeasible/cohort-overload")).unwrap();
    let outcome = solve(&inst, &options(60.0), &mut |_| {}).unwrap();
    assert_eq!(outcome.status, Status::Infeasible);
    assert!(outcome.timetable.is_none());
}

#[test]
fn baseline_keeps_an_unchanged_plan_in_place() {
    // Repairing a plan that needs no repair must move nothing.
    let inst = shipped("tiny");
    let first = solve_checked(&inst, &options(60.0));
    let baseline = Baseline { timetable: first.timetable.clone().unwrap(), move_weight: 10.0 };
    let again = solve_checked(&inst, &SolveOptions { baseline: Some(baseline), ..options(60.0) });
    assert_eq!(again.objective.unwrap().perturbation, 0.0);
    assert_eq!(again.timetable, first.timetable);
}

/// A baseline session whose room or instructor cell was empty keeps its
/// time, with only what the baseline gave to keep: the plan it came from
/// still needs no change.
#[test]
fn a_baseline_with_rooms_and_instructors_to_decide_keeps_its_times() {
    use classplan::model::{Timetable, UndecidedPlacement};
    let inst = shipped("tiny");
    let first = solve_checked(&inst, &options(60.0)).timetable.unwrap();
    let mut open = Timetable::default();
    for (n, p) in first.placements.iter().enumerate() {
        let (room, instructor) = if n % 2 == 0 { (None, Some(p.instructor)) } else { (Some(p.room), None) };
        open.undecided.push(UndecidedPlacement { line: n + 2, course: p.course, slot: p.slot, room, instructor });
    }
    let baseline = Baseline { timetable: open, move_weight: 10.0 };
    let again = solve_checked(&inst, &SolveOptions { baseline: Some(baseline), ..options(60.0) });
    assert_eq!(again.objective.unwrap().perturbation, 0.0);
    let times = |t: &Timetable| {
        let mut v: Vec<_> = t.placements.iter().map(|p| (p.course, p.slot)).collect();
        v.sort();
        v
    };
    assert_eq!(times(&again.timetable.unwrap()), times(&first));
}

#[test]
fn the_construction_meets_every_hard_rule_when_it_succeeds() {
    let mut built = 0;
    for size in [Size::Small, Size::Medium, Size::Large, Size::Year] {
        for seed in 1..=3 {
            let g = generate(size, seed);
            let made = classplan::solve::construct(&g.instance);
            if let Some(t) = made {
                let report = check::check(&g.instance, &t);
                assert!(report.violations.is_empty(), "{size} seed {seed}: {:#?}", &report.violations[..report.violations.len().min(5)]);
                built += 1;
            }
        }
    }
    // Without repair the greedy gets stuck on the larger sizes (measured: it
    // completes small 1-2 and medium 1); the MIP covers those.
    assert!(built >= 2, "the construction succeeded on only {built} of 12");
}

/// A pin on a period the course's cohort is blocked contradicts itself: the
/// solver must say infeasible, not place the session there anyway.
#[test]
fn a_pin_on_a_blocked_period_is_infeasible_not_placed() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/tiny");
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    // tiny pins chinh-tri (cohorts bt-xa and ct-xa) to 2020-05-04 period 1.
    let availability = dir.path().join("availability.csv");
    let mut text = std::fs::read_to_string(&availability).unwrap();
    text.push_str("cohort,bt-xa,2020-05-04,1,\n");
    std::fs::write(&availability, text).unwrap();
    let inst = read_instance(dir.path()).unwrap();
    let outcome = solve(&inst, &SolveOptions { time_limit: Some(30.0), ..SolveOptions::default() }, &mut |_| {}).unwrap();
    assert_eq!(outcome.status, Status::Infeasible);
    assert!(outcome.timetable.is_none());
    let findings = check::diagnose(&inst);
    assert!(findings.iter().any(|f| f.message.contains("chinh-tri")), "{findings:?}");
}

/// HiGHS sizes a scheduler per OS thread on the first solve there and fails
/// a later solve on that thread with another thread count. A caller that
/// solves twice with different `threads` (one solve then a one-thread
/// search inline) must still get two checked timetables.
#[test]
fn one_thread_can_solve_with_two_threads_then_with_one() {
    let inst = shipped("tiny");
    let two = solve_checked(&inst, &SolveOptions { threads: 2, ..options(60.0) });
    let one = solve_checked(&inst, &SolveOptions { threads: 1, ..options(60.0) });
    let two_again = solve_checked(&inst, &SolveOptions { threads: 2, ..options(60.0) });
    for outcome in [&two, &one, &two_again] {
        assert_eq!(outcome.status, Status::Optimal);
        assert_eq!(outcome.objective.unwrap().total(), 4.0);
    }
}

/// The integer programs alone (the benchmarks' comparison method) still
/// give a checked timetable, and the optimum on a small plan.
#[test]
fn the_monolithic_method_solves_without_the_search() {
    let outcome = solve_checked(&shipped("tiny"), &SolveOptions { method: Method::Monolithic, ..options(60.0) });
    assert_eq!(outcome.status, Status::Optimal);
    assert_eq!(outcome.objective.unwrap().total(), 4.0);
    // Small seed 1 is not proven by the two-stage model alone, so the
    // default method searches there (the control) and the monolithic one
    // must not.
    let g = generate(Size::Small, 1);
    let planted = check::cost(&g.instance, &g.planted).total();
    let searched = |method: Method, opts: SolveOptions| {
        let mut lines = Vec::new();
        let outcome = solve(&g.instance, &SolveOptions { method, ..opts }, &mut |l| lines.push(l.to_string())).unwrap();
        let report = check::check(&g.instance, outcome.timetable.as_ref().expect("a timetable"));
        assert!(report.violations.is_empty());
        assert!(report.cost.total() <= planted + 1e-9);
        lines.iter().any(|l| l.starts_with("neighbourhood search"))
    };
    let work = SolveOptions { node_limit: Some(50), rounds: Some(2), threads: 2, ..SolveOptions::default() };
    assert!(searched(Method::Search, work.clone()));
    assert!(!searched(Method::Monolithic, work));
}

#[test]
fn method_names_read_back_and_unknown_ones_are_refused() {
    assert_eq!(Method::parse_list("search,monolithic"), Ok(vec![Method::Search, Method::Monolithic]));
    for m in [Method::Search, Method::Monolithic] {
        assert_eq!(Method::parse_list(m.name()), Ok(vec![m]));
    }
    assert!(Method::parse_list("search,fast").is_err());
}
