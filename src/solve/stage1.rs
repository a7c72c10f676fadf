//! Stage 1 (times and instructors) and stage 2 (rooms) one after the
//! other, with Hall cuts between them, and the race of such runs over
//! seeds that starts a solve under a clock.

use super::backend::{Backend, RunLimits, RunStatus};
use super::context::{Attempt, Context, Found};
use super::{pricing, rooms, times, Method, ModelSize, Observer, SolveOptions};
use crate::model::RoomIdx;

/// Stage-1 runs raced with other seeds before a search under a clock: at
/// most this many, one HiGHS thread each.
const STAGE1_MOST_RUNS: u32 = 4;

/// How many runs of the two-stage method race before a search: one per
/// thread (at most [`STAGE1_MOST_RUNS`]) under a clock with HiGHS, else
/// one. Under a node limit the timetable must not depend on the thread
/// count; microlp takes no seed, so its runs would all be the same; the
/// monolithic method is the baseline the benches measure the search
/// against, and its stage 1 on a teaching year is too large to copy.
fn stage1_runs(o: &SolveOptions) -> u32 {
    let raced = o.method == Method::Search && o.time_limit.is_some() && o.node_limit.is_none() && o.backend == Backend::Highs;
    if raced {
        o.threads.clamp(1, STAGE1_MOST_RUNS)
    } else {
        1
    }
}

/// The two-stage method before a search. Under a clock with several
/// threads it runs once per thread, each run with one thread and its own
/// seed, and keeps the best timetable and the best bound. HiGHS's branch
/// and bound gains nothing from a second thread here (comp12 gives the same
/// timetable at the same second with one or two), while the timetable a
/// run has when its cap stops it varies widely with the seed (comp12 474,
/// 724 and 504 for seeds 0-2; comp05 427, 477 and 652), and the search
/// does not make up a poor start in a minute. The race waits for its
/// slowest run: HiGHS cannot be stopped from outside, and every run has
/// the same cap.
pub(super) fn first_two_stage(
    ctx: &Context,
    share: f64,
    most: f64,
    size: &mut ModelSize,
    observer: &mut dyn Observer,
) -> Result<Attempt, String> {
    let o = ctx.options;
    let runs = stage1_runs(o);
    if runs == 1 {
        return two_stage(ctx, share, most, RunSettings { seed: o.seed, threads: ctx.mip_threads() }, size, observer);
    }
    observer.step(&format!("stage 1 raced on {runs} threads, one seed each"));
    // Seeds far apart: run 2 of seed s should not repeat run 1 of seed
    // s + 1 when a bench compares seeds 0, 1, 2.
    let settings = |k: u32| RunSettings { seed: o.seed.wrapping_add(u64::from(k) * 1_000_003), threads: 1 };
    let results: Vec<(Result<Attempt, String>, ModelSize)> = std::thread::scope(|s| {
        let others: Vec<_> = (1..runs)
            .map(|k| {
                s.spawn(move || {
                    let mut size = ModelSize::default();
                    (two_stage(ctx, share, most, settings(k), &mut size, &mut |_: &str| {}), size)
                })
            })
            .collect();
        let mut first_size = ModelSize::default();
        let first = two_stage(ctx, share, most, settings(0), &mut first_size, observer);
        let others = others.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        std::iter::once((first, first_size)).chain(others).collect()
    });
    // One run failing does not end the solve while another has a result.
    let mut kept = Vec::new();
    let mut failure = None;
    for (k, (result, run_size)) in results.into_iter().enumerate() {
        match result {
            Ok(attempt) => kept.push((k, attempt, run_size)),
            Err(e) => {
                observer.step(&format!("stage 1: run {} of {runs} failed: {e}", k + 1));
                failure.get_or_insert(e);
            }
        }
    }
    let total = |a: &Attempt| a.found.as_ref().map_or("no timetable".to_string(), |f| format!("cost {}", f.objective.total()));
    let first = match kept.first() {
        Some((0, a, _)) => total(a),
        _ => "failed".to_string(),
    };
    let Some((winner, bound)) = best_run(kept.iter().map(|(_, a, _)| a)) else {
        return Err(failure.unwrap_or_else(|| "internal error: no stage-1 run".into()));
    };
    let (position, mut best, run_size) = kept.swap_remove(winner);
    best.bound = bound;
    *size = run_size;
    if position > 0 {
        observer.step(&format!("stage 1: run {} of {runs} did best ({}; run 1: {first})", position + 1, total(&best)));
    }
    Ok(best)
}

