//! Instance folder -> [`Instance`], with every problem collected.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::folder::{misnamed_files, Misnamed};
use super::schema::{self, InstanceFile, AVAILABILITY, CALENDAR, COHORTS, COURSES, INSTRUCTORS, PINS, RELATIONS, ROOMS, SUBJECTS, WEIGHTS};
use super::table::{parse_table, read_bytes, Cell, Table};
use super::{InputError, InputErrors};
use crate::model::{
    Availability, AvailabilityTarget, Calendar, Cohort, CohortIdx, Course, CourseIdx, Day, DayIdx, DayLookup, Instance, Instructor,
    InstructorIdx, Pin, ProgrammeRule, Room, RoomIdx, RuleCells, Slot, Weights,
};

/// Most periods a calendar may hold in all. Every later step (diagnosis,
/// the integer program, the checker) has work per period, so a calendar far
/// beyond any real one (a teaching year is about 500 periods) is refused
/// rather than left to exhaust memory.
pub const MAX_SLOTS: usize = 1_000_000;

/// Largest weight or penalty accepted. Costs are sums of weights times
/// counts; a weight beyond this swamps every other cost and the solver's
/// floating-point tolerances, so it is surely a typing error.
pub const MAX_WEIGHT: f64 = 1e6;

/// Reads an instance folder. All problems are returned together, in the
/// order of the files and lines they are on.
pub fn read_instance(dir: &Path) -> Result<Instance, InputErrors> {
    if !dir.exists() {
        return Err(InputError::file("E-IO", dir, "does not exist; expected an instance folder").into());
    }
    if !dir.is_dir() {
        return Err(InputError::file("E-IO", dir, "is a file; expected an instance folder of CSV files").into());
    }
    let known: Vec<&str> = schema::instance_folder_file_names().collect();
    read_from(&Folder(dir), misnamed_files(dir, &known, "an instance folder"))
}

/// Parses an instance from file contents in memory, by file name (e.g.
/// `(ROOMS.name, bytes)`), exactly as [`read_instance`] would read a folder
/// holding those files. Touches no disk: it exists for fuzzing.
#[doc(hidden)]
pub fn fuzz_parse_instance_files(files: &[(&str, &[u8])]) -> Result<Instance, InputErrors> {
    read_from(&Memory(files.iter().copied().collect()), Misnamed::default())
}

fn read_from(source: &dyn Source, misnamed: Misnamed) -> Result<Instance, InputErrors> {
    let mut r = Reader {
        errors: misnamed.errors,
        // A misnamed file explains its known file's absence.
        failed_files: misnamed.stand_ins.into_iter().collect(),
        refused_ids: BTreeSet::new(),
        days: DayLookup::default(),
        rule_cells: RuleCells::default(),
    };
    let instance = r.read(source);
    if r.errors.is_empty() {
        Ok(instance)
    } else {
        Err(InputErrors(r.errors))
    }
}

/// Where the files of an instance come from.
trait Source {
    /// The path naming file `name` in errors.
    fn path(&self, name: &str) -> PathBuf;
    /// The file's bytes; `Ok(None)` when there is no such file.
    fn bytes(&self, name: &str) -> Result<Option<Cow<'_, [u8]>>, InputErrors>;
}

/// An instance folder on disk.
struct Folder<'a>(&'a Path);

impl Source for Folder<'_> {
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn bytes(&self, name: &str) -> Result<Option<Cow<'_, [u8]>>, InputErrors> {
        let path = self.path(name);
        if !path.exists() {
            return Ok(None);
        }
        read_bytes(&path).map(|b| Some(Cow::Owned(b)))
    }
}

/// File contents by name, with paths relative to nowhere.
struct Memory<'a>(BTreeMap<&'a str, &'a [u8]>);

impl Source for Memory<'_> {
    fn path(&self, name: &str) -> PathBuf {
        PathBuf::from(name)
    }

    fn bytes(&self, name: &str) -> Result<Option<Cow<'_, [u8]>>, InputErrors> {
        Ok(self.0.get(name).map(|b| Cow::Borrowed(*b)))
    }
}

