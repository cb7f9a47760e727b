//! Recognising the layout of an official document (GB/T 9704-2012, 党政机关公文格式) in the
//! paragraphs of a `.docx`, to fill the front matter.
//!
//! Top to bottom an official document has: 版头 (份号, 密级, 紧急程度, 发文机关标志 such as
//! `××市人民政府办公室文件`, then the 发文字号 line, perhaps with 签发人); the 标题; the 主送机关
//! line ending in `：`; the body; the 附件说明; the 落款 (issuing organ) over the 成文日期
//! (`2024年3月18日`); and the 版记 (抄送, then `印发机关 2024年3月20日印发`). The 版头, 标题
//! and 版记 become front matter and are left out of the body; the 主送机关, body, 附件说明,
//! 落款 and 成文日期 stay in it, as the printed gazette shows them. Every value found here is
//! a guess that the editor confirms: the caller marks each one.

use jiff::civil::Date;

use super::docx::{Block, Inline};
use crate::config::Config;
use crate::contract::parse_chinese_date;

/// What the layout says, and which top-level blocks belong to the body.
#[derive(Debug, Default, Clone)]
pub struct Layout {
    pub doc_number: Option<String>,
    pub title: Option<String>,
    /// Registered issuer names found in the 落款 (or in the 发文机关标志).
    pub issuers: Vec<String>,
    /// An organ named in the 落款 that the registry does not know.
    pub unregistered_issuer: Option<String>,
    pub issued: Option<Date>,
    /// 印发日期 of the 版记.
    pub printed: Option<Date>,
    /// Indices of the blocks that form the body.
    pub body: Vec<usize>,
}

/// Text without the spaces that typesetting puts between characters (`通  知`).
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

pub fn recognise(blocks: &[Block], config: &Config) -> Layout {
    let text = |i: usize| match &blocks[i] {
        Block::Para(p) => squeeze(&p.text()),
        Block::Table(_) => String::new(),
    };
    let para = |i: usize| match &blocks[i] {
        Block::Para(p) => Some(p),
        Block::Table(_) => None,
    };
    // Paragraphs with text, an image, an embedded file or a note; and tables.
    let filled: Vec<usize> = (0..blocks.len())
        .filter(|&i| match &blocks[i] {
            Block::Table(_) => true,
            Block::Para(p) => {
                !text(i).is_empty()
                    || p.inlines
                        .iter()
                        .any(|x| !matches!(x, Inline::Text { .. } | Inline::Break))
            }
        })
        .collect();
    let mut layout = Layout::default();
    let mut head_end = 0; // position in `filled` where the body starts

    // 版头: the 发文字号 line among the first lines.
    for (k, &i) in filled.iter().enumerate().take(12) {
        let t = text(i);
        if let Some(n) = find_doc_number(&t) {
            layout.doc_number = Some(n);
            head_end = k + 1;
            break;
        }
        // 规章: `××市人民政府令` over `第121号`.
        if let Some(n) = t.strip_prefix('第').and_then(|r| r.strip_suffix('号'))
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
            && k > 0
        {
            let organ = text(filled[k - 1]);
            if organ.ends_with('令') {
                layout.doc_number = Some(format!("{organ}第{n}号"));
                head_end = k + 1;
                break;
            }
        }
    }
    // 标题: the next lines up to the 主送机关 (a line ending in a colon), at most three.
    let mut title = String::new();
    let mut k = head_end;
    while k < filled.len() && k < head_end + 3 {
        let i = filled[k];
        let Some(p) = para(i) else { break };
        let t = text(i);
        let centered = p.centered || (head_end == 0 && k == 0);
        if t.ends_with(['：', ':']) || t.chars().count() > 80 || !centered && !title.is_empty() {
            break;
        }
        title.push_str(&t);
        k += 1;
        if !p.centered {
            break;
        }
    }
    if !title.is_empty() {
        layout.title = Some(title);
        head_end = k;
    }
    // 版记: from the first 抄送 or 印发 line to the end.
    let mut tail_start = filled.len();
    for (k, &i) in filled.iter().enumerate().skip(head_end) {
        let t = text(i);
        let printed = t.strip_suffix("印发").and_then(date_at_end);
        if t.starts_with("抄送") || printed.is_some() {
            tail_start = tail_start.min(k);
        }
        if let Some((d, _)) = printed {
            layout.printed = Some(d);
        }
    }
    // 落款 and 成文日期: the last date line before the 版记, the organs over it.
    let body_range = head_end..tail_start;
    if let Some(k) = body_range
        .clone()
        .rev()
        .find(|&k| date_at_end(&text(filled[k])).is_some_and(|(_, whole)| whole))
    {
        layout.issued = date_at_end(&text(filled[k])).map(|(d, _)| d);
        for j in (head_end..k).rev().take(3) {
            let t = text(filled[j]);
            match registered(config, &t) {
                Some(name) => layout.issuers.insert(0, name),
                None if layout.issuers.is_empty() && looks_like_organ(&t) => {
                    layout.unregistered_issuer = Some(t);
                    break;
                }
                None => break,
            }
        }
    }
    // No 落款: the 发文机关标志 (`××文件`) may name the organ.
    if layout.issuers.is_empty() {
        for &i in filled.iter().take(head_end) {
            let t = text(i);
            if let Some(name) = t.strip_suffix("文件").and_then(|o| registered(config, o)) {
                layout.issuers.push(name);
            }
        }
    }
    layout.body = filled[body_range].to_vec();
    layout
}

