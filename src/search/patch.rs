//! A rebuild after a few documents changed: the earlier build's shards patched, not the index
//! built again from every document's terms (issue 19).
//!
//! The shards hold raw term frequencies and field lengths, never a weight that depends on the
//! whole corpus (`shards.rs`), so a document's terms reach only the entries of those terms,
//! and each entry can be read back ([`shards::decode_term`]). Given what the earlier build was
//! made of — its [`State`]: each document's terms key, field lengths and title length, and the
//! hash and length of every term, position and length shard — a build whose documents keep
//! their ordinals (no document added, removed or re-dated) finds the documents whose terms key
//! changed, reads their terms of before and of now, and rewrites the entries of exactly those
//! terms in exactly their shards. Every other shard is the earlier build's file, compressed
//! already. The length chunks, the document store and the facets are made whole, as before:
//! they cost little and read no terms.
//!
//! The result is the same bytes as a build from nothing (the tests build both and compare).
//! Whenever it cannot be — the ordinals moved, an earlier entry or shard is gone from the
//! cache or does not read back, the shard counts would change — [`patch`] gives up and the
//! caller builds the index whole.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use rayon::prelude::*;

use super::lunr::{DocPositions, DocTokens, NFIELDS, Posting, Stats, Term, cmp_utf16};
use super::shards::{self, count_for, decode_term, entries_of, shard_of};
use super::{Memo, Options, Pending, SearchDoc, SearchFile, ShardSet};

/// The folders of the term, position and length shards, in [`Shape::shards`] order.
pub(super) const SHARD_KINDS: [&str; 3] = ["t", "p", "l"];

/// One shard file as the next build finds it: the BLAKE3 hash of its bytes before compression
/// (its compressed entry's key in the cache) and their length (the shard counts depend on it),
/// and, once written, the hash and length of the compressed file (so that a patch can tell an
/// output that holds it without reading it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShardRef {
    pub hash: [u8; 32],
    pub len: u64,
    pub gz: Option<([u8; 32], u64)>,
}

impl ShardRef {
    pub(super) fn of(bytes: &[u8]) -> ShardRef {
        ShardRef {
            hash: *blake3::hash(bytes).as_bytes(),
            len: bytes.len() as u64,
            gz: None,
        }
    }

    /// Whether `other` is the same bytes before compression.
    fn same_raw(&self, other: &ShardRef) -> bool {
        self.hash == other.hash && self.len == other.len
    }
}

/// What a build's shards were made of, by ordinal.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Shape {
    /// Each document's field lengths in terms.
    pub lengths: Vec<[u32; NFIELDS]>,
    /// Each document's title length in positions.
    pub titles: Vec<u32>,
    /// The term, position and length shards ([`SHARD_KINDS`]), by number.
    pub shards: [Vec<ShardRef>; 3],
}

/// A build's [`Shape`] with each document's terms key (`memo.rs`), as the cache keeps it for
/// the next build.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct State {
    pub keys: Vec<[u8; 32]>,
    pub shape: Shape,
}

const MAGIC: &[u8; 8] = b"GZSTATE2";

impl State {
    /// `MAGIC`, the document count, per document its key, field lengths and title length, then
    /// per kind the shard count and per shard its hash and length; little-endian.
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.keys.len() * 52);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        for ((key, lengths), title) in self
            .keys
            .iter()
            .zip(&self.shape.lengths)
            .zip(&self.shape.titles)
        {
            out.extend_from_slice(key);
            for n in lengths.iter().chain([title]) {
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
        for kind in &self.shape.shards {
            out.extend_from_slice(&(kind.len() as u64).to_le_bytes());
            for shard in kind {
                out.extend_from_slice(&shard.hash);
                out.extend_from_slice(&shard.len.to_le_bytes());
                let (gz, gz_len) = shard.gz.unwrap_or(([0; 32], u64::MAX));
                out.extend_from_slice(&gz);
                out.extend_from_slice(&gz_len.to_le_bytes());
            }
        }
        out
    }

    /// [`State::encode`] read back; `None` if the bytes are not such a state.
    pub(super) fn decode(bytes: &[u8]) -> Option<State> {
        let mut rest = bytes.strip_prefix(MAGIC)?;
        let mut take = |n: usize| -> Option<&[u8]> {
            let (head, tail) = rest.split_at_checked(n)?;
            rest = tail;
            Some(head)
        };
        fn u32_at(b: &[u8], i: usize) -> u32 {
            u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
        }
        let count = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
        let mut keys = Vec::with_capacity(count.min(bytes.len() / 52));
        let mut lengths = Vec::with_capacity(keys.capacity());
        let mut titles = Vec::with_capacity(keys.capacity());
        for _ in 0..count {
            keys.push(take(32)?.try_into().ok()?);
            let numbers = take(4 * (NFIELDS + 1))?;
            lengths.push(std::array::from_fn(|f| u32_at(numbers, f)));
            titles.push(u32_at(numbers, NFIELDS));
        }
        let mut shards: [Vec<ShardRef>; 3] = Default::default();
        for kind in &mut shards {
            let n = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
            for _ in 0..n.min(bytes.len() / 80 + 1) {
                let hash = take(32)?.try_into().ok()?;
                let len = u64::from_le_bytes(take(8)?.try_into().ok()?);
                let gz: [u8; 32] = take(32)?.try_into().ok()?;
                let gz_len = u64::from_le_bytes(take(8)?.try_into().ok()?);
                let gz = (gz_len != u64::MAX).then_some((gz, gz_len));
                kind.push(ShardRef { hash, len, gz });
            }
            (kind.len() == n).then_some(())?;
        }
        rest.is_empty().then_some(State {
            keys,
            shape: Shape {
                lengths,
                titles,
                shards,
            },
        })
    }
}

