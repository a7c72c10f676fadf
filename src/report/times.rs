//! Clock times of periods and calendar dates of day labels.
//!
//! The model numbers periods and names days; only what people read needs
//! clock times and dates: the iCalendar files, the list views and the
//! weekly grid. Times come from [`super::ReportOptions::period_times`], which
//! an optional `periods.csv` in the instance folder may set.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use crate::io::{InputError, InputErrors};
use crate::model::{iso_date, Calendar};

/// Minutes in a day: a period that would start at or after midnight has no
/// clock time.
const DAY_MINUTES: u32 = 24 * 60;

/// The planner's defaults: morning, afternoon, evening classes.
pub(super) fn default_period_times() -> Vec<(NaiveTime, NaiveTime)> {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    vec![(t(7, 30), t(11, 0)), (t(13, 30), t(17, 0)), (t(17, 30), t(20, 30))]
}

/// Start and end of one period in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// `07:30-11:00`.
    pub fn label(self) -> String {
        format!("{}–{}", hhmm(self.start), hhmm(self.end))
    }
}

pub(super) fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn minutes(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

/// Why a list of period times cannot be used, one sentence per problem
/// (period numbers from 1).
pub(super) fn period_time_problems(times: &[(NaiveTime, NaiveTime)]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, &(start, end)) in times.iter().enumerate() {
        if start >= end {
            out.push(format!("period {} ends ({end}) no later than it starts ({start})", i + 1));
        }
        if let Some(&(_, prev_end)) = i.checked_sub(1).and_then(|j| times.get(j)) {
            if start < prev_end {
                out.push(format!("period {} starts ({start}) before period {} ends ({prev_end})", i + 1, i));
            }
        }
    }
    out
}

/// Clock times for periods `1..=count`: the given ones, then later periods
/// extrapolated with the last given length and the last given break. A
/// period that would start at or after midnight gets `None`; one that would
/// end after it is cut at 23:59.
pub(super) fn spans(times: &[(NaiveTime, NaiveTime)], count: u32) -> Vec<Option<Span>> {
    let given: Vec<Span> = times.iter().map(|&(s, e)| Span { start: minutes(s), end: minutes(e) }).collect();
    let (length, gap) = match given.as_slice() {
        [] => (180, 30),
        [only] => (only.end.saturating_sub(only.start).max(1), 30),
        [.., before, last] => (last.end.saturating_sub(last.start).max(1), last.start.saturating_sub(before.end)),
    };
    let mut out = Vec::with_capacity(count as usize);
    let mut prev_end = given.first().map_or(7 * 60 + 30, |s| s.start.saturating_sub(gap));
    for p in 0..count as usize {
        let span = match given.get(p) {
            Some(&s) => Some(s),
            None => {
                let start = prev_end + gap;
                (start < DAY_MINUTES).then(|| Span { start, end: (start + length).min(DAY_MINUTES - 1) })
            }
        };
        if let Some(s) = span {
            prev_end = s.end;
        } else {
            prev_end = DAY_MINUTES;
        }
        out.push(span);
    }
    out
}

/// The dates of the calendar's days, when every label is an ISO date
/// (`2020-04-07`); `None` otherwise.
pub(super) fn iso_dates(calendar: &Calendar) -> Option<Vec<NaiveDate>> {
    if calendar.days.is_empty() {
        return None;
    }
    calendar.days.iter().map(|d| iso_date(&d.label)).collect()
}

/// Vietnamese weekday abbreviation (`T2` = Monday ... `CN` = Sunday).
pub(super) fn weekday_vi(date: NaiveDate) -> &'static str {
    ["T2", "T3", "T4", "T5", "T6", "T7", "CN"][date.weekday().num_days_from_monday() as usize]
}

