//! lunr.js 2.3.9's English pipeline (stop word filter and Porter stemmer), ported to Rust.
//!
//! The browser stems a query with lunr's own `lunr.stemmer`, so the build must stem documents the
//! same way, quirks included: lunr's stemmer is Martin Porter's JavaScript version, built from
//! regular expressions, and differs in details from other Porter ports (the `y` handling, the
//! `(at|bl|iz)` rule, which suffix of `re_4` wins). Each step below names the regular expression
//! it reproduces; `tests/js/search-tokenize.test.mjs` runs thousands of words through both.
//! Only ASCII lower-case words reach this module (see `tokenize`).

/// lunr's `lunr.stopWordFilter` list, verbatim.
const STOP_WORDS: [&str; 119] = [
    "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "but", "by", "can", "cannot", "could",
    "dear", "did", "do", "does", "either", "else", "ever", "every", "for", "from", "get", "got",
    "had", "has", "have", "he", "her", "hers", "him", "his", "how", "however", "i", "if", "in",
    "into", "is", "it", "its", "just", "least", "let", "like", "likely", "may", "me", "might",
    "most", "must", "my", "neither", "no", "nor", "not", "of", "off", "often", "on", "only", "or",
    "other", "our", "own", "rather", "said", "say", "says", "she", "should", "since", "so", "some",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "tis", "to",
    "too", "twas", "us", "wants", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "yet", "you", "your",
];

/// True for a word that lunr's stop word filter drops.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

const STEP2: [(&str, &str); 21] = [
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
];

const STEP3: [(&str, &str); 7] = [
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
];

const STEP4: [&str; 18] = [
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou", "ism",
    "ate", "iti", "ous", "ive", "ize",
];

/// The character classes of lunr's stemmer regular expressions.
#[derive(Clone, Copy)]
enum Class {
    /// `[aeiou]`
    Aeiou,
    /// `[aeiouy]` (lunr's `v`)
    Aeiouy,
    /// `[^aeiou]` (lunr's `c`)
    NotAeiou,
    /// `[^aeiouy]`
    NotAeiouy,
    /// `[^aeiouwxy]`
    NotAeiouwxy,
}

impl Class {
    fn has(self, b: u8) -> bool {
        let in_set = |set: &[u8]| set.contains(&b);
        match self {
            Class::Aeiou => in_set(b"aeiou"),
            Class::Aeiouy => in_set(b"aeiouy"),
            Class::NotAeiou => !in_set(b"aeiou"),
            Class::NotAeiouy => !in_set(b"aeiouy"),
            Class::NotAeiouwxy => !in_set(b"aeiouwxy"),
        }
    }
}

/// One element of the small patterns lunr builds its measure tests from.
#[derive(Clone, Copy)]
enum El {
    One(Class),
    Star(Class),
    /// `( … )?`
    Opt(&'static [El]),
}

/// `C = c + "[^aeiouy]*"`, a consonant sequence.
const C: &[El] = &[El::One(Class::NotAeiou), El::Star(Class::NotAeiouy)];
const CV: [El; 2] = [El::One(Class::NotAeiou), El::Star(Class::NotAeiouy)];
const VV: [El; 2] = [El::One(Class::Aeiouy), El::Star(Class::Aeiou)];
/// `mgr0 = ^(C)?VC`: measure > 0.
const MGR0: &[El] = &[El::Opt(C), VV[0], VV[1], CV[0], CV[1]];
/// `mgr1 = ^(C)?VCVC`: measure > 1.
const MGR1: &[El] = &[
    El::Opt(C),
    VV[0],
    VV[1],
    CV[0],
    CV[1],
    VV[0],
    VV[1],
    CV[0],
    CV[1],
];
/// `meq1 = ^(C)?VC(V)?$`: measure = 1.
const MEQ1: &[El] = &[El::Opt(C), VV[0], VV[1], CV[0], CV[1], El::Opt(V)];
const V: &[El] = &[El::One(Class::Aeiouy), El::Star(Class::Aeiou)];
/// `s_v = ^(C)?v`: the stem has a vowel.
const S_V: &[El] = &[El::Opt(C), El::One(Class::Aeiouy)];
/// `^C v [^aeiouwxy]$` (`re4_1b_2`, `re3_5`): ends consonant-vowel-consonant.
const CVC: &[El] = &[
    El::One(Class::NotAeiou),
    El::Star(Class::NotAeiouy),
    El::One(Class::Aeiouy),
    El::One(Class::NotAeiouwxy),
];

/// Backtracking match of `pattern` then `rest` against `s[pos..]`, as a JavaScript regular
/// expression anchored at the start (and at the end when `to_end`).
fn matches(pattern: &[El], rest: &[&[El]], s: &[u8], pos: usize, to_end: bool) -> bool {
    let Some((first, tail)) = pattern.split_first() else {
        return match rest.split_first() {
            Some((next, more)) => matches(next, more, s, pos, to_end),
            None => !to_end || pos == s.len(),
        };
    };
    match first {
        El::One(class) => {
            pos < s.len() && class.has(s[pos]) && matches(tail, rest, s, pos + 1, to_end)
        }
        El::Star(class) => {
            let mut end = pos;
            while end < s.len() && class.has(s[end]) {
                end += 1;
            }
            (pos..=end).rev().any(|p| matches(tail, rest, s, p, to_end))
        }
        El::Opt(group) => {
            let mut with_group: Vec<&[El]> = vec![tail];
            with_group.extend_from_slice(rest);
            matches(group, &with_group, s, pos, to_end) || matches(tail, rest, s, pos, to_end)
        }
    }
}

fn test(pattern: &[El], s: &[u8], to_end: bool) -> bool {
    matches(pattern, &[], s, 0, to_end)
}

/// `^(.+?)(alt1|alt2|…)$`: the lazy stem leaves the longest alternative that ends the word.
fn lazy_suffix<'a>(w: &[u8], alternatives: &[&'a str]) -> Option<(usize, &'a str)> {
    (1..w.len()).find_map(|p| {
        alternatives
            .iter()
            .find(|alt| &w[p..] == alt.as_bytes())
            .map(|alt| (p, *alt))
    })
}

