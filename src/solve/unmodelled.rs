//! The rules of FORMAT.md version 2 the solver does not place yet. A
//! timetable that ignored them would be rejected by the checker after the
//! whole solve, so the solve refuses at once and names the cell that sets
//! the first such rule. Soft version-2 terms (teaching quotas, soft
//! relations) do not stop a solve: it optimises without them and the
//! checker prices them in the summary (docs/model.md).

use super::SolveError;
use crate::model::Instance;

/// `Err(RuleNotPlaced)` for the first rule, in file order, that the
/// instance sets and the solver cannot place.
pub fn refuse_unmodelled_rules(instance: &Instance) -> Result<(), SolveError> {
    let in_use = instance.programme_rules_in_use();
    let Some(&first) = in_use.first() else { return Ok(()) };
    // The first cell read that sets a rule in use; an instance built in
    // code has no cells, and its first rule is named without a place.
    let (rule, at) = instance
        .rule_cells
        .0
        .iter()
        .find(|(rule, _)| in_use.contains(rule))
        .map_or((first, None), |(rule, cell)| (*rule, Some(cell.clone())));
    Err(SolveError::RuleNotPlaced { rule, at })
}
