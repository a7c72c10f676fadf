//! Large neighbourhood search: the integer program as the engine of a local
//! search. Each round frees part of the current timetable (some days, a
//! cohort and its neighbours, instructors who could swap courses, a few
//! rooms, the sessions that cost most, the rooms at the times of courses
//! spread over several rooms, linked cohorts on a few days, or the
//! surroundings of a course not yet placed), keeps everything else fixed, and solves the joint model of
//! that part to optimality. A result is kept when it is not worse, so the
//! cost only goes down.
//!
//! Neighbourhood sizes adapt: a kind whose sub-problems solve to optimality
//! grows, one that hits its limit shrinks. Kinds that pay are chosen more
//! often. With several threads, that many neighbourhoods are solved at once
//! and merged when they do not clash.
//!
//! Determinism: under a node limit the search goes in rounds. Neighbourhoods
//! are drawn from a seeded generator before the round is solved, results
//! are merged in a fixed order, and adaptation reads statuses, not clocks,
//! so the search repeats exactly for a seed and thread count. Under a clock
//! with several threads, workers do not wait for each other, and the order
//! in which their results arrive decides the search.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::backend::{RunLimits, RunStatus};
use super::candidates::Candidates;
use super::context::Context;
use super::pricing::price;
use super::rooms::{self, Session};
use super::times::{self, Scope};
use super::Objective;
use crate::model::{CourseIdx, DayIdx, InstructorIdx, Pin, RoomIdx};

/// A complete or partial timetable: per course its instructor and its
/// sessions as (slot, room), sorted by slot. A course with fewer sessions
/// than it needs has none (the construction places courses whole).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub teacher: Vec<InstructorIdx>,
    pub placed: Vec<Vec<(usize, RoomIdx)>>,
}

impl Plan {
    pub fn new(n_courses: usize, sessions: &[Session], rooms: &[RoomIdx], teacher: Vec<InstructorIdx>) -> Plan {
        let mut placed = vec![Vec::new(); n_courses];
        for (s, &r) in sessions.iter().zip(rooms) {
            placed[s.course].push((s.slot, r));
        }
        for p in &mut placed {
            p.sort_unstable();
        }
        Plan { teacher, placed }
    }

    /// A timetable's decisions, indexed for the search.
    pub fn from_timetable(ctx: &Context, timetable: &crate::model::Timetable) -> Plan {
        let cal = &ctx.instance.calendar;
        let n = ctx.instance.courses.len();
        let mut teacher: Vec<InstructorIdx> = ctx.cand.instructors.iter().map(|o| o[0]).collect();
        let mut placed = vec![Vec::new(); n];
        for p in &timetable.placements {
            placed[p.course.0].push((cal.slot_index(p.slot), p.room));
            teacher[p.course.0] = p.instructor;
        }
        for p in &mut placed {
            p.sort_unstable();
        }
        Plan { teacher, placed }
    }

    /// The plan as a timetable (complete only if no course is unplaced).
    pub fn timetable(&self, ctx: &Context) -> crate::model::Timetable {
        let (sessions, rooms) = self.sessions();
        ctx.timetable(&sessions, &rooms, &self.teacher)
    }

    /// Sessions and rooms in course order.
    pub fn sessions(&self) -> (Vec<Session>, Vec<RoomIdx>) {
        let mut sessions = Vec::new();
        let mut rooms = Vec::new();
        for (c, p) in self.placed.iter().enumerate() {
            for &(t, r) in p {
                sessions.push(Session { course: c, slot: t });
                rooms.push(r);
            }
        }
        (sessions, rooms)
    }

    fn unplaced(&self, ctx: &Context) -> Vec<usize> {
        (0..self.placed.len()).filter(|&c| self.placed[c].len() < ctx.instance.courses[c].sessions as usize).collect()
    }

    fn missing_sessions(&self, ctx: &Context) -> u32 {
        self.unplaced(ctx).iter().map(|&c| ctx.instance.courses[c].sessions - self.placed[c].len() as u32).sum()
    }
}

/// A plan's standing: sessions still unplaced first, then cost.
#[derive(Debug, Clone, Copy)]
pub struct Score {
    pub missing: u32,
    pub objective: Objective,
}

impl Score {
    pub fn of(ctx: &Context, plan: &Plan) -> Score {
        let (sessions, rooms) = plan.sessions();
        let costs = rooms::costs(ctx.instance, &ctx.cal, &ctx.cand, &sessions, &rooms);
        Score { missing: plan.missing_sessions(ctx), objective: price(ctx, &sessions, &plan.teacher, &costs) }
    }

    pub fn better_than(&self, other: &Score) -> bool {
        self.missing < other.missing || self.missing == other.missing && self.objective.minimised() < other.objective.minimised() - 1e-9
    }

    fn not_worse_than(&self, other: &Score) -> bool {
        !other.better_than(self)
    }
}

/// Sub-problems with more room columns than this leave rooms to matching.
const SUB_JOINT_MAX_ROOM_COLUMNS: usize = 20_000;

/// What a repair sub-problem charges per session it leaves out: above any
/// cost placing it could bring, so sub-problems place what they can.
const MISSING_COST: f64 = 1e4;

/// The kinds of neighbourhood, in the order their statistics are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A course not yet placed, with the sessions around it in its window.
    Unplaced,
    /// Every session on a few days.
    Days,
    /// A cohort's courses and those of cohorts in conflict with them.
    Cohorts,
    /// Courses that instructors could swap between them.
    Instructors,
    /// The sessions in a few similar rooms over a stretch of days.
    Rooms,
    /// The courses that carry the most cost.
    Costly,
    /// Every room at the times of courses spread over several rooms, with
    /// times and instructors kept: sessions trade rooms so that a course
    /// can keep to one (room stability), a move the kinds that free times
    /// rarely find, because the room a course wants is held at each of its
    /// times by a session that is not free.
    SlotRooms,
    /// A costly course's cohorts and the cohorts in conflict with them, on
    /// a few days: their sessions trade places within those days, which
    /// closes the gaps in a cohort's day (compactness) that freeing whole
    /// courses over the calendar leaves too many choices to close in time.
    CohortDays,
}

/// How many kinds there are (the learner's table size).
const KINDS: usize = Kind::CohortDays as usize + 1;

const IMPROVING: [Kind; 7] = [Kind::Days, Kind::Cohorts, Kind::Instructors, Kind::Rooms, Kind::Costly, Kind::SlotRooms, Kind::CohortDays];

impl Kind {
    fn index(self) -> usize {
        self as usize
    }
}

/// What a neighbourhood frees.
#[derive(Debug, Clone)]
struct Neighbourhood {
    kind: Kind,
    /// Per course, the slots of its placed sessions set free. A course
    /// whose sessions are all free may also change instructor.
    freed: Vec<BTreeSet<usize>>,
    /// Courses not yet placed that this neighbourhood must place.
    unplaced: Vec<usize>,
    /// Courses that keep their slots and rooms but may change instructor.
    reteach: BTreeSet<usize>,
    /// Courses whose freed sessions may go anywhere, not only in the region.
    anywhere: BTreeSet<usize>,
    /// Slots where freed sessions may go (any of the course's when None).
    region: Option<Vec<bool>>,
    /// Rooms freed sessions may use (any compatible one when None).
    rooms: Option<Vec<bool>>,
    /// Freed sessions keep their slots and instructors: only rooms change.
    keep_times: bool,
}

