//! What-if scenarios: overlays of a base instance, and how far a timetable
//! moved from a baseline.
//!
//! A scenario is a folder holding any subset of the instance files
//! (docs/format.md, Scenarios). [`read_scenario`] lays it over the base
//! instance; [`compare`] counts the sessions moved, instructors and rooms
//! changed, and who is affected. Solving scenarios side by side is a run
//! ([`crate::run::scenarios`]).

mod compare;
mod csv_rows;
mod overlay;

pub use compare::{compare, map_timetable, Changes};
pub use overlay::read_scenario;
