//! Scenario benchmark (issue #7): the generated `medium` instance and ten
//! what-if scenarios of it, solved one after another and in parallel, with
//! the wall time of each and a check that both give the same timetables.
//!
//!     cargo bench --bench scenarios -- [--threads N] [--node-limit N]
//!         [--time-limit S] [--seed N] [--rounds N]
//!
//! `--seed` is the generator's (default 1); the solver keeps the runner's
//! default seed, as `classplan scenarios` does.
//!
//! Both modes run the library's runner (`run::scenarios`, what
//! `classplan scenarios` runs) on the same folders, with the same options
//! but the thread count, so they do the same work: reading and merging the
//! scenarios, eleven solves (base + ten), checking, comparing and writing.
//!
//! - sequential: `threads = 1`, so the runner's pool has one thread and
//!   every solver gets one thread: one job after another.
//! - parallel: `threads = N` (default 2), split as the CLI splits them:
//!   `min(jobs, N)` jobs at once, each solver with `max(1, N / jobs at
//!   once)` threads. With 11 jobs and 2 threads that is 2 jobs at a time,
//!   one solver thread each, the same solver work as the sequential mode
//!   (so for any N up to 21; from 22 the solvers get two threads each and
//!   need not find the same timetables, which the bench would report).
//!
//! Every MIP stops at `--node-limit` nodes (default 200, a deterministic
//! work limit; on the project's machine the jobs take from half a second to
//! fifteen CPU seconds, about seventy in all, and some end sooner, proven
//! optimal); `--time-limit` (default 600 s per solve) is only a safety
//! net, so both modes must
//! produce identical timetables: the costs and the written `timetable.csv`
//! files are compared job by job. `--rounds N` runs the two modes back to
//! back N times (the machine is shared, its load changes by the minute)
//! and details the round with the median speedup.
//!
//! For each job the pool thread's time on a CPU and time waiting for one
//! (Linux schedstat) are printed: on a shared machine the waiting time is
//! what other processes take, and the closing "CPU-bound estimate" is the
//! speedup the schedule would give without them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use classplan::generate::{generate, Size};
use classplan::io::write_instance;
use classplan::model::{DayIdx, Instance, Timetable};
use classplan::run::{scenarios as run_scenarios, Comparison, Event, ScenariosConfig, Settings};

