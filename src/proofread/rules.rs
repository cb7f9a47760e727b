//! The typographic rules of GB/T 15834-2011 on one line of prose.
//!
//! Each rule returns [`Finding`]s: a code, a place, a message and hint in Chinese, and for the
//! safe ones (punctuation width, title-mark nesting) the edits that `gazette fix` applies.
//! A rule only ever looks at characters marked as prose by [`super::scan`].

use super::scan::{Char, Line, is_cjk, is_han};
use super::{Edit, Finding};
use crate::diag::Code;

/// Half-width punctuation that Chinese text writes full-width, with its full-width form.
const WIDTH: &[(char, char, &str)] = &[
    (',', '，', "逗号"),
    (':', '：', "冒号"),
    (';', '；', "分号"),
    ('?', '？', "问号"),
    ('!', '！', "叹号"),
];

/// `punctuation-width`: `, : ; ? !` and `( )` next to Chinese text.
pub fn width(line: &Line, out: &mut Vec<Finding>) {
    let cs = &line.chars;
    let neighbour = |i: usize, d: isize| -> Option<char> {
        let j = i.checked_add_signed(d)?;
        cs.get(j).filter(|c| c.prose).map(|c| c.c)
    };
    // A half-width `)` that closes Chinese text (and becomes `）`) counts as Chinese too, so
    // that `（退休）;` is found in the same pass as its brackets.
    let chinese = |i: usize, d: isize| match neighbour(i, d) {
        Some(')') if d < 0 => neighbour(i, d - 1).is_some_and(is_cjk),
        Some(c) => is_cjk(c),
        None => false,
    };
    for (i, ch) in cs.iter().enumerate().filter(|(_, c)| c.prose) {
        let Some(&(_, full, name)) = WIDTH.iter().find(|(h, _, _)| *h == ch.c) else {
            continue;
        };
        let next = neighbour(i, 1);
        if (ch.c == ':' && next == Some('/')) || (ch.c == '!' && next == Some('[')) {
            continue;
        }
        if chinese(i, -1) || chinese(i, 1) {
            out.push(Finding::new(
                Code::PunctuationWidth,
                line.line,
                ch.column,
                format!("中文里用了半角{name} `{}`", ch.c),
                format!("改为全角{name} `{full}`（gazette fix 可自动改正）"),
                vec![Edit::char(ch, full)],
            ));
        }
    }
    // Parentheses go in pairs: a pair next to Chinese on either side becomes （…）.
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
    for (i, ch) in cs.iter().enumerate().filter(|(_, c)| c.prose) {
        match ch.c {
            '(' => stack.push(i),
            ')' => match stack.pop() {
                Some(o) => pairs.push((o, Some(i))),
                None => pairs.push((i, None)),
            },
            _ => {}
        }
    }
    pairs.extend(stack.into_iter().map(|o| (o, None)));
    pairs.sort_unstable();
    for (o, c) in pairs {
        let mut touching = chinese(o, -1) || chinese(o, 1);
        if let Some(c) = c {
            touching |= chinese(c, -1) || chinese(c, 1);
        }
        if !touching {
            continue;
        }
        let mut edits = vec![Edit::char(&cs[o], if cs[o].c == '(' { '（' } else { '）' })];
        if let Some(c) = c {
            edits.push(Edit::char(&cs[c], '）'));
        }
        out.push(Finding::new(
            Code::PunctuationWidth,
            line.line,
            cs[o].column,
            "中文里用了半角括号 `( )`".into(),
            "改为全角括号 `（ ）`（gazette fix 可自动改正）".into(),
            edits,
        ));
    }
}

fn closer_of(c: char) -> Option<char> {
    Some(match c {
        '（' => '）',
        '《' => '》',
        '〈' => '〉',
        '“' => '”',
        '【' => '】',
        '〔' => '〕',
        _ => return None,
    })
}

fn is_closer(c: char) -> bool {
    matches!(c, '）' | '》' | '〉' | '”' | '】' | '〕')
}