pub(super) struct Reader {
    pub(super) errors: Vec<InputError>,
    /// Files that could not be read, and ids whose own row was refused:
    /// references to them are not reported again, so each error appears
    /// once, where it must be fixed.
    pub(super) failed_files: BTreeSet<&'static str>,
    pub(super) refused_ids: BTreeSet<(&'static str, String)>,
    /// Day cells -> days, once calendar.csv is read.
    pub(super) days: DayLookup,
    /// Where the input first sets each rule the solver does not place.
    pub(super) rule_cells: RuleCells,
}

/// Lookup of ids already read, for references.
pub(super) type Ids = BTreeMap<String, usize>;

impl Reader {
    fn table(&mut self, source: &dyn Source, file: &InstanceFile) -> Option<Table> {
        let name = file.name;
        let path = source.path(name);
        let parsed = match source.bytes(name) {
            Ok(None) => {
                if file.required && !self.failed_files.contains(name) {
                    self.errors.push(InputError::file("E-MISSING-FILE", &path, "is missing; every instance needs it"));
                    self.failed_files.insert(name);
                }
                return None;
            }
            Ok(Some(bytes)) => parse_table(&path, &bytes, file.columns),
            Err(e) => Err(e),
        };
        match parsed {
            Ok(t) => Some(t),
            Err(e) => {
                self.errors.extend(e.0);
                self.failed_files.insert(name);
                None
            }
        }
    }

    /// Remembers that the row defining `id` in `file` was refused.
    fn refuse(&mut self, file: &'static str, id: Option<String>) {
        if let Some(id) = id {
            self.refused_ids.insert((file, id));
        }
    }

    fn read(&mut self, dir: &dyn Source) -> Instance {
        let calendar = self.table(dir, &CALENDAR).map(|t| self.calendar(&t)).unwrap_or_default();
        let rooms = self.table(dir, &ROOMS).map(|t| self.rooms(&t)).unwrap_or_default();
        let instructors = self.table(dir, &INSTRUCTORS).map(|t| self.instructors(&t)).unwrap_or_default();
        let cohorts = self.table(dir, &COHORTS).map(|t| self.cohorts(&t)).unwrap_or_default();
        let mut instance = Instance { calendar, rooms, instructors, cohorts, ..Instance::default() };
        if let Some(t) = self.table(dir, &COURSES) {
            instance.courses = self.courses(&t, &instance);
        }
        if let Some(t) = self.table(dir, &AVAILABILITY) {
            instance.availability = self.availability(&t, &instance);
        }
        if let Some(t) = self.table(dir, &PINS) {
            instance.pins = self.pins(&t, &instance);
        }
        if let Some(t) = self.table(dir, &WEIGHTS) {
            instance.weights = self.weights(&t);
        }
        if let Some(t) = self.table(dir, &SUBJECTS) {
            instance.subjects = self.subjects(&t);
        }
        if let Some(t) = self.table(dir, &RELATIONS) {
            instance.relations = self.relations(&t, &instance);
        }
        instance.rule_cells = std::mem::take(&mut self.rule_cells);
        instance
    }

    // ---- files ----

    fn calendar(&mut self, t: &Table) -> Calendar {
        let mut days = Vec::new();
        let mut seen = Ids::new();
        let mut slots = 0usize;
        for row in &t.rows {
            let label = t.cell(row, "day").unwrap();
            let periods = t.cell(row, "periods").unwrap();
            if label.text.is_empty() {
                self.push(t, "E-EMPTY-CELL", &label, "is empty; expected a day label");
                continue;
            }
            if seen.insert(label.text.to_string(), days.len()).is_some() {
                self.push(t, "E-DUPLICATE-ID", &label, "is used by an earlier row; day labels must be unique");
            }
            match self.count(t, &periods, 1) {
                Some(p) if slots + p as usize > MAX_SLOTS => {
                    let msg = format!("makes the calendar longer than {MAX_SLOTS} periods in all, the most accepted");
                    self.push(t, "E-RANGE", &periods, msg);
                    self.failed_files.insert(CALENDAR.name);
                    break;
                }
                Some(p) => {
                    slots += p as usize;
                    days.push(Day { label: label.text.to_string(), periods: p });
                }
                None => self.refuse(CALENDAR.name, Some(label.text.to_string())),
            }
        }
        if days.is_empty() && t.rows.is_empty() {
            self.errors.push(InputError::file("E-EMPTY", &t.file, "has no days; expected at least one teaching day"));
            self.failed_files.insert(CALENDAR.name);
        }
        let calendar = Calendar::new(days);
        self.days = DayLookup::new(&calendar);
        calendar
    }

