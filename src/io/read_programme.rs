//! The instance reader's part for FORMAT.md version 2: subjects.csv,
//! relations.csv, the course columns `block` and `max_span_days`, and the
//! cells that set a rule the solver does not place yet.

use std::collections::BTreeSet;

use super::read_instance::{ids, Ids, Reader};
use super::schema::COURSES;
use super::table::{Cell, Row, Table};
use crate::model::{CourseIdx, Instance, ProgrammeRule, Relation, RelationKind, SourceCell, Subject};

impl Reader {
    /// Remembers the cell as where the input sets `rule`, if it is the first.
    pub(super) fn note_rule(&mut self, t: &Table, cell: &Cell, rule: ProgrammeRule) {
        let at = SourceCell {
            file: t.file.clone(),
            line: cell.line,
            column: cell.column,
            header: cell.name.to_string(),
            value: cell.text.to_string(),
        };
        self.rule_cells.note(rule, at);
    }

    /// A course's `block` and `max_span_days`; `None` when a cell is wrong
    /// (reported). A block must divide the sessions, or no timetable could
    /// keep every run whole.
    pub(super) fn course_programme(&mut self, t: &Table, row: &Row, sessions: Option<u32>) -> Option<(Option<u32>, Option<u32>)> {
        let block_cell = t.cell(row, "block").filter(|c| !c.text.is_empty());
        let span_cell = t.cell(row, "max_span_days").filter(|c| !c.text.is_empty());
        let block = match &block_cell {
            None => Some(None),
            Some(c) => self.count(t, c, 1).map(Some),
        };
        let span = match &span_cell {
            None => Some(None),
            Some(c) => self.count(t, c, 1).map(Some),
        };
        if let (Some(Some(b)), Some(n), Some(c)) = (block, sessions, &block_cell) {
            if n % b != 0 {
                let message =
                    format!("does not divide the course's {n} sessions; expected a divisor of sessions (sessions come in whole blocks)");
                self.push(t, "E-BLOCK", c, message);
                return None;
            }
            if b > 1 {
                self.note_rule(t, c, ProgrammeRule::Block);
            }
        }
        if let (Some(Some(_)), Some(c)) = (span, &span_cell) {
            self.note_rule(t, c, ProgrammeRule::MaxSpanDays);
        }
        Some((block?, span?))
    }

    pub(super) fn subjects(&mut self, t: &Table) -> Vec<Subject> {
        let mut out = Vec::new();
        let mut seen = Ids::new();
        for row in &t.rows {
            let id = self.unique_id(t, &t.cell(row, "id").unwrap(), &mut seen, out.len());
            let name = t.cell(row, "name").unwrap().text.to_string();
            if let Some(id) = id {
                out.push(Subject { id, name });
            }
        }
        out
    }

    pub(super) fn relations(&mut self, t: &Table, inst: &Instance) -> Vec<Relation> {
        let course_ids: Ids = ids(inst.courses.iter().map(|c| &c.id));
        let mut out = Vec::new();
        for row in &t.rows {
            let kind_cell = t.cell(row, "kind").unwrap();
            let kind = RelationKind::parse(kind_cell.text);
            if kind.is_none() {
                self.push(t, "E-KIND", &kind_cell, "is not a relation kind; expected before, different_days or not_overlap");
            }
            let courses_cell = t.cell(row, "courses").unwrap();
            let mut courses = Vec::new();
            let mut listed = BTreeSet::new();
            let mut ok = true;
            let tokens = self.list(t, &courses_cell);
            for token in &tokens {
                if !listed.insert(token.clone()) {
                    self.push(
                        t,
                        "E-DUPLICATE-ID",
                        &courses_cell,
                        format!("lists course '{token}' twice; a relation names each course once"),
                    );
                    ok = false;
                    continue;
                }
                match self.reference(t, &courses_cell, token, &course_ids, "course", COURSES.name) {
                    Some(c) => courses.push(CourseIdx(c)),
                    None => ok = false,
                }
            }
            // A course listed twice is its own error, not also too few.
            let written = courses_cell.text.split_whitespace().count();
            if written < 2 {
                let found = if written == 0 { "no course" } else { "one course" };
                self.push(t, "E-RELATION", &courses_cell, format!("lists {found}; a relation needs two or more course ids"));
                ok = false;
            }
            let weight = match t.cell(row, "weight").filter(|c| !c.text.is_empty()) {
                None => Some(None),
                Some(c) => self.relation_weight(t, &c).map(Some),
            };
            let (Some(kind), Some(weight), true) = (kind, weight, ok) else { continue };
            if weight.is_none() {
                self.note_rule(t, &kind_cell, ProgrammeRule::HardRelation);
            }
            out.push(Relation { kind, courses, weight });
        }
        out
    }

    /// A soft relation's penalty: a number above 0 (0 or a negative number
    /// would make the relation no rule at all, or a reward).
    fn relation_weight(&mut self, t: &Table, cell: &Cell) -> Option<f64> {
        let negative = cell.text.strip_prefix('-').is_some_and(|rest| rest.replace(',', ".").parse::<f64>().is_ok());
        match if negative { Some(-1.0) } else { self.decimal(t, cell) } {
            Some(w) if w > 0.0 => Some(w),
            Some(_) => {
                self.push(t, "E-NUMBER", cell, "is not positive; expected a penalty above 0, or empty for a hard relation");
                None
            }
            None => None,
        }
    }
}
