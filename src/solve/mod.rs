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
mod greedy;
mod rooms;
mod times;

use std::time::Instant;

pub use backend::Backend;
use backend::{Col, RunLimits, RunStatus};
use candidates::{Calendars, Candidates};

use crate::check::ConflictGraph;
use crate::model::{CourseIdx, Instance, InstructorIdx, Placement, RoomIdx, Timetable};

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
}

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
        }
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
    /// Minimal-perturbation cost (only with a baseline); not part of the
    /// timetable's cost, which [`Objective::total`] gives.
    pub perturbation: f64,
}

impl Objective {
    /// The timetable's cost as FORMAT.md defines it (what `check` computes).
    pub fn total(&self) -> f64 {
        self.room_capacity + self.min_days + self.compactness + self.room_stability + self.availability
    }

    /// What the solver minimises: the cost plus any perturbation cost.
    pub fn minimised(&self) -> f64 {
        self.total() + self.perturbation
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
    pub objective: Option<Objective>,
    /// Proven lower bound on the objective.
    pub bound: Option<f64>,
    /// Relative gap `(objective - bound) / objective` (0 when both are 0).
    pub gap: Option<f64>,
    pub seconds: f64,
    /// Seconds until the first timetable was found.
    pub first_timetable_seconds: Option<f64>,
    pub model: ModelSize,
}

/// Joint models above this many room columns are not attempted: they would
/// take long to build and rarely improve within planners' time limits.
const JOINT_MAX_ROOM_COLUMNS: usize = 150_000;

/// Orders the construction tries before giving up: a count, not a clock,
/// so results repeat. One try takes milliseconds on small instances and
/// seconds on a teaching year, so large instances get few.
fn construction_attempts(instance: &Instance) -> usize {
    match instance.num_sessions() {
        0..=500 => 30,
        501..=2000 => 5,
        _ => 1,
    }
}

/// A timetable with its priced objective.
struct Found {
    timetable: Timetable,
    objective: Objective,
}

/// Solves an instance. `progress` receives one line per step.
///
/// First the two-stage method gives a timetable fast. If that is not proven
/// optimal and the joint model (rooms chosen with the times) is of a
/// reasonable size, the joint model runs in the remaining time: it is exact,
/// so it can close the gap that the room stage leaves open.
pub fn solve(instance: &Instance, options: &SolveOptions, progress: &mut dyn FnMut(&str)) -> Result<SolveOutcome, String> {
    if !options.backend.is_available() {
        return Err(format!("the {:?} solver is not compiled into this build", options.backend));
    }
    let started = Instant::now();
    let mut ctx = Context::new(instance, options, started);
    if let Some(b) = &options.baseline {
        ctx.cand.baseline = Some(candidates::BaselinePlan::new(instance, &b.timetable, b.move_weight));
    }
    let joint_columns = times::joint_room_columns(instance, &ctx.cal, &ctx.cand);
    let joint_planned = joint_columns <= JOINT_MAX_ROOM_COLUMNS;
    let mut size = ModelSize::default();

    // A construction first: the best timetable so far if the MIP finds
    // none in the time allowed.
    let constructed = greedy::construct(instance, &ctx.cal, &ctx.cand, options.seed, construction_attempts(instance)).map(|(sessions, room_of, teacher)| {
        let costs = rooms::costs(instance, &ctx.cal, &ctx.cand, &sessions, &room_of);
        let objective = price(&ctx, &sessions, &teacher, &costs);
        Found { timetable: ctx.timetable(&sessions, &room_of, &teacher), objective }
    });
    let constructed_at = started.elapsed().as_secs_f64();
    if let Some(f) = &constructed {
        progress(&format!("construction: cost {} in {:.2} s", f.objective.total(), constructed_at));
    }
    let first = two_stage(&ctx, if joint_planned { 0.5 } else { 0.9 }, &mut size, progress)?;
    let mut bound = first.bound;
    let mut best = match first.status {
        RunStatus::Infeasible => return Ok(ctx.outcome(Status::Infeasible, None, None, size)),
        RunStatus::NoSolution => None,
        RunStatus::Optimal | RunStatus::Feasible => first.found,
    };
    let mut first_seconds = best.as_ref().map(|_| started.elapsed().as_secs_f64());
    if let Some(c) = constructed {
        first_seconds = Some(constructed_at);
        if best.as_ref().map_or(true, |b| c.objective.minimised() < b.objective.minimised() - 1e-9) {
            best = Some(c);
        }
    }
    let proven = |best: &Option<Found>, bound: f64| {
        best.as_ref().is_some_and(|b| b.objective.minimised() <= bound + 1e-6 * b.objective.minimised().abs().max(1.0))
    };
    if let Some(b) = &best {
        progress(&format!("first timetable: cost {} after {:.1} s (bound {:.3})", b.objective.total(), started.elapsed().as_secs_f64(), bound));
    }
    let time_left = options.time_limit.map_or(true, |t| t - started.elapsed().as_secs_f64() > 1.0);
    if !proven(&best, bound) && joint_planned && time_left {
        progress(&format!("joint model (times, instructors and rooms): {joint_columns} room columns"));
        let joint = joint(&ctx, &mut size)?;
        bound = bound.max(joint.bound);
        if joint.status == RunStatus::Infeasible {
            return Ok(ctx.outcome(Status::Infeasible, None, None, size));
        }
        if let Some(f) = joint.found {
            if best.as_ref().map_or(true, |b| f.objective.minimised() < b.objective.minimised() - 1e-9) {
                best = Some(f);
            }
        }
    }
    let status = match &best {
        None => Status::NoTimetableInTime,
        Some(_) if proven(&best, bound) => Status::Optimal,
        Some(_) => Status::Feasible,
    };
    let bound = if bound.is_finite() { Some(bound.max(0.0)) } else { None };
    let mut outcome = match best {
        Some(f) => ctx.outcome(status, Some(f.timetable), Some(f.objective), size).with_bound(bound),
        None => ctx.outcome(status, None, None, size).with_bound(bound),
    };
    outcome.first_timetable_seconds = first_seconds.or(outcome.timetable.as_ref().map(|_| outcome.seconds));
    Ok(outcome)
}

/// The fast construction alone (no integer program): a timetable meeting
/// every hard rule, or `None` if the greedy gets stuck.
pub fn construct(instance: &Instance) -> Option<Timetable> {
    let options = SolveOptions::default();
    let ctx = Context::new(instance, &options, Instant::now());
    greedy::construct(instance, &ctx.cal, &ctx.cand, options.seed, construction_attempts(instance))
        .map(|(sessions, rooms, teacher)| ctx.timetable(&sessions, &rooms, &teacher))
}

/// What every stage needs.
struct Context<'a> {
    instance: &'a Instance,
    options: &'a SolveOptions,
    started: Instant,
    cal: Calendars,
    cand: Candidates,
    graph: ConflictGraph,
}

