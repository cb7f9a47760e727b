//! Calendar dates as day numbers (proleptic Gregorian), enough for generating a corpus: no time
//! zones, no clock. The algorithms are Howard Hinnant's `days_from_civil` / `civil_from_days`.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    pub fn ymd(y: i32, m: u32, d: u32) -> Date {
        let y = i64::from(if m <= 2 { y - 1 } else { y });
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(m);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    pub fn parts(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
        (y, m, d)
    }

    pub fn year(self) -> i32 {
        self.parts().0
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    pub fn days_until(self, later: Date) -> i64 {
        later.0 - self.0
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    pub fn add_years(self, years: i32) -> Date {
        let (y, m, d) = self.parts();
        let y2 = y + years;
        let d2 = if m == 2 && d == 29 && !is_leap(y2) {
            28
        } else {
            d
        };
        Date::ymd(y2, m, d2)
    }

    pub fn last_day_of_month(y: i32, m: u32) -> u32 {
        match m {
            2 if is_leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// `2019年4月10日`, as dates are written in the text of a document.
    pub fn chinese(self) -> String {
        let (y, m, d) = self.parts();
        format!("{y}年{m}月{d}日")
    }
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.parts();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}
