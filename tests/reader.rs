//! The instance reader against FORMAT.md, rule by rule: each test breaks
//! one rule in a copy of `instances/tiny` and expects the exact message.

use std::fs;
use std::path::{Path, PathBuf};

use classplan::io::read_instance;

fn tiny() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/tiny")
}

/// A copy of `tiny` with `file` replaced by `content` (or removed if None).
fn variant(file: &str, content: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(tiny()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    match content {
        Some(text) => fs::write(dir.path().join(file), text).unwrap(),
        None => fs::remove_file(dir.path().join(file)).unwrap(),
    }
    dir
}

/// The errors' messages with the temporary folder replaced by `DIR`.
fn errors(file: &str, content: Option<&str>) -> Vec<String> {
    let dir = variant(file, content);
    let err = read_instance(dir.path()).expect_err("the broken instance must be refused");
    err.0.iter().map(|e| e.to_string().replace(&dir.path().display().to_string(), "DIR")).collect()
}

fn one_error(file: &str, content: &str) -> String {
    let all = errors(file, Some(content));
    assert_eq!(all.len(), 1, "expected exactly one error, got {all:#?}");
    all.into_iter().next().unwrap()
}

#[test]
fn tiny_loads_with_every_file_read() {
    let inst = read_instance(&tiny()).unwrap();
    assert_eq!(inst.calendar.num_slots(), 6);
    assert_eq!((inst.rooms.len(), inst.instructors.len(), inst.cohorts.len(), inst.courses.len()), (2, 3, 2, 4));
    assert_eq!(inst.num_sessions(), 8);
    assert_eq!(inst.availability.len(), 2);
    assert_eq!(inst.availability[1].weight, Some(1.5));
    assert_eq!(inst.pins.len(), 1);
    assert_eq!(inst.weights.room_stability, 0.5);
    assert_eq!(inst.weights.room_capacity, None);
    assert_eq!(inst.cohorts[0].name, "Lớp Bí thư đảng ủy cấp xã");
}

#[test]
fn semicolon_bom_crlf_twin_loads_identically() {
    let twin = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/bom-semicolon");
    assert!(fs::read(twin.join("rooms.csv")).unwrap().starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(read_instance(&twin).unwrap(), read_instance(&tiny()).unwrap());
}

#[test]
fn missing_required_file() {
    assert_eq!(errors("rooms.csv", None), ["DIR/rooms.csv: is missing; every instance needs it [E-MISSING-FILE]"]);
}

#[test]
fn optional_files_may_be_absent() {
    for file in ["availability.csv", "pins.csv", "weights.csv"] {
        let dir = variant(file, None);
        read_instance(dir.path()).unwrap();
    }
}

#[test]
fn unknown_column() {
    assert_eq!(
        one_error("rooms.csv", "id,name,capacity,colour\nhoi-truong,H,40,red\nphong-101,P,20,blue\n"),
        "DIR/rooms.csv:1:4: column 'colour': unknown column; expected one of id, name, capacity, features, site (or a note column starting with '#' or 'x-') (found \"colour\") [E-UNKNOWN-COLUMN]"
    );
}

#[test]
fn missing_required_column() {
    assert_eq!(
        one_error("rooms.csv", "id,name\nhoi-truong,H\nphong-101,P\n"),
        "DIR/rooms.csv:1: has no 'capacity' column, which is required [E-MISSING-COLUMN]"
    );
}

#[test]
fn count_not_a_number() {
    assert_eq!(
        one_error("rooms.csv", "id,capacity\nhoi-truong,forty\nphong-101,20\n"),
        "DIR/rooms.csv:2:2: column 'capacity': is not a whole number; expected a whole number >= 1 (found \"forty\") [E-COUNT]"
    );
}

#[test]
fn negative_count() {
    let all = errors("cohorts.csv", Some("id,size\nbt-xa,-3\nct-xa,12\n"));
    assert_eq!(all[0], "DIR/cohorts.csv:2:2: column 'size': is too small; expected a whole number >= 0 (found \"-3\") [E-RANGE]");
}

#[test]
fn id_with_space() {
    let all = errors("rooms.csv", Some("id,capacity\nhoi truong,40\nphong-101,20\n"));
    assert_eq!(all[0], "DIR/rooms.csv:2:1: column 'id': is not an id; expected letters, digits, '_', '-' or '.' with no spaces (found \"hoi truong\") [E-ID]");
}

#[test]
fn duplicate_id() {
    assert_eq!(
        one_error("rooms.csv", "id,capacity,features\nhoi-truong,40,projector\nphong-101,20,\nphong-101,30,\n"),
        "DIR/rooms.csv:4:1: column 'id': is used by an earlier row; ids must be unique in their file (found \"phong-101\") [E-DUPLICATE-ID]"
    );
}

#[test]
fn unresolved_reference_in_a_list() {
    let courses = fs::read_to_string(tiny().join("courses.csv")).unwrap().replace("bt-xa ct-xa", "bt-xa pho-bt");
    let all = errors("courses.csv", Some(&courses));
    assert_eq!(
        all[0],
        "DIR/courses.csv:3:3: column 'cohorts': 'pho-bt' is not a cohort id of cohorts.csv (found \"bt-xa pho-bt\") [E-UNKNOWN-ID]"
    );
}

#[test]
fn subject_nobody_teaches() {
    let courses = fs::read_to_string(tiny().join("courses.csv")).unwrap().replace("xay-dung-dang,bt-xa", "kinh-te,bt-xa");
    assert_eq!(
        one_error("courses.csv", &courses),
        "DIR/courses.csv:4:2: column 'subject': is a subject no instructor in instructors.csv is qualified for, and the course has no fixed instructor (found \"kinh-te\") [E-NO-QUALIFIED-INSTRUCTOR]"
    );
}

#[test]
fn cohort_window_outside_the_calendar_and_reversed() {
    let all = errors("cohorts.csv", Some("id,size,first_day,last_day\nbt-xa,15,2020-05-01,\nct-xa,12,2020-05-06,2020-05-04\n"));
    assert_eq!(
        all,
        [
            "DIR/cohorts.csv:2:3: column 'first_day': is not in the calendar; expected a day of calendar.csv such as 2020-05-04 (or 4/5/2020) (found \"2020-05-01\") [E-UNKNOWN-DAY]",
            "DIR/cohorts.csv:3:4: column 'last_day': is before first_day; the window is reversed (found \"2020-05-04\") [E-RANGE]",
        ]
    );
}

#[test]
fn day_range_reversed_and_unknown() {
    let all =
        errors("availability.csv", Some("kind,id,day\ninstructor,gv-hung,2020-05-06..2020-05-04\nroom,phong-101,2020-05-04..2021-01-01\n"));
    assert_eq!(
        all,
        [
            "DIR/availability.csv:2:3: column 'day': is a reversed day range; FROM must not come after TO in calendar order (found \"2020-05-06..2020-05-04\") [E-RANGE]",
            "DIR/availability.csv:3:3: column 'day': '2021-01-01' is not in the calendar; expected FROM..TO, each a day of calendar.csv such as 2020-05-04 (or 4/5/2020) (found \"2020-05-04..2021-01-01\") [E-UNKNOWN-DAY]",
        ]
    );
}

#[test]
fn day_range_is_read_inclusive() {
    let dir = variant("availability.csv", Some("kind,id,day,period,weight\nroom,phong-101,2020-05-04..2020-05-05,2,3\n"));
    let inst = read_instance(dir.path()).unwrap();
    let a = &inst.availability[0];
    assert_eq!((a.first_day.0, a.last_day.0, a.period, a.weight), (0, 1, Some(2), Some(3.0)));
}

#[test]
fn availability_kind_and_weight() {
    let all = errors(
        "availability.csv",
        Some("kind,id,day,period,weight\nteacher,gv-hung,2020-05-04,,\nroom,phong-101,2020-05-04,,0\nroom,phong-101,2020-05-04,,much\n"),
    );
    assert_eq!(
        all,
        [
            "DIR/availability.csv:2:1: column 'kind': is not a kind; expected cohort, instructor, room or course (found \"teacher\") [E-KIND]",
            "DIR/availability.csv:3:5: column 'weight': is zero; expected a positive penalty, or empty for a hard row (found \"0\") [E-NUMBER]",
            "DIR/availability.csv:4:5: column 'weight': is not a number >= 0; expected e.g. 1 or 2.5 (found \"much\") [E-NUMBER]",
        ]
    );
}

#[test]
fn pin_on_unknown_period() {
    assert_eq!(
        one_error("pins.csv", "course,day,period\nchinh-tri,2020-05-04,3\n"),
        "DIR/pins.csv:2:3: column 'period': is not a period of that day; it has periods 1..2 (found \"3\") [E-UNKNOWN-PERIOD]"
    );
}

#[test]
fn pins_beyond_the_sessions_or_twice_in_a_slot() {
    let all = errors(
        "pins.csv",
        Some("course,day,period\nchinh-tri,2020-05-04,1\nchinh-tri,2020-05-04,1\nchinh-tri,2020-05-05,1\nchinh-tri,2020-05-06,1\n"),
    );
    assert_eq!(
        all,
        [
            "DIR/pins.csv:3:1: column 'course': is pinned twice at the same day and period; two sessions of a course never share a period (found \"chinh-tri\") [E-PIN]",
            "DIR/pins.csv:5:1: column 'course': has more pins than its 2 sessions (found \"chinh-tri\") [E-PIN]",
        ]
    );
}

#[test]
fn weights_decimal_comma_only_with_semicolons_and_unknown_names() {
    let dir = variant("weights.csv", Some("name;weight\nmin_days;2,5\nroom_capacity;1\n"));
    let inst = read_instance(dir.path()).unwrap();
    assert_eq!(inst.weights.min_days, 2.5);
    assert_eq!(inst.weights.room_capacity, Some(1.0));
    assert_eq!(
        one_error("weights.csv", "name,weight\nmin_days,\"2,5\"\n"),
        "DIR/weights.csv:2:2: column 'weight': is not a number >= 0; expected e.g. 1 or 2.5 (found \"2,5\") [E-NUMBER]"
    );
    assert_eq!(
        one_error("weights.csv", "name,weight\nspread,2\n"),
        "DIR/weights.csv:2:1: column 'name': is not a weight; expected room_capacity, min_days, compactness, room_stability or teaching_quota (found \"spread\") [E-UNKNOWN-ID]"
    );
}

#[test]
fn comment_and_empty_lines_and_note_columns_are_skipped() {
    let dir = variant(
        "rooms.csv",
        Some("# rooms of the school\n\nID , Capacity,#ghi chú,X-Tầng\n# a note\nhoi-truong,40,big,1\n,,,\nphong-101,20,,2\n"),
    );
    let inst = read_instance(dir.path()).unwrap();
    assert_eq!(inst.rooms.len(), 2);
    assert_eq!(inst.rooms[1].capacity, 20);
}

#[test]
fn every_error_is_collected_across_files() {
    let dir = variant("rooms.csv", Some("id,capacity\nhoi-truong,0\nphong-101,x\n"));
    fs::write(dir.path().join("calendar.csv"), "day,periods\n2020-05-04,2\n2020-05-04,2\n").unwrap();
    let err = read_instance(dir.path()).unwrap_err();
    let codes: Vec<&str> = err.0.iter().map(|e| e.code).collect();
    assert!(codes.starts_with(&["E-DUPLICATE-ID", "E-RANGE", "E-COUNT"]), "{codes:?}");
}

#[test]
fn a_file_instead_of_a_folder() {
    let err = read_instance(&tiny().join("rooms.csv")).unwrap_err();
    assert!(err.to_string().ends_with("rooms.csv: is a file; expected an instance folder of CSV files [E-IO]"), "{err}");
}

#[test]
fn not_utf8() {
    let dir = variant("rooms.csv", Some("x"));
    fs::write(dir.path().join("rooms.csv"), b"id,name,capacity\nphong-101,Ph\xf2ng 101,20\n").unwrap();
    let err = read_instance(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string().replace(&dir.path().display().to_string(), "DIR"),
        "DIR/rooms.csv:2:13: column '?': is not UTF-8 text (perhaps Windows-1258 or another legacy code page); save it as UTF-8 [E-ENCODING]"
    );
}

/// A copy of `tiny` with `renames` (old name, new name) applied and `extra`
/// files added; the errors with the folder replaced by `DIR`.
fn folder_errors(renames: &[(&str, &str)], extra: &[&str]) -> Vec<String> {
    let dir = variant("README.md", Some("# the planner's notes\n"));
    for (from, to) in renames {
        fs::rename(dir.path().join(from), dir.path().join(to)).unwrap();
    }
    for name in extra {
        fs::write(dir.path().join(name), "a,b\n1,2\n").unwrap();
    }
    match read_instance(dir.path()) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.to_string().replace(&dir.path().display().to_string(), "DIR")).collect(),
    }
}

