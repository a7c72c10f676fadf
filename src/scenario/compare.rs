//! How far a timetable is from a baseline: sessions moved, instructors and
//! rooms changed, and who is affected.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{CourseIdx, Instance, InstructorIdx, Placement, RoomIdx, Slot, Timetable};

/// Maps a timetable of one instance onto another by ids: course, room and
/// instructor ids and day labels. Placements naming anything the other
/// instance does not have (or a period its day does not have) are dropped.
pub fn map_timetable(from: &Instance, tt: &Timetable, to: &Instance) -> Timetable {
    let courses = positions(to.courses.iter().map(|c| &c.id));
    let rooms = positions(to.rooms.iter().map(|r| &r.id));
    let instructors = positions(to.instructors.iter().map(|i| &i.id));
    let placements = tt
        .placements
        .iter()
        .filter_map(|p| {
            let course = *courses.get(from.courses.get(p.course.0)?.id.as_str())?;
            let room = *rooms.get(from.rooms.get(p.room.0)?.id.as_str())?;
            let instructor = *instructors.get(from.instructors.get(p.instructor.0)?.id.as_str())?;
            let day = to.calendar.day_by_label(&from.calendar.days.get(p.slot.day.0)?.label)?;
            let slot = Slot { day, period: p.slot.period };
            to.calendar.has_slot(slot).then_some(Placement {
                course: CourseIdx(course),
                slot,
                room: RoomIdx(room),
                instructor: InstructorIdx(instructor),
            })
        })
        .collect();
    Timetable::new(placements)
}

fn positions<'a>(ids: impl Iterator<Item = &'a String>) -> BTreeMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id.as_str(), i)).collect()
}

/// The difference between a timetable and a baseline of the same instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// Sessions not matched to a baseline session of the same course at
    /// the same slot (matched as multisets, course by course).
    pub moved: usize,
    /// Of `moved`: sessions of courses the baseline has no session of
    /// (courses the scenario adds).
    pub new: usize,
    /// Courses taught by another instructor than in the baseline.
    pub instructor_changes: usize,
    /// Matched sessions (same course, same slot) in another room.
    pub room_changes: usize,
    /// Ids of instructors with a moved or changed session, on either side.
    pub instructors_affected: BTreeSet<String>,
    /// Ids of cohorts attending a moved or changed session.
    pub cohorts_affected: BTreeSet<String>,
}

/// One session as the comparison sees it. A session read with its room or
/// instructor cell empty has none to keep or to change.
struct Session {
    course: CourseIdx,
    slot: Slot,
    room: Option<RoomIdx>,
    instructor: Option<InstructorIdx>,
}

fn sessions(tt: &Timetable) -> impl Iterator<Item = Session> + '_ {
    let full = tt.placements.iter().map(|p| Session { course: p.course, slot: p.slot, room: Some(p.room), instructor: Some(p.instructor) });
    full.chain(tt.undecided.iter().map(|p| Session { course: p.course, slot: p.slot, room: p.room, instructor: p.instructor }))
}

