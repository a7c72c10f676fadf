//! Cell parsers of the instance reader: each checks one cell against
//! FORMAT.md's general rules, records a located error and returns `None`
//! when the cell is wrong, so a file's every problem is reported at once.

use super::read_instance::{is_id, Ids, Reader, MAX_WEIGHT};
use super::schema::CALENDAR;
use super::table::{Cell, Table};
use crate::model::DayIdx;

impl Reader {
    pub(super) fn push(&mut self, t: &Table, code: &'static str, cell: &Cell, message: impl Into<String>) {
        self.errors.push(t.error(code, cell, message));
    }

    pub(super) fn id(&mut self, t: &Table, cell: &Cell) -> Option<String> {
        if cell.text.is_empty() {
            self.push(t, "E-EMPTY-CELL", cell, "is empty; expected an id");
            return None;
        }
        if !is_id(cell.text) {
            self.push(t, "E-ID", cell, "is not an id; expected letters, digits, '_', '-' or '.' with no spaces");
            return None;
        }
        Some(cell.text.to_string())
    }

    pub(super) fn unique_id(&mut self, t: &Table, cell: &Cell, seen: &mut Ids, index: usize) -> Option<String> {
        let id = self.id(t, cell)?;
        if seen.insert(id.clone(), index).is_some() {
            self.push(t, "E-DUPLICATE-ID", cell, "is used by an earlier row; ids must be unique in their file");
        }
        Some(id)
    }

    pub(super) fn list(&mut self, t: &Table, cell: &Cell) -> Vec<String> {
        let mut out = Vec::new();
        for token in cell.text.split_whitespace() {
            if is_id(token) {
                out.push(token.to_string());
            } else {
                self.push(t, "E-ID", cell, format!("'{token}' is not an id; expected ids separated by spaces"));
            }
        }
        out
    }

    pub(super) fn count(&mut self, t: &Table, cell: &Cell, min: u32) -> Option<u32> {
        if cell.text.is_empty() {
            self.push(t, "E-EMPTY-CELL", cell, format!("is empty; expected a whole number >= {min}"));
            return None;
        }
        match cell.text.parse::<i64>() {
            Ok(v) if v >= min as i64 && v <= u32::MAX as i64 => Some(v as u32),
            Ok(v) if v < min as i64 => {
                self.push(t, "E-RANGE", cell, format!("is too small; expected a whole number >= {min}"));
                None
            }
            Ok(_) => {
                self.push(t, "E-RANGE", cell, format!("is too large; expected at most {}", u32::MAX));
                None
            }
            // Digits that overflow i64 are a number, just out of range.
            Err(_) if is_integer(cell.text) && cell.text.starts_with('-') => {
                self.push(t, "E-RANGE", cell, format!("is too small; expected a whole number >= {min}"));
                None
            }
            Err(_) if is_integer(cell.text) => {
                self.push(t, "E-RANGE", cell, format!("is too large; expected at most {}", u32::MAX));
                None
            }
            Err(_) => {
                self.push(t, "E-COUNT", cell, format!("is not a whole number; expected a whole number >= {min}"));
                None
            }
        }
    }

    pub(super) fn opt_count(&mut self, t: &Table, cell: Option<Cell>, min: u32) -> Option<u32> {
        cell.filter(|c| !c.text.is_empty()).and_then(|c| self.count(t, &c, min))
    }

    pub(super) fn decimal(&mut self, t: &Table, cell: &Cell) -> Option<f64> {
        // A decimal comma is what spreadsheets write in ';' locales.
        let text = if t.delimiter == b';' { cell.text.replace(',', ".") } else { cell.text.to_string() };
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v > MAX_WEIGHT => {
                self.push(t, "E-RANGE", cell, format!("is too large; expected at most {MAX_WEIGHT}"));
                None
            }
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            _ => {
                self.push(t, "E-NUMBER", cell, "is not a number >= 0; expected e.g. 1 or 2.5");
                None
            }
        }
    }

    pub(super) fn day(&mut self, t: &Table, cell: &Cell) -> Option<DayIdx> {
        let d = self.days.get(cell.text);
        if d.is_none() && !self.is_refused_day(cell.text) {
            let what = if cell.text.is_empty() { "is empty" } else { "is not in the calendar" };
            let msg = format!("{what}; expected {}", self.day_form());
            self.push(t, "E-UNKNOWN-DAY", cell, msg);
        }
        d
    }

    /// What a day cell should hold: `a day of calendar.csv such as
    /// 2020-04-07 (or 7/4/2020)`.
    pub(super) fn day_form(&self) -> String {
        let such_as = self.days.example().map(|e| format!(" such as {e}")).unwrap_or_default();
        format!("a day of {}{such_as}", CALENDAR.name)
    }

    /// Whether a day label is unknown only because calendar.csv, or its own
    /// row there, was refused (and reported).
    pub(super) fn is_refused_day(&self, cell: &str) -> bool {
        self.failed_files.contains(CALENDAR.name) || self.refused_ids.contains(&(CALENDAR.name, self.days.label(cell).into_owned()))
    }

    pub(super) fn reference(&mut self, t: &Table, cell: &Cell, token: &str, ids: &Ids, what: &str, file: &'static str) -> Option<usize> {
        let found = ids.get(token).copied();
        let known_bad = self.failed_files.contains(file) || self.refused_ids.contains(&(file, token.to_string()));
        if found.is_none() && !known_bad {
            let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            self.push(t, "E-UNKNOWN-ID", cell, format!("'{token}' is not {article} {what} id of {file}"));
        }
        found
    }
}

/// Optional sign, then ASCII digits only.
fn is_integer(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}
