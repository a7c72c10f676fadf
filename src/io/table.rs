//! One CSV table as FORMAT.md's general rules define it: UTF-8 with an
//! optional BOM, `,` or `;` detected from the header, headers matched by
//! name in any order and case, `#` lines and empty lines skipped, `#` and
//! `x-` columns ignored. Cells keep their line and column so every later
//! error can point at them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::schema::Column;
use super::{InputError, InputErrors};

/// Longest line accepted; a longer one is almost surely not a CSV table
/// (a binary file, or a quote left open that swallowed the rest).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Most data rows accepted in one table. A teaching year is a few thousand
/// rows per file; a file far beyond that is a mistake (an export of the
/// wrong sheet, a generated file gone wrong), and refusing it early keeps
/// every later step, which may grow faster than the input, out of trouble.
pub const MAX_ROWS: usize = 100_000;

/// One cell with its place in the file.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub text: &'a str,
    pub line: usize,
    /// 1-based column number in the file.
    pub column: usize,
    pub name: &'static str,
}

#[derive(Debug)]
pub struct Row {
    pub line: usize,
    /// Trimmed cells in file order, note columns included.
    pub(crate) cells: Vec<String>,
}

/// A parsed table: rows of trimmed cells, addressed by known column name.
#[derive(Debug)]
pub struct Table {
    pub file: PathBuf,
    pub delimiter: u8,
    /// Known column name -> position in the row.
    columns: BTreeMap<&'static str, usize>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The cell of `column` in `row`; `None` if the column is absent from
    /// the file. An absent trailing cell reads as empty.
    pub fn cell<'a>(&self, row: &'a Row, column: &'static str) -> Option<Cell<'a>> {
        let &pos = self.columns.get(column)?;
        Some(Cell { text: row.cells.get(pos).map(String::as_str).unwrap_or(""), line: row.line, column: pos + 1, name: column })
    }

    pub fn error(&self, code: &'static str, cell: &Cell, message: impl Into<String>) -> InputError {
        InputError::file(code, &self.file, message).at_line(cell.line).at_column(cell.column, cell.name).with_value(cell.text)
    }
}

/// The bytes of a table file, or the reason they cannot be had.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputErrors> {
    std::fs::read(path).map_err(|e| {
        let what = if path.is_dir() { "is a folder, expected a CSV file".to_string() } else { format!("cannot be read: {e}") };
        InputError::file("E-IO", path, what).into()
    })
}

/// A table's records before any column has a meaning: the general rules
/// (encoding, line length, delimiter, quotes, blank and `#` lines, the row
/// limit) applied, the header's cells kept as written.
#[derive(Debug)]
pub(crate) struct Records {
    pub delimiter: u8,
    pub header_line: usize,
    /// The header's cells, trimmed, note columns included.
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    /// Problems that stopped the reading of rows (invalid CSV, too many
    /// rows); the rows before them are kept, so that problems of the header
    /// can still be reported with them.
    pub errors: Vec<InputError>,
}

/// Parses table bytes into records; `path` only names the file in errors.
/// `Err` when there is nothing to read the columns of.
pub(crate) fn parse_records(path: &Path, bytes: &[u8]) -> Result<Records, InputErrors> {
    let text = decode(path, bytes)?;
    check_line_lengths(path, text)?;
    let header_line = text.lines().position(|l| !is_blank_or_comment(l));
    let Some(header_idx) = header_line else {
        return Err(InputError::file("E-EMPTY", path, "has no header row; expected a header naming the columns").into());
    };
    let header_text = text.lines().nth(header_idx).unwrap_or("");
    let delimiter = detect_delimiter(header_text);
    // The CSV parser reads an unclosed quote to the end of the file as one
    // cell, which would surface later as a baffling error about a missing
    // value; name the quote instead.
    if let Some(line) = unclosed_quote(text, delimiter) {
        return Err(InputError::file(
            "E-CSV",
            path,
            "a quoted cell starting on this line is never closed, so the rest of the file would read as one cell; \
             add the closing '\"' or remove the opening one",
        )
        .at_line(line)
        .into());
    }

    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut lines = LineCounter { bytes: text.as_bytes(), pos: 0, line: 1 };
    let mut errors = Vec::new();
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte() as usize));
                let mut err = InputError::file("E-CSV", path, format!("is not valid CSV: {}", csv_error_kind(&e)));
                err.line = line;
                errors.push(err);
                break;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte() as usize));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) || cells.first().is_some_and(|c| c.starts_with('#')) {
            continue;
        }
        if header.is_none() {
            header = Some((line, cells));
        } else if rows.len() == MAX_ROWS {
            errors.push(
                InputError::file("E-TOO-MANY-ROWS", path, format!("has more than {MAX_ROWS} rows, the most one table may hold"))
                    .at_line(line),
            );
            break;
        } else {
            rows.push(Row { line, cells });
        }
    }
    let Some((header_line, header)) = header else {
        errors.push(InputError::file("E-EMPTY", path, "has no header row; expected a header naming the columns"));
        return Err(InputErrors(errors));
    };
    Ok(Records { delimiter, header_line, header, rows, errors })
}

