//! Relations between courses (relations.csv), counted as FORMAT.md says.
//! One reading serves both the hard rules (one violation per breach) and
//! the `relations` cost (a soft relation's weight per breach), so a
//! relation cannot count one way as a rule and another as a cost.

use std::collections::{BTreeMap, BTreeSet};

use super::index::{count_word, join_and, Names, PlacementIndex};
use crate::model::{CourseIdx, DayIdx, Instance, Relation, RelationKind, Slot};

/// One violation of a relation: what it is about and the sentence saying so.
pub(super) struct Breach {
    pub slot: Option<Slot>,
    pub day: Option<DayIdx>,
    pub courses: Vec<CourseIdx>,
    pub message: String,
}

/// Every breach of one relation.
pub(super) fn breaches(instance: &Instance, index: &PlacementIndex, relation: &Relation) -> Vec<Breach> {
    match relation.kind {
        RelationKind::Before => before(instance, index, &relation.courses),
        RelationKind::DifferentDays => different_days(instance, index, &relation.courses),
        RelationKind::NotOverlap => not_overlap(instance, index, &relation.courses),
    }
}

fn slots_of<'a>(index: &'a PlacementIndex, c: CourseIdx) -> impl Iterator<Item = Slot> + 'a {
    index.by_course[c.0].iter().map(|&n| index.get(n).slot)
}

/// One breach per adjacent pair (A, B) where some session of A is not in
/// an earlier period than some session of B.
fn before(instance: &Instance, index: &PlacementIndex, courses: &[CourseIdx]) -> Vec<Breach> {
    let names = Names(instance);
    courses
        .windows(2)
        .filter_map(|pair| {
            let (a, b) = (pair[0], pair[1]);
            let last_a = slots_of(index, a).max()?;
            let first_b = slots_of(index, b).min()?;
            (last_a >= first_b).then(|| Breach {
                slot: None,
                day: None,
                courses: vec![a, b],
                message: format!(
                    "Course {} must end before course {} starts, but {} has a session on {} and {} one on {}.",
                    names.course(a),
                    names.course(b),
                    names.course(a),
                    names.slot(last_a),
                    names.course(b),
                    names.slot(first_b)
                ),
            })
        })
        .collect()
}

/// On each day where k >= 2 of the courses meet, k - 1 breaches.
fn different_days(instance: &Instance, index: &PlacementIndex, courses: &[CourseIdx]) -> Vec<Breach> {
    let names = Names(instance);
    let mut by_day: BTreeMap<DayIdx, BTreeSet<CourseIdx>> = BTreeMap::new();
    for &c in courses {
        for slot in slots_of(index, c) {
            by_day.entry(slot.day).or_default().insert(c);
        }
    }
    by_day
        .into_iter()
        .flat_map(|(day, courses)| {
            let where_ = names.day(day);
            beyond_first(&names, courses, move |list, k| {
                format!("Courses {list} must meet on different days, but {} of them meet on {where_}.", count_word(k))
            })
            .map(move |(courses, message)| Breach { slot: None, day: Some(day), courses, message })
        })
        .collect()
}

/// At each period where k >= 2 of the courses meet, k - 1 breaches.
fn not_overlap(instance: &Instance, index: &PlacementIndex, courses: &[CourseIdx]) -> Vec<Breach> {
    let names = Names(instance);
    let mut by_slot: BTreeMap<Slot, BTreeSet<CourseIdx>> = BTreeMap::new();
    for &c in courses {
        for slot in slots_of(index, c) {
            by_slot.entry(slot).or_default().insert(c);
        }
    }
    by_slot
        .into_iter()
        .flat_map(|(slot, courses)| {
            let where_ = names.slot(slot);
            beyond_first(&names, courses, move |list, k| {
                format!("Courses {list} must not overlap, but {} of them meet on {where_}.", count_word(k))
            })
            .map(move |(courses, message)| Breach { slot: Some(slot), day: Some(slot.day), courses, message })
        })
        .collect()
}

/// For k >= 2 courses meeting together, k - 1 breaches: one for each course
/// after the first, naming it with the first.
fn beyond_first(
    names: &Names,
    courses: BTreeSet<CourseIdx>,
    say: impl Fn(&str, usize) -> String,
) -> impl Iterator<Item = (Vec<CourseIdx>, String)> {
    let all: Vec<CourseIdx> = courses.into_iter().collect();
    let k = all.len();
    let list = join_and(&all.iter().map(|&c| names.course(c)).collect::<Vec<_>>());
    let message = say(&list, k);
    let first = all.first().copied();
    all.into_iter().skip(1).map(move |c| (first.into_iter().chain([c]).collect(), message.clone()))
}

/// The `relations` cost: each soft relation's weight per breach.
pub(super) fn soft_relations(instance: &Instance, index: &PlacementIndex) -> f64 {
    instance.relations.iter().filter_map(|r| r.weight.map(|w| w * breaches(instance, index, r).len() as f64)).sum()
}
