//! The one way tests solve: every solve, in the library or through the
//! binary, goes through here, and every timetable it gives back is re-read
//! and re-checked by the independent checker (`classplan::check`) before a
//! test sees it. A solve that owes a timetable and gives none fails here,
//! so two "same timetable" comparisons cannot pass on two Nones.
//!
//! Used with `mod common;`; each test file uses part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use classplan::check;
use classplan::io;
use classplan::model::{Instance, Timetable};
use classplan::run::{self, Status as RunStatus, Summary};
use classplan::solve::{self, Objective, SolveOptions, SolveOutcome, Status};

/// Slack for comparing costs that are sums of weights.
pub const EPS: f64 = 1e-6;

/// The repository's `instances/` folder.
pub fn instances() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances")
}

/// A shipped instance, read.
pub fn shipped(name: &str) -> Instance {
    io::read_instance(&instances().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// An instance folder or ITC-2007 `.ctt` file, read as the binary reads it.
pub fn load(path: &Path) -> Instance {
    let read =
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ctt")) { io::ctt::read_ctt(path) } else { io::read_instance(path) };
    read.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `timetable` meets every hard rule of `instance` and places every
/// session; with an objective, the checker prices it as the solver did,
/// component by component.
pub fn assert_valid(instance: &Instance, timetable: &Timetable, objective: Option<&Objective>) {
    let report = check::check(instance, timetable);
    assert!(report.violations.is_empty(), "the checker finds violations: {:#?}", &report.violations[..report.violations.len().min(10)]);
    assert_eq!(timetable.placements.len(), instance.num_sessions(), "not every session is placed");
    if let Some(objective) = objective {
        let (solver, checker) = (&objective.cost, &report.cost);
        for (name, s, c) in [
            ("room_capacity", solver.room_capacity, checker.room_capacity),
            ("min_days", solver.min_days, checker.min_days),
            ("compactness", solver.compactness, checker.compactness),
            ("room_stability", solver.room_stability, checker.room_stability),
            ("availability", solver.availability, checker.availability),
        ] {
            assert!((s - c).abs() < EPS, "{name}: solver {s}, checker {c}");
        }
        assert!((objective.total() - report.cost.total()).abs() < EPS);
    }
}

/// What the outcome says of itself holds together: a solved status comes
/// with a timetable and an objective, the bound is below the objective and
/// the gap is the one they give.
fn assert_consistent(outcome: &SolveOutcome) {
    if matches!(outcome.status, Status::Optimal | Status::Feasible) {
        assert!(outcome.timetable.is_some() && outcome.objective.is_some(), "status {:?} without a timetable", outcome.status);
    }
    assert_eq!(outcome.timetable.is_some(), outcome.objective.is_some(), "a timetable comes with its objective");
    if let (Some(objective), Some(bound)) = (outcome.objective, outcome.bound) {
        assert!(bound <= objective.minimised() + EPS, "bound {bound} above the objective {}", objective.minimised());
    }
    assert_gap(outcome.objective.map(|o| o.minimised()), outcome.bound, outcome.gap);
    if outcome.status == Status::Optimal {
        assert!(outcome.gap.is_some_and(|g| g <= 1e-4), "optimal with gap {:?}", outcome.gap);
    }
}

/// `0 <= gap <= 1`, and the gap is `(objective - bound) / objective`.
pub fn assert_gap(objective: Option<f64>, bound: Option<f64>, gap: Option<f64>) {
    let Some(gap) = gap else { return };
    assert!((0.0..=1.0).contains(&gap), "gap {gap} outside [0, 1]");
    let (objective, bound) = (objective.expect("a gap needs an objective"), bound.expect("a gap needs a bound"));
    assert!(bound <= objective + EPS, "bound {bound} above the objective {objective}");
    let expected = if objective.abs() < 1e-9 { 0.0 } else { ((objective - bound) / objective.abs()).max(0.0) };
    assert!((gap - expected).abs() < 1e-6, "gap {gap}, but objective {objective} and bound {bound} give {expected}");
}

/// Solves where a timetable is owed (the instance has one and the limits
/// allow finding it): fails without one, and re-checks it.
pub fn solve_checked(instance: &Instance, options: &SolveOptions) -> SolveOutcome {
    solve_checked_with(instance, options, &mut |_| {})
}

/// [`solve_checked`], passing the solver's progress lines to `steps`.
pub fn solve_checked_with(instance: &Instance, options: &SolveOptions, steps: &mut dyn FnMut(&str)) -> SolveOutcome {
    let outcome = solve_any_with(instance, options, steps);
    assert!(outcome.timetable.is_some(), "no timetable where one is owed: status {:?}", outcome.status);
    outcome
}

/// Solves where a timetable may or may not come (an infeasible instance, a
/// scenario that may break it): whatever comes is re-checked, and a solved
/// status must come with a timetable.
pub fn solve_any(instance: &Instance, options: &SolveOptions) -> SolveOutcome {
    solve_any_with(instance, options, &mut |_| {})
}

/// [`solve_any`] with the solver's progress lines.
pub fn solve_any_with(instance: &Instance, options: &SolveOptions, steps: &mut dyn FnMut(&str)) -> SolveOutcome {
    let outcome = solve::solve(instance, options, steps).expect("the solver runs");
    assert_consistent(&outcome);
    if let Some(timetable) = &outcome.timetable {
        let objective = outcome.objective.expect("checked above");
        assert_valid(instance, timetable, Some(&objective));
    }
    if let Some(partial) = &outcome.partial {
        assert!(outcome.timetable.is_none(), "a partial timetable beside a complete one");
        assert_eq!(check::check_partial(instance, partial), Vec::new(), "the partial timetable breaks rules");
    }
    outcome
}

/// The binary.
pub fn classplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_classplan")).args(args).output().expect("classplan runs")
}

/// Standard output and error of a run, for messages.
pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The exit code `classplan solve` owes a status (src/main.rs).
pub fn exit_code(status: RunStatus) -> i32 {
    match status {
        RunStatus::Optimal | RunStatus::Feasible => 0,
        RunStatus::Infeasible | RunStatus::NoTimetableInTime | RunStatus::Error => 1,
        RunStatus::Interrupted => 130,
        RunStatus::Rejected => 3,
    }
}

/// summary.json of an output folder.
pub fn read_summary(dir: &Path) -> Summary {
    let bytes = fs::read(dir.join(run::SUMMARY_FILE)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(run::SUMMARY_FILE).display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} must read as a Summary: {e}", dir.display()))
}

/// The summary in `dir` agrees with the checker run here on the timetable
/// file it names, and its bound and gap hold together; returns that
/// timetable as read back. A solved status owes a complete valid one.
pub fn check_run_dir(instance: &Instance, dir: &Path, summary: &Summary) -> Option<Timetable> {
    assert_gap(summary.objective, summary.bound, summary.gap);
    let Some(name) = &summary.files.timetable else {
        assert!(!summary.status.solved(), "status {} without a timetable", summary.status);
        assert!(summary.cost.is_none() && summary.check.is_none(), "{summary:?}");
        assert!(!dir.join(run::TIMETABLE_FILE).exists(), "timetable.csv not named in summary.json");
        return None;
    };
    let timetable = io::read_timetable(&dir.join(name), instance).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()));
    let report = check::check(instance, &timetable);
    let reported = summary.check.as_ref().expect("a check with a timetable");
    assert_eq!(reported.hard_violations, report.violations.len());
    assert_eq!(reported.violations, report.violations.iter().map(ToString::to_string).collect::<Vec<_>>());
    let cost = summary.cost.expect("a cost with a timetable");
    assert_eq!(cost.parts, report.cost);
    assert!((cost.total - report.cost.total()).abs() < 1e-9);
    if summary.status == RunStatus::Rejected {
        assert!(!report.violations.is_empty(), "rejected, but the checker finds nothing");
        assert!(!dir.join(run::TIMETABLE_FILE).exists());
    } else {
        assert!(report.violations.is_empty(), "{:#?}", report.violations);
        assert_eq!(name, run::TIMETABLE_FILE);
        assert_eq!(timetable.placements.len(), instance.num_sessions(), "a written timetable is complete");
        let objective = summary.objective.expect("an objective with a timetable");
        if !summary.settings.stable {
            // No perturbation term: the solver minimised the checker's cost.
            assert!((objective - report.cost.total()).abs() < EPS, "objective {objective}, checker {}", report.cost.total());
        } else {
            assert!(objective >= report.cost.total() - EPS, "objective {objective} below the cost {}", report.cost.total());
        }
    }
    Some(timetable)
}

