//! summary.json: one type, one status rule and one writer, for a solve,
//! for each scenario job and for an interrupted solve alike.
//!
//! The checker is the authority on what is written: the cost is its
//! price, and a timetable it finds breaking a hard rule is never reported
//! as a solution, whatever the solver says.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{RunError, Settings, PARTIAL_FILE, REJECTED_FILE, REPORT_DIR, SUMMARY_FILE, TIMETABLE_FILE, UNPLACED_FILE};
use crate::check::{self, CheckReport, Cost, Finding, Violation};
use crate::io;
use crate::model::{Instance, Timetable, Unplaced};
use crate::report::{self, ReportFiles, ReportOptions};
use crate::scenario::{self, Changes};
pub use crate::solve::Status;
use crate::solve::{ModelSize, SolveError, SolveOutcome};

/// Everything a run found, as written to `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub status: Status,
    /// The instance folder or `.ctt` file; for a scenario job, the
    /// scenario folder laid over the base instance.
    pub instance: String,
    /// The scenario job (`base` for the base instance); null for a solve.
    pub scenario: Option<String>,
    pub settings: Settings,
    /// The checker's price of the timetable written.
    pub cost: Option<CostSummary>,
    /// What the solver minimised: its price of the timetable plus, in
    /// stable mode, the perturbation cost.
    pub objective: Option<f64>,
    /// Proven lower bound on the objective.
    pub bound: Option<f64>,
    /// `(objective - bound) / objective`.
    pub gap: Option<f64>,
    pub seconds: f64,
    pub first_timetable_seconds: Option<f64>,
    /// The checker's reading of the timetable written.
    pub check: Option<CheckSummary>,
    /// What `changes` are counted against.
    pub baseline: Option<BaselineSummary>,
    /// The timetable against the baseline.
    pub changes: Option<Changes>,
    /// Reasons no timetable exists, when infeasible.
    #[serde(default)]
    pub diagnosis: Vec<Finding>,
    /// Without a complete timetable: the courses the partial timetable
    /// leaves out, as `unplaced.csv` lists them.
    #[serde(default)]
    pub unplaced: Vec<Unplaced>,
    /// Why the solve failed, when the status is `error`.
    pub error: Option<String>,
    pub model: ModelSize,
    pub files: OutputFiles,
}

/// The checker's cost components and their total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CostSummary {
    #[serde(flatten)]
    pub parts: Cost,
    pub total: f64,
}

impl CostSummary {
    fn of(cost: &Cost) -> Self {
        // Sums of zero terms can come out as -0, which reads like a bug.
        let plain = |v: f64| v + 0.0;
        CostSummary { parts: cost.map(plain), total: plain(cost.total()) }
    }
}

/// What the checker found in the timetable written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckSummary {
    pub hard_violations: usize,
    /// One line per violation, `kind: message`.
    pub violations: Vec<String>,
}

/// The timetable changes are counted against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineSummary {
    /// A timetable file, or the base instance's own timetable.
    pub source: String,
    /// Baseline sessions this instance no longer has (a course, room,
    /// instructor or day removed by a scenario).
    pub dropped: usize,
}

/// Files written in the run's folder, by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutputFiles {
    /// `timetable.csv`, `timetable.rejected.csv`, or null.
    pub timetable: Option<String>,
    /// The report folder, with `--report`.
    pub report: Option<String>,
    /// `partial.csv`, when no complete timetable was found.
    #[serde(default)]
    pub partial: Option<String>,
    /// `unplaced.csv`, beside `partial.csv`.
    #[serde(default)]
    pub unplaced: Option<String>,
}

impl Summary {
    /// The scenario job's name, or "" for a solve.
    pub fn job(&self) -> &str {
        self.scenario.as_deref().unwrap_or_default()
    }

    /// One line on why there is no solution: the solver's error, the
    /// diagnosis's first finding, or the checker's objection.
    pub fn note(&self) -> Option<String> {
        match self.status {
            Status::Error => self.error.clone(),
            Status::Infeasible => Some(match self.diagnosis.first() {
                Some(f) => f.message.clone(),
                None => NO_SINGLE_CAUSE.to_string(),
            }),
            Status::Rejected => {
                let n = self.check.as_ref().map_or(0, |c| c.hard_violations);
                Some(format!("internal error: the solver's timetable breaks {n} hard rule(s) ({REJECTED_FILE})"))
            }
            _ => None,
        }
    }
}

