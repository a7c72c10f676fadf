//! The demand side: cohorts and their windows, subjects and who may teach
//! them, courses, and rooms sized to the courses.

use std::collections::BTreeSet;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{id, width, Spec};
use crate::model::{Cohort, CohortIdx, DayIdx, Instructor, InstructorIdx, Room};

pub(super) const PROJECTOR: &str = "projector";
pub(super) const COMPUTERS: &str = "computers";
pub(super) const LAB: &str = "lab";

pub(super) struct Subject {
    pub id: String,
    /// Room features every course of this subject needs.
    pub features: BTreeSet<String>,
    /// The qualified instructors (2-4 of them).
    pub instructors: Vec<InstructorIdx>,
}

/// A course before placement: placement may give it fewer sessions (or
/// none, and then it is dropped) and derivation adds min_days and a fixed
/// instructor.
pub(super) struct CourseDraft {
    pub subject: usize,
    pub cohorts: Vec<CohortIdx>,
    pub sessions: u32,
    pub students: Option<u32>,
    /// An instructor with no subjects, who therefore must be fixed.
    pub guest: Option<InstructorIdx>,
}

pub(super) struct Demand {
    pub cohorts: Vec<Cohort>,
    /// Each cohort's window as inclusive day indices (also when the cohort
    /// row leaves a bound empty because it is the calendar's edge).
    pub windows: Vec<(usize, usize)>,
    pub subjects: Vec<Subject>,
    pub instructors: Vec<Instructor>,
    pub courses: Vec<CourseDraft>,
    pub rooms: Vec<Room>,
}

impl Demand {
    /// Attendance of a draft course, as `Instance::students` will compute it.
    pub fn students(&self, course: &CourseDraft) -> u32 {
        course.students.unwrap_or_else(|| course.cohorts.iter().map(|k| self.cohorts[k.0].size).sum())
    }

    /// Inclusive day range a course may use: the intersection of its
    /// cohorts' windows (the whole calendar for a course without cohorts).
    pub fn course_window(&self, course: &CourseDraft, num_days: usize) -> Option<(usize, usize)> {
        let mut first = 0;
        let mut last = num_days.checked_sub(1)?;
        for k in &course.cohorts {
            let (f, l) = self.windows[k.0];
            first = first.max(f);
            last = last.min(l);
        }
        (first <= last).then_some((first, last))
    }
}

pub(super) fn draw(spec: &Spec, rng: &mut ChaCha8Rng) -> Demand {
    let (cohorts, windows) = cohorts(spec, rng);
    let (subjects, instructors) = staff(spec, rng);
    let mut demand = Demand { cohorts, windows, subjects, instructors, courses: Vec::new(), rooms: Vec::new() };
    demand.courses = courses(spec, &demand, rng);
    demand.rooms = rooms(spec, &demand, rng);
    demand
}

const PROGRAMMES: &[&str] = &[
    "Trung cấp lý luận chính trị",
    "Bồi dưỡng bí thư cấp xã",
    "Bồi dưỡng chủ tịch UBND cấp xã",
    "Quản lý nhà nước ngạch chuyên viên",
    "Bồi dưỡng cán bộ Mặt trận",
    "Kỹ năng lãnh đạo quản lý",
];

fn cohorts(spec: &Spec, rng: &mut ChaCha8Rng) -> (Vec<Cohort>, Vec<(usize, usize)>) {
    let w = width(spec.cohorts, 2);
    let last_day = spec.days - 1;
    let mut cohorts = Vec::with_capacity(spec.cohorts);
    let mut windows = Vec::with_capacity(spec.cohorts);
    for k in 0..spec.cohorts {
        let share = rng.gen_range(spec.window.0..=spec.window.1);
        let len = ((spec.days as f64 * share).round() as usize).clamp(1, spec.days);
        let first = rng.gen_range(0..=spec.days - len);
        let last = first + len - 1;
        let programme = PROGRAMMES[rng.gen_range(0..PROGRAMMES.len())];
        cohorts.push(Cohort {
            id: id("K", k + 1, w),
            name: format!("{programme} – lớp {}", k + 1),
            size: rng.gen_range(spec.cohort_size.0..=spec.cohort_size.1),
            // A window reaching the calendar's edge is written open-ended,
            // so instances exercise both forms.
            first_day: (first > 0).then_some(DayIdx(first)),
            last_day: (last < last_day).then_some(DayIdx(last)),
        });
        windows.push((first, last));
    }
    (cohorts, windows)
}

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Đức", "Thu"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam", "Phương", "Quang", "Sơn", "Tâm",
    "Thảo", "Trung", "Tuấn", "Vân", "Yến",
];
const TITLES: &[&str] = &["", "ThS. ", "TS. ", "PGS.TS. "];

