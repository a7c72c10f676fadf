//! The hard rules of docs/rules.md, one function per rule, each named after
//! its violation type. Every function reads the placement index built once
//! in [`all`], so checking stays linear in the size of the timetable.
//!
//! Clashes (room, cohort, instructor) count distinct courses: two sessions
//! of one course in one slot are `course_double_booked`, and reporting the
//! same mistake under three more names would only bury it.
//!
//! A session read with its room or instructor cell empty is reported once
//! per empty cell (`missing_room`, `missing_instructor`) and takes part in
//! every other rule that does not need what it lacks, so filling the cell
//! reveals no problem that was already there.

use std::collections::{BTreeMap, BTreeSet};

use super::index::{count_word, distinct_cohorts, join_and, plural, HardBlocks, Names, PlacementIndex, Session};
use super::{Violation, ViolationKind as Kind};
use crate::model::{AvailabilityTarget, CohortIdx, CourseIdx, DayIdx, Instance, InstructorIdx, RoomIdx, Slot, Timetable};

/// What every rule reads.
pub(super) struct Ctx<'a> {
    pub instance: &'a Instance,
    pub timetable: &'a Timetable,
    pub index: PlacementIndex<'a>,
    pub names: Names<'a>,
}

impl Ctx<'_> {
    fn course_list(&self, courses: &BTreeSet<CourseIdx>) -> String {
        let ids: Vec<String> = courses.iter().map(|&c| self.names.course(c)).collect();
        format!("courses {}", join_and(&ids))
    }

    /// Sessions in one slot, by flat slot index.
    fn in_slot(&self, slot: usize) -> impl Iterator<Item = &Session> + '_ {
        self.index.by_slot[slot].iter().map(|&n| self.index.get(n))
    }
}

/// Every violation of every rule, in no particular order.
pub(super) fn all(instance: &Instance, timetable: &Timetable) -> Vec<Violation> {
    let ctx = Ctx { instance, timetable, index: PlacementIndex::new(instance, timetable), names: Names(instance) };
    let mut out = Vec::new();
    missing_session(&ctx, &mut out);
    extra_session(&ctx, &mut out);
    missing_room(&ctx, &mut out);
    missing_instructor(&ctx, &mut out);
    course_double_booked(&ctx, &mut out);
    room_clash(&ctx, &mut out);
    cohort_clash(&ctx, &mut out);
    instructor_clash(&ctx, &mut out);
    unavailable(&ctx, &mut out);
    outside_window(&ctx, &mut out);
    missing_room_feature(&ctx, &mut out);
    unqualified_instructor(&ctx, &mut out);
    instructor_changed(&ctx, &mut out);
    max_sessions(&ctx, &mut out);
    max_per_day(&ctx, &mut out);
    super::programme::all(&ctx, &mut out);
    pin_not_respected(&ctx, &mut out);
    room_too_small(&ctx, &mut out);
    unknown_id(&ctx, &mut out);
    out
}

/// A course has fewer placements than its `sessions`.
fn missing_session(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (c, course) in ctx.instance.courses.iter().enumerate() {
        let placed = ctx.index.by_course[c].len();
        let wanted = course.sessions as usize;
        if placed < wanted {
            let message = format!("Course {} has {placed} of its {wanted} sessions placed: {} missing.", course.id, wanted - placed);
            out.push(Violation::new(Kind::MissingSession, message).courses([CourseIdx(c)]));
        }
    }
}

/// A course has more placements than its `sessions`.
fn extra_session(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (c, course) in ctx.instance.courses.iter().enumerate() {
        let placed = ctx.index.by_course[c].len();
        let wanted = course.sessions as usize;
        if placed > wanted {
            let message = format!("Course {} has {placed} sessions placed but needs only {wanted}: {} extra.", course.id, placed - wanted);
            out.push(Violation::new(Kind::ExtraSession, message).courses([CourseIdx(c)]));
        }
    }
}

/// A session read from a timetable has its room cell empty.
fn missing_room(ctx: &Ctx, out: &mut Vec<Violation>) {
    for p in ctx.index.valid.iter().filter(|p| p.room.is_none()) {
        let message = format!(
            "Course {} has a session on {} with no room (timetable line {}).",
            ctx.names.course(p.course),
            ctx.names.slot(p.slot),
            p.line.unwrap_or(0)
        );
        out.push(Violation::new(Kind::MissingRoom, message).at(p.slot).courses([p.course]).instructors(p.instructor));
    }
}