/// One scenario folder: its name and files (name, CSV text).
struct Scenario {
    name: &'static str,
    what: String,
    files: Vec<(&'static str, String)>,
}

/// Ten what-ifs a planner of the generated instance might ask, picked from
/// its data so that they stay meaningful for any seed.
fn scenarios(instance: &Instance, planted: &Timetable) -> Vec<Scenario> {
    let cal = &instance.calendar;
    let day = |d: usize| cal.label(DayIdx(d.min(cal.num_days() - 1))).to_string();
    let week = |first: usize| format!("{}..{}", day(first), day(first + 4));
    let mut sessions_of_instructor = vec![0usize; instance.instructors.len()];
    let mut sessions_in_room = vec![0usize; instance.rooms.len()];
    for p in &planted.placements {
        sessions_of_instructor[p.instructor.index()] += 1;
        sessions_in_room[p.room.index()] += 1;
    }
    let busiest = (0..instance.instructors.len()).max_by_key(|&i| (sessions_of_instructor[i], std::cmp::Reverse(i))).unwrap();
    let busiest = &instance.instructors[busiest].id;
    // Rooms with no special features, most used first.
    let mut plain: Vec<usize> = (0..instance.rooms.len()).filter(|&r| instance.rooms[r].features.is_empty()).collect();
    plain.sort_by_key(|&r| (std::cmp::Reverse(sessions_in_room[r]), r));
    let largest_room = (0..instance.rooms.len()).max_by_key(|&r| (instance.rooms[r].capacity, std::cmp::Reverse(r))).unwrap();
    let largest_cohort = (0..instance.cohorts.len()).max_by_key(|&k| (instance.cohorts[k].size, std::cmp::Reverse(k))).unwrap();
    let smallest_cohort = (0..instance.cohorts.len()).min_by_key(|&k| (instance.cohorts[k].size, k)).unwrap();
    // An instructor no course fixes and no pin names can leave.
    let fixed: Vec<usize> = instance
        .courses
        .iter()
        .filter_map(|c| c.instructor.map(|i| i.index()))
        .chain(instance.pins.iter().filter_map(|p| p.instructor.map(|i| i.index())))
        .collect();
    let leaving = (0..instance.instructors.len())
        .filter(|i| !fixed.contains(i))
        .max_by_key(|&i| (sessions_of_instructor[i], std::cmp::Reverse(i)))
        .expect("an instructor no course fixes");
    // Subjects someone teaches, for new courses.
    let subjects: Vec<&str> = {
        let mut s: Vec<&str> = instance.instructors.iter().flat_map(|i| i.subjects.iter().map(String::as_str)).collect();
        s.sort();
        s.dedup();
        s
    };
    let subject = |n: usize| subjects[n % subjects.len()];
    let availability = |rows: String| ("availability.csv", format!("kind,id,day,period,weight\n{rows}"));
    let courses_header = "id,subject,cohorts,sessions,min_days,instructor,students,room_features\n";

    let room = &instance.rooms[plain[0]];
    let big = &instance.rooms[largest_room];
    let grown = &instance.cohorts[largest_cohort];
    let small = &instance.cohorts[smallest_cohort];
    let holiday = cal.num_days() / 2;
    vec![
        Scenario {
            name: "instructor-away-week",
            what: format!("{busiest}, the busiest lecturer, away in the second week"),
            files: vec![availability(format!("instructor,{busiest},{},,\n", week(5)))],
        },
        Scenario {
            name: "instructor-leaves",
            what: format!("{} leaves (no course fixes them)", instance.instructors[leaving].id),
            files: vec![("remove.csv", format!("kind,id\ninstructor,{}\n", instance.instructors[leaving].id))],
        },
        Scenario {
            name: "room-removed",
            what: format!("{} ({} seats), the busiest plain room, given up", room.id, room.capacity),
            files: vec![("remove.csv", format!("kind,id\nroom,{}\n", room.id))],
        },
        Scenario {
            name: "hall-repair-week",
            what: format!("{} ({} seats), the largest room, closed in the third week", big.id, big.capacity),
            files: vec![availability(format!("room,{},{},,\n", big.id, week(10)))],
        },
        Scenario {
            name: "cohort-grown-20",
            what: format!("{} grows 20% ({} -> {})", grown.id, grown.size, (grown.size * 6 + 2) / 5),
            files: vec![("cohorts.csv", format!("id,size\n{},{}\n", grown.id, (grown.size * 6 + 2) / 5))],
        },
        Scenario {
            name: "extra-course",
            what: format!("a 3-session course of {} for {}", subject(3), small.id),
            files: vec![("courses.csv", format!("{courses_header}X01,{},{},3,2,,,\n", subject(3), small.id))],
        },
        Scenario {
            name: "extra-cohort",
            what: "a new class of 25 with three courses".into(),
            files: vec![
                ("cohorts.csv", "id,name,size,first_day,last_day\nK99,Extra class,25,,\n".into()),
                (
                    "courses.csv",
                    format!("{courses_header}X11,{},K99,3,2,,,\nX12,{},K99,2,2,,,\nX13,{},K99,2,,,,\n", subject(0), subject(5), subject(8)),
                ),
            ],
        },
        Scenario {
            name: "holiday",
            what: format!("{} made a day off for every class", day(holiday)),
            files: vec![availability(instance.cohorts.iter().map(|k| format!("cohort,{},{},,\n", k.id, day(holiday))).collect())],
        },
        Scenario {
            name: "two-a-day",
            what: "no lecturer teaches more than 2 sessions a day".into(),
            files: vec![(
                "instructors.csv",
                std::iter::once("id,max_per_day\n".to_string())
                    .chain(instance.instructors.iter().map(|i| format!("{},2\n", i.id)))
                    .collect(),
            )],
        },
        Scenario {
            name: "compact-weeks",
            what: "compactness and spread weigh more (compactness 6, min_days 10)".into(),
            files: vec![("weights.csv", "name,weight\ncompactness,6\nmin_days,10\n".into())],
        },
    ]
}

struct Run {
    seconds: f64,
    /// The process's CPU time during the run, all threads.
    cpu: f64,
    /// Load average over the last minute, before and after the run.
    load: (String, String),
    comparison: Comparison,
    /// Each job's `timetable.csv` (empty when none was written).
    timetables: BTreeMap<String, Vec<u8>>,
    timeline: BTreeMap<String, Span>,
}

/// One job as its pool thread saw it.
#[derive(Clone, Copy)]
struct Span {
    /// Seconds from the run's start.
    start: f64,
    end: f64,
    thread: Option<usize>,
    /// The thread's CPU time and its time waiting for a CPU while runnable,
    /// during the job (Linux schedstat; `NaN` elsewhere).
    cpu: f64,
    waiting: f64,
}

/// The process's CPU time (user + system, every thread) in seconds, from
/// `/proc/self/stat` (clock ticks of 1/100 s); `NaN` elsewhere.
fn process_cpu() -> f64 {
    let text = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = text.rsplit_once(')').map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    (ticks(11) + ticks(12)) / 100.0
}

/// The one-minute load average, to show how busy the shared machine was.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg").ok().and_then(|t| t.split_whitespace().next().map(str::to_string)).unwrap_or("-".into())
}

