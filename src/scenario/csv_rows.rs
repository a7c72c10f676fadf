//! Instance files as raw rows, for merging before the real reader runs.
//!
//! This follows FORMAT.md's general rules exactly as `io`'s table reader
//! does (BOM, `,`/`;` detection from the header, trimmed cells, `#` lines
//! and empty lines skipped, `#`/`x-` note columns), but stops at cells: it
//! does not know what the columns mean. The merged rows are then written
//! out and read by `io::read_instance`, so the meaning of every cell is
//! decided in one place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::io::InputError;

/// One file's rows, with everything needed to point back into it.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub file: PathBuf,
    pub delimiter: u8,
    pub header_line: usize,
    /// Column names by position, lower-cased; `None` for note columns.
    pub columns: Vec<Option<String>>,
    pub rows: Vec<RawRow>,
}

/// One data row: its line and its cells by column name (note columns are
/// left out: nothing reads them).
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: usize,
    pub cells: BTreeMap<String, String>,
}

impl RawTable {
    /// 1-based position of a column in this file.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.as_deref() == Some(column)).map(|p| p + 1)
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.position(column).is_some()
    }

    /// The known (non-note) column names, in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().flatten().map(String::as_str)
    }
}

impl RawRow {
    pub fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(String::as_str).unwrap_or("")
    }
}

/// Reads a file into raw rows; problems come back located like the
/// reader's own.
pub fn read_raw(path: &Path) -> Result<RawTable, Vec<InputError>> {
    let bytes = std::fs::read(path).map_err(|e| {
        let what = if path.is_dir() { "is a folder, expected a CSV file".to_string() } else { format!("cannot be read: {e}") };
        vec![InputError::file("E-IO", path, what)]
    })?;
    parse_raw(path, &bytes)
}

/// Parses file bytes; `path` only names the file in errors.
pub fn parse_raw(path: &Path, bytes: &[u8]) -> Result<RawTable, Vec<InputError>> {
    let text = decode(path, bytes)?;
    if let Some((i, line)) = text.split('\n').enumerate().find(|(_, l)| l.len() > MAX_LINE_BYTES) {
        return Err(vec![InputError::file(
            "E-LINE-TOO-LONG",
            path,
            format!("line is {} bytes long; the limit is {MAX_LINE_BYTES} (is a quote left open?)", line.len()),
        )
        .at_line(i + 1)]);
    }
    let header_text = text.lines().find(|l| !is_blank_or_comment(l)).unwrap_or("");
    let delimiter = detect_delimiter(header_text);
    if let Some(line) = unclosed_quote(text, delimiter) {
        return Err(vec![InputError::file(
            "E-CSV",
            path,
            "a quoted cell starting on this line is never closed, so the rest of the file would read as one cell; \
             add the closing '\"' or remove the opening one",
        )
        .at_line(line)]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter { bytes: text.as_bytes(), pos: 0, line: 1 };
    let mut errors = Vec::new();
    let mut header: Option<(usize, Vec<Option<String>>)> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let mut err = InputError::file("E-CSV", path, format!("is not valid CSV: {e}"));
                err.line = e.position().map(|p| lines.line_at(p.byte() as usize));
                errors.push(err);
                break;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte() as usize));
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) || cells.first().is_some_and(|c| c.starts_with('#')) {
            continue;
        }
        let Some((_, columns)) = &header else {
            header = Some((line, header_names(path, line, &cells, &mut errors)));
            continue;
        };
        let mut row = RawRow { line, cells: BTreeMap::new() };
        for (pos, cell) in cells.iter().enumerate() {
            match columns.get(pos) {
                Some(Some(name)) => {
                    row.cells.insert(name.clone(), cell.to_string());
                }
                Some(None) => {}
                // Cells beyond the header are data the planner expects to be
                // read; refuse them as the reader does.
                None if !cell.is_empty() => {
                    errors.push(
                        InputError::file(
                            "E-EXTRA-CELL",
                            path,
                            format!("row has {} cells but the header has {} columns", cells.len(), columns.len()),
                        )
                        .at_line(line)
                        .at_column(pos + 1, "?")
                        .with_value(*cell),
                    );
                    break;
                }
                None => {}
            }
        }
        rows.push(row);
    }
    let Some((header_line, columns)) = header else {
        errors.push(InputError::file("E-EMPTY", path, "has no header row; expected a header naming the columns"));
        return Err(errors);
    };
    if errors.is_empty() {
        Ok(RawTable { file: path.to_path_buf(), delimiter, header_line, columns, rows })
    } else {
        Err(errors)
    }
}

