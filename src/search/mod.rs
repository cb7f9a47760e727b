//! The site search: a lunr.js 2.3.9 index, cut into files a browser fetches per query.
//!
//! The build hands over every public document as a [`SearchDoc`]; [`build_search_files`] returns
//! the files to write under `search/`:
//!
//! ```text
//! search/meta.json                    the manifest: format, layout, version, document count,
//!                                     total field lengths, shard counts, facet values
//! search/<layout>/t/<n>.json.gz       term shards: ordinals, term frequencies, the lengths of
//!                                     every field but the body, title positions (shards.rs)
//! search/<layout>/l/<n>.json.gz       length shards: the classes of the body lengths of each
//!                                     term's documents, fetched for the query's rarest term
//!                                     only (shards.rs)
//! search/<layout>/n/<k>.json.gz       length chunks: the exact body lengths of 16 ordinals,
//!                                     fetched for the documents that can reach the shown page
//! search/<layout>/p/<n>.json.gz       position shards: the other fields' positions (shards.rs)
//! search/<layout>/d/<n>.json.gz       document store chunks (docstore.rs)
//! search/<layout>/f/<x><n>.json.gz    facet value sets (facets.rs)
//! ```
//!
//! Every file under `<layout>` is JSON compressed with gzip (mtime 0, no name: deterministic);
//! the browser inflates it with `DecompressionStream("gzip")`, so no server setting is needed (and
//! a server that sends it already inflated, with `Content-Encoding: gzip`, does no harm:
//! `search.js` checks the gzip magic bytes). Compressed, a query downloads about 40 % less
//! (`book/search.md` has the figures).
//!
//! The shards hold no score: lunr's BM25 weights depend on the whole corpus (the document count,
//! the average field lengths), so they hold each posting's term frequency and field length, the
//! manifest the corpus statistics, and `search.js` weighs them exactly as `lunr.Builder` does.
//! A document whose body is edited therefore changes only the shards of the terms it has or had,
//! its length chunk, its document store record and the manifest; every other file stays byte for
//! byte the same (`patch.rs` rewrites only those, from the last build's, and `memo.rs`
//! compresses only them again). `<layout>` is a hash of what decides
//! which file holds what (the shard counts, the documents' ordinals, the facet values), so an
//! edit keeps it; the manifest's `version`, a hash of every file's hash, goes into each file's
//! address (`?v=`), so that a browser cache never mixes two builds. Only the small manifest is
//! fetched with `cache: "no-cache"`.
//!
//! Documents are numbered newest first (then by id): the number is the lunr ref in the browser,
//! the document store's key and a year's range. Text is split by `tokenize` (bigrams for Chinese,
//! lunr's pipeline for English). `search.js` is the other half: it tokenizes a query the same
//! way, fetches the shards of its terms, bounds the scores of the documents holding every term
//! from their body length classes, weighs those that can reach the shown page as `lunr.Builder`
//! would (`lunr.rs` has the same arithmetic, for the tests), merges them into one serialized index
//! for `lunr.Index.load` and queries it with every term required.
//! It then keeps the documents holding each typed run of three or more characters (positions),
//! and ranks in tiers, lunr's score within each: the title equal to the query, the issuer's full
//! name, every word a contiguous part of the title, the rest. When all terms find nothing, it
//! offers near matches (all but up to two bigrams), labelled as such.

mod docstore;
mod facets;
pub mod fold;
mod gzip;
pub mod lunr;
pub mod memo;
mod patch;
mod shards;
pub mod stemmer;
pub mod term;
pub mod tokenize;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use gzip::gzip;
pub use lunr::{FIELDS, Index};
pub use shards::{shard_of, term_hash};
pub use term::Term;
pub use tokenize::{tokenize, tokenize_positioned};

/// The layout of the search files, stated in `meta.json` and checked by `search.js`. Bumped
/// whenever the files change for the same documents; a build that caches
/// [`build_search_files`] output should put it in the cache key so as not to reuse another
/// layout's files.
/// Format 5 moved the body lengths out of the term shards into length shards (`shards.rs`).
/// Format 6 keeps only the classes of the body lengths in the length shards and the exact
/// lengths in length chunks by ordinal (`n/`), fetched for the candidates of the shown page.
pub const FORMAT: u32 = 6;