#[test]
fn a_misspelt_file_is_refused_naming_the_file_it_means() {
    assert_eq!(
        folder_errors(&[("availability.csv", "availabilty.csv")], &[]),
        ["DIR/availabilty.csv: is not a file of an instance folder; did you mean availability.csv? [E-UNKNOWN-FILE]"]
    );
    // A required file misspelt is explained once: not also "missing", and
    // the rows referring to its ids are not reported either.
    assert_eq!(
        folder_errors(&[("courses.csv", "course.csv")], &[]),
        ["DIR/course.csv: is not a file of an instance folder; did you mean courses.csv? [E-UNKNOWN-FILE]"]
    );
    assert_eq!(
        folder_errors(&[], &["ghi-chu.csv"]),
        ["DIR/ghi-chu.csv: is not a file of an instance folder (the closest is pins.csv); expected one of calendar.csv, rooms.csv, \
          instructors.csv, cohorts.csv, courses.csv, availability.csv, pins.csv, weights.csv, subjects.csv, relations.csv, timetable.csv, \
          periods.csv; keep other tables outside it [E-UNKNOWN-FILE]"]
    );
}

#[test]
fn a_known_file_spelt_with_other_capitals_is_refused_naming_the_right_spelling() {
    assert_eq!(
        folder_errors(&[("courses.csv", "Courses.csv")], &[]),
        ["DIR/Courses.csv: is spelt with other capitals; rename it courses.csv [E-FILE-CASE]"]
    );
    assert_eq!(
        folder_errors(&[("pins.csv", "PINS.CSV")], &[]),
        ["DIR/PINS.CSV: is spelt with other capitals; rename it pins.csv [E-FILE-CASE]"]
    );
}

