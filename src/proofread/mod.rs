//! Proofreading: the typographic rules of GB/T 15834-2011 (标点符号用法) on titles, summaries
//! and bodies, as warnings with file:line:column and stable codes, and the safe fixes that
//! `gazette fix` applies.
//!
//! Editors type with a Chinese input method that switches to half-width punctuation mid
//! sentence, nest 书名号 the wrong way and copy 文号 from old documents with `[2019]`. These
//! are slips a reader of an official gazette notices; none of them stops a build, so they are
//! warnings. The module works on a file's raw text (so columns are exact and `fix` can edit
//! bytes in place): [`scan`] decides what is prose, [`rules`] holds the rules on a line, and
//! this file adds the two that need the whole file (the 成文日期 and the import marks).

pub mod rules;
pub mod scan;

use std::path::Path;

use crate::diag::{Code, Diagnostic, Pos};
use scan::{Char, Line};

/// One replacement of bytes `start..end` by `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub with: String,
}

impl Edit {
    fn char(c: &Char, with: char) -> Edit {
        Edit {
            start: c.byte,
            end: c.byte + c.c.len_utf8(),
            with: with.to_string(),
        }
    }
}

/// One slip: where, what, how to fix it, and the edits when the fix is safe to apply blindly.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub hint: String,
    pub edits: Vec<Edit>,
}

impl Finding {
    fn new(
        code: Code,
        line: u32,
        column: u32,
        message: String,
        hint: String,
        edits: Vec<Edit>,
    ) -> Finding {
        Finding {
            code,
            line,
            column,
            message,
            hint,
            edits,
        }
    }

    pub fn into_diagnostic(self, file: &Path) -> Diagnostic {
        Diagnostic::new(self.code, self.message)
            .in_file(file)
            .at(Some(Pos::new(self.line, self.column)))
            .hint(self.hint)
    }
}

/// Every finding in a document file's text (LF line endings, no byte-order mark), in order.
pub fn findings(text: &str) -> Vec<Finding> {
    let (lines, front) = scan::lines(text);
    let mut out = Vec::new();
    for l in &lines {
        rules::width(l, &mut out);
        rules::pairs(l, &mut out);
        rules::repeat(l, &mut out);
        rules::doc_numbers(l, &mut out);
    }
    date_in_text(&lines, front.issued.as_deref(), &mut out);
    for (line, key) in front.unconfirmed {
        out.push(Finding::new(
            Code::Unconfirmed,
            line,
            1,
            format!("`{key}` 是 gazette import 从 Word 文件推断的，尚未核对"),
            format!(
                "与原件核对这个值，无误后删去行尾的“{}”",
                scan::UNCONFIRMED_MARK
            ),
            Vec::new(),
        ));
    }
    out.sort_by_key(|f| (f.line, f.column));
    out
}

/// The proofreading warnings of one document file (`check` and `build` call this).
pub fn check(text: &str, file: &Path) -> Vec<Diagnostic> {
    check_with(text, file, &())
}

/// Where the warnings of texts proofread before are kept: a build's cache (`session`), so that
/// a rebuild proofreads only the files that changed. Proofreading is half of reading and
/// checking 10 000 documents; a lookup is a hash of the text. `()` keeps nothing.
pub trait Memo: Sync {
    /// What was kept for `text`, else what `make` gives, kept for the next time. One call, so
    /// that a memo hashes each text once (a lookup and a store keyed apart hashed it twice).
    fn kept_or(&self, _text: &str, make: &mut dyn FnMut() -> Vec<u8>) -> Vec<u8> {
        make()
    }
}

impl Memo for () {}

/// [`check`], taking the warnings from `memo` when it has them for this text.
pub fn check_with(text: &str, file: &Path, memo: &dyn Memo) -> Vec<Diagnostic> {
    let mut made = None;
    let bytes = memo.kept_or(text, &mut || {
        let found = findings(text);
        let kept: Vec<(&str, u32, u32, &str, &str)> = found
            .iter()
            .map(|f| (f.code.as_str(), f.line, f.column, &*f.message, &*f.hint))
            .collect();
        let bytes = serde_json::to_vec(&kept).unwrap_or_default();
        made = Some(found);
        bytes
    });
    // Made just now, or kept: a kept entry that does not read back is proofread again.
    let findings = made
        .or_else(|| decode(&bytes))
        .unwrap_or_else(|| findings(text));
    findings
        .into_iter()
        .map(|f| f.into_diagnostic(file))
        .collect()
}

