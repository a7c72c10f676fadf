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
