//! ITC-2007 track 3 `.ctt` files: import to an instance, export solutions.
//!
//! The curriculum-based course timetabling track of the second International
//! Timetabling Competition is the public benchmark closest to our problem, so
//! reading its files lets the solver and the checker be measured against
//! published costs. A `.ctt` file is a header of `Key: value` lines followed
//! by four sections in a fixed order, then `END.`:
//!
//! ```text
//! Name: ToyExample
//! Courses: 4          Rooms: 2   Days: 5   Periods_per_day: 4
//! Curricula: 2        Constraints: 8       (one header line each)
//!
//! COURSES:                      ID TEACHER LECTURES MIN_DAYS STUDENTS
//! ROOMS:                        ID CAPACITY
//! CURRICULA:                    ID N COURSE_1 .. COURSE_N
//! UNAVAILABILITY_CONSTRAINTS:   COURSE DAY PERIOD   (both from 0)
//! END.
//! ```
//!
//! The reader is strict: a benchmark file that is silently misread would give
//! costs that cannot be compared with anyone else's, so every line that does
//! not fit, and every header count that disagrees with its section, is an
//! error naming its line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::read_instance::MAX_SLOTS;
use super::{InputError, InputErrors};
use crate::model::{
    Availability, AvailabilityTarget, Calendar, Cohort, CohortIdx, Course, CourseIdx, Day, DayIdx, Instance, Instructor, InstructorIdx,
    Room, Timetable, Weights,
};

/// A `.ctt` file as written: ids as strings, days and periods from 0.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CttProblem {
    pub name: String,
    pub days: u32,
    pub periods_per_day: u32,
    pub courses: Vec<CttCourse>,
    pub rooms: Vec<CttRoom>,
    pub curricula: Vec<CttCurriculum>,
    pub unavailability: Vec<CttUnavailability>,
}

/// A line of `COURSES:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CttCourse {
    pub id: String,
    pub teacher: String,
    pub lectures: u32,
    pub min_days: u32,
    pub students: u32,
}

/// A line of `ROOMS:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CttRoom {
    pub id: String,
    pub capacity: u32,
}

/// A line of `CURRICULA:`: courses whose lectures must not overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CttCurriculum {
    pub id: String,
    pub courses: Vec<String>,
}

/// A line of `UNAVAILABILITY_CONSTRAINTS:`; `day` and `period` count from 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CttUnavailability {
    pub course: String,
    pub day: u32,
    pub period: u32,
}

impl CttProblem {
    /// Total number of lectures to schedule.
    pub fn num_lectures(&self) -> usize {
        self.courses.iter().map(|c| c.lectures as usize).sum()
    }
}

/// Error codes, stable for scripts and documentation.
const E_SYNTAX: &str = "E-CTT-SYNTAX";
const E_NUMBER: &str = "E-CTT-NUMBER";
const E_COUNT: &str = "E-CTT-COUNT";
const E_UNKNOWN: &str = "E-CTT-UNKNOWN";
const E_RANGE: &str = "E-CTT-RANGE";
const E_DUPLICATE: &str = "E-CTT-DUPLICATE";
const E_ID: &str = "E-CTT-ID";
const E_SECTION: &str = "E-CTT-SECTION";
const E_HEADER: &str = "E-CTT-HEADER";

/// The sections in the order the format requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Header,
    Courses,
    Rooms,
    Curricula,
    Unavailability,
    End,
}

impl Section {
    const MARKERS: [(Section, &'static str); 5] = [
        (Section::Courses, "COURSES:"),
        (Section::Rooms, "ROOMS:"),
        (Section::Curricula, "CURRICULA:"),
        (Section::Unavailability, "UNAVAILABILITY_CONSTRAINTS:"),
        (Section::End, "END."),
    ];

    fn from_marker(line: &str) -> Option<Section> {
        Self::MARKERS.iter().find(|(_, m)| *m == line).map(|(s, _)| *s)
    }

    fn marker(self) -> &'static str {
        Self::MARKERS.iter().find(|(s, _)| *s == self).map_or("header", |(_, m)| m)
    }

    fn next(self) -> Section {
        match self {
            Section::Header => Section::Courses,
            Section::Courses => Section::Rooms,
            Section::Rooms => Section::Curricula,
            Section::Curricula => Section::Unavailability,
            Section::Unavailability | Section::End => Section::End,
        }
    }
}

/// Header keys, in the order the competition writes them.
const HEADER_KEYS: [&str; 7] = ["Name", "Courses", "Rooms", "Days", "Periods_per_day", "Curricula", "Constraints"];

