//! A scenario folder laid over a base instance (FORMAT.md, Scenarios).
//!
//! The merge happens on CSV rows, before any cell is interpreted: each file
//! of the base and of the scenario is read as raw rows, the rows are merged,
//! `remove.csv` is applied, and the merged files are written to a temporary
//! folder that `io::read_instance` reads like any instance. Every merged
//! line remembers where it came from, so an error in the merged files is
//! reported at the base or scenario file and line the planner must fix.
//!
//! Merge rules, by each file's [`Merge`] in [`crate::io::schema`]:
//! - a keyed file: a scenario row whose key exists replaces that row in
//!   place; a new key adds a row at the end. Columns the scenario file does
//!   not have at all keep the base row's cells, so a scenario `cohorts.csv`
//!   of `id,size` changes sizes only.
//! - an appended file: scenario rows are added after the base rows.
//! - `remove.csv` (`kind,id`): removes rooms, instructors, cohorts, courses,
//!   with what refers to them: their availability rows; pins of a removed
//!   course; the room or instructor cell of a pin (the pinned time stays);
//!   a removed cohort from the courses attending it, and a course left with
//!   no cohort at all (its class is gone, so is its demand); a removed
//!   course from every relation, and a relation left with fewer than two
//!   courses lapses (FORMAT.md, relations.csv). A course whose
//!   fixed instructor is removed is an error unless the scenario's
//!   `courses.csv` gives it another instructor.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::csv_rows::{read_raw, RawRow, RawTable};
use crate::io::schema::{self, InstanceFile, Merge, AVAILABILITY, COURSES, PINS, RELATIONS, REMOVE};
use crate::io::{self, InputError, InputErrors};
use crate::model::Instance;

/// Where a merged row came from: a source table and a line in it.
#[derive(Debug, Clone, Copy)]
struct Origin {
    source: usize,
    line: usize,
}

#[derive(Debug, Clone)]
struct MergedRow {
    origin: Origin,
    /// For a replaced row: the base row, which still supplies the columns
    /// the scenario file lacks.
    fallback: Option<Origin>,
    cells: BTreeMap<String, String>,
    /// Cells as the planner wrote them, where merging rewrote them (decimal
    /// commas), so errors quote the original text.
    written: BTreeMap<String, String>,
}

impl MergedRow {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(String::as_str).unwrap_or("")
    }
}

/// One merged file and the sources of its rows.
struct MergedFile {
    spec: &'static InstanceFile,
    /// Column names in output order: the base file's, then new ones.
    header: Vec<String>,
    rows: Vec<MergedRow>,
    /// Line in the written file of each row (parallel to `rows`).
    lines: Vec<usize>,
}

/// Reads `base_dir` with the scenario folder laid over it.
///
/// Errors name the file and line to fix: a base file, or a file of the
/// scenario folder (whose path names the scenario).
pub fn read_scenario(base_dir: &Path, scenario_dir: &Path) -> Result<Instance, InputErrors> {
    for (dir, what) in [(base_dir, "instance"), (scenario_dir, "scenario")] {
        if !dir.is_dir() {
            let why = if dir.exists() { "is a file" } else { "does not exist" };
            return Err(InputError::file("E-IO", dir, format!("{why}; expected a {what} folder")).into());
        }
    }
    let mut overlay = Overlay { sources: Vec::new(), errors: Vec::new() };
    // A misnamed file in either folder would silently drop the planner's
    // rows; the merge stops at these errors, before a file is missed.
    let base_files: Vec<&str> = schema::instance_folder_file_names().collect();
    let scenario_files: Vec<&str> = schema::scenario_file_names().collect();
    overlay.errors.extend(io::misnamed_files(base_dir, &base_files, "an instance folder").errors);
    overlay.errors.extend(io::misnamed_files(scenario_dir, &scenario_files, "a scenario folder").errors);
    let mut files = Vec::new();
    for spec in schema::all_instance_files() {
        let base = overlay.load(&base_dir.join(spec.name));
        let scenario = overlay.load(&scenario_dir.join(spec.name));
        files.push(overlay.merge(spec, base, scenario));
    }
    let removal = overlay.load(&scenario_dir.join(REMOVE.name));
    if let Some(r) = removal {
        overlay.remove(r, &mut files);
    }
    if !overlay.errors.is_empty() {
        return Err(InputErrors(overlay.errors));
    }

    let tmp = tempfile::tempdir()
        .map_err(|e| InputError::file("E-IO", scenario_dir, format!("cannot create a temporary folder to merge into: {e}")))?;
    for file in &mut files {
        let Some(bytes) = file.write() else { continue };
        let path = tmp.path().join(file.spec.name);
        std::fs::write(&path, bytes).map_err(|e| InputError::file("E-IO", &path, format!("cannot write the merged file: {e}")))?;
    }
    let mut instance = io::read_instance(tmp.path())
        .map_err(|errors| InputErrors(errors.0.into_iter().map(|e| overlay.locate(e, tmp.path(), base_dir, &files)).collect()))?;
    // The cells setting rules the solver may refuse name the planner's
    // files, not the temporary merge.
    for (_, cell) in &mut instance.rule_cells.0 {
        let at = InputError::file("", &cell.file, "").at_line(cell.line).at_column(cell.column, &cell.header).with_value(&cell.value);
        let at = overlay.locate(at, tmp.path(), base_dir, &files);
        cell.file = at.file;
        if let (Some(line), Some((column, _))) = (at.line, at.column) {
            cell.line = line;
            cell.column = column;
        }
    }
    Ok(instance)
}

