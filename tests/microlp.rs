//! The pure-Rust backend on small instances, so a build without a C++
//! toolchain keeps working. CI runs this with `--features microlp`.

use std::path::Path;

use classplan::check;
use classplan::io::read_instance;
use classplan::solve::{solve, Backend, SolveOptions, Status};

#[test]
fn microlp_solves_tiny_and_toy_itc_checked() {
    if !Backend::Microlp.is_available() {
        eprintln!("microlp not compiled in; run with --features microlp");
        return;
    }
    for (name, optimum) in [("tiny", 4.0), ("toy-itc", f64::NAN)] {
        let inst = read_instance(&Path::new(env!("CARGO_MANIFEST_DIR")).join("instances").join(name)).unwrap();
        let options = SolveOptions { backend: Backend::Microlp, time_limit: Some(120.0), ..SolveOptions::default() };
        let outcome = solve(&inst, &options, &mut |_| {}).unwrap();
        let timetable = outcome.timetable.expect("a timetable");
        let report = check::check(&inst, &timetable);
        assert!(report.violations.is_empty(), "{name}: {:#?}", report.violations);
        assert!((report.cost.total() - outcome.objective.unwrap().total()).abs() < 1e-6);
        assert_eq!(outcome.status, Status::Optimal, "{name}");
        if !optimum.is_nan() {
            assert_eq!(report.cost.total(), optimum);
        }
    }
}