/// The value after `flag` in `args`.
fn flag<'a>(args: &[&'a str], flag: &str) -> Option<&'a str> {
    args.iter().position(|a| *a == flag).and_then(|i| args.get(i + 1)).copied()
}

/// Runs `classplan solve INSTANCE --out OUT ...` (args without the
/// program, starting with "solve"), then reads summary.json and the
/// timetable it names back and re-checks them ([`check_run_dir`]); the exit
/// code must be the one the status owes. Returns the output and the
/// timetable, if one was written.
pub fn solve_cli(args: &[&str]) -> (Output, Option<Timetable>) {
    assert_eq!(args.first(), Some(&"solve"), "solve_cli runs `classplan solve`");
    let out_dir = PathBuf::from(flag(args, "--out").expect("an --out folder"));
    let instance = load(Path::new(args[1]));
    let output = classplan(args);
    let summary = read_summary(&out_dir);
    assert_eq!(output.status.code(), Some(exit_code(summary.status)), "status {}: {}", summary.status, text(&output));
    let timetable = check_run_dir(&instance, &out_dir, &summary);
    (output, timetable)
}

/// Checks a scenarios run's output folder: each job's summary against the
/// checker on its timetable, read against the job's own instance (the
/// base, or the scenario laid over it).
pub fn check_scenarios_dir(base: &Path, scenarios: &[PathBuf], out: &Path) -> Vec<(Summary, Option<Timetable>)> {
    let mut jobs = vec![(run::BASE.to_string(), io::read_instance(base).unwrap())];
    for dir in scenarios {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let instance = classplan::scenario::read_scenario(base, dir).unwrap_or_else(|e| panic!("{name}: {e}"));
        jobs.push((name, instance));
    }
    jobs.iter()
        .map(|(name, instance)| {
            let dir = out.join(name);
            let summary = read_summary(&dir);
            assert_eq!(summary.scenario.as_deref(), Some(name.as_str()));
            let timetable = check_run_dir(instance, &dir, &summary);
            (summary, timetable)
        })
        .collect()
}

