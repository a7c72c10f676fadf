//! Rooms short as a set: courses that can only use the rooms of a set
//! need more sessions than those rooms have periods for them. This finds
//! what one need at a time cannot: courses of different needs crowding
//! the rooms they can use between them.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::facts::Facts;
use super::finding::{listed, proof, Finding, FindingKind};
use super::hall::{classes, short_sets, Class, Short};
use super::rooms::RoomReport;
use crate::check::index::plural;
use crate::model::{AvailabilityTarget as Target, CourseIdx, RoomIdx};

impl Facts<'_> {
    /// Sets of rooms (each course's suitable rooms, grown through rooms
    /// courses share) short of periods for the courses that can use only
    /// them. `reported` holds room_shortage's reports, and gets these: a
    /// set containing a reported one and short by no more says nothing new.
    pub(super) fn room_set_shortage(&self, reported: &mut Vec<RoomReport>, out: &mut Vec<Finding>) {
        // Courses short of open periods are reported on their own.
        let placeable =
            (0..self.inst.courses.len()).map(CourseIdx).filter(|&c| self.usable_count(c) >= self.inst.courses[c.0].sessions as usize);
        let classes =
            classes(placeable.map(|c| (c, self.rooms_for(c).into_iter().map(|r| r.0).collect(), self.inst.courses[c.0].sessions as usize)));
        // Per class, the periods in which one of its courses can be held.
        let open: Vec<Vec<bool>> =
            classes.iter().map(|class| (0..self.num_slots()).map(|s| class.courses.iter().any(|c| self.timed[c.0][s])).collect()).collect();
        // A room's periods depend only on which of its classes are in.
        let known: RefCell<BTreeMap<(usize, Vec<usize>), usize>> = RefCell::new(BTreeMap::new());
        let supply = |set: &[usize], inside: &[usize]| {
            set.iter()
                .map(|&r| {
                    let key = (r, inside.iter().copied().filter(|&n| classes[n].eligible.binary_search(&r).is_ok()).collect::<Vec<_>>());
                    if let Some(&periods) = known.borrow().get(&key) {
                        return periods;
                    }
                    let periods = self.room_periods(RoomIdx(r), &open, &key.1);
                    known.borrow_mut().insert(key, periods);
                    periods
                })
                .sum()
        };
        for short in short_sets(&classes, supply) {
            let courses: Vec<CourseIdx> = short.classes.iter().flat_map(|&n| classes[n].courses.iter().copied()).collect();
            let report =
                RoomReport { rooms: short.set.clone(), deficit: short.demand - short.supply, courses: courses.iter().copied().collect() };
            if !reported.iter().any(|r| r.implies(&report)) && !self.only_time_short(&courses, short.supply) {
                out.push(self.room_set_finding(&short, &classes));
                reported.push(report);
            }
        }
    }

    /// Periods in which room `r` is free and a course of `mine` can be held.
    fn room_periods(&self, r: RoomIdx, open: &[Vec<bool>], mine: &[usize]) -> usize {
        (0..self.num_slots()).filter(|&s| !self.blocks.blocked(Target::Room(r), s) && mine.iter().any(|&n| open[n][s])).count()
    }

    fn room_set_finding(&self, short: &Short, classes: &[Class]) -> Finding {
        let mut courses: Vec<CourseIdx> = short.classes.iter().flat_map(|&n| classes[n].courses.iter().copied()).collect();
        courses.sort_unstable();
        let rooms = listed(short.set.iter().map(|&r| self.names.room(RoomIdx(r))));
        let why = if self.inst.weights.room_capacity.is_none() { "by their features and seats" } else { "by their features" };
        proof(
            FindingKind::RoomShortage,
            courses.len(),
            format!(
                "Courses {} can use only rooms {rooms} ({why}) and need them for {}, but those rooms have only {} when \
                 those courses can be held; add a room they can use or free {}.",
                self.course_ids(&courses),
                plural(short.demand, "session"),
                plural(short.supply, "free period"),
                plural(short.demand - short.supply, "more room period"),
            ),
        )
    }
}
