//! The optimizer: one integer program for times and instructors, then one
//! for rooms, both built with `good_lp` (see `docs/model.md` for why).
//!
//! Stage 1 ([`times`]) places every session and picks every course's
//! instructor, keeping room demand feasible with Hall inequalities. Stage 2
//! ([`rooms`]) picks rooms by matching, then a small MIP. If a slot's
//! sessions cannot be matched to rooms, the room set that falls short is
//! added to stage 1 as a cut and stage 1 runs again.
//!
//! The reported objective is the sum of both stages' costs; the reported
//! bound is stage 1's proven bound, which is a bound for the whole problem
//! because stage 1 is a relaxation of it.

mod backend;
mod candidates;
mod rooms;
mod times;

use std::time::Instant;

pub use backend::Backend;
use backend::{RunLimits, RunStatus};
use candidates::{Calendars, Candidates};

use crate::check::ConflictGraph;
use crate::model::{CourseIdx, Instance, Placement, RoomIdx, Timetable};

/// What the planner asked for.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Wall-clock limit for the whole solve, in seconds.
    pub time_limit: Option<f64>,
    /// Solver threads.
    pub threads: u32,
    pub seed: u64,
    /// Deterministic work limit: branch-and-bound nodes per MIP.
    pub node_limit: Option<u64>,
    pub backend: Backend,
    /// Print the MIP solver's own log.
    pub verbose: bool,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions { time_limit: None, threads: 1, seed: 0, node_limit: None, backend: Backend::default_available(), verbose: false }
    }
}

/// How the solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The timetable is proven optimal.
    Optimal,
    /// A timetable with every hard rule met; not proven optimal.
    Feasible,
    /// No timetable exists.
    Infeasible,
    /// The limit ran out before any timetable was found.
    NoTimetableInTime,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::NoTimetableInTime => "no timetable found in time",
        }
    }
}

/// The objective by component, as the solver's variables price it.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Objective {
    pub room_capacity: f64,
    pub min_days: f64,
    pub compactness: f64,
    pub room_stability: f64,
    pub availability: f64,
}

impl Objective {
    pub fn total(&self) -> f64 {
        self.room_capacity + self.min_days + self.compactness + self.room_stability + self.availability
    }
}

/// Sizes of the integer programs built.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct ModelSize {
    pub stage1_columns: usize,
    pub stage1_rows: usize,
    pub stage1_integer_columns: usize,
    pub stage2_columns: usize,
    pub hall_rounds: usize,
}

/// Everything a solve produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SolveOutcome {
    pub status: Status,
    #[serde(skip)]
    pub timetable: Option<Timetable>,
    pub objective: Option<Objective>,
    /// Proven lower bound on the objective.
    pub bound: Option<f64>,
    /// Relative gap `(objective - bound) / objective` (0 when both are 0).
    pub gap: Option<f64>,
    pub seconds: f64,
    pub model: ModelSize,
}

