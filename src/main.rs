//! The `classplan` command: a thin layer over the library. Flags become a
//! validated configuration, the library does the work, and the outcome
//! becomes an exit code: 0 success, 1 the answer is "no" (violations,
//! infeasible, no timetable), 2 input or usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use classplan::check;
use classplan::generate::{self, Size};
use classplan::io::{self, InputErrors};
use classplan::model::Instance;
use classplan::solve::{self, Backend, Method, SolveOptions, Status};

#[derive(Parser)]
#[command(name = "classplan", version, about = "Class timetables and instructor assignment by integer programming")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load an instance and report its size and every input error; with a
    /// timetable, list its hard violations and soft cost.
    Check {
        /// Instance folder (or an ITC-2007 .ctt file).
        instance: PathBuf,
        /// A timetable.csv to check against the instance.
        timetable: Option<PathBuf>,
        /// One machine-readable JSON object on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Build the best timetable the solver can prove.
    Solve {
        /// Instance folder (or an ITC-2007 .ctt file).
        instance: PathBuf,
        /// Output folder for timetable.csv and summary.json.
        #[arg(long)]
        out: PathBuf,
        /// Stop after this many seconds with the best timetable found.
        #[arg(long)]
        time_limit: Option<f64>,
        /// Solver threads: the search re-solves this many parts of the timetable at once, and under a clock the first
        /// integer program runs once per thread (up to 4), each with its own seed, keeping the best start.
        #[arg(long, default_value_t = 1)]
        threads: u32,
        /// Random seed of the solver. Same seed and --node-limit, same
        /// timetable, at any thread count. Under a clock, a stage stopped by
        /// its time cap depends on the machine's speed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Deterministic work limit: branch-and-bound nodes per integer program.
        #[arg(long)]
        node_limit: Option<u64>,
        /// Deterministic work limit for the neighbourhood search: rounds
        /// (default under --node-limit: 40).
        #[arg(long)]
        rounds: Option<u64>,
        /// How to spend the time: `search` improves by neighbourhoods
        /// between the integer programs; `monolithic` runs only the whole
        /// integer programs (slower on large plans; kept for comparison).
        #[arg(long, default_value = "search")]
        method: Method,
        /// MIP solver.
        #[arg(long = "solver")]
        solver: Option<Backend>,
        /// Replace files already in the output folder.
        #[arg(long)]
        force: bool,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
        /// Show the MIP solver's log.
        #[arg(long)]
        verbose: bool,
        /// Also write the readable report (HTML, Excel, CSV views, calendars)
        /// into OUT/report.
        #[arg(long)]
        report: bool,
        /// A published timetable of this instance to compare with, and with
        /// --stable to change as little as possible ("repair the plan").
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Minimal perturbation against --baseline.
        #[arg(long, requires = "baseline")]
        stable: bool,
        /// Cost of each session moved, instructor changed or room changed.
        #[arg(long, default_value_t = 10.0)]
        move_weight: f64,
    },
    /// Make a synthetic instance around a planted feasible timetable (written
    /// beside the folder as OUT_DIR.planted.csv).
    Generate {
        #[arg(long)]
        size: Size,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        out_dir: PathBuf,
        /// Replace an existing folder's files.
        #[arg(long)]
        force: bool,
    },
    /// Solve the base instance and what-if scenario folders side by side and
    /// compare them.
    Scenarios {
        /// Base instance folder.
        instance: PathBuf,
        /// Scenario folders (partial instance files, remove.csv).
        #[arg(required = true)]
        scenario_dirs: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        time_limit: Option<f64>,
        /// Threads in all, split between scenarios and the solver.
        #[arg(long, default_value_t = 1)]
        threads: u32,
        /// Compare against (and with --stable, stay close to) this timetable
        /// of the base instance; default: the base's own solution.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Minimal perturbation: moving sessions, instructors or rooms costs.
        #[arg(long)]
        stable: bool,
        /// Cost of each session moved, instructor changed or room changed.
        #[arg(long, default_value_t = 10.0)]
        move_weight: f64,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        quiet: bool,
    },
    /// Write views people read: CSV grids and lists, an HTML page, an Excel
    /// workbook and iCalendar files.
    Report {
        instance: PathBuf,
        timetable: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Convert an ITC-2007 track 3 .ctt file into an instance folder.
    ImportCtt {
        file: PathBuf,
        out_dir: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Write a timetable in the ITC-2007 solution format.
    ExportCtt {
        instance: PathBuf,
        timetable: PathBuf,
        out: PathBuf,
        #[arg(long)]
        force: bool,
    },
}

/// Why the command failed, mapped to an exit code.
enum Failure {
    /// Bad input or usage: exit 2.
    Input(anyhow::Error),
    /// The answer is "no": exit 1 (the details were printed already).
    No,
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Input(e)
    }
}

impl From<InputErrors> for Failure {
    fn from(e: InputErrors) -> Self {
        Failure::Input(anyhow::Error::new(e))
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::No) => ExitCode::from(1),
        Err(Failure::Input(e)) => {
            match e.downcast_ref::<InputErrors>() {
                Some(errors) => {
                    for err in &errors.0 {
                        eprintln!("error: {err}");
                    }
                    eprintln!("{} error(s); nothing was written.", errors.0.len());
                }
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Check { instance, timetable, json } => check_command(&instance, timetable.as_deref(), json),
        Command::Solve {
            instance,
            out,
            time_limit,
            threads,
            seed,
            node_limit,
            rounds,
            method,
            solver,
            force,
            quiet,
            verbose,
            report,
            baseline,
            stable,
            move_weight,
        } => {
            if threads == 0 {
                return Err(anyhow::anyhow!("--threads must be at least 1").into());
            }
            if time_limit.is_some_and(|t| !(t > 0.0)) {
                return Err(anyhow::anyhow!("--time-limit must be a positive number of seconds").into());
            }
            let options = SolveOptions {
                time_limit,
                threads,
                seed,
                node_limit,
                backend: solver.unwrap_or_else(Backend::default_available),
                verbose,
                baseline: None,
                rounds,
                method,
                cancel: Default::default(),
            };
            let extras = SolveExtras { report, baseline, stable, move_weight };
            solve_command(&instance, &out, options, &extras, force, quiet)
        }
        Command::Generate { size, seed, out_dir, force } => {
            let planted_path = sibling(&out_dir, "planted.csv")?;
            prepare_out_dir(&out_dir, force)?;
            refuse_overwrite(&planted_path, force)?;
            let generated = generate::generate(size, seed);
            io::write_instance(&generated.instance, &out_dir).with_context(|| format!("writing {}", out_dir.display()))?;
            io::write_timetable(&generated.instance, &generated.planted, &planted_path)
                .with_context(|| format!("writing {}", planted_path.display()))?;
            println!("{}", summary_line(&generated.instance));
            println!("instance: {}\nplanted timetable: {}", out_dir.display(), planted_path.display());
            Ok(())
        }
        Command::Scenarios { instance, scenario_dirs, out, time_limit, threads, baseline, stable, move_weight, force, quiet } => {
            let all = classplan::scenario::scenarios_command(
                &instance,
                &scenario_dirs,
                &out,
                time_limit,
                threads,
                baseline.as_deref(),
                stable,
                move_weight,
                force,
                quiet,
            )?;
            if all {
                Ok(())
            } else {
                Err(Failure::No)
            }
        }
        Command::Report { instance, timetable, out, force } => {
            let inst = load(&instance)?;
            let tt = io::read_timetable(&timetable, &inst)?;
            refuse_inside(&out, &instance)?;
            prepare_out_dir(&out, force)?;
            write_report_files(&inst, &tt, &instance, &out)?;
            Ok(())
        }
        Command::ImportCtt { file, out_dir, force } => {
            let instance = io::ctt::read_ctt(&file)?;
            prepare_out_dir(&out_dir, force)?;
            io::write_instance(&instance, &out_dir).with_context(|| format!("writing {}", out_dir.display()))?;
            println!("{}", summary_line(&instance));
            Ok(())
        }
        Command::ExportCtt { instance, timetable, out, force } => {
            let instance = load(&instance)?;
            let timetable = io::read_timetable(&timetable, &instance)?;
            if let Some(row) = timetable.unresolved.first() {
                return Err(anyhow::anyhow!("timetable line {}: unknown {} {:?}", row.line, row.column, row.value).into());
            }
            refuse_overwrite(&out, force)?;
            io::write_atomically(&out, io::ctt::solution_text(&instance, &timetable).as_bytes())
                .with_context(|| format!("writing {}", out.display()))?;
            Ok(())
        }
    }
}

/// Loads an instance folder, or a `.ctt` file.
fn load(path: &Path) -> Result<Instance, InputErrors> {
    if path.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ctt")) {
        io::ctt::read_ctt(path)
    } else {
        io::read_instance(path)
    }
}

fn summary_line(inst: &Instance) -> String {
    format!(
        "{} days, {} periods, {} rooms, {} instructors, {} cohorts, {} courses, {} sessions",
        inst.calendar.num_days(),
        inst.calendar.num_slots(),
        inst.rooms.len(),
        inst.instructors.len(),
        inst.cohorts.len(),
        inst.courses.len(),
        inst.num_sessions()
    )
}

fn check_command(instance_path: &Path, timetable: Option<&Path>, json: bool) -> Result<(), Failure> {
    let instance = load(instance_path)?;
    match timetable {
        None => {
            let findings = check::diagnose(&instance);
            let infeasible = findings.iter().any(|f| f.proves_infeasible);
            if json {
                let value = serde_json::json!({
                    "summary": summary_json(&instance),
                    "findings": findings,
                    "infeasible": infeasible,
                });
                println!("{}", serde_json::to_string_pretty(&value).expect("json"));
            } else {
                println!("{}: {}", instance_path.display(), summary_line(&instance));
                for f in &findings {
                    println!("{}: {}", if f.proves_infeasible { "infeasible" } else { "warning" }, f.message);
                }
                if findings.is_empty() {
                    println!("no input errors; the diagnosis found no reason the instance cannot be solved");
                }
            }
            if infeasible {
                Err(Failure::No)
            } else {
                Ok(())
            }
        }
        Some(path) => {
            let timetable = io::read_timetable(path, &instance)?;
            let report = check::check(&instance, &timetable);
            if json {
                println!("{}", serde_json::to_string_pretty(&report.to_json(&instance)).expect("json"));
            } else {
                for v in &report.violations {
                    println!("violation [{}]: {}", v.kind.name(), v.message);
                }
                let c = &report.cost;
                println!("{} hard violation(s)", report.violations.len());
                println!(
                    "cost {} = room_capacity {} + min_days {} + compactness {} + room_stability {} + availability {}",
                    shown(c.total()),
                    shown(c.room_capacity),
                    shown(c.min_days),
                    shown(c.compactness),
                    shown(c.room_stability),
                    shown(c.availability)
                );
            }
            if report.violations.is_empty() {
                Ok(())
            } else {
                Err(Failure::No)
            }
        }
    }
}

fn summary_json(inst: &Instance) -> serde_json::Value {
    serde_json::json!({
        "days": inst.calendar.num_days(),
        "periods": inst.calendar.num_slots(),
        "rooms": inst.rooms.len(),
        "instructors": inst.instructors.len(),
        "cohorts": inst.cohorts.len(),
        "courses": inst.courses.len(),
        "sessions": inst.num_sessions(),
    })
}

/// What `solve` does besides solving.
struct SolveExtras {
    report: bool,
    baseline: Option<PathBuf>,
    stable: bool,
    move_weight: f64,
}

fn write_report_files(
    instance: &Instance,
    timetable: &classplan::model::Timetable,
    instance_path: &Path,
    out: &Path,
) -> anyhow::Result<()> {
    let dir = if instance_path.is_dir() { instance_path } else { instance_path.parent().unwrap_or(Path::new(".")) };
    let options = classplan::report::ReportOptions::for_instance_dir(dir)?;
    let files = classplan::report::write_report(instance, timetable, out, &options)?;
    for note in &files.notes {
        eprintln!("note: {note}");
    }
    println!("wrote {} and {} other report files in {}", files.html.display(), files.all().count().saturating_sub(1), out.display());
    Ok(())
}

fn solve_command(
    instance_path: &Path,
    out: &Path,
    mut options: SolveOptions,
    extras: &SolveExtras,
    force: bool,
    quiet: bool,
) -> Result<(), Failure> {
    let instance = load(instance_path)?;
    refuse_inside(out, instance_path)?;
    let baseline = match &extras.baseline {
        Some(path) => {
            let t = io::read_timetable(path, &instance)?;
            if let Some(row) = t.unresolved.first() {
                return Err(anyhow::anyhow!("{}:{}: unknown {} {:?}", path.display(), row.line, row.column, row.value).into());
            }
            Some(t)
        }
        None => None,
    };
    if extras.stable {
        options.baseline = baseline.clone().map(|timetable| solve::Baseline { timetable, move_weight: extras.move_weight });
    }
    let options = &options;
    // Before the output folder exists: a refusal leaves nothing behind.
    solve::check_memory(&instance, options).map_err(|e| anyhow::anyhow!(e))?;
    prepare_out_dir(out, force)?;
    let say = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    say(&format!("{}: {}", instance_path.display(), summary_line(&instance)));
    let instance = std::sync::Arc::new(instance);
    let state = std::sync::Arc::new(std::sync::Mutex::new(Interruptible::default()));
    on_ctrl_c_write_best(&instance, out, &state);
    let mut observer = Progress::new(quiet, state.clone());
    let outcome = solve::solve_observed(&instance, options, &mut observer).map_err(|e| anyhow::anyhow!(e))?;
    observer.finish();
    // From here the outputs are the final ones; Ctrl-C must not interleave.
    let mut guard = state.lock().unwrap_or_else(|e| e.into_inner());
    guard.finished = true;
    let instance: &Instance = &instance;

    let mut summary = serde_json::to_value(&outcome).expect("json");
    summary["status"] = serde_json::json!(outcome.status.as_str());
    summary["instance"] = serde_json::json!(instance_path.display().to_string());
    summary["solver"] = serde_json::json!(options.backend);
    summary["threads"] = serde_json::json!(options.threads);
    summary["seed"] = serde_json::json!(options.seed);
    if let Some(o) = &outcome.objective {
        summary["objective_total"] = serde_json::json!(o.total());
    }
    if let Some(t) = &outcome.timetable {
        io::write_timetable(&instance, t, &out.join("timetable.csv")).context("writing timetable.csv")?;
        // The checker is the second opinion on every timetable written.
        let report = check::check(&instance, t);
        summary["check"] = serde_json::json!({
            "hard_violations": report.violations.len(),
            "cost": report.cost.total(),
        });
        if !report.violations.is_empty() {
            eprintln!("BUG: the solver's timetable breaks {} hard rule(s):", report.violations.len());
            for v in &report.violations {
                eprintln!("  {}", v.message);
            }
        }
        if let Some(before) = &baseline {
            let changes = classplan::scenario::compare(&instance, before, t);
            summary["against_baseline"] = serde_json::json!({
                "sessions_moved": changes.moved,
                "instructor_changes": changes.instructor_changes,
                "room_changes": changes.room_changes,
            });
            if !quiet {
                println!(
                    "against the baseline: {} session(s) moved, {} instructor change(s), {} room change(s)",
                    changes.moved, changes.instructor_changes, changes.room_changes
                );
            }
        }
        if extras.report {
            write_report_files(&instance, t, instance_path, &out.join("report"))?;
        }
    }
    let findings = if outcome.status == Status::Infeasible { check::diagnose(&instance) } else { Vec::new() };
    if !findings.is_empty() {
        summary["diagnosis"] = serde_json::json!(findings);
    }
    io::write_atomically(&out.join("summary.json"), serde_json::to_string_pretty(&summary).expect("json").as_bytes())
        .context("writing summary.json")?;

    if !quiet {
        println!("status: {}", outcome.status.as_str());
        if let Some(o) = &outcome.objective {
            println!(
                "cost: {} (room_capacity {}, min_days {}, compactness {}, room_stability {}, availability {})",
                shown(o.total()),
                shown(o.room_capacity),
                shown(o.min_days),
                shown(o.compactness),
                shown(o.room_stability),
                shown(o.availability)
            );
        }
        if let (Some(b), Some(g)) = (outcome.bound, outcome.gap) {
            println!("bound: {b:.3}, gap: {:.2}%", g * 100.0);
        }
        println!("time: {:.1} s; model: {} columns, {} rows", outcome.seconds, outcome.model.stage1_columns, outcome.model.stage1_rows);
        if outcome.timetable.is_some() {
            println!("wrote {} and {}", out.join("timetable.csv").display(), out.join("summary.json").display());
        }
    }
    match outcome.status {
        Status::Optimal | Status::Feasible => Ok(()),
        Status::Infeasible => {
            println!("no timetable exists for this instance.");
            for f in &findings {
                println!("  {}", f.message);
            }
            if findings.is_empty() {
                println!("  (the diagnosis found no single cause; the rules conflict in combination)");
            }
            Err(Failure::No)
        }
        Status::NoTimetableInTime => {
            println!("no timetable was found within the time limit; allow more time");
            Err(Failure::No)
        }
    }
}

/// What Ctrl-C needs: the best timetable so far, and whether the final
/// outputs are being written (then the signal waits for them).
#[derive(Default)]
struct Interruptible {
    best: Option<(classplan::model::Timetable, solve::Objective)>,
    finished: bool,
}

/// On Ctrl-C (or SIGTERM) during a solve: write the best timetable found so
/// far and a summary saying the solve was interrupted, then exit 130. The
/// solver cannot be stopped in the middle of an integer program, so the
/// handler writes from what it was last told, which is always complete.
fn on_ctrl_c_write_best(instance: &std::sync::Arc<Instance>, out: &Path, state: &std::sync::Arc<std::sync::Mutex<Interruptible>>) {
    let instance = instance.clone();
    let state = state.clone();
    let out = out.to_path_buf();
    let installed = ctrlc::set_handler(move || {
        let guard = state.lock().unwrap_or_else(|e| e.into_inner());
        if guard.finished {
            return; // the final outputs are being written; let them finish
        }
        let code = match &guard.best {
            None => {
                eprintln!("\ninterrupted before any timetable was found; nothing written");
                130
            }
            Some((timetable, objective)) => {
                let report = check::check(&instance, timetable);
                let summary = serde_json::json!({
                    "status": "interrupted",
                    "objective_total": objective.total(),
                    "objective": objective,
                    "check": { "hard_violations": report.violations.len(), "cost": report.cost.total() },
                });
                let written = io::write_timetable(&instance, timetable, &out.join("timetable.csv")).and_then(|_| {
                    io::write_atomically(&out.join("summary.json"), serde_json::to_string_pretty(&summary).expect("json").as_bytes())
                });
                match written {
                    Ok(()) => {
                        eprintln!(
                            "\ninterrupted: wrote the best timetable so far (cost {}) to {}",
                            shown(objective.total()),
                            out.display()
                        );
                        130
                    }
                    Err(e) => {
                        eprintln!("\ninterrupted, and writing the best timetable failed: {e:#}");
                        2
                    }
                }
            }
        };
        std::process::exit(code);
    });
    if let Err(e) = installed {
        eprintln!("note: Ctrl-C will not save the timetable ({e})");
    }
}

/// The solve's progress on the terminal: step lines, and on a terminal a
/// live line with elapsed time, cost, bound and the last improvement.
/// Nothing with --quiet; no live line when stderr is not a terminal.
struct Progress {
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    state: std::sync::Arc<std::sync::Mutex<Interruptible>>,
    cost: Option<f64>,
    bound: Option<f64>,
    improved_at: Option<f64>,
}

impl Progress {
    fn new(quiet: bool, state: std::sync::Arc<std::sync::Mutex<Interruptible>>) -> Self {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}").expect("template"));
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
            bar
        });
        Progress { quiet, bar, state, cost: None, bound: None, improved_at: None }
    }

    fn refresh(&self) {
        if let Some(bar) = &self.bar {
            let cost = self.cost.map_or("-".to_string(), |c| format!("{}", shown(c)));
            let bound = self.bound.map_or("-".to_string(), |b| format!("{b:.2}"));
            let last = self.improved_at.map_or("-".to_string(), |t| format!("{t:.1} s"));
            bar.set_message(format!("cost {cost}  bound {bound}  last improvement at {last}"));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl solve::Observer for Progress {
    fn step(&mut self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None if !self.quiet => eprintln!("{line}"),
            None => {}
        }
    }

    fn incumbent(&mut self, timetable: &classplan::model::Timetable, objective: &solve::Objective, bound: Option<f64>, seconds: f64) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).best = Some((timetable.clone(), *objective));
        self.cost = Some(objective.total());
        self.bound = bound.or(self.bound);
        self.improved_at = Some(seconds);
        self.refresh();
    }

    fn heartbeat(&mut self, _cost: Option<f64>, bound: Option<f64>, _seconds: f64) {
        self.bound = bound.or(self.bound);
        self.refresh();
    }
}

