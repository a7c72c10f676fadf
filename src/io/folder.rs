//! The names of the CSV files in a folder the reader reads (an instance
//! folder or a scenario folder), checked against the files it may hold.
//!
//! A `.csv` file the reader does not read is almost always a misspelt or
//! wrongly capitalised one, and ignoring it would silently drop the
//! planner's rows; so it is refused, naming the file it most likely means.
//! Files not named `.csv` (README.md, notes) are the planner's own.

use std::path::Path;

use super::InputError;

/// The folder's misnamed files.
#[derive(Debug, Default)]
pub(crate) struct Misnamed {
    /// One error per misnamed file, in name order.
    pub errors: Vec<InputError>,
    /// Known files absent from the folder that a misnamed file stands for:
    /// they are explained by the error above, not missing.
    pub stand_ins: Vec<&'static str>,
}

/// Checks the names of the `.csv` files in `dir` against `known`; `what`
/// names the folder in messages (`an instance folder`). An unreadable
/// folder has nothing to check here: reading its files reports why.
pub(crate) fn misnamed_files(dir: &Path, known: &[&'static str], what: &str) -> Misnamed {
    let Ok(entries) = std::fs::read_dir(dir) else { return Misnamed::default() };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| !e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| Path::new(n).extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    names.sort();
    let mut out = Misnamed::default();
    for name in names.iter().filter(|n| !known.contains(&n.as_str())) {
        let lower = name.to_lowercase();
        let (closest, distance) = closest(&lower, known);
        let path = dir.join(name);
        let error = if distance == 0 {
            InputError::file("E-FILE-CASE", path, format!("is spelt with other capitals; rename it {closest}"))
        } else if is_near(closest, distance) {
            InputError::file("E-UNKNOWN-FILE", path, format!("is not a file of {what}; did you mean {closest}?"))
        } else {
            let message = format!(
                "is not a file of {what} (the closest is {closest}); expected one of {}; keep other tables outside it",
                known.join(", ")
            );
            InputError::file("E-UNKNOWN-FILE", path, message)
        };
        out.errors.push(error);
        if (distance == 0 || is_near(closest, distance)) && !names.iter().any(|n| n == closest) && !out.stand_ins.contains(&closest) {
            out.stand_ins.push(closest);
        }
    }
    out
}

/// The known name nearest to `lower` (a lowercased file name) by
/// Damerau-Levenshtein distance, the first of `known` on a tie.
fn closest(lower: &str, known: &[&'static str]) -> (&'static str, usize) {
    known.iter().map(|&k| (k, strsim::damerau_levenshtein(lower, k))).min_by_key(|&(_, d)| d).expect("a folder has known files")
}

/// Whether a name this far from `known` is a slip of the keyboard (a letter
/// missing, doubled or swapped; `courses_v2.csv`) rather than another table.
fn is_near(known: &str, distance: usize) -> bool {
    let stem = known.strip_suffix(".csv").unwrap_or(known);
    distance <= (stem.chars().count() / 2).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_are_near_and_other_tables_are_not() {
        let known = ["calendar.csv", "rooms.csv", "courses.csv", "pins.csv", "availability.csv"];
        for (name, meant) in [
            ("availabilty.csv", "availability.csv"),
            ("room.csv", "rooms.csv"),
            ("courses_v2.csv", "courses.csv"),
            ("calender.csv", "calendar.csv"),
        ] {
            let (closest, d) = closest(name, &known);
            assert_eq!((closest, is_near(closest, d)), (meant, true), "{name}");
        }
        for name in ["notes.csv", "export.csv", "lecturers.csv"] {
            let (closest, d) = closest(name, &known);
            assert!(!is_near(closest, d), "{name} -> {closest} at {d}");
        }
    }
}