/// The section a header count describes.
fn counted_section(key: &str) -> Option<Section> {
    match key {
        "Courses" => Some(Section::Courses),
        "Rooms" => Some(Section::Rooms),
        "Curricula" => Some(Section::Curricula),
        "Constraints" => Some(Section::Unavailability),
        _ => None,
    }
}

struct Parser<'a> {
    file: &'a Path,
    errors: Vec<InputError>,
    problem: CttProblem,
    /// Header values as written, with their line.
    header: BTreeMap<&'static str, (usize, String)>,
    /// Header counts that parsed: line, key and value, by section.
    counts: BTreeMap<Section, (usize, &'static str, u32)>,
    /// Line of each section marker met, and how many data lines followed.
    sections: BTreeMap<Section, (usize, usize)>,
    /// Every course id that began a `COURSES:` line, even a malformed one,
    /// so that one bad course line does not also make every curriculum and
    /// unavailability line naming that course an error.
    course_ids: BTreeSet<String>,
    room_ids: BTreeSet<String>,
    curriculum_ids: BTreeSet<String>,
}

impl<'a> Parser<'a> {
    fn error(&mut self, code: &'static str, line: usize, message: impl Into<String>, value: Option<&str>) {
        let mut e = InputError::file(code, self.file, message).at_line(line);
        if let Some(v) = value {
            e = e.with_value(v);
        }
        self.errors.push(e);
    }

    fn field_error(&mut self, code: &'static str, line: usize, field: (usize, &str), value: &str, message: String) {
        let e = InputError::file(code, self.file, message).at_line(line).at_column(field.0, field.1).with_value(value);
        self.errors.push(e);
    }

    /// A whole number written as plain digits.
    fn number(&mut self, line: usize, field: (usize, &str), token: &str) -> Option<u32> {
        let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
        match token.parse::<u32>() {
            Ok(n) if digits => Some(n),
            _ => {
                self.field_error(E_NUMBER, line, field, token, format!("expected a whole number for {}", field.1));
                None
            }
        }
    }

    /// Like [`Self::number`], but at least `min`.
    fn number_at_least(&mut self, line: usize, field: (usize, &str), token: &str, min: u32) -> Option<u32> {
        let n = self.number(line, field, token)?;
        if n < min {
            self.field_error(E_RANGE, line, field, token, format!("{} must be at least {min}", field.1));
            return None;
        }
        Some(n)
    }

    /// A number from 0 below `limit`, the value of header key `key`. A
    /// limit of 0 means the header value was bad and is already reported.
    fn below(&mut self, line: usize, field: (usize, &str), token: &str, key: &str, limit: u32) -> Option<u32> {
        let n = self.number(line, field, token)?;
        if limit > 0 && n >= limit {
            let message = format!("{} must be between 0 and {} (`{key}: {limit}`)", field.1, limit - 1);
            self.field_error(E_RANGE, line, field, token, message);
            return None;
        }
        Some(n)
    }

    /// An id as FORMAT.md defines it, since every id read here is written
    /// back into CSV files of an instance folder.
    fn id(&mut self, line: usize, field: (usize, &str), token: &str) -> Option<String> {
        let valid = token.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !valid {
            self.field_error(E_ID, line, field, token, format!("{} may hold only letters, digits, '_', '-' and '.'", field.1));
            return None;
        }
        Some(token.to_string())
    }

    fn field_count(&mut self, line: usize, tokens: &[&str], expected: usize, shape: &str) -> bool {
        if tokens.len() == expected {
            return true;
        }
        let message = format!("expected `{shape}` ({expected} fields), found {} fields", tokens.len());
        self.error(E_SYNTAX, line, message, Some(&tokens.join(" ")));
        false
    }

    fn header_line(&mut self, line: usize, text: &str) {
        let Some((key, value)) = text.split_once(':') else {
            self.error(E_HEADER, line, "expected a header line `Key: value` or the `COURSES:` section", Some(text));
            return;
        };
        let (key, value) = (key.trim(), value.trim());
        let Some(&key) = HEADER_KEYS.iter().find(|k| **k == key) else {
            let message = format!("unknown header key; expected one of {}", HEADER_KEYS.join(", "));
            self.error(E_HEADER, line, message, Some(key));
            return;
        };
        if let Some((first, _)) = self.header.get(key) {
            let message = format!("`{key}:` given twice (first on line {first})");
            self.error(E_DUPLICATE, line, message, None);
            return;
        }
        self.header.insert(key, (line, value.to_string()));
    }

