//! Why the courses a partial timetable leaves out do not fit in it.
//!
//! When no complete timetable is found, the planner gets the best partial
//! one and, for each course it leaves out, the resources that stop one more
//! session of it from being placed: every period of the calendar is tried
//! and the first rule that closes it is counted. The reason is about this
//! partial timetable (another one might leave other courses out), so it
//! names what binds, not a proof; the diagnosis gives the proofs.

use std::collections::BTreeMap;

use super::index::{plural, HardBlocks};
use crate::model::{AvailabilityTarget, CourseIdx, Instance, InstructorIdx, RoomIdx, Timetable, Unplaced};

/// Reasons listed for one course before the rest are summed up.
const MOST_REASONS: usize = 4;

/// What closes one period to one more session of a course, in the order
/// the rules are tried (the first that applies is counted).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Closed {
    /// Outside the cohorts' window, or the course or a cohort unavailable.
    Window,
    /// The course already meets then.
    OwnSession,
    /// A cohort of the course attends another course then.
    CohortBusy(String),
    /// No lecturer who may teach the course is free then; the one named
    /// is the first whose limit binds, or "busy" when all teach.
    NoLecturer(String),
    /// No room with the features and seats is free then.
    NoRoom,
}

impl Closed {
    fn describe(&self) -> String {
        match self {
            Closed::Window => "outside its cohorts' window or marked unavailable".into(),
            Closed::OwnSession => "taken by its own sessions".into(),
            Closed::CohortBusy(k) => format!("cohort {k} attends another course"),
            Closed::NoLecturer(why) => format!("no lecturer who may teach it is free ({why})"),
            Closed::NoRoom => "no free room has the seats and features it needs".into(),
        }
    }
}

/// The courses `partial` leaves sessions of out, in instance order, each
/// with why its sessions find no period.
pub fn unplaced(instance: &Instance, partial: &Timetable) -> Vec<Unplaced> {
    let load = Load::new(instance, partial);
    let blocks = HardBlocks::new(instance);
    (0..instance.courses.len())
        .map(CourseIdx)
        .filter_map(|c| {
            let missing = instance.course(c).sessions.saturating_sub(load.sessions_of[c.0]);
            (missing > 0).then(|| Unplaced {
                course: instance.course(c).id.clone(),
                sessions: missing,
                reason: reason(instance, &load, &blocks, c),
            })
        })
        .collect()
}

/// Who and what the partial timetable already uses, per flat slot.
struct Load {
    sessions_of: Vec<u32>,
    /// Per course, its instructor once a session is placed.
    teacher_of: Vec<Option<InstructorIdx>>,
    course_at: Vec<Vec<CourseIdx>>,
    room_used: Vec<Vec<bool>>,
    teaching: Vec<Vec<bool>>,
    per_instructor: Vec<u32>,
    per_instructor_day: Vec<BTreeMap<usize, u32>>,
}

impl Load {
    fn new(instance: &Instance, partial: &Timetable) -> Self {
        let cal = &instance.calendar;
        let slots = cal.num_slots();
        let mut load = Load {
            sessions_of: vec![0; instance.courses.len()],
            teacher_of: vec![None; instance.courses.len()],
            course_at: vec![Vec::new(); slots],
            room_used: vec![vec![false; instance.rooms.len()]; slots],
            teaching: vec![vec![false; instance.instructors.len()]; slots],
            per_instructor: vec![0; instance.instructors.len()],
            per_instructor_day: vec![BTreeMap::new(); instance.instructors.len()],
        };
        for p in &partial.placements {
            let t = cal.slot_index(p.slot);
            load.sessions_of[p.course.0] += 1;
            load.teacher_of[p.course.0] = Some(p.instructor);
            load.course_at[t].push(p.course);
            load.room_used[t][p.room.0] = true;
            load.teaching[t][p.instructor.0] = true;
            load.per_instructor[p.instructor.0] += 1;
            *load.per_instructor_day[p.instructor.0].entry(p.slot.day.0).or_default() += 1;
        }
        load
    }
}

/// One sentence: how many of the calendar's periods each rule closes,
/// most first.
fn reason(instance: &Instance, load: &Load, blocks: &HardBlocks, c: CourseIdx) -> String {
    let mut closed: BTreeMap<Closed, usize> = BTreeMap::new();
    let mut open = 0usize;
    for t in 0..instance.calendar.num_slots() {
        match why_closed(instance, load, blocks, c, t) {
            Some(why) => *closed.entry(why).or_default() += 1,
            None => open += 1,
        }
    }
    let mut parts: Vec<(Closed, usize)> = closed.into_iter().filter(|(why, _)| *why != Closed::OwnSession).collect();
    parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut listed: Vec<String> = parts.iter().take(MOST_REASONS).map(|(why, n)| format!("{n}: {}", why.describe())).collect();
    let others: usize = parts.iter().skip(MOST_REASONS).map(|(_, n)| n).sum();
    if others > 0 {
        listed.push(format!("{others}: closed for other reasons"));
    }
    if open > 0 {
        // Periods open one by one may still not take the course: one
        // lecturer teaches all its sessions, and the sessions placed
        // already would have to move.
        listed.push(format!("{open}: open, but too few for its sessions unless other sessions move"));
    }
    let sentence = format!("of the calendar's {}, {}", plural(instance.calendar.num_slots(), "period"), listed.join("; "));
    match pin_reason(instance, load, blocks, c) {
        Some(pin) => format!("{pin}; {sentence}"),
        None => sentence,
    }
}

