//! `report.html`: one self-contained page (no network, no external fonts or
//! scripts) that a planner can open, mail or print.
//!
//! Everything that needs no interaction (summary, tables, the year picture)
//! is rendered here, so it reads and prints without JavaScript. The weekly
//! grids would be large as HTML (entities x weeks), so the sessions are
//! embedded once as JSON and a small script draws the week and entity the
//! reader picks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

use super::digest::{course_hue, number, Digest, Kind, Session};
use super::times::weekday_vi;
use crate::check::CheckReport;
use crate::model::{CohortIdx, DayIdx};

/// Longest violation list shown; the rest is counted.
const MAX_VIOLATIONS: usize = 50;
/// Longest hot-spot list shown; the weekly grid marks all of them.
const MAX_HOT_SPOTS: usize = 150;
/// Most courses named in the overview's legend; beyond that a legend is
/// noise and the bars' tooltips name the course.
const MAX_LEGEND: usize = 40;

/// Escapes text for HTML content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page.
pub(super) fn page(digest: &Digest, report: &CheckReport, title: &str, notes: &[String]) -> String {
    let mut h = String::with_capacity(64 * 1024 + digest.sessions.len() * 40);
    let cal = &digest.instance.calendar;
    let period_range = match (cal.days.first(), cal.days.last()) {
        (Some(first), Some(last)) => format!("{} – {}", first.label, last.label),
        _ => "lịch trống / empty calendar".to_string(),
    };
    let violations = report.violations.len();

    h.push_str("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let name = if title.is_empty() { String::new() } else { format!(" · {}", esc(title)) };
    let _ = writeln!(h, "<title>Thời khóa biểu{name}</title>");
    // Catch script errors from the start, so a test (or a curious reader)
    // can see them in the page itself.
    h.push_str(
        "<script>window.jsErrors=[];window.onerror=function(m,s,l,c){window.jsErrors.push(m+' ('+l+':'+c+')');\
         var e=document.getElementById('js-errors');if(e){e.textContent=window.jsErrors.join('\\n');}};</script>\n",
    );
    h.push_str("<style>");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n");

    let _ = write!(
        h,
        "<header class=\"top\"><div><h1>Thời khóa biểu{name} <span class=\"en\">Timetable report</span></h1>\
         <p class=\"sub\">{} · {} ngày học / teaching days · tối đa {} buổi mỗi ngày / periods a day</p></div>\
         <div class=\"status {}\">{}</div></header>\n<main>\n",
        esc(&period_range),
        cal.num_days(),
        cal.max_periods(),
        if violations == 0 { "ok" } else { "bad" },
        if violations == 0 { "✓ Hợp lệ · feasible".to_string() } else { format!("✗ {violations} vi phạm · violations") }
    );

    summary(&mut h, digest, report, notes);
    overview(&mut h, digest);
    weekly(&mut h);
    loads(&mut h, digest);
    rooms(&mut h, digest);
    hot_spots(&mut h, digest);

    let _ = write!(
        h,
        "</main>\n<footer>classplan · {} buổi trong dữ liệu trang / sessions in page data: \
         <span id=\"data-session-count\">?</span></footer>\n<pre id=\"js-errors\" hidden></pre>\n",
        digest.sessions.len()
    );
    h.push_str("<script type=\"application/json\" id=\"data\">");
    h.push_str(&embedded_json(digest));
    h.push_str("</script>\n<script>");
    h.push_str(SCRIPT);
    h.push_str("</script>\n</body>\n</html>\n");
    h
}

fn summary(h: &mut String, digest: &Digest, report: &CheckReport, notes: &[String]) {
    let inst = digest.instance;
    let cost = &report.cost;
    let w = &inst.weights;
    h.push_str("<section id=\"summary\"><h2>Tổng quan <span class=\"en\">Summary</span></h2>\n<div class=\"cards\">");
    let card = |h: &mut String, id: &str, value: String, label: &str, extra: &str| {
        let _ = write!(
            h,
            "<div class=\"card{extra}\"><span class=\"v\" id=\"{id}\">{}</span><span class=\"l\">{label}</span></div>",
            esc(&value)
        );
    };
    card(
        h,
        "session-count",
        digest.sessions.len().to_string(),
        &format!("buổi học / sessions<br><small>cần xếp / required: {}</small>", inst.num_sessions()),
        "",
    );
    card(h, "course-count", inst.courses.len().to_string(), "chuyên đề / courses", "");
    card(h, "cohort-count", inst.cohorts.len().to_string(), "lớp / cohorts", "");
    card(h, "instructor-count", inst.instructors.len().to_string(), "giảng viên / instructors", "");
    card(h, "room-count", inst.rooms.len().to_string(), "phòng / rooms", "");
    card(h, "cost-total", number(cost.total()), "chi phí mềm / soft cost", " accent");
    let bad = if report.violations.is_empty() { " good" } else { " warn" };
    card(h, "violation-count", report.violations.len().to_string(), "vi phạm cứng / hard violations", bad);
    h.push_str("</div>\n<div class=\"cols\">");

    // Cost by component, with the weight that priced it.
    h.push_str("<div><h3>Chi phí theo thành phần <span class=\"en\">Cost by component</span></h3><table class=\"data\" id=\"cost-table\"><thead><tr><th>Thành phần / component</th><th class=\"n\">Trọng số / weight</th><th class=\"n\">Chi phí / cost</th></tr></thead><tbody>");
    let rows: [(&str, &str, String, f64); 5] = [
        ("room_capacity", "Sức chứa phòng", w.room_capacity.map_or("cứng / hard".to_string(), number), cost.room_capacity),
        ("min_days", "Số ngày tối thiểu", number(w.min_days), cost.min_days),
        ("compactness", "Buổi lẻ", number(w.compactness), cost.compactness),
        ("room_stability", "Đổi phòng", number(w.room_stability), cost.room_stability),
        ("availability", "Lịch không thuận tiện", "theo dòng / per row".to_string(), cost.availability),
    ];
    for (code, vi, weight, value) in rows {
        let _ = write!(
            h,
            "<tr><td>{vi} <code>{code}</code></td><td class=\"n\">{}</td><td class=\"n\" id=\"cost-{code}\">{}</td></tr>",
            esc(&weight),
            number(value)
        );
    }
    let _ = write!(
        h,
        "</tbody><tfoot><tr><th>Tổng / total</th><th></th><th class=\"n\">{}</th></tr></tfoot></table></div>",
        number(cost.total())
    );

    // Where the soft cost sits, session by session.
    let isolated: usize = digest.sessions.iter().map(|s| s.isolated_for.len()).sum();
    let small = digest.sessions.iter().filter(|s| s.over_capacity > 0).count();
    let soft = digest.sessions.iter().filter(|s| s.soft_penalty > 0.0).count();
    let _ = write!(
        h,
        "<div><h3>Điểm nóng <span class=\"en\">Hot spots</span></h3><ul class=\"hot-list\">\
         <li><i class=\"b iso\">Lẻ</i> <b id=\"isolated-count\">{isolated}</b> buổi lẻ (lớp không có buổi liền trước/sau) · isolated sessions</li>\
         <li><i class=\"b small\">Chật</i> <b id=\"small-room-count\">{small}</b> buổi ở phòng thiếu chỗ · rooms too small</li>\
         <li><i class=\"b soft\">Bận</i> <b id=\"soft-hit-count\">{soft}</b> buổi vào giờ không thuận tiện · soft-unavailability hits</li></ul>"
    );
    if !notes.is_empty() {
        h.push_str("<h3>Ghi chú <span class=\"en\">Notes</span></h3><ul class=\"notes\">");
        for n in notes {
            let _ = write!(h, "<li>{}</li>", esc(n));
        }
        h.push_str("</ul>");
    }
    h.push_str("</div></div>\n");

    if !report.violations.is_empty() {
        let _ = write!(
            h,
            "<details class=\"violations\" open><summary>{} vi phạm ràng buộc cứng · hard violations</summary><ul>",
            report.violations.len()
        );
        for v in report.violations.iter().take(MAX_VIOLATIONS) {
            let _ = write!(h, "<li><code>{}</code> {}</li>", v.kind.name(), esc(&v.message));
        }
        if report.violations.len() > MAX_VIOLATIONS {
            let _ = write!(h, "<li>… và {} vi phạm khác / more</li>", report.violations.len() - MAX_VIOLATIONS);
        }
        h.push_str("</ul></details>\n");
    }
    h.push_str("</section>\n");
}

/// Where a day sits on the year picture: (column group, position within
/// it); units per group; and the groups shown, from the first to the last
/// that holds a cohort's window or session (a plan for May to December
/// should not spend half the picture on January to April).
struct Axis {
    units: Vec<(usize, usize)>,
    per_group: usize,
    first_group: usize,
    groups: usize,
}

impl Axis {
    fn new(digest: &Digest) -> Self {
        let n = digest.instance.calendar.num_days();
        let (units, per_group) = match &digest.dates {
            Some(dates) => {
                let monday = |d: NaiveDate| d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()));
                let start = dates.iter().copied().min().map(monday).unwrap_or_default();
                let units = dates
                    .iter()
                    .map(|&d| {
                        let week = (monday(d) - start).num_days().max(0) as usize / 7;
                        (week, d.weekday().num_days_from_monday() as usize)
                    })
                    .collect();
                (units, 7)
            }
            // Five days and a gap per group, like a working week.
            None => ((0..n).map(|d| (d / 5, d % 5)).collect::<Vec<_>>(), 6),
        };
        let active = digest.entities_of(Kind::Cohort).filter_map(|e| e.days).reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
        let (first, last) = match active {
            Some((a, b)) => (units[a].0, units[b].0),
            None => (0, units.iter().map(|u: &(usize, usize)| u.0).max().unwrap_or(0)),
        };
        let (first, last) = (first.min(last), first.max(last));
        Axis { units, per_group, first_group: first, groups: if n == 0 { 0 } else { last - first + 1 } }
    }

    /// Day units from the left edge of the first group shown.
    fn unit(&self, day: usize) -> usize {
        let (g, i) = self.units[day];
        g.saturating_sub(self.first_group) * self.per_group + i
    }
}

