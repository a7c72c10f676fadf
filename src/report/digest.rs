//! What every output of the report shares: the sessions with their soft-cost
//! hot spots, who and what each cohort, instructor and room is doing, the
//! weeks of the calendar, and safe file stems.
//!
//! Computed once so the CSV views, the workbook, the calendars and the page
//! cannot disagree about a session.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use super::times::{iso_dates, spans, Span};
use super::ReportOptions;
use crate::model::{Availability, AvailabilityTarget, CohortIdx, Instance, Placement, Timetable};

/// One placed session and what it costs beyond the hard rules.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub placement: Placement,
    /// The course's cohorts, each once, in the course's order.
    pub cohorts: Vec<CohortIdx>,
    /// Cohorts that have no other session in the period before or after
    /// (the `compactness` cost).
    pub isolated_for: Vec<CohortIdx>,
    /// Students beyond the room's seats.
    pub over_capacity: u32,
    /// Sum of the soft availability rows covering this session.
    pub soft_penalty: f64,
}

impl Session {
    pub fn is_hot(&self) -> bool {
        !self.isolated_for.is_empty() || self.over_capacity > 0 || self.soft_penalty > 0.0
    }
}

/// The three kinds of people and places a view is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Cohort,
    Instructor,
    Room,
}

impl Kind {
    /// File name prefix: `cohort`, `instructor`, `room`.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Cohort => "cohort",
            Kind::Instructor => "instructor",
            Kind::Room => "room",
        }
    }

    /// How a Vietnamese planner names the kind (also the sheet prefix).
    pub fn label_vi(self) -> &'static str {
        match self {
            Kind::Cohort => "Lớp",
            Kind::Instructor => "GV",
            Kind::Room => "Phòng",
        }
    }
}

/// A cohort, instructor or room with its sessions.
#[derive(Debug, Clone)]
pub(super) struct Entity<'a> {
    pub kind: Kind,
    /// Position in the instance's vector of that kind.
    pub index: usize,
    pub id: &'a str,
    pub name: &'a str,
    /// `id` made safe as part of a file name, unique within the kind.
    pub stem: String,
    /// Positions in [`Digest::sessions`], in calendar order.
    pub sessions: Vec<usize>,
    /// First and last day (positions) a grid shows: the cohort's window and
    /// every day with a session; `None` when there is nothing to show.
    pub days: Option<(usize, usize)>,
}

/// A column group of the calendar: an ISO week, or five calendar days
/// when day labels are not dates.
#[derive(Debug, Clone)]
pub(super) struct Week {
    pub label: String,
    /// Day positions in calendar order.
    pub days: Vec<usize>,
}

pub(super) struct Digest<'a> {
    pub instance: &'a Instance,
    /// Sessions in calendar order (slot, then room, course, instructor).
    pub sessions: Vec<Session>,
    /// Placements left out because they name a day, period, course, room
    /// or instructor the instance does not have.
    pub dropped: usize,
    /// Day dates when every day label is an ISO date.
    pub dates: Option<Vec<NaiveDate>>,
    pub weeks: Vec<Week>,
    /// Clock times of periods 1..=max periods.
    pub spans: Vec<Option<Span>>,
    /// Cohorts, then instructors, then rooms, each in instance order.
    pub entities: Vec<Entity<'a>>,
}

impl<'a> Digest<'a> {
    pub fn new(instance: &'a Instance, timetable: &Timetable, options: &ReportOptions) -> Self {
        let cal = &instance.calendar;
        let valid = |p: &&Placement| {
            p.course.0 < instance.courses.len()
                && p.room.0 < instance.rooms.len()
                && p.instructor.0 < instance.instructors.len()
                && cal.has_slot(p.slot)
        };
        let mut placements: Vec<Placement> = timetable.placements.iter().filter(valid).copied().collect();
        let dropped = timetable.placements.len() - placements.len();
        placements.sort_by_key(|p| (p.slot, p.room, p.course, p.instructor));

        let sessions = price_sessions(instance, &placements);
        let dates = iso_dates(cal);
        let weeks = weeks(instance, dates.as_deref());
        let entities = entities(instance, &sessions);
        Digest { instance, sessions, dropped, dates, weeks, spans: spans(&options.period_times, cal.max_periods()), entities }
    }