/// lunr's `porterStemmer(w)` for an ASCII lower-case word.
pub fn stem(word: &str) -> String {
    if word.len() < 3 || !word.is_ascii() {
        return word.to_string();
    }
    let mut w = word.as_bytes().to_vec();
    let first_y = w[0] == b'y';
    if first_y {
        w[0] = b'Y';
    }

    // Step 1a: re_1a = ^(.+?)(ss|i)es$ → $1$2, else re2_1a = ^(.+?)([^s])s$ → $1$2.
    if let Some((p, _)) = lazy_suffix(&w, &["sses", "ies"]) {
        w.truncate(w.len() - 2);
        debug_assert!(p >= 1);
    } else if w.len() >= 3 && w[w.len() - 1] == b's' && w[w.len() - 2] != b's' {
        w.pop();
    }

    // Step 1b: re_1b = ^(.+?)eed$, else re2_1b = ^(.+?)(ed|ing)$.
    if let Some((p, _)) = lazy_suffix(&w, &["eed"]) {
        if test(MGR0, &w[..p], false) {
            w.pop();
        }
    } else if let Some((p, _)) = lazy_suffix(&w, &["ed", "ing"]) {
        let stem = &w[..p];
        if test(S_V, stem, false) {
            w.truncate(p);
            let n = w.len();
            if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
                w.push(b'e');
            } else if n >= 2 && w[n - 1] == w[n - 2] && !b"aeiouylsz".contains(&w[n - 1]) {
                // re3_1b_2 = ([^aeiouylsz])\1$
                w.pop();
            } else if test(CVC, &w, true) {
                w.push(b'e');
            }
        }
    }

    // Step 1c: re_1c = ^(.+?[^aeiou])y$ → stem + "i".
    let n = w.len();
    if n >= 3 && w[n - 1] == b'y' && !b"aeiou".contains(&w[n - 2]) {
        w[n - 1] = b'i';
    }

    // Step 2 and step 3: ^(.+?)(suffixes)$, replaced when mgr0 holds for the stem.
    for list in [&STEP2[..], &STEP3[..]] {
        let suffixes: Vec<&str> = list.iter().map(|(from, _)| *from).collect();
        if let Some((p, suffix)) = lazy_suffix(&w, &suffixes)
            && test(MGR0, &w[..p], false)
        {
            let to = list
                .iter()
                .find(|(from, _)| *from == suffix)
                .map(|(_, to)| *to);
            w.truncate(p);
            w.extend_from_slice(to.unwrap_or_default().as_bytes());
        }
    }

    // Step 4: re_4 = ^(.+?)(al|ance|…)$ when mgr1; else re2_4 = ^(.+?)(s|t)(ion)$.
    if let Some((p, _)) = lazy_suffix(&w, &STEP4) {
        if test(MGR1, &w[..p], false) {
            w.truncate(p);
        }
    } else if let Some((p, _)) = lazy_suffix(&w, &["sion", "tion"])
        && test(MGR1, &w[..p + 1], false)
    {
        // Only when re_4 did not match at all: its failed mgr1 test does not fall through here.
        w.truncate(p + 1);
    }

    // Step 5: re_5 = ^(.+?)e$, then re_5_1 = ll$.
    if let Some((p, _)) = lazy_suffix(&w, &["e"]) {
        let stem = &w[..p];
        if test(MGR1, stem, false) || (test(MEQ1, stem, true) && !test(CVC, stem, true)) {
            w.truncate(p);
        }
    }
    if w.ends_with(b"ll") && test(MGR1, &w, false) {
        w.pop();
    }

    if first_y {
        w[0] = b'y';
    }
    String::from_utf8(w).unwrap_or_else(|_| word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("your") && !is_stop_word("policy"));
    }

    /// A sample of lunr's own `test/fixtures/stemming_vocab.json` and Porter's classic cases.
    #[test]
    fn stems_like_lunr() {
        let cases = [
            ("consign", "consign"),
            ("consigned", "consign"),
            ("consigning", "consign"),
            ("consignment", "consign"),
            ("consolation", "consol"),
            ("knack", "knack"),
            ("knightly", "knightli"),
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("motoring", "motor"),
            ("conflated", "conflat"),
            ("hopping", "hop"),
            ("filing", "file"),
            ("happy", "happi"),
            ("relational", "relat"),
            ("generalization", "gener"),
            ("electrical", "electr"),
            ("adjustment", "adjust"),
            ("adoption", "adopt"),
            ("controll", "control"),
            ("yelling", "yell"),
            ("policies", "polici"),
            ("regulations", "regul"),
            ("governance", "govern"),
            ("2019", "2019"),
            ("sses", "sse"),
        ];
        for (word, expected) in cases {
            assert_eq!(stem(word), expected, "stem({word})");
        }
    }
}
