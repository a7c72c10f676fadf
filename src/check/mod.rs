//! The independent checker: a second opinion on any timetable.
//!
//! It reads `docs/rules.md` directly and shares no code with `solve`, so a
//! modelling slip in the integer program shows up here as a violation or a
//! cost mismatch instead of being confirmed by the same mistake. It also
//! holds the conflict graph (which the solver may use for clique
//! constraints) and `diagnose`, which looks for reasons an instance cannot
//! be solved before any solve starts.

mod conflict;
mod cost;
mod diagnose;
mod index;
mod programme;
mod relations;
mod rules;
mod unplaced;
mod violation;

use serde::Serialize;
use serde_json::{json, Value};

use crate::model::{Instance, Timetable};

pub use conflict::{ConflictGraph, ConflictReason};
pub use cost::{cost, Cost};
pub use diagnose::{diagnose, Finding, FindingKind};
pub use unplaced::unplaced;
pub use violation::{Violation, ViolationKind};

/// What the checker found: every broken hard rule and the soft cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    pub violations: Vec<Violation>,
    pub cost: Cost,
}

impl CheckReport {
    /// Whether the timetable breaks no hard rule.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }

    /// `{"feasible", "violations": [...], "cost": {components..., "total"}}`
    /// with ids and day labels.
    pub fn to_json(&self, instance: &Instance) -> Value {
        json!({
            "feasible": self.is_feasible(),
            "violations": self.violations.iter().map(|v| v.to_json(instance)).collect::<Vec<_>>(),
            "cost": self.cost.to_json(),
        })
    }
}

/// Checks a timetable against every hard rule of docs/rules.md and prices
/// it. Violations come sorted by kind, then slot, then ids.
pub fn check(instance: &Instance, timetable: &Timetable) -> CheckReport {
    let mut violations = rules::all(instance, timetable);
    // Stable: violations with equal keys keep the order their rule made
    // them in (unknown ids by file line).
    violations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    CheckReport { violations, cost: cost(instance, timetable) }
}

/// The hard rules a partial timetable breaks besides leaving sessions out:
/// every session it places must be valid. The pin of a course with
/// sessions left out and none at the pin may be one of those still to
/// place, so it is no violation.
pub fn check_partial(instance: &Instance, partial: &Timetable) -> Vec<Violation> {
    let mut placed = vec![0u32; instance.courses.len()];
    for p in &partial.placements {
        placed[p.course.0] += 1;
    }
    let incomplete = |c: &crate::model::CourseIdx| placed.get(c.0).is_some_and(|&n| n < instance.course(*c).sessions);
    check(instance, partial)
        .violations
        .into_iter()
        .filter(|v| match v.kind {
            ViolationKind::MissingSession => false,
            ViolationKind::PinNotRespected => {
                let none_there = |c: &crate::model::CourseIdx| !partial.placements.iter().any(|p| p.course == *c && Some(p.slot) == v.slot);
                !v.courses.iter().all(|c| incomplete(c) && none_there(c))
            }
            _ => true,
        })
        .collect()
}
