//! The binary's side of the two solving commands: a validated
//! configuration, Ctrl-C, progress on the terminal, what is printed at the
//! end and the exit code. The library does the work and prints nothing.

pub mod args;
mod progress;

use std::process::ExitCode;

use classplan::run::{self, RunReport, Status};
use classplan::solve::Cancel;

use args::{ScenariosArgs, SolveArgs};
use progress::{ScenariosProgress, SolveProgress};

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT).
pub const INTERRUPTED: u8 = 130;
/// Exit code of an internal error: a bug to report.
pub const INTERNAL: u8 = 3;

/// `classplan solve`.
pub fn solve(args: &SolveArgs) -> anyhow::Result<ExitCode> {
    let cancel = Cancel::default();
    let config = args.config(cancel.clone())?;
    let instance = crate::load(&args.instance)?;
    let header = format!("{}: {}", args.instance.display(), crate::summary_line(&instance));
    let mut display = SolveProgress::new(args.output.quiet, header);
    on_ctrl_c(&cancel);
    let report = run::solve_into(&instance, &args.instance, &args.out, &config, &mut |e| display.event(e))?;
    show(&report, args.output.quiet);
    Ok(ExitCode::from(match report.summary.status {
        Status::Optimal | Status::Feasible => 0,
        Status::Infeasible | Status::NoTimetableInTime | Status::Error => 1,
        Status::Interrupted => INTERRUPTED,
        Status::Rejected => INTERNAL,
    }))
}

/// `classplan scenarios`.
pub fn scenarios(args: &ScenariosArgs) -> anyhow::Result<ExitCode> {
    let cancel = Cancel::default();
    let config = args.config(cancel.clone())?;
    let names = run::job_names(&args.scenario_dirs)?;
    let display = ScenariosProgress::new(&names, args.output.quiet);
    on_ctrl_c(&cancel);
    let comparison = run::scenarios(&args.instance, &args.scenario_dirs, &args.out, &config, &|e| display.event(e));
    display.clear();
    let comparison = comparison?;
    if !args.output.quiet {
        print!("{}", comparison.text());
        println!("wrote {} and a folder per scenario", args.out.join(run::COMPARISON_FILE).display());
    }
    Ok(ExitCode::from(if comparison.any(Status::Rejected) {
        INTERNAL
    } else if comparison.any(Status::Interrupted) {
        INTERRUPTED
    } else if comparison.all_solved() {
        0
    } else {
        1
    }))
}

/// The first Ctrl-C (or SIGTERM) asks the run to stop: it ends with the
/// best timetable so far, written as any other. A second one quits at once.
fn on_ctrl_c(cancel: &Cancel) {
    let cancel = cancel.clone();
    let installed = ctrlc::set_handler(move || {
        if cancel.is_cancelled() {
            std::process::exit(INTERRUPTED.into());
        }
        cancel.cancel();
        eprintln!("\nstopping: writing the best timetable so far (Ctrl-C again to quit at once)");
    });
    if let Err(e) = installed {
        eprintln!("note: Ctrl-C will not save the timetable ({e})");
    }
}

/// What a solve found, for the planner.
fn show(report: &RunReport, quiet: bool) {
    let s = &report.summary;
    if let Some(files) = &report.report {
        for note in &files.notes {
            eprintln!("note: {note}");
        }
        let dir = report.out.join(run::REPORT_DIR);
        println!("wrote {} and {} other report files in {}", files.html.display(), files.all().count().saturating_sub(1), dir.display());
    }
    if let (Some(changes), false) = (&s.changes, quiet) {
        println!(
            "against the baseline: {} session(s) moved, {} instructor change(s), {} room change(s)",
            changes.moved, changes.instructor_changes, changes.room_changes
        );
    }
    if !quiet {
        println!("status: {}", s.status);
        if let Some(c) = &s.cost {
            println!("cost: {} ({})", shown(c.total), c.parts.listed(shown));
        }
        if let (Some(b), Some(g)) = (s.bound, s.gap) {
            println!("bound: {b:.3}, gap: {:.2}%", g * 100.0);
        }
        println!("time: {:.1} s; model: {} columns, {} rows", s.seconds, s.model.stage1_columns, s.model.stage1_rows);
        if let Some(timetable) = report.timetable().filter(|_| s.status != Status::Rejected) {
            println!("wrote {} and {}", timetable.display(), report.out.join(run::SUMMARY_FILE).display());
        }
    }
    print!("{}", s.explanation(""));
    match s.status {
        Status::Optimal | Status::Feasible | Status::Error | Status::Infeasible | Status::NoTimetableInTime => {}
        Status::Interrupted => match (report.timetable(), &s.cost) {
            (Some(_), Some(c)) => {
                eprintln!("interrupted: wrote the best timetable so far (cost {}) to {}", shown(c.total), report.out.display())
            }
            _ => eprintln!("interrupted before any timetable was found; only {} was written", run::SUMMARY_FILE),
        },
        Status::Rejected => {
            let violations = s.check.as_ref().map_or(&[][..], |c| &c.violations[..]);
            eprintln!("BUG: the solver's timetable breaks {} hard rule(s):", violations.len());
            for v in violations {
                eprintln!("  {v}");
            }
            if let Some(path) = report.timetable() {
                eprintln!("it is kept as {} for the bug report; no timetable.csv was written", path.display());
            }
        }
    }
}

/// A cost for people: sums of zero terms can come out as -0, which reads
/// like a bug.
pub fn shown(v: f64) -> f64 {
    v + 0.0
}
