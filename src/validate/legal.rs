//! The warnings of legal-model.md §4: duties of the office that the archive can check but that
//! never stop a build (a late 备案 is a fact to fix, not a reason to withhold the document).
//!
//! Each warning names the regulation it enforces in its hint, so an editor knows why it matters:
//! 国办发〔2018〕37号 (有效期, 备案, 解读), 《政府信息公开条例》第二十六条 (20 个工作日),
//! GB/T 9704-2012 §7.2.5 (发文字号).

use std::collections::HashMap;
use std::sync::Arc;

use jiff::ToSpan;
use jiff::civil::Date;

use crate::config::{Config, Kind, Validity};
use crate::contract::chinese_date;
use crate::contract::doc_number;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{DocId, Document, InterpretationRef, book_title};

/// How many working days after 成文 a document must be public (条例 第二十六条).
const PUBLISH_WORKING_DAYS: i64 = 20;

pub(super) fn check(
    config: &Config,
    docs: &[Arc<Document>],
    by_id: &HashMap<&DocId, usize>,
    as_of: Date,
    diags: &mut Diagnostics,
) {
    let mut ended = vec![false; docs.len()];
    for d in docs
        .iter()
        .filter(|d| d.is_live(as_of) && d.effective <= as_of)
    {
        for t in d
            .repeals
            .iter()
            .filter(|r| r.articles.is_none())
            .map(|r| &r.id)
            .chain(&d.declares_expired)
            .filter_map(|t| by_id.get(t))
        {
            ended[*t] = true;
        }
    }
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.is_public()) {
        let Some(kind) = config.kind(&d.kind) else {
            continue;
        };
        if kind.validity == Validity::Own {
            expiring_soon(d, ended[i], as_of, diags);
            validity_too_long(kind, d, diags);
        }
        filing_overdue(kind, d, as_of, diags);
        doc_number_year(d, diags);
        publish_late(config, d, diags);
    }
    interpretation_late(config, docs, by_id, diags);
}

fn expiring_soon(d: &Document, ended: bool, as_of: Date, diags: &mut Diagnostics) {
    let Some(expires) = d.expires else { return };
    let horizon = as_of.checked_add(90.days()).unwrap_or(as_of);
    if !ended && expires >= as_of && expires <= horizon {
        let days = (expires - as_of).get_days();
        diags.push(
            Diagnostic::new(
                Code::ExpiringSoon,
                format!(
                    "{}的有效期将于{}届满（还有 {days} 天）",
                    book_title(&d.title),
                    chinese_date(expires)
                ),
            )
            .in_file(&d.file)
            .at(Some(d.pos("/expires")))
            .hint("有效期即将届满：评估后按程序延续、修改或宣布失效，并及时公布（国办发〔2018〕37号）"),
        );
    }
}

/// 暂行、试行 in a title: the shorter term of the kind applies, where it has one.
fn is_provisional(title: &str) -> bool {
    title.contains("暂行") || title.contains("试行")
}

/// The last day a term of `years` starting on `from` may reach: 5 years from 2019-07-01 end on
/// 2024-06-30.
pub fn last_day_of_term(from: Date, years: u32) -> Date {
    from.checked_add(i64::from(years).years())
        .and_then(|d| d.yesterday())
        .unwrap_or(from)
}

fn validity_too_long(kind: &Kind, d: &Document, diags: &mut Diagnostics) {
    let Some(expires) = d.expires else { return };
    let (years, what) = match (
        kind.provisional_max_validity_years,
        is_provisional(&d.title),
    ) {
        (Some(y), true) => (y, "标题含“暂行”或“试行”的"),
        _ => match kind.max_validity_years {
            Some(y) => (y, ""),
            None => return,
        },
    };
    let limit = last_day_of_term(d.effective, years);
    if expires > limit {
        diags.push(
            Diagnostic::new(
                Code::ValidityTooLong,
                format!(
                    "有效期（{}至{}）超过 {years} 年",
                    chinese_date(d.effective),
                    chinese_date(expires)
                ),
            )
            .in_file(&d.file)
            .at(Some(d.pos("/expires")))
            .hint(format!(
                "{what}{}有效期不超过 {years} 年：自{}施行，最晚写 expires: {limit}（国办发〔2018〕37号）",
                kind.label,
                chinese_date(d.effective)
            )),
        );
    }
}

