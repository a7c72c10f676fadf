//! Lecturers short as a group: the courses that only the lecturers of a
//! set can teach need more sessions than those lecturers may give.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::facts::Facts;
use super::finding::{listed, proof, Finding, FindingKind};
use super::hall::{best_fill, classes, short_sets, Class, Short};
use crate::check::index::{join_and, plural};
use crate::model::{AvailabilityTarget as Target, CourseIdx, DayIdx, InstructorIdx};

/// What one lecturer can give to some courses, limit by limit.
struct Capacity {
    max_sessions: Option<usize>,
    /// Periods where the lecturer is free and one of the courses is open.
    free: usize,
    /// max_per_day, the days with such periods, and the most it allows.
    per_day: Option<(usize, usize, usize)>,
    /// Free periods per day, to say what max_per_day would be enough.
    free_by_day: Vec<usize>,
    /// The most the lecturer can fill with whole courses.
    whole: usize,
}

impl Capacity {
    fn limit(&self) -> usize {
        self.max_sessions.into_iter().chain(self.per_day.map(|p| p.2)).fold(self.free, usize::min)
    }

    /// Why the lecturer can give no more than `whole`.
    fn why(&self) -> String {
        let limit = self.limit();
        let mut why = Vec::new();
        if let Some(max) = self.max_sessions.filter(|&m| m == limit) {
            why.push(format!("max_sessions {max}"));
        }
        if self.free == limit {
            why.push(format!("free in only {} where the courses can be placed", plural(self.free, "period")));
        }
        if let Some((max, days, _)) = self.per_day.filter(|p| p.2 == limit) {
            why.push(format!("max_per_day {max} over {}", plural(days, "day")));
        }
        let why = join_and(&why);
        if self.whole < limit {
            format!("{why}, and whole courses fill only {} of that", self.whole)
        } else {
            why
        }
    }

    /// What one lecturer must be allowed to give `demand` sessions.
    fn raise(&self, demand: usize) -> Vec<String> {
        let mut raise = Vec::new();
        if let Some(max) = self.max_sessions.filter(|&m| m < demand) {
            raise.push(format!("raise max_sessions from {max} to {demand}"));
        }
        if self.free < demand {
            raise.push(format!("free {} where the courses can be placed", plural(demand - self.free, "more period")));
        }
        if let Some((max, _, most)) = self.per_day.filter(|p| p.2 < demand) {
            let enough = (max + 1..=self.free_by_day.iter().copied().max().unwrap_or(0))
                .find(|&k| self.free_by_day.iter().map(|&f| f.min(k)).sum::<usize>() >= demand);
            raise.push(match enough {
                Some(k) if self.free >= demand => format!("raise max_per_day from {max} to {k}"),
                _ => format!("raise max_per_day from {max} (it allows {most})"),
            });
        }
        raise
    }
}

/// The classes among `inside` that lecturer `i` is eligible for.
fn mine(classes: &[Class], i: InstructorIdx, inside: &[usize]) -> Vec<usize> {
    inside.iter().copied().filter(|&n| classes[n].eligible.binary_search(&i.0).is_ok()).collect()
}

/// What each lecturer can give and why, lecturers alike in both grouped
/// so that a set of dozens stays one sentence.
fn each_lecturer(names: &[String], capacities: &[Capacity]) -> String {
    let mut groups: Vec<((usize, String), Vec<String>)> = Vec::new();
    for (name, capacity) in names.iter().zip(capacities) {
        let key = (capacity.whole, capacity.why());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, names)) => names.push(name.clone()),
            None => groups.push((key, vec![name.clone()])),
        }
    }
    let groups: Vec<String> = groups
        .into_iter()
        .map(|((whole, why), names)| match &names[..] {
            [one] => format!("{one}: {whole}, {why}"),
            _ => format!("{}: {whole} each, {why}", listed(names)),
        })
        .collect();
    groups.join("; ")
}