/// One public document as the search sees it. The build fills it from the parsed site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The document id (`/documents/<id>/`).
    pub id: String,
    pub title: String,
    /// 发文字号, e.g. `洛政办〔2019〕12号`.
    pub doc_number: Option<String>,
    /// Full issuer names (a joint issue has several).
    pub issuers: Vec<String>,
    /// Plain text of the body, markup stripped; empty when [`BodySource::unread`].
    pub body: String,
    /// What the body's text is made from, when the build knows (its cache is on).
    #[serde(skip)]
    pub source: Option<BodySource>,
    pub summary: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// The year of `published`.
    pub year: i32,
    /// `in_force`, `amended`, `repealed`, `expired` or `not_yet_effective`.
    pub status: String,
    /// 现行有效 …
    pub status_label: String,
    /// `regulation`, `normative`, …
    pub kind: String,
    pub kind_label: String,
    /// `/documents/<id>/`, root-relative.
    pub url: String,
}

/// What a document's body text is made from. With it, the search keys the body by `key` rather
/// than by its text, so a build that placed a document's pages from the cache (`render/replay.rs`)
/// need not read its text at all: an unchanged document keeps its terms and snippet from the
/// last build (`memo.rs`), and only a document whose text is needed after all is asked of
/// [`Texts`]. At 10 000 documents, reading back every text to key it was a tenth of a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodySource {
    /// A hash of what the text is made from (the Markdown of the text in force): the same key
    /// gives the same text, in one binary.
    pub key: [u8; 32],
    /// The document to ask [`Texts`] for.
    pub at: usize,
    /// `body` was left empty: the text was not read.
    pub unread: bool,
}

/// What the output folder being written already holds (a site taken up again,
/// `output::Tree`): the search leaves such files unread ([`SearchFile::held`]).
pub trait Output: Sync {
    /// Whether `path` (from the site root) holds `len` bytes whose BLAKE3 hash is `hash`, as
    /// far as the output's record tells without reading it.
    fn holds(&self, path: &str, len: u64, hash: &[u8; 32]) -> bool;
    /// Whether it may hold anything at all (an empty folder does not): when not, the search
    /// does not look for what it could leave unread.
    fn holds_any(&self) -> bool;
}

/// No output: nothing is held.
impl Output for () {
    fn holds(&self, _: &str, _: u64, _: &[u8; 32]) -> bool {
        false
    }
    fn holds_any(&self) -> bool {
        false
    }
}

/// Where the search gets the text of a document it was handed unread ([`BodySource`]).
pub trait Texts: Sync {
    /// The plain text of the body of document `at` ([`BodySource::at`]).
    fn text(&self, at: usize) -> String;
}

/// A file of the search index, path relative to the site root, e.g. `search/meta.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFile {
    pub path: String,
    /// Empty when [`SearchFile::held`].
    pub bytes: Vec<u8>,
    /// The BLAKE3 hash of the bytes.
    pub hash: [u8; 32],
    /// The output already holds this file, byte for byte ([`Memo::holds`]), and it is this
    /// many bytes long: its bytes were not read, and it is not written. Only a build with a
    /// cache and an earlier output says so.
    pub held: Option<u64>,
}

impl SearchFile {
    /// A file with its bytes.
    pub fn new(path: String, bytes: Vec<u8>) -> SearchFile {
        let hash = *blake3::hash(&bytes).as_bytes();
        SearchFile {
            path,
            bytes,
            hash,
            held: None,
        }
    }
}

/// Tuning of the file layout; [`Options::default`] is what the site build uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// The average term shard size aimed at, in bytes (the shard count is a power of two).
    pub target_shard_bytes: usize,
    /// Documents per document store chunk: one, for a result page reads ten records, and a
    /// neighbour's record in the same file would be as large as the result's own.
    pub doc_chunk: usize,
    /// Documents per length chunk (`n/`): a page needs the exact body lengths of a dozen or two
    /// documents scattered over the archive, so a chunk is small.
    pub length_chunk: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target_shard_bytes: 4 * 1024,
            doc_chunk: 1,
            length_chunk: 16,
        }
    }
}