/// What an infeasible instance's note says when the diagnosis is empty.
pub const NO_SINGLE_CAUSE: &str = "the diagnosis found no single cause; the rules conflict in combination";

/// How a solve call ended.
pub(crate) enum Ended {
    /// Boxed: a solve's outcome is large beside the other ends.
    Solved(Box<SolveOutcome>),
    Failed(SolveError),
    /// Cancelled before it started.
    NotStarted,
}

/// A solve's end with the checker's reading: what the outputs are written
/// from.
pub(crate) struct Verdict {
    ended: Ended,
    check: Option<CheckReport>,
    /// Without a timetable: what the partial one breaks besides leaving
    /// sessions out (nothing, unless the solver has a bug).
    partial_violations: Vec<Violation>,
    pub status: Status,
    pub seconds: f64,
}

impl Verdict {
    /// The solver's timetable, unless the checker rejected it.
    pub fn timetable(&self) -> Option<&Timetable> {
        match &self.ended {
            Ended::Solved(o) if self.status != Status::Rejected => o.timetable.as_ref(),
            _ => None,
        }
    }
}

/// Re-checks the solver's timetable and decides the status; `cancelled`
/// says the run was asked to stop.
pub(crate) fn judge(instance: &Instance, ended: Ended, cancelled: bool, seconds: f64) -> Verdict {
    let check = match &ended {
        Ended::Solved(o) => o.timetable.as_ref().map(|t| check::check(instance, t)),
        _ => None,
    };
    let partial_violations = match &ended {
        Ended::Solved(o) => match (&o.timetable, &o.partial) {
            (None, Some(p)) => check::check_partial(instance, p),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let status = status(&ended, check.as_ref(), &partial_violations, cancelled);
    Verdict { ended, check, partial_violations, status, seconds }
}

/// The one rule for a run's status.
fn status(ended: &Ended, check: Option<&CheckReport>, partial_violations: &[Violation], cancelled: bool) -> Status {
    if check.is_some_and(|c| !c.violations.is_empty()) || !partial_violations.is_empty() {
        return Status::Rejected;
    }
    match ended {
        Ended::Failed(_) => Status::Error,
        Ended::NotStarted => Status::Interrupted,
        Ended::Solved(o) if o.interrupted || cancelled => Status::Interrupted,
        // The solver proved optimal what it priced; where the checker's cost
        // is higher (soft rules the solver does not price yet, see
        // docs/model.md) nothing is proven about the timetable's cost.
        Ended::Solved(o) if o.status == Status::Optimal && !priced_alike(o, check) => Status::Feasible,
        Ended::Solved(o) => o.status,
    }
}

/// Whether the checker's cost of the timetable is what the solver priced.
fn priced_alike(outcome: &SolveOutcome, check: Option<&CheckReport>) -> bool {
    match (outcome.objective, check) {
        (Some(objective), Some(check)) => check.cost.total() <= objective.total() + 1e-6 * objective.total().abs().max(1.0),
        _ => true,
    }
}

/// What a solve's outputs are written with.
pub(crate) struct Job<'a> {
    pub instance: &'a Instance,
    /// The instance's path, as the summary names it.
    pub source: &'a Path,
    pub scenario: Option<&'a str>,
    pub settings: Settings,
    /// The timetable to count changes against (indices of `instance`).
    pub baseline: Option<(&'a Timetable, BaselineSummary)>,
    /// Write the report too.
    pub report: Option<&'a ReportOptions>,
}

/// Writes a solve's outputs into `dir` (which exists): the timetable
/// (`timetable.rejected.csv` when the checker rejects it), the report when
/// asked, and summary.json.
pub(crate) fn write_outputs(dir: &Path, job: &Job, verdict: Verdict) -> Result<(Summary, Option<ReportFiles>), RunError> {
    let Verdict { ended, check, partial_violations, status, seconds } = verdict;
    let mut summary = Summary {
        status,
        instance: job.source.display().to_string(),
        scenario: job.scenario.map(str::to_string),
        settings: job.settings.clone(),
        cost: None,
        objective: None,
        bound: None,
        gap: None,
        seconds,
        first_timetable_seconds: None,
        check: None,
        baseline: job.baseline.as_ref().map(|(_, b)| b.clone()),
        changes: None,
        diagnosis: Vec::new(),
        unplaced: Vec::new(),
        error: None,
        model: ModelSize::default(),
        files: OutputFiles::default(),
    };
    let mut report_files = None;
    match &ended {
        Ended::Failed(e) => summary.error = Some(e.to_string()),
        Ended::NotStarted => {}
        Ended::Solved(outcome) => {
            summary.objective = outcome.objective.map(|o| o.minimised());
            summary.bound = outcome.bound;
            summary.gap = outcome.gap;
            summary.first_timetable_seconds = outcome.first_timetable_seconds;
            summary.model = outcome.model;
            if let (Some(timetable), Some(report)) = (&outcome.timetable, &check) {
                let name = if status == Status::Rejected { REJECTED_FILE } else { TIMETABLE_FILE };
                let path = dir.join(name);
                io::write_timetable(job.instance, timetable, &path).map_err(RunError::writing(&path))?;
                summary.files.timetable = Some(name.to_string());
                summary.cost = Some(CostSummary::of(&report.cost));
                summary.check = Some(CheckSummary {
                    hard_violations: report.violations.len(),
                    violations: report.violations.iter().map(ToString::to_string).collect(),
                });
                if let Some((baseline, _)) = &job.baseline {
                    summary.changes = Some(scenario::compare(job.instance, baseline, timetable));
                }
                if let Some(options) = job.report.filter(|_| status != Status::Rejected) {
                    report_files = Some(report::write_report(job.instance, timetable, &dir.join(REPORT_DIR), options)?);
                    summary.files.report = Some(REPORT_DIR.to_string());
                }
            }
            if let (None, Some(partial)) = (&outcome.timetable, &outcome.partial) {
                write_partial(dir, job.instance, partial, &partial_violations, &mut summary)?;
            }
            if status == Status::Infeasible {
                summary.diagnosis = check::diagnose(job.instance);
            }
        }
    }
    write_summary(dir, &summary)?;
    Ok((summary, report_files))
}

/// Without a complete timetable: `partial.csv` and `unplaced.csv`, or,
/// when the partial timetable breaks a rule, `timetable.rejected.csv`.
fn write_partial(
    dir: &Path,
    instance: &Instance,
    partial: &Timetable,
    violations: &[Violation],
    summary: &mut Summary,
) -> Result<(), RunError> {
    if !violations.is_empty() {
        let path = dir.join(REJECTED_FILE);
        io::write_timetable(instance, partial, &path).map_err(RunError::writing(&path))?;
        summary.files.timetable = Some(REJECTED_FILE.to_string());
        summary.check =
            Some(CheckSummary { hard_violations: violations.len(), violations: violations.iter().map(ToString::to_string).collect() });
        return Ok(());
    }
    let path = dir.join(PARTIAL_FILE);
    io::write_timetable(instance, partial, &path).map_err(RunError::writing(&path))?;
    summary.files.partial = Some(PARTIAL_FILE.to_string());
    summary.unplaced = check::unplaced(instance, partial);
    let path = dir.join(UNPLACED_FILE);
    io::write_unplaced(&summary.unplaced, &path).map_err(RunError::writing(&path))?;
    summary.files.unplaced = Some(UNPLACED_FILE.to_string());
    Ok(())
}

/// The only writer of summary.json.
fn write_summary(dir: &Path, summary: &Summary) -> Result<(), RunError> {
    let path = dir.join(SUMMARY_FILE);
    // Every field is plain data: serializing cannot fail.
    let text = serde_json::to_string_pretty(summary).expect("a summary serializes");
    io::write_atomically(&path, text.as_bytes()).map_err(RunError::writing(&path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::SolveOptions;

    fn tiny() -> (std::path::PathBuf, Instance) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/tiny");
        let instance = io::read_instance(&dir).unwrap();
        (dir, instance)
    }

    fn solved(instance: &Instance) -> SolveOutcome {
        let options = SolveOptions { node_limit: Some(50), ..SolveOptions::default() };
        crate::solve::solve(instance, &options, &mut |_| {}).unwrap()
    }

    #[test]
    fn a_timetable_breaking_a_hard_rule_is_rejected_and_kept_apart() {
        let (dir, instance) = tiny();
        let mut outcome = solved(&instance);
        assert!(outcome.status == Status::Optimal || outcome.status == Status::Feasible);
        let timetable = outcome.timetable.as_mut().unwrap();
        let twice = timetable.placements[0];
        timetable.placements.push(twice);
        let verdict = judge(&instance, Ended::Solved(Box::new(outcome)), false, 0.0);
        assert_eq!(verdict.status, Status::Rejected);
        assert!(verdict.timetable().is_none(), "a rejected timetable is no baseline");
        let out = tempfile::tempdir().unwrap();
        let job = Job { instance: &instance, source: &dir, scenario: None, settings: Settings::default(), baseline: None, report: None };
        let (summary, _) = write_outputs(out.path(), &job, verdict).unwrap();
        assert!(out.path().join(REJECTED_FILE).is_file());
        assert!(!out.path().join(TIMETABLE_FILE).exists());
        assert_eq!(summary.files.timetable.as_deref(), Some(REJECTED_FILE));
        assert!(summary.check.as_ref().unwrap().hard_violations > 0);
        assert!(summary.note().is_some_and(|n| n.contains("internal error")));
        let written: Summary = serde_json::from_slice(&std::fs::read(out.path().join(SUMMARY_FILE)).unwrap()).unwrap();
        assert_eq!(written.status, Status::Rejected);
    }

    #[test]
    fn out_of_time_without_a_timetable_the_partial_one_and_what_it_lacks_are_written() {
        let (dir, instance) = tiny();
        let mut outcome = solved(&instance);
        let mut partial = outcome.timetable.take().unwrap();
        let left_out = partial.placements[0].course;
        partial.placements.retain(|p| p.course != left_out);
        outcome.status = Status::NoTimetableInTime;
        outcome.objective = None;
        outcome.partial = Some(partial);
        let verdict = judge(&instance, Ended::Solved(Box::new(outcome)), false, 0.0);
        assert_eq!(verdict.status, Status::NoTimetableInTime);
        let out = tempfile::tempdir().unwrap();
        let job = Job { instance: &instance, source: &dir, scenario: None, settings: Settings::default(), baseline: None, report: None };
        let (summary, _) = write_outputs(out.path(), &job, verdict).unwrap();
        assert!(!out.path().join(TIMETABLE_FILE).exists());
        assert_eq!(summary.files.partial.as_deref(), Some(PARTIAL_FILE));
        let course = &instance.course(left_out).id;
        assert_eq!(
            summary.unplaced.iter().map(|u| (u.course.as_str(), u.sessions)).collect::<Vec<_>>(),
            [(course.as_str(), instance.course(left_out).sessions)]
        );
        let unplaced = std::fs::read_to_string(out.path().join(UNPLACED_FILE)).unwrap();
        assert!(unplaced.starts_with("course,sessions,reason\n") && unplaced.contains(course.as_str()), "{unplaced}");
        assert!(summary.explanation("").contains("no timetable was found within the time limit"));
    }

    #[test]
    fn a_partial_timetable_breaking_a_rule_is_rejected_too() {
        let (_, instance) = tiny();
        let mut outcome = solved(&instance);
        let mut partial = outcome.timetable.take().unwrap();
        let twice = partial.placements[0];
        partial.placements.push(twice);
        outcome.status = Status::Infeasible;
        outcome.partial = Some(partial);
        assert_eq!(judge(&instance, Ended::Solved(Box::new(outcome)), false, 0.0).status, Status::Rejected);
    }

    #[test]
    fn a_cancelled_run_is_interrupted_whatever_the_solver_reached() {
        let (_, instance) = tiny();
        let verdict = judge(&instance, Ended::Solved(Box::new(solved(&instance))), true, 0.0);
        assert_eq!(verdict.status, Status::Interrupted);
        assert!(verdict.timetable().is_some());
        let verdict = judge(&instance, Ended::Solved(Box::new(solved(&instance))), false, 0.0);
        assert!(verdict.status.solved());
        assert_eq!(judge(&instance, Ended::NotStarted, true, 0.0).status, Status::Interrupted);
    }

    #[test]
    fn status_names_match_their_serialized_form() {
        use Status::*;
        for status in [Optimal, Feasible, Infeasible, NoTimetableInTime, Interrupted, Rejected, Error] {
            assert_eq!(serde_json::to_value(status).ok(), Some(serde_json::Value::String(status.name().into())));
        }
    }
}
