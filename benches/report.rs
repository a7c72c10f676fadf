//! Report benchmark: time to write every report output (CSV views, HTML,
//! workbook, calendars) for the planted timetable of each generated size,
//! and the size of report.html.
//!
//!     cargo bench --bench report

use std::time::Instant;

use classplan::generate::{generate, Size};
use classplan::report::{write_report, ReportOptions};

fn main() {
    println!("| size | sessions | files | seconds | report.html bytes |");
    println!("|---|---|---|---|---|");
    for size in Size::ALL {
        let g = generate(size, 1);
        let dir = tempfile::tempdir().expect("temp dir");
        let started = Instant::now();
        let files = write_report(&g.instance, &g.planted, dir.path(), &ReportOptions::default()).expect("report");
        let seconds = started.elapsed().as_secs_f64();
        let html = std::fs::metadata(&files.html).expect("html").len();
        println!("| {size} | {} | {} | {seconds:.2} | {html} |", g.planted.placements.len(), files.all().count());
    }
}
