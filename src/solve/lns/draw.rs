//! The neighbourhoods: what each kind frees of the current plan.

use std::collections::{BTreeSet, VecDeque};

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::plan::Plan;
use crate::model::{DayIdx, InstructorIdx, RoomIdx};
use crate::solve::context::Context;
use crate::solve::pricing;

/// The kinds of neighbourhood, in the order their statistics are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A course not yet placed, with the sessions around it in its window.
    Unplaced,
    /// Every session on a few days.
    Days,
    /// A cohort's courses and those of cohorts in conflict with them.
    Cohorts,
    /// Courses that instructors could swap between them.
    Instructors,
    /// The sessions in a few similar rooms over a stretch of days.
    Rooms,
    /// The courses that carry the most cost.
    Costly,
    /// Every room at the times of courses spread over several rooms, with
    /// times and instructors kept: sessions trade rooms so that a course
    /// can keep to one (room stability), a move the kinds that free times
    /// rarely find, because the room a course wants is held at each of its
    /// times by a session that is not free.
    SlotRooms,
    /// A costly course's cohorts and the cohorts in conflict with them, on
    /// a few days: their sessions trade places within those days, which
    /// closes the gaps in a cohort's day (compactness) that freeing whole
    /// courses over the calendar leaves too many choices to close in time.
    CohortDays,
}

impl Kind {
    /// The kind's row in per-kind tables.
    pub(super) fn index(self) -> usize {
        self as usize
    }
}

/// What a neighbourhood frees.
#[derive(Debug, Clone)]
pub(super) struct Neighbourhood {
    pub(super) kind: Kind,
    /// Per course, the slots of its placed sessions set free. A course
    /// whose sessions are all free may also change instructor.
    pub(super) freed: Vec<BTreeSet<usize>>,
    /// Courses not yet placed that this neighbourhood must place.
    pub(super) unplaced: Vec<usize>,
    /// Courses that keep their slots and rooms but may change instructor.
    pub(super) reteach: BTreeSet<usize>,
    /// Courses whose freed sessions may go anywhere, not only in the region.
    pub(super) anywhere: BTreeSet<usize>,
    /// Slots where freed sessions may go (any of the course's when None).
    pub(super) region: Option<Vec<bool>>,
    /// Rooms freed sessions may use (any compatible one when None).
    pub(super) rooms: Option<Vec<bool>>,
    /// Freed sessions keep their slots and instructors: only rooms change.
    pub(super) keep_times: bool,
}

impl Neighbourhood {
    fn new(kind: Kind, n_courses: usize) -> Self {
        Neighbourhood {
            kind,
            freed: vec![BTreeSet::new(); n_courses],
            unplaced: Vec::new(),
            reteach: BTreeSet::new(),
            anywhere: BTreeSet::new(),
            region: None,
            rooms: None,
            keep_times: false,
        }
    }

    pub(super) fn size(&self) -> usize {
        self.freed.iter().map(BTreeSet::len).sum()
    }

    fn free_course(&mut self, plan: &Plan, c: usize) {
        self.freed[c].extend(plan.placed[c].iter().map(|&(t, _)| t));
    }

    /// Courses whose decisions this neighbourhood may change.
    pub(super) fn touched(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.freed.len()).filter(|&c| !self.freed[c].is_empty() || self.reteach.contains(&c)).chain(self.unplaced.iter().copied())
    }
}

