//! Which parts of a document file are prose to proofread, and where each character stands.
//!
//! A document file is front matter, then Markdown. Only the `title:` and `summary:` values and
//! the body's text are prose; code blocks, inline code, URLs, link targets, HTML tags, comments
//! and entities are not, and neither is anything else in the front matter. This module cuts
//! the file into [`Line`]s of characters with their byte offsets, file line and column, and a
//! `prose` flag per character, so the rules in the sibling modules never see what they must not
//! touch.

/// One character of a line: where it is and whether the rules may look at it.
#[derive(Debug, Clone, Copy)]
pub struct Char {
    pub c: char,
    /// Byte offset in the whole text.
    pub byte: usize,
    /// 1-based column, counted in characters.
    pub column: u32,
    pub prose: bool,
}

/// A line (or a front-matter value) to proofread.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line in the file.
    pub line: u32,
    pub chars: Vec<Char>,
    /// True for body lines (the date rule reads only the body).
    pub body: bool,
}

impl Line {
    /// The prose characters as a string (for whole-line patterns such as a date line).
    pub fn text(&self) -> String {
        self.chars.iter().filter(|c| c.prose).map(|c| c.c).collect()
    }
}

/// What the front matter says that the rules need besides text.
#[derive(Debug, Default, Clone)]
pub struct Front {
    /// `issued:` as written (`YYYY-MM-DD`), when present.
    pub issued: Option<String>,
    /// Lines that carry the `# 待核对` mark of `gazette import`: (line, key).
    pub unconfirmed: Vec<(u32, String)>,
}

/// The mark `gazette import` puts after a value it guessed.
pub const UNCONFIRMED_MARK: &str = "# 待核对";

/// Cuts `text` (a whole document file, LF line endings) into proofreadable lines.
pub fn lines(text: &str) -> (Vec<Line>, Front) {
    let mut out = Vec::new();
    let mut front = Front::default();
    let mut offset = 0usize;
    let mut in_front = false;
    let mut in_body = false;
    let mut body = BodyState::default();
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let start = offset;
        offset += raw.len();
        if i == 0 && content.trim_end() == "---" {
            in_front = true;
            continue;
        }
        if in_front {
            if matches!(content.trim_end(), "---" | "...") {
                in_front = false;
                in_body = true;
                continue;
            }
            front_line(content, start, line_no, &mut out, &mut front);
            continue;
        }
        if i == 0 {
            in_body = true;
        }
        if in_body && let Some(l) = body.line(content, start, line_no) {
            out.push(l);
        }
    }
    (out, front)
}

/// A top-level `title:` or `summary:` value becomes a line; `issued:` and marks are noted.
fn front_line(content: &str, start: usize, line_no: u32, out: &mut Vec<Line>, front: &mut Front) {
    let Some((key, rest)) = content.split_once(':') else {
        return;
    };
    if key.is_empty() || key.starts_with([' ', '\t', '#', '-']) {
        return;
    }
    if content.contains(UNCONFIRMED_MARK) {
        front.unconfirmed.push((line_no, key.to_string()));
    }
    let value_at = start + key.len() + 1 + (rest.len() - rest.trim_start().len());
    let value = rest.trim_start();
    match key {
        "issued" => {
            let v: String = value.chars().take_while(|c| !c.is_whitespace()).collect();
            front.issued = Some(v.trim_matches(['"', '\'']).to_string());
        }
        "title" | "summary" => {
            let (from, to) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &value[1..];
                    let end = inner.rfind(q).unwrap_or(inner.len());
                    (1, 1 + end)
                }
                _ => (0, value.find(" #").unwrap_or(value.len())),
            };
            let col0 = content[..value_at - start].chars().count() as u32 + 1;
            let pre = value[..from].chars().count() as u32;
            let chars = value[from..to]
                .char_indices()
                .enumerate()
                .map(|(n, (b, c))| Char {
                    c,
                    byte: value_at + from + b,
                    column: col0 + pre + n as u32,
                    prose: true,
                })
                .collect();
            out.push(Line {
                line: line_no,
                chars,
                body: false,
            });
        }
        _ => {}
    }
}

/// What spans lines in a Markdown body: fenced code, HTML comments, indented code.
#[derive(Default)]
struct BodyState {
    fence: Option<(char, usize)>,
    comment: bool,
    blank_before: bool,
    indented_code: bool,
}

