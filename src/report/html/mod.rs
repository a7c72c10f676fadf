//! `report.html`: one self-contained page (no network, no external fonts or
//! scripts) that a planner can open, mail or print.
//!
//! Everything that needs no interaction (summary, tables, the year picture)
//! is rendered here, so it reads and prints without JavaScript. The weekly
//! grids would be large as HTML (entities x weeks), so the sessions are
//! embedded once as JSON and a small script draws the week and entity the
//! reader picks.

mod overview;
mod summary;
mod tables;
mod weekly;

use std::fmt::Write;

use super::digest::Digest;
use crate::check::CheckReport;

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

    summary::summary(&mut h, digest, report, notes);
    overview::overview(&mut h, digest);
    weekly::frame(&mut h);
    tables::loads(&mut h, digest);
    tables::rooms(&mut h, digest);
    tables::hot_spots(&mut h, digest);

    let _ = write!(
        h,
        "</main>\n<footer>classplan · {} buổi trong dữ liệu trang / sessions in page data: \
         <span id=\"data-session-count\">?</span></footer>\n<pre id=\"js-errors\" hidden></pre>\n",
        digest.sessions.len()
    );
    h.push_str("<script type=\"application/json\" id=\"data\">");
    h.push_str(&weekly::embedded_json(digest));
    h.push_str("</script>\n<script>");
    h.push_str(weekly::SCRIPT);
    h.push_str("</script>\n</body>\n</html>\n");
    h
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_and_quotes() {
        assert_eq!(esc("<a href=\"x\">Tom & 'Jerry'</a>"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    }
}
