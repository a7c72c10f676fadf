//! Solving the base instance and its scenarios side by side.
//!
//! Jobs run in an explicit rayon pool: with `threads` in all and `n` jobs,
//! `min(n, threads)` jobs run at once, each solver with
//! `max(1, threads / pool)` threads, so the pool and the MIP solver never
//! ask for more cores than given. Each job is a task of its own, so a
//! thread that runs out of work takes the next job waiting. Every job ends
//! through the writer a single solve ends through.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::summary::{judge, write_outputs, BaselineSummary, Ended, Job, Verdict};
use super::{output, Comparison, Event, Relay, RunError, Settings, COMPARISON_FILE};
use crate::io::{self, InputErrors};
use crate::model::{Instance, Timetable};
use crate::scenario::{map_timetable, read_scenario};
use crate::solve::{self, Cancel};

/// The name of the base instance's job (and output folder).
pub const BASE: &str = "base";

/// How to run a set of scenarios.
#[derive(Debug, Clone, Default)]
pub struct ScenariosConfig {
    /// `threads` is the number in all, shared between parallel jobs and
    /// their solvers; `time_limit` is per solve.
    pub settings: Settings,
    /// A published timetable of the base instance to compare with (and,
    /// with `settings.stable`, to stay close to); without it, the base
    /// instance's own solution.
    pub baseline: Option<PathBuf>,
    /// Replace files already in the output folder.
    pub force: bool,
    /// Stops every job (they share the flag).
    pub cancel: Cancel,
}

/// A job's name: its folder's name.
pub fn scenario_name(dir: &Path) -> Result<String, RunError> {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().to_string()));
    match name {
        Some(n) if !n.is_empty() => Ok(n),
        _ => Err(RunError::ScenarioNames(format!("{} has no folder name to name the scenario by", dir.display()))),
    }
}

/// Names of all jobs, base first; refuses names that would share an
/// output folder.
pub fn job_names(scenarios: &[PathBuf]) -> Result<Vec<String>, RunError> {
    if scenarios.is_empty() {
        return Err(RunError::ScenarioNames("no scenario folder given".into()));
    }
    let mut names = vec![BASE.to_string()];
    for dir in scenarios {
        let name = scenario_name(dir)?;
        if name == BASE {
            return Err(RunError::ScenarioNames(format!(
                "scenario folder {} is named '{BASE}', which names the base instance's output; rename the folder",
                dir.display()
            )));
        }
        if names.contains(&name) {
            return Err(RunError::ScenarioNames(format!(
                "two scenario folders are named '{name}'; scenario names (folder names) must be unique"
            )));
        }
        names.push(name);
    }
    Ok(names)
}

struct ScenarioJob<'a> {
    name: String,
    /// The folder the job reads.
    source: &'a Path,
    instance: Instance,
    /// The baseline in this job's indices, when there is one.
    baseline: Option<Timetable>,
    baseline_dropped: usize,
}

