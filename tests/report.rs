//! The report read back by independent readers: iCalendar by the `ical`
//! parser, the workbook by calamine, CSV by the csv crate, and the page by
//! headless Chromium (which also runs its script).
//!
//! The main fixture is Bến Tre 2020 solved with the pure-Rust backend; every
//! expectation is computed from the instance and timetable here, not taken
//! from the report's own code.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveTime;
use classplan::check::cost;
use classplan::generate::{generate, Size};
use classplan::io::read_instance;
use classplan::model::{CohortIdx, Day, Instance, Timetable};
use classplan::report::{read_period_times, write_report, ReportError, ReportFiles, ReportOptions};
use classplan::solve::{Backend, SolveOptions};

const BEN_TRE: &str = "instances/ben-tre-2020";

struct Rendered {
    instance: Instance,
    timetable: Timetable,
    /// Keeps the output folder alive for the whole test run.
    _dir: tempfile::TempDir,
    out: PathBuf,
    options: ReportOptions,
    files: ReportFiles,
}

/// Bến Tre solved once and rendered once, shared by the tests.
fn ben_tre() -> &'static Rendered {
    static CELL: OnceLock<Rendered> = OnceLock::new();
    CELL.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(BEN_TRE);
        let instance = read_instance(&dir).expect("Bến Tre reads");
        // A work limit with HiGHS; the pure-Rust solver has none, so a clock.
        let backend = Backend::default_available();
        let time_limit = (backend == Backend::Microlp).then_some(300.0);
        let options = SolveOptions { backend, node_limit: Some(50), rounds: Some(8), time_limit, ..Default::default() };
        let outcome = common::solve_checked(&instance, &options);
        let timetable = outcome.timetable.expect("checked by common");
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("report");
        let options = ReportOptions::for_instance_dir(&dir).expect("no periods.csv means defaults");
        assert_eq!(options.title, "ben-tre-2020");
        let files = write_report(&instance, &timetable, &out, &options).expect("report is written");
        Rendered { instance, timetable, _dir: tmp, out, options, files }
    })
}

/// Placements of each cohort: a session of a course counts once for each
/// distinct cohort the course lists.
fn sessions_per_cohort(instance: &Instance, timetable: &Timetable) -> Vec<usize> {
    let mut out = vec![0; instance.cohorts.len()];
    for p in &timetable.placements {
        let cohorts: BTreeSet<CohortIdx> = instance.course(p.course).cohorts.iter().copied().collect();
        for k in cohorts {
            out[k.0] += 1;
        }
    }
    out
}

fn parse_ics(path: &Path) -> Vec<BTreeMap<String, String>> {
    let reader = BufReader::new(fs::File::open(path).unwrap());
    let calendars: Vec<_> = ical::IcalParser::new(reader).collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(calendars.len(), 1, "{}: one VCALENDAR", path.display());
    calendars[0]
        .events
        .iter()
        .map(|e| e.properties.iter().map(|p| (p.name.clone(), p.value.clone().unwrap_or_default())).collect())
        .collect()
}

#[test]
fn ics_files_parse_with_one_event_per_session_of_each_cohort_and_instructor() {
    let r = ben_tre();
    let per_cohort = sessions_per_cohort(&r.instance, &r.timetable);
    let mut total = 0;
    for (k, cohort) in r.instance.cohorts.iter().enumerate() {
        let path = r.out.join(format!("ics/cohort-{}.ics", cohort.id));
        if per_cohort[k] == 0 {
            assert!(!path.exists(), "no calendar for a cohort without sessions");
            continue;
        }
        let events = parse_ics(&path);
        // Per cohort file: one event per session of a course that cohort attends.
        assert_eq!(events.len(), per_cohort[k], "{}", cohort.id);
        total += events.len();
        for e in &events {
            for prop in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"] {
                assert!(e.contains_key(prop), "{}: event without {prop}", cohort.id);
            }
        }
    }
    let expected: usize =
        r.timetable.placements.iter().map(|p| r.instance.course(p.course).cohorts.iter().collect::<BTreeSet<_>>().len()).sum();
    assert_eq!(total, expected, "sum over cohort files = sum over sessions of the cohorts attending");

    for (i, instructor) in r.instance.instructors.iter().enumerate() {
        let taught: Vec<_> = r.timetable.placements.iter().filter(|p| p.instructor.0 == i).collect();
        let path = r.out.join(format!("ics/instructor-{}.ics", instructor.id));
        if taught.is_empty() {
            assert!(!path.exists());
            continue;
        }
        let events = parse_ics(&path);
        assert_eq!(events.len(), taught.len(), "{}", instructor.id);
        // Default period times, on the session's date.
        let starts: BTreeSet<String> = events.iter().map(|e| e["DTSTART"].clone()).collect();
        let expected: BTreeSet<String> = taught
            .iter()
            .map(|p| {
                let date = r.instance.calendar.label(p.slot.day).replace('-', "");
                let time = ["073000", "133000", "173000"][p.slot.period as usize - 1];
                format!("{date}T{time}")
            })
            .collect();
        assert_eq!(starts, expected, "{}", instructor.id);
    }
}

