//! Writers: instance folders and `timetable.csv`.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::schema::{
    Column, InstanceFile, AVAILABILITY, CALENDAR, COHORTS, COURSES, INSTRUCTORS, PINS, RELATIONS, ROOMS, SUBJECTS, TIMETABLE, UNPLACED,
    WEIGHTS,
};
use crate::model::{AvailabilityTarget, Instance, Timetable, Unplaced};

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place: readers see the old file or the whole new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // tempfile makes owner-only files (0600), fit for secrets; a timetable
    // is shared, so it gets what any program creating a file asks for,
    // 0666, which open(2) narrows by the umask (0644 under the usual one).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A table with the schema's columns as its header; each row holds their
/// cells in that order.
fn csv_bytes(columns: &[Column], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    w.write_record(columns.iter().map(|c| c.name)).expect("in-memory csv");
    for row in rows {
        assert_eq!(row.len(), columns.len(), "a written row has a cell for each column");
        w.write_record(&row).expect("in-memory csv");
    }
    w.into_inner().expect("in-memory csv")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn list<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    items.into_iter().map(String::as_str).collect::<Vec<_>>().join(" ")
}

/// `timetable.csv` as FORMAT.md defines it: one row per session, in calendar
/// order of day, then period, then room (the rooms' order in the instance).
pub fn timetable_csv(instance: &Instance, timetable: &Timetable) -> Vec<u8> {
    let mut placements = timetable.placements.clone();
    placements.sort_by_key(|p| (p.slot, p.room, p.course));
    let rows = placements.iter().map(|p| {
        let course = instance.course(p.course);
        vec![
            instance.calendar.label(p.slot.day).to_string(),
            p.slot.period.to_string(),
            course.id.clone(),
            course.subject.clone(),
            list(course.cohorts.iter().map(|k| &instance.cohorts[k.0].id)),
            instance.instructors[p.instructor.0].id.clone(),
            instance.rooms[p.room.0].id.clone(),
        ]
    });
    csv_bytes(TIMETABLE.columns, rows)
}

/// Writes `timetable.csv` atomically.
pub fn write_timetable(instance: &Instance, timetable: &Timetable, path: &Path) -> std::io::Result<()> {
    write_atomically(path, &timetable_csv(instance, timetable))
}

/// Writes `unplaced.csv` atomically: per course left out, how many
/// sessions and why.
pub fn write_unplaced(unplaced: &[Unplaced], path: &Path) -> std::io::Result<()> {
    let rows = unplaced.iter().map(|u| vec![u.course.clone(), u.sessions.to_string(), u.reason.clone()]);
    write_atomically(path, &csv_bytes(UNPLACED.columns, rows))
}

