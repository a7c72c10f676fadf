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
mod cancel;
mod candidates;
mod context;
mod driver;
mod error;
mod greedy;
mod joint;
mod lns;
mod loads;
mod memory;
mod pricing;
mod rooms;
mod stage1;
mod status;
mod times;
mod unmodelled;

use std::time::Instant;

pub use backend::Backend;
pub use cancel::Cancel;
use context::Context;
pub use error::SolveError;
pub use memory::{check_memory, estimate_memory};
pub use status::Status;
pub use unmodelled::refuse_unmodelled_rules;

use crate::check::Cost;
use crate::model::{Instance, Timetable};

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
    /// Minimal perturbation: stay close to this timetable.
    pub baseline: Option<Baseline>,
    /// Deterministic work limit for the neighbourhood search: rounds.
    /// Under a node limit it defaults to [`DEFAULT_WORK_ROUNDS`].
    pub rounds: Option<u64>,
    /// How the time is spent.
    pub method: Method,
    /// Set from outside (Ctrl-C) to end the solve early with the best
    /// timetable found so far.
    pub cancel: Cancel,
}

/// How a solve spends its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Construction, the two-stage model when it is of a reasonable size,
    /// the neighbourhood search, then the joint model when it fits.
    #[default]
    Search,
    /// The integer programs alone, whatever their size: the two-stage
    /// model, then the joint model. No neighbourhood search, so a
    /// construction that leaves courses out stays incomplete. Kept to
    /// measure what the search adds (`cargo bench --bench itc2007`).
    Monolithic,
}

impl Method {
    /// The name `--method` takes.
    pub fn name(self) -> &'static str {
        match self {
            Method::Search => "search",
            Method::Monolithic => "monolithic",
        }
    }

    /// Every method, in the order `--help` lists them.
    pub const ALL: [Method; 2] = [Method::Search, Method::Monolithic];

    /// Reads a comma-separated list of names, as the benches take them.
    pub fn parse_list(list: &str) -> Result<Vec<Method>, String> {
        list.split(',').map(|m| m.trim().parse()).collect()
    }
}

impl std::str::FromStr for Method {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Method::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| format!("unknown method {s:?}; expected search or monolithic"))
    }
}

/// Neighbourhood-search rounds under a node limit when none is given: a
/// work limit must bound the whole search, not only each integer program.
pub const DEFAULT_WORK_ROUNDS: u64 = 40;

/// A published timetable to change as little as possible ("repair the
/// plan"). Its indices refer to the instance being solved.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub timetable: Timetable,
    /// Cost of each session moved to another slot, each course given
    /// another instructor, and each session kept in its slot but given
    /// another room.
    pub move_weight: f64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            threads: 1,
            seed: 0,
            node_limit: None,
            backend: Backend::default_available(),
            verbose: false,
            baseline: None,
            rounds: None,
            method: Method::Search,
            cancel: Cancel::default(),
        }
    }
}

/// The objective by component, as the solver prices its decisions: the
/// timetable's cost, component by component as the checker prices it, and
/// the cost of the moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Objective {
    #[serde(flatten)]
    pub cost: Cost,
    /// Minimal-perturbation cost (only with a baseline); not part of the
    /// timetable's cost, which [`Objective::total`] gives.
    pub perturbation: f64,
}

impl Objective {
    /// The timetable's cost as FORMAT.md defines it (what `check` computes).
    pub fn total(&self) -> f64 {
        self.cost.total()
    }

    /// What the solver minimises: the cost plus any perturbation cost.
    pub fn minimised(&self) -> f64 {
        self.total() + self.perturbation
    }
}

/// Sizes of the integer programs built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModelSize {
    pub stage1_columns: usize,
    pub stage1_rows: usize,
    pub stage1_integer_columns: usize,
    pub stage2_columns: usize,
    pub hall_rounds: usize,
    /// The joint model, when it was built.
    pub joint_columns: usize,
    pub joint_rows: usize,
}

