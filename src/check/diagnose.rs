//! Reasons an instance cannot be solved, found before any solve.
//!
//! Each check compares a demand with a supply that every timetable obeying
//! docs/rules.md must respect, so a finding is a proof of infeasibility,
//! never a guess: a feasible instance yields no finding at all. Supplies
//! count slots (flat periods) a course or person can actually use: the
//! cohorts' windows minus hard availability rows, and only periods where
//! a suitable room is free. Messages give the numbers to relax.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::conflict::{ConflictGraph, ConflictReason};
use super::index::{distinct_cohorts, join_and, plural, HardBlocks, Names};
use super::rules::window_text;
use crate::model::{AvailabilityTarget as Target, CohortIdx, CourseIdx, DayIdx, Instance, InstructorIdx, RoomIdx, Slot};

/// What kind of shortage a finding proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A cohort's courses need more sessions than its free periods.
    CohortOverload,
    /// A course needs more sessions than the periods open to it.
    CourseOverload,
    /// A fixed instructor's courses need more sessions than the periods in
    /// which the instructor is free and the courses can be placed.
    InstructorOverload,
    /// A fixed instructor's courses need more than `max_sessions`.
    InstructorMaxSessions,
    /// A fixed instructor's courses need more than `max_per_day` allows
    /// over the days open to them.
    InstructorMaxPerDay,
    /// Courses need more sessions in rooms with some features (and, with
    /// capacity hard, some size) than those rooms have free periods.
    RoomShortage,
    /// Courses that pairwise can never share a period need more sessions
    /// than the periods open to any of them.
    CliqueOverload,
    /// No instructor can take a course whose instructor is not fixed.
    NoEligibleInstructor,
    /// A pin cannot be honoured, alone or together with other pins.
    PinConflict,
}

impl FindingKind {
    /// The snake_case name, as serialized.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::CohortOverload => "cohort_overload",
            FindingKind::CourseOverload => "course_overload",
            FindingKind::InstructorOverload => "instructor_overload",
            FindingKind::InstructorMaxSessions => "instructor_max_sessions",
            FindingKind::InstructorMaxPerDay => "instructor_max_per_day",
            FindingKind::RoomShortage => "room_shortage",
            FindingKind::CliqueOverload => "clique_overload",
            FindingKind::NoEligibleInstructor => "no_eligible_instructor",
            FindingKind::PinConflict => "pin_conflict",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One reason the instance cannot be solved, and what to relax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    #[serde(rename = "type")]
    pub kind: FindingKind,
    pub message: String,
    /// True when the finding alone proves that no timetable exists.
    pub proves_infeasible: bool,
}

/// Looks for reasons the instance cannot be solved; empty when none of the
/// necessary conditions is violated (which does not prove it solvable).
/// Findings come sorted by kind, in instance order within a kind.
pub fn diagnose(instance: &Instance) -> Vec<Finding> {
    let diag = Diag::new(instance);
    let mut findings = Vec::new();
    let overloaded_cohorts = diag.cohort_overload(&mut findings);
    diag.course_overload(&mut findings);
    let overloaded_instructors = diag.instructor_overload(&mut findings);
    diag.room_shortage(&mut findings);
    diag.clique_overload(&overloaded_cohorts, &overloaded_instructors, &mut findings);
    diag.no_eligible_instructor(&mut findings);
    diag.pin_conflict(&mut findings);
    findings.sort_by_key(|f| f.kind);
    findings
}

impl std::fmt::Display for Finding {
    /// `cohort_overload: Cohort K1 must attend ...`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

fn proof(kind: FindingKind, message: String) -> Finding {
    Finding { kind, message, proves_infeasible: true }
}

/// At most six ids, then how many more, so a message stays one sentence.
fn listed(ids: impl IntoIterator<Item = String>) -> String {
    const SHOWN: usize = 6;
    let ids: Vec<String> = ids.into_iter().collect();
    if ids.len() <= SHOWN {
        return join_and(&ids);
    }
    format!("{} and {} more", ids[..SHOWN].join(", "), ids.len() - SHOWN)
}

/// Rooms of one need (features, and seats of at least `level`) against
/// the sessions of the courses that need them.
struct Shortage {
    level: u32,
    needing: Vec<CourseIdx>,
    fitting: Vec<RoomIdx>,
    demand: usize,
    supply: usize,
}

/// What the checks share: hard blocks per slot and, per course, the slots
/// it can use at all.
struct Diag<'a> {
    inst: &'a Instance,
    names: Names<'a>,
    blocks: HardBlocks,
    /// The instructor every session of a course must have: its fixed one,
    /// else the one all its instructor-naming pins agree on.
    forced: Vec<Option<InstructorIdx>>,
    /// Per instructor, the courses forced on them, in index order.
    forced_on: Vec<Vec<CourseIdx>>,
    /// Per course, per flat slot: inside its window, not blocked for the
    /// course, its cohorts or its forced instructor, and some room it may
    /// use is free.
    usable: Vec<Vec<bool>>,
}

