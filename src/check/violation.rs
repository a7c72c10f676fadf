//! One broken hard rule: its kind, its message and what it involves, in
//! the positions the checker works with and the ids a planner reads.

use serde::{Serialize, Serializer};
use serde_json::{json, Value};

use super::index::Names;
use crate::model::{CohortIdx, CourseIdx, DayIdx, Instance, InstructorIdx, RoomIdx, Slot};

/// Which hard rule a violation breaks; the names (snake_case) are the
/// `type` values of docs/rules.md. The order is the report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViolationKind {
    MissingSession,
    ExtraSession,
    MissingRoom,
    MissingInstructor,
    CourseDoubleBooked,
    RoomClash,
    CohortClash,
    InstructorClash,
    Unavailable,
    OutsideWindow,
    MissingRoomFeature,
    UnqualifiedInstructor,
    InstructorChanged,
    MaxSessions,
    MaxPerDay,
    Block,
    MaxSpanDays,
    Site,
    MaxDays,
    Before,
    DifferentDays,
    NotOverlap,
    PinNotRespected,
    RoomTooSmall,
    UnknownId,
}

impl ViolationKind {
    /// The `type` name of docs/rules.md, e.g. `room_clash`.
    pub fn name(self) -> &'static str {
        match self {
            ViolationKind::MissingSession => "missing_session",
            ViolationKind::ExtraSession => "extra_session",
            ViolationKind::MissingRoom => "missing_room",
            ViolationKind::MissingInstructor => "missing_instructor",
            ViolationKind::CourseDoubleBooked => "course_double_booked",
            ViolationKind::RoomClash => "room_clash",
            ViolationKind::CohortClash => "cohort_clash",
            ViolationKind::InstructorClash => "instructor_clash",
            ViolationKind::Unavailable => "unavailable",
            ViolationKind::OutsideWindow => "outside_window",
            ViolationKind::MissingRoomFeature => "missing_room_feature",
            ViolationKind::UnqualifiedInstructor => "unqualified_instructor",
            ViolationKind::InstructorChanged => "instructor_changed",
            ViolationKind::MaxSessions => "max_sessions",
            ViolationKind::MaxPerDay => "max_per_day",
            ViolationKind::Block => "block",
            ViolationKind::MaxSpanDays => "max_span_days",
            ViolationKind::Site => "site",
            ViolationKind::MaxDays => "max_days",
            ViolationKind::Before => "before",
            ViolationKind::DifferentDays => "different_days",
            ViolationKind::NotOverlap => "not_overlap",
            ViolationKind::PinNotRespected => "pin_not_respected",
            ViolationKind::RoomTooSmall => "room_too_small",
            ViolationKind::UnknownId => "unknown_id",
        }
    }
}

impl Serialize for ViolationKind {
    /// As its [`ViolationKind::name`], so the JSON and the text output
    /// cannot spell a kind two ways.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl std::fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One broken hard rule, with everything it involves.
///
/// `Serialize` writes positions (indices); [`Violation::to_json`] writes
/// the ids and day labels a planner knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    #[serde(rename = "type")]
    pub kind: ViolationKind,
    /// A sentence naming the day, period and ids involved.
    pub message: String,
    /// The slot at fault, when the rule is about one slot.
    #[serde(serialize_with = "ser::slot")]
    pub slot: Option<Slot>,
    /// The day at fault: the slot's day, or the day of a per-day rule.
    #[serde(serialize_with = "ser::day")]
    pub day: Option<DayIdx>,
    #[serde(serialize_with = "ser::indices")]
    pub courses: Vec<CourseIdx>,
    #[serde(serialize_with = "ser::indices")]
    pub cohorts: Vec<CohortIdx>,
    #[serde(serialize_with = "ser::indices")]
    pub instructors: Vec<InstructorIdx>,
    #[serde(serialize_with = "ser::indices")]
    pub rooms: Vec<RoomIdx>,
}