struct Overlay {
    /// Every file read, base and scenario; `Origin::source` indexes it.
    sources: Vec<RawTable>,
    errors: Vec<InputError>,
}

impl Overlay {
    /// Reads a file if it exists, remembering it as a source.
    fn load(&mut self, path: &Path) -> Option<usize> {
        if !path.exists() {
            return None;
        }
        match read_raw(path) {
            Ok(t) => {
                self.sources.push(t);
                Some(self.sources.len() - 1)
            }
            Err(e) => {
                self.errors.extend(e);
                None
            }
        }
    }

    fn merge(&self, spec: &'static InstanceFile, base: Option<usize>, scenario: Option<usize>) -> MergedFile {
        let mut header: Vec<String> = Vec::new();
        for s in [base, scenario].into_iter().flatten() {
            for name in self.sources[s].names() {
                if !header.iter().any(|h| h == name) {
                    header.push(name.to_string());
                }
            }
        }
        let mut rows: Vec<MergedRow> = base.map(|b| self.rows_of(b)).unwrap_or_default();
        if let Some(s) = scenario {
            let scenario_columns: BTreeSet<&str> = self.sources[s].names().collect();
            match spec.merge {
                Merge::Append => rows.extend(self.rows_of(s)),
                Merge::Keyed { key, caseless } => {
                    let norm = |k: &str| if caseless { k.to_lowercase() } else { k.to_string() };
                    // First row of each base key; a key replaced once is not
                    // replaced again, so a scenario repeating an id adds a
                    // second row and the reader reports the duplicate there.
                    let mut open: BTreeMap<String, usize> = BTreeMap::new();
                    for (i, row) in rows.iter().enumerate() {
                        let k = norm(row.get(key));
                        if !k.is_empty() {
                            open.entry(k).or_insert(i);
                        }
                    }
                    for mut new in self.rows_of(s) {
                        match open.remove(&norm(new.get(key))) {
                            Some(i) => {
                                let old = &rows[i];
                                for (column, text) in &old.cells {
                                    if !scenario_columns.contains(column.as_str()) {
                                        new.cells.insert(column.clone(), text.clone());
                                    }
                                }
                                new.fallback = Some(old.origin);
                                rows[i] = new;
                            }
                            None => rows.push(new),
                        }
                    }
                }
            }
        }
        for row in &mut rows {
            let delimiter = self.sources[row.origin.source].delimiter;
            for &column in spec.decimals {
                if let Some(text) = row.cells.get_mut(column) {
                    if delimiter == b';' && text.contains(',') {
                        row.written.insert(column.to_string(), text.clone());
                        *text = text.replace(',', ".");
                    }
                }
            }
        }
        MergedFile { spec, header, rows, lines: Vec::new() }
    }

    fn rows_of(&self, source: usize) -> Vec<MergedRow> {
        self.sources[source]
            .rows
            .iter()
            .map(|r: &RawRow| MergedRow {
                origin: Origin { source, line: r.line },
                fallback: None,
                cells: r.cells.clone(),
                written: BTreeMap::new(),
            })
            .collect()
    }

