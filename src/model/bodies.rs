//! The documents' Markdown bodies, kept apart from the documents.

use std::sync::Arc;

use super::DocIx;

/// One document's Markdown body. Shared: `serve` keeps every body between rebuilds and makes
/// a new site from them on each save, which then copies none.
pub(crate) type Body = Arc<str>;

/// The bodies of a site's documents, by [`DocIx`]. Only the document pages (and the texts
/// made from them for the search index) read a body; the lists, feeds, open data and search
/// files do not. So the bodies are not in the [`super::Site`] that every stage reads but in
/// this store, which a build drops once the document pages are written: at 100 000 documents
/// that frees hundreds of megabytes for the rest of the build.
#[derive(Debug, Default)]
pub struct Bodies(Vec<Body>);

impl Bodies {
    /// `bodies` in the site's document order.
    pub(super) fn new(bodies: Vec<Body>) -> Bodies {
        Bodies(bodies)
    }

    /// The body of document `ix`.
    pub fn get(&self, ix: DocIx) -> &str {
        &self.0[ix.get()]
    }

    /// The bodies of the documents `keep` names; the others are dropped (read as empty). A
    /// build keeps only those the search may still ask for.
    pub fn keeping(self, keep: impl Fn(DocIx) -> bool) -> Bodies {
        let empty: Body = Arc::from("");
        Bodies(
            self.0
                .into_iter()
                .enumerate()
                .map(|(i, body)| {
                    if keep(DocIx::at(i)) {
                        body
                    } else {
                        empty.clone()
                    }
                })
                .collect(),
        )
    }
}
