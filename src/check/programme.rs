//! The hard rules of a training programme (FORMAT.md version 2), one
//! function per rule, each counted as "Counting the new hard violations"
//! says: every violation pushed is one unit of that count, so the number
//! of violations of a kind is the count FORMAT.md defines.

use std::collections::{BTreeMap, BTreeSet};

use super::index::{count_word, join_and, plural};
use super::relations;
use super::rules::Ctx;
use super::{Violation, ViolationKind as Kind};
use crate::model::{CohortIdx, CourseIdx, DayIdx, InstructorIdx, RelationKind};

/// Every violation of the programme rules.
pub(super) fn all(ctx: &Ctx, out: &mut Vec<Violation>) {
    block(ctx, out);
    max_span_days(ctx, out);
    site(ctx, out);
    max_days(ctx, out);
    hard_relations(ctx, out);
}

/// A course's periods on one day form a maximal run of consecutive periods
/// whose length is not a multiple of its `block`: one violation per run.
fn block(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (c, course) in ctx.instance.courses.iter().enumerate() {
        let Some(block) = course.block.filter(|&b| b > 1) else { continue };
        let mut by_day: BTreeMap<DayIdx, BTreeSet<u32>> = BTreeMap::new();
        for p in ctx.index.by_course[c].iter().map(|&n| ctx.index.get(n)) {
            by_day.entry(p.slot.day).or_default().insert(p.slot.period);
        }
        for (day, periods) in by_day {
            for (first, len) in runs(&periods) {
                if len % block != 0 {
                    let last = first + len - 1;
                    let span = if len == 1 { format!("period {first}") } else { format!("periods {first}-{last}") };
                    let message = format!(
                        "Course {} meets in {span} of {}, a run of {} not a multiple of its block of {block}.",
                        course.id,
                        ctx.names.day(day),
                        plural(len as usize, "period")
                    );
                    out.push(Violation::new(Kind::Block, message).on_day(day).courses([CourseIdx(c)]));
                }
            }
        }
    }
}

/// Maximal runs of consecutive numbers, as (first, length).
fn runs(periods: &BTreeSet<u32>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &p in periods {
        match out.last_mut() {
            Some((first, len)) if *first + *len == p => *len += 1,
            _ => out.push((p, 1)),
        }
    }
    out
}

/// A course's first and last days are more than `max_span_days - 1`
/// calendar rows apart: one violation per course.
fn max_span_days(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (c, course) in ctx.instance.courses.iter().enumerate() {
        let Some(max) = course.max_span_days else { continue };
        let days: BTreeSet<DayIdx> = ctx.index.by_course[c].iter().map(|&n| ctx.index.get(n).slot.day).collect();
        let (Some(&first), Some(&last)) = (days.first(), days.last()) else { continue };
        let span = last.0 - first.0 + 1;
        if span > max as usize {
            let message = format!(
                "Course {} spans {span} days of the calendar ({}..{}), more than its max_span_days of {max}.",
                course.id,
                ctx.names.day(first),
                ctx.names.day(last)
            );
            out.push(Violation::new(Kind::MaxSpanDays, message).on_day(first).courses([CourseIdx(c)]));
        }
    }
}

/// A cohort or an instructor in rooms of k >= 2 sites on one day: k - 1
/// violations, one per site after the first (in label order, the main
/// site first).
fn site(ctx: &Ctx, out: &mut Vec<Violation>) {
    let sites_by_day = |sessions: &[usize]| {
        let mut by_day: BTreeMap<DayIdx, BTreeMap<&str, BTreeSet<CourseIdx>>> = BTreeMap::new();
        for p in sessions.iter().map(|&n| ctx.index.get(n)) {
            if let Some(r) = p.room {
                by_day.entry(p.slot.day).or_default().entry(ctx.instance.rooms[r.0].site.as_str()).or_default().insert(p.course);
            }
        }
        by_day
    };
    let site_name = |s: &str| if s.is_empty() { "the main site".to_string() } else { format!("site {s}") };
    let mut report = |who: String, day: DayIdx, sites: BTreeMap<&str, BTreeSet<CourseIdx>>, tag: &dyn Fn(Violation) -> Violation| {
        let mut sites = sites.into_iter();
        let Some((home, _)) = sites.next() else { return };
        for (other, courses) in sites {
            let message = format!(
                "{who} is at {} and at {} on {}; one site a day ({}).",
                site_name(home),
                site_name(other),
                ctx.names.day(day),
                course_ids(ctx, &courses)
            );
            out.push(tag(Violation::new(Kind::Site, message).on_day(day).courses(courses)));
        }
    };
    for (k, sessions) in ctx.index.by_cohort.iter().enumerate() {
        for (day, sites) in sites_by_day(sessions) {
            report(format!("Cohort {}", ctx.names.cohort(CohortIdx(k))), day, sites, &|v| v.cohorts([CohortIdx(k)]));
        }
    }
    for (i, sessions) in ctx.index.by_instructor.iter().enumerate() {
        for (day, sites) in sites_by_day(sessions) {
            report(format!("Instructor {}", ctx.names.instructor(InstructorIdx(i))), day, sites, &|v| v.instructors([InstructorIdx(i)]));
        }
    }
}

fn course_ids(ctx: &Ctx, courses: &BTreeSet<CourseIdx>) -> String {
    let ids: Vec<String> = courses.iter().map(|&c| ctx.names.course(c)).collect();
    format!("there: {}", join_and(&ids))
}

/// An instructor teaches on more distinct days than their `max_days`: one
/// violation per day beyond the first `max_days` in calendar order.
fn max_days(ctx: &Ctx, out: &mut Vec<Violation>) {
    for (i, sessions) in ctx.index.by_instructor.iter().enumerate() {
        let instructor = &ctx.instance.instructors[i];
        let Some(max) = instructor.max_days else { continue };
        let mut by_day: BTreeMap<DayIdx, BTreeSet<CourseIdx>> = BTreeMap::new();
        for p in sessions.iter().map(|&n| ctx.index.get(n)) {
            by_day.entry(p.slot.day).or_default().insert(p.course);
        }
        let total = by_day.len();
        for (day, courses) in by_day.into_iter().skip(max as usize) {
            let message = format!(
                "Instructor {} teaches on {} days, more than their max_days of {max}; {} is one too many.",
                instructor.id,
                count_word(total),
                ctx.names.day(day)
            );
            out.push(Violation::new(Kind::MaxDays, message).on_day(day).courses(courses).instructors([InstructorIdx(i)]));
        }
    }
}

/// Each breach of a hard relation (relations.csv, no weight).
fn hard_relations(ctx: &Ctx, out: &mut Vec<Violation>) {
    for relation in ctx.instance.relations.iter().filter(|r| r.is_hard()) {
        let kind = match relation.kind {
            RelationKind::Before => Kind::Before,
            RelationKind::DifferentDays => Kind::DifferentDays,
            RelationKind::NotOverlap => Kind::NotOverlap,
        };
        for b in relations::breaches(ctx.instance, &ctx.index, relation) {
            let mut v = Violation::new(kind, b.message).courses(b.courses);
            v = match (b.slot, b.day) {
                (Some(slot), _) => v.at(slot),
                (None, Some(day)) => v.on_day(day),
                (None, None) => v,
            };
            out.push(v);
        }
    }
}
