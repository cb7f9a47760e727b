//! lunr.js 2.3.9's index model computed in Rust: postings and BM25 field vectors, plus the
//! serialized form that `lunr.Index.load` reads.
//!
//! The arithmetic copies `lib/builder.js` and `lib/idf.js` operation for operation (same order of
//! floating-point operations, same rounding to thousandths), so that the weights equal what
//! `lunr.Builder` computes from the same tokens; `tests/js/search-index.test.mjs` checks it.
//! Two lunr facts shape the types: a document's fields are scored separately (a field vector per
//! `field/ref`), and the inverse document frequency counts a document once per field it has the
//! term in. Weights are kept as integer thousandths, which is exactly what lunr's rounding leaves.

use std::cmp::Ordering;
use std::collections::HashMap;

use rayon::prelude::*;

/// A searchable field and its build-time boost.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub boost: f64,
}

/// The indexed fields, in lunr's field order. The title weighs most, then the 发文字号.
pub const FIELDS: [Field; 4] = [
    Field {
        name: "title",
        boost: 10.0,
    },
    Field {
        name: "doc_number",
        boost: 5.0,
    },
    Field {
        name: "issuer",
        boost: 2.0,
    },
    Field {
        name: "body",
        boost: 1.0,
    },
];

/// The field count, for per-field arrays.
pub const NFIELDS: usize = FIELDS.len();

/// lunr's BM25 parameters (its defaults).
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The version that the serialized index declares (`lunr.Index.load` warns on a mismatch).
pub const LUNR_VERSION: &str = "2.3.9";

/// The terms of one document, per field in [`FIELDS`] order, repeats kept.
pub type DocTokens = [Vec<super::Term>; NFIELDS];

/// The position of each of a document's terms (`tokenize.rs`), per field, as in [`DocTokens`].
pub type DocPositions = [Vec<u32>; NFIELDS];

/// One document that has a term in a field. Its BM25 weight there is not kept: it depends on
/// corpus-wide statistics (the document count, the average field length), so the shards ship
/// the raw term frequency and the browser weighs it ([`Index::weight`] is the same arithmetic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The document's ordinal (its position in the build's document order).
    pub doc: u32,
    /// The term frequency: how many of the term's positions belong to this posting.
    pub tf: u32,
}

/// A term of the index with its postings per field.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub term: String,
    /// lunr's `_index`: the term's dimension in every field vector.
    pub index: u32,
    /// Per field, the documents with the term, in ascending ordinal.
    pub postings: [Vec<Posting>; NFIELDS],
    /// Per field, the term's positions in each posting's document, ascending, one posting after
    /// the other (`tf` each).
    pub positions: [Vec<u32>; NFIELDS],
}

/// The whole index: terms sorted in JavaScript string order, `index` = position.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub terms: Vec<Term>,
    pub doc_count: usize,
    /// Each document's field lengths (its term count per field), by ordinal: lunr's
    /// `fieldLengths`.
    pub lengths: Vec<[u32; NFIELDS]>,
}

