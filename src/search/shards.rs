//! Cuts the term index into shards, so that a query downloads only the shards of its terms.
//!
//! A term lives in term shard `fnv1a(term) mod count`, a hash over its UTF-16 code units that
//! `search.js` computes the same way; `count` is a power of two chosen from the index size, so the
//! manifest only states the count. A term shard is a JSON array of term entries, in JavaScript
//! string order:
//!
//! ```text
//! ["政务", "<title>", "<doc_number>", "<issuer>", "<body>"]
//! ```
//!
//! with, per field, the posting count `k` and then, column by column, the document ordinals
//! delta-coded in ascending order `doc₀, Δdoc₁ … Δdoc₍ₖ₋₁₎`, the term's frequencies in the field
//! `tf₀ …`, and the field's lengths in terms `n₀ …` (an empty string for no posting), written as
//! variable-length base-32 digits: each character of [`VARINT_ALPHABET`] carries five bits,
//! least significant first, and adds 32 while more follow. The title field has two more columns:
//! the title's length `L` as positions count it, and each posting's positions there
//! (`p₀, Δp₁ …`, `tf` of them), which is what ranking a title equal to the query, or containing
//! it, first needs. `L` is written as its difference from `n + 1` ([`zigzag`]): a title of one
//! run of Chinese characters has one bigram fewer than characters, so the difference is nearly
//! always 0, where `L` itself took five or six bits (the synthetic 100 000: a quarter fewer bytes
//! in the title field of a word of issuers' names, such as 环境 of 生态环境局, which begins a
//! tenth of the titles). The body field has no length column: the body lengths are in length shards
//! (below).
//!
//! Why the body lengths live apart (format 5): a body is about a thousand terms long, so its
//! length takes eleven or twelve bits after gzip, where a posting's ordinal step and frequency
//! take two or three each; the lengths were three fifths of the bytes a two-word query fetched.
//!
//! Why only their classes are per term (format 6): a query scores only the documents holding
//! every one of its words, and shows ten of them; the exact length of all of them (format 5: the
//! rarest word's entry of a length shard, 74 KB of the median query at 100 000 documents) is not
//! needed to know which ten come first. A length shard (`fnv1a(term) mod count`, as many as term
//! shards and with the same numbers) is a JSON array of entries `["政务", "<c₀ c₁ …>"]` in the
//! same term order: the *class* of the body length of each document holding the term in any
//! field (not only in the body: a result may hold the rarest word in its title only and the
//! others in its body), in ascending ordinal, one digit of [`VARINT_ALPHABET`] each:
//! [`length_class`], the length's number of binary digits, so that class `c` holds the lengths
//! `2^(c-1) … 2^c - 1`, about two bits after gzip. The browser fetches the term shards of every
//! word, intersects them, fetches the classes of the rarest word alone, and bounds each
//! candidate's lunr score from above and below (the frequencies and the other fields' lengths are
//! exact, the body length lies within its class). Only the candidates whose upper bound reaches
//! the tenth best lower bound can be on the first page: their exact body lengths come from the
//! length chunks (`n/<k>.json.gz`, [`length_chunks`]: the body lengths of ordinals `16k … 16k +
//! 15`, [`push_length`] each, as one JSON string), a dozen or two small files, and lunr ranks
//! those exactly; the next page fetches the few more it needs. `book/search.md#bytes` has the
//! figures.
//!
//! No weight is stored: lunr's BM25 weight of a posting depends on the document count and the
//! average field lengths, which `meta.json` states, and on the term's document frequency, which
//! is its postings' count. The browser computes the weight exactly as `lunr.Builder` does. So a
//! document whose body changes changes only the entries of the terms it has (or had), not every
//! entry of the index, and an unchanged shard stays byte for byte what it was. Nor is lunr's
//! `_index` stored (the term's rank in the whole term table, which a new term would shift): the
//! browser numbers the terms it merges in the same order, which is all lunr needs.
//!
//! The positions in the other fields, needed only to check that a phrase of three or more
//! characters is there, are in position shards (`fnv1a(term) mod pcount`), fetched only for such
//! phrases: entries `["政务", "<doc_number>", "<issuer>", "<body>"]` in the same order, each field
//! `p, Δp…` for the postings of the term shard's entry in the same order (`tf` of them each, as
//! the term shard says). Both are stored gzip-compressed (`mod.rs`). That is all lunr needs of a
//! term: the browser rebuilds its `invertedIndex` entry and the term's entries of the field
//! vectors (`field/ref` → `[_index, weight]`). Because lunr divides a field score by the
//! magnitude of the *query* vector only, vectors holding just the query's terms score exactly as
//! the full vectors do, so the merged index ranks as the unsplit one.