    fn rooms(&mut self, t: &Table) -> Vec<Room> {
        let mut out = Vec::new();
        let mut seen = Ids::new();
        for row in &t.rows {
            let id = self.unique_id(t, &t.cell(row, "id").unwrap(), &mut seen, out.len());
            let capacity = self.count(t, &t.cell(row, "capacity").unwrap(), 1);
            let features = t.cell(row, "features").map(|c| self.list(t, &c)).unwrap_or_default();
            let site_cell = t.cell(row, "site").filter(|c| !c.text.is_empty());
            match (id, capacity) {
                (Some(id), Some(capacity)) => {
                    let name = t.cell(row, "name").map(|c| c.text.to_string()).unwrap_or_default();
                    let site = site_cell.as_ref().map(|c| c.text.to_string()).unwrap_or_default();
                    if let Some(c) = &site_cell {
                        self.note_rule(t, c, ProgrammeRule::Site);
                    }
                    out.push(Room { id, name, capacity, features: features.into_iter().collect(), site });
                }
                (id, _) => self.refuse(ROOMS.name, id),
            }
        }
        out
    }

    fn instructors(&mut self, t: &Table) -> Vec<Instructor> {
        let mut out = Vec::new();
        let mut seen = Ids::new();
        for row in &t.rows {
            let id = self.unique_id(t, &t.cell(row, "id").unwrap(), &mut seen, out.len());
            let subjects = self.list(t, &t.cell(row, "subjects").unwrap());
            let max_sessions = self.opt_count(t, t.cell(row, "max_sessions"), 0);
            let max_per_day = self.opt_count(t, t.cell(row, "max_per_day"), 0);
            let max_days = self.opt_count(t, t.cell(row, "max_days"), 0);
            let min_sessions = self.opt_count(t, t.cell(row, "min_sessions"), 0);
            if let (Some(c), Some(_)) = (t.cell(row, "max_days"), max_days) {
                self.note_rule(t, &c, ProgrammeRule::MaxDays);
            }
            if let Some(id) = id {
                let name = t.cell(row, "name").map(|c| c.text.to_string()).unwrap_or_default();
                let subjects = subjects.into_iter().collect();
                out.push(Instructor { id, name, subjects, max_sessions, max_per_day, max_days, min_sessions });
            }
        }
        out
    }

    fn cohorts(&mut self, t: &Table) -> Vec<Cohort> {
        let mut out = Vec::new();
        let mut seen = Ids::new();
        for row in &t.rows {
            let id = self.unique_id(t, &t.cell(row, "id").unwrap(), &mut seen, out.len());
            let size = self.count(t, &t.cell(row, "size").unwrap(), 0);
            let mut window_day = |name| t.cell(row, name).filter(|c| !c.text.is_empty()).map(|c| (self.day(t, &c), c));
            let first = window_day("first_day");
            let last = window_day("last_day");
            if let (Some((Some(f), _)), Some((Some(l), cell))) = (&first, &last) {
                if l < f {
                    self.push(t, "E-RANGE", cell, "is before first_day; the window is reversed");
                }
            }
            let bad_day = matches!(first, Some((None, _))) || matches!(last, Some((None, _)));
            if size.is_none() || bad_day {
                self.refuse(COHORTS.name, id);
                continue;
            }
            if let (Some(id), Some(size)) = (id, size) {
                let name = t.cell(row, "name").map(|c| c.text.to_string()).unwrap_or_default();
                out.push(Cohort { id, name, size, first_day: first.and_then(|(d, _)| d), last_day: last.and_then(|(d, _)| d) });
            }
        }
        out
    }

