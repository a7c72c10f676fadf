use super::{CourseIdx, InstructorIdx, RoomIdx, Slot};

/// One session placed: when, where and by whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Placement {
    pub course: CourseIdx,
    pub slot: Slot,
    pub room: RoomIdx,
    pub instructor: InstructorIdx,
}

/// A complete answer: every session placed. Sessions of a course are
/// interchangeable, so a placement names the course, not a session number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timetable {
    pub placements: Vec<Placement>,
    /// Rows read from a file that named unknown ids (empty for timetables
    /// the solver makes).
    pub unresolved: Vec<UnresolvedRow>,
    /// Sessions read from a file with the room or the instructor still to
    /// be decided (empty for timetables the solver makes).
    pub undecided: Vec<UndecidedPlacement>,
}

impl Timetable {
    pub fn new(mut placements: Vec<Placement>) -> Self {
        placements.sort_by_key(|p| (p.slot, p.room, p.course, p.instructor));
        Timetable { placements, ..Timetable::default() }
    }
}

/// A timetable row whose ids did not resolve against the instance. The
/// checker reports these as violations rather than refusing the file, so a
/// planner sees every problem of a stale timetable at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnresolvedRow {
    /// Line number in the timetable file (1-based, header is line 1).
    pub line: usize,
    /// The column whose value is unknown (`course`, `room`, `day`, ...).
    pub column: String,
    pub value: String,
}

/// A course a partial timetable leaves sessions of out, and why they find
/// no period in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Unplaced {
    /// The course's id.
    pub course: String,
    /// Sessions of the course left out.
    pub sessions: u32,
    /// What closes the periods where they could go, most periods first.
    pub reason: String,
}

/// A session a planner placed but left its room or instructor cell empty
/// ("to be decided"). It is a session of its course at its slot, and the
/// checker reports what it lacks as missing_room or missing_instructor
/// rather than refusing the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UndecidedPlacement {
    /// Line number in the timetable file (1-based, header is line 1).
    pub line: usize,
    pub course: CourseIdx,
    pub slot: Slot,
    /// `None`: the cell was empty.
    pub room: Option<RoomIdx>,
    pub instructor: Option<InstructorIdx>,
}