/// `punctuation-pair` and `title-nesting`: paired marks on one line.
pub fn pairs(line: &Line, out: &mut Vec<Finding>) {
    let cs = &line.chars;
    // (index of the opener, the opener it should be, when a title mark is misnested)
    let mut stack: Vec<(usize, Option<char>)> = Vec::new();
    let mut nesting: Vec<(usize, char, Option<usize>)> = Vec::new();
    for (i, ch) in cs.iter().enumerate().filter(|(_, c)| c.prose) {
        let c = ch.c;
        if closer_of(c).is_some() {
            let mut want = None;
            if matches!(c, '《' | '〈') {
                let depth = stack
                    .iter()
                    .filter(|(j, _)| matches!(cs[*j].c, '《' | '〈'))
                    .count();
                let expected = if depth % 2 == 0 { '《' } else { '〈' };
                if c != expected {
                    want = Some(expected);
                }
            }
            stack.push((i, want));
            continue;
        }
        if !is_closer(c) {
            continue;
        }
        match stack.last() {
            Some(&(o, want)) if closer_of(cs[o].c) == Some(c) => {
                stack.pop();
                if let Some(w) = want {
                    nesting.push((o, w, Some(i)));
                }
            }
            Some(&(o, _)) => {
                let open = cs[o].c;
                out.push(Finding::new(
                    Code::PunctuationPair,
                    line.line,
                    ch.column,
                    format!("`{c}` 与第 {} 列的 `{open}` 不配对", cs[o].column),
                    format!(
                        "`{open}` 应以 `{}` 结束：检查是否打错或漏打",
                        closer_of(open).unwrap_or(c)
                    ),
                    Vec::new(),
                ));
                // Pop the opener this closer most likely ends, so one slip is one finding.
                if let Some(k) = stack
                    .iter()
                    .rposition(|(j, _)| closer_of(cs[*j].c) == Some(c))
                {
                    stack.truncate(k);
                } else {
                    stack.pop();
                }
            }
            None => {
                // `1）` at the start of a line is an enumerator, not a stray mark.
                let enumerator = c == '）'
                    && cs[..i].iter().all(|x| x.c.is_ascii_digit() || x.c == ' ')
                    && i > 0;
                if !enumerator {
                    out.push(Finding::new(
                        Code::PunctuationPair,
                        line.line,
                        ch.column,
                        format!("`{c}` 前面没有与之配对的开始符号"),
                        "补上开始符号，或删去多余的这一个".into(),
                        Vec::new(),
                    ));
                }
            }
        }
    }
    let starts_quoted = cs
        .iter()
        .find(|c| c.prose && !c.c.is_whitespace())
        .is_some_and(|c| c.c == '“');
    for (o, want) in stack {
        if let Some(w) = want {
            nesting.push((o, w, None));
        }
        let open = cs[o].c;
        // A quotation of several paragraphs opens each one and closes only the last.
        if open == '“' && starts_quoted {
            continue;
        }
        out.push(Finding::new(
            Code::PunctuationPair,
            line.line,
            cs[o].column,
            format!("`{open}` 没有配对的 `{}`", closer_of(open).unwrap_or(open)),
            "补上结束符号，或删去多余的这一个".into(),
            Vec::new(),
        ));
    }
    nesting.sort_unstable();
    for (o, want, close) in nesting {
        let mut edits = vec![Edit::char(&cs[o], want)];
        if let Some(c) = close {
            edits.push(Edit::char(&cs[c], if want == '《' { '》' } else { '〉' }));
        }
        let (msg, hint) = if want == '〈' {
            (
                "书名号里又用了书名号 `《…《…》…》`",
                "书名号内再用书名号时改用单书名号，如《关于修改〈办法〉的通知》（gazette fix 可自动改正）",
            )
        } else {
            (
                "单书名号 `〈〉` 只用在双书名号之内",
                "不在《》之内时用双书名号《》（gazette fix 可自动改正）",
            )
        };
        out.push(Finding::new(
            Code::TitleNesting,
            line.line,
            cs[o].column,
            msg.into(),
            hint.into(),
            edits,
        ));
    }
}

/// `punctuation-repeat`: two sentence marks in a row (`。。`, `，，`, `，。`).
pub fn repeat(line: &Line, out: &mut Vec<Finding>) {
    const MARKS: &[char] = &['。', '，', '、', '；', '：'];
    let cs = &line.chars;
    for w in cs.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.prose && b.prose && MARKS.contains(&a.c) && MARKS.contains(&b.c) {
            out.push(Finding::new(
                Code::PunctuationRepeat,
                line.line,
                b.column,
                format!("标点重复：`{}{}`", a.c, b.c),
                "删去多余的一个标点".into(),
                Vec::new(),
            ));
        }
    }
}

