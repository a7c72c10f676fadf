//! The order of a solve's steps: construction, the two-stage method, the
//! neighbourhood search and the joint model, each a [`Phase`] that says
//! which comes next.

use std::time::{Duration, Instant};

use super::backend::RunStatus;
use super::context::{Context, Found};
use super::{greedy, joint, lns, loads, pricing, stage1, times};
use super::{Method, ModelSize, Observer, SolveError, SolveOutcome, Status, DEFAULT_WORK_ROUNDS};

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

/// A step of the solve; each step says which one follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The greedy construction, which may leave courses out.
    Construct,
    /// Stage 1 and stage 2 (raced over seeds under a clock), when the
    /// model is of a reasonable size.
    TwoStage,
    /// The `n`-th neighbourhood search of the solve (0 for the first).
    Search(u64),
    /// The joint model, after the `n`-th search.
    Joint(u64),
    /// After the `n`-th search (and the joint model, if it ran): the
    /// search starts afresh from the best timetable, or the solve ends.
    Restart(u64),
    /// The solve has ended: no timetable exists.
    Infeasible,
    /// The solve has ended with the best timetable it has, if any.
    Done,
}

/// The joint model over a solve: too large to build, still to come, or run
/// (it runs once at most).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JointModel {
    TooLarge,
    Pending { room_columns: usize },
    Ran,
}

/// Solves with `ctx`, telling `observer` as it goes (see
/// [`super::solve_observed`] for the method).
pub(super) fn run(ctx: &Context, observer: &mut dyn Observer) -> Result<SolveOutcome, SolveError> {
    let instance = ctx.instance;
    let mut driver = Driver::new(ctx, observer);
    if let Some(&(c, t)) = ctx.cand.blocked_pins.first() {
        let slot = instance.calendar.slot(t);
        driver.observer.step(&format!(
            "course {} is pinned to {} period {}, where no valid timetable can honour the pin (a block, the course's window, or a room or instructor it may not use there)",
            instance.courses[c].id,
            instance.calendar.days[slot.day.0].label,
            slot.period
        ));
        driver.construct_partial();
        return Ok(driver.finish(Phase::Infeasible));
    }
    let mut phase = Phase::Construct;
    while !matches!(phase, Phase::Infeasible | Phase::Done) {
        phase = driver.step(phase)?;
    }
    if phase == Phase::Infeasible {
        driver.place_what_fits()?;
    }
    Ok(driver.finish(phase))
}

/// What the steps of a solve share.
struct Driver<'a, 'o> {
    ctx: &'a Context<'a>,
    observer: &'o mut dyn Observer,
    best: Best,
    size: ModelSize,
    /// The search's starting point: the construction's plan, then the
    /// best timetable's, or the last search's result.
    plan: lns::Plan,
    joint: JointModel,
    searching: bool,
    /// Under a clock the search starts afresh at each stall until the time
    /// is up.
    take_up_again: bool,
    /// The searches after the first, summed, and how many there were: one
    /// line for them all, as a small instance may start afresh many times
    /// before its time is up.
    again: lns::Stats,
    again_starts: u64,
}

impl<'a, 'o> Driver<'a, 'o> {
    fn new(ctx: &'a Context<'a>, observer: &'o mut dyn Observer) -> Self {
        let options = ctx.options;
        let room_columns = times::joint_room_columns(ctx.instance, &ctx.cal, &ctx.cand);
        let joint = if room_columns <= joint::JOINT_MAX_ROOM_COLUMNS { JointModel::Pending { room_columns } } else { JointModel::TooLarge };
        let searching = options.method == Method::Search;
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
        Driver {
            ctx,
            observer,
            best: Best { found: None, first_seconds: None, bound: pricing::simple_bound(ctx) },
            size: ModelSize::default(),
            plan: lns::Plan::default(),
            joint,
            searching,
            take_up_again,
            again: lns::Stats::default(),
            again_starts: 0,
        }
    }

    /// Runs `phase` and says which phase follows.
    fn step(&mut self, phase: Phase) -> Result<Phase, SolveError> {
        match phase {
            Phase::Construct => {
                self.construct();
                Ok(Phase::TwoStage)
            }
            Phase::TwoStage => self.two_stage(),
            Phase::Search(n) => {
                self.search(n)?;
                Ok(self.after_search(n))
            }
            Phase::Joint(n) => self.joint(n),
            Phase::Restart(n) => Ok(self.restart(n)),
            Phase::Infeasible | Phase::Done => Ok(phase),
        }
    }

