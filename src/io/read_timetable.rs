//! `timetable.csv` -> [`Timetable`].
//!
//! A malformed file (wrong columns, a period that is not a number, an empty
//! cell) is refused with errors, like an instance. Ids that are well formed
//! but unknown to the instance are kept as [`UnresolvedRow`]s for the checker
//! to report: a stale timetable is a finding, not a crash. So are rows with
//! the room or instructor left empty, kept as [`UndecidedPlacement`]s.

use std::collections::BTreeMap;
use std::path::Path;

use super::schema::TIMETABLE;
use super::table::{parse_table, read_bytes};
use super::InputErrors;
use crate::model::{CourseIdx, DayLookup, Instance, InstructorIdx, Placement, RoomIdx, Slot, Timetable, UndecidedPlacement, UnresolvedRow};

/// Reads a timetable written in FORMAT.md's output format.
pub fn read_timetable(path: &Path, instance: &Instance) -> Result<Timetable, InputErrors> {
    let bytes = read_bytes(path)?;
    parse_timetable(path, &bytes, instance)
}

/// Parses the bytes of a timetable.csv, as [`read_timetable`] does after
/// reading the file. Touches no disk: it exists for fuzzing.
#[doc(hidden)]
pub fn fuzz_parse_timetable(bytes: &[u8], instance: &Instance) -> Result<Timetable, InputErrors> {
    parse_timetable(Path::new(TIMETABLE.name), bytes, instance)
}

fn parse_timetable(path: &Path, bytes: &[u8], instance: &Instance) -> Result<Timetable, InputErrors> {
    let table = parse_table(path, bytes, TIMETABLE.columns)?;
    // Lookups by id, built once: a timetable has a row per session.
    let days = DayLookup::new(&instance.calendar);
    let courses = index(instance.courses.iter().map(|c| c.id.as_str()));
    let instructors = index(instance.instructors.iter().map(|i| i.id.as_str()));
    let rooms = index(instance.rooms.iter().map(|r| r.id.as_str()));
    let mut errors = Vec::new();
    let mut placements = Vec::new();
    let mut unresolved = Vec::new();
    let mut undecided = Vec::new();
    for row in &table.rows {
        let cell = |name| table.cell(row, name).expect("required column");
        let [day, period, course, instructor, room] = ["day", "period", "course", "instructor", "room"].map(cell);
        // An empty room or instructor is a decision still open, which the
        // checker reports; without a day, period or course there is no
        // session to speak of.
        for c in [&day, &period, &course].into_iter().filter(|c| c.text.is_empty()) {
            errors.push(table.error("E-EMPTY-CELL", c, "is empty"));
        }
        let Ok(period_no) = period.text.parse::<u32>() else {
            if !period.text.is_empty() && period.text.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(table.error("E-RANGE", &period, "is too large to be a period"));
            } else if !period.text.is_empty() {
                errors.push(table.error("E-COUNT", &period, "is not a whole number; expected a period from 1"));
            }
            continue;
        };
        if day.text.is_empty() || course.text.is_empty() {
            continue;
        }
        let mut unknown = |column: &str, value: &str| {
            unresolved.push(UnresolvedRow { line: row.line, column: column.to_string(), value: value.to_string() })
        };
        let slot = days.get(day.text).map(|d| Slot { day: d, period: period_no });
        match slot {
            None => unknown("day", day.text),
            Some(s) if !instance.calendar.has_slot(s) => unknown("period", period.text),
            _ => {}
        }
        let c = courses.get(course.text).copied();
        if c.is_none() {
            unknown("course", course.text);
        }
        // Some(None): the cell is empty; None: it names an unknown id.
        let mut optional = |column: &str, text: &str, ids: &BTreeMap<&str, usize>| match text {
            "" => Some(None),
            _ => {
                let found = ids.get(text).copied();
                if found.is_none() {
                    unknown(column, text);
                }
                found.map(Some)
            }
        };
        let i = optional("instructor", instructor.text, &instructors);
        let r = optional("room", room.text, &rooms);
        let (Some(slot), Some(c), Some(i), Some(r)) = (slot.filter(|s| instance.calendar.has_slot(*s)), c, i, r) else { continue };
        let (course, room, instructor) = (CourseIdx(c), r.map(RoomIdx), i.map(InstructorIdx));
        match (room, instructor) {
            (Some(room), Some(instructor)) => placements.push(Placement { course, slot, room, instructor }),
            _ => undecided.push(UndecidedPlacement { line: row.line, course, slot, room, instructor }),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    let mut timetable = Timetable::new(placements);
    timetable.unresolved = unresolved;
    timetable.undecided = undecided;
    Ok(timetable)
}

/// Id -> position of its first occurrence, as a linear search would find.
fn index<'a>(ids: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut map = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        map.entry(id).or_insert(i);
    }
    map
}
