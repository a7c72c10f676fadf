//! Progress on the terminal, from the run's events: for a solve, step
//! lines and on a terminal a live line with elapsed time, cost, bound and
//! the last improvement; for scenarios, a line per job. Nothing with
//! --quiet; no live lines when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use classplan::run::Event;

use super::shown;

/// A solve's display.
pub struct SolveProgress {
    quiet: bool,
    /// Printed when the solve starts: the instance and its size.
    header: String,
    bar: Option<ProgressBar>,
    cost: Option<f64>,
    bound: Option<f64>,
    improved_at: Option<f64>,
}

impl SolveProgress {
    pub fn new(quiet: bool, header: String) -> Self {
        SolveProgress { quiet, header, bar: None, cost: None, bound: None, improved_at: None }
    }

    pub fn event(&mut self, event: Event) {
        match event {
            Event::Started { .. } => {
                if self.quiet {
                    return;
                }
                eprintln!("{}", self.header);
                if std::io::stderr().is_terminal() {
                    let bar = ProgressBar::new_spinner();
                    bar.set_style(ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}").expect("template"));
                    bar.enable_steady_tick(Duration::from_millis(250));
                    self.bar = Some(bar);
                }
            }
            Event::Step { line, .. } => match &self.bar {
                Some(bar) => bar.println(line),
                None if !self.quiet => eprintln!("{line}"),
                None => {}
            },
            Event::Incumbent { cost, bound, seconds, .. } => {
                self.cost = Some(cost);
                self.bound = bound.or(self.bound);
                self.improved_at = Some(seconds);
                self.refresh();
            }
            Event::Heartbeat { bound, .. } => {
                self.bound = bound.or(self.bound);
                self.refresh();
            }
            Event::Finished { .. } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
            }
        }
    }

    fn refresh(&self) {
        if let Some(bar) = &self.bar {
            let cost = self.cost.map_or("-".to_string(), |c| format!("{}", shown(c)));
            let bound = self.bound.map_or("-".to_string(), |b| format!("{b:.2}"));
            let last = self.improved_at.map_or("-".to_string(), |t| format!("{t:.1} s"));
            bar.set_message(format!("cost {cost}  bound {bound}  last improvement at {last}"));
        }
    }
}

/// One progress line per job on a terminal; a line per finished job when
/// stderr is not a terminal; nothing when quiet.
pub struct ScenariosProgress {
    multi: Option<MultiProgress>,
    bars: Vec<(String, ProgressBar)>,
    plain: bool,
    lock: Mutex<()>,
}

impl ScenariosProgress {
    pub fn new(names: &[String], quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return ScenariosProgress { multi: None, bars: Vec::new(), plain: !quiet, lock: Mutex::new(()) };
        }
        let multi = MultiProgress::new();
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let style = ProgressStyle::with_template(&format!("{{spinner}} {{prefix:<{width}}}  {{elapsed:>4}}  {{wide_msg}}"))
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bars = names
            .iter()
            .map(|n| {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(style.clone());
                bar.set_prefix(n.clone());
                bar.set_message("waiting");
                (n.clone(), bar)
            })
            .collect();
        ScenariosProgress { multi: Some(multi), bars, plain: false, lock: Mutex::new(()) }
    }

    fn bar(&self, job: Option<&str>) -> Option<&ProgressBar> {
        self.bars.iter().find(|(n, _)| Some(n.as_str()) == job).map(|(_, b)| b)
    }

    pub fn event(&self, event: Event) {
        match event {
            Event::Started { job } => {
                if let Some(b) = self.bar(job) {
                    b.reset_elapsed();
                    b.enable_steady_tick(Duration::from_millis(120));
                    b.set_message("solving");
                }
            }
            Event::Step { job, line } => {
                if let Some(b) = self.bar(job) {
                    b.set_message(line.to_string());
                }
            }
            Event::Incumbent { .. } | Event::Heartbeat { .. } => {}
            Event::Finished { job, status, seconds } => {
                if let Some(b) = self.bar(job) {
                    b.finish_with_message(format!("{status} in {seconds:.1} s"));
                } else if self.plain {
                    // Lines from parallel jobs must not interleave.
                    let _guard = self.lock.lock();
                    eprintln!("{}: {status} in {seconds:.1} s", job.unwrap_or_default());
                }
            }
        }
    }

    pub fn clear(&self) {
        if let Some(m) = &self.multi {
            let _ = m.clear();
        }
    }
}
