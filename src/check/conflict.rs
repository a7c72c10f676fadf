//! The conflict graph: which courses can never share a slot, and why.
//!
//! Two courses conflict when they share a cohort (its trainees cannot be in
//! two rooms at once) or a fixed instructor. Conflicts that depend on the
//! solver's choices (a chosen instructor, a room) are not edges: the graph
//! only states what holds for every timetable, so its cliques are valid
//! constraints and valid infeasibility proofs.

use std::collections::BTreeMap;

use petgraph::graph::{NodeIndex, UnGraph};

use crate::model::{CohortIdx, CourseIdx, Instance, InstructorIdx};

/// Why two courses can never be placed in the same slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictReason {
    /// Both courses are attended by this cohort.
    Cohort(CohortIdx),
    /// Both courses are fixed to this instructor.
    Instructor(InstructorIdx),
}

/// Courses as nodes (node `i` is course `i`), an edge between two courses
/// that can never share a slot, labelled with every reason.
#[derive(Debug, Clone)]
pub struct ConflictGraph {
    graph: UnGraph<CourseIdx, Vec<ConflictReason>>,
    /// Sorted neighbour lists, so iteration order does not depend on the
    /// order edges happened to be inserted.
    adjacency: Vec<Vec<CourseIdx>>,
}

