//! The rules of a training programme that FORMAT.md version 2 adds to
//! ITC-2007's: subject names, relations between courses, and where in the
//! input each rule the solver may not place yet was written.

use std::path::PathBuf;

use super::CourseIdx;

/// A subject's title (`subjects.csv`), shown where the subject id would be.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub id: String,
    pub name: String,
}

/// What a relation between courses asks (FORMAT.md, relations.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RelationKind {
    /// Each listed course entirely before the next: module order.
    Before,
    /// No two listed courses on one day.
    DifferentDays,
    /// No two listed courses in one period.
    NotOverlap,
}

impl RelationKind {
    pub const ALL: [RelationKind; 3] = [RelationKind::Before, RelationKind::DifferentDays, RelationKind::NotOverlap];

    /// The `kind` cell of relations.csv.
    pub fn name(self) -> &'static str {
        match self {
            RelationKind::Before => "before",
            RelationKind::DifferentDays => "different_days",
            RelationKind::NotOverlap => "not_overlap",
        }
    }

    /// The kind a `kind` cell names, matched without regard to case.
    pub fn parse(text: &str) -> Option<RelationKind> {
        RelationKind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(text.trim()))
    }
}

/// One row of relations.csv: two or more distinct courses.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub kind: RelationKind,
    pub courses: Vec<CourseIdx>,
    /// `None`: hard. `Some(w)`: `w` per violation.
    pub weight: Option<f64>,
}

impl Relation {
    pub fn is_hard(&self) -> bool {
        self.weight.is_none()
    }
}

/// A hard rule of version 2 that the solver does not place yet (the
/// checker checks every one of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProgrammeRule {
    /// A course's `block` above 1.
    Block,
    /// A course's `max_span_days`.
    MaxSpanDays,
    /// Rooms at more than one site.
    Site,
    /// An instructor's `max_days`.
    MaxDays,
    /// A relations.csv row with no weight.
    HardRelation,
}

impl ProgrammeRule {
    /// The column or file that sets the rule, as planners know it.
    pub fn name(self) -> &'static str {
        match self {
            ProgrammeRule::Block => "block",
            ProgrammeRule::MaxSpanDays => "max_span_days",
            ProgrammeRule::Site => "site",
            ProgrammeRule::MaxDays => "max_days",
            ProgrammeRule::HardRelation => "hard relation",
        }
    }
}

/// A cell of the input as the reader found it. Only the reader knows lines;
/// it keeps the cell that first sets each [`ProgrammeRule`] so that a
/// refusal to solve can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCell {
    pub file: PathBuf,
    /// 1-based line and column number, and the column's header name.
    pub line: usize,
    pub column: usize,
    pub header: String,
    pub value: String,
}

impl std::fmt::Display for SourceCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: column '{}' (found {:?})", self.file.display(), self.line, self.column, self.header, self.value)
    }
}

/// The first cell setting each programme rule, in the order the reader met
/// them (file order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleCells(pub Vec<(ProgrammeRule, SourceCell)>);

impl RuleCells {
    /// Records `cell` unless `rule` already has its first cell.
    pub fn note(&mut self, rule: ProgrammeRule, cell: SourceCell) {
        if !self.0.iter().any(|(r, _)| *r == rule) {
            self.0.push((rule, cell));
        }
    }

    pub fn of(&self, rule: ProgrammeRule) -> Option<&SourceCell> {
        self.0.iter().find(|(r, _)| *r == rule).map(|(_, c)| c)
    }
}

impl super::Instance {
    /// The programme rules this instance sets, in [`ProgrammeRule`] order.
    /// A block of 1 and a single site set nothing.
    pub fn programme_rules_in_use(&self) -> Vec<ProgrammeRule> {
        let uses = [
            (ProgrammeRule::Block, self.courses.iter().any(|c| c.block.is_some_and(|b| b > 1))),
            (ProgrammeRule::MaxSpanDays, self.courses.iter().any(|c| c.max_span_days.is_some())),
            (ProgrammeRule::Site, self.num_sites() > 1),
            (ProgrammeRule::MaxDays, self.instructors.iter().any(|i| i.max_days.is_some())),
            (ProgrammeRule::HardRelation, self.relations.iter().any(Relation::is_hard)),
        ];
        uses.into_iter().filter(|(_, used)| *used).map(|(rule, _)| rule).collect()
    }
}
