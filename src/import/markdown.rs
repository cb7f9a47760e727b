//! [`Block`]s of a `.docx` → the Markdown body of a document.
//!
//! Headings: Word's heading styles, and the numbering of Chinese official documents
//! (`一、` → `##`, `（一）` → `###`, `1.` → `####`) when it stands on a short line of its own.
//! Word lists become Markdown lists; bold runs `**bold**`; footnotes `[^1]`; images and
//! embedded files links to files written beside the document. Tables become pipe tables with
//! merged cells flattened: a cell merged across columns keeps its text in its first column and
//! leaves the others empty; a cell merged down repeats its text in each row, so every row reads
//! on its own (and sorts, and exports) as the editor meant.

use std::collections::HashMap;

use super::docx::{Block, Cell, Docx, Inline, Para};

/// Files the body links to: (name inside the ZIP, name beside the document).
pub type Media = Vec<(String, String)>;

/// The Markdown of `blocks`, and the media files it links to. `prefix` (the document's id)
/// starts each media file's name so that two documents' `image1.png` never collide.
pub fn body(docx: &Docx, blocks: &[&Block], prefix: &str) -> (String, Media) {
    let mut w = Writer {
        docx,
        prefix,
        media: Vec::new(),
        notes: Vec::new(),
        note_numbers: HashMap::new(),
    };
    let mut out = String::new();
    let mut last_was_list = false;
    for b in blocks {
        let (text, is_list) = match b {
            Block::Para(p) => w.para(p),
            Block::Table(rows) => (w.table(rows), false),
        };
        if text.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if last_was_list && is_list {
                "\n"
            } else {
                "\n\n"
            });
        }
        out.push_str(&text);
        last_was_list = is_list;
    }
    let mut k = 0;
    while k < w.notes.len() {
        let id = w.notes[k].clone();
        let paras = docx.footnotes.get(&id).cloned().unwrap_or_default();
        let text: Vec<String> = paras.iter().map(|p| w.inline(&p.inlines)).collect();
        let text = text.join(" ");
        out.push_str(&format!("\n\n[^{}]: {}", k + 1, text.trim()));
        k += 1;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    (out, w.media)
}

struct Writer<'a> {
    docx: &'a Docx,
    prefix: &'a str,
    media: Media,
    notes: Vec<String>,
    note_numbers: HashMap<String, usize>,
}

