//! The two ways to hand sub-problems to threads: in rounds (repeatable)
//! and as workers free up (under a clock with several threads).

use rayon::prelude::*;

use super::draw::Neighbourhood;
use super::plan::{Plan, Score};
use super::state::State;
use super::subproblem::solve_part;
use super::OnImprovement;
use crate::solve::backend::{RunLimits, RunStatus};

/// A sub-problem's result by its position in the round, scored.
type Scored = (usize, RunStatus, Option<(Plan, Score)>);

type PartResult = Result<(RunStatus, Option<Plan>), String>;

/// Rounds of `parallel` neighbourhoods solved from the same plan, on
/// `threads` threads at most, and merged best first, ties by position: the
/// same seed and round width give the same search under a work limit,
/// whatever the threads.
pub(super) fn search_in_rounds(
    state: &mut State,
    parallel: usize,
    threads: usize,
    on_improvement: &mut dyn OnImprovement,
) -> Result<(), String> {
    let ctx = state.ctx;
    let deterministic = ctx.options.node_limit.is_some();
    // One thread solves the sub-problems where it is; several get a pool of
    // their own, so the caller's thread count is theirs to use.
    let workers = threads.min(parallel);
    let pool = if workers > 1 {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(workers)
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
pub(super) fn search_async(state: &mut State, parallel: usize, on_improvement: &mut dyn OnImprovement) -> Result<(), String> {
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