#[test]
fn ics_files_use_crlf_and_fold_long_lines() {
    let r = ben_tre();
    assert!(!r.files.calendars.is_empty());
    for path in &r.files.calendars {
        let bytes = fs::read(path).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split_terminator("\r\n") {
            assert!(!line.contains('\n'), "{}: bare LF", path.display());
            assert!(line.len() <= 75, "{}: line of {} octets", path.display(), line.len());
        }
        // Vietnamese names are long enough to need folding somewhere.
        assert!(text.contains("\r\n "), "{}: expected a folded line", path.display());
    }
}

#[test]
fn workbook_opens_with_expected_sheets_and_cells() {
    let r = ben_tre();
    let mut wb: Xlsx<_> = open_workbook(&r.files.workbook).expect("calamine opens the workbook");
    let mut expected = vec!["Timetable".to_string()];
    expected.extend(r.instance.cohorts.iter().map(|k| format!("Lớp {}", k.id)));
    expected.extend(r.instance.instructors.iter().map(|i| format!("GV {}", i.id)));
    expected.extend(r.instance.rooms.iter().map(|x| format!("Phòng {}", x.id)));
    assert_eq!(wb.sheet_names(), expected);

    let master = wb.worksheet_range("Timetable").unwrap();
    assert_eq!(master.height(), r.timetable.placements.len() + 1);
    let text = |d: Option<&Data>| d.map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(text(master.get_value((0, 0))), "day");
    assert_eq!(text(master.get_value((0, 4))), "course");
    let first = r.timetable.placements.iter().min_by_key(|p| (p.slot, p.room, p.course)).unwrap();
    assert_eq!(text(master.get_value((1, 0))), r.instance.calendar.label(first.slot.day));
    assert_eq!(master.get_value((1, 1)), Some(&Data::Float(f64::from(first.slot.period))));
    assert_eq!(text(master.get_value((1, 4))), r.instance.course(first.course).id);

    // The first cohort's grid: title, header, then its window's days; the
    // pinned opening lecture sits in period 1 of the first day.
    let cohort = &r.instance.cohorts[0];
    let grid = wb.worksheet_range(&format!("Lớp {}", cohort.id)).unwrap();
    assert!(text(grid.get_value((0, 0))).starts_with(&format!("Lớp {}", cohort.id)));
    assert_eq!(text(grid.get_value((1, 0))), "Ngày / day");
    assert_eq!(text(grid.get_value((1, 1))), "Buổi 1 07:30–11:00");
    let first_day = r.instance.calendar.label(cohort.first_day.unwrap());
    assert!(text(grid.get_value((2, 0))).ends_with(first_day), "grid starts at the window");
    let pin = r.instance.pins.iter().find(|p| r.instance.course(p.course).cohorts.contains(&CohortIdx(0))).unwrap();
    assert_eq!(pin.slot.day, cohort.first_day.unwrap());
    let cell = text(grid.get_value((2, pin.slot.period)));
    assert!(cell.starts_with(&r.instance.course(pin.course).id), "{cell:?}");
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

#[test]
fn csv_views_have_one_row_per_session_and_one_per_day() {
    let r = ben_tre();
    let inst = &r.instance;
    let per_cohort = sessions_per_cohort(inst, &r.timetable);
    assert_eq!(r.files.views.len(), 2 * (inst.cohorts.len() + inst.instructors.len() + inst.rooms.len()));
    for (k, cohort) in inst.cohorts.iter().enumerate() {
        let (header, rows) = read_csv(&r.out.join(format!("views/cohort-{}-list.csv", cohort.id)));
        assert_eq!(header[..5], ["day", "period", "start", "end", "course"]);
        assert_eq!(rows.len(), per_cohort[k], "{}", cohort.id);
        let (header, rows) = read_csv(&r.out.join(format!("views/cohort-{}-grid.csv", cohort.id)));
        assert_eq!(header, ["day", "period 1", "period 2"]);
        // Every session lies in the window, so the grid is the window.
        let (first, last) = (cohort.first_day.unwrap().0, cohort.last_day.unwrap().0);
        assert_eq!(rows.len(), last - first + 1, "{}", cohort.id);
        assert_eq!(rows[0][0], inst.calendar.days[first].label);
        let filled: usize = rows.iter().flat_map(|row| &row[1..]).filter(|c| !c.is_empty()).count();
        assert_eq!(filled, per_cohort[k], "one filled cell per session (no clashes)");
    }
    for (i, instructor) in inst.instructors.iter().enumerate() {
        let (_, rows) = read_csv(&r.out.join(format!("views/instructor-{}-list.csv", instructor.id)));
        let taught = r.timetable.placements.iter().filter(|p| p.instructor.0 == i).count();
        assert_eq!(rows.len(), taught);
        assert!(rows.iter().all(|row| row[7] == instructor.id));
    }
    for (x, room) in inst.rooms.iter().enumerate() {
        let (_, rows) = read_csv(&r.out.join(format!("views/room-{}-list.csv", room.id)));
        assert_eq!(rows.len(), r.timetable.placements.iter().filter(|p| p.room.0 == x).count());
        let (_, grid) = read_csv(&r.out.join(format!("views/room-{}-grid.csv", room.id)));
        let cells: Vec<&String> = grid.iter().flat_map(|row| &row[1..]).filter(|c| !c.is_empty()).collect();
        assert_eq!(cells.len(), rows.len());
        // A room's cell names the course, then the instructor.
        if let Some(row) = rows.first() {
            assert!(cells[0].starts_with(&format!("{} ({}", row[4], row[7])), "{}", cells[0]);
        }
    }
}

/// The text of the element with this id, from serialized HTML.
fn element_text<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let open_end = start + html[start..].find('>')? + 1;
    let close = open_end + html[open_end..].find('<')?;
    Some(&html[open_end..close])
}

