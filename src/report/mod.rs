//! Timetables people read: CSV views, one HTML page, an Excel workbook and
//! iCalendar files, all from one instance and one timetable.
//!
//! The outputs are for planners, lecturers and trainees, not for programs,
//! so they show ids together with names, mark where the soft cost comes
//! from, and give clock times and dates where the instance allows it. They
//! are deterministic (the same input gives the same bytes) and every file
//! is written atomically, so a report folder never holds half a file.
//!
//! ```text
//! OUT/report.html                 summary, year overview, weekly grids
//! OUT/timetable.xlsx              "Timetable" sheet + one grid sheet each
//! OUT/views/cohort-<id>-grid.csv  (and -list.csv; instructor-, room-)
//! OUT/ics/cohort-<id>.ics         (and instructor-) when days are ISO dates
//! ```

mod digest;
mod html;
mod ics;
mod times;
mod views;
mod xlsx;

use std::path::{Path, PathBuf};

use chrono::NaiveTime;

use crate::io::{write_atomically, InputErrors};
use crate::model::{Instance, Timetable};
use digest::{Digest, Kind};

pub use times::read_period_times;

/// How the report is made.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Start and end of periods 1, 2, ...; later periods continue with the
    /// last length and break. Defaults: 07:30–11:00, 13:30–17:00,
    /// 17:30–20:30.
    pub period_times: Vec<(NaiveTime, NaiveTime)>,
    /// What the plan is called, e.g. the instance folder's name; shown at
    /// the top of the page. Empty: no name.
    pub title: String,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { period_times: times::default_period_times(), title: String::new() }
    }
}

impl ReportOptions {
    /// The defaults, titled with the instance folder's name, with period
    /// times from its `periods.csv` when it has one.
    pub fn for_instance_dir(instance_dir: &Path) -> Result<Self, InputErrors> {
        let mut options = ReportOptions::default();
        if let Some(name) = instance_dir.canonicalize().ok().as_deref().unwrap_or(instance_dir).file_name() {
            options.title = name.to_string_lossy().into_owned();
        }
        if let Some(times) = read_period_times(instance_dir)? {
            options.period_times = times;
        }
        Ok(options)
    }
}

/// What [`write_report`] wrote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportFiles {
    pub html: PathBuf,
    pub workbook: PathBuf,
    /// Grid and list CSV views, cohorts then instructors then rooms.
    pub views: Vec<PathBuf>,
    /// iCalendar files (empty when day labels are not ISO dates).
    pub calendars: Vec<PathBuf>,
    /// Things the reader should know, e.g. why calendars were skipped.
    pub notes: Vec<String>,
}

impl ReportFiles {
    /// Every file written, in writing order.
    pub fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.views.iter().chain(&self.calendars).chain([&self.workbook, &self.html])
    }
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot build the workbook: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("invalid period times: {}", .0.join("; "))]
    PeriodTimes(Vec<String>),
}

/// Writes every view of `timetable` into `out_dir` (created if missing).
///
/// Placements naming a day, period, course, room or instructor the
/// instance lacks are left out of the views (and counted in the notes);
/// the checker is the place to see them.
pub fn write_report(
    instance: &Instance,
    timetable: &Timetable,
    out_dir: &Path,
    options: &ReportOptions,
) -> Result<ReportFiles, ReportError> {
    let problems = times::period_time_problems(&options.period_times);
    if !problems.is_empty() {
        return Err(ReportError::PeriodTimes(problems));
    }
    let digest = Digest::new(instance, timetable, options);
    let mut files = ReportFiles::default();
    if digest.dropped > 0 {
        files.notes.push(format!(
            "{} timetable rows name ids, days or periods the instance does not have; they are left out (run check)",
            digest.dropped
        ));
    }

    if !timetable.undecided.is_empty() {
        files.notes.push(format!(
            "{} timetable rows have no room or no instructor yet; they are left out until decided (run check)",
            timetable.undecided.len()
        ));
    }

    let views_dir = out_dir.join("views");
    create_dir(&views_dir)?;
    for entity in &digest.entities {
        let stem = format!("{}-{}", entity.kind.prefix(), entity.stem);
        for (suffix, bytes) in [("grid", views::grid_csv(&digest, entity)), ("list", views::list_csv(&digest, entity))] {
            let path = views_dir.join(format!("{stem}-{suffix}.csv"));
            write(&path, &bytes)?;
            files.views.push(path);
        }
    }

    match &digest.dates {
        Some(dates) => {
            let ics_dir = out_dir.join("ics");
            create_dir(&ics_dir)?;
            let mut empty = Vec::new();
            for entity in digest.entities.iter().filter(|e| e.kind != Kind::Room) {
                match ics::calendar(&digest, entity, dates) {
                    Some(text) => {
                        let path = ics_dir.join(format!("{}-{}.ics", entity.kind.prefix(), entity.stem));
                        write(&path, text.as_bytes())?;
                        files.calendars.push(path);
                    }
                    None => empty.push(entity.id),
                }
            }
            if !empty.is_empty() {
                files.notes.push(format!(
                    "no calendar for {} without a session with a clock time: {}",
                    plural(empty.len(), "cohort or instructor", "cohorts or instructors"),
                    empty.join(", ")
                ));
            }
        }
        None => files.notes.push("calendars skipped: not every day label is an ISO date (YYYY-MM-DD)".to_string()),
    }
    if digest.spans.iter().any(Option::is_none) {
        files.notes.push("some periods would start after midnight; their sessions have no clock time".to_string());
    }

    files.workbook = out_dir.join("timetable.xlsx");
    write(&files.workbook, &xlsx::workbook(&digest)?)?;

    let report = crate::check::check(instance, timetable);
    files.html = out_dir.join("report.html");
    write(&files.html, html::page(&digest, &report, &options.title, &files.notes).as_bytes())?;
    Ok(files)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn create_dir(path: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(path).map_err(|source| ReportError::Io { path: path.to_path_buf(), source })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_atomically(path, bytes).map_err(|source| ReportError::Io { path: path.to_path_buf(), source })
}
