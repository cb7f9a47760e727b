//! Dates as the contract writes them: `YYYY-MM-DD` in front matter, 2024年3月18日 in prose.

use jiff::civil::Date;

/// A real calendar date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i16 = s[0..4].parse().ok()?;
    let m: i8 = s[5..7].parse().ok()?;
    let d: i8 = s[8..10].parse().ok()?;
    Date::new(y, m, d).ok()
}

/// `2024年3月18日` (the whole text), as numbers.
pub fn parse_chinese_date(t: &str) -> Option<(u32, u32, u32)> {
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let num = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    (y >= 1000 && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// 2024年3月18日: a date as Chinese prose writes it (the same rule as the 落款 and 题注).
pub fn chinese_date(d: jiff::civil::Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_dates_must_exist_on_the_calendar() {
        assert_eq!(parse_date("2024-03-18"), Date::new(2024, 3, 18).ok());
        assert_eq!(parse_date("2021-02-30"), None);
        assert_eq!(parse_date("2024-3-18"), None);
    }

    #[test]
    fn prose_dates_round_trip() {
        let d = Date::new(2024, 3, 18).unwrap();
        assert_eq!(chinese_date(d), "2024年3月18日");
        assert_eq!(parse_chinese_date(&chinese_date(d)), Some((2024, 3, 18)));
        assert_eq!(parse_chinese_date("2024年13月1日"), None);
        assert_eq!(parse_chinese_date("二〇二四年三月十八日"), None);
    }
}