/// A registered issuer by full or short name.
fn registered(config: &Config, t: &str) -> Option<String> {
    if config.issuer(t).is_some() {
        return Some(t.to_string());
    }
    config
        .issuers
        .iter()
        .find(|x| x.short_name.as_deref() == Some(t))
        .map(|x| x.name.clone())
}

fn looks_like_organ(t: &str) -> bool {
    let n = t.chars().count();
    (4..=30).contains(&n)
        && [
            "政府",
            "办公室",
            "局",
            "委员会",
            "委",
            "厅",
            "院",
            "中心",
            "办",
        ]
        .iter()
        .any(|e| t.ends_with(e))
}

/// A date at the end of `t` (`2024年3月18日` or `二〇二四年三月十八日`), and whether it is
/// the whole of `t`.
fn date_at_end(t: &str) -> Option<(Date, bool)> {
    let t = t.trim();
    let start = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || "年月日〇零一二三四五六七八九十".contains(*c))
        .last()
        .map(|(i, _)| i)?;
    let written = &t[start..];
    let arabic = to_arabic(written)?;
    let (y, m, d) = parse_chinese_date(&arabic)?;
    let date = Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    Some((date, start == 0))
}

/// `二〇二四年三月十八日` → `2024年3月18日`; Arabic dates pass through.
fn to_arabic(s: &str) -> Option<String> {
    if s.chars().any(|c| c.is_ascii_digit()) {
        return Some(s.to_string());
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or((c == '零').then_some(0))
    };
    let mut out = String::new();
    let mut part = String::new();
    for c in s.chars() {
        if matches!(c, '年' | '月' | '日') {
            let n = if c == '年' {
                part.chars()
                    .map(|d| digit(d).map(|v| char::from(b'0' + v as u8)))
                    .collect::<Option<String>>()?
            } else {
                let (tens, ones) = match part.split_once('十') {
                    Some((t, o)) => (
                        if t.is_empty() {
                            1
                        } else {
                            digit(t.chars().next()?)?
                        },
                        if o.is_empty() {
                            0
                        } else {
                            digit(o.chars().next()?)?
                        },
                    ),
                    None => (0, digit(part.chars().next()?)?),
                };
                (tens * 10 + ones).to_string()
            };
            out.push_str(&n);
            out.push(c);
            part.clear();
        } else {
            part.push(c);
        }
    }
    Some(out)
}

/// A 发文字号 in a line of the 版头 (`洛政办〔2024〕12号` or with `签发人：…` beside it),
/// in its correct form when the editor's form is recognisably a 发文字号.
pub fn find_doc_number(t: &str) -> Option<String> {
    let t = t.split("签发人").next().unwrap_or(t);
    if t.chars().count() > 30 {
        return None;
    }
    let hao = t.rfind('号')?;
    let candidate = &t[..hao + '号'.len_utf8()];
    match crate::contract::doc_number::check(candidate) {
        Ok(()) if candidate.contains('〔') => Some(candidate.to_string()),
        Ok(()) => None,
        Err((_, fixed)) => fixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_numerals() {
        let d = Date::new(2024, 3, 18).unwrap();
        assert_eq!(date_at_end("2024年3月18日"), Some((d, true)));
        assert_eq!(date_at_end("二〇二四年三月十八日"), Some((d, true)));
        assert_eq!(
            date_at_end("洛阳市人民政府办公室2024年3月18日"),
            Some((d, false))
        );
        assert_eq!(
            date_at_end("二〇二四年十二月三十日").map(|x| x.0),
            Date::new(2024, 12, 30).ok()
        );
    }

    #[test]
    fn doc_number_lines() {
        assert_eq!(
            find_doc_number("洛政办〔2024〕12号"),
            Some("洛政办〔2024〕12号".into())
        );
        assert_eq!(
            find_doc_number("洛政办[2024]012号签发人：张三"),
            Some("洛政办〔2024〕12号".into())
        );
        assert_eq!(find_doc_number("关于印发办法的通知"), None);
    }
}
