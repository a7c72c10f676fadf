//! Files in and out: instance folders, timetables, period times, ITC-2007
//! files.
//!
//! [`schema`] names every file and its columns; `table` applies the CSV
//! rules all of them share. Readers turn CSV rows into [`crate::model`]
//! values and collect every problem as an [`InputError`] naming file, line
//! and column. Writers go through a temporary file renamed into place, so a
//! crash or an error never leaves a half-written file behind.

mod cells;
pub mod ctt;
mod error;
mod folder;
mod read_instance;
mod read_programme;
mod read_timetable;
pub mod schema;
pub(crate) mod table;
mod write;

pub use error::{InputError, InputErrors};
pub(crate) use folder::misnamed_files;
pub use read_instance::read_instance;
pub use read_timetable::read_timetable;
// Entry points for the fuzz targets in fuzz/: the readers on bytes in memory.
#[doc(hidden)]
pub use read_instance::fuzz_parse_instance_files;
#[doc(hidden)]
pub use read_timetable::fuzz_parse_timetable;
pub use write::{is_inside, timetable_csv, write_atomically, write_instance, write_timetable, write_unplaced};