fn filing_overdue(kind: &Kind, d: &Document, as_of: Date, diags: &mut Diagnostics) {
    let Some(days) = kind.filing_days else { return };
    let Some(deadline) = d.published.checked_add(i64::from(days).days()).ok() else {
        return;
    };
    let (message, at) = match d.filed_on {
        Some(f) if f > deadline => (
            format!(
                "备案日期{}晚于备案期限{}（发布后 {days} 日内）",
                chinese_date(f),
                chinese_date(deadline)
            ),
            d.pos("/filed_on"),
        ),
        None if as_of > deadline => (
            format!(
                "{}发布已超过 {days} 日，尚未记录备案日期（期限为{}）",
                book_title(&d.title),
                chinese_date(deadline)
            ),
            d.pos("/published"),
        ),
        _ => return,
    };
    diags.push(
        Diagnostic::new(Code::FilingOverdue, message)
            .in_file(&d.file)
            .at(Some(at))
            .hint(format!(
                "{}应自发布之日起 {days} 日内报送备案：备案后写 filed_on: YYYY-MM-DD（及 record_number）",
                kind.label
            )),
    );
}

fn doc_number_year(d: &Document, diags: &mut Diagnostics) {
    let Some(number) = d.doc_number.as_deref() else {
        return;
    };
    let Some(year) = doc_number::year(number) else {
        return;
    };
    let (date, key) = match d.issued {
        Some(x) => (x, "issued"),
        None => (d.published, "published"),
    };
    if year != date.year() {
        let what = if key == "issued" {
            "成文日期"
        } else {
            "发布日期"
        };
        diags.push(
            Diagnostic::new(
                Code::DocNumberYear,
                format!(
                    "发文字号 `{number}` 的年份 {year} 与{what}{}不一致",
                    chinese_date(date)
                ),
            )
            .in_file(&d.file)
            .at(Some(d.pos("/doc_number")))
            .hint(format!(
                "发文字号中的年份是成文的年份（GB/T 9704-2012 7.2.5）：核对发文字号和 {key}"
            )),
        );
    }
}

/// Working days after `from` up to and including `to`.
fn working_days_between(config: &Config, from: Date, to: Date) -> i64 {
    let mut n = 0;
    let mut day = from;
    while day < to {
        let Ok(next) = day.tomorrow() else { break };
        day = next;
        if config.is_working_day(day) {
            n += 1;
        }
    }
    n
}

fn publish_late(config: &Config, d: &Document, diags: &mut Diagnostics) {
    let Some(issued) = d.issued else { return };
    // A far-off date is a typo that date-order or review will catch; do not walk decades.
    if (d.published - issued).get_days() > 3660 {
        return;
    }
    let days = working_days_between(config, issued, d.published);
    if days > PUBLISH_WORKING_DAYS {
        diags.push(
            Diagnostic::new(
                Code::PublishLate,
                format!(
                    "成文（{}）后第 {days} 个工作日才发布（{}）",
                    chinese_date(issued),
                    chinese_date(d.published)
                ),
            )
            .in_file(&d.file)
            .at(Some(d.pos("/published")))
            .hint("属于主动公开范围的政府信息，应自形成或者变更之日起 20 个工作日内公开（《中华人民共和国政府信息公开条例》第二十六条）；节假日和调休写在 gazette.toml 的 holidays、workdays 中"),
        );
    }
}

/// 解读同步发布: an interpretation later than `interpretation_max_lag_days` after its
/// document, whichever side named the link.
fn interpretation_late(
    config: &Config,
    docs: &[Arc<Document>],
    by_id: &HashMap<&DocId, usize>,
    diags: &mut Diagnostics,
) {
    let lag = i64::from(config.interpretation_max_lag_days);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.is_public()) {
        if let Some(&t) = d.interprets.as_ref().and_then(|t| by_id.get(t)) {
            pairs.push((t, i));
        }
        for r in &d.interpretation {
            if let InterpretationRef::Doc(id) = r
                && let Some(&t) = by_id.get(id)
            {
                pairs.push((i, t));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (doc, interp) in pairs {
        let (d, x) = (&docs[doc], &docs[interp]);
        if !x.is_public() || config.validity(&x.kind) != Validity::Follows {
            continue;
        }
        let days = (x.published - d.published).get_days();
        if i64::from(days) > lag {
            diags.push(
                Diagnostic::new(
                    Code::InterpretationLate,
                    format!(
                        "解读晚于{}发布 {days} 天（{}对{}）",
                        book_title(&d.title),
                        chinese_date(x.published),
                        chinese_date(d.published)
                    ),
                )
                .in_file(&x.file)
                .at(Some(x.pos("/published")))
                .hint(format!(
                    "政策解读应与文件同步发布（本站允许相差 {lag} 天，见 gazette.toml 的 interpretation_max_lag_days）"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_term_of_five_years_ends_the_day_before_its_fifth_anniversary() {
        assert_eq!(last_day_of_term(date(2019, 7, 1), 5), date(2024, 6, 30));
        assert_eq!(
            last_day_of_term(date(2020, 2, 29), 2),
            date(2022, 2, 27),
            "29 February plus two years is 28 February; the term ends the day before"
        );
    }

    #[test]
    fn provisional_titles() {
        assert!(is_provisional("洛阳市某某管理暂行办法"));
        assert!(is_provisional("洛阳市某某试行规定"));
        assert!(!is_provisional("洛阳市某某管理办法"));
    }
}