/// Whether a header cell names a note column (`#...` or `x-...`), which
/// nothing reads.
pub(crate) fn is_note_column(name: &str) -> bool {
    let name = name.to_lowercase();
    name.starts_with('#') || name.starts_with("x-")
}

/// Cells beyond the header are data the planner expects to be read; say so
/// instead of dropping them (one error per row, at its first such cell).
pub(crate) fn extra_cells(path: &Path, header_len: usize, rows: &[Row]) -> Vec<InputError> {
    rows.iter()
        .filter_map(|row| {
            let (pos, extra) = row.cells.iter().enumerate().skip(header_len).find(|(_, c)| !c.is_empty())?;
            Some(
                InputError::file(
                    "E-EXTRA-CELL",
                    path,
                    format!("row has {} cells but the header has {header_len} columns", row.cells.len()),
                )
                .at_line(row.line)
                .at_column(pos + 1, "?")
                .with_value(extra.clone()),
            )
        })
        .collect()
}

/// Parses table bytes; `path` only names the file in errors.
pub fn parse_table(path: &Path, bytes: &[u8], known: &[Column]) -> Result<Table, InputErrors> {
    let Records { delimiter, header_line, header: names, rows, mut errors } = parse_records(path, bytes)?;
    let mut columns = BTreeMap::new();
    for (pos, raw) in names.iter().enumerate() {
        if is_note_column(raw) {
            continue;
        }
        let name = raw.to_lowercase();
        let here = |code, msg: String| {
            InputError::file(code, path, msg).at_line(header_line).at_column(pos + 1, raw.clone()).with_value(raw.clone())
        };
        match known.iter().find(|c| c.name == name) {
            None => errors.push(here(
                "E-UNKNOWN-COLUMN",
                format!(
                    "unknown column; expected one of {} (or a note column starting with '#' or 'x-')",
                    known.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
                ),
            )),
            Some(col) => {
                if columns.insert(col.name, pos).is_some() {
                    errors.push(here("E-DUPLICATE-COLUMN", "column appears twice in the header".into()));
                }
            }
        }
    }
    for col in known.iter().filter(|c| c.required) {
        if !columns.contains_key(col.name) {
            errors.push(
                InputError::file("E-MISSING-COLUMN", path, format!("has no '{}' column, which is required", col.name)).at_line(header_line),
            );
        }
    }
    errors.extend(extra_cells(path, names.len(), &rows));
    if errors.is_empty() {
        Ok(Table { file: path.to_path_buf(), delimiter, columns, rows })
    } else {
        Err(InputErrors(errors))
    }
}

/// Line numbers of records, met in file order, from their byte offsets. The
/// `csv` crate's own line count drifts after empty lines and on CRLF line
/// endings, and its byte offset may point at the line endings before the
/// record, so those are skipped first.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Byte offset up to which newlines are counted, and the line there.
    pos: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.min(self.bytes.len());
        while self.bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.pos {
            // Out of order: never from the csv reader, but stay correct.
            (self.pos, self.line) = (0, 1);
        }
        self.line += self.bytes[self.pos..start].iter().filter(|&&b| b == b'\n').count();
        self.pos = start;
        self.line
    }
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches('\u{feff}').trim();
    t.is_empty() || t.starts_with('#') || t.chars().all(|c| c == ',' || c == ';' || c.is_whitespace())
}

/// The delimiter is whichever of `,` and `;` the header uses more (outside
/// quotes); `,` when it uses neither.
fn detect_delimiter(header: &str) -> u8 {
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for ch in header.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas {
        b';'
    } else {
        b','
    }
}

/// The line of a quote that opens a cell and is never closed, following the
/// quoting rules of the `csv` crate: a quote opens a quoted cell only as the
/// first character of a cell, `""` inside one is a literal quote, and any
/// other quote is literal.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut line, mut open_at) = (1, None);
    let mut cell_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if open_at.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open_at = None;
                }
            }
        } else if b == b'"' && cell_start {
            open_at = Some(line);
            cell_start = false;
        } else {
            cell_start = b == delimiter || b == b'\n' || b == b'\r';
        }
        if b == b'\n' {
            line += 1;
        }
        i += 1;
    }
    open_at
}

fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, InputErrors> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputError::file("E-ENCODING", path, "is UTF-16 encoded; save it as UTF-8 (CSV UTF-8 in spreadsheets)").into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            let what = if bytes.contains(&0) {
                "is a binary file, not a CSV table"
            } else {
                "is not UTF-8 text (perhaps Windows-1258 or another legacy code page); save it as UTF-8"
            };
            Err(InputError::file("E-ENCODING", path, what).at_line(line).at_column(column, "?").into())
        }
    }
}