    fn courses(&mut self, t: &Table, inst: &Instance) -> Vec<Course> {
        let cohort_ids = ids(inst.cohorts.iter().map(|k| &k.id));
        let instructor_ids = ids(inst.instructors.iter().map(|i| &i.id));
        let subjects: BTreeSet<&String> = inst.instructors.iter().flat_map(|i| &i.subjects).collect();
        let mut out = Vec::new();
        let mut seen = Ids::new();
        for row in &t.rows {
            let id = self.unique_id(t, &t.cell(row, "id").unwrap(), &mut seen, out.len());
            let subject_cell = t.cell(row, "subject").unwrap();
            let subject = self.id(t, &subject_cell);
            let cohorts_cell = t.cell(row, "cohorts").unwrap();
            let mut cohorts = Vec::new();
            let mut listed = BTreeSet::new();
            let mut ok = true;
            for token in self.list(t, &cohorts_cell) {
                match self.reference(t, &cohorts_cell, &token, &cohort_ids, "cohort", COHORTS.name) {
                    Some(k) if !listed.insert(k) => {
                        self.push(t, "E-DUPLICATE-ID", &cohorts_cell, format!("lists cohort '{token}' twice"));
                    }
                    Some(k) => cohorts.push(CohortIdx(k)),
                    None => ok = false,
                }
            }
            let sessions = self.count(t, &t.cell(row, "sessions").unwrap(), 1);
            let min_days = self.opt_count(t, t.cell(row, "min_days"), 0);
            let instructor_cell = t.cell(row, "instructor").filter(|c| !c.text.is_empty());
            let instructor = match &instructor_cell {
                None => None,
                Some(c) => match self.reference(t, c, c.text, &instructor_ids, "instructor", INSTRUCTORS.name) {
                    Some(i) => Some(InstructorIdx(i)),
                    None => {
                        ok = false;
                        None
                    }
                },
            };
            // Qualification matters only without a fixed instructor, and is
            // unknowable when instructors.csv was refused.
            if let (Some(s), None, false) = (&subject, &instructor_cell, self.failed_files.contains(INSTRUCTORS.name)) {
                if !subjects.contains(s) {
                    self.push(
                        t,
                        "E-NO-QUALIFIED-INSTRUCTOR",
                        &subject_cell,
                        format!(
                            "is a subject no instructor in {} is qualified for, and the course has no fixed instructor",
                            INSTRUCTORS.name
                        ),
                    );
                }
            }
            let students = self.opt_count(t, t.cell(row, "students"), 0);
            // Attendance is the cohorts' sizes added up when not given; it
            // must fit the same range as any count.
            let sizes = cohorts.iter().try_fold(0u32, |sum, k| sum.checked_add(inst.cohorts[k.0].size));
            if students.is_none() && sizes.is_none() {
                let msg = format!("lists cohorts whose sizes add up to more than {} students", u32::MAX);
                self.push(t, "E-RANGE", &cohorts_cell, msg);
                ok = false;
            }
            let room_features = t.cell(row, "room_features").map(|c| self.list(t, &c)).unwrap_or_default();
            let programme = self.course_programme(t, row, sessions);
            let (Some(id), Some(subject), Some(sessions), Some((block, max_span_days)), true) =
                (id.clone(), subject, sessions, programme, ok)
            else {
                self.refuse(COURSES.name, id);
                continue;
            };
            {
                out.push(Course {
                    id,
                    name: t.cell(row, "name").map(|c| c.text.to_string()).unwrap_or_default(),
                    subject,
                    cohorts,
                    sessions,
                    min_days,
                    instructor,
                    students,
                    room_features: room_features.into_iter().collect(),
                    block,
                    max_span_days,
                });
            }
        }
        out
    }