/// JavaScript's string order (UTF-16 code units), which `lunr.Index.load` requires of terms.
/// It differs from Rust's `str` order for characters outside the Basic Multilingual Plane.
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    // Past the common prefix, the first differing characters decide; UTF-8 bytes order them by
    // code point, which agrees with UTF-16 except for a character beyond U+FFFF (a surrogate pair,
    // D800–DFFF) against one in U+E000–U+FFFF, so compare their first code units instead.
    let same = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let start = (0..=same)
        .rev()
        .find(|&i| a.is_char_boundary(i))
        .unwrap_or(0);
    let units = |c: char| {
        let mut buf = [0u16; 2];
        let u = c.encode_utf16(&mut buf);
        (u[0], u.get(1).copied().unwrap_or(0))
    };
    match (a[start..].chars().next(), b[start..].chars().next()) {
        (Some(x), Some(y)) => units(x).cmp(&units(y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

/// FxHash (rustc's hasher): the index build looks a term up for every token, and SipHash's
/// protection against crafted keys is not needed for a site's own documents.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// lunr's `lunr.idf`: `ln(1 + |(N − n + 0.5) / (n + 0.5)|)`.
pub fn idf(documents_with_term: usize, document_count: usize) -> f64 {
    let x = (document_count as f64 - documents_with_term as f64 + 0.5)
        / (documents_with_term as f64 + 0.5);
    (1.0 + x.abs()).ln()
}

/// lunr's `createFieldVectors` weight, rounded to thousandths and returned ×1000.
pub fn weight(idf: f64, tf: u32, field_length: u32, average_length: f64, boost: f64) -> u32 {
    let tf = f64::from(tf);
    let denominator = K1 * (1.0 - B + B * (f64::from(field_length) / average_length)) + tf;
    let mut score = idf * ((K1 + 1.0) * tf) / denominator;
    score *= boost;
    // JavaScript's Math.round and Rust's round agree for the positive scores BM25 gives.
    (score * 1000.0).round() as u32
}

/// The term table is split into this many parts by a hash of the term, so that the parts
/// take a batch of documents side by side: at 100 000 documents, filling one table in document
/// order took 24 s on one core while the other waited.
const PARTS: usize = 16;
// A document's terms are sorted into parts by a `u8` part number.
const _: () = assert!(PARTS <= 256);

/// One document's terms, split by the part of the term table each belongs to
/// ([`IndexBuilder::add_batch`]). Made where the document is tokenized, in parallel.
///
/// All in one vector, grouped by part and, within a part, by field (a counting sort): one
/// allocation per document, where a vector per part and field made 64 that grew term by term.
#[cfg_attr(test, derive(Debug, PartialEq))]
pub struct SplitTokens {
    tokens: Vec<super::Term>,
    /// The position of each of `tokens`.
    positions: Vec<u32>,
    /// Where each (part, field) group starts in `tokens`, in that order, and the end.
    starts: Vec<u32>,
    lengths: [u32; NFIELDS],
}

impl SplitTokens {
    pub fn new(mut tokens: DocTokens, positions: DocPositions) -> SplitTokens {
        let lengths: [u32; NFIELDS] = std::array::from_fn(|f| tokens[f].len() as u32);
        let parts: Vec<Vec<u8>> = tokens
            .iter()
            .map(|terms| terms.iter().map(|t| part_of(t.as_bytes()) as u8).collect())
            .collect();
        SplitTokens::sorted(
            lengths,
            |f, i| parts[f][i],
            |f, i| (std::mem::take(&mut tokens[f][i]), positions[f][i]),
        )
    }

    /// [`SplitTokens::new`] for a document given as its distinct terms and, per field, each
    /// token as the number of its term (as the build cache keeps it, `memo.rs`): each term's
    /// part is found once, not once per occurrence, and no token is built twice. `None` when a
    /// number names no term or a field's positions do not match its tokens.
    pub fn from_numbers(
        distinct: &[super::Term],
        numbers: &[Vec<u32>; NFIELDS],
        positions: DocPositions,
    ) -> Option<SplitTokens> {
        let valid = numbers.iter().zip(&positions).all(|(numbers, positions)| {
            positions.len() == numbers.len()
                && numbers.iter().all(|&n| (n as usize) < distinct.len())
        });
        if !valid {
            return None;
        }
        let parts: Vec<u8> = distinct
            .iter()
            .map(|t| part_of(t.as_bytes()) as u8)
            .collect();
        let lengths: [u32; NFIELDS] = std::array::from_fn(|f| numbers[f].len() as u32);
        Some(SplitTokens::sorted(
            lengths,
            |f, i| parts[numbers[f][i] as usize],
            |f, i| (distinct[numbers[f][i] as usize].clone(), positions[f][i]),
        ))
    }

    /// The counting sort both constructors share: `lengths[f]` tokens in field `f`, token `i`
    /// of field `f` in part `part(f, i)`, its term and position given by `take(f, i)` (once).
    fn sorted(
        lengths: [u32; NFIELDS],
        part: impl Fn(usize, usize) -> u8,
        mut take: impl FnMut(usize, usize) -> (super::Term, u32),
    ) -> SplitTokens {
        let group = |f: usize, i: usize| usize::from(part(f, i)) * NFIELDS + f;
        let mut starts = vec![0u32; PARTS * NFIELDS + 1];
        for (f, &n) in lengths.iter().enumerate() {
            for i in 0..n as usize {
                starts[group(f, i) + 1] += 1;
            }
        }
        for g in 1..starts.len() {
            starts[g] += starts[g - 1];
        }
        let mut next = starts.clone();
        let total = starts[PARTS * NFIELDS] as usize;
        let mut tokens: Vec<super::Term> = vec![super::Term::default(); total];
        let mut positions = vec![0u32; total];
        for (f, &n) in lengths.iter().enumerate() {
            for i in 0..n as usize {
                let at = &mut next[group(f, i)];
                (tokens[*at as usize], positions[*at as usize]) = take(f, i);
                *at += 1;
            }
        }
        SplitTokens {
            tokens,
            positions,
            starts,
            lengths,
        }
    }

    /// The terms of `field` that go to part `part`, and their positions.
    fn group(&self, part: usize, field: usize) -> (&[super::Term], &[u32]) {
        let g = part * NFIELDS + field;
        let range = self.starts[g] as usize..self.starts[g + 1] as usize;
        (&self.tokens[range.clone()], &self.positions[range])
    }
}

/// The part of the term table `term` goes to.
fn part_of(term: &[u8]) -> usize {
    let mut h = FxHasher::default();
    std::hash::Hasher::write(&mut h, term);
    // The high bits: FxHash's low bits are poor for short keys.
    (std::hash::Hasher::finish(&h) >> 32) as usize % PARTS
}

/// Accumulates documents in order (ordinal = order added), so that a large archive's tokens
/// need not all be in memory at once.
pub struct IndexBuilder {
    parts: Vec<Part>,
    lengths: Vec<[u32; NFIELDS]>,
}

/// One part of the term table: its terms (by id, the position in `raw`), and per term and
/// field the (ordinal, term frequency) pairs in ascending ordinal with their positions.
#[derive(Default)]
struct Part {
    ids: FxMap<super::Term, usize>,
    raw: Vec<Postings>,
    scratch: Vec<(usize, u32)>,
}

/// A term's (ordinal, term frequency) pairs, per field, and their positions one after the other.
type Postings = ([Vec<(u32, u32)>; NFIELDS], [Vec<u32>; NFIELDS]);

impl Default for IndexBuilder {
    fn default() -> Self {
        IndexBuilder {
            parts: (0..PARTS).map(|_| Part::default()).collect(),
            lengths: Vec::new(),
        }
    }
}

impl Part {
    fn add(&mut self, ordinal: u32, doc: &SplitTokens, part: usize) {
        for field in 0..NFIELDS {
            let (tokens, positions) = doc.group(part, field);
            self.scratch.clear();
            for (token, &position) in tokens.iter().zip(positions) {
                let id = match self.ids.get(token) {
                    Some(&id) => id,
                    None => {
                        self.raw.push(Default::default());
                        self.ids.insert(token.clone(), self.raw.len() - 1);
                        self.raw.len() - 1
                    }
                };
                self.scratch.push((id, position));
            }
            // Term frequencies: runs of equal ids once sorted (cheaper than a map per field),
            // each run's positions ascending.
            self.scratch.sort_unstable();
            for run in self.scratch.chunk_by(|a, b| a.0 == b.0) {
                let (postings, positions) = &mut self.raw[run[0].0];
                postings[field].push((ordinal, run.len() as u32));
                positions[field].extend(run.iter().map(|&(_, at)| at));
            }
        }
    }
}

impl IndexBuilder {
    /// Adds the next documents, the parts of the term table side by side.
    pub fn add_batch(&mut self, docs: &[SplitTokens]) {
        let first = self.lengths.len() as u32;
        self.parts.par_iter_mut().enumerate().for_each(|(p, part)| {
            for (i, doc) in docs.iter().enumerate() {
                part.add(first + i as u32, doc, p);
            }
        });
        self.lengths.extend(docs.iter().map(|d| d.lengths));
    }

    /// The index of the documents added.
    pub fn finish(self) -> Index {
        let IndexBuilder { parts, lengths } = self;
        // The term table whole, in lunr's term order: sorted in parallel, for this was the
        // index's one-core tail at 100 000 documents.
        let terms = parts.iter().map(|p| p.raw.len()).sum();
        let mut table: Vec<(String, Postings)> = Vec::with_capacity(terms);
        for part in parts {
            let mut names = vec![String::new(); part.raw.len()];
            for (term, id) in part.ids {
                names[id] = term.to_string();
            }
            table.extend(names.into_iter().zip(part.raw));
        }
        // Terms are unique: an unstable sort is deterministic.
        table.par_sort_unstable_by(|a, b| cmp_utf16(&a.0, &b.0));
        let terms = table
            .into_par_iter()
            .enumerate()
            .map(|(index, (term, (fields, positions)))| {
                // Documents were added in ordinal order: each list is ascending already.
                debug_assert!(fields.iter().all(|l| l.is_sorted()));
                let postings = std::array::from_fn(|field| {
                    fields[field]
                        .iter()
                        .map(|&(doc, tf)| Posting { doc, tf })
                        .collect()
                });
                Term {
                    term,
                    index: index as u32,
                    postings,
                    positions,
                }
            })
            .collect();
        Index {
            terms,
            doc_count: lengths.len(),
            lengths,
        }
    }
}

/// What lunr's scores need of the whole corpus: the document count and the total length of
/// each field (the average is `total / count`, as `lunr.Builder` computes it). `meta.json`
/// states them; the shards hold only each posting's term frequency and field length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub doc_count: usize,
    pub total_lengths: [u64; NFIELDS],
}

impl Stats {
    /// The statistics of documents whose field lengths are `lengths`.
    pub fn of(lengths: &[[u32; NFIELDS]]) -> Stats {
        Stats {
            doc_count: lengths.len(),
            total_lengths: std::array::from_fn(|f| lengths.iter().map(|l| u64::from(l[f])).sum()),
        }
    }

    /// lunr's `averageFieldLength`: integers summed exactly, then one division.
    pub fn average(&self, field: usize) -> f64 {
        self.total_lengths[field] as f64 / self.doc_count as f64
    }
}

impl Index {
    /// The corpus statistics of this index.
    pub fn stats(&self) -> Stats {
        Stats::of(&self.lengths)
    }

    /// Each posting's lunr weight in thousandths, per field, as `lunr.Builder` computes it
    /// (the browser does the same from the shards and `meta.json`).
    pub fn weights(&self, term: &Term, stats: &Stats) -> [Vec<u32>; NFIELDS] {
        // lunr counts a document once per field it has the term in.
        let df = term.postings.iter().map(Vec::len).sum();
        let idf = idf(df, stats.doc_count);
        std::array::from_fn(|field| {
            let average = stats.average(field);
            term.postings[field]
                .iter()
                .map(|p| {
                    let length = self.lengths[p.doc as usize][field];
                    weight(idf, p.tf, length, average, FIELDS[field].boost)
                })
                .collect()
        })
    }

    /// Builds the index of documents given as tokens; the slice position is the ordinal, a
    /// token's index in its field its position.
    pub fn build(docs: &[DocTokens]) -> Index {
        Index::build_positioned(docs.iter().map(|tokens| {
            let positions = std::array::from_fn(|f| (0..tokens[f].len() as u32).collect());
            (tokens.clone(), positions)
        }))
    }

    /// Builds the index of documents given as tokens with their positions, in ordinal order.
    pub fn build_positioned(docs: impl Iterator<Item = (DocTokens, DocPositions)>) -> Index {
        let mut builder = IndexBuilder::default();
        let split: Vec<SplitTokens> = docs
            .map(|(tokens, positions)| SplitTokens::new(tokens, positions))
            .collect();
        builder.add_batch(&split);
        builder.finish()
    }

    /// The index serialized as `lunr.Index#toJSON` would, with `refs[ordinal]` as the refs.
    /// Postings list documents in ordinal order, so ties rank alike here and in the shards.
    pub fn to_lunr_json(&self, refs: &[String]) -> String {
        let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let stats = self.stats();
        let mut vectors: Vec<[Vec<(u32, u32)>; NFIELDS]> = vec![Default::default(); refs.len()];
        for term in &self.terms {
            let weights = self.weights(term, &stats);
            for (field, postings) in term.postings.iter().enumerate() {
                for (p, &w) in postings.iter().zip(&weights[field]) {
                    vectors[p.doc as usize][field].push((term.index, w));
                }
            }
        }
        let mut out = String::new();
        out.push_str(&format!(
            "{{\"version\":{},\"fields\":[",
            json(LUNR_VERSION)
        ));
        let names: Vec<String> = FIELDS.iter().map(|f| json(f.name)).collect();
        out.push_str(&names.join(","));
        out.push_str("],\"fieldVectors\":[");
        let mut first = true;
        for (ordinal, fields) in vectors.iter().enumerate() {
            for (field, entries) in fields.iter().enumerate() {
                if !std::mem::take(&mut first) {
                    out.push(',');
                }
                let key = format!("{}/{}", FIELDS[field].name, refs[ordinal]);
                let elements: Vec<String> = entries
                    .iter()
                    .map(|&(index, w)| format!("{index},{}", thousandths(w)))
                    .collect();
                out.push_str(&format!("[{},[{}]]", json(&key), elements.join(",")));
            }
        }
        out.push_str("],\"invertedIndex\":[");
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "[{},{{\"_index\":{}",
                json(&term.term),
                term.index
            ));
            for (field, postings) in term.postings.iter().enumerate() {
                let docs: Vec<String> = postings
                    .iter()
                    .map(|p| format!("{}:{{}}", json(&refs[p.doc as usize])))
                    .collect();
                out.push_str(&format!(
                    ",{}:{{{}}}",
                    json(FIELDS[field].name),
                    docs.join(",")
                ));
            }
            out.push_str("}]");
        }
        out.push_str("],\"pipeline\":[]}");
        out
    }
}

