//! Stage 1: when each session takes place and who teaches each course.
//!
//! Rooms are not chosen here. Instead, per slot, the sessions placed must be
//! matchable to distinct compatible rooms; Hall's condition says that holds
//! exactly when, for every room set U, the courses whose compatible rooms
//! all lie in U number at most |U|. We add that inequality for the room sets
//! the courses actually have, and later for any set a failed matching
//! exposes (see `rooms::deficient_set`), so stage 2 always finds rooms.

use std::collections::BTreeSet;

use good_lp::{variable, Expression};

use super::backend::{Col, ModelBuilder};
use super::candidates::{Calendars, Candidates};
use super::rooms::Session;
use crate::model::{CourseIdx, DayIdx, Instance, InstructorIdx, RoomIdx};

/// Stage-1 columns, kept to read the solution and to explain the objective.
pub struct TimesModel {
    pub builder: ModelBuilder,
    /// `x[c][t]`: course `c` has a session at slot `t`.
    pub x: Vec<Vec<Option<Col>>>,
    /// For courses with an instructor to choose: `(instructor, y)` per option.
    pub y: Vec<Vec<(InstructorIdx, Col)>>,
    /// Cost columns by objective component, with their weights.
    pub min_days: Vec<Col>,
    pub compactness: Vec<Col>,
    /// Stage-1 price of seats short: (column, weight); a lower bound, or
    /// exact with room types.
    pub capacity_bound: Vec<(Col, f64)>,
    /// Linear availability terms: (column, penalty).
    pub availability: Vec<(Col, f64)>,
    /// Present in the joint model only: rooms chosen with the times.
    pub rooms: Option<JointRooms>,
    /// Minimal-perturbation terms: (column, weight).
    pub perturbation: Vec<(Col, f64)>,
    /// Sessions a course under repair leaves out, per such course.
    pub missing: Vec<Col>,
}

/// Room columns of the joint model: `a[c,t,r]` per session and room, and
/// `u[c,r]` (course `c` uses room `r`) for room stability.
pub struct JointRooms {
    pub assign: std::collections::BTreeMap<(usize, usize), Vec<(RoomIdx, Col)>>,
    /// (column, weighted seats short) and (column, room penalty) per `a`.
    pub capacity_terms: Vec<(Col, f64)>,
    pub penalty_terms: Vec<(Col, f64)>,
    /// `u[c,r]` by course and room.
    pub uses: std::collections::BTreeMap<(usize, RoomIdx), Col>,
}

impl JointRooms {
    /// The room of each session in a solution, when the solution gives
    /// every session exactly one room and no room twice in a slot (a run
    /// stopped by a limit may leave room columns fractional).
    pub fn read(&self, sessions: &[Session], values: &[f64]) -> Option<Vec<RoomIdx>> {
        let mut seen = std::collections::BTreeSet::new();
        let mut rooms = Vec::with_capacity(sessions.len());
        for s in sessions {
            let (r, _) = self.assign.get(&(s.course, s.slot))?.iter().find(|(_, a)| values[a.index] > 1.0 - 1e-6)?;
            if !seen.insert((s.slot, *r)) {
                return None;
            }
            rooms.push(*r);
        }
        Some(rooms)
    }
}

/// Sessions and instructors of a solution of a model built here.
pub fn read_times(
    cand: &Candidates,
    x: &[Vec<Option<Col>>],
    y: &[Vec<(InstructorIdx, Col)>],
    values: &[f64],
) -> (Vec<Session>, Vec<InstructorIdx>) {
    let on = |c: Col| values[c.index] > 0.5;
    let mut sessions = Vec::new();
    let mut teacher = Vec::with_capacity(x.len());
    for (c, row) in x.iter().enumerate() {
        for (t, col) in row.iter().enumerate() {
            if col.is_some_and(on) {
                sessions.push(Session { course: c, slot: t });
            }
        }
        teacher.push(match y[c].iter().find(|(_, col)| on(*col)) {
            Some(&(i, _)) => i,
            None => cand.instructors[c][0],
        });
    }
    (sessions, teacher)
}

/// Which model to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Times and instructors; rooms only through Hall inequalities.
    Times,
    /// Times, instructors and rooms in one program (exact, larger).
    Joint,
}