    fn availability(&mut self, t: &Table, inst: &Instance) -> Vec<Availability> {
        let cohort_ids = ids(inst.cohorts.iter().map(|k| &k.id));
        let instructor_ids = ids(inst.instructors.iter().map(|i| &i.id));
        let room_ids = ids(inst.rooms.iter().map(|r| &r.id));
        let course_ids = ids(inst.courses.iter().map(|c| &c.id));
        let mut out = Vec::new();
        for row in &t.rows {
            let kind = t.cell(row, "kind").unwrap();
            let id = t.cell(row, "id").unwrap();
            let target = match kind.text.to_lowercase().as_str() {
                "cohort" => {
                    self.reference(t, &id, id.text, &cohort_ids, "cohort", COHORTS.name).map(|k| AvailabilityTarget::Cohort(CohortIdx(k)))
                }
                "instructor" => self
                    .reference(t, &id, id.text, &instructor_ids, "instructor", INSTRUCTORS.name)
                    .map(|i| AvailabilityTarget::Instructor(InstructorIdx(i))),
                "room" => self.reference(t, &id, id.text, &room_ids, "room", ROOMS.name).map(|r| AvailabilityTarget::Room(RoomIdx(r))),
                "course" => {
                    self.reference(t, &id, id.text, &course_ids, "course", COURSES.name).map(|c| AvailabilityTarget::Course(CourseIdx(c)))
                }
                _ => {
                    self.push(t, "E-KIND", &kind, "is not a kind; expected cohort, instructor, room or course");
                    None
                }
            };
            let days = self.day_range(t, &t.cell(row, "day").unwrap());
            let period = match t.cell(row, "period").filter(|c| !c.text.is_empty()) {
                None => Some(None),
                Some(c) => self.count(t, &c, 1).and_then(|p| match days {
                    Some((f, l)) if !(f.0..=l.0).any(|d| inst.calendar.days[d].periods >= p) => {
                        self.push(t, "E-UNKNOWN-PERIOD", &c, "is beyond the periods of every day in the range");
                        None
                    }
                    _ => Some(Some(p)),
                }),
            };
            let weight = match t.cell(row, "weight").filter(|c| !c.text.is_empty()) {
                None => Some(None),
                Some(c) => match self.decimal(t, &c) {
                    Some(w) if w > 0.0 => Some(Some(w)),
                    Some(_) => {
                        self.push(t, "E-NUMBER", &c, "is zero; expected a positive penalty, or empty for a hard row");
                        None
                    }
                    None => None,
                },
            };
            if let (Some(target), Some((first_day, last_day)), Some(period), Some(weight)) = (target, days, period, weight) {
                out.push(Availability { target, first_day, last_day, period, weight });
            }
        }
        out
    }

    fn day_range(&mut self, t: &Table, cell: &Cell) -> Option<(DayIdx, DayIdx)> {
        match cell.text.split_once("..") {
            None => self.day(t, cell).map(|d| (d, d)),
            Some((from, to)) => {
                let from_day = self.days.get(from.trim());
                let to_day = self.days.get(to.trim());
                for (label, day) in [(from, from_day), (to, to_day)] {
                    if day.is_none() && !self.is_refused_day(label.trim()) {
                        let msg = format!("'{}' is not in the calendar; expected FROM..TO, each {}", label.trim(), self.day_form());
                        self.push(t, "E-UNKNOWN-DAY", cell, msg);
                    }
                }
                let (f, l) = (from_day?, to_day?);
                if l < f {
                    self.push(t, "E-RANGE", cell, "is a reversed day range; FROM must not come after TO in calendar order");
                    return None;
                }
                Some((f, l))
            }
        }
    }