/// A session read from a timetable has its instructor cell empty.
fn missing_instructor(ctx: &Ctx, out: &mut Vec<Violation>) {
    for p in ctx.index.valid.iter().filter(|p| p.instructor.is_none()) {
        let message = format!(
            "Course {} has a session on {} with no instructor (timetable line {}).",
            ctx.names.course(p.course),
            ctx.names.slot(p.slot),
            p.line.unwrap_or(0)
        );
        out.push(Violation::new(Kind::MissingInstructor, message).at(p.slot).courses([p.course]).rooms(p.room));
    }
}

/// Two placements of one course share a slot.
fn course_double_booked(ctx: &Ctx, out: &mut Vec<Violation>) {
    for s in 0..ctx.index.by_slot.len() {
        let mut by_course: BTreeMap<CourseIdx, Vec<&Session>> = BTreeMap::new();
        for p in ctx.in_slot(s) {
            by_course.entry(p.course).or_default().push(p);
        }
        for (course, placed) in by_course.into_iter().filter(|(_, v)| v.len() > 1) {
            let slot = placed[0].slot;
            let message = format!(
                "Course {} has {} sessions on {}; its sessions must be in different periods.",
                ctx.names.course(course),
                count_word(placed.len()),
                ctx.names.slot(slot)
            );
            out.push(
                Violation::new(Kind::CourseDoubleBooked, message)
                    .at(slot)
                    .courses([course])
                    .rooms(placed.iter().filter_map(|p| p.room))
                    .instructors(placed.iter().filter_map(|p| p.instructor)),
            );
        }
    }
}

/// A room holds sessions of two or more courses in one slot.
fn room_clash(ctx: &Ctx, out: &mut Vec<Violation>) {
    for s in 0..ctx.index.by_slot.len() {
        let mut by_room: BTreeMap<RoomIdx, BTreeSet<CourseIdx>> = BTreeMap::new();
        for p in ctx.in_slot(s) {
            if let Some(room) = p.room {
                by_room.entry(room).or_default().insert(p.course);
            }
        }
        let slot = ctx.instance.calendar.slot(s);
        for (room, courses) in by_room.into_iter().filter(|(_, c)| c.len() > 1) {
            let message = format!(
                "Room {} holds {} sessions on {}: {}.",
                ctx.names.room(room),
                count_word(courses.len()),
                ctx.names.slot(slot),
                ctx.course_list(&courses)
            );
            out.push(Violation::new(Kind::RoomClash, message).at(slot).courses(courses).rooms([room]));
        }
    }
}

/// A cohort attends sessions of two or more courses in one slot.
fn cohort_clash(ctx: &Ctx, out: &mut Vec<Violation>) {
    for s in 0..ctx.index.by_slot.len() {
        let mut by_cohort: BTreeMap<CohortIdx, BTreeSet<CourseIdx>> = BTreeMap::new();
        for p in ctx.in_slot(s) {
            for k in distinct_cohorts(ctx.instance, p.course) {
                by_cohort.entry(k).or_default().insert(p.course);
            }
        }
        let slot = ctx.instance.calendar.slot(s);
        for (cohort, courses) in by_cohort.into_iter().filter(|(_, c)| c.len() > 1) {
            let message = format!(
                "Cohort {} has {} sessions on {}: {}.",
                ctx.names.cohort(cohort),
                count_word(courses.len()),
                ctx.names.slot(slot),
                ctx.course_list(&courses)
            );
            out.push(Violation::new(Kind::CohortClash, message).at(slot).courses(courses).cohorts([cohort]));
        }
    }
}