/// One method's result.
struct Attempt {
    status: RunStatus,
    found: Option<Found>,
    bound: f64,
}

impl<'a> Context<'a> {
    fn new(instance: &'a Instance, options: &'a SolveOptions, started: Instant) -> Self {
        let cal = Calendars::new(instance);
        let cand = Candidates::new(instance, &cal);
        let graph = ConflictGraph::new(instance);
        Context { instance, options, started, cal, cand, graph }
    }

    /// Limits for a MIP that may use `share` of the time left.
    fn limits(&self, share: f64) -> RunLimits {
        RunLimits {
            time_limit: self.options.time_limit.map(|t| ((t - self.started.elapsed().as_secs_f64()) * share).max(0.05)),
            threads: self.options.threads,
            seed: self.options.seed,
            node_limit: self.options.node_limit,
            verbose: self.options.verbose,
        }
    }

    fn outcome(&self, status: Status, timetable: Option<Timetable>, objective: Option<Objective>, size: ModelSize) -> SolveOutcome {
        SolveOutcome {
            status,
            timetable,
            objective,
            bound: None,
            gap: None,
            seconds: self.started.elapsed().as_secs_f64(),
            first_timetable_seconds: None,
            model: size,
        }
    }

    fn timetable(&self, sessions: &[rooms::Session], room_of: &[RoomIdx], teacher: &[InstructorIdx]) -> Timetable {
        let placements = sessions
            .iter()
            .zip(room_of)
            .map(|(s, &room)| Placement {
                course: CourseIdx(s.course),
                slot: self.instance.calendar.slot(s.slot),
                room,
                instructor: teacher[s.course],
            })
            .collect();
        Timetable::new(placements)
    }
}