/// A pin of the course that cannot take its session in the partial
/// timetable: the planner's own decision is what binds first.
fn pin_reason(instance: &Instance, load: &Load, blocks: &HardBlocks, c: CourseIdx) -> Option<String> {
    let cal = &instance.calendar;
    instance.pins.iter().filter(|p| p.course == c && cal.has_slot(p.slot)).find_map(|pin| {
        let t = cal.slot_index(pin.slot);
        let at = format!("pinned to {} period {}", cal.label(pin.slot.day), pin.slot.period);
        if let Some(why) = why_closed(instance, load, blocks, c, t).filter(|w| *w != Closed::OwnSession) {
            return Some(format!("{at}: {}", why.describe()));
        }
        let room = pin.room?;
        let seats = instance.weights.room_capacity.is_some() || instance.rooms[room.0].capacity >= instance.students(c);
        let usable = seats
            && instance.room_has_features(c, room)
            && !blocks.blocked(AvailabilityTarget::Room(room), t)
            && !load.room_used[t][room.0];
        (!usable).then(|| format!("{at} in room {}, which is taken, closed, too small or lacks a feature then", instance.rooms[room.0].id))
    })
}

/// The first rule that keeps one more session of `c` out of flat slot `t`.
fn why_closed(instance: &Instance, load: &Load, blocks: &HardBlocks, c: CourseIdx, t: usize) -> Option<Closed> {
    let slot = instance.calendar.slot(t);
    let course = instance.course(c);
    let in_window = instance.course_window(c).is_some_and(|(first, last)| first <= slot.day && slot.day <= last);
    let blocked = blocks.blocked(AvailabilityTarget::Course(c), t)
        || course.cohorts.iter().any(|&k| blocks.blocked(AvailabilityTarget::Cohort(k), t));
    if !in_window || blocked {
        return Some(Closed::Window);
    }
    if load.course_at[t].contains(&c) {
        return Some(Closed::OwnSession);
    }
    for &k in &course.cohorts {
        if load.course_at[t].iter().any(|&other| instance.course(other).cohorts.contains(&k)) {
            return Some(Closed::CohortBusy(instance.cohorts[k.0].id.clone()));
        }
    }
    let lecturers = match load.teacher_of[c.0] {
        Some(i) => vec![i],
        None => instance.eligible_instructors(c),
    };
    let mut why_not = None;
    let free = lecturers.iter().any(|&i| match lecturer_closed(instance, load, blocks, i, t) {
        None => true,
        Some(why) => {
            why_not.get_or_insert(why);
            false
        }
    });
    if !free {
        let why = why_not.unwrap_or_else(|| "none is qualified".to_string());
        return Some(Closed::NoLecturer(why));
    }
    let students = instance.students(c);
    let room_free = (0..instance.rooms.len()).map(RoomIdx).any(|r| {
        let fits = instance.weights.room_capacity.is_some() || instance.rooms[r.0].capacity >= students;
        fits && instance.room_has_features(c, r) && !load.room_used[t][r.0] && !blocks.blocked(AvailabilityTarget::Room(r), t)
    });
    (!room_free).then_some(Closed::NoRoom)
}

/// Why lecturer `i` cannot take one more session at flat slot `t`.
fn lecturer_closed(instance: &Instance, load: &Load, blocks: &HardBlocks, i: InstructorIdx, t: usize) -> Option<String> {
    let lecturer = &instance.instructors[i.0];
    let day = instance.calendar.slot(t).day.0;
    if lecturer.max_sessions.is_some_and(|m| load.per_instructor[i.0] >= m) {
        return Some(format!("{} has reached max_sessions {}", lecturer.id, lecturer.max_sessions.unwrap_or_default()));
    }
    if blocks.blocked(AvailabilityTarget::Instructor(i), t) {
        return Some(format!("{} is unavailable", lecturer.id));
    }
    if load.teaching[t][i.0] {
        return Some(format!("{} teaches another course", lecturer.id));
    }
    let today = load.per_instructor_day[i.0].get(&day).copied().unwrap_or(0);
    if lecturer.max_per_day.is_some_and(|m| today >= m) {
        return Some(format!("{} has reached max_per_day {}", lecturer.id, lecturer.max_per_day.unwrap_or_default()));
    }
    None
}
