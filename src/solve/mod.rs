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
mod error;
mod greedy;
mod joint;
mod lns;
mod loads;
mod memory;
mod pricing;
mod rooms;
mod stage1;
mod times;

use std::time::{Duration, Instant};

pub use backend::Backend;
use backend::RunStatus;
pub use cancel::Cancel;
use context::{Context, Found};
pub use error::SolveError;
pub use memory::{check_memory, estimate_memory};

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

/// How the solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// Under a clock a stalled search hands over to the joint model only when
/// the gap (cost less bound, over cost) is at most this: the joint model
/// can then prove or close it (generated small: 12 against 11.5). On
/// comp05, comp07 and comp12 the bound is near 0; there it proved and
/// improved nothing in the 80 to 250 s it had, while the search went on
/// finding moves.
const JOINT_MAX_GAP: f64 = 0.5;

/// Above this many stage-1 columns the monolithic two-stage model is not
/// built: on a teaching year it takes minutes to build and presolve (and
/// neither can be interrupted), while the neighbourhood search gives a
/// timetable in seconds.
const MONOLITHIC_MAX_COLUMNS: usize = 200_000;

/// Seconds stage 1 (and a third of that stage 2) may take before the
/// search starts. It gives a first timetable and the bound within seconds
/// where it is easy; where it is not, time spent there is time the search
/// lacks (comp07 at 300 s: 27 s in stage 1 for the timetable HiGHS had
/// after one second).
const STAGE1_MOST_SECONDS: f64 = 10.0;

