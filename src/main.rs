//! The `classplan` command: a thin layer over the library. Flags become a
//! validated configuration, the library does the work, and the outcome
//! becomes an exit code:
//!
//! - 0: success;
//! - 1: the answer is "no" (violations, infeasible, no timetable in time);
//! - 2: input or usage error (nothing was written);
//! - 3: internal error: the checker rejected the solver's timetable (kept
//!   as `timetable.rejected.csv`), or the solver broke a rule of its own;
//! - 130: interrupted by Ctrl-C, with the best timetable so far written.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Parser;

use classplan::check;
use classplan::generate;
use classplan::io::{self, InputErrors};
use classplan::model::Instance;
use classplan::run::{self, RunError};

use cli::args::{Cli, Command};
use cli::shown;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            let run_error = e.downcast_ref::<RunError>();
            let input = e.downcast_ref::<InputErrors>().or(match run_error {
                Some(RunError::Input(errors)) => Some(errors),
                _ => None,
            });
            match input {
                Some(errors) => {
                    for err in &errors.0 {
                        eprintln!("error: {err}");
                    }
                    eprintln!("{} error(s); nothing was written.", errors.0.len());
                }
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::from(if run_error.is_some_and(RunError::is_internal) { cli::INTERNAL } else { 2 })
        }
    }
}

/// The answer "no": exit 1 (the details were printed already).
const NO: u8 = 1;

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check { instance, timetable, json } => check_command(&instance, timetable.as_deref(), json),
        Command::Solve(args) => cli::solve(&args),
        Command::Scenarios(args) => cli::scenarios(&args),
        Command::Generate { size, seed, out_dir, force } => {
            let planted_path = sibling(&out_dir, "planted.csv")?;
            run::prepare_out_dir(&out_dir, force)?;
            run::refuse_overwrite(&planted_path, force)?;
            let generated = generate::generate(size, seed);
            io::write_instance(&generated.instance, &out_dir).with_context(|| format!("writing {}", out_dir.display()))?;
            io::write_timetable(&generated.instance, &generated.planted, &planted_path)
                .with_context(|| format!("writing {}", planted_path.display()))?;
            println!("{}", summary_line(&generated.instance));
            println!("instance: {}\nplanted timetable: {}", out_dir.display(), planted_path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { instance: instance_path, timetable, out, force } => {
            let instance = load(&instance_path)?;
            let timetable = io::read_timetable(&timetable, &instance)?;
            // A report without the rows it cannot place would look complete.
            if let Some(row) = timetable.unresolved.first() {
                bail!("timetable line {}: unknown {} {:?}", row.line, row.column, row.value);
            }
            run::refuse_inside(&out, &instance_path, "instance")?;
            let dir = if instance_path.is_dir() { &instance_path } else { instance_path.parent().unwrap_or(Path::new(".")) };
            let options = classplan::report::ReportOptions::for_instance_dir(dir)?;
            run::prepare_out_dir(&out, force)?;
            let files = classplan::report::write_report(&instance, &timetable, &out, &options)?;
            for note in &files.notes {
                eprintln!("note: {note}");
            }
            let others = files.all().count().saturating_sub(1);
            println!("wrote {} and {others} other report files in {}", files.html.display(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::ImportCtt { file, out_dir, force } => {
            let instance = io::ctt::read_ctt(&file)?;
            run::prepare_out_dir(&out_dir, force)?;
            io::write_instance(&instance, &out_dir).with_context(|| format!("writing {}", out_dir.display()))?;
            println!("{}", summary_line(&instance));
            Ok(ExitCode::SUCCESS)
        }
        Command::ExportCtt { instance, timetable, out, force } => {
            let instance = load(&instance)?;
            let timetable = io::read_timetable(&timetable, &instance)?;
            if let Some(row) = timetable.unresolved.first() {
                bail!("timetable line {}: unknown {} {:?}", row.line, row.column, row.value);
            }
            if let Some(p) = timetable.undecided.first() {
                bail!("timetable line {}: the room or instructor is empty; an ITC-2007 solution needs both", p.line);
            }
            run::refuse_overwrite(&out, force)?;
            io::write_atomically(&out, io::ctt::solution_text(&instance, &timetable).as_bytes())
                .with_context(|| format!("writing {}", out.display()))?;
            Ok(ExitCode::SUCCESS)
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

fn check_command(instance_path: &Path, timetable: Option<&Path>, json: bool) -> anyhow::Result<ExitCode> {
    let instance = load(instance_path)?;
    let answer = |yes: bool| if yes { ExitCode::SUCCESS } else { ExitCode::from(NO) };
    let Some(path) = timetable else {
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
            if infeasible {
                println!("no timetable exists for this instance:");
            }
            print!("{}", run::findings_text(&findings, "  "));
            if findings.is_empty() {
                println!("no input errors; the diagnosis found no reason the instance cannot be solved");
            }
        }
        return Ok(answer(!infeasible));
    };
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
        let terms: Vec<String> = c.components().iter().map(|(name, v)| format!("{name} {}", shown(*v))).collect();
        println!("cost {} = {}", shown(c.total()), terms.join(" + "));
    }
    Ok(answer(report.violations.is_empty()))
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

/// `OUT_DIR` -> `OUT_DIR.<suffix>` beside it.
fn sibling(dir: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let Some(name) = dir.file_name() else { bail!("{} is not a folder name", dir.display()) };
    Ok(dir.with_file_name(format!("{}.{suffix}", name.to_string_lossy())))
}
