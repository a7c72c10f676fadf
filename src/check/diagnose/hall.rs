//! Hall's condition over resources (lecturers, rooms): the sessions that
//! only the resources of a set S can serve must fit what S can give.
//!
//! Checking every subset is exponential, so the search starts from the
//! sets a planner would look at (each course's own eligible set), grows
//! each greedily by the eligible set of a course it touches while that
//! does not loosen the balance, and shrinks every short set it finds to
//! one from which no resource can be dropped. It can miss a short set;
//! every set it reports is short, which is what makes it a proof.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::CourseIdx;

/// Courses that share one set of eligible resources (sorted, not empty).
pub(super) struct Class {
    pub(super) eligible: Vec<usize>,
    pub(super) courses: Vec<CourseIdx>,
    pub(super) sessions: usize,
}

/// A set of resources whose dependent sessions exceed what they can give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Short {
    pub(super) set: Vec<usize>,
    /// Positions in the classes of those whose eligible set lies in `set`.
    pub(super) classes: Vec<usize>,
    pub(super) demand: usize,
    pub(super) supply: usize,
}

impl Short {
    fn deficit(&self) -> usize {
        self.demand - self.supply
    }
}

/// Work allowed per search, counted as classes scanned and resource-class
/// pairs priced per evaluation: growth is greedy and memoised, so real
/// instances stay far below this; it only keeps pathological ones (hundreds
/// of large overlapping sets) within a second. Counted, not timed, so a
/// given instance always gets the same findings.
const BUDGET: usize = 30_000_000;

/// Groups courses by their eligible set; courses with none are left out
/// (no resource at all is its own, per-course finding).
pub(super) fn classes(eligible: impl IntoIterator<Item = (CourseIdx, Vec<usize>, usize)>) -> Vec<Class> {
    let mut by_set: BTreeMap<Vec<usize>, Class> = BTreeMap::new();
    for (c, mut set, sessions) in eligible {
        set.sort_unstable();
        set.dedup();
        if set.is_empty() || sessions == 0 {
            continue;
        }
        let class = by_set.entry(set.clone()).or_insert_with(|| Class { eligible: set, courses: Vec::new(), sessions: 0 });
        class.courses.push(c);
        class.sessions += sessions;
    }
    by_set.into_values().collect()
}

/// The short sets found, each minimal (no resource can be dropped and keep
/// it short), smallest first. A set is left out when a subset of it is
/// short by as much or more: it would tell the planner nothing new.
/// `supply(set, classes)` is an upper bound on the sessions of those
/// classes that the set's resources can serve together.
pub(super) fn short_sets(classes: &[Class], supply: impl Fn(&[usize], &[usize]) -> usize) -> Vec<Short> {
    let mut search = Search { classes, supply, memo: BTreeMap::new(), touching: BTreeMap::new(), work: 0 };
    for (n, class) in classes.iter().enumerate() {
        for &r in &class.eligible {
            search.touching.entry(r).or_default().push(n);
        }
    }
    let mut found: BTreeSet<Vec<usize>> = BTreeSet::new();
    for class in classes {
        if search.work > BUDGET {
            break;
        }
        if let Some(set) = search.grow(class.eligible.clone()) {
            found.insert(search.shrink(set));
        }
    }
    let mut shorts: Vec<Short> = found.into_iter().map(|set| search.eval(&set)).collect();
    shorts.sort_by(|a, b| a.set.len().cmp(&b.set.len()).then_with(|| a.set.cmp(&b.set)));
    let mut kept: Vec<Short> = Vec::new();
    for short in shorts {
        let implied = kept.iter().any(|k| k.deficit() >= short.deficit() && k.set.iter().all(|r| short.set.binary_search(r).is_ok()));
        if !implied {
            kept.push(short);
        }
    }
    kept
}

struct Search<'a, F> {
    classes: &'a [Class],
    supply: F,
    memo: BTreeMap<Vec<usize>, Short>,
    /// Per resource, the classes it is eligible for.
    touching: BTreeMap<usize, Vec<usize>>,
    work: usize,
}

