//! Rooms of one need against the sessions of the courses that need them.

use std::collections::BTreeSet;

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

impl Facts<'_> {
    /// For each room-need (a course's feature set, and with capacity hard
    /// each attendance level): sessions of courses with that need or a
    /// stricter one, against the free periods of rooms meeting it. One
    /// finding per feature set, at its worst level.
    pub(super) fn room_shortage(&self, out: &mut Vec<Finding>) {
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
                needing.len(),
                format!(
                    "Courses {} need rooms{need} for {}, but {rooms_text}; add such rooms or free {}.",
                    self.course_ids(&needing),
                    plural(demand, "session"),
                    plural(demand - supply, "more room period"),
                ),
            ));
        }
    }
}
