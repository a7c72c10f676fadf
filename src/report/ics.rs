//! iCalendar (RFC 5545) files, one per cohort and per instructor, so that
//! trainees and lecturers can subscribe to their own timetable.
//!
//! Written by hand: the format is small, and doing it here keeps every byte
//! under our control (CRLF, folding at 75 octets, TEXT escaping, a fixed
//! DTSTAMP), which is what makes the files deterministic.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::digest::{Digest, Entity, Kind};

/// The events of one cohort's or instructor's calendar, `None` when the
/// entity has no session with a clock time (RFC 5545 wants at least one
/// component in a calendar). `dates` are the calendar's day dates.
pub(super) fn calendar(digest: &Digest, entity: &Entity, dates: &[NaiveDate]) -> Option<String> {
    let instance = digest.instance;
    // DTSTAMP must be present; tying it to the calendar's first day instead
    // of the clock keeps the file the same on every run.
    let stamp = format!("{}T000000Z", dates.first()?.format("%Y%m%d"));
    let kind_vi = match entity.kind {
        Kind::Cohort => "Lớp",
        Kind::Instructor => "Giảng viên",
        Kind::Room => "Phòng",
    };
    let title = if entity.name.is_empty() { entity.id.to_string() } else { format!("{} ({})", entity.name, entity.id) };

    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//classplan//timetable report//VI");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.property("X-WR-CALNAME", &format!("{kind_vi} {title}"));

    let mut uids: BTreeMap<String, u32> = BTreeMap::new();
    let mut events = 0;
    for &i in &entity.sessions {
        let s = &digest.sessions[i];
        let p = s.placement;
        let Some(span) = digest.spans.get(p.slot.period as usize - 1).copied().flatten() else { continue };
        let date = dates[p.slot.day.0];
        let course = instance.course(p.course);
        let room = &instance.rooms[p.room.0];
        let instructor = &instance.instructors[p.instructor.0];

        // The same session has the same UID in every file it appears in, so
        // a client subscribed to a cohort and an instructor merges them.
        let base = format!("{}-{}-p{}-{}", course.id, date.format("%Y%m%d"), p.slot.period, room.id);
        let seen = uids.entry(base.clone()).or_insert(0);
        *seen += 1;
        let uid = if *seen == 1 { base } else { format!("{base}-{seen}") };

        let when = |minutes: u32| format!("{}T{:02}{:02}00", date.format("%Y%m%d"), minutes / 60, minutes % 60);
        let named = |name: &str, id: &str| if name.is_empty() { id.to_string() } else { format!("{name} ({id})") };
        let cohorts: Vec<String> = s.cohorts.iter().map(|k| named(&instance.cohorts[k.0].name, &instance.cohorts[k.0].id)).collect();
        let mut description = vec![
            format!("Môn / subject: {}", course.subject),
            format!("Buổi / period: {}", p.slot.period),
            format!("Giảng viên / instructor: {}", named(&instructor.name, &instructor.id)),
            format!("Phòng / room: {}", named(&room.name, &room.id)),
        ];
        if !cohorts.is_empty() {
            description.push(format!("Lớp / cohorts: {}", cohorts.join(", ")));
        }
        let notes = digest.notes(s, super::views::cohort_of(entity));
        if !notes.is_empty() {
            description.push(format!("Ghi chú / notes: {}", notes.join("; ")));
        }

        out.line("BEGIN:VEVENT");
        out.property("UID", &format!("{uid}@classplan"));
        out.line(&format!("DTSTAMP:{stamp}"));
        out.line(&format!("DTSTART:{}", when(span.start)));
        out.line(&format!("DTEND:{}", when(span.end)));
        out.property("SUMMARY", &format!("{} – {}", course.id, course.subject));
        out.property("LOCATION", &named(&room.name, &room.id));
        out.property("DESCRIPTION", &description.join("\n"));
        out.property("CATEGORIES", &course.subject);
        out.line("END:VEVENT");
        events += 1;
    }
    out.line("END:VCALENDAR");
    (events > 0).then_some(out.0)
}

/// Content lines, CRLF-terminated and folded.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// A property whose value is TEXT, escaped.
    fn property(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }

    /// Folds at 75 octets (RFC 5545 3.1): a CRLF and one space before each
    /// continuation, never splitting a UTF-8 character.
    fn line(&mut self, line: &str) {
        let mut used = 0;
        for ch in line.chars() {
            let len = ch.len_utf8();
            if used + len > 75 {
                self.0.push_str("\r\n ");
                used = 1;
            }
            self.0.push(ch);
            used += len;
        }
        self.0.push_str("\r\n");
    }
}

/// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline.
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut l = Lines::default();
        let value = "ễ".repeat(60); // 3 octets each
        l.property("SUMMARY", &value);
        for part in l.0.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets: {part:?}", part.len());
        }
        let unfolded = l.0.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{value}\r\n"));
    }
}
