//! Solver benchmark: prints, for the shipped and generated instances, model
//! size, time to first timetable, final cost, bound and gap at a fixed time
//! limit, beside the planted timetable's cost. Every timetable is re-checked.
//!
//!     cargo bench --bench solve -- [--time-limit S] [--threads N]
//!         [--methods search,monolithic] [NAME...]
//!
//! NAME: tiny, ben-tre-2020, small, medium, large, year (default: all).
//! `--methods` lists the solve methods to run on each instance, one row
//! each, one after the other (default: search).

use std::path::Path;
use std::time::Instant;

use classplan::check;
use classplan::generate::{generate, Size};
use classplan::io::read_instance;
use classplan::model::Instance;
use classplan::solve::{solve, Method, SolveOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut time_limit = 60.0;
    let mut threads = 2;
    let mut names = Vec::new();
    let mut methods = vec![Method::Search];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--time-limit" => time_limit = it.next().and_then(|v| v.parse().ok()).expect("--time-limit S"),
            "--threads" => threads = it.next().and_then(|v| v.parse().ok()).expect("--threads N"),
            "--methods" => {
                methods = Method::parse_list(it.next().expect("--methods search,monolithic")).expect("--methods search,monolithic")
            }
            other => names.push(other.to_string()),
        }
    }
    if names.is_empty() {
        names = ["tiny", "ben-tre-2020", "small", "medium", "large", "year"].map(String::from).to_vec();
    }
    println!("time limit {time_limit} s, {threads} threads");
    println!(
        "| instance | method | sessions | stage-1 cols (int) | rows | first timetable s | cost | bound | gap | status | hard viol. | planted cost | total s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for name in names {
        let (instance, planted): (Instance, Option<f64>) = match name.as_str() {
            "small" | "medium" | "large" | "year" => {
                let g = generate(name.parse::<Size>().unwrap(), 1);
                let planted = check::cost(&g.instance, &g.planted).total();
                (g.instance, Some(planted))
            }
            other => (read_instance(&Path::new(env!("CARGO_MANIFEST_DIR")).join("instances").join(other)).unwrap(), None),
        };
        for &method in &methods {
            let started = Instant::now();
            let options = SolveOptions { time_limit: Some(time_limit), threads, method, ..SolveOptions::default() };
            let outcome = solve(&instance, &options, &mut |_| {}).expect("solver runs");
            let total = started.elapsed().as_secs_f64();
            let (cost, violations) = match &outcome.timetable {
                Some(t) => {
                    let r = check::check(&instance, t);
                    (format!("{}", r.cost.total()), r.violations.len().to_string())
                }
                None => ("-".into(), "-".into()),
            };
            let m = outcome.model;
            println!(
                "| {name} | {} | {} | {} ({}) | {} | {} | {cost} | {} | {} | {} | {violations} | {} | {total:.1} |",
                method.name(),
                instance.num_sessions(),
                m.stage1_columns,
                m.stage1_integer_columns,
                m.stage1_rows,
                outcome.first_timetable_seconds.map_or("-".into(), |s| format!("{s:.1}")),
                outcome.bound.map_or("-".into(), |b| format!("{b:.1}")),
                outcome.gap.map_or("-".into(), |g| format!("{:.1}%", g * 100.0)),
                outcome.status.name(),
                planted.map_or("-".into(), |p| format!("{p}")),
            );
        }
    }
}
