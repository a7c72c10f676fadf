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
//! so the search repeats exactly for a seed, whatever the thread count. Under a clock
//! with several threads, workers do not wait for each other, and the order
//! in which their results arrive decides the search.

mod draw;
mod learner;
mod plan;
mod schedule;
mod state;
mod subproblem;

use std::time::Instant;

pub use plan::{Plan, Score};
use schedule::{search_async, search_in_rounds};
use state::State;
pub(super) use subproblem::warm_start;

use super::context::Context;

/// Neighbourhoods per round under a work limit, whatever the thread count:
/// two keep both cores of a small machine busy, and one thread solves the
/// same two one after the other, so the timetable is the same.
pub const WORK_LIMIT_ROUND_WIDTH: usize = 2;

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

/// Improves `plan` (complete or not) until a limit is reached, the bound is
/// met, or the search stalls. Returns the best plan and its score.
///
/// Under a work limit the search goes in rounds of
/// [`WORK_LIMIT_ROUND_WIDTH`] neighbourhoods, whatever the thread count,
/// all solved from the same timetable and merged in a fixed order, so the
/// result repeats on any machine for a seed. With one thread under a clock
/// a round is one neighbourhood. Under a clock with several threads
/// each worker takes a new neighbourhood as soon as its last one is solved:
/// sub-problems differ widely in solve time, and waiting for the slowest of
/// a round left the other threads idle for a third of the time on comp07.
pub fn search(ctx: &Context, plan: Plan, limits: &Limits, on_improvement: &mut dyn OnImprovement) -> Result<(Plan, Score, Stats), String> {
    let threads = ctx.options.threads.max(1) as usize;
    let deterministic = ctx.options.node_limit.is_some();
    let mut state = State::new(ctx, plan, limits);
    if deterministic {
        search_in_rounds(&mut state, WORK_LIMIT_ROUND_WIDTH, threads, on_improvement)?;
    } else if threads > 1 {
        let parallel = threads;
        // Repairs go in rounds: racing workers repairing different courses
        // from the same plan mostly clash on merging, and on the generated
        // year one run of three was left with courses out at 120 s.
        if state.current_score.missing > 0 {
            state.until_complete = true;
            search_in_rounds(&mut state, parallel, parallel, on_improvement)?;
            state.until_complete = false;
        }
        search_async(&mut state, parallel, on_improvement)?;
    } else {
        search_in_rounds(&mut state, 1, 1, on_improvement)?;
    }
    Ok((state.current, state.current_score, state.stats))
}
