//! The search files of a site build, memoised in the build cache at four grains, so that a
//! rebuild does only the work its changes call for (issue 19):
//!
//! - **the whole set** (kind `search`), keyed by everything the index reads of every document:
//!   a rebuild where no indexed text or label changed reads each file back and computes nothing;
//! - **the shards of the last build** (kind `search-state`, one entry per order of the
//!   documents): what they were made of, so that a rebuild where some documents' text changed
//!   but none was added, removed or re-dated patches the entries of those documents' terms in
//!   those terms' shards and takes every other shard as it was (`patch.rs`);
//! - **each document's terms** (kind `search-terms`, packed), keyed by the text it indexes
//!   (title, 文号, issuers, summary, body): an edit tokenizes only the edited document again,
//!   and a patch reads the edited document's terms of before;
//! - **each compressed file** (kind `search-gz`, packed), keyed by the hash of its bytes before
//!   compression: since the shards hold raw term frequencies and field lengths, not weights that
//!   depend on the whole corpus (`shards.rs`), an edit changes only the shards of the terms the
//!   edited document has or had, and only those are compressed again.
//!
//! When the documents' order changed, the index is built whole from every document's terms
//! (read back from the cache where they are known).

use foldhash::{HashMap, HashMapExt};
use std::sync::Mutex;

use rayon::prelude::*;

use super::Term;
use super::lunr::{DocPositions, DocTokens, FxMap, NFIELDS, SplitTokens};
use super::patch::{self, Earlier, State};
use super::{Memo, Options, Output, SearchDoc, SearchFile, Texts};
use crate::cache::{Cache, Key, Kind};

const WHOLE: Kind = Kind::SearchIndex;
const STATE: Kind = Kind::SearchState;
const TERMS: Kind = Kind::SearchTerms;
const GZ: Kind = Kind::SearchGz;

/// The search files of `docs`, taken from the cache where an earlier build made them. The same
/// files as [`super::build_search_files_owned`].
/// A document handed over unread ([`super::BodySource`]) is asked of `texts` only if its terms
/// or snippet are not in the cache.
///
/// A compressed file that `out` already holds, unchanged since the last build, is neither read
/// from the cache nor hashed: it comes back [`SearchFile::held`].
pub fn search_files(
    mut docs: Vec<SearchDoc>,
    cache: &Cache,
    texts: &dyn Texts,
    out: &dyn Output,
) -> Vec<SearchFile> {
    if !cache.enabled() {
        docs.par_iter_mut().for_each(|d| fill(d, texts));
        return super::build_search_files_owned(docs);
    }
    // In ordinal order, as the state of the last build is.
    docs.sort_by(super::by_ordinal);
    // Each document's terms key once, in parallel: the whole set's key is made of them (it
    // walked every body again, on one thread), and each document's lookup uses its own.
    let keys: Vec<Key> = docs.par_iter().map(terms_key).collect();
    let whole = whole_key(&docs, &keys);
    if let Some(files) = cache
        .get(WHOLE, &whole)
        .and_then(|b| unpack(&b, cache, out))
    {
        return files;
    }
    let by_id: HashMap<String, Key> = docs
        .iter()
        .map(|d| d.id.clone())
        .zip(keys.iter().copied())
        .collect();
    let chunks: Vec<Key> = {
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        let by_id: HashMap<&str, &Key> = docs.iter().map(|d| d.id.as_str()).zip(&keys).collect();
        refs.par_chunks(Options::default().doc_chunk.max(1))
            .map(|part| chunk_key(part, |d| by_id.get(d.id.as_str()).map(|k| **k)))
            .collect()
    };
    let memo = CacheMemo {
        cache,
        compressed: Mutex::new(HashMap::new()),
        // Two documents with one id (never in a checked site): each computes its own key.
        keys: (by_id.len() == docs.len()).then_some(by_id),
        texts,
        out,
    };
    let order = order_key(&docs);
    let keys: Vec<[u8; 32]> = keys.iter().map(|k| *k.as_bytes()).collect();
    let before = cache.get(STATE, &order);
    if before.is_none() {
        // A state is of use only to a build of the same documents in the same order: the
        // states of other orders (every added document makes one) would only pile up.
        cache.clear(STATE);
    }
    let patched = before
        .and_then(|bytes| State::decode(&bytes))
        .and_then(|before| patch::patch(&docs, &keys, &before, &Options::default(), &memo));
    let (files, mut state) = match patched {
        Some((files, state)) => (files, Some(state)),
        None => {
            let (files, shape) = super::build_shaped(docs, &Options::default(), &memo, true);
            (files, shape.map(|shape| State { keys, shape }))
        }
    };
    if let Some(state) = &mut state {
        note_compressed(&mut state.shape.shards, &files);
    }
    let compressed = memo
        .compressed
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    note_chunks(cache, &chunks, &files, &compressed);
    cache.put_with(WHOLE, &whole, |out| pack(&files, &compressed, out));
    if let Some(state) = state {
        cache.put(STATE, &order, &state.encode());
    }
    files
}