/// The year at a glance: a row per cohort, a bar where it is in class,
/// coloured by the course that fills most of that day.
fn overview(h: &mut String, digest: &Digest) {
    let inst = digest.instance;
    let axis = Axis::new(digest);
    let total_units = (axis.groups * axis.per_group).max(1);
    let (label_w, top, row_h, bar_h) = (150.0, 26.0, 20.0, 12.0);
    let uw = (1060.0 / total_units as f64).clamp(1.0, 18.0);
    let width = label_w + uw * total_units as f64 + 10.0;
    let height = top + row_h * inst.cohorts.len() as f64 + 6.0;
    let x = |unit: usize| label_w + uw * unit as f64;

    h.push_str("<section id=\"overview\"><h2>Toàn khóa <span class=\"en\">Year overview</span></h2>\n");
    let group_name = if digest.dates.is_some() { "tuần ISO / ISO weeks" } else { "nhóm 5 ngày / groups of 5 days" };
    let _ = writeln!(
        h,
        "<p class=\"hint\">Mỗi hàng là một lớp, mỗi cột là một {group_name}; vạch màu là ngày lớp học, màu theo chuyên đề chiếm nhiều buổi nhất ngày đó; nền nhạt là khoảng thời gian của lớp. \
         <span class=\"en\">Rows are cohorts, columns {group_name}; a bar is a day in class, coloured by its main course; the pale band is the cohort's window.</span></p>"
    );
    let _ = write!(
        h,
        "<div class=\"svg-wrap\"><svg xmlns=\"http://www.w3.org/2000/svg\" id=\"year-svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"Year overview\">"
    );

    // Column grid and axis labels.
    let mut axis_marks = String::new();
    let mut last_month = None;
    for g in axis.first_group..axis.first_group + axis.groups {
        let gx = x((g - axis.first_group) * axis.per_group);
        let label = match &digest.dates {
            Some(dates) => {
                // The first teaching day in this group names its month.
                let first = (0..dates.len()).find(|&d| axis.units[d].0 == g).map(|d| dates[d]);
                match first {
                    Some(date) if last_month != Some((date.year(), date.month())) => {
                        let first_label = last_month.is_none();
                        last_month = Some((date.year(), date.month()));
                        Some(if date.month() == 1 || first_label {
                            format!("{:02}/{}", date.month(), date.year())
                        } else {
                            format!("{:02}", date.month())
                        })
                    }
                    _ => None,
                }
            }
            None => {
                let every = axis.groups.div_ceil(16).max(1);
                (g % every == 0).then(|| digest.day_label(g * 5).to_string())
            }
        };
        if let Some(label) = label {
            let _ = write!(axis_marks, "<line x1=\"{gx:.1}\" y1=\"{}\" x2=\"{gx:.1}\" y2=\"{height:.0}\" class=\"tick\"/><text x=\"{:.1}\" y=\"16\" class=\"ax\">{}</text>", top - 6.0, gx + 2.0, esc(&label));
        }
    }

    let mut paths: BTreeMap<usize, String> = BTreeMap::new();
    for (k, cohort) in inst.cohorts.iter().enumerate() {
        let y = top + row_h * k as f64;
        if k % 2 == 1 {
            let _ = write!(h, "<rect x=\"0\" y=\"{y:.0}\" width=\"{width:.0}\" height=\"{row_h:.0}\" class=\"stripe\"/>");
        }
        let _ = write!(
            h,
            "<text x=\"4\" y=\"{:.0}\" class=\"rl\"><title>{}</title>{}</text>",
            y + 14.0,
            esc(&format!("{} — {}", cohort.id, cohort.name)),
            esc(&shorten(&cohort.id, 22))
        );
        // The window as a pale band.
        if let Some(entity) = digest.entities_of(Kind::Cohort).nth(k) {
            if let Some((first, last)) = entity.days {
                let (a, b) = (x(axis.unit(first)), x(axis.unit(last) + 1));
                let _ = write!(h, "<rect x=\"{a:.1}\" y=\"{:.0}\" width=\"{:.1}\" height=\"{bar_h:.0}\" class=\"win\"/>", y + 4.0, b - a);
            }
        }
        // Main course of each day, then runs of days side by side with the
        // same main course become one bar.
        let mut per_day: BTreeMap<usize, BTreeMap<usize, u32>> = BTreeMap::new();
        for s in digest.sessions.iter().filter(|s| s.cohorts.contains(&CohortIdx(k))) {
            *per_day.entry(s.placement.slot.day.0).or_default().entry(s.placement.course.0).or_default() += 1;
        }
        let mut run: Option<(usize, usize, usize)> = None; // (course, first unit, last unit)
        let flush = |run: Option<(usize, usize, usize)>, paths: &mut BTreeMap<usize, String>| {
            if let Some((c, a, b)) = run {
                let _ = write!(
                    paths.entry(c).or_default(),
                    "M{:.1} {:.0}h{:.1}v{bar_h:.0}h-{:.1}z",
                    x(a),
                    y + 4.0,
                    uw * (b - a + 1) as f64,
                    uw * (b - a + 1) as f64
                );
            }
        };
        for (&day, counts) in &per_day {
            // Most sessions wins; ties go to the course listed first.
            let main = counts.iter().max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c))).map(|(c, _)| *c).unwrap_or(0);
            let unit = axis.unit(day);
            run = match run {
                Some((c, a, b)) if c == main && unit == b + 1 => Some((c, a, unit)),
                Some((c, a, b)) if c == main && unit == b => Some((c, a, b)),
                other => {
                    flush(other, &mut paths);
                    Some((main, unit, unit))
                }
            };
        }
        flush(run, &mut paths);
    }
    for (c, d) in &paths {
        let course = &inst.courses[*c];
        let _ = write!(
            h,
            "<path fill=\"hsl({},60%,48%)\" d=\"{d}\"><title>{}</title></path>",
            course_hue(*c),
            esc(&format!("{} · {}", course.id, course.subject))
        );
    }
    h.push_str(&axis_marks);
    h.push_str("</svg></div>\n");

    if !paths.is_empty() && paths.len() <= MAX_LEGEND {
        h.push_str("<ul class=\"legend\">");
        for c in paths.keys() {
            let _ = write!(h, "<li><i style=\"background:hsl({},60%,48%)\"></i>{}</li>", course_hue(*c), esc(&inst.courses[*c].id));
        }
        h.push_str("</ul>\n");
    } else if !paths.is_empty() {
        let _ = writeln!(h, "<p class=\"hint\">{} chuyên đề: rê chuột lên vạch để xem tên · hover a bar for its course.</p>", paths.len());
    }
    h.push_str("</section>\n");
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// The frame the script fills: pickers, the grid, a legend.
fn weekly(h: &mut String) {
    h.push_str(
        "<section id=\"weekly\"><h2>Lịch tuần <span class=\"en\">Weekly timetable</span></h2>\n\
         <div class=\"controls\"><label>Xem / view <select id=\"entity\"></select></label>\
         <button type=\"button\" id=\"prev-week\" aria-label=\"previous week\">◀</button>\
         <label>Tuần / week <select id=\"week\"></select></label>\
         <button type=\"button\" id=\"next-week\" aria-label=\"next week\">▶</button></div>\n\
         <p id=\"grid-summary\" class=\"grid-summary\"><b id=\"grid-title\"></b> · <span id=\"grid-week-count\">0</span> buổi trong tuần / this week · \
         <span id=\"grid-entity-count\">0</span> buổi cả khóa / in all</p>\n\
         <div id=\"grid\" class=\"grid-wrap\"><noscript>Bật JavaScript để xem lịch tuần · enable JavaScript for the weekly grids (the CSV views and the workbook have them too).</noscript></div>\n\
         <p class=\"legend-hot\"><i class=\"b iso\">Lẻ</i> buổi lẻ / isolated session · <i class=\"b small\">Chật</i> phòng thiếu chỗ / room too small · <i class=\"b soft\">Bận</i> giờ không thuận tiện / soft unavailability</p>\n\
         </section>\n",
    );
}

