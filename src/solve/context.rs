//! What every stage of a solve reads (the instance, the options, the
//! clock, the candidate tables) and what a stage hands back.

use std::time::Instant;

use super::backend::{RunLimits, RunStatus};
use super::candidates::{Calendars, Candidates};
use super::pricing::relative_gap;
use super::rooms::Session;
use super::{ModelSize, Objective, SolveOptions, SolveOutcome, Status};
use crate::check::ConflictGraph;
use crate::model::{CourseIdx, Instance, InstructorIdx, Placement, RoomIdx, Timetable};

/// What every stage needs.
pub(super) struct Context<'a> {
    pub(super) instance: &'a Instance,
    pub(super) options: &'a SolveOptions,
    pub(super) started: Instant,
    pub(super) cal: Calendars,
    pub(super) cand: Candidates,
    /// Maximal cliques of the conflict graph (three courses or more).
    pub(super) cliques: Vec<Vec<CourseIdx>>,
}

/// A timetable with its priced objective.
pub(super) struct Found {
    pub(super) timetable: Timetable,
    pub(super) objective: Objective,
}

/// One method's result.
pub(super) struct Attempt {
    pub(super) status: RunStatus,
    pub(super) found: Option<Found>,
    pub(super) bound: f64,
}

impl Attempt {
    /// What the solver minimised, if the run has a timetable.
    pub(super) fn cost(&self) -> Option<f64> {
        self.found.as_ref().map(|f| f.objective.minimised())
    }
}

impl<'a> Context<'a> {
    pub(super) fn new(instance: &'a Instance, options: &'a SolveOptions, started: Instant) -> Self {
        let cal = Calendars::new(instance);
        let cand = Candidates::new(instance, &cal);
        let cliques = ConflictGraph::new(instance).maximal_cliques(3);
        Context { instance, options, started, cal, cand, cliques }
    }

    /// Threads one integer program may use: one under a work limit, so the
    /// timetable does not depend on the machine's thread count (HiGHS's
    /// search can differ with its threads), else as asked.
    pub(super) fn mip_threads(&self) -> u32 {
        match self.options.node_limit {
            Some(_) => 1,
            None => self.options.threads.max(1),
        }
    }

    pub(super) fn seconds_left(&self) -> Option<f64> {
        self.options.time_limit.map(|t| t - self.started.elapsed().as_secs_f64())
    }

    /// Limits for a MIP that may use `share` of the time left.
    pub(super) fn limits(&self, share: f64) -> RunLimits {
        RunLimits {
            time_limit: self.options.time_limit.map(|t| ((t - self.started.elapsed().as_secs_f64()) * share).max(0.05)),
            threads: self.mip_threads(),
            seed: self.options.seed,
            node_limit: self.options.node_limit,
            verbose: self.options.verbose,
        }
    }

    /// Limits for a short auxiliary MIP: `share` of the time left, at most
    /// `cap` seconds (none when infinite), or the node limit alone in
    /// deterministic runs.
    pub(super) fn limits_capped(&self, share: f64, cap: f64) -> RunLimits {
        let mut limits = self.limits(share);
        if self.options.node_limit.is_none() && cap.is_finite() {
            limits.time_limit = Some(limits.time_limit.map_or(cap, |t| t.min(cap)));
        }
        limits
    }

    pub(super) fn outcome(&self, status: Status, found: Option<Found>, size: ModelSize) -> SolveOutcome {
        let (timetable, objective) = found.map_or((None, None), |f| (Some(f.timetable), Some(f.objective)));
        SolveOutcome {
            status,
            timetable,
            partial: None,
            objective,
            bound: None,
            gap: None,
            seconds: self.started.elapsed().as_secs_f64(),
            first_timetable_seconds: None,
            model: size,
            interrupted: self.options.cancel.is_cancelled(),
        }
    }

    pub(super) fn timetable(&self, sessions: &[Session], room_of: &[RoomIdx], teacher: &[InstructorIdx]) -> Timetable {
        let placements = sessions
            .iter()
            .zip(room_of)
            .map(|(s, &room)| Placement {
                course: CourseIdx(s.course),
                slot: self.instance.calendar.slot(s.slot),
                room,
                instructor: teacher[s.course],
            })
            .collect();
        Timetable::new(placements)
    }
}

impl SolveOutcome {
    pub(super) fn with_bound(mut self, bound: Option<f64>) -> Self {
        self.bound = bound;
        self.gap = match (self.objective, bound) {
            (Some(o), Some(b)) => Some(relative_gap(o.minimised(), b)),
            _ => None,
        };
        self
    }
}
