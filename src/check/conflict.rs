//! The conflict graph: which courses can never share a slot, and why.
//!
//! Two courses conflict when they share a cohort (its trainees cannot be in
//! two rooms at once) or a fixed instructor. Conflicts that depend on the
//! solver's choices (a chosen instructor, a room) are not edges: the graph
//! only states what holds for every timetable, so its cliques are valid
//! constraints and valid infeasibility proofs.

use std::collections::{BTreeMap, BTreeSet};

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

/// Courses that can never share a slot, and why.
///
/// Two courses that conflict with each other and with exactly the same
/// other courses (twins) lie in the same maximal cliques, so the graph
/// keeps twins as one node of a `petgraph` graph, and an edge between two
/// nodes means every course of one conflicts with every course of the
/// other. A cohort attending 5,000 courses, even with 5,000 different
/// lecturers, is then one node instead of 12.5 million edges, and every
/// maximal clique of courses is a maximal clique of nodes with each node
/// expanded to its courses.
///
/// Twins found: courses with the same cohorts and fixed instructor; and
/// courses having one cohort or instructor whose courses include those of
/// each of their other cohorts and instructor (then exactly the courses of
/// that one conflict with them). A course with no cohort and no fixed
/// instructor conflicts with nothing and is a node of its own.
#[derive(Debug, Clone)]
pub struct ConflictGraph {
    /// Twins as nodes (weight: their courses, in index order), an edge
    /// between two nodes whose courses conflict.
    graph: UnGraph<Vec<CourseIdx>, ()>,
    /// Per course, what it shares with a course it conflicts with: its
    /// cohorts, then its fixed instructor, sorted and without repeats.
    shares: Vec<Vec<ConflictReason>>,
    /// Per course, its node.
    node_of: Vec<usize>,
    /// Per node, the neighbouring nodes in index order.
    adjacency: Vec<Vec<usize>>,
    /// Number of conflicting course pairs.
    conflicts: usize,
}

/// What puts courses in one node: the same cohorts and fixed instructor,
/// or the one cohort or instructor whose courses are exactly those they
/// conflict with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TwinKey {
    Same(usize),
    Dominant(ConflictReason),
}

