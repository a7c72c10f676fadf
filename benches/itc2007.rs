//! ITC-2007 track 3 benchmark: solves each `.ctt` file, re-checks the
//! timetable with the checker, and prints cost beside the best known, one
//! column per method.
//!
//!     cargo bench --bench itc2007 -- [--time-limit S] [--threads N]
//!         [--methods search,monolithic] [--trace DIR] [DIR_OR_FILES...]
//!
//! Default folder: ../shared/itc2007 (beside the repository). Best known
//! values come from instances/itc2007-best-known.csv. `--methods` picks the
//! solve methods compared (default: search). With `--trace DIR`, every
//! improvement is written to `DIR/<instance>-<method>.csv` (seconds, cost,
//! bound), and `DIR/trace.svg` plots cost over best known against time.
//! `--replot DIR` redraws `DIR/trace.svg` from the CSV files already there
//! (x axis up to `--time-limit`), without solving.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use classplan::check;
use classplan::io::ctt::read_ctt;
use classplan::model::Timetable;
use classplan::solve::{solve_observed, Method, Objective, Observer, SolveOptions};

fn best_known() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/itc2007-best-known.csv");
    let mut reader = csv::Reader::from_path(path).expect("best-known table");
    reader.records().map(|r| r.expect("row")).map(|r| (r[0].to_string(), r[1].to_string())).collect()
}

/// Every timetable better than the last, as the solver reported it.
#[derive(Default)]
struct Trace {
    points: Vec<(f64, f64, Option<f64>)>,
}

impl Observer for Trace {
    fn step(&mut self, _line: &str) {}
    fn incumbent(&mut self, _timetable: &Timetable, objective: &Objective, bound: Option<f64>, seconds: f64) {
        self.points.push((seconds, objective.total(), bound));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut time_limit = 60.0;
    let mut threads = 2;
    let mut methods = vec![Method::Search];
    let mut trace_dir: Option<PathBuf> = None;
    let mut replot: Option<PathBuf> = None;
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--time-limit" => time_limit = it.next().and_then(|v| v.parse().ok()).expect("--time-limit S"),
            "--threads" => threads = it.next().and_then(|v| v.parse().ok()).expect("--threads N"),
            "--methods" => methods = Method::parse_list(it.next().expect("--methods search,monolithic")).expect("--methods search,monolithic"),
            "--trace" => trace_dir = Some(PathBuf::from(it.next().expect("--trace DIR"))),
            "--replot" => replot = Some(PathBuf::from(it.next().expect("--replot DIR"))),
            other => inputs.push(PathBuf::from(other)),
        }
    }
    if let Some(dir) = replot {
        std::fs::write(dir.join("trace.svg"), plot(&read_traces(&dir, &best_known()), time_limit)).expect("plot");
        println!("redrew {}", dir.join("trace.svg").display());
        return;
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
    if let Some(dir) = &trace_dir {
        std::fs::create_dir_all(dir).expect("trace folder");
    }
    let best = best_known();
    println!("time limit {time_limit} s, {threads} threads");
    let mut header = "| instance | best known |".to_string();
    let mut rule = "|---|---|".to_string();
    for &m in &methods {
        let n = m.name();
        write!(header, " {n}: cost | ratio | hard viol. | first s | status | bound |").unwrap();
        rule.push_str("---|---|---|---|---|---|");
    }
    println!("{header}\n{rule}");
    let mut curves: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let instance = match read_ctt(&file) {
            Ok(i) => i,
            Err(e) => {
                println!("| {name} | input error: {e} |");
                continue;
            }
        };
        let known = best.get(&name).cloned().unwrap_or_default();
        let mut row = format!("| {name} | {} |", if known.is_empty() { "-" } else { &known });
        for &method in &methods {
            let options = SolveOptions { time_limit: Some(time_limit), threads, method, ..SolveOptions::default() };
            let mut trace = Trace::default();
            let started = Instant::now();
            let outcome = solve_observed(&instance, &options, &mut trace).expect("solver runs");
            let seconds = started.elapsed().as_secs_f64();
            // The checker, not the solver, says what the timetable costs.
            let (violations, cost) = match &outcome.timetable {
                Some(t) => {
                    let r = check::check(&instance, t);
                    (r.violations.len().to_string(), Some(r.cost.total()))
                }
                None => ("no timetable".into(), None),
            };
            let ratio = match (cost, known.parse::<f64>()) {
                (Some(c), Ok(k)) if k > 0.0 => format!("{:.2}", c / k),
                (Some(c), Ok(_)) if c == 0.0 => "1.00".into(),
                _ => "-".into(),
            };
            write!(
                row,
                " {} | {ratio} | {violations} | {} | {} | {} |",
                cost.map_or("-".into(), |c| c.to_string()),
                outcome.first_timetable_seconds.map_or("-".into(), |s| format!("{s:.1}")),
                outcome.status.as_str(),
                outcome.bound.map_or("-".into(), |b| format!("{b:.1}")),
            )
            .unwrap();
            if let Some(dir) = &trace_dir {
                let path = dir.join(format!("{name}-{}.csv", method.name()));
                let mut out = String::from("seconds,cost,bound\n");
                for (s, c, b) in &trace.points {
                    writeln!(out, "{s:.3},{c},{}", b.map_or(String::new(), |b| format!("{b:.3}"))).unwrap();
                }
                if let Some(c) = cost {
                    writeln!(out, "{seconds:.3},{c},{}", outcome.bound.map_or(String::new(), |b| format!("{b:.3}"))).unwrap();
                }
                std::fs::write(&path, out).expect("trace file");
                if let Ok(k) = known.parse::<f64>() {
                    let scale = k.max(1.0);
                    curves.push((
                        format!("{name} {}", method.name()),
                        trace.points.iter().map(|&(s, c, _)| (s, c / scale)).chain(cost.map(|c| (seconds, c / scale))).collect(),
                    ));
                }
            }
        }
        println!("{row}");
    }
    if let Some(dir) = &trace_dir {
        std::fs::write(dir.join("trace.svg"), plot(&curves, time_limit)).expect("plot");
        println!("traces and plot in {}", dir.display());
    }
}