impl Facts<'_> {
    /// Sets of lecturers (alone, then grown through shared subjects) whose
    /// dependent courses need more sessions than they may give.
    pub(super) fn qualified_overload(&self, out: &mut Vec<Finding>) {
        // A course short of open periods is reported on its own; counting
        // it here would blame its lecturers for the same cause.
        let placeable = (0..self.inst.courses.len()).filter(|&c| self.usable_count(CourseIdx(c)) >= self.inst.courses[c].sessions as usize);
        let eligible = placeable.map(|c| {
            let c = CourseIdx(c);
            let set = match self.forced[c.0] {
                Some(i) => vec![i.0],
                None => self.inst.eligible_instructors(c).into_iter().map(|i| i.0).collect(),
            };
            (c, set, self.inst.courses[c.0].sessions as usize)
        });
        let classes = classes(eligible);
        // Per class, the periods in which one of its courses can be held,
        // rooms aside: rooms short of periods are the room checks' to name,
        // not a shortage of lecturers.
        let open: Vec<Vec<bool>> =
            classes.iter().map(|class| (0..self.num_slots()).map(|s| class.courses.iter().any(|c| self.timed[c.0][s])).collect()).collect();
        // A lecturer's capacity depends only on which of their classes are
        // in: growing sets share most of them, so each is computed once.
        let known: RefCell<BTreeMap<(usize, Vec<usize>), usize>> = RefCell::new(BTreeMap::new());
        let supply = |set: &[usize], inside: &[usize]| {
            set.iter()
                .map(|&i| {
                    let key = (i, mine(&classes, InstructorIdx(i), inside));
                    if let Some(&whole) = known.borrow().get(&key) {
                        return whole;
                    }
                    let whole = self.capacity(InstructorIdx(i), &classes, &open, &key.1).map_or(0, |c| c.whole);
                    known.borrow_mut().insert(key, whole);
                    whole
                })
                .sum()
        };
        for short in short_sets(&classes, supply) {
            let mut courses: Vec<CourseIdx> = short.classes.iter().flat_map(|&n| classes[n].courses.iter().copied()).collect();
            courses.sort_unstable();
            // One course is no_eligible_instructor's (or course_overload's),
            // and one lecturer's own fixed courses instructor_overload's.
            let only_forced = matches!(short.set[..], [i] if self.forced_courses(InstructorIdx(i)) == courses);
            if courses.len() < 2 || only_forced {
                continue;
            }
            out.push(self.qualified_finding(&short, &classes, &open, courses));
        }
    }

    /// What lecturer `i` can give to the courses of `mine`, the classes
    /// they are eligible for; `None` when there are none.
    fn capacity(&self, i: InstructorIdx, classes: &[Class], open: &[Vec<bool>], mine: &[usize]) -> Option<Capacity> {
        if mine.is_empty() {
            return None;
        }
        let instructor = &self.inst.instructors[i.0];
        let calendar = &self.inst.calendar;
        let free: Vec<bool> =
            (0..self.num_slots()).map(|s| !self.blocks.blocked(Target::Instructor(i), s) && mine.iter().any(|&n| open[n][s])).collect();
        let free_by_day: Vec<usize> =
            (0..calendar.num_days()).map(|d| calendar.day_slots(DayIdx(d)).filter(|&s| free[s]).count()).collect();
        let per_day = instructor.max_per_day.map(|max| {
            let max = max as usize;
            (max, free_by_day.iter().filter(|&&f| f > 0).count(), free_by_day.iter().map(|&f| f.min(max)).sum())
        });
        let mut capacity = Capacity {
            max_sessions: instructor.max_sessions.map(|m| m as usize),
            free: free.iter().filter(|&&f| f).count(),
            per_day,
            free_by_day,
            whole: 0,
        };
        let sizes: Vec<usize> =
            mine.iter().flat_map(|&n| classes[n].courses.iter().map(|c| self.inst.courses[c.0].sessions as usize)).collect();
        capacity.whole = best_fill(&sizes, capacity.limit());
        Some(capacity)
    }

    fn qualified_finding(&self, short: &Short, classes: &[Class], open: &[Vec<bool>], courses: Vec<CourseIdx>) -> Finding {
        // A minimal short set has no lecturer without a course in it.
        let (names, capacities): (Vec<String>, Vec<Capacity>) = short
            .set
            .iter()
            .filter_map(|&i| {
                let capacity = self.capacity(InstructorIdx(i), classes, open, &mine(classes, InstructorIdx(i), &short.classes))?;
                Some((self.names.instructor(InstructorIdx(i)), capacity))
            })
            .unzip();
        let (who, limits, mut relax) = match &capacities[..] {
            [one] => (
                format!("Lecturer {} is the only one", names[0]),
                format!("at most {} of them ({})", one.whole, one.why()),
                vec![join_and(&one.raise(short.demand))],
            ),
            _ => (
                format!("Lecturers {} are the only ones", listed(names.iter().cloned())),
                format!("at most {} of them ({})", short.supply, each_lecturer(&names, &capacities)),
                // Whole courses may need more than the shortfall.
                vec![format!("raise their limits by at least {}", plural(short.demand - short.supply, "session"))],
            ),
        };
        let (fixed, free): (Vec<CourseIdx>, Vec<CourseIdx>) = courses.iter().partition(|c| self.forced[c.0].is_some());
        let mut subjects: Vec<String> = free.iter().map(|c| self.inst.courses[c.0].subject.clone()).collect();
        subjects.sort();
        subjects.dedup();
        if !subjects.is_empty() {
            let which = if subjects.len() == 1 { "subject" } else { "one of subjects" };
            relax.push(format!("qualify another lecturer for {which} {}", listed(subjects)));
        }
        if !fixed.is_empty() {
            relax.push(format!("give {} another lecturer", self.course_ids(&fixed)));
        }
        proof(
            FindingKind::QualifiedOverload,
            courses.len(),
            format!(
                "{who} who can teach {} ({}), but may teach {limits}; {}.",
                self.course_ids(&courses),
                plural(short.demand, "session"),
                relax.join(" or ")
            ),
        )
    }
}