    /// A construction first: the best timetable so far if the MIP finds
    /// none in the time allowed, and the search's starting point.
    fn construct(&mut self) {
        let (ctx, instance) = (self.ctx, self.ctx.instance);
        let options = ctx.options;
        let preferred = loads::preferred_instructors(instance, &ctx.cal, &ctx.cand, options.backend, &ctx.limits_capped(0.05, 5.0));
        let attempts = greedy::attempts(instance);
        let constructed = greedy::construct(instance, &ctx.cal, &ctx.cand, preferred.as_deref(), options.seed, attempts);
        self.plan = lns::Plan::new(instance.courses.len(), &constructed.sessions, &constructed.rooms, constructed.teacher.clone());
        if constructed.is_complete() {
            let score = lns::Score::of(ctx, &self.plan);
            self.best.offer(ctx, Found { timetable: self.plan.timetable(ctx), objective: score.objective }, self.observer);
            self.observer.step(&format!("construction: cost {} in {:.2} s", score.objective.total(), ctx.started.elapsed().as_secs_f64()));
        } else {
            self.observer.step(&format!(
                "construction: {} course(s) left to place after {:.2} s; the search places them",
                constructed.unplaced.len(),
                ctx.started.elapsed().as_secs_f64()
            ));
        }
    }

    /// The two-stage method, when the model is of a reasonable size; then
    /// the search starts from the best timetable so far.
    fn two_stage(&mut self) -> Result<Phase, SolveError> {
        let ctx = self.ctx;
        let planned = !self.searching || times::estimate_columns(ctx.instance, &ctx.cand) <= MONOLITHIC_MAX_COLUMNS;
        if planned {
            // Before a search, stage 1 gets a tenth of the time (a fifth when no
            // joint model follows to give a bound): where it is easy
            // that is plenty (ben-tre, medium and small are solved in under 3 s);
            // where it is not, the search uses the time better (comp07's root LP
            // alone takes 10 s, for a bound of 0 and one timetable from HiGHS's
            // feasibility jump, found in the first second).
            let joint_planned = self.joint != JointModel::TooLarge;
            let (share, most) = match (self.searching, joint_planned) {
                (true, true) => (0.1, STAGE1_MOST_SECONDS),
                (true, false) => (0.2, STAGE1_MOST_SECONDS),
                (false, true) => (0.5, f64::INFINITY),
                (false, false) => (1.0, f64::INFINITY),
            };
            let first = stage1::first_two_stage(ctx, share, most, &mut self.size, self.observer)?;
            self.best.bound = self.best.bound.max(first.bound);
            match first.status {
                RunStatus::Infeasible => return Ok(Phase::Infeasible),
                RunStatus::NoSolution => {}
                RunStatus::Optimal | RunStatus::Feasible => {
                    if let Some(f) = first.found {
                        self.best.offer(ctx, f, self.observer);
                    }
                }
            }
        } else {
            self.observer.step("the model is large: improving by neighbourhoods instead of one integer program");
        }
        if let Some(b) = &self.best.found {
            self.observer.step(&format!(
                "first timetable: cost {} after {:.1} s (bound {:.3})",
                b.objective.total(),
                self.best.first_seconds.unwrap_or(0.0),
                self.best.bound
            ));
            self.plan = lns::Plan::from_timetable(ctx, &b.timetable);
        }
        Ok(if self.searching { Phase::Search(0) } else { self.after_search(0) })
    }

    /// The `n`-th search, from `plan`, unless the best timetable is proven
    /// optimal or the time is all but up.
    fn search(&mut self, n: u64) -> Result<(), SolveError> {
        let ctx = self.ctx;
        if self.best.proven() || ctx.seconds_left().is_some_and(|t| t <= 0.5) {
            return Ok(());
        }
        let deadline = ctx.seconds_left().map(|t| Instant::now() + Duration::from_secs_f64(t));
        let rounds = ctx.options.rounds.or(ctx.options.node_limit.map(|_| DEFAULT_WORK_ROUNDS));
        match n {
            0 => self.observer.step("neighbourhood search"),
            1 => self.observer.step("neighbourhood search, taken up again (afresh at each stall until the time is up)"),
            _ => {}
        }
        let exact_follows = n == 0 && matches!(self.joint, JointModel::Pending { .. });
        let limits = lns::Limits { deadline, rounds, bound: self.best.bound, exact_follows, restart: n };
        let mut relay = Relay { ctx, best: &mut self.best, observer: &mut *self.observer };
        let (found_plan, score, stats) = lns::search(ctx, std::mem::take(&mut self.plan), &limits, &mut relay)?;
        if n == 0 {
            self.observer.step(&search_summary("neighbourhood search", &stats, &score));
        } else {
            self.again = self.again.plus(&stats);
            self.again_starts += 1;
        }
        self.plan = found_plan;
        Ok(())
    }

    /// What follows the `n`-th search: the end when the best timetable is
    /// proven or the time is up, else the joint model when it is due.
    fn after_search(&self, n: u64) -> Phase {
        if self.best.proven() || self.ctx.options.cancel.is_cancelled() || self.ctx.seconds_left().is_some_and(|t| t <= 1.0) {
            return Phase::Done;
        }
        let gap_closable = !self.take_up_again || self.best.gap() <= JOINT_MAX_GAP;
        match self.joint {
            JointModel::Pending { .. } if gap_closable => Phase::Joint(n),
            _ => Phase::Restart(n),
        }
    }

