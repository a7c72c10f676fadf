//! ITC-2007 track 3 benchmark: solves each `.ctt` file, re-checks the
//! timetable with the checker, and prints cost beside the best known, one
//! column group per method and thread count.
//!
//!     cargo bench --bench itc2007 -- [--time-limit S] [--threads N,N...]
//!         [--seeds S,S...] [--methods search,monolithic] [--trace DIR]
//!         [DIR_OR_FILES...]
//!
//! Default folder: ../shared/itc2007 (beside the repository). Best known
//! values come from instances/itc2007-best-known.csv. `--methods` picks the
//! solve methods compared (default: search). `--threads` takes one thread
//! count or several (default: 2); each method runs with each, in the order
//! given, and the table has one column group per method and thread count
//! (`search 2 thr`; just `search` when one count is given). `--seeds` (default:
//! 0) repeats every run with each seed: `cost` is then the median of the
//! checker's costs over the seeds (mean of the two middle ones for an even
//! count), `range` their min-max, `ratio` the median over the best known,
//! `hard viol.` the most violations of any seed, `first s` the median seconds
//! to the first timetable, `status` the statuses seen and `bound` the best
//! bound. With two or more thread counts, a line per method then counts the
//! instances where the most threads beat the fewest by median cost. Each run
//! is also reported on stderr as it ends.
//!
//! With `--trace DIR`, every improvement is written to a CSV file (seconds,
//! cost, bound): `DIR/<instance>-<method>.csv` for one thread count and one
//! seed, `DIR/<instance>-<method>_<threads>t_s<seed>.csv` otherwise; and
//! `DIR/trace.svg` plots cost over best known against time, one curve per
//! run. `--replot DIR` redraws `DIR/trace.svg` from the CSV files already
//! there (x axis up to `--time-limit`), without solving.

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

/// What one run ended with, the cost as the checker computed it.
struct Run {
    cost: Option<f64>,
    violations: Option<usize>,
    first_seconds: Option<f64>,
    status: &'static str,
    bound: Option<f64>,
}

