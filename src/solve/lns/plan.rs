//! What the search works on: a plan (complete or not) and its score.

use crate::model::{InstructorIdx, RoomIdx, Timetable};
use crate::solve::context::Context;
use crate::solve::pricing::price;
use crate::solve::rooms::Session;
use crate::solve::Objective;

/// A complete or partial timetable: per course its instructor and its
/// sessions as (slot, room), sorted by slot. A course with fewer sessions
/// than it needs has none (the construction places courses whole).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub teacher: Vec<InstructorIdx>,
    pub placed: Vec<Vec<(usize, RoomIdx)>>,
}

impl Plan {
    pub fn new(n_courses: usize, sessions: &[Session], rooms: &[RoomIdx], teacher: Vec<InstructorIdx>) -> Plan {
        let mut placed = vec![Vec::new(); n_courses];
        for (s, &r) in sessions.iter().zip(rooms) {
            placed[s.course].push((s.slot, r));
        }
        for p in &mut placed {
            p.sort_unstable();
        }
        Plan { teacher, placed }
    }

    /// A timetable's decisions, indexed for the search.
    pub fn from_timetable(ctx: &Context, timetable: &Timetable) -> Plan {
        let cal = &ctx.instance.calendar;
        let n = ctx.instance.courses.len();
        let mut teacher: Vec<InstructorIdx> = ctx.cand.instructors.iter().map(|o| o[0]).collect();
        let mut placed = vec![Vec::new(); n];
        for p in &timetable.placements {
            placed[p.course.0].push((cal.slot_index(p.slot), p.room));
            teacher[p.course.0] = p.instructor;
        }
        for p in &mut placed {
            p.sort_unstable();
        }
        Plan { teacher, placed }
    }

    /// The plan as a timetable (complete only if no course is unplaced).
    pub fn timetable(&self, ctx: &Context) -> Timetable {
        let (sessions, rooms) = self.sessions();
        ctx.timetable(&sessions, &rooms, &self.teacher)
    }

    /// Sessions and rooms in course order.
    pub fn sessions(&self) -> (Vec<Session>, Vec<RoomIdx>) {
        let mut sessions = Vec::new();
        let mut rooms = Vec::new();
        for (c, p) in self.placed.iter().enumerate() {
            for &(t, r) in p {
                sessions.push(Session { course: c, slot: t });
                rooms.push(r);
            }
        }
        (sessions, rooms)
    }

    pub(super) fn unplaced(&self, ctx: &Context) -> Vec<usize> {
        (0..self.placed.len()).filter(|&c| self.placed[c].len() < ctx.instance.courses[c].sessions as usize).collect()
    }

    pub(super) fn missing_sessions(&self, ctx: &Context) -> u32 {
        self.unplaced(ctx).iter().map(|&c| ctx.instance.courses[c].sessions - self.placed[c].len() as u32).sum()
    }
}

/// A plan's standing: sessions still unplaced first, then cost.
#[derive(Debug, Clone, Copy)]
pub struct Score {
    pub missing: u32,
    pub objective: Objective,
}

impl Score {
    pub fn of(ctx: &Context, plan: &Plan) -> Score {
        let (sessions, rooms) = plan.sessions();
        Score { missing: plan.missing_sessions(ctx), objective: price(ctx, &sessions, &rooms, &plan.teacher) }
    }

    pub fn better_than(&self, other: &Score) -> bool {
        self.missing < other.missing || self.missing == other.missing && self.objective.minimised() < other.objective.minimised() - 1e-9
    }

    pub(super) fn not_worse_than(&self, other: &Score) -> bool {
        !other.better_than(self)
    }
}
