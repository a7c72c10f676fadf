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
mod rules;
mod violation;

use serde::Serialize;
use serde_json::{json, Value};

use crate::model::{Instance, Timetable};

pub use conflict::{ConflictGraph, ConflictReason};
pub use cost::{cost, Cost};
pub use diagnose::{diagnose, Finding, FindingKind};
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
