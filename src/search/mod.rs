//! The site search: a lunr.js 2.3.9 index, cut into files a browser fetches per query.
//!
//! The build hands over every public document as a [`SearchDoc`]; [`build_search_files`] returns
//! the files to write under `search/`:
//!
//! ```text
//! search/meta.json                    the manifest: version, counts, shard counts, facet values
//! search/<version>/t/<n>.json.gz      term shards, with title positions (shards.rs)
//! search/<version>/p/<n>.json.gz      position shards: the other fields' positions (shards.rs)
//! search/<version>/d/<n>.json.gz      document store chunks (docstore.rs)
//! search/<version>/f/<x><n>.json.gz   facet value sets (facets.rs)
//! ```
//!
//! Every file under `<version>` is JSON compressed with gzip (mtime 0, no name: deterministic);
//! the browser inflates it with `DecompressionStream("gzip")`, so no server setting is needed (and
//! a server that sends it already inflated, with `Content-Encoding: gzip`, does no harm:
//! `search.js` checks the gzip magic bytes). Compressed, a query downloads about 40 % less
//! (`book/search.md` has the figures).
//!
//! `<version>` is a hash of everything under it (and of the manifest's facets), so a browser cache never mixes two builds; only
//! the small manifest keeps its name (the page fetches it with `cache: "no-cache"`). Any change in
//! the documents changes every term's weights anyway (lunr's idf depends on the document count),
//! so one version for all files costs nothing over per-file hashes and keeps the manifest small.
//!
//! Documents are numbered newest first (then by id): the number is the lunr ref in the browser,
//! the document store's key and a year's range. Text is split by `tokenize` (bigrams for Chinese,
//! lunr's pipeline for English), weighted as `lunr.Builder` would (`lunr.rs`). `search.js` is the
//! other half: it tokenizes a query the same way, fetches the shards of its terms, merges them
//! into one serialized index for `lunr.Index.load` and queries it with every term required.
//! It then keeps the documents holding each typed run of three or more characters (positions),
//! and ranks in tiers, lunr's score within each: the title equal to the query, the issuer's full
//! name, every word a contiguous part of the title, the rest. When all terms find nothing, it
//! offers near matches (all but up to two bigrams), labelled as such.

mod docstore;
mod facets;
pub mod fold;
pub mod lunr;
mod shards;
pub mod stemmer;
pub mod term;
pub mod tokenize;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use lunr::{FIELDS, Index};
pub use shards::{shard_of, term_hash};
pub use term::Term;
pub use tokenize::{tokenize, tokenize_positioned};

/// The layout of the search files, stated in `meta.json` and checked by `search.js`. Bumped
/// whenever the files change for the same documents; a build that caches
/// [`build_search_files`] output should put it in the cache key so as not to reuse another
/// layout's files.
pub const FORMAT: u32 = 3;

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
    /// Plain text of the body, markup stripped.
    pub body: String,
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

/// A file of the search index, path relative to the site root, e.g. `search/meta.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Tuning of the file layout; [`Options::default`] is what the site build uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// The average term shard size aimed at, in bytes (the shard count is a power of two).
    pub target_shard_bytes: usize,
    /// Documents per document store chunk: one, for a result page reads ten records, and a
    /// neighbour's record in the same file would be as large as the result's own.
    pub doc_chunk: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target_shard_bytes: 4 * 1024,
            doc_chunk: 1,
        }
    }
}

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
        || shards::shard_files(build_index(&docs), options.target_shard_bytes, &titles),
        || {
            (
                docstore::chunk_files(&docs, options.doc_chunk),
                facets::facets(&docs),
            )
        },
    );
    assemble(shard_files, chunks, facets, docs.len(), options)
}

/// [`build_search_files`] taking the documents, each body freed as soon as it is tokenized (at
/// 100 000 documents the bodies are hundreds of megabytes). The same files.
pub fn build_search_files_owned(mut docs: Vec<SearchDoc>) -> Vec<SearchFile> {
    let options = Options::default();
    docs.sort_by(by_ordinal);
    let (chunks, facets, titles) = {
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        (
            docstore::chunk_files(&refs, options.doc_chunk),
            facets::facets(&refs),
            title_lengths(&refs),
        )
    };
    let count = docs.len();
    let index = build_index_freeing(&mut docs);
    drop(docs);
    let shard_files = shards::shard_files(index, options.target_shard_bytes, &titles);
    assemble(shard_files, chunks, facets, count, &options)
}

/// The titles' lengths by ordinal, as positions count them (`tokenize.rs`).
fn title_lengths(docs: &[&SearchDoc]) -> Vec<u32> {
    docs.iter()
        .map(|d| tokenize::positioned_len(&d.title))
        .collect()
}

/// `bytes` compressed with gzip, deterministically (no time, no name in the header).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    // Writing to a vector cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// The search files from their parts: term and position shards, document store chunks and
/// facets.
fn assemble(
    (shard_files, position_files): (Vec<Vec<u8>>, Vec<Vec<u8>>),
    chunks: Vec<Vec<u8>>,
    (facets, facet_files): (serde_json::Value, Vec<(String, Vec<u8>)>),
    doc_count: usize,
    options: &Options,
) -> Vec<SearchFile> {
    let mut versioned: Vec<(String, Vec<u8>)> = Vec::new();
    let shard_count = shard_files.len();
    let position_count = position_files.len();
    for (n, bytes) in shard_files.into_iter().enumerate() {
        versioned.push((format!("t/{n}.json.gz"), bytes));
    }
    for (n, bytes) in position_files.into_iter().enumerate() {
        versioned.push((format!("p/{n}.json.gz"), bytes));
    }
    for (n, bytes) in chunks.into_iter().enumerate() {
        versioned.push((format!("d/{n}.json.gz"), bytes));
    }
    versioned.extend(facet_files);
    versioned.par_iter_mut().for_each(|(_, bytes)| {
        *bytes = gzip(bytes);
    });

    let mut hasher = blake3::Hasher::new();
    hasher.update(facets.to_string().as_bytes());
    for (path, bytes) in &versioned {
        hasher.update(path.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let version = hasher.finalize().to_hex()[..16].to_string();
    let manifest = serde_json::json!({
        "format": FORMAT,
        "lunr": lunr::LUNR_VERSION,
        "version": version,
        "docs": doc_count,
        "fields": FIELDS.iter().map(|f| f.name).collect::<Vec<_>>(),
        "shards": shard_count,
        "positions": position_count,
        "chunk": options.doc_chunk.max(1),
        "facets": facets,
    });

    let mut files: Vec<SearchFile> = versioned
        .into_iter()
        .map(|(path, bytes)| SearchFile {
            path: format!("search/{version}/{path}"),
            bytes,
        })
        .collect();
    files.push(SearchFile {
        path: "search/meta.json".to_string(),
        bytes: serde_json::to_vec(&manifest).unwrap_or_default(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

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
fn build_index_freeing(docs: &mut [SearchDoc]) -> Index {
    index_batches(docs.chunks_mut(BATCH), |batch| {
        batch
            .par_iter_mut()
            .map(|d| {
                let (tokens, positions) = doc_terms(d);
                let tokens = lunr::SplitTokens::new(tokens, positions);
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