    /// Applies `remove.csv` and its cascade to the merged files.
    fn remove(&mut self, source: usize, files: &mut [MergedFile]) {
        let file_of = |files: &[MergedFile], name: &str| files.iter().position(|f| f.spec.name == name);
        let table = self.sources[source].clone();
        let errors_before = self.errors.len();
        for column in REMOVE.columns.iter().filter(|c| c.required).map(|c| c.name) {
            if !table.has_column(column) {
                self.errors.push(
                    InputError::file("E-MISSING-COLUMN", &table.file, format!("has no '{column}' column, which is required"))
                        .at_line(table.header_line),
                );
            }
        }
        for (pos, name) in table.columns.iter().enumerate() {
            if let Some(name) = name.as_deref().filter(|n| !REMOVE.header().contains(n)) {
                self.errors.push(
                    InputError::file(
                        "E-UNKNOWN-COLUMN",
                        &table.file,
                        format!("unknown column; expected {} (or a note column starting with '#' or 'x-')", REMOVE.header().join(", ")),
                    )
                    .at_line(table.header_line)
                    .at_column(pos + 1, name)
                    .with_value(name),
                );
            }
        }
        if self.errors.len() > errors_before {
            return;
        }
        // kind -> removed id -> the remove.csv line that removes it.
        let mut removed: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
        for row in &table.rows {
            let at = |column: &str| {
                let pos = table.position(column).unwrap_or(0);
                InputError::file("E-REMOVE", &table.file, "").at_line(row.line).at_column(pos, column).with_value(row.get(column))
            };
            let kind = row.get("kind").to_lowercase();
            let Some(&(kind, file)) = schema::KINDS.iter().find(|(k, _)| *k == kind) else {
                let mut e = at("kind");
                e.code = "E-UNKNOWN-KIND";
                e.message = "is not a kind that can be removed; expected room, instructor, cohort or course".into();
                self.errors.push(e);
                continue;
            };
            let id = row.get("id");
            let exists = file_of(files, file.name).is_some_and(|f| files[f].rows.iter().any(|r| r.get("id") == id));
            if !exists {
                let mut e = at("id");
                e.code = "E-UNKNOWN-ID";
                e.message = format!("is not a {kind} id of {} (base or scenario); there is nothing to remove", file.name);
                self.errors.push(e);
                continue;
            }
            removed.entry(kind).or_default().entry(id.to_string()).or_insert(row.line);
        }
        let none = BTreeMap::new();
        let of = |kind: &str| removed.get(kind).unwrap_or(&none);

        // A course whose every cohort is removed goes too.
        let mut courses_removed: BTreeMap<String, usize> = of("course").clone();
        if let Some(f) = file_of(files, COURSES.name) {
            for row in &mut files[f].rows {
                let listed: Vec<String> = row.get("cohorts").split_whitespace().map(str::to_string).collect();
                let kept: Vec<&str> = listed.iter().map(String::as_str).filter(|k| !of("cohort").contains_key(*k)).collect();
                if kept.len() == listed.len() {
                    continue;
                }
                if kept.is_empty() {
                    let line = listed.iter().find_map(|k| of("cohort").get(k)).copied().unwrap_or(0);
                    courses_removed.entry(row.get("id").to_string()).or_insert(line);
                }
                row.cells.insert("cohorts".into(), kept.join(" "));
            }
        }

        // A fixed instructor removed from under a course the scenario keeps.
        if let Some(f) = file_of(files, COURSES.name) {
            for row in &files[f].rows {
                let instructor = row.get("instructor");
                let Some(&remove_line) = of("instructor").get(instructor) else { continue };
                let course = row.get("id");
                if courses_removed.contains_key(course) {
                    continue;
                }
                let origin = &self.sources[row.origin.source];
                let message = format!(
                    "removes instructor '{instructor}', the fixed instructor of course '{course}' ({} line {}); \
                     give that course another instructor in the scenario's courses.csv, or remove the course too",
                    origin.file.display(),
                    row.origin.line
                );
                self.errors.push(
                    InputError::file("E-REMOVE", &table.file, message)
                        .at_line(remove_line)
                        .at_column(table.position("id").unwrap_or(0), "id")
                        .with_value(instructor),
                );
            }
        }

        for file in files.iter_mut() {
            let name = file.spec.name;
            if name == COURSES.name {
                file.rows.retain(|r| !courses_removed.contains_key(r.get("id")));
            } else if let Some(&(kind, _)) = schema::KINDS.iter().find(|(_, f)| f.name == name) {
                file.rows.retain(|r| !of(kind).contains_key(r.get("id")));
            } else if name == AVAILABILITY.name {
                file.rows.retain(|r| {
                    let id = r.get("id");
                    match r.get("kind").to_lowercase().as_str() {
                        "course" => !courses_removed.contains_key(id),
                        kind => !of(kind).contains_key(id),
                    }
                });
            } else if name == RELATIONS.name {
                file.rows.retain_mut(|r| {
                    let listed: Vec<&str> = r.get("courses").split_whitespace().collect();
                    let kept: Vec<&str> = listed.iter().copied().filter(|c| !courses_removed.contains_key(*c)).collect();
                    if kept.len() == listed.len() {
                        return true;
                    }
                    let kept = kept.join(" ");
                    r.cells.insert("courses".into(), kept.clone());
                    kept.split_whitespace().count() >= 2
                });
            } else if name == PINS.name {
                file.rows.retain(|r| !courses_removed.contains_key(r.get("course")));
                for row in &mut file.rows {
                    for (column, kind) in [("room", "room"), ("instructor", "instructor")] {
                        if of(kind).contains_key(row.get(column)) {
                            row.cells.insert(column.into(), String::new());
                        }
                    }
                }
            }
        }
    }

