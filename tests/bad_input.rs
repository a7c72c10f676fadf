//! Hostile input through the real binary. Each folder of `tests/bad-input/`
//! is a copy of `instances/tiny` with one thing broken and an `expected.txt`
//! of the exact lines `classplan check` must print on standard error (see
//! the README there). Every case must be refused with exit code 2, without a
//! panic, and `classplan solve` must leave no output behind. Cases that
//! cannot be committed (a million rows, unreadable permissions) are made
//! here at run time.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_classplan");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root, so paths in messages are relative.
fn run(args: &[&Path]) -> Output {
    Command::new(BIN).args(args).current_dir(root()).output().expect("the classplan binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One corpus case: what to pass to `check`, and what it must print.
struct Case {
    name: String,
    /// The instance argument: the case folder, or its file `instance` for
    /// the case where a file stands where a folder is expected.
    instance: PathBuf,
    /// `timetable.csv` in the case folder, for `check INSTANCE TIMETABLE`.
    timetable: Option<PathBuf>,
    expected: Vec<String>,
}

fn cases() -> Vec<Case> {
    let dir = Path::new("tests/bad-input");
    let mut names: Vec<String> = fs::read_dir(root().join(dir))
        .expect("tests/bad-input exists")
        .map(|e| e.expect("readable entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let folder = dir.join(&name);
            let expected =
                fs::read_to_string(root().join(&folder).join("expected.txt")).unwrap_or_else(|e| panic!("{name}/expected.txt: {e}"));
            let file_instance = folder.join("instance");
            let instance = if root().join(&file_instance).is_file() { file_instance } else { folder.clone() };
            let timetable = Some(folder.join("timetable.csv")).filter(|p| root().join(p).is_file());
            Case { name, instance, timetable, expected: expected.lines().map(str::to_string).collect() }
        })
        .collect()
}

/// Problems with one run: wrong exit code, a panic, or a missing line.
fn refusal_problems(what: &str, out: &Output, expected: &[String]) -> Vec<String> {
    let err = stderr(out);
    let mut problems = Vec::new();
    if out.status.code() != Some(2) {
        problems.push(format!("{what}: exit code {:?}, expected 2", out.status.code()));
    }
    if err.contains("panicked") {
        problems.push(format!("{what}: panicked:\n{err}"));
    }
    for line in expected {
        if !err.lines().any(|l| l == line) {
            problems.push(format!("{what}: stderr lacks the line\n  {line}\nstderr was:\n{err}"));
        }
    }
    problems
}

fn is_absent_or_empty(dir: &Path) -> bool {
    !dir.exists() || fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

#[test]
fn every_corpus_case_is_refused_with_its_exact_errors_and_writes_nothing() {
    let cases = cases();
    // A corpus that failed to be found must not pass as "no failures".
    assert!(cases.len() >= 20, "only {} cases in tests/bad-input", cases.len());
    let mut problems = Vec::new();
    for case in &cases {
        assert!(!case.expected.is_empty(), "{}: expected.txt is empty", case.name);
        let mut args = vec![Path::new("check"), case.instance.as_path()];
        args.extend(case.timetable.as_deref());
        problems.extend(refusal_problems(&format!("{}: check", case.name), &run(&args), &case.expected));

        // The timetable cases hold a valid instance: solving it is no refusal.
        if case.timetable.is_none() {
            let tmp = tempfile::tempdir().unwrap();
            let out_dir = tmp.path().join("out");
            let args = [Path::new("solve"), &case.instance, Path::new("--out"), &out_dir, Path::new("--time-limit"), Path::new("10")];
            problems.extend(refusal_problems(&format!("{}: solve", case.name), &run(&args), &case.expected));
            if !is_absent_or_empty(&out_dir) {
                problems.push(format!("{}: solve left files in {}", case.name, out_dir.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n\n"));
}

/// A copy of `instances/tiny` in a temporary folder.
fn tiny_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("instances/tiny")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// A million rows is ten times the per-file limit (`MAX_ROWS`, 100,000 in
/// src/io/table.rs): the reader stops at the first row past the limit and
/// says so, quickly and without reading the rest into memory as rows.
#[test]
fn a_million_rows_are_refused_at_the_row_limit() {
    let dir = tiny_copy();
    let mut text = String::from("kind,id,day,period,weight\n");
    for _ in 0..1_000_000 {
        text.push_str("instructor,gv-hung,2020-05-06,,\n");
    }
    fs::write(dir.path().join("availability.csv"), text).unwrap();

    // How fast the refusal comes is measured by `cargo bench --bench check`.
    let out = run(&[Path::new("check"), dir.path()]);
    // Line 1 is the header, so data row 100,001 is line 100,002.
    let expected = format!(
        "error: {}: has more than 100000 rows, the most one table may hold [E-TOO-MANY-ROWS]",
        dir.path().join("availability.csv:100002").display()
    );
    let problems = refusal_problems("check", &out, &[expected, "1 error(s); nothing was written.".into()]);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A file the user may not read. Tests often run as root (CI does), and
/// root reads it anyway; then the honest assertion is that it loads.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named_or_read_when_permissions_do_not_apply() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tiny_copy();
    let rooms = dir.path().join("rooms.csv");
    fs::set_permissions(&rooms, fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(&[Path::new("check"), dir.path()]);
    let readable_anyway = fs::read(&rooms).is_ok();
    fs::set_permissions(&rooms, fs::Permissions::from_mode(0o644)).unwrap();

    if readable_anyway {
        eprintln!("note: running as a user whom mode 000 does not stop (root); asserting that the instance loads instead");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    } else {
        let expected = format!("error: {}: cannot be read: Permission denied (os error 13) [E-IO]", rooms.display());
        let problems = refusal_problems("check", &out, &[expected]);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

/// Every `E-` code the reader can give has a row in docs/format.md's table,
/// so a planner who meets one can look it up.
#[test]
fn every_error_code_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(root.join("docs/format.md")).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    let mut dirs = vec![root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("\"E-") {
                    let code: String =
                        text[at + 1..].chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-').collect();
                    codes.insert(code.trim_end_matches('-').to_string());
                }
            }
        }
    }
    assert!(codes.len() > 30, "found only {codes:?}");
    let missing: Vec<&String> = codes.iter().filter(|c| !docs.contains(&format!("`{c}`"))).collect();
    assert!(missing.is_empty(), "codes with no row in docs/format.md: {missing:?}");
}