#[test]
fn other_files_and_the_projects_own_csv_files_are_not_refused() {
    // README.md is in every folder_errors copy; notes, the report's period
    // times and a timetable kept beside the instance are the planner's.
    assert_eq!(folder_errors(&[], &["notes.txt", "periods.csv", "timetable.csv", "rooms.csv.bak"]), Vec::<String>::new());
}

/// `tiny`'s files with its ISO dates written `D/M/YYYY` or `DD/MM/YYYY`.
#[test]
fn short_dates_name_the_days_of_a_calendar_of_iso_dates() {
    let dir = variant(
        "availability.csv",
        Some("kind,id,day,period,weight\ninstructor,gv-hung,6/5/2020,,\ncohort,ct-xa,06/05/2020..6/5/2020,2,1.5\n"),
    );
    fs::write(dir.path().join("pins.csv"), "course,day,period,room,instructor\nchinh-tri,04/05/2020,1,hoi-truong,\n").unwrap();
    let cohorts = fs::read_to_string(tiny().join("cohorts.csv")).unwrap().replace("2020-05-04,2020-05-06", "4/5/2020,06/05/2020");
    fs::write(dir.path().join("cohorts.csv"), cohorts).unwrap();
    let expected = read_instance(&tiny()).unwrap();
    assert_eq!(read_instance(dir.path()).unwrap(), expected);

    // A short date the calendar does not have is still an error, and the
    // message shows both forms.
    assert_eq!(
        one_error("pins.csv", "course,day,period\nchinh-tri,13/07/2020,1\n"),
        "DIR/pins.csv:2:2: column 'day': is not in the calendar; expected a day of calendar.csv such as 2020-05-04 (or 4/5/2020) (found \"13/07/2020\") [E-UNKNOWN-DAY]"
    );
}