use rayon::prelude::*;

use super::lunr::{Index, NFIELDS, Posting, Term};

/// The most shards an index is cut into.
const MAX_SHARDS: u32 = 1 << 16;

/// FNV-1a (32 bits) over the UTF-16 code units of `term` (`search.js`: `termHash`).
pub fn term_hash(term: &str) -> u32 {
    term.encode_utf16().fold(0x811c_9dc5u32, |h, unit| {
        (h ^ u32::from(unit)).wrapping_mul(0x0100_0193)
    })
}

/// The shard of `term` among `count` shards.
pub fn shard_of(term: &str, count: u32) -> u32 {
    term_hash(term) % count
}

/// The digits of the posting encoding; none needs escaping in JSON (`search.js` has the same).
pub(super) const VARINT_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `value` as base-32 digits, least significant first, 32 added while more follow.
fn push_varint(out: &mut String, mut value: u32) {
    loop {
        let low = (value & 31) as usize;
        value >>= 5;
        if value == 0 {
            out.push(VARINT_ALPHABET[low] as char);
            return;
        }
        out.push(VARINT_ALPHABET[low | 32] as char);
    }
}

/// `value` as a non-negative number, small when `value` is near zero: 0, -1, 1, -2 … as 0, 1, 2,
/// 3 … (the zigzag coding of protocol buffers). Values beyond ±2³¹ do not occur (lengths are
/// `u32` and a title is far shorter).
fn zigzag(value: i64) -> u32 {
    (if value >= 0 {
        value * 2
    } else {
        -value * 2 - 1
    }) as u32
}

/// Body lengths below this take two digits of [`VARINT_ALPHABET`], six bits each (high, low).
const TWO_DIGIT_LENGTHS: u32 = 63 * 64;

/// Appends a body length: two base-64 digits, most significant first, when below
/// [`TWO_DIGIT_LENGTHS`], else `_` and the rest as a base-32 varint ([`push_varint`]). Why not the
/// varints: a body is about a thousand terms long, the low digits of its length are as good as
/// random, and gzip codes a fixed-width pair of six-bit digits in about 12 bits against 14 for
/// the varint's five-bit digits with their continuation bits (measured on the synthetic 10 000:
/// a sixth fewer bytes in a length shard entry; binary bytes inside the gzip took 13.3 bits).
fn push_length(out: &mut String, value: u32) {
    if value < TWO_DIGIT_LENGTHS {
        out.push(VARINT_ALPHABET[(value >> 6) as usize] as char);
        out.push(VARINT_ALPHABET[(value & 63) as usize] as char);
    } else {
        out.push('_');
        push_varint(out, value - TWO_DIGIT_LENGTHS);
    }
}

/// Appends a posting's positions: `p₀, Δp₁, …` (ascending, so the deltas are not negative).
fn push_positions(out: &mut String, positions: &[u32]) {
    let mut previous = 0u32;
    for &at in positions {
        push_varint(out, at - previous);
        previous = at;
    }
}