    /// The joint model, started from the best timetable's plan.
    fn joint(&mut self, n: u64) -> Result<Phase, SolveError> {
        let JointModel::Pending { room_columns } = self.joint else { return Ok(Phase::Restart(n)) };
        let ctx = self.ctx;
        self.observer.step(&format!("joint model (times, instructors and rooms): {room_columns} room columns"));
        let start = self.best.found.as_ref().map(|_| &self.plan);
        let share = if self.take_up_again { 0.5 } else { 0.9 };
        let joint = joint::joint(ctx, &mut self.size, start, share)?;
        self.joint = JointModel::Ran;
        self.best.bound = self.best.bound.max(joint.bound);
        if joint.status == RunStatus::Infeasible {
            return Ok(Phase::Infeasible);
        }
        if let Some(f) = joint.found {
            self.best.offer(ctx, f, self.observer);
        }
        Ok(Phase::Restart(n))
    }

    /// Afresh from the best timetable while the clock allows, or the end.
    fn restart(&mut self, n: u64) -> Phase {
        match &self.best.found {
            Some(b) if self.take_up_again && !self.best.proven() && !self.ctx.options.cancel.is_cancelled() => {
                self.plan = lns::Plan::from_timetable(self.ctx, &b.timetable);
                Phase::Search(n + 1)
            }
            _ => Phase::Done,
        }
    }

    /// With pins that cannot hold, no timetable exists: the construction
    /// alone gives the partial one, without the courses pinned so.
    fn construct_partial(&mut self) {
        let (ctx, instance) = (self.ctx, self.ctx.instance);
        let constructed = greedy::construct(instance, &ctx.cal, &ctx.cand, None, ctx.options.seed, greedy::attempts(instance));
        self.plan = lns::Plan::new(instance.courses.len(), &constructed.sessions, &constructed.rooms, constructed.teacher.clone());
        for &(c, _) in &ctx.cand.blocked_pins {
            self.plan.placed[c].clear();
        }
    }

    /// After infeasibility is proven: the search places what it can of
    /// the courses the construction left out (it places as many sessions
    /// as it can before it lowers the cost), within the work limit or the
    /// time left, so the planner gets the largest partial timetable it
    /// finds and the courses that stay out.
    fn place_what_fits(&mut self) -> Result<(), SolveError> {
        let ctx = self.ctx;
        if !self.searching || self.plan.placed.is_empty() || lns::Score::of(ctx, &self.plan).missing == 0 {
            return Ok(());
        }
        if ctx.seconds_left().is_some_and(|t| t <= 0.5) || ctx.options.cancel.is_cancelled() {
            return Ok(());
        }
        self.observer.step("no timetable exists: placing what fits");
        let deadline = ctx.seconds_left().map(|t| Instant::now() + Duration::from_secs_f64(t));
        let rounds = Some(ctx.options.rounds.unwrap_or(DEFAULT_WORK_ROUNDS));
        let limits = lns::Limits { deadline, rounds, bound: f64::NEG_INFINITY, exact_follows: false, restart: 0 };
        let (plan, _, _) = lns::search(ctx, std::mem::take(&mut self.plan), &limits, &mut Quiet)?;
        self.plan = plan;
        Ok(())
    }

    /// The outcome of a solve that ended in `phase`.
    fn finish(self, phase: Phase) -> SolveOutcome {
        let ctx = self.ctx;
        if phase == Phase::Infeasible {
            let mut outcome = ctx.outcome(Status::Infeasible, None, self.size);
            outcome.partial = Some(self.plan.timetable(ctx));
            return outcome;
        }
        if self.again_starts > 0 {
            let score = lns::Score::of(ctx, &self.plan);
            let what = format!("neighbourhood search taken up again {} time(s)", self.again_starts);
            self.observer.step(&search_summary(&what, &self.again, &score));
        }
        let best = self.best;
        let status = match &best.found {
            None => Status::NoTimetableInTime,
            Some(_) if best.proven() => Status::Optimal,
            Some(_) => Status::Feasible,
        };
        let partial = best.found.is_none().then(|| self.plan.timetable(ctx));
        let bound = if best.bound.is_finite() { Some(best.bound.max(0.0)) } else { None };
        let mut outcome = ctx.outcome(status, best.found, self.size).with_bound(bound);
        outcome.first_timetable_seconds = best.first_seconds;
        outcome.partial = partial;
        outcome
    }
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

/// A search whose improvements nobody watches: one that only places what
/// fits of an instance proven infeasible.
struct Quiet;

impl lns::OnImprovement for Quiet {
    fn improved(&mut self, _plan: &lns::Plan, _score: &lns::Score, _stats: &lns::Stats) {}
}

/// The line closing a search: its work and where it left the plan.
fn search_summary(what: &str, stats: &lns::Stats, score: &lns::Score) -> String {
    let cost = if score.missing == 0 { format!("{}", score.objective.total()) } else { format!("- ({} sessions unplaced)", score.missing) };
    format!("{what}: {} rounds, {} sub-problems, {} improvements; cost {cost}", stats.rounds, stats.solved, stats.improvements)
}