impl ConflictGraph {
    pub fn new(instance: &Instance) -> Self {
        let n = instance.courses.len();
        // Group courses by what they share first: pairing within groups is
        // linear in the number of edges, where testing all course pairs
        // would be quadratic in the number of courses.
        let mut groups: BTreeMap<ConflictReason, Vec<usize>> = BTreeMap::new();
        for (c, course) in instance.courses.iter().enumerate() {
            for &k in &course.cohorts {
                groups.entry(ConflictReason::Cohort(k)).or_default().push(c);
            }
            if let Some(i) = course.instructor {
                groups.entry(ConflictReason::Instructor(i)).or_default().push(c);
            }
        }
        let mut edges: BTreeMap<(usize, usize), Vec<ConflictReason>> = BTreeMap::new();
        for (reason, mut members) in groups {
            // A course listing a cohort twice is not in conflict with itself.
            members.dedup();
            for (x, &a) in members.iter().enumerate() {
                for &b in &members[x + 1..] {
                    edges.entry((a.min(b), a.max(b))).or_default().push(reason);
                }
            }
        }

        let mut graph = UnGraph::with_capacity(n, edges.len());
        for c in 0..n {
            graph.add_node(CourseIdx(c));
        }
        let mut adjacency = vec![Vec::new(); n];
        for ((a, b), reasons) in edges {
            adjacency[a].push(CourseIdx(b));
            adjacency[b].push(CourseIdx(a));
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), reasons);
        }
        for list in &mut adjacency {
            list.sort_unstable();
        }
        ConflictGraph { graph, adjacency }
    }

    /// Number of courses (nodes).
    pub fn num_courses(&self) -> usize {
        self.adjacency.len()
    }

    /// Number of conflicting pairs (edges).
    pub fn num_conflicts(&self) -> usize {
        self.graph.edge_count()
    }

    /// Courses that can never share a slot with `course`, in index order;
    /// empty for a course the instance does not have.
    pub fn neighbours(&self, course: CourseIdx) -> impl Iterator<Item = CourseIdx> + '_ {
        self.adjacency.get(course.0).into_iter().flatten().copied()
    }

    /// Why `a` and `b` can never share a slot (sorted: cohorts first, then
    /// instructors); empty when they can.
    pub fn reasons(&self, a: CourseIdx, b: CourseIdx) -> &[ConflictReason] {
        self.graph.find_edge(NodeIndex::new(a.0), NodeIndex::new(b.0)).map_or(&[], |e| self.graph[e].as_slice())
    }

    /// Maximal sets of pairwise conflicting courses with at least
    /// `min_size` members; each clique sorted, the list sorted.
    pub fn maximal_cliques(&self, min_size: usize) -> Vec<Vec<CourseIdx>> {
        // Isolated courses are one-node cliques; leaving them out keeps
        // Bron–Kerbosch's work proportional to the part of the graph with
        // edges when min_size asks for pairs or more.
        if min_size >= 2 && self.graph.edge_count() == 0 {
            return Vec::new();
        }
        let mut cliques: Vec<Vec<CourseIdx>> = petgraph::algo::maximal_cliques(&self.graph)
            .into_iter()
            .filter(|clique| clique.len() >= min_size)
            .map(|clique| {
                let mut courses: Vec<CourseIdx> = clique.into_iter().map(|n| CourseIdx(n.index())).collect();
                courses.sort_unstable();
                courses
            })
            .collect();
        cliques.sort_unstable();
        cliques
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Calendar, Cohort, Course, Day, Instructor};

    fn course(id: &str, cohorts: &[usize], instructor: Option<usize>) -> Course {
        Course {
            id: id.into(),
            subject: "s".into(),
            cohorts: cohorts.iter().map(|&k| CohortIdx(k)).collect(),
            sessions: 1,
            min_days: None,
            instructor: instructor.map(InstructorIdx),
            students: None,
            room_features: Default::default(),
        }
    }

    fn instance(courses: Vec<Course>) -> Instance {
        let cohort = |id: &str| Cohort { id: id.into(), name: String::new(), size: 1, first_day: None, last_day: None };
        let instructor = |id: &str| Instructor {
            id: id.into(),
            name: String::new(),
            subjects: Default::default(),
            max_sessions: None,
            max_per_day: None,
        };
        Instance {
            calendar: Calendar::new(vec![Day { label: "d".into(), periods: 2 }]),
            cohorts: vec![cohort("K0"), cohort("K1"), cohort("K2")],
            instructors: vec![instructor("I0"), instructor("I1")],
            courses,
            ..Instance::default()
        }
    }

    #[test]
    fn edges_carry_every_shared_cohort_and_instructor() {
        let inst = instance(vec![
            course("A", &[0, 1], Some(0)),
            course("B", &[0, 1], Some(0)),
            course("C", &[2], None),
            course("D", &[2], Some(1)),
        ]);
        let g = ConflictGraph::new(&inst);
        assert_eq!(
            g.reasons(CourseIdx(1), CourseIdx(0)),
            &[
                ConflictReason::Cohort(CohortIdx(0)),
                ConflictReason::Cohort(CohortIdx(1)),
                ConflictReason::Instructor(InstructorIdx(0))
            ]
        );
        assert_eq!(g.reasons(CourseIdx(2), CourseIdx(3)), &[ConflictReason::Cohort(CohortIdx(2))]);
        assert!(g.reasons(CourseIdx(0), CourseIdx(2)).is_empty());
        assert!(g.reasons(CourseIdx(0), CourseIdx(99)).is_empty());
        assert_eq!(g.neighbours(CourseIdx(0)).collect::<Vec<_>>(), vec![CourseIdx(1)]);
        assert_eq!(g.neighbours(CourseIdx(99)).count(), 0);
        assert_eq!(g.num_conflicts(), 2);
    }

    #[test]
    fn cliques_mix_cohort_and_instructor_edges() {
        // A-B share K0, B-C share K1, A-C share instructor I0: a triangle
        // that no single cohort or instructor explains.
        let inst = instance(vec![
            course("A", &[0], Some(0)),
            course("B", &[0, 1], None),
            course("C", &[1], Some(0)),
            course("D", &[2], None),
            course("E", &[2], None),
            course("F", &[], None),
        ]);
        let g = ConflictGraph::new(&inst);
        let c = |i: usize| CourseIdx(i);
        assert_eq!(g.maximal_cliques(2), vec![vec![c(0), c(1), c(2)], vec![c(3), c(4)]]);
        assert_eq!(g.maximal_cliques(3), vec![vec![c(0), c(1), c(2)]]);
        assert_eq!(g.maximal_cliques(1).len(), 3);
    }

    #[test]
    fn no_edges_no_cliques() {
        let g = ConflictGraph::new(&instance(vec![course("A", &[0], None), course("B", &[1], None)]));
        assert!(g.maximal_cliques(2).is_empty());
        assert_eq!(g.maximal_cliques(1), vec![vec![CourseIdx(0)], vec![CourseIdx(1)]]);
    }
}
