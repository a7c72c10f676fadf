//! summary.json is one type for every way a run ends: a solve, each
//! scenario job, an interrupted solve. Each file written is read back into
//! [`Summary`], and its figures are checked against the checker run here on
//! the timetable file written, never against what the solver said.
//!
//! Every solve runs under `--node-limit`: no clock decides anything here.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use classplan::io;
use classplan::model::Instance;
use classplan::run::{self, Event, ScenariosConfig, Settings, SolveConfig, Status, Summary};
use classplan::scenario;
use common::read_summary;

fn instances() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances")
}

fn settings() -> Settings {
    Settings { node_limit: Some(50), rounds: Some(8), ..Settings::default() }
}

/// The summary agrees with the checker on the timetable file it names
/// (`tests/common`); returns that timetable as read back.
fn agrees_with_the_checker(instance: &Instance, dir: &Path, summary: &Summary) -> Option<classplan::model::Timetable> {
    common::check_run_dir(instance, dir, summary)
}

#[test]
fn a_solve_writes_a_summary_the_checker_confirms() {
    let source = instances().join("ben-tre-2020");
    let instance = io::read_instance(&source).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("solved");
    let config = SolveConfig { settings: settings(), ..SolveConfig::default() };
    let report = run::solve_into(&instance, &source, &dir, &config, &mut |_| {}).unwrap();
    let summary = read_summary(&dir);
    assert_eq!(summary.status, report.summary.status);
    assert!(summary.status.solved(), "{:?}", summary.status);
    assert_eq!((summary.scenario.as_deref(), summary.instance.as_str()), (None, source.to_str().unwrap()));
    assert_eq!(summary.settings, settings());
    agrees_with_the_checker(&instance, &dir, &summary).unwrap();
    // No baseline: the solver minimised the cost alone, and priced it as
    // the checker does.
    assert!((summary.objective.unwrap() - summary.cost.unwrap().total).abs() < 1e-6);
    assert!(summary.changes.is_none() && summary.diagnosis.is_empty());
}

#[test]
fn a_solve_against_a_baseline_counts_the_changes_from_the_files() {
    let source = instances().join("tiny");
    let instance = io::read_instance(&source).unwrap();
    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("first");
    run::solve_into(&instance, &source, &first, &SolveConfig { settings: settings(), ..SolveConfig::default() }, &mut |_| {}).unwrap();
    let published = first.join(run::TIMETABLE_FILE);
    let again = out.path().join("again");
    let mut config = SolveConfig { settings: settings(), baseline: Some(published.clone()), ..SolveConfig::default() };
    config.settings.stable = true;
    config.settings.seed = 7;
    run::solve_into(&instance, &source, &again, &config, &mut |_| {}).unwrap();
    let summary = read_summary(&again);
    assert!(summary.settings.stable);
    let timetable = agrees_with_the_checker(&instance, &again, &summary).unwrap();
    let baseline = io::read_timetable(&published, &instance).unwrap();
    assert_eq!(summary.changes, Some(scenario::compare(&instance, &baseline, &timetable)));
    assert_eq!(summary.baseline.map(|b| (b.source, b.dropped)), Some((published.display().to_string(), 0)));
}