impl Violation {
    /// A violation of `kind` with only its message; the builders below add
    /// what it involves.
    pub(super) fn new(kind: ViolationKind, message: String) -> Self {
        Violation {
            kind,
            message,
            slot: None,
            day: None,
            courses: Vec::new(),
            cohorts: Vec::new(),
            instructors: Vec::new(),
            rooms: Vec::new(),
        }
    }

    pub(super) fn at(mut self, slot: Slot) -> Self {
        self.slot = Some(slot);
        self.day = Some(slot.day);
        self
    }

    pub(super) fn on_day(mut self, day: DayIdx) -> Self {
        self.day = Some(day);
        self
    }

    pub(super) fn courses(mut self, courses: impl IntoIterator<Item = CourseIdx>) -> Self {
        self.courses = sorted(courses);
        self
    }

    pub(super) fn cohorts(mut self, cohorts: impl IntoIterator<Item = CohortIdx>) -> Self {
        self.cohorts = sorted(cohorts);
        self
    }

    pub(super) fn instructors(mut self, instructors: impl IntoIterator<Item = InstructorIdx>) -> Self {
        self.instructors = sorted(instructors);
        self
    }

    pub(super) fn rooms(mut self, rooms: impl IntoIterator<Item = RoomIdx>) -> Self {
        self.rooms = sorted(rooms);
        self
    }

    /// The violation with ids and day labels instead of positions:
    /// `{"type", "message", "day", "period", "courses", "cohorts",
    /// "instructors", "rooms"}` (`day`/`period` null when not about one).
    pub fn to_json(&self, instance: &Instance) -> Value {
        let names = Names(instance);
        json!({
            "type": self.kind.name(),
            "message": self.message,
            "day": self.day.map(|d| names.day(d)),
            "period": self.slot.map(|s| s.period),
            "courses": self.courses.iter().map(|&c| names.course(c)).collect::<Vec<_>>(),
            "cohorts": self.cohorts.iter().map(|&k| names.cohort(k)).collect::<Vec<_>>(),
            "instructors": self.instructors.iter().map(|&i| names.instructor(i)).collect::<Vec<_>>(),
            "rooms": self.rooms.iter().map(|&r| names.room(r)).collect::<Vec<_>>(),
        })
    }

    /// The report order: by kind, then day and slot, then the ids involved.
    pub(super) fn sort_key(&self) -> impl Ord + '_ {
        (self.kind, self.day, self.slot, &self.courses, &self.cohorts, &self.instructors, &self.rooms)
    }
}

fn sorted<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl std::fmt::Display for Violation {
    /// `room_clash: Room H1 holds two sessions on ...`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// Serializers for model types that do not implement `Serialize`
/// themselves: positions as plain numbers.
mod ser {
    use serde::ser::SerializeStruct;
    use serde::{Serialize, Serializer};

    use crate::model::{CohortIdx, CourseIdx, DayIdx, InstructorIdx, RoomIdx, Slot};

    pub(super) trait Position: Copy {
        fn position(self) -> usize;
    }
    macro_rules! position {
        ($($t:ty),*) => {$(impl Position for $t { fn position(self) -> usize { self.0 } })*};
    }
    position!(CourseIdx, CohortIdx, InstructorIdx, RoomIdx, DayIdx);

    pub(super) fn indices<S: Serializer, T: Position>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(items.iter().map(|i| i.position()))
    }

    pub(super) fn day<S: Serializer>(day: &Option<DayIdx>, s: S) -> Result<S::Ok, S::Error> {
        match day {
            Some(d) => s.serialize_some(&d.position()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn slot<S: Serializer>(slot: &Option<Slot>, s: S) -> Result<S::Ok, S::Error> {
        struct Plain(Slot);
        impl Serialize for Plain {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("Slot", 2)?;
                st.serialize_field("day", &self.0.day.position())?;
                st.serialize_field("period", &self.0.period)?;
                st.end()
            }
        }
        match slot {
            Some(x) => s.serialize_some(&Plain(*x)),
            None => s.serialize_none(),
        }
    }
}
