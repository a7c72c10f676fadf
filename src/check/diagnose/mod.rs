//! Reasons an instance cannot be solved, found before any solve.
//!
//! Each check compares a demand with a supply that every timetable obeying
//! docs/rules.md must respect, so a finding is a proof of infeasibility,
//! never a guess: a feasible instance yields no finding at all. Supplies
//! count slots (flat periods) a course or person can actually use: the
//! cohorts' windows minus hard availability rows, and only periods where
//! a suitable room is free. Messages give the numbers to relax.

mod facts;
mod finding;
mod hall;
mod instructors;
mod overload;
mod pins;
mod qualified;
mod room_sets;
mod rooms;

use crate::model::Instance;
use facts::Facts;

pub use finding::{Finding, FindingKind};

/// Looks for reasons the instance cannot be solved; empty when none of the
/// necessary conditions is violated (which does not prove it solvable).
/// Findings come most specific first: by how many courses each is about,
/// then what a course cannot have, pins, limits, rooms, cohorts and
/// cliques (`FindingKind::specificity`), in instance order within a kind.
pub fn diagnose(instance: &Instance) -> Vec<Finding> {
    let facts = Facts::new(instance);
    let mut findings = Vec::new();
    let overloaded_cohorts = facts.cohort_overload(&mut findings);
    facts.course_overload(&mut findings);
    let overloaded_instructors = facts.instructor_overload(&mut findings);
    facts.qualified_overload(&mut findings);
    facts.no_suitable_room(&mut findings);
    let mut short_rooms = facts.room_shortage(&mut findings);
    facts.room_set_shortage(&mut short_rooms, &mut findings);
    facts.clique_overload(&overloaded_cohorts, &overloaded_instructors, &short_rooms, &mut findings);
    facts.no_eligible_instructor(&mut findings);
    facts.pin_conflict(&mut findings);
    findings.sort_by_key(|f| (f.scope, f.kind.specificity(), f.kind));
    findings
}