/// Which of raced runs of one model to keep, and the best bound of them
/// all; `None` for no runs. The cheapest timetable wins, the earlier run on
/// a tie. Infeasible wins only if no run has a timetable: a timetable
/// contradicts any run's claim that there is none.
fn best_run<'a>(runs: impl IntoIterator<Item = &'a Attempt>) -> Option<(usize, f64)> {
    let runs: Vec<&Attempt> = runs.into_iter().collect();
    let bound = runs.iter().map(|a| a.bound).fold(f64::NEG_INFINITY, f64::max);
    let cheapest = runs.iter().enumerate().filter_map(|(k, a)| a.cost().map(|c| (k, c))).min_by(|a, b| a.1.total_cmp(&b.1));
    let infeasible = runs.iter().position(|a| a.status == RunStatus::Infeasible);
    let winner = cheapest.map(|(k, _)| k).or(infeasible).unwrap_or(0);
    (!runs.is_empty()).then_some((winner, bound))
}

/// The seed and thread count one two-stage run gives HiGHS.
#[derive(Clone, Copy)]
struct RunSettings {
    seed: u64,
    threads: u32,
}

/// Times and instructors first, then rooms; repeated with a Hall cut when a
/// slot's sessions cannot all get rooms.
fn two_stage(
    ctx: &Context,
    share: f64,
    most: f64,
    settings: RunSettings,
    size: &mut ModelSize,
    observer: &mut dyn Observer,
) -> Result<Attempt, String> {
    let with_settings = |mut limits: RunLimits| {
        limits.seed = settings.seed;
        limits.threads = settings.threads;
        limits
    };
    let inst = ctx.instance;
    let mut hall_cuts: Vec<Vec<RoomIdx>> = Vec::new();
    loop {
        let model = times::build(inst, &ctx.cal, &ctx.cand, &ctx.cliques, &hall_cuts, times::Scope::Times);
        size.stage1_columns = model.builder.num_cols();
        size.stage1_rows = model.builder.num_rows();
        size.stage1_integer_columns = model.x.iter().flatten().flatten().count() + model.y.iter().map(Vec::len).sum::<usize>();
        observer.step(&format!(
            "stage 1 (times and instructors): {} columns ({} integer), {} rows",
            size.stage1_columns, size.stage1_integer_columns, size.stage1_rows
        ));
        let limits = with_settings(ctx.limits_capped(share * 0.9, most));
        let times::TimesModel { builder, x, y, .. } = model;
        let run = builder.solve(ctx.options.backend, &limits)?;
        if matches!(run.status, RunStatus::Infeasible | RunStatus::NoSolution) {
            return Ok(Attempt { status: run.status, found: None, bound: run.bound });
        }
        let (sessions, teacher) = times::read_times(&ctx.cand, &x, &y, &run.values);
        let start = match rooms::match_rooms(inst, &ctx.cal, &ctx.cand, &sessions) {
            rooms::Matching::Complete(start) => start,
            rooms::Matching::Deficient(set) => {
                observer.step(&format!("rooms: {} room(s) cannot hold the sessions placed among them; adding that cut", set.len()));
                hall_cuts.push(set);
                size.hall_rounds += 1;
                continue;
            }
        };
        // Rooms alone get a third of that: the search re-decides them anyway
        // (comp07 at 300 s spent 30 s here).
        let limits2 = with_settings(ctx.limits_capped(share.min(1.0) * 0.5, most / 3.0));
        let (room_of, _, _) = rooms::optimise_rooms(inst, &ctx.cal, &ctx.cand, &sessions, start, ctx.options.backend, &limits2)?;
        size.stage2_columns = sessions.iter().map(|s| ctx.cand.rooms_at(s.course, s.slot, &ctx.cal).len()).sum();
        let objective = pricing::price(ctx, &sessions, &room_of, &teacher);
        let timetable = ctx.timetable(&sessions, &room_of, &teacher);
        return Ok(Attempt { status: run.status, found: Some(Found { timetable, objective }), bound: run.bound });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Cost;
    use crate::model::Timetable;
    use crate::solve::Objective;

    fn attempt(status: RunStatus, cost: Option<f64>, bound: f64) -> Attempt {
        let found = cost.map(|c| Found {
            timetable: Timetable::new(Vec::new()),
            objective: Objective { cost: Cost { min_days: c, ..Cost::default() }, ..Objective::default() },
        });
        Attempt { status, found, bound }
    }

    #[test]
    fn raced_runs_keep_the_cheapest_timetable_and_the_best_bound() {
        let runs = [
            attempt(RunStatus::Feasible, Some(724.0), 3.0),
            attempt(RunStatus::Feasible, Some(477.0), f64::NEG_INFINITY),
            attempt(RunStatus::Feasible, Some(500.0), 5.0),
        ];
        assert_eq!(best_run(&runs), Some((1, 5.0)));
    }

    #[test]
    fn raced_runs_keep_the_earlier_on_a_tie_and_any_timetable_over_none() {
        let tie = [attempt(RunStatus::Feasible, Some(10.0), 1.0), attempt(RunStatus::Optimal, Some(10.0), 2.0)];
        assert_eq!(best_run(&tie), Some((0, 2.0)));
        let late = [attempt(RunStatus::NoSolution, None, 1.0), attempt(RunStatus::Feasible, Some(9.0), 0.5)];
        assert_eq!(best_run(&late), Some((1, 1.0)));
        let none = [attempt(RunStatus::NoSolution, None, f64::NEG_INFINITY), attempt(RunStatus::NoSolution, None, f64::NEG_INFINITY)];
        assert_eq!(best_run(&none), Some((0, f64::NEG_INFINITY)));
        assert_eq!(best_run(&[]), None);
    }

    #[test]
    fn a_raced_run_proving_infeasibility_decides_only_without_a_timetable() {
        let proof = [attempt(RunStatus::NoSolution, None, 0.0), attempt(RunStatus::Infeasible, None, 0.0)];
        assert_eq!(best_run(&proof), Some((1, 0.0)));
        let contradicted = [attempt(RunStatus::Infeasible, None, 0.0), attempt(RunStatus::Feasible, Some(3.0), 0.0)];
        assert_eq!(best_run(&contradicted), Some((1, 0.0)));
    }

    #[test]
    fn stage_one_is_raced_only_under_a_clock_with_highs_and_several_threads() {
        let clocked = SolveOptions { time_limit: Some(60.0), threads: 2, backend: Backend::Highs, ..SolveOptions::default() };
        assert_eq!(stage1_runs(&clocked), 2);
        assert_eq!(stage1_runs(&SolveOptions { threads: 8, ..clocked.clone() }), STAGE1_MOST_RUNS);
        assert_eq!(stage1_runs(&SolveOptions { threads: 1, ..clocked.clone() }), 1);
        assert_eq!(stage1_runs(&SolveOptions { node_limit: Some(100), ..clocked.clone() }), 1);
        assert_eq!(stage1_runs(&SolveOptions { time_limit: None, ..clocked.clone() }), 1);
        assert_eq!(stage1_runs(&SolveOptions { backend: Backend::Microlp, ..clocked.clone() }), 1);
        assert_eq!(stage1_runs(&SolveOptions { method: Method::Monolithic, ..clocked }), 1);
    }
}
