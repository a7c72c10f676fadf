//! One neighbourhood as an integer program: the current plan pinned
//! outside it, solved, and read back as a whole plan.

use std::collections::BTreeMap;
use std::time::Instant;

use super::draw::Neighbourhood;
use super::plan::Plan;
use crate::model::{CourseIdx, Pin, RoomIdx};
use crate::solve::backend::{RunLimits, RunStatus};
use crate::solve::candidates::Candidates;
use crate::solve::context::Context;
use crate::solve::rooms;
use crate::solve::times::{self, Scope};

/// Sub-problems with more room columns than this leave rooms to matching.
const SUB_JOINT_MAX_ROOM_COLUMNS: usize = 20_000;

/// What a repair sub-problem charges per session it leaves out: above any
/// cost placing it could bring, so sub-problems place what they can.
const MISSING_COST: f64 = 1e4;

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
pub(super) fn solve_part(ctx: &Context, plan: &Plan, nb: &Neighbourhood, limits: &RunLimits) -> Result<(RunStatus, Option<Plan>), String> {
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
pub fn warm_start(model: &mut times::TimesModel, plan: &Plan, rc: &Candidates) {
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

/// Whether `CLASSPLAN_TRACE` is set: then every sub-problem and every
/// result's fate go to stderr, one line each (how the search was tuned).
pub(super) fn tracing() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("CLASSPLAN_TRACE").is_some())
}