/// Solves the base instance and every scenario into `out`: `OUT/<name>/`
/// per job (timetable.csv, summary.json) and `OUT/comparison.csv`, and
/// returns the comparison. Every input is read, and every error of every
/// scenario collected, before the output folder is made.
pub fn scenarios(
    base: &Path,
    scenarios: &[PathBuf],
    out: &Path,
    config: &ScenariosConfig,
    events: &(dyn Fn(Event) + Sync),
) -> Result<Comparison, RunError> {
    let names = job_names(scenarios)?;
    let sources: Vec<&Path> = std::iter::once(base).chain(scenarios.iter().map(PathBuf::as_path)).collect();
    for dir in &sources {
        output::refuse_inside(out, dir, "input")?;
    }
    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    for (i, (name, source)) in names.into_iter().zip(&sources).enumerate() {
        let read = if i == 0 { io::read_instance(base) } else { read_scenario(base, source) };
        match read {
            Ok(instance) => jobs.push(ScenarioJob { name, source, instance, baseline: None, baseline_dropped: 0 }),
            Err(e) => {
                // Every scenario reads the base again; its errors are told once.
                for error in e.0 {
                    if !errors.contains(&error) {
                        errors.push(error);
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors).into());
    }
    for job in &jobs {
        solve::refuse_unmodelled_rules(&job.instance)?;
    }
    let baseline_label = match &config.baseline {
        Some(file) => {
            for job in &mut jobs {
                let tt = io::read_timetable(file, &job.instance)?;
                job.baseline_dropped = tt.unresolved.iter().map(|u| u.line).collect::<BTreeSet<_>>().len();
                job.baseline = Some(tt);
            }
            file.display().to_string()
        }
        None => format!("the base instance's own timetable ({})", base.display()),
    };
    output::prepare_out_dir(out, config.force)?;

    let mut results = Vec::new();
    if config.baseline.is_some() {
        results = run_pool(&jobs, config, true, events)?;
    } else {
        // Stable mode needs the base timetable before any scenario starts;
        // otherwise everything runs at once.
        let first = if config.settings.stable { 1 } else { jobs.len() };
        results.extend(run_pool(&jobs[..first], config, false, events)?);
        if let Some(tt) = results[0].0.timetable().cloned() {
            let (base_job, rest) = jobs.split_first_mut().expect("the base job");
            for job in rest {
                let mapped = map_timetable(&base_job.instance, &tt, &job.instance);
                job.baseline_dropped = tt.placements.len() - mapped.placements.len();
                job.baseline = Some(mapped);
            }
            base_job.baseline = Some(tt);
        }
        results.extend(run_pool(&jobs[first..], config, true, events)?);
    }

    let mut rows = Vec::new();
    for (job, (verdict, settings)) in jobs.iter().zip(results) {
        let dir = out.join(&job.name);
        std::fs::create_dir_all(&dir).map_err(RunError::folder(&dir))?;
        output::clear_earlier_run(&dir)?;
        let baseline =
            job.baseline.as_ref().map(|tt| (tt, BaselineSummary { source: baseline_label.clone(), dropped: job.baseline_dropped }));
        let written = Job { instance: &job.instance, source: job.source, scenario: Some(&job.name), settings, baseline, report: None };
        rows.push(write_outputs(&dir, &written, verdict)?.0);
    }
    let comparison = Comparison { rows, baseline: baseline_label };
    let path = out.join(COMPARISON_FILE);
    io::write_atomically(&path, &comparison.csv()).map_err(RunError::writing(&path))?;
    Ok(comparison)
}

/// Solves and checks jobs in a pool sized for them; `use_baseline` passes
/// each job's baseline to the solver in stable mode. Returns each job's
/// verdict and the settings its solver had.
fn run_pool(
    jobs: &[ScenarioJob],
    config: &ScenariosConfig,
    use_baseline: bool,
    events: &(dyn Fn(Event) + Sync),
) -> Result<Vec<(Verdict, Settings)>, RunError> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let threads = config.settings.threads.max(1);
    let pool_size = jobs.len().min(threads as usize).max(1);
    let job_settings = Settings { threads: (threads / pool_size as u32).max(1), ..config.settings.clone() };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(pool_size).thread_name(|i| format!("scenario-{i}")).build()?;
    let results = pool.install(|| {
        // One job per task: rayon otherwise runs a split-off run of jobs
        // one after another on one thread, where an idle thread cannot
        // take the next of them, and the last minutes of a run go to one
        // thread while the other waits.
        jobs.par_iter()
            .with_max_len(1)
            .map(|job| {
                let baseline = job.baseline.as_ref().filter(|_| use_baseline);
                let options = job_settings.options(baseline, false, &config.cancel);
                let name = Some(job.name.as_str());
                events(Event::Started { job: name });
                let started = Instant::now();
                let ended = if config.cancel.is_cancelled() {
                    Ended::NotStarted
                } else {
                    let mut forward = |e: Event| events(e);
                    match solve::solve_observed(&job.instance, &options, &mut Relay { job: name, events: &mut forward }) {
                        Ok(outcome) => Ended::Solved(Box::new(outcome)),
                        Err(e) => Ended::Failed(e),
                    }
                };
                let verdict = judge(&job.instance, ended, config.cancel.is_cancelled(), started.elapsed().as_secs_f64());
                events(Event::Finished { job: name, status: verdict.status, seconds: verdict.seconds });
                (verdict, job_settings.of(&options))
            })
            .collect()
    });
    Ok(results)
}