#[test]
fn each_scenario_job_writes_the_same_summary() {
    let root = tempfile::tempdir().unwrap();
    let source = instances().join("tiny");
    let scenario_dir = root.path().join("bigger-cohorts");
    fs::create_dir(&scenario_dir).unwrap();
    let base = io::read_instance(&source).unwrap();
    let mut sizes = String::from("id,size\n");
    for cohort in &base.cohorts {
        sizes.push_str(&format!("{},{}\n", cohort.id, cohort.size + 1));
    }
    fs::write(scenario_dir.join("cohorts.csv"), sizes).unwrap();
    let out = root.path().join("out");
    let config = ScenariosConfig { settings: settings(), ..ScenariosConfig::default() };
    let comparison = run::scenarios(&source, std::slice::from_ref(&scenario_dir), &out, &config, &|_| {}).unwrap();

    let base_dir = out.join(run::BASE);
    let base_summary = read_summary(&base_dir);
    let base_timetable = agrees_with_the_checker(&base, &base_dir, &base_summary).unwrap();
    let merged = scenario::read_scenario(&source, &scenario_dir).unwrap();
    let job_dir = out.join("bigger-cohorts");
    let job_summary = read_summary(&job_dir);
    let job_timetable = agrees_with_the_checker(&merged, &job_dir, &job_summary).unwrap();

    assert_eq!(base_summary.scenario.as_deref(), Some(run::BASE));
    assert_eq!(job_summary.scenario.as_deref(), Some("bigger-cohorts"));
    for (row, summary) in comparison.rows.iter().zip([&base_summary, &job_summary]) {
        assert_eq!((row.status, &row.cost, &row.check, &row.changes), (summary.status, &summary.cost, &summary.check, &summary.changes));
        assert!(summary.status.solved());
        // One thread in all: one job at a time, each solver with it.
        assert_eq!(summary.settings, settings());
    }
    // Changes are counted against the base's own timetable.
    let baseline = scenario::map_timetable(&base, &base_timetable, &merged);
    assert_eq!(job_summary.changes, Some(scenario::compare(&merged, &baseline, &job_timetable)));
    assert_eq!(base_summary.changes.as_ref().map(|c| c.moved), Some(0));
}

#[test]
fn a_solve_cancelled_at_its_first_timetable_ends_interrupted_with_that_timetable_or_a_better_one() {
    let source = instances().join("ben-tre-2020");
    let instance = io::read_instance(&source).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("o");
    let config = SolveConfig { settings: settings(), ..SolveConfig::default() };
    let cancel = config.cancel.clone();
    let mut first_cost = None;
    let report = run::solve_into(&instance, &source, &dir, &config, &mut |e| {
        if let Event::Incumbent { cost, .. } = e {
            first_cost.get_or_insert(cost);
            cancel.cancel();
        }
    })
    .unwrap();
    let summary = read_summary(&dir);
    assert_eq!(summary.status, Status::Interrupted);
    assert_eq!(report.summary.status, Status::Interrupted);
    agrees_with_the_checker(&instance, &dir, &summary).expect("the best timetable so far is written");
    assert!(summary.cost.unwrap().total <= first_cost.expect("an incumbent") + 1e-9);
}

#[test]
fn a_solve_cancelled_before_it_starts_still_writes_its_summary() {
    let source = instances().join("tiny");
    let instance = io::read_instance(&source).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("o");
    let config = SolveConfig { settings: settings(), ..SolveConfig::default() };
    config.cancel.cancel();
    run::solve_into(&instance, &source, &dir, &config, &mut |_| {}).unwrap();
    let summary = read_summary(&dir);
    assert_eq!(summary.status, Status::Interrupted);
    // Whatever the solve had when it stopped: nothing, or a valid timetable.
    agrees_with_the_checker(&instance, &dir, &summary);
}

#[test]
fn cancelled_scenarios_end_interrupted_each_through_its_summary() {
    let root = tempfile::tempdir().unwrap();
    let source = instances().join("tiny");
    let scenario_dir = root.path().join("same");
    fs::create_dir(&scenario_dir).unwrap();
    let out = root.path().join("out");
    let config = ScenariosConfig { settings: settings(), ..ScenariosConfig::default() };
    config.cancel.cancel();
    let comparison = run::scenarios(&source, std::slice::from_ref(&scenario_dir), &out, &config, &|_| {}).unwrap();
    assert!(comparison.rows.iter().all(|r| r.status == Status::Interrupted));
    let instance = io::read_instance(&source).unwrap();
    for job in [run::BASE, "same"] {
        let summary = read_summary(&out.join(job));
        assert_eq!(summary.status, Status::Interrupted);
        agrees_with_the_checker(&instance, &out.join(job), &summary);
    }
}
