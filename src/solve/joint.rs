//! The joint model: times, instructors and rooms in one integer program,
//! exact where the two stages are not, and run once the search stalls.

use super::backend::RunStatus;
use super::context::{Attempt, Context, Found};
use super::{lns, pricing, rooms, times, ModelSize};

/// Joint models above this many room columns are not attempted: they would
/// take long to build and rarely improve within planners' time limits.
pub(super) const JOINT_MAX_ROOM_COLUMNS: usize = 150_000;

/// The joint model: times, instructors and room use decided together, then
/// the rooms themselves by stage 2 on the times it chose.
///
/// The model gets `share` of the time left, and the room stage as much of
/// what is left after it.
pub(super) fn joint(ctx: &Context, size: &mut ModelSize, start: Option<&lns::Plan>, share: f64) -> Result<Attempt, String> {
    let inst = ctx.instance;
    let mut model = times::build(inst, &ctx.cal, &ctx.cand, &ctx.cliques, &[], times::Scope::Joint);
    if let Some(plan) = start {
        lns::warm_start(&mut model, plan, &ctx.cand);
    }
    size.joint_columns = model.builder.num_cols();
    size.joint_rows = model.builder.num_rows();
    let times::TimesModel { builder, x, y, rooms: joint_rooms, .. } = model;
    let run = builder.solve(ctx.options.backend, &ctx.limits(share))?;
    // Every course uses at least one room; the model charges that first
    // room too, so take it back from the bound.
    let base = if inst.weights.room_stability > 0.0 { inst.weights.room_stability * inst.courses.len() as f64 } else { 0.0 };
    let bound = run.bound - base;
    if matches!(run.status, RunStatus::Infeasible | RunStatus::NoSolution) {
        return Ok(Attempt { status: run.status, found: None, bound });
    }
    let (sessions, teacher) = times::read_times(&ctx.cand, &x, &y, &run.values);
    // The model's own rooms start the room stage: matching afresh would
    // lose the room stability it paid for.
    let start = match joint_rooms.and_then(|j| j.read(&sessions, &run.values)) {
        Some(start) => start,
        None => match rooms::match_rooms(inst, &ctx.cal, &ctx.cand, &sessions) {
            rooms::Matching::Complete(start) => start,
            rooms::Matching::Deficient(_) => return Err("internal error: the joint model's times admit no room assignment".into()),
        },
    };
    let (room_of, _, _) = rooms::optimise_rooms(inst, &ctx.cal, &ctx.cand, &sessions, start, ctx.options.backend, &ctx.limits(share))?;
    let objective = pricing::price(ctx, &sessions, &room_of, &teacher);
    let timetable = ctx.timetable(&sessions, &room_of, &teacher);
    Ok(Attempt { status: run.status, found: Some(Found { timetable, objective }), bound })
}
