use std::collections::BTreeSet;

use super::programme::{Relation, RuleCells, Subject};
use super::{Calendar, CohortIdx, CourseIdx, DayIdx, InstructorIdx, RoomIdx, Slot};

/// A teaching room: seats and the equipment it offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    pub id: String,
    pub name: String,
    pub capacity: u32,
    pub features: BTreeSet<String>,
    /// Where the room is; empty is the main site.
    pub site: String,
}

/// A lecturer: the subjects they may teach and how much they may teach.
#[derive(Debug, Clone, PartialEq)]
pub struct Instructor {
    pub id: String,
    pub name: String,
    pub subjects: BTreeSet<String>,
    /// Most sessions over the whole calendar.
    pub max_sessions: Option<u32>,
    /// Most sessions on any one day.
    pub max_per_day: Option<u32>,
    /// Most distinct days with a session (visiting lecturers). Hard.
    pub max_days: Option<u32>,
    /// Teaching quota: each session short of it costs `teaching_quota`.
    pub min_sessions: Option<u32>,
}

/// A group of trainees who attend together, e.g. one class of commune
/// party secretaries.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub id: String,
    pub name: String,
    pub size: u32,
    /// The cohort attends only between these days (inclusive).
    pub first_day: Option<DayIdx>,
    pub last_day: Option<DayIdx>,
}

/// The demand: a subject taught in `sessions` one-period sessions to the
/// cohorts listed, all together.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub id: String,
    /// The course's title; may be empty.
    pub name: String,
    pub subject: String,
    pub cohorts: Vec<CohortIdx>,
    pub sessions: u32,
    /// Soft: the sessions should spread over at least this many days.
    pub min_days: Option<u32>,
    /// Fixed instructor; `None` lets the solver choose a qualified one.
    pub instructor: Option<InstructorIdx>,
    /// Attendance when it differs from the sum of the cohorts' sizes.
    pub students: Option<u32>,
    pub room_features: BTreeSet<String>,
    /// Sessions come in runs of this many consecutive periods of a day.
    /// Hard; `None` (or 1) for single sessions.
    pub block: Option<u32>,
    /// Every session within this many consecutive calendar days. Hard.
    pub max_span_days: Option<u32>,
}

/// Who or what an availability row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AvailabilityTarget {
    Cohort(CohortIdx),
    Instructor(InstructorIdx),
    Room(RoomIdx),
    Course(CourseIdx),
}

/// A time someone or something cannot (`weight == None`) or would rather
/// not (`weight == Some(penalty)`) be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    pub target: AvailabilityTarget,
    pub first_day: DayIdx,
    pub last_day: DayIdx,
    /// `None`: every period of those days.
    pub period: Option<u32>,
    /// `None`: hard. `Some(w)`: a penalty of `w` per session placed there.
    pub weight: Option<f64>,
}

impl Availability {
    pub fn covers(&self, slot: Slot) -> bool {
        self.first_day <= slot.day && slot.day <= self.last_day && self.period.is_none_or(|p| p == slot.period)
    }

    pub fn is_hard(&self) -> bool {
        self.weight.is_none()
    }
}

/// One session of a course fixed by the planner.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub course: CourseIdx,
    pub slot: Slot,
    pub room: Option<RoomIdx>,
    pub instructor: Option<InstructorIdx>,
}

/// Objective weights (FORMAT.md, weights.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// `None`: room capacity is hard. `Some(w)`: `w` per student over.
    pub room_capacity: Option<f64>,
    pub min_days: f64,
    pub compactness: f64,
    pub room_stability: f64,
    /// Each session an instructor teaches below their `min_sessions`.
    pub teaching_quota: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { room_capacity: None, min_days: 5.0, compactness: 2.0, room_stability: 1.0, teaching_quota: 1.0 }
    }
}

/// A whole planning problem.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Instance {
    pub calendar: Calendar,
    pub rooms: Vec<Room>,
    pub instructors: Vec<Instructor>,
    pub cohorts: Vec<Cohort>,
    pub courses: Vec<Course>,
    pub availability: Vec<Availability>,
    pub pins: Vec<Pin>,
    pub weights: Weights,
    /// Titles of subjects (optional; ids stand in for the rest).
    pub subjects: Vec<Subject>,
    pub relations: Vec<Relation>,
    /// Where the input first sets each rule the solver does not place
    /// yet; empty for instances not read from files.
    pub rule_cells: RuleCells,
}

impl Instance {
    pub fn num_sessions(&self) -> usize {
        self.courses.iter().map(|c| c.sessions as usize).sum()
    }

    pub fn course(&self, c: CourseIdx) -> &Course {
        &self.courses[c.0]
    }

    /// How many distinct sites the rooms are at (the main site counts).
    pub fn num_sites(&self) -> usize {
        self.rooms.iter().map(|r| r.site.as_str()).collect::<BTreeSet<_>>().len()
    }

    /// Attendance of a course: its own `students`, else the cohorts' sizes.
    pub fn students(&self, c: CourseIdx) -> u32 {
        let course = &self.courses[c.0];
        course.students.unwrap_or_else(|| course.cohorts.iter().map(|k| self.cohorts[k.0].size).sum())
    }

    /// Instructors who may teach a course: the fixed one, or every
    /// instructor qualified for its subject.
    pub fn eligible_instructors(&self, c: CourseIdx) -> Vec<InstructorIdx> {
        let course = &self.courses[c.0];
        match course.instructor {
            Some(i) => vec![i],
            None => (0..self.instructors.len())
                .map(InstructorIdx)
                .filter(|&i| self.instructors[i.0].subjects.contains(&course.subject))
                .collect(),
        }
    }

    /// Whether a room offers every feature a course needs.
    pub fn room_has_features(&self, c: CourseIdx, r: RoomIdx) -> bool {
        self.courses[c.0].room_features.is_subset(&self.rooms[r.0].features)
    }

    /// The days a course may use: the intersection of its cohorts' windows.
    pub fn course_window(&self, c: CourseIdx) -> Option<(DayIdx, DayIdx)> {
        let mut first = DayIdx(0);
        let mut last = DayIdx(self.calendar.num_days().checked_sub(1)?);
        for k in &self.courses[c.0].cohorts {
            let cohort = &self.cohorts[k.0];
            if let Some(f) = cohort.first_day {
                first = first.max(f);
            }
            if let Some(l) = cohort.last_day {
                last = last.min(l);
            }
        }
        (first <= last).then_some((first, last))
    }

    /// Courses each cohort attends, indexed by cohort.
    pub fn courses_of_cohort(&self) -> Vec<Vec<CourseIdx>> {
        let mut out = vec![Vec::new(); self.cohorts.len()];
        for (c, course) in self.courses.iter().enumerate() {
            for k in &course.cohorts {
                out[k.0].push(CourseIdx(c));
            }
        }
        out
    }

    /// Availability rows about one target.
    pub fn availability_of(&self, target: AvailabilityTarget) -> impl Iterator<Item = &Availability> {
        self.availability.iter().filter(move |a| a.target == target)
    }

    /// Whether a hard availability row forbids `target` at `slot`.
    pub fn is_blocked(&self, target: AvailabilityTarget, slot: Slot) -> bool {
        self.availability_of(target).any(|a| a.is_hard() && a.covers(slot))
    }

    /// Sum of the soft penalties of `target` at `slot` (rows add up).
    pub fn soft_penalty(&self, target: AvailabilityTarget, slot: Slot) -> f64 {
        self.availability_of(target).filter(|a| a.covers(slot)).filter_map(|a| a.weight).sum()
    }
}
