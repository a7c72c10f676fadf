//! The planted timetable: every session placed at random where it fits.
//!
//! Placement is greedy and deliberately naive (random slots, a room among
//! the smallest that fit, usually the course's previous room), so the
//! result is feasible and decent but leaves cost for a solver to remove.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::demand::{CourseDraft, Demand};
use crate::model::{Calendar, CourseIdx, DayIdx, InstructorIdx, Placement, RoomIdx};

/// Who is busy in which slot (flat slot index), one row per entity.
struct Grid {
    slots: usize,
    cohort: Vec<bool>,
    instructor: Vec<bool>,
    room: Vec<bool>,
}

impl Grid {
    fn cohorts_free(&self, course: &CourseDraft, slot: usize) -> bool {
        course.cohorts.iter().all(|k| !self.cohort[k.0 * self.slots + slot])
    }

    fn instructor_free(&self, i: usize, slot: usize) -> bool {
        !self.instructor[i * self.slots + slot]
    }

    fn room_free(&self, r: usize, slot: usize) -> bool {
        !self.room[r * self.slots + slot]
    }

    fn occupy(&mut self, course: &CourseDraft, i: usize, r: usize, slot: usize) {
        for k in &course.cohorts {
            self.cohort[k.0 * self.slots + slot] = true;
        }
        self.instructor[i * self.slots + slot] = true;
        self.room[r * self.slots + slot] = true;
    }
}

/// Places the sessions of every draft course it can. The placements name
/// courses by their draft index; a course may get fewer placements than its
/// draft asked for when its cohorts, instructors or rooms ran out of room.
pub(super) fn place(spec: &super::Spec, calendar: &Calendar, demand: &Demand, hard_capacity: bool, rng: &mut ChaCha8Rng) -> Vec<Placement> {
    let slots = calendar.num_slots();
    let mut grid = Grid {
        slots,
        cohort: vec![false; demand.cohorts.len() * slots],
        instructor: vec![false; demand.instructors.len() * slots],
        room: vec![false; demand.rooms.len() * slots],
    };
    let mut load = vec![0usize; demand.instructors.len()];
    let mut placements = Vec::with_capacity(demand.courses.iter().map(|c| c.sessions as usize).sum());

    // The hardest courses first: joint ones need a slot free for several
    // cohorts, featured ones compete for few rooms.
    let mut order: Vec<usize> = (0..demand.courses.len()).collect();
    order.shuffle(rng);
    order.sort_by_key(|&c| {
        let course = &demand.courses[c];
        (course.cohorts.len() < 2, demand.subjects[course.subject].features.is_empty())
    });

    for c in order {
        let course = &demand.courses[c];
        let Some((first, last)) = demand.course_window(course, spec.days) else { continue };
        let students = demand.students(course);
        // With soft capacity some courses accept a room a little too small,
        // so the planted timetable pays some capacity cost.
        let need = if hard_capacity || !rng.gen_bool(0.15) { students } else { students * 9 / 10 };
        let features = &demand.subjects[course.subject].features;
        let mut rooms: Vec<usize> = (0..demand.rooms.len())
            .filter(|&r| demand.rooms[r].capacity >= need && features.is_subset(&demand.rooms[r].features))
            .collect();
        rooms.sort_by_key(|&r| (demand.rooms[r].capacity, r));

        let mut window: Vec<usize> = (calendar.day_slots(DayIdx(first)).start..calendar.day_slots(DayIdx(last)).end).collect();
        window.shuffle(rng);

        let candidates: Vec<usize> = match course.guest {
            Some(g) => vec![g.0],
            None => {
                let mut qualified: Vec<(usize, u32, usize)> =
                    demand.subjects[course.subject].instructors.iter().map(|i| (load[i.0], rng.gen::<u32>(), i.0)).collect();
                qualified.sort_unstable();
                qualified.into_iter().map(|(_, _, i)| i).collect()
            }
        };
        // The least loaded instructor who can take every session, else the
        // one who can take the most.
        let mut best: Option<(usize, Vec<usize>)> = None;
        for i in candidates {
            let chosen: Vec<usize> = window
                .iter()
                .copied()
                .filter(|&s| grid.cohorts_free(course, s) && grid.instructor_free(i, s) && rooms.iter().any(|&r| grid.room_free(r, s)))
                .take(course.sessions as usize)
                .collect();
            let complete = chosen.len() == course.sessions as usize;
            if best.as_ref().is_none_or(|(_, b)| chosen.len() > b.len()) {
                best = Some((i, chosen));
            }
            if complete {
                break;
            }
        }
        let Some((i, chosen)) = best else { continue };

        let mut previous: Option<usize> = None;
        for s in chosen {
            let free: Vec<usize> = rooms.iter().copied().filter(|&r| grid.room_free(r, s)).collect();
            let room = match previous {
                Some(r) if free.contains(&r) && rng.gen_bool(0.8) => r,
                _ => match free[..free.len().min(3)].choose(rng) {
                    Some(&r) => r,
                    // Unreachable: the slot was chosen because a room was free.
                    None => continue,
                },
            };
            grid.occupy(course, i, room, s);
            load[i] += 1;
            previous = Some(room);
            placements.push(Placement { course: CourseIdx(c), slot: calendar.slot(s), room: RoomIdx(room), instructor: InstructorIdx(i) });
        }
    }
    placements
}