/// The files under `search/<layout>/`, by their path there (`t/3.json.gz`).
fn in_layout(files: &[SearchFile]) -> HashMap<&str, &SearchFile> {
    files
        .iter()
        .filter_map(|f| {
            let rest = f.path.strip_prefix("search/")?;
            Some((&rest[rest.find('/')? + 1..], f))
        })
        .collect()
}

/// Notes in `shards` the hash and length of each shard's compressed file in `files`, for the
/// next build to know them without reading them.
fn note_compressed(shards: &mut [Vec<patch::ShardRef>; 3], files: &[SearchFile]) {
    let by_path = in_layout(files);
    for (name, refs) in patch::SHARD_KINDS.iter().zip(shards.iter_mut()) {
        for (n, shard) in refs.iter_mut().enumerate() {
            shard.gz = by_path
                .get(format!("{name}/{n}.json.gz").as_str())
                .map(|f| (f.hash, f.held.unwrap_or(f.bytes.len() as u64)));
        }
    }
}

/// The key of a document store chunk: everything its records are made of (`docstore.rs`), with
/// each document's terms key standing for its snippet (which the summary and body make).
/// `terms` gives a document's terms key when it was made before.
fn chunk_key(part: &[&SearchDoc], terms: impl Fn(&SearchDoc) -> Option<Key>) -> Key {
    let mut key = Key::builder();
    key.part(b"search-chunk").part(&super::FORMAT.to_le_bytes());
    for d in part {
        let terms = terms(d).unwrap_or_else(|| terms_key(d));
        key.part(terms.as_bytes())
            .part(d.id.as_bytes())
            .part(d.title.as_bytes())
            .part(d.doc_number.as_deref().unwrap_or("\u{0}").as_bytes())
            .part(&(d.issuers.len() as u64).to_le_bytes());
        for issuer in &d.issuers {
            key.part(issuer.as_bytes());
        }
        key.part(d.published.as_bytes())
            .part(d.status.as_bytes())
            .part(d.kind.as_bytes())
            .part(d.url.as_bytes());
    }
    key.finish()
}

/// Keeps, under each document store chunk's key (`chunks`, by chunk number), the hashes of the
/// file `files` has for it, for the next build to know it without making it: the hash of its
/// bytes before compression (from `compressed`), and the hash and length of the file.
fn note_chunks(
    cache: &Cache,
    chunks: &[Key],
    files: &[SearchFile],
    compressed: &HashMap<[u8; 32], [u8; 32]>,
) {
    let by_path = in_layout(files);
    chunks.par_iter().enumerate().for_each(|(n, key)| {
        let Some(file) = by_path.get(format!("d/{n}.json.gz").as_str()) else {
            return;
        };
        if file.held.is_some() || cache.keep_packed(TERMS, key) {
            return;
        }
        if let Some(raw) = compressed.get(&file.hash) {
            let len = (file.bytes.len() as u64).to_le_bytes();
            cache.put_packed(TERMS, key, &[raw, &file.hash, &len]);
        }
    });
}

/// What decides each document's ordinal, in ordinal order: their ids (the state of a build is
/// by ordinal, and patching keeps every ordinal).
fn order_key(docs: &[SearchDoc]) -> Key {
    let mut key = Key::builder();
    key.part(b"search-state").part(&super::FORMAT.to_le_bytes());
    for d in docs {
        key.part(d.id.as_bytes());
    }
    key.finish()
}

/// Everything the search files are made of, per document: its terms key (`keys`, in the order
/// of `docs`: title, 文号, issuers, summary and the indexed part of the body), whatever of the
/// body lies beyond the indexed part (the snippet is cut from the whole body), and the fields
/// the document store, the facets and the order read.
fn whole_key(docs: &[SearchDoc], keys: &[Key]) -> Key {
    let mut key = Key::builder();
    // `2`: the record names each compressed file's hash and length (`pack`).
    key.part(b"search 2").part(&super::FORMAT.to_le_bytes());
    for (d, terms) in docs.iter().zip(keys) {
        // A body keyed by its source is whole in the terms key.
        let rest = match d.source {
            Some(_) => "",
            None => &d.body[super::indexed_part(&d.body).len()..],
        };
        key.part(terms.as_bytes()).part(rest.as_bytes());
        let fields: [&str; 7] = [
            &d.id,
            &d.published,
            &d.status,
            &d.status_label,
            &d.kind,
            &d.kind_label,
            &d.url,
        ];
        for field in fields {
            key.part(field.as_bytes());
        }
    }
    key.finish()
}

/// The text of `doc` that its terms are made of: its fields, and its body's text or, when
/// known, what that text is made from (so that an unread body is keyed as a read one).
fn terms_key(doc: &SearchDoc) -> Key {
    let mut key = Key::builder();
    key.part(b"search-terms").part(&super::FORMAT.to_le_bytes());
    key.part(doc.title.as_bytes())
        .part(doc.doc_number.as_deref().unwrap_or("\u{0}").as_bytes())
        .part(doc.issuers.join("\u{1}").as_bytes())
        .part(doc.summary.as_deref().unwrap_or("\u{0}").as_bytes());
    match &doc.source {
        Some(source) => key.part(b"source").part(&source.key),
        None => key
            .part(b"text")
            .part(super::indexed_part(&doc.body).as_bytes()),
    };
    key.finish()
}

