use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::DayIdx;

/// One teaching day: a label (an ISO date where the planner gave one) and
/// how many periods it has.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub label: String,
    pub periods: u32,
}

/// A (day, period) pair; periods are numbered from 1 as planners count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub day: DayIdx,
    pub period: u32,
}

/// The teaching days in order, with a flat numbering of all their periods.
///
/// The flat number ("slot index") orders slots by day then period, which is
/// also the order the timetable is written in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calendar {
    pub days: Vec<Day>,
    /// `first_slot[d]` is the slot index of period 1 of day `d`; one extra
    /// entry at the end holds the total, so a day's slots are
    /// `first_slot[d]..first_slot[d + 1]`.
    first_slot: Vec<usize>,
}

impl Calendar {
    pub fn new(days: Vec<Day>) -> Self {
        let mut first_slot = Vec::with_capacity(days.len() + 1);
        let mut next = 0usize;
        for day in &days {
            first_slot.push(next);
            next += day.periods as usize;
        }
        first_slot.push(next);
        Calendar { days, first_slot }
    }

    pub fn num_days(&self) -> usize {
        self.days.len()
    }

    pub fn num_slots(&self) -> usize {
        *self.first_slot.last().unwrap_or(&0)
    }

    pub fn max_periods(&self) -> u32 {
        self.days.iter().map(|d| d.periods).max().unwrap_or(0)
    }

    pub fn day_by_label(&self, label: &str) -> Option<DayIdx> {
        self.days.iter().position(|d| d.label == label).map(DayIdx)
    }

    pub fn label(&self, day: DayIdx) -> &str {
        &self.days[day.0].label
    }

    /// Whether `period` (from 1) exists on `day`.
    pub fn has_slot(&self, slot: Slot) -> bool {
        slot.day.0 < self.days.len() && slot.period >= 1 && slot.period <= self.days[slot.day.0].periods
    }

    /// Flat index of an existing slot.
    pub fn slot_index(&self, slot: Slot) -> usize {
        debug_assert!(self.has_slot(slot));
        self.first_slot[slot.day.0] + (slot.period as usize - 1)
    }

    /// The slot with this flat index.
    pub fn slot(&self, index: usize) -> Slot {
        let day = self.first_slot.partition_point(|&f| f <= index) - 1;
        Slot { day: DayIdx(day), period: (index - self.first_slot[day]) as u32 + 1 }
    }

    /// Flat indices of the slots of one day.
    pub fn day_slots(&self, day: DayIdx) -> std::ops::Range<usize> {
        self.first_slot[day.0]..self.first_slot[day.0 + 1]
    }

    /// All slots in calendar order.
    pub fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        (0..self.num_slots()).map(move |i| self.slot(i))
    }

    /// Human label of a slot, e.g. `2020-04-07 period 2`.
    pub fn describe(&self, slot: Slot) -> String {
        format!("{} period {}", self.label(slot.day), slot.period)
    }
}

/// The date a day label stands for, when it is an ISO date (`2020-04-07`).
pub fn iso_date(label: &str) -> Option<NaiveDate> {
    // chrono accepts `2020-4-7` and signed years; planners' ISO dates are
    // exactly ten characters.
    let b = label.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(label, "%Y-%m-%d").ok()
}

/// The date of a `D/M/YYYY` or `DD/MM/YYYY` cell, the short date
/// Vietnamese spreadsheets write.
fn short_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, lengths: std::ops::RangeInclusive<usize>| lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(d, 1..=2) || !digits(m, 1..=2) || !digits(y, 4..=4) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// How day cells of the instance's other files, and of timetables, name
/// days: by label (the first day of a repeated label), and where every
/// label is an ISO date, also as `D/M/YYYY` (FORMAT.md, Version 2). The one
/// place a day cell becomes a day.
#[derive(Debug, Clone, Default)]
pub struct DayLookup {
    by_label: BTreeMap<String, DayIdx>,
    /// Every label is an ISO date, so short dates are read too.
    dated: bool,
    /// The first day's label, to show the form a cell takes.
    first: Option<String>,
}

impl DayLookup {
    pub fn new(calendar: &Calendar) -> Self {
        let mut by_label = BTreeMap::new();
        for (d, day) in calendar.days.iter().enumerate() {
            by_label.entry(day.label.clone()).or_insert(DayIdx(d));
        }
        let dated = !calendar.days.is_empty() && calendar.days.iter().all(|d| iso_date(&d.label).is_some());
        DayLookup { by_label, dated, first: calendar.days.first().map(|d| d.label.clone()) }
    }

    /// The day a cell names, if the calendar has it.
    pub fn get(&self, cell: &str) -> Option<DayIdx> {
        self.by_label.get(self.label(cell).as_ref()).copied()
    }

    /// The label a day cell stands for: the ISO date of a short date where
    /// short dates are read, else the cell as written.
    pub fn label<'c>(&self, cell: &'c str) -> Cow<'c, str> {
        match short_date(cell).filter(|_| self.dated) {
            Some(date) => Cow::Owned(date.format("%Y-%m-%d").to_string()),
            None => Cow::Borrowed(cell),
        }
    }

    /// A day cell as it may be written, for messages: `2020-04-07 (or
    /// 7/4/2020)`, or the first label of a calendar of other labels.
    pub fn example(&self) -> Option<String> {
        let first = self.first.as_ref()?;
        match iso_date(first).filter(|_| self.dated) {
            Some(date) => Some(format!("{first} (or {}/{}/{})", date.day(), date.month(), date.year())),
            None => Some(first.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(labels: &[&str]) -> Calendar {
        Calendar::new(labels.iter().map(|l| Day { label: l.to_string(), periods: 2 }).collect())
    }

    #[test]
    fn short_dates_name_the_iso_days_of_a_dated_calendar_only() {
        let days = DayLookup::new(&calendar(&["2020-04-07", "2020-07-13"]));
        for (cell, day) in [("2020-04-07", Some(0)), ("07/04/2020", Some(0)), ("7/4/2020", Some(0)), ("13/07/2020", Some(1))] {
            assert_eq!(days.get(cell), day.map(DayIdx), "{cell}");
        }
        for cell in ["4/7/2020", "7/4/20", "07/04/2020/1", "007/04/2020", "31/02/2020", "7/4/2021", " 7/4/2020", "7-4-2020"] {
            assert_eq!(days.get(cell), None, "{cell}");
        }
        assert_eq!(days.example().as_deref(), Some("2020-04-07 (or 7/4/2020)"));
        // One label that is not a date: labels are only labels.
        let mixed = DayLookup::new(&calendar(&["2020-04-07", "spare"]));
        assert_eq!((mixed.get("7/4/2020"), mixed.get("2020-04-07")), (None, Some(DayIdx(0))));
        assert_eq!(mixed.example().as_deref(), Some("2020-04-07"));
        assert_eq!(DayLookup::new(&calendar(&[])).example(), None);
    }

    #[test]
    fn slot_numbering_round_trips_over_uneven_days() {
        let cal = Calendar::new(vec![
            Day { label: "a".into(), periods: 2 },
            Day { label: "b".into(), periods: 3 },
            Day { label: "c".into(), periods: 1 },
        ]);
        assert_eq!(cal.num_slots(), 6);
        for i in 0..6 {
            assert_eq!(cal.slot_index(cal.slot(i)), i);
        }
        assert_eq!(cal.slot(2), Slot { day: DayIdx(1), period: 1 });
        assert_eq!(cal.day_slots(DayIdx(1)), 2..5);
        assert!(!cal.has_slot(Slot { day: DayIdx(2), period: 2 }));
    }
}
