//! Why a run could not start or could not write its outputs. What a solve
//! finds (no timetable, an infeasible instance, a rejected timetable) is a
//! [`super::Status`] in the summary, not an error.

use std::path::PathBuf;

use crate::io::InputErrors;
use crate::report::ReportError;
use crate::solve::SolveError;

/// A run that did not get to its summary.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The instance, a scenario, the baseline or periods.csv is invalid;
    /// nothing was written.
    #[error("{0}")]
    Input(#[from] InputErrors),
    /// The baseline names a course, room, instructor or day the instance
    /// does not have; a solve needs a baseline of this very instance.
    #[error("{}:{line}: unknown {column} {value:?}", path.display())]
    BaselineUnknown { path: PathBuf, line: usize, column: String, value: String },
    /// The solve could not run (backend missing, instance too large, the
    /// MIP solver failed).
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The output would land in an input folder.
    #[error("refusing to write into the {what} folder {}; choose an --out folder outside it", folder.display())]
    InsideInput { what: &'static str, folder: PathBuf },
    /// The output folder holds files and replacing them was not asked for.
    #[error("{} is not empty; choose another folder or pass --force to replace its files", .0.display())]
    NotEmpty(PathBuf),
    /// An output file exists and replacing it was not asked for.
    #[error("{} exists; pass --force to replace it", .0.display())]
    Exists(PathBuf),
    /// The output folder's path is a file.
    #[error("{} is a file; expected an output folder", .0.display())]
    NotAFolder(PathBuf),
    /// Scenario folders are named so that two jobs would share an output
    /// folder, or one has no name at all.
    #[error("{0}")]
    ScenarioNames(String),
    /// Reading or writing a file or folder failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "writing".
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("starting the scenario thread pool: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
}

impl RunError {
    /// An I/O failure while writing `path`.
    pub(crate) fn writing(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> RunError {
        let path = path.into();
        move |source| RunError::Io { what: "writing", path, source }
    }

    /// An I/O failure while removing what an earlier run wrote at `path`.
    pub(crate) fn removing(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> RunError {
        let path = path.into();
        move |source| RunError::Io { what: "removing", path, source }
    }

    /// An I/O failure while creating or reading the folder `path`.
    pub(crate) fn folder(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> RunError {
        let path = path.into();
        move |source| RunError::Io { what: "creating", path, source }
    }

    /// Whether the error is a bug (exit 3) rather than a problem with the
    /// input or the machine (exit 2).
    pub fn is_internal(&self) -> bool {
        matches!(self, RunError::Solve(SolveError::Internal(_)))
    }
}