impl Neighbourhood {
    fn new(kind: Kind, n_courses: usize) -> Self {
        Neighbourhood {
            kind,
            freed: vec![BTreeSet::new(); n_courses],
            unplaced: Vec::new(),
            reteach: BTreeSet::new(),
            anywhere: BTreeSet::new(),
            region: None,
            rooms: None,
            keep_times: false,
        }
    }

    fn size(&self) -> usize {
        self.freed.iter().map(BTreeSet::len).sum()
    }

    fn free_course(&mut self, plan: &Plan, c: usize) {
        self.freed[c].extend(plan.placed[c].iter().map(|&(t, _)| t));
    }

    /// Courses whose decisions this neighbourhood may change.
    fn touched(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.freed.len()).filter(|&c| !self.freed[c].is_empty() || self.reteach.contains(&c)).chain(self.unplaced.iter().copied())
    }
}

/// Progress of the search, for the caller's display.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Rounds: sub-problems solved over threads, rounded up (the workers
    /// of the clocked search keep no rounds of their own).
    pub rounds: u64,
    /// Sub-problems solved.
    pub solved: u64,
    /// Times the best plan improved (once per round at most in rounds).
    pub improvements: u64,
}

impl Stats {
    /// Two searches' work together.
    pub fn plus(&self, other: &Stats) -> Stats {
        Stats {
            rounds: self.rounds + other.rounds,
            solved: self.solved + other.solved,
            improvements: self.improvements + other.improvements,
        }
    }
}

/// Stops and knobs of one search.
pub struct Limits {
    pub deadline: Option<Instant>,
    /// Rounds at most (a work limit).
    pub rounds: Option<u64>,
    /// Best bound known: stop when the cost reaches it.
    pub bound: f64,
    /// An exact model runs after the search, started from its result: a
    /// search that stops paying should hand over sooner, because only the
    /// exact model can prove a timetable optimal.
    pub exact_follows: bool,
    /// Which search of the solve this is (0 for the first): a search taken
    /// up again draws other neighbourhoods than the one before it.
    pub restart: u64,
}

/// What the search hands back each time its best plan improves.
pub trait OnImprovement {
    fn improved(&mut self, plan: &Plan, score: &Score, stats: &Stats);
}

/// The most sessions a neighbourhood frees: half the timetable. Freeing
/// more is solving the whole model under a short cap, which the exact model
/// after the search does with all the time left.
fn largest_part(total: usize) -> f64 {
    (total as f64 / 2.0).max(4.0).min(total.max(1) as f64)
}

/// The longest cap of an improving sub-problem, in seconds. Sizes adapt
/// until about a quarter of the sub-problems hit their cap, so the cap sets
/// how large and slow they get. With 10 s, 300 s runs spent their first
/// minute on sub-problems of up to 10 s and were far behind 60 s runs
/// (caps of 2.4 s and less) at the 60 s mark: comp07 134 to 171 against
/// 53 to 91, comp12 354 and 505 against 337 to 375, comp05 342 to 389
/// against 318 to 377. On comp07 at 120 s, the capped sub-problems took
/// 70 % of the solve time.
const IMPROVING_CAP_MOST_SECONDS: f64 = 2.5;

/// Per-kind learning: neighbourhood size (sessions freed) and a weight that
/// follows how often the kind pays.
struct Learner {
    size: Vec<f64>,
    weight: Vec<f64>,
}

impl Learner {
    fn new(total: usize) -> Self {
        let start = largest_part(total).min(30.0);
        Learner { size: vec![start; KINDS], weight: vec![1.0; KINDS] }
    }

    fn pick(&self, rng: &mut ChaCha8Rng) -> Kind {
        let total: f64 = IMPROVING.iter().map(|k| self.weight[k.index()]).sum();
        let mut x = rng.gen::<f64>() * total;
        for k in IMPROVING {
            x -= self.weight[k.index()];
            if x <= 0.0 {
                return k;
            }
        }
        Kind::Days
    }

    /// Adapts the kind's size to how its sub-problem ended (`None`: the
    /// result could not be merged, which says nothing about its size) and
    /// its weight to whether it paid.
    fn learn(&mut self, kind: Kind, status: Option<RunStatus>, improved: bool, total: usize) {
        let i = kind.index();
        let size = &mut self.size[i];
        match status {
            Some(RunStatus::Optimal | RunStatus::Infeasible) => *size = (*size * 1.15 + 1.0).min(largest_part(total)),
            Some(RunStatus::Feasible | RunStatus::NoSolution) => *size = (*size * 0.7).max(4.0),
            None => {}
        }
        let reward = if improved { 1.0 } else { 0.0 };
        self.weight[i] = (0.9 * self.weight[i] + 0.1 * reward).max(0.05);
    }
}

/// Improves `plan` (complete or not) until a limit is reached, the bound is
/// met, or the search stalls. Returns the best plan and its score.
///
/// Under a work limit (or with one thread) the search goes in rounds: one
/// neighbourhood per thread, all solved from the same timetable, merged in
/// a fixed order, so the result repeats. Under a clock with several threads
/// each worker takes a new neighbourhood as soon as its last one is solved:
/// sub-problems differ widely in solve time, and waiting for the slowest of
/// a round left the other threads idle for a third of the time on comp07.
pub fn search(ctx: &Context, plan: Plan, limits: &Limits, on_improvement: &mut dyn OnImprovement) -> Result<(Plan, Score, Stats), String> {
    let parallel = ctx.options.threads.max(1) as usize;
    let deterministic = ctx.options.node_limit.is_some();
    let mut state = State::new(ctx, plan, limits);
    if parallel > 1 && !deterministic {
        // Repairs go in rounds: racing workers repairing different courses
        // from the same plan mostly clash on merging, and on the generated
        // year one run of three was left with courses out at 120 s.
        if state.current_score.missing > 0 {
            state.until_complete = true;
            search_in_rounds(&mut state, parallel, on_improvement)?;
            state.until_complete = false;
        }
        search_async(&mut state, parallel, on_improvement)?;
    } else {
        search_in_rounds(&mut state, parallel, on_improvement)?;
    }
    Ok((state.current, state.current_score, state.stats))
}

/// What the search knows between sub-problems.
struct State<'a> {
    ctx: &'a Context<'a>,
    limits: &'a Limits,
    rng: ChaCha8Rng,
    learner: Learner,
    current: Plan,
    current_score: Score,
    /// Counts the changes to `current`: a result computed from an older
    /// version is merged, not taken whole.
    version: u64,
    stats: Stats,
    /// Escalation for courses that would not go in: their neighbourhood grows.
    repair_tries: BTreeMap<usize, u32>,
    last_improvement_round: u64,
    total_sessions: usize,
    /// Stop as soon as every course is placed (the repair phase).
    until_complete: bool,
}

