//! Demands of sessions against periods: a cohort's, a course's, and those
//! of courses that pairwise can never share a period.

use std::collections::{BTreeMap, BTreeSet};

use super::facts::Facts;
use super::finding::{listed, proof, Finding, FindingKind};
use super::rooms::RoomReport;
use crate::check::conflict::{ConflictGraph, ConflictReason};
use crate::check::index::{distinct_cohorts, join_and, plural};
use crate::check::rules::window_text;
use crate::model::{AvailabilityTarget as Target, CohortIdx, CourseIdx, DayIdx, InstructorIdx};

impl Facts<'_> {
    /// A cohort's courses need more sessions than the periods of its window
    /// without hard cohort unavailability. Returns the overloaded cohorts.
    pub(super) fn cohort_overload(&self, out: &mut Vec<Finding>) -> BTreeSet<CohortIdx> {
        let calendar = &self.inst.calendar;
        let mut overloaded = BTreeSet::new();
        for (k, courses) in self.inst.courses_of_cohort().into_iter().enumerate() {
            let mut courses = courses;
            courses.dedup();
            let cohort = &self.inst.cohorts[k];
            let demand = self.sessions(&courses);
            let first = cohort.first_day.map_or(0, |d| d.0);
            let last = cohort.last_day.map_or(calendar.num_days(), |d| d.0 + 1).min(calendar.num_days());
            let in_window: Vec<usize> = (first..last).flat_map(|d| calendar.day_slots(DayIdx(d))).collect();
            let free = in_window.iter().filter(|&&s| !self.blocks.blocked(Target::Cohort(CohortIdx(k)), s)).count();
            if demand > free {
                overloaded.insert(CohortIdx(k));
                let blocked = in_window.len() - free;
                let blocked_text = if blocked > 0 {
                    format!(" ({} of its {} marked unavailable)", blocked, plural(in_window.len(), "period"))
                } else {
                    String::new()
                };
                out.push(proof(
                    FindingKind::CohortOverload,
                    courses.len(),
                    format!(
                        "Cohort {} must attend {} ({}), but has only {} in its window {}{}; \
                         cut {} or widen the window.",
                        cohort.id,
                        plural(demand, "session"),
                        self.course_ids(&courses),
                        plural(free, "free period"),
                        window_text(self.names, cohort.first_day, cohort.last_day),
                        blocked_text,
                        plural(demand - free, "session"),
                    ),
                ));
            }
        }
        overloaded
    }

    /// A course needs more sessions than the periods open to it.
    pub(super) fn course_overload(&self, out: &mut Vec<Finding>) {
        for (c, course) in self.inst.courses.iter().enumerate() {
            let idx = CourseIdx(c);
            let demand = course.sessions as usize;
            let open = self.usable_count(idx);
            // No room at all is no_suitable_room's finding, with its remedy.
            if demand <= open || self.rooms_for(idx).is_empty() {
                continue;
            }
            let Some((first, last)) = self.inst.course_window(idx) else {
                let windows: Vec<String> = distinct_cohorts(self.inst, idx)
                    .iter()
                    .map(|&k| {
                        let cohort = &self.inst.cohorts[k.0];
                        format!("{} {}", cohort.id, window_text(self.names, cohort.first_day, cohort.last_day))
                    })
                    .collect();
                out.push(proof(
                    FindingKind::CourseOverload,
                    1,
                    format!(
                        "Course {} needs {}, but its cohorts' windows share no day ({}).",
                        course.id,
                        plural(demand, "session"),
                        join_and(&windows)
                    ),
                ));
                continue;
            };
            let calendar = &self.inst.calendar;
            let window = calendar.day_slots(first).start..calendar.day_slots(last).end;
            let time_open = self.time_open(idx).iter().filter(|&&t| t).count();
            let mut causes = Vec::new();
            if window.len() > time_open {
                let mut whose = vec!["the course".to_string()];
                whose.extend(distinct_cohorts(self.inst, idx).iter().map(|&k| format!("cohort {}", self.names.cohort(k))));
                if let Some(i) = self.forced[c] {
                    whose.push(format!("instructor {}", self.names.instructor(i)));
                }
                causes.push(format!("{} blocked by unavailability of {}", window.len() - time_open, whose.join(" or ")));
            }
            if time_open > open {
                causes.push(format!("{} with no suitable room free", time_open - open));
            }
            let causes = if causes.is_empty() { String::new() } else { format!("; {}", causes.join(", ")) };
            out.push(proof(
                FindingKind::CourseOverload,
                1,
                format!(
                    "Course {} needs {}, but only {} open to it: its window {} has {}{}.",
                    course.id,
                    plural(demand, "session"),
                    if open == 1 { "1 period is".to_string() } else { format!("{open} periods are") },
                    window_text(self.names, Some(first), Some(last)),
                    plural(window.len(), "period"),
                    causes
                ),
            ));
        }
    }

    /// Courses that pairwise can never share a period need more sessions
    /// than the periods open to any of them. Cliques lying inside an
    /// already reported cohort or instructor add nothing and are skipped,
    /// and so are those short only through rooms a reported room shortage
    /// already names for all their courses.
    pub(super) fn clique_overload(
        &self,
        cohorts: &BTreeSet<CohortIdx>,
        instructors: &BTreeSet<InstructorIdx>,
        rooms: &[RoomReport],
        out: &mut Vec<Finding>,
    ) {
        let graph = ConflictGraph::new(self.inst);
        for clique in graph.maximal_cliques(2) {
            let demand = self.sessions(&clique);
            let mut open = vec![false; self.num_slots()];
            for c in &clique {
                for (o, &u) in open.iter_mut().zip(&self.usable[c.0]) {
                    *o |= u;
                }
            }
            let open = open.into_iter().filter(|&o| o).count();
            if demand <= open {
                continue;
            }
            let covered = cohorts.iter().any(|k| clique.iter().all(|c| self.inst.courses[c.0].cohorts.contains(k)))
                || instructors.iter().any(|&i| clique.iter().all(|c| self.forced[c.0] == Some(i)));
            let time_open = (0..self.num_slots()).filter(|&s| clique.iter().any(|c| self.timed[c.0][s])).count();
            let through_rooms = demand <= time_open && rooms.iter().any(|r| clique.iter().all(|c| r.courses.contains(c)));
            if covered || through_rooms {
                continue;
            }
            // What some two courses of the clique share: a cohort or fixed
            // instructor of at least two of them (counted, not paired, so
            // a clique of thousands costs no millions of pairs).
            let mut members: BTreeMap<ConflictReason, usize> = BTreeMap::new();
            for c in &clique {
                let course = &self.inst.courses[c.0];
                let mine: BTreeSet<ConflictReason> = course
                    .cohorts
                    .iter()
                    .map(|&k| ConflictReason::Cohort(k))
                    .chain(course.instructor.map(ConflictReason::Instructor))
                    .collect();
                for reason in mine {
                    *members.entry(reason).or_default() += 1;
                }
            }
            let why: BTreeSet<String> = members
                .into_iter()
                .filter(|&(_, n)| n >= 2)
                .map(|(reason, _)| match reason {
                    ConflictReason::Cohort(k) => format!("cohort {}", self.names.cohort(k)),
                    ConflictReason::Instructor(i) => format!("instructor {}", self.names.instructor(i)),
                })
                .collect();
            out.push(proof(
                FindingKind::CliqueOverload,
                clique.len(),
                format!(
                    "Courses {} can never share a period (they share {}) and need {} together, \
                     but only {} open to any of them; cut {}.",
                    self.course_ids(&clique),
                    listed(why),
                    plural(demand, "session"),
                    if open == 1 { "1 period is".to_string() } else { format!("{open} periods are") },
                    plural(demand - open, "session"),
                ),
            ));
        }
    }
}