/// Runs `classplan scenarios BASE SCENARIO... --out OUT ...` and checks
/// every job's folder ([`check_scenarios_dir`]).
pub fn scenarios_cli(args: &[&str]) -> (Output, Vec<(Summary, Option<Timetable>)>) {
    assert_eq!(args.first(), Some(&"scenarios"));
    let out = PathBuf::from(flag(args, "--out").expect("an --out folder"));
    let base = PathBuf::from(args[1]);
    let scenario_dirs: Vec<PathBuf> = args[2..].iter().take_while(|a| !a.starts_with("--")).map(PathBuf::from).collect();
    let output = classplan(args);
    let jobs = check_scenarios_dir(&base, &scenario_dirs, &out);
    (output, jobs)
}

// ---------------------------------------------------------------------------
// Known optima, justified outside the solver: a lower bound argued by hand
// and a timetable the checker prices at that bound.

/// The optimal timetable docs/format.md prints for `instances/tiny`.
pub fn tiny_documented_timetable() -> Timetable {
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md")).unwrap();
    let start = doc.find("```csv\nday,period,course,").expect("docs/format.md shows tiny's timetable") + "```csv\n".len();
    let csv = &doc[start..start + doc[start..].find("```").unwrap()];
    read_timetable_text(&shipped("tiny"), csv)
}

/// A timetable written as timetable.csv text, read by the tool's reader.
pub fn read_timetable_text(instance: &Instance, csv: &str) -> Timetable {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timetable.csv");
    fs::write(&path, csv).unwrap();
    io::read_timetable(&path, instance).unwrap_or_else(|e| panic!("{e}"))
}

/// tiny's optimum, 4. Lower bound (docs/format.md): each of the two classes
/// has five sessions in days of two periods, so on some day it has one
/// session alone, which costs `compactness` 2. The documented timetable
/// meets that bound, as the checker prices it.
pub fn tiny_optimum() -> f64 {
    let instance = shipped("tiny");
    assert_eq!(instance.weights.compactness, 2.0);
    assert!(instance.calendar.days.iter().all(|d| d.periods == 2), "the parity argument needs two-period days");
    let timetable = tiny_documented_timetable();
    assert_valid(&instance, &timetable, None);
    let cost = check::cost(&instance, &timetable);
    assert_eq!(cost.total(), 4.0, "{cost:?}");
    4.0
}

/// A timetable of ITC-2007's ToyExample (`instances/toy-itc`) worked out
/// by hand: TecCos every day in room B, next to a Geotec lecture (Cur2)
/// and to an ArcTec or SceCosC one (Cur1); TecCos and ArcTec (40 and 42
/// students) in B (50 seats), SceCosC and Geotec in A (32); SceCosC on
/// three days, ArcTec on three but never day 4, TecCos away from its
/// unavailable periods (day 2 periods 1-2, day 3 periods 3-4).
pub const TOY_ITC_HAND_TIMETABLE: &str = "course,day,period,room,instructor
Geotec,0,1,A,Scarlatti
TecCos,0,2,B,Rosa
ArcTec,0,3,B,Indaco
SceCosC,0,4,A,Ocra
Geotec,1,1,A,Scarlatti
TecCos,1,2,B,Rosa
ArcTec,1,3,B,Indaco
SceCosC,2,2,A,Ocra
TecCos,2,3,B,Rosa
Geotec,2,4,A,Scarlatti
Geotec,3,1,A,Scarlatti
TecCos,3,2,B,Rosa
ArcTec,3,3,B,Indaco
Geotec,4,1,A,Scarlatti
TecCos,4,2,B,Rosa
SceCosC,4,3,A,Ocra
";

/// toy-itc's optimum, 0: no cost is negative, and the hand timetable above
/// meets every rule at cost 0, as the checker prices it.
pub fn toy_itc_optimum() -> f64 {
    let instance = shipped("toy-itc");
    let timetable = read_timetable_text(&instance, TOY_ITC_HAND_TIMETABLE);
    assert_valid(&instance, &timetable, None);
    let cost = check::cost(&instance, &timetable);
    assert_eq!(cost.total(), 0.0, "{cost:?}");
    0.0
}