/// Number of room columns the joint model would have.
pub fn joint_room_columns(inst: &Instance, cal: &Calendars, cand: &Candidates) -> usize {
    (0..inst.courses.len()).map(|c| cand.slots[c].iter().map(|&t| cand.rooms_at(c, t, cal).len()).sum::<usize>()).sum()
}

/// Columns stage 1 would have before room terms: a session column per
/// course and slot, an instructor split per option and slot.
pub fn estimate_columns(inst: &Instance, cand: &Candidates) -> usize {
    (0..inst.courses.len())
        .map(|c| {
            let options = cand.instructors[c].len();
            cand.slots[c].len() * if options > 1 { 1 + options } else { 1 } + options
        })
        .sum()
}

/// Builds the stage-1 integer program. `hall_cuts` are extra room sets
/// whose Hall inequality must hold at every slot.
pub fn build(
    inst: &Instance,
    cal: &Calendars,
    cand: &Candidates,
    cliques: &[Vec<CourseIdx>],
    hall_cuts: &[Vec<RoomIdx>],
    scope: Scope,
) -> TimesModel {
    let n_slots = inst.calendar.num_slots();
    let mut m = TimesModel {
        builder: ModelBuilder::default(),
        x: Vec::with_capacity(inst.courses.len()),
        y: vec![Vec::new(); inst.courses.len()],
        min_days: Vec::new(),
        compactness: Vec::new(),
        capacity_bound: Vec::new(),
        availability: Vec::new(),
        rooms: None,
        perturbation: Vec::new(),
        missing: Vec::new(),
    };
    for c in 0..inst.courses.len() {
        let mut row = vec![None; n_slots];
        for &t in &cand.slots[c] {
            let pinned = cand.pins[c].contains_key(&t);
            let col = m.builder.add(if pinned { variable().binary().min(1) } else { variable().binary() });
            row[t] = Some(col);
        }
        m.x.push(row);
    }
    let teaching = instructor_choice(&mut m, inst, cal, cand);
    every_session_scheduled(&mut m, cand);
    cohort_attends_one_session_per_period(&mut m, inst);
    conflict_cliques(&mut m, inst, cliques);
    instructor_teaches_one_session_per_period(&mut m, &teaching);
    instructor_max_per_day(&mut m, inst, &teaching);
    rooms_suffice(&mut m, inst, cal, cand, hall_cuts);
    availability_penalties(&mut m, inst, cal, cand);
    stay_close_to_baseline(&mut m, inst, cand);
    match scope {
        Scope::Times => {
            if !seats_by_room_type(&mut m, inst, cal, cand) {
                room_capacity_lower_bound(&mut m, inst, cal, cand)
            }
        }
        Scope::Joint => rooms_chosen_with_times(&mut m, inst, cal, cand),
    }
    min_days_spread(&mut m, inst, cand);
    cohort_compactness(&mut m, inst);
    m
}

fn sum(cols: impl IntoIterator<Item = Col>) -> Expression {
    cols.into_iter().map(|c| c.var).sum()
}

