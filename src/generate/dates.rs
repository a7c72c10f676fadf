//! Day labels of a teaching year, without a date library.

/// Public holidays of the 2025-26 teaching year that fall on weekdays
/// (Vietnam: National Day, New Year, the Tết week, Hùng Kings'
/// Commemoration, Reunification Day, Labour Day).
const HOLIDAYS: &[&str] = &[
    "2025-09-02",
    "2026-01-01",
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-02-20",
    "2026-04-27",
    "2026-04-30",
    "2026-05-01",
    "2026-09-01",
    "2026-09-02",
];

/// The first `n` teaching days as ISO dates: Monday to Friday from
/// 2025-09-01 (a Monday), skipping the holidays above.
pub(super) fn teaching_days(n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let (mut year, mut month, mut day) = (2025u32, 9u32, 1u32);
    let mut weekday = 0u32; // 0 = Monday
    while out.len() < n {
        if weekday < 5 {
            let label = format!("{year:04}-{month:02}-{day:02}");
            if !HOLIDAYS.contains(&label.as_str()) {
                out.push(label);
            }
        }
        weekday = (weekday + 1) % 7;
        day += 1;
        if day > days_in_month(year, month) {
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
    }
    out
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_weekends_and_holidays() {
        let days = teaching_days(12);
        assert_eq!(days[0], "2025-09-01");
        // 09-02 is National Day, 09-06/07 a weekend.
        assert_eq!(days[1], "2025-09-03");
        assert_eq!(days[4], "2025-09-08");
        let year = teaching_days(250);
        assert!(!year.iter().any(|d| d == "2026-01-01" || d == "2026-02-18"));
        assert!(year.contains(&"2026-02-23".to_string()));
        // Strictly increasing, so labels are unique and in calendar order.
        assert!(year.windows(2).all(|w| w[0] < w[1]));
    }
}