    /// Moves an error about a merged file back to the file and line the
    /// planner wrote.
    fn locate(&self, mut e: InputError, tmp: &Path, base_dir: &Path, files: &[MergedFile]) -> InputError {
        let Some(name) = e.file.strip_prefix(tmp).ok().map(|p| p.to_string_lossy().to_string()) else { return e };
        let Some(file) = files.iter().find(|f| f.spec.name == name) else {
            e.file = base_dir.join(&name);
            return e;
        };
        let column_name = e.column.as_ref().map(|(_, n)| n.clone());
        let row = match e.line {
            None => None,
            Some(1) => {
                // The header: the first source that has the column, else the
                // base file.
                let source = self
                    .sources
                    .iter()
                    .position(|s| s.file.file_name() == Some(name.as_ref()) && column_name.as_deref().is_none_or(|c| s.has_column(c)));
                match source {
                    Some(s) => {
                        let t = &self.sources[s];
                        e.file = t.file.clone();
                        e.line = Some(t.header_line);
                        if let Some(c) = &column_name {
                            e.column = t.position(c).map(|p| (p, c.clone()));
                        }
                    }
                    None => e.file = base_dir.join(&name),
                }
                return e;
            }
            Some(line) => file.lines.iter().position(|&l| l == line).map(|i| &file.rows[i]),
        };
        let Some(row) = row else {
            e.file = base_dir.join(&name);
            return e;
        };
        // A cell of a replaced row that the scenario file does not have came
        // from the base row.
        let mut origin = row.origin;
        if let (Some(c), Some(fallback)) = (&column_name, row.fallback) {
            if !self.sources[origin.source].has_column(c) {
                origin = fallback;
            }
        }
        let source = &self.sources[origin.source];
        e.file = source.file.clone();
        e.line = Some(origin.line);
        if let Some(c) = column_name {
            match source.position(&c) {
                Some(p) => e.column = Some((p, c.clone())),
                None => {
                    e.column = None;
                    e.message = format!("column '{c}' (not in this file, so empty): {}", e.message);
                }
            }
            if let Some(original) = row.written.get(&c) {
                e.value = Some(original.clone());
            }
        }
        e
    }
}

impl MergedFile {
    /// The merged CSV, or `None` when neither base nor scenario has the
    /// file (the reader then decides whether it was required). Records the
    /// line each row lands on.
    fn write(&mut self) -> Option<Vec<u8>> {
        if self.header.is_empty() {
            return None;
        }
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        w.write_record(&self.header).expect("in-memory csv");
        self.lines.clear();
        for row in &self.rows {
            w.flush().expect("in-memory csv");
            // Quoted cells may hold line breaks: count the lines written.
            let line = w.get_ref().iter().filter(|&&b| b == b'\n').count() + 1;
            self.lines.push(line);
            w.write_record(self.header.iter().map(|h| row.get(h))).expect("in-memory csv");
        }
        Some(w.into_inner().expect("in-memory csv"))
    }
}
