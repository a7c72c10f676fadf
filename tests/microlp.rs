//! The pure-Rust backend on small instances, so a build without a C++
//! toolchain keeps working. CI runs this with `--features microlp`.
//!
//! microlp has no node limit (only HiGHS takes `mip_max_nodes`), so these
//! solves stay under a clock; the limit is generous, and what is asserted
//! is the cost against the optima justified in `tests/common`, which
//! holds however loaded the machine is once the solve proves optimality.

mod common;

use classplan::solve::{Backend, SolveOptions, Status};
use common::{shipped, solve_checked};

#[test]
fn microlp_solves_tiny_and_toy_itc_to_their_known_optima() {
    if !Backend::Microlp.is_available() {
        // Without the feature the choice is refused, as the binary does.
        eprintln!("microlp not compiled in; run with --features microlp");
        return;
    }
    for (name, optimum) in [("tiny", common::tiny_optimum()), ("toy-itc", common::toy_itc_optimum())] {
        let options = SolveOptions { backend: Backend::Microlp, time_limit: Some(120.0), ..SolveOptions::default() };
        let outcome = solve_checked(&shipped(name), &options);
        assert_eq!(outcome.status, Status::Optimal, "{name}");
        assert_eq!(outcome.objective.unwrap().total(), optimum, "{name}");
    }
}