/// Solves an instance. `progress` receives one line per step.
pub fn solve(instance: &Instance, options: &SolveOptions, progress: &mut dyn FnMut(&str)) -> Result<SolveOutcome, String> {
    if !options.backend.is_available() {
        return Err(format!("the {:?} solver is not compiled into this build", options.backend));
    }
    let started = Instant::now();
    let remaining = |share: f64| options.time_limit.map(|t| ((t - started.elapsed().as_secs_f64()) * share).max(0.05));
    let cal = Calendars::new(instance);
    let cand = Candidates::new(instance, &cal);
    let graph = ConflictGraph::new(instance);
    let mut hall_cuts: Vec<Vec<RoomIdx>> = Vec::new();
    let mut size = ModelSize::default();
    let outcome = |status, timetable, objective: Option<Objective>, bound: Option<f64>, size| {
        let gap = match (objective, bound) {
            (Some(o), Some(b)) => {
                let o = o.total();
                Some(if o.abs() < 1e-9 { 0.0 } else { ((o - b) / o.abs()).max(0.0) })
            }
            _ => None,
        };
        SolveOutcome { status, timetable, objective, bound, gap, seconds: started.elapsed().as_secs_f64(), model: size }
    };
    loop {
        let model = times::build(instance, &cal, &cand, &graph, &hall_cuts);
        size.stage1_columns = model.builder.num_cols();
        size.stage1_rows = model.builder.num_rows();
        size.stage1_integer_columns = model.x.iter().flatten().flatten().count() + model.y.iter().map(Vec::len).sum::<usize>();
        progress(&format!(
            "stage 1 (times and instructors): {} columns ({} integer), {} rows",
            size.stage1_columns, size.stage1_integer_columns, size.stage1_rows
        ));
        let limits = RunLimits {
            time_limit: remaining(0.85),
            threads: options.threads,
            seed: options.seed,
            node_limit: options.node_limit,
            verbose: options.verbose,
        };
        let times::TimesModel { builder, x, y, min_days, compactness, capacity_bound, availability } = model;
        let run = builder.solve(options.backend, &limits)?;
        match run.status {
            RunStatus::Infeasible => return Ok(outcome(Status::Infeasible, None, None, None, size)),
            RunStatus::NoSolution => return Ok(outcome(Status::NoTimetableInTime, None, None, Some(run.bound), size)),
            RunStatus::Optimal | RunStatus::Feasible => {}
        }
        let v = |c: backend::Col| run.values[c.index];
        let on = |c: backend::Col| v(c) > 0.5;
        // Read the sessions and instructors.
        let mut sessions = Vec::new();
        let mut teacher = Vec::with_capacity(instance.courses.len());
        for (c, row) in x.iter().enumerate() {
            for (t, col) in row.iter().enumerate() {
                if col.is_some_and(on) {
                    sessions.push(rooms::Session { course: c, slot: t });
                }
            }
            teacher.push(match y[c].iter().find(|(_, col)| on(*col)) {
                Some(&(i, _)) => i,
                None => cand.instructors[c][0],
            });
        }
        let start = match rooms::match_rooms(instance, &cal, &cand, &sessions) {
            rooms::Matching::Complete(start) => start,
            rooms::Matching::Deficient(set) => {
                progress(&format!("rooms: {} rooms cannot hold the sessions placed among them; adding that cut", set.len()));
                hall_cuts.push(set);
                size.hall_rounds += 1;
                continue;
            }
        };
        let limits2 = RunLimits { time_limit: remaining(1.0), ..limits };
        let (room_of, room_costs, _) = rooms::optimise_rooms(instance, &cal, &cand, &sessions, start, options.backend, &limits2)?;
        size.stage2_columns = sessions.iter().map(|s| cand.rooms_at(s.course, s.slot, &cal).len()).sum();
        let objective = Objective {
            room_capacity: room_costs.room_capacity,
            min_days: instance.weights.min_days * min_days.iter().map(|&c| v(c)).sum::<f64>(),
            compactness: instance.weights.compactness * compactness.iter().map(|&c| v(c)).sum::<f64>(),
            room_stability: room_costs.room_stability,
            availability: availability.iter().map(|&(c, w)| w * v(c)).sum::<f64>() + room_costs.availability,
        };
        let _ = capacity_bound;
        let placements = sessions
            .iter()
            .zip(&room_of)
            .map(|(s, &room)| Placement {
                course: CourseIdx(s.course),
                slot: instance.calendar.slot(s.slot),
                room,
                instructor: teacher[s.course],
            })
            .collect();
        let timetable = Timetable::new(placements);
        let proven = objective.total() <= run.bound + 1e-6 * objective.total().abs().max(1.0);
        let status = if proven { Status::Optimal } else { Status::Feasible };
        let objective = round_components(objective);
        return Ok(outcome(status, Some(timetable), Some(objective), Some(run.bound.max(0.0)), size));
    }
}

/// Continuous cost columns carry solver round-off (1e-9); costs are sums of
/// weights, so round to the precision weights are written with.
fn round_components(o: Objective) -> Objective {
    let r = |v: f64| (v * 1e6).round() / 1e6;
    Objective {
        room_capacity: r(o.room_capacity),
        min_days: r(o.min_days),
        compactness: r(o.compactness),
        room_stability: r(o.room_stability),
        availability: r(o.availability),
    }
}
