//! Folds traditional Chinese characters to simplified ones, for documents here and queries in
//! `search.js`, so that `失業保險` finds `失业保险` and the other way round.
//!
//! The table is OpenCC's `TSCharacters.txt` (Apache-2.0), first candidate per character, kept in
//! one file that both halves read: the browser loads `assets/search-t2s.js`, and this module takes
//! the same file with `include_str!` and reads the string literal in it. Character by character,
//! not phrase by phrase: a fold that keeps every character in its place keeps the offsets of terms
//! (positions, highlighting) the same in the folded and the typed text.

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

/// Where the table starts: only CJK characters are in it, so everything below U+2E80 passes
/// without a lookup.
const FIRST: u32 = 0x2E80;

/// The table, made once (it is a constant of the program, read from a constant file), as one
/// slot per character of the Basic Multilingual Plane from [`FIRST`] on: the folded form, the
/// character itself where the table has none. Every character of every document is folded, so
/// a fold is an index rather than a hash lookup (a `HashMap<char, char>` with the standard
/// hasher cost about 4 % of a build's CPU). 53 000 slots, 210 KB.
static DENSE: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut dense: Vec<char> = (FIRST..=0xFFFF)
        .map(|u| char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    for (from, to) in table() {
        if let Some(slot) = (from as u32)
            .checked_sub(FIRST)
            .and_then(|i| dense.get_mut(i as usize))
        {
            *slot = to;
        }
    }
    dense
});

/// The few pairs beyond the Basic Multilingual Plane, sorted.
static ASTRAL: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
    let mut astral: Vec<(char, char)> = table().filter(|&(c, _)| c as u32 > 0xFFFF).collect();
    astral.sort_unstable();
    astral
});

/// The pairs of the shipped table.
fn table() -> impl Iterator<Item = (char, char)> {
    let mut chars = pairs().chars();
    std::iter::from_fn(move || Some((chars.next()?, chars.next()?)))
}

/// The simplified form of `c` (itself when the table has none).
pub fn fold_char(c: char) -> char {
    let u = c as u32;
    if u < FIRST {
        return c;
    }
    if u <= 0xFFFF {
        return DENSE[(u - FIRST) as usize];
    }
    ASTRAL
        .binary_search_by_key(&c, |&(from, _)| from)
        .map_or(c, |i| ASTRAL[i].1)
}

/// `text` with every character folded.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// The number of characters the table folds (for tests).
pub fn table_len() -> usize {
    table()
        .map(|(c, _)| c)
        .collect::<std::collections::HashSet<char>>()
        .len()
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

    #[test]
    fn the_index_folds_as_the_table_says_for_every_pair() {
        // The first pair written for a character wins, as in a map built from the list.
        let mut first = std::collections::HashMap::new();
        for (from, to) in table() {
            first.entry(from).or_insert(to);
        }
        let mut last = std::collections::HashMap::new();
        for (from, to) in table() {
            last.insert(from, to);
        }
        for (&from, &to) in &last {
            assert_eq!(fold_char(from), to, "{from}");
            assert_eq!(
                first[&from], to,
                "{from} is written twice with different forms"
            );
        }
        for c in ['a', '。', '〔', '政', '\u{20000}'] {
            if !last.contains_key(&c) {
                assert_eq!(fold_char(c), c);
            }
        }
    }
}