impl BodyState {
    fn line(&mut self, content: &str, start: usize, line_no: u32) -> Option<Line> {
        let trimmed = content.trim_start_matches(' ');
        let indent = content.len() - trimmed.len();
        if let Some((fc, n)) = self.fence {
            let run = trimmed.chars().take_while(|&c| c == fc).count();
            if indent < 4 && run >= n && trimmed[run * fc.len_utf8()..].trim().is_empty() {
                self.fence = None;
            }
            return None;
        }
        if indent < 4 && !self.comment {
            for fc in ['`', '~'] {
                let run = trimmed.chars().take_while(|&c| c == fc).count();
                if run >= 3 {
                    self.fence = Some((fc, run));
                    return None;
                }
            }
        }
        let blank = content.trim().is_empty();
        let code_indent = indent >= 4 || content.starts_with('\t');
        if code_indent && (self.blank_before || self.indented_code) && !blank {
            self.indented_code = true;
            self.blank_before = false;
            return None;
        }
        if !blank {
            self.indented_code = false;
        }
        self.blank_before = blank;
        let mut chars: Vec<Char> = content
            .char_indices()
            .enumerate()
            .map(|(n, (b, c))| Char {
                c,
                byte: start + b,
                column: n as u32 + 1,
                prose: true,
            })
            .collect();
        self.comment = mask(&mut chars, self.comment);
        Some(Line {
            line: line_no,
            chars,
            body: true,
        })
    }
}

/// Marks what is not prose on one body line. `comment` says whether the line starts inside an
/// HTML comment; the result says whether it ends inside one.
fn mask(chars: &mut [Char], mut comment: bool) -> bool {
    let s: Vec<char> = chars.iter().map(|c| c.c).collect();
    let at = |i: usize, pat: &str| {
        pat.chars()
            .enumerate()
            .all(|(k, p)| s.get(i + k) == Some(&p))
    };
    let mut i = 0;
    while i < s.len() {
        let from = i;
        let end = if comment {
            match (i..s.len()).find(|&j| at(j, "-->")) {
                Some(j) => {
                    comment = false;
                    j + 3
                }
                None => s.len(),
            }
        } else if at(i, "<!--") {
            comment = true;
            i += 4;
            continue_mask(chars, from, i);
            continue;
        } else if s[i] == '`' {
            let run = s[i..].iter().take_while(|&&c| c == '`').count();
            let close = (i + run..s.len()).find(|&j| {
                s[j..].iter().take_while(|&&c| c == '`').count() == run
                    && (j == 0 || s[j - 1] != '`')
            });
            close.map_or(i + run, |j| j + run)
        } else if s[i] == ']' && s.get(i + 1) == Some(&'(') {
            // A link or image target: up to its matching `)`.
            let mut depth = 0usize;
            let mut j = i + 1;
            while j < s.len() {
                match s[j] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            // Keep the `]` itself as prose; mask `(…)`.
            continue_mask(chars, i + 1, (j + 1).min(s.len()));
            i = j + 1;
            continue;
        } else if s[i] == '<'
            && s.get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == '/')
        {
            (i..s.len()).find(|&j| s[j] == '>').map_or(i + 1, |j| j + 1)
        } else if s[i] == '&' {
            let n = s[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                .count();
            if n > 0 && s.get(i + 1 + n) == Some(&';') {
                i + n + 2
            } else {
                i + 1
            }
        } else if let Some(len) = url_at(&s, i) {
            i + len
        } else {
            i += 1;
            continue;
        };
        continue_mask(chars, from, end);
        i = end.max(from + 1);
    }
    comment
}

fn continue_mask(chars: &mut [Char], from: usize, to: usize) {
    let to = to.min(chars.len());
    for c in &mut chars[from..to] {
        c.prose = false;
    }
}

/// The length of a URL or e-mail-like run starting at `i`, if one starts there.
fn url_at(s: &[char], i: usize) -> Option<usize> {
    let starts = ["http://", "https://", "ftp://", "mailto:", "www."];
    let word_start = i == 0 || !s[i - 1].is_ascii_alphanumeric();
    if !word_start {
        return None;
    }
    let hit = starts
        .iter()
        .any(|p| p.chars().enumerate().all(|(k, c)| s.get(i + k) == Some(&c)));
    if !hit {
        return None;
    }
    let len = s[i..]
        .iter()
        .take_while(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"'))
        .count();
    Some(len)
}

/// A Han character or full-width Chinese punctuation: what makes a neighbour "Chinese".
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF1F | 0x20000..=0x2FA1F)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// A Han character only.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> Vec<String> {
        lines(text).0.iter().map(Line::text).collect()
    }

    #[test]
    fn only_title_summary_and_body_prose() {
        let t =
            "---\nid: a\ntitle: 标题(一)\nsummary: \"概述:x\"\nissued: 2024-03-18\n---\n正文,\n";
        let (ls, front) = lines(t);
        assert_eq!(prose(t), ["标题(一)", "概述:x", "正文,"]);
        assert_eq!(front.issued.as_deref(), Some("2024-03-18"));
        // Columns are file columns: the summary's text starts after the quote.
        assert_eq!((ls[1].line, ls[1].chars[0].column), (4, 11));
        assert_eq!(&t[ls[2].chars[2].byte..ls[2].chars[2].byte + 1], ",");
    }

    #[test]
    fn code_urls_links_tags_and_comments_are_not_prose() {
        let t = "---\ntitle: x\n---\n见`a,b`和https://x.cn/a?b=1,与[附件](附件(一).pdf)\n<!-- 注:\n仍是注释 -->正文\n```\n代码,代码\n```\n&nbsp;中\n";
        assert_eq!(prose(t), ["x", "见和与[附件]", "", "正文", "中"]);
    }
}