    /// Turns the header lines into values once the header is complete.
    /// `end_line` is where the header ended, for keys that are missing.
    fn finish_header(&mut self, end_line: usize) {
        for key in HEADER_KEYS {
            let Some((line, value)) = self.header.get(key).cloned() else {
                self.error(E_HEADER, end_line, format!("the header lacks `{key}:`"), None);
                continue;
            };
            match key {
                "Name" if value.is_empty() => {
                    self.error(E_HEADER, line, "`Name:` is empty", None);
                }
                "Name" => self.problem.name = value,
                "Days" => self.problem.days = self.number_at_least(line, (2, key), &value, 1).unwrap_or(0),
                "Periods_per_day" => self.problem.periods_per_day = self.number_at_least(line, (2, key), &value, 1).unwrap_or(0),
                _ => {
                    // Counts are checked against their sections at the end.
                    if let (Some(n), Some(section)) = (self.number(line, (2, key), &value), counted_section(key)) {
                        self.counts.insert(section, (line, key, n));
                    }
                }
            }
        }
        // The instance has a calendar day per day: one far beyond any real
        // calendar would exhaust memory when the file is mapped.
        let slots = self.problem.days as usize * self.problem.periods_per_day as usize;
        if slots > MAX_SLOTS {
            let line = self.header.get("Days").map_or(end_line, |(l, _)| *l);
            let message = format!("Days x Periods_per_day is {slots}; at most {MAX_SLOTS} periods in all are accepted");
            self.error(E_RANGE, line, message, None);
            self.problem.days = 0;
            self.problem.periods_per_day = 0;
        }
    }

    fn course_line(&mut self, line: usize, tokens: &[&str]) {
        let seen_before = tokens.first().is_some_and(|id| !self.course_ids.insert(id.to_string()));
        if !self.field_count(line, tokens, 5, "ID TEACHER LECTURES MIN_DAYS STUDENTS") {
            return;
        }
        let id = self.id(line, (1, "course id"), tokens[0]);
        let teacher = self.id(line, (2, "teacher"), tokens[1]);
        let lectures = self.number_at_least(line, (3, "lectures"), tokens[2], 1);
        let min_days = self.number(line, (4, "min_days"), tokens[3]);
        let students = self.number(line, (5, "students"), tokens[4]);
        let (Some(id), Some(teacher), Some(lectures), Some(min_days), Some(students)) = (id, teacher, lectures, min_days, students) else {
            return;
        };
        if seen_before {
            self.field_error(E_DUPLICATE, line, (1, "course id"), &id, "course id given twice".into());
            return;
        }
        self.problem.courses.push(CttCourse { id, teacher, lectures, min_days, students });
    }

    fn room_line(&mut self, line: usize, tokens: &[&str]) {
        if !self.field_count(line, tokens, 2, "ID CAPACITY") {
            return;
        }
        let id = self.id(line, (1, "room id"), tokens[0]);
        // Instance folders require rooms with at least one seat.
        let capacity = self.number_at_least(line, (2, "capacity"), tokens[1], 1);
        let (Some(id), Some(capacity)) = (id, capacity) else { return };
        if !self.room_ids.insert(id.clone()) {
            self.field_error(E_DUPLICATE, line, (1, "room id"), &id, "room id given twice".into());
            return;
        }
        self.problem.rooms.push(CttRoom { id, capacity });
    }

    fn course_reference(&mut self, line: usize, field: (usize, &str), token: &str) -> Option<String> {
        if self.course_ids.contains(token) {
            return Some(token.to_string());
        }
        self.field_error(E_UNKNOWN, line, field, token, "no course with this id in `COURSES:`".into());
        None
    }