/// Orders the construction tries before giving up: a count, not a clock,
/// so results repeat. One try takes milliseconds on small instances and
/// a fraction of a second on a teaching year.
fn construction_attempts(instance: &Instance) -> usize {
    match instance.num_sessions() {
        0..=500 => 30,
        501..=2000 => 5,
        _ => 1,
    }
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
    check_memory(instance, options)?;
    let started = Instant::now();
    let mut ctx = Context::new(instance, options, started);
    if let Some(b) = &options.baseline {
        ctx.cand.baseline = Some(candidates::BaselinePlan::new(instance, &b.timetable, b.move_weight));
    }
    if let Some(&(c, t)) = ctx.cand.blocked_pins.first() {
        let slot = instance.calendar.slot(t);
        observer.step(&format!(
            "course {} is pinned to {} period {}, when it cannot take place (blocked for the course, a cohort, every instructor or every room)",
            instance.courses[c].id,
            instance.calendar.days[slot.day.0].label,
            slot.period
        ));
        return Ok(ctx.outcome(Status::Infeasible, None, ModelSize::default()));
    }
    let joint_columns = times::joint_room_columns(instance, &ctx.cal, &ctx.cand);
    let joint_planned = joint_columns <= joint::JOINT_MAX_ROOM_COLUMNS;
    let searching = options.method == Method::Search;
    let two_stage_planned = !searching || times::estimate_columns(instance, &ctx.cand) <= MONOLITHIC_MAX_COLUMNS;
    let mut size = ModelSize::default();
    let mut best = Best { found: None, first_seconds: None, bound: pricing::simple_bound(&ctx) };

    // A construction first: the best timetable so far if the MIP finds
    // none in the time allowed, and the search's starting point.
    let preferred = loads::preferred_instructors(instance, &ctx.cal, &ctx.cand, options.backend, &ctx.limits_capped(0.05, 5.0));
    let constructed = greedy::construct(instance, &ctx.cal, &ctx.cand, preferred.as_deref(), options.seed, construction_attempts(instance));
    let mut plan = lns::Plan::new(instance.courses.len(), &constructed.sessions, &constructed.rooms, constructed.teacher.clone());
    if constructed.is_complete() {
        let score = lns::Score::of(&ctx, &plan);
        best.offer(&ctx, Found { timetable: plan.timetable(&ctx), objective: score.objective }, observer);
        observer.step(&format!("construction: cost {} in {:.2} s", score.objective.total(), started.elapsed().as_secs_f64()));
    } else {
        observer.step(&format!(
            "construction: {} course(s) left to place after {:.2} s; the search places them",
            constructed.unplaced.len(),
            started.elapsed().as_secs_f64()
        ));
    }

    if two_stage_planned {
        // Before a search, stage 1 gets a tenth of the time (a fifth when no
        // joint model follows to give a bound): where it is easy
        // that is plenty (ben-tre, medium and small are solved in under 3 s);
        // where it is not, the search uses the time better (comp07's root LP
        // alone takes 10 s, for a bound of 0 and one timetable from HiGHS's
        // feasibility jump, found in the first second).
        let (share, most) = match (searching, joint_planned) {
            (true, true) => (0.1, STAGE1_MOST_SECONDS),
            (true, false) => (0.2, STAGE1_MOST_SECONDS),
            (false, true) => (0.5, f64::INFINITY),
            (false, false) => (1.0, f64::INFINITY),
        };
        let first = stage1::first_two_stage(&ctx, share, most, &mut size, observer)?;
        best.bound = best.bound.max(first.bound);
        match first.status {
            RunStatus::Infeasible => return Ok(ctx.outcome(Status::Infeasible, None, size)),
            RunStatus::NoSolution => {}
            RunStatus::Optimal | RunStatus::Feasible => {
                if let Some(f) = first.found {
                    best.offer(&ctx, f, observer);
                }
            }
        }
    } else {
        observer.step("the model is large: improving by neighbourhoods instead of one integer program");
    }
    if let Some(b) = &best.found {
        observer.step(&format!(
            "first timetable: cost {} after {:.1} s (bound {:.3})",
            b.objective.total(),
            best.first_seconds.unwrap_or(0.0),
            best.bound
        ));
        plan = lns::Plan::from_timetable(&ctx, &b.timetable);
    }

    // The search keeps the time while it pays; when it stalls, the joint
    // model takes over. Handing over at a fixed share lost comp07 at 300 s
    // a third of its time: the joint model improved nothing in it. Under a
    // clock the joint model gets half of what is left, then the search
    // takes up the rest: on comp01 and comp12 at 300 s the search stalled
    // at 20 and 128 s, and the joint model improved nothing in the 150 to
    // 250 s it had, while a search given time still finds moves. Under a
    // clock the search also starts afresh at each stall until the time is
    // up, and skips the joint model when the gap is too wide for it to
    // close (see JOINT_MAX_GAP).
    let take_up_again = searching && options.time_limit.is_some() && options.node_limit.is_none() && options.rounds.is_none();
    let mut restart = 0;
    let mut joint_ran = false;
    // The searches after the first, summed: one line for them all, as a
    // small instance may start afresh many times before its time is up.
    let (mut again, mut again_starts) = (lns::Stats::default(), 0);
    loop {
        if searching && !best.proven() && ctx.seconds_left().is_none_or(|t| t > 0.5) {
            let deadline = ctx.seconds_left().map(|t| Instant::now() + Duration::from_secs_f64(t));
            let rounds = options.rounds.or(options.node_limit.map(|_| DEFAULT_WORK_ROUNDS));
            match restart {
                0 => observer.step("neighbourhood search"),
                1 => observer.step("neighbourhood search, taken up again (afresh at each stall until the time is up)"),
                _ => {}
            }
            let exact_follows = joint_planned && !joint_ran && restart == 0;
            let limits = lns::Limits { deadline, rounds, bound: best.bound, exact_follows, restart };
            let mut relay = Relay { ctx: &ctx, best: &mut best, observer };
            let (found_plan, score, stats) = lns::search(&ctx, plan, &limits, &mut relay)?;
            if restart == 0 {
                relay.observer.step(&search_summary("neighbourhood search", &stats, &score));
            } else {
                again = again.plus(&stats);
                again_starts += 1;
            }
            plan = found_plan;
        }
        if best.proven() || ctx.seconds_left().is_some_and(|t| t <= 1.0) {
            break;
        }
        let hand_over = joint_planned && !joint_ran && (!take_up_again || best.gap() <= JOINT_MAX_GAP);
        if hand_over {
            observer.step(&format!("joint model (times, instructors and rooms): {joint_columns} room columns"));
            let start = best.found.as_ref().map(|_| &plan);
            let share = if take_up_again { 0.5 } else { 0.9 };
            let joint = joint::joint(&ctx, &mut size, start, share)?;
            joint_ran = true;
            best.bound = best.bound.max(joint.bound);
            if joint.status == RunStatus::Infeasible {
                return Ok(ctx.outcome(Status::Infeasible, None, size));
            }
            if let Some(f) = joint.found {
                best.offer(&ctx, f, observer);
            }
        }
        match &best.found {
            Some(b) if take_up_again && !best.proven() => plan = lns::Plan::from_timetable(&ctx, &b.timetable),
            _ => break,
        }
        restart += 1;
    }
    if again_starts > 0 {
        let score = lns::Score::of(&ctx, &plan);
        observer.step(&search_summary(&format!("neighbourhood search taken up again {again_starts} time(s)"), &again, &score));
    }
    let status = match &best.found {
        None => Status::NoTimetableInTime,
        Some(_) if best.proven() => Status::Optimal,
        Some(_) => Status::Feasible,
    };
    let bound = if best.bound.is_finite() { Some(best.bound.max(0.0)) } else { None };
    let first_seconds = best.first_seconds;
    let mut outcome = ctx.outcome(status, best.found, size).with_bound(bound);
    outcome.first_timetable_seconds = first_seconds;
    Ok(outcome)
}

