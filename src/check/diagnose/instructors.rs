//! Instructors short of periods or limits: those forced on courses, and
//! courses that no qualified instructor can take.

use std::collections::{BTreeMap, BTreeSet};

use super::facts::Facts;
use super::finding::{proof, Finding, FindingKind};
use crate::check::index::plural;
use crate::model::{AvailabilityTarget as Target, CourseIdx, DayIdx, InstructorIdx};

impl Facts<'_> {
    /// For each instructor forced on courses: their sessions against the
    /// periods both free for the instructor and open to those courses,
    /// against max_sessions, and against max_per_day over those days.
    /// Returns the overloaded instructors.
    pub(super) fn instructor_overload(&self, out: &mut Vec<Finding>) -> BTreeSet<InstructorIdx> {
        let calendar = &self.inst.calendar;
        let mut overloaded = BTreeSet::new();
        for (i, instructor) in self.inst.instructors.iter().enumerate() {
            let idx = InstructorIdx(i);
            let courses = self.forced_courses(idx);
            if courses.is_empty() {
                continue;
            }
            let demand = self.sessions(courses);
            let which = format!("{} ({})", plural(demand, "session"), self.course_ids(courses));
            // usable already excludes the instructor's own hard rows.
            let open: Vec<bool> = (0..self.num_slots()).map(|s| courses.iter().any(|c| self.usable[c.0][s])).collect();
            let open_count = open.iter().filter(|&&o| o).count();
            // With one course this is that course's own overload, already
            // reported by course_overload.
            if demand > open_count && courses.len() > 1 {
                overloaded.insert(idx);
                out.push(proof(
                    FindingKind::InstructorOverload,
                    courses.len(),
                    format!(
                        "Instructor {} must teach {which}, but is free in only {} where those courses can be placed; \
                         move {} to another instructor or free more periods.",
                        instructor.id,
                        plural(open_count, "period"),
                        plural(demand - open_count, "session"),
                    ),
                ));
            }
            if let Some(max) = instructor.max_sessions {
                if demand > max as usize {
                    overloaded.insert(idx);
                    out.push(proof(
                        FindingKind::InstructorMaxSessions,
                        courses.len(),
                        format!(
                            "Instructor {} must teach {which}, but max_sessions is {max}; raise it to {demand} \
                             or move {} to another instructor.",
                            instructor.id,
                            plural(demand - max as usize, "session"),
                        ),
                    ));
                }
            }
            if let Some(max) = instructor.max_per_day {
                let per_day: Vec<usize> =
                    (0..calendar.num_days()).map(|d| calendar.day_slots(DayIdx(d)).filter(|&s| open[s]).count()).collect();
                let days = per_day.iter().filter(|&&n| n > 0).count();
                let most: usize = per_day.iter().map(|&n| n.min(max as usize)).sum();
                // The daily cap is a cause of its own only where it takes
                // periods away: with no open period at all (a course no
                // room seats), the cause is the one already named.
                if demand > most && most < open_count {
                    overloaded.insert(idx);
                    out.push(proof(
                        FindingKind::InstructorMaxPerDay,
                        courses.len(),
                        format!(
                            "Instructor {} must teach {which}, but with max_per_day {max} over the {} open to \
                             those courses they can teach at most {most}; raise max_per_day or move {}.",
                            instructor.id,
                            plural(days, "day"),
                            plural(demand - most, "session"),
                        ),
                    ));
                }
            }
        }
        overloaded
    }

    /// A course without a forced instructor where every qualified
    /// instructor either lacks max_sessions headroom (after their forced
    /// courses) or is free in too few of the course's open periods (per
    /// max_per_day too).
    pub(super) fn no_eligible_instructor(&self, out: &mut Vec<Finding>) {
        let forced_load: Vec<usize> =
            (0..self.inst.instructors.len()).map(|i| self.sessions(self.forced_courses(InstructorIdx(i)))).collect();
        // Instructors by subject, so each course looks up its own.
        let mut by_subject: BTreeMap<&str, Vec<InstructorIdx>> = BTreeMap::new();
        for (i, instructor) in self.inst.instructors.iter().enumerate() {
            for subject in &instructor.subjects {
                by_subject.entry(subject.as_str()).or_default().push(InstructorIdx(i));
            }
        }
        for (c, course) in self.inst.courses.iter().enumerate() {
            if self.forced[c].is_some() {
                continue;
            }
            let idx = CourseIdx(c);
            let demand = course.sessions as usize;
            // Too few open periods leave every instructor short too; that
            // is course_overload's finding, not a shortage of instructors.
            if self.usable_count(idx) < demand {
                continue;
            }
            // No fixed instructor here: those qualified for the subject.
            let qualified = by_subject.get(course.subject.as_str()).map_or(&[][..], Vec::as_slice);
            if qualified.is_empty() {
                out.push(proof(
                    FindingKind::NoEligibleInstructor,
                    1,
                    format!(
                        "No instructor is qualified for subject {} of course {}; add {} to an instructor's subjects \
                         or fix an instructor on the course.",
                        course.subject, course.id, course.subject
                    ),
                ));
                continue;
            }
            let mut reasons = Vec::new();
            for &i in qualified {
                match self.why_cannot_take(i, idx, forced_load[i.0]) {
                    Some(reason) => reasons.push(reason),
                    None => {
                        // This instructor could take the course.
                        reasons.clear();
                        break;
                    }
                }
            }
            if !reasons.is_empty() {
                out.push(proof(
                    FindingKind::NoEligibleInstructor,
                    1,
                    format!(
                        "Course {} ({}, subject {}, {} open) has no qualified instructor who can take it: {}.",
                        course.id,
                        plural(demand, "session"),
                        course.subject,
                        plural(self.usable_count(idx), "period"),
                        reasons.join("; ")
                    ),
                ));
            }
        }
    }

    /// Why instructor `i` cannot take every session of course `c` beside
    /// the `forced_load` sessions already forced on them: no max_sessions
    /// headroom, too few free open periods, or too few under max_per_day.
    /// `None` when none of these rules them out.
    fn why_cannot_take(&self, i: InstructorIdx, c: CourseIdx, forced_load: usize) -> Option<String> {
        let calendar = &self.inst.calendar;
        let instructor = &self.inst.instructors[i.0];
        let demand = self.inst.courses[c.0].sessions as usize;
        if let Some(max) = instructor.max_sessions {
            let room = (max as usize).saturating_sub(forced_load);
            if room < demand {
                return Some(format!("{} has room for only {} under max_sessions {max}", instructor.id, plural(room, "more session")));
            }
        }
        let free: Vec<bool> =
            (0..self.num_slots()).map(|s| self.usable[c.0][s] && !self.blocks.blocked(Target::Instructor(i), s)).collect();
        let free_count = free.iter().filter(|&&f| f).count();
        if free_count < demand {
            return Some(format!("{} is free in only {} of the course's open periods", instructor.id, free_count));
        }
        let max = instructor.max_per_day?;
        let most: usize =
            (0..calendar.num_days()).map(|d| calendar.day_slots(DayIdx(d)).filter(|&s| free[s]).count().min(max as usize)).sum();
        (most < demand).then(|| format!("{} can teach at most {} there under max_per_day {max}", instructor.id, plural(most, "session")))
    }
}