/// What patching reads of the earlier build and keeps for the next, through the build cache
/// (`memo.rs`).
pub(super) trait Earlier: Memo {
    /// The terms of a document whose terms key was `key`, as an earlier build kept them.
    fn kept_terms(&self, key: &[u8; 32]) -> Option<(DocTokens, DocPositions)>;
    /// The terms of `doc`, whose terms key is `key`, kept for the next build.
    fn terms(&self, doc: &SearchDoc, key: &[u8; 32]) -> (DocTokens, DocPositions);
    /// Keeps the terms of an unchanged document for the next build; `false` if they are gone.
    fn keep_terms(&self, key: &[u8; 32]) -> bool;
    /// The compressed file whose bytes before compression have the BLAKE3 hash `hash`.
    fn compressed(&self, hash: &[u8; 32]) -> Option<Vec<u8>>;
}

/// The changed documents' postings of one term now: each one's ordinal and, per field, the
/// term's positions there (none where the document no longer has the term).
type Fresh = Vec<(u32, [Vec<u32>; NFIELDS])>;

/// A shard's changed entries: each term's new entry, or `None` where no document has it now.
type Changes = Vec<(String, Option<String>)>;

/// Patching costs some work per changed document and per shard it touches; past this share of
/// the archive changed, building the index whole is as quick.
const MOST_CHANGED: usize = 8;