/// The curves of the trace files `<instance>-<method>.csv` in `dir`, as
/// cost over best known.
fn read_traces(dir: &Path, best: &BTreeMap<String, String>) -> Vec<(String, Vec<(f64, f64)>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("trace folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let mut curves = Vec::new();
    for file in files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let Some((name, method)) = stem.rsplit_once('-') else { continue };
        let Some(known) = best.get(name).and_then(|k| k.parse::<f64>().ok()) else { continue };
        let mut reader = csv::Reader::from_path(&file).expect("trace file");
        let points = reader
            .records()
            .map(|r| r.expect("trace row"))
            .map(|r| (r[0].parse::<f64>().expect("seconds"), r[1].parse::<f64>().expect("cost") / known.max(1.0)))
            .collect();
        curves.push((format!("{name} {method}"), points));
    }
    curves
}

/// Step curves of cost / best known (log scale, 1 to 30) against seconds:
/// one colour per instance, the search solid and the monolithic dashed.
fn plot(curves: &[(String, Vec<(f64, f64)>)], time_limit: f64) -> String {
    const W: f64 = 720.0;
    const H: f64 = 400.0;
    const LEFT: f64 = 60.0;
    const RIGHT: f64 = 180.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 40.0;
    let x = |s: f64| LEFT + (s / time_limit).clamp(0.0, 1.0) * (W - LEFT - RIGHT);
    let y = |r: f64| TOP + (1.0 - r.clamp(1.0, 30.0).log10() / 30f64.log10()) * (H - TOP - BOTTOM);
    let colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    for r in [1.0, 2.0, 5.0, 10.0, 30.0] {
        writeln!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{right}\" y1=\"{at:.1}\" y2=\"{at:.1}\" stroke=\"#ddd\"/><text x=\"{label_x}\" y=\"{label_y:.1}\" text-anchor=\"end\">{r}x</text>",
            right = W - RIGHT,
            at = y(r),
            label_x = LEFT - 6.0,
            label_y = y(r) + 4.0
        )
        .unwrap();
    }
    for k in 0..=4 {
        let s = time_limit * k as f64 / 4.0;
        writeln!(svg, "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{s:.0} s</text>", x(s), H - BOTTOM + 16.0).unwrap();
    }
    writeln!(svg, "<text x=\"{LEFT}\" y=\"{}\">cost / best known (log) against seconds</text>", H - 6.0).unwrap();
    let mut instances: Vec<&str> = curves.iter().map(|(label, _)| label.split(' ').next().unwrap_or("")).collect();
    instances.dedup();
    for (i, (label, points)) in curves.iter().enumerate() {
        let instance = label.split(' ').next().unwrap_or("");
        let colour = colours[instances.iter().position(|&n| n == instance).unwrap_or(0) % colours.len()];
        let dash = if label.ends_with("monolithic") { " stroke-dasharray=\"6 4\"" } else { "" };
        let mut path = String::new();
        let mut last: Option<f64> = None;
        for &(s, r) in points {
            match last {
                None => write!(path, "M{:.1},{:.1}", x(s), y(r)).unwrap(),
                Some(_) => write!(path, " H{:.1} V{:.1}", x(s), y(r)).unwrap(),
            }
            last = Some(r);
        }
        if last.is_some() {
            write!(path, " H{:.1}", x(time_limit)).unwrap();
        }
        writeln!(svg, "<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>").unwrap();
        let ly = TOP + 16.0 * i as f64;
        writeln!(svg, "<line x1=\"{0}\" x2=\"{1}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/><text x=\"{2}\" y=\"{3}\">{label}</text>", W - RIGHT + 10.0, W - RIGHT + 30.0, W - RIGHT + 36.0, ly + 4.0).unwrap();
    }
    svg.push_str("</svg>\n");
    svg
}
