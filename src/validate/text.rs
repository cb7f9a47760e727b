//! Characters a reader cannot see, in the values that identify a document (legal-model.md §5).
//!
//! Text copied from web pages and word processors brings zero-width spaces, byte-order marks,
//! soft hyphens, word joiners, bidirectional controls and control characters with it. In an
//! `id`, `title`, `doc_number`, `issuer` or `summary` they make two values that look the same
//! different (a 文号 that escapes the duplicate check, an issuer that is "unknown") or make
//! text display in another order than it is stored. Each is an error at its own line and
//! column; and 文号 are compared by [`comparable`]: without such characters, in Unicode NFC
//! (`unicode-normalization`), so two that differ only invisibly are duplicates.

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::diag::{Code, Diagnostic};
use crate::source::tree::{LineIndex, Node};

/// The front-matter keys whose values are checked.
const KEYS: &[&str] = &["id", "title", "doc_number", "issuer", "summary"];

/// What an invisible character is, for the message; `None` for a character one can see.
/// Line breaks are allowed (a block-scalar summary has them).
pub fn invisible(c: char) -> Option<&'static str> {
    Some(match c {
        '\n' => return None,
        '\u{200B}' => "零宽空格",
        '\u{200C}' => "零宽不连字",
        '\u{200D}' => "零宽连字",
        '\u{2060}' => "词连接符",
        '\u{FEFF}' => "字节顺序标记 BOM",
        '\u{00AD}' => "软连字符",
        '\u{034F}' => "组合用字形连接符",
        '\u{180E}' => "蒙古文元音分隔符",
        '\u{2061}'..='\u{2064}' => "不可见数学运算符",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "谚文填充符",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "文字方向标记",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "文字方向控制符",
        '\u{2028}' | '\u{2029}' => "行或段落分隔符",
        '\u{FFF9}'..='\u{FFFB}' => "行间注释控制符",
        '\u{E0000}'..='\u{E007F}' => "标签字符",
        c if c.is_control() => "控制字符",
        _ => return None,
    })
}

/// A value as it is compared with others: invisible characters removed, then NFC.
pub fn comparable(s: &str) -> String {
    s.chars()
        .filter(|&c| invisible(c).is_none())
        .nfc()
        .collect()
}

/// Reports every invisible character in the checked values of `node` (front matter parsed
/// from `text`, the whole file, whose positions are file-absolute).
pub fn check(node: &Node, text: &str, file: &Path, out: &mut Vec<Diagnostic>) {
    let mut index: Option<LineIndex> = None;
    for key in KEYS {
        let Some(value) = node.get(key) else { continue };
        for (s, pos) in value.strings() {
            let mut seen: Vec<char> = Vec::new();
            for c in s.chars() {
                let Some(what) = invisible(c) else { continue };
                let nth = seen.iter().filter(|&&p| p == c).count();
                seen.push(c);
                let index = index.get_or_insert_with(|| LineIndex::new(text, 1));
                let at =
                    find(text, pos.line, pos.column, c, nth).map_or(pos, |byte| index.pos(byte));
                out.push(
                    Diagnostic::new(
                        Code::InvisibleCharacter,
                        format!("`{key}` 中有看不见的字符 U+{:04X}（{what}）", u32::from(c)),
                    )
                    .in_file(file)
                    .at(Some(at))
                    .hint("删除这个字符：它看不见，却会让看起来相同的文号、标题或机关互不相同，常随网页或文字处理软件中复制的文字带入"),
                );
            }
        }
    }
}

/// The byte offset in `text` of the `nth` (0-based) `c` at or after line `line`, column
/// `column` (where the value starts), within the next few lines; `None` when the value
/// spells the character as an escape (`"\u200b"`) instead.
fn find(text: &str, line: u32, column: u32, c: char, nth: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let start = line_start
        + text[line_start..]
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(0, |(i, _)| i);
    // A value spans its line and, folded or in a block, a few more.
    let end = text[start..]
        .match_indices('\n')
        .nth(40)
        .map_or(text.len(), |(i, _)| start + i);
    text[start..end]
        .match_indices(c)
        .nth(nth)
        .map(|(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_known_and_visible_ones_are_not() {
        for c in [
            '\u{200B}', '\u{FEFF}', '\u{00AD}', '\u{2060}', '\u{202E}', '\u{2067}', '\u{0007}',
            '\u{0085}', '\t', '\u{007F}',
        ] {
            assert!(invisible(c).is_some(), "U+{:04X}", u32::from(c));
        }
        for c in ['洛', '〔', '〕', ' ', '\u{3000}', 'a', '\n', '《', '·'] {
            assert!(invisible(c).is_none(), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn values_that_differ_only_invisibly_or_by_normalisation_compare_equal() {
        assert_eq!(
            comparable("洛\u{200B}政〔2024〕1号"),
            comparable("洛政〔2024〕1号")
        );
        assert_eq!(
            comparable("\u{FEFF}洛政〔2024〕1号\u{00AD}"),
            "洛政〔2024〕1号"
        );
        // A CJK compatibility ideograph is its unified ideograph under NFC.
        assert_eq!(
            comparable("\u{F900}发〔2024〕2号"),
            comparable("豈发〔2024〕2号")
        );
        // Decomposed and composed forms.
        assert_eq!(comparable("e\u{301}"), comparable("\u{E9}"));
        assert_ne!(comparable("洛政〔2024〕1号"), comparable("洛政〔2024〕2号"));
    }

    #[test]
    fn positions_point_at_the_character_itself() {
        let text =
            "---\ntitle: 关于\u{200B}印发的通知\ndoc_number: \"洛政\\u200b〔2024〕1号\"\n---\n";
        assert_eq!(
            find(text, 2, 8, '\u{200B}', 0),
            Some(text.find('\u{200B}').unwrap())
        );
        assert_eq!(find(text, 3, 13, '\u{200B}', 0), None);
    }
}