/// Draws a neighbourhood of `kind` freeing about `size` sessions. A kind
/// that does not apply to the instance (no cohorts, one day) gives way to
/// [`Kind::Days`], as does [`Kind::Unplaced`], whose courses
/// [`around_unplaced`] draws.
///
/// The kinds drawn by cost pick their courses among those not marked in
/// `busy`, which another sub-problem has in hand right now: two workers drawing from one
/// plan would otherwise chase the same costly courses, and the later result
/// find its gain taken or clash. (Keeping busy courses out of every kind
/// made no measurable difference on comp07 and took the costliest courses
/// from the other worker's Days and Rooms.)
pub(super) fn draw(ctx: &Context, plan: &Plan, kind: Kind, size: usize, busy: &[bool], rng: &mut ChaCha8Rng) -> Neighbourhood {
    let size = size.max(1);
    let drawn = match kind {
        Kind::Days | Kind::Unplaced => None,
        Kind::Cohorts => cohorts(ctx, plan, size, rng),
        Kind::Instructors => Some(instructors(ctx, plan, size, rng)),
        Kind::Rooms => Some(rooms(ctx, plan, size, rng)),
        Kind::SlotRooms => Some(slot_rooms(ctx, plan, size, busy, rng)),
        Kind::CohortDays => cohort_days(ctx, plan, size, busy, rng),
        Kind::Costly => Some(costly(ctx, plan, size, busy, rng)),
    };
    drawn.unwrap_or_else(|| days(ctx, plan, size, rng))
}

/// Some days, in random order or as one stretch; then, when a day alone
/// holds too much, a random part of its sessions.
fn days(ctx: &Context, plan: &Plan, size: usize, rng: &mut ChaCha8Rng) -> Neighbourhood {
    let cal = &ctx.instance.calendar;
    let mut nb = Neighbourhood::new(Kind::Days, plan.placed.len());
    let mut days: Vec<usize> = (0..cal.num_days()).collect();
    let stretch = rng.gen_bool(0.5);
    if stretch {
        let start = rng.gen_range(0..days.len().max(1));
        days.rotate_left(start);
    } else {
        days.shuffle(rng);
    }
    let mut region = vec![false; cal.num_slots()];
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for d in days {
        for t in cal.day_slots(DayIdx(d)) {
            region[t] = true;
        }
        for (c, p) in plan.placed.iter().enumerate() {
            chosen.extend(p.iter().filter(|&&(t, _)| cal.slot(t).day.0 == d).map(|&(t, _)| (c, t)));
        }
        if chosen.len() >= size {
            break;
        }
    }
    if chosen.len() > size * 3 / 2 {
        chosen.shuffle(rng);
        chosen.truncate(size);
    }
    for (c, t) in chosen {
        nb.freed[c].insert(t);
    }
    nb.region = Some(region);
    nb
}

/// A random cohort's courses, then breadth-first those of the cohorts
/// sharing courses or instructors with them; `None` without cohorts.
fn cohorts(ctx: &Context, plan: &Plan, size: usize, rng: &mut ChaCha8Rng) -> Option<Neighbourhood> {
    let inst = ctx.instance;
    let cohorts = inst.courses_of_cohort();
    if cohorts.is_empty() {
        return None;
    }
    let mut nb = Neighbourhood::new(Kind::Cohorts, plan.placed.len());
    let first = rng.gen_range(0..cohorts.len());
    breadth_first([first], &mut nb, size, |k, nb, queue| {
        let mut courses = cohorts[k].clone();
        courses.shuffle(rng);
        for c in courses {
            if nb.size() >= size {
                break;
            }
            nb.free_course(plan, c.0);
            for other in &inst.courses[c.0].cohorts {
                queue.push_back(other.0);
            }
            let i = plan.teacher[c.0];
            for (d, course) in inst.courses.iter().enumerate() {
                if plan.teacher[d] == i && d != c.0 {
                    if let Some(k2) = course.cohorts.first() {
                        queue.push_back(k2.0);
                    }
                }
            }
        }
    });
    Some(nb)
}

/// Courses a random instructor teaches or could teach, then breadth-first
/// those of the instructors who could take them over.
fn instructors(ctx: &Context, plan: &Plan, size: usize, rng: &mut ChaCha8Rng) -> Neighbourhood {
    let inst = ctx.instance;
    let n = inst.courses.len();
    let mut nb = Neighbourhood::new(Kind::Instructors, n);
    let first = InstructorIdx(rng.gen_range(0..inst.instructors.len().max(1)));
    breadth_first([first], &mut nb, size, |i, nb, queue| {
        let mut courses: Vec<usize> = (0..n).filter(|&c| plan.teacher[c] == i || ctx.cand.instructors[c].contains(&i)).collect();
        courses.shuffle(rng);
        for c in courses {
            if nb.size() >= size {
                break;
            }
            nb.free_course(plan, c);
            queue.push_back(plan.teacher[c]);
            queue.extend(ctx.cand.instructors[c].iter().copied());
        }
    });
    nb
}

