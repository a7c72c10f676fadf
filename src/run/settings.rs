//! The solver settings a run is given and its summary records: one type,
//! so what summary.json says was asked is what the solver was given.

use serde::{Deserialize, Serialize};

use crate::model::Timetable;
use crate::solve::{Backend, Baseline, Cancel, Method, SolveOptions};

/// How each solve of a run is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub backend: Backend,
    #[serde(with = "method_name")]
    pub method: Method,
    /// Solver threads. For a set of scenarios: threads in all, split
    /// between the jobs and their solvers; a job's summary records its
    /// solver's share.
    pub threads: u32,
    pub seed: u64,
    /// Wall-clock limit of each solve, in seconds.
    pub time_limit: Option<f64>,
    /// Branch-and-bound nodes per integer program.
    pub node_limit: Option<u64>,
    /// Neighbourhood-search rounds.
    pub rounds: Option<u64>,
    /// Minimal perturbation: stay close to the baseline. In a summary:
    /// whether this solve was given a baseline to stay close to.
    pub stable: bool,
    /// Cost of each session moved, instructor or room changed, in stable
    /// mode.
    pub move_weight: f64,
}

impl Default for Settings {
    fn default() -> Self {
        let solve = SolveOptions::default();
        Settings {
            backend: solve.backend,
            method: solve.method,
            threads: solve.threads,
            seed: solve.seed,
            time_limit: solve.time_limit,
            node_limit: solve.node_limit,
            rounds: solve.rounds,
            stable: false,
            move_weight: 10.0,
        }
    }
}

impl Settings {
    /// The solver's options; `baseline` is used only in stable mode.
    pub(crate) fn options(&self, baseline: Option<&Timetable>, verbose: bool, cancel: &Cancel) -> SolveOptions {
        SolveOptions {
            time_limit: self.time_limit,
            threads: self.threads,
            seed: self.seed,
            node_limit: self.node_limit,
            backend: self.backend,
            verbose,
            baseline: baseline
                .filter(|_| self.stable)
                .map(|timetable| Baseline { timetable: timetable.clone(), move_weight: self.move_weight }),
            rounds: self.rounds,
            method: self.method,
            cancel: cancel.clone(),
        }
    }

    /// What a summary records of a solve made with `options`.
    pub(crate) fn of(&self, options: &SolveOptions) -> Settings {
        Settings { threads: options.threads, stable: options.baseline.is_some(), ..self.clone() }
    }
}

/// `Method` by the name `--method` takes.
mod method_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::solve::Method;

    pub fn serialize<S: Serializer>(method: &Method, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(method.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Method, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}
