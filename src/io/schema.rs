//! The files classplan reads and writes, described once: their names, their
//! columns, which of them must be there, and how a scenario folder's copy of
//! an instance file overlays the base instance's (docs/format.md).
//!
//! The instance reader and writer, the timetable reader and writer, the
//! `periods.csv` reader, the scenario overlay, the fuzz targets and the
//! tests all take file and column names from here, so a new column or file
//! is added in one place.

/// A column the reader knows, and whether the header must name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

pub const fn req(name: &'static str) -> Column {
    Column { name, required: true }
}

pub const fn opt(name: &'static str) -> Column {
    Column { name, required: false }
}

/// A CSV file of a known shape.
#[derive(Debug, Clone, Copy)]
pub struct FileSchema {
    pub name: &'static str,
    /// Known columns, in the order the writers put them.
    pub columns: &'static [Column],
}

impl FileSchema {
    /// The column names, in the writers' order.
    pub fn header(&self) -> Vec<&'static str> {
        header(self.columns)
    }
}

/// One file of an instance folder.
#[derive(Debug, Clone, Copy)]
pub struct InstanceFile {
    pub name: &'static str,
    /// Known columns, in the order the writer puts them.
    pub columns: &'static [Column],
    /// Whether every instance must have the file.
    pub required: bool,
    /// How a scenario's rows of this file combine with the base's.
    pub merge: Merge,
    /// Columns holding decimals, which a `;` file may write with a decimal
    /// comma.
    pub decimals: &'static [&'static str],
}

impl InstanceFile {
    /// The column names, in the writer's order.
    pub fn header(&self) -> Vec<&'static str> {
        header(self.columns)
    }
}

fn header(columns: &[Column]) -> Vec<&'static str> {
    columns.iter().map(|c| c.name).collect()
}

/// How a scenario's rows of one instance file combine with the base's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Rows are keyed by this column; `caseless` compares keys ignoring
    /// case. A scenario row replaces the base row of its key, or is added.
    Keyed { key: &'static str, caseless: bool },
    /// Scenario rows are added after the base rows.
    Append,
}

const BY_ID: Merge = Merge::Keyed { key: "id", caseless: false };

pub const CALENDAR: InstanceFile = InstanceFile {
    name: "calendar.csv",
    columns: &[req("day"), req("periods")],
    required: true,
    merge: Merge::Keyed { key: "day", caseless: false },
    decimals: &[],
};

pub const ROOMS: InstanceFile = InstanceFile {
    name: "rooms.csv",
    columns: &[req("id"), opt("name"), req("capacity"), opt("features"), opt("site")],
    required: true,
    merge: BY_ID,
    decimals: &[],
};

pub const INSTRUCTORS: InstanceFile = InstanceFile {
    name: "instructors.csv",
    columns: &[req("id"), opt("name"), req("subjects"), opt("max_sessions"), opt("max_per_day"), opt("max_days"), opt("min_sessions")],
    required: true,
    merge: BY_ID,
    decimals: &[],
};

pub const COHORTS: InstanceFile = InstanceFile {
    name: "cohorts.csv",
    columns: &[req("id"), opt("name"), req("size"), opt("first_day"), opt("last_day")],
    required: true,
    merge: BY_ID,
    decimals: &[],
};

pub const COURSES: InstanceFile = InstanceFile {
    name: "courses.csv",
    columns: &[
        req("id"),
        opt("name"),
        req("subject"),
        req("cohorts"),
        req("sessions"),
        opt("min_days"),
        opt("instructor"),
        opt("students"),
        opt("room_features"),
        opt("block"),
        opt("max_span_days"),
    ],
    required: true,
    merge: BY_ID,
    decimals: &[],
};

pub const AVAILABILITY: InstanceFile = InstanceFile {
    name: "availability.csv",
    columns: &[req("kind"), req("id"), req("day"), opt("period"), opt("weight")],
    required: false,
    merge: Merge::Append,
    decimals: &["weight"],
};

pub const PINS: InstanceFile = InstanceFile {
    name: "pins.csv",
    columns: &[req("course"), req("day"), req("period"), opt("room"), opt("instructor")],
    required: false,
    merge: Merge::Append,
    decimals: &[],
};

pub const WEIGHTS: InstanceFile = InstanceFile {
    name: "weights.csv",
    columns: &[req("name"), req("weight")],
    required: false,
    merge: Merge::Keyed { key: "name", caseless: true },
    decimals: &["weight"],
};

/// Subject titles (FORMAT.md version 2).
pub const SUBJECTS: InstanceFile =
    InstanceFile { name: "subjects.csv", columns: &[req("id"), req("name")], required: false, merge: BY_ID, decimals: &[] };