/// What a build may take over from an earlier one instead of computing it again (`memo.rs`
/// keeps both in the build cache). `()` takes over nothing.
pub trait Memo: Sync {
    /// [`doc_terms`] of `doc`, split for the index builder.
    fn tokens(&self, doc: &SearchDoc) -> lunr::SplitTokens {
        let (tokens, positions) = doc_terms(doc);
        lunr::SplitTokens::new(tokens, positions)
    }
    /// `raw` compressed with [`gzip`].
    fn gzip(&self, raw: &[u8]) -> Vec<u8> {
        gzip(raw)
    }
    /// [`Memo::gzip`] of `raw` whose BLAKE3 hash is `hash`, made before.
    fn gzip_hashed(&self, raw: &[u8], hash: &[u8; 32]) -> Vec<u8> {
        let _ = hash;
        self.gzip(raw)
    }
    /// The snippet source of `doc`'s document store record ([`docstore::snippet`]).
    fn snippet(&self, doc: &SearchDoc) -> String {
        docstore::snippet(doc)
    }
    /// Whether the output already holds `path` as the compressed file whose BLAKE3 hash is
    /// `hash` (`len` bytes; `raw` is the hash of its bytes before compression): then it is
    /// neither read nor written (a patched build's untouched shards, `memo.rs`).
    fn holds(&self, path: &str, len: u64, hash: &[u8; 32], raw: &[u8; 32]) -> bool {
        let _ = (path, len, hash, raw);
        false
    }
    /// The compressed file whose bytes before compression have the BLAKE3 hash `raw`, as an
    /// earlier build made it.
    fn fetch(&self, raw: &[u8; 32]) -> Option<Vec<u8>> {
        let _ = raw;
        None
    }
    /// The document store chunk of `part` (documents in ordinal order) as an earlier build
    /// made it, known by its hashes alone: the BLAKE3 hash of its bytes before compression, and
    /// the hash and length of the compressed file (read only if the output does not hold it).
    fn known_chunk(&self, part: &[&SearchDoc]) -> Option<([u8; 32], [u8; 32], u64)> {
        let _ = part;
        None
    }
}

impl Memo for () {}

/// The search files for `docs`. Deterministic: the same docs (in any order) give byte-identical
/// files, listed in path order.
pub fn build_search_files(docs: &[SearchDoc]) -> Vec<SearchFile> {
    build_search_files_with(docs, &Options::default())
}

/// [`build_search_files`] with a chosen layout (tests cut small indexes into many shards).
pub fn build_search_files_with(docs: &[SearchDoc], options: &Options) -> Vec<SearchFile> {
    let docs = ordered(docs);
    let titles = title_lengths(&docs);
    // The term index and the document store need nothing from each other.
    let (shard_files, (chunks, facets)) = rayon::join(
        || {
            let index = build_index(&docs);
            shards::shard_files(
                index,
                options.target_shard_bytes,
                options.length_chunk,
                &titles,
            )
        },
        || {
            (
                docstore::chunk_files(&docs, options.doc_chunk, &()),
                facets::facets(&docs),
            )
        },
    );
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let (files, _) = pending(shard_files, false);
    // Never `None`: only a patch hands over files known by their hashes alone.
    assemble(files, raw_chunks(chunks), facets, &ids, options, &()).unwrap_or_default()
}

/// [`build_search_files`] taking the documents, each body freed as soon as it is tokenized (at
/// 100 000 documents the bodies are hundreds of megabytes). The same files.
pub fn build_search_files_owned(docs: Vec<SearchDoc>) -> Vec<SearchFile> {
    build_search_files_memo(docs, &())
}

/// [`build_search_files_owned`] taking over from `memo` what an earlier build computed. The same
/// files.
pub fn build_search_files_memo(docs: Vec<SearchDoc>, memo: &dyn Memo) -> Vec<SearchFile> {
    build_shaped(docs, &Options::default(), memo, false).0
}

/// [`build_search_files_memo`], and with `shape` what the shards were made of, so that the next
/// build can patch them (`patch.rs`).
fn build_shaped(
    mut docs: Vec<SearchDoc>,
    options: &Options,
    memo: &dyn Memo,
    shape: bool,
) -> (Vec<SearchFile>, Option<patch::Shape>) {
    docs.sort_by(by_ordinal);
    let (chunks, facets, titles) = {
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        (
            docstore::chunk_files(&refs, options.doc_chunk, memo),
            facets::facets(&refs),
            title_lengths(&refs),
        )
    };
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let index = build_index_freeing(&mut docs, memo);
    drop(docs);
    let shard_files = shards::shard_files(
        index,
        options.target_shard_bytes,
        options.length_chunk,
        &titles,
    );
    let lengths = if shape {
        shard_files.doc_lengths.clone()
    } else {
        Vec::new()
    };
    let (files, refs) = pending(shard_files, shape);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    // Never `None`: only a patch hands over files known by their hashes alone.
    let files =
        assemble(files, raw_chunks(chunks), facets, &ids, options, memo).unwrap_or_default();
    let shape = refs.map(|shards| patch::Shape {
        lengths,
        titles,
        shards,
    });
    (files, shape)
}
/// The titles' lengths by ordinal, as positions count them (`tokenize.rs`).
fn title_lengths(docs: &[&SearchDoc]) -> Vec<u32> {
    docs.iter()
        .map(|d| tokenize::positioned_len(&d.title))
        .collect()
}