    pub fn entities_of(&self, kind: Kind) -> impl Iterator<Item = &Entity<'a>> {
        self.entities.iter().filter(move |e| e.kind == kind)
    }

    pub fn day_label(&self, day: usize) -> &str {
        &self.instance.calendar.days[day].label
    }

    pub fn course_id(&self, s: &Session) -> &str {
        &self.instance.courses[s.placement.course.0].id
    }

    pub fn room_id(&self, s: &Session) -> &str {
        &self.instance.rooms[s.placement.room.0].id
    }

    pub fn instructor_id(&self, s: &Session) -> &str {
        &self.instance.instructors[s.placement.instructor.0].id
    }

    /// The session's cohort ids separated by spaces, as in timetable.csv.
    pub fn cohort_ids(&self, s: &Session) -> String {
        s.cohorts.iter().map(|k| self.instance.cohorts[k.0].id.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// What a view of `kind` needs besides the course: for a cohort the
    /// room and instructor, for an instructor the room and cohorts, for a
    /// room the instructor and cohorts (empty parts left out).
    pub fn others(&self, kind: Kind, s: &Session) -> Vec<String> {
        let parts = match kind {
            Kind::Cohort => [self.room_id(s).to_string(), self.instructor_id(s).to_string()],
            Kind::Instructor => [self.room_id(s).to_string(), self.cohort_ids(s)],
            Kind::Room => [self.instructor_id(s).to_string(), self.cohort_ids(s)],
        };
        parts.into_iter().filter(|p| !p.is_empty()).collect()
    }

    /// Soft-cost notes on a session; `cohort` narrows isolation to the
    /// cohort whose view this is.
    pub fn notes(&self, s: &Session, cohort: Option<CohortIdx>) -> Vec<String> {
        let mut out = Vec::new();
        let isolated: Vec<&str> =
            s.isolated_for.iter().filter(|k| cohort.is_none_or(|c| c == **k)).map(|k| self.instance.cohorts[k.0].id.as_str()).collect();
        if !isolated.is_empty() {
            out.push(if cohort.is_some() { "isolated".to_string() } else { format!("isolated for {}", isolated.join(" ")) });
        }
        if s.over_capacity > 0 {
            out.push(format!("room too small by {}", s.over_capacity));
        }
        if s.soft_penalty > 0.0 {
            out.push(format!("soft unavailability {}", number(s.soft_penalty)));
        }
        out
    }

    /// `07:30` / `11:00` of a period, empty when it has no clock time.
    pub fn start_end(&self, period: u32) -> (String, String) {
        match self.spans.get(period as usize - 1).copied().flatten() {
            Some(span) => (super::times::hhmm(span.start), super::times::hhmm(span.end)),
            None => (String::new(), String::new()),
        }
    }
}

/// Prices each session's share of the soft cost, as docs/rules.md defines
/// the components (isolation per cohort, seats, soft availability).
fn price_sessions(instance: &Instance, placements: &[Placement]) -> Vec<Session> {
    let cal = &instance.calendar;
    let slots = cal.num_slots();
    let course_cohorts: Vec<Vec<CohortIdx>> = instance
        .courses
        .iter()
        .map(|c| {
            let mut seen = BTreeSet::new();
            c.cohorts.iter().copied().filter(|k| k.0 < instance.cohorts.len() && seen.insert(*k)).collect()
        })
        .collect();

    // Sessions of each cohort per slot, to find isolated ones.
    let mut busy = vec![vec![0u32; slots]; instance.cohorts.len()];
    for p in placements {
        for k in &course_cohorts[p.course.0] {
            busy[k.0][cal.slot_index(p.slot)] += 1;
        }
    }
    let mut soft: BTreeMap<AvailabilityTarget, Vec<&Availability>> = BTreeMap::new();
    for a in instance.availability.iter().filter(|a| !a.is_hard()) {
        soft.entry(a.target).or_default().push(a);
    }
    let penalty = |target: AvailabilityTarget, p: &Placement| -> f64 {
        soft.get(&target).map_or(0.0, |rows| rows.iter().filter(|a| a.covers(p.slot)).filter_map(|a| a.weight).sum())
    };

    placements
        .iter()
        .map(|p| {
            let cohorts = course_cohorts[p.course.0].clone();
            let index = cal.slot_index(p.slot);
            let periods = cal.days[p.slot.day.0].periods;
            let isolated_for = cohorts
                .iter()
                .copied()
                .filter(|k| {
                    let before = p.slot.period > 1 && busy[k.0][index - 1] > 0;
                    let after = p.slot.period < periods && busy[k.0][index + 1] > 0;
                    !before && !after
                })
                .collect();
            let over_capacity = instance.students(p.course).saturating_sub(instance.rooms[p.room.0].capacity);
            let soft_penalty = penalty(AvailabilityTarget::Course(p.course), p)
                + cohorts.iter().map(|&k| penalty(AvailabilityTarget::Cohort(k), p)).sum::<f64>()
                + penalty(AvailabilityTarget::Instructor(p.instructor), p)
                + penalty(AvailabilityTarget::Room(p.room), p);
            Session { placement: *p, cohorts, isolated_for, over_capacity, soft_penalty }
        })
        .collect()
}

/// ISO weeks (Monday first) when days are dates, else runs of five days.
fn weeks(instance: &Instance, dates: Option<&[NaiveDate]>) -> Vec<Week> {
    let n = instance.calendar.num_days();
    let label = |d: usize| instance.calendar.days[d].label.as_str();
    match dates {
        Some(dates) => {
            let mut by_week: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
            for (d, date) in dates.iter().enumerate() {
                let w = date.iso_week();
                by_week.entry((w.year(), w.week())).or_default().push(d);
            }
            by_week
                .into_iter()
                .map(|((year, week), days)| {
                    let first = dates[days[0]];
                    let last = dates[*days.last().unwrap_or(&days[0])];
                    let label = format!("Tuần {week}/{year} · {}–{}", first.format("%d/%m"), last.format("%d/%m"));
                    Week { label, days }
                })
                .collect()
        }
        None => (0..n)
            .step_by(5)
            .map(|start| {
                let days: Vec<usize> = (start..(start + 5).min(n)).collect();
                let last = days[days.len() - 1];
                let label = if last == start { label(start).to_string() } else { format!("{} – {}", label(start), label(last)) };
                Week { label, days }
            })
            .collect(),
    }
}

fn entities<'a>(instance: &'a Instance, sessions: &[Session]) -> Vec<Entity<'a>> {
    let mut by_cohort = vec![Vec::new(); instance.cohorts.len()];
    let mut by_instructor = vec![Vec::new(); instance.instructors.len()];
    let mut by_room = vec![Vec::new(); instance.rooms.len()];
    for (i, s) in sessions.iter().enumerate() {
        for k in &s.cohorts {
            by_cohort[k.0].push(i);
        }
        by_instructor[s.placement.instructor.0].push(i);
        by_room[s.placement.room.0].push(i);
    }
    let last_day = instance.calendar.num_days().checked_sub(1);
    let span = |list: &[usize], window: Option<(usize, usize)>| {
        let days = list.iter().map(|&i| sessions[i].placement.slot.day.0);
        let (lo, hi) = days.fold(window.unwrap_or((usize::MAX, 0)), |(lo, hi), d| (lo.min(d), hi.max(d)));
        (lo <= hi).then_some((lo, hi))
    };

    let mut stems = Stems::default();
    let mut entity = |kind: Kind, index: usize, id: &'a str, name: &'a str, sessions: Vec<usize>, window: Option<(usize, usize)>| Entity {
        kind,
        index,
        id,
        name,
        stem: stems.make(kind, id),
        days: span(&sessions, window),
        sessions,
    };
    let mut out = Vec::new();
    for (k, (cohort, list)) in instance.cohorts.iter().zip(by_cohort).enumerate() {
        let window = last_day.map(|last| (cohort.first_day.map_or(0, |d| d.0), cohort.last_day.map_or(last, |d| d.0.min(last))));
        out.push(entity(Kind::Cohort, k, &cohort.id, &cohort.name, list, window));
    }
    for (i, (instructor, list)) in instance.instructors.iter().zip(by_instructor).enumerate() {
        out.push(entity(Kind::Instructor, i, &instructor.id, &instructor.name, list, None));
    }
    for (r, (room, list)) in instance.rooms.iter().zip(by_room).enumerate() {
        out.push(entity(Kind::Room, r, &room.id, &room.name, list, None));
    }
    out
}

