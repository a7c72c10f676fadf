//! Stage 2: a room for every session, times and instructors fixed.
//!
//! Per slot, rooms are a bipartite matching of sessions to compatible rooms.
//! A maximum matching either places everyone (and seeds the MIP below with
//! a start that keeps each course in rooms it already uses) or exposes a set
//! of sessions with too few rooms between them: a Hall violation that stage
//! 1 then forbids. The MIP then minimises seats short, room changes per
//! course and room penalties.

use std::collections::BTreeSet;

use good_lp::{variable, Expression};

use super::backend::{Backend, Col, ModelBuilder, RunLimits, RunStatus};
use super::candidates::{Calendars, Candidates};
use crate::model::{Instance, RoomIdx};

/// A session whose time is fixed: course and slot.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub course: usize,
    pub slot: usize,
}

/// Result of matching every slot: rooms, or the room set that falls short.
pub enum Matching {
    Complete(Vec<RoomIdx>),
    Deficient(Vec<RoomIdx>),
}

/// Matches each slot's sessions to rooms (Kuhn's augmenting paths; slots
/// hold few sessions). Rooms a course already uses are tried first.
pub fn match_rooms(inst: &Instance, cal: &Calendars, cand: &Candidates, sessions: &[Session]) -> Matching {
    let mut assigned = vec![RoomIdx(usize::MAX); sessions.len()];
    let mut used_by_course: Vec<BTreeSet<RoomIdx>> = vec![BTreeSet::new(); inst.courses.len()];
    let mut order: Vec<usize> = (0..sessions.len()).collect();
    order.sort_by_key(|&s| (sessions[s].slot, sessions[s].course));
    let mut start = 0;
    while start < order.len() {
        let t = sessions[order[start]].slot;
        let end = start + order[start..].iter().take_while(|&&s| sessions[s].slot == t).count();
        let group: Vec<usize> = order[start..end].to_vec();
        let adjacency: Vec<Vec<RoomIdx>> = group
            .iter()
            .map(|&s| {
                let c = sessions[s].course;
                let mut rooms = cand.rooms_at(c, t, cal);
                // Prefer rooms the course already has, then the tightest fit.
                rooms.sort_by_key(|r| {
                    let over = cand.students[c].saturating_sub(inst.rooms[r.0].capacity);
                    let spare = inst.rooms[r.0].capacity.saturating_sub(cand.students[c]);
                    (!used_by_course[c].contains(r), over, spare, r.0)
                });
                rooms
            })
            .collect();
        let mut owner: std::collections::BTreeMap<RoomIdx, usize> = Default::default();
        for (g, _) in group.iter().enumerate() {
            let mut seen = BTreeSet::new();
            if !augment(g, &adjacency, &mut owner, &mut seen) {
                // Sessions reachable by alternating paths from g, and their
                // rooms: fewer rooms than sessions (König).
                let rooms: Vec<RoomIdx> = seen.into_iter().collect();
                return Matching::Deficient(rooms);
            }
        }
        for (r, g) in owner {
            assigned[group[g]] = r;
            used_by_course[sessions[group[g]].course].insert(r);
        }
        start = end;
    }
    Matching::Complete(assigned)
}

fn augment(
    g: usize,
    adjacency: &[Vec<RoomIdx>],
    owner: &mut std::collections::BTreeMap<RoomIdx, usize>,
    seen: &mut BTreeSet<RoomIdx>,
) -> bool {
    for &r in &adjacency[g] {
        if !seen.insert(r) {
            continue;
        }
        match owner.get(&r).copied() {
            None => {
                owner.insert(r, g);
                return true;
            }
            Some(other) => {
                if augment(other, adjacency, owner, seen) {
                    owner.insert(r, g);
                    return true;
                }
            }
        }
    }
    false
}

/// Room costs of an assignment, by component (weights applied).
#[derive(Debug, Clone, Copy, Default)]
pub struct RoomCosts {
    pub room_capacity: f64,
    pub room_stability: f64,
    pub availability: f64,
    /// Minimal-perturbation cost of rooms changed at baseline slots.
    pub room_changes: f64,
}

impl RoomCosts {
    pub fn total(&self) -> f64 {
        self.room_capacity + self.room_stability + self.availability + self.room_changes
    }
}

