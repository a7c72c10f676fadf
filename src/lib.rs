//! classplan: class timetables and instructor assignment by integer
//! programming.
//!
//! The data flows one way:
//! 1. [`io`] reads an instance folder (CSV, or an ITC-2007 `.ctt` file) into
//!    the domain types of [`model`], collecting every input error;
//! 2. [`solve`] builds an integer program with `good_lp` and turns its
//!    solution into a [`model::Timetable`];
//! 3. [`check`] re-checks any timetable against the rules with a conflict
//!    graph of its own, never trusting the solver, and prices it;
//! 4. [`scenario`] overlays what-if changes on an instance and compares
//!    timetables with a baseline;
//! 5. [`run`] ties them into a solve into an output folder, alone or with
//!    scenarios in parallel, and writes one summary per solve; [`report`]
//!    and [`io`] write what planners read.
//!
//! [`generate`] makes synthetic instances around a planted timetable for
//! tests and benchmarks.

pub mod check;
pub mod generate;
pub mod io;
pub mod model;
pub mod report;
pub mod run;
pub mod scenario;
pub mod solve;
