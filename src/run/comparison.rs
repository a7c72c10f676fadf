//! comparison.csv and its terminal table: one row per scenario job, read
//! from the job's summary.

use super::{Status, Summary};
use crate::check::Cost;

/// Every job's summary, base first, then scenarios in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub rows: Vec<Summary>,
    /// What the changes are measured against.
    pub baseline: String,
}

/// comparison.csv's columns: the job, its cost components and total,
/// what changed, and the note.
fn header(costs: [&'static str; 7], total: &'static str, changes: [&'static str; 7], note: Option<&'static str>) -> Vec<&'static str> {
    let mut h = vec!["scenario", "status"];
    h.extend(costs);
    h.push(total);
    h.extend(changes);
    h.extend(note);
    h
}

const CHANGES: [&str; 7] =
    ["moved", "new", "instructor_changes", "room_changes", "instructors_affected", "cohorts_affected", "baseline_dropped"];
const CHANGES_SHORT: [&str; 7] = ["moved", "(new)", "instr.chg", "room.chg", "instr.aff", "cohort.aff", "dropped"];

impl Comparison {
    /// Whether every job found a timetable and was not cut short.
    pub fn all_solved(&self) -> bool {
        self.rows.iter().all(|r| r.status.solved())
    }

    /// Whether some job ended with `status`.
    pub fn any(&self, status: Status) -> bool {
        self.rows.iter().any(|r| r.status == status)
    }

    /// The row's cells; `exact` writes costs in full rather than rounded.
    fn cells(row: &Summary, exact: bool) -> Vec<String> {
        let num = |v: f64| {
            // Solver round-off can leave -0.
            let v = if v == 0.0 { 0.0 } else { v };
            if exact || v.fract() == 0.0 {
                v.to_string()
            } else {
                format!("{v:.2}")
            }
        };
        let mut cells = vec![row.job().to_string(), row.status.name().to_string()];
        match &row.cost {
            Some(c) => {
                cells.extend(c.parts.components().iter().map(|(_, v)| num(*v)));
                cells.push(num(c.total));
            }
            None => cells.extend(std::iter::repeat_n(String::new(), Cost::NAMES.len() + 1)),
        }
        match &row.changes {
            Some(ch) => cells.extend([
                ch.moved.to_string(),
                ch.new.to_string(),
                ch.instructor_changes.to_string(),
                ch.room_changes.to_string(),
                ch.instructors_affected.len().to_string(),
                ch.cohorts_affected.len().to_string(),
                row.baseline.as_ref().map_or(0, |b| b.dropped).to_string(),
            ]),
            None => cells.extend(std::iter::repeat_n(String::new(), CHANGES.len())),
        }
        cells.push(row.note().unwrap_or_default());
        cells
    }

    /// `comparison.csv`: one row per job, the columns of [`Self::text`].
    pub fn csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        w.write_record(header(Cost::NAMES, "total", CHANGES, Some("diagnosis"))).expect("in-memory csv");
        for row in &self.rows {
            w.write_record(Self::cells(row, true)).expect("in-memory csv");
        }
        w.into_inner().expect("in-memory csv")
    }

    /// An aligned table for the terminal, numbers right-aligned, with the
    /// notes (diagnoses, errors) listed below it.
    pub fn text(&self) -> String {
        let header = header(Cost::SHORT_NAMES, "COST", CHANGES_SHORT, None);
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                let mut c = Self::cells(r, false);
                c.pop();
                for cell in c.iter_mut().skip(2) {
                    if cell.is_empty() {
                        *cell = "-".into();
                    }
                }
                c
            })
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
            .collect();
        let line = |cells: &[&str]| {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i] - cell.chars().count();
                if i > 0 {
                    s.push_str("  ");
                }
                if i < 2 {
                    s.push_str(cell);
                    s.extend(std::iter::repeat_n(' ', pad));
                } else {
                    s.extend(std::iter::repeat_n(' ', pad));
                    s.push_str(cell);
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(&header);
        for r in &rows {
            out.push_str(&line(&r.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        out.push_str(&format!("changes are counted against {}\n", self.baseline));
        for r in &self.rows {
            match r.status {
                Status::Infeasible | Status::NoTimetableInTime => out.push_str(&format!("{}:\n{}", r.job(), r.explanation("  "))),
                _ => {
                    if let Some(note) = r.note() {
                        out.push_str(&format!("{}: {note}\n", r.job()));
                    }
                }
            }
        }
        out
    }
}