/// Instructor choice. Returns, per instructor and slot, the columns that
/// mean "this instructor teaches there": `x` for courses whose instructor is
/// fixed, `w` for courses that choose.
///
/// For a choosing course, `y[c,i]` picks the instructor and continuous
/// `w[c,i,t]` splits each session among the options: sum_i w = x at each
/// slot, and sum_t w[c,i,t] = sessions * y[c,i]. With integral x and y this
/// forces w integral, so the w can stay continuous.
// Courses are walked by index: every candidate table is indexed by course.
#[allow(clippy::needless_range_loop)]
fn instructor_choice(m: &mut TimesModel, inst: &Instance, cal: &Calendars, cand: &Candidates) -> Vec<Vec<Vec<Col>>> {
    let n_slots = inst.calendar.num_slots();
    let mut teaching = vec![vec![Vec::new(); n_slots]; inst.instructors.len()];
    // Per course: (instructor, sessions it teaches there) for total limits.
    let mut loads: Vec<Vec<(InstructorIdx, Expression)>> = vec![Vec::new(); inst.courses.len()];
    for c in 0..inst.courses.len() {
        let options = &cand.instructors[c];
        if cand.sessions[c] == 0 {
            continue; // left out of this model: nothing to teach
        }
        let elastic = cand.missing_cost[c] > 0.0;
        if options.len() == 1 {
            let i = options[0];
            let mut load = Expression::default();
            for &t in &cand.slots[c] {
                teaching[i.0][t].push(m.x[c][t].unwrap());
                load += m.x[c][t].unwrap().var;
            }
            // A course that must be placed whole teaches a constant load.
            loads[c].push((i, if elastic { load } else { Expression::from(cand.sessions[c] as f64) }));
            continue;
        }
        let sessions = cand.sessions[c] as f64;
        let mut split: Vec<Expression> = vec![Expression::default(); n_slots];
        let mut pick = Expression::default();
        for &i in options {
            let y = m.builder.add(variable().binary());
            m.y[c].push((i, y));
            pick += y.var;
            let mut load = Expression::default();
            for &t in &cand.slots[c] {
                if cal.instructor_blocked[i.0][t] {
                    continue;
                }
                let w = m.builder.add(variable().min(0).max(1));
                split[t] += w.var;
                load += w.var;
                teaching[i.0][t].push(w);
                let penalty = cal.instructor_penalty[i.0][t];
                if penalty > 0.0 {
                    m.builder.objective.add_mul(penalty, w.var);
                    m.availability.push((w, penalty));
                }
            }
            if elastic {
                m.builder.constraints.push(load.clone().leq(sessions * y.var));
                loads[c].push((i, load));
            } else {
                m.builder.constraints.push(load.eq(sessions * y.var));
                loads[c].push((i, sessions * y.var));
            }
        }
        m.builder.constraints.push(pick.eq(1));
        for &t in &cand.slots[c] {
            let x = m.x[c][t].unwrap();
            let s = std::mem::take(&mut split[t]);
            m.builder.constraints.push(s.eq(x.var));
        }
    }
    instructor_max_sessions(m, inst, &loads);
    teaching
}

/// Every session scheduled once: sum_t x[c,t] = sessions. A course being
/// repaired may leave sessions out, at a cost per session (`missing`).
fn every_session_scheduled(m: &mut TimesModel, cand: &Candidates) {
    for (c, &sessions) in cand.sessions.iter().enumerate() {
        let mut e = sum(m.x[c].iter().flatten().copied());
        if cand.missing_cost[c] > 0.0 {
            let missing = m.builder.add(variable().min(0).max(sessions as f64));
            m.builder.objective.add_mul(cand.missing_cost[c], missing.var);
            m.missing.push(missing);
            e += missing.var;
        }
        m.builder.constraints.push(e.eq(sessions as f64));
    }
}

/// A cohort attends one session per period.
fn cohort_attends_one_session_per_period(m: &mut TimesModel, inst: &Instance) {
    for courses in inst.courses_of_cohort() {
        at_most_one_per_slot(m, &courses);
    }
}

/// Courses that pairwise conflict through different cohorts or instructors
/// (a clique of the checker's conflict graph) also share no slot; these
/// rows are implied at integer points but tighten the relaxation.
fn conflict_cliques(m: &mut TimesModel, inst: &Instance, cliques: &[Vec<CourseIdx>]) {
    let by_cohort: Vec<BTreeSet<CourseIdx>> = inst.courses_of_cohort().into_iter().map(|v| v.into_iter().collect()).collect();
    let mut by_instructor: Vec<BTreeSet<CourseIdx>> = vec![BTreeSet::new(); inst.instructors.len()];
    for (c, course) in inst.courses.iter().enumerate() {
        if let Some(i) = course.instructor {
            by_instructor[i.0].insert(CourseIdx(c));
        }
    }
    const MAX_CLIQUES: usize = 2000;
    let mut added = 0;
    for clique in cliques {
        let within_one = by_cohort.iter().chain(&by_instructor).any(|set| clique.iter().all(|c| set.contains(c)));
        if within_one {
            continue; // already a cohort or instructor row
        }
        at_most_one_per_slot(m, clique);
        added += 1;
        if added >= MAX_CLIQUES {
            break;
        }
    }
}

