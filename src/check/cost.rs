//! The soft cost of a timetable, one function per component of
//! docs/rules.md. The solver's objective must equal this to the unit, so
//! every reading here follows that page literally.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::index::{distinct_cohorts, PlacementIndex, SoftRows};
use super::relations;
use crate::model::{AvailabilityTarget, DayIdx, Instance, Timetable};

/// The soft cost by component (already multiplied by its weight), in
/// FORMAT.md's order. Everything that lists components (the JSON, the
/// summary, comparison.csv, the terminal) goes through [`Cost::NAMES`] and
/// [`Cost::components`], so a component is added here alone.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Cost {
    pub room_capacity: f64,
    pub min_days: f64,
    pub compactness: f64,
    pub room_stability: f64,
    pub availability: f64,
    /// Absent from summaries written before version 2: they had none.
    #[serde(default)]
    pub teaching_quota: f64,
    #[serde(default)]
    pub relations: f64,
}

impl Cost {
    /// The component names, in FORMAT.md's order.
    pub const NAMES: [&'static str; 7] =
        ["room_capacity", "min_days", "compactness", "room_stability", "availability", "teaching_quota", "relations"];

    /// The names in a terminal table's narrow columns, in the same order.
    pub const SHORT_NAMES: [&'static str; 7] = ["capacity", "min_days", "compact", "rooms", "avail", "quota", "relations"];

    /// Each component with its name, in [`Cost::NAMES`] order.
    pub fn components(&self) -> [(&'static str, f64); 7] {
        let values = [
            self.room_capacity,
            self.min_days,
            self.compactness,
            self.room_stability,
            self.availability,
            self.teaching_quota,
            self.relations,
        ];
        std::array::from_fn(|i| (Self::NAMES[i], values[i]))
    }

    /// Every component passed through `f` (rounding, signs).
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Cost {
        Cost {
            room_capacity: f(self.room_capacity),
            min_days: f(self.min_days),
            compactness: f(self.compactness),
            room_stability: f(self.room_stability),
            availability: f(self.availability),
            teaching_quota: f(self.teaching_quota),
            relations: f(self.relations),
        }
    }

    /// The components added up in order, so the total is the same
    /// floating-point number wherever it is computed.
    pub fn total(&self) -> f64 {
        self.components().iter().fold(0.0, |sum, (_, v)| sum + v)
    }

    /// `room_capacity 1, min_days 0, ...` with `shown` writing each value.
    pub fn listed<T: std::fmt::Display>(&self, shown: impl Fn(f64) -> T) -> String {
        self.components().iter().map(|(name, v)| format!("{name} {}", shown(*v))).collect::<Vec<_>>().join(", ")
    }

    /// Adds `other` component by component: a timetable's cost is the sum
    /// of its parts' (the solver sums its per-course shares).
    pub fn add(&mut self, other: &Cost) {
        self.room_capacity += other.room_capacity;
        self.min_days += other.min_days;
        self.compactness += other.compactness;
        self.room_stability += other.room_stability;
        self.availability += other.availability;
        self.teaching_quota += other.teaching_quota;
        self.relations += other.relations;
    }

    /// The components and their `total`, as named in `--json`.
    pub fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        for (name, value) in self.components() {
            map.insert(name.to_string(), json!(value));
        }
        map.insert("total".to_string(), json!(self.total()));
        Value::Object(map)
    }
}

/// Prices a timetable. Placements naming ids the instance does not have
/// are left out (the checker reports them as `unknown_id`).
pub fn cost(instance: &Instance, timetable: &Timetable) -> Cost {
    let index = PlacementIndex::new(instance, timetable);
    Cost {
        room_capacity: room_capacity(instance, &index),
        min_days: min_days(instance, &index),
        compactness: compactness(instance, &index),
        room_stability: room_stability(instance, &index),
        availability: availability(instance, &index),
        teaching_quota: teaching_quota(instance, &index),
        relations: relations::soft_relations(instance, &index),
    }
}

/// Each student over the room's capacity, when capacity is soft.
fn room_capacity(instance: &Instance, index: &PlacementIndex) -> f64 {
    let Some(weight) = instance.weights.room_capacity else { return 0.0 };
    let over: u64 = index
        .valid
        .iter()
        .filter_map(|p| p.room.map(|r| u64::from(instance.students(p.course).saturating_sub(instance.rooms[r.0].capacity))))
        .sum();
    over as f64 * weight
}

/// Each day short of a course's `min_days`.
fn min_days(instance: &Instance, index: &PlacementIndex) -> f64 {
    let short: u64 = instance
        .courses
        .iter()
        .zip(&index.by_course)
        .filter_map(|(course, placed)| {
            let wanted = course.min_days?;
            let days: BTreeSet<DayIdx> = placed.iter().map(|&n| index.get(n).slot.day).collect();
            Some(u64::from(wanted).saturating_sub(days.len() as u64))
        })
        .sum();
    short as f64 * instance.weights.min_days
}

/// Each session of a cohort with no session of that cohort in an adjacent
/// period of the same day, counted once per cohort attending it.
fn compactness(instance: &Instance, index: &PlacementIndex) -> f64 {
    let mut isolated = 0u64;
    for placed in &index.by_cohort {
        let occupied: BTreeSet<(DayIdx, u32)> = placed.iter().map(|&n| index.get(n).slot).map(|s| (s.day, s.period)).collect();
        isolated += placed
            .iter()
            .map(|&n| index.get(n).slot)
            .filter(|s| {
                let before = s.period > 1 && occupied.contains(&(s.day, s.period - 1));
                !before && !occupied.contains(&(s.day, s.period + 1))
            })
            .count() as u64;
    }
    isolated as f64 * instance.weights.compactness
}

/// Each room beyond the first that a course uses.
fn room_stability(instance: &Instance, index: &PlacementIndex) -> f64 {
    let extra: u64 = index
        .by_course
        .iter()
        .map(|placed| {
            let rooms: BTreeSet<_> = placed.iter().filter_map(|&n| index.get(n).room).collect();
            rooms.len().saturating_sub(1) as u64
        })
        .sum();
    extra as f64 * instance.weights.room_stability
}

/// Soft availability rows covering each placement, about its course, its
/// cohorts, its instructor or its room; overlapping rows add up.
fn availability(instance: &Instance, index: &PlacementIndex) -> f64 {
    let soft = SoftRows::new(instance);
    index
        .valid
        .iter()
        .map(|p| {
            let mut sum = soft.penalty(AvailabilityTarget::Course(p.course), p.slot);
            for k in distinct_cohorts(instance, p.course) {
                sum += soft.penalty(AvailabilityTarget::Cohort(k), p.slot);
            }
            sum + p.instructor.map_or(0.0, |i| soft.penalty(AvailabilityTarget::Instructor(i), p.slot))
                + p.room.map_or(0.0, |r| soft.penalty(AvailabilityTarget::Room(r), p.slot))
        })
        .sum()
}

/// Each session an instructor teaches below their `min_sessions`.
fn teaching_quota(instance: &Instance, index: &PlacementIndex) -> f64 {
    let short: u64 = instance
        .instructors
        .iter()
        .zip(&index.by_instructor)
        .filter_map(|(instructor, taught)| Some(u64::from(instructor.min_sessions?).saturating_sub(taught.len() as u64)))
        .sum();
    short as f64 * instance.weights.teaching_quota
}