/// The calling thread's time on a CPU and time runnable but waiting for
/// one, in seconds, from `/proc/thread-self/schedstat`: the waiting time is
/// what other processes on a shared machine take from a job.
fn schedstat() -> (f64, f64) {
    let text = fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut it = text.split_whitespace().map(|v| v.parse::<f64>().map_or(f64::NAN, |ns| ns / 1e9));
    (it.next().unwrap_or(f64::NAN), it.next().unwrap_or(f64::NAN))
}

fn run(base: &Path, dirs: &[PathBuf], out: &Path, threads: u32, node_limit: u64, time_limit: f64) -> Run {
    if out.exists() {
        fs::remove_dir_all(out).expect("clearing the output folder");
    }
    fs::create_dir_all(out).expect("creating the output folder");
    // The solver's seed is the runner's default, as `classplan scenarios`
    // has it.
    let settings = Settings { threads, node_limit: Some(node_limit), time_limit: Some(time_limit), ..Settings::default() };
    let options = ScenariosConfig { settings, ..ScenariosConfig::default() };
    let timeline = Mutex::new(BTreeMap::new());
    let load_before = load_average();
    let cpu_before = process_cpu();
    let started = Instant::now();
    let progress = |e: Event| {
        let now = started.elapsed().as_secs_f64();
        let (cpu, waiting) = schedstat();
        let mut t = timeline.lock().unwrap();
        match e {
            // Both events come from the pool thread that runs the job.
            Event::Started { job: Some(job) } => {
                let span = Span { start: now, end: f64::NAN, thread: rayon::current_thread_index(), cpu, waiting };
                t.insert(job.to_string(), span);
            }
            Event::Finished { job: Some(job), .. } => {
                if let Some(span) = t.get_mut(job) {
                    span.end = now;
                    span.cpu = cpu - span.cpu;
                    span.waiting = waiting - span.waiting;
                }
            }
            _ => {}
        }
    };
    let comparison = run_scenarios(base, dirs, out, &options, &progress).expect("the scenarios run");
    let seconds = started.elapsed().as_secs_f64();
    let cpu = process_cpu() - cpu_before;
    let load = (load_before, load_average());
    let timetables = comparison
        .rows
        .iter()
        .map(|r| (r.job().to_string(), fs::read(out.join(r.job()).join("timetable.csv")).unwrap_or_default()))
        .collect();
    Run { seconds, cpu, load, comparison, timetables, timeline: timeline.into_inner().unwrap() }
}