/// The search files of `docs` (in ordinal order, each with its terms key in `keys`) patched from
/// the earlier build `before`, with the state of this one; `None` where the index must be built
/// whole (see the module comment). `options` is the layout, as the earlier build's.
pub(super) fn patch(
    docs: &[SearchDoc],
    keys: &[[u8; 32]],
    before: &State,
    options: &Options,
    earlier: &dyn Earlier,
) -> Option<(Vec<SearchFile>, State)> {
    let shape = &before.shape;
    let n = docs.len();
    let same_size = [
        before.keys.len(),
        keys.len(),
        shape.lengths.len(),
        shape.titles.len(),
    ]
    .iter()
    .all(|&len| len == n)
        && shape.shards[0].len() == shape.shards[2].len()
        && shape.shards.iter().all(|kind| !kind.is_empty());
    if !same_size {
        return None;
    }
    let changed: Vec<u32> = (0..n as u32)
        .filter(|&o| keys[o as usize] != before.keys[o as usize])
        .collect();
    if changed.len() * MOST_CHANGED > n.max(MOST_CHANGED) {
        return None;
    }
    for (key, old) in keys.iter().zip(&before.keys) {
        if key == old {
            earlier.keep_terms(key).then_some(())?;
        }
    }
    let edit = Edit::of(docs, keys, before, &changed, earlier)?;
    let counts = shape.shards.each_ref().map(|k| k.len() as u32);
    let mut read = read_touched(&edit.fresh, counts, shape, earlier)?;
    let rewritten = rewrite_terms(&edit, &changed, counts, &read)?;

    // The touched shards again, and whether the counts still hold.
    let mut refs = shape.shards.clone();
    let mut raw: [HashMap<u32, Vec<u8>>; 3] = Default::default();
    for kind in 0..3 {
        raw[kind] = std::mem::take(&mut read[kind])
            .into_par_iter()
            .map(|(n, shard)| {
                let changes = rewritten[kind].get(&n).map(Vec::as_slice).unwrap_or(&[]);
                (n, shard.rewrite(changes))
            })
            .collect();
        for (&n, bytes) in &raw[kind] {
            refs[kind][n as usize] = ShardRef::of(bytes);
        }
    }
    // `shards::cut` writes `[`, the entries with a comma between, `]`: a shard of `len` bytes
    // holds entries of `len - 1` bytes with one separator each, an empty one (`[]`) none.
    let total = |kind: &[ShardRef]| -> usize {
        kind.iter()
            .map(|s| if s.len > 2 { s.len as usize - 1 } else { 0 })
            .sum()
    };
    let target = options.target_shard_bytes;
    let counts_hold = count_for(total(&refs[0]), target) == counts[0]
        && count_for(total(&refs[1]), target.saturating_mul(2)) == counts[1];
    if !counts_hold {
        return None;
    }

    // The files: the rewritten shards, the others as compressed before.
    let mut files = Vec::new();
    for (kind, name) in SHARD_KINDS.iter().enumerate() {
        let refs = &refs[kind];
        let mut slots: Vec<Option<Vec<u8>>> = vec![None; refs.len()];
        for (n, bytes) in std::mem::take(&mut raw[kind]) {
            slots[n as usize] = Some(bytes);
        }
        let mut kind_files: Vec<(String, Pending)> = slots
            .into_par_iter()
            .enumerate()
            .map(|(n, slot)| {
                let file = match slot {
                    Some(bytes) => Pending::Raw(bytes, Some(refs[n].hash)),
                    // Read only if the output does not hold it already (`assemble`).
                    None if refs[n].gz.is_some() => Pending::Known(refs[n]),
                    None => Pending::Gz(earlier.compressed(&refs[n].hash)?),
                };
                Some((format!("{name}/{n}.json.gz"), file))
            })
            .collect::<Option<_>>()?;
        files.append(&mut kind_files);
    }
    let Edit {
        lengths, titles, ..
    } = edit;
    for (n, bytes) in shards::length_chunks(&lengths, options.length_chunk)
        .into_iter()
        .enumerate()
    {
        files.push((format!("n/{n}.json.gz"), Pending::Raw(bytes, None)));
    }
    let set = ShardSet {
        files,
        counts: refs.each_ref().map(Vec::len),
        stats: Stats::of(&lengths),
    };
    let files = super::assemble_docs(set, docs, options, earlier)?;
    let state = State {
        keys: keys.to_vec(),
        shape: Shape {
            lengths,
            titles,
            shards: refs,
        },
    };
    Some((files, state))
}

/// What the changed documents change: their field and title lengths now, and every term they
/// had or have with their postings of it now.
struct Edit {
    lengths: Vec<[u32; NFIELDS]>,
    titles: Vec<u32>,
    /// In term order (Rust's: only the set matters).
    fresh: Vec<(String, Fresh)>,
}

impl Edit {
    /// The edit of the `changed` ordinals of `docs` since `before`: the terms whose entries
    /// change, each with the changed documents' postings of it now.
    ///
    /// A term's entries say of each document holding it: its ordinal, its positions in each
    /// field (so its frequencies), the lengths of its fields but the body, its title's length
    /// in positions, and the class of its body's length (`shards.rs`). When none of those
    /// lengths and not the class changed, a term the document has at the same positions as
    /// before has the same entries: only the terms whose positions changed are rewritten (a
    /// sentence added at the end of a body changes the entries of its own few terms, not of
    /// the thousands before it). Otherwise every term the document had or has is.
    fn of(
        docs: &[SearchDoc],
        keys: &[[u8; 32]],
        before: &State,
        changed: &[u32],
        earlier: &dyn Earlier,
    ) -> Option<Edit> {
        let mut lengths = before.shape.lengths.clone();
        let mut titles = before.shape.titles.clone();
        // Each changed document's terms now; then the terms whose entries change.
        let mut terms_now: Vec<(u32, DocTokens, DocPositions)> = Vec::with_capacity(changed.len());
        let mut touched: std::collections::BTreeSet<String> = Default::default();
        for &o in changed {
            let o = o as usize;
            let (old_tokens, old_positions) = earlier.kept_terms(&before.keys[o])?;
            let (tokens, positions) = earlier.terms(&docs[o], &keys[o]);
            lengths[o] = std::array::from_fn(|f| tokens[f].len() as u32);
            titles[o] = super::tokenize::positioned_len(&docs[o].title);
            let was = &before.shape.lengths[o];
            let same_lengths = (0..NFIELDS - 1).all(|f| lengths[o][f] == was[f])
                && titles[o] == before.shape.titles[o]
                && shards::length_class(lengths[o][NFIELDS - 1])
                    == shards::length_class(was[NFIELDS - 1]);
            let old = by_term(&old_tokens, &old_positions);
            let now = by_term(&tokens, &positions);
            for term in old.keys().chain(now.keys()) {
                if !same_lengths || old.get(term) != now.get(term) {
                    touched.insert((*term).to_string());
                }
            }
            terms_now.push((o as u32, tokens, positions));
        }
        // A touched term's entries lose every changed document's postings and get its postings
        // now: those of a changed document whose positions of it did not change too.
        let mut fresh: BTreeMap<String, Fresh> =
            touched.into_iter().map(|t| (t, Fresh::new())).collect();
        for (o, tokens, positions) in &terms_now {
            for (term, at) in by_term(tokens, positions) {
                if let Some(postings) = fresh.get_mut(term) {
                    postings.push((*o, at));
                }
            }
        }
        Some(Edit {
            lengths,
            titles,
            fresh: fresh.into_iter().collect(),
        })
    }
}