/// An instructor teaches sessions of two or more courses in one slot.
fn instructor_clash(ctx: &Ctx, out: &mut Vec<Violation>) {
    for s in 0..ctx.index.by_slot.len() {
        let mut by_instructor: BTreeMap<InstructorIdx, BTreeSet<CourseIdx>> = BTreeMap::new();
        for p in ctx.in_slot(s) {
            if let Some(instructor) = p.instructor {
                by_instructor.entry(instructor).or_default().insert(p.course);
            }
        }
        let slot = ctx.instance.calendar.slot(s);
        for (instructor, courses) in by_instructor.into_iter().filter(|(_, c)| c.len() > 1) {
            let message = format!(
                "Instructor {} teaches {} sessions on {}: {}.",
                ctx.names.instructor(instructor),
                count_word(courses.len()),
                ctx.names.slot(slot),
                ctx.course_list(&courses)
            );
            out.push(Violation::new(Kind::InstructorClash, message).at(slot).courses(courses).instructors([instructor]));
        }
    }
}

/// A placement lies where a hard availability row forbids its course, one
/// of its cohorts, its instructor or its room.
fn unavailable(ctx: &Ctx, out: &mut Vec<Violation>) {
    let blocks = HardBlocks::new(ctx.instance);
    for p in &ctx.index.valid {
        let s = ctx.instance.calendar.slot_index(p.slot);
        let course = ctx.names.course(p.course);
        let base = |who: String| {
            let message = format!("Course {course} is placed on {}, when {who} is unavailable.", ctx.names.slot(p.slot));
            Violation::new(Kind::Unavailable, message).at(p.slot).courses([p.course])
        };
        if blocks.blocked(AvailabilityTarget::Course(p.course), s) {
            out.push(base("the course itself".into()));
        }
        for k in distinct_cohorts(ctx.instance, p.course) {
            if blocks.blocked(AvailabilityTarget::Cohort(k), s) {
                out.push(base(format!("cohort {}", ctx.names.cohort(k))).cohorts([k]));
            }
        }
        if let Some(i) = p.instructor.filter(|&i| blocks.blocked(AvailabilityTarget::Instructor(i), s)) {
            out.push(base(format!("instructor {}", ctx.names.instructor(i))).instructors([i]));
        }
        if let Some(r) = p.room.filter(|&r| blocks.blocked(AvailabilityTarget::Room(r), s)) {
            out.push(base(format!("room {}", ctx.names.room(r))).rooms([r]));
        }
    }
}

/// A placement's day lies outside the window of one of its cohorts.
fn outside_window(ctx: &Ctx, out: &mut Vec<Violation>) {
    for p in &ctx.index.valid {
        for k in distinct_cohorts(ctx.instance, p.course) {
            let cohort = &ctx.instance.cohorts[k.0];
            let before = cohort.first_day.is_some_and(|f| p.slot.day < f);
            let after = cohort.last_day.is_some_and(|l| p.slot.day > l);
            if before || after {
                let message = format!(
                    "Course {} is placed on {}, outside cohort {}'s window {}.",
                    ctx.names.course(p.course),
                    ctx.names.slot(p.slot),
                    cohort.id,
                    window_text(ctx.names, cohort.first_day, cohort.last_day)
                );
                out.push(Violation::new(Kind::OutsideWindow, message).at(p.slot).courses([p.course]).cohorts([k]));
            }
        }
    }
}

/// `2020-04-01..2020-04-10`, with the calendar's ends for an open side.
pub(super) fn window_text(names: Names, first: Option<DayIdx>, last: Option<DayIdx>) -> String {
    let days = &names.0.calendar.days;
    let first = first.map_or_else(|| days.first().map_or_else(String::new, |d| d.label.clone()), |d| names.day(d));
    let last = last.map_or_else(|| days.last().map_or_else(String::new, |d| d.label.clone()), |d| names.day(d));
    format!("{first}..{last}")
}

/// A placement's room lacks a feature its course needs.
fn missing_room_feature(ctx: &Ctx, out: &mut Vec<Violation>) {
    for p in &ctx.index.valid {
        let Some(r) = p.room else { continue };
        let course = &ctx.instance.courses[p.course.0];
        let room = &ctx.instance.rooms[r.0];
        let missing: Vec<String> = course.room_features.difference(&room.features).cloned().collect();
        if !missing.is_empty() {
            let message =
                format!("Room {} lacks {} needed by course {} on {}.", room.id, join_and(&missing), course.id, ctx.names.slot(p.slot));
            out.push(Violation::new(Kind::MissingRoomFeature, message).at(p.slot).courses([p.course]).rooms([r]));
        }
    }
}