/// One term as a term shard entry (see the module comment); `lengths` (field lengths in
/// terms) and `title_lengths` (in positions) by ordinal.
fn entry(term: &Term, lengths: &[[u32; NFIELDS]], title_lengths: &[u32]) -> String {
    let json = serde_json::to_string(&term.term).unwrap_or_default();
    let mut out = format!("[{json}");
    for (field, postings) in term.postings.iter().enumerate() {
        out.push_str(",\"");
        if !postings.is_empty() {
            // Column by column: gzip finds the runs of small numbers in each column, where the
            // numbers of one posting side by side (a few digits of a length between each
            // ordinal step and frequency) hid them; a tenth fewer bytes on the wire.
            push_varint(&mut out, postings.len() as u32);
            let mut previous = 0u32;
            for p in postings {
                push_varint(&mut out, p.doc - previous);
                previous = p.doc;
            }
            for p in postings {
                push_varint(&mut out, p.tf);
            }
            if field != BODY {
                for p in postings {
                    push_varint(&mut out, lengths[p.doc as usize][field]);
                }
            }
            if field == TITLE {
                for p in postings {
                    let terms = i64::from(lengths[p.doc as usize][field]);
                    let positions = i64::from(title_lengths[p.doc as usize]);
                    push_varint(&mut out, zigzag(positions - terms - 1));
                }
                let mut at = 0usize;
                for p in postings {
                    push_positions(&mut out, &term.positions[field][at..at + p.tf as usize]);
                    at += p.tf as usize;
                }
            }
        }
        out.push('"');
    }
    out.push(']');
    out
}

/// One term as a position shard entry (see the module comment).
fn position_entry(term: &Term) -> String {
    let mut out = format!("[{}", serde_json::to_string(&term.term).unwrap_or_default());
    for field in TITLE + 1..NFIELDS {
        out.push_str(",\"");
        let mut at = 0usize;
        for p in &term.postings[field] {
            push_positions(&mut out, &term.positions[field][at..at + p.tf as usize]);
            at += p.tf as usize;
        }
        out.push('"');
    }
    out.push(']');
    out
}

/// The class of a body length: its number of binary digits (0 for 0, 1 for 1, 2 for 2 and 3, 3 for
/// 4 to 7 …), at most 32, so one digit of [`VARINT_ALPHABET`] (`search.js`: `CLASS_FROM`). Why
/// classes that double: on the synthetic 100 000 the classes of the median query's rarest word
/// take 15 KB and its first page needs the exact lengths of 32 documents; classes half as wide
/// take 20 KB and need 21 (a length chunk is about 60 bytes).
pub(super) fn length_class(length: u32) -> u32 {
    u32::BITS - length.leading_zeros()
}

/// One term as a length shard entry: the class ([`length_class`]) of the body length of each
/// document holding it, in any field, in ascending ordinal.
fn length_entry(term: &Term, lengths: &[[u32; NFIELDS]]) -> String {
    let mut holders: Vec<u32> = term.postings.iter().flatten().map(|p| p.doc).collect();
    holders.sort_unstable();
    holders.dedup();
    let mut out = format!(
        "[{},\"",
        serde_json::to_string(&term.term).unwrap_or_default()
    );
    for doc in holders {
        let class = length_class(lengths[doc as usize][BODY]) as usize;
        out.push(VARINT_ALPHABET[class] as char);
    }
    out.push_str("\"]");
    out
}

/// The length chunks (`n/`): the body lengths of `chunk` ordinals at a time, in ordinal order,
/// each written with [`push_length`], as one JSON string per chunk.
pub(super) fn length_chunks(lengths: &[[u32; NFIELDS]], chunk: usize) -> Vec<Vec<u8>> {
    lengths
        .chunks(chunk.max(1))
        .map(|docs| {
            let mut out = String::from("\"");
            for doc in docs {
                push_length(&mut out, doc[BODY]);
            }
            out.push('"');
            out.into_bytes()
        })
        .collect()
}

/// The field whose positions are in the term shards.
const TITLE: usize = 0;

/// The field whose lengths are in the length shards.
const BODY: usize = NFIELDS - 1;

/// The shard files of an index, shard `n` of each kind at position `n`.
pub(super) struct ShardFiles {
    /// Term shards (`t/`): ordinals, frequencies, the lengths of every field but the body.
    pub terms: Vec<Vec<u8>>,
    /// Position shards (`p/`): positions in the fields after the title.
    pub positions: Vec<Vec<u8>>,
    /// Length shards (`l/`): the classes of the body lengths of each term's holders.
    pub lengths: Vec<Vec<u8>>,
    /// Length chunks (`n/`): the exact body lengths, by ordinal.
    pub chunks: Vec<Vec<u8>>,
    /// Each document's field lengths in terms, by ordinal (the index's).
    pub doc_lengths: Vec<[u32; NFIELDS]>,
}