impl<'a> Diag<'a> {
    fn new(inst: &'a Instance) -> Self {
        let blocks = HardBlocks::new(inst);
        let forced = forced_instructors(inst);
        let mut forced_on = vec![Vec::new(); inst.instructors.len()];
        for (c, i) in forced.iter().enumerate() {
            if let Some(courses) = i.and_then(|i| forced_on.get_mut(i.0)) {
                courses.push(CourseIdx(c));
            }
        }
        let mut diag = Diag { inst, names: Names(inst), blocks, forced, forced_on, usable: Vec::new() };
        // Courses with the same room needs share one room-free table.
        let mut room_free: BTreeMap<(BTreeSet<String>, u32), Vec<bool>> = BTreeMap::new();
        diag.usable = (0..inst.courses.len())
            .map(|c| {
                let c = CourseIdx(c);
                let free = room_free.entry(diag.room_key(c)).or_insert_with(|| diag.room_free(c));
                diag.time_open(c).into_iter().zip(free.iter()).map(|(t, &r)| t && r).collect()
            })
            .collect();
        diag
    }

    fn num_slots(&self) -> usize {
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
    fn rooms_for(&self, c: CourseIdx) -> Vec<RoomIdx> {
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
    fn time_open(&self, c: CourseIdx) -> Vec<bool> {
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

    fn usable_count(&self, c: CourseIdx) -> usize {
        self.usable[c.0].iter().filter(|&&u| u).count()
    }

    /// Courses whose every session the instructor must teach.
    fn forced_courses(&self, i: InstructorIdx) -> &[CourseIdx] {
        self.forced_on.get(i.0).map_or(&[], Vec::as_slice)
    }

    fn sessions(&self, courses: &[CourseIdx]) -> usize {
        courses.iter().map(|c| self.inst.courses[c.0].sessions as usize).sum()
    }

    fn course_ids(&self, courses: &[CourseIdx]) -> String {
        listed(courses.iter().map(|&c| self.names.course(c)))
    }

    /// A cohort's courses need more sessions than the periods of its window
    /// without hard cohort unavailability. Returns the overloaded cohorts.
    fn cohort_overload(&self, out: &mut Vec<Finding>) -> BTreeSet<CohortIdx> {
        let calendar = &self.inst.calendar;
        let mut overloaded = BTreeSet::new();
        for (k, courses) in self.inst.courses_of_cohort().into_iter().enumerate() {
            let mut courses = courses;
            courses.dedup();
            let cohort = &self.inst.cohorts[k];
            let demand = self.sessions(&courses);
            let first = cohort.first_day.map_or(0, |d| d.0);
            let last = cohort.last_day.map_or(calendar.num_days(), |d| d.0 + 1).min(calendar.num_days());
            let in_window: Vec<usize> = (first..last).flat_map(|d| calendar.day_slots(DayIdx(d))).collect();
            let free = in_window.iter().filter(|&&s| !self.blocks.blocked(Target::Cohort(CohortIdx(k)), s)).count();
            if demand > free {
                overloaded.insert(CohortIdx(k));
                let blocked = in_window.len() - free;
                let blocked_text = if blocked > 0 {
                    format!(" ({} of its {} marked unavailable)", blocked, plural(in_window.len(), "period"))
                } else {
                    String::new()
                };
                out.push(proof(
                    FindingKind::CohortOverload,
                    format!(
                        "Cohort {} must attend {} ({}), but has only {} in its window {}{}; \
                         cut {} or widen the window.",
                        cohort.id,
                        plural(demand, "session"),
                        self.course_ids(&courses),
                        plural(free, "free period"),
                        window_text(self.names, cohort.first_day, cohort.last_day),
                        blocked_text,
                        plural(demand - free, "session"),
                    ),
                ));
            }
        }
        overloaded
    }

    /// A course needs more sessions than the periods open to it.
    fn course_overload(&self, out: &mut Vec<Finding>) {
        for (c, course) in self.inst.courses.iter().enumerate() {
            let idx = CourseIdx(c);
            let demand = course.sessions as usize;
            let open = self.usable_count(idx);
            if demand <= open {
                continue;
            }
            let Some((first, last)) = self.inst.course_window(idx) else {
                let windows: Vec<String> = distinct_cohorts(self.inst, idx)
                    .iter()
                    .map(|&k| {
                        let cohort = &self.inst.cohorts[k.0];
                        format!("{} {}", cohort.id, window_text(self.names, cohort.first_day, cohort.last_day))
                    })
                    .collect();
                out.push(proof(
                    FindingKind::CourseOverload,
                    format!(
                        "Course {} needs {}, but its cohorts' windows share no day ({}).",
                        course.id,
                        plural(demand, "session"),
                        join_and(&windows)
                    ),
                ));
                continue;
            };
            let calendar = &self.inst.calendar;
            let window = calendar.day_slots(first).start..calendar.day_slots(last).end;
            let time_open = self.time_open(idx).iter().filter(|&&t| t).count();
            let mut causes = Vec::new();
            if window.len() > time_open {
                let mut whose = vec!["the course".to_string()];
                whose.extend(distinct_cohorts(self.inst, idx).iter().map(|&k| format!("cohort {}", self.names.cohort(k))));
                if let Some(i) = self.forced[c] {
                    whose.push(format!("instructor {}", self.names.instructor(i)));
                }
                causes.push(format!("{} blocked by unavailability of {}", window.len() - time_open, whose.join(" or ")));
            }
            if time_open > open {
                causes.push(format!("{} with no suitable room free", time_open - open));
            }
            let causes = if causes.is_empty() { String::new() } else { format!("; {}", causes.join(", ")) };
            out.push(proof(
                FindingKind::CourseOverload,
                format!(
                    "Course {} needs {}, but only {} open to it: its window {} has {}{}.",
                    course.id,
                    plural(demand, "session"),
                    if open == 1 { "1 period is".to_string() } else { format!("{open} periods are") },
                    window_text(self.names, Some(first), Some(last)),
                    plural(window.len(), "period"),
                    causes
                ),
            ));
        }
    }

    /// For each instructor forced on courses: their sessions against the
    /// periods both free for the instructor and open to those courses,
    /// against max_sessions, and against max_per_day over those days.
    /// Returns the overloaded instructors.
    fn instructor_overload(&self, out: &mut Vec<Finding>) -> BTreeSet<InstructorIdx> {
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
                if demand > most {
                    overloaded.insert(idx);
                    out.push(proof(
                        FindingKind::InstructorMaxPerDay,
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

    /// For each room-need (a course's feature set, and with capacity hard
    /// each attendance level): sessions of courses with that need or a
    /// stricter one, against the free periods of rooms meeting it. One
    /// finding per feature set, at its worst level.
    fn room_shortage(&self, out: &mut Vec<Finding>) {
        let hard_capacity = self.inst.weights.room_capacity.is_none();
        let mut feature_sets: BTreeSet<BTreeSet<String>> = self.inst.courses.iter().map(|c| c.room_features.clone()).collect();
        // The empty need stands for "any room at all".
        feature_sets.insert(BTreeSet::new());
        let room_free: Vec<usize> = (0..self.inst.rooms.len())
            .map(|r| (0..self.num_slots()).filter(|&s| !self.blocks.blocked(Target::Room(RoomIdx(r)), s)).count())
            .collect();
        for features in feature_sets {
            let courses: Vec<CourseIdx> = (0..self.inst.courses.len())
                .map(CourseIdx)
                .filter(|&c| features.is_subset(&self.inst.courses[c.0].room_features))
                .collect();
            let rooms: Vec<RoomIdx> =
                (0..self.inst.rooms.len()).map(RoomIdx).filter(|&r| features.is_subset(&self.inst.rooms[r.0].features)).collect();
            let mut levels: BTreeSet<u32> = BTreeSet::from([0]);
            if hard_capacity {
                levels.extend(courses.iter().map(|&c| self.inst.students(c)));
            }
            // Demand and supply at every level at once: courses by students
            // and rooms by seats, largest first, summed as the level drops.
            let mut by_students: Vec<(u32, usize)> =
                courses.iter().map(|&c| (self.inst.students(c), self.inst.courses[c.0].sessions as usize)).collect();
            by_students.sort_unstable_by(|a, b| b.cmp(a));
            let mut by_seats: Vec<(u32, usize)> = rooms.iter().map(|&r| (self.inst.rooms[r.0].capacity, room_free[r.0])).collect();
            by_seats.sort_unstable_by(|a, b| b.cmp(a));
            let (mut demand, mut supply, mut next_course, mut next_room) = (0, 0, 0, 0);
            // Deficits by level, highest level first; the largest wins and
            // ties keep the lowest level.
            let mut worst: Option<(u32, usize, usize)> = None;
            for &level in levels.iter().rev() {
                while next_course < by_students.len() && by_students[next_course].0 >= level {
                    demand += by_students[next_course].1;
                    next_course += 1;
                }
                while next_room < by_seats.len() && by_seats[next_room].0 >= level {
                    supply += by_seats[next_room].1;
                    next_room += 1;
                }
                if demand > supply && worst.is_none_or(|(_, d, s)| demand - supply >= d - s) {
                    worst = Some((level, demand, supply));
                }
            }
            let worst = worst.map(|(level, demand, supply)| Shortage {
                level,
                needing: courses.iter().copied().filter(|&c| self.inst.students(c) >= level).collect(),
                fitting: rooms.iter().copied().filter(|&r| self.inst.rooms[r.0].capacity >= level).collect(),
                demand,
                supply,
            });
            let Some(Shortage { level, needing, fitting, demand, supply }) = worst else { continue };
            let mut need = Vec::new();
            if !features.is_empty() {
                need.push(format!("with {}", join_and(&features.iter().cloned().collect::<Vec<_>>())));
            }
            if level > 0 {
                need.push(format!("seating at least {level}"));
            }
            let need = if need.is_empty() { String::new() } else { format!(" {}", need.join(" and ")) };
            let rooms_text = match fitting.len() {
                0 => "there is no such room".to_string(),
                n => format!(
                    "the {} ({}) {} only {}",
                    if n == 1 { "1 such room".to_string() } else { format!("{n} such rooms") },
                    listed(fitting.iter().map(|&r| self.names.room(r))),
                    if n == 1 { "has" } else { "have" },
                    plural(supply, "free period")
                ),
            };
            out.push(proof(
                FindingKind::RoomShortage,
                format!(
                    "Courses {} need rooms{need} for {}, but {rooms_text}; add such rooms or free {}.",
                    self.course_ids(&needing),
                    plural(demand, "session"),
                    plural(demand - supply, "more room period"),
                ),
            ));
        }
    }

    /// Courses that pairwise can never share a period need more sessions
    /// than the periods open to any of them. Cliques lying inside an
    /// already reported cohort or instructor add nothing and are skipped.
    fn clique_overload(&self, cohorts: &BTreeSet<CohortIdx>, instructors: &BTreeSet<InstructorIdx>, out: &mut Vec<Finding>) {
        let graph = ConflictGraph::new(self.inst);
        for clique in graph.maximal_cliques(2) {
            let demand = self.sessions(&clique);
            let mut open = vec![false; self.num_slots()];
            for c in &clique {
                for (o, &u) in open.iter_mut().zip(&self.usable[c.0]) {
                    *o |= u;
                }
            }
            let open = open.into_iter().filter(|&o| o).count();
            if demand <= open {
                continue;
            }
            let covered = cohorts.iter().any(|k| clique.iter().all(|c| self.inst.courses[c.0].cohorts.contains(k)))
                || instructors.iter().any(|&i| clique.iter().all(|c| self.forced[c.0] == Some(i)));
            if covered {
                continue;
            }
            // What some two courses of the clique share: a cohort or fixed
            // instructor of at least two of them (counted, not paired, so
            // a clique of thousands costs no millions of pairs).
            let mut members: BTreeMap<ConflictReason, usize> = BTreeMap::new();
            for c in &clique {
                let course = &self.inst.courses[c.0];
                let mine: BTreeSet<ConflictReason> = course
                    .cohorts
                    .iter()
                    .map(|&k| ConflictReason::Cohort(k))
                    .chain(course.instructor.map(ConflictReason::Instructor))
                    .collect();
                for reason in mine {
                    *members.entry(reason).or_default() += 1;
                }
            }
            let why: BTreeSet<String> = members
                .into_iter()
                .filter(|&(_, n)| n >= 2)
                .map(|(reason, _)| match reason {
                    ConflictReason::Cohort(k) => format!("cohort {}", self.names.cohort(k)),
                    ConflictReason::Instructor(i) => format!("instructor {}", self.names.instructor(i)),
                })
                .collect();
            out.push(proof(
                FindingKind::CliqueOverload,
                format!(
                    "Courses {} can never share a period (they share {}) and need {} together, \
                     but only {} open to any of them; cut {}.",
                    self.course_ids(&clique),
                    listed(why),
                    plural(demand, "session"),
                    if open == 1 { "1 period is".to_string() } else { format!("{open} periods are") },
                    plural(demand - open, "session"),
                ),
            ));
        }
    }

    /// A course without a forced instructor where every qualified
    /// instructor either lacks max_sessions headroom (after their forced
    /// courses) or is free in too few of the course's open periods (per
    /// max_per_day too).
    fn no_eligible_instructor(&self, out: &mut Vec<Finding>) {
        let calendar = &self.inst.calendar;
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
                let instructor = &self.inst.instructors[i.0];
                if let Some(max) = instructor.max_sessions {
                    let room = (max as usize).saturating_sub(forced_load[i.0]);
                    if room < demand {
                        reasons.push(format!(
                            "{} has room for only {} under max_sessions {max}",
                            instructor.id,
                            plural(room, "more session")
                        ));
                        continue;
                    }
                }
                let free: Vec<bool> =
                    (0..self.num_slots()).map(|s| self.usable[c][s] && !self.blocks.blocked(Target::Instructor(i), s)).collect();
                let free_count = free.iter().filter(|&&f| f).count();
                if free_count < demand {
                    reasons.push(format!("{} is free in only {} of the course's open periods", instructor.id, free_count));
                    continue;
                }
                if let Some(max) = instructor.max_per_day {
                    let most: usize = (0..calendar.num_days())
                        .map(|d| calendar.day_slots(DayIdx(d)).filter(|&s| free[s]).count().min(max as usize))
                        .sum();
                    if most < demand {
                        reasons.push(format!(
                            "{} can teach at most {} there under max_per_day {max}",
                            instructor.id,
                            plural(most, "session")
                        ));
                        continue;
                    }
                }
                // This instructor could take the course.
                reasons.clear();
                break;
            }
            if !reasons.is_empty() {
                out.push(proof(
                    FindingKind::NoEligibleInstructor,
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

    /// Pins that cannot be honoured: at a slot the calendar lacks, outside
    /// the course's window, on hard unavailability, in an unsuitable room,
    /// with an ineligible instructor, more pinned periods than sessions,
    /// or two pins that clash.
    fn pin_conflict(&self, out: &mut Vec<Finding>) {
        let inst = self.inst;
        let calendar = &inst.calendar;
        let mut per_slot: BTreeMap<Slot, Vec<usize>> = BTreeMap::new();
        for (n, pin) in inst.pins.iter().enumerate() {
            let c = pin.course;
            let course = &inst.courses[c.0];
            let at = format!("Pin of course {} on {}", course.id, self.names.slot(pin.slot));
            let mut problems = Vec::new();
            if !calendar.has_slot(pin.slot) {
                out.push(proof(FindingKind::PinConflict, format!("{at}: the calendar has no such period.")));
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
            let instructors: BTreeSet<InstructorIdx> = course.instructor.into_iter().chain(pin.instructor).collect();
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
                out.push(proof(FindingKind::PinConflict, format!("{at} cannot be honoured: {}.", problems.join("; "))));
            }
        }
        self.pins_per_course(out);
        self.pins_clash(&per_slot, out);
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
                    out.push(proof(FindingKind::PinConflict, message));
                }
            }
        }
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