/// A course is taught by someone other than its fixed instructor, or, with
/// none fixed, by an instructor not qualified for its subject. One
/// violation per course and wrong instructor, however many sessions.
fn unqualified_instructor(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (c, placed) in ctx.index.by_course.iter().enumerate() {
        let course = &ctx.instance.courses[c];
        let mut wrong: BTreeMap<InstructorIdx, Vec<Slot>> = BTreeMap::new();
        for p in placed.iter().map(|&n| ctx.index.get(n)) {
            let Some(i) = p.instructor else { continue };
            let ok = match course.instructor {
                Some(fixed) => i == fixed,
                None => ctx.instance.instructors[i.0].subjects.contains(&course.subject),
            };
            if !ok {
                wrong.entry(i).or_default().push(p.slot);
            }
        }
        for (instructor, slots) in wrong {
            let first = slots.iter().min().map_or_else(String::new, |&s| ctx.names.slot(s));
            let who = ctx.names.instructor(instructor);
            let sessions = plural(slots.len(), "session");
            let message = match course.instructor {
                Some(fixed) => format!(
                    "Course {} is fixed to instructor {}, but instructor {who} teaches {sessions} of it (first on {first}).",
                    course.id,
                    ctx.names.instructor(fixed)
                ),
                None => format!(
                    "Instructor {who} teaches {sessions} of course {} (first on {first}) but is not qualified for its subject {}.",
                    course.id, course.subject
                ),
            };
            out.push(Violation::new(Kind::UnqualifiedInstructor, message).courses([CourseIdx(c)]).instructors([instructor]));
        }
    }
}

/// A course's sessions are taught by more than one instructor.
fn instructor_changed(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (c, placed) in ctx.index.by_course.iter().enumerate() {
        let instructors: BTreeSet<InstructorIdx> = placed.iter().filter_map(|&n| ctx.index.get(n).instructor).collect();
        if instructors.len() > 1 {
            let ids: Vec<String> = instructors.iter().map(|&i| ctx.names.instructor(i)).collect();
            let message = format!(
                "Course {} is taught by {} instructors ({}); one instructor must teach all its sessions.",
                ctx.instance.courses[c].id,
                ids.len(),
                join_and(&ids)
            );
            out.push(Violation::new(Kind::InstructorChanged, message).courses([CourseIdx(c)]).instructors(instructors));
        }
    }
}

/// An instructor teaches more sessions than their `max_sessions`.
fn max_sessions(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (i, placed) in ctx.index.by_instructor.iter().enumerate() {
        let instructor = &ctx.instance.instructors[i];
        let Some(max) = instructor.max_sessions else { continue };
        if placed.len() > max as usize {
            let message = format!("Instructor {} teaches {} sessions, more than their max_sessions of {max}.", instructor.id, placed.len());
            let courses = placed.iter().map(|&n| ctx.index.get(n).course);
            out.push(Violation::new(Kind::MaxSessions, message).courses(courses).instructors([InstructorIdx(i)]));
        }
    }
}

/// An instructor teaches more sessions on one day than their `max_per_day`.
fn max_per_day(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (i, placed) in ctx.index.by_instructor.iter().enumerate() {
        let instructor = &ctx.instance.instructors[i];
        let Some(max) = instructor.max_per_day else { continue };
        let mut by_day: BTreeMap<DayIdx, Vec<CourseIdx>> = BTreeMap::new();
        for p in placed.iter().map(|&n| ctx.index.get(n)) {
            by_day.entry(p.slot.day).or_default().push(p.course);
        }
        for (day, courses) in by_day.into_iter().filter(|(_, c)| c.len() > max as usize) {
            let message = format!(
                "Instructor {} teaches {} sessions on {}, more than their max_per_day of {max}.",
                instructor.id,
                count_word(courses.len()),
                ctx.names.day(day)
            );
            out.push(Violation::new(Kind::MaxPerDay, message).on_day(day).courses(courses).instructors([InstructorIdx(i)]));
        }
    }
}

