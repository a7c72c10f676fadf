//! What the search knows between sub-problems, and how a sub-problem's
//! result is merged into the current plan.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::draw::{around_unplaced, draw, Kind, Neighbourhood};
use super::learner::Learner;
use super::plan::{Plan, Score};
use super::subproblem::tracing;
use super::{Limits, OnImprovement, Stats};
use crate::model::InstructorIdx;
use crate::solve::backend::{RunLimits, RunStatus};
use crate::solve::context::Context;

/// The longest cap of an improving sub-problem, in seconds. Sizes adapt
/// until about a quarter of the sub-problems hit their cap, so the cap sets
/// how large and slow they get. With 10 s, 300 s runs spent their first
/// minute on sub-problems of up to 10 s and were far behind 60 s runs
/// (caps of 2.4 s and less) at the 60 s mark: comp07 134 to 171 against
/// 53 to 91, comp12 354 and 505 against 337 to 375, comp05 342 to 389
/// against 318 to 377. On comp07 at 120 s, the capped sub-problems took
/// 70 % of the solve time.
const IMPROVING_CAP_MOST_SECONDS: f64 = 2.5;

/// What the search knows between sub-problems.
pub(super) struct State<'a> {
    pub(super) ctx: &'a Context<'a>,
    pub(super) limits: &'a Limits,
    pub(super) rng: ChaCha8Rng,
    pub(super) learner: Learner,
    pub(super) current: Plan,
    pub(super) current_score: Score,
    /// Counts the changes to `current`: a result computed from an older
    /// version is merged, not taken whole.
    pub(super) version: u64,
    pub(super) stats: Stats,
    /// Escalation for courses that would not go in: their neighbourhood grows.
    pub(super) repair_tries: BTreeMap<usize, u32>,
    pub(super) last_improvement_round: u64,
    pub(super) total_sessions: usize,
    /// Stop as soon as every course is placed (the repair phase).
    pub(super) until_complete: bool,
}

impl<'a> State<'a> {
    pub(super) fn new(ctx: &'a Context<'a>, plan: Plan, limits: &'a Limits) -> Self {
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
    pub(super) fn done(&self) -> bool {
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
    pub(super) fn draw_next(&mut self, k: usize, busy: &[bool]) -> Neighbourhood {
        let unplaced = self.current.unplaced(self.ctx);
        if unplaced.is_empty() {
            let kind = self.learner.pick(&mut self.rng);
            draw(self.ctx, &self.current, kind, self.learner.size(kind), busy, &mut self.rng)
        } else {
            let c = unplaced[k % unplaced.len()];
            let tries = self.repair_tries.get(&c).copied().unwrap_or(0);
            around_unplaced(self.ctx, &self.current, c, tries, &mut self.rng)
        }
    }

    /// Limits of a sub-problem started now: one thread, and a cap that
    /// keeps one hard neighbourhood from eating the whole time limit.
    pub(super) fn sub_limits(&self, deterministic: bool) -> RunLimits {
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
    pub(super) fn apply(&mut self, nb: &Neighbourhood, status: RunStatus, found: Option<Plan>, base: &Plan, base_version: u64) -> bool {
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
                self.current_score.objective.cost.room_stability
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

    pub(super) fn improved(&mut self, on_improvement: &mut dyn OnImprovement) {
        self.stats.improvements += 1;
        self.last_improvement_round = self.stats.rounds;
        on_improvement.improved(&self.current, &self.current_score, &self.stats);
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