/// Compares `timetable` with `baseline`; both index `instance`.
pub fn compare(instance: &Instance, baseline: &Timetable, timetable: &Timetable) -> Changes {
    let known = |s: &Session| s.course.0 < instance.courses.len();
    let (old_sessions, new_sessions): (Vec<Session>, Vec<Session>) =
        (sessions(baseline).filter(known).collect(), sessions(timetable).filter(known).collect());
    let old = group(&old_sessions, |s| s.course);
    let new = group(&new_sessions, |s| s.course);
    let courses: BTreeSet<CourseIdx> = old.keys().chain(new.keys()).copied().collect();
    let mut changes = Changes::default();
    for c in courses {
        let (before, after) = (old.get(&c).map_or(&[][..], Vec::as_slice), new.get(&c).map_or(&[][..], Vec::as_slice));
        let mut touched: BTreeSet<InstructorIdx> = BTreeSet::new();
        if before.is_empty() {
            changes.new += after.len();
        }
        let before_at = group(before.iter().copied(), |s| s.slot);
        let after_at = group(after.iter().copied(), |s| s.slot);
        let slots: BTreeSet<Slot> = before_at.keys().chain(after_at.keys()).copied().collect();
        for slot in slots {
            let b = before_at.get(&slot).map_or(&[][..], Vec::as_slice);
            let a = after_at.get(&slot).map_or(&[][..], Vec::as_slice);
            let matched = a.len().min(b.len());
            changes.moved += a.len() - matched;
            // Only a room there was can change.
            let with_room = |ss: &[&Session]| ss.iter().filter(|s| s.room.is_some()).count();
            let comparable = matched.min(with_room(a)).min(with_room(b));
            let same_room = room_overlap(a, b).min(comparable);
            changes.room_changes += comparable - same_room;
            // Everyone teaching at a slot where something changed is affected.
            if a.len() != b.len() || same_room < comparable {
                touched.extend(a.iter().chain(b).filter_map(|s| s.instructor));
            }
        }
        let teachers = |ss: &[&Session]| ss.iter().filter_map(|s| s.instructor).collect::<BTreeSet<_>>();
        let (t_before, t_after) = (teachers(before), teachers(after));
        if !t_before.is_empty() && !t_after.is_empty() && t_before != t_after {
            changes.instructor_changes += 1;
            touched.extend(t_before.iter().chain(&t_after));
        }
        if !touched.is_empty() {
            changes.instructors_affected.extend(touched.iter().filter_map(|i| instance.instructors.get(i.0)).map(|i| i.id.clone()));
            changes
                .cohorts_affected
                .extend(instance.courses[c.0].cohorts.iter().filter_map(|k| instance.cohorts.get(k.0)).map(|k| k.id.clone()));
        }
    }
    changes
}

fn group<'a, K: Ord>(ss: impl IntoIterator<Item = &'a Session>, key: impl Fn(&Session) -> K) -> BTreeMap<K, Vec<&'a Session>> {
    let mut m: BTreeMap<K, Vec<&'a Session>> = BTreeMap::new();
    for s in ss {
        m.entry(key(s)).or_default().push(s);
    }
    m
}