impl Writer<'_> {
    /// A paragraph's Markdown, and whether it is a list item.
    fn para(&mut self, p: &Para) -> (String, bool) {
        let plain = p.text();
        let plain = plain.trim();
        let level = p
            .heading
            .map(|l| (l + 1).min(6))
            .or_else(|| chinese_heading(plain));
        if let Some(level) = level
            && !plain.is_empty()
        {
            return (
                format!("{} {}", "#".repeat(level as usize), escape(plain)),
                false,
            );
        }
        let mut text = self.inline(&p.inlines);
        if let Some(label) = &p.label {
            text = format!("{}{}", escape(label), text.trim_start());
        }
        let text = text.trim().to_string();
        if let Some((ordered, level)) = p.list {
            let marker = if ordered { "1. " } else { "- " };
            let indent = " ".repeat(level as usize * if ordered { 3 } else { 2 });
            return (format!("{indent}{marker}{text}"), true);
        }
        (block_start(&text), false)
    }

    fn table(&mut self, rows: &[Vec<Cell>]) -> String {
        let mut grid: Vec<Vec<String>> = Vec::new();
        for row in rows {
            let mut line: Vec<String> = Vec::new();
            for cell in row {
                let col = line.len();
                let text = if cell.vmerge == Some(false) {
                    grid.last()
                        .and_then(|above| above.get(col))
                        .cloned()
                        .unwrap_or_default()
                } else {
                    let parts: Vec<String> = cell
                        .paras
                        .iter()
                        .map(|p| self.inline(&p.inlines).trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect();
                    parts.join("<br>").replace('\n', " ")
                };
                line.push(text);
                line.extend(std::iter::repeat_n(String::new(), cell.span - 1));
            }
            grid.push(line);
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return String::new();
        }
        let mut out = String::new();
        for (i, row) in grid.iter().enumerate() {
            out.push('|');
            for c in 0..width {
                out.push(' ');
                out.push_str(row.get(c).map_or("", String::as_str));
                out.push_str(" |");
            }
            out.push('\n');
            if i == 0 {
                out.push('|');
                out.push_str(&"---|".repeat(width));
                out.push('\n');
            }
        }
        out.trim_end().to_string()
    }

    /// Inline Markdown: text escaped, bold runs merged and wrapped, notes, images, objects.
    fn inline(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        let mut bold_run = String::new();
        let flush = |out: &mut String, run: &mut String| {
            let t = std::mem::take(run);
            let core = t.trim();
            if core.is_empty() {
                out.push_str(&t);
                return;
            }
            let lead = &t[..t.len() - t.trim_start().len()];
            let trail = &t[t.trim_end().len()..];
            out.push_str(&format!("{lead}**{core}**{trail}"));
        };
        for i in inlines {
            match i {
                Inline::Text { text, bold: true } => bold_run.push_str(&escape(text)),
                other => {
                    flush(&mut out, &mut bold_run);
                    match other {
                        Inline::Text { text, .. } => out.push_str(&escape(text)),
                        Inline::Break => out.push_str("<br>"),
                        Inline::Note(id) => {
                            let n = match self.note_numbers.get(id) {
                                Some(&n) => n,
                                None => {
                                    self.notes.push(id.clone());
                                    self.note_numbers.insert(id.clone(), self.notes.len());
                                    self.notes.len()
                                }
                            };
                            out.push_str(&format!("[^{n}]"));
                        }
                        Inline::Image(path) => {
                            let name = self.file(path);
                            out.push_str(&format!("![图](<{name}>)"));
                        }
                        Inline::Object(path) => {
                            let name = self.file(path);
                            out.push_str(&format!("[附件：{name}](<{name}>)"));
                        }
                    }
                }
            }
        }
        flush(&mut out, &mut bold_run);
        out
    }

    /// The name a ZIP member gets beside the document (each member once).
    fn file(&mut self, path: &str) -> String {
        if let Some((_, name)) = self.media.iter().find(|(p, _)| p == path) {
            return name.clone();
        }
        let base = path.rsplit('/').next().unwrap_or(path);
        let safe: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let name = format!("{}-{}", self.prefix, safe.trim_start_matches(['.', '-']));
        if self.docx.files.contains_key(path) {
            self.media.push((path.to_string(), name.clone()));
        }
        name
    }
}

/// The Markdown heading level of a line numbered as Chinese official documents number their
/// headings, when the line is short enough to be a heading rather than a numbered paragraph.
pub fn chinese_heading(t: &str) -> Option<u8> {
    let count = t.chars().count();
    let sentence = t.trim_end_matches('。').contains('。');
    if !(3..=40).contains(&count) || sentence {
        return None;
    }
    const NUM: &[char] = &['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    let lead: String = t.chars().take_while(|c| NUM.contains(c)).collect();
    if !lead.is_empty() && t[lead.len()..].starts_with('、') {
        return Some(2);
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            let n: String = rest.chars().take_while(|c| NUM.contains(c)).collect();
            if !n.is_empty() && rest[n.len()..].starts_with(close) {
                return Some(3);
            }
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 3 && t[digits..].starts_with(['.', '．']) {
        return Some(4);
    }
    None
}

/// Text as Markdown that shows it literally.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph that would start a Markdown block (`# `, `- `, `1. `) is escaped.
fn block_start(text: &str) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    if text.starts_with(['#', '-', '+', '=']) {
        return format!("\\{text}");
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_official_documents() {
        assert_eq!(chinese_heading("一、总体要求"), Some(2));
        assert_eq!(chinese_heading("（二）工作目标"), Some(3));
        assert_eq!(chinese_heading("3．资金保障"), Some(4));
        assert_eq!(
            chinese_heading("一、总体要求。坚持以人民为中心。全面推进。"),
            None
        );
        assert_eq!(chinese_heading("2000年底前建成"), None);
    }
}
