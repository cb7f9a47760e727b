//! Showing diagnostics: a code frame for people, a JSON array for machines.
//!
//! The human form follows rustc and ruff, so editors who have seen one have seen both. Our
//! own frame, not annotate-snippets': that crate writes an ASCII `: ` after every label, and
//! Chinese text wants `提示：`.
//!
//! ```text
//! error[unknown-key]: 未知的键 `expire`
//!   --> content/documents/2021/x.md:7:1
//!    |
//!  7 | expire: 2026-01-01
//!    | ^
//!    = 提示：是否应为 `expires`？
//! ```

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::{Diagnostic, Severity};

/// Renders one diagnostic for a terminal or a log. `root` is where relative file names are
/// resolved to show the offending line; `color` adds ANSI colours (only for a terminal).
pub fn human(d: &Diagnostic, root: &Path, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let (label, tint) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        paint(tint, &format!("{label}[{}]", d.code)),
        paint("1", &format!(": {}", visible(&d.message)))
    );
    if let Some(file) = &d.file {
        let shown = visible(&file.display().to_string().replace('\\', "/")).into_owned();
        match d.pos {
            Some(p) => {
                let _ = writeln!(out, "  --> {shown}:{}:{}", p.line, p.column);
                if let Some(line) =
                    source_line(&root.join(file), p.line).map(|l| visible(&l).into_owned())
                {
                    let num = p.line.to_string();
                    let pad = " ".repeat(num.len());
                    let caret_at =
                        display_width(line.chars().take(p.column.saturating_sub(1) as usize));
                    let _ = writeln!(out, " {pad} |");
                    let _ = writeln!(out, " {num} | {line}");
                    let _ = writeln!(out, " {pad} | {}{}", " ".repeat(caret_at), paint(tint, "^"));
                }
            }
            None => {
                let _ = writeln!(out, "  --> {shown}");
            }
        }
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "   = {}：{}", paint("1;36", "提示"), visible(hint));
    }
    out
}

/// [`human`] for each of `ds`, in order, made side by side (each reads its file for its line:
/// a build of 10 000 documents may print 2 000 warnings, every build).
pub fn human_all(ds: &[Diagnostic], root: &Path, color: bool) -> String {
    use rayon::prelude::*;
    let shown: Vec<String> = ds.par_iter().map(|d| human(d, root, color)).collect();
    shown.iter().fold(String::new(), |mut all, one| {
        all.push_str(one);
        all.push('\n');
        all
    })
}

/// `path:line:column: severity[code] message` — one line, for grep and simple CI logs.
pub fn short(d: &Diagnostic) -> String {
    let place = match (&d.file, d.pos) {
        (Some(f), Some(p)) => format!(
            "{}:{}:{}: ",
            visible(&f.display().to_string()),
            p.line,
            p.column
        ),
        (Some(f), None) => format!("{}: ", visible(&f.display().to_string())),
        _ => String::new(),
    };
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{place}{sev}[{}] {}", d.code, visible(&d.message))
}

/// Text from content (values, file names, source lines) as it may be shown on a terminal:
/// control characters become visible symbols (`\0` → `␀`, ESC → `␛`, CR → `␍`), and
/// line separators and bidirectional overrides become `�`, so a hostile document cannot move
/// the cursor, recolour, reorder or rewrite a terminal or CI log through a diagnostic. Tabs stay.
fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c != '\t'
            && (c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !s.chars().any(hidden) {
        return s.into();
    }
    s.chars()
        .map(|c| match c {
            c if !hidden(c) => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            _ => '\u{fffd}',
        })
        .collect::<String>()
        .into()
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    hint: Option<&'a str>,
}

/// The `--format json` output: an array, one object per problem, keys documented in the guide.
pub fn json(ds: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = ds
        .iter()
        .map(|d| JsonDiagnostic {
            file: d
                .file
                .as_ref()
                .map(|f| f.display().to_string().replace('\\', "/")),
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.column),
            severity: d.severity,
            code: d.code.as_str(),
            message: &d.message,
            hint: d.hint.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

/// The text of 1-based line `n` of a file, without its line ending; `None` when unreadable.
fn source_line(path: &Path, n: u32) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // Only the line shown is decoded: a build prints thousands of warnings.
    let line = bytes
        .split(|&b| b == b'\n')
        .nth(n.checked_sub(1)? as usize)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // Keep frames readable when a line is a whole paragraph of Chinese text.
    Some(String::from_utf8_lossy(line).chars().take(160).collect())
}

/// Terminal columns taken by `chars` (East Asian wide characters take two), as
/// `unicode-width` measures them. A character it gives no width (a control character, made
/// visible above) still moves the caret one column.
fn display_width(chars: impl Iterator<Item = char>) -> usize {
    chars
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(1))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn content_cannot_drive_the_terminal() {
        let d = Diagnostic::new(Code::UnsafePath, "附件 `x\0\u{1b}[2J\r\u{202e}fdp.exe`")
            .in_file("content/documents/\u{1b}]0;title\u{7}.md")
            .hint("\u{9b}31m");
        let out = human(&d, Path::new("/nonexistent"), false) + &short(&d);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("附件 `x␀␛[2J␍�fdp.exe`"), "{out}");
        assert!(out.contains("content/documents/␛]0;title␇.md"), "{out}");
    }

    #[test]
    fn the_caret_stands_under_the_column_though_the_line_holds_wide_characters() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "title: 《关于》（试行）x\n").unwrap();
        // Column 16 is the `x`: seven ASCII columns, then eight wide characters of two each.
        let d = Diagnostic::new(Code::UnknownKey, "m")
            .in_file("a.md")
            .at(Some(crate::diag::Pos {
                line: 1,
                column: 16,
            }));
        let out = human(&d, dir.path(), false);
        let lines: Vec<&str> = out.lines().collect();
        let text = lines.iter().find(|l| l.contains("title:")).unwrap();
        let caret = lines.iter().find(|l| l.trim_end().ends_with('^')).unwrap();
        let x = text.find('x').unwrap();
        let width = |s: &str| {
            s.chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        };
        assert_eq!(width(&caret[..caret.len() - 1]), width(&text[..x]), "{out}");
    }
}