/// Reads `periods.csv` (`period,start,end`, times `HH:MM`) from an
/// instance folder; `Ok(None)` when there is no such file. Follows the
/// instance format's general rules: byte order mark, `,` or `;`, header
/// names in any case and order, `#` comment lines, note columns starting
/// with `#` or `x-`. Periods must be 1, 2, ... without gaps, each ending
/// after it starts and starting no earlier than the one before ends.
pub fn read_period_times(instance_dir: &Path) -> Result<Option<Vec<(NaiveTime, NaiveTime)>>, InputErrors> {
    let path = instance_dir.join(crate::io::schema::PERIODS.name);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(InputError::file("E-IO", &path, format!("cannot be read: {e}")).into()),
    };
    parse_period_times(&path, &bytes).map(Some)
}

/// Parses `periods.csv` bytes; `path` only names the file in errors.
pub(super) fn parse_period_times(path: &Path, bytes: &[u8]) -> Result<Vec<(NaiveTime, NaiveTime)>, InputErrors> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(InputError::file("E-ENCODING", path, "is not UTF-8 text; save it as CSV UTF-8").into());
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_text = text.lines().find(|l| !is_blank_or_comment(l)).unwrap_or("");
    let delimiter = if header_text.matches(';').count() > header_text.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());

    let mut errors = Vec::new();
    let mut header: Option<BTreeMap<&'static str, usize>> = None;
    let mut rows: BTreeMap<u32, (usize, NaiveTime, NaiveTime)> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let mut err = InputError::file("E-CSV", path, "is not valid CSV (check the quotes)");
                err.line = e.position().map(|p| p.line() as usize);
                errors.push(err);
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) || cells.first().is_some_and(|c| c.starts_with('#')) {
            continue;
        }
        let Some(columns) = &header else {
            match read_header(path, line, &cells) {
                Ok(cols) => header = Some(cols),
                Err(mut errs) => {
                    errors.append(&mut errs);
                    return Err(InputErrors(errors));
                }
            }
            continue;
        };
        let cell = |name: &'static str| {
            let pos = columns[name];
            (pos, cells.get(pos).copied().unwrap_or(""))
        };
        let at = |code, (pos, value): (usize, &str), name: &str, msg: &str| {
            InputError::file(code, path, msg).at_line(line).at_column(pos + 1, name).with_value(value)
        };
        let period = cell("period");
        let number = match period.1.parse::<u32>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                errors.push(at("E-COUNT", period, "period", "is not a period number; expected a whole number from 1"));
                None
            }
        };
        let mut time = |name: &'static str| {
            let c = cell(name);
            let parsed = parse_time(c.1);
            if parsed.is_none() {
                errors.push(at("E-TIME", c, name, "is not a clock time; expected HH:MM, e.g. 07:30"));
            }
            parsed
        };
        let (start, end) = (time("start"), time("end"));
        let (Some(number), Some(start), Some(end)) = (number, start, end) else { continue };
        if start >= end {
            errors.push(at("E-TIME-ORDER", cell("end"), "end", "is not after the start; a period must end after it starts"));
        }
        if let Some((first_line, ..)) = rows.get(&number) {
            errors.push(at(
                "E-DUPLICATE-ID",
                period,
                "period",
                &format!("is given twice (first on line {first_line}); give each period once"),
            ));
            continue;
        }
        rows.insert(number, (line, start, end));
    }
    if header.is_none() && errors.is_empty() {
        errors.push(InputError::file("E-EMPTY", path, "has no header row; expected `period,start,end`"));
    }
    let mut times = Vec::with_capacity(rows.len());
    for (expected, (&number, &(line, start, end))) in (1u32..).zip(&rows) {
        if number != expected {
            errors.push(
                InputError::file(
                    "E-PERIOD-GAP",
                    path,
                    format!("period {expected} is missing; periods must be numbered 1, 2, ... without gaps"),
                )
                .at_line(line),
            );
            break;
        }
        if let Some(&(_, prev_end)) = times.last() {
            if start < prev_end {
                errors.push(
                    InputError::file(
                        "E-TIME-ORDER",
                        path,
                        format!("period {number} starts before period {} ends ({prev_end})", number - 1),
                    )
                    .at_line(line)
                    .with_value(start.format("%H:%M").to_string()),
                );
            }
        }
        times.push((start, end));
    }
    if errors.is_empty() {
        Ok(times)
    } else {
        Err(InputErrors(errors))
    }
}

