//! Which kind of neighbourhood to draw next, and how large: each kind's
//! size follows how its sub-problems end, its weight how often it pays.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::draw::Kind;
use crate::solve::backend::RunStatus;

/// How many kinds there are (the learner's table size).
const KINDS: usize = Kind::CohortDays as usize + 1;

const IMPROVING: [Kind; 7] = [Kind::Days, Kind::Cohorts, Kind::Instructors, Kind::Rooms, Kind::Costly, Kind::SlotRooms, Kind::CohortDays];

/// The most sessions a neighbourhood frees: half the timetable. Freeing
/// more is solving the whole model under a short cap, which the exact model
/// after the search does with all the time left.
fn largest_part(total: usize) -> f64 {
    (total as f64 / 2.0).max(4.0).min(total.max(1) as f64)
}

/// Per-kind learning: neighbourhood size (sessions freed) and a weight that
/// follows how often the kind pays.
pub(super) struct Learner {
    size: Vec<f64>,
    weight: Vec<f64>,
}

impl Learner {
    pub(super) fn new(total: usize) -> Self {
        let start = largest_part(total).min(30.0);
        Learner { size: vec![start; KINDS], weight: vec![1.0; KINDS] }
    }

    pub(super) fn pick(&self, rng: &mut ChaCha8Rng) -> Kind {
        let total: f64 = IMPROVING.iter().map(|k| self.weight[k.index()]).sum();
        let mut x = rng.gen::<f64>() * total;
        for k in IMPROVING {
            x -= self.weight[k.index()];
            if x <= 0.0 {
                return k;
            }
        }
        Kind::Days
    }

    /// Sessions a neighbourhood of `kind` frees now.
    pub(super) fn size(&self, kind: Kind) -> usize {
        self.size[kind.index()] as usize
    }

    /// Adapts the kind's size to how its sub-problem ended (`None`: the
    /// result could not be merged, which says nothing about its size) and
    /// its weight to whether it paid.
    pub(super) fn learn(&mut self, kind: Kind, status: Option<RunStatus>, improved: bool, total: usize) {
        let i = kind.index();
        let size = &mut self.size[i];
        match status {
            Some(RunStatus::Optimal | RunStatus::Infeasible) => *size = (*size * 1.15 + 1.0).min(largest_part(total)),
            Some(RunStatus::Feasible | RunStatus::NoSolution) => *size = (*size * 0.7).max(4.0),
            None => {}
        }
        let reward = if improved { 1.0 } else { 0.0 };
        self.weight[i] = (0.9 * self.weight[i] + 0.1 * reward).max(0.05);
    }
}
