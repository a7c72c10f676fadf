//! Tables the page shows: instructor loads, room use and the hot spots.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::esc;
use crate::model::DayIdx;
use crate::report::digest::{number, Digest, Kind, Session};
use crate::report::times::weekday_vi;

/// Longest hot-spot list shown; the weekly grid marks all of them.
const MAX_HOT_SPOTS: usize = 150;

/// Instructors by load, busiest first, with their limits.
pub(super) fn loads(h: &mut String, digest: &Digest) {
    let inst = digest.instance;
    let mut rows: Vec<(usize, usize, usize, u32, usize)> = digest
        .entities_of(Kind::Instructor)
        .map(|e| {
            let mut per_day: BTreeMap<usize, u32> = BTreeMap::new();
            let mut courses = BTreeSet::new();
            for &i in &e.sessions {
                let p = digest.sessions[i].placement;
                *per_day.entry(p.slot.day.0).or_default() += 1;
                courses.insert(p.course);
            }
            (e.index, e.sessions.len(), per_day.len(), per_day.values().copied().max().unwrap_or(0), courses.len())
        })
        .collect();
    rows.sort_by_key(|r| (std::cmp::Reverse(r.1), r.0));
    let most = rows.first().map_or(1, |r| r.1.max(1));

    h.push_str("<section id=\"loads\"><h2>Giảng viên <span class=\"en\">Instructor loads</span></h2>\n<div class=\"table-wrap\"><table class=\"data\" id=\"load-table\"><thead><tr><th>Mã / id</th><th>Họ tên / name</th><th class=\"n\">Buổi / sessions</th><th></th><th class=\"n\">Ngày / days</th><th class=\"n\">Nhiều nhất 1 ngày / busiest day</th><th class=\"n\">Giới hạn ngày / max per day</th><th class=\"n\">Giới hạn khóa / max sessions</th><th class=\"n\">Chuyên đề / courses</th></tr></thead><tbody>");
    for (i, sessions, days, busiest, courses) in rows {
        let who = &inst.instructors[i];
        let over = |value: u32, limit: Option<u32>| {
            if limit.is_some_and(|l| value > l) {
                " class=\"n over\""
            } else {
                " class=\"n\""
            }
        };
        let limit = |l: Option<u32>| l.map_or("–".to_string(), |l| l.to_string());
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td{}>{sessions}</td><td class=\"barcell\"><span class=\"bar\" style=\"width:{}%\"></span></td><td class=\"n\">{days}</td><td{}>{busiest}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{courses}</td></tr>",
            esc(&who.id),
            esc(&who.name),
            over(sessions as u32, who.max_sessions),
            sessions * 100 / most,
            over(busiest, who.max_per_day),
            limit(who.max_per_day),
            limit(who.max_sessions),
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

/// Rooms: how often used and how full.
pub(super) fn rooms(h: &mut String, digest: &Digest) {
    let inst = digest.instance;
    let slots = inst.calendar.num_slots().max(1);
    h.push_str("<section id=\"rooms\"><h2>Phòng học <span class=\"en\">Room use</span></h2>\n<div class=\"table-wrap\"><table class=\"data\" id=\"room-table\"><thead><tr><th>Mã / id</th><th>Tên / name</th><th class=\"n\">Sức chứa / seats</th><th class=\"n\">Buổi / sessions</th><th class=\"n\">Sử dụng / use</th><th></th><th class=\"n\">Lấp đầy TB / mean fill</th><th class=\"n\">Thiếu chỗ / too small</th><th>Thiết bị / features</th></tr></thead><tbody>");
    for e in digest.entities_of(Kind::Room) {
        let room = &inst.rooms[e.index];
        let students: u64 = e.sessions.iter().map(|&i| u64::from(inst.students(digest.sessions[i].placement.course))).sum();
        let fill = if e.sessions.is_empty() || room.capacity == 0 {
            "–".to_string()
        } else {
            format!("{}%", students * 100 / (e.sessions.len() as u64 * u64::from(room.capacity)))
        };
        let small = e.sessions.iter().filter(|&&i| digest.sessions[i].over_capacity > 0).count();
        let use_pct = e.sessions.len() * 100 / slots;
        let features: Vec<&str> = room.features.iter().map(String::as_str).collect();
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{use_pct}%</td><td class=\"barcell\"><span class=\"bar\" style=\"width:{}%\"></span></td><td class=\"n\">{fill}</td><td class=\"n{}\">{small}</td><td>{}</td></tr>",
            esc(&room.id),
            esc(&room.name),
            room.capacity,
            e.sessions.len(),
            use_pct.min(100),
            if small > 0 { " over" } else { "" },
            esc(&features.join(", ")),
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

pub(super) fn hot_spots(h: &mut String, digest: &Digest) {
    let hot: Vec<&Session> = digest.sessions.iter().filter(|s| s.is_hot()).collect();
    if hot.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<section id=\"hot\"><h2>Chi tiết điểm nóng <span class=\"en\">Hot spots</span></h2>\n<p class=\"hint\">{} buổi có chi phí mềm · sessions with a soft cost{}.</p>\
         <div class=\"table-wrap\"><table class=\"data\"><thead><tr><th>Ngày / day</th><th class=\"n\">Buổi</th><th>Chuyên đề / course</th><th>Lớp / cohorts</th><th>Phòng / room</th><th>Giảng viên / instructor</th><th>Vấn đề / issue</th></tr></thead><tbody>",
        hot.len(),
        if hot.len() > MAX_HOT_SPOTS { format!(" (hiện {MAX_HOT_SPOTS} đầu tiên / first {MAX_HOT_SPOTS} shown)") } else { String::new() }
    );
    for s in hot.iter().take(MAX_HOT_SPOTS) {
        let p = s.placement;
        let mut issues = Vec::new();
        if !s.isolated_for.is_empty() {
            let ids: Vec<&str> = s.isolated_for.iter().map(|k| digest.instance.cohorts[k.0].id.as_str()).collect();
            issues.push(format!("<i class=\"b iso\">Lẻ</i> {}", esc(&ids.join(" "))));
        }
        if s.over_capacity > 0 {
            issues.push(format!("<i class=\"b small\">Chật</i> thiếu {} chỗ / seats short", s.over_capacity));
        }
        if s.soft_penalty > 0.0 {
            issues.push(format!("<i class=\"b soft\">Bận</i> +{}", number(s.soft_penalty)));
        }
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&day_heading(digest, p.slot.day)),
            p.slot.period,
            esc(digest.course_id(s)),
            esc(&digest.cohort_ids(s)),
            esc(digest.room_id(s)),
            esc(digest.instructor_id(s)),
            issues.join(" ")
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn day_heading(digest: &Digest, day: DayIdx) -> String {
    match &digest.dates {
        Some(dates) => format!("{} {}", weekday_vi(dates[day.0]), dates[day.0].format("%d/%m/%Y")),
        None => digest.day_label(day.0).to_string(),
    }
}