/// A document's terms with, per field, the positions of each, ascending.
fn by_term<'t>(
    tokens: &'t DocTokens,
    positions: &DocPositions,
) -> HashMap<&'t str, [Vec<u32>; NFIELDS]> {
    let mut by_term: HashMap<&str, [Vec<u32>; NFIELDS]> = HashMap::new();
    for (field, (tokens, positions)) in tokens.iter().zip(positions).enumerate() {
        for (term, &at) in tokens.iter().zip(positions) {
            by_term.entry(term.as_str()).or_default()[field].push(at);
        }
    }
    for at in by_term.values_mut() {
        at.iter_mut().for_each(|p| p.sort_unstable());
    }
    by_term
}

/// The term, position and length shards ([`SHARD_KINDS`]) that `fresh` terms live in, read
/// back by number; `counts` are the shards of each kind.
fn read_touched(
    fresh: &[(String, Fresh)],
    counts: [u32; 3],
    shape: &Shape,
    earlier: &dyn Earlier,
) -> Option<[HashMap<u32, ShardText>; 3]> {
    let mut read: [HashMap<u32, ShardText>; 3] = Default::default();
    for (kind, shards) in read.iter_mut().enumerate() {
        let mut numbers: Vec<u32> = fresh
            .iter()
            .map(|(term, _)| shard_of(term, counts[kind]))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        *shards = numbers
            .par_iter()
            .map(|&n| Some((n, read_shard(&shape.shards[kind][n as usize], earlier)?)))
            .collect::<Option<_>>()?;
    }
    Some(read)
}

/// Each term of the edit with its entries rewritten: read back from `read`, rid of the
/// `changed` documents, given their new postings and encoded again (or dropped, when no
/// document has the term any more); by kind, by shard number.
fn rewrite_terms(
    edit: &Edit,
    changed: &[u32],
    counts: [u32; 3],
    read: &[HashMap<u32, ShardText>; 3],
) -> Option<[HashMap<u32, Changes>; 3]> {
    let entries: Vec<(&String, [Option<String>; 3])> = edit
        .fresh
        .par_iter()
        .map(|(term, postings)| {
            let numbers = counts.map(|count| shard_of(term, count));
            let [e, pe, le] =
                std::array::from_fn(|kind| read[kind].get(&numbers[kind])?.entry(term));
            let mut decoded = match (e, pe) {
                (Some(e), Some(pe)) => decode_term(&e?, &pe?)?,
                (None, None) => Term {
                    term: term.clone(),
                    index: 0,
                    postings: Default::default(),
                    positions: Default::default(),
                },
                _ => return None,
            };
            // Every term of the index has a length entry, and only those.
            (le.is_some() == decoded.postings.iter().any(|p| !p.is_empty())).then_some(())?;
            merge(&mut decoded, changed, postings);
            let encoded = decoded
                .postings
                .iter()
                .any(|p| !p.is_empty())
                .then(|| entries_of(&decoded, &edit.lengths, &edit.titles));
            Some((term, encoded.map_or([None, None, None], |e| e.map(Some))))
        })
        .collect::<Option<_>>()?;
    let mut rewritten: [HashMap<u32, Changes>; 3] = Default::default();
    for (term, texts) in entries {
        for (kind, text) in texts.into_iter().enumerate() {
            rewritten[kind]
                .entry(shard_of(term, counts[kind]))
                .or_default()
                .push((term.clone(), text));
        }
    }
    Some(rewritten)
}