/// The stage-2 MIP, started from `start`. Returns the best assignment found
/// (never worse than `start`) and its costs.
pub fn optimise_rooms(
    inst: &Instance,
    cal: &Calendars,
    cand: &Candidates,
    sessions: &[Session],
    start: Vec<RoomIdx>,
    backend: Backend,
    limits: &RunLimits,
) -> Result<(Vec<RoomIdx>, RoomCosts, bool), String> {
    let start_costs = costs(inst, cal, cand, sessions, &start);
    let mut b = ModelBuilder::default();
    let w_cap = inst.weights.room_capacity.unwrap_or(0.0);
    let w_stab = inst.weights.room_stability;
    let mut options: Vec<Vec<(RoomIdx, Col)>> = Vec::with_capacity(sessions.len());
    let mut use_col: std::collections::BTreeMap<(usize, RoomIdx), Col> = Default::default();
    let mut by_room_slot: std::collections::BTreeMap<(RoomIdx, usize), Vec<Col>> = Default::default();
    for (s, session) in sessions.iter().enumerate() {
        let mut opts = Vec::new();
        let mut one = Expression::default();
        for r in cand.rooms_at(session.course, session.slot, cal) {
            let a = b.add(variable().binary());
            let change = cand.baseline.as_ref().map_or(0.0, |b| b.room_change(session.course, session.slot, r));
            let cost = w_cap * cand.students[session.course].saturating_sub(inst.rooms[r.0].capacity) as f64
                + cal.room_penalty[r.0][session.slot]
                + change;
            if cost > 0.0 {
                b.objective.add_mul(cost, a.var);
            }
            if start[s] == r {
                b.set_initial(a, 1.0);
            }
            one += a.var;
            by_room_slot.entry((r, session.slot)).or_default().push(a);
            if w_stab > 0.0 {
                let u = *use_col.entry((session.course, r)).or_insert_with(|| b.add(variable().min(0).max(1)));
                b.constraints.push(Expression::from(a.var).leq(u.var));
            }
            opts.push((r, a));
        }
        b.constraints.push(one.eq(1));
        options.push(opts);
    }
    for (&(c, r), &u) in &use_col {
        b.objective.add_mul(w_stab, u.var);
        if start.iter().zip(sessions).any(|(&sr, s)| s.course == c && sr == r) {
            b.set_initial(u, 1.0);
        }
    }
    for cols in by_room_slot.values().filter(|c| c.len() >= 2) {
        b.constraints.push(cols.iter().map(|c| c.var).sum::<Expression>().leq(1));
    }
    let run = b.solve(backend, limits)?;
    if run.values.is_empty() {
        return Ok((start, start_costs, false));
    }
    let rooms: Vec<RoomIdx> = options
        .iter()
        .map(|opts| opts.iter().max_by(|a, b| run.values[a.1.index].total_cmp(&run.values[b.1.index])).map(|o| o.0).unwrap())
        .collect();
    let found = costs(inst, cal, cand, sessions, &rooms);
    if found.total() <= start_costs.total() + 1e-9 {
        Ok((rooms, found, run.status == RunStatus::Optimal))
    } else {
        Ok((start, start_costs, false))
    }
}

/// Costs of a room assignment, from the same terms the MIP prices.
pub fn costs(inst: &Instance, cal: &Calendars, cand: &Candidates, sessions: &[Session], rooms: &[RoomIdx]) -> RoomCosts {
    let mut out = RoomCosts::default();
    let w_cap = inst.weights.room_capacity.unwrap_or(0.0);
    let mut used: BTreeSet<(usize, RoomIdx)> = BTreeSet::new();
    for (s, &r) in sessions.iter().zip(rooms) {
        out.room_capacity += w_cap * cand.students[s.course].saturating_sub(inst.rooms[r.0].capacity) as f64;
        out.availability += cal.room_penalty[r.0][s.slot];
        out.room_changes += cand.baseline.as_ref().map_or(0.0, |b| b.room_change(s.course, s.slot, r));
        used.insert((s.course, r));
    }
    let mut per_course = vec![0usize; inst.courses.len()];
    for (c, _) in used {
        per_course[c] += 1;
    }
    out.room_stability = inst.weights.room_stability * per_course.iter().map(|&n| n.saturating_sub(1) as f64).sum::<f64>();
    out
}
