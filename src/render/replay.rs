//! Pages known unchanged without making their views: the pages a document (or the whole list
//! pass) wrote last time, placed again from the page cache.
//!
//! A page's cache key hashes its whole view (`page.rs`), which is sure but not free: for a
//! steady rebuild of 10 000 documents, making and hashing the views of pages that turn out
//! cached was a third of the work. Yet what a view is made of is known before it is made:
//!
//! - a list page (and every page of the list pass: home, directories, gazette, 备案目录 …)
//!   is a function of the site without its bodies, the theme and the language, and of the
//!   gazette issues' PDF files, which the gazette pages hash;
//! - a document's pages are a function of the same and of that document's own texts: its
//!   body, and its versions' bodies (the versions are part of the site).
//!
//! The session hashes the site without bodies once (`session/model_key.rs`). Here each
//! document's key adds its texts, and the list pass's key adds the PDFs. Under that key the
//! cache keeps what was written: each page's folder and its full cache key. A later build
//! with the same key places those pages without a view, a template or a hash of a view. If
//! any of them is no longer in the page cache, the pages are made as usual, so a replay can
//! only ever give the pages the full path gives.

use std::path::Path;

use crate::cache::{self, Key, record};
use crate::model::{Bodies, DocIx};

use super::Renderer;

/// One page as written: its folder (or file, see `page.rs`) and its full cache key.
pub(super) type Placed = (String, Key);

/// What was written under one replay key: the pages, and the count the pass reported.
struct Record {
    pages: Vec<Placed>,
    count: usize,
}

impl Record {
    /// The count, the number of pages, then each page as its key and its folder
    /// (`cache::record`).
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.pages.len() * 80);
        record::put_number(&mut out, self.count);
        record::put_number(&mut out, self.pages.len());
        for (dir, key) in &self.pages {
            out.extend_from_slice(key.as_bytes());
            record::put_bytes(&mut out, dir.as_bytes());
        }
        out
    }

    fn decode(bytes: &[u8]) -> Option<Record> {
        let mut r = record::Reader::new(bytes);
        let count = r.number()?;
        let n = r.number()?;
        let mut pages = Vec::with_capacity(n.min(bytes.len() / 40));
        for _ in 0..n {
            let key = Key::from_bytes(r.take(32)?.try_into().ok()?);
            pages.push((r.text()?, key));
        }
        r.at_end().then_some(Record { pages, count })
    }
}

impl Renderer<'_> {
    /// The replay key of everything every page shares: the site without bodies, the theme,
    /// the language and how pages are minified. `None` without a cache or a site key.
    fn replay_base(&self) -> Option<cache::KeyBuilder> {
        let model = self.model_key.as_ref()?;
        self.engine.cache.enabled().then(|| {
            let mut key = Key::builder();
            key.part(b"replay")
                .part(model.as_bytes())
                .part(self.engine.theme_key.as_bytes())
                .part(self.locale.key.as_bytes())
                .part(self.site_key.as_bytes())
                .part(&[u8::from(self.engine.minifies_each_page())]);
            key
        })
    }

    /// The replay key of document `i`'s pages: [`Self::replay_base`] and the texts they show
    /// (the body as filed, and every version's, in order). `text_key` is the key of the text
    /// in force ([`super::Engine::text_key`]): it stands for the body as filed when that is
    /// the text in force, so that the body is not hashed twice.
    pub(super) fn document_replay_key(
        &self,
        i: DocIx,
        bodies: &Bodies,
        text_key: Option<&Key>,
    ) -> Option<Key> {
        let mut key = self.replay_base()?;
        key.part(b"document")
            .part(self.site.document(i).id.as_str().as_bytes());
        let versions = self.site.doc(i).texts.iter().any(|t| t.version.is_some());
        match text_key {
            Some(text) if !versions => key.part(b"text").part(text.as_bytes()),
            _ => key.part(b"body").part(&bodies.digest(i)),
        };
        for t in &self.site.doc(i).texts {
            match &t.version {
                Some(v) => key.part(b"v").part(v.body.as_bytes()),
                None => key.part(b"o"),
            };
        }
        Some(key.finish())
    }

    /// The replay key of the list pass: [`Self::replay_base`] and the bytes of each gazette
    /// issue's PDF (its hash is on the issue's page). `None` when a PDF cannot be read: the
    /// pass then runs and says so.
    pub(super) fn lists_replay_key(&self) -> Option<Key> {
        let mut key = self.replay_base()?;
        key.part(b"lists");
        for issue in &self.site.issues {
            if let Some(p) = &issue.pdf {
                let bytes = std::fs::read(self.site_root().join(&p.source)).ok()?;
                key.part(p.name.as_bytes()).part(&bytes);
            }
        }
        Some(key.finish())
    }

    /// Places again every page written under `key`, from the page cache. The count the pass
    /// reported then, when every page was there; `None` when there is no record or a page is
    /// missing (the caller makes the pages as usual).
    pub(super) fn replay(&self, key: &Key) -> Option<usize> {
        let bytes = self.engine.cache.get_packed(cache::Kind::Replay, key)?;
        let record = Record::decode(&bytes)?;
        for (dir, page) in &record.pages {
            let dest = self.out.join(self.output_path(dir));
            if !self.place(page, &dest) {
                return None;
            }
        }
        Some(record.count)
    }

    /// Puts the cached page `key` at `dest`, unless the output already holds it there: by the
    /// check recorded when it was put there ([`output::Tree::holds_sum`]), else by being the
    /// cache's very file. `false` when the cache does not have it.
    pub(super) fn place(&self, key: &Key, dest: &Path) -> bool {
        let cache = &self.engine.cache;
        let Some(sum) = cache.known_sum(cache::Kind::Page, key) else {
            return false;
        };
        if self.tree.holds_sum(dest, &sum)
            || cache
                .entry_at(cache::Kind::Page, key, &sum)
                .is_some_and(|entry| self.tree.holds(&entry, dest, sum))
        {
            cache.hit();
            true
        } else if cache.place(cache::Kind::Page, key, dest) {
            self.tree.keep_placed(dest, sum);
            true
        } else {
            false
        }
    }

    /// Keeps under `key` the pages just written, for [`Self::replay`]. Pages written without
    /// a cache key (none, when there is a cache) make the record useless: it is not kept.
    pub(super) fn remember(&self, key: &Key, pages: Vec<Option<Placed>>, count: usize) {
        if let Some(pages) = pages.into_iter().collect::<Option<Vec<Placed>>>() {
            let record = Record { pages, count };
            self.engine
                .cache
                .put_packed(cache::Kind::Replay, key, &[&record.encode()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_a_damaged_one_does_not() {
        let record = Record {
            pages: vec![
                ("documents/a/".into(), Key::of(&[b"a"])),
                ("404.html".into(), Key::of(&[b"b"])),
            ],
            count: 7,
        };
        let bytes = record.encode();
        let back = Record::decode(&bytes).unwrap();
        assert_eq!(back.count, 7);
        assert_eq!(back.pages, record.pages);
        assert!(Record::decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(Record::decode(&[bytes.as_slice(), b"x"].concat()).is_none());
    }
}