/// The shard `shard` refers to, from its compressed file; `None` if the file is gone, is not
/// what the hash says, or is not a shard.
fn read_shard(shard: &ShardRef, earlier: &dyn Earlier) -> Option<ShardText> {
    let gz = earlier.compressed(&shard.hash)?;
    let mut raw = Vec::with_capacity(shard.len as usize);
    flate2::read::GzDecoder::new(&gz[..])
        .take(shard.len + 1)
        .read_to_end(&mut raw)
        .ok()?;
    ShardRef::of(&raw).same_raw(shard).then_some(())?;
    ShardText::parse(raw)
}

/// A shard's bytes before compression, and where each of its entries lies in them with its
/// term. Only the entries a patch changes are parsed whole: a shard an edit touches holds a
/// hundred or so others, kept as they are.
struct ShardText {
    raw: Vec<u8>,
    entries: Vec<(std::ops::Range<usize>, String)>,
}

impl ShardText {
    /// `raw` cut into entries as `shards::cut` joined them: `[`, entries with a comma between,
    /// `]`, each entry a JSON array whose first element is the term and whose others are strings
    /// of `shards::VARINT_ALPHABET` (so the first `]` past the term ends the entry). `None` if
    /// `raw` is not such a shard.
    fn parse(raw: Vec<u8>) -> Option<ShardText> {
        let (first, last) = (raw.first()?, raw.last()?);
        (raw.len() >= 2 && *first == b'[' && *last == b']').then_some(())?;
        let end = raw.len() - 1;
        let mut entries: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let mut at = 1usize;
        while at < end {
            if !entries.is_empty() {
                (raw[at] == b',').then_some(())?;
                at += 1;
            }
            (raw.get(at..at + 2)? == b"[\"").then_some(())?;
            let mut quote = at + 2;
            loop {
                match raw.get(quote)? {
                    b'\\' => quote += 2,
                    b'"' => break,
                    _ => quote += 1,
                }
            }
            let term: String = serde_json::from_slice(raw.get(at + 1..=quote)?).ok()?;
            let close = quote + raw.get(quote..end)?.iter().position(|&b| b == b']')?;
            entries.push((at..close + 1, term));
            at = close + 1;
        }
        Some(ShardText { raw, entries })
    }

    /// The entry of `term`, parsed: `None` if the shard has none, `Some(None)` if it does not
    /// parse.
    fn entry(&self, term: &str) -> Option<Option<Vec<String>>> {
        let i = self
            .entries
            .binary_search_by(|(_, t)| cmp_utf16(t, term))
            .ok()?;
        let entry: Option<Vec<String>> =
            serde_json::from_slice(&self.raw[self.entries[i].0.clone()]).ok();
        Some(entry.filter(|e| e.first().is_some_and(|t| t == term)))
    }

    /// The shard with `changes` made (a term's new entry, or `None` to drop it), in term order,
    /// as `shards::cut` writes it.
    fn rewrite(&self, changes: &[(String, Option<String>)]) -> Vec<u8> {
        let changed: HashMap<&str, &Option<String>> =
            changes.iter().map(|(t, e)| (t.as_str(), e)).collect();
        let mut texts: Vec<(&str, &[u8])> = self
            .entries
            .iter()
            .filter(|(_, term)| !changed.contains_key(term.as_str()))
            .map(|(range, term)| (term.as_str(), &self.raw[range.clone()]))
            .collect();
        texts.extend(
            changes
                .iter()
                .filter_map(|(t, e)| Some((t.as_str(), e.as_ref()?.as_bytes()))),
        );
        texts.sort_by(|a, b| cmp_utf16(a.0, b.0));
        let mut out = Vec::with_capacity(self.raw.len() + 64);
        out.push(b'[');
        for (i, (_, text)) in texts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(text);
        }
        out.push(b']');
        out
    }
}

