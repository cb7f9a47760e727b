//! Splits text into search terms, the same way for documents (here) and queries (`search.js`).
//!
//! Chinese has no spaces and we ship no dictionary, so every run of CJK characters becomes its
//! overlapping character bigrams (`政务公开` → `政务 务公 公开`); a run of one character stays a
//! unigram. Any word of two or more characters that occurs in a text therefore yields only bigrams
//! that the text's terms contain, and a query requiring all of them finds the text.
//! Everything else is split at every character that is not a letter or digit, so `〔2019〕12号`,
//! `[2019]12号` and `2019 12` give the same `2019`, `12` terms. Full-width ASCII (`２０１９`, `ＡＢＣ`)
//! is folded to ASCII first. ASCII words then take lunr's English pipeline (lower case, stop words,
//! Porter stemmer; lunr's trimmer is a no-op on them); numbers lose leading zeros, and a
//! four-digit number followed, across separators only, by another number also gives the pair as
//! one term (`2019〔12`): typing `2019 12` then means the doc number 〔2019〕12, wherever it is
//! cited, rather than any text with a 2019 and a 12 (such as 2019年12月). Words with
//! other Latin, Greek or Cyrillic letters are kept lower-cased and unstemmed, where lunr's trimmer
//! would have deleted their non-ASCII letters.
//!
//! Traditional characters are folded to simplified ones first (`fold.rs`, OpenCC's table), so
//! `失業保險` and `失业保险` give the same terms.
//!
//! Each term also has a position: the offset of its first character, counted in characters other
//! than white space and the marks `《》〈〉“”` ([`is_unpositioned`]). The bigrams of a run then
//! sit at consecutive positions, so the browser can tell `服务资金` from `商务资金` by adjacency,
//! and a title typed with or without its 书名号 lines up with the title.
//!
//! The character classes are explicit code point ranges, not Unicode properties, so that Rust and
//! JavaScript cannot disagree through different Unicode versions. `search.js` has the twin of this
//! file; `tests/js/search-tokenize.test.mjs` proves they agree.

use super::fold::fold_char;
use super::stemmer;
use super::term::Term;

/// Joins a four-digit number and the number right after it (only separators between) into one
/// more term, so that `2019 12` requires the pair, as in `〔2019〕12号`, not just both numbers
/// anywhere. A separator itself, it never occurs inside another term.
pub const YEAR_SERIAL: char = '〔';

/// How the tokenizer treats a character.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Han, kana and Hangul: indexed as character bigrams.
    Cjk,
    /// Letters and digits of alphabetic scripts: indexed as words.
    Word,
    /// Everything else: spaces, punctuation, brackets, symbols.
    Separator,
}

/// Full-width ASCII → ASCII; the ideographic space → a space.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn classify(c: char) -> Class {
    match c as u32 {
        0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A => Class::Word,
        // Latin-1 letters (not × ÷), Latin Extended-A and -B.
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F => Class::Word,
        // Greek capital and small letters, Cyrillic.
        0x391..=0x3A9 | 0x3AC..=0x3CE | 0x400..=0x4FF => Class::Word,
        // 々 〇, hiragana, katakana.
        0x3005 | 0x3007 | 0x3041..=0x3096 | 0x30A1..=0x30FA => Class::Cjk,
        // CJK Extension A, Unified Ideographs, Hangul syllables, Compatibility Ideographs.
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => Class::Cjk,
        // Extensions B to H and the supplementary compatibility ideographs (outside the BMP).
        0x20000..=0x323AF => Class::Cjk,
        _ => Class::Separator,
    }
}

/// Characters that positions do not count: white space and `《》〈〉“”` (see the module comment).
pub fn is_unpositioned(c: char) -> bool {
    matches!(c, '《' | '》' | '〈' | '〉' | '“' | '”') || c.is_whitespace()
}

/// The number of positioned characters of `text` (a title's length for "the query is the title").
pub fn positioned_len(text: &str) -> u32 {
    text.chars()
        .map(fold_width)
        .filter(|&c| !is_unpositioned(c))
        .count() as u32
}

/// The search terms of `text`, in order of occurrence, repeats kept (term frequency counts).
pub fn tokenize(text: &str) -> Vec<Term> {
    tokenize_positioned(text).0
}

/// The search terms of `text` and the position of each (see the module comment).
pub fn tokenize_positioned(text: &str) -> (Vec<Term>, Vec<u32>) {
    let mut out = Terms::default();
    let mut run = String::new();
    let mut run_class = Class::Separator;
    let mut position = 0u32;
    for c in text.chars().map(|c| fold_char(fold_width(c))) {
        let class = classify(c);
        if class != run_class {
            out.flush(run_class, &run);
            run.clear();
            run_class = class;
            out.start = position;
        }
        if class != Class::Separator {
            run.push(c);
        }
        if !is_unpositioned(c) {
            position += 1;
        }
    }
    out.flush(run_class, &run);
    (out.terms, out.positions)
}

/// The terms so far with their positions, where the current run starts, and a four-digit number
/// (with its position) that only separators have followed since.
#[derive(Default)]
struct Terms {
    terms: Vec<Term>,
    positions: Vec<u32>,
    start: u32,
    year: Option<(String, u32)>,
}

impl Terms {
    fn push(&mut self, term: Term, position: u32) {
        self.terms.push(term);
        self.positions.push(position);
    }