/// A day whose calendar row was refused is reported there only, however
/// a reference to it is written.
#[test]
fn a_short_date_of_a_refused_calendar_day_is_not_reported_again() {
    let dir = variant("calendar.csv", Some("day,periods\n2020-05-04,2\n2020-05-05,2\n2020-05-06,x\n"));
    fs::write(dir.path().join("availability.csv"), "kind,id,day\ninstructor,gv-hung,6/5/2020\nroom,phong-101,5/5/2020..06/05/2020\n")
        .unwrap();
    fs::write(dir.path().join("cohorts.csv"), "id,size\nbt-xa,15\nct-xa,12\n").unwrap();
    let err = read_instance(dir.path()).expect_err("a calendar row is refused");
    let all: Vec<String> = err.0.iter().map(|e| e.to_string().replace(&dir.path().display().to_string(), "DIR")).collect();
    assert_eq!(
        all,
        ["DIR/calendar.csv:4:2: column 'periods': is not a whole number; expected a whole number >= 1 (found \"x\") [E-COUNT]"]
    );
}

#[test]
fn short_dates_are_only_labels_in_a_calendar_not_all_of_iso_dates() {
    let dir = variant("calendar.csv", Some("day,periods\n2020-05-04,2\n2020-05-05,2\nspare,2\n"));
    fs::write(dir.path().join("availability.csv"), "kind,id,day\ninstructor,gv-hung,5/5/2020\n").unwrap();
    fs::write(dir.path().join("cohorts.csv"), "id,size\nbt-xa,15\nct-xa,12\n").unwrap();
    let err = read_instance(dir.path()).expect_err("5/5/2020 is no label of this calendar");
    let all: Vec<String> = err.0.iter().map(|e| e.to_string().replace(&dir.path().display().to_string(), "DIR")).collect();
    assert_eq!(
        all,
        ["DIR/availability.csv:2:3: column 'day': is not in the calendar; expected a day of calendar.csv such as 2020-05-04 (found \"5/5/2020\") [E-UNKNOWN-DAY]"]
    );
}

