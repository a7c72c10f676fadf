//! Instructor loads before times: which qualified instructor takes each
//! course so that no one's total limit (`max_sessions`) is broken and loads
//! stay proportionate to what each instructor can take.
//!
//! The greedy construction picks instructors course by course; with tight
//! limits it runs out of qualified instructors late in the order, which no
//! local choice can fix. This small assignment program (one binary per
//! course and qualified instructor) sees every course at once.

use good_lp::{variable, Expression};

use super::backend::{Backend, Col, ModelBuilder, RunLimits};
use super::candidates::{Calendars, Candidates};
use crate::model::{Instance, InstructorIdx};

/// A preferred instructor per course, or `None` when the assignment
/// program finds none within its limits (the construction then picks alone).
pub fn preferred_instructors(
    inst: &Instance,
    cal: &Calendars,
    cand: &Candidates,
    backend: Backend,
    limits: &RunLimits,
) -> Option<Vec<InstructorIdx>> {
    let n_inst = inst.instructors.len();
    // What each instructor can take: the limit, or the periods they are free.
    let capacity: Vec<f64> = (0..n_inst)
        .map(|i| {
            let free = cal.instructor_blocked[i].iter().filter(|b| !**b).count() as f64;
            inst.instructors[i].max_sessions.map_or(free, |m| (m as f64).min(free)).max(1.0)
        })
        .collect();
    let mut b = ModelBuilder::default();
    let mut load: Vec<Expression> = vec![Expression::default(); n_inst];
    let mut fixed = vec![0.0; n_inst];
    let mut choices: Vec<Vec<(InstructorIdx, Col)>> = vec![Vec::new(); inst.courses.len()];
    for (c, options) in cand.instructors.iter().enumerate() {
        let sessions = cand.sessions[c] as f64;
        if options.len() == 1 {
            fixed[options[0].0] += sessions;
            continue;
        }
        let mut one = Expression::default();
        for &i in options {
            let y = b.add(variable().binary());
            one += y.var;
            load[i.0].add_mul(sessions, y.var);
            choices[c].push((i, y));
        }
        b.constraints.push(one.eq(1));
    }
    if choices.iter().all(Vec::is_empty) {
        return Some(cand.instructors.iter().map(|o| o[0]).collect());
    }
    // Minimise the highest share of capacity used.
    let peak = b.add(variable().min(0));
    b.objective += peak.var;
    for i in 0..n_inst {
        let l = std::mem::take(&mut load[i]);
        if inst.instructors[i].max_sessions.is_some() {
            b.constraints.push((l.clone() + fixed[i]).leq(capacity[i]));
        }
        b.constraints.push((l + fixed[i]).leq(capacity[i] * peak.var));
    }
    let run = b.solve(backend, limits).ok()?;
    if run.values.is_empty() {
        return None;
    }
    Some(
        (0..inst.courses.len())
            .map(|c| match choices[c].iter().find(|(_, y)| run.values[y.index] > 0.5) {
                Some(&(i, _)) => i,
                None => cand.instructors[c][0],
            })
            .collect(),
    )
}
