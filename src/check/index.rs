//! Lookups built once per check, so that every rule is a pass over the
//! groups it needs instead of a scan of all placements.

use std::collections::BTreeMap;

use crate::model::{
    Availability, AvailabilityTarget, CohortIdx, CourseIdx, DayIdx, Instance, InstructorIdx, Placement, RoomIdx, Slot, Timetable,
    UndecidedPlacement,
};

/// Hard availability as one flag per slot for every target that has hard
/// rows: a lookup is a map search and an array read, however many rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct HardBlocks {
    by_target: BTreeMap<AvailabilityTarget, Vec<bool>>,
}

impl HardBlocks {
    pub(crate) fn new(instance: &Instance) -> Self {
        let calendar = &instance.calendar;
        let mut by_target: BTreeMap<AvailabilityTarget, Vec<bool>> = BTreeMap::new();
        for row in instance.availability.iter().filter(|a| a.is_hard()) {
            let flags = by_target.entry(row.target).or_insert_with(|| vec![false; calendar.num_slots()]);
            for slot in covered_slots(instance, row) {
                flags[calendar.slot_index(slot)] = true;
            }
        }
        HardBlocks { by_target }
    }

    /// Whether any hard row is about `target`.
    pub(crate) fn has_rows(&self, target: AvailabilityTarget) -> bool {
        self.by_target.contains_key(&target)
    }

    /// Whether a hard row forbids `target` at the slot with flat index `slot`.
    pub(crate) fn blocked(&self, target: AvailabilityTarget, slot: usize) -> bool {
        self.by_target.get(&target).and_then(|flags| flags.get(slot)).copied().unwrap_or(false)
    }
}

/// The existing slots an availability row covers (rows may name periods a
/// short day does not have; those cover nothing there).
pub(crate) fn covered_slots<'a>(instance: &'a Instance, row: &'a Availability) -> impl Iterator<Item = Slot> + 'a {
    let calendar = &instance.calendar;
    let last = row.last_day.0.min(calendar.num_days().saturating_sub(1));
    (row.first_day.0..=last).filter(|&d| d < calendar.num_days()).flat_map(move |d| {
        let periods = calendar.days[d].periods;
        let (from, to) = match row.period {
            Some(p) => (p, p),
            None => (1, periods),
        };
        (from.max(1)..=to.min(periods)).map(move |period| Slot { day: DayIdx(d), period })
    })
}

/// Soft availability rows grouped by target, in file order so that sums
/// are always added up in the same order.
#[derive(Debug, Clone, Default)]
pub(crate) struct SoftRows<'a> {
    by_target: BTreeMap<AvailabilityTarget, Vec<&'a Availability>>,
}

impl<'a> SoftRows<'a> {
    pub(crate) fn new(instance: &'a Instance) -> Self {
        let mut by_target: BTreeMap<AvailabilityTarget, Vec<&Availability>> = BTreeMap::new();
        for row in instance.availability.iter().filter(|a| !a.is_hard()) {
            by_target.entry(row.target).or_default().push(row);
        }
        SoftRows { by_target }
    }

    /// Sum of the weights of the soft rows about `target` covering `slot`.
    pub(crate) fn penalty(&self, target: AvailabilityTarget, slot: Slot) -> f64 {
        self.by_target.get(&target).into_iter().flatten().filter(|a| a.covers(slot)).filter_map(|a| a.weight).sum()
    }
}

/// One session as the rules and the cost read it: a placement, or a
/// session read from a timetable with its room or instructor still to
/// decide (`None`), which takes part in every rule and cost term that does
/// not need what it lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Session {
    pub course: CourseIdx,
    pub slot: Slot,
    pub room: Option<RoomIdx>,
    pub instructor: Option<InstructorIdx>,
    /// The timetable line of a session read with an empty cell.
    pub line: Option<usize>,
}

/// A timetable's sessions grouped every way the rules need them.
/// Placements naming something the instance does not have are kept apart
/// in `foreign` and take part in no other rule, so no rule can index out
/// of range.
#[derive(Debug, Clone)]
pub(crate) struct PlacementIndex<'a> {
    /// The placements, then the sessions with a room or instructor to decide.
    pub valid: Vec<Session>,
    pub foreign: Vec<&'a Placement>,
    pub foreign_undecided: Vec<&'a UndecidedPlacement>,
    /// Positions in `valid`, by flat slot index.
    pub by_slot: Vec<Vec<usize>>,
    pub by_course: Vec<Vec<usize>>,
    pub by_cohort: Vec<Vec<usize>>,
    /// Sessions with an instructor only.
    pub by_instructor: Vec<Vec<usize>>,
}