/// A short hex hash of `parts`.
fn short_hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// A file under `<layout>/` on its way out: its bytes before compression, with their hash
/// when known, or compressed already, or known by its hashes alone (a patched build's
/// untouched shard, `patch.rs`: read only if the output does not hold it).
pub(super) enum Pending {
    Raw(Vec<u8>, Option<[u8; 32]>),
    Gz(Vec<u8>),
    Known(patch::ShardRef),
}

/// The term, position and length shards and the length chunks (`shards.rs`), in that order,
/// with the shard counts (terms, positions, lengths) and the corpus statistics.
pub(super) struct ShardSet {
    pub files: Vec<(String, Pending)>,
    pub counts: [usize; 3],
    pub stats: lunr::Stats,
}

/// The shard files as they go out, and with `hashed` the hash and length of each term,
/// position and length shard (`patch.rs` keeps them).
fn pending(
    shard_files: shards::ShardFiles,
    hashed: bool,
) -> (ShardSet, Option<[Vec<patch::ShardRef>; 3]>) {
    let shards::ShardFiles {
        terms,
        positions,
        lengths,
        chunks,
        doc_lengths,
    } = shard_files;
    let counts = [terms.len(), positions.len(), lengths.len()];
    let stats = lunr::Stats::of(&doc_lengths);
    let kinds = [terms, positions, lengths];
    let refs = hashed.then(|| {
        kinds
            .each_ref()
            .map(|files| files.par_iter().map(|b| patch::ShardRef::of(b)).collect())
    });
    let mut files = Vec::new();
    for (k, (kind, shards)) in patch::SHARD_KINDS.iter().zip(kinds).enumerate() {
        for (n, bytes) in shards.into_iter().enumerate() {
            let hash = refs
                .as_ref()
                .map(|r: &[Vec<patch::ShardRef>; 3]| r[k][n].hash);
            files.push((format!("{kind}/{n}.json.gz"), Pending::Raw(bytes, hash)));
        }
    }
    for (n, bytes) in chunks.into_iter().enumerate() {
        files.push((format!("n/{n}.json.gz"), Pending::Raw(bytes, None)));
    }
    let set = ShardSet {
        files,
        counts,
        stats,
    };
    (set, refs)
}

/// [`assemble`] for documents in ordinal order, their store and facets made here (`patch.rs`).
fn assemble_docs(
    shards: ShardSet,
    docs: &[SearchDoc],
    options: &Options,
    memo: &dyn Memo,
) -> Option<Vec<SearchFile>> {
    let refs: Vec<&SearchDoc> = docs.iter().collect();
    let (chunks, facets) = rayon::join(
        || {
            refs.par_chunks(options.doc_chunk.max(1))
                .map(|part| match memo.known_chunk(part) {
                    Some((hash, gz, len)) => Pending::Known(patch::ShardRef {
                        hash,
                        len: 0,
                        gz: Some((gz, len)),
                    }),
                    None => Pending::Raw(docstore::chunk_file(part, memo), None),
                })
                .collect()
        },
        || facets::facets(&refs),
    );
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assemble(shards, chunks, facets, &ids, options, memo)
}

/// Document store chunks made here, on their way out.
fn raw_chunks(chunks: Vec<Vec<u8>>) -> Vec<Pending> {
    chunks.into_iter().map(|c| Pending::Raw(c, None)).collect()
}