    fn flush(&mut self, class: Class, run: &str) {
        let start = self.start;
        match class {
            Class::Separator => {}
            Class::Cjk => {
                self.year = None;
                // Each character with the next: slices of the run, no characters copied.
                let starts: Vec<usize> = run.char_indices().map(|(at, _)| at).collect();
                if starts.len() == 1 {
                    self.push(Term::from(run), start);
                } else {
                    let ends = starts[2..].iter().copied().chain([run.len()]);
                    for (i, (&a, b)) in starts.iter().zip(ends).enumerate() {
                        self.push(Term::from(&run[a..b]), start + i as u32);
                    }
                }
            }
            Class::Word => {
                let term = analyze_word(&run.to_lowercase());
                let number = term
                    .as_ref()
                    .filter(|t| t.bytes().all(|b| b.is_ascii_digit()));
                let year = self.year.take();
                if let Some(number) = number {
                    self.push(Term::from(number.as_str()), start);
                    if let Some((year, at)) = year {
                        // 〔2019〕12号, [2019]12, 2019 12: the year and serial of a doc number.
                        self.push(Term::from(format!("{year}{YEAR_SERIAL}{number}")), at);
                    }
                    self.year = Some((number.clone(), start)).filter(|(n, _)| n.len() == 4);
                } else if let Some(term) = term {
                    self.push(Term::from(term), start);
                }
            }
        }
    }
}

/// lunr's pipeline for one lower-cased word; `None` when the stop word filter drops it.
fn analyze_word(word: &str) -> Option<String> {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = word.trim_start_matches('0');
        return Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string());
    }
    if !word.is_ascii() {
        return Some(word.to_string());
    }
    if stemmer::is_stop_word(word) {
        return None;
    }
    Some(stemmer::stem(word)).filter(|term| !term.is_empty())
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    fn t(text: &str) -> Vec<String> {
        tokenize(text).iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn chinese_runs_become_overlapping_bigrams() {
        assert_eq!(t("政务公开"), ["政务", "务公", "公开"]);
        assert_eq!(t("关于,通知。"), ["关于", "通知"]);
        assert_eq!(t("市"), ["市"]);
        assert!(t("").is_empty() && t("。,、 ").is_empty());
    }

    #[test]
    fn any_word_of_a_text_yields_a_subset_of_its_terms() {
        let text = "洛阳市人民政府办公室关于全面推进政务公开工作的实施意见";
        let all = t(text);
        let chars: Vec<char> = text.chars().collect();
        for start in 0..chars.len() - 1 {
            for end in start + 2..=chars.len() {
                let word: String = chars[start..end].iter().collect();
                assert!(t(&word).iter().all(|term| all.contains(term)), "{word}");
            }
        }
    }

    #[test]
    fn doc_numbers_tokenize_alike_however_typed() {
        let canonical = t("洛政办〔2019〕12号");
        assert_eq!(canonical, ["洛政", "政办", "2019", "12", "2019〔12", "号"]);
        assert_eq!(t("洛政办[2019]12号"), canonical);
        assert_eq!(t("洛政办(2019)12号"), canonical);
        assert_eq!(t("洛政办(２０１９)１２号"), canonical);
        assert_eq!(t("洛政办〔2019〕012号"), canonical);
        assert_eq!(t("2019 12"), ["2019", "12", "2019〔12"]);
        assert_eq!(t("2019年12月"), ["2019", "年", "12", "月"]);
        assert_eq!(t("2019, 2020 and 12"), ["2019", "2020", "2019〔2020", "12"]);
        assert_eq!(t("洛阳市人民政府令第121号")[7..], ["令第", "121", "号"]);
    }

    #[test]
    fn latin_words_take_lunr_pipeline() {
        assert_eq!(t("The Policies of the CITY"), ["polici", "citi"]);
        assert_eq!(
            t("open-government data, e.g. GB/T 9704"),
            ["open", "govern", "data", "e", "g", "gb", "t", "9704"]
        );
        assert_eq!(t("ＡＢＣ Ｒｅｇｕｌａｔｉｏｎｓ"), ["abc", "regul"]);
        assert_eq!(
            t("Café Ökologie ΣΟΦΙΑΣ"),
            ["café", "ökologie", "σοφια\u{3C2}"]
        );
    }

    #[test]
    fn positions_count_characters_but_blanks_and_title_marks() {
        let (terms, positions) = super::tokenize_positioned("《政务公开》办法 2019 12");
        assert_eq!(
            terms.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            ["政务", "务公", "公开", "办法", "2019", "12", "2019〔12"]
        );
        assert_eq!(positions, [0, 1, 2, 4, 6, 10, 6]);
        assert_eq!(super::positioned_len("《政务公开》办法"), 6);
        assert_eq!(t("失業保險"), t("失业保险"));
    }

    #[test]
    fn mixed_scripts_split_at_script_changes() {
        assert_eq!(
            t("COVID-19疫情防控"),
            ["covid", "19", "疫情", "情防", "防控"]
        );
        assert_eq!(t("第3季度GDP增长"), ["第", "3", "季度", "gdp", "增长"]);
        assert_eq!(t("《办法》(试行)"), ["办法", "试行"]);
        assert_eq!(t("𠀀𠀁中"), ["𠀀𠀁", "𠀁中"]);
        assert_eq!(t("東京タワー"), ["东京", "京タ", "タワ"]);
    }
}