impl<'a> PlacementIndex<'a> {
    pub(crate) fn new(instance: &Instance, timetable: &'a Timetable) -> Self {
        let (placed, foreign): (Vec<&Placement>, Vec<&Placement>) =
            timetable.placements.iter().partition(|p| placement_exists(instance, p));
        let (undecided, foreign_undecided): (Vec<&UndecidedPlacement>, Vec<&UndecidedPlacement>) =
            timetable.undecided.iter().partition(|p| undecided_exists(instance, p));
        let full = placed.iter().map(|p| Session {
            course: p.course,
            slot: p.slot,
            room: Some(p.room),
            instructor: Some(p.instructor),
            line: None,
        });
        let open = undecided.iter().map(|p| Session {
            course: p.course,
            slot: p.slot,
            room: p.room,
            instructor: p.instructor,
            line: Some(p.line),
        });
        let valid: Vec<Session> = full.chain(open).collect();
        let mut by_slot = vec![Vec::new(); instance.calendar.num_slots()];
        let mut by_course = vec![Vec::new(); instance.courses.len()];
        let mut by_cohort = vec![Vec::new(); instance.cohorts.len()];
        let mut by_instructor = vec![Vec::new(); instance.instructors.len()];
        for (n, p) in valid.iter().enumerate() {
            by_slot[instance.calendar.slot_index(p.slot)].push(n);
            by_course[p.course.0].push(n);
            if let Some(i) = p.instructor {
                by_instructor[i.0].push(n);
            }
            for k in distinct_cohorts(instance, p.course) {
                by_cohort[k.0].push(n);
            }
        }
        PlacementIndex { valid, foreign, foreign_undecided, by_slot, by_course, by_cohort, by_instructor }
    }

    pub(crate) fn get(&self, n: usize) -> &Session {
        &self.valid[n]
    }
}

fn placement_exists(instance: &Instance, p: &Placement) -> bool {
    p.course.0 < instance.courses.len()
        && p.room.0 < instance.rooms.len()
        && p.instructor.0 < instance.instructors.len()
        && instance.calendar.has_slot(p.slot)
        && instance.courses[p.course.0].cohorts.iter().all(|k| k.0 < instance.cohorts.len())
}

fn undecided_exists(instance: &Instance, p: &UndecidedPlacement) -> bool {
    p.course.0 < instance.courses.len()
        && instance.courses[p.course.0].cohorts.iter().all(|k| k.0 < instance.cohorts.len())
        && p.room.is_none_or(|r| r.0 < instance.rooms.len())
        && p.instructor.is_none_or(|i| i.0 < instance.instructors.len())
        && instance.calendar.has_slot(p.slot)
}

/// A course's cohorts without repeats, in index order.
pub(crate) fn distinct_cohorts(instance: &Instance, course: CourseIdx) -> Vec<CohortIdx> {
    let mut cohorts = instance.courses[course.0].cohorts.clone();
    cohorts.sort_unstable();
    cohorts.dedup();
    cohorts
}

/// Ids of the instance's entities, for messages and JSON. Falls back to a
/// `#position` for an index the instance does not have, which only a
/// malformed placement can carry.
#[derive(Clone, Copy)]
pub(crate) struct Names<'a>(pub &'a Instance);

impl<'a> Names<'a> {
    pub(crate) fn course(self, c: CourseIdx) -> String {
        self.0.courses.get(c.0).map_or_else(|| format!("#{}", c.0), |x| x.id.clone())
    }
    pub(crate) fn cohort(self, k: CohortIdx) -> String {
        self.0.cohorts.get(k.0).map_or_else(|| format!("#{}", k.0), |x| x.id.clone())
    }
    pub(crate) fn instructor(self, i: InstructorIdx) -> String {
        self.0.instructors.get(i.0).map_or_else(|| format!("#{}", i.0), |x| x.id.clone())
    }
    pub(crate) fn room(self, r: RoomIdx) -> String {
        self.0.rooms.get(r.0).map_or_else(|| format!("#{}", r.0), |x| x.id.clone())
    }
    pub(crate) fn day(self, d: DayIdx) -> String {
        self.0.calendar.days.get(d.0).map_or_else(|| format!("day #{}", d.0), |x| x.label.clone())
    }
    /// `2020-04-07 period 2`.
    pub(crate) fn slot(self, s: Slot) -> String {
        format!("{} period {}", self.day(s.day), s.period)
    }
}

/// `A`, `A and B`, `A, B and C`.
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

/// Counts as planners read them in a sentence: small ones in words.
pub(crate) fn count_word(n: usize) -> String {
    match n {
        2 => "two".into(),
        3 => "three".into(),
        4 => "four".into(),
        _ => n.to_string(),
    }
}

/// `sessions` or `session` as the count wants.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