fn person_name(rng: &mut ChaCha8Rng) -> String {
    let pick = |rng: &mut ChaCha8Rng, list: &[&'static str]| list[rng.gen_range(0..list.len())];
    let title = pick(rng, TITLES);
    let family = pick(rng, FAMILY);
    let middle = pick(rng, MIDDLE);
    let given = pick(rng, GIVEN);
    format!("{title}{family} {middle} {given}")
}

/// Subjects with their room needs, and instructors qualified for them.
/// Qualifications go to the least-qualified instructors first so that
/// teaching spreads over everyone.
fn staff(spec: &Spec, rng: &mut ChaCha8Rng) -> (Vec<Subject>, Vec<Instructor>) {
    let regular = spec.instructors - spec.guests;
    let iw = width(spec.instructors, 2);
    let mut instructors: Vec<Instructor> = (0..spec.instructors)
        .map(|i| Instructor {
            id: id("I", i + 1, iw),
            name: person_name(rng),
            subjects: BTreeSet::new(),
            max_sessions: None,
            max_per_day: None,
            max_days: None,
            min_sessions: None,
        })
        .collect();

    // A few subjects need computers, fewer a lab, a quarter a projector;
    // at least one of each so that every size exercises room features.
    let mut order: Vec<usize> = (0..spec.subjects).collect();
    order.shuffle(rng);
    let computers = (spec.subjects / 10).max(1);
    let lab = (spec.subjects / 16).max(1);
    let projector = (spec.subjects / 4).max(1);
    let mut needs = vec![BTreeSet::new(); spec.subjects];
    for (rank, &s) in order.iter().enumerate() {
        let features: &[&str] = if rank < computers {
            &[COMPUTERS, PROJECTOR]
        } else if rank < computers + lab {
            &[LAB]
        } else if rank < computers + lab + projector {
            &[PROJECTOR]
        } else {
            &[]
        };
        // Some computer subjects only need the computers.
        let features = if rank == 0 && rng.gen_bool(0.5) { &features[..1] } else { features };
        needs[s] = features.iter().map(|f| f.to_string()).collect();
    }

    let sw = width(spec.subjects, 2);
    let mut qualified_count = vec![0usize; regular];
    let mut subjects = Vec::with_capacity(spec.subjects);
    for (s, features) in needs.into_iter().enumerate() {
        let want = rng.gen_range(2..=4).min(regular);
        let mut candidates: Vec<(usize, u32, usize)> = (0..regular).map(|i| (qualified_count[i], rng.gen::<u32>(), i)).collect();
        candidates.sort_unstable();
        let mut chosen: Vec<InstructorIdx> = candidates[..want].iter().map(|&(_, _, i)| InstructorIdx(i)).collect();
        chosen.sort_unstable();
        let subject_id = id("S", s + 1, sw);
        for i in &chosen {
            qualified_count[i.0] += 1;
            instructors[i.0].subjects.insert(subject_id.clone());
        }
        subjects.push(Subject { id: subject_id, features, instructors: chosen });
    }
    (subjects, instructors)
}

/// Courses filling each cohort's window to its drawn share: joint courses
/// first (they need a window shared by several cohorts), then courses of
/// one cohort, then open lectures without cohorts.
fn courses(spec: &Spec, demand: &Demand, rng: &mut ChaCha8Rng) -> Vec<CourseDraft> {
    let n = demand.cohorts.len();
    let periods = spec.periods as usize;
    let (lo, hi) = spec.course_sessions;
    let mut budget: Vec<u32> = demand
        .windows
        .iter()
        .map(|&(f, l)| {
            let slots = ((l - f + 1) * periods) as f64;
            (slots * rng.gen_range(spec.fill.0..=spec.fill.1)).round() as u32
        })
        .collect();
    // Subjects each cohort already takes, so a cohort studies a subject once
    // while the pool lasts.
    let mut taken = vec![BTreeSet::new(); n];
    let pick_subject = |rng: &mut ChaCha8Rng, group: &[CohortIdx], taken: &mut Vec<BTreeSet<usize>>| {
        let fresh: Vec<usize> = (0..demand.subjects.len()).filter(|s| group.iter().all(|k| !taken[k.0].contains(s))).collect();
        let s = match fresh.choose(rng) {
            Some(&s) => s,
            None => rng.gen_range(0..demand.subjects.len()),
        };
        for k in group {
            taken[k.0].insert(s);
        }
        s
    };

    let mut courses = Vec::new();
    let joint = ((n as f64 * spec.joint_per_cohort).round() as usize).max(1);
    for _ in 0..joint {
        let a = rng.gen_range(0..n);
        let overlap = |b: usize| {
            let (fa, la) = demand.windows[a];
            let (fb, lb) = demand.windows[b];
            la.min(lb).saturating_sub(fa.max(fb)) + 1
        };
        // Partners must share enough of the window that the joint sessions
        // take at most a third of the common slots.
        let partners: Vec<usize> = (0..n).filter(|&b| b != a && overlap(b) * periods >= 3 * hi as usize).collect();
        if partners.is_empty() {
            continue;
        }
        let extra = rng.gen_range(1..=2).min(partners.len());
        let mut group: Vec<CohortIdx> = partners.choose_multiple(rng, extra).map(|&b| CohortIdx(b)).chain([CohortIdx(a)]).collect();
        group.sort_unstable();
        let room_left = group.iter().map(|k| budget[k.0]).min().unwrap_or(0);
        let sessions = rng.gen_range(lo..=hi).min(room_left);
        if sessions == 0 {
            continue;
        }
        for k in &group {
            budget[k.0] -= sessions;
        }
        let subject = pick_subject(rng, &group, &mut taken);
        courses.push(CourseDraft { subject, cohorts: group, sessions, students: None, guest: None });
    }

    for (k, left) in budget.iter_mut().enumerate().take(n) {
        while *left > 0 {
            let sessions = rng.gen_range(lo..=hi).min(*left);
            *left -= sessions;
            let group = [CohortIdx(k)];
            let subject = pick_subject(rng, &group, &mut taken);
            courses.push(CourseDraft { subject, cohorts: group.to_vec(), sessions, students: None, guest: None });
        }
    }

    for _ in 0..spec.open_courses {
        let subject = rng.gen_range(0..demand.subjects.len());
        let sessions = rng.gen_range(1..=lo.max(2));
        let students = Some(rng.gen_range(20..=spec.cohort_size.1 * 2));
        courses.push(CourseDraft { subject, cohorts: Vec::new(), sessions, students, guest: None });
    }

    // Electives: not every trainee of the cohorts attends.
    for course in courses.iter_mut().filter(|c| !c.cohorts.is_empty()) {
        if rng.gen_bool(0.08) {
            let all: u32 = course.cohorts.iter().map(|k| demand.cohorts[k.0].size).sum();
            course.students = Some(all - rng.gen_range(0..=all / 4));
        }
    }

    // Guest lecturers take a few one-cohort courses each.
    let guests = demand.instructors.len() - spec.guests..demand.instructors.len();
    for g in guests {
        let open: Vec<usize> = (0..courses.len()).filter(|&c| courses[c].cohorts.len() == 1 && courses[c].guest.is_none()).collect();
        let take = rng.gen_range(1..=3);
        for &c in open.choose_multiple(rng, take) {
            courses[c].guest = Some(InstructorIdx(g));
        }
    }
    courses
}

/// Rooms for the peak number of cohorts attending at once, so that about
/// 60-80% of them are busy in the busiest slot, with capacities drawn from the courses'
/// attendance. Every combination of features some course needs is then
/// made available in a room large enough for the largest such course, so
/// even with hard capacity each course has somewhere to go.
fn rooms(spec: &Spec, demand: &Demand, rng: &mut ChaCha8Rng) -> Vec<Room> {
    let peak = (0..spec.days).map(|d| demand.windows.iter().filter(|&&(f, l)| f <= d && d <= l).count()).max().unwrap_or(0);
    // Not every active cohort is in class at the peak slot, and joint
    // courses share rooms: about four in five of them need a room then.
    let count = ((peak as f64 * 0.8 / 0.75).ceil() as usize).max(spec.min_rooms);
    let attendance: Vec<u32> = demand.courses.iter().map(|c| demand.students(c)).collect();

    let mut rooms: Vec<Room> = (0..count)
        .map(|_| {
            let base = attendance.choose(rng).copied().unwrap_or(30);
            let capacity = (base + rng.gen_range(0..=10)).div_ceil(5) * 5;
            let mut features = BTreeSet::new();
            if rng.gen_bool(0.7) {
                features.insert(PROJECTOR.to_string());
            }
            if rng.gen_bool(0.1) {
                features.insert(COMPUTERS.to_string());
            }
            Room { id: String::new(), name: String::new(), capacity: capacity.max(1), features, site: String::new() }
        })
        .collect();

    let needs: BTreeSet<&BTreeSet<String>> = demand.courses.iter().map(|c| &demand.subjects[c.subject].features).collect();
    for need in needs {
        let largest = demand
            .courses
            .iter()
            .zip(&attendance)
            .filter(|(c, _)| &demand.subjects[c.subject].features == need)
            .map(|(_, &a)| a)
            .max()
            .unwrap_or(0);
        let served = rooms.iter().any(|r| need.is_subset(&r.features) && r.capacity >= largest);
        if served {
            continue;
        }
        // The smallest room that is big enough, else the biggest, enlarged.
        let fitting = (0..rooms.len()).filter(|&r| rooms[r].capacity >= largest).min_by_key(|&r| rooms[r].capacity);
        let r = fitting.unwrap_or_else(|| (0..rooms.len()).max_by_key(|&r| rooms[r].capacity).unwrap_or(0));
        rooms[r].capacity = rooms[r].capacity.max(largest);
        rooms[r].features.extend(need.iter().cloned());
    }

    let w = width(count, 2);
    for (r, room) in rooms.iter_mut().enumerate() {
        room.id = id("R", r + 1, w);
        room.name = if room.features.contains(LAB) {
            format!("Phòng thí nghiệm {}", r + 1)
        } else if room.features.contains(COMPUTERS) {
            format!("Phòng máy {}", r + 1)
        } else if room.capacity >= 100 {
            format!("Hội trường {}", r + 1)
        } else {
            format!("Phòng {}", 100 * (1 + r / 10) + r % 10 + 1)
        };
    }
    rooms
}