fn at_most_one_per_slot(m: &mut TimesModel, courses: &[CourseIdx]) {
    let n_slots = m.x.first().map_or(0, Vec::len);
    for t in 0..n_slots {
        let cols: Vec<Col> = courses.iter().filter_map(|c| m.x[c.0][t]).collect();
        if cols.len() >= 2 {
            m.builder.constraints.push(sum(cols).leq(1));
        }
    }
}

/// An instructor teaches one session per period.
fn instructor_teaches_one_session_per_period(m: &mut TimesModel, teaching: &[Vec<Vec<Col>>]) {
    for per_slot in teaching {
        for cols in per_slot {
            if cols.len() >= 2 {
                m.builder.constraints.push(sum(cols.iter().copied()).leq(1));
            }
        }
    }
}

/// An instructor teaches at most `max_per_day` sessions a day.
fn instructor_max_per_day(m: &mut TimesModel, inst: &Instance, teaching: &[Vec<Vec<Col>>]) {
    for (i, instructor) in inst.instructors.iter().enumerate() {
        let Some(limit) = instructor.max_per_day else { continue };
        for d in 0..inst.calendar.num_days() {
            let cols: Vec<Col> = inst.calendar.day_slots(DayIdx(d)).flat_map(|t| teaching[i][t].iter().copied()).collect();
            // Each slot contributes at most one session, so a day with no
            // more slots than the limit cannot break it.
            let busy_slots = inst.calendar.day_slots(DayIdx(d)).filter(|&t| !teaching[i][t].is_empty()).count();
            if busy_slots as u32 > limit {
                m.builder.constraints.push(sum(cols).leq(limit as f64));
            }
        }
    }
}

/// An instructor teaches at most `max_sessions` sessions in all.
fn instructor_max_sessions(m: &mut TimesModel, inst: &Instance, loads: &[Vec<(InstructorIdx, Expression)>]) {
    let mut total: Vec<Expression> = vec![Expression::default(); inst.instructors.len()];
    let mut terms = vec![0usize; inst.instructors.len()];
    for per_course in loads {
        for (i, load) in per_course {
            total[i.0] += load.clone();
            terms[i.0] += 1;
        }
    }
    for (i, instructor) in inst.instructors.iter().enumerate() {
        let Some(limit) = instructor.max_sessions else { continue };
        if terms[i] > 0 {
            let load = std::mem::take(&mut total[i]);
            m.builder.constraints.push(load.leq(limit as f64));
        }
    }
}

/// Hall's condition per slot for the room sets in play (see module doc).
fn rooms_suffice(m: &mut TimesModel, inst: &Instance, cal: &Calendars, cand: &Candidates, hall_cuts: &[Vec<RoomIdx>]) {
    let n_slots = inst.calendar.num_slots();
    for t in 0..n_slots {
        let present: Vec<(usize, Vec<RoomIdx>)> =
            (0..inst.courses.len()).filter(|&c| m.x[c][t].is_some()).map(|c| (c, cand.rooms_at(c, t, cal))).collect();
        if present.len() <= 1 && present.iter().all(|(_, r)| !r.is_empty()) {
            continue;
        }
        let mut sets: BTreeSet<Vec<RoomIdx>> = present.iter().map(|(_, r)| r.clone()).collect();
        let available: Vec<RoomIdx> = (0..inst.rooms.len()).map(RoomIdx).filter(|r| !cal.room_blocked[r.0][t]).collect();
        sets.insert(available.clone());
        for cut in hall_cuts {
            sets.insert(cut.iter().copied().filter(|r| !cal.room_blocked[r.0][t]).collect());
        }
        for set in sets {
            let inside: Vec<Col> = present
                .iter()
                .filter(|(_, rooms)| rooms.iter().all(|r| set.binary_search(r).is_ok()))
                .map(|(c, _)| m.x[*c][t].unwrap())
                .collect();
            if inside.len() > set.len() {
                m.builder.constraints.push(sum(inside).leq(set.len() as f64));
            }
        }
    }
}

/// Soft availability of the course, its cohorts and a fixed instructor,
/// charged on `x` (a choosing course's instructor is charged on `w`).
fn availability_penalties(m: &mut TimesModel, inst: &Instance, cal: &Calendars, cand: &Candidates) {
    for c in 0..inst.courses.len() {
        let fixed = (cand.instructors[c].len() == 1).then(|| cand.instructors[c][0]);
        for &t in &cand.slots[c] {
            let mut penalty = cal.course_penalty[c][t];
            if let Some(i) = fixed {
                penalty += cal.instructor_penalty[i.0][t];
            }
            if penalty > 0.0 {
                let x = m.x[c][t].unwrap();
                m.builder.objective.add_mul(penalty, x.var);
                m.availability.push((x, penalty));
            }
        }
    }
}

