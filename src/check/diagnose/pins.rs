//! Pins that cannot be honoured, alone or together.

use std::collections::{BTreeMap, BTreeSet};

use super::facts::Facts;
use super::finding::{proof, Finding, FindingKind};
use crate::check::index::{distinct_cohorts, join_and, plural};
use crate::check::rules::window_text;
use crate::model::{AvailabilityTarget as Target, CohortIdx, CourseIdx, DayIdx, InstructorIdx, Slot};

impl Facts<'_> {
    /// Pins that cannot be honoured: at a slot the calendar lacks, outside
    /// the course's window, on hard unavailability, in an unsuitable room,
    /// with an ineligible instructor, more pinned periods than sessions,
    /// or two pins that clash.
    pub(super) fn pin_conflict(&self, out: &mut Vec<Finding>) {
        let inst = self.inst;
        let calendar = &inst.calendar;
        let mut per_slot: BTreeMap<Slot, Vec<usize>> = BTreeMap::new();
        for (n, pin) in inst.pins.iter().enumerate() {
            let c = pin.course;
            let course = &inst.courses[c.0];
            let at = format!("Pin of course {} on {}", course.id, self.names.slot(pin.slot));
            let mut problems = Vec::new();
            if !calendar.has_slot(pin.slot) {
                out.push(proof(FindingKind::PinConflict, 1, format!("{at}: the calendar has no such period.")));
                continue;
            }
            per_slot.entry(pin.slot).or_default().push(n);
            let s = calendar.slot_index(pin.slot);
            for k in distinct_cohorts(inst, c) {
                let cohort = &inst.cohorts[k.0];
                let outside = cohort.first_day.is_some_and(|f| pin.slot.day < f) || cohort.last_day.is_some_and(|l| pin.slot.day > l);
                if outside {
                    problems.push(format!(
                        "it lies outside cohort {}'s window {}",
                        cohort.id,
                        window_text(self.names, cohort.first_day, cohort.last_day)
                    ));
                }
            }
            let mut blocked = Vec::new();
            if self.blocks.blocked(Target::Course(c), s) {
                blocked.push("the course".to_string());
            }
            for k in distinct_cohorts(inst, c) {
                if self.blocks.blocked(Target::Cohort(k), s) {
                    blocked.push(format!("cohort {}", self.names.cohort(k)));
                }
            }
            // The forced instructor too: another pin of the course may name
            // the one who must teach this session.
            let instructors: BTreeSet<InstructorIdx> =
                course.instructor.into_iter().chain(pin.instructor).chain(self.forced[c.0]).collect();
            for &i in &instructors {
                if self.blocks.blocked(Target::Instructor(i), s) {
                    blocked.push(format!("instructor {}", self.names.instructor(i)));
                }
            }
            if let Some(r) = pin.room {
                if self.blocks.blocked(Target::Room(r), s) {
                    blocked.push(format!("room {}", self.names.room(r)));
                }
            }
            if !blocked.is_empty() {
                problems.push(format!("{} marked unavailable there", join_and(&blocked)));
            }
            if let Some(r) = pin.room {
                let room = &inst.rooms[r.0];
                let missing: Vec<String> = course.room_features.difference(&room.features).cloned().collect();
                if !missing.is_empty() {
                    problems.push(format!("room {} lacks {}", room.id, join_and(&missing)));
                }
                let students = inst.students(c);
                if inst.weights.room_capacity.is_none() && students > room.capacity {
                    problems.push(format!("room {} seats {} but the course has {students} students", room.id, room.capacity));
                }
            }
            if let Some(i) = pin.instructor {
                if !inst.eligible_instructors(c).contains(&i) {
                    problems.push(match course.instructor {
                        Some(fixed) => format!(
                            "it names instructor {} but the course is fixed to {}",
                            self.names.instructor(i),
                            self.names.instructor(fixed)
                        ),
                        None => format!("instructor {} is not qualified for subject {}", self.names.instructor(i), course.subject),
                    });
                }
            }
            if !problems.is_empty() {
                out.push(proof(FindingKind::PinConflict, 1, format!("{at} cannot be honoured: {}.", problems.join("; "))));
            }
        }
        self.pins_per_course(out);
        self.pins_clash(&per_slot, out);
        self.pins_over_limits(out);
    }

    /// An instructor's pinned sessions (theirs by the pin or by the
    /// course) beyond max_sessions, or beyond max_per_day on one day.
    fn pins_over_limits(&self, out: &mut Vec<Finding>) {
        let inst = self.inst;
        let mut pinned: BTreeMap<InstructorIdx, BTreeSet<(Slot, CourseIdx)>> = BTreeMap::new();
        for pin in inst.pins.iter().filter(|p| inst.calendar.has_slot(p.slot)) {
            if let Some(i) = pin.instructor.or(self.forced[pin.course.0]) {
                pinned.entry(i).or_default().insert((pin.slot, pin.course));
            }
        }
        for (i, sessions) in pinned {
            let instructor = &inst.instructors[i.0];
            if let Some(max) = instructor.max_sessions.map(|m| m as usize).filter(|&m| sessions.len() > m) {
                let courses: BTreeSet<CourseIdx> = sessions.iter().map(|&(_, c)| c).collect();
                out.push(proof(
                    FindingKind::PinConflict,
                    courses.len(),
                    format!(
                        "Instructor {} is pinned to {} ({}) but max_sessions is {max}; remove {} or raise max_sessions to {}.",
                        instructor.id,
                        plural(sessions.len(), "session"),
                        self.course_ids(&courses.into_iter().collect::<Vec<_>>()),
                        plural(sessions.len() - max, "pin"),
                        sessions.len(),
                    ),
                ));
            }
            let Some(max) = instructor.max_per_day.map(|m| m as usize) else { continue };
            let mut by_day: BTreeMap<DayIdx, BTreeSet<CourseIdx>> = BTreeMap::new();
            let mut count: BTreeMap<DayIdx, usize> = BTreeMap::new();
            for &(slot, c) in &sessions {
                by_day.entry(slot.day).or_default().insert(c);
                *count.entry(slot.day).or_default() += 1;
            }
            for (day, n) in count.into_iter().filter(|&(_, n)| n > max) {
                let courses: Vec<CourseIdx> = by_day[&day].iter().copied().collect();
                out.push(proof(
                    FindingKind::PinConflict,
                    courses.len(),
                    format!(
                        "Instructor {} is pinned to {} on {} ({}) but max_per_day is {max}; move {} or raise max_per_day to {n}.",
                        instructor.id,
                        plural(n, "session"),
                        inst.calendar.label(day),
                        self.course_ids(&courses),
                        plural(n - max, "pin"),
                    ),
                ));
            }
        }
    }

    /// More distinct pinned periods than sessions, or pins of one course
    /// naming different instructors.
    fn pins_per_course(&self, out: &mut Vec<Finding>) {
        let inst = self.inst;
        let mut slots: BTreeMap<CourseIdx, BTreeSet<Slot>> = BTreeMap::new();
        let mut named: BTreeMap<CourseIdx, BTreeSet<InstructorIdx>> = BTreeMap::new();
        for pin in inst.pins.iter().filter(|p| inst.calendar.has_slot(p.slot)) {
            slots.entry(pin.course).or_default().insert(pin.slot);
            named.entry(pin.course).or_default().extend(pin.instructor);
        }
        for (c, slots) in slots {
            let course = &inst.courses[c.0];
            if slots.len() > course.sessions as usize {
                out.push(proof(
                    FindingKind::PinConflict,
                    1,
                    format!(
                        "Course {} is pinned to {} but has only {}; remove {}.",
                        course.id,
                        plural(slots.len(), "different period"),
                        plural(course.sessions as usize, "session"),
                        plural(slots.len() - course.sessions as usize, "pin"),
                    ),
                ));
            }
        }
        for (c, instructors) in named.into_iter().filter(|(_, i)| i.len() > 1) {
            out.push(proof(
                FindingKind::PinConflict,
                1,
                format!(
                    "Pins of course {} name instructors {}, but one instructor teaches all its sessions.",
                    inst.courses[c.0].id,
                    join_and(&instructors.iter().map(|&i| self.names.instructor(i)).collect::<Vec<_>>())
                ),
            ));
        }
    }

    /// Two pins in one period that cannot both hold: one course in two
    /// rooms or with two instructors, or two courses sharing a room, a
    /// cohort or an instructor.
    fn pins_clash(&self, per_slot: &BTreeMap<Slot, Vec<usize>>, out: &mut Vec<Finding>) {
        let inst = self.inst;
        let instructor_of = |n: usize| inst.pins[n].instructor.or(self.forced[inst.pins[n].course.0]);
        for (&slot, pins) in per_slot {
            for (x, &a) in pins.iter().enumerate() {
                for &b in &pins[x + 1..] {
                    let (pa, pb) = (&inst.pins[a], &inst.pins[b]);
                    let mut why = Vec::new();
                    let same_course = pa.course == pb.course;
                    if let (Some(ra), Some(rb)) = (pa.room, pb.room) {
                        if same_course && ra != rb {
                            why.push(format!("rooms {} and {}", self.names.room(ra), self.names.room(rb)));
                        } else if !same_course && ra == rb {
                            why.push(format!("room {}", self.names.room(ra)));
                        }
                    }
                    // One course's pins naming two instructors are reported
                    // once per course by pins_per_course, not per pair here.
                    if let (false, Some(ia), Some(ib)) = (same_course, instructor_of(a), instructor_of(b)) {
                        if ia == ib {
                            why.push(format!("instructor {}", self.names.instructor(ia)));
                        }
                    }
                    if !same_course {
                        let shared: BTreeSet<CohortIdx> = distinct_cohorts(inst, pa.course)
                            .into_iter()
                            .filter(|k| inst.courses[pb.course.0].cohorts.contains(k))
                            .collect();
                        why.extend(shared.iter().map(|&k| format!("cohort {}", self.names.cohort(k))));
                    }
                    if why.is_empty() {
                        continue;
                    }
                    let message = if same_course {
                        format!(
                            "Course {} is pinned twice to {} with {}; a course has one session per period.",
                            inst.courses[pa.course.0].id,
                            self.names.slot(slot),
                            join_and(&why)
                        )
                    } else {
                        format!(
                            "Courses {} and {} are both pinned to {} but share {}; move one pin.",
                            inst.courses[pa.course.0].id,
                            inst.courses[pb.course.0].id,
                            self.names.slot(slot),
                            join_and(&why)
                        )
                    };
                    out.push(proof(FindingKind::PinConflict, if same_course { 1 } else { 2 }, message));
                }
            }
        }
    }
}
