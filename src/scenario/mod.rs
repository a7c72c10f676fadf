//! What-if scenarios: overlays of a base instance, solved side by side.
//!
//! A scenario is a folder holding any subset of the instance files
//! (FORMAT.md, Scenarios). [`read_scenario`] lays it over the base
//! instance; [`run_scenarios`] solves the base and every scenario in one
//! explicitly sized rayon pool and compares each timetable with a baseline:
//! sessions moved, instructors and rooms changed, who is affected. This is
//! the crate's only user of rayon.

mod compare;
mod csv_rows;
mod overlay;
mod run;

pub use compare::{compare, map_timetable, Changes};
pub use overlay::read_scenario;
pub use run::{job_names, run_scenarios, scenario_name, scenarios_command, Comparison, ComparisonRow, Event, RunOptions, BASE};