/// With soft room capacity, a lower bound on the seats short at each slot,
/// so the stage-1 objective (and its bound) counts what rooms will cost.
/// For any threshold q, max(0, s - cap) >= max(0, s - q) - max(0, cap - q);
/// summed over the sessions of a slot and all rooms available there, that
/// bounds the slot's shortfall from below whatever the room assignment.
/// Each course also pays at least its best compatible room's shortfall.
fn room_capacity_lower_bound(m: &mut TimesModel, inst: &Instance, cal: &Calendars, cand: &Candidates) {
    let Some(weight) = inst.weights.room_capacity.filter(|w| *w > 0.0) else { return };
    let thresholds: BTreeSet<u32> = inst.rooms.iter().map(|r| r.capacity).collect();
    for t in 0..inst.calendar.num_slots() {
        let present: Vec<usize> = (0..inst.courses.len()).filter(|&c| m.x[c][t].is_some()).collect();
        let mut rows: Vec<(Expression, f64)> = Vec::new();
        let mut best_room = Expression::default();
        let mut any_best = false;
        for &c in &present {
            let shortfall =
                cand.rooms_at(c, t, cal).iter().map(|r| cand.students[c].saturating_sub(inst.rooms[r.0].capacity)).min().unwrap_or(0);
            if shortfall > 0 {
                best_room.add_mul(shortfall as f64, m.x[c][t].unwrap().var);
                any_best = true;
            }
        }
        for &q in &thresholds {
            let spare: u32 = inst
                .rooms
                .iter()
                .enumerate()
                .filter(|(r, _)| !cal.room_blocked[*r][t])
                .map(|(_, room)| room.capacity.saturating_sub(q))
                .sum();
            let mut e = Expression::default();
            let mut most = 0u64;
            for &c in &present {
                let over = cand.students[c].saturating_sub(q);
                if over > 0 {
                    e.add_mul(over as f64, m.x[c][t].unwrap().var);
                    most += over as u64;
                }
            }
            if most > spare as u64 {
                rows.push((e, spare as f64));
            }
        }
        if rows.is_empty() && !any_best {
            continue;
        }
        let p = m.builder.add(variable().min(0));
        m.builder.objective.add_mul(weight, p.var);
        m.capacity_bound.push((p, weight));
        for (e, spare) in rows {
            m.builder.constraints.push((e - spare).leq(p.var));
        }
        if any_best {
            m.builder.constraints.push(best_room.leq(p.var));
        }
    }
}

/// min_days: `short[c] >= min_days - days used`, with `d[c,day] <= sum x`
/// continuous (exact at integral x, since minimisation pushes d up to 1).
fn min_days_spread(m: &mut TimesModel, inst: &Instance, cand: &Candidates) {
    let weight = inst.weights.min_days;
    if weight <= 0.0 {
        return;
    }
    for (c, course) in inst.courses.iter().enumerate() {
        let Some(min_days) = course.min_days.filter(|&d| d > 1 && cand.sessions[c] > 0) else { continue };
        let mut used = Expression::default();
        for d in 0..inst.calendar.num_days() {
            let cols: Vec<Col> = inst.calendar.day_slots(DayIdx(d)).filter_map(|t| m.x[c][t]).collect();
            if cols.is_empty() {
                continue;
            }
            let day = m.builder.add(variable().min(0).max(1));
            m.builder.constraints.push(Expression::from(day.var).leq(sum(cols)));
            used += day.var;
        }
        let short = m.builder.add(variable().min(0));
        m.builder.objective.add_mul(weight, short.var);
        m.min_days.push(short);
        m.builder.constraints.push((min_days as f64 - used).leq(short.var));
    }
}