impl SolveOutcome {
    fn with_bound(mut self, bound: Option<f64>) -> Self {
        self.bound = bound;
        self.gap = match (self.objective, bound) {
            (Some(o), Some(b)) => {
                let o = o.minimised();
                Some(if o.abs() < 1e-9 { 0.0 } else { ((o - b) / o.abs()).max(0.0) })
            }
            _ => None,
        };
        self
    }
}

/// Sessions and instructors of a stage-1 style solution.
fn read_times(ctx: &Context, x: &[Vec<Option<Col>>], y: &[Vec<(InstructorIdx, Col)>], values: &[f64]) -> (Vec<rooms::Session>, Vec<InstructorIdx>) {
    let on = |c: Col| values[c.index] > 0.5;
    let mut sessions = Vec::new();
    let mut teacher = Vec::with_capacity(x.len());
    for (c, row) in x.iter().enumerate() {
        for (t, col) in row.iter().enumerate() {
            if col.is_some_and(on) {
                sessions.push(rooms::Session { course: c, slot: t });
            }
        }
        teacher.push(match y[c].iter().find(|(_, col)| on(*col)) {
            Some(&(i, _)) => i,
            None => ctx.cand.instructors[c][0],
        });
    }
    (sessions, teacher)
}

/// Times and instructors first, then rooms; repeated with a Hall cut when a
/// slot's sessions cannot all get rooms.
fn two_stage(ctx: &Context, share: f64, size: &mut ModelSize, progress: &mut dyn FnMut(&str)) -> Result<Attempt, String> {
    let inst = ctx.instance;
    let mut hall_cuts: Vec<Vec<RoomIdx>> = Vec::new();
    loop {
        let model = times::build(inst, &ctx.cal, &ctx.cand, &ctx.graph, &hall_cuts, times::Scope::Times);
        size.stage1_columns = model.builder.num_cols();
        size.stage1_rows = model.builder.num_rows();
        size.stage1_integer_columns = model.x.iter().flatten().flatten().count() + model.y.iter().map(Vec::len).sum::<usize>();
        progress(&format!(
            "stage 1 (times and instructors): {} columns ({} integer), {} rows",
            size.stage1_columns, size.stage1_integer_columns, size.stage1_rows
        ));
        let limits = ctx.limits(share * 0.9);
        let times::TimesModel { builder, x, y, .. } = model;
        let run = builder.solve(ctx.options.backend, &limits)?;
        if matches!(run.status, RunStatus::Infeasible | RunStatus::NoSolution) {
            return Ok(Attempt { status: run.status, found: None, bound: run.bound });
        }
        let (sessions, teacher) = read_times(ctx, &x, &y, &run.values);
        let start = match rooms::match_rooms(inst, &ctx.cal, &ctx.cand, &sessions) {
            rooms::Matching::Complete(start) => start,
            rooms::Matching::Deficient(set) => {
                progress(&format!("rooms: {} room(s) cannot hold the sessions placed among them; adding that cut", set.len()));
                hall_cuts.push(set);
                size.hall_rounds += 1;
                continue;
            }
        };
        let limits2 = ctx.limits(share.min(1.0) * 0.5);
        let (room_of, room_costs, _) = rooms::optimise_rooms(inst, &ctx.cal, &ctx.cand, &sessions, start, ctx.options.backend, &limits2)?;
        size.stage2_columns = sessions.iter().map(|s| ctx.cand.rooms_at(s.course, s.slot, &ctx.cal).len()).sum();
        let objective = price(ctx, &sessions, &teacher, &room_costs);
        let timetable = ctx.timetable(&sessions, &room_of, &teacher);
        return Ok(Attempt { status: run.status, found: Some(Found { timetable, objective }), bound: run.bound });
    }
}