/// The entry of a document's snippet source, by its terms key (which covers the body and the
/// summary, all a snippet is made of). Kept with the terms: one per document as well.
fn snippet_key(terms: &Key) -> Key {
    Key::of(&[b"search-snippet", terms.as_bytes()])
}

/// Reads the body of `doc` if it was handed over unread.
fn fill(doc: &mut SearchDoc, texts: &dyn Texts) {
    if let Some(source) = &mut doc.source
        && source.unread
    {
        doc.body = texts.text(source.at);
        source.unread = false;
    }
}

/// `doc` with its body read, if it was handed over unread.
fn filled<'d>(doc: &'d SearchDoc, texts: &dyn Texts) -> std::borrow::Cow<'d, SearchDoc> {
    match doc.source {
        Some(source) if source.unread => {
            let mut doc = doc.clone();
            fill(&mut doc, texts);
            std::borrow::Cow::Owned(doc)
        }
        _ => std::borrow::Cow::Borrowed(doc),
    }
}

/// The entry of a compressed file, by the hash of its bytes before compression.
fn gz_key(raw_hash: &[u8; 32]) -> Key {
    Key::of(&[b"search-gz", raw_hash])
}

/// [`Memo`] through the build cache; remembers which entry each compressed file is, for the
/// whole set's entry.
struct CacheMemo<'a> {
    cache: &'a Cache,
    /// The hash of a compressed file → the hash of its bytes before compression.
    compressed: Mutex<HashMap<[u8; 32], [u8; 32]>>,
    /// Each document's [`terms_key`], by id, made before.
    keys: Option<HashMap<String, Key>>,
    /// Where the text of a document handed over unread is.
    texts: &'a dyn Texts,
    /// What the output already holds.
    out: &'a dyn Output,
}

impl CacheMemo<'_> {
    fn terms_key(&self, doc: &SearchDoc) -> Key {
        let known = self.keys.as_ref().and_then(|k| k.get(&doc.id)).copied();
        known.unwrap_or_else(|| terms_key(doc))
    }
}

impl Memo for CacheMemo<'_> {
    fn tokens(&self, doc: &SearchDoc) -> SplitTokens {
        let key = self.terms_key(doc);
        if let Some(tokens) = self
            .cache
            .get_packed(TERMS, &key)
            .and_then(|b| decode_split(&b))
        {
            return tokens;
        }
        let (tokens, positions) = super::doc_terms(&filled(doc, self.texts));
        let bytes = encode(&tokens, &positions);
        self.cache.put_packed(TERMS, &key, &[&bytes]);
        // Moving the tokens into place is cheaper than cloning them from the numbering (at
        // 10 000 documents, where the tables no longer fit in the processor's caches).
        SplitTokens::new(tokens, positions)
    }

    fn gzip(&self, raw: &[u8]) -> Vec<u8> {
        self.gzip_hashed(raw, blake3::hash(raw).as_bytes())
    }

    fn holds(&self, path: &str, len: u64, hash: &[u8; 32], raw: &[u8; 32]) -> bool {
        // Its entry is kept for a build whose output does not hold it, and named in the whole
        // set's record.
        self.out.holds(path, len, hash) && self.cache.keep_packed(GZ, &gz_key(raw)) && {
            self.compressed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(*hash, *raw);
            true
        }
    }

    fn fetch(&self, raw: &[u8; 32]) -> Option<Vec<u8>> {
        self.compressed(raw)
    }

    /// Only for an output that may hold it: otherwise the chunk is made, not fetched.
    fn known_chunk(&self, part: &[&SearchDoc]) -> Option<([u8; 32], [u8; 32], u64)> {
        if !self.out.holds_any() {
            return None;
        }
        let key = chunk_key(part, |d| Some(self.terms_key(d)));
        let bytes = self.cache.get_packed(TERMS, &key)?;
        let (raw, rest) = bytes.split_first_chunk::<32>()?;
        let (gz, len) = rest.split_first_chunk::<32>()?;
        Some((*raw, *gz, u64::from_le_bytes(len.try_into().ok()?)))
    }

    /// Kept with the terms for a document keyed by its source: one unread comes from there.
    fn snippet(&self, doc: &SearchDoc) -> String {
        if doc.source.is_none() {
            return super::docstore::snippet(doc);
        }
        let key = snippet_key(&self.terms_key(doc));
        if doc.source.is_some_and(|s| s.unread)
            && let Some(snippet) = self
                .cache
                .get_packed(TERMS, &key)
                .and_then(|b| String::from_utf8(b).ok())
        {
            return snippet;
        }
        let snippet = super::docstore::snippet(&filled(doc, self.texts));
        if !self.cache.keep_packed(TERMS, &key) {
            self.cache.put_packed(TERMS, &key, &[snippet.as_bytes()]);
        }
        snippet
    }

    fn gzip_hashed(&self, raw: &[u8], raw_hash: &[u8; 32]) -> Vec<u8> {
        let raw_hash = *raw_hash;
        let key = gz_key(&raw_hash);
        let bytes = self.cache.get_packed(GZ, &key).unwrap_or_else(|| {
            let bytes = super::gzip(raw);
            self.cache.put_packed(GZ, &key, &[&bytes]);
            bytes
        });
        self.compressed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(*blake3::hash(&bytes).as_bytes(), raw_hash);
        bytes
    }
}

