//! The files of `instances/tiny`, compiled in: the fuzz targets replace one
//! of them, or read a timetable against them, without touching the disk.

pub const FILES: [(&str, &[u8]); 8] = [
    ("calendar.csv", include_bytes!("../../instances/tiny/calendar.csv")),
    ("rooms.csv", include_bytes!("../../instances/tiny/rooms.csv")),
    ("instructors.csv", include_bytes!("../../instances/tiny/instructors.csv")),
    ("cohorts.csv", include_bytes!("../../instances/tiny/cohorts.csv")),
    ("courses.csv", include_bytes!("../../instances/tiny/courses.csv")),
    ("availability.csv", include_bytes!("../../instances/tiny/availability.csv")),
    ("pins.csv", include_bytes!("../../instances/tiny/pins.csv")),
    ("weights.csv", include_bytes!("../../instances/tiny/weights.csv")),
];