fn cost(run: &Run, name: &str) -> String {
    let row = run.comparison.rows.iter().find(|r| r.job() == name).expect("a row per job");
    match &row.cost {
        Some(c) => format!("{}", c.total),
        None => "-".into(),
    }
}

/// Whether two runs agree job by job: status, cost and timetable file.
fn same_results(a: &Run, b: &Run) -> Vec<(String, bool)> {
    a.comparison
        .rows
        .iter()
        .zip(&b.comparison.rows)
        .map(|(x, y)| {
            let same = x.job() == y.job()
                && x.status == y.status
                && x.cost.map(|c| c.total) == y.cost.map(|c| c.total)
                && x.check == y.check
                && a.timetables.get(x.job()) == b.timetables.get(y.job());
            (x.job().to_string(), same)
        })
        .collect()
}

fn print_timeline(label: &str, run: &Run) {
    println!("{label}: job, pool thread, start..end s (wall s = on a CPU + waiting for one + other)");
    let mut jobs: Vec<_> = run.timeline.iter().collect();
    jobs.sort_by(|a, b| a.1.start.total_cmp(&b.1.start));
    for (job, s) in jobs {
        let thread = s.thread.map_or("-".into(), |t| t.to_string());
        let wall = s.end - s.start;
        println!(
            "  {job:<22} thread {thread}  {:>7.2} .. {:>7.2}  ({wall:.2} s = {:.2} + {:.2} + {:.2})",
            s.start,
            s.end,
            s.cpu,
            s.waiting,
            wall - s.cpu - s.waiting
        );
    }
    let (cpu, waiting): (f64, f64) = run.timeline.values().fold((0.0, 0.0), |(c, w), s| (c + s.cpu, w + s.waiting));
    println!(
        "  jobs in all: {cpu:.2} s on a CPU, {waiting:.2} s waiting for one; process CPU {:.2} s in a wall {:.2} s; \
         load average {} before, {} after",
        run.cpu, run.seconds, run.load.0, run.load.1
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (mut threads, mut node_limit, mut time_limit, mut seed, mut rounds) = (2u32, 200u64, 600.0f64, 1u64, 1usize);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().map(String::as_str).unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--threads" => threads = value().parse().expect("--threads N"),
            "--node-limit" => node_limit = value().parse().expect("--node-limit N"),
            "--time-limit" => time_limit = value().parse().expect("--time-limit S"),
            "--seed" => seed = value().parse().expect("--seed N"),
            "--rounds" => rounds = value().parse().expect("--rounds N"),
            other => panic!("unknown argument {other}; expected --threads, --node-limit, --time-limit, --seed, --rounds"),
        }
    }
    assert!(threads >= 1 && rounds >= 1, "--threads and --rounds must be at least 1");

    let g = generate(Size::Medium, seed);
    let root = tempfile::tempdir().expect("a temporary folder");
    let base = root.path().join("medium");
    write_instance(&g.instance, &base).expect("writing the instance");
    let list = scenarios(&g.instance, &g.planted);
    let mut dirs = Vec::new();
    for s in &list {
        let dir = root.path().join(s.name);
        fs::create_dir_all(&dir).unwrap();
        for (file, text) in &s.files {
            fs::write(dir.join(file), text).unwrap();
        }
        dirs.push(dir);
    }
    println!(
        "medium (seed {seed}): {} sessions; {} scenarios + base = {} jobs; node limit {node_limit} per MIP, \
         time limit {time_limit} s per solve (safety net); parallel on {threads} threads",
        g.instance.num_sessions(),
        list.len(),
        list.len() + 1
    );
    for s in &list {
        println!("  {:<22} {}", s.name, s.what);
    }

    let mut rounds_run: Vec<(Run, Run)> = Vec::new();
    let mut all_equal = true;
    for round in 1..=rounds {
        let seq = run(&base, &dirs, &root.path().join("out-sequential"), 1, node_limit, time_limit);
        let par = run(&base, &dirs, &root.path().join("out-parallel"), threads, node_limit, time_limit);
        let equal = same_results(&seq, &par).iter().all(|(_, s)| *s);
        all_equal &= equal;
        // Every round must repeat the first one's timetables too.
        if let Some((first, _)) = rounds_run.first() {
            all_equal &= same_results(first, &seq).iter().all(|(_, s)| *s);
        }
        println!(
            "round {round}: sequential {:.2} s, parallel {:.2} s, speedup {:.2}x, equal results {}",
            seq.seconds,
            par.seconds,
            seq.seconds / par.seconds,
            if equal { "yes" } else { "NO" }
        );
        rounds_run.push((seq, par));
    }
    // The round of the median speedup: each round's two runs are measured
    // back to back, so their ratio is the least disturbed by the load of
    // the shared machine, which changes by the minute.
    rounds_run.sort_by(|a, b| (a.0.seconds / a.1.seconds).total_cmp(&(b.0.seconds / b.1.seconds)));
    let (seq, par) = rounds_run.swap_remove(rounds / 2);
    let per_job = same_results(&seq, &par);
    let equal = all_equal && per_job.iter().all(|(_, s)| *s);

    println!();
    print_timeline("sequential", &seq);
    print_timeline("parallel", &par);
    println!();
    println!("| scenario | status | cost (sequential) | cost (parallel) | same timetable | sequential s | parallel s |");
    println!("|---|---|---|---|---|---|---|");
    for ((row, prow), (name, same)) in seq.comparison.rows.iter().zip(&par.comparison.rows).zip(&per_job) {
        println!(
            "| {name} | {} | {} | {} | {} | {:.2} | {:.2} |",
            row.status,
            cost(&seq, name),
            cost(&par, name),
            if *same { "yes" } else { "NO" },
            row.seconds,
            prow.seconds
        );
    }
    println!();
    let which = if rounds > 1 { format!(" (median round of {rounds})") } else { String::new() };
    let waiting = |r: &Run| r.timeline.values().map(|s| s.waiting).sum::<f64>();
    println!(
        "| mode{which} | threads | wall s | speedup | equal results | process CPU s | jobs' wait for a CPU s | load avg before/after |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| sequential | 1 | {:.2} | 1.00x | - | {:.2} | {:.2} | {} / {} |",
        seq.seconds,
        seq.cpu,
        waiting(&seq),
        seq.load.0,
        seq.load.1
    );
    println!(
        "| parallel | {threads} | {:.2} | {:.2}x | {} | {:.2} | {:.2} | {} / {} |",
        par.seconds,
        seq.seconds / par.seconds,
        if equal { "yes" } else { "NO" },
        par.cpu,
        waiting(&par),
        par.load.0,
        par.load.1
    );
    // What the schedule would give if every job had its CPU to itself: the
    // sequential run's job CPU time over the busiest pool thread's.
    let mut per_thread: BTreeMap<Option<usize>, f64> = BTreeMap::new();
    for s in par.timeline.values() {
        *per_thread.entry(s.thread).or_default() += s.cpu;
    }
    let busiest = per_thread.values().copied().fold(0.0, f64::max);
    let seq_cpu: f64 = seq.timeline.values().map(|s| s.cpu).sum();
    println!(
        "CPU-bound estimate (no other load): the jobs take {seq_cpu:.2} CPU s one after another, the busiest pool thread \
         {busiest:.2} CPU s in parallel: {:.2}x",
        seq_cpu / busiest
    );
    assert!(equal, "the parallel run must give the sequential run's timetables");
}
