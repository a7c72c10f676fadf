//! What each course may use, before any variable exists: its slots, its
//! instructors and its rooms. Every hard rule that concerns one course alone
//! is applied here, by leaving the forbidden choice out of the model.

use std::collections::BTreeMap;

use crate::model::{AvailabilityTarget, CourseIdx, Instance, InstructorIdx, Pin, RoomIdx};

/// Per-slot hard blocks and soft penalties of every entity.
pub struct Calendars {
    pub instructor_blocked: Vec<Vec<bool>>,
    pub room_blocked: Vec<Vec<bool>>,
    pub instructor_penalty: Vec<Vec<f64>>,
    pub room_penalty: Vec<Vec<f64>>,
    /// Course and cohort rows folded per course: block and penalty.
    pub course_blocked: Vec<Vec<bool>>,
    pub course_penalty: Vec<Vec<f64>>,
}

impl Calendars {
    pub fn new(inst: &Instance) -> Self {
        let n = inst.calendar.num_slots();
        let mut cal = Calendars {
            instructor_blocked: vec![vec![false; n]; inst.instructors.len()],
            room_blocked: vec![vec![false; n]; inst.rooms.len()],
            instructor_penalty: vec![vec![0.0; n]; inst.instructors.len()],
            room_penalty: vec![vec![0.0; n]; inst.rooms.len()],
            course_blocked: vec![vec![false; n]; inst.courses.len()],
            course_penalty: vec![vec![0.0; n]; inst.courses.len()],
        };
        let mut cohort_blocked = vec![vec![false; n]; inst.cohorts.len()];
        let mut cohort_penalty = vec![vec![0.0; n]; inst.cohorts.len()];
        for a in &inst.availability {
            let (blocked, penalty) = match a.target {
                AvailabilityTarget::Instructor(i) => (&mut cal.instructor_blocked[i.0], &mut cal.instructor_penalty[i.0]),
                AvailabilityTarget::Room(r) => (&mut cal.room_blocked[r.0], &mut cal.room_penalty[r.0]),
                AvailabilityTarget::Course(c) => (&mut cal.course_blocked[c.0], &mut cal.course_penalty[c.0]),
                AvailabilityTarget::Cohort(k) => (&mut cohort_blocked[k.0], &mut cohort_penalty[k.0]),
            };
            for d in a.first_day.0..=a.last_day.0 {
                for t in inst.calendar.day_slots(crate::model::DayIdx(d)) {
                    if a.covers(inst.calendar.slot(t)) {
                        match a.weight {
                            None => blocked[t] = true,
                            Some(w) => penalty[t] += w,
                        }
                    }
                }
            }
        }
        for (c, course) in inst.courses.iter().enumerate() {
            for k in &course.cohorts {
                for t in 0..n {
                    cal.course_blocked[c][t] |= cohort_blocked[k.0][t];
                    cal.course_penalty[c][t] += cohort_penalty[k.0][t];
                }
            }
        }
        cal
    }
}

/// The choices open to each course.
pub struct Candidates {
    /// Slots (flat indices, ascending) where a session may go.
    pub slots: Vec<Vec<usize>>,
    /// Instructors who may teach it; one when fixed (by the instance, a pin,
    /// or because only one is qualified).
    pub instructors: Vec<Vec<InstructorIdx>>,
    /// Rooms with the features (and, when capacity is hard, the seats).
    pub rooms: Vec<Vec<RoomIdx>>,
    /// Pins by course, keyed by slot.
    pub pins: Vec<BTreeMap<usize, Pin>>,
    pub students: Vec<u32>,
    /// Sessions to place per course: the course's count, or 0 for a course
    /// a neighbourhood leaves out (see `lns`).
    pub sessions: Vec<u32>,
    /// Cost per session left unplaced, per course; 0 when every session
    /// must be placed (always, except for courses a repair tries to fit).
    pub missing_cost: Vec<f64>,
    /// Pins no valid timetable can honour: on a period their course,
    /// cohorts, every instructor or every room is blocked, outside the
    /// course's window, or naming a room or instructor the course may not
    /// use there.
    pub blocked_pins: Vec<(usize, usize)>,
    /// In minimal-perturbation mode, the plan to stay close to.
    pub baseline: Option<BaselinePlan>,
}

/// A baseline timetable indexed for the model: per course, its slots with
/// room and instructor. A baseline session whose room or instructor cell
/// was empty keeps its time, with no room or instructor to keep.
#[derive(Clone)]
pub struct BaselinePlan {
    pub weight: f64,
    pub at: Vec<BTreeMap<usize, Kept>>,
}

/// The room and instructor a baseline session had, when its cells held one.
pub type Kept = (Option<RoomIdx>, Option<InstructorIdx>);

