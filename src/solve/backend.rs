//! Running a `good_lp` model on a MIP solver and reading back what a planner
//! needs: values, status, the best bound and the gap.
//!
//! good_lp's `Solution` hides HiGHS's dual bound, so for HiGHS we take the
//! built model (`into_inner`) and read the bound from HiGHS's info values.

use good_lp::{Constraint, Expression, ProblemVariables, Variable, VariableDefinition};

/// Which solver runs the integer programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// HiGHS (C++, parallel branch and cut); the default.
    Highs,
    /// microlp (pure Rust); slow, for builds without a C++ toolchain.
    Microlp,
}

impl Backend {
    /// The best backend compiled into this build.
    pub fn default_available() -> Backend {
        if cfg!(feature = "highs") {
            Backend::Highs
        } else {
            Backend::Microlp
        }
    }

    /// Every backend, compiled in or not.
    pub const ALL: [Backend; 2] = [Backend::Highs, Backend::Microlp];

    /// The name `--solver` takes.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Highs => "highs",
            Backend::Microlp => "microlp",
        }
    }

    pub fn is_available(self) -> bool {
        match self {
            Backend::Highs => cfg!(feature = "highs"),
            Backend::Microlp => cfg!(feature = "microlp"),
        }
    }
}

impl std::str::FromStr for Backend {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Backend::ALL.into_iter().find(|b| b.name() == s).ok_or_else(|| format!("unknown solver {s:?}; expected highs or microlp"))
    }
}

/// Limits and knobs for one MIP run. (microlp honours only the time limit.)
#[cfg_attr(not(feature = "highs"), allow(dead_code))]
#[derive(Debug, Clone)]
pub struct RunLimits {
    pub time_limit: Option<f64>,
    pub threads: u32,
    pub seed: u64,
    /// Deterministic work limit: branch-and-bound nodes.
    pub node_limit: Option<u64>,
    pub verbose: bool,
}

/// How a MIP run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    Optimal,
    /// Stopped by a limit with a feasible solution.
    Feasible,
    Infeasible,
    /// Stopped by a limit before any feasible solution.
    NoSolution,
}

#[derive(Debug, Clone)]
pub struct RunResult {
    pub status: RunStatus,
    /// Column values by creation order (empty without a solution).
    pub values: Vec<f64>,
    /// Proven lower bound on the objective (minimisation).
    pub bound: f64,
}

/// A model under construction: good_lp variables with their creation order
/// remembered, so solutions can be read back by position.
pub struct ModelBuilder {
    vars: ProblemVariables,
    count: usize,
    pub objective: Expression,
    pub constraints: Vec<Constraint>,
    initial: Vec<(usize, f64)>,
    /// Columns the start leaves unset are "undefined" for HiGHS, which then
    /// completes the start by an LP over them, instead of 0.
    partial_start: bool,
}

/// A variable and its column position.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub var: Variable,
    pub index: usize,
}

impl Default for ModelBuilder {
    fn default() -> Self {
        ModelBuilder {
            vars: ProblemVariables::new(),
            count: 0,
            objective: Expression::default(),
            constraints: Vec::new(),
            initial: Vec::new(),
            partial_start: false,
        }
    }
}

impl ModelBuilder {
    pub fn add(&mut self, def: VariableDefinition) -> Col {
        let var = self.vars.add(def);
        self.count += 1;
        Col { var, index: self.count - 1 }
    }

    pub fn num_cols(&self) -> usize {
        self.count
    }

    pub fn num_rows(&self) -> usize {
        self.constraints.len()
    }

    /// A starting solution for the solver (MIP start); other columns 0.
    pub fn set_initial(&mut self, col: Col, value: f64) {
        self.initial.push((col.index, value));
    }

    /// A start that sets only the integer columns (and any others it
    /// knows); the solver derives the rest.
    pub fn set_initial_partial(&mut self, col: Col, value: f64) {
        self.partial_start = true;
        self.initial.push((col.index, value));
    }

    /// Solves the model (minimisation).
    pub fn solve(mut self, backend: Backend, limits: &RunLimits) -> Result<RunResult, String> {
        if self.count == 0 {
            // A model without columns (a course no room or period can take)
            // is left by HiGHS with no solution status at all, which its
            // bindings cannot read; one column fixed at 0 gives its rows
            // something to be judged on.
            self.add(good_lp::variable().min(0.0).max(0.0));
        }
        match backend {
            Backend::Highs => self.solve_highs(limits),
            Backend::Microlp => self.solve_microlp(limits),
        }
    }