/// The term, position and length shards of `index` (see the module comment), as many as make an
/// average term shard about `target_bytes` long (as many length shards) and a position shard
/// twice that (every query fetches term shards, only phrases fetch position shards), and the
/// length chunks of `length_chunk` documents. `title_lengths` are the titles' lengths by
/// ordinal. Consumes the index, freeing each term once encoded.
pub(super) fn shard_files(
    index: Index,
    target_bytes: usize,
    length_chunk: usize,
    title_lengths: &[u32],
) -> ShardFiles {
    let Index { terms, lengths, .. } = index;
    let chunks = length_chunks(&lengths, length_chunk);
    let entries: Vec<(String, [String; 3])> = terms
        .into_par_iter()
        .map(|term| {
            let encoded = entries_of(&term, &lengths, title_lengths);
            (term.term, encoded)
        })
        .collect();
    let mut kinds: [Vec<(String, String)>; 3] = Default::default();
    for (term, encoded) in entries {
        for (kind, e) in kinds.iter_mut().zip(encoded) {
            kind.push((term.clone(), e));
        }
    }
    let [terms, positions, body_lengths] = kinds;
    // A term's length entry is in the length shard of its term shard's number: a length shard
    // sized on its own bytes (a third of the term shards') held three times as many terms, whose
    // entries a query downloads along with the one it needs (10 000 documents: the median query
    // 34.0 KiB against 30.6).
    let count = shard_count(&terms, target_bytes);
    let position_count = shard_count(&positions, target_bytes.saturating_mul(2));
    let (terms, (positions, length_shards)) = rayon::join(
        || cut(terms, count),
        || {
            rayon::join(
                || cut(positions, position_count),
                || cut(body_lengths, count),
            )
        },
    );
    ShardFiles {
        terms,
        positions,
        lengths: length_shards,
        chunks,
        doc_lengths: lengths,
    }
}

/// A term's term, position and length shard entries (see the module comment): `lengths` (field
/// lengths in terms) and `title_lengths` (in positions) by ordinal.
pub(super) fn entries_of(
    term: &Term,
    lengths: &[[u32; NFIELDS]],
    title_lengths: &[u32],
) -> [String; 3] {
    [
        entry(term, lengths, title_lengths),
        position_entry(term),
        length_entry(term, lengths),
    ]
}

/// How many shards make `(term, entry)` pairs about `target_bytes` long on average.
fn shard_count(entries: &[(String, String)], target_bytes: usize) -> u32 {
    let total: usize = entries.iter().map(|(_, e)| e.len() + 1).sum();
    count_for(total, target_bytes)
}

/// How many shards make entries of `total` bytes (each counted with one separator) about
/// `target_bytes` long on average: a power of two, at most [`MAX_SHARDS`].
pub(super) fn count_for(total: usize, target_bytes: usize) -> u32 {
    let wanted = total.div_ceil(target_bytes.max(1)).max(1);
    u32::try_from(wanted)
        .unwrap_or(MAX_SHARDS)
        .next_power_of_two()
        .min(MAX_SHARDS)
}

/// `(term, entry)` pairs in term order as `count` shards, each term in [`shard_of`] its own.
fn cut(entries: Vec<(String, String)>, count: u32) -> Vec<Vec<u8>> {
    let mut shards: Vec<Vec<u8>> = vec![b"[".to_vec(); count as usize];
    for (term, entry) in entries {
        let shard = &mut shards[shard_of(&term, count) as usize];
        if shard.len() > 1 {
            shard.push(b',');
        }
        shard.extend_from_slice(entry.as_bytes());
    }
    for shard in &mut shards {
        shard.push(b']');
    }
    shards
}