impl<'a> State<'a> {
    fn new(ctx: &'a Context<'a>, plan: Plan, limits: &'a Limits) -> Self {
        let total_sessions = ctx.instance.num_sessions();
        State {
            ctx,
            limits,
            rng: ChaCha8Rng::seed_from_u64(ctx.options.seed ^ 0x6c6e73 ^ limits.restart.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            learner: Learner::new(total_sessions),
            current_score: Score::of(ctx, &plan),
            current: plan,
            version: 0,
            stats: Stats::default(),
            repair_tries: BTreeMap::new(),
            last_improvement_round: 0,
            total_sessions,
            until_complete: false,
        }
    }

    fn time_left(&self) -> Option<f64> {
        self.limits.deadline.map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64())
    }

    /// Whether to start no more sub-problems: out of time or rounds, the
    /// bound met, or a stall.
    fn done(&self) -> bool {
        let limits = self.limits;
        if self.time_left().is_some_and(|t| t < 0.05) || limits.rounds.is_some_and(|r| self.stats.rounds >= r) {
            return true;
        }
        let score = &self.current_score;
        let proven = score.missing == 0 && score.objective.minimised() <= limits.bound + 1e-6 * score.objective.minimised().abs().max(1.0);
        // A stalled search has tried every kind at every size many times.
        let since = self.stats.rounds - self.last_improvement_round;
        let patience = if limits.exact_follows { 20 + self.last_improvement_round } else { 60 + 2 * self.last_improvement_round };
        // A repair that stalls stops too when no clock would stop it.
        let stalled = self.stats.rounds > 20 && since > patience;
        proven || stalled && (score.missing == 0 || limits.deadline.is_none()) || self.until_complete && score.missing == 0
    }

    /// The `k`-th neighbourhood drawn: the surroundings of a course still
    /// unplaced while there is one (taking them in turn), else a kind the
    /// learner picks (see `draw` for `busy`).
    fn draw_next(&mut self, k: usize, busy: &[bool]) -> Neighbourhood {
        let unplaced = self.current.unplaced(self.ctx);
        if unplaced.is_empty() {
            let kind = self.learner.pick(&mut self.rng);
            draw(self.ctx, &self.current, kind, self.learner.size[kind.index()] as usize, busy, &mut self.rng)
        } else {
            let c = unplaced[k % unplaced.len()];
            let tries = self.repair_tries.get(&c).copied().unwrap_or(0);
            around_unplaced(self.ctx, &self.current, c, tries, &mut self.rng)
        }
    }

    /// Limits of a sub-problem started now: one thread, and a cap that
    /// keeps one hard neighbourhood from eating the whole time limit.
    fn sub_limits(&self, deterministic: bool) -> RunLimits {
        let time_left = self.time_left();
        let cap = if deterministic {
            None
        } else {
            // Repairs get a larger share: until every course is placed there
            // is no timetable to give the planner.
            let repairing = self.current_score.missing > 0;
            let (share, most) = if repairing { (0.25, 10.0) } else { (0.04, IMPROVING_CAP_MOST_SECONDS) };
            time_left.map(|t| (t * share).clamp(0.5, most).min(t)).or(Some(most))
        };
        RunLimits {
            time_limit: cap.map(|c| time_left.map_or(c, |t| c.min(t))),
            threads: 1,
            seed: self.ctx.options.seed,
            node_limit: self.ctx.options.node_limit,
            verbose: false,
        }
    }

    /// Takes a sub-problem's result: whole when it was solved from the
    /// current plan, merged when the plan has changed since (only what the
    /// sub-problem changed from `base`, the plan it was solved from, if that
    /// still fits), and kept when it is not worse. Returns whether the cost
    /// went down.
    fn apply(&mut self, nb: &Neighbourhood, status: RunStatus, found: Option<Plan>, base: &Plan, base_version: u64) -> bool {
        let mut improved = false;
        let mut fits = true;
        let stale = base_version != self.version;
        let own = if tracing() { found.as_ref().map(|p| Score::of(self.ctx, p).objective.total()) } else { None };
        if let Some(plan) = found {
            let candidate = if base_version == self.version {
                Some(plan)
            } else {
                // Only what the sub-problem changed: copying what it kept
                // would undo the moves made since.
                let mut merged = self.current.clone();
                if nb.keep_times {
                    // New rooms, where the session is still there.
                    for (c, slots) in nb.freed.iter().enumerate().filter(|(_, f)| !f.is_empty()) {
                        if merged.teacher[c] != plan.teacher[c] {
                            continue;
                        }
                        for &(t, r) in plan.placed[c].iter().filter(|&&(t, r)| slots.contains(&t) && !base.placed[c].contains(&(t, r))) {
                            if let Some(session) = merged.placed[c].iter_mut().find(|(u, _)| *u == t) {
                                session.1 = r;
                            }
                        }
                    }
                } else {
                    for c in nb.touched() {
                        if plan.placed[c] != base.placed[c] || plan.teacher[c] != base.teacher[c] {
                            merged.placed[c] = plan.placed[c].clone();
                            merged.teacher[c] = plan.teacher[c];
                        }
                    }
                }
                fits = !clashes(self.ctx, &merged);
                fits.then_some(merged)
            };
            if let Some(candidate) = candidate {
                let score = Score::of(self.ctx, &candidate);
                // Not worse, merged or not: moves that keep the cost let
                // the search leave a plateau.
                if score.not_worse_than(&self.current_score) {
                    improved = score.better_than(&self.current_score);
                    if candidate != self.current {
                        self.current = candidate;
                        self.version += 1;
                    }
                    self.current_score = score;
                }
            }
        }
        if tracing() {
            eprintln!(
                "apply {:?} freed {} status {:?} stale {stale} own {own:?} fits {fits} improved {improved} cost {} stability {}",
                nb.kind,
                nb.size(),
                status,
                self.current_score.objective.total(),
                self.current_score.objective.room_stability
            );
        }
        if nb.kind == Kind::Unplaced {
            for &c in &nb.unplaced {
                if self.current.placed[c].len() < self.ctx.instance.courses[c].sessions as usize {
                    *self.repair_tries.entry(c).or_default() += 1;
                }
            }
        } else {
            self.learner.learn(nb.kind, fits.then_some(status), improved, self.total_sessions);
        }
        improved
    }

    fn improved(&mut self, on_improvement: &mut dyn OnImprovement) {
        self.stats.improvements += 1;
        self.last_improvement_round = self.stats.rounds;
        on_improvement.improved(&self.current, &self.current_score, &self.stats);
    }
}

/// A sub-problem's result by its position in the round, scored.
type Scored = (usize, RunStatus, Option<(Plan, Score)>);

type PartResult = Result<(RunStatus, Option<Plan>), String>;