#[test]
fn a_timetable_may_write_short_dates_and_leave_a_room_or_instructor_to_decide() {
    use classplan::io::read_timetable;
    use classplan::model::{CourseIdx, DayIdx, InstructorIdx, RoomIdx, Slot, UndecidedPlacement};
    let inst = read_instance(&tiny()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timetable.csv");
    fs::write(
        &path,
        "day,period,course,instructor,room\n\
         4/5/2020,1,chinh-tri,gv-hung,hoi-truong\n\
         05/05/2020,2,phap-luat,,phong-101\n\
         2020-05-06,1,thuyet-trinh,,\n",
    )
    .unwrap();
    let tt = read_timetable(&path, &inst).unwrap();
    let at = |day, period| Slot { day: DayIdx(day), period };
    assert_eq!(tt.placements.len(), 1);
    assert_eq!((tt.placements[0].slot, tt.placements[0].room, tt.placements[0].instructor), (at(0, 1), RoomIdx(0), InstructorIdx(1)));
    assert_eq!(
        tt.undecided,
        [
            UndecidedPlacement { line: 3, course: CourseIdx(2), slot: at(1, 2), room: Some(RoomIdx(1)), instructor: None },
            UndecidedPlacement { line: 4, course: CourseIdx(3), slot: at(2, 1), room: None, instructor: None },
        ]
    );
    assert!(tt.unresolved.is_empty());
    // Without a day, a period or a course there is no session: still an
    // input error.
    fs::write(&path, "day,period,course,instructor,room\n2020-05-04,1,,gv-hung,hoi-truong\n").unwrap();
    let err = read_timetable(&path, &inst).unwrap_err().to_string().replace(&dir.path().display().to_string(), "DIR");
    assert_eq!(err, "DIR/timetable.csv:2:3: column 'course': is empty (found \"\") [E-EMPTY-CELL]");
}
