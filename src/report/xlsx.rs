//! `timetable.xlsx`: every session on one sheet to filter, and a printable
//! grid per cohort, instructor and room.

use std::collections::{BTreeMap, BTreeSet};

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::digest::{course_hue, hsl_rgb, Digest, Entity};
use super::views::{grid_cells, list_rows, LIST_HEADER};

/// Name of the sheet holding every session.
pub(super) const MASTER_SHEET: &str = "Timetable";

/// The workbook's bytes. The creation date is fixed so the same timetable
/// always gives the same file.
pub(super) fn workbook(digest: &Digest) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title("classplan timetable"));

    let names = sheet_names(digest);
    wb.push_worksheet(master(digest)?);
    let mut styles = Styles::default();
    for (entity, name) in digest.entities.iter().zip(&names[1..]) {
        wb.push_worksheet(grid_sheet(digest, entity, name, &mut styles)?);
    }
    wb.save_to_buffer()
}

/// Sheet names in workbook order: the master sheet, then one per entity as
/// `Lớp <id>`, `GV <id>`, `Phòng <id>`, made valid for Excel (at most 31
/// UTF-16 units, none of `[]:*?/\`, no apostrophe at either end) and unique
/// regardless of case.
fn sheet_names_for(digest_entities: &[(String, String)]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    taken.insert(MASTER_SHEET.to_lowercase());
    // Excel reserves "History" for its own use.
    taken.insert("history".to_string());
    let mut out = vec![MASTER_SHEET.to_string()];
    for (prefix, id) in digest_entities {
        let clean: String = format!("{prefix} {id}").chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
        let clean = clean.trim_matches('\'').to_string();
        let mut name = truncate_utf16(&clean, 31);
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            let suffix = format!("~{n}");
            name = format!("{}{suffix}", truncate_utf16(&clean, 31 - suffix.len()));
            n += 1;
        }
        out.push(name);
    }
    out
}

pub(super) fn sheet_names(digest: &Digest) -> Vec<String> {
    let pairs: Vec<(String, String)> = digest.entities.iter().map(|e| (e.kind.label_vi().to_string(), e.id.to_string())).collect();
    sheet_names_for(&pairs)
}

fn truncate_utf16(s: &str, max: usize) -> String {
    let mut len = 0;
    let out: String = s
        .chars()
        .take_while(|c| {
            len += c.len_utf16();
            len <= max
        })
        .collect();
    // A cut may leave an apostrophe at the end, which Excel refuses.
    out.trim_end_matches('\'').to_string()
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1f3a5f))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xc8d0da))
        .set_align(FormatAlign::VerticalCenter)
}

fn master(digest: &Digest) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(MASTER_SHEET)?;
    let header = header_format();
    let widths = [12.0, 7.0, 7.0, 7.0, 24.0, 20.0, 22.0, 24.0, 16.0, 9.0, 36.0];
    for (col, (title, width)) in LIST_HEADER.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, col as u16, *title, &header)?;
        ws.set_column_width(col as u16, width)?;
    }
    let numeric = [1usize, 9];
    for (r, row) in list_rows(digest, 0..digest.sessions.len(), None).enumerate() {
        let r = r as u32 + 1;
        for (col, value) in row.into_iter().enumerate() {
            match value.parse::<f64>() {
                Ok(n) if numeric.contains(&col) => ws.write_number(r, col as u16, n)?,
                _ => ws.write_string(r, col as u16, value)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, digest.sessions.len() as u32, LIST_HEADER.len() as u16 - 1)?;
    Ok(ws)
}

/// Cell formats shared by all grid sheets: one per course colour.
#[derive(Default)]
struct Styles {
    by_course: BTreeMap<usize, Format>,
}

impl Styles {
    fn course(&mut self, course: usize) -> &Format {
        self.by_course.entry(course).or_insert_with(|| {
            let hue = course_hue(course);
            Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(hsl_rgb(hue, 70, 92)))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xc8d0da))
                .set_border_left(FormatBorder::Thick)
                .set_border_left_color(Color::RGB(hsl_rgb(hue, 60, 42)))
        })
    }
}

fn grid_sheet(digest: &Digest, entity: &Entity, name: &str, styles: &mut Styles) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    ws.set_landscape().set_print_fit_to_pages(1, 0).set_repeat_rows(0, 1)?;

    let title = Format::new().set_bold().set_font_size(13);
    let mut heading = format!("{} {}", entity.kind.label_vi(), entity.id);
    if !entity.name.is_empty() {
        heading.push_str(" — ");
        heading.push_str(entity.name);
    }
    heading.push_str(&format!(" ({} buổi / sessions)", entity.sessions.len()));
    ws.write_string_with_format(0, 0, heading, &title)?;

    let header = header_format();
    ws.write_string_with_format(1, 0, "Ngày / day", &header)?;
    ws.set_column_width(0, 14.0)?;
    for p in 1..=digest.instance.calendar.max_periods() {
        let (start, end) = digest.start_end(p);
        let text = if start.is_empty() { format!("Buổi {p}") } else { format!("Buổi {p} {start}–{end}") };
        ws.write_string_with_format(1, p as u16, text, &header)?;
        ws.set_column_width(p as u16, 30.0)?;
    }

    let day_format =
        Format::new().set_bold().set_align(FormatAlign::Top).set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xc8d0da));
    let grid = grid_cells(digest, entity, |s| format!("{}\n{}", digest.course_id(s), digest.others(entity.kind, s).join(" · ")));
    // The course of each cell's first session picks its colour.
    let mut first_course: BTreeMap<(usize, u32), usize> = BTreeMap::new();
    for &i in &entity.sessions {
        let p = digest.sessions[i].placement;
        first_course.entry((p.slot.day.0, p.slot.period)).or_insert(p.course.0);
    }
    for (r, (day, cells)) in grid.into_iter().enumerate() {
        let row = r as u32 + 2;
        let mut label = digest.day_label(day).to_string();
        if let Some(dates) = &digest.dates {
            label = format!("{} {}", super::times::weekday_vi(dates[day]), label);
        }
        ws.write_string_with_format(row, 0, label, &day_format)?;
        let mut busy = false;
        for (c, texts) in cells.into_iter().enumerate() {
            if texts.is_empty() {
                continue;
            }
            busy = true;
            let period = c as u32 + 1;
            let course = first_course.get(&(day, period)).copied().unwrap_or(0);
            ws.write_string_with_format(row, period as u16, texts.join("\n"), styles.course(course))?;
        }
        if busy {
            ws.set_row_height(row, 30)?;
        }
    }
    ws.set_freeze_panes(2, 1)?;
    Ok(ws)
}
