//! The typing slips behind YAML errors, named in Chinese.
//!
//! An editor who types `title：关于……` (a full-width colon, the commonest input-method slip)
//! or indents with a tab should read what they did and how to put it right, not the parser's
//! internals (`illegal placement of ':' indicator`, `duplicate key`). [`before_parsing`] finds
//! the slips that the parser would misreport; [`explain`] turns any other parser error into a
//! Chinese message and hint from the kind of error and the line it is on. No text of the
//! parser ever reaches a diagnostic.

use crate::diag::{Code, Diagnostic, Pos};

/// The message of our own error for a key that is not plain text.
pub(super) const KEY_NOT_TEXT: &str = "\u{1}key-not-text";
const DUPLICATE: &str = "\u{1}duplicate-key\u{1}";

/// The error our visitor raises for a key written twice: its name and place (text-relative).
pub(super) fn duplicate_key_message(name: &str, pos: Pos) -> String {
    format!("{DUPLICATE}{}\u{1}{}\u{1}{name}\u{1}", pos.line, pos.column)
}

/// The name and text-relative place of a duplicate key, read back from the parser's error text.
pub(super) fn duplicate_key(err: &str) -> Option<(String, u64, u64)> {
    let rest = &err[err.find(DUPLICATE)? + DUPLICATE.len()..];
    let mut parts = rest.split('\u{1}');
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    let name = parts.next()?.to_string();
    Some((name, line, col))
}

/// A key written as YAML keys are (ASCII letters, digits, `_`) at the start of `line`.
fn ascii_key(line: &str) -> Option<&str> {
    let n = line
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_alphanumeric() || *c == '_' || (*i > 0 && *c == '-'))
        .count();
    (n > 0 && line.as_bytes()[0].is_ascii_alphabetic()).then(|| &line[..n])
}