/// Everything a solve produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SolveOutcome {
    pub status: Status,
    #[serde(skip)]
    pub timetable: Option<Timetable>,
    /// Without a complete timetable: the best placement found of what can
    /// be placed (courses left out whole), every session placed valid.
    #[serde(skip)]
    pub partial: Option<Timetable>,
    pub objective: Option<Objective>,
    /// Proven lower bound on the objective.
    pub bound: Option<f64>,
    /// Relative gap `(objective - bound) / objective` (0 when both are 0).
    pub gap: Option<f64>,
    pub seconds: f64,
    /// Seconds until the first timetable was found.
    pub first_timetable_seconds: Option<f64>,
    pub model: ModelSize,
    /// The solve ended early because [`SolveOptions::cancel`] was set.
    pub interrupted: bool,
}

/// What a solve tells its caller as it goes.
pub trait Observer {
    /// A step of the method, in a few words.
    fn step(&mut self, line: &str);
    /// A timetable better than any before it (every hard rule met).
    fn incumbent(&mut self, _timetable: &Timetable, _objective: &Objective, _bound: Option<f64>, _seconds: f64) {}
    /// The search is alive: rounds done, current cost and bound.
    fn heartbeat(&mut self, _cost: Option<f64>, _bound: Option<f64>, _seconds: f64) {}
}

impl<F: FnMut(&str)> Observer for F {
    fn step(&mut self, line: &str) {
        self(line)
    }
}

/// Solves an instance. `progress` receives one line per step.
pub fn solve(instance: &Instance, options: &SolveOptions, progress: &mut dyn FnMut(&str)) -> Result<SolveOutcome, SolveError> {
    let mut progress = progress;
    solve_observed(instance, options, &mut progress)
}

/// Solves an instance, telling `observer` about steps and improvements.
///
/// 1. A greedy construction (which may leave courses out).
/// 2. If the model is of a reasonable size, the two-stage method: times and
///    instructors, then rooms. It gives the bound, and often the optimum.
/// 3. The large neighbourhood search ([`lns`]) from the best timetable so
///    far, or from the partial construction, which it repairs.
/// 4. If the joint model (rooms chosen with times) is small enough, it runs
///    once the search stalls, started from the best timetable: it is exact,
///    so it can prove what the search found, or close the gap. Under a
///    clock it gets half the time left, and only when the gap is narrow;
///    the search then starts afresh at each stall until the time is up.
pub fn solve_observed(instance: &Instance, options: &SolveOptions, observer: &mut dyn Observer) -> Result<SolveOutcome, SolveError> {
    if !options.backend.is_available() {
        return Err(SolveError::BackendUnavailable(options.backend));
    }
    refuse_unmodelled_rules(instance)?;
    check_memory(instance, options)?;
    let mut ctx = Context::new(instance, options, Instant::now());
    if let Some(b) = &options.baseline {
        ctx.cand.baseline = Some(candidates::BaselinePlan::new(instance, &b.timetable, b.move_weight));
    }
    driver::run(&ctx, observer)
}

/// The fast construction alone (no integer program): a timetable meeting
/// every hard rule, or `None` if the greedy gets stuck.
pub fn construct(instance: &Instance) -> Option<Timetable> {
    let options = SolveOptions::default();
    let ctx = Context::new(instance, &options, Instant::now());
    let c = greedy::construct(instance, &ctx.cal, &ctx.cand, None, options.seed, greedy::attempts(instance));
    c.is_complete().then(|| ctx.timetable(&c.sessions, &c.rooms, &c.teacher))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cost inside the objective is flattened: its fields stand beside
    /// the perturbation, as they did before the objective held a `Cost`.
    #[test]
    fn an_objective_serializes_its_components_side_by_side() {
        let cost = Cost {
            room_capacity: 1.0,
            min_days: 2.0,
            compactness: 3.0,
            room_stability: 4.0,
            availability: 5.0,
            teaching_quota: 7.0,
            relations: 8.0,
        };
        let objective = Objective { cost, perturbation: 6.0 };
        let json = serde_json::to_value(objective).unwrap();
        let expected = serde_json::json!({
            "room_capacity": 1.0, "min_days": 2.0, "compactness": 3.0, "room_stability": 4.0, "availability": 5.0,
            "teaching_quota": 7.0, "relations": 8.0, "perturbation": 6.0
        });
        assert_eq!(json, expected);
        assert_eq!(serde_json::from_value::<Objective>(json).unwrap(), objective);
    }
}
