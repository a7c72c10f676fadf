//! Checker benchmark: time to check (and to diagnose) the planted timetable
//! of each generated size, best of several runs.
//!
//!     cargo bench --bench check

use std::time::Instant;

use classplan::check;
use classplan::generate::{generate, Size};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    println!("| size | placements | check ms | diagnose ms |");
    println!("|---|---|---|---|");
    for size in Size::ALL {
        let g = generate(size, 1);
        let check_s = best_of(10, || check::check(&g.instance, &g.planted));
        let diagnose_s = best_of(5, || check::diagnose(&g.instance));
        println!("| {size} | {} | {:.1} | {:.1} |", g.planted.placements.len(), check_s * 1e3, diagnose_s * 1e3);
    }
}
