//! Solving the base instance and its scenarios side by side, and the
//! comparison planners read.
//!
//! Jobs run in an explicit rayon pool: with `threads` in all and `n` jobs,
//! `min(n, threads)` jobs run at once, each solver with
//! `max(1, threads / pool)` threads, so the pool and the MIP solver never
//! ask for more cores than given. Each job is a task of its own, so a
//! thread that runs out of work takes the next job waiting.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context as _};
use rayon::prelude::*;
use serde_json::json;

use super::compare::{compare, map_timetable, Changes};
use super::overlay::read_scenario;
use crate::check::{self, Cost};
use crate::io::{self, InputErrors};
use crate::model::{Instance, Timetable};
use crate::solve::{self, Backend, Baseline, SolveOptions, Status};

/// The name of the base instance's job (and output folder).
pub const BASE: &str = "base";

/// How to run a set of scenarios.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Output folder: `OUT/<name>/` per job and `OUT/comparison.csv`.
    pub out: PathBuf,
    /// Wall-clock limit of each solve, in seconds.
    pub time_limit: Option<f64>,
    /// Threads in all, shared between parallel jobs and their solvers.
    pub threads: u32,
    pub seed: u64,
    pub node_limit: Option<u64>,
    pub backend: Backend,
    /// A published timetable to compare with (and, with `stable`, to stay
    /// close to); without it, the base instance's own solution.
    pub baseline: Option<PathBuf>,
    /// Minimal perturbation: each scenario is solved close to the baseline.
    pub stable: bool,
    /// Cost of each session moved, instructor or room changed, in stable
    /// mode.
    pub move_weight: f64,
}

impl RunOptions {
    pub fn new(out: impl Into<PathBuf>) -> Self {
        RunOptions {
            out: out.into(),
            time_limit: None,
            threads: 1,
            seed: 0,
            node_limit: None,
            backend: Backend::default_available(),
            baseline: None,
            stable: false,
            move_weight: 10.0,
        }
    }
}

/// What happens while jobs run, for a progress display. Calls come from
/// the pool's threads.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    Started {
        job: &'a str,
    },
    /// A line of the solver's progress.
    Solver {
        job: &'a str,
        line: &'a str,
    },
    Finished {
        job: &'a str,
        status: &'a str,
        seconds: f64,
    },
}

/// One row of the comparison: a job's outcome against the baseline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ComparisonRow {
    pub name: String,
    /// `optimal`, `feasible`, `infeasible`, `no timetable found in time`,
    /// or `error: ...` when the solver failed.
    pub status: String,
    pub solved: bool,
    /// The checker's price of the timetable.
    pub cost: Option<Cost>,
    /// Hard rules the timetable breaks by the checker's reading (0 unless
    /// the solver is wrong).
    pub hard_violations: usize,
    /// Against the baseline; `None` with no timetable or no baseline.
    pub changes: Option<Changes>,
    /// Baseline sessions that no longer exist in this job's instance (a
    /// course, room, instructor or day removed).
    pub baseline_dropped: usize,
    /// For an infeasible job: the diagnosis's first finding.
    pub diagnosis: Option<String>,
    pub seconds: f64,
}

/// Every job's row, base first, then scenarios in the order given.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comparison {
    pub rows: Vec<ComparisonRow>,
    /// What the changes are measured against.
    pub baseline: String,
}

impl Comparison {
    pub fn all_solved(&self) -> bool {
        self.rows.iter().all(|r| r.solved)
    }

    const HEADER: [&'static str; 16] = [
        "scenario",
        "status",
        "room_capacity",
        "min_days",
        "compactness",
        "room_stability",
        "availability",
        "total",
        "moved",
        "new",
        "instructor_changes",
        "room_changes",
        "instructors_affected",
        "cohorts_affected",
        "baseline_dropped",
        "diagnosis",
    ];

