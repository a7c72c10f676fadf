//! How a solve ends: one status for the solver, summary.json, the
//! comparison of scenarios and the exit code.

/// How a solve ended, as summary.json, comparison.csv and the exit code
/// say it. The solver ends with one of the first four; the run, which
/// re-checks the solver's timetable, sets the last three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The solver proved its timetable optimal and the checker found it
    /// valid.
    Optimal,
    /// The checker found the timetable valid; the solver did not prove it
    /// optimal.
    Feasible,
    /// The solver proved that no timetable exists; `diagnosis` says why
    /// when it can, and `partial.csv` holds what fits.
    Infeasible,
    /// The time ran out first; `partial.csv` holds what fits.
    NoTimetableInTime,
    /// Stopped from outside (Ctrl-C); the best timetable so far, if any,
    /// is written and is complete and valid.
    Interrupted,
    /// The checker found hard violations in the solver's timetable: an
    /// internal error. The timetable is kept as `timetable.rejected.csv`.
    Rejected,
    /// The solve failed (see `error`); only a scenario job ends so, a
    /// single solve reports the error instead.
    Error,
}

impl Status {
    /// The snake_case name, as serialized.
    pub fn name(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::NoTimetableInTime => "no_timetable_in_time",
            Status::Interrupted => "interrupted",
            Status::Rejected => "rejected",
            Status::Error => "error",
        }
    }

    /// A timetable meeting every hard rule was found and not cut short.
    pub fn solved(self) -> bool {
        matches!(self, Status::Optimal | Status::Feasible)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
