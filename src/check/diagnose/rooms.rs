//! Rooms: courses that no room suits, and rooms of one need against the
//! sessions of the courses that need them.

use std::collections::{BTreeMap, BTreeSet};

use super::facts::Facts;
use super::finding::{listed, proof, Finding, FindingKind};
use crate::check::index::{join_and, plural};
use crate::model::{AvailabilityTarget as Target, CourseIdx, RoomIdx};

/// Rooms of one need (features, and seats of at least `level`) against
/// the sessions of the courses that need them.
struct Shortage {
    level: u32,
    needing: Vec<CourseIdx>,
    fitting: Vec<RoomIdx>,
    demand: usize,
    supply: usize,
}

/// A reported room shortage: the rooms (sorted), by how much, and for
/// which courses; later room and clique checks skip what it says.
pub(super) struct RoomReport {
    pub(super) rooms: Vec<usize>,
    pub(super) deficit: usize,
    pub(super) courses: BTreeSet<CourseIdx>,
}

impl RoomReport {
    /// Whether `other` says nothing new: its rooms contain these and it is
    /// short by no more.
    pub(super) fn implies(&self, other: &RoomReport) -> bool {
        self.deficit >= other.deficit && self.rooms.iter().all(|r| other.rooms.binary_search(r).is_ok())
    }
}