/// Compactness: an isolated session of a cohort costs; with X[k,t] the
/// cohort's sessions at t, `iso >= X[t] - X[t-1] - X[t+1]` (same day).
fn cohort_compactness(m: &mut TimesModel, inst: &Instance) {
    let weight = inst.weights.compactness;
    if weight <= 0.0 {
        return;
    }
    for courses in inst.courses_of_cohort() {
        for d in 0..inst.calendar.num_days() {
            let slots: Vec<usize> = inst.calendar.day_slots(DayIdx(d)).collect();
            let at = |m: &TimesModel, t: usize| -> Vec<Col> { courses.iter().filter_map(|c| m.x[c.0][t]).collect() };
            for (pos, &t) in slots.iter().enumerate() {
                let here = at(m, t);
                if here.is_empty() {
                    continue;
                }
                let mut e = sum(here);
                if pos > 0 {
                    e -= sum(at(m, slots[pos - 1]));
                }
                if pos + 1 < slots.len() {
                    e -= sum(at(m, slots[pos + 1]));
                }
                let iso = m.builder.add(variable().min(0));
                m.builder.objective.add_mul(weight, iso.var);
                m.compactness.push(iso);
                m.builder.constraints.push(e.leq(iso.var));
            }
        }
    }
}

/// Joint model only: each session gets one compatible room (`sum_r a = x`),
/// a room holds one session per slot, and binary `u[c,r] >= a[c,t,r]` marks
/// the rooms a course uses. Room stability is charged on every `u`; the one
/// room each course must use is subtracted when reading the objective.
///
/// `a` is continuous: once `x` and `u` are integral, what is left at each
/// slot is a bipartite assignment, whose polytope is integral, so an
/// integral room assignment of no greater cost exists and stage 2 finds it.
/// Branching only on `x`, `y` and `u` keeps the search small.
fn rooms_chosen_with_times(m: &mut TimesModel, inst: &Instance, cal: &Calendars, cand: &Candidates) {
    let w_cap = inst.weights.room_capacity.unwrap_or(0.0);
    let w_stab = inst.weights.room_stability;
    let mut joint =
        JointRooms { assign: Default::default(), capacity_terms: Vec::new(), penalty_terms: Vec::new(), uses: Default::default() };
    let mut by_room_slot: std::collections::BTreeMap<(RoomIdx, usize), Vec<Col>> = Default::default();
    for c in 0..inst.courses.len() {
        let mut uses: std::collections::BTreeMap<RoomIdx, Col> = Default::default();
        for &t in &cand.slots[c] {
            let x = m.x[c][t].unwrap();
            let mut one = Expression::default();
            let mut options = Vec::new();
            for r in cand.rooms_at(c, t, cal) {
                let a = m.builder.add(variable().min(0).max(1));
                one += a.var;
                let short = w_cap * cand.students[c].saturating_sub(inst.rooms[r.0].capacity) as f64;
                if short > 0.0 {
                    m.builder.objective.add_mul(short, a.var);
                    joint.capacity_terms.push((a, short));
                }
                let penalty = cal.room_penalty[r.0][t];
                if penalty > 0.0 {
                    m.builder.objective.add_mul(penalty, a.var);
                    joint.penalty_terms.push((a, penalty));
                }
                if let Some(change) = cand.baseline.as_ref().map(|b| b.room_change(c, t, r)).filter(|&w| w > 0.0) {
                    m.builder.objective.add_mul(change, a.var);
                    m.perturbation.push((a, change));
                }
                by_room_slot.entry((r, t)).or_default().push(a);
                if w_stab > 0.0 {
                    let u = *uses.entry(r).or_insert_with(|| {
                        let u = m.builder.add(variable().binary());
                        m.builder.objective.add_mul(w_stab, u.var);
                        joint.uses.insert((c, r), u);
                        u
                    });
                    m.builder.constraints.push(Expression::from(a.var).leq(u.var));
                }
                options.push((r, a));
            }
            m.builder.constraints.push(one.eq(x.var));
            joint.assign.insert((c, t), options);
        }
        // Every course uses a room. Implied at integral `x`, but not by the
        // relaxation, whose fractional sessions need only fractional rooms:
        // without it the root bound falls below stage 1's.
        if inst.courses[c].sessions > 0 && !uses.is_empty() {
            m.builder.constraints.push(sum(uses.values().copied()).geq(1));
        }
    }
    for cols in by_room_slot.values().filter(|c| c.len() >= 2) {
        m.builder.constraints.push(sum(cols.iter().copied()).leq(1));
    }
    m.rooms = Some(joint);
}