/// A finding as a memo keeps it: code, line, column, message, hint (the edits are `fix`'s,
/// which always proofreads afresh).
type Kept = (String, u32, u32, String, String);

fn decode(bytes: &[u8]) -> Option<Vec<Finding>> {
    let kept: Vec<Kept> = serde_json::from_slice(bytes).ok()?;
    // A code this gazette does not know (a damaged entry): proofread again.
    kept.into_iter().map(kept_finding).collect()
}

fn kept_finding((code, line, column, message, hint): Kept) -> Option<Finding> {
    let code = *Code::ALL.iter().find(|c| c.as_str() == code)?;
    Some(Finding::new(code, line, column, message, hint, Vec::new()))
}

/// `text` with every safe fix applied, and how many findings were fixed. A fix can reveal
/// another (`(试行),` → `（试行）,` → `（试行），`): passes repeat until nothing changes.
pub fn fix(text: &str) -> (String, usize) {
    let (mut out, mut total) = fix_once(text);
    for _ in 0..4 {
        let (next, n) = fix_once(&out);
        if n == 0 || next == out {
            break;
        }
        out = next;
        total += n;
    }
    (out, total)
}

fn fix_once(text: &str) -> (String, usize) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut fixed = 0;
    for f in findings(text) {
        if f.edits.is_empty() {
            continue;
        }
        fixed += 1;
        edits.extend(f.edits);
    }
    edits.sort_by_key(|e| e.start);
    edits.dedup_by_key(|e| e.start);
    let mut out = String::with_capacity(text.len() + edits.len() * 2);
    let mut at = 0;
    for e in edits {
        if e.start < at {
            continue;
        }
        out.push_str(&text[at..e.start]);
        out.push_str(&e.with);
        at = e.end;
    }
    out.push_str(&text[at..]);
    (out, fixed)
}

/// `date-in-text`: the 成文日期 at the end of a body (a line that is only a date, under the
/// 落款) differs from `issued:` in the front matter.
fn date_in_text(lines: &[Line], issued: Option<&str>, out: &mut Vec<Finding>) {
    let Some(issued) = issued.and_then(parse_iso) else {
        return;
    };
    let last = lines
        .iter()
        .filter(|l| l.body)
        .filter_map(|l| {
            let t = l.text();
            let t = t.trim().trim_end_matches('\\').trim();
            crate::contract::parse_chinese_date(t).map(|d| (l, d))
        })
        .next_back();
    let Some((line, date)) = last else {
        return;
    };
    if date == issued {
        return;
    }
    let column = line
        .chars
        .iter()
        .find(|c| c.c.is_ascii_digit())
        .map_or(1, |c| c.column);
    let (y, m, d) = issued;
    out.push(Finding::new(
        Code::DateInText,
        line.line,
        column,
        format!(
            "正文落款的成文日期 {}年{}月{}日 与 front matter 的 issued 不一致",
            date.0, date.1, date.2
        ),
        format!("issued 写的是 {y}-{m:02}-{d:02}（{y}年{m}月{d}日）：核对原件，改正其中一处"),
        Vec::new(),
    ));
}

fn parse_iso(s: &str) -> Option<(u32, u32, u32)> {
    let mut it = s.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_is_idempotent_and_keeps_code_and_links() {
        let text = "---\ntitle: 关于修改《洛阳市〈办法〉(试行)》的通知\n---\n见[附件](a(1).pdf),`x,y`\n《关于《办法》的说明》\n";
        let (once, n) = fix(text);
        assert_eq!(n, 2, "{once}");
        assert_eq!(
            once,
            "---\ntitle: 关于修改《洛阳市〈办法〉（试行）》的通知\n---\n见[附件](a(1).pdf),`x,y`\n《关于〈办法〉的说明》\n"
        );
        assert_eq!(fix(&once), (once.clone(), 0));
    }

    #[test]
    fn date_line_against_issued() {
        let text = "---\nissued: 2024-03-18\n---\n正文。\n\n洛阳市人民政府\n\n2024年3月19日\n";
        let f = findings(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].code, f[0].line, f[0].column),
            (Code::DateInText, 8, 1)
        );
        assert!(findings(&text.replace("19日", "18日")).is_empty());
    }
}
