//! Partial dates as archive records give them: `1937`, `1937-11`, `1937-11-05`,
//! optionally prefixed by `~` for "approximately".

use std::cmp::Ordering;
use std::fmt;

/// A date of which only the year, or the year and month, may be known.
/// `month` and `day` are 0 when unknown. Ordered chronologically, with the less
/// precise date first (1937 < 1937-01 < 1937-01-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PartialDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub approximate: bool,
}

impl PartialDate {
    /// Parses a date; the error says what was expected.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let expected = || {
            format!(
                "{text:?} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD, optionally prefixed by ~ (e.g. 1937-11-05, ~1938)"
            )
        };
        let (approximate, rest) = match text.strip_prefix('~') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let parts: Vec<&str> = rest.split('-').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(expected());
        }
        let number = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
        };
        let year = number(parts[0], 4).ok_or_else(expected)?;
        let month = match parts.get(1) {
            Some(m) => number(m, 2).ok_or_else(expected)?,
            None => 0,
        };
        let day = match parts.get(2) {
            Some(d) => number(d, 2).ok_or_else(expected)?,
            None => 0,
        };
        if !(1000..=2999).contains(&year) {
            return Err(format!("{text:?}: the year {year} is out of range"));
        }
        if parts.len() >= 2 && !(1..=12).contains(&month) {
            return Err(format!("{text:?}: there is no month {month}"));
        }
        if parts.len() == 3 && (day < 1 || day > days_in_month(year, month)) {
            return Err(format!("{text:?}: there is no day {day} in that month"));
        }
        Ok(PartialDate { year: year as u16, month: month as u8, day: day as u8, approximate })
    }

    /// Parses an optional field: empty means unknown.
    pub fn parse_optional(text: &str) -> Result<Option<PartialDate>, String> {
        if text.is_empty() {
            Ok(None)
        } else {
            Self::parse(text).map(Some)
        }
    }

    /// Whether this date is certainly before `other`: compared only as far as
    /// both are known (1937 and 1937-05 may be the same day), and never when
    /// either is approximate (~1937 may be any nearby year).
    pub fn surely_before(&self, other: &PartialDate) -> bool {
        if self.approximate || other.approximate {
            return false;
        }
        let known = |d: &PartialDate| {
            if d.month == 0 {
                1
            } else if d.day == 0 {
                2
            } else {
                3
            }
        };
        let precision = known(self).min(known(other));
        let key = |d: &PartialDate| match precision {
            1 => (d.year, 0, 0),
            2 => (d.year, d.month, 0),
            _ => (d.year, d.month, d.day),
        };
        key(self) < key(other)
    }

    /// The machine form for `<time datetime>`: `1937`, `1937-11`, `1937-11-05`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (m, 0) => format!("{:04}-{:02}", self.year, m),
            (m, d) => format!("{:04}-{:02}-{:02}", self.year, m, d),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approximate {
            f.write_str("~")?;
        }
        f.write_str(&self.iso())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.year, self.month, self.day, self.approximate).cmp(&(
            other.year,
            other.month,
            other.day,
            other.approximate,
        ))
    }
}

/// The civil (proleptic Gregorian) date of a day number counted from
/// 1970-01-01, as (year, month, day) — H. Hinnant's algorithm.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// The day number counted from 1970-01-01 of a civil (proleptic Gregorian)
/// date: the inverse of [`civil_from_days`], by the same algorithm.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_precision() {
        let d = PartialDate::parse("1937-11-05").unwrap();
        assert_eq!((d.year, d.month, d.day, d.approximate), (1937, 11, 5, false));
        let d = PartialDate::parse("~1938").unwrap();
        assert_eq!((d.year, d.month, d.day, d.approximate), (1938, 0, 0, true));
        assert_eq!(PartialDate::parse("1937-02").unwrap().iso(), "1937-02");
        assert_eq!(PartialDate::parse("~1937-02").unwrap().to_string(), "~1937-02");
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "",
            "37",
            "1937-1",
            "1937-13",
            "1937-02-30",
            "1937-11-05-01",
            "05.11.1937",
            "~",
            "1937 ",
            "1900-02-29",
            "１９３７",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(PartialDate::parse("1940-02-29").is_ok());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_675), (2023, 11, 14));
        assert_eq!(civil_from_days(-11_745), (1937, 11, 5));
    }

    #[test]
    fn civil_dates_round_trip() {
        // Both sides of 1970, both sides of a leap day, a century that is not a
        // leap year (1900) and one that is (2000).
        for day in [-50_000, -25_508, -25_509, -1, 0, 1, 59, 60, 365, 10_957, 11_016, 11_017, 20_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day, "{y}-{m}-{d}");
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1937, 11, 5), -11_745);
        assert_eq!(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);
    }

    #[test]
    fn compares_only_what_both_dates_know() {
        let d = |s: &str| PartialDate::parse(s).unwrap();
        assert!(d("1936").surely_before(&d("1937-05")));
        assert!(d("1937-04-30").surely_before(&d("1937-05")));
        assert!(!d("1937").surely_before(&d("1937-05")), "the same year may be any month");
        assert!(!d("1937-05").surely_before(&d("1937")));
        assert!(!d("1937-05-01").surely_before(&d("1937-05")));
        assert!(!d("1937-05-01").surely_before(&d("1937-05-01")), "the same day is not before");
        assert!(!d("~1930").surely_before(&d("1937")), "approximate dates are never a conflict");
        assert!(!d("1930").surely_before(&d("~1937")));
    }

    #[test]
    fn orders_chronologically() {
        let a = PartialDate::parse("1937").unwrap();
        let b = PartialDate::parse("1937-01").unwrap();
        let c = PartialDate::parse("1936-12-31").unwrap();
        assert!(c < a && a < b);
    }
}