impl<F: Fn(&[usize], &[usize]) -> usize> Search<'_, F> {
    fn eval(&mut self, set: &[usize]) -> Short {
        if let Some(short) = self.memo.get(set) {
            return short.clone();
        }
        let inside: Vec<usize> =
            (0..self.classes.len()).filter(|&n| self.classes[n].eligible.iter().all(|r| set.binary_search(r).is_ok())).collect();
        let demand = inside.iter().map(|&n| self.classes[n].sessions).sum();
        self.work += self.classes.len() + set.len() * inside.len();
        // No demand, no shortage: skip the supply's cost.
        let supply = if demand == 0 { 0 } else { (self.supply)(set, &inside) };
        let short = Short { set: set.to_vec(), classes: inside, demand, supply };
        self.memo.insert(set.to_vec(), short.clone());
        short
    }

    /// Supply minus demand, negative when short.
    fn balance(&mut self, set: &[usize]) -> i64 {
        let short = self.eval(set);
        short.supply as i64 - short.demand as i64
    }

    /// From `set`, adds the eligible set of a touching class while the
    /// balance does not rise; the first short set on the way, if any.
    fn grow(&mut self, mut set: Vec<usize>) -> Option<Vec<usize>> {
        let mut balance = self.balance(&set);
        loop {
            if balance < 0 {
                return Some(set);
            }
            if self.work > BUDGET {
                return None;
            }
            let mut neighbours: BTreeSet<usize> = BTreeSet::new();
            for r in &set {
                neighbours.extend(self.touching.get(r).into_iter().flatten().copied());
            }
            let mut best: Option<(i64, Vec<usize>)> = None;
            for n in neighbours {
                let eligible = &self.classes[n].eligible;
                if eligible.iter().all(|r| set.binary_search(r).is_ok()) {
                    continue;
                }
                let mut grown: Vec<usize> = set.iter().chain(eligible).copied().collect();
                grown.sort_unstable();
                grown.dedup();
                let b = self.balance(&grown);
                if best.as_ref().is_none_or(|(bb, bs)| (b, grown.len()) < (*bb, bs.len())) {
                    best = Some((b, grown));
                }
            }
            match best {
                Some((b, grown)) if b <= balance => (balance, set) = (b, grown),
                _ => return None,
            }
        }
    }

    /// Drops resources one at a time while the set stays short, pass after
    /// pass until none can go (a drop can free another). Past the budget
    /// the set stays as it is: larger than need be, still short.
    fn shrink(&mut self, mut set: Vec<usize>) -> Vec<usize> {
        let mut dropped = true;
        while dropped && self.work <= 2 * BUDGET {
            dropped = false;
            let mut n = 0;
            while n < set.len() && set.len() > 1 {
                let mut smaller = set.clone();
                smaller.remove(n);
                if self.balance(&smaller) < 0 {
                    set = smaller;
                    dropped = true;
                } else {
                    n += 1;
                }
            }
        }
        set
    }
}

/// The largest total of some of `sizes` that is at most `cap`: a resource
/// that takes whole courses can fill no more of its capacity than that.
pub(super) fn best_fill(sizes: &[usize], cap: usize) -> usize {
    if sizes.iter().sum::<usize>() <= cap {
        return sizes.iter().sum();
    }
    let mut reach = vec![false; cap + 1];
    reach[0] = true;
    for &s in sizes.iter().filter(|&&s| s <= cap) {
        for t in (s..=cap).rev() {
            reach[t] |= reach[t - s];
        }
    }
    reach.iter().rposition(|&r| r).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(eligible: &[usize], sessions: usize) -> Class {
        Class { eligible: eligible.to_vec(), courses: vec![CourseIdx(0)], sessions }
    }

    #[test]
    fn best_fill_counts_whole_courses_only() {
        assert_eq!(best_fill(&[3, 3, 3], 5), 3);
        assert_eq!(best_fill(&[3, 3, 4], 7), 7);
        assert_eq!(best_fill(&[2, 2], 9), 4);
        assert_eq!(best_fill(&[6], 5), 0);
    }

    #[test]
    fn finds_a_pair_short_through_a_shared_class_and_drops_the_surplus() {
        // Resources 0 and 1 give 4 each and alone serve 10 sessions;
        // resource 2 has room to spare and must not be named.
        let classes = [class(&[0, 1], 10), class(&[1, 2], 1)];
        let shorts = short_sets(&classes, |set, _| set.len() * 4);
        assert_eq!(shorts.len(), 1, "{shorts:?}");
        assert_eq!((shorts[0].set.clone(), shorts[0].demand, shorts[0].supply), (vec![0, 1], 10, 8));
    }

    #[test]
    fn grows_through_classes_to_a_union_no_seed_names() {
        // {0,1} and {1,2} each fit (6 in 8); together 12 sessions in 12
        // fit too; a third class over {0,2} makes the union short.
        let classes = [class(&[0, 1], 6), class(&[1, 2], 6), class(&[0, 2], 1)];
        let shorts = short_sets(&classes, |set, _| set.len() * 4);
        assert_eq!(shorts.iter().map(|s| s.set.clone()).collect::<Vec<_>>(), [vec![0, 1, 2]]);
    }

    #[test]
    fn a_superset_short_by_no_more_is_left_out() {
        let classes = [class(&[0], 5), class(&[0, 1], 4)];
        // {0}: 5 in 4 (short 1); {0,1}: 9 in 8 (short 1, nothing new).
        let shorts = short_sets(&classes, |set, _| set.len() * 4);
        assert_eq!(shorts.iter().map(|s| s.set.clone()).collect::<Vec<_>>(), [vec![0]]);
    }
}