/// `doc-number-in-text`: a 发文字号 in the text written in a wrong form (`洛政办[2021]18号`).
pub fn doc_numbers(line: &Line, out: &mut Vec<Finding>) {
    const OPEN: &[char] = &['〔', '[', '(', '（', '【', '［', '﹝', '〖', '{', '｛'];
    const CLOSE: &[char] = &['〕', ']', ')', '）', '】', '］', '﹞', '〗', '}', '｝'];
    let cs: Vec<&Char> = line.chars.iter().filter(|c| c.prose).collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    for i in 1..cs.len() {
        if !OPEN.contains(&cs[i].c) || !is_han(cs[i - 1].c) {
            continue;
        }
        let year = cs[i + 1..].iter().take_while(|c| digit(c.c)).count();
        if year != 2 && year != 4 {
            continue;
        }
        let close = i + 1 + year;
        if !cs.get(close).is_some_and(|c| CLOSE.contains(&c.c)) {
            continue;
        }
        let mut k = close + 1;
        if cs.get(k).is_some_and(|c| c.c == '第') {
            k += 1;
        }
        let serial = cs[k.min(cs.len())..]
            .iter()
            .take_while(|c| digit(c.c) || c.c == ' ')
            .count();
        let end = k + serial;
        if serial == 0 || cs.get(end).is_none_or(|c| c.c != '号') {
            continue;
        }
        // The 机关代字 before the bracket: the run of Han characters, as far as we show it.
        let agency = cs[..i]
            .iter()
            .rev()
            .take_while(|c| is_han(c.c))
            .count()
            .min(8);
        let mut written: String = cs[i - agency..=end].iter().map(|c| c.c).collect();
        // Words that lead into a 文号 in prose are not part of its 机关代字.
        while let Some(rest) = [
            "根据", "依据", "按照", "依照", "参照", "印发", "见", "和", "及", "与", "的", "经",
            "据", "按",
        ]
        .iter()
        .find_map(|w| written.strip_prefix(w))
        .filter(|r| r.chars().take_while(|c| is_han(*c)).count() >= 1)
        {
            written = rest.to_string();
        }
        if let Err((why, fixed)) = crate::contract::doc_number::check(&written) {
            let fixed = fixed.map_or_else(String::new, |f| format!("，应为 {f}"));
            out.push(Finding::new(
                Code::DocNumberInText,
                line.line,
                cs[i].column,
                format!("正文中的发文字号 `{written}` 写法有误：{why}"),
                format!("按 GB/T 9704 写：机关代字〔年份〕序号号{fixed}"),
                Vec::new(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan::lines;
    use super::*;

    fn run(body: &str) -> Vec<(Code, u32, String)> {
        let text = format!("---\ntitle: t\n---\n{body}\n");
        let mut out = Vec::new();
        for l in lines(&text).0.iter().filter(|l| l.body) {
            width(l, &mut out);
            pairs(l, &mut out);
            repeat(l, &mut out);
            doc_numbers(l, &mut out);
        }
        out.into_iter()
            .map(|f| (f.code, f.column, f.message))
            .collect()
    }

    #[test]
    fn width_flags_chinese_neighbours_only() {
        let found = run("各县(市、区)人民政府,市政府:Hello, world (x) 1,000 3:30");
        let codes: Vec<(Code, u32)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            codes,
            [
                (Code::PunctuationWidth, 12),
                (Code::PunctuationWidth, 16),
                (Code::PunctuationWidth, 3),
            ]
        );
    }

    #[test]
    fn pairs_nesting_repeat_and_numbers() {
        let found = run("《关于修改《办法》的通知》。。见洛政办[2021]018号,《标题〉");
        let codes: Vec<Code> = found.iter().map(|f| f.0).collect();
        assert!(codes.contains(&Code::TitleNesting), "{found:?}");
        assert!(codes.contains(&Code::PunctuationRepeat), "{found:?}");
        assert!(codes.contains(&Code::PunctuationPair), "{found:?}");
        let n = found.iter().find(|f| f.0 == Code::DocNumberInText).unwrap();
        assert!(n.2.contains("洛政办[2021]018号"), "{n:?}");
        assert!(run("《洛政办〔2021〕18号》“引号”（一）").is_empty());
        assert!(run("1）第一条").is_empty());
    }
}