impl BaselinePlan {
    pub fn new(inst: &Instance, timetable: &crate::model::Timetable, weight: f64) -> Self {
        let mut at = vec![BTreeMap::new(); inst.courses.len()];
        let full = timetable.placements.iter().map(|p| (p.course, p.slot, Some(p.room), Some(p.instructor)));
        let undecided = timetable.undecided.iter().map(|p| (p.course, p.slot, p.room, p.instructor));
        for (course, slot, room, instructor) in full.chain(undecided) {
            if course.0 < at.len() && inst.calendar.has_slot(slot) {
                at[course.0].insert(inst.calendar.slot_index(slot), (room, instructor));
            }
        }
        BaselinePlan { weight, at }
    }

    /// The instructor the baseline gave a course (its most frequent one).
    pub fn instructor(&self, c: usize) -> Option<InstructorIdx> {
        let mut counts: BTreeMap<InstructorIdx, usize> = BTreeMap::new();
        for i in self.at[c].values().filter_map(|&(_, i)| i) {
            *counts.entry(i).or_default() += 1;
        }
        counts.into_iter().max_by_key(|&(i, n)| (n, std::cmp::Reverse(i))).map(|(i, _)| i)
    }

    /// Weighted cost of a room choice for a session at a baseline slot.
    pub fn room_change(&self, c: usize, t: usize, r: RoomIdx) -> f64 {
        match self.at[c].get(&t) {
            Some(&(Some(room), _)) if room != r => self.weight,
            _ => 0.0,
        }
    }
}

impl Candidates {
    pub fn new(inst: &Instance, cal: &Calendars) -> Self {
        let n_courses = inst.courses.len();
        let mut pins = vec![BTreeMap::new(); n_courses];
        for p in &inst.pins {
            pins[p.course.0].insert(inst.calendar.slot_index(p.slot), p.clone());
        }
        let students: Vec<u32> = (0..n_courses).map(|c| inst.students(CourseIdx(c))).collect();
        let sessions = inst.courses.iter().map(|c| c.sessions).collect();
        let mut out = Candidates {
            slots: Vec::new(),
            instructors: Vec::new(),
            rooms: Vec::new(),
            pins,
            students,
            sessions,
            missing_cost: vec![0.0; n_courses],
            blocked_pins: Vec::new(),
            baseline: None,
        };
        for c in 0..n_courses {
            let course = CourseIdx(c);
            let pinned_instructor = out.pins[c].values().find_map(|p| p.instructor);
            let instructors = match pinned_instructor {
                Some(i) => vec![i],
                None => inst.eligible_instructors(course),
            };
            let rooms: Vec<RoomIdx> = (0..inst.rooms.len())
                .map(RoomIdx)
                .filter(|&r| inst.room_has_features(course, r))
                .filter(|&r| inst.weights.room_capacity.is_some() || inst.rooms[r.0].capacity >= out.students[c])
                .collect();
            let eligible = inst.eligible_instructors(course);
            // A pin names a room or an instructor the course may not use
            // there (too few seats with capacity hard, a missing feature, a
            // blocked room, an unqualified lecturer): honouring it would
            // break a hard rule, so it counts as a pin that cannot hold.
            let pin_breaks_rule = |t: usize| {
                out.pins[c].get(&t).is_some_and(|p| {
                    p.room.is_some_and(|r| !rooms.contains(&r) || cal.room_blocked[r.0][t])
                        || p.instructor.is_some_and(|i| !eligible.contains(&i))
                })
            };
            let mut slots = Vec::new();
            let mut unusable = Vec::new();
            if let Some((first, last)) = inst.course_window(course) {
                for d in first.0..=last.0 {
                    for t in inst.calendar.day_slots(crate::model::DayIdx(d)) {
                        let blocked = cal.course_blocked[c][t]
                            || instructors.iter().all(|i| cal.instructor_blocked[i.0][t])
                            || rooms.iter().all(|r| cal.room_blocked[r.0][t]);
                        if !blocked || out.pins[c].contains_key(&t) {
                            slots.push(t);
                        }
                        if out.pins[c].contains_key(&t) && (blocked || pin_breaks_rule(t)) {
                            unusable.push((c, t));
                        }
                    }
                }
            }
            // A pin outside the course's window (the days all its cohorts
            // attend) cannot hold either.
            for &t in out.pins[c].keys() {
                if !slots.contains(&t) {
                    slots.push(t);
                    unusable.push((c, t));
                }
            }
            out.blocked_pins.extend(unusable);
            slots.sort_unstable();
            out.slots.push(slots);
            out.instructors.push(instructors);
            out.rooms.push(rooms);
        }
        out
    }

    /// Rooms a session of `c` at slot `t` may use, given the hard room blocks.
    pub fn rooms_at(&self, c: usize, t: usize, cal: &Calendars) -> Vec<RoomIdx> {
        if let Some(r) = self.pins[c].get(&t).and_then(|p| p.room) {
            return vec![r];
        }
        self.rooms[c].iter().copied().filter(|r| !cal.room_blocked[r.0][t]).collect()
    }
}
