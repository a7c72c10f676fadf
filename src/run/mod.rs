//! Runs: an instance solved into an output folder, alone
//! ([`solve_into`]) or with its what-if scenarios side by side
//! ([`scenarios()`]).
//!
//! A run does what the command line promises around a solve: it refuses an
//! output folder inside an input folder, or one holding files unless asked
//! to replace them, before anything is written; it re-checks the solver's
//! timetable with [`crate::check`], compares it with a baseline, diagnoses
//! an infeasible instance, and writes one [`Summary`] per solve through one
//! writer. Progress is reported as [`Event`]s for a display to show; the
//! library prints nothing. This is the crate's only user of rayon.

mod comparison;
mod error;
mod explain;
mod output;
mod scenarios;
mod settings;
mod summary;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use comparison::Comparison;
pub use error::RunError;
pub use explain::findings_text;
pub use output::{prepare_out_dir, refuse_inside, refuse_overwrite};
pub use scenarios::{job_names, scenario_name, scenarios, ScenariosConfig, BASE};
pub use settings::Settings;
pub use summary::{BaselineSummary, CheckSummary, CostSummary, OutputFiles, Status, Summary, NO_SINGLE_CAUSE};

use crate::io;
use crate::model::{Instance, Timetable};
use crate::report::{ReportFiles, ReportOptions};
use crate::solve::{self, Cancel, Objective};
use summary::{judge, write_outputs, Ended, Job};

/// The timetable of a run, in its folder.
pub const TIMETABLE_FILE: &str = "timetable.csv";
/// Where a timetable the checker rejects is kept instead, for the bug
/// report, under a name no reader takes for a solution.
pub const REJECTED_FILE: &str = "timetable.rejected.csv";
pub const SUMMARY_FILE: &str = "summary.json";
/// Without a complete timetable: the best placement found of what fits.
pub const PARTIAL_FILE: &str = "partial.csv";
/// Beside `partial.csv`: the courses it leaves out, and why.
pub const UNPLACED_FILE: &str = io::schema::UNPLACED.name;
/// The report folder (`--report`).
pub const REPORT_DIR: &str = "report";
/// The scenarios' table, in the scenarios' output folder.
pub const COMPARISON_FILE: &str = "comparison.csv";

/// How to solve an instance into a folder.
#[derive(Debug, Clone, Default)]
pub struct SolveConfig {
    pub settings: Settings,
    /// Show the MIP solver's own log.
    pub verbose: bool,
    /// A published timetable of this instance to compare with; with
    /// `settings.stable`, to stay close to.
    pub baseline: Option<PathBuf>,
    /// Also write the readable report into `OUT/report`.
    pub report: bool,
    /// Replace files already in the output folder.
    pub force: bool,
    /// Set from outside (Ctrl-C) to end the solve with the best timetable
    /// so far; the run then ends with status `interrupted`.
    pub cancel: Cancel,
}

