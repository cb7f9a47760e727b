//! 发文字号 per GB/T 9704-2012 §7.2.5: 机关代字 + 〔year in full〕 + serial number + 号.
//!
//! Editors type brackets and numbers in many ways. Rather than only saying "wrong", the checker
//! parses the common variants and returns the corrected form for the hint.

/// `Ok(())` when `s` is a correct 发文字号 or an order number (`洛阳市人民政府令第121号`);
/// otherwise the reason and, when the intent is clear, the corrected form.
pub fn check(s: &str) -> Result<(), (String, Option<String>)> {
    if is_order_number(s) {
        return Ok(());
    }
    let Some(parsed) = parse_loose(s) else {
        return Err(("不是 机关代字〔年份〕序号号 的形式".into(), None));
    };
    let fixed = parsed.canonical();
    if parsed.year_digits == 4 && parsed.year.as_str() < "1949" {
        return Err((format!("年份 {} 早于 1949 年", parsed.year), None));
    }
    if fixed == s {
        return Ok(());
    }
    let mut reasons = Vec::new();
    if parsed.open != '〔' || parsed.close != '〕' {
        reasons.push(format!(
            "年份应使用六角括号〔〕，而不是 {}{}",
            parsed.open, parsed.close
        ));
    }
    if parsed.year_digits == 2 {
        reasons.push("年份应写全四位".to_string());
    }
    if parsed.has_di {
        reasons.push("序号前不加“第”".to_string());
    }
    if parsed.leading_zero {
        reasons.push("序号不编虚位（不加前导 0）".to_string());
    }
    if parsed.fullwidth_digits {
        reasons.push("数字应使用阿拉伯数字半角字符".to_string());
    }
    if reasons.is_empty() {
        reasons.push("多余的空格或字符".to_string());
    }
    Err((reasons.join(";"), Some(fixed)))
}

/// `…令第121号`: how 规章 are numbered (a 令 number keeps its 第).
fn is_order_number(s: &str) -> bool {
    let Some(rest) = s.strip_suffix('号') else {
        return false;
    };
    let Some((prefix, num)) = rest.rsplit_once("令第") else {
        return false;
    };
    !prefix.is_empty()
        && !num.is_empty()
        && num.chars().all(|c| c.is_ascii_digit())
        && !num.starts_with('0')
}

struct Loose {
    prefix: String,
    open: char,
    close: char,
    year: String,
    year_digits: usize,
    serial: String,
    has_di: bool,
    leading_zero: bool,
    fullwidth_digits: bool,
}

impl Loose {
    fn canonical(&self) -> String {
        format!("{}〔{}〕{}号", self.prefix, self.full_year(), self.serial)
    }

    /// A two-digit year names the latest year from 1949 on that ends with it: `98` is 1998,
    /// `19` is 2019 (the People's Republic's documents begin in 1949).
    fn full_year(&self) -> String {
        match (self.year_digits, self.year.parse::<u16>()) {
            (2, Ok(yy)) if yy >= 49 => format!("19{:02}", yy),
            (2, Ok(yy)) => format!("20{:02}", yy),
            _ => self.year.clone(),
        }
    }
}

/// The year a 发文字号 names (`洛政〔2019〕12号` → 2019), for the `doc-number-year` warning;
/// `None` for order numbers and what cannot be read.
pub fn year(s: &str) -> Option<i16> {
    if is_order_number(s) {
        return None;
    }
    parse_loose(s)?.full_year().parse().ok()
}

fn parse_loose(s: &str) -> Option<Loose> {
    const OPEN: &[char] = &['〔', '[', '(', '(', '【', '[', '﹝', '〖', '{'];
    const CLOSE: &[char] = &['〕', ']', ')', ')', '】', ']', '﹞', '〗', '}'];
    let fullwidth_digits = s.chars().any(|c| ('\u{FF10}'..='\u{FF19}').contains(&c));
    let norm: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let open_at = norm.find(OPEN)?;
    let open = norm[open_at..].chars().next()?;
    let prefix = norm[..open_at].to_string();
    if prefix.is_empty() {
        return None;
    }
    let after_open = &norm[open_at + open.len_utf8()..];
    let close_at = after_open.find(CLOSE)?;
    let close = after_open[close_at..].chars().next()?;
    let year = after_open[..close_at].to_string();
    if !(year.len() == 4 || year.len() == 2) || !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut tail = &after_open[close_at + close.len_utf8()..];
    let has_di = tail.starts_with('第');
    if has_di {
        tail = &tail['第'.len_utf8()..];
    }
    let digits = tail.strip_suffix('号')?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        return None;
    }
    Some(Loose {
        prefix,
        open,
        close,
        year_digits: year.len(),
        year,
        serial: trimmed.to_string(),
        has_di,
        leading_zero: trimmed.len() != digits.len(),
        fullwidth_digits,
    })
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_the_standard_forms() {
        assert!(check("洛政办〔2019〕12号").is_ok());
        assert!(check("洛阳市人民政府令第121号").is_ok());
    }

    #[test]
    fn corrects_common_mistakes() {
        for (bad, fixed) in [
            ("洛政办[2019]12号", "洛政办〔2019〕12号"),
            ("洛政办(2019)12号", "洛政办〔2019〕12号"),
            ("洛政办(2019)12号", "洛政办〔2019〕12号"),
            ("洛政办〔19〕12号", "洛政办〔2019〕12号"),
            ("洛政〔98〕3号", "洛政〔1998〕3号"),
            ("洛政〔49〕3号", "洛政〔1949〕3号"),
            ("洛政〔48〕3号", "洛政〔2048〕3号"),
            ("洛政办〔2019〕012号", "洛政办〔2019〕12号"),
            ("洛政办〔2019〕第12号", "洛政办〔2019〕12号"),
            ("洛政办〔2019〕\u{FF11}\u{FF12}号", "洛政办〔2019〕12号"),
        ] {
            let (_, hint) = check(bad).unwrap_err();
            assert_eq!(hint.as_deref(), Some(fixed), "{bad}");
        }
    }

    #[test]
    fn reads_the_year_for_the_year_check() {
        assert_eq!(super::year("洛政办〔2019〕12号"), Some(2019));
        assert_eq!(super::year("洛政〔98〕3号"), Some(1998));
        assert_eq!(super::year("洛阳市人民政府令第121号"), None);
    }

    #[test]
    fn rejects_years_before_1949() {
        assert!(check("洛政〔1919〕3号").unwrap_err().0.contains("1949"));
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        assert_eq!(check("洛政办12号").unwrap_err().1, None);
        assert!(check("〔2019〕12号").is_err());
        assert!(check("洛阳市人民政府令第012号").is_err());
    }
}
