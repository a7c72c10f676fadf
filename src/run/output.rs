//! The refusals that protect a planner's files, checked before anything is
//! written: output never inside an input folder, and files already there
//! replaced only when asked (`--force`).

use std::path::Path;

use super::{RunError, PARTIAL_FILE, REJECTED_FILE, REPORT_DIR, SUMMARY_FILE, TIMETABLE_FILE, UNPLACED_FILE};
use crate::io;

/// Creates the output folder; an existing non-empty one needs `force`.
/// With `force`, what an earlier run wrote there goes first: a timetable
/// left from a run that found one must not sit beside the summary of a run
/// that found none. Files the run does not write are left alone.
pub fn prepare_out_dir(dir: &Path, force: bool) -> Result<(), RunError> {
    if dir.is_file() {
        return Err(RunError::NotAFolder(dir.to_path_buf()));
    }
    if dir.is_dir() && !force && std::fs::read_dir(dir).map_err(RunError::folder(dir))?.next().is_some() {
        return Err(RunError::NotEmpty(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(RunError::folder(dir))?;
    if force {
        clear_earlier_run(dir)?;
    }
    Ok(())
}

/// Removes the files a solve writes into its folder, where present.
pub(crate) fn clear_earlier_run(dir: &Path) -> Result<(), RunError> {
    for name in [TIMETABLE_FILE, REJECTED_FILE, PARTIAL_FILE, UNPLACED_FILE, SUMMARY_FILE] {
        let path = dir.join(name);
        if path.is_file() {
            std::fs::remove_file(&path).map_err(RunError::removing(&path))?;
        }
    }
    let report = dir.join(REPORT_DIR);
    if report.is_dir() {
        std::fs::remove_dir_all(&report).map_err(RunError::removing(&report))?;
    }
    Ok(())
}

/// Refuses to replace an existing file unless `force`.
pub fn refuse_overwrite(path: &Path, force: bool) -> Result<(), RunError> {
    if path.exists() && !force {
        return Err(RunError::Exists(path.to_path_buf()));
    }
    Ok(())
}

/// Refuses an output path inside the input folder `input` (`what` names it
/// in the message: "instance", "input"). An input that is a file (a `.ctt`)
/// has no folder to protect.
pub fn refuse_inside(out: &Path, input: &Path, what: &'static str) -> Result<(), RunError> {
    if input.is_dir() && io::is_inside(out, input) {
        return Err(RunError::InsideInput { what, folder: input.to_path_buf() });
    }
    Ok(())
}