    fn curriculum_line(&mut self, line: usize, tokens: &[&str]) {
        if tokens.len() < 2 {
            self.field_count(line, tokens, 2, "ID N COURSE_1 .. COURSE_N");
            return;
        }
        let id = self.id(line, (1, "curriculum id"), tokens[0]);
        let Some(n) = self.number(line, (2, "number of courses"), tokens[1]) else { return };
        let listed = &tokens[2..];
        if listed.len() != n as usize {
            let message = format!("the curriculum says {n} courses but lists {}", listed.len());
            self.field_error(E_COUNT, line, (2, "number of courses"), tokens[1], message);
        }
        let mut courses = Vec::with_capacity(listed.len());
        let mut seen = BTreeSet::new();
        let mut ok = true;
        for (i, token) in listed.iter().enumerate() {
            let field = (i + 3, "course");
            match self.course_reference(line, field, token) {
                Some(c) if !seen.insert(c.clone()) => {
                    self.field_error(E_DUPLICATE, line, field, token, "course listed twice in one curriculum".into());
                    ok = false;
                }
                Some(c) => courses.push(c),
                None => ok = false,
            }
        }
        let Some(id) = id else { return };
        if !self.curriculum_ids.insert(id.clone()) {
            self.field_error(E_DUPLICATE, line, (1, "curriculum id"), &id, "curriculum id given twice".into());
            return;
        }
        if ok && listed.len() == n as usize {
            self.problem.curricula.push(CttCurriculum { id, courses });
        }
    }

    fn unavailability_line(&mut self, line: usize, tokens: &[&str]) {
        if !self.field_count(line, tokens, 3, "COURSE DAY PERIOD") {
            return;
        }
        let course = self.course_reference(line, (1, "course"), tokens[0]);
        let day = self.below(line, (2, "day"), tokens[1], "Days", self.problem.days);
        let period = self.below(line, (3, "period"), tokens[2], "Periods_per_day", self.problem.periods_per_day);
        if let (Some(course), Some(day), Some(period)) = (course, day, period) {
            self.problem.unavailability.push(CttUnavailability { course, day, period });
        }
    }

    fn data_line(&mut self, section: Section, line: usize, text: &str) {
        if let Some((_, count)) = self.sections.get_mut(&section) {
            *count += 1;
        }
        let tokens: Vec<&str> = text.split_whitespace().collect();
        match section {
            Section::Header => self.header_line(line, text),
            Section::Courses => self.course_line(line, &tokens),
            Section::Rooms => self.room_line(line, &tokens),
            Section::Curricula => self.curriculum_line(line, &tokens),
            Section::Unavailability => self.unavailability_line(line, &tokens),
            Section::End => {
                self.error(E_SECTION, line, "text after `END.`", Some(text));
            }
        }
    }

    /// Every header count must equal the number of lines of its section.
    fn check_counts(&mut self) {
        for (section, (header_line, key, expected)) in self.counts.clone() {
            // A section never met is reported as missing, not miscounted.
            let Some(&(section_line, found)) = self.sections.get(&section) else { continue };
            if found != expected as usize {
                let message =
                    format!("the header says `{key}: {expected}` (line {header_line}) but `{}` has {found} lines", section.marker());
                self.error(E_COUNT, section_line, message, None);
            }
        }
    }

    fn run(mut self, text: &str) -> Result<CttProblem, InputErrors> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut section = Section::Header;
        let mut last_line = 0;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            last_line = line;
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            let Some(marker) = Section::from_marker(trimmed) else {
                self.data_line(section, line, trimmed);
                continue;
            };
            if section == Section::Header {
                self.finish_header(line);
            }
            if marker != section.next() {
                let message = format!(
                    "expected `{}` here; sections come in the order COURSES:, ROOMS:, CURRICULA:, \
                     UNAVAILABILITY_CONSTRAINTS:, END.",
                    section.next().marker()
                );
                self.error(E_SECTION, line, message, Some(trimmed));
            }
            if let Some(&(first, _)) = self.sections.get(&marker) {
                let message = format!("`{}` given twice (first on line {first})", marker.marker());
                self.error(E_DUPLICATE, line, message, None);
            } else {
                self.sections.insert(marker, (line, 0));
            }
            section = marker;
        }
        if section == Section::Header {
            self.finish_header(last_line.max(1));
        }
        if section != Section::End {
            let message = format!("the file ends before `{}`; is it truncated?", section.next().marker());
            self.error(E_SECTION, last_line.max(1), message, None);
        }
        self.check_counts();
        if self.errors.is_empty() {
            Ok(self.problem)
        } else {
            self.errors.sort_by_key(|e| e.line);
            Err(InputErrors(self.errors))
        }
    }
}

/// Reads the text of a `.ctt` file; `file` names it in errors. Every problem
/// is reported, in line order.
pub fn parse_ctt(text: &str, file: &Path) -> Result<CttProblem, InputErrors> {
    let parser = Parser {
        file,
        errors: Vec::new(),
        problem: CttProblem::default(),
        header: BTreeMap::new(),
        counts: BTreeMap::new(),
        sections: BTreeMap::new(),
        course_ids: BTreeSet::new(),
        room_ids: BTreeSet::new(),
        curriculum_ids: BTreeSet::new(),
    };
    parser.run(text)
}