/// The search files from their parts: the shards with the corpus statistics, document store
/// chunks and facets; `ids` in ordinal order. `None` when a file known by its hashes alone is
/// neither in the output nor in the cache.
fn assemble(
    shards: ShardSet,
    chunks: Vec<Pending>,
    (facets, facet_files): (serde_json::Value, Vec<(String, Vec<u8>)>),
    ids: &[&str],
    options: &Options,
    memo: &dyn Memo,
) -> Option<Vec<SearchFile>> {
    let ShardSet {
        mut files,
        counts: [shard_count, position_count, length_count],
        stats,
    } = shards;
    let length_chunk = options.length_chunk.max(1);
    for (n, chunk) in chunks.into_iter().enumerate() {
        files.push((format!("d/{n}.json.gz"), chunk));
    }
    files.extend(
        facet_files
            .into_iter()
            .map(|(path, bytes)| (path, Pending::Raw(bytes, None))),
    );
    // The folder: what decides which file holds what (the counts, the documents' ordinals, the
    // facet files' values), not what the files say, so that an edited body leaves every other
    // file where it was, byte for byte.
    let files_of_values = facet_files_of_values(&facets);
    let layout = {
        let counts = [
            shard_count,
            position_count,
            length_count,
            options.doc_chunk.max(1),
            length_chunk,
        ]
        .map(|n| (n as u64).to_le_bytes());
        let mut parts: Vec<&[u8]> = vec![&FORMAT_BYTES, files_of_values.as_bytes()];
        parts.extend(counts.iter().map(|c| &c[..]));
        parts.extend(ids.iter().map(|id| id.as_bytes()));
        short_hash(parts)
    };
    let versioned: Vec<SearchFile> = files
        .into_par_iter()
        .map(|(path, file)| {
            let bytes = match file {
                Pending::Raw(raw, Some(hash)) => memo.gzip_hashed(&raw, &hash),
                Pending::Raw(raw, None) => memo.gzip(&raw),
                Pending::Gz(bytes) => bytes,
                Pending::Known(shard) => {
                    let (gz, len) = shard.gz?;
                    let full = format!("search/{layout}/{path}");
                    if memo.holds(&full, len, &gz, &shard.hash) {
                        return Some(SearchFile {
                            path: full,
                            bytes: Vec::new(),
                            hash: gz,
                            held: Some(len),
                        });
                    }
                    memo.fetch(&shard.hash)?
                }
            };
            Some(SearchFile::new(format!("search/{layout}/{path}"), bytes))
        })
        .collect::<Option<_>>()?;

    // The content: the page adds it to each file's address (`?v=`), so that a browser's cache
    // never mixes the files of two builds.
    let facets_json = facets.to_string();
    // Of each file's hash, not its bytes: a file the output holds is not read.
    let version = short_hash(
        [layout.as_bytes(), facets_json.as_bytes()]
            .into_iter()
            .chain(
                versioned
                    .iter()
                    .flat_map(|f| [f.path.as_bytes(), &f.hash[..]]),
            ),
    );
    let manifest = serde_json::json!({
        "format": FORMAT,
        "lunr": lunr::LUNR_VERSION,
        "layout": layout,
        "version": version,
        "docs": stats.doc_count,
        "fields": FIELDS.iter().map(|f| f.name).collect::<Vec<_>>(),
        "boosts": FIELDS.iter().map(|f| f.boost).collect::<Vec<_>>(),
        "lengths": stats.total_lengths,
        "shards": shard_count,
        "positions": position_count,
        "bodyLengths": length_count,
        "lengthChunk": length_chunk,
        "chunk": options.doc_chunk.max(1),
        "facets": facets,
    });

    let mut files = versioned;
    files.push(SearchFile::new(
        "search/meta.json".to_string(),
        serde_json::to_vec(&manifest).unwrap_or_default(),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Some(files)
}

/// Which facet file holds which value (`facet value file` per line), from the manifest's facets:
/// what the folder's name must change with, where labels and counts need not.
fn facet_files_of_values(facets: &serde_json::Value) -> String {
    let mut out = String::new();
    for facet in ["status", "kind", "issuer"] {
        for entry in facets[facet].as_array().into_iter().flatten() {
            let field = |k: &str| entry[k].as_str().unwrap_or_default().to_string();
            out.push_str(&format!(
                "{facet}\u{1}{}\u{1}{}\n",
                field("value"),
                field("file")
            ));
        }
    }
    out
}

/// [`FORMAT`] as bytes, for hashing.
const FORMAT_BYTES: [u8; 4] = FORMAT.to_le_bytes();

/// Ordinal order: newest first, then by id (JavaScript string order).
fn by_ordinal(a: &SearchDoc, b: &SearchDoc) -> std::cmp::Ordering {
    b.published
        .cmp(&a.published)
        .then_with(|| lunr::cmp_utf16(&a.id, &b.id))
}

/// The documents in ordinal order: newest first, then by id (JavaScript string order).
pub fn ordered(docs: &[SearchDoc]) -> Vec<&SearchDoc> {
    let mut ordered: Vec<&SearchDoc> = docs.iter().collect();
    ordered.sort_by(|a, b| by_ordinal(a, b));
    ordered
}

/// The terms of a document's fields, in [`FIELDS`] order. The summary is searched with the body.
pub fn doc_tokens(doc: &SearchDoc) -> lunr::DocTokens {
    doc_terms(doc).0
}

/// [`doc_tokens`] with each term's position. The body's positions follow the summary's, one
/// apart, so that no phrase runs from the summary into the body; issuers likewise.
pub fn doc_terms(doc: &SearchDoc) -> (lunr::DocTokens, lunr::DocPositions) {
    let summary = doc.summary.as_deref().unwrap_or("");
    let issuers = doc.issuers.join("\u{1}");
    let (title, title_at) = tokenize_positioned(&doc.title);
    let (number, number_at) = tokenize_positioned(doc.doc_number.as_deref().unwrap_or(""));
    let (issuer, issuer_at) = tokenize_positioned(&issuers);
    let (mut body, mut body_at) = tokenize_positioned(summary);
    let (text, text_at) = tokenize_positioned(indexed_part(&doc.body));
    let after = tokenize::positioned_len(summary) + 1;
    body.extend(text);
    body_at.extend(text_at.into_iter().map(|at| at + after));
    (
        [title, number, issuer, body],
        [title_at, number_at, issuer_at, body_at],
    )
}

/// How much of a body the index takes: its first million characters (about 3 MB; the longest
/// real documents are a few hundred KB). Tokenizing keeps every occurrence of every term until
/// the document is added, about 28 bytes of memory per character of Chinese text, so a hostile
/// 50 MB body took 1.4 GB; Lucene's classic `maxFieldLength` bounded fields the same way.
pub const MAX_INDEXED_CHARS: usize = 1_000_000;

/// The part of `body` that is indexed (see [`MAX_INDEXED_CHARS`]).
fn indexed_part(body: &str) -> &str {
    // No more characters than bytes: a body this short is whole, without walking its characters
    // (every build keys every body by this part).
    if body.len() <= MAX_INDEXED_CHARS {
        return body;
    }
    match body.char_indices().nth(MAX_INDEXED_CHARS) {
        Some((at, _)) => &body[..at],
        None => body,
    }
}

/// Documents tokenized at once: enough to keep both cores busy, few enough that their terms
/// (every occurrence, as strings) stay small.
const BATCH: usize = 512;

/// The lunr index of documents in ordinal order, tokenized in parallel a batch at a time (the
/// terms of 100 000 documents as strings would take gigabytes).
pub fn build_index(docs: &[&SearchDoc]) -> Index {
    index_batches(docs.chunks(BATCH), |batch| {
        batch
            .par_iter()
            .map(|d| {
                let (tokens, positions) = doc_terms(d);
                lunr::SplitTokens::new(tokens, positions)
            })
            .collect()
    })
}

/// [`build_index`] over owned documents in ordinal order, emptying each body once tokenized.
fn build_index_freeing(docs: &mut [SearchDoc], memo: &dyn Memo) -> Index {
    index_batches(docs.chunks_mut(BATCH), |batch| {
        batch
            .par_iter_mut()
            .map(|d| {
                let tokens = memo.tokens(d);
                d.body = String::new();
                tokens
            })
            .collect()
    })
}

/// Adds each batch's tokens to the builder while the next batch is tokenized.
fn index_batches<B: Send>(
    mut batches: impl Iterator<Item = B>,
    tokenize: impl Fn(B) -> Vec<lunr::SplitTokens> + Sync,
) -> Index {
    let mut builder = lunr::IndexBuilder::default();
    let mut pending = batches.next().map(&tokenize).unwrap_or_default();
    for batch in batches {
        let (next, ()) = rayon::join(|| tokenize(batch), || builder.add_batch(&pending));
        pending = next;
    }
    builder.add_batch(&pending);
    builder.finish()
}

#[cfg(test)]
mod tests;
