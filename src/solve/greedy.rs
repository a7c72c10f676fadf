//! A fast construction: sessions placed one course at a time, hardest
//! first, each in the free slot that keeps its cohorts' days compact. It
//! gives a timetable in milliseconds where the integer program on a large
//! instance needs longer than the planner's time limit to find its first
//! one; the MIP's timetable replaces it whenever it is better.

use std::collections::BTreeSet;

use super::candidates::{Calendars, Candidates};
use super::rooms::Session;
use crate::model::{Instance, InstructorIdx, RoomIdx};

/// Who is busy when, as the construction goes.
struct Occupancy {
    cohort: Vec<Vec<bool>>,
    instructor: Vec<Vec<bool>>,
    room: Vec<Vec<bool>>,
    instructor_day: Vec<Vec<u32>>,
    instructor_total: Vec<u32>,
    /// Slots some course is pinned to, per cohort and per instructor: kept
    /// for those pins, so a course placed earlier cannot take them.
    reserved_cohort: Vec<Vec<bool>>,
    reserved_instructor: Vec<Vec<bool>>,
}

/// Result of a construction: sessions, their rooms, each course's
/// instructor, and the courses it could not place (none of their sessions
/// is in `sessions`).
pub struct Constructed {
    pub sessions: Vec<Session>,
    pub rooms: Vec<RoomIdx>,
    pub teacher: Vec<InstructorIdx>,
    pub unplaced: Vec<usize>,
}

impl Constructed {
    pub fn is_complete(&self) -> bool {
        self.unplaced.is_empty()
    }
}

/// Orders the construction tries before giving up: a count, not a clock,
/// so results repeat. One try takes milliseconds on small instances and
/// a fraction of a second on a teaching year.
pub fn attempts(instance: &Instance) -> usize {
    match instance.num_sessions() {
        0..=500 => 30,
        501..=2000 => 5,
        _ => 1,
    }
}

/// Tries the hardest-first order, then perturbed orders (deterministic for
/// `seed`) until one places every course or `attempts` run out; then the
/// attempt that left the fewest sessions unplaced, which the neighbourhood
/// search repairs. A count, not a clock, bounds the work, so the result
/// does not depend on the machine's speed.
///
/// `preferred` instructors (from the load assignment) are tried first.
pub fn construct(
    inst: &Instance,
    cal: &Calendars,
    cand: &Candidates,
    preferred: Option<&[InstructorIdx]>,
    seed: u64,
    attempts: usize,
) -> Constructed {
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    let mut order: Vec<usize> = (0..inst.courses.len()).collect();
    // Pinned courses first, then by how few slots per session they have.
    let key = |c: usize| {
        let slack = cand.slots[c].len() as f64 / inst.courses[c].sessions.max(1) as f64;
        (cand.pins[c].is_empty(), (slack * 1000.0) as u64, c)
    };
    order.sort_by_key(|&c| key(c));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let missing = |c: &Constructed| c.unplaced.iter().map(|&u| inst.courses[u].sessions).sum::<u32>();
    let mut best: Option<Constructed> = None;
    for attempt in 0..attempts.max(1) {
        let done = construct_in_order(inst, cal, cand, preferred, &order);
        if done.is_complete() {
            return done;
        }
        if best.as_ref().is_none_or(|b| missing(&done) < missing(b)) {
            best = Some(done);
        }
        // Perturb: swap a few neighbours in the order, keeping pins first.
        let pinned = order.iter().take_while(|&&c| !cand.pins[c].is_empty()).count();
        let free = &mut order[pinned..];
        if free.len() >= 2 {
            for _ in 0..(1 + attempt / 10).min(free.len() / 2) {
                let i = rng.gen_range(0..free.len() - 1);
                free.swap(i, i + 1);
            }
            if attempt % 25 == 24 {
                free.shuffle(&mut rng);
            }
        }
    }
    best.expect("at least one attempt")
}

fn construct_in_order(
    inst: &Instance,
    cal: &Calendars,
    cand: &Candidates,
    preferred: Option<&[InstructorIdx]>,
    order: &[usize],
) -> Constructed {
    let n_slots = inst.calendar.num_slots();
    let mut occ = Occupancy {
        cohort: vec![vec![false; n_slots]; inst.cohorts.len()],
        instructor: vec![vec![false; n_slots]; inst.instructors.len()],
        room: vec![vec![false; n_slots]; inst.rooms.len()],
        instructor_day: vec![vec![0; inst.calendar.num_days()]; inst.instructors.len()],
        instructor_total: vec![0; inst.instructors.len()],
        reserved_cohort: vec![vec![false; n_slots]; inst.cohorts.len()],
        reserved_instructor: vec![vec![false; n_slots]; inst.instructors.len()],
    };
    for (c, pins) in cand.pins.iter().enumerate() {
        for &t in pins.keys() {
            for k in &inst.courses[c].cohorts {
                occ.reserved_cohort[k.0][t] = true;
            }
            if let [i] = cand.instructors[c][..] {
                occ.reserved_instructor[i.0][t] = true;
            }
        }
    }
    let mut sessions = Vec::with_capacity(inst.num_sessions());
    let mut rooms = Vec::with_capacity(inst.num_sessions());
    let mut teacher: Vec<InstructorIdx> = cand.instructors.iter().map(|options| options[0]).collect();
    let mut unplaced = Vec::new();
    for &c in order {
        let mut options = cand.instructors[c].clone();
        options.sort_by_key(|i| (preferred.is_some_and(|p| p[c] != *i), occ.instructor_total[i.0], i.0));
        let mut placed = None;
        for i in options {
            let headroom = inst.instructors[i.0].max_sessions.map_or(u32::MAX, |m| m.saturating_sub(occ.instructor_total[i.0]));
            if headroom < inst.courses[c].sessions {
                continue;
            }
            if let Some(p) = place_course(inst, cal, cand, &mut occ, c, i) {
                placed = Some((i, p));
                break;
            }
        }
        let Some((i, p)) = placed else {
            unplaced.push(c);
            continue;
        };
        teacher[c] = i;
        for (t, r) in p {
            sessions.push(Session { course: c, slot: t });
            rooms.push(r);
        }
    }
    unplaced.sort_unstable();
    Constructed { sessions, rooms, teacher, unplaced }
}