impl ConflictGraph {
    pub fn new(instance: &Instance) -> Self {
        // A course listing a cohort twice is not in conflict with itself.
        let shares: Vec<Vec<ConflictReason>> = instance
            .courses
            .iter()
            .map(|course| {
                let set: BTreeSet<ConflictReason> = course
                    .cohorts
                    .iter()
                    .map(|&k| ConflictReason::Cohort(k))
                    .chain(course.instructor.map(ConflictReason::Instructor))
                    .collect();
                set.into_iter().collect()
            })
            .collect();

        // Courses sharing the same things, as classes numbered in order of
        // their first course.
        let mut class_by_shares: BTreeMap<&[ConflictReason], usize> = BTreeMap::new();
        let mut class_shares: Vec<&[ConflictReason]> = Vec::new();
        let mut class_of = Vec::with_capacity(shares.len());
        for what in &shares {
            let class = *class_by_shares.entry(what.as_slice()).or_insert_with(|| {
                class_shares.push(what.as_slice());
                class_shares.len() - 1
            });
            class_of.push(class);
        }
        let mut class_size = vec![0usize; class_shares.len()];
        for &class in &class_of {
            class_size[class] += 1;
        }
        // Per cohort or instructor: the classes that have it and how many
        // courses they hold.
        let mut groups: BTreeMap<ConflictReason, (Vec<usize>, usize)> = BTreeMap::new();
        for (class, what) in class_shares.iter().enumerate() {
            for &reason in what.iter() {
                let group = groups.entry(reason).or_default();
                group.0.push(class);
                group.1 += class_size[class];
            }
        }

        // A class's dominant reason: the one with the most courses, when
        // every class sharing any of its other reasons has it too.
        let mut contains: BTreeMap<(ConflictReason, ConflictReason), bool> = BTreeMap::new();
        let mut twin_key = |class: usize| -> Option<TwinKey> {
            let what = class_shares[class];
            let mut best = *what.first()?;
            for &reason in &what[1..] {
                if groups[&reason].1 > groups[&best].1 {
                    best = reason;
                }
            }
            let dominant = what.iter().filter(|&&r| r != best).all(|&r| {
                *contains
                    .entry((r, best))
                    .or_insert_with(|| groups[&r].0.iter().all(|&other| class_shares[other].binary_search(&best).is_ok()))
            });
            Some(if dominant { TwinKey::Dominant(best) } else { TwinKey::Same(class) })
        };
        let class_key: Vec<Option<TwinKey>> = (0..class_shares.len()).map(&mut twin_key).collect();

        // Nodes numbered in order of their first course.
        let mut node_by_key: BTreeMap<TwinKey, usize> = BTreeMap::new();
        let mut members: Vec<Vec<CourseIdx>> = Vec::new();
        let mut isolated: Vec<bool> = Vec::new();
        let mut node_of = Vec::with_capacity(shares.len());
        for (c, &class) in class_of.iter().enumerate() {
            let node = match class_key[class].clone() {
                None => {
                    members.push(Vec::new());
                    isolated.push(true);
                    members.len() - 1
                }
                Some(key) => *node_by_key.entry(key).or_insert_with(|| {
                    members.push(Vec::new());
                    isolated.push(false);
                    members.len() - 1
                }),
            };
            members[node].push(CourseIdx(c));
            node_of.push(node);
        }
        let mut node_of_class = vec![0; class_shares.len()];
        for (c, &class) in class_of.iter().enumerate() {
            node_of_class[class] = node_of[c];
        }

        // Nodes sharing a cohort or instructor, pairwise: linear in the
        // number of node edges, where testing all pairs would be quadratic
        // in the number of nodes.
        let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (classes, _) in groups.values() {
            let nodes: Vec<usize> = classes.iter().map(|&class| node_of_class[class]).collect::<BTreeSet<_>>().into_iter().collect();
            for (x, &a) in nodes.iter().enumerate() {
                for &b in &nodes[x + 1..] {
                    edges.insert((a, b));
                }
            }
        }

        let size = |node: usize| members[node].len();
        let mut conflicts: usize = (0..members.len()).filter(|&node| !isolated[node]).map(|node| size(node) * (size(node) - 1) / 2).sum();
        conflicts += edges.iter().map(|&(a, b)| size(a) * size(b)).sum::<usize>();

        let mut graph = UnGraph::with_capacity(members.len(), edges.len());
        let mut adjacency = vec![Vec::new(); members.len()];
        for courses in members {
            graph.add_node(courses);
        }
        for (a, b) in edges {
            adjacency[a].push(b);
            adjacency[b].push(a);
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
        }
        for list in &mut adjacency {
            list.sort_unstable();
        }
        ConflictGraph { graph, shares, node_of, adjacency, conflicts }
    }

    /// The courses of a node.
    fn members(&self, node: usize) -> &[CourseIdx] {
        &self.graph[NodeIndex::new(node)]
    }

    /// Number of courses.
    pub fn num_courses(&self) -> usize {
        self.node_of.len()
    }

    /// Number of conflicting pairs of courses.
    pub fn num_conflicts(&self) -> usize {
        self.conflicts
    }

    /// Courses that can never share a slot with `course`, in index order;
    /// empty for a course the instance does not have.
    pub fn neighbours(&self, course: CourseIdx) -> impl Iterator<Item = CourseIdx> + '_ {
        let mut out = Vec::new();
        if let Some(&node) = self.node_of.get(course.0) {
            if !self.shares[course.0].is_empty() {
                out.extend(self.members(node).iter().copied().filter(|&c| c != course));
            }
            for &other in &self.adjacency[node] {
                out.extend_from_slice(self.members(other));
            }
            out.sort_unstable();
        }
        out.into_iter()
    }

    /// Why `a` and `b` can never share a slot: the cohorts and fixed
    /// instructor they share (sorted: cohorts first, then instructors);
    /// empty when they can.
    pub fn reasons(&self, a: CourseIdx, b: CourseIdx) -> Vec<ConflictReason> {
        match (self.shares.get(a.0), self.shares.get(b.0)) {
            (Some(x), Some(y)) if a != b => x.iter().copied().filter(|r| y.binary_search(r).is_ok()).collect(),
            _ => Vec::new(),
        }
    }

    /// Maximal sets of pairwise conflicting courses with at least
    /// `min_size` members; each clique sorted, the list sorted.
    pub fn maximal_cliques(&self, min_size: usize) -> Vec<Vec<CourseIdx>> {
        if min_size >= 2 && self.conflicts == 0 {
            return Vec::new();
        }
        let mut cliques = Vec::new();
        for_each_maximal_clique(&self.adjacency, |nodes| {
            let size: usize = nodes.iter().map(|&node| self.members(node).len()).sum();
            if size >= min_size {
                let mut courses: Vec<CourseIdx> = nodes.iter().flat_map(|&node| self.members(node).iter().copied()).collect();
                courses.sort_unstable();
                cliques.push(courses);
            }
        });
        cliques.sort_unstable();
        cliques
    }
}