impl Earlier for CacheMemo<'_> {
    fn kept_terms(&self, key: &[u8; 32]) -> Option<(DocTokens, DocPositions)> {
        let bytes = self.cache.get_packed(TERMS, &Key::from_bytes(*key))?;
        decode(&bytes)
    }

    fn terms(&self, doc: &SearchDoc, key: &[u8; 32]) -> (DocTokens, DocPositions) {
        if let Some(terms) = self.kept_terms(key) {
            return terms;
        }
        let (tokens, positions) = super::doc_terms(&filled(doc, self.texts));
        let bytes = encode(&tokens, &positions);
        self.cache
            .put_packed(TERMS, &Key::from_bytes(*key), &[&bytes]);
        (tokens, positions)
    }

    fn keep_terms(&self, key: &[u8; 32]) -> bool {
        self.cache.keep_packed(TERMS, &Key::from_bytes(*key))
    }

    fn compressed(&self, raw_hash: &[u8; 32]) -> Option<Vec<u8>> {
        let bytes = self.cache.get_packed(GZ, &gz_key(raw_hash))?;
        self.compressed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(*blake3::hash(&bytes).as_bytes(), *raw_hash);
        Some(bytes)
    }
}

/// A document's terms as bytes: its distinct terms, then per field the term numbers, then per
/// field the positions, each a difference from the one before (zigzag, in case a field's
/// positions ever go back). Numbers are LEB128 varints: a term number or a position step is
/// nearly always one byte, where fixed `u32`s made the entries of 10 000 documents 187 MB,
/// written on every clean build and read on every incremental one.
fn encode(tokens: &DocTokens, positions: &DocPositions) -> Vec<u8> {
    // One table per thread, emptied for each document: a table per document, sized for all
    // its tokens, was allocated and zeroed again each time and mostly empty (a document repeats
    // most of its terms). FxHash: one lookup per token of every document (SipHash was 3 % of a
    // clean build).
    thread_local! {
        static IDS: std::cell::RefCell<FxMap<Term, u32>> = std::cell::RefCell::new(FxMap::default());
    }
    let mut distinct: Vec<(usize, usize)> = Vec::new();
    let mut numbers: [Vec<u32>; NFIELDS] = Default::default();
    IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        ids.clear();
        for (f, field) in tokens.iter().enumerate() {
            numbers[f].reserve_exact(field.len());
            for (i, term) in field.iter().enumerate() {
                let next = distinct.len() as u32;
                let id = *ids.entry(term.clone()).or_insert_with(|| {
                    distinct.push((f, i));
                    next
                });
                numbers[f].push(id);
            }
        }
        // A hostile body's table is not kept for the next document.
        if ids.len() > 1 << 16 {
            *ids = FxMap::default();
        }
    });
    let mut out = Vec::new();
    push_varint(&mut out, distinct.len() as u64);
    for &(f, i) in &distinct {
        let term = tokens[f][i].as_bytes();
        push_varint(&mut out, term.len() as u64);
        out.extend_from_slice(term);
    }
    for field in &numbers {
        push_varint(&mut out, field.len() as u64);
        for &n in field {
            push_varint(&mut out, u64::from(n));
        }
    }
    for field in positions {
        let mut previous = 0i64;
        for &p in field {
            let step = i64::from(p) - previous;
            previous = i64::from(p);
            push_varint(&mut out, ((step << 1) ^ (step >> 63)) as u64);
        }
    }
    out
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The varint at `at` (moved past it); `None` past the end or beyond `u32`.
fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

/// The parts of an [`encode`]d entry: the distinct terms, per field the term numbers, per field
/// the positions; `None` if the bytes are not such an entry.
type Parts = (Vec<Term>, [Vec<u32>; NFIELDS], DocPositions);

