//! Constraints derived from the planted timetable, so that it satisfies
//! them all: hard unavailability only where the entity is idle, pins copied
//! from placements, teaching limits at or above the planted loads (often
//! exactly at them, so they bind).

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::demand::Demand;
use super::{id, width, Generated};
use crate::model::{
    Availability, AvailabilityTarget, Calendar, CohortIdx, Course, CourseIdx, DayIdx, Instance, InstructorIdx, Pin, Placement, RoomIdx,
    Timetable, Weights,
};

pub(super) fn finish(calendar: Calendar, demand: Demand, drafted: Vec<Placement>, hard_capacity: bool, rng: &mut ChaCha8Rng) -> Generated {
    // Drafts that got no session are dropped; the rest are renumbered in
    // draft order and keep the number of sessions they got.
    let mut placed = vec![0u32; demand.courses.len()];
    let mut teacher = vec![None; demand.courses.len()];
    for p in &drafted {
        placed[p.course.0] += 1;
        teacher[p.course.0] = Some(p.instructor);
    }
    let kept: Vec<usize> = (0..demand.courses.len()).filter(|&c| placed[c] > 0).collect();
    let mut renumber = vec![None; demand.courses.len()];
    for (new, &old) in kept.iter().enumerate() {
        renumber[old] = Some(CourseIdx(new));
    }
    let placements: Vec<Placement> = drafted.iter().filter_map(|p| renumber[p.course.0].map(|course| Placement { course, ..*p })).collect();

    let cw = width(kept.len(), 3);
    let courses: Vec<Course> = kept
        .iter()
        .enumerate()
        .map(|(new, &old)| {
            let draft = &demand.courses[old];
            let sessions = placed[old];
            let min_days = (sessions >= 2 && rng.gen_bool(0.6)).then(|| rng.gen_range(2..=sessions.min(5)));
            // Guests can only be fixed; a quarter of the others are fixed
            // to the instructor who teaches them in the planted timetable.
            let instructor = draft.guest.or_else(|| teacher[old].filter(|_| rng.gen_bool(0.25)));
            Course {
                id: id("C", new + 1, cw),
                name: String::new(),
                subject: demand.subjects[draft.subject].id.clone(),
                cohorts: draft.cohorts.clone(),
                sessions,
                min_days,
                instructor,
                students: draft.students,
                room_features: demand.subjects[draft.subject].features.clone(),
                block: None,
                max_span_days: None,
            }
        })
        .collect();

    let mut instance = Instance {
        calendar,
        rooms: demand.rooms,
        instructors: demand.instructors,
        cohorts: demand.cohorts,
        courses,
        availability: Vec::new(),
        pins: Vec::new(),
        weights: weights(hard_capacity, rng),
        ..Instance::default()
    };
    let busy = Busy::new(&instance, &placements);
    instance.availability = availability(&instance, &demand.windows, &busy, rng);
    instance.pins = pins(&placements, rng);
    limits(&mut instance, &placements, rng);
    Generated { instance, planted: Timetable::new(placements) }
}

fn weights(hard_capacity: bool, rng: &mut ChaCha8Rng) -> Weights {
    let mut pick = |usual: f64, others: &[f64]| {
        if rng.gen_bool(0.7) {
            usual
        } else {
            others.choose(&mut *rng).copied().unwrap_or(usual)
        }
    };
    Weights {
        room_capacity: (!hard_capacity).then(|| pick(1.0, &[2.0, 0.5])),
        min_days: pick(5.0, &[3.0, 4.0, 10.0]),
        compactness: pick(2.0, &[1.0, 3.0]),
        room_stability: pick(1.0, &[2.0, 0.5]),
        ..Weights::default()
    }
}

/// Which slots each entity uses in the planted timetable, as one flat row
/// of `slots` flags per entity.
struct Busy {
    slots: usize,
    cohort: Vec<bool>,
    instructor: Vec<bool>,
    room: Vec<bool>,
    course: Vec<bool>,
}

impl Busy {
    fn new(instance: &Instance, placements: &[Placement]) -> Self {
        let slots = instance.calendar.num_slots();
        let mut busy = Busy {
            slots,
            cohort: vec![false; instance.cohorts.len() * slots],
            instructor: vec![false; instance.instructors.len() * slots],
            room: vec![false; instance.rooms.len() * slots],
            course: vec![false; instance.courses.len() * slots],
        };
        for p in placements {
            let s = instance.calendar.slot_index(p.slot);
            for k in &instance.courses[p.course.0].cohorts {
                busy.cohort[k.0 * slots + s] = true;
            }
            busy.instructor[p.instructor.0 * slots + s] = true;
            busy.room[p.room.0 * slots + s] = true;
            busy.course[p.course.0 * slots + s] = true;
        }
        busy
    }