    /// HiGHS keeps one task scheduler per OS thread, sized by the first
    /// solve on that thread, and fails a later solve there that asks for
    /// another thread count. Such a solve runs on a thread of its own.
    #[cfg(feature = "highs")]
    fn solve_highs(self, limits: &RunLimits) -> Result<RunResult, String> {
        use std::cell::Cell;
        thread_local! {
            static HIGHS_THREADS: Cell<u32> = const { Cell::new(0) };
        }
        let wanted = limits.threads.max(1);
        let used = HIGHS_THREADS.with(Cell::get);
        if used != 0 && used != wanted {
            return std::thread::scope(|s| match s.spawn(|| self.solve_highs_here(limits)).join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            });
        }
        HIGHS_THREADS.with(|c| c.set(wanted));
        self.solve_highs_here(limits)
    }

    #[cfg(feature = "highs")]
    fn solve_highs_here(self, limits: &RunLimits) -> Result<RunResult, String> {
        use good_lp::SolverModel;
        use highs::{HighsModelStatus, HighsSolutionStatus};
        let n = self.count;
        let mut problem = self.vars.minimise(self.objective).using(good_lp::highs);
        for c in self.constraints {
            problem.add_constraint(c);
        }
        let mut model = problem.try_into_inner().map_err(|e| e.to_string())?;
        model.make_quiet();
        if limits.verbose {
            model.set_option("output_flag", true);
            model.set_option("log_to_console", true);
        }
        model.set_option("threads", limits.threads.max(1) as i32);
        model.set_option("random_seed", (limits.seed % (i32::MAX as u64)) as i32);
        model.set_option("mip_rel_gap", 1e-6);
        model.set_option("mip_abs_gap", 1e-6);
        if let Some(t) = limits.time_limit {
            model.set_option("time_limit", t.max(0.01));
        }
        if let Some(nodes) = limits.node_limit {
            model.set_option("mip_max_nodes", nodes.min(i32::MAX as u64) as i32);
        }
        if !self.initial.is_empty() {
            // HiGHS reads +inf as "undefined" (kHighsUndefined).
            let mut start = vec![if self.partial_start { f64::INFINITY } else { 0.0 }; n];
            for (i, v) in self.initial {
                start[i] = v;
            }
            model.set_solution(Some(&start), None, None, None);
        }
        let solved = model.try_solve().map_err(|e| format!("HiGHS failed: {e:?}"))?;
        let has_solution = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
        let status = match solved.status() {
            HighsModelStatus::Optimal => RunStatus::Optimal,
            HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => RunStatus::Infeasible,
            HighsModelStatus::ModelEmpty => RunStatus::Optimal,
            _ if has_solution => RunStatus::Feasible,
            HighsModelStatus::ReachedTimeLimit
            | HighsModelStatus::ReachedIterationLimit
            | HighsModelStatus::ReachedSolutionLimit
            | HighsModelStatus::ReachedInterrupt
            | HighsModelStatus::ReachedMemoryLimit
            | HighsModelStatus::ObjectiveBound
            | HighsModelStatus::ObjectiveTarget => RunStatus::NoSolution,
            other => return Err(format!("HiGHS stopped with status {other:?}")),
        };
        let (values, objective) = if has_solution || status == RunStatus::Optimal && n == 0 {
            (solved.get_solution().columns().to_vec(), solved.objective_value())
        } else {
            (Vec::new(), f64::INFINITY)
        };
        let bound = match status {
            RunStatus::Optimal => objective,
            _ => solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite()).unwrap_or(f64::NEG_INFINITY),
        };
        Ok(RunResult { status, values, bound })
    }

    #[cfg(not(feature = "highs"))]
    fn solve_highs(self, _limits: &RunLimits) -> Result<RunResult, String> {
        Err("this build of classplan has no HiGHS backend (built without the `highs` feature); use --solver microlp".into())
    }

    #[cfg(feature = "microlp")]
    fn solve_microlp(self, limits: &RunLimits) -> Result<RunResult, String> {
        use good_lp::{ResolutionError, Solution, SolutionStatus, SolverModel, WithTimeLimit};
        let vars_in_order = self.vars.iter_variables_with_def().map(|(v, _)| v).collect::<Vec<_>>();
        let mut problem = self.vars.minimise(self.objective.clone()).using(good_lp::microlp);
        if let Some(t) = limits.time_limit {
            problem = problem.with_time_limit(t.max(0.01));
        }
        for c in self.constraints {
            problem.add_constraint(c);
        }
        match problem.solve() {
            Ok(sol) => {
                let values: Vec<f64> = vars_in_order.iter().map(|&v| sol.value(v)).collect();
                let objective = sol.eval(&self.objective);
                let status = match sol.status() {
                    SolutionStatus::Optimal => RunStatus::Optimal,
                    _ => RunStatus::Feasible,
                };
                let bound = if status == RunStatus::Optimal { objective } else { f64::NEG_INFINITY };
                Ok(RunResult { status, values, bound })
            }
            Err(ResolutionError::Infeasible) => Ok(RunResult { status: RunStatus::Infeasible, values: Vec::new(), bound: f64::INFINITY }),
            Err(ResolutionError::Other(msg)) if msg.contains("Time limit") => {
                Ok(RunResult { status: RunStatus::NoSolution, values: Vec::new(), bound: f64::NEG_INFINITY })
            }
            Err(e) => Err(format!("microlp failed: {e}")),
        }
    }

    #[cfg(not(feature = "microlp"))]
    fn solve_microlp(self, _limits: &RunLimits) -> Result<RunResult, String> {
        Err("this build of classplan has no microlp backend (built without the `microlp` feature)".into())
    }
}