    fn pins(&mut self, t: &Table, inst: &Instance) -> Vec<Pin> {
        let course_ids = ids(inst.courses.iter().map(|c| &c.id));
        let room_ids = ids(inst.rooms.iter().map(|r| &r.id));
        let instructor_ids = ids(inst.instructors.iter().map(|i| &i.id));
        let mut out: Vec<Pin> = Vec::new();
        // Positions in `out` of each course's pins.
        let mut of_course: BTreeMap<CourseIdx, Vec<usize>> = BTreeMap::new();
        for row in &t.rows {
            let course_cell = t.cell(row, "course").unwrap();
            let course = self.reference(t, &course_cell, course_cell.text, &course_ids, "course", COURSES.name).map(CourseIdx);
            let day = self.day(t, &t.cell(row, "day").unwrap());
            let period_cell = t.cell(row, "period").unwrap();
            let slot = self.count(t, &period_cell, 1).zip(day).and_then(|(period, day)| {
                let slot = Slot { day, period };
                if inst.calendar.has_slot(slot) {
                    Some(slot)
                } else {
                    let n = inst.calendar.days[day.0].periods;
                    self.push(t, "E-UNKNOWN-PERIOD", &period_cell, format!("is not a period of that day; it has periods 1..{n}"));
                    None
                }
            });
            let mut optional = |name, ids: &Ids, what, file| match t.cell(row, name).filter(|c| !c.text.is_empty()) {
                None => Some(None),
                Some(c) => self.reference(t, &c, c.text, ids, what, file).map(Some),
            };
            let room = optional("room", &room_ids, "room", ROOMS.name);
            let instructor = optional("instructor", &instructor_ids, "instructor", INSTRUCTORS.name);
            let (Some(course), Some(slot), Some(room), Some(instructor)) = (course, slot, room, instructor) else { continue };
            let pin = Pin { course, slot, room: room.map(RoomIdx), instructor: instructor.map(InstructorIdx) };
            if let Some(i) = pin.instructor {
                let c = &inst.courses[course.0];
                let eligible = match c.instructor {
                    Some(fixed) => fixed == i,
                    None => inst.instructors[i.0].subjects.contains(&c.subject),
                };
                if !eligible {
                    let c = t.cell(row, "instructor").unwrap();
                    self.push(
                        t,
                        "E-PIN",
                        &c,
                        format!("cannot teach course '{}' (not its fixed instructor, or not qualified for its subject)", course_cell.text),
                    );
                    continue;
                }
            }
            let same_course: Vec<&Pin> = of_course.get(&course).into_iter().flatten().map(|&k| &out[k]).collect();
            if same_course.iter().any(|p| p.slot == slot) {
                self.push(
                    t,
                    "E-PIN",
                    &course_cell,
                    "is pinned twice at the same day and period; two sessions of a course never share a period",
                );
                continue;
            }
            if let Some(other) =
                same_course.iter().find_map(|p| p.instructor.filter(|&o| Some(o) != pin.instructor && pin.instructor.is_some()))
            {
                self.push(
                    t,
                    "E-PIN",
                    &course_cell,
                    format!(
                        "is pinned with two instructors ('{}' elsewhere); one instructor teaches all sessions of a course",
                        inst.instructors[other.0].id
                    ),
                );
                continue;
            }
            if same_course.len() as u32 >= inst.courses[course.0].sessions {
                self.push(t, "E-PIN", &course_cell, format!("has more pins than its {} sessions", inst.courses[course.0].sessions));
                continue;
            }
            of_course.entry(course).or_default().push(out.len());
            out.push(pin);
        }
        out
    }

    fn weights(&mut self, t: &Table) -> Weights {
        let mut w = Weights::default();
        let mut seen = BTreeSet::new();
        for row in &t.rows {
            let name = t.cell(row, "name").unwrap();
            let value = t.cell(row, "weight").unwrap();
            let key = name.text.to_lowercase();
            if !seen.insert(key.clone()) {
                self.push(t, "E-DUPLICATE-ID", &name, "is given twice");
                continue;
            }
            match key.as_str() {
                "room_capacity" if value.text.eq_ignore_ascii_case("hard") => w.room_capacity = None,
                "room_capacity" => w.room_capacity = self.decimal(t, &value).or(w.room_capacity),
                "min_days" => w.min_days = self.decimal(t, &value).unwrap_or(w.min_days),
                "compactness" => w.compactness = self.decimal(t, &value).unwrap_or(w.compactness),
                "room_stability" => w.room_stability = self.decimal(t, &value).unwrap_or(w.room_stability),
                "teaching_quota" => w.teaching_quota = self.decimal(t, &value).unwrap_or(w.teaching_quota),
                _ => self.push(
                    t,
                    "E-UNKNOWN-ID",
                    &name,
                    "is not a weight; expected room_capacity, min_days, compactness, room_stability or teaching_quota",
                ),
            }
        }
        w
    }
}

pub(super) fn ids<'a>(items: impl Iterator<Item = &'a String>) -> Ids {
    items.enumerate().map(|(i, id)| (id.clone(), i)).collect()
}

/// FORMAT.md: a token of letters, digits, `_`, `-`, `.` (no spaces).
pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
