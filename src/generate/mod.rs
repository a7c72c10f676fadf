//! Synthetic instances built around a planted timetable.
//!
//! The generator decides the demand first (cohorts with their windows,
//! subjects, instructors, courses, rooms), then places every session at
//! random where it fits, and only then derives the constraints that could
//! exclude a placement (hard unavailability, pins, teaching limits, fixed
//! instructors) from what was placed. So every instance is feasible by
//! construction: the planted timetable is a witness. Its placement is
//! random-ish rather than optimised, so its cost is an upper bound that a
//! solver should beat.
//!
//! Everything is drawn from one `ChaCha8Rng` seeded with the caller's seed
//! and only `Vec`s and B-trees are iterated, so a seed always gives the same
//! instance.

mod dates;
mod demand;
mod derive;
mod plant;

use std::fmt;
use std::str::FromStr;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{Calendar, Day, Instance, Timetable};

/// How big an instance to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Size {
    /// About 10 days x 2 periods, 3 cohorts, 40 sessions.
    Small,
    /// About 60 slots, 8 cohorts, 200 sessions.
    Medium,
    /// 60 days x 2 periods, 15 cohorts, about 800 sessions.
    Large,
    /// A teaching year: 250 days x 2 periods, 40 cohorts, about 5,000 sessions.
    Year,
}

impl Size {
    pub const ALL: [Size; 4] = [Size::Small, Size::Medium, Size::Large, Size::Year];

    /// The name `--size` takes.
    pub fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
            Size::Year => "year",
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A size name that is not one of `small`, `medium`, `large`, `year`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown size `{0}`: expected small, medium, large or year")]
pub struct ParseSizeError(pub String);

impl FromStr for Size {
    type Err = ParseSizeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Size::ALL.into_iter().find(|size| size.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| ParseSizeError(s.to_string()))
    }
}

/// A generated instance and the feasible timetable it was built around.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub instance: Instance,
    pub planted: Timetable,
}

/// Makes the instance of this size for this seed (the same pair always
/// gives the same result).
pub fn generate(size: Size, seed: u64) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let spec = Spec::new(size, &mut rng);
    // Alternate hard and soft room capacity over seeds, shifted by size so
    // that seed 0 gives both kinds across the sizes.
    let hard_capacity = seed.wrapping_add(size as u64).is_multiple_of(2);

    let calendar = Calendar::new(dates::teaching_days(spec.days).into_iter().map(|label| Day { label, periods: spec.periods }).collect());
    let demand = demand::draw(&spec, &mut rng);
    let planted = plant::place(&spec, &calendar, &demand, hard_capacity, &mut rng);
    derive::finish(calendar, demand, planted, hard_capacity, &mut rng)
}

/// The knobs of one size. Fractions are drawn uniformly from their range.
struct Spec {
    days: usize,
    periods: u32,
    cohorts: usize,
    cohort_size: (u32, u32),
    /// Length of a cohort's window as a fraction of the calendar.
    window: (f64, f64),
    /// Share of a cohort's window slots its sessions fill.
    fill: (f64, f64),
    course_sessions: (u32, u32),
    /// Joint courses (2-3 cohorts together) drawn per cohort.
    joint_per_cohort: f64,
    /// Courses with no cohort (open lectures with a given attendance).
    open_courses: usize,
    subjects: usize,
    /// All instructors, guests included.
    instructors: usize,
    /// Instructors with no subjects, only ever fixed on courses.
    guests: usize,
    min_rooms: usize,
}

impl Spec {
    fn new(size: Size, rng: &mut ChaCha8Rng) -> Self {
        match size {
            Size::Small => Spec {
                days: 10,
                periods: 2,
                cohorts: 3,
                cohort_size: (15, 35),
                window: (0.9, 1.0),
                fill: (0.6, 0.75),
                course_sessions: (2, 4),
                joint_per_cohort: 0.4,
                open_courses: 0,
                subjects: 6,
                instructors: rng.gen_range(4..=5),
                guests: 0,
                min_rooms: 3,
            },
            Size::Medium => {
                // Both shapes planners use: three periods a day for four
                // weeks, or mornings and afternoons for six.
                let (days, periods) = if rng.gen_bool(0.5) { (20, 3) } else { (30, 2) };
                Spec {
                    days,
                    periods,
                    cohorts: 8,
                    cohort_size: (15, 40),
                    window: (0.65, 0.9),
                    fill: (0.55, 0.7),
                    course_sessions: (2, 6),
                    joint_per_cohort: 0.5,
                    open_courses: 1,
                    subjects: 14,
                    instructors: 14,
                    guests: 1,
                    min_rooms: 5,
                }
            }
            Size::Large => Spec {
                days: 60,
                periods: 2,
                cohorts: 15,
                cohort_size: (20, 45),
                window: (0.6, 0.85),
                fill: (0.55, 0.7),
                course_sessions: (3, 8),
                joint_per_cohort: 0.5,
                open_courses: 2,
                subjects: 24,
                instructors: 30,
                guests: 2,
                min_rooms: 8,
            },
            Size::Year => Spec {
                days: 250,
                periods: 2,
                cohorts: 40,
                cohort_size: (20, 45),
                window: (0.34, 0.5),
                fill: (0.55, 0.7),
                course_sessions: (3, 10),
                joint_per_cohort: 0.6,
                open_courses: 6,
                subjects: 50,
                instructors: 80,
                guests: 4,
                min_rooms: 20,
            },
        }
    }
}

/// `width`-digit id with a prefix, e.g. `C007`.
fn id(prefix: &str, n: usize, width: usize) -> String {
    format!("{prefix}{n:0width$}")
}

/// Digits needed to number `count` things from 1, at least `min`.
fn width(count: usize, min: usize) -> usize {
    count.to_string().len().max(min)
}