/// Calls `report` with every maximal clique of the graph given by sorted
/// adjacency lists (no self-loops): Bron–Kerbosch with Tomita's pivot,
/// started from each node in a degeneracy order with its later neighbours
/// as candidates (Eppstein, Löffler and Strash), so that the work is
/// bounded by the degeneracy rather than the number of nodes. Isolated
/// nodes are cliques of one. The search keeps its own stack: a clique of
/// thousands of nodes does not recurse thousands of calls deep.
fn for_each_maximal_clique(adj: &[Vec<usize>], mut report: impl FnMut(&[usize])) {
    let order = degeneracy_order(adj);
    let mut position = vec![0; adj.len()];
    for (at, &v) in order.iter().enumerate() {
        position[v] = at;
    }
    for &v in &order {
        let (later, earlier): (Vec<usize>, Vec<usize>) = adj[v].iter().partition(|&&w| position[w] > position[v]);
        bron_kerbosch(adj, v, later, earlier, &mut report);
    }
}

/// One level of the search: candidates `p` that extend the clique, nodes
/// `x` already tried, and the candidates still to branch on.
struct Frame {
    p: Vec<usize>,
    x: Vec<usize>,
    todo: Vec<usize>,
}

impl Frame {
    /// Branches only on the candidates not adjacent to a pivot that has the
    /// most candidates as neighbours (the pivot itself if it is one). A
    /// tried node adjacent to every candidate leaves nothing to branch on.
    fn new(adj: &[Vec<usize>], p: Vec<usize>, x: Vec<usize>) -> Self {
        let mut pivot = None;
        let mut best = 0;
        for &u in &x {
            let count = intersection_len(&p, &adj[u]);
            if pivot.is_none() || count > best {
                (pivot, best) = (Some(u), count);
            }
            if count == p.len() {
                break;
            }
        }
        // A candidate has at most all the other candidates as neighbours.
        if best < p.len() {
            for &u in &p {
                let count = intersection_len(&p, &adj[u]);
                if pivot.is_none() || count > best {
                    (pivot, best) = (Some(u), count);
                }
                if count + 1 >= p.len() {
                    break;
                }
            }
        }
        let todo = match pivot {
            Some(u) => p.iter().copied().filter(|w| adj[u].binary_search(w).is_err()).collect(),
            None => Vec::new(),
        };
        Frame { p, x, todo }
    }
}

fn bron_kerbosch(adj: &[Vec<usize>], start: usize, p: Vec<usize>, x: Vec<usize>, report: &mut impl FnMut(&[usize])) {
    let mut clique = vec![start];
    if p.is_empty() {
        if x.is_empty() {
            report(&clique);
        }
        return;
    }
    // clique.len() == stack.len() while the stack is not empty.
    let mut stack = vec![Frame::new(adj, p, x)];
    while let Some(top) = stack.last_mut() {
        let Some(v) = top.todo.pop() else {
            stack.pop();
            clique.pop();
            continue;
        };
        let p = intersection(&top.p, &adj[v]);
        let x = intersection(&top.x, &adj[v]);
        if let Ok(at) = top.p.binary_search(&v) {
            top.p.remove(at);
        }
        if let Err(at) = top.x.binary_search(&v) {
            top.x.insert(at, v);
        }
        clique.push(v);
        if p.is_empty() {
            if x.is_empty() {
                report(&clique);
            }
            clique.pop();
            continue;
        }
        stack.push(Frame::new(adj, p, x));
    }
}

