//! Instance files as raw rows, for merging before the real reader runs.
//!
//! The file is read by `io`'s table reader (FORMAT.md's general rules: BOM,
//! `,`/`;` detection from the header, trimmed cells, `#` lines and empty
//! lines skipped, `#`/`x-` note columns, the line and row limits), which
//! here stops at cells: it does not know what the columns mean. The merged
//! rows are then written out and read by `io::read_instance`, so the
//! meaning of every cell is decided in one place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::io::table::{extra_cells, is_note_column, parse_records, read_bytes, Records};
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
    let bytes = read_bytes(path).map_err(|e| e.0)?;
    parse_raw(path, &bytes)
}

/// Parses file bytes; `path` only names the file in errors.
pub fn parse_raw(path: &Path, bytes: &[u8]) -> Result<RawTable, Vec<InputError>> {
    let Records { delimiter, header_line, header, rows, mut errors } = parse_records(path, bytes).map_err(|e| e.0)?;
    let columns = header_names(path, header_line, &header, &mut errors);
    errors.extend(extra_cells(path, columns.len(), &rows));
    if !errors.is_empty() {
        return Err(errors);
    }
    let rows = rows
        .into_iter()
        .map(|row| RawRow {
            line: row.line,
            cells: columns.iter().zip(row.cells).filter_map(|(name, cell)| Some((name.clone()?, cell))).collect(),
        })
        .collect();
    Ok(RawTable { file: path.to_path_buf(), delimiter, header_line, columns, rows })
}

/// Column names by position, lower-cased, `None` for note columns. Any name
/// is accepted (the reader judges them after the merge), but not one twice:
/// two columns of one name could not be told apart once rows are keyed by
/// name.
fn header_names(path: &Path, line: usize, cells: &[String], errors: &mut Vec<InputError>) -> Vec<Option<String>> {
    let mut names: Vec<Option<String>> = Vec::new();
    for (pos, raw) in cells.iter().enumerate() {
        if is_note_column(raw) {
            names.push(None);
            continue;
        }
        let name = raw.to_lowercase();
        if names.iter().flatten().any(|n| *n == name) {
            errors.push(
                InputError::file("E-DUPLICATE-COLUMN", path, "column appears twice in the header")
                    .at_line(line)
                    .at_column(pos + 1, raw.as_str())
                    .with_value(raw.as_str()),
            );
        }
        names.push(Some(name));
    }
    names
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
    fn the_readers_general_rules_apply() {
        // What `io`'s table reader refuses is refused here, located alike.
        let err = parse_raw(Path::new("r.csv"), b"id\na\nb\0\n").unwrap_err();
        assert_eq!((err[0].code, err[0].line), ("E-ENCODING", Some(3)));
        let err = parse_raw(Path::new("r.csv"), b"id,name\nPh\xf2ng,x\n").unwrap_err();
        assert_eq!((err[0].code, err[0].line, err[0].column.clone()), ("E-ENCODING", Some(2), Some((3, "?".into()))));
        let err = parse_raw(Path::new("r.csv"), b"# only a comment\n\n").unwrap_err();
        assert_eq!(err[0].code, "E-EMPTY");
    }

    #[test]
    fn extra_cells_and_duplicate_columns_are_refused() {
        let err = parse_raw(Path::new("r.csv"), b"id,id\na,b,c\n").unwrap_err();
        let codes: Vec<_> = err.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["E-DUPLICATE-COLUMN", "E-EXTRA-CELL"]);
        assert_eq!(err[1].line, Some(2));
    }
}