fn shown(s: &str) -> String {
    let t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

/// Slips the parser would report by its own names: a full-width colon or space after a key,
/// a key without a space after its colon, a tab in the indentation.
pub(super) fn before_parsing(text: &str, first_line: u32) -> Option<Diagnostic> {
    for (i, line) in text.lines().enumerate() {
        let at = |col: usize| Some(Pos::new(first_line + i as u32, col as u32));
        let lead: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if let Some(tab) = lead.find('\t') {
            return Some(
                Diagnostic::new(Code::YamlSyntax, "front matter 用了制表符（Tab）缩进")
                    .at(at(tab + 1))
                    .hint("YAML 不允许用 Tab 缩进，请用空格缩进：列表项写成两个空格加 `- `，如 `  - 城乡建设`"),
            );
        }
        let Some(key) = ascii_key(line) else { continue };
        let rest = &line[key.len()..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let after = &rest[spaces..];
        let col = key.chars().count() + spaces + 1;
        if let Some(value) = after.strip_prefix('：') {
            let fixed = format!("{key}: {}", value.trim_start_matches([' ', '\u{3000}']));
            return Some(
                Diagnostic::new(Code::YamlSyntax, format!("键 `{key}` 后面用了全角冒号“：”"))
                    .at(at(col))
                    .hint(format!(
                        "键和值之间要用半角冒号加一个空格（切换到英文输入法输入“:”），改为 `{}`",
                        shown(&fixed)
                    )),
            );
        }
        if spaces == 0
            && let Some(value) = after.strip_prefix(':')
            && let Some(next) = value.chars().next()
            && next != ' '
            && next != '\t'
        {
            let (what, value) = if next == '\u{3000}' {
                ("冒号后面是全角空格", value.trim_start_matches('\u{3000}'))
            } else {
                ("冒号后面缺少空格", value)
            };
            return Some(
                Diagnostic::new(Code::YamlSyntax, format!("键 `{key}` 的{what}"))
                    .at(at(col + 1))
                    .hint(format!(
                        "键和值之间要用半角冒号加一个半角空格，改为 `{}`",
                        shown(&format!("{key}: {value}"))
                    )),
            );
        }
    }
    None
}

/// An opening `[` or `{` before line `upto` (1-based, text-relative) that no later bracket
/// closes: the parser reports the line where it gave up, the editor needs the opener.
pub(super) fn unclosed_bracket(text: &str, upto: usize) -> Option<(usize, usize, char)> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for (i, line) in text.lines().enumerate().take(upto.saturating_sub(1)) {
        let mut quote: Option<char> = None;
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#')
                    if col == 0
                        || line[..line.char_indices().nth(col).map_or(0, |x| x.0)]
                            .ends_with(' ') =>
                {
                    break;
                }
                (None, '[' | '{') => open.push((i + 1, col + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.first().copied()
}

/// A Chinese message and hint for a parser error, from the error's kind and its line.
pub(super) fn explain(err: &serde_saphyr::Error, line: &str) -> (String, String) {
    let text = err.to_string().to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'' && c != '-')
        .collect();
    // A phrase is looked up as text; a single word only at a word's start (`tab`, not `acceptable`).
    let has = |w: &str| {
        if w.contains(' ') || !w.chars().all(|c| c.is_ascii_alphabetic()) {
            text.contains(w)
        } else {
            words.iter().any(|x| x.starts_with(w))
        }
    };
    let quote_hint =
        "值以特殊字符（: # [ ] { } , & * ! | > ' \" % @）开头或含有“: ”时，用双引号把整个值括起来";
    let (msg, hint): (&str, String) = if text.contains(KEY_NOT_TEXT) {
        (
            "键必须是普通文字",
            "每行写成 `键: 值`，键不能是列表或 `{…}`".into(),
        )
    } else if has("tab") {
        (
            "这一行有制表符（Tab）",
            "请用空格缩进，值里也不要用 Tab".into(),
        )
    } else if has("quote") || has("quoted") {
        if has("escape") || has("surrogate") || has("unicode") || has("hex") {
            (
                "双引号里有无效的反斜杠转义",
                "双引号中的 \\ 要写成 \\\\，或改用单引号".into(),
            )
        } else {
            (
                "引号没有配对",
                "检查这一行的引号：开头用了 \" 或 '，结尾也要用同一种".into(),
            )
        }
    } else if has("bracket") || has("flow") || has("','") || has("']'") || has("'}'") {
        (
            "方括号或花括号没有配对",
            "列表写成 `[甲, 乙]` 时要有结尾的 ]；或改写成每行一个 `  - 甲`".into(),
        )
    } else if has("anchor") || has("alias") {
        (
            "锚点或别名（& 和 *）写法有误",
            "front matter 用不到 & 和 *：值以它们开头时加引号".into(),
        )
    } else if has("tag") || has("directive") {
        ("`!` 或 `%` 开头的写法有误", quote_hint.into())
    } else if has("'-'") || has("block sequence") || has("block entry") || has("sequence") {
        (
            "列表项的写法有误",
            "列表项写成两个空格、`-`、一个空格再写值，如 `  - 城乡建设`".into(),
        )
    } else if has("block scalar") {
        (
            "`|` 或 `>` 之后的多行文字缩进不对",
            "多行文字的每一行都要比键多缩进两个空格".into(),
        )
    } else if has("indent") {
        (
            "缩进不对齐",
            "同一层的键要从同一列开始；列表项缩进两个空格".into(),
        )
    } else if has("':'") || has("mapping value") || has("colon") || has("indicator") {
        (
            "这一行多了一个冒号，或上一行的值没有写完",
            quote_hint.into(),
        )
    } else if has("key") || has("mapping") {
        (
            "这一行不是 `键: 值` 的形式",
            "每行写成 `键: 值`，冒号后留一个空格".into(),
        )
    } else if has("end of") || has("eof") || has("stream") {
        (
            "front matter 意外结束",
            "检查最后几行是否有未闭合的引号或括号".into(),
        )
    } else if has("document") {
        (
            "front matter 中间多了一行 `---`",
            "front matter 只能有开头和结尾两行 `---`".into(),
        )
    } else if has("utf") || has("encoding") {
        ("文字编码有误", "用 UTF-8 编码另存此文件".into())
    } else {
        ("这一行的写法不符合 YAML", quote_hint.into())
    };
    let shown_line = shown(line.trim());
    let hint = if shown_line.is_empty() {
        hint
    } else {
        format!("{hint}。这一行是：`{shown_line}`")
    };
    (msg.to_string(), hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_colon_and_tab_are_named() {
        let d = before_parsing("id: a\ntitle：关于印发办法的通知\n", 2).unwrap();
        assert_eq!(d.pos, Some(Pos::new(3, 6)));
        assert!(d.message.contains("全角冒号"), "{d:?}");
        assert!(d.hint.unwrap().contains("`title: 关于印发办法的通知`"));
        let d = before_parsing("subjects:\n\t- 教育\n", 2).unwrap();
        assert!(d.hint.unwrap().contains("请用空格缩进"));
        let d = before_parsing("published:2024-03-18\n", 2).unwrap();
        assert!(d.message.contains("缺少空格"), "{d:?}");
        assert!(before_parsing("source: https://x.cn/a\ntitle: 标题：副题\n", 2).is_none());
    }
}