/// `term` without the postings of the `changed` documents (ascending) and with their
/// `postings` now (per document, per field, the term's positions there), each field's postings
/// in ascending ordinal with their positions in step. A field neither had nor gets a changed
/// document is left as it is: the term's postings elsewhere run to thousands.
fn merge(term: &mut Term, changed: &[u32], postings: &Fresh) {
    let is_changed = |doc: u32| changed.binary_search(&doc).is_ok();
    for field in 0..NFIELDS {
        let mut added: Vec<(u32, &[u32])> = postings
            .iter()
            .filter(|(_, at)| !at[field].is_empty())
            .map(|(doc, at)| (*doc, at[field].as_slice()))
            .collect();
        if added.is_empty() && !term.postings[field].iter().any(|p| is_changed(p.doc)) {
            continue;
        }
        added.sort_unstable_by_key(|(doc, _)| *doc);
        let before = std::mem::take(&mut term.postings[field]);
        let before_at = std::mem::take(&mut term.positions[field]);
        let (postings, positions) = (&mut term.postings[field], &mut term.positions[field]);
        postings.reserve(before.len() + added.len());
        positions.reserve(before_at.len());
        let mut added = added.into_iter().peekable();
        let mut push = |doc: u32, at: &[u32]| {
            postings.push(Posting {
                doc,
                tf: at.len() as u32,
            });
            positions.extend_from_slice(at);
        };
        let mut from = 0usize;
        for p in &before {
            let at = &before_at[from..from + p.tf as usize];
            from += p.tf as usize;
            while let Some((doc, at)) = added.next_if(|(doc, _)| *doc < p.doc) {
                push(doc, at);
            }
            if !is_changed(p.doc) {
                push(p.doc, at);
            }
        }
        for (doc, at) in added {
            push(doc, at);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Mutex;

    use super::*;

    /// The earlier builds' terms and compressed files, kept in memory as the build cache keeps
    /// them on disk.
    #[derive(Default)]
    struct Kept {
        terms: Mutex<HashMap<[u8; 32], (DocTokens, DocPositions)>>,
        gz: Mutex<HashMap<[u8; 32], Vec<u8>>>,
        /// Forgotten compressed files, to see a patch give up.
        lost: Mutex<HashSet<[u8; 32]>>,
    }

    impl Memo for Kept {
        fn gzip(&self, raw: &[u8]) -> Vec<u8> {
            self.gzip_hashed(raw, blake3::hash(raw).as_bytes())
        }
        fn gzip_hashed(&self, raw: &[u8], hash: &[u8; 32]) -> Vec<u8> {
            let gz = super::super::gzip(raw);
            self.gz.lock().unwrap().insert(*hash, gz.clone());
            gz
        }
    }

    impl Earlier for Kept {
        fn kept_terms(&self, key: &[u8; 32]) -> Option<(DocTokens, DocPositions)> {
            self.terms.lock().unwrap().get(key).cloned()
        }
        fn terms(&self, doc: &SearchDoc, key: &[u8; 32]) -> (DocTokens, DocPositions) {
            let terms = super::super::doc_terms(doc);
            self.terms.lock().unwrap().insert(*key, terms.clone());
            terms
        }
        fn keep_terms(&self, key: &[u8; 32]) -> bool {
            self.terms.lock().unwrap().contains_key(key)
        }
        fn compressed(&self, hash: &[u8; 32]) -> Option<Vec<u8>> {
            if self.lost.lock().unwrap().contains(hash) {
                return None;
            }
            self.gz.lock().unwrap().get(hash).cloned()
        }
    }

    /// A document's terms key: its indexed text, hashed (`memo.rs` keys it the same way).
    fn key(doc: &SearchDoc) -> [u8; 32] {
        let text = format!(
            "{}\u{1}{:?}\u{1}{}\u{1}{:?}\u{1}{}",
            doc.title,
            doc.doc_number,
            doc.issuers.join("\u{2}"),
            doc.summary,
            doc.body
        );
        *blake3::hash(text.as_bytes()).as_bytes()
    }

    /// Small shards, so that sixty short documents fill dozens of them.
    fn options() -> Options {
        Options {
            target_shard_bytes: 256,
            ..Options::default()
        }
    }

    /// Sixty documents in ordinal order, with words shared by many and words of one only.
    fn archive() -> Vec<SearchDoc> {
        let mut docs: Vec<SearchDoc> = (0..60)
            .map(|n| SearchDoc {
                id: format!("d{n:02}"),
                title: format!("关于第{n}批政务公开工作的通知"),
                doc_number: (n % 3 == 0).then(|| format!("洛政办〔2020〕{n}号")),
                issuers: vec![["洛阳市人民政府", "市财政局", "市生态环境局"][n % 3].into()],
                body: format!(
                    "推进政务公开第{n}条。{}环境保护和财政资金管理。独有词{}。",
                    "规范性文件".repeat(n % 4),
                    ["甲", "乙", "丙", "丁", "戊"][n % 5]
                ),
                summary: (n % 7 == 0).then(|| "本通知摘要".to_string()),
                source: None,
                published: format!("2020-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
                year: 2020,
                status: "in_force".into(),
                status_label: "现行有效".into(),
                kind: "normative".into(),
                kind_label: "规范性文件".into(),
                url: format!("/documents/d{n:02}/"),
            })
            .collect();
        docs.sort_by(super::super::by_ordinal);
        docs
    }

    /// The state a build of `docs` leaves, with its terms and compressed files kept in `kept`.
    fn built(docs: &[SearchDoc], kept: &Kept) -> State {
        for doc in docs {
            kept.terms(doc, &key(doc));
        }
        let (_, shape) = super::super::build_shaped(docs.to_vec(), &options(), kept, true);
        State {
            keys: docs.iter().map(key).collect(),
            shape: shape.expect("asked for"),
        }
    }

    /// `after` patched from a build of `before`, with the state it leaves.
    fn patched(before: &[SearchDoc], after: &[SearchDoc]) -> Option<(Vec<SearchFile>, State)> {
        let kept = Kept::default();
        let state = built(before, &kept);
        let keys: Vec<[u8; 32]> = after.iter().map(key).collect();
        patch(after, &keys, &state, &options(), &kept)
    }

    /// What a build from nothing writes for `docs`, and the state it leaves.
    fn whole(docs: &[SearchDoc]) -> (Vec<SearchFile>, State) {
        let kept = Kept::default();
        let state = built(docs, &kept);
        let files = super::super::build_shaped(docs.to_vec(), &options(), &kept, false).0;
        (files, state)
    }

    #[test]
    fn patched_shards_are_the_bytes_a_whole_build_writes() {
        let base = archive();
        type Edit = (&'static str, fn(&mut Vec<SearchDoc>));
        let edits: [Edit; 11] = [
            ("a sentence added to a body", |d| {
                d[10].body.push_str("本规定自发布之日起施行。")
            }),
            (
                "a body emptied, its one-off word gone from the index",
                |d| d[3].body.clear(),
            ),
            ("a word no document had", |d| {
                d[20].body.push_str("鲲鹏𠀀𠀁")
            }),
            ("a title, longer", |d| {
                d[0].title = "关于进一步做好政务公开和政府信息公开工作的通知".into()
            }),
            ("the 文号 and the issuers", |d| {
                d[5].doc_number = Some("洛政〔2021〕1号".into());
                d[5].issuers = vec!["洛阳市人民政府".into(), "市司法局".into()];
            }),
            ("a summary added", |d| {
                d[7].summary = Some("新增摘要内容".into())
            }),
            ("the first and the last documents", |d| {
                d[0].body.push_str("环境");
                let last = d.len() - 1;
                d[last].body = "财政资金".into();
            }),
            (
                "a word replaced by one as long in the middle of a body",
                |d| d[13].body = d[13].body.replacen("环境", "生态", 1),
            ),
            ("a sentence put before a whole body", |d| {
                d[14].body.insert_str(0, "为贯彻落实有关要求。")
            }),
            (
                "two documents: a shared word moved in one, left where it was in the other",
                |d| {
                    d[11].body.push_str("政务公开");
                    d[12].body.push_str("鲲鹏");
                },
            ),
            ("seven documents at once", |d| {
                for n in [1, 9, 17, 25, 33, 41, 49] {
                    d[n].body = format!("{}政务公开", d[n].body.len());
                }
            }),
        ];
        for (what, edit) in edits {
            let mut after = base.clone();
            edit(&mut after);
            let (files, state) = patched(&base, &after).unwrap_or_else(|| panic!("{what}"));
            let (expected, expected_state) = whole(&after);
            assert_eq!(files, expected, "{what}");
            assert_eq!(state, expected_state, "{what}");
        }
    }

    #[test]
    fn nothing_changed_patches_nothing_and_changes_nothing() {
        let base = archive();
        let (files, state) = patched(&base, &base).unwrap();
        assert_eq!((files, state), whole(&base));
    }

    #[test]
    fn a_patch_gives_up_where_it_could_not_write_what_a_whole_build_would() {
        let base = archive();
        // The shard counts would change: a body as long as the rest of the archive.
        let mut grown = base.clone();
        grown[4].body = (0..3000).map(|n| format!("第{n}条")).collect();
        assert!(patched(&base, &grown).is_none(), "counts");
        // Too much changed for a patch to pay.
        let mut most = base.clone();
        most.iter_mut().take(20).for_each(|d| d.body.push('改'));
        assert!(patched(&base, &most).is_none(), "most");
        // A shard the edit touches is gone from the cache.
        let kept = Kept::default();
        let state = built(&base, &kept);
        let mut after = base.clone();
        after[2].body.push_str("政务");
        kept.lost
            .lock()
            .unwrap()
            .extend(state.shape.shards[0].iter().map(|s| s.hash));
        let keys: Vec<[u8; 32]> = after.iter().map(key).collect();
        assert!(
            patch(&after, &keys, &state, &options(), &kept).is_none(),
            "lost"
        );
        // The edited document's terms of before are gone.
        let kept = Kept::default();
        let state = built(&base, &kept);
        kept.terms.lock().unwrap().remove(&key(&base[2]));
        assert!(
            patch(&after, &keys, &state, &options(), &kept).is_none(),
            "terms"
        );
    }

    #[test]
    fn a_state_reads_back_as_written_and_nothing_else_reads_as_one() {
        let (_, state) = whole(&archive());
        let bytes = state.encode();
        assert_eq!(State::decode(&bytes), Some(state));
        assert_eq!(State::decode(&bytes[..bytes.len() - 1]), None);
        assert_eq!(State::decode(&[bytes.as_slice(), b"x"].concat()), None);
        assert_eq!(State::decode(b"GZSTATE1"), None);
        assert_eq!(State::decode(b""), None);
    }

    #[test]
    fn a_shard_splits_into_its_entries_whatever_its_terms_hold() {
        // In term order, as every shard is.
        let terms = ["]x", "a\"b]", "c\\d", "政务", "𠀀𠀁"];
        let entries: Vec<String> = terms
            .iter()
            .map(|t| serde_json::to_string(&[*t, "AB", "", "C_-9"]).unwrap())
            .collect();
        let raw = format!("[{}]", entries.join(","));
        let shard = ShardText::parse(raw.clone().into_bytes()).unwrap();
        let found: Vec<&str> = shard.entries.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(found, terms);
        assert_eq!(
            shard.rewrite(&[]),
            raw.as_bytes(),
            "unchanged, byte for byte"
        );
        let expected: Vec<String> = ["]x", "AB", "", "C_-9"].map(String::from).to_vec();
        assert_eq!(shard.entry("]x"), Some(Some(expected)));
        assert_eq!(shard.entry("none"), None);
        // A changed entry, a dropped one, a new one in its place in term order.
        let changed = shard.rewrite(&[
            ("政务".into(), Some(r#"["政务","Z"]"#.into())),
            ("]x".into(), None),
            ("b".into(), Some(r#"["b","Y"]"#.into())),
        ]);
        let texts: Vec<Vec<String>> = serde_json::from_slice(&changed).unwrap();
        let order: Vec<&str> = texts.iter().map(|e| e[0].as_str()).collect();
        assert_eq!(order, ["a\"b]", "b", "c\\d", "政务", "𠀀𠀁"]);
        assert_eq!(shard.entry("b"), None, "the shard as it was");
        assert_eq!(texts[3], ["政务", "Z"]);
        assert_eq!(ShardText::parse(b"[]".to_vec()).unwrap().entries.len(), 0);
        for bad in [
            "",
            "[",
            "]",
            "[x]",
            r#"[["a""#,
            r#"[["a","B"]"#,
            r#"[["a"]["b"]]"#,
        ] {
            assert!(ShardText::parse(bad.as_bytes().to_vec()).is_none(), "{bad}");
        }
    }

    #[test]
    fn every_entry_of_an_index_reads_back_as_its_term() {
        let docs = archive();
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        let titles = super::super::title_lengths(&refs);
        let index = super::super::build_index(&refs);
        for term in &index.terms {
            let [entry, positions, _] = entries_of(term, &index.lengths, &titles);
            let entry: Vec<String> = serde_json::from_str(&entry).unwrap();
            let positions: Vec<String> = serde_json::from_str(&positions).unwrap();
            let back = decode_term(&entry, &positions).unwrap();
            assert_eq!(back.postings, term.postings, "{}", term.term);
            assert_eq!(back.positions, term.positions, "{}", term.term);
        }
        // Not a term's entries: another term's positions, a digit cut off, a stray character.
        let [a, b] = [&index.terms[0], &index.terms[1]];
        let parse = |s: String| -> Vec<String> { serde_json::from_str(&s).unwrap() };
        let [ea, pa, _] = entries_of(a, &index.lengths, &titles).map(parse);
        let [_, pb, _] = entries_of(b, &index.lengths, &titles).map(parse);
        assert!(decode_term(&ea, &pb).is_none());
        let mut cut = ea.clone();
        cut[4].pop();
        assert!(decode_term(&cut, &pa).is_none());
        let mut stray = ea.clone();
        stray[4].push('!');
        assert!(decode_term(&stray, &pa).is_none());
    }
}