    /// The row's cells; `exact` writes costs in full rather than rounded.
    fn cells(row: &ComparisonRow, exact: bool) -> Vec<String> {
        let num = |v: f64| {
            // Solver round-off can leave -0.
            let v = if v == 0.0 { 0.0 } else { v };
            if exact || v.fract() == 0.0 {
                v.to_string()
            } else {
                format!("{v:.2}")
            }
        };
        let mut cells = vec![row.name.clone(), row.status.clone()];
        match &row.cost {
            Some(c) => cells.extend([c.room_capacity, c.min_days, c.compactness, c.room_stability, c.availability, c.total()].map(num)),
            None => cells.extend(std::iter::repeat_n(String::new(), 6)),
        }
        match &row.changes {
            Some(ch) => cells.extend([
                ch.moved.to_string(),
                ch.new.to_string(),
                ch.instructor_changes.to_string(),
                ch.room_changes.to_string(),
                ch.instructors_affected.len().to_string(),
                ch.cohorts_affected.len().to_string(),
                row.baseline_dropped.to_string(),
            ]),
            None => cells.extend(std::iter::repeat_n(String::new(), 7)),
        }
        cells.push(row.diagnosis.clone().unwrap_or_default());
        cells
    }

    /// `comparison.csv`: one row per job, the columns of [`Self::text`].
    pub fn csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        w.write_record(Self::HEADER).expect("in-memory csv");
        for row in &self.rows {
            w.write_record(Self::cells(row, true)).expect("in-memory csv");
        }
        w.into_inner().expect("in-memory csv")
    }

    /// An aligned table for the terminal, numbers right-aligned, with the
    /// diagnoses listed below it.
    pub fn text(&self) -> String {
        let header = [
            "scenario",
            "status",
            "capacity",
            "min_days",
            "compact",
            "rooms",
            "avail",
            "COST",
            "moved",
            "(new)",
            "instr.chg",
            "room.chg",
            "instr.aff",
            "cohort.aff",
            "dropped",
        ];
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                let mut c = Self::cells(r, false);
                c.pop();
                for cell in c.iter_mut().skip(2) {
                    if cell.is_empty() {
                        *cell = "-".into();
                    }
                }
                c
            })
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
            .collect();
        let line = |cells: &[&str]| {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i] - cell.chars().count();
                if i > 0 {
                    s.push_str("  ");
                }
                if i < 2 {
                    s.push_str(cell);
                    s.extend(std::iter::repeat_n(' ', pad));
                } else {
                    s.extend(std::iter::repeat_n(' ', pad));
                    s.push_str(cell);
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(&header);
        for r in &rows {
            out.push_str(&line(&r.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        out.push_str(&format!("changes are counted against {}\n", self.baseline));
        for r in &self.rows {
            if let Some(d) = &r.diagnosis {
                out.push_str(&format!("{}: {d}\n", r.name));
            }
        }
        out
    }
}

/// A job's name: its folder's name.
pub fn scenario_name(dir: &Path) -> anyhow::Result<String> {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().to_string()));
    match name {
        Some(n) if !n.is_empty() => Ok(n),
        _ => bail!("{} has no folder name to name the scenario by", dir.display()),
    }
}

/// Names of all jobs, base first; refuses names that would share an
/// output folder.
pub fn job_names(scenarios: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let mut names = vec![BASE.to_string()];
    for dir in scenarios {
        let name = scenario_name(dir)?;
        if name == BASE {
            bail!("scenario folder {} is named '{BASE}', which names the base instance's output; rename the folder", dir.display());
        }
        if names.contains(&name) {
            bail!("two scenario folders are named '{name}'; scenario names (folder names) must be unique");
        }
        names.push(name);
    }
    Ok(names)
}

struct Job {
    name: String,
    instance: Instance,
    /// The baseline in this job's indices, when there is one.
    baseline: Option<Timetable>,
    baseline_dropped: usize,
}

struct Solved {
    outcome: Result<solve::SolveOutcome, solve::SolveError>,
    seconds: f64,
    /// Whether the solver stayed close to a baseline.
    stable: bool,
}