/// The best timetable so far, when it came, and the best bound.
struct Best {
    found: Option<Found>,
    first_seconds: Option<f64>,
    bound: f64,
}

impl Best {
    fn offer(&mut self, ctx: &Context, f: Found, observer: &mut dyn Observer) {
        let better = self.found.as_ref().is_none_or(|b| f.objective.minimised() < b.objective.minimised() - 1e-9);
        if better {
            let seconds = ctx.started.elapsed().as_secs_f64();
            self.first_seconds.get_or_insert(seconds);
            observer.incumbent(&f.timetable, &f.objective, self.bound.is_finite().then_some(self.bound), seconds);
            self.found = Some(f);
        }
    }

    /// 1 without a timetable or a bound.
    fn gap(&self) -> f64 {
        match &self.found {
            Some(b) if self.bound.is_finite() => pricing::relative_gap(b.objective.minimised(), self.bound.max(0.0)),
            _ => 1.0,
        }
    }

    fn proven(&self) -> bool {
        self.found.as_ref().is_some_and(|b| {
            let o = b.objective.minimised();
            o <= self.bound + 1e-6 * o.abs().max(1.0)
        })
    }
}

/// Passes the search's improvements on as timetables.
struct Relay<'a, 'b> {
    ctx: &'a Context<'a>,
    best: &'a mut Best,
    observer: &'b mut dyn Observer,
}

impl lns::OnImprovement for Relay<'_, '_> {
    fn improved(&mut self, plan: &lns::Plan, score: &lns::Score, _stats: &lns::Stats) {
        let seconds = self.ctx.started.elapsed().as_secs_f64();
        if score.missing == 0 {
            let found = Found { timetable: plan.timetable(self.ctx), objective: score.objective };
            self.best.offer(self.ctx, found, self.observer);
        }
        let cost = self.best.found.as_ref().map(|f| f.objective.total());
        self.observer.heartbeat(cost, self.best.bound.is_finite().then_some(self.best.bound), seconds);
    }
}

/// The fast construction alone (no integer program): a timetable meeting
/// every hard rule, or `None` if the greedy gets stuck.
pub fn construct(instance: &Instance) -> Option<Timetable> {
    let options = SolveOptions::default();
    let ctx = Context::new(instance, &options, Instant::now());
    let c = greedy::construct(instance, &ctx.cal, &ctx.cand, None, options.seed, construction_attempts(instance));
    c.is_complete().then(|| ctx.timetable(&c.sessions, &c.rooms, &c.teacher))
}

/// The line closing a search: its work and where it left the plan.
fn search_summary(what: &str, stats: &lns::Stats, score: &lns::Score) -> String {
    let cost = if score.missing == 0 { format!("{}", score.objective.total()) } else { format!("- ({} sessions unplaced)", score.missing) };
    format!("{what}: {} rounds, {} sub-problems, {} improvements; cost {cost}", stats.rounds, stats.solved, stats.improvements)
}
