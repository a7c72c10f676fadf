//! Whether an instance's per-period tables fit in memory, asked before
//! anything is built.

use super::backend::Col;
use super::{SolveError, SolveOptions};
use crate::model::Instance;

/// Refuses, before anything is built, an instance whose per-period tables
/// would not fit in memory: a clear error instead of the system killing the
/// process. The figure counts the tables every solve builds (one entry per
/// course, instructor, room and cohort per period) and one model per thread.
pub fn check_memory(instance: &Instance, options: &SolveOptions) -> Result<(), SolveError> {
    let needed = estimate_memory(instance, options.threads);
    let Some(available) = available_memory() else { return Ok(()) };
    if needed as f64 > 0.8 * available as f64 {
        return Err(SolveError::TooLarge(format!(
            "this instance is too large to model in memory: about {:.1} GB needed ({} courses x {} periods), {:.1} GB available; \
             split the calendar into terms or plan fewer courses at once",
            needed as f64 / 1e9,
            instance.courses.len(),
            instance.calendar.num_slots(),
            available as f64 / 1e9
        )));
    }
    Ok(())
}

/// Bytes the per-period tables take: a flag and a penalty per entity and
/// period, plus a column slot per course and period in each model built.
pub fn estimate_memory(instance: &Instance, threads: u32) -> u64 {
    let periods = instance.calendar.num_slots() as u64;
    let entities = (instance.courses.len() + instance.instructors.len() + instance.rooms.len() + instance.cohorts.len()) as u64;
    let per_model = instance.courses.len() as u64 * periods * std::mem::size_of::<Option<Col>>() as u64;
    entities * periods * (std::mem::size_of::<bool>() + std::mem::size_of::<f64>()) as u64 + per_model * (1 + threads.max(1) as u64)
}

/// MemAvailable from /proc/meminfo (Linux); None elsewhere.
fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