/// Rounds of `parallel` neighbourhoods solved from the same plan and merged
/// best first, ties by position: the same seed and thread count give the
/// same search under a work limit.
fn search_in_rounds(state: &mut State, parallel: usize, on_improvement: &mut dyn OnImprovement) -> Result<(), String> {
    let ctx = state.ctx;
    let deterministic = ctx.options.node_limit.is_some();
    // One thread solves its sub-problem where it is; several get a pool of
    // their own, so the caller's thread count is theirs to use.
    let pool = if parallel > 1 {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(parallel)
                .thread_name(|i| format!("lns-{i}"))
                .build()
                .map_err(|e| format!("starting the search's threads: {e}"))?,
        )
    } else {
        None
    };
    while !state.done() {
        let first = state.stats.rounds as usize * parallel;
        // Each drawn clear of the ones before it in the round.
        let mut busy = vec![false; ctx.instance.courses.len()];
        let mut neighbourhoods: Vec<Neighbourhood> = Vec::with_capacity(parallel);
        for p in 0..parallel {
            let nb = state.draw_next(first + p, &busy);
            for c in nb.touched() {
                busy[c] = true;
            }
            neighbourhoods.push(nb);
        }
        state.stats.rounds += 1;
        let sub_limits = state.sub_limits(deterministic);
        let current = &state.current;
        let solve_one = |nb: &Neighbourhood| solve_part(ctx, current, nb, &sub_limits);
        let results: Vec<PartResult> = match &pool {
            None => neighbourhoods.iter().map(solve_one).collect(),
            Some(pool) => on_pool(pool, || neighbourhoods.par_iter().with_max_len(1).map(solve_one).collect()),
        };
        state.stats.solved += results.len() as u64;
        let mut scored: Vec<Scored> = Vec::new();
        for (k, r) in results.into_iter().enumerate() {
            let (status, found) = r?;
            let found = found.map(|p| {
                let s = Score::of(ctx, &p);
                (p, s)
            });
            scored.push((k, status, found));
        }
        scored.sort_by(|a, b| match (&a.2, &b.2) {
            (Some((_, x)), Some((_, y))) => {
                (x.missing, x.objective.minimised()).partial_cmp(&(y.missing, y.objective.minimised())).unwrap().then(a.0.cmp(&b.0))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.0.cmp(&b.0),
        });
        let base_version = state.version;
        let base = state.current.clone();
        let mut improved_round = false;
        for (k, status, found) in scored {
            improved_round |= state.apply(&neighbourhoods[k], status, found.map(|f| f.0), &base, base_version);
        }
        if improved_round {
            state.improved(on_improvement);
        }
    }
    Ok(())
}

/// A sub-problem handed to a worker: the neighbourhood and the plan (and
/// its version) it was drawn from.
struct Task {
    nb: Neighbourhood,
    base: Plan,
    base_version: u64,
    limits: RunLimits,
}

/// `parallel` workers, each given a new neighbourhood of the current plan
/// as soon as it hands back a result. Workers are plain threads: they
/// block on channels, which would stall a rayon pool's work stealing (and
/// a scenario runner's pool when it calls the search).
fn search_async(state: &mut State, parallel: usize, on_improvement: &mut dyn OnImprovement) -> Result<(), String> {
    use std::sync::{mpsc, Mutex};
    let ctx = state.ctx;
    type Outcome = std::thread::Result<PartResult>;
    let (task_tx, task_rx) = mpsc::channel::<Task>();
    let (done_tx, done_rx) = mpsc::channel::<(Task, Outcome)>();
    let task_rx = Mutex::new(task_rx);
    // The closure owns the task sender, so a panic here drops it and the
    // workers stop waiting; a worker's panic is sent back and raised here,
    // not left for the scope to find while this thread waits for a result.
    std::thread::scope(|s| {
        let task_tx = task_tx;
        for _ in 0..parallel {
            let (task_rx, done_tx) = (&task_rx, done_tx.clone());
            s.spawn(move || loop {
                // The lock is held only while waiting for the next task.
                let next = task_rx.lock().map_err(|_| ()).and_then(|rx| rx.recv().map_err(|_| ()));
                let Ok(task) = next else { return };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| solve_part(ctx, &task.base, &task.nb, &task.limits)));
                if done_tx.send((task, result)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut in_flight = 0usize;
        let mut failure = None;
        let mut dispatched = 0u64;
        // Per course, how many sub-problems in flight may change it.
        let mut busy = vec![0u32; ctx.instance.courses.len()];
        loop {
            while failure.is_none() && in_flight < parallel && !state.done() {
                let nb = state.draw_next(dispatched as usize, &busy.iter().map(|&b| b > 0).collect::<Vec<_>>());
                for c in nb.touched() {
                    busy[c] += 1;
                }
                let task = Task { nb, base: state.current.clone(), base_version: state.version, limits: state.sub_limits(false) };
                dispatched += 1;
                if task_tx.send(task).is_err() {
                    break;
                }
                in_flight += 1;
            }
            if in_flight == 0 {
                break;
            }
            let Ok((task, result)) = done_rx.recv() else { break };
            in_flight -= 1;
            for c in task.nb.touched() {
                busy[c] -= 1;
            }
            state.stats.solved += 1;
            // A round is as many sub-problems as threads, as in the rounds.
            state.stats.rounds = state.stats.solved.div_ceil(parallel as u64);
            match result.unwrap_or_else(|panic| std::panic::resume_unwind(panic)) {
                Ok((status, found)) => {
                    if state.apply(&task.nb, status, found, &task.base, task.base_version) {
                        state.improved(on_improvement);
                    }
                }
                Err(e) => failure = Some(e),
            }
        }
        drop(task_tx);
        failure.map_or(Ok(()), Err)
    })
}

/// Whether `CLASSPLAN_TRACE` is set: then every sub-problem and every
/// result's fate go to stderr, one line each (how the search was tuned).
fn tracing() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("CLASSPLAN_TRACE").is_some())
}