/// Places every session of `c` taught by `i`, or undoes what it placed.
fn place_course(
    inst: &Instance,
    cal: &Calendars,
    cand: &Candidates,
    occ: &mut Occupancy,
    c: usize,
    i: InstructorIdx,
) -> Option<Vec<(usize, RoomIdx)>> {
    let course = &inst.courses[c];
    let mut placed: Vec<(usize, RoomIdx)> = Vec::new();
    let mut days: BTreeSet<usize> = BTreeSet::new();
    let mut used_rooms: Vec<RoomIdx> = Vec::new();
    let free = |occ: &Occupancy, t: usize| {
        !cal.instructor_blocked[i.0][t]
            && !occ.instructor[i.0][t]
            && course.cohorts.iter().all(|k| !occ.cohort[k.0][t])
            && inst.instructors[i.0].max_per_day.is_none_or(|m| occ.instructor_day[i.0][inst.calendar.slot(t).day.0] < m)
    };
    let pick_room = |occ: &Occupancy, used: &[RoomIdx], t: usize| -> Option<RoomIdx> {
        let mut rooms: Vec<RoomIdx> = cand.rooms_at(c, t, cal).into_iter().filter(|r| !occ.room[r.0][t]).collect();
        rooms.sort_by_key(|r| {
            let cap = inst.rooms[r.0].capacity;
            (!used.contains(r), cand.students[c].saturating_sub(cap), cap.saturating_sub(cand.students[c]), r.0)
        });
        rooms.first().copied()
    };
    let mut slots: Vec<usize> = cand.pins[c].keys().copied().collect();
    let pinned = slots.len();
    while placed.len() < course.sessions as usize {
        let t = if placed.len() < pinned {
            Some(slots[placed.len()])
        } else {
            // Score: adjacent to the cohorts' sessions that day (compact),
            // on a new day for this course (min_days), low penalties.
            cand.slots[c]
                .iter()
                .copied()
                .filter(|&t| !placed.iter().any(|&(p, _)| p == t) && free(occ, t))
                .filter(|&t| !occ.reserved_instructor[i.0][t] && course.cohorts.iter().all(|k| !occ.reserved_cohort[k.0][t]))
                .filter(|&t| pick_room(occ, &used_rooms, t).is_some())
                .min_by_key(|&t| {
                    let day_slots = inst.calendar.day_slots(inst.calendar.slot(t).day);
                    let next_to = |u: usize| day_slots.contains(&u) && course.cohorts.iter().any(|k| occ.cohort[k.0][u]);
                    let adjacent = (t > 0 && next_to(t - 1)) || next_to(t + 1);
                    let new_day = !days.contains(&inst.calendar.slot(t).day.0);
                    let penalty = cal.course_penalty[c][t] + cal.instructor_penalty[i.0][t];
                    (!adjacent, !new_day, (penalty * 100.0) as i64, t)
                })
        };
        let Some(t) = t else {
            undo(inst, occ, c, i, &placed);
            return None;
        };
        if !free(occ, t) {
            undo(inst, occ, c, i, &placed);
            return None;
        }
        let pinned_room = cand.pins[c].get(&t).and_then(|p| p.room);
        let Some(r) = pinned_room.filter(|r| !occ.room[r.0][t]).or_else(|| pick_room(occ, &used_rooms, t)) else {
            undo(inst, occ, c, i, &placed);
            return None;
        };
        occ.room[r.0][t] = true;
        occ.instructor[i.0][t] = true;
        occ.instructor_day[i.0][inst.calendar.slot(t).day.0] += 1;
        occ.instructor_total[i.0] += 1;
        for k in &course.cohorts {
            occ.cohort[k.0][t] = true;
        }
        days.insert(inst.calendar.slot(t).day.0);
        if !used_rooms.contains(&r) {
            used_rooms.push(r);
        }
        placed.push((t, r));
        slots.retain(|&s| s != t || placed.len() <= pinned);
    }
    Some(placed)
}

fn undo(inst: &Instance, occ: &mut Occupancy, c: usize, i: InstructorIdx, placed: &[(usize, RoomIdx)]) {
    for &(t, r) in placed {
        occ.room[r.0][t] = false;
        occ.instructor[i.0][t] = false;
        occ.instructor_day[i.0][inst.calendar.slot(t).day.0] -= 1;
        occ.instructor_total[i.0] -= 1;
        for k in &inst.courses[c].cohorts {
            occ.cohort[k.0][t] = false;
        }
    }
}
