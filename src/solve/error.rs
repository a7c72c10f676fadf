//! Why a solve could not run. Input errors are the reader's; an instance
//! that has no timetable is an outcome (`Status::Infeasible`), not an error.

/// A solve that did not run to an outcome.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// `--solver` names a backend this build was compiled without.
    #[error("the {} solver is not compiled into this build", .0.name())]
    BackendUnavailable(super::Backend),
    /// The per-period tables would not fit in memory; nothing was built.
    #[error("{0}")]
    TooLarge(String),
    /// The MIP solver failed (not: found nothing, or proved infeasibility).
    #[error("the MIP solver failed: {0}")]
    Solver(String),
    /// The instance sets a rule of FORMAT.md version 2 that the solver does
    /// not place yet; `at` is the first cell setting it, when read from
    /// files.
    #[error("{}the instance uses {}, which the solver does not place yet; `classplan check` checks it", at.as_ref().map(|c| format!("{c}: ")).unwrap_or_default(), rule_phrase(*.rule))]
    RuleNotPlaced { rule: crate::model::ProgrammeRule, at: Option<crate::model::SourceCell> },
    /// A rule of the method was broken; a bug to report.
    #[error("internal error: {0}")]
    Internal(String),
}

// Transitional: the stages still report failures as text.
impl From<String> for SolveError {
    fn from(message: String) -> Self {
        SolveError::Solver(message)
    }
}

/// The rule as a planner names it in a sentence.
fn rule_phrase(rule: crate::model::ProgrammeRule) -> String {
    use crate::model::ProgrammeRule as R;
    match rule {
        R::Block => "a course block above 1 (courses.csv, block)".into(),
        R::MaxSpanDays => "a course's max_span_days (courses.csv)".into(),
        R::Site => "rooms at more than one site (rooms.csv, site)".into(),
        R::MaxDays => "an instructor's max_days (instructors.csv)".into(),
        R::HardRelation => "a hard relation (relations.csv, no weight)".into(),
    }
}