/// Instructors by load, busiest first, with their limits.
fn loads(h: &mut String, digest: &Digest) {
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
fn rooms(h: &mut String, digest: &Digest) {
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

fn hot_spots(h: &mut String, digest: &Digest) {
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

/// Everything the weekly grids need, as compact arrays (see SCRIPT for the
/// field order). `<` is escaped so no text can close the script element.
fn embedded_json(digest: &Digest) -> String {
    let inst = digest.instance;
    let day_week: BTreeMap<usize, usize> =
        digest.weeks.iter().enumerate().flat_map(|(w, week)| week.days.iter().map(move |&d| (d, w))).collect();
    let days: Vec<Value> = inst
        .calendar
        .days
        .iter()
        .enumerate()
        .map(|(d, day)| {
            let (dow, short) = match &digest.dates {
                Some(dates) => (weekday_vi(dates[d]).to_string(), dates[d].format("%d/%m").to_string()),
                None => (String::new(), day.label.clone()),
            };
            json!([day.label, dow, short, day.periods, day_week.get(&d).copied().unwrap_or(0)])
        })
        .collect();
    let weeks: Vec<&str> = digest.weeks.iter().map(|w| w.label.as_str()).collect();
    let times: Vec<String> = digest.spans.iter().map(|s| s.map(|s| s.label()).unwrap_or_default()).collect();
    let courses: Vec<Value> = inst
        .courses
        .iter()
        .enumerate()
        .map(|(c, course)| {
            let mut seen = BTreeSet::new();
            let cohorts: Vec<usize> = course.cohorts.iter().map(|k| k.0).filter(|&k| k < inst.cohorts.len() && seen.insert(k)).collect();
            json!([course.id, course.subject, course_hue(c), inst.students(crate::model::CourseIdx(c)), cohorts])
        })
        .collect();
    let named = |id: &str, name: &str| json!([id, name]);
    let sessions: Vec<Value> = digest
        .sessions
        .iter()
        .map(|s| {
            let p = s.placement;
            let flags = u8::from(!s.isolated_for.is_empty()) | (u8::from(s.over_capacity > 0) << 1) | (u8::from(s.soft_penalty > 0.0) << 2);
            let mut row =
                vec![json!(p.slot.day.0), json!(p.slot.period), json!(p.course.0), json!(p.room.0), json!(p.instructor.0), json!(flags)];
            if !s.isolated_for.is_empty() {
                row.push(json!(s.isolated_for.iter().map(|k| k.0).collect::<Vec<_>>()));
            }
            Value::Array(row)
        })
        .collect();
    let data = json!({
        "days": days,
        "weeks": weeks,
        "times": times,
        "courses": courses,
        "cohorts": inst.cohorts.iter().map(|k| named(&k.id, &k.name)).collect::<Vec<_>>(),
        "instructors": inst.instructors.iter().map(|i| named(&i.id, &i.name)).collect::<Vec<_>>(),
        "rooms": inst.rooms.iter().map(|r| json!([r.id, r.name, r.capacity])).collect::<Vec<_>>(),
        "s": sessions,
    });
    data.to_string().replace('<', "\\u003c")
}

const CSS: &str = r#"
:root{--ink:#1c2733;--muted:#5b6b7c;--line:#d8dee6;--bg:#f4f6f9;--card:#fff;--navy:#1f3a5f;--accent:#0f766e;--warn:#b42318;--good:#15803d}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"Liberation Sans",sans-serif}
header.top{display:flex;justify-content:space-between;align-items:center;gap:16px;padding:18px 28px;background:var(--navy);color:#fff}
h1{margin:0;font-size:22px;font-weight:650}
h1 .en,h2 .en,h3 .en{font-weight:400;opacity:.7;font-size:.8em;margin-left:6px}
.sub{margin:4px 0 0;opacity:.85}
.status{padding:6px 14px;border-radius:999px;font-weight:600;white-space:nowrap}
.status.ok{background:#dcfce7;color:#14532d}.status.bad{background:#fee2e2;color:#7f1d1d}
main{max-width:1240px;margin:0 auto;padding:18px 24px 8px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:0 0 18px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
h2{margin:0 0 12px;font-size:18px;color:var(--navy)}
h3{margin:4px 0 8px;font-size:15px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin-bottom:16px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fafbfc}
.card .v{display:block;font-size:26px;font-weight:700;color:var(--navy);font-variant-numeric:tabular-nums}
.card .l{color:var(--muted);font-size:12.5px}
.card.accent .v{color:var(--accent)}.card.good .v{color:var(--good)}.card.warn .v{color:var(--warn)}
.cols{display:grid;grid-template-columns:1.2fr 1fr;gap:24px}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
table.data thead th{background:#eef2f7;color:#33475b;font-weight:600;position:sticky;top:0}
table.data tfoot th{border-top:2px solid var(--navy)}
.n{text-align:right!important;font-variant-numeric:tabular-nums}
td.over{color:var(--warn);font-weight:700}
.table-wrap{max-height:480px;overflow:auto}
.barcell{width:110px}.bar{display:block;height:8px;margin-top:5px;border-radius:4px;background:#7aa7d8}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f4f8;padding:1px 4px;border-radius:4px}
.hot-list,.notes{margin:0;padding-left:0;list-style:none}.hot-list li,.notes li{margin:6px 0}
.b{display:inline-block;font-style:normal;font-size:11px;font-weight:700;padding:0 5px;border-radius:4px;line-height:16px}
.b.iso{background:#fef3c7;color:#92400e}.b.small{background:#fee2e2;color:#991b1b}.b.soft{background:#e0e7ff;color:#3730a3}
.violations{margin-top:14px;border:1px solid #fecaca;background:#fff5f5;border-radius:8px;padding:8px 12px}
.hint{color:var(--muted);font-size:12.5px;margin:0 0 10px}
.svg-wrap{overflow-x:auto}
#year-svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;fill:#33475b}
#year-svg .stripe{fill:#f6f8fb}#year-svg .win{fill:#e3ebf5}#year-svg .tick{stroke:#d8dee6;stroke-width:1}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;margin:10px 0 0;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}
.controls select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px;background:#fff;max-width:420px}
.controls button{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
.grid-summary{color:var(--muted);margin:6px 0 10px}
table.week{border-collapse:collapse;width:100%;table-layout:fixed}
table.week th,table.week td{border:1px solid var(--line);padding:4px;vertical-align:top}
table.week thead th{background:#eef2f7;font-weight:600}
table.week th.p{width:96px;background:#f6f8fb;text-align:left;font-weight:600}
table.week th.p small,table.week thead small{display:block;color:var(--muted);font-weight:400}
table.week td{height:64px}table.week td.na{background:repeating-linear-gradient(45deg,#f4f6f9,#f4f6f9 6px,#fff 6px,#fff 12px)}
.s{border-radius:6px;padding:4px 6px;margin:2px 0;background:hsl(var(--h),70%,94%);border-left:4px solid hsl(var(--h),60%,42%);font-size:12.5px;line-height:1.35}
.s b{display:block;color:#102a43}.s span{display:block;color:#3e4c59}
.legend-hot{font-size:12px;color:var(--muted);margin:10px 0 0}
footer{text-align:center;color:var(--muted);font-size:12px;padding:4px 0 24px}
@media (max-width:800px){.cols{grid-template-columns:1fr}}
@media print{
@page{size:A4 landscape;margin:10mm}
body{background:#fff;font-size:10pt}
header.top{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 6px}
.status{border:1px solid #000}
main{max-width:none;padding:0}
section{border:none;box-shadow:none;padding:6px 0;break-inside:avoid-page}
.controls,.legend-hot,footer,noscript{display:none!important}
.table-wrap{max-height:none;overflow:visible}
table.data thead th{position:static}
tr{break-inside:avoid}
.s,.b,.bar,.card,#year-svg *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
#year-svg{max-width:100%;height:auto}
}
"#;

/// Draws the weekly grid of the chosen entity and week from the JSON
/// blob. Data layout: days `[label, weekday, short date, periods, week]`,
/// courses `[id, subject, hue, students, cohorts]`, sessions `[day,
/// period, course, room, instructor, flags(1 isolated, 2 room too small,
/// 4 soft), isolated cohorts?]`.
const SCRIPT: &str = r#"
(function(){
"use strict";
var D=JSON.parse(document.getElementById("data").textContent);
function esc(t){return String(t).replace(/[&<>"']/g,function(c){return {"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c];});}
function nm(e){return e[1]?e[1]+" ("+e[0]+")":e[0];}
var lists={c:D.cohorts.map(function(){return [];}),i:D.instructors.map(function(){return [];}),r:D.rooms.map(function(){return [];})};
D.s.forEach(function(s,n){
  D.courses[s[2]][4].forEach(function(k){lists.c[k].push(n);});
  lists.i[s[4]].push(n);lists.r[s[3]].push(n);
});
var maxP=D.days.reduce(function(m,d){return Math.max(m,d[3]);},0);
var sel=document.getElementById("entity"),wk=document.getElementById("week");
[["c","Lớp / cohorts",D.cohorts],["i","Giảng viên / instructors",D.instructors],["r","Phòng / rooms",D.rooms]].forEach(function(g){
  if(!g[2].length)return;
  var og=document.createElement("optgroup");og.label=g[1];
  g[2].forEach(function(e,i){var o=document.createElement("option");o.value=g[0]+":"+i;o.textContent=nm(e)+" · "+lists[g[0]][i].length;og.appendChild(o);});
  sel.appendChild(og);
});
D.weeks.forEach(function(w,i){var o=document.createElement("option");o.value=i;o.textContent=w;wk.appendChild(o);});
function current(){var v=(sel.value||"c:0").split(":");return {kind:v[0],index:+v[1]};}
function list(){var e=current();return (lists[e.kind]||[])[e.index]||[];}
function weekOf(n){return D.days[D.s[n][0]][4];}
function jumpToSessions(){
  var l=list(),w=+wk.value;
  if(l.length&&!l.some(function(n){return weekOf(n)===w;}))wk.value=weekOf(l[0]);
}
function render(){
  var e=current(),l=list(),w=+wk.value;
  var days=[];D.days.forEach(function(d,i){if(d[4]===w)days.push(i);});
  var cell={},inWeek=0;
  l.forEach(function(n){var s=D.s[n];if(D.days[s[0]][4]!==w)return;inWeek++;(cell[s[0]+":"+s[1]]=cell[s[0]+":"+s[1]]||[]).push(n);});
  var h="<table class=\"week\"><thead><tr><th class=\"p\">Buổi</th>";
  days.forEach(function(d){var x=D.days[d];h+="<th>"+esc(x[1]?x[1]+" "+x[2]:x[2])+"<small>"+esc(x[1]?x[0]:"")+"</small></th>";});
  h+="</tr></thead><tbody>";
  for(var p=1;p<=maxP;p++){
    h+="<tr><th class=\"p\">Buổi "+p+"<small>"+esc(D.times[p-1]||"")+"</small></th>";
    days.forEach(function(d){
      if(p>D.days[d][3]){h+="<td class=\"na\"></td>";return;}
      h+="<td>";
      (cell[d+":"+p]||[]).forEach(function(n){
        var s=D.s[n],c=D.courses[s[2]],room=D.rooms[s[3]],ins=D.instructors[s[4]];
        var coh=c[4].map(function(k){return D.cohorts[k][0];}).join(" ");
        var lines=e.kind==="c"?[room[1]||room[0],ins[1]||ins[0]]:e.kind==="i"?[room[1]||room[0],coh]:[ins[1]||ins[0],coh];
        var iso=e.kind==="c"?(s[6]||[]).indexOf(e.index)>=0:(s[5]&1)===1;
        var badges=(iso?"<i class=\"b iso\" title=\"buổi lẻ / isolated session\">Lẻ</i> ":"")+
          (s[5]&2?"<i class=\"b small\" title=\"phòng thiếu chỗ / room too small\">Chật</i> ":"")+
          (s[5]&4?"<i class=\"b soft\" title=\"giờ không thuận tiện / soft unavailability\">Bận</i> ":"");
        h+="<div class=\"s\" style=\"--h:"+c[2]+"\" title=\""+esc(c[0]+" · "+c[1]+" · "+c[3]+" học viên / students")+"\"><b>"+esc(c[0])+"</b><span>"+esc(c[1])+"</span>"+
          lines.filter(function(t){return t;}).map(function(t){return "<span>"+esc(t)+"</span>";}).join("")+(badges?"<span>"+badges+"</span>":"")+"</div>";
      });
      h+="</td>";
    });
    h+="</tr>";
  }
  h+="</tbody></table>";
  document.getElementById("grid").innerHTML=days.length?h:"<p class=\"hint\">Không có ngày học · no teaching days.</p>";
  var group={c:D.cohorts,i:D.instructors,r:D.rooms}[e.kind]||[];
  document.getElementById("grid-title").textContent=group[e.index]?nm(group[e.index]):"";
  document.getElementById("grid-week-count").textContent=inWeek;
  document.getElementById("grid-entity-count").textContent=l.length;
}
sel.addEventListener("change",function(){jumpToSessions();render();});
wk.addEventListener("change",render);
function step(d){var w=+wk.value+d;if(w>=0&&w<D.weeks.length){wk.value=w;render();}}
document.getElementById("prev-week").addEventListener("click",function(){step(-1);});
document.getElementById("next-week").addEventListener("click",function(){step(1);});
document.getElementById("data-session-count").textContent=D.s.length;
if(D.weeks.length){jumpToSessions();render();}
document.body.dataset.jsOk="1";
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_and_quotes() {
        assert_eq!(esc("<a href=\"x\">Tom & 'Jerry'</a>"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    }
}
