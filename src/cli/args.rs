//! The command line as clap reads it, and the one validation per flag
//! that turns it into a library configuration: `solve` and `scenarios`
//! share every rule.

use std::path::PathBuf;

use anyhow::bail;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use classplan::generate::Size;
use classplan::run::{ScenariosConfig, Settings, SolveConfig};
use classplan::solve::{Backend, Cancel, Method};

#[derive(Parser)]
#[command(name = "classplan", version, about = "Class timetables and instructor assignment by integer programming")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    Solve(SolveArgs),
    /// Make a synthetic instance around a planted feasible timetable (written
    /// beside the folder as OUT_DIR.planted.csv).
    Generate {
        /// How big an instance to make.
        #[arg(long, value_parser = PossibleValuesParser::new(Size::ALL.map(Size::name)).map(|s| s.parse::<Size>().expect("a listed size")))]
        size: Size,
        /// Random seed of the generator: the same size and seed give the same instance.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write the instance into.
        out_dir: PathBuf,
        /// Replace an existing folder's files.
        #[arg(long)]
        force: bool,
    },
    /// Solve the base instance and what-if scenario folders side by side and
    /// compare them.
    Scenarios(ScenariosArgs),
    /// Write views people read: CSV grids and lists, an HTML page, an Excel
    /// workbook and iCalendar files.
    Report {
        /// Instance folder (or an ITC-2007 .ctt file).
        instance: PathBuf,
        /// The timetable.csv to show.
        timetable: PathBuf,
        /// Output folder for the report.
        #[arg(long)]
        out: PathBuf,
        /// Replace files already in the output folder.
        #[arg(long)]
        force: bool,
    },
    /// Convert an ITC-2007 track 3 .ctt file into an instance folder.
    ImportCtt {
        /// The .ctt file.
        file: PathBuf,
        /// Folder to write the instance into.
        out_dir: PathBuf,
        /// Replace an existing folder's files.
        #[arg(long)]
        force: bool,
    },
    /// Write a timetable in the ITC-2007 solution format.
    ExportCtt {
        /// Instance folder (or an ITC-2007 .ctt file).
        instance: PathBuf,
        /// The timetable.csv to convert.
        timetable: PathBuf,
        /// The solution file to write.
        out: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
pub struct SolveArgs {
    /// Instance folder (or an ITC-2007 .ctt file).
    pub instance: PathBuf,
    /// Output folder for timetable.csv and summary.json (created; it must
    /// be empty, or --force given, and outside the instance folder).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub limits: Limits,
    /// Random seed of the solver. Same seed and --node-limit, same
    /// timetable, with any --threads. Under a clock, a stage stopped by its
    /// time cap depends on the machine's speed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Deterministic work limit for the neighbourhood search: rounds
    /// (default under --node-limit: 40).
    #[arg(long)]
    pub rounds: Option<u64>,
    /// How to spend the time: `search` improves by neighbourhoods
    /// between the integer programs; `monolithic` runs only the whole
    /// integer programs (slower on large plans; kept for comparison).
    #[arg(long, default_value = "search", value_parser = method_parser())]
    pub method: Method,
    /// MIP solver (default: highs when compiled in).
    #[arg(long = "solver", value_parser = backend_parser())]
    pub solver: Option<Backend>,
    #[command(flatten)]
    pub output: OutputFlags,
    /// Show the MIP solver's log.
    #[arg(long)]
    pub verbose: bool,
    /// Also write the readable report (HTML, Excel, CSV views, calendars)
    /// into OUT/report.
    #[arg(long)]
    pub report: bool,
    /// A published timetable of this instance to compare with, and with
    /// --stable to change as little as possible ("repair the plan").
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Minimal perturbation against --baseline.
    #[arg(long, requires = "baseline")]
    pub stable: bool,
    /// Cost of each session moved, instructor changed or room changed
    /// (with --stable).
    #[arg(long, default_value_t = 10.0, allow_negative_numbers = true)]
    pub move_weight: f64,
}

#[derive(Args)]
pub struct ScenariosArgs {
    /// Base instance folder.
    pub instance: PathBuf,
    /// Scenario folders (partial instance files, remove.csv).
    #[arg(required = true)]
    pub scenario_dirs: Vec<PathBuf>,
    /// Output folder: comparison.csv and a folder per scenario (created; it
    /// must be empty, or --force given, and outside every input folder).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub limits: Limits,
    /// Compare against (and with --stable, stay close to) this timetable
    /// of the base instance; default: the base's own solution.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Minimal perturbation: moving sessions, instructors or rooms costs.
    #[arg(long)]
    pub stable: bool,
    /// Cost of each session moved, instructor changed or room changed
    /// (with --stable).
    #[arg(long, default_value_t = 10.0, allow_negative_numbers = true)]
    pub move_weight: f64,
    #[command(flatten)]
    pub output: OutputFlags,
}

/// How long and on how many threads `solve` and `scenarios` work; one
/// validation for both.
#[derive(Args)]
pub struct Limits {
    /// Stop after this many seconds with the best timetable found (with
    /// `scenarios`, per scenario, not for the whole run; at most 1e9).
    #[arg(long, allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
    /// Threads. `solve`: the search re-solves this many parts of the
    /// timetable at once, and under a clock the first integer program runs
    /// once per thread (up to 4), each with its own seed, keeping the best
    /// start. `scenarios`: threads in all, split between the scenarios and
    /// their solvers.
    #[arg(long, default_value_t = 1)]
    pub threads: u32,
    /// Deterministic work limit: branch-and-bound nodes per integer
    /// program (with `scenarios`, of each scenario).
    #[arg(long)]
    pub node_limit: Option<u64>,
}

/// What `solve` and `scenarios` do about the output folder and the
/// terminal.
#[derive(Args)]
pub struct OutputFlags {
    /// Replace files already in the output folder.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

fn method_parser() -> impl TypedValueParser<Value = Method> {
    PossibleValuesParser::new(Method::ALL.map(Method::name)).map(|s| s.parse::<Method>().expect("a listed method"))
}

fn backend_parser() -> impl TypedValueParser<Value = Backend> {
    PossibleValuesParser::new(Backend::ALL.map(Backend::name)).map(|s| s.parse::<Backend>().expect("a listed solver"))
}

/// The longest `--time-limit` taken: beyond it a clock is no limit, and
/// deadlines computed from it overflow.
const MOST_SECONDS: f64 = 1e9;

fn threads(n: u32) -> anyhow::Result<u32> {
    if n == 0 {
        bail!("--threads must be at least 1");
    }
    Ok(n)
}

fn time_limit(seconds: Option<f64>) -> anyhow::Result<Option<f64>> {
    match seconds {
        Some(t) if !(t > 0.0 && t <= MOST_SECONDS) => {
            bail!("--time-limit must be a positive number of seconds, at most {MOST_SECONDS:e} (got {t})")
        }
        _ => Ok(seconds),
    }
}

fn move_weight(weight: f64) -> anyhow::Result<f64> {
    if !(weight >= 0.0 && weight.is_finite()) {
        bail!("--move-weight must be a number >= 0 (got {weight})");
    }
    Ok(weight)
}

fn node_limit(nodes: Option<u64>) -> anyhow::Result<Option<u64>> {
    if nodes == Some(0) {
        bail!("--node-limit must be at least 1");
    }
    Ok(nodes)
}

impl SolveArgs {
    pub fn config(&self, cancel: Cancel) -> anyhow::Result<SolveConfig> {
        let settings = Settings {
            backend: self.solver.unwrap_or_else(Backend::default_available),
            method: self.method,
            threads: threads(self.limits.threads)?,
            seed: self.seed,
            time_limit: time_limit(self.limits.time_limit)?,
            node_limit: node_limit(self.limits.node_limit)?,
            rounds: self.rounds,
            stable: self.stable,
            move_weight: move_weight(self.move_weight)?,
        };
        Ok(SolveConfig {
            settings,
            verbose: self.verbose,
            baseline: self.baseline.clone(),
            report: self.report,
            force: self.output.force,
            cancel,
        })
    }
}

impl ScenariosArgs {
    pub fn config(&self, cancel: Cancel) -> anyhow::Result<ScenariosConfig> {
        let settings = Settings {
            threads: threads(self.limits.threads)?,
            time_limit: time_limit(self.limits.time_limit)?,
            node_limit: node_limit(self.limits.node_limit)?,
            stable: self.stable,
            move_weight: move_weight(self.move_weight)?,
            ..Settings::default()
        };
        Ok(ScenariosConfig { settings, baseline: self.baseline.clone(), force: self.output.force, cancel })
    }
}