fn read_header(path: &Path, line: usize, cells: &[&str]) -> Result<BTreeMap<&'static str, usize>, Vec<InputError>> {
    const KNOWN: [&str; 3] = ["period", "start", "end"];
    let mut columns = BTreeMap::new();
    let mut errors = Vec::new();
    for (pos, raw) in cells.iter().enumerate() {
        let name = raw.to_lowercase();
        if name.starts_with('#') || name.starts_with("x-") {
            continue;
        }
        let here = |code, msg: &str| InputError::file(code, path, msg).at_line(line).at_column(pos + 1, *raw).with_value(*raw);
        match KNOWN.iter().find(|k| **k == name) {
            None => errors
                .push(here("E-UNKNOWN-COLUMN", "unknown column; expected period, start, end (or a note column starting with '#' or 'x-')")),
            Some(k) => {
                if columns.insert(*k, pos).is_some() {
                    errors.push(here("E-DUPLICATE-COLUMN", "column appears twice in the header"));
                }
            }
        }
    }
    for k in KNOWN {
        if !columns.contains_key(k) {
            errors.push(InputError::file("E-MISSING-COLUMN", path, format!("has no '{k}' column, which is required")).at_line(line));
        }
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#') || t.chars().all(|c| c == ',' || c == ';' || c.is_whitespace())
}

/// `7:30`, `07:30` or `07:30:00`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn later_periods_continue_with_the_last_length_and_break() {
        let s = spans(&default_period_times(), 5);
        assert_eq!(s[2], Some(Span { start: 17 * 60 + 30, end: 20 * 60 + 30 }));
        // The last break (17:00 to 17:30) and length (3 h) carry on.
        assert_eq!(s[3], Some(Span { start: 21 * 60, end: 24 * 60 - 1 }));
        assert_eq!(s[4], None, "a period starting after midnight has no clock time");
    }

    #[test]
    fn periods_csv_reads_semicolons_bom_comments_and_notes() {
        let text = "\u{feff}# buổi học\nPeriod;Start;End;x-ghi-chu\n1;7:00;9:00;sáng\n2;09:15;11:15:00;\n";
        let got = parse_period_times(Path::new("periods.csv"), text.as_bytes()).unwrap();
        assert_eq!(got, vec![(t(7, 0), t(9, 0)), (t(9, 15), t(11, 15))]);
    }

    #[test]
    fn periods_csv_errors_name_line_and_column() {
        let text = "period,start,end\n1,07:30,7h\n3,13:00,12:00\n3,14:00,15:00\n";
        let errs = parse_period_times(Path::new("periods.csv"), text.as_bytes()).unwrap_err().0;
        let codes: Vec<(&str, Option<usize>)> = errs.iter().map(|e| (e.code, e.line)).collect();
        assert_eq!(codes, vec![("E-TIME", Some(2)), ("E-TIME-ORDER", Some(3)), ("E-DUPLICATE-ID", Some(4)), ("E-PERIOD-GAP", Some(3))]);
        assert_eq!(errs[0].column, Some((3, "end".to_string())));
    }

    #[test]
    fn periods_csv_header_problems_are_reported() {
        let errs = parse_period_times(Path::new("p.csv"), b"period,begin\n1,07:00\n").unwrap_err().0;
        let codes: Vec<&str> = errs.iter().map(|e| e.code).collect();
        assert_eq!(codes, vec!["E-UNKNOWN-COLUMN", "E-MISSING-COLUMN", "E-MISSING-COLUMN"]);
    }

    #[test]
    fn iso_dates_need_every_label_to_be_a_date() {
        use crate::model::Day;
        let cal = |labels: &[&str]| Calendar::new(labels.iter().map(|l| Day { label: l.to_string(), periods: 2 }).collect());
        assert!(iso_dates(&cal(&["2020-05-18", "2020-05-19"])).is_some());
        assert!(iso_dates(&cal(&["2020-05-18", "Mon"])).is_none());
        assert!(iso_dates(&cal(&["2020-5-18"])).is_none());
        assert!(iso_dates(&cal(&[])).is_none());
    }
}
