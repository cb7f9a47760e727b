//! One hash of everything a [`Site`](crate::model::Site) is made of except the documents'
//! bodies: the key under which the renderer remembers which pages it wrote (`render/replay.rs`).
//!
//! A site is a function of the resolved configuration, the as-of date, the checked documents,
//! the version files, the gazette issues and the free pages (`Site::new` takes nothing else).
//! A document's body reaches only its own page and the search index; so after an edit that
//! changed bodies alone — the usual edit — this key is the last build's, every list page is
//! known unchanged without making its view, and a document page is known unchanged when its
//! own texts are.

use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::cache::Key;
use crate::config::Config;
use crate::model::{Document, GazetteIssue, Page, Version};

/// The key of a site made of these. Documents are hashed as their JSON (every field: the
/// model's `Serialize` skips nothing of a document), versions with their bodies (a version's
/// text is part of the site, `model::version`), issues and pages as their `Debug` (every field,
/// derived; forewords and page bodies included).
pub(super) fn of(
    config: &Config,
    as_of: Date,
    documents: &[Arc<Document>],
    versions: &[Arc<Version>],
    issues: &[GazetteIssue],
    pages: &[Page],
) -> Key {
    let hashed: Vec<[u8; 32]> = documents.par_iter().map(|d| json_hash(&**d)).collect();
    let mut key = Key::builder();
    key.part(b"site-model")
        .part(config.describe().as_bytes())
        .part(as_of.to_string().as_bytes())
        .part(&(documents.len() as u64).to_le_bytes());
    for h in &hashed {
        key.part(h);
    }
    key.part(&(versions.len() as u64).to_le_bytes());
    for v in versions {
        key.part(&json_hash(&**v)).part(v.body.as_bytes());
    }
    key.part(format!("{issues:?}").as_bytes())
        .part(format!("{pages:?}").as_bytes());
    key.finish()
}

/// The BLAKE3 hash of `value` as JSON, streamed.
fn json_hash(value: &impl serde::Serialize) -> [u8; 32] {
    let mut h = Hashing(blake3::Hasher::new());
    // Serialising a model type cannot fail (no maps with non-string keys); were it to, the
    // error and the time are hashed instead, and the key never repeats.
    if let Err(e) = serde_json::to_writer(&mut h, value) {
        h.0.update(format!("{e}{:?}", std::time::SystemTime::now()).as_bytes());
    }
    *h.0.finalize().as_bytes()
}

/// Feeds what is written to a hasher.
struct Hashing(blake3::Hasher);

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