/// The common elements of two sorted lists, sorted: by merging, or by
/// binary search from the shorter when the other is much longer.
fn intersection(a: &[usize], b: &[usize]) -> Vec<usize> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() * 16 < long.len() {
        return short.iter().copied().filter(|v| long.binary_search(v).is_ok()).collect();
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < short.len() && j < long.len() {
        match short[i].cmp(&long[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(short[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn intersection_len(a: &[usize], b: &[usize]) -> usize {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() * 16 < long.len() {
        return short.iter().filter(|v| long.binary_search(v).is_ok()).count();
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < short.len() && j < long.len() {
        match short[i].cmp(&long[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The nodes in an order where each has the fewest neighbours among those
/// not yet ordered (a degeneracy order), by a bucket queue: linear in the
/// nodes and edges.
fn degeneracy_order(adj: &[Vec<usize>]) -> Vec<usize> {
    let n = adj.len();
    let mut degree: Vec<usize> = adj.iter().map(Vec::len).collect();
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); degree.iter().max().map_or(0, |&d| d + 1)];
    for (v, &d) in degree.iter().enumerate().rev() {
        buckets[d].push(v);
    }
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut d = 0;
    while order.len() < n {
        let Some(v) = buckets[d].pop() else {
            d += 1;
            continue;
        };
        // Entries left behind when a node's degree dropped are skipped.
        if done[v] || degree[v] != d {
            continue;
        }
        done[v] = true;
        order.push(v);
        for &w in &adj[v] {
            if !done[w] {
                degree[w] -= 1;
                buckets[degree[w]].push(w);
            }
        }
        // Removing a node lowers the least degree by at most one.
        d = d.saturating_sub(1);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Calendar, Cohort, Course, Day, Instructor};

    fn course(id: &str, cohorts: &[usize], instructor: Option<usize>) -> Course {
        Course {
            id: id.into(),
            name: String::new(),
            subject: "s".into(),
            cohorts: cohorts.iter().map(|&k| CohortIdx(k)).collect(),
            sessions: 1,
            min_days: None,
            instructor: instructor.map(InstructorIdx),
            students: None,
            room_features: Default::default(),
            block: None,
            max_span_days: None,
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
            max_days: None,
            min_sessions: None,
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
            &[ConflictReason::Cohort(CohortIdx(0)), ConflictReason::Cohort(CohortIdx(1)), ConflictReason::Instructor(InstructorIdx(0))]
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
    fn twins_are_merged_only_when_they_conflict_with_the_same_courses() {
        // A, B and C conflict with exactly the courses of K0 (A and B also
        // have an instructor of their own), D and E with exactly those of
        // K1 (K2's are among them). F has K0 and K1, whose courses neither
        // include the other's: F is nobody's twin. G conflicts with none.
        let inst = instance(vec![
            course("A", &[0], Some(0)),
            course("B", &[0], Some(1)),
            course("C", &[0, 0], None),
            course("D", &[1, 2], None),
            course("E", &[2, 1], None),
            course("F", &[0, 1], None),
            course("G", &[], None),
        ]);
        let g = ConflictGraph::new(&inst);
        let c = |i: usize| CourseIdx(i);
        assert_eq!(g.maximal_cliques(1), vec![vec![c(0), c(1), c(2), c(5)], vec![c(3), c(4), c(5)], vec![c(6)]]);
        assert_eq!(g.num_conflicts(), 6 + 3);
        assert_eq!(g.neighbours(c(1)).collect::<Vec<_>>(), vec![c(0), c(2), c(5)]);
        assert_eq!(g.neighbours(c(6)).count(), 0);
        assert!(g.reasons(c(0), c(1)) == [ConflictReason::Cohort(CohortIdx(0))]);
        assert!(g.reasons(c(3), c(4)) == [ConflictReason::Cohort(CohortIdx(1)), ConflictReason::Cohort(CohortIdx(2))]);
        assert!(g.reasons(c(2), c(2)).is_empty());
    }

    #[test]
    fn a_clique_of_thousands_is_one_node() {
        let courses: Vec<Course> = (0..5000).map(|n| course(&format!("C{n}"), &[0], (n % 2 == 0).then_some(n % 7 % 2))).collect();
        let g = ConflictGraph::new(&instance(courses));
        assert_eq!(g.num_conflicts(), 5000 * 4999 / 2);
        assert_eq!(g.maximal_cliques(3), vec![(0..5000).map(CourseIdx).collect::<Vec<_>>()]);
    }

    #[test]
    fn no_edges_no_cliques() {
        let g = ConflictGraph::new(&instance(vec![course("A", &[0], None), course("B", &[1], None)]));
        assert!(g.maximal_cliques(2).is_empty());
        assert_eq!(g.maximal_cliques(1), vec![vec![CourseIdx(0)], vec![CourseIdx(1)]]);
    }
}
