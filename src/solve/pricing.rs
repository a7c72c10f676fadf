//! What a timetable costs, priced from the solver's decisions, and the
//! bounds and gaps measured against it.

use std::collections::BTreeSet;

use super::context::Context;
use super::rooms::{RoomCosts, Session};
use super::Objective;
use crate::check::Cost;
use crate::model::InstructorIdx;

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

/// Prices a solution from its decisions: sessions, instructors and the
/// room stage's costs. The continuous cost columns of a MIP stopped by a
/// limit may sit above their true value, so they are not read back.
pub(super) fn price(ctx: &Context, sessions: &[Session], teacher: &[InstructorIdx], room_costs: &RoomCosts) -> Objective {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let n_slots = cal.num_slots();
    let mut days_used: Vec<BTreeSet<usize>> = vec![Default::default(); inst.courses.len()];
    let mut cohort_busy = vec![vec![false; n_slots]; inst.cohorts.len()];
    let mut availability = room_costs.availability;
    let mut perturbation = room_costs.room_changes;
    for s in sessions {
        days_used[s.course].insert(cal.slot(s.slot).day.0);
        for k in &inst.courses[s.course].cohorts {
            cohort_busy[k.0][s.slot] = true;
        }
        availability += ctx.cal.course_penalty[s.course][s.slot] + ctx.cal.instructor_penalty[teacher[s.course].0][s.slot];
        if let Some(plan) = &ctx.cand.baseline {
            if !plan.at[s.course].contains_key(&s.slot) {
                perturbation += plan.weight;
            }
        }
    }
    if let Some(plan) = &ctx.cand.baseline {
        for (c, &i) in teacher.iter().enumerate() {
            if plan.instructor(c).is_some_and(|before| before != i) {
                perturbation += plan.weight;
            }
        }
    }
    let short_days: u32 =
        inst.courses.iter().zip(&days_used).map(|(course, days)| course.min_days.unwrap_or(0).saturating_sub(days.len() as u32)).sum();
    let mut isolated = 0u32;
    for s in sessions {
        let day = cal.day_slots(cal.slot(s.slot).day);
        for k in &inst.courses[s.course].cohorts {
            let busy = &cohort_busy[k.0];
            let before = s.slot > day.start && busy[s.slot - 1];
            let after = s.slot + 1 < day.end && busy[s.slot + 1];
            if !before && !after {
                isolated += 1;
            }
        }
    }
    round_components(Objective {
        cost: Cost {
            room_capacity: room_costs.room_capacity,
            min_days: inst.weights.min_days * short_days as f64,
            compactness: inst.weights.compactness * isolated as f64,
            room_stability: room_costs.room_stability,
            availability,
            // Not modelled yet (docs/model.md): the checker prices the
            // solved timetable's quotas and soft relations.
            teaching_quota: 0.0,
            relations: 0.0,
        },
        perturbation,
    })
}

/// Continuous cost columns carry solver round-off (1e-9); costs are sums of
/// weights, so round to the precision weights are written with.
fn round_components(o: Objective) -> Objective {
    let r = |v: f64| (v * 1e6).round() / 1e6;
    Objective { cost: o.cost.map(r), perturbation: r(o.perturbation) }
}
