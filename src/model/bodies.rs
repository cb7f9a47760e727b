//! The documents' Markdown bodies, kept apart from the documents.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::DocIx;
use crate::diag::Diagnostic;
use crate::source::{self, Contents};

/// One document's Markdown body. Shared: `serve` keeps every body between rebuilds and makes
/// a new site from them on each save, which then copies none.
///
/// A body can be made from its text, or from the bytes of the file it is cut from, unread: a
/// rebuild takes 10 000 unchanged documents from their kept checks (`validate::memo`), and only
/// the few whose pages are made again read their text. Decoding and copying every body first
/// was a fifth of a steady rebuild (issue 19). Such a body knows the hash of its text without
/// the text (the kept check has it), which is what the page and search caches are keyed by.
#[derive(Clone)]
pub struct Body(Arc<Inner>);

struct Inner {
    text: OnceLock<Box<str>>,
    digest: OnceLock<[u8; 32]>,
    /// The file the text is cut from when it is first read (`None`: made from its text).
    unread: Option<Unread>,
}

/// A body's file, not read yet.
struct Unread {
    contents: Contents,
    file: PathBuf,
}

impl Body {
    /// The body of the file `file` whose text was checked before and hashes to `digest`: cut
    /// from the file's `contents` when first read. When the build knew the file unchanged and
    /// did not read it ([`Contents::Known`]), that first read reads it and can fail.
    pub(crate) fn unread(contents: Contents, file: &Path, digest: [u8; 32]) -> Body {
        Body(Arc::new(Inner {
            text: OnceLock::new(),
            digest: OnceLock::from(digest),
            unread: Some(Unread {
                contents,
                file: file.to_path_buf(),
            }),
        }))
    }

    /// The text; an error when it had to be read from a file that changed since the build
    /// hashed it ([`source::read_known`]).
    pub(crate) fn text(&self) -> Result<&str, Diagnostic> {
        if let Some(text) = self.0.text.get() {
            return Ok(text);
        }
        let text = match &self.0.unread {
            None => Box::from(""),
            Some(Unread {
                contents: Contents::Bytes(bytes),
                file,
            }) => cut(bytes, file),
            Some(Unread {
                contents: Contents::Known { root, hash },
                file,
            }) => cut(&source::read_known(root, file, hash)?, file),
        };
        Ok(self.0.text.get_or_init(|| text))
    }

    /// The BLAKE3 hash of the text ([`digest`]): known for a body taken unread, made once for
    /// one made from its text.
    pub(crate) fn digest(&self) -> [u8; 32] {
        *self.0.digest.get_or_init(|| match self.0.text.get() {
            Some(text) => digest(text),
            // Unreachable: a body without a digest was made from its text.
            None => digest(""),
        })
    }
}

/// The body cut from the bytes of `file`. These bytes decoded and split when their check was
/// made (the kept check is keyed by them): an error here cannot happen, and would show as
/// lossy text rather than as nothing.
fn cut(bytes: &[u8], file: &Path) -> Box<str> {
    match source::decode(bytes, file) {
        Ok(text) => match source::split_front_matter(&text, file) {
            Ok(split) => Box::from(split.body),
            Err(_) => String::from_utf8_lossy(bytes).into(),
        },
        Err(_) => String::from_utf8_lossy(bytes).into(),
    }
}

/// The hash a body's text is known by: the same for a body read from its text and for one
/// known unread.
pub(crate) fn digest(text: &str) -> [u8; 32] {
    *blake3::hash(text.as_bytes()).as_bytes()
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body(Arc::new(Inner {
            text: OnceLock::from(Box::from(text)),
            digest: OnceLock::new(),
            unread: None,
        }))
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text, read if it was not: a body taken unread and one made from its text are
        // the same body when their texts are.
        match self.text() {
            Ok(text) => f.debug_tuple("Body").field(&text).finish(),
            Err(d) => f.debug_tuple("Body").field(&d.message).finish(),
        }
    }
}

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

    /// The body of document `ix` ([`Body::text`]).
    pub fn get(&self, ix: DocIx) -> Result<&str, Diagnostic> {
        self.0[ix.get()].text()
    }

    /// The hash of the body of document `ix` ([`Body::digest`]): known without reading a body
    /// taken unread.
    pub fn digest(&self, ix: DocIx) -> [u8; 32] {
        self.0[ix.get()].digest()
    }

    /// The bodies of the documents `keep` names; the others are dropped (read as empty). A
    /// build keeps only those the search may still ask for.
    pub fn keeping(self, keep: impl Fn(DocIx) -> bool) -> Bodies {
        let empty = Body::from("");
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
