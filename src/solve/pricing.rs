//! What a timetable costs, priced from the solver's decisions, and the
//! bounds and gaps measured against it.

use std::collections::BTreeSet;

use super::context::Context;
use super::rooms::Session;
use super::Objective;
use crate::check::Cost;
use crate::model::{InstructorIdx, RoomIdx};

/// A lower bound from each course alone: the cheapest slots it could take,
/// the seats its largest compatible room lacks, the days it cannot reach.
/// Weak, but it needs no model, so even the largest instance gets a gap.
pub(super) fn simple_bound(ctx: &Context) -> f64 {
    let inst = ctx.instance;
    let w = &inst.weights;
    let mut bound = 0.0;
    for (c, course) in inst.courses.iter().enumerate() {
        let n = course.sessions as usize;
        let mut penalties: Vec<f64> = ctx.cand.slots[c]
            .iter()
            .map(|&t| {
                let teacher = ctx.cand.instructors[c].iter().map(|i| ctx.cal.instructor_penalty[i.0][t]).fold(f64::INFINITY, f64::min);
                let room = ctx.cand.rooms_at(c, t, &ctx.cal).iter().map(|r| ctx.cal.room_penalty[r.0][t]).fold(f64::INFINITY, f64::min);
                ctx.cal.course_penalty[c][t] + teacher.min(1e12) + room.min(1e12)
            })
            .collect();
        penalties.sort_by(f64::total_cmp);
        bound += penalties.iter().take(n).sum::<f64>();
        if let Some(wc) = w.room_capacity {
            let largest = ctx.cand.rooms[c].iter().map(|r| inst.rooms[r.0].capacity).max().unwrap_or(0);
            bound += wc * ctx.cand.students[c].saturating_sub(largest) as f64 * n as f64;
        }
        let days: BTreeSet<usize> = ctx.cand.slots[c].iter().map(|&t| inst.calendar.slot(t).day.0).collect();
        let reachable = days.len().min(n) as u32;
        bound += w.min_days * course.min_days.unwrap_or(0).saturating_sub(reachable) as f64;
    }
    bound
}

/// `(objective - bound) / objective`, 0 when both are 0.
pub(super) fn relative_gap(objective: f64, bound: f64) -> f64 {
    if objective.abs() < 1e-9 {
        0.0
    } else {
        ((objective - bound) / objective.abs()).max(0.0)
    }
}

/// Each course's share of a timetable's cost, component by component:
/// its sessions' seats short, penalties (course, instructor, room) and
/// isolated cohort sessions, its days short and its rooms beyond the
/// first. Summed over the courses it is the cost the checker computes, so
/// the search looks for costly courses in the very price it minimises.
pub(super) fn course_costs(ctx: &Context, sessions: &[Session], rooms: &[RoomIdx], teacher: &[InstructorIdx]) -> Vec<Cost> {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let w = &inst.weights;
    let mut costs = vec![Cost::default(); inst.courses.len()];
    let mut days_used: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); inst.courses.len()];
    let mut rooms_used: Vec<BTreeSet<RoomIdx>> = vec![BTreeSet::new(); inst.courses.len()];
    let mut cohort_busy = vec![vec![false; cal.num_slots()]; inst.cohorts.len()];
    for s in sessions {
        for k in &inst.courses[s.course].cohorts {
            cohort_busy[k.0][s.slot] = true;
        }
    }
    for (s, &r) in sessions.iter().zip(rooms) {
        let c = &mut costs[s.course];
        c.room_capacity += w.room_capacity.unwrap_or(0.0) * ctx.cand.students[s.course].saturating_sub(inst.rooms[r.0].capacity) as f64;
        c.availability += ctx.cal.course_penalty[s.course][s.slot]
            + ctx.cal.instructor_penalty[teacher[s.course].0][s.slot]
            + ctx.cal.room_penalty[r.0][s.slot];
        let day = cal.day_slots(cal.slot(s.slot).day);
        for k in &inst.courses[s.course].cohorts {
            let busy = &cohort_busy[k.0];
            let before = s.slot > day.start && busy[s.slot - 1];
            let after = s.slot + 1 < day.end && busy[s.slot + 1];
            if !before && !after {
                c.compactness += w.compactness;
            }
        }
        days_used[s.course].insert(cal.slot(s.slot).day.0);
        rooms_used[s.course].insert(r);
    }
    for (c, course) in inst.courses.iter().enumerate() {
        costs[c].min_days = w.min_days * course.min_days.unwrap_or(0).saturating_sub(days_used[c].len() as u32) as f64;
        costs[c].room_stability = w.room_stability * rooms_used[c].len().saturating_sub(1) as f64;
    }
    costs
}

/// Prices a solution from its decisions: sessions, their rooms and the
/// courses' instructors. The continuous cost columns of a MIP stopped by a
/// limit may sit above their true value, so they are not read back.
pub(super) fn price(ctx: &Context, sessions: &[Session], rooms: &[RoomIdx], teacher: &[InstructorIdx]) -> Objective {
    let mut cost = Cost::default();
    for c in course_costs(ctx, sessions, rooms, teacher) {
        cost.add(&c);
    }
    let mut perturbation = 0.0;
    if let Some(plan) = &ctx.cand.baseline {
        for (s, &r) in sessions.iter().zip(rooms) {
            perturbation += plan.room_change(s.course, s.slot, r);
            if !plan.at[s.course].contains_key(&s.slot) {
                perturbation += plan.weight;
            }
        }
        for (c, &i) in teacher.iter().enumerate() {
            if plan.instructor(c).is_some_and(|before| before != i) {
                perturbation += plan.weight;
            }
        }
    }
    round_components(Objective { cost, perturbation })
}

/// Continuous cost columns carry solver round-off (1e-9); costs are sums of
/// weights, so round to the precision weights are written with.
fn round_components(o: Objective) -> Objective {
    let r = |v: f64| (v * 1e6).round() / 1e6;
    Objective { cost: o.cost.map(r), perturbation: r(o.perturbation) }
}
