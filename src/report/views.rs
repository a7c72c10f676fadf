//! CSV views for one cohort, instructor or room: a grid to print and a
//! list to sort and filter in a spreadsheet.

use super::digest::{Digest, Entity, Kind};
use crate::model::CohortIdx;

/// The header of every list view.
pub(super) const LIST_HEADER: [&str; 11] =
    ["day", "period", "start", "end", "course", "subject", "cohorts", "instructor", "room", "students", "notes"];

/// Days down, periods across; a cell names the course and, in brackets,
/// where and with whom (see [`Digest::others`]). Rows are the days from
/// [`Entity::days`]; sessions sharing a cell (a clash) are joined by ` | `.
pub(super) fn grid_csv(digest: &Digest, entity: &Entity) -> Vec<u8> {
    let periods = digest.instance.calendar.max_periods();
    let mut header = vec!["day".to_string()];
    header.extend((1..=periods).map(|p| format!("period {p}")));
    let rows = grid_cells(digest, entity, |s| {
        let others = digest.others(entity.kind, s);
        if others.is_empty() {
            digest.course_id(s).to_string()
        } else {
            format!("{} ({})", digest.course_id(s), others.join(", "))
        }
    })
    .into_iter()
    .map(|(day, cells)| {
        let mut row = vec![digest.day_label(day).to_string()];
        row.extend(cells.into_iter().map(|c| c.join(" | ")));
        row
    });
    csv_bytes(header, rows)
}

/// For each day of the entity's grid, the texts of its sessions in each
/// period (1..=max periods).
pub(super) fn grid_cells(
    digest: &Digest,
    entity: &Entity,
    text: impl Fn(&super::digest::Session) -> String,
) -> Vec<(usize, Vec<Vec<String>>)> {
    let periods = digest.instance.calendar.max_periods() as usize;
    let Some((first, last)) = entity.days else { return Vec::new() };
    let mut rows: Vec<(usize, Vec<Vec<String>>)> = (first..=last).map(|d| (d, vec![Vec::new(); periods])).collect();
    for &i in &entity.sessions {
        let s = &digest.sessions[i];
        let (day, period) = (s.placement.slot.day.0, s.placement.slot.period as usize);
        // Entity::days covers every session day, so these always exist.
        if let Some(cell) = day.checked_sub(first).and_then(|r| rows.get_mut(r)).and_then(|(_, c)| c.get_mut(period - 1)) {
            cell.push(text(s));
        }
    }
    rows
}

/// One row per session, in calendar order.
pub(super) fn list_csv(digest: &Digest, entity: &Entity) -> Vec<u8> {
    let rows = list_rows(digest, entity.sessions.iter().copied(), cohort_of(entity));
    csv_bytes(LIST_HEADER.iter().map(|s| s.to_string()).collect(), rows)
}

/// The cohort whose view this is, to narrow isolation notes.
pub(super) fn cohort_of(entity: &Entity) -> Option<CohortIdx> {
    (entity.kind == Kind::Cohort).then_some(CohortIdx(entity.index))
}

/// List rows (as [`LIST_HEADER`]) for these sessions.
pub(super) fn list_rows<'d>(
    digest: &'d Digest,
    sessions: impl Iterator<Item = usize> + 'd,
    cohort: Option<CohortIdx>,
) -> impl Iterator<Item = Vec<String>> + 'd {
    sessions.map(move |i| {
        let s = &digest.sessions[i];
        let p = s.placement;
        let course = digest.instance.course(p.course);
        let (start, end) = digest.start_end(p.slot.period);
        vec![
            digest.day_label(p.slot.day.0).to_string(),
            p.slot.period.to_string(),
            start,
            end,
            course.id.clone(),
            course.subject.clone(),
            digest.cohort_ids(s),
            digest.instructor_id(s).to_string(),
            digest.room_id(s).to_string(),
            digest.instance.students(p.course).to_string(),
            digest.notes(s, cohort).join("; "),
        ]
    })
}

fn csv_bytes(header: Vec<String>, rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing records to a Vec cannot fail, and every row has the header's
    // length, so errors are impossible here; ignore rather than panic.
    let _ = w.write_record(&header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}
