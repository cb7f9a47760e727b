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
use crate::model::{Document, GazetteIssue, Page, Version, json_hash};

/// The key of a site made of these. Documents are hashed as their JSON (every field: the
/// model's `Serialize` skips nothing of a document), a hash kept with each file's check where
/// there is one ([`crate::model::json_hash`]); versions with their bodies (a version's
/// text is part of the site, `model::version`), issues and pages as their `Debug` (every field,
/// derived; forewords and page bodies included).
pub(super) fn of(
    config: &Config,
    as_of: Date,
    (documents, fingerprints): (&[Arc<Document>], &[Option<[u8; 32]>]),
    versions: &[Arc<Version>],
    issues: &[GazetteIssue],
    pages: &[Page],
) -> Key {
    let hashed: Vec<[u8; 32]> = documents
        .par_iter()
        .enumerate()
        .map(|(i, d)| match fingerprints.get(i).copied().flatten() {
            Some(kept) => kept,
            None => json_hash(&**d),
        })
        .collect();
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
