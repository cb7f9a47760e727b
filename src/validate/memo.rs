//! Each document file's own check, kept between builds.
//!
//! Reading and checking every file (YAML, the JSON Schema, typed values, proofreading) was the
//! largest stage of a rebuild after one edit: every file was checked again although one had
//! changed. A file's check is a function of its bytes, its path, the configuration and this
//! binary — and of the file system, through its attachments. So the result is kept under a key
//! of the path and bytes (the [`Memo`] adds the configuration; the cache is this binary's), with
//! every attachment lookup the check made and what it found. It is reused only when each of
//! those lookups, made again, finds the same: a removed, replaced or resized attachment, or a
//! folder turned into a symbolic link, makes the file be checked again.
//!
//! The record holds the document and the diagnostics, not the body: that is cut from the
//! file's text again, which the key proves is the text the document was made from.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::LoadedFile;
use super::fields::{self, Lookup};
use super::rules::BodyLink;
use crate::diag::Diagnostic;
use crate::model::{Body, Document, Version};
use crate::source::{self, Contents};

/// Where checked files are kept: the session puts them in the build cache, keyed also by the
/// configuration they were checked with.
pub trait Memo: Sync {
    /// Whether to keep anything (when not, no key is computed and nothing is encoded).
    fn enabled(&self) -> bool;
    /// The record kept under `key` ([`key`]), if any.
    fn get(&self, key: &[u8; 32]) -> Option<Vec<u8>>;
    fn put(&self, key: &[u8; 32], record: &[u8]);
}

/// No memo: every file is checked.
impl Memo for () {
    fn enabled(&self) -> bool {
        false
    }
    fn get(&self, _: &[u8; 32]) -> Option<Vec<u8>> {
        None
    }
    fn put(&self, _: &[u8; 32], _: &[u8]) {}
}

/// The layout of a record: change it whenever [`Record`] or anything in it changes shape (the
/// cache is also keyed by the binary's source, so this guards against nothing else). Records are
/// postcard, not JSON: a rebuild reads every one of them, and postcard is not self-describing,
/// so a record of another shape could decode as garbage rather than fail — hence this tag, and
/// no `skip_serializing_if` or `flatten` on anything a record holds.
const FORMAT: &[u8] = b"gazette checked file 4";

/// The key of a file's record, from its [`source::file_hash`] (of its path relative to the
/// root and its bytes): the build has it from its input stamp, so the bytes are not hashed
/// again.
pub(super) fn key(file_hash: &[u8; 32]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(FORMAT);
    h.update(file_hash);
    *h.finalize().as_bytes()
}

/// A checked file as kept: [`LoadedFile`] without the file (it is in the key) and the body,
/// of which it keeps the hash ([`Body::digest`]).
#[derive(Serialize, Deserialize)]
struct Record {
    doc: Option<Document>,
    /// The document's [`crate::model::json_hash`].
    fingerprint: Option<[u8; 32]>,
    body: Option<[u8; 32]>,
    links: Vec<BodyLink>,
    version: Option<Version>,
    diags: Vec<Diagnostic>,
    lookups: Vec<Lookup>,
}

/// The record of `loaded`, made with `lookups`; `None` when it cannot be written (a path that is
/// not UTF-8): that file is then simply checked every time.
pub(super) fn record(loaded: &LoadedFile, lookups: Vec<Lookup>) -> Option<Vec<u8>> {
    let record = Record {
        doc: loaded.doc.as_deref().cloned(),
        fingerprint: loaded.fingerprint,
        body: loaded.body.as_ref().map(Body::digest),
        links: loaded.links.to_vec(),
        version: loaded.version.as_deref().cloned(),
        diags: loaded.diags.iter().cloned().collect(),
        lookups,
    };
    postcard::to_allocvec(&record).ok()
}

/// The file `file` holding `contents`, from its `record`, when every attachment lookup finds
/// what it found then; else the contents back, to check the file. The document's body is not
/// read: it is cut from the contents when something reads it ([`Body::unread`]). A version
/// file's text is read now; should that file have changed since the build hashed it, the
/// result is the error that says so.
pub(super) fn reuse(
    root: &Path,
    file: &Path,
    contents: Contents,
    record: &[u8],
) -> Result<LoadedFile, Contents> {
    let Ok(Record {
        doc,
        fingerprint,
        body,
        links,
        mut version,
        diags,
        lookups,
    }) = postcard::from_bytes(record)
    else {
        return Err(contents);
    };
    for (name, found) in &lookups {
        if &fields::attachment(root, file, name) != found {
            return Err(contents);
        }
    }
    let contents = match &mut version {
        Some(v) => {
            let bytes = match contents.into_bytes(file) {
                Ok(bytes) => bytes,
                Err(d) => return Ok(LoadedFile::failed(file, d)),
            };
            let Some(text) = source::decode(&bytes, file).ok() else {
                return Err(Contents::Bytes(bytes));
            };
            let Some(split) = source::split_front_matter(&text, file).ok() else {
                return Err(Contents::Bytes(bytes));
            };
            v.body = Arc::from(split.body);
            drop(text);
            Contents::Bytes(bytes)
        }
        None => contents,
    };
    let body = match (&doc, body) {
        (Some(_), Some(digest)) => Some(Body::unread(contents, file, digest)),
        (Some(_), None) => return Err(contents),
        (None, _) => None,
    };
    Ok(LoadedFile {
        file: file.to_path_buf(),
        doc: doc.map(Arc::new),
        body,
        version: version.map(Arc::new),
        diags: diags.into_iter().collect(),
        links: Arc::from(links),
        fingerprint,
    })
}