/// File stems unique per kind even on case-insensitive file systems.
#[derive(Default)]
struct Stems(BTreeSet<(Kind, String)>);

impl Stems {
    fn make(&mut self, kind: Kind, id: &str) -> String {
        let base = file_stem(id);
        let mut stem = base.clone();
        let mut n = 2;
        while !self.0.insert((kind, stem.to_lowercase())) {
            stem = format!("{base}~{n}");
            n += 1;
        }
        stem
    }
}

/// An id made safe inside a file name: letters, digits, `-`, `_` and `.`
/// kept, anything else `_`; never empty, never starting with a dot.
pub(super) fn file_stem(id: &str) -> String {
    let mut out: String = id.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    if out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// A cost or penalty as people write it: `12`, `2.5`.
pub(super) fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe_and_unique() {
        assert_eq!(file_stem("bt-xa-1"), "bt-xa-1");
        assert_eq!(file_stem("a/b\\c d"), "a_b_c_d");
        assert_eq!(file_stem(".."), "_.");
        assert_eq!(file_stem(""), "_");
        assert_eq!(file_stem("lớp-1"), "lớp-1");
        let mut stems = Stems::default();
        assert_eq!(stems.make(Kind::Cohort, "A b"), "A_b");
        assert_eq!(stems.make(Kind::Cohort, "a_b"), "a_b~2");
        assert_eq!(stems.make(Kind::Room, "a_b"), "a_b");
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(1.0 / 3.0), "0.33");
    }
}

/// Hue (degrees) of a course's colour: the golden angle spreads
/// neighbouring courses far apart on the colour wheel, the same every run.
pub(super) fn course_hue(course: usize) -> u32 {
    ((course as f64 * 137.508) % 360.0) as u32
}

/// `0xRRGGBB` of an HSL colour (saturation and lightness in percent).
pub(super) fn hsl_rgb(hue: u32, saturation: u32, lightness: u32) -> u32 {
    let (h, s, l) = (f64::from(hue % 360) / 60.0, f64::from(saturation) / 100.0, f64::from(lightness) / 100.0);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u32;
    (byte(r) << 16) | (byte(g) << 8) | byte(b)
}

#[cfg(test)]
mod colour_tests {
    use super::*;

    #[test]
    fn hsl_converts_primary_and_grey() {
        assert_eq!(hsl_rgb(0, 100, 50), 0xff0000);
        assert_eq!(hsl_rgb(120, 100, 50), 0x00ff00);
        assert_eq!(hsl_rgb(240, 100, 50), 0x0000ff);
        assert_eq!(hsl_rgb(77, 0, 50), 0x808080);
    }
}