/// The value of each character of [`VARINT_ALPHABET`]; 255 for any other byte.
const DIGIT_VALUES: [u8; 256] = {
    let mut values = [255u8; 256];
    let mut i = 0;
    while i < VARINT_ALPHABET.len() {
        values[VARINT_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    values
};

/// The varint ([`push_varint`]) at `at` in `digits`, moved past it; `None` past the end, on a
/// character that is no digit, or beyond `u32`.
fn read_varint(digits: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u64;
    for shift in (0..35).step_by(5) {
        let digit = DIGIT_VALUES[usize::from(*digits.get(*at)?)];
        *at += 1;
        (digit != 255).then_some(())?;
        value |= u64::from(digit & 31) << shift;
        if digit & 32 == 0 {
            return u32::try_from(value).ok();
        }
    }
    None
}

/// `n` varints from `at`.
fn read_varints(digits: &[u8], at: &mut usize, n: usize) -> Option<Vec<u32>> {
    (0..n).map(|_| read_varint(digits, at)).collect()
}

/// Positions as [`push_positions`] wrote them, `tf` of each posting's, appended to `out`.
fn read_positions(
    digits: &[u8],
    at: &mut usize,
    postings: &[Posting],
    out: &mut Vec<u32>,
) -> Option<()> {
    for p in postings {
        let mut previous = 0u32;
        for _ in 0..p.tf {
            previous = previous.checked_add(read_varint(digits, at)?)?;
            out.push(previous);
        }
    }
    Some(())
}

/// A term read back from its term shard entry (`[term, title, doc_number, issuer, body]`) and
/// its position shard entry (`[term, doc_number, issuer, body]`): the postings and positions
/// [`entries_of`] wrote them from (`index` 0: the shards do not keep it). The lengths in the
/// entries are read past, not kept: they are the documents' (`patch.rs` keeps those). `None` if
/// the two are not such entries of one term.
pub(super) fn decode_term(entry: &[String], positions: &[String]) -> Option<Term> {
    let ([term, fields @ ..], [same, position_fields @ ..]) = (entry, positions) else {
        return None;
    };
    if term != same || fields.len() != NFIELDS || position_fields.len() != NFIELDS - 1 {
        return None;
    }
    let mut decoded = Term {
        term: term.clone(),
        index: 0,
        postings: Default::default(),
        positions: Default::default(),
    };
    for (field, digits) in fields.iter().enumerate() {
        let digits = digits.as_bytes();
        let mut at = 0usize;
        if digits.is_empty() {
            continue;
        }
        let k = read_varint(digits, &mut at)? as usize;
        (k > 0 && k <= digits.len()).then_some(())?;
        let steps = read_varints(digits, &mut at, k)?;
        let tfs = read_varints(digits, &mut at, k)?;
        let mut doc = 0u32;
        let postings = &mut decoded.postings[field];
        for (i, (step, tf)) in steps.into_iter().zip(tfs).enumerate() {
            // Ascending: every step after the first is positive.
            (i == 0 || step > 0).then_some(())?;
            doc = doc.checked_add(step)?;
            postings.push(Posting { doc, tf });
        }
        if field != BODY {
            read_varints(digits, &mut at, k)?;
        }
        if field == TITLE {
            read_varints(digits, &mut at, k)?;
            let postings = decoded.postings[field].clone();
            read_positions(digits, &mut at, &postings, &mut decoded.positions[field])?;
        }
        (at == digits.len()).then_some(())?;
    }
    for (field, digits) in (TITLE + 1..NFIELDS).zip(position_fields) {
        let digits = digits.as_bytes();
        let mut at = 0usize;
        let postings = decoded.postings[field].clone();
        read_positions(digits, &mut at, &postings, &mut decoded.positions[field])?;
        (at == digits.len()).then_some(())?;
    }
    Some(decoded)
}

/// Confirms the layout constant that `search.js` relies on.
const _: () = assert!(NFIELDS == 4);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::lunr::Posting;

    #[test]
    fn fnv1a_over_utf16_units() {
        assert_eq!(term_hash(""), 0x811c_9dc5);
        // One unit 0x61 hashes like the byte 'a' in byte-wise FNV-1a.
        assert_eq!(term_hash("a"), 0xe40c_292c);
        assert_ne!(term_hash("政务"), term_hash("务政"));
    }

    /// What `push` appends for `value` to an empty string.
    fn pushed(push: fn(&mut String, u32), value: u32) -> String {
        let mut s = String::new();
        push(&mut s, value);
        s
    }

    #[test]
    fn varints_take_five_bits_per_character() {
        let encode = |v| pushed(push_varint, v);
        assert_eq!(encode(0), "A");
        assert_eq!(encode(31), "f");
        // 32 = 0 + 1×32: digit 0 with the continuation bit ('g'), then 1 ('B').
        assert_eq!(encode(32), "gB");
        assert_eq!(encode(1500), "8uB");
        assert_eq!(encode(u32::MAX).len(), 7);
    }

    #[test]
    fn zigzag_keeps_small_differences_small() {
        assert_eq!([0, -1, 1, -2, 2].map(zigzag), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn body_lengths_take_two_base64_digits_or_an_escape() {
        let encode = |v| pushed(push_length, v);
        assert_eq!(encode(0), "AA");
        assert_eq!(encode(1500), "Xc");
        assert_eq!(encode(TWO_DIGIT_LENGTHS - 1), "-_");
        assert_eq!(encode(TWO_DIGIT_LENGTHS), "_A");
        assert_eq!(encode(TWO_DIGIT_LENGTHS + 32), "_gB");
    }

    #[test]
    fn length_classes_double() {
        assert_eq!(
            [0, 1, 2, 3, 4, 7, 8, 1000, 1023, 1024, u32::MAX].map(length_class),
            [0, 1, 2, 2, 3, 3, 4, 10, 10, 11, 32]
        );
    }

    #[test]
    fn entries_delta_code_ordinals_and_positions() {
        let p = |doc, tf| Posting { doc, tf };
        let term = Term {
            term: "公开".into(),
            index: 7,
            postings: [
                vec![p(3, 2)],
                vec![],
                vec![],
                vec![p(0, 1), p(3, 1), p(9, 2)],
            ],
            positions: [vec![4, 40], vec![], vec![], vec![5, 0, 33, 34]],
        };
        let mut lengths = vec![[0; NFIELDS]; 10];
        lengths[0][3] = 7;
        lengths[3] = [30, 0, 0, 100];
        lengths[9][3] = 2;
        let mut titles = vec![0; 10];
        titles[3] = 41;
        // Title: 1 posting; doc 3, tf 2, 30 terms ("e"), length 41 = 30 + 1 + 10 (zigzag 20, "U"),
        // positions 4, +36 ("kB").
        // Body: 3 postings; docs 0, +3, +6; tfs 1, 1, 2; its lengths are in the length shard.
        assert_eq!(
            entry(&term, &lengths, &titles),
            r#"["公开","BDCeUEkB","","","DADGBBC"]"#
        );
        // The body length classes of the holders 0, 3 and 9: 7 (3, "D"), 100 (7, "H"), 2 (2, "C").
        assert_eq!(length_entry(&term, &lengths), r#"["公开","DHC"]"#);
        // The exact lengths by ordinal, two at a time: 7 ("AH") and 0, …, 100 = 1×64 + 36 ("Bk").
        let chunks = length_chunks(&lengths, 2);
        assert_eq!(chunks.len(), 5);
        assert_eq!(chunks[0], br#""AHAA""#);
        assert_eq!(chunks[1], br#""AABk""#);
        // Body positions: 5; 0; 33 ("hB") and 34.
        assert_eq!(position_entry(&term), r#"["公开","","","FAhBB"]"#);
    }

    #[test]
    fn shard_count_is_a_power_of_two_sized_to_the_target() {
        let index = Index::build(&[[vec!["a".into(), "b".into()], vec![], vec![], vec![]]]);
        let files = shard_files(index.clone(), 1 << 20, 16, &[1]);
        assert_eq!(
            (
                files.terms.len(),
                files.positions.len(),
                files.lengths.len()
            ),
            (1, 1, 1)
        );
        let files = shard_files(index, 1, 16, &[1]).terms;
        assert!(files.len().is_power_of_two() && files.len() >= 2);
        let all: Vec<u8> = files.concat();
        assert!(all.windows(3).any(|w| w == b"\"a\""));
    }
}
