//! Folds traditional Chinese characters to simplified ones, for documents here and queries in
//! `search.js`, so that `失業保險` finds `失业保险` and the other way round.
//!
//! The table is OpenCC's `TSCharacters.txt` (Apache-2.0), first candidate per character, kept in
//! one file that both halves read: the browser loads `assets/search-t2s.js`, and this module takes
//! the same file with `include_str!` and reads the string literal in it. Character by character,
//! not phrase by phrase: a fold that keeps every character in its place keeps the offsets of terms
//! (positions, highlighting) the same in the folded and the typed text.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The browser's table file, as shipped.
const SOURCE: &str = include_str!("../../themes/default/static/assets/search-t2s.js");

/// The pairs string: traditional, simplified, traditional, simplified, …
fn pairs() -> &'static str {
    const START: &str = "var GazetteT2S = '";
    let from = SOURCE
        .find(START)
        .map_or(SOURCE.len(), |at| at + START.len());
    let rest = &SOURCE[from..];
    &rest[..rest.find('\'').unwrap_or(0)]
}

/// The table as a map, made once: it is a constant of the program, read from a constant file.
static TABLE: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    let chars: Vec<char> = pairs().chars().collect();
    chars.chunks_exact(2).map(|p| (p[0], p[1])).collect()
});

/// The simplified form of `c` (itself when the table has none).
pub fn fold_char(c: char) -> char {
    // Only CJK characters are in the table; everything below U+2E80 passes without a lookup.
    if (c as u32) < 0x2E80 {
        return c;
    }
    TABLE.get(&c).copied().unwrap_or(c)
}

/// `text` with every character folded.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// The number of pairs in the table (for tests).
pub fn table_len() -> usize {
    TABLE.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_is_read_whole() {
        assert_eq!(pairs().chars().count() % 2, 0);
        assert!(table_len() > 3000, "{}", table_len());
    }

    #[test]
    fn traditional_text_folds_to_simplified() {
        assert_eq!(fold("失業保險工作"), "失业保险工作");
        assert_eq!(fold("信訪局關於修改"), "信访局关于修改");
        assert_eq!(
            fold("洛陽市人民政府〔2019〕12號"),
            "洛阳市人民政府〔2019〕12号"
        );
        assert_eq!(fold("政务公开 abc"), "政务公开 abc");
    }
}