/// Solves the base instance and every scenario, writes
/// `OUT/<name>/timetable.csv`, `OUT/<name>/summary.json` and
/// `OUT/comparison.csv`, and returns the comparison. The output folder must
/// exist. Input errors of every scenario come back together, as
/// [`InputErrors`] inside the error.
pub fn run_scenarios(
    base: &Path,
    scenarios: &[PathBuf],
    options: &RunOptions,
    progress: &(dyn Fn(Event) + Sync),
) -> anyhow::Result<Comparison> {
    if options.threads == 0 {
        bail!("threads must be at least 1");
    }
    let names = job_names(scenarios)?;
    let mut errors = Vec::new();
    let mut instances = Vec::new();
    match io::read_instance(base) {
        Ok(i) => instances.push(i),
        Err(e) => errors.extend(e.0),
    }
    for dir in scenarios {
        match read_scenario(base, dir) {
            Ok(i) => instances.push(i),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors).into());
    }
    let mut jobs: Vec<Job> =
        names.into_iter().zip(instances).map(|(name, instance)| Job { name, instance, baseline: None, baseline_dropped: 0 }).collect();

    let mut results: Vec<Option<Solved>> = jobs.iter().map(|_| None).collect();
    let baseline_label;
    if let Some(file) = &options.baseline {
        baseline_label = file.display().to_string();
        for job in &mut jobs {
            let tt = io::read_timetable(file, &job.instance)?;
            job.baseline_dropped = tt.unresolved.iter().map(|u| u.line).collect::<BTreeSet<_>>().len();
            job.baseline = Some(tt);
        }
        results = run_pool(&jobs, options, options.stable, progress)?.into_iter().map(Some).collect();
    } else {
        baseline_label = format!("the base instance's own timetable ({})", base.display());
        // Stable mode needs the base timetable before any scenario starts;
        // otherwise everything runs at once.
        let first = if options.stable { 1 } else { jobs.len() };
        for (i, solved) in run_pool(&jobs[..first], options, false, progress)?.into_iter().enumerate() {
            results[i] = Some(solved);
        }
        let base_tt = results[0].as_ref().and_then(|s| s.outcome.as_ref().ok()).and_then(|o| o.timetable.clone());
        if let Some(tt) = base_tt {
            let (base_job, rest) = jobs.split_first_mut().expect("the base job");
            for job in rest {
                let mapped = map_timetable(&base_job.instance, &tt, &job.instance);
                job.baseline_dropped = tt.placements.len() - mapped.placements.len();
                job.baseline = Some(mapped);
            }
            base_job.baseline = Some(tt);
        }
        if first < jobs.len() {
            let rest = run_pool(&jobs[first..], options, true, progress)?;
            for (i, solved) in rest.into_iter().enumerate() {
                results[first + i] = Some(solved);
            }
        }
    }

    let mut rows = Vec::new();
    for (job, solved) in jobs.iter().zip(results) {
        let Some(solved) = solved else { bail!("internal error: job {} did not run", job.name) };
        rows.push(finish(job, solved, options)?);
    }
    let comparison = Comparison { rows, baseline: baseline_label };
    let path = options.out.join("comparison.csv");
    io::write_atomically(&path, &comparison.csv()).with_context(|| format!("writing {}", path.display()))?;
    Ok(comparison)
}

/// Solves jobs in a pool sized for them; `use_baseline` passes each job's
/// baseline to the solver (minimal perturbation).
fn run_pool(jobs: &[Job], options: &RunOptions, use_baseline: bool, progress: &(dyn Fn(Event) + Sync)) -> anyhow::Result<Vec<Solved>> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let pool_size = jobs.len().min(options.threads as usize).max(1);
    let solver_threads = (options.threads / pool_size as u32).max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(pool_size)
        .thread_name(|i| format!("scenario-{i}"))
        .build()
        .context("starting the scenario thread pool")?;
    let results = pool.install(|| {
        // One job per task: rayon otherwise runs a split-off run of jobs
        // one after another on one thread, where an idle thread cannot
        // take the next of them, and the last minutes of a run go to one
        // thread while the other waits.
        jobs.par_iter()
            .with_max_len(1)
            .map(|job| {
                let solve_options = SolveOptions {
                    time_limit: options.time_limit,
                    threads: solver_threads,
                    seed: options.seed,
                    node_limit: options.node_limit,
                    backend: options.backend,
                    verbose: false,
                    baseline: (use_baseline && options.stable)
                        .then(|| job.baseline.clone().map(|timetable| Baseline { timetable, move_weight: options.move_weight }))
                        .flatten(),
                    rounds: None,
                    ..SolveOptions::default()
                };
                let stable = solve_options.baseline.is_some();
                progress(Event::Started { job: &job.name });
                let started = std::time::Instant::now();
                let mut lines = |line: &str| progress(Event::Solver { job: &job.name, line });
                let outcome = solve::solve(&job.instance, &solve_options, &mut lines);
                let seconds = started.elapsed().as_secs_f64();
                let status = match &outcome {
                    Ok(o) => o.status.as_str().to_string(),
                    Err(e) => format!("error: {e}"),
                };
                progress(Event::Finished { job: &job.name, status: &status, seconds });
                Solved { outcome, seconds, stable }
            })
            .collect()
    });
    Ok(results)
}

