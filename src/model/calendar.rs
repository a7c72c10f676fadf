use super::DayIdx;

/// One teaching day: a label (an ISO date where the planner gave one) and
/// how many periods it has.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub label: String,
    pub periods: u32,
}

/// A (day, period) pair; periods are numbered from 1 as planners count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub day: DayIdx,
    pub period: u32,
}

/// The teaching days in order, with a flat numbering of all their periods.
///
/// The flat number ("slot index") orders slots by day then period, which is
/// also the order the timetable is written in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calendar {
    pub days: Vec<Day>,
    /// `first_slot[d]` is the slot index of period 1 of day `d`; one extra
    /// entry at the end holds the total, so a day's slots are
    /// `first_slot[d]..first_slot[d + 1]`.
    first_slot: Vec<usize>,
}

impl Calendar {
    pub fn new(days: Vec<Day>) -> Self {
        let mut first_slot = Vec::with_capacity(days.len() + 1);
        let mut next = 0usize;
        for day in &days {
            first_slot.push(next);
            next += day.periods as usize;
        }
        first_slot.push(next);
        Calendar { days, first_slot }
    }

    pub fn num_days(&self) -> usize {
        self.days.len()
    }

    pub fn num_slots(&self) -> usize {
        *self.first_slot.last().unwrap_or(&0)
    }

    pub fn max_periods(&self) -> u32 {
        self.days.iter().map(|d| d.periods).max().unwrap_or(0)
    }

    pub fn day_by_label(&self, label: &str) -> Option<DayIdx> {
        self.days.iter().position(|d| d.label == label).map(DayIdx)
    }

    pub fn label(&self, day: DayIdx) -> &str {
        &self.days[day.0].label
    }

    /// Whether `period` (from 1) exists on `day`.
    pub fn has_slot(&self, slot: Slot) -> bool {
        slot.day.0 < self.days.len() && slot.period >= 1 && slot.period <= self.days[slot.day.0].periods
    }

    /// Flat index of an existing slot.
    pub fn slot_index(&self, slot: Slot) -> usize {
        debug_assert!(self.has_slot(slot));
        self.first_slot[slot.day.0] + (slot.period as usize - 1)
    }

    /// The slot with this flat index.
    pub fn slot(&self, index: usize) -> Slot {
        let day = self.first_slot.partition_point(|&f| f <= index) - 1;
        Slot { day: DayIdx(day), period: (index - self.first_slot[day]) as u32 + 1 }
    }

    /// Flat indices of the slots of one day.
    pub fn day_slots(&self, day: DayIdx) -> std::ops::Range<usize> {
        self.first_slot[day.0]..self.first_slot[day.0 + 1]
    }

    /// All slots in calendar order.
    pub fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        (0..self.num_slots()).map(move |i| self.slot(i))
    }

    /// Human label of a slot, e.g. `2020-04-07 period 2`.
    pub fn describe(&self, slot: Slot) -> String {
        format!("{} period {}", self.label(slot.day), slot.period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_numbering_round_trips_over_uneven_days() {
        let cal = Calendar::new(vec![
            Day { label: "a".into(), periods: 2 },
            Day { label: "b".into(), periods: 3 },
            Day { label: "c".into(), periods: 1 },
        ]);
        assert_eq!(cal.num_slots(), 6);
        for i in 0..6 {
            assert_eq!(cal.slot_index(cal.slot(i)), i);
        }
        assert_eq!(cal.slot(2), Slot { day: DayIdx(1), period: 1 });
        assert_eq!(cal.day_slots(DayIdx(1)), 2..5);
        assert!(!cal.has_slot(Slot { day: DayIdx(2), period: 2 }));
    }
}