    fn row(&self, target: AvailabilityTarget) -> &[bool] {
        let (grid, n) = match target {
            AvailabilityTarget::Cohort(k) => (&self.cohort, k.0),
            AvailabilityTarget::Instructor(i) => (&self.instructor, i.0),
            AvailabilityTarget::Room(r) => (&self.room, r.0),
            AvailabilityTarget::Course(c) => (&self.course, c.0),
        };
        &grid[n * self.slots..(n + 1) * self.slots]
    }
}

/// How often each kind of entity gets rows, over which days, and how long
/// a row may run.
struct RowPlan {
    hard: f64,
    soft: f64,
    max_hard_rows: usize,
    max_len: usize,
}

fn plan(target: AvailabilityTarget) -> RowPlan {
    match target {
        // Cohorts: field trips, exam days.
        AvailabilityTarget::Cohort(_) => RowPlan { hard: 0.6, soft: 0.5, max_hard_rows: 2, max_len: 3 },
        // Instructors: other duties, leave.
        AvailabilityTarget::Instructor(_) => RowPlan { hard: 0.6, soft: 0.4, max_hard_rows: 3, max_len: 5 },
        // Rooms: maintenance, events.
        AvailabilityTarget::Room(_) => RowPlan { hard: 0.3, soft: 0.2, max_hard_rows: 2, max_len: 3 },
        AvailabilityTarget::Course(_) => RowPlan { hard: 0.15, soft: 0.15, max_hard_rows: 1, max_len: 2 },
    }
}

fn availability(instance: &Instance, windows: &[(usize, usize)], busy: &Busy, rng: &mut ChaCha8Rng) -> Vec<Availability> {
    let calendar = &instance.calendar;
    let all_days = (0, calendar.num_days() - 1);
    let targets: Vec<(AvailabilityTarget, (usize, usize))> = (0..instance.cohorts.len())
        .map(|k| (AvailabilityTarget::Cohort(CohortIdx(k)), windows[k]))
        .chain((0..instance.instructors.len()).map(|i| (AvailabilityTarget::Instructor(InstructorIdx(i)), all_days)))
        .chain((0..instance.rooms.len()).map(|r| (AvailabilityTarget::Room(RoomIdx(r)), all_days)))
        .chain((0..instance.courses.len()).map(|c| {
            let window = instance.course_window(CourseIdx(c)).map_or(all_days, |(f, l)| (f.0, l.0));
            (AvailabilityTarget::Course(CourseIdx(c)), window)
        }))
        .collect();

    let mut rows = Vec::new();
    for &(target, days) in &targets {
        let plan = plan(target);
        if rng.gen_bool(plan.hard) {
            for _ in 0..rng.gen_range(1..=plan.max_hard_rows) {
                rows.extend(hard_row(calendar, busy.row(target), target, days, plan.max_len, rng));
            }
        }
        if rng.gen_bool(plan.soft) {
            rows.push(soft_row(calendar, target, days, plan.max_len, rng));
        }
    }

    // Every size shows hard and soft rows of all four kinds: add any that
    // chance left out.
    for hard in [true, false] {
        for kind in 0..4 {
            let same_kind = |t: &AvailabilityTarget| kind_of(t) == kind;
            if rows.iter().any(|a| same_kind(&a.target) && a.is_hard() == hard) {
                continue;
            }
            let mut candidates: Vec<&(AvailabilityTarget, (usize, usize))> = targets.iter().filter(|(t, _)| same_kind(t)).collect();
            candidates.shuffle(rng);
            for &&(target, days) in &candidates {
                let row = if hard {
                    hard_row(calendar, busy.row(target), target, days, plan(target).max_len, rng)
                } else {
                    Some(soft_row(calendar, target, days, plan(target).max_len, rng))
                };
                if let Some(row) = row {
                    rows.push(row);
                    break;
                }
            }
        }
    }
    rows
}

fn kind_of(target: &AvailabilityTarget) -> usize {
    match target {
        AvailabilityTarget::Cohort(_) => 0,
        AvailabilityTarget::Instructor(_) => 1,
        AvailabilityTarget::Room(_) => 2,
        AvailabilityTarget::Course(_) => 3,
    }
}

