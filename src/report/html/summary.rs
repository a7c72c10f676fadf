//! The summary section: counts, the soft cost by component, where it sits,
//! the notes and the hard violations.

use std::fmt::Write;

use super::esc;
use crate::check::CheckReport;
use crate::report::digest::{number, Digest};

/// Longest violation list shown; the rest is counted.
const MAX_VIOLATIONS: usize = 50;

pub(super) fn summary(h: &mut String, digest: &Digest, report: &CheckReport, notes: &[String]) {
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
    let rows: [(&str, &str, String, f64); 7] = [
        ("room_capacity", "Sức chứa phòng", w.room_capacity.map_or("cứng / hard".to_string(), number), cost.room_capacity),
        ("min_days", "Số ngày tối thiểu", number(w.min_days), cost.min_days),
        ("compactness", "Buổi lẻ", number(w.compactness), cost.compactness),
        ("room_stability", "Đổi phòng", number(w.room_stability), cost.room_stability),
        ("availability", "Lịch không thuận tiện", "theo dòng / per row".to_string(), cost.availability),
        ("teaching_quota", "Định mức giảng dạy", number(w.teaching_quota), cost.teaching_quota),
        ("relations", "Quan hệ giữa chuyên đề", "theo dòng / per row".to_string(), cost.relations),
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