/// The median (mean of the two middle values for an even count), or none
/// for no values.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// A comma-separated list of numbers.
fn parse_numbers<T: std::str::FromStr>(list: Option<&String>) -> Option<Vec<T>> {
    list?.split(',').map(|v| v.trim().parse().ok()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut time_limit = 60.0;
    let mut threads: Vec<u32> = vec![2];
    let mut seeds: Vec<u64> = vec![0];
    let mut methods = vec![Method::Search];
    let mut trace_dir: Option<PathBuf> = None;
    let mut replot: Option<PathBuf> = None;
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--time-limit" => time_limit = it.next().and_then(|v| v.parse().ok()).expect("--time-limit S"),
            "--threads" => threads = parse_numbers(it.next()).filter(|t: &Vec<u32>| !t.is_empty()).expect("--threads N or N,N,..."),
            "--seeds" => seeds = parse_numbers(it.next()).filter(|s: &Vec<u64>| !s.is_empty()).expect("--seeds S or S,S,..."),
            "--methods" => {
                methods = Method::parse_list(it.next().expect("--methods search,monolithic")).expect("--methods search,monolithic")
            }
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
    let list = |v: &[String]| v.join(",");
    let thread_list = list(&threads.iter().map(|t| t.to_string()).collect::<Vec<_>>());
    let seed_list = list(&seeds.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    match (threads.as_slice(), seeds.as_slice()) {
        ([t], [0]) => println!("time limit {time_limit} s, {t} threads"),
        ([t], _) => println!("time limit {time_limit} s, {t} threads, seeds {seed_list}"),
        _ => println!("time limit {time_limit} s, threads {thread_list}, seeds {seed_list}"),
    }
    // One column group per method and thread count, methods then threads.
    let groups: Vec<(Method, u32)> = methods.iter().flat_map(|&m| threads.iter().map(move |&t| (m, t))).collect();
    let several_seeds = seeds.len() > 1;
    // The trace files keep their old names for one thread count and one seed.
    let plain_names = threads.len() == 1 && seeds.len() == 1;
    let mut header = "| instance | best known |".to_string();
    let mut rule = "|---|---|".to_string();
    for &(m, t) in &groups {
        let label = if threads.len() == 1 { m.name().to_string() } else { format!("{} {t} thr", m.name()) };
        let range = if several_seeds { " range |" } else { "" };
        write!(header, " {label}: cost |{range} ratio | hard viol. | first s | status | bound |").unwrap();
        rule.push_str(if several_seeds { "---|---|---|---|---|---|---|" } else { "---|---|---|---|---|---|" });
    }
    println!("{header}\n{rule}");
    let mut curves: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    // Median cost per column group, one entry per instance read.
    let mut medians: Vec<Vec<Option<f64>>> = vec![Vec::new(); groups.len()];
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
        for (g, &(method, threads)) in groups.iter().enumerate() {
            let mut runs: Vec<Run> = Vec::new();
            for &seed in &seeds {
                let options = SolveOptions { time_limit: Some(time_limit), threads, seed, method, ..SolveOptions::default() };
                let mut trace = Trace::default();
                let started = Instant::now();
                let outcome = solve_observed(&instance, &options, &mut trace).expect("solver runs");
                let seconds = started.elapsed().as_secs_f64();
                // The checker, not the solver, says what the timetable costs.
                let (violations, cost) = match &outcome.timetable {
                    Some(t) => {
                        let r = check::check(&instance, t);
                        (Some(r.violations.len()), Some(r.cost.total()))
                    }
                    None => (None, None),
                };
                eprintln!(
                    "{name} {} {threads} thr seed {seed}: cost {}, {seconds:.1} s",
                    method.name(),
                    cost.map_or("none".into(), |c| c.to_string())
                );
                if let Some(dir) = &trace_dir {
                    let label = if plain_names { method.name().to_string() } else { format!("{}_{threads}t_s{seed}", method.name()) };
                    let path = dir.join(format!("{name}-{label}.csv"));
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
                            format!("{name} {label}"),
                            trace.points.iter().map(|&(s, c, _)| (s, c / scale)).chain(cost.map(|c| (seconds, c / scale))).collect(),
                        ));
                    }
                }
                runs.push(Run {
                    cost,
                    violations,
                    first_seconds: outcome.first_timetable_seconds,
                    status: outcome.status.name(),
                    bound: outcome.bound,
                });
            }
            let costs: Vec<f64> = runs.iter().filter_map(|r| r.cost).collect();
            let cost = median(costs.clone());
            medians[g].push(cost);
            let range = match (costs.iter().copied().reduce(f64::min), costs.iter().copied().reduce(f64::max)) {
                (Some(lo), Some(hi)) => format!("{lo}-{hi}"),
                _ => "-".into(),
            };
            let ratio = match (cost, known.parse::<f64>()) {
                (Some(c), Ok(k)) if k > 0.0 => format!("{:.2}", c / k),
                (Some(0.0), Ok(_)) => "1.00".into(),
                _ => "-".into(),
            };
            let violations = match runs.iter().map(|r| r.violations).collect::<Option<Vec<usize>>>() {
                Some(v) => v.into_iter().max().unwrap_or(0).to_string(),
                None => "no timetable".into(),
            };
            let first = median(runs.iter().filter_map(|r| r.first_seconds).collect());
            // The statuses seen, most frequent first.
            let mut statuses: Vec<(&str, usize)> = Vec::new();
            for r in &runs {
                match statuses.iter_mut().find(|(s, _)| *s == r.status) {
                    Some((_, n)) => *n += 1,
                    None => statuses.push((r.status, 1)),
                }
            }
            statuses.sort_by_key(|s| std::cmp::Reverse(s.1));
            let status = match statuses.as_slice() {
                [(s, _)] => s.to_string(),
                _ => statuses.iter().map(|(s, n)| format!("{n} {s}")).collect::<Vec<_>>().join(", "),
            };
            let bound = runs.iter().filter_map(|r| r.bound).reduce(f64::max);
            write!(row, " {} |", cost.map_or("-".into(), |c| c.to_string())).unwrap();
            if several_seeds {
                write!(row, " {range} |").unwrap();
            }
            write!(
                row,
                " {ratio} | {violations} | {} | {status} | {} |",
                first.map_or("-".into(), |s| format!("{s:.1}")),
                bound.map_or("-".into(), |b| format!("{b:.1}")),
            )
            .unwrap();
        }
        println!("{row}");
    }
    // The most threads against the fewest, by median cost (no timetable is
    // worse than any).
    let (fewest, most) = (threads.iter().copied().min().unwrap(), threads.iter().copied().max().unwrap());
    if fewest != most {
        println!();
        for &m in &methods {
            let column = |t: u32| &medians[groups.iter().position(|&g| g == (m, t)).unwrap()];
            let (mut better, mut equal, mut worse) = (0, 0, 0);
            for (&a, &b) in column(most).iter().zip(column(fewest)) {
                match (a, b) {
                    (Some(a), Some(b)) if a < b => better += 1,
                    (Some(a), Some(b)) if a > b => worse += 1,
                    (Some(_), None) => better += 1,
                    (None, Some(_)) => worse += 1,
                    _ => equal += 1,
                }
            }
            println!(
                "{}: {most} threads better than {fewest} on {better} of {} instances, equal on {equal}, worse on {worse}",
                m.name(),
                column(most).len()
            );
        }
    }
    if let Some(dir) = &trace_dir {
        std::fs::write(dir.join("trace.svg"), plot(&curves, time_limit)).expect("plot");
        println!("traces and plot in {}", dir.display());
    }
}

