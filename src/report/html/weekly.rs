//! The weekly grids: the section the script fills, the sessions it draws
//! from as JSON, and the script.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::report::digest::{course_hue, Digest};
use crate::report::times::weekday_vi;

/// The frame the script fills: pickers, the grid, a legend.
pub(super) fn frame(h: &mut String) {
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

/// Everything the weekly grids need, as compact arrays (see SCRIPT for the
/// field order). `<` is escaped so no text can close the script element.
pub(super) fn embedded_json(digest: &Digest) -> String {
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

/// Draws the weekly grid of the chosen entity and week from the JSON
/// blob. Data layout: days `[label, weekday, short date, periods, week]`,
/// courses `[id, subject, hue, students, cohorts]`, sessions `[day,
/// period, course, room, instructor, flags(1 isolated, 2 room too small,
/// 4 soft), isolated cohorts?]`.
pub(super) const SCRIPT: &str = r#"
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
