//! Cuts the term index into shards, so that a query downloads only the shards of its terms.
//!
//! A term lives in shard `fnv1a(term) mod count`, a hash over its UTF-16 code units that
//! `search.js` computes the same way; `count` is a power of two chosen from the index size, so the
//! manifest only states the count. A shard is a JSON array of term entries, in JavaScript string
//! order:
//!
//! ```text
//! ["政务", 1234, "<title>", "<doc_number>", "<issuer>", "<body>"]
//! ```
//!
//! with, per field, the numbers `doc₀, w₀, Δdoc₁, w₁, …` (document ordinals delta-coded in
//! ascending order, and lunr weights in integer thousandths) written as variable-length base-32
//! digits: each character of [`VARINT_ALPHABET`] carries five bits, least significant first, and
//! adds 32 while more follow. A posting of a common term then costs about three bytes, where JSON
//! numbers cost six or seven; static servers often send JSON uncompressed, so the saving reaches
//! the reader. That is all lunr needs of a term: the
//! browser rebuilds its `invertedIndex` entry (`_index` plus the documents per field) and the
//! term's entries of the field vectors (`field/ref` → `[_index, weight]`). Because lunr divides a
//! field score by the magnitude of the *query* vector only, vectors holding just the query's terms
//! score exactly as the full vectors do, so the merged index ranks as the unsplit one.

use rayon::prelude::*;

use super::lunr::{Index, NFIELDS, Term};

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
pub const VARINT_ALPHABET: &[u8; 64] =
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

/// One term as a shard entry (see the module comment).
fn entry(term: &Term) -> String {
    let mut out = format!(
        "[{},{}",
        serde_json::to_string(&term.term).unwrap_or_default(),
        term.index
    );
    for postings in &term.postings {
        out.push_str(",\"");
        let mut previous = 0u32;
        for p in postings {
            push_varint(&mut out, p.doc - previous);
            push_varint(&mut out, p.weight);
            previous = p.doc;
        }
        out.push('"');
    }
    out.push(']');
    out
}

/// The shards of `index`: as many as make an average shard about `target_bytes` long.
/// Returns the shard files' contents, shard `n` at position `n`. Consumes the index, freeing each
/// term's postings once it is encoded.
pub fn shard_files(index: Index, target_bytes: usize) -> Vec<Vec<u8>> {
    let entries: Vec<(String, String)> = index
        .terms
        .into_par_iter()
        .map(|term| {
            let encoded = entry(&term);
            (term.term, encoded)
        })
        .collect();
    let total: usize = entries.iter().map(|(_, e)| e.len() + 1).sum();
    let wanted = total.div_ceil(target_bytes.max(1)).max(1);
    let count = u32::try_from(wanted)
        .unwrap_or(MAX_SHARDS)
        .next_power_of_two()
        .min(MAX_SHARDS);
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

    #[test]
    fn varints_take_five_bits_per_character() {
        let encode = |v| {
            let mut s = String::new();
            push_varint(&mut s, v);
            s
        };
        assert_eq!(encode(0), "A");
        assert_eq!(encode(31), "f");
        // 32 = 0 + 1×32: digit 0 with the continuation bit ('g'), then 1 ('B').
        assert_eq!(encode(32), "gB");
        assert_eq!(encode(1500), "8uB");
        assert_eq!(encode(u32::MAX).len(), 7);
    }

    #[test]
    fn entries_delta_code_ordinals() {
        let p = |doc, weight| Posting { doc, weight };
        let term = Term {
            term: "公开".into(),
            index: 7,
            postings: [
                vec![p(3, 1500)],
                vec![],
                vec![],
                vec![p(0, 10), p(3, 20), p(9, 30)],
            ],
        };
        assert_eq!(entry(&term), r#"["公开",7,"D8uB","","","AKDUGe"]"#);
    }

    #[test]
    fn shard_count_is_a_power_of_two_sized_to_the_target() {
        let index = Index::build(&[[vec!["a".into(), "b".into()], vec![], vec![], vec![]]]);
        assert_eq!(shard_files(index.clone(), 1 << 20).len(), 1);
        let files = shard_files(index, 1);
        assert!(files.len().is_power_of_two() && files.len() >= 2);
        let all: Vec<u8> = files.concat();
        assert!(all.windows(3).any(|w| w == b"\"a\""));
    }
}