/// Two to four rooms of similar size, over a growing stretch of days.
fn rooms(ctx: &Context, plan: &Plan, size: usize, rng: &mut ChaCha8Rng) -> Neighbourhood {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let mut nb = Neighbourhood::new(Kind::Rooms, plan.placed.len());
    let r0 = rng.gen_range(0..inst.rooms.len().max(1));
    let mut rooms: Vec<usize> = (0..inst.rooms.len()).collect();
    let cap0 = inst.rooms.get(r0).map_or(0, |r| r.capacity) as i64;
    rooms.sort_by_key(|&r| ((inst.rooms[r].capacity as i64 - cap0).abs(), r != r0, r));
    rooms.truncate(rng.gen_range(2..=4).min(inst.rooms.len()));
    let mut mask = vec![false; inst.rooms.len()];
    for &r in &rooms {
        mask[r] = true;
    }
    let n_days = cal.num_days().max(1);
    let first = rng.gen_range(0..n_days);
    let mut region = vec![false; cal.num_slots()];
    for step in 0..n_days {
        let d = (first + step) % n_days;
        for t in cal.day_slots(DayIdx(d)) {
            region[t] = true;
        }
        for (c, p) in plan.placed.iter().enumerate() {
            for &(t, r) in p {
                if mask[r.0] && region[t] {
                    nb.freed[c].insert(t);
                }
            }
        }
        if nb.size() >= size {
            break;
        }
    }
    nb.region = Some(region);
    nb.rooms = Some(mask);
    nb
}

/// Courses drawn by how many rooms they use beyond one; every session at
/// their slots is freed, to change rooms only.
fn slot_rooms(ctx: &Context, plan: &Plan, size: usize, busy: &[bool], rng: &mut ChaCha8Rng) -> Neighbourhood {
    let cal = &ctx.instance.calendar;
    let mut nb = Neighbourhood::new(Kind::SlotRooms, plan.placed.len());
    let mut pool: Vec<(usize, f64)> = plan
        .placed
        .iter()
        .enumerate()
        .filter(|&(c, _)| !busy[c])
        .map(|(c, p)| (c, p.iter().map(|&(_, r)| r).collect::<BTreeSet<_>>().len().saturating_sub(1) as f64 + 0.05))
        .collect();
    let mut slots = vec![false; cal.num_slots()];
    while nb.size() < size && !pool.is_empty() {
        let (c, _) = pool.swap_remove(weighted_pick(&pool, rng));
        for &(t, _) in &plan.placed[c] {
            if !std::mem::replace(&mut slots[t], true) {
                for (d, p) in plan.placed.iter().enumerate() {
                    if p.iter().any(|&(u, _)| u == t) {
                        nb.freed[d].insert(t);
                    }
                }
            }
        }
    }
    nb.keep_times = true;
    nb
}