/// The counts the page must state; the cost is checked apart, as a number.
fn expected_counts(r: &Rendered) -> Vec<(&'static str, String)> {
    vec![
        ("session-count", r.timetable.placements.len().to_string()),
        ("course-count", r.instance.courses.len().to_string()),
        ("cohort-count", r.instance.cohorts.len().to_string()),
        ("instructor-count", r.instance.instructors.len().to_string()),
        ("room-count", r.instance.rooms.len().to_string()),
        ("violation-count", "0".to_string()),
    ]
}

#[test]
fn html_is_self_contained_and_states_the_counts() {
    let r = ben_tre();
    let html = fs::read_to_string(&r.files.html).unwrap();
    for (id, value) in expected_counts(r) {
        assert_eq!(element_text(&html, id), Some(value.as_str()), "#{id}");
    }
    let shown: f64 = element_text(&html, "cost-total").unwrap().parse().unwrap();
    assert!((shown - cost(&r.instance, &r.timetable).total()).abs() < 0.01);
    assert!(html.contains("<meta charset=\"utf-8\">") && html.contains("<html lang=\"vi\">"));
    assert!(html.contains("@media print"));
    assert!(html.contains("<svg"), "year overview");
    for external in ["src=\"http", "href=\"http", "@import", "url(http", "<link"] {
        assert!(!html.contains(external), "no network resources ({external})");
    }
    // Names with diacritics arrive intact.
    assert!(html.contains("Nguyễn Thị Thu Hà"));
    // Soft cost shown per session adds up to the checker's compactness.
    let isolated: f64 = element_text(&html, "isolated-count").unwrap().parse().unwrap();
    let c = cost(&r.instance, &r.timetable);
    assert_eq!(isolated * r.instance.weights.compactness, c.compactness);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let r = ben_tre();
    let tmp = tempfile::tempdir().unwrap();
    let again = write_report(&r.instance, &r.timetable, tmp.path(), &r.options).unwrap();
    let first: Vec<&PathBuf> = r.files.all().collect();
    let second: Vec<&PathBuf> = again.all().collect();
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(second) {
        assert_eq!(a.strip_prefix(&r.out).unwrap(), b.strip_prefix(tmp.path()).unwrap());
        assert!(fs::read(a).unwrap() == fs::read(b).unwrap(), "{} differs between runs", a.display());
    }
}

#[test]
fn soft_cost_hot_spots_add_up_to_the_checker_on_a_generated_instance() {
    // The planted timetable is not optimised, so it has isolated sessions
    // and soft-availability hits to mark.
    let g = generate(Size::Medium, 3);
    let tmp = tempfile::tempdir().unwrap();
    let files = write_report(&g.instance, &g.planted, tmp.path(), &ReportOptions::default()).unwrap();
    let html = fs::read_to_string(&files.html).unwrap();
    let c = cost(&g.instance, &g.planted);
    let isolated: f64 = element_text(&html, "isolated-count").unwrap().parse().unwrap();
    assert!(isolated > 0.0);
    assert_eq!(isolated * g.instance.weights.compactness, c.compactness);
    assert_eq!(element_text(&html, "session-count"), Some(g.planted.placements.len().to_string().as_str()));
}