/// Minimal perturbation: a session away from its baseline slots, and a
/// course taught by someone other than its baseline instructor, each cost
/// the baseline's weight. Since sum_t x[c,t] is fixed, charging x outside
/// the baseline slots is charging the sessions moved.
fn stay_close_to_baseline(m: &mut TimesModel, inst: &Instance, cand: &Candidates) {
    let Some(plan) = &cand.baseline else { return };
    for c in 0..inst.courses.len() {
        for &t in &cand.slots[c] {
            if !plan.at[c].contains_key(&t) {
                let x = m.x[c][t].unwrap();
                m.builder.objective.add_mul(plan.weight, x.var);
                m.perturbation.push((x, plan.weight));
            }
        }
        if let Some(before) = plan.instructor(c) {
            for &(i, y) in &m.y[c] {
                if i != before {
                    m.builder.objective.add_mul(plan.weight, y.var);
                    m.perturbation.push((y, plan.weight));
                }
            }
        }
    }
}

/// Above this many type columns, stage 1 falls back to the seat bound.
const MAX_TYPE_COLUMNS: usize = 300_000;

/// With soft room capacity, prices seats exactly in stage 1: rooms with the
/// same capacity and features are interchangeable ("room types"), each
/// session is split over the types it may use (`sum_k z[c,t,k] = x[c,t]`),
/// and a type holds at most as many sessions as it has free rooms. For
/// integral `x` this is a transportation problem, whose polytope is
/// integral, so `z` stays continuous and the seats short it prices are
/// exactly what the best room assignment achieves at that slot.
/// Returns false (building nothing) when capacity is hard or the model
/// would be too large.
fn seats_by_room_type(m: &mut TimesModel, inst: &Instance, cal: &Calendars, cand: &Candidates) -> bool {
    let Some(weight) = inst.weights.room_capacity.filter(|w| *w > 0.0) else { return false };
    let mut types: Vec<(u32, &std::collections::BTreeSet<String>)> = inst.rooms.iter().map(|r| (r.capacity, &r.features)).collect();
    types.sort();
    types.dedup();
    let type_of: Vec<usize> = inst.rooms.iter().map(|r| types.binary_search(&(r.capacity, &r.features)).expect("type listed")).collect();
    let n_slots = inst.calendar.num_slots();
    // free[t][k]: rooms of type k free at slot t.
    let mut free = vec![vec![0u32; types.len()]; n_slots];
    for (r, &k) in type_of.iter().enumerate() {
        for (t, row) in free.iter_mut().enumerate() {
            if !cal.room_blocked[r][t] {
                row[k] += 1;
            }
        }
    }
    let options = |c: usize, t: usize| -> Vec<usize> {
        let mut ks: Vec<usize> = cand.rooms_at(c, t, cal).iter().map(|r| type_of[r.0]).collect();
        ks.sort_unstable();
        ks.dedup();
        ks
    };
    let columns: usize = (0..inst.courses.len()).map(|c| cand.slots[c].iter().map(|&t| options(c, t).len()).sum::<usize>()).sum();
    if columns > MAX_TYPE_COLUMNS {
        return false;
    }
    let mut per_type_slot: std::collections::BTreeMap<(usize, usize), Vec<Col>> = Default::default();
    for c in 0..inst.courses.len() {
        for &t in &cand.slots[c] {
            let x = m.x[c][t].unwrap();
            let mut split = Expression::default();
            for k in options(c, t) {
                let z = m.builder.add(variable().min(0).max(1));
                split += z.var;
                let short = weight * cand.students[c].saturating_sub(types[k].0) as f64;
                if short > 0.0 {
                    m.builder.objective.add_mul(short, z.var);
                    m.capacity_bound.push((z, short));
                }
                per_type_slot.entry((k, t)).or_default().push(z);
            }
            m.builder.constraints.push(split.eq(x.var));
        }
    }
    for ((k, t), cols) in per_type_slot {
        if cols.len() as u32 > free[t][k] {
            m.builder.constraints.push(sum(cols).leq(free[t][k] as f64));
        }
    }
    true
}