/// A course drawn by cost, one of its days and one or two others; then
/// breadth-first from its cohorts, the sessions on those days of the
/// cohorts sharing courses. `None` without cohorts, placed courses free to
/// draw, or a second day.
fn cohort_days(ctx: &Context, plan: &Plan, size: usize, busy: &[bool], rng: &mut ChaCha8Rng) -> Option<Neighbourhood> {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let cohorts = inst.courses_of_cohort();
    let cost = course_costs(ctx, plan);
    let pool: Vec<(usize, f64)> =
        cost.into_iter().enumerate().filter(|&(c, _)| !plan.placed[c].is_empty() && !busy[c]).map(|(c, w)| (c, w + 0.01)).collect();
    if cohorts.is_empty() || pool.is_empty() || cal.num_days() < 2 {
        return None;
    }
    let mut nb = Neighbourhood::new(Kind::CohortDays, plan.placed.len());
    let seed = pool[weighted_pick(&pool, rng)].0;
    let (t0, _) = plan.placed[seed][rng.gen_range(0..plan.placed[seed].len())];
    let mut others: Vec<usize> = (0..cal.num_days()).filter(|&d| d != cal.slot(t0).day.0).collect();
    others.shuffle(rng);
    others.truncate(rng.gen_range(1..=2));
    let mut in_days = vec![false; cal.num_days()];
    for d in others.into_iter().chain([cal.slot(t0).day.0]) {
        in_days[d] = true;
    }
    let region: Vec<bool> = (0..cal.num_slots()).map(|t| in_days[cal.slot(t).day.0]).collect();
    breadth_first(inst.courses[seed].cohorts.iter().map(|k| k.0), &mut nb, size, |k, nb, queue| {
        let mut courses = cohorts[k].clone();
        courses.shuffle(rng);
        for c in courses.into_iter().filter(|c| !busy[c.0]) {
            nb.freed[c.0].extend(plan.placed[c.0].iter().map(|&(t, _)| t).filter(|&t| region[t]));
            queue.extend(inst.courses[c.0].cohorts.iter().map(|o| o.0));
        }
    });
    nb.region = Some(region);
    Some(nb)
}

/// Whole courses drawn by their share of the cost.
fn costly(ctx: &Context, plan: &Plan, size: usize, busy: &[bool], rng: &mut ChaCha8Rng) -> Neighbourhood {
    let mut nb = Neighbourhood::new(Kind::Costly, plan.placed.len());
    let cost = course_costs(ctx, plan);
    let mut pool: Vec<(usize, f64)> = cost.into_iter().enumerate().filter(|&(c, _)| !busy[c]).map(|(c, w)| (c, w + 0.01)).collect();
    while nb.size() < size && !pool.is_empty() {
        let (c, _) = pool.swap_remove(weighted_pick(&pool, rng));
        nb.free_course(plan, c);
    }
    nb
}

/// Visits nodes (cohorts, instructors) breadth-first from `start`, each
/// once, until `nb` frees `size` sessions; `visit` frees a node's sessions
/// and queues its neighbours.
fn breadth_first<T: Ord + Copy>(
    start: impl IntoIterator<Item = T>,
    nb: &mut Neighbourhood,
    size: usize,
    mut visit: impl FnMut(T, &mut Neighbourhood, &mut VecDeque<T>),
) {
    let mut queue: VecDeque<T> = start.into_iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(node) = queue.pop_front() {
        if !seen.insert(node) || nb.size() >= size {
            continue;
        }
        visit(node, nb, &mut queue);
    }
}

/// A position in `pool` drawn with probability proportional to its weight.
fn weighted_pick(pool: &[(usize, f64)], rng: &mut ChaCha8Rng) -> usize {
    let total: f64 = pool.iter().map(|p| p.1).sum();
    let mut x = rng.gen::<f64>() * total;
    for (k, p) in pool.iter().enumerate() {
        x -= p.1;
        if x <= 0.0 {
            return k;
        }
    }
    pool.len() - 1
}