/// A pin has no placement of its course at its slot with the room and
/// instructor it names.
fn pin_not_respected(ctx: &Ctx, out: &mut Vec<Violation>) {
    for pin in &ctx.instance.pins {
        let course = ctx.names.course(pin.course);
        let mut wanted = String::new();
        if let Some(r) = pin.room {
            wanted += &format!(" in room {}", ctx.names.room(r));
        }
        if let Some(i) = pin.instructor {
            wanted += &format!(" with instructor {}", ctx.names.instructor(i));
        }
        let there: Vec<&Session> = if ctx.instance.calendar.has_slot(pin.slot) {
            ctx.in_slot(ctx.instance.calendar.slot_index(pin.slot)).filter(|p| p.course == pin.course).collect()
        } else {
            Vec::new()
        };
        // A cell still to decide is missing_room or missing_instructor,
        // not also a pin broken.
        let matches = |p: &&Session| {
            pin.room.is_none_or(|r| p.room.is_none_or(|pr| pr == r)) && pin.instructor.is_none_or(|i| p.instructor.is_none_or(|pi| pi == i))
        };
        if there.iter().any(matches) {
            continue;
        }
        let found = match there.first() {
            None => "the course has no session there".to_string(),
            Some(p) => format!(
                "its session there is in room {} with instructor {}",
                p.room.map_or_else(|| "(to decide)".to_string(), |r| ctx.names.room(r)),
                p.instructor.map_or_else(|| "(to decide)".to_string(), |i| ctx.names.instructor(i))
            ),
        };
        let message = format!("Course {course} is pinned to {}{wanted}, but {found}.", ctx.names.slot(pin.slot));
        out.push(
            Violation::new(Kind::PinNotRespected, message).at(pin.slot).courses([pin.course]).rooms(pin.room).instructors(pin.instructor),
        );
    }
}

/// With room capacity hard, a course has more students than its room seats.
fn room_too_small(ctx: &Ctx, out: &mut Vec<Violation>) {
    if ctx.instance.weights.room_capacity.is_some() {
        return;
    }
    for p in &ctx.index.valid {
        let Some(r) = p.room else { continue };
        let students = ctx.instance.students(p.course);
        let room = &ctx.instance.rooms[r.0];
        if students > room.capacity {
            let message = format!(
                "Room {} seats {}, but course {} has {students} students on {}.",
                room.id,
                room.capacity,
                ctx.names.course(p.course),
                ctx.names.slot(p.slot)
            );
            out.push(Violation::new(Kind::RoomTooSmall, message).at(p.slot).courses([p.course]).rooms([r]));
        }
    }
}

/// A timetable row names a day, period, course, room or instructor the
/// instance does not have.
fn unknown_id(ctx: &Ctx, out: &mut Vec<Violation>) {
    for row in &ctx.timetable.unresolved {
        let message = format!("Timetable line {} names {} '{}', which the instance does not have.", row.line, row.column, row.value);
        out.push(Violation::new(Kind::UnknownId, message));
    }
    let instance = ctx.instance;
    for p in &ctx.index.foreign {
        let mut unknown = Vec::new();
        if p.course.0 >= instance.courses.len() {
            unknown.push(format!("course #{}", p.course.0));
        } else if instance.courses[p.course.0].cohorts.iter().any(|k| k.0 >= instance.cohorts.len()) {
            unknown.push(format!("a cohort of course {}", instance.courses[p.course.0].id));
        }
        if p.room.0 >= instance.rooms.len() {
            unknown.push(format!("room #{}", p.room.0));
        }
        if p.instructor.0 >= instance.instructors.len() {
            unknown.push(format!("instructor #{}", p.instructor.0));
        }
        if !instance.calendar.has_slot(p.slot) {
            unknown.push(format!("day #{} period {}", p.slot.day.0, p.slot.period));
        }
        let message =
            format!("A placement of course {} names {}, which the instance does not have.", ctx.names.course(p.course), join_and(&unknown));
        out.push(Violation::new(Kind::UnknownId, message));
    }
    for p in &ctx.index.foreign_undecided {
        let message = format!(
            "Timetable line {} names course {} on day #{} period {}, or a room or instructor, which the instance does not have.",
            p.line,
            ctx.names.course(p.course),
            p.slot.day.0,
            p.slot.period
        );
        out.push(Violation::new(Kind::UnknownId, message));
    }
}