/// Order and spacing between courses (FORMAT.md version 2).
pub const RELATIONS: InstanceFile = InstanceFile {
    name: "relations.csv",
    columns: &[req("kind"), req("courses"), opt("weight")],
    required: false,
    merge: Merge::Append,
    decimals: &["weight"],
};

/// The files of a version-1 instance folder, in the order they are read:
/// each file refers only to files before it. The fuzz targets pick files
/// by their place here, so their seed corpora depend on this order; the
/// version-2 files are therefore listed apart, in [`PROGRAMME_FILES`].
pub const INSTANCE_FILES: [&InstanceFile; 8] = [&CALENDAR, &ROOMS, &INSTRUCTORS, &COHORTS, &COURSES, &AVAILABILITY, &PINS, &WEIGHTS];

/// The optional files FORMAT.md version 2 adds, read after
/// [`INSTANCE_FILES`] (relations refer to courses).
pub const PROGRAMME_FILES: [&InstanceFile; 2] = [&SUBJECTS, &RELATIONS];

/// Every file an instance folder may hold, in reading order.
pub fn all_instance_files() -> impl Iterator<Item = &'static InstanceFile> {
    INSTANCE_FILES.into_iter().chain(PROGRAMME_FILES)
}

/// The kinds of thing `availability.csv` and `remove.csv` name, each with
/// the file its ids are defined in.
pub const KINDS: [(&str, &InstanceFile); 4] = [("room", &ROOMS), ("instructor", &INSTRUCTORS), ("cohort", &COHORTS), ("course", &COURSES)];

/// A scenario's list of rooms, instructors, cohorts and courses to drop.
pub const REMOVE: FileSchema = FileSchema { name: "remove.csv", columns: &[req("kind"), req("id")] };

/// A timetable, as the solver writes it and the checker reads it.
pub const TIMETABLE: FileSchema = FileSchema {
    name: "timetable.csv",
    columns: &[req("day"), req("period"), req("course"), opt("subject"), opt("cohorts"), req("instructor"), req("room")],
};

/// Clock times of periods, an optional file of an instance folder that only
/// the report reads.
pub const PERIODS: FileSchema = FileSchema { name: "periods.csv", columns: &[req("period"), req("start"), req("end")] };

/// The courses a partial timetable leaves out, written beside it when no
/// complete timetable is found.
pub const UNPLACED: FileSchema = FileSchema { name: "unplaced.csv", columns: &[req("course"), req("sessions"), req("reason")] };

/// The instance file of this name.
pub fn instance_file(name: &str) -> Option<&'static InstanceFile> {
    all_instance_files().find(|f| f.name == name)
}

/// The files a scenario folder may hold: the version-1 instance files,
/// `remove.csv`, then the version-2 files. The scenario fuzz target picks
/// files by their place here, so the version-2 files come last and the
/// seeds keep the files they were made of.
pub fn scenario_file_names() -> impl Iterator<Item = &'static str> {
    INSTANCE_FILES.into_iter().map(|f| f.name).chain([REMOVE.name]).chain(PROGRAMME_FILES.into_iter().map(|f| f.name))
}

/// The CSV files an instance folder may hold: the instance files, a
/// timetable kept beside them (FORMAT.md's output, e.g. the published plan
/// given to `--baseline`), and the report's `periods.csv`. Any other `.csv`
/// file there is refused as misnamed (docs/format.md, E-UNKNOWN-FILE).
pub fn instance_folder_file_names() -> impl Iterator<Item = &'static str> {
    instance_file_names().chain([TIMETABLE.name, PERIODS.name])
}

fn instance_file_names() -> impl Iterator<Item = &'static str> {
    all_instance_files().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_and_decimals_are_columns_of_their_file() {
        for file in all_instance_files() {
            let names = file.header();
            if let Merge::Keyed { key, .. } = file.merge {
                assert!(file.columns.iter().any(|c| c.name == key && c.required), "{}: key {key}", file.name);
            }
            for d in file.decimals {
                assert!(names.contains(d), "{}: decimal column {d}", file.name);
            }
        }
    }

    #[test]
    fn file_and_column_names_are_unique() {
        let files: Vec<&str> = instance_folder_file_names().chain([REMOVE.name, UNPLACED.name]).collect();
        for (i, name) in files.iter().enumerate() {
            assert!(!files[..i].contains(name), "{name} twice");
        }
        let all: Vec<&[Column]> =
            all_instance_files().map(|f| f.columns).chain([REMOVE.columns, TIMETABLE.columns, PERIODS.columns, UNPLACED.columns]).collect();
        for columns in all {
            let names = header(columns);
            for (i, name) in names.iter().enumerate() {
                assert!(!names[..i].contains(name), "column {name} twice");
            }
        }
    }
}