/// `w / 1000` as JSON, the shortest text that JavaScript parses back to the same double.
pub fn thousandths(w: u32) -> String {
    serde_json::to_string(&(f64::from(w) / 1000.0)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &[&str], body: &[&str]) -> DocTokens {
        let v = |t: &[&str]| t.iter().map(|s| super::super::Term::from(*s)).collect();
        [v(title), vec![], vec![], v(body)]
    }

    #[test]
    fn utf16_order_matches_code_unit_comparison() {
        let words = [
            "", "a", "ab", "b", "政", "政务", "政a", "𠀀", "𠀀a", "𠀁", "！", "\u{E000}",
            "\u{FFFF}", "z𠀀", "z！",
        ];
        for a in words {
            for b in words {
                let expected = a.encode_utf16().cmp(b.encode_utf16());
                assert_eq!(cmp_utf16(a, b), expected, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn utf16_order_puts_astral_characters_before_high_bmp_ones() {
        // U+20000 is D840 DC00 in UTF-16, below U+FF01; in UTF-8 it sorts above.
        assert_eq!(cmp_utf16("𠀀", "！"), Ordering::Less);
        assert_eq!("𠀀".cmp("！"), Ordering::Greater);
        let docs = [doc(&["𠀀𠀁", "！"], &["a"])];
        let index = Index::build(&docs);
        let terms: Vec<&str> = index.terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["a", "𠀀𠀁", "！"]);
        assert!(
            index
                .terms
                .iter()
                .enumerate()
                .all(|(i, t)| t.index == i as u32)
        );
    }

    #[test]
    fn weights_follow_lunr_bm25() {
        let docs = [
            doc(&["政务", "公开"], &["政务", "政务", "公开"]),
            doc(&["通知"], &["公开"]),
        ];
        let index = Index::build(&docs);
        let term = index.terms.iter().find(|t| t.term == "政务").unwrap();
        let weights = index.weights(term, &index.stats());
        // df = 2 (title and body of doc 0), N = 2: idf = ln(1 + |0.5/2.5|).
        let idf = (1.0f64 + 0.2).ln();
        // body: tf 2, length 3, average 2.
        let body = idf * (2.2 * 2.0) / (1.2 * (0.25 + 0.75 * 1.5) + 2.0);
        assert_eq!(term.postings[3], [Posting { doc: 0, tf: 2 }]);
        assert_eq!(weights[3], [(body * 1000.0).round() as u32]);
        // title: tf 1, length 2, average 1.5, boost 10.
        let title = idf * 2.2 / (1.2 * (0.25 + 0.75 * (2.0 / 1.5)) + 1.0) * 10.0;
        assert_eq!(weights[0], [(title * 1000.0).round() as u32]);
        assert_eq!(index.lengths, [[2, 0, 0, 3], [1, 0, 0, 1]]);
    }

    #[test]
    fn positions_follow_their_postings() {
        let docs = [doc(&["a", "b", "a"], &[]), doc(&["a"], &["a"])];
        let index = Index::build(&docs);
        let a = index.terms.iter().find(|t| t.term == "a").unwrap();
        let title: Vec<(u32, u32)> = a.postings[0].iter().map(|p| (p.doc, p.tf)).collect();
        assert_eq!(title, [(0, 2), (1, 1)]);
        assert_eq!(a.positions[0], [0, 2, 0]);
        assert_eq!(a.positions[3], [0]);
    }

    #[test]
    fn serializes_what_lunr_loads() {
        let docs = [doc(&["a"], &["b", "a"])];
        let json = Index::build(&docs).to_lunr_json(&["d1".to_string()]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["fieldVectors"][0][0], "title/d1");
        assert_eq!(value["invertedIndex"][0][0], "a");
        assert_eq!(
            value["invertedIndex"][0][1]["body"]["d1"],
            serde_json::json!({})
        );
        assert_eq!(value["invertedIndex"][1][1]["title"], serde_json::json!({}));
        assert_eq!(thousandths(1234), "1.234");
        assert_eq!(thousandths(2000), "2.0");
    }
}