/// Sessions of the two lists that can be paired in the same room.
fn room_overlap(a: &[&Session], b: &[&Session]) -> usize {
    let count = |ss: &[&Session]| {
        let mut m: BTreeMap<RoomIdx, usize> = BTreeMap::new();
        for r in ss.iter().filter_map(|s| s.room) {
            *m.entry(r).or_default() += 1;
        }
        m
    };
    let (ca, cb) = (count(a), count(b));
    ca.iter().map(|(r, n)| (*n).min(cb.get(r).copied().unwrap_or(0))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Calendar, Cohort, CohortIdx, Course, Day, DayIdx, Instructor, Room, UndecidedPlacement};

    fn instance() -> Instance {
        let room = |id: &str| Room { id: id.into(), name: String::new(), capacity: 10, features: Default::default(), site: String::new() };
        let teacher = |id: &str| Instructor {
            id: id.into(),
            name: String::new(),
            subjects: ["s".to_string()].into(),
            max_sessions: None,
            max_per_day: None,
            max_days: None,
            min_sessions: None,
        };
        let cohort = |id: &str| Cohort { id: id.into(), name: String::new(), size: 5, first_day: None, last_day: None };
        let course = |id: &str, k: usize| Course {
            id: id.into(),
            name: String::new(),
            subject: "s".into(),
            cohorts: vec![CohortIdx(k)],
            sessions: 2,
            min_days: None,
            instructor: None,
            students: None,
            room_features: Default::default(),
            block: None,
            max_span_days: None,
        };
        Instance {
            calendar: Calendar::new(vec![Day { label: "d1".into(), periods: 2 }, Day { label: "d2".into(), periods: 2 }]),
            rooms: vec![room("r1"), room("r2")],
            instructors: vec![teacher("i1"), teacher("i2")],
            cohorts: vec![cohort("k1"), cohort("k2")],
            courses: vec![course("c1", 0), course("c2", 1)],
            ..Instance::default()
        }
    }

    fn p(course: usize, day: usize, period: u32, room: usize, instructor: usize) -> Placement {
        Placement {
            course: CourseIdx(course),
            slot: Slot { day: DayIdx(day), period },
            room: RoomIdx(room),
            instructor: InstructorIdx(instructor),
        }
    }

    #[test]
    fn moves_rooms_and_instructors_are_counted_apart() {
        let inst = instance();
        let base = Timetable::new(vec![p(0, 0, 1, 0, 0), p(0, 1, 1, 0, 0), p(1, 0, 1, 1, 1), p(1, 0, 2, 1, 1)]);
        // c1: one session moved (d2/1 -> d2/2); c2: same slots, one room
        // changed and another instructor.
        let new = Timetable::new(vec![p(0, 0, 1, 0, 0), p(0, 1, 2, 0, 0), p(1, 0, 1, 0, 0), p(1, 0, 2, 1, 0)]);
        let ch = compare(&inst, &base, &new);
        assert_eq!((ch.moved, ch.room_changes, ch.instructor_changes), (1, 1, 1));
        assert_eq!(ch.instructors_affected, ["i1".to_string(), "i2".to_string()].into());
        assert_eq!(ch.cohorts_affected, ["k1".to_string(), "k2".to_string()].into());
        assert_eq!(compare(&inst, &base, &base), Changes::default());
    }

    #[test]
    fn a_baseline_session_with_no_room_or_instructor_keeps_only_its_time() {
        let inst = instance();
        let mut base = Timetable::new(vec![p(0, 0, 1, 0, 0)]);
        let at = |day, period| Slot { day: DayIdx(day), period };
        base.undecided = vec![
            UndecidedPlacement { line: 3, course: CourseIdx(0), slot: at(1, 1), room: None, instructor: None },
            UndecidedPlacement { line: 4, course: CourseIdx(1), slot: at(0, 1), room: Some(RoomIdx(1)), instructor: None },
            UndecidedPlacement { line: 5, course: CourseIdx(1), slot: at(0, 2), room: None, instructor: Some(InstructorIdx(1)) },
        ];
        // Every session at its baseline time, any room or instructor where
        // the baseline had none: nothing changed.
        let same_times = Timetable::new(vec![p(0, 0, 1, 0, 0), p(0, 1, 1, 1, 0), p(1, 0, 1, 1, 1), p(1, 0, 2, 0, 1)]);
        assert_eq!(compare(&inst, &base, &same_times), Changes::default());
        // The sessions the baseline left open still count when they move,
        // and a room the baseline gave still counts when it changes.
        let moved = Timetable::new(vec![p(0, 0, 1, 0, 0), p(0, 1, 2, 1, 0), p(1, 0, 1, 0, 1), p(1, 0, 2, 0, 1)]);
        let ch = compare(&inst, &base, &moved);
        assert_eq!((ch.moved, ch.room_changes, ch.instructor_changes), (1, 1, 0));
    }

    #[test]
    fn mapping_follows_ids_and_drops_what_is_gone() {
        let from = instance();
        let mut to = instance();
        to.rooms.reverse();
        to.courses.remove(0);
        to.calendar = Calendar::new(vec![Day { label: "d2".into(), periods: 1 }]);
        let tt = Timetable::new(vec![p(0, 0, 1, 0, 0), p(1, 1, 1, 0, 1), p(1, 1, 2, 1, 1)]);
        let mapped = map_timetable(&from, &tt, &to);
        // c1 is gone, d2 has no period 2; c2 at d2/1 in r1 (now index 1).
        assert_eq!(mapped.placements, vec![p(0, 0, 1, 1, 1)]);
    }
}