/// Writes an instance as a folder of CSV files (creating the folder). Every
/// version-1 file is written, optional ones included, so the folder is
/// complete.
pub fn write_instance(instance: &Instance, dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let cal = &instance.calendar;
    let day = |d: crate::model::DayIdx| cal.label(d).to_string();

    let calendar = csv_bytes(CALENDAR.columns, cal.days.iter().map(|d| vec![d.label.clone(), d.periods.to_string()]));
    let rooms = csv_bytes(
        ROOMS.columns,
        instance.rooms.iter().map(|r| vec![r.id.clone(), r.name.clone(), r.capacity.to_string(), list(&r.features), r.site.clone()]),
    );
    let instructors = csv_bytes(
        INSTRUCTORS.columns,
        instance.instructors.iter().map(|i| {
            vec![
                i.id.clone(),
                i.name.clone(),
                list(&i.subjects),
                opt(i.max_sessions),
                opt(i.max_per_day),
                opt(i.max_days),
                opt(i.min_sessions),
            ]
        }),
    );
    let cohorts = csv_bytes(
        COHORTS.columns,
        instance
            .cohorts
            .iter()
            .map(|k| vec![k.id.clone(), k.name.clone(), k.size.to_string(), opt(k.first_day.map(day)), opt(k.last_day.map(day))]),
    );
    let courses = csv_bytes(
        COURSES.columns,
        instance.courses.iter().map(|c| {
            vec![
                c.id.clone(),
                c.name.clone(),
                c.subject.clone(),
                list(c.cohorts.iter().map(|k| &instance.cohorts[k.0].id)),
                c.sessions.to_string(),
                opt(c.min_days),
                opt(c.instructor.map(|i| instance.instructors[i.0].id.clone())),
                opt(c.students),
                list(&c.room_features),
                opt(c.block),
                opt(c.max_span_days),
            ]
        }),
    );
    let availability = csv_bytes(
        AVAILABILITY.columns,
        instance.availability.iter().map(|a| {
            let (kind, id) = match a.target {
                AvailabilityTarget::Cohort(k) => ("cohort", &instance.cohorts[k.0].id),
                AvailabilityTarget::Instructor(i) => ("instructor", &instance.instructors[i.0].id),
                AvailabilityTarget::Room(r) => ("room", &instance.rooms[r.0].id),
                AvailabilityTarget::Course(c) => ("course", &instance.courses[c.0].id),
            };
            let days = if a.first_day == a.last_day { day(a.first_day) } else { format!("{}..{}", day(a.first_day), day(a.last_day)) };
            vec![kind.to_string(), id.clone(), days, opt(a.period), opt(a.weight)]
        }),
    );
    let pins = csv_bytes(
        PINS.columns,
        instance.pins.iter().map(|p| {
            vec![
                instance.courses[p.course.0].id.clone(),
                day(p.slot.day),
                p.slot.period.to_string(),
                opt(p.room.map(|r| instance.rooms[r.0].id.clone())),
                opt(p.instructor.map(|i| instance.instructors[i.0].id.clone())),
            ]
        }),
    );
    let w = &instance.weights;
    let weights = csv_bytes(
        WEIGHTS.columns,
        [
            vec!["room_capacity".into(), w.room_capacity.map_or("hard".to_string(), |v| v.to_string())],
            vec!["min_days".into(), w.min_days.to_string()],
            vec!["compactness".into(), w.compactness.to_string()],
            vec!["room_stability".into(), w.room_stability.to_string()],
            vec!["teaching_quota".into(), w.teaching_quota.to_string()],
        ],
    );
    let subjects = csv_bytes(SUBJECTS.columns, instance.subjects.iter().map(|s| vec![s.id.clone(), s.name.clone()]));
    let relations = csv_bytes(
        RELATIONS.columns,
        instance
            .relations
            .iter()
            .map(|r| vec![r.kind.name().to_string(), list(r.courses.iter().map(|c| &instance.courses[c.0].id)), opt(r.weight)]),
    );
    let files: [(&InstanceFile, Vec<u8>); 8] = [
        (&CALENDAR, calendar),
        (&ROOMS, rooms),
        (&INSTRUCTORS, instructors),
        (&COHORTS, cohorts),
        (&COURSES, courses),
        (&AVAILABILITY, availability),
        (&PINS, pins),
        (&WEIGHTS, weights),
    ];
    for (file, bytes) in files {
        write_atomically(&dir.join(file.name), &bytes)?;
    }
    // Version-2 files only when there is something in them, so a version-1
    // instance is written as the version-1 folder it is.
    for (file, bytes, used) in
        [(&SUBJECTS, subjects, !instance.subjects.is_empty()), (&RELATIONS, relations, !instance.relations.is_empty())]
    {
        let path = dir.join(file.name);
        if used {
            write_atomically(&path, &bytes)?;
        } else if path.exists() {
            // Left from an earlier instance, it would add its rows to this one.
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Whether `path` is `dir` or inside it (resolving what exists of `path`).
pub fn is_inside(path: &Path, dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else { return false };
    let mut probe = path.to_path_buf();
    let mut tail = Vec::new();
    while !probe.exists() {
        match (probe.file_name().map(|n| n.to_os_string()), probe.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name);
                probe = if parent.as_os_str().is_empty() { std::path::PathBuf::from(".") } else { parent.to_path_buf() };
            }
            _ => return false,
        }
    }
    let Ok(mut resolved) = probe.canonicalize() else { return false };
    for name in tail.into_iter().rev() {
        resolved.push(name);
    }
    resolved.starts_with(dir)
}