/// Checks, compares and writes one job's results.
fn finish(job: &Job, solved: Solved, options: &RunOptions) -> anyhow::Result<ComparisonRow> {
    let dir = options.out.join(&job.name);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut row = ComparisonRow {
        name: job.name.clone(),
        status: String::new(),
        solved: false,
        cost: None,
        hard_violations: 0,
        changes: None,
        baseline_dropped: job.baseline_dropped,
        diagnosis: None,
        seconds: solved.seconds,
    };
    let mut summary = json!({ "scenario": job.name, "seconds": solved.seconds, "stable": solved.stable });
    match solved.outcome {
        Err(e) => {
            row.status = format!("error: {e}");
            summary["status"] = json!(row.status);
        }
        Ok(outcome) => {
            row.status = outcome.status.as_str().to_string();
            row.solved = matches!(outcome.status, Status::Optimal | Status::Feasible);
            summary = merge(summary, serde_json::to_value(&outcome).context("summary")?);
            summary["status"] = json!(row.status);
            if let Some(tt) = &outcome.timetable {
                let path = dir.join("timetable.csv");
                io::write_timetable(&job.instance, tt, &path).with_context(|| format!("writing {}", path.display()))?;
                // The checker, not the solver, prices what is compared.
                let report = check::check(&job.instance, tt);
                row.cost = Some(report.cost);
                row.hard_violations = report.violations.len();
                summary["check"] = json!({ "hard_violations": report.violations.len(), "cost": report.cost.to_json() });
                if let Some(baseline) = &job.baseline {
                    let changes = compare(&job.instance, baseline, tt);
                    summary["changes"] = json!({
                        "moved": changes.moved,
                        "new": changes.new,
                        "instructor_changes": changes.instructor_changes,
                        "room_changes": changes.room_changes,
                        "instructors_affected": changes.instructors_affected,
                        "cohorts_affected": changes.cohorts_affected,
                        "baseline_dropped": job.baseline_dropped,
                    });
                    row.changes = Some(changes);
                }
                if row.hard_violations > 0 {
                    row.status = format!("{} ({} hard violations!)", row.status, row.hard_violations);
                }
            }
            if outcome.status == Status::Infeasible {
                let findings = check::diagnose(&job.instance);
                row.diagnosis = Some(match findings.first() {
                    Some(f) => f.message.clone(),
                    None => "the diagnosis found no single cause; the rules conflict in combination".into(),
                });
                summary["diagnosis"] = json!(findings);
            }
        }
    }
    let path = dir.join("summary.json");
    let text = serde_json::to_string_pretty(&summary).context("summary")?;
    io::write_atomically(&path, text.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    Ok(row)
}

/// `a` with the fields of `b` added (both JSON objects).
fn merge(mut a: serde_json::Value, b: serde_json::Value) -> serde_json::Value {
    if let (Some(a_map), serde_json::Value::Object(b_map)) = (a.as_object_mut(), b) {
        for (k, v) in b_map {
            a_map.entry(k).or_insert(v);
        }
    }
    a
}

/// The `classplan scenarios` command: checks the flags, prepares the output
/// folder, runs with a progress line per job, prints the comparison.
/// Returns whether every job found a timetable.
#[allow(clippy::too_many_arguments)]
pub fn scenarios_command(
    instance: &Path,
    scenario_dirs: &[PathBuf],
    out: &Path,
    time_limit: Option<f64>,
    threads: u32,
    baseline: Option<&Path>,
    stable: bool,
    move_weight: f64,
    force: bool,
    quiet: bool,
) -> anyhow::Result<bool> {
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    if time_limit.is_some_and(|t| !(t > 0.0 && t.is_finite())) {
        bail!("--time-limit must be a positive number of seconds");
    }
    if !(move_weight >= 0.0 && move_weight.is_finite()) {
        bail!("--move-weight must be a number >= 0");
    }
    if scenario_dirs.is_empty() {
        bail!("no scenario folder given");
    }
    let names = job_names(scenario_dirs)?;
    for dir in std::iter::once(instance).chain(scenario_dirs.iter().map(PathBuf::as_path)) {
        if dir.is_dir() && crate::io::is_inside(out, dir) {
            bail!("refusing to write into the input folder {}; choose an --out folder outside it", dir.display());
        }
    }
    if out.is_file() {
        bail!("{} is a file; expected an output folder", out.display());
    }
    if out.is_dir() && !force && std::fs::read_dir(out)?.next().is_some() {
        bail!("{} is not empty; choose another folder or pass --force to replace its files", out.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;

    let options =
        RunOptions { time_limit, threads, baseline: baseline.map(Path::to_path_buf), stable, move_weight, ..RunOptions::new(out) };
    let display = Display::new(&names, quiet);
    let comparison = run_scenarios(instance, scenario_dirs, &options, &|e| display.event(e))?;
    display.clear();
    if !quiet {
        print!("{}", comparison.text());
        println!("wrote {} and a folder per scenario", out.join("comparison.csv").display());
    }
    Ok(comparison.all_solved())
}

/// One progress line per job on a terminal; a line per finished job when
/// stderr is not a terminal; nothing when quiet.
struct Display {
    multi: Option<indicatif::MultiProgress>,
    bars: Vec<(String, indicatif::ProgressBar)>,
    plain: bool,
    lock: Mutex<()>,
}

impl Display {
    fn new(names: &[String], quiet: bool) -> Self {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal();
        if quiet || !terminal {
            return Display { multi: None, bars: Vec::new(), plain: !quiet, lock: Mutex::new(()) };
        }
        let multi = indicatif::MultiProgress::new();
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let style = indicatif::ProgressStyle::with_template(&format!("{{spinner}} {{prefix:<{width}}}  {{elapsed:>4}}  {{wide_msg}}"))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        let bars = names
            .iter()
            .map(|n| {
                let bar = multi.add(indicatif::ProgressBar::new_spinner());
                bar.set_style(style.clone());
                bar.set_prefix(n.clone());
                bar.set_message("waiting");
                (n.clone(), bar)
            })
            .collect();
        Display { multi: Some(multi), bars, plain: false, lock: Mutex::new(()) }
    }

    fn bar(&self, job: &str) -> Option<&indicatif::ProgressBar> {
        self.bars.iter().find(|(n, _)| n == job).map(|(_, b)| b)
    }

    fn event(&self, event: Event) {
        match event {
            Event::Started { job } => {
                if let Some(b) = self.bar(job) {
                    b.reset_elapsed();
                    b.enable_steady_tick(std::time::Duration::from_millis(120));
                    b.set_message("solving");
                }
            }
            Event::Solver { job, line } => {
                if let Some(b) = self.bar(job) {
                    b.set_message(line.to_string());
                }
            }
            Event::Finished { job, status, seconds } => {
                if let Some(b) = self.bar(job) {
                    b.finish_with_message(format!("{status} in {seconds:.1} s"));
                } else if self.plain {
                    // Lines from parallel jobs must not interleave.
                    let _guard = self.lock.lock();
                    eprintln!("{job}: {status} in {seconds:.1} s");
                }
            }
        }
    }

    fn clear(&self) {
        if let Some(m) = &self.multi {
            let _ = m.clear();
        }
    }
}
