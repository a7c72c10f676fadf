//! ITC-2007 track 3 benchmark: solves each `.ctt` file, re-checks the
//! timetable with the checker, and prints cost beside the best known.
//!
//!     cargo bench --bench itc2007 -- [--time-limit S] [--threads N] [DIR_OR_FILES...]
//!
//! Default folder: ../shared/itc2007 (beside the repository). Best known
//! values come from instances/itc2007-best-known.csv.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use classplan::check;
use classplan::io::ctt::read_ctt;
use classplan::solve::{solve, SolveOptions};

fn best_known() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/itc2007-best-known.csv");
    let mut reader = csv::Reader::from_path(path).expect("best-known table");
    reader
        .records()
        .map(|r| r.expect("row"))
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut time_limit = 60.0;
    let mut threads = 2;
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--time-limit" => time_limit = it.next().and_then(|v| v.parse().ok()).expect("--time-limit S"),
            "--threads" => threads = it.next().and_then(|v| v.parse().ok()).expect("--threads N"),
            other => inputs.push(PathBuf::from(other)),
        }
    }
    if inputs.is_empty() {
        inputs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/itc2007"));
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&input)
                .expect("instance folder")
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "ctt"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(input);
        }
    }
    let best = best_known();
    println!("time limit {time_limit} s, {threads} threads");
    println!("| instance | hard violations | cost | best known | ratio | first feasible s | status | bound |");
    println!("|---|---|---|---|---|---|---|---|");
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let instance = match read_ctt(&file) {
            Ok(i) => i,
            Err(e) => {
                println!("| {name} | input error: {e} |");
                continue;
            }
        };
        let started = Instant::now();
        let options = SolveOptions { time_limit: Some(time_limit), threads, ..SolveOptions::default() };
        let outcome = solve(&instance, &options, &mut |_| {}).expect("solver runs");
        let _ = started;
        let known = best.get(&name).cloned().unwrap_or_default();
        let (violations, cost) = match &outcome.timetable {
            Some(t) => {
                let r = check::check(&instance, t);
                (r.violations.len().to_string(), Some(r.cost.total()))
            }
            None => ("no timetable".into(), None),
        };
        let ratio = match (cost, known.parse::<f64>()) {
            (Some(c), Ok(k)) if k > 0.0 => format!("{:.2}", c / k),
            (Some(c), Ok(_)) => if c == 0.0 { "1.00".into() } else { "-".into() },
            _ => "-".into(),
        };
        println!(
            "| {name} | {violations} | {} | {} | {ratio} | {} | {} | {} |",
            cost.map_or("-".into(), |c| c.to_string()),
            if known.is_empty() { "-".into() } else { known },
            outcome.first_timetable_seconds.map_or("-".into(), |s| format!("{s:.1}")),
            outcome.status.as_str(),
            outcome.bound.map_or("-".into(), |b| format!("{b:.1}")),
        );
    }
}
