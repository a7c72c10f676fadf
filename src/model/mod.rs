//! The domain: what is planned, by whom, where and when.
//!
//! Everything here is plain data with indices between entities. No file
//! formats, no solver: `io` builds these types from CSV, `solve` and `check`
//! read them. References are positions in the instance's vectors (typed
//! indices), so models built from them are deterministic.

mod calendar;
mod instance;
mod programme;
mod timetable;

pub use calendar::{iso_date, Calendar, Day, DayLookup, Slot};
pub use instance::{Availability, AvailabilityTarget, Cohort, Course, Instance, Instructor, Pin, Room, Weights};
pub use programme::{ProgrammeRule, Relation, RelationKind, RuleCells, SourceCell, Subject};
pub use timetable::{Placement, Timetable, UndecidedPlacement, Unplaced, UnresolvedRow};

/// Typed indices into the instance's vectors.
macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);
        impl $name {
            /// The position in the instance's vector.
            pub fn index(self) -> usize { self.0 }
        }
    )*};
}
index_type!(
    /// Position of a [`Day`] in [`Calendar::days`].
    DayIdx,
    /// Position of a [`Room`] in [`Instance::rooms`].
    RoomIdx,
    /// Position of an [`Instructor`] in [`Instance::instructors`].
    InstructorIdx,
    /// Position of a [`Cohort`] in [`Instance::cohorts`].
    CohortIdx,
    /// Position of a [`Course`] in [`Instance::courses`].
    CourseIdx,
);