/// Longest line accepted, as the reader (`io`) accepts.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Line numbers of records, met in file order, from their byte offsets:
/// the `csv` crate's own line count drifts after empty lines and on CRLF
/// endings, and its offset may point at the line endings before a record.
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
            (self.pos, self.line) = (0, 1);
        }
        self.line += self.bytes[self.pos..start].iter().filter(|&&b| b == b'\n').count();
        self.pos = start;
        self.line
    }
}

/// The line of a quote that opens a cell and is never closed (the `csv`
/// crate would read the rest of the file as that one cell): a quote opens a
/// cell only as its first character, and `""` inside one is literal.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    let (mut line, mut open_at, mut cell_start) = (1, None, true);
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if open_at.is_some() {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
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
    }
    open_at
}

fn header_names(path: &Path, line: usize, cells: &[&str], errors: &mut Vec<InputError>) -> Vec<Option<String>> {
    let mut names: Vec<Option<String>> = Vec::new();
    for (pos, raw) in cells.iter().enumerate() {
        let name = raw.to_lowercase();
        if name.starts_with('#') || name.starts_with("x-") {
            names.push(None);
            continue;
        }
        // A second column of the same name could not be told apart once the
        // rows are keyed by name.
        if names.iter().flatten().any(|n| *n == name) {
            errors.push(
                InputError::file("E-DUPLICATE-COLUMN", path, "column appears twice in the header")
                    .at_line(line)
                    .at_column(pos + 1, *raw)
                    .with_value(*raw),
            );
        }
        names.push(Some(name));
    }
    names
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches('\u{feff}').trim();
    t.is_empty() || t.starts_with('#') || t.chars().all(|c| c == ',' || c == ';' || c.is_whitespace())
}

/// Whichever of `,` and `;` the header uses more outside quotes; `,` when
/// it uses neither (the reader's rule).
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
    if semis > commas { b';' } else { b',' }
}

fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Vec<InputError>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(vec![InputError::file("E-ENCODING", path, "is UTF-16 encoded; save it as UTF-8 (CSV UTF-8 in spreadsheets)")]);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let what = if bytes.contains(&0) {
            "is a binary file, not a CSV table"
        } else {
            "is not UTF-8 text (perhaps Windows-1258 or another legacy code page); save it as UTF-8"
        };
        vec![InputError::file("E-ENCODING", path, what).at_line(line)]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_lines_and_drop_note_columns() {
        let t = parse_raw(Path::new("r.csv"), "\u{feff}# c\nID ; Capacity;x-note\n\n a ;5;hi\n".as_bytes()).unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.header_line, 2);
        assert_eq!(t.columns, vec![Some("id".into()), Some("capacity".into()), None]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 4);
        assert_eq!(t.rows[0].get("id"), "a");
        assert!(!t.rows[0].cells.contains_key("x-note"));
        assert_eq!(t.position("capacity"), Some(2));
    }

    #[test]
    fn lines_are_counted_through_blank_lines_and_crlf() {
        let t = parse_raw(Path::new("r.csv"), b"id\r\n\r\na\r\n# c\r\n\r\nb\r\n").unwrap();
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 6]);
        let err = parse_raw(Path::new("r.csv"), b"id,name\na,\"open\nb,c\n").unwrap_err();
        assert_eq!((err[0].code, err[0].line), ("E-CSV", Some(2)));
    }

    #[test]
    fn extra_cells_and_duplicate_columns_are_refused() {
        let err = parse_raw(Path::new("r.csv"), b"id,id\na,b,c\n").unwrap_err();
        let codes: Vec<_> = err.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["E-DUPLICATE-COLUMN", "E-EXTRA-CELL"]);
        assert_eq!(err[1].line, Some(2));
    }
}
