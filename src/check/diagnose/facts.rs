//! What every check of the diagnosis reads: hard blocks per slot, the
//! instructor each course is forced to have, and the slots each course
//! can use at all.

use std::collections::{BTreeMap, BTreeSet};

use super::finding::listed;
use crate::check::index::{distinct_cohorts, HardBlocks, Names};
use crate::model::{AvailabilityTarget as Target, CourseIdx, DayIdx, Instance, InstructorIdx, RoomIdx};

/// What the checks share: hard blocks per slot and, per course, the slots
/// it can use at all.
pub(super) struct Facts<'a> {
    pub(super) inst: &'a Instance,
    pub(super) names: Names<'a>,
    pub(super) blocks: HardBlocks,
    /// The instructor every session of a course must have: its fixed one,
    /// else the one all its instructor-naming pins agree on.
    pub(super) forced: Vec<Option<InstructorIdx>>,
    /// Per instructor, the courses forced on them, in index order.
    forced_on: Vec<Vec<CourseIdx>>,
    /// Per course, per flat slot: inside its window, not blocked for the
    /// course, its cohorts or its forced instructor, and some room it may
    /// use is free.
    pub(super) usable: Vec<Vec<bool>>,
    /// Per course, per flat slot: as `usable`, rooms aside.
    pub(super) timed: Vec<Vec<bool>>,
}

impl<'a> Facts<'a> {
    pub(super) fn new(inst: &'a Instance) -> Self {
        let blocks = HardBlocks::new(inst);
        let forced = forced_instructors(inst);
        let mut forced_on = vec![Vec::new(); inst.instructors.len()];
        for (c, i) in forced.iter().enumerate() {
            if let Some(courses) = i.and_then(|i| forced_on.get_mut(i.0)) {
                courses.push(CourseIdx(c));
            }
        }
        let mut facts = Facts { inst, names: Names(inst), blocks, forced, forced_on, usable: Vec::new(), timed: Vec::new() };
        facts.timed = (0..inst.courses.len()).map(|c| facts.time_open(CourseIdx(c))).collect();
        // Courses with the same room needs share one room-free table.
        let mut room_free: BTreeMap<(BTreeSet<String>, u32), Vec<bool>> = BTreeMap::new();
        facts.usable = (0..inst.courses.len())
            .map(|c| {
                let free = room_free.entry(facts.room_key(CourseIdx(c))).or_insert_with(|| facts.room_free(CourseIdx(c)));
                facts.timed[c].iter().zip(free.iter()).map(|(&t, &r)| t && r).collect()
            })
            .collect();
        facts
    }

    pub(super) fn num_slots(&self) -> usize {
        self.inst.calendar.num_slots()
    }

    /// Whether the course must fit its rooms: students count only when
    /// capacity is hard.
    fn room_key(&self, c: CourseIdx) -> (BTreeSet<String>, u32) {
        let students = if self.inst.weights.room_capacity.is_none() { self.inst.students(c) } else { 0 };
        (self.inst.courses[c.0].room_features.clone(), students)
    }

    /// Rooms a course may use: every feature it needs and, with capacity
    /// hard, enough seats.
    pub(super) fn rooms_for(&self, c: CourseIdx) -> Vec<RoomIdx> {
        let (features, students) = self.room_key(c);
        (0..self.inst.rooms.len())
            .map(RoomIdx)
            .filter(|&r| {
                let room = &self.inst.rooms[r.0];
                features.is_subset(&room.features) && room.capacity >= students
            })
            .collect()
    }

    /// Per slot: some room the course may use is not blocked.
    fn room_free(&self, c: CourseIdx) -> Vec<bool> {
        let rooms = self.rooms_for(c);
        // The common case, and the one that would cost rooms x slots.
        if rooms.iter().any(|&r| !self.blocks.has_rows(Target::Room(r))) {
            return vec![true; self.num_slots()];
        }
        (0..self.num_slots()).map(|s| rooms.iter().any(|&r| !self.blocks.blocked(Target::Room(r), s))).collect()
    }

    /// Per slot: inside the course's window and not blocked for the course,
    /// its cohorts or its forced instructor (rooms aside).
    pub(super) fn time_open(&self, c: CourseIdx) -> Vec<bool> {
        let mut open = vec![false; self.num_slots()];
        let Some((first, last)) = self.inst.course_window(c) else { return open };
        let cohorts = distinct_cohorts(self.inst, c);
        for d in first.0..=last.0 {
            for s in self.inst.calendar.day_slots(DayIdx(d)) {
                open[s] = !self.blocks.blocked(Target::Course(c), s)
                    && cohorts.iter().all(|&k| !self.blocks.blocked(Target::Cohort(k), s))
                    && self.forced[c.0].is_none_or(|i| !self.blocks.blocked(Target::Instructor(i), s));
            }
        }
        open
    }

    pub(super) fn usable_count(&self, c: CourseIdx) -> usize {
        self.usable[c.0].iter().filter(|&&u| u).count()
    }

    /// Courses whose every session the instructor must teach.
    pub(super) fn forced_courses(&self, i: InstructorIdx) -> &[CourseIdx] {
        self.forced_on.get(i.0).map_or(&[], Vec::as_slice)
    }

    /// What keeps a course from meeting at once with another that has it
    /// too: its cohorts (0, k) and its forced instructor (1, i).
    pub(super) fn sharers(&self, c: CourseIdx) -> BTreeSet<(u8, usize)> {
        let cohorts = self.inst.courses[c.0].cohorts.iter().map(|k| (0, k.0));
        cohorts.chain(self.forced[c.0].map(|i| (1, i.0))).collect()
    }

    /// Whether rooms short for these courses are only time short: they
    /// all share a cohort or instructor, so no two meet at once and no
    /// more rooms than one can help; `supply` room periods cover the
    /// periods any of them can be held. Such a finding only echoes the
    /// cohort's, instructor's or course's own.
    pub(super) fn only_time_short(&self, courses: &[CourseIdx], supply: usize) -> bool {
        let Some((first, rest)) = courses.split_first() else { return true };
        let mut common = self.sharers(*first);
        for &c in rest {
            let theirs = self.sharers(c);
            common.retain(|x| theirs.contains(x));
        }
        let open = (0..self.num_slots()).filter(|&s| courses.iter().any(|c| self.timed[c.0][s])).count();
        rest.is_empty() || (!common.is_empty() && supply >= open)
    }

    pub(super) fn sessions(&self, courses: &[CourseIdx]) -> usize {
        courses.iter().map(|c| self.inst.courses[c.0].sessions as usize).sum()
    }

    pub(super) fn course_ids(&self, courses: &[CourseIdx]) -> String {
        listed(courses.iter().map(|&c| self.names.course(c)))
    }
}

/// Per course, the instructor every session must have: its fixed one,
/// else the one named by all its pins that name one (pins naming several
/// are a pin conflict, and then none is forced here).
fn forced_instructors(inst: &Instance) -> Vec<Option<InstructorIdx>> {
    let mut named: Vec<BTreeSet<InstructorIdx>> = vec![BTreeSet::new(); inst.courses.len()];
    for pin in &inst.pins {
        if let (Some(set), Some(i)) = (named.get_mut(pin.course.0), pin.instructor) {
            set.insert(i);
        }
    }
    inst.courses
        .iter()
        .zip(named)
        .map(|(course, named)| match (course.instructor, named.len()) {
            (Some(i), _) => Some(i),
            (None, 1) => named.into_iter().next(),
            _ => None,
        })
        .collect()
}
