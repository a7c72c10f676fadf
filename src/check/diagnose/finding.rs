//! What a diagnosis reports: the kind of shortage a finding proves and the
//! sentence that says what to relax.

use serde::{Deserialize, Serialize};

use crate::check::index::join_and;

/// What kind of shortage a finding proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A cohort's courses need more sessions than its free periods.
    CohortOverload,
    /// A course needs more sessions than the periods open to it.
    CourseOverload,
    /// A fixed instructor's courses need more sessions than the periods in
    /// which the instructor is free and the courses can be placed.
    InstructorOverload,
    /// A fixed instructor's courses need more than `max_sessions`.
    InstructorMaxSessions,
    /// A fixed instructor's courses need more than `max_per_day` allows
    /// over the days open to them.
    InstructorMaxPerDay,
    /// The courses that only the lecturers of a set can teach (fixed on
    /// them, or qualified only among them) need more sessions than those
    /// lecturers may give: max_sessions, free periods and max_per_day,
    /// counting whole courses, since one lecturer teaches all of a course.
    QualifiedOverload,
    /// Courses need rooms that no room is: none has their features or,
    /// with capacity hard, none with them seats their students.
    NoSuitableRoom,
    /// Courses need more sessions in rooms with some features (and, with
    /// capacity hard, some size), or in the only rooms they can use
    /// between them, than those rooms have free periods for them.
    RoomShortage,
    /// Courses that pairwise can never share a period need more sessions
    /// than the periods open to any of them.
    CliqueOverload,
    /// No instructor can take a course whose instructor is not fixed.
    NoEligibleInstructor,
    /// A pin cannot be honoured, alone or together with other pins.
    PinConflict,
}

impl FindingKind {
    /// The snake_case name, as serialized.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::CohortOverload => "cohort_overload",
            FindingKind::CourseOverload => "course_overload",
            FindingKind::InstructorOverload => "instructor_overload",
            FindingKind::InstructorMaxSessions => "instructor_max_sessions",
            FindingKind::InstructorMaxPerDay => "instructor_max_per_day",
            FindingKind::QualifiedOverload => "qualified_overload",
            FindingKind::NoSuitableRoom => "no_suitable_room",
            FindingKind::RoomShortage => "room_shortage",
            FindingKind::CliqueOverload => "clique_overload",
            FindingKind::NoEligibleInstructor => "no_eligible_instructor",
            FindingKind::PinConflict => "pin_conflict",
        }
    }
}

impl FindingKind {
    /// Among findings about as many courses, which the planner reads
    /// first: what a course itself cannot have (periods, a room, a
    /// lecturer), then pins, which often fail for that same reason (a
    /// pin into a room the grown course no longer fits), then limits, then
    /// whole rooms, cohorts and cliques.
    pub(super) fn specificity(self) -> u8 {
        match self {
            FindingKind::CourseOverload => 0,
            FindingKind::NoSuitableRoom => 1,
            FindingKind::NoEligibleInstructor => 2,
            FindingKind::PinConflict => 3,
            FindingKind::InstructorOverload | FindingKind::InstructorMaxSessions | FindingKind::InstructorMaxPerDay => 4,
            FindingKind::QualifiedOverload => 5,
            FindingKind::RoomShortage => 6,
            FindingKind::CohortOverload => 7,
            FindingKind::CliqueOverload => 8,
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One reason the instance cannot be solved, and what to relax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    #[serde(rename = "type")]
    pub kind: FindingKind,
    pub message: String,
    /// True when the finding alone proves that no timetable exists.
    pub proves_infeasible: bool,
    /// How many courses the finding is about: fewer is more specific, and
    /// the planner reads the most specific first.
    #[serde(skip)]
    pub(super) scope: usize,
}

impl std::fmt::Display for Finding {
    /// `cohort_overload: Cohort K1 must attend ...`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// A finding about `scope` courses (1 for a pin or a single course).
pub(super) fn proof(kind: FindingKind, scope: usize, message: String) -> Finding {
    Finding { kind, message, proves_infeasible: true, scope }
}

/// At most six ids, then how many more, so a message stays one sentence.
pub(super) fn listed(ids: impl IntoIterator<Item = String>) -> String {
    const SHOWN: usize = 6;
    let ids: Vec<String> = ids.into_iter().collect();
    if ids.len() <= SHOWN {
        return join_and(&ids);
    }
    format!("{} and {} more", ids[..SHOWN].join(", "), ids.len() - SHOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_their_serialized_form() {
        use FindingKind as F;
        for kind in [
            F::CohortOverload,
            F::CourseOverload,
            F::InstructorOverload,
            F::InstructorMaxSessions,
            F::InstructorMaxPerDay,
            F::QualifiedOverload,
            F::NoSuitableRoom,
            F::RoomShortage,
            F::CliqueOverload,
            F::NoEligibleInstructor,
            F::PinConflict,
        ] {
            assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::Value::String(kind.name().into())));
        }
    }
}