fn decode_parts(bytes: &[u8]) -> Option<Parts> {
    let mut at = 0usize;
    let number = |at: &mut usize| -> Option<u32> { u32::try_from(read_varint(bytes, at)?).ok() };
    let count = number(&mut at)? as usize;
    let mut distinct = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        let len = number(&mut at)? as usize;
        let text = std::str::from_utf8(bytes.get(at..at.checked_add(len)?)?).ok()?;
        distinct.push(Term::from(text));
        at += len;
    }
    let mut numbers: [Vec<u32>; NFIELDS] = Default::default();
    for field in numbers.iter_mut() {
        let len = number(&mut at)? as usize;
        field.reserve(len.min(bytes.len()));
        for _ in 0..len {
            let n = number(&mut at)?;
            (n < count as u32).then_some(())?;
            field.push(n);
        }
    }
    let mut positions: DocPositions = Default::default();
    for (f, field) in positions.iter_mut().enumerate() {
        let len = numbers[f].len();
        field.reserve(len);
        let mut previous = 0i64;
        for _ in 0..len {
            let z = read_varint(bytes, &mut at)?;
            let step = (z >> 1) as i64 ^ -((z & 1) as i64);
            previous = previous.checked_add(step)?;
            field.push(u32::try_from(previous).ok()?);
        }
    }
    (at == bytes.len()).then_some((distinct, numbers, positions))
}

/// An [`encode`]d entry read back straight into the index builder's form (each term's part
/// found once: splitting a rebuild's 10 000 read-back documents token by token was 8 % of it).
fn decode_split(bytes: &[u8]) -> Option<SplitTokens> {
    let (distinct, numbers, positions) = decode_parts(bytes)?;
    SplitTokens::from_numbers(&distinct, &numbers, positions)
}

/// [`encode`] read back; `None` if the bytes are not such an entry.
fn decode(bytes: &[u8]) -> Option<(DocTokens, DocPositions)> {
    let (distinct, numbers, positions) = decode_parts(bytes)?;
    let tokens = numbers.map(|field| {
        field
            .into_iter()
            .map(|n| distinct[n as usize].clone())
            .collect()
    });
    Some((tokens, positions))
}

/// The whole set's entry: per file its path, then either its bytes (the manifest) or the key of
/// its compressed entry (`[u64 length, path, u8 0, u64 length, bytes | u8 1, raw hash]*`).
fn pack(
    files: &[SearchFile],
    compressed: &HashMap<[u8; 32], [u8; 32]>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for f in files {
        out.write_all(&(f.path.len() as u64).to_le_bytes())?;
        out.write_all(f.path.as_bytes())?;
        match compressed.get(&f.hash) {
            Some(raw_hash) => {
                out.write_all(&[1])?;
                out.write_all(raw_hash)?;
                out.write_all(&f.hash)?;
                out.write_all(&f.held.unwrap_or(f.bytes.len() as u64).to_le_bytes())?;
            }
            None => {
                out.write_all(&[0])?;
                out.write_all(&(f.bytes.len() as u64).to_le_bytes())?;
                out.write_all(&f.bytes)?;
            }
        }
    }
    Ok(())
}