/// A cost for people: sums of zero terms can come out as -0, which reads
/// like a bug.
fn shown(v: f64) -> f64 {
    v + 0.0
}

/// `OUT_DIR` -> `OUT_DIR.<suffix>` beside it.
fn sibling(dir: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let Some(name) = dir.file_name() else { bail!("{} is not a folder name", dir.display()) };
    Ok(dir.with_file_name(format!("{}.{suffix}", name.to_string_lossy())))
}

/// Creates the output folder; an existing non-empty one needs `--force`.
fn prepare_out_dir(dir: &Path, force: bool) -> anyhow::Result<()> {
    if dir.is_file() {
        bail!("{} is a file; expected an output folder", dir.display());
    }
    if dir.is_dir() && !force && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty; choose another folder or pass --force to replace its files", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

fn refuse_overwrite(path: &Path, force: bool) -> anyhow::Result<()> {
    if path.exists() && !force {
        bail!("{} exists; pass --force to replace it", path.display());
    }
    Ok(())
}

/// Output must never land in the instance folder: a planner's input files
/// are not ours to touch.
fn refuse_inside(out: &Path, instance: &Path) -> anyhow::Result<()> {
    if instance.is_dir() && io::is_inside(out, instance) {
        bail!("refusing to write into the instance folder {}; choose an --out folder outside it", instance.display());
    }
    Ok(())
}