/// What happens during a run, for a display. `job` is the scenario job's
/// name, `None` for a solve. In a scenario run the calls come from the
/// pool's threads.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// The output folder is ready and the solve starts.
    Started { job: Option<&'a str> },
    /// A step of the solver's method, in a few words.
    Step { job: Option<&'a str>, line: &'a str },
    /// A better timetable: its cost and the bound, `seconds` into the solve.
    Incumbent { job: Option<&'a str>, cost: f64, bound: Option<f64>, seconds: f64 },
    /// The search is alive.
    Heartbeat { job: Option<&'a str>, cost: Option<f64>, bound: Option<f64>, seconds: f64 },
    /// The solve is over and checked (its outputs may not be written yet).
    Finished { job: Option<&'a str>, status: Status, seconds: f64 },
}

/// What a solve into a folder wrote.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// As written to `OUT/summary.json`.
    pub summary: Summary,
    /// The output folder.
    pub out: PathBuf,
    /// The report's files, with `report`.
    pub report: Option<ReportFiles>,
}

impl RunReport {
    /// The timetable file written, if any.
    pub fn timetable(&self) -> Option<PathBuf> {
        self.summary.files.timetable.as_ref().map(|name| self.out.join(name))
    }
}

/// Solves `instance` (read from `source`, a folder or a `.ctt` file) into
/// the folder `out`: `timetable.csv` (or `timetable.rejected.csv`),
/// `summary.json`, and with `config.report` the report. Inputs (the
/// baseline, periods.csv) are read and the memory the solve needs is
/// estimated before the folder is made, so a refusal leaves nothing
/// behind.
pub fn solve_into(
    instance: &Instance,
    source: &Path,
    out: &Path,
    config: &SolveConfig,
    events: &mut dyn FnMut(Event),
) -> Result<RunReport, RunError> {
    refuse_inside(out, source, "instance")?;
    let baseline = match &config.baseline {
        Some(path) => Some(read_baseline(path, instance)?),
        None => None,
    };
    let report_options = match config.report {
        true => Some(ReportOptions::for_instance_dir(instance_dir(source))?),
        false => None,
    };
    let options = config.settings.options(baseline.as_ref(), config.verbose, &config.cancel);
    if !options.backend.is_available() {
        return Err(solve::SolveError::BackendUnavailable(options.backend).into());
    }
    solve::refuse_unmodelled_rules(instance)?;
    solve::check_memory(instance, &options)?;
    prepare_out_dir(out, config.force)?;

    events(Event::Started { job: None });
    let started = Instant::now();
    let outcome = solve::solve_observed(instance, &options, &mut Relay { job: None, events })?;
    let verdict = judge(instance, Ended::Solved(Box::new(outcome)), config.cancel.is_cancelled(), started.elapsed().as_secs_f64());
    events(Event::Finished { job: None, status: verdict.status, seconds: verdict.seconds });
    let job = Job {
        instance,
        source,
        scenario: None,
        settings: config.settings.of(&options),
        baseline: baseline
            .as_ref()
            .zip(config.baseline.as_ref())
            .map(|(tt, path)| (tt, BaselineSummary { source: path.display().to_string(), dropped: 0 })),
        report: report_options.as_ref(),
    };
    let (summary, report) = write_outputs(out, &job, verdict)?;
    Ok(RunReport { summary, out: out.to_path_buf(), report })
}

/// A baseline for a solve: a timetable of this very instance, every row
/// resolved.
fn read_baseline(path: &Path, instance: &Instance) -> Result<Timetable, RunError> {
    let timetable = io::read_timetable(path, instance)?;
    if let Some(row) = timetable.unresolved.first() {
        return Err(RunError::BaselineUnknown {
            path: path.to_path_buf(),
            line: row.line,
            column: row.column.clone(),
            value: row.value.clone(),
        });
    }
    Ok(timetable)
}

/// The folder whose periods.csv and name the report uses: the instance
/// folder, or the folder of a `.ctt` file.
fn instance_dir(source: &Path) -> &Path {
    if source.is_dir() {
        source
    } else {
        source.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
    }
}

/// The solver's observer calls as events of one job.
struct Relay<'a, 'e> {
    job: Option<&'a str>,
    events: &'e mut dyn FnMut(Event),
}

impl solve::Observer for Relay<'_, '_> {
    fn step(&mut self, line: &str) {
        (self.events)(Event::Step { job: self.job, line });
    }

    fn incumbent(&mut self, _timetable: &Timetable, objective: &Objective, bound: Option<f64>, seconds: f64) {
        (self.events)(Event::Incumbent { job: self.job, cost: objective.total(), bound, seconds });
    }

    fn heartbeat(&mut self, cost: Option<f64>, bound: Option<f64>, seconds: f64) {
        (self.events)(Event::Heartbeat { job: self.job, cost, bound, seconds });
    }
}