/// [`pack`] read back, each compressed file from its entry unless `out` holds it; `None` if any
/// is missing.
fn unpack(mut blob: &[u8], cache: &Cache, out: &dyn Output) -> Option<Vec<SearchFile>> {
    fn take<'b>(blob: &mut &'b [u8], len: usize) -> Option<&'b [u8]> {
        let part = blob.get(..len)?;
        *blob = &blob[len..];
        Some(part)
    }
    fn length(blob: &mut &[u8]) -> Option<usize> {
        Some(u64::from_le_bytes(take(blob, 8)?.try_into().ok()?) as usize)
    }
    let mut entries = Vec::new();
    while !blob.is_empty() {
        let len = length(&mut blob)?;
        let path = String::from_utf8(take(&mut blob, len)?.to_vec()).ok()?;
        let entry = match take(&mut blob, 1)? {
            [0] => {
                let len = length(&mut blob)?;
                Ok(take(&mut blob, len)?.to_vec())
            }
            [1] => {
                let raw: [u8; 32] = take(&mut blob, 32)?.try_into().ok()?;
                let hash: [u8; 32] = take(&mut blob, 32)?.try_into().ok()?;
                Err((raw, hash, length(&mut blob)? as u64))
            }
            _ => return None,
        };
        entries.push((path, entry));
    }
    use rayon::prelude::*;
    entries
        .into_par_iter()
        .map(|(path, entry)| {
            let bytes = match entry {
                Ok(bytes) => bytes,
                Err((raw, hash, len)) => {
                    if out.holds(&path, len, &hash) && cache.keep_packed(GZ, &gz_key(&raw)) {
                        return Some(SearchFile {
                            path,
                            bytes: Vec::new(),
                            hash,
                            held: Some(len),
                        });
                    }
                    cache.get_packed(GZ, &gz_key(&raw))?
                }
            };
            Some(SearchFile::new(path, bytes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For documents all handed over with their text.
    struct AllRead;

    impl Texts for AllRead {
        fn text(&self, at: usize) -> String {
            panic!("document {at} was not handed over unread")
        }
    }

    /// A document with every indexed field filled, terms repeated within and across fields.
    fn sample() -> SearchDoc {
        SearchDoc {
            id: "a".into(),
            title: "政务公开 Open 𠀀𠀁".into(),
            doc_number: Some("洛政办〔2019〕12号".into()),
            issuers: vec!["洛阳市人民政府".into(), "办公室".into()],
            body: "推进政务公开,政务".into(),
            summary: Some("摘要".into()),
            source: None,
            published: "2019-01-01".into(),
            year: 2019,
            status: String::new(),
            status_label: String::new(),
            kind: "normative".into(),
            kind_label: "规范性文件".into(),
            url: "/documents/a/".into(),
        }
    }

    #[test]
    fn terms_read_back_as_written() {
        let doc = sample();
        let terms = super::super::doc_terms(&doc);
        let bytes = encode(&terms.0, &terms.1);
        assert_eq!(decode(&bytes), Some(terms));
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        // A long body: a byte or so per token and per position, not eight.
        let long = SearchDoc {
            body: "推进政务公开工作，加强政策解读。".repeat(200),
            ..doc
        };
        let terms = super::super::doc_terms(&long);
        let tokens: usize = terms.0.iter().map(Vec::len).sum();
        let bytes = encode(&terms.0, &terms.1);
        assert!(
            bytes.len() < 3 * tokens,
            "{} bytes for {tokens} tokens",
            bytes.len()
        );
        assert_eq!(decode(&bytes), Some(terms.clone()));
        // Read back straight into the builder's form: the same as splitting the terms.
        let (tokens, positions) = terms;
        assert_eq!(
            decode_split(&bytes),
            Some(SplitTokens::new(tokens, positions))
        );
        assert_eq!(decode_split(&bytes[..bytes.len() - 1]), None);
    }

    #[test]
    fn a_first_build_hands_on_the_terms_as_split_token_by_token() {
        let dir = std::env::temp_dir().join(format!("gazette-memo-miss-{}", std::process::id()));
        let cache = Cache::new(Some(dir.clone()));
        let memo = CacheMemo {
            cache: &cache,
            compressed: Mutex::new(HashMap::new()),
            keys: None,
            texts: &AllRead,
            out: &(),
        };
        let doc = SearchDoc {
            body: "推进政务公开工作，加强政策解读。Open data, open 政务。".repeat(30),
            ..sample()
        };
        let (tokens, positions) = super::super::doc_terms(&doc);
        let split = SplitTokens::new(tokens, positions);
        // Not in the cache: tokenized, written, split.
        assert_eq!(memo.tokens(&doc), split);
        // In the cache now: read back to the same.
        assert_eq!(memo.tokens(&doc), split);
        cache.finish();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Forty short documents, one a day.
    fn forty() -> Vec<SearchDoc> {
        (0..40)
            .map(|n| SearchDoc {
                id: format!("d{n}"),
                title: format!("关于第{n}项政务公开工作的通知"),
                doc_number: None,
                issuers: vec!["洛阳市人民政府".into()],
                body: format!("推进政务公开第{n}条,环境保护和财政资金"),
                summary: None,
                source: None,
                published: format!("2020-01-{:02}", 1 + n % 28),
                year: 2020,
                status: "in_force".into(),
                status_label: "现行有效".into(),
                kind: "normative".into(),
                kind_label: "规范性文件".into(),
                url: format!("/documents/d{n}/"),
            })
            .collect()
    }

    /// A copy of the cache folder `from` at `to`.
    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    #[test]
    fn an_edit_patches_the_last_builds_shards_reading_no_other_documents_terms() {
        let dir = tempfile::tempdir().unwrap();
        let patched = dir.path().join("patched");
        let docs = forty();
        let cache = Cache::new(Some(patched.clone()));
        search_files(docs.clone(), &cache, &AllRead, &());
        cache.finish();
        let mut edited = docs.clone();
        for round in 0..3 {
            edited[3 + 10 * round].body.push_str("新增内容，环境保护");
            // The same cache without the last build's state: there the index is built whole.
            let whole = dir.path().join(format!("whole{round}"));
            copy_dir(&patched, &whole);
            std::fs::remove_dir_all(whole.join("search-state")).unwrap();
            let [by_patch, by_whole] = [&patched, &whole].map(|folder| {
                let cache = Cache::new(Some(folder.clone()));
                let files = search_files(edited.clone(), &cache, &AllRead, &());
                cache.finish();
                (files, cache.hits.load(std::sync::atomic::Ordering::Relaxed))
            });
            let plain = super::super::build_search_files_owned(edited.clone());
            assert_eq!(by_patch.0, plain, "round {round}");
            assert_eq!(by_whole.0, plain, "round {round}");
            // The whole build read the terms of the 39 others; the patch, the edited one's of
            // before. (Round by round the patch's cache collects what it no longer uses, and
            // must keep the terms of the documents the next round edits.)
            assert!(
                by_patch.1 + 30 <= by_whole.1,
                "round {round}: {} hits patching, {} building whole",
                by_patch.1,
                by_whole.1
            );
        }
        // A document added: another order, whose state replaces the last one's.
        let mut more = edited.clone();
        more.push(SearchDoc {
            id: "added".into(),
            ..edited[0].clone()
        });
        let cache = Cache::new(Some(patched.clone()));
        let files = search_files(more.clone(), &cache, &AllRead, &());
        assert_eq!(files, super::super::build_search_files_owned(more));
        let states: usize = std::fs::read_dir(patched.join("search-state"))
            .unwrap()
            .flatten()
            .map(|shard| std::fs::read_dir(shard.path()).unwrap().count())
            .sum();
        assert_eq!(states, 1);
    }

    #[test]
    fn a_rebuild_reads_what_the_first_build_made() {
        let dir = std::env::temp_dir().join(format!("gazette-memo-{}", std::process::id()));
        let docs = forty();
        let plain = super::super::build_search_files_owned(docs.clone());
        for round in 0..3 {
            let cache = Cache::new(Some(dir.clone()));
            assert_eq!(
                search_files(docs.clone(), &cache, &AllRead, &()),
                plain,
                "round {round}"
            );
            cache.finish();
        }
        // One body edited: the terms of the others and the untouched shards come from the cache.
        let mut edited = docs.clone();
        edited[3].body.push_str("新增内容");
        let cache = Cache::new(Some(dir.clone()));
        let files = search_files(edited.clone(), &cache, &AllRead, &());
        assert_eq!(files, super::super::build_search_files_owned(edited));
        let hits = cache.hits.load(std::sync::atomic::Ordering::Relaxed);
        assert!(hits >= 39, "{hits} hits");
        // Each of these changes what the files say, though not a document's terms: a rebuild
        // over the same cache must not take the whole set of before.
        let changes: [fn(&mut SearchDoc); 4] = [
            |d| d.kind_label = "规章".into(),
            |d| d.status_label = "已废止".into(),
            |d| d.url = "/documents/moved/".into(),
            |d| {
                d.body = format!(
                    "{}{}",
                    "政".repeat(super::super::MAX_INDEXED_CHARS),
                    "\n索引以外的部分"
                );
            },
        ];
        for (n, change) in changes.iter().enumerate() {
            let mut changed = docs.clone();
            // A facet's label is its first document's: labels change on every document.
            match n {
                0 | 1 => changed.iter_mut().for_each(change),
                _ => change(&mut changed[5]),
            }
            let cache = Cache::new(Some(dir.clone()));
            let files = search_files(changed.clone(), &cache, &AllRead, &());
            cache.finish();
            // Built once more, so that the body's case compares with a whole set made for it.
            let again = search_files(
                changed.clone(),
                &Cache::new(Some(dir.clone())),
                &AllRead,
                &(),
            );
            let plain = super::super::build_search_files_owned(changed);
            assert_eq!(files, plain, "change {n}");
            assert_eq!(again, plain, "change {n}, from the cache");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The texts of [`forty`] by position, counting how many were asked for.
    struct Counted<'a> {
        docs: &'a [SearchDoc],
        asked: std::sync::atomic::AtomicUsize,
    }

    impl Texts for Counted<'_> {
        fn text(&self, at: usize) -> String {
            self.asked
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.docs[at].body.clone()
        }
    }

    /// `docs` as a build hands them over with its cache on: each keyed by its source (here the
    /// text's own hash), and those not in `read` without their text.
    fn handed_over(docs: &[SearchDoc], read: &[usize]) -> Vec<SearchDoc> {
        docs.iter()
            .enumerate()
            .map(|(at, d)| {
                let unread = !read.contains(&at);
                SearchDoc {
                    body: if unread {
                        String::new()
                    } else {
                        d.body.clone()
                    },
                    source: Some(super::super::BodySource {
                        key: *blake3::hash(d.body.as_bytes()).as_bytes(),
                        at,
                        unread,
                    }),
                    ..d.clone()
                }
            })
            .collect()
    }

    #[test]
    fn documents_handed_over_unread_are_read_only_where_their_terms_or_snippet_are_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let mut docs = forty();
        docs[7].body.clear();
        docs[7].summary = Some("只有摘要的文件".into());
        let counted = |docs| Counted {
            docs,
            asked: Default::default(),
        };
        // A first build, every text read: the same files as a build without a cache.
        let first = counted(&docs);
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let files = search_files(
            handed_over(&docs, &(0..40).collect::<Vec<_>>()),
            &cache,
            &first,
            &(),
        );
        cache.finish();
        assert_eq!(files, super::super::build_search_files_owned(docs.clone()));
        // One body edited and read; every other document unread: none of them is asked for,
        // and the files are those of the edited archive.
        let mut edited = docs.clone();
        edited[12].body.push_str("新增内容，环境保护");
        for round in 0..2 {
            let texts = counted(&edited);
            let cache = Cache::new(Some(dir.path().to_path_buf()));
            let files = search_files(handed_over(&edited, &[12]), &cache, &texts, &());
            cache.finish();
            assert_eq!(
                files,
                super::super::build_search_files_owned(edited.clone()),
                "round {round}"
            );
            assert_eq!(texts.asked.into_inner(), 0, "round {round}");
        }
        // The cache lost: whatever is unread is asked for, and the files are still the same.
        let texts = counted(&edited);
        let cache = Cache::new(Some(dir.path().join("lost")));
        let files = search_files(handed_over(&edited, &[]), &cache, &texts, &());
        assert_eq!(
            files,
            super::super::build_search_files_owned(edited.clone())
        );
        assert!(texts.asked.into_inner() >= 40);
        // Without a cache as well.
        let texts = counted(&edited);
        let files = search_files(handed_over(&edited, &[3]), &Cache::new(None), &texts, &());
        assert_eq!(texts.asked.into_inner(), 39);
        assert_eq!(files, super::super::build_search_files_owned(edited));
    }

    /// An output holding `files`, by path, as its record tells.
    struct Holding(HashMap<String, (u64, [u8; 32])>);

    impl Holding {
        fn of(files: &[SearchFile]) -> Holding {
            Holding(
                files
                    .iter()
                    .map(|f| {
                        assert!(f.held.is_none(), "{} was not read", f.path);
                        (f.path.clone(), (f.bytes.len() as u64, f.hash))
                    })
                    .collect(),
            )
        }
    }

    impl Output for Holding {
        fn holds(&self, path: &str, len: u64, hash: &[u8; 32]) -> bool {
            self.0.get(path) == Some(&(len, *hash))
        }
        fn holds_any(&self) -> bool {
            true
        }
    }

    /// `files` with each held one's bytes taken from `before`, where the output holds them.
    fn resolved(files: Vec<SearchFile>, before: &[SearchFile]) -> Vec<SearchFile> {
        files
            .into_iter()
            .map(|f| match f.held {
                Some(len) => {
                    let old = before.iter().find(|b| b.path == f.path).unwrap();
                    assert_eq!((old.bytes.len() as u64, old.hash), (len, f.hash));
                    old.clone()
                }
                None => f,
            })
            .collect()
    }

    /// Three hundred documents of words of their own, enough for dozens of shards.
    fn three_hundred() -> Vec<SearchDoc> {
        let template = forty().swap_remove(0);
        (0..300u32)
            .map(|n| {
                let body: String = (0..80u32)
                    .filter_map(|k| char::from_u32(0x4E00 + (n * 53 + k * 7) % 20_000))
                    .collect();
                SearchDoc {
                    id: format!("m{n}"),
                    title: format!("第{n}号通知"),
                    body,
                    url: format!("/documents/m{n}/"),
                    published: format!("2021-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
                    ..template.clone()
                }
            })
            .collect()
    }

    #[test]
    fn files_the_output_already_holds_are_neither_read_nor_changed() {
        let dir = tempfile::tempdir().unwrap();
        let docs = three_hundred();
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let first = search_files(docs.clone(), &cache, &AllRead, &());
        cache.finish();
        // One body edited, over an output holding the first build: the untouched shards come
        // back held, and with the output's bytes they are the edited archive's files.
        let mut edited = docs.clone();
        edited[5].body.push_str("新增内容，环境保护");
        let plain = super::super::build_search_files_owned(edited.clone());
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let patched = search_files(edited.clone(), &cache, &AllRead, &Holding::of(&first));
        cache.finish();
        let held = patched.iter().filter(|f| f.held.is_some()).count();
        let shards = first
            .iter()
            .filter(|f| f.path.contains("/t/") || f.path.contains("/p/") || f.path.contains("/l/"))
            .count();
        assert!(held > 0, "no file held of {shards} shards");
        assert!(
            patched
                .iter()
                .all(|f| f.held.is_none() || f.bytes.is_empty())
        );
        assert_eq!(resolved(patched, &first), plain);
        // Built again, the whole set from the cache: what the output holds is not read either.
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let again = search_files(edited.clone(), &cache, &AllRead, &Holding::of(&plain));
        cache.finish();
        assert!(again.iter().filter(|f| f.held.is_some()).count() > held);
        assert_eq!(resolved(again, &plain), plain);
        // An output that holds other bytes at those paths (an older build): every file is read.
        let mut older = edited.clone();
        older[5].body.push_str("再改一次");
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let files = search_files(older.clone(), &cache, &AllRead, &Holding::of(&plain));
        let stale: Vec<&SearchFile> = files
            .iter()
            .filter(|f| f.held.is_some())
            .filter(|f| plain.iter().any(|p| p.path == f.path && p.hash != f.hash))
            .collect();
        assert!(
            stale.is_empty(),
            "held with other bytes: {:?}",
            stale[0].path
        );
        assert_eq!(
            resolved(files, &plain),
            super::super::build_search_files_owned(older)
        );
    }

    #[test]
    fn positions_that_go_back_and_large_numbers_read_back() {
        let tokens: DocTokens = [
            vec![
                crate::search::Term::from("政务"),
                crate::search::Term::from("公开"),
            ],
            vec![],
            vec![crate::search::Term::from("政务")],
            vec![],
        ];
        let positions: DocPositions = [vec![u32::MAX - 1, 3], vec![], vec![0], vec![]];
        let entry = (tokens, positions);
        assert_eq!(decode(&encode(&entry.0, &entry.1)), Some(entry));
    }
}