/// A hard row over slots the entity leaves idle: whole days, one period,
/// or one period over several days. `None` when random probing finds no
/// idle stretch (the entity is busy nearly everywhere).
fn hard_row(
    calendar: &Calendar,
    busy: &[bool],
    target: AvailabilityTarget,
    (first, last): (usize, usize),
    max_len: usize,
    rng: &mut ChaCha8Rng,
) -> Option<Availability> {
    let idle = |day: usize, period: Option<u32>| {
        let slots = calendar.day_slots(DayIdx(day));
        match period {
            None => slots.clone().all(|s| !busy[s]),
            Some(p) => {
                let s = slots.start + p as usize - 1;
                s < slots.end && !busy[s]
            }
        }
    };
    for _ in 0..20 {
        let day = rng.gen_range(first..=last);
        let shape = rng.gen_range(0..3);
        let period = (shape > 0).then(|| rng.gen_range(1..=calendar.days[day].periods));
        if !idle(day, period) {
            continue;
        }
        let len = if shape == 1 { 1 } else { rng.gen_range(1..=max_len) };
        let mut end = day;
        while end < last && end + 1 - day < len && idle(end + 1, period) {
            end += 1;
        }
        return Some(Availability { target, first_day: DayIdx(day), last_day: DayIdx(end), period, weight: None });
    }
    None
}

/// A soft row anywhere in the range: the planted timetable may pay for it.
fn soft_row(
    calendar: &Calendar,
    target: AvailabilityTarget,
    (first, last): (usize, usize),
    max_len: usize,
    rng: &mut ChaCha8Rng,
) -> Availability {
    let weight = [1.0, 1.0, 1.0, 2.0, 3.0, 0.5].choose(rng).copied();
    // Instructors often prefer to avoid one period altogether (early
    // mornings), the other rows are a few days.
    if matches!(target, AvailabilityTarget::Instructor(_)) && rng.gen_bool(0.3) {
        return Availability { target, first_day: DayIdx(first), last_day: DayIdx(last), period: Some(1), weight };
    }
    let day = rng.gen_range(first..=last);
    let end = (day + rng.gen_range(0..max_len)).min(last);
    let period = rng.gen_bool(0.5).then(|| rng.gen_range(1..=calendar.days[day].periods));
    Availability { target, first_day: DayIdx(day), last_day: DayIdx(end), period, weight }
}

/// About one placement in 25 is pinned, some with room or instructor.
fn pins(placements: &[Placement], rng: &mut ChaCha8Rng) -> Vec<Pin> {
    let count = (placements.len() / 25).max(3).min(placements.len());
    let mut chosen: Vec<&Placement> = placements.choose_multiple(rng, count).collect();
    chosen.sort_by_key(|p| (p.course, p.slot));
    chosen
        .into_iter()
        .map(|p| Pin {
            course: p.course,
            slot: p.slot,
            room: rng.gen_bool(0.4).then_some(p.room),
            instructor: rng.gen_bool(0.4).then_some(p.instructor),
        })
        .collect()
}

/// Teaching limits at or above each instructor's planted load, equal to it
/// for about a third, so that some limits bind.
fn limits(instance: &mut Instance, placements: &[Placement], rng: &mut ChaCha8Rng) {
    let days = instance.calendar.num_days();
    let mut total = vec![0u32; instance.instructors.len()];
    let mut daily = vec![0u32; instance.instructors.len() * days];
    for p in placements {
        total[p.instructor.0] += 1;
        daily[p.instructor.0 * days + p.slot.day.0] += 1;
    }
    for (i, instructor) in instance.instructors.iter_mut().enumerate() {
        let load = total[i];
        if load == 0 {
            continue;
        }
        let peak = daily[i * days..(i + 1) * days].iter().copied().max().unwrap_or(0);
        instructor.max_sessions = match rng.gen_range(0..10) {
            0..=2 => Some(load),
            3..=6 => Some(load + rng.gen_range(1..=load / 4 + 1)),
            _ => None,
        };
        instructor.max_per_day = match rng.gen_range(0..10) {
            0..=2 => Some(peak),
            3..=5 => Some(peak + 1),
            _ => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Day;

    #[test]
    fn hard_rows_only_cover_idle_slots() {
        use rand::SeedableRng;
        let calendar = Calendar::new((0..6).map(|d| Day { label: format!("d{d}"), periods: 2 }).collect());
        // Busy in period 1 of every day and all of day 2.
        let mut busy = vec![false; 12];
        for d in 0..6 {
            busy[2 * d] = true;
        }
        busy[5] = true;
        let target = AvailabilityTarget::Room(RoomIdx(0));
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut made = 0;
        for _ in 0..200 {
            if let Some(row) = hard_row(&calendar, &busy, target, (0, 5), 4, &mut rng) {
                made += 1;
                for slot in calendar.slots().filter(|&s| row.covers(s)) {
                    assert!(!busy[calendar.slot_index(slot)], "{row:?} covers a busy slot");
                }
            }
        }
        assert!(made > 0);
    }
}
