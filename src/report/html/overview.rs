//! The year overview: an SVG row per cohort, with its window and a bar
//! for each day in class.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::esc;
use crate::model::CohortIdx;
use crate::report::digest::{course_hue, Digest, Kind};

/// Most courses named in the overview's legend; beyond that a legend is
/// noise and the bars' tooltips name the course.
const MAX_LEGEND: usize = 40;

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
pub(super) fn overview(h: &mut String, digest: &Digest) {
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