/// Reads a `.ctt` file and maps it onto an instance ([`to_instance`]).
pub fn read_ctt(path: &Path) -> Result<Instance, InputErrors> {
    let text = std::fs::read_to_string(path).map_err(|e| InputError::file("E-IO", path, format!("cannot read the file: {e}")))?;
    Ok(to_instance(&parse_ctt(&text, path)?))
}

/// The instance FORMAT.md's last section describes: curricula become cohorts
/// of size 0 (the courses carry their own student counts), each course keeps
/// its teacher as fixed instructor and is its own subject, days are labelled
/// `0..D-1` with periods `1..P`, unavailability becomes hard `course` rows,
/// and the weights are the competition's (UD2).
///
/// References that do not resolve (possible only in a hand-built problem;
/// [`parse_ctt`] rejects them) are left out.
pub fn to_instance(p: &CttProblem) -> Instance {
    let calendar = Calendar::new((0..p.days).map(|d| Day { label: d.to_string(), periods: p.periods_per_day }).collect());
    let rooms = p
        .rooms
        .iter()
        .map(|r| Room { id: r.id.clone(), name: String::new(), capacity: r.capacity, features: BTreeSet::new(), site: String::new() })
        .collect();

    let mut instructors: Vec<Instructor> = Vec::new();
    let mut instructor_of: BTreeMap<&str, InstructorIdx> = BTreeMap::new();
    for c in &p.courses {
        instructor_of.entry(c.teacher.as_str()).or_insert_with(|| {
            instructors.push(Instructor {
                id: c.teacher.clone(),
                name: String::new(),
                subjects: BTreeSet::new(),
                max_sessions: None,
                max_per_day: None,
                max_days: None,
                min_sessions: None,
            });
            InstructorIdx(instructors.len() - 1)
        });
    }

    let course_of: BTreeMap<&str, CourseIdx> = p.courses.iter().enumerate().map(|(i, c)| (c.id.as_str(), CourseIdx(i))).collect();
    let mut cohorts_of = vec![Vec::new(); p.courses.len()];
    for (k, curriculum) in p.curricula.iter().enumerate() {
        for c in curriculum.courses.iter().filter_map(|id| course_of.get(id.as_str())) {
            cohorts_of[c.0].push(CohortIdx(k));
        }
    }
    let cohorts =
        p.curricula.iter().map(|q| Cohort { id: q.id.clone(), name: String::new(), size: 0, first_day: None, last_day: None }).collect();
    let courses = p
        .courses
        .iter()
        .zip(cohorts_of)
        .map(|(c, cohorts)| Course {
            id: c.id.clone(),
            name: String::new(),
            subject: c.id.clone(),
            cohorts,
            sessions: c.lectures,
            min_days: Some(c.min_days),
            instructor: instructor_of.get(c.teacher.as_str()).copied(),
            students: Some(c.students),
            room_features: BTreeSet::new(),
            block: None,
            max_span_days: None,
        })
        .collect();

    let availability = p
        .unavailability
        .iter()
        .filter_map(|u| {
            let course = *course_of.get(u.course.as_str())?;
            Some(Availability {
                target: AvailabilityTarget::Course(course),
                first_day: DayIdx(u.day as usize),
                last_day: DayIdx(u.day as usize),
                period: Some(u.period + 1),
                weight: None,
            })
        })
        .collect();

    Instance {
        calendar,
        rooms,
        instructors,
        cohorts,
        courses,
        availability,
        pins: Vec::new(),
        weights: Weights { room_capacity: Some(1.0), min_days: 5.0, compactness: 2.0, room_stability: 1.0, teaching_quota: 1.0 },
        ..Instance::default()
    }
}

/// A timetable in the competition's solution format: one line per lecture,
/// `COURSE ROOM DAY PERIOD`, day and period counted from 0, in the
/// timetable's order. Placements whose indices are not in `instance` cannot
/// be named and are left out (the checker reports such timetables).
pub fn solution_text(instance: &Instance, timetable: &Timetable) -> String {
    let mut out = String::new();
    for p in &timetable.placements {
        let (Some(course), Some(room)) = (instance.courses.get(p.course.0), instance.rooms.get(p.room.0)) else {
            continue;
        };
        let Some(period) = p.slot.period.checked_sub(1) else { continue };
        out.push_str(&format!("{} {} {} {}\n", course.id, room.id, p.slot.day.0, period));
    }
    out
}