fn check_line_lengths(path: &Path, text: &str) -> Result<(), InputErrors> {
    if text.as_bytes().contains(&0) {
        let line = text[..text.find('\0').unwrap_or(0)].matches('\n').count() + 1;
        return Err(InputError::file("E-ENCODING", path, "is a binary file, not a CSV table").at_line(line).into());
    }
    for (i, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return Err(InputError::file(
                "E-LINE-TOO-LONG",
                path,
                format!("line is {} bytes long; the limit is {MAX_LINE_BYTES} (is a quote left open?)", line.len()),
            )
            .at_line(i + 1)
            .into());
        }
    }
    Ok(())
}

fn csv_error_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::schema::{opt, req};

    const COLS: &[Column] = &[req("id"), req("capacity"), opt("features")];

    fn parse(text: &str) -> Result<Table, InputErrors> {
        parse_table(Path::new("rooms.csv"), text.as_bytes(), COLS)
    }

    #[test]
    fn semicolons_bom_crlf_case_and_notes_are_accepted() {
        let t = parse("\u{feff} Capacity ;ID;x-note;# c\r\n# comment\r\n\r\n50;A;hi;\r\n").unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.rows.len(), 1);
        let row = &t.rows[0];
        assert_eq!(t.cell(row, "id").unwrap().text, "A");
        assert_eq!(t.cell(row, "capacity").unwrap().column, 1);
        assert_eq!(row.line, 4);
        assert!(t.cell(row, "features").is_none());
    }

    #[test]
    fn unknown_duplicate_and_missing_columns_are_all_reported() {
        let err = parse("id,id,colour\nA,B,red\n").unwrap_err();
        let codes: Vec<_> = err.0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["E-DUPLICATE-COLUMN", "E-UNKNOWN-COLUMN", "E-MISSING-COLUMN"]);
        assert_eq!(err.0[1].to_string(), "rooms.csv:1:3: column 'colour': unknown column; expected one of id, capacity, features (or a note column starting with '#' or 'x-') (found \"colour\") [E-UNKNOWN-COLUMN]");
    }

    #[test]
    fn encodings_other_than_utf8_are_named() {
        let err = parse_table(Path::new("r.csv"), b"id,capacity\nPh\xf2ng,5\n", COLS).unwrap_err();
        assert_eq!(err.0[0].code, "E-ENCODING");
        assert_eq!(err.0[0].line, Some(2));
        let err = parse_table(Path::new("r.csv"), b"\xff\xfei\x00d\x00", COLS).unwrap_err();
        assert!(err.to_string().contains("UTF-16"));
    }

    #[test]
    fn extra_cells_are_an_error_and_missing_trailing_cells_read_empty() {
        let err = parse("id,capacity\nA,5,oops\n").unwrap_err();
        assert_eq!(err.0[0].code, "E-EXTRA-CELL");
        let t = parse("id,capacity,features\nA,5\n").unwrap();
        assert_eq!(t.cell(&t.rows[0], "features").unwrap().text, "");
    }

    #[test]
    fn line_numbers_count_blank_and_comment_lines_with_either_line_ending() {
        for eol in ["\n", "\r\n"] {
            let text = ["id,capacity", "", "# note", "", "A,5", "B,x"].join(eol);
            let t = parse(&text).unwrap();
            assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [5, 6], "{eol:?}");
        }
    }

    #[test]
    fn a_quote_left_open_is_named_at_its_line_and_closed_ones_are_not() {
        let err = parse("id,capacity\nA,5\n\"B,6\nC,7\n").unwrap_err();
        assert_eq!((err.0[0].code, err.0[0].line), ("E-CSV", Some(3)));
        // Doubled quotes inside a quoted cell, a quote inside an unquoted
        // cell, and a quoted cell spanning lines are all well formed.
        let t = parse("id,capacity,features\nA,5,\"say \"\"hi\"\"\"\nB,6,x\"y\nC,7,\"two\nlines\"\n").unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.cell(&t.rows[0], "features").unwrap().text, "say \"hi\"");
        assert_eq!(t.cell(&t.rows[1], "features").unwrap().text, "x\"y");
    }

    #[test]
    fn the_row_limit_admits_exactly_max_rows() {
        let mut text = String::from("id,capacity\n");
        text.push_str(&"A,5\n".repeat(MAX_ROWS));
        assert_eq!(parse(&text).unwrap().rows.len(), MAX_ROWS);
        text.push_str("B,6\n");
        let err = parse(&text).unwrap_err();
        assert_eq!((err.0[0].code, err.0[0].line), ("E-TOO-MANY-ROWS", Some(MAX_ROWS + 2)));
    }
}
