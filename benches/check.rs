//! Checker benchmark: time to generate each size, to check (and to
//! diagnose) its planted timetable, best of several runs; then how fast a
//! table of a million rows is refused at the row limit.
//!
//!     cargo bench --bench check

use std::time::Instant;

use classplan::check;
use classplan::generate::{generate, Size};
use classplan::io;

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
    println!("| size | placements | generate ms | check ms | diagnose ms |");
    println!("|---|---|---|---|---|");
    for size in Size::ALL {
        let generate_s = best_of(3, || generate(size, 1));
        let g = generate(size, 1);
        let check_s = best_of(10, || check::check(&g.instance, &g.planted));
        let diagnose_s = best_of(5, || check::diagnose(&g.instance));
        println!("| {size} | {} | {:.1} | {:.1} | {:.1} |", g.planted.placements.len(), generate_s * 1e3, check_s * 1e3, diagnose_s * 1e3);
    }

    // The reader stops at the row limit instead of reading on.
    let dir = tempfile::tempdir().expect("a temporary folder");
    io::write_instance(&generate(Size::Small, 1).instance, dir.path()).expect("the instance is written");
    let mut rows = String::from("kind,id,day,period,weight\n");
    let instructor = generate(Size::Small, 1).instance.instructors[0].id.clone();
    for _ in 0..1_000_000 {
        rows.push_str(&format!("instructor,{instructor},,1,\n"));
    }
    std::fs::write(dir.path().join("availability.csv"), rows).expect("availability.csv is written");
    let refuse_s = best_of(3, || assert!(io::read_instance(dir.path()).is_err(), "a million rows are refused"));
    println!();
    println!("| input | refused in ms |");
    println!("|---|---|");
    println!("| availability.csv of 1,000,000 rows | {:.1} |", refuse_s * 1e3);
}