impl Facts<'_> {
    /// Courses for which no room qualifies: freeing periods cannot help,
    /// only a new room (or a smaller need) can. Courses missing the same
    /// features share one finding; a course too large for every room with
    /// its features gets its own, with its numbers.
    pub(super) fn no_suitable_room(&self, out: &mut Vec<Finding>) {
        let mut by_features: BTreeMap<&BTreeSet<String>, Vec<CourseIdx>> = BTreeMap::new();
        for (c, course) in self.inst.courses.iter().enumerate() {
            let idx = CourseIdx(c);
            if course.sessions == 0 || !self.rooms_for(idx).is_empty() {
                continue;
            }
            let with: Vec<RoomIdx> = (0..self.inst.rooms.len()).map(RoomIdx).filter(|&r| self.inst.room_has_features(idx, r)).collect();
            let Some(&largest) = with.iter().max_by_key(|r| (self.inst.rooms[r.0].capacity, std::cmp::Reverse(r.0))) else {
                by_features.entry(&course.room_features).or_default().push(idx);
                continue;
            };
            let features = &course.room_features;
            let such = if features.is_empty() { String::new() } else { format!(" with {}", self.feature_list(features)) };
            let students = self.inst.students(idx);
            let room = &self.inst.rooms[largest.0];
            out.push(proof(
                FindingKind::NoSuitableRoom,
                1,
                format!(
                    "Course {} has {students} students and room capacity is hard, but the largest room{such} ({}) seats {}; \
                     add a room{such} seating {students}, split the course or make room_capacity a weight.",
                    course.id, room.id, room.capacity
                ),
            ));
        }
        for (features, courses) in by_features {
            let features = self.feature_list(features);
            let (these, their) = if courses.len() == 1 { ("Course", "its") } else { ("Courses", "their") };
            out.push(proof(
                FindingKind::NoSuitableRoom,
                courses.len(),
                format!(
                    "{these} {} {} a room with {features}, but no room has {features}; add a room with {features} \
                     or drop {features} from {their} room_features.",
                    self.course_ids(&courses),
                    if courses.len() == 1 { "needs" } else { "need" },
                ),
            ));
        }
    }

    fn feature_list(&self, features: &BTreeSet<String>) -> String {
        join_and(&features.iter().cloned().collect::<Vec<_>>())
    }

    /// For each room-need (a course's feature set, and with capacity hard
    /// each attendance level): sessions of courses with that need or a
    /// stricter one, against the periods in which rooms meeting it are
    /// free and one of those courses can be held. One finding per feature
    /// set: its largest shortfall, at the fewest rooms for ties. Courses
    /// no room suits are no_suitable_room's and left out.
    /// Returns what it reported. Of two feature sets short over the same
    /// rooms, the stricter need is named (it says more), and a set of
    /// rooms containing a named one and short by no more is left out.
    pub(super) fn room_shortage(&self, out: &mut Vec<Finding>) -> Vec<RoomReport> {
        let hard_capacity = self.inst.weights.room_capacity.is_none();
        let roomed: Vec<CourseIdx> = (0..self.inst.courses.len()).map(CourseIdx).filter(|&c| !self.rooms_for(c).is_empty()).collect();
        let mut feature_sets: BTreeSet<&BTreeSet<String>> = roomed.iter().map(|c| &self.inst.courses[c.0].room_features).collect();
        // The empty need stands for "any room at all".
        let any = BTreeSet::new();
        feature_sets.insert(&any);
        let room_free: Vec<Vec<bool>> = (0..self.inst.rooms.len())
            .map(|r| (0..self.num_slots()).map(|s| !self.blocks.blocked(Target::Room(RoomIdx(r)), s)).collect())
            .collect();
        let mut shortages: Vec<(&BTreeSet<String>, Shortage)> = Vec::new();
        for features in feature_sets {
            let courses: Vec<CourseIdx> =
                roomed.iter().copied().filter(|&c| features.is_subset(&self.inst.courses[c.0].room_features)).collect();
            let rooms: Vec<RoomIdx> =
                (0..self.inst.rooms.len()).map(RoomIdx).filter(|&r| features.is_subset(&self.inst.rooms[r.0].features)).collect();
            if let Some(worst) = self.worst_level(&courses, &rooms, &room_free, hard_capacity) {
                shortages.push((features, worst));
            }
        }
        shortages.sort_by_key(|(features, s)| (s.fitting.len(), std::cmp::Reverse(features.len())));
        let mut reported: Vec<RoomReport> = Vec::new();
        for (features, shortage) in shortages {
            let report = RoomReport {
                rooms: shortage.fitting.iter().map(|r| r.0).collect(),
                deficit: shortage.demand - shortage.supply,
                courses: shortage.needing.iter().copied().collect(),
            };
            if !reported.iter().any(|r| r.implies(&report)) {
                out.push(self.shortage_finding(features, shortage));
                reported.push(report);
            }
        }
        reported
    }

    /// Demand and supply at every attendance level at once: courses by
    /// students and rooms by seats, largest first, summed as the level
    /// drops. A room counts the periods it is free in which one of the
    /// courses so far can be held. Levels where only time is short are
    /// left to the cohort, instructor and course findings.
    fn worst_level(&self, courses: &[CourseIdx], rooms: &[RoomIdx], room_free: &[Vec<bool>], hard_capacity: bool) -> Option<Shortage> {
        let mut levels: BTreeSet<u32> = BTreeSet::from([0]);
        if hard_capacity {
            levels.extend(courses.iter().map(|&c| self.inst.students(c)));
        }
        let mut by_students: Vec<(u32, CourseIdx)> = courses.iter().map(|&c| (self.inst.students(c), c)).collect();
        by_students.sort_unstable_by(|a, b| b.cmp(a));
        let mut by_seats: Vec<(u32, RoomIdx)> = rooms.iter().map(|&r| (self.inst.rooms[r.0].capacity, r)).collect();
        by_seats.sort_unstable_by(|a, b| b.cmp(a));
        let mut open = vec![false; self.num_slots()];
        let (mut demand, mut next_course, mut next_room) = (0, 0, 0);
        // What all the courses so far share (see only_time_short).
        let mut common: Option<BTreeSet<(u8, usize)>> = None;
        // (level, demand, supply, rooms), highest level first; a lower level
        // wins with a larger shortfall, or an equal one over the same rooms
        // (the plainer need): ties name the fewest rooms.
        let mut worst: Option<(u32, usize, usize, usize)> = None;
        for &level in levels.iter().rev() {
            while next_course < by_students.len() && by_students[next_course].0 >= level {
                let c = by_students[next_course].1;
                demand += self.inst.courses[c.0].sessions as usize;
                for (o, &t) in open.iter_mut().zip(&self.timed[c.0]) {
                    *o |= t;
                }
                let mine = self.sharers(c);
                common.get_or_insert_with(|| mine.clone()).retain(|x| mine.contains(x));
                next_course += 1;
            }
            while next_room < by_seats.len() && by_seats[next_room].0 >= level {
                next_room += 1;
            }
            if demand == 0 {
                continue;
            }
            let supply: usize =
                by_seats[..next_room].iter().map(|&(_, r)| room_free[r.0].iter().zip(&open).filter(|&(&f, &o)| f && o).count()).sum();
            let wins = |(_, d, s, n): (u32, usize, usize, usize)| demand - supply > d - s || (demand - supply == d - s && next_room == n);
            // One course, or courses that never meet at once with rooms for
            // every period they can use: time is short, not rooms.
            let exclusive = common.as_ref().is_some_and(|c| !c.is_empty());
            let echo = next_course == 1 || (exclusive && supply >= open.iter().filter(|&&o| o).count());
            if demand > supply && !echo && worst.is_none_or(wins) {
                worst = Some((level, demand, supply, next_room));
            }
        }
        worst.map(|(level, demand, supply, _)| Shortage {
            level,
            needing: courses.iter().copied().filter(|&c| self.inst.students(c) >= level).collect(),
            fitting: rooms.iter().copied().filter(|&r| self.inst.rooms[r.0].capacity >= level).collect(),
            demand,
            supply,
        })
    }

    fn shortage_finding(&self, features: &BTreeSet<String>, shortage: Shortage) -> Finding {
        let Shortage { level, needing, fitting, demand, supply } = shortage;
        let mut need = Vec::new();
        if !features.is_empty() {
            need.push(format!("with {}", self.feature_list(features)));
        }
        if level > 0 {
            need.push(format!("seating at least {level}"));
        }
        let need = if need.is_empty() { String::new() } else { format!(" {}", need.join(" and ")) };
        let n = fitting.len();
        proof(
            FindingKind::RoomShortage,
            needing.len(),
            format!(
                "Courses {} need rooms{need} for {}, but the {} ({}) {} only {} when those courses can be held; \
                 add such rooms or free {}.",
                self.course_ids(&needing),
                plural(demand, "session"),
                if n == 1 { "1 such room".to_string() } else { format!("{n} such rooms") },
                listed(fitting.iter().map(|&r| self.names.room(r))),
                if n == 1 { "has" } else { "have" },
                plural(supply, "free period"),
                plural(demand - supply, "more room period"),
            ),
        )
    }
}