/// A course not placed yet, with the sessions that could make room for it
/// in its window: those of its cohorts and possible instructors first, then
/// those in its rooms. Each failed try widens the circle.
pub(super) fn around_unplaced(ctx: &Context, plan: &Plan, c: usize, tries: u32, rng: &mut ChaCha8Rng) -> Neighbourhood {
    let inst = ctx.instance;
    let cal = &inst.calendar;
    let mut nb = Neighbourhood::new(Kind::Unplaced, inst.courses.len());
    nb.unplaced.push(c);
    nb.free_course(plan, c);
    let mut region = vec![false; cal.num_slots()];
    let days: BTreeSet<usize> = ctx.cand.slots[c].iter().map(|&t| cal.slot(t).day.0).collect();
    for &d in &days {
        for t in cal.day_slots(DayIdx(d)) {
            region[t] = true;
        }
    }
    let cohorts: BTreeSet<_> = inst.courses[c].cohorts.iter().copied().collect();
    let teachers: BTreeSet<InstructorIdx> = ctx.cand.instructors[c].iter().copied().collect();
    let rooms: BTreeSet<RoomIdx> = ctx.cand.rooms[c].iter().copied().collect();
    // Sessions in the way of the course's own pins go first, whatever the
    // budget: without freeing them the course cannot be placed at all.
    for (d, p) in plan.placed.iter().enumerate() {
        let shares_cohort = inst.courses[d].cohorts.iter().any(|k| cohorts.contains(k));
        for &(t, r) in p {
            if let Some(pin) = ctx.cand.pins[c].get(&t) {
                if shares_cohort || teachers.contains(&plan.teacher[d]) || pin.room == Some(r) {
                    nb.freed[d].insert(t);
                }
            }
        }
    }
    let mut rings: [Vec<(usize, usize)>; 4] = Default::default();
    for (d, p) in plan.placed.iter().enumerate() {
        let shares_cohort = inst.courses[d].cohorts.iter().any(|k| cohorts.contains(k));
        let shares_teacher = teachers.contains(&plan.teacher[d]) || ctx.cand.instructors[d].iter().any(|i| teachers.contains(i));
        for &(t, r) in p {
            if !region[t] {
                continue;
            }
            if shares_cohort {
                rings[0].push((d, t));
            } else if shares_teacher {
                rings[1].push((d, t));
            } else if rooms.contains(&r) {
                rings[2].push((d, t));
            } else {
                rings[3].push((d, t));
            }
        }
    }
    let budget = (40usize << tries.min(12)).max(inst.courses[c].sessions as usize * 4);
    for ring in rings.iter_mut().take(if tries >= 3 { 4 } else { 3 }) {
        ring.shuffle(rng);
        for &(d, t) in ring.iter() {
            if nb.size() >= budget {
                break;
            }
            nb.freed[d].insert(t);
        }
    }
    // From the second try, the course's rooms or instructors' totals may be
    // what blocks: courses sharing its rooms in the window may move out of
    // it, and courses of its possible instructors may change hands.
    if tries >= 1 {
        let mut movers: Vec<usize> = Vec::new();
        for ring in [&rings[0], &rings[2], &rings[1]] {
            let mut courses: Vec<usize> = ring.iter().map(|&(d, _)| d).collect::<BTreeSet<_>>().into_iter().collect();
            courses.shuffle(rng);
            for d in courses {
                if !movers.contains(&d) {
                    movers.push(d);
                }
            }
        }
        // From the third try, the courses in its rooms anywhere in the
        // calendar too: moving one out of the window needs room elsewhere.
        if tries >= 2 && rooms.len() <= 3 {
            let mut far: Vec<usize> =
                (0..inst.courses.len()).filter(|&d| d != c && plan.placed[d].iter().any(|(_, r)| rooms.contains(r))).collect();
            far.shuffle(rng);
            for d in far {
                if !movers.contains(&d) {
                    movers.push(d);
                }
            }
        }
        movers.truncate(12 << tries.min(5));
        for d in movers {
            nb.free_course(plan, d);
            nb.anywhere.insert(d);
        }
        let mut others: Vec<usize> = (0..inst.courses.len())
            .filter(|&d| d != c && teachers.contains(&plan.teacher[d]) && ctx.cand.instructors[d].len() > 1)
            .collect();
        others.shuffle(rng);
        others.truncate(20 << tries.min(4));
        nb.reteach.extend(others);
    }
    nb.region = Some(region);
    nb
}