/// The curves of the trace files `<instance>-<method>.csv` and
/// `<instance>-<method>_<threads>t_s<seed>.csv` in `dir`, as cost over best
/// known, labelled `<instance> <what follows the last '-'>`.
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
/// one colour per instance, the search solid and the monolithic dashed;
/// runs with more threads than the fewest (`_<threads>t` in the label) are
/// dotted, or dash-dotted for the monolithic. The legend closes up, and the
/// picture grows taller, when there are many curves.
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
    // Legend line spacing and font: 16 px and the default 12 px while the
    // curves fit beside the plot, closer past that (down to 11 px, in 9 px
    // type); the picture grows below the plot if even that is not enough.
    let spacing = (16.0f64).min((H - TOP - 10.0) / curves.len().max(1) as f64).max(11.0);
    let font_px = (spacing - 2.0).min(12.0).round();
    let font = if spacing < 16.0 { format!(" font-size=\"{font_px}\"") } else { String::new() };
    let height = H.max((TOP + spacing * curves.len() as f64 + 10.0).ceil());
    // Wider when the longest label would not fit (about 0.6 em a character).
    let longest = curves.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0);
    let width = W.max((W - RIGHT + 42.0 + longest as f64 * font_px * 0.6).ceil());
    // The thread count of a run, from the `_<threads>t_` part of its label.
    let threads_of = |label: &str| -> Option<u32> { label.rsplit(' ').next()?.split('_').find_map(|p| p.strip_suffix('t')?.parse().ok()) };
    let fewest = curves.iter().filter_map(|(label, _)| threads_of(label)).min();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
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
        let more_threads = threads_of(label).is_some_and(|t| Some(t) > fewest);
        let dash = match (label.contains("monolithic"), more_threads) {
            (false, false) => "",
            (true, false) => " stroke-dasharray=\"6 4\"",
            (false, true) => " stroke-dasharray=\"2 3\"",
            (true, true) => " stroke-dasharray=\"8 3 2 3\"",
        };
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
        let ly = ((TOP + spacing * i as f64) * 10.0).round() / 10.0;
        writeln!(svg, "<line x1=\"{0}\" x2=\"{1}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/><text x=\"{2}\" y=\"{3}\"{font}>{label}</text>", W - RIGHT + 10.0, W - RIGHT + 30.0, W - RIGHT + 36.0, ((ly + font_px / 3.0) * 10.0).round() / 10.0).unwrap();
    }
    svg.push_str("</svg>\n");
    svg
}