/// Runs `op` on `pool` and waits for it. A rayon worker (a scenario
/// runner's) waiting on another pool steals its own pool's work meanwhile,
/// so it would start another scenario in the middle of this one and leave
/// this search waiting for it; a plain thread waits without stealing.
fn on_pool<R: Send>(pool: &rayon::ThreadPool, op: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_none() {
        return pool.install(op);
    }
    std::thread::scope(|s| match s.spawn(|| pool.install(op)).join() {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Draws a neighbourhood of `kind` freeing about `size` sessions.
///
/// The kinds drawn by cost pick their courses among those not marked in
/// `busy`, which another sub-problem has in hand right now: two workers drawing from one
/// plan would otherwise chase the same costly courses, and the later result
/// find its gain taken or clash. (Keeping busy courses out of every kind
/// made no measurable difference on comp07 and took the costliest courses
/// from the other worker's Days and Rooms.)
fn draw(ctx: &Context, plan: &Plan, kind: Kind, size: usize, busy: &[bool], rng: &mut ChaCha8Rng) -> Neighbourhood {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let n = inst.courses.len();
    let size = size.max(1);
    let mut nb = Neighbourhood::new(kind, n);
    match kind {
        Kind::Days | Kind::Unplaced => {
            // Some days, in random order or as one stretch; then, when a
            // day alone holds too much, a random part of its sessions.
            let mut days: Vec<usize> = (0..cal.num_days()).collect();
            let stretch = rng.gen_bool(0.5);
            if stretch {
                let start = rng.gen_range(0..days.len().max(1));
                days.rotate_left(start);
            } else {
                days.shuffle(rng);
            }
            let mut region = vec![false; cal.num_slots()];
            let mut chosen: Vec<(usize, usize)> = Vec::new();
            for d in days {
                for t in cal.day_slots(DayIdx(d)) {
                    region[t] = true;
                }
                for (c, p) in plan.placed.iter().enumerate() {
                    chosen.extend(p.iter().filter(|&&(t, _)| cal.slot(t).day.0 == d).map(|&(t, _)| (c, t)));
                }
                if chosen.len() >= size {
                    break;
                }
            }
            if chosen.len() > size * 3 / 2 {
                chosen.shuffle(rng);
                chosen.truncate(size);
            }
            for (c, t) in chosen {
                nb.freed[c].insert(t);
            }
            nb.region = Some(region);
        }
        Kind::Cohorts => {
            let cohorts = inst.courses_of_cohort();
            if cohorts.is_empty() {
                return draw(ctx, plan, Kind::Days, size, busy, rng);
            }
            // Breadth-first over cohorts sharing courses or instructors.
            let mut queue = std::collections::VecDeque::from([rng.gen_range(0..cohorts.len())]);
            let mut seen = BTreeSet::new();
            while let Some(k) = queue.pop_front() {
                if !seen.insert(k) || nb.size() >= size {
                    continue;
                }
                let mut courses = cohorts[k].clone();
                courses.shuffle(rng);
                for c in courses {
                    if nb.size() >= size {
                        break;
                    }
                    nb.free_course(plan, c.0);
                    for other in &inst.courses[c.0].cohorts {
                        queue.push_back(other.0);
                    }
                    let i = plan.teacher[c.0];
                    for (d, course) in inst.courses.iter().enumerate() {
                        if plan.teacher[d] == i && d != c.0 {
                            if let Some(k2) = course.cohorts.first() {
                                queue.push_back(k2.0);
                            }
                        }
                    }
                }
            }
        }
        Kind::Instructors => {
            // Courses an instructor teaches or could teach, then those of
            // the instructors who could take them over.
            let mut queue = std::collections::VecDeque::from([InstructorIdx(rng.gen_range(0..inst.instructors.len().max(1)))]);
            let mut seen = BTreeSet::new();
            while let Some(i) = queue.pop_front() {
                if !seen.insert(i) || nb.size() >= size {
                    continue;
                }
                let mut courses: Vec<usize> = (0..n).filter(|&c| plan.teacher[c] == i || ctx.cand.instructors[c].contains(&i)).collect();
                courses.shuffle(rng);
                for c in courses {
                    if nb.size() >= size {
                        break;
                    }
                    nb.free_course(plan, c);
                    queue.push_back(plan.teacher[c]);
                    queue.extend(ctx.cand.instructors[c].iter().copied());
                }
            }
        }
        Kind::Rooms => {
            // Two to four rooms of similar size, over a growing stretch.
            let r0 = rng.gen_range(0..inst.rooms.len().max(1));
            let mut rooms: Vec<usize> = (0..inst.rooms.len()).collect();
            let cap0 = inst.rooms.get(r0).map_or(0, |r| r.capacity) as i64;
            rooms.sort_by_key(|&r| ((inst.rooms[r].capacity as i64 - cap0).abs(), r != r0, r));
            rooms.truncate(rng.gen_range(2..=4).min(inst.rooms.len()));
            let mut mask = vec![false; inst.rooms.len()];
            for &r in &rooms {
                mask[r] = true;
            }
            let n_days = cal.num_days().max(1);
            let first = rng.gen_range(0..n_days);
            let mut region = vec![false; cal.num_slots()];
            for step in 0..n_days {
                let d = (first + step) % n_days;
                for t in cal.day_slots(DayIdx(d)) {
                    region[t] = true;
                }
                for (c, p) in plan.placed.iter().enumerate() {
                    for &(t, r) in p {
                        if mask[r.0] && region[t] {
                            nb.freed[c].insert(t);
                        }
                    }
                }
                if nb.size() >= size {
                    break;
                }
            }
            nb.region = Some(region);
            nb.rooms = Some(mask);
        }
        Kind::SlotRooms => {
            // Courses drawn by how many rooms they use beyond one; every
            // session at their slots is freed.
            let mut pool: Vec<(usize, f64)> = plan
                .placed
                .iter()
                .enumerate()
                .filter(|&(c, _)| !busy[c])
                .map(|(c, p)| (c, p.iter().map(|&(_, r)| r).collect::<BTreeSet<_>>().len().saturating_sub(1) as f64 + 0.05))
                .collect();
            let mut slots = vec![false; cal.num_slots()];
            while nb.size() < size && !pool.is_empty() {
                let (c, _) = pool.swap_remove(weighted_pick(&pool, rng));
                for &(t, _) in &plan.placed[c] {
                    if !std::mem::replace(&mut slots[t], true) {
                        for (d, p) in plan.placed.iter().enumerate() {
                            if p.iter().any(|&(u, _)| u == t) {
                                nb.freed[d].insert(t);
                            }
                        }
                    }
                }
            }
            nb.keep_times = true;
        }
        Kind::CohortDays => {
            let cohorts = inst.courses_of_cohort();
            let cost = course_costs(ctx, plan);
            let pool: Vec<(usize, f64)> =
                cost.into_iter().enumerate().filter(|&(c, _)| !plan.placed[c].is_empty() && !busy[c]).map(|(c, w)| (c, w + 0.01)).collect();
            if cohorts.is_empty() || pool.is_empty() || cal.num_days() < 2 {
                return draw(ctx, plan, Kind::Days, size, busy, rng);
            }
            let seed = pool[weighted_pick(&pool, rng)].0;
            // One of the course's days and one or two others.
            let (t0, _) = plan.placed[seed][rng.gen_range(0..plan.placed[seed].len())];
            let mut others: Vec<usize> = (0..cal.num_days()).filter(|&d| d != cal.slot(t0).day.0).collect();
            others.shuffle(rng);
            others.truncate(rng.gen_range(1..=2));
            let mut in_days = vec![false; cal.num_days()];
            for d in others.into_iter().chain([cal.slot(t0).day.0]) {
                in_days[d] = true;
            }
            let region: Vec<bool> = (0..cal.num_slots()).map(|t| in_days[cal.slot(t).day.0]).collect();
            // Breadth-first over cohorts sharing courses, from the seed's.
            let mut queue: std::collections::VecDeque<usize> = inst.courses[seed].cohorts.iter().map(|k| k.0).collect();
            let mut seen = BTreeSet::new();
            while let Some(k) = queue.pop_front() {
                if !seen.insert(k) || nb.size() >= size {
                    continue;
                }
                let mut courses = cohorts[k].clone();
                courses.shuffle(rng);
                for c in courses.into_iter().filter(|c| !busy[c.0]) {
                    nb.freed[c.0].extend(plan.placed[c.0].iter().map(|&(t, _)| t).filter(|&t| region[t]));
                    queue.extend(inst.courses[c.0].cohorts.iter().map(|o| o.0));
                }
            }
            nb.region = Some(region);
        }
        Kind::Costly => {
            let cost = course_costs(ctx, plan);
            let mut pool: Vec<(usize, f64)> = cost.into_iter().enumerate().filter(|&(c, _)| !busy[c]).map(|(c, w)| (c, w + 0.01)).collect();
            while nb.size() < size && !pool.is_empty() {
                let (c, _) = pool.swap_remove(weighted_pick(&pool, rng));
                nb.free_course(plan, c);
            }
        }
    }
    nb
}

/// A position in `pool` drawn with probability proportional to its weight.
fn weighted_pick(pool: &[(usize, f64)], rng: &mut ChaCha8Rng) -> usize {
    let total: f64 = pool.iter().map(|p| p.1).sum();
    let mut x = rng.gen::<f64>() * total;
    for (k, p) in pool.iter().enumerate() {
        x -= p.1;
        if x <= 0.0 {
            return k;
        }
    }
    pool.len() - 1
}

/// A course not placed yet, with the sessions that could make room for it
/// in its window: those of its cohorts and possible instructors first, then
/// those in its rooms. Each failed try widens the circle.
fn around_unplaced(ctx: &Context, plan: &Plan, c: usize, tries: u32, rng: &mut ChaCha8Rng) -> Neighbourhood {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let mut nb = Neighbourhood::new(Kind::Unplaced, inst.courses.len());
    nb.unplaced.push(c);
    nb.free_course(plan, c);
    let mut region = vec![false; cal.num_slots()];
    let days: BTreeSet<usize> = ctx.cand.slots[c].iter().map(|&t| cal.slot(t).day.0).collect();
    for &d in &days {
        for t in cal.day_slots(DayIdx(d)) {
            region[t] = true;
        }
    }
    let cohorts: BTreeSet<_> = inst.courses[c].cohorts.iter().copied().collect();
    let teachers: BTreeSet<InstructorIdx> = ctx.cand.instructors[c].iter().copied().collect();
    let rooms: BTreeSet<RoomIdx> = ctx.cand.rooms[c].iter().copied().collect();
    // Sessions in the way of the course's own pins go first, whatever the
    // budget: without freeing them the course cannot be placed at all.
    for (d, p) in plan.placed.iter().enumerate() {
        let shares_cohort = inst.courses[d].cohorts.iter().any(|k| cohorts.contains(k));
        for &(t, r) in p {
            if let Some(pin) = ctx.cand.pins[c].get(&t) {
                if shares_cohort || teachers.contains(&plan.teacher[d]) || pin.room == Some(r) {
                    nb.freed[d].insert(t);
                }
            }
        }
    }
    let mut rings: [Vec<(usize, usize)>; 4] = Default::default();
    for (d, p) in plan.placed.iter().enumerate() {
        let shares_cohort = inst.courses[d].cohorts.iter().any(|k| cohorts.contains(k));
        let shares_teacher = teachers.contains(&plan.teacher[d]) || ctx.cand.instructors[d].iter().any(|i| teachers.contains(i));
        for &(t, r) in p {
            if !region[t] {
                continue;
            }
            if shares_cohort {
                rings[0].push((d, t));
            } else if shares_teacher {
                rings[1].push((d, t));
            } else if rooms.contains(&r) {
                rings[2].push((d, t));
            } else {
                rings[3].push((d, t));
            }
        }
    }
    let budget = (40usize << tries.min(12)).max(inst.courses[c].sessions as usize * 4);
    for ring in rings.iter_mut().take(if tries >= 3 { 4 } else { 3 }) {
        ring.shuffle(rng);
        for &(d, t) in ring.iter() {
            if nb.size() >= budget {
                break;
            }
            nb.freed[d].insert(t);
        }
    }
    // From the second try, the course's rooms or instructors' totals may be
    // what blocks: courses sharing its rooms in the window may move out of
    // it, and courses of its possible instructors may change hands.
    if tries >= 1 {
        let mut movers: Vec<usize> = Vec::new();
        for ring in [&rings[0], &rings[2], &rings[1]] {
            let mut courses: Vec<usize> = ring.iter().map(|&(d, _)| d).collect::<BTreeSet<_>>().into_iter().collect();
            courses.shuffle(rng);
            for d in courses {
                if !movers.contains(&d) {
                    movers.push(d);
                }
            }
        }
        // From the third try, the courses in its rooms anywhere in the
        // calendar too: moving one out of the window needs room elsewhere.
        if tries >= 2 && rooms.len() <= 3 {
            let mut far: Vec<usize> =
                (0..inst.courses.len()).filter(|&d| d != c && plan.placed[d].iter().any(|(_, r)| rooms.contains(r))).collect();
            far.shuffle(rng);
            for d in far {
                if !movers.contains(&d) {
                    movers.push(d);
                }
            }
        }
        movers.truncate(12 << tries.min(5));
        for d in movers {
            nb.free_course(plan, d);
            nb.anywhere.insert(d);
        }
        let mut others: Vec<usize> = (0..inst.courses.len())
            .filter(|&d| d != c && teachers.contains(&plan.teacher[d]) && ctx.cand.instructors[d].len() > 1)
            .collect();
        others.shuffle(rng);
        others.truncate(20 << tries.min(4));
        nb.reteach.extend(others);
    }
    nb.region = Some(region);
    nb
}

/// Each course's share of the current cost (isolated sessions, days short,
/// seats short, extra rooms, penalties): where the costly kind looks.
fn course_costs(ctx: &Context, plan: &Plan) -> Vec<f64> {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let w = &inst.weights;
    let mut cost = vec![0.0; inst.courses.len()];
    let mut busy = vec![vec![false; cal.num_slots()]; inst.cohorts.len()];
    for (c, p) in plan.placed.iter().enumerate() {
        for &(t, _) in p {
            for k in &inst.courses[c].cohorts {
                busy[k.0][t] = true;
            }
        }
    }
    for (c, p) in plan.placed.iter().enumerate() {
        let course = &inst.courses[c];
        let days: BTreeSet<usize> = p.iter().map(|&(t, _)| cal.slot(t).day.0).collect();
        cost[c] += w.min_days * course.min_days.unwrap_or(0).saturating_sub(days.len() as u32) as f64;
        let rooms: BTreeSet<RoomIdx> = p.iter().map(|&(_, r)| r).collect();
        cost[c] += w.room_stability * rooms.len().saturating_sub(1) as f64;
        for &(t, r) in p {
            cost[c] += w.room_capacity.unwrap_or(0.0) * ctx.cand.students[c].saturating_sub(inst.rooms[r.0].capacity) as f64;
            cost[c] += ctx.cal.course_penalty[c][t] + ctx.cal.instructor_penalty[plan.teacher[c].0][t] + ctx.cal.room_penalty[r.0][t];
            let day = cal.day_slots(cal.slot(t).day);
            for k in &course.cohorts {
                let before = t > day.start && busy[k.0][t - 1];
                let after = t + 1 < day.end && busy[k.0][t + 1];
                if !before && !after {
                    cost[c] += w.compactness;
                }
            }
        }
    }
    cost
}

/// The candidates of a neighbourhood: sessions not freed are pinned to
/// their slot, room and instructor; freed ones keep their course's choices
/// within the region and rooms; unplaced courses outside it are left out.
fn restrict(ctx: &Context, plan: &Plan, nb: &Neighbourhood) -> Candidates {
    let inst = ctx.instance;
    let cand = &ctx.cand;
    let n = inst.courses.len();
    let mut out = Candidates {
        slots: Vec::with_capacity(n),
        instructors: Vec::with_capacity(n),
        rooms: Vec::with_capacity(n),
        pins: Vec::with_capacity(n),
        students: cand.students.clone(),
        sessions: vec![0; n],
        missing_cost: vec![0.0; n],
        blocked_pins: Vec::new(),
        baseline: cand.baseline.clone(),
    };
    for c in 0..n {
        let placed = &plan.placed[c];
        let needed = inst.courses[c].sessions;
        let unplaced = (placed.len() as u32) < needed;
        if unplaced && !nb.unplaced.contains(&c) {
            // A course still being repaired elsewhere keeps what it has.
            let pins: BTreeMap<usize, Pin> = placed
                .iter()
                .map(|&(t, r)| {
                    (t, Pin { course: CourseIdx(c), slot: inst.calendar.slot(t), room: Some(r), instructor: Some(plan.teacher[c]) })
                })
                .collect();
            out.sessions[c] = placed.len() as u32;
            out.slots.push(pins.keys().copied().collect());
            out.instructors.push(vec![plan.teacher[c]]);
            out.rooms.push(cand.rooms[c].clone());
            out.pins.push(pins);
            continue;
        }
        out.sessions[c] = needed;
        if unplaced {
            out.missing_cost[c] = MISSING_COST;
        }
        let mut pins = if unplaced { cand.pins[c].clone() } else { BTreeMap::new() };
        for &(t, r) in placed {
            // A planner's pin stays where it is whatever the neighbourhood.
            if nb.freed[c].contains(&t) && !cand.pins[c].contains_key(&t) {
                if nb.keep_times {
                    let pin = Pin { course: CourseIdx(c), slot: inst.calendar.slot(t), room: None, instructor: Some(plan.teacher[c]) };
                    pins.insert(t, pin);
                }
                continue;
            }
            let pin = Pin { course: CourseIdx(c), slot: inst.calendar.slot(t), room: Some(r), instructor: Some(plan.teacher[c]) };
            pins.insert(t, pin);
        }
        let whole_course_free = placed.iter().all(|&(t, _)| nb.freed[c].contains(&t) && !cand.pins[c].contains_key(&t));
        let may_reteach = !nb.keep_times && (whole_course_free || nb.reteach.contains(&c));
        let mut slots: Vec<usize> = pins.keys().copied().collect();
        if (pins.len() as u32) < needed {
            let in_region = |t: usize| unplaced || nb.anywhere.contains(&c) || nb.region.as_ref().is_none_or(|m| m[t]);
            // The course's slots allow for any of its instructors; one kept
            // instructor's own blocks apply too.
            let teacher_free = |t: usize| may_reteach || !ctx.cal.instructor_blocked[plan.teacher[c].0][t];
            slots.extend(cand.slots[c].iter().copied().filter(|&t| !pins.contains_key(&t) && in_region(t) && teacher_free(t)));
            slots.sort_unstable();
        }
        out.instructors.push(if may_reteach { cand.instructors[c].clone() } else { vec![plan.teacher[c]] });
        let rooms = match (&nb.rooms, unplaced) {
            (Some(mask), false) => cand.rooms[c].iter().copied().filter(|r| mask[r.0]).collect(),
            _ => cand.rooms[c].clone(),
        };
        out.rooms.push(rooms);
        out.slots.push(slots);
        out.pins.push(pins);
    }
    out
}

/// Solves one neighbourhood's joint model, started from the current plan
/// when that plan is a solution of it. Returns the run's status and the
/// whole plan with the neighbourhood re-optimised.
fn solve_part(ctx: &Context, plan: &Plan, nb: &Neighbourhood, limits: &RunLimits) -> Result<(RunStatus, Option<Plan>), String> {
    let inst = ctx.instance;
    let t0 = Instant::now();
    let rc = restrict(ctx, plan, nb);
    let t1 = Instant::now();
    // Rooms chosen with times when that stays small; otherwise times with
    // room types and Hall rows, and rooms matched afterwards.
    let scope = if times::joint_room_columns(inst, &ctx.cal, &rc) <= SUB_JOINT_MAX_ROOM_COLUMNS { Scope::Joint } else { Scope::Times };
    let mut model = times::build(inst, &ctx.cal, &rc, &ctx.cliques, &[], scope);
    warm_start(&mut model, plan, &rc);
    if !nb.unplaced.is_empty() {
        // A repair only places: cost comes later, from the other kinds.
        // Without the cost terms the solver finds placements far sooner.
        model.builder.objective = model.missing.iter().map(|m| m.var).sum();
    }
    let t2 = Instant::now();
    let times::TimesModel { builder, x, y, rooms: joint, .. } = model;
    let cols = builder.num_cols();
    let run = builder.solve(ctx.options.backend, limits)?;
    if tracing() {
        eprintln!(
            "{:?} {:?} freed {} restrict {:.3} build {:.3} solve {:.3} cols {} status {:?}",
            nb.kind,
            scope,
            nb.size(),
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
            t2.elapsed().as_secs_f64(),
            cols,
            run.status
        );
    }
    if run.values.is_empty() {
        return Ok((run.status, None));
    }
    let (sessions, teacher) = times::read_times(&rc, &x, &y, &run.values);
    // The joint model's room columns are integral at almost every optimum;
    // when they are not (or rooms were left to matching), the room stage
    // finds an assignment as good.
    let room_of = match joint.as_ref().and_then(|j| j.read(&sessions, &run.values)) {
        Some(rooms) => rooms,
        None => {
            let rooms::Matching::Complete(start) = rooms::match_rooms(inst, &ctx.cal, &rc, &sessions) else {
                return Ok((run.status, None));
            };
            // What is left of the sub-problem's cap, not a fresh one: a
            // search near its deadline must not run past it.
            let rest = RunLimits { time_limit: limits.time_limit.map(|t| (t - t0.elapsed().as_secs_f64()).max(0.05)), ..limits.clone() };
            rooms::optimise_rooms(inst, &ctx.cal, &rc, &sessions, start, ctx.options.backend, &rest)?.0
        }
    };
    Ok((run.status, Some(Plan::new(inst.courses.len(), &sessions, &room_of, teacher))))
}

/// The current plan as the sub-problem's start: its integer columns (and
/// room and instructor splits), the rest left for the solver to complete.
pub(super) fn warm_start(model: &mut times::TimesModel, plan: &Plan, rc: &Candidates) {
    for (c, row) in model.x.iter().enumerate() {
        if rc.sessions[c] == 0 {
            continue;
        }
        let at: BTreeMap<usize, RoomIdx> = plan.placed[c].iter().copied().collect();
        for (t, col) in row.iter().enumerate() {
            if let Some(col) = col {
                model.builder.set_initial_partial(*col, if at.contains_key(&t) { 1.0 } else { 0.0 });
            }
        }
        for &(i, col) in &model.y[c] {
            model.builder.set_initial_partial(col, if i == plan.teacher[c] { 1.0 } else { 0.0 });
        }
        if let Some(joint) = &model.rooms {
            for (&t, &r) in &at {
                if let Some(options) = joint.assign.get(&(c, t)) {
                    for &(room, a) in options {
                        model.builder.set_initial_partial(a, if room == r { 1.0 } else { 0.0 });
                    }
                }
            }
            for (&(course, room), &u) in joint.uses.range((c, RoomIdx(0))..=(c, RoomIdx(usize::MAX))) {
                let used = plan.placed[course].iter().any(|&(_, r)| r == room);
                model.builder.set_initial_partial(u, if used { 1.0 } else { 0.0 });
            }
        }
    }
}

/// Whether merged courses collide: one cohort, instructor or room twice in
/// a slot, or an instructor over a daily or total limit. (Each course's own
/// rules were met by the sub-problem that placed it.)
fn clashes(ctx: &Context, plan: &Plan) -> bool {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let mut cohort = BTreeSet::new();
    let mut instructor = BTreeSet::new();
    let mut room = BTreeSet::new();
    let mut per_day: BTreeMap<(InstructorIdx, usize), u32> = BTreeMap::new();
    let mut per_instructor: BTreeMap<InstructorIdx, u32> = BTreeMap::new();
    for (c, p) in plan.placed.iter().enumerate() {
        let i = plan.teacher[c];
        for &(t, r) in p {
            if !room.insert((r, t)) || !instructor.insert((i, t)) {
                return true;
            }
            if inst.courses[c].cohorts.iter().any(|k| !cohort.insert((*k, t))) {
                return true;
            }
            *per_day.entry((i, cal.slot(t).day.0)).or_default() += 1;
            *per_instructor.entry(i).or_default() += 1;
        }
    }
    per_day.iter().any(|(&(i, _), &n)| inst.instructors[i.0].max_per_day.is_some_and(|m| n > m))
        || per_instructor.iter().any(|(&i, &n)| inst.instructors[i.0].max_sessions.is_some_and(|m| n > m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, Size};
    use crate::solve::SolveOptions;

    /// The cohort-days kind frees sessions of cohorts linked through shared
    /// courses on two or three days only, lets them move within those days,
    /// and leaves alone the courses another sub-problem has in hand.
    #[test]
    fn cohort_days_stays_in_its_days_and_clear_of_busy_courses() {
        let g = generate(Size::Medium, 1);
        let options = SolveOptions { time_limit: Some(60.0), threads: 1, ..SolveOptions::default() };
        let ctx = Context::new(&g.instance, &options, Instant::now());
        let plan = Plan::from_timetable(&ctx, &g.planted);
        let cal = &g.instance.calendar;
        let n = plan.placed.len();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for round in 0..20 {
            let busy: Vec<bool> = (0..n).map(|c| round % 2 == 1 && c % 3 == 0).collect();
            let nb = draw(&ctx, &plan, Kind::CohortDays, 30, &busy, &mut rng);
            let region = nb.region.as_ref().expect("a region of days");
            let days: BTreeSet<usize> = (0..cal.num_slots()).filter(|&t| region[t]).map(|t| cal.slot(t).day.0).collect();
            assert!((2..=3).contains(&days.len()), "{days:?}");
            assert!(nb.size() >= 1);
            for (c, freed) in nb.freed.iter().enumerate() {
                assert!(freed.iter().all(|&t| region[t]), "course {c} freed outside the days");
                assert!(freed.iter().all(|t| plan.placed[c].iter().any(|(u, _)| u == t)), "course {c} freed a slot it does not use");
                if busy[c] {
                    assert!(freed.is_empty(), "busy course {c} freed");
                }
            }
        }
        // A sub-problem of it hands back a plan the checker accepts.
        let nb = draw(&ctx, &plan, Kind::CohortDays, 30, &vec![false; n], &mut rng);
        let limits = RunLimits { time_limit: Some(30.0), threads: 1, seed: 0, node_limit: None, verbose: false };
        let (_, found) = solve_part(&ctx, &plan, &nb, &limits).expect("the sub-problem runs");
        let found = found.expect("the current plan is a solution of its own neighbourhood");
        assert!(Score::of(&ctx, &found).not_worse_than(&Score::of(&ctx, &plan)));
        let report = crate::check::check(&g.instance, &found.timetable(&ctx));
        assert!(report.violations.is_empty(), "{:?}", report.violations);
    }

    /// The room-trading kind changes rooms and nothing else, never makes the
    /// plan worse, and what it hands back passes the independent checker.
    #[test]
    fn slot_rooms_changes_rooms_only() {
        let g = generate(Size::Medium, 1);
        let options = SolveOptions { time_limit: Some(60.0), threads: 1, ..SolveOptions::default() };
        let ctx = Context::new(&g.instance, &options, Instant::now());
        let plan = Plan::from_timetable(&ctx, &g.planted);
        let before = Score::of(&ctx, &plan);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let nb = draw(&ctx, &plan, Kind::SlotRooms, 40, &vec![false; plan.placed.len()], &mut rng);
        assert!(nb.keep_times && nb.size() >= 1);
        let limits = RunLimits { time_limit: Some(30.0), threads: 1, seed: 0, node_limit: None, verbose: false };
        let (_, found) = solve_part(&ctx, &plan, &nb, &limits).expect("the sub-problem runs");
        let found = found.expect("the current plan is a solution of its own neighbourhood");
        assert_eq!(found.teacher, plan.teacher);
        for (c, (a, b)) in found.placed.iter().zip(&plan.placed).enumerate() {
            let slots = |p: &Vec<(usize, RoomIdx)>| p.iter().map(|&(t, _)| t).collect::<Vec<_>>();
            assert_eq!(slots(a), slots(b), "course {c} moved");
            if nb.freed[c].is_empty() {
                assert_eq!(a, b, "course {c} was not freed but changed rooms");
            }
        }
        assert!(Score::of(&ctx, &found).not_worse_than(&before));
        let report = crate::check::check(&g.instance, &found.timetable(&ctx));
        assert!(report.violations.is_empty(), "{:?}", report.violations);
    }
}