#[test]
fn days_that_are_not_dates_get_no_calendars_and_weeks_of_five_days() {
    let mut g = generate(Size::Small, 1);
    let days = g.instance.calendar.days.iter().enumerate().map(|(i, d)| Day { label: format!("d{i}"), periods: d.periods }).collect();
    g.instance.calendar = classplan::model::Calendar::new(days);
    let tmp = tempfile::tempdir().unwrap();
    let files = write_report(&g.instance, &g.planted, tmp.path(), &ReportOptions::default()).unwrap();
    assert!(files.calendars.is_empty());
    assert!(!tmp.path().join("ics").exists());
    assert!(files.notes.iter().any(|n| n.contains("ISO date")), "{:?}", files.notes);
    let html = fs::read_to_string(&files.html).unwrap();
    assert!(html.contains("\"weeks\":[\"d0 – d4\",\"d5 – d9\"]"), "weeks of five day labels");
}

#[test]
fn periods_csv_sets_the_clock_times_of_calendar_events() {
    let g = generate(Size::Small, 1);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert_eq!(read_period_times(dir).unwrap(), None, "no file, no override");
    fs::write(dir.join("periods.csv"), "period,start,end\n1,08:00,09:30\n2,09:45,11:15\n").unwrap();
    let options = ReportOptions::for_instance_dir(dir).unwrap();
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(options.period_times, vec![(t(8, 0), t(9, 30)), (t(9, 45), t(11, 15))]);
    let files = write_report(&g.instance, &g.planted, &dir.join("out"), &options).unwrap();
    let events: Vec<_> = files.calendars.iter().flat_map(|p| parse_ics(p)).collect();
    assert!(!events.is_empty());
    for e in &events {
        let (start, end) = (&e["DTSTART"][9..], &e["DTEND"][9..]);
        assert!(matches!((start, end), ("080000", "093000") | ("094500", "111500")), "{start}-{end}");
    }

    fs::write(dir.join("periods.csv"), "period,start,end\n1,08:00,07:00\n").unwrap();
    let errors = read_period_times(dir).unwrap_err();
    assert_eq!(errors.0[0].line, Some(2));
    assert!(errors.to_string().contains("periods.csv:2:3"), "{errors}");
}

#[test]
fn period_times_that_end_before_they_start_are_refused() {
    let g = generate(Size::Small, 1);
    let tmp = tempfile::tempdir().unwrap();
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let options = ReportOptions { period_times: vec![(t(9, 0), t(8, 0))], ..Default::default() };
    let err = write_report(&g.instance, &g.planted, tmp.path(), &options).unwrap_err();
    assert!(matches!(err, ReportError::PeriodTimes(_)), "{err}");
}

/// Chromium for the rendering test: the system one, else installed with
/// apt when running as root (CI on a fresh machine).
fn chromium() -> PathBuf {
    let path = PathBuf::from("/usr/bin/chromium");
    if path.exists() {
        return path;
    }
    let uid = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if uid.ok().as_deref() != Some("0") {
        panic!("/usr/bin/chromium is missing and this test is not running as root; install it with `apt-get install -y chromium`");
    }
    let apt = |args: &[&str]| {
        let status = Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive").status();
        assert!(status.is_ok_and(|s| s.success()), "apt-get {args:?} failed");
    };
    apt(&["update", "-q"]);
    apt(&["install", "-y", "-q", "chromium"]);
    assert!(path.exists(), "apt-get installed chromium but {} is missing", path.display());
    path
}

#[test]
fn chromium_renders_the_page_with_the_counts_and_no_script_errors() {
    let r = ben_tre();
    let browser = chromium();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", r.files.html.canonicalize().unwrap().display()))
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    let dom = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert!(dom.contains("data-js-ok=\"1\""), "the script ran to its end; stderr:\n{stderr}");
    assert_eq!(element_text(&dom, "js-errors"), Some(""), "no script errors");
    assert!(!stderr.contains("Uncaught"), "console shows an uncaught error:\n{stderr}");
    for (id, value) in expected_counts(r) {
        assert_eq!(element_text(&dom, id), Some(value.as_str()), "#{id} in the rendered DOM");
    }
    // Filled in by the script from the embedded data.
    let sessions = r.timetable.placements.len().to_string();
    assert_eq!(element_text(&dom, "data-session-count"), Some(sessions.as_str()));
    let first_cohort = sessions_per_cohort(&r.instance, &r.timetable)[0].to_string();
    assert_eq!(element_text(&dom, "grid-entity-count"), Some(first_cohort.as_str()), "the first cohort is shown");
    let week: usize = element_text(&dom, "grid-week-count").unwrap().parse().unwrap();
    assert!(week > 0, "the grid opens on a week with sessions");
    assert!(dom.contains("<table class=\"week\">"));
}
