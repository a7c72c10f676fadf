//! What a planner reads when a run finds no timetable: the diagnosis's
//! findings grouped by kind, most specific first, and the courses the
//! partial timetable leaves out. One text for `check`, `solve` and
//! `scenarios`, so the three never explain a failure differently.

use super::{Status, Summary, PARTIAL_FILE, UNPLACED_FILE};
use crate::check::Finding;

/// The findings, one group per kind in the order given (the diagnosis
/// sorts them most specific first), each line indented by `indent`.
pub fn findings_text(findings: &[Finding], indent: &str) -> String {
    let mut out = String::new();
    let mut start = 0;
    while start < findings.len() {
        let kind = findings[start].kind;
        let end = start + findings[start..].iter().take_while(|f| f.kind == kind).count();
        out.push_str(&format!("{indent}{} ({}):\n", kind.name().replace('_', " "), end - start));
        for f in &findings[start..end] {
            out.push_str(&format!("{indent}  {}\n", f.message));
        }
        start = end;
    }
    out
}

impl Summary {
    /// Why the run has no timetable and what it wrote instead, one line
    /// per fact, each indented by `indent`; empty for a solved run.
    pub fn explanation(&self, indent: &str) -> String {
        let mut out = String::new();
        match self.status {
            Status::Infeasible => {
                out.push_str(&format!("{indent}no timetable exists for this instance:\n"));
                match self.diagnosis.is_empty() {
                    true => out.push_str(&format!("{indent}  ({})\n", super::NO_SINGLE_CAUSE)),
                    false => out.push_str(&findings_text(&self.diagnosis, &format!("{indent}  "))),
                }
            }
            Status::NoTimetableInTime => out.push_str(&format!("{indent}no timetable was found within the time limit; allow more time\n")),
            _ => {}
        }
        if let Some(partial) = &self.files.partial {
            let left_out: u32 = self.unplaced.iter().map(|u| u.sessions).sum();
            let unplaced = self.files.unplaced.as_deref().unwrap_or(UNPLACED_FILE);
            out.push_str(&format!(
                "{indent}{partial} holds every session that fits; {} of {} left out ({unplaced}):\n",
                count(left_out as usize, "session"),
                count(self.unplaced.len(), "course")
            ));
            for u in &self.unplaced {
                out.push_str(&format!("{indent}  {}: {} left out; {}\n", u.course, count(u.sessions as usize, "session"), u.reason));
            }
        }
        debug_assert!(self.files.partial.is_none() || self.files.partial.as_deref() == Some(PARTIAL_FILE));
        out
    }
}

/// `1 session`, `2 sessions`.
fn count(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        _ => format!("{n} {word}s"),
    }
}