/// Each course's share of the current cost: where the costly kinds look.
fn course_costs(ctx: &Context, plan: &Plan) -> Vec<f64> {
    let (sessions, rooms) = plan.sessions();
    pricing::course_costs(ctx, &sessions, &rooms, &plan.teacher).iter().map(|c| c.total()).collect()
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use rand::SeedableRng;

    use super::*;
    use crate::generate::{generate, Size};
    use crate::solve::backend::RunLimits;
    use crate::solve::lns::plan::Score;
    use crate::solve::lns::subproblem::solve_part;
    use crate::solve::SolveOptions;

    /// The cohort-days kind frees sessions of cohorts linked through shared
    /// courses on two or three days only, lets them move within those days,
    /// and leaves alone the courses another sub-problem has in hand.
    #[test]
    fn cohort_days_stays_in_its_days_and_clear_of_busy_courses() {
        let g = generate(Size::Medium, 1);
        let options = SolveOptions { time_limit: Some(60.0), threads: 1, ..SolveOptions::default() };
        let ctx = Context::new(&g.instance, &options, Instant::now());
        let plan = Plan::from_timetable(&ctx, &g.planted);
        let cal = &g.instance.calendar;
        let n = plan.placed.len();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for round in 0..20 {
            let busy: Vec<bool> = (0..n).map(|c| round % 2 == 1 && c % 3 == 0).collect();
            let nb = draw(&ctx, &plan, Kind::CohortDays, 30, &busy, &mut rng);
            let region = nb.region.as_ref().expect("a region of days");
            let days: BTreeSet<usize> = (0..cal.num_slots()).filter(|&t| region[t]).map(|t| cal.slot(t).day.0).collect();
            assert!((2..=3).contains(&days.len()), "{days:?}");
            assert!(nb.size() >= 1);
            for (c, freed) in nb.freed.iter().enumerate() {
                assert!(freed.iter().all(|&t| region[t]), "course {c} freed outside the days");
                assert!(freed.iter().all(|t| plan.placed[c].iter().any(|(u, _)| u == t)), "course {c} freed a slot it does not use");
                if busy[c] {
                    assert!(freed.is_empty(), "busy course {c} freed");
                }
            }
        }
        // A sub-problem of it hands back a plan the checker accepts.
        let nb = draw(&ctx, &plan, Kind::CohortDays, 30, &vec![false; n], &mut rng);
        let limits = RunLimits { time_limit: Some(30.0), threads: 1, seed: 0, node_limit: None, verbose: false };
        let (_, found) = solve_part(&ctx, &plan, &nb, &limits).expect("the sub-problem runs");
        let found = found.expect("the current plan is a solution of its own neighbourhood");
        assert!(Score::of(&ctx, &found).not_worse_than(&Score::of(&ctx, &plan)));
        let report = crate::check::check(&g.instance, &found.timetable(&ctx));
        assert!(report.violations.is_empty(), "{:?}", report.violations);
    }

    /// The room-trading kind changes rooms and nothing else, never makes the
    /// plan worse, and what it hands back passes the independent checker.
    #[test]
    fn slot_rooms_changes_rooms_only() {
        let g = generate(Size::Medium, 1);
        let options = SolveOptions { time_limit: Some(60.0), threads: 1, ..SolveOptions::default() };
        let ctx = Context::new(&g.instance, &options, Instant::now());
        let plan = Plan::from_timetable(&ctx, &g.planted);
        let before = Score::of(&ctx, &plan);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let nb = draw(&ctx, &plan, Kind::SlotRooms, 40, &vec![false; plan.placed.len()], &mut rng);
        assert!(nb.keep_times && nb.size() >= 1);
        let limits = RunLimits { time_limit: Some(30.0), threads: 1, seed: 0, node_limit: None, verbose: false };
        let (_, found) = solve_part(&ctx, &plan, &nb, &limits).expect("the sub-problem runs");
        let found = found.expect("the current plan is a solution of its own neighbourhood");
        assert_eq!(found.teacher, plan.teacher);
        for (c, (a, b)) in found.placed.iter().zip(&plan.placed).enumerate() {
            let slots = |p: &Vec<(usize, RoomIdx)>| p.iter().map(|&(t, _)| t).collect::<Vec<_>>();
            assert_eq!(slots(a), slots(b), "course {c} moved");
            if nb.freed[c].is_empty() {
                assert_eq!(a, b, "course {c} was not freed but changed rooms");
            }
        }
        assert!(Score::of(&ctx, &found).not_worse_than(&before));
        let report = crate::check::check(&g.instance, &found.timetable(&ctx));
        assert!(report.violations.is_empty(), "{:?}", report.violations);
    }
}