/// The joint model: times, instructors and room use decided together, then
/// the rooms themselves by stage 2 on the times it chose.
fn joint(ctx: &Context, size: &mut ModelSize) -> Result<Attempt, String> {
    let inst = ctx.instance;
    let model = times::build(inst, &ctx.cal, &ctx.cand, &ctx.graph, &[], times::Scope::Joint);
    size.joint_columns = model.builder.num_cols();
    size.joint_rows = model.builder.num_rows();
    let times::TimesModel { builder, x, y, .. } = model;
    let run = builder.solve(ctx.options.backend, &ctx.limits(0.9))?;
    // Every course uses at least one room; the model charges that first
    // room too, so take it back from the bound.
    let base = if inst.weights.room_stability > 0.0 { inst.weights.room_stability * inst.courses.len() as f64 } else { 0.0 };
    let bound = run.bound - base;
    if matches!(run.status, RunStatus::Infeasible | RunStatus::NoSolution) {
        return Ok(Attempt { status: run.status, found: None, bound });
    }
    let (sessions, teacher) = read_times(ctx, &x, &y, &run.values);
    let rooms::Matching::Complete(start) = rooms::match_rooms(inst, &ctx.cal, &ctx.cand, &sessions) else {
        return Err("internal error: the joint model's times admit no room assignment".into());
    };
    let (room_of, room_costs, _) =
        rooms::optimise_rooms(inst, &ctx.cal, &ctx.cand, &sessions, start, ctx.options.backend, &ctx.limits(0.9))?;
    let objective = price(ctx, &sessions, &teacher, &room_costs);
    let timetable = ctx.timetable(&sessions, &room_of, &teacher);
    Ok(Attempt { status: run.status, found: Some(Found { timetable, objective }), bound })
}

/// Prices a solution from its decisions: sessions, instructors and the
/// room stage's costs. The continuous cost columns of a MIP stopped by a
/// limit may sit above their true value, so they are not read back.
fn price(ctx: &Context, sessions: &[rooms::Session], teacher: &[InstructorIdx], room_costs: &rooms::RoomCosts) -> Objective {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let n_slots = cal.num_slots();
    let mut days_used: Vec<std::collections::BTreeSet<usize>> = vec![Default::default(); inst.courses.len()];
    let mut cohort_busy = vec![vec![false; n_slots]; inst.cohorts.len()];
    let mut availability = room_costs.availability;
    let mut perturbation = room_costs.room_changes;
    for s in sessions {
        days_used[s.course].insert(cal.slot(s.slot).day.0);
        for k in &inst.courses[s.course].cohorts {
            cohort_busy[k.0][s.slot] = true;
        }
        availability += ctx.cal.course_penalty[s.course][s.slot] + ctx.cal.instructor_penalty[teacher[s.course].0][s.slot];
        if let Some(plan) = &ctx.cand.baseline {
            if !plan.at[s.course].contains_key(&s.slot) {
                perturbation += plan.weight;
            }
        }
    }
    if let Some(plan) = &ctx.cand.baseline {
        for (c, &i) in teacher.iter().enumerate() {
            if plan.instructor(c).is_some_and(|before| before != i) {
                perturbation += plan.weight;
            }
        }
    }
    let short_days: u32 = inst
        .courses
        .iter()
        .zip(&days_used)
        .map(|(course, days)| course.min_days.unwrap_or(0).saturating_sub(days.len() as u32))
        .sum();
    let mut isolated = 0u32;
    for s in sessions {
        let day = cal.day_slots(cal.slot(s.slot).day);
        for k in &inst.courses[s.course].cohorts {
            let busy = &cohort_busy[k.0];
            let before = s.slot > day.start && busy[s.slot - 1];
            let after = s.slot + 1 < day.end && busy[s.slot + 1];
            if !before && !after {
                isolated += 1;
            }
        }
    }
    round_components(Objective {
        room_capacity: room_costs.room_capacity,
        min_days: inst.weights.min_days * short_days as f64,
        compactness: inst.weights.compactness * isolated as f64,
        room_stability: room_costs.room_stability,
        availability,
        perturbation,
    })
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
        perturbation: r(o.perturbation),
    }
}
