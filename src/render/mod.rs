//! Stage 5: render every page through the theme's Tera templates, in parallel.
//!
//! This file holds the page plan, simple and explicit: one document page per public document,
//! the listings and directories of [`lists`], the gazette, the 备案目录 and 清理结果, free pages,
//! search, the 网站地图 ([`site_map`]), 404. Each page is built from a view, rendered, minified
//! and written straight into the staging folder — nothing site-sized is held in memory but the
//! model and the search text.
//!
//! The parts, one job each: [`Engine`] (`engine.rs`: templates, Markdown, cache), one page from
//! view to file (`page.rs`), the body and rows spliced in after minifying (`splice.rs`), the
//! portal's pages (`portal.rs`) and the archive's (`archive.rs`). What pages say to readers is
//! the theme's, in the site's language (`locale.rs`).

mod archive;
pub(crate) mod document;
mod engine;
pub(crate) mod lists;
pub(crate) mod locale;
pub(crate) mod minify;
mod page;
mod portal;
mod replay;
pub(crate) mod site_map;
mod splice;
pub(crate) mod theme;
pub(crate) mod versions;
pub(crate) mod views;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Bodies, DocIx, Site};
use crate::output::Tree;
pub(crate) use engine::Engine;
use locale::Locale;
use splice::Splice;
use views::Urls;

/// Renders pages of one site into one folder.
pub(crate) struct Renderer<'a> {
    pub site: &'a Site,
    pub urls: Urls,
    engine: &'a Engine,
    /// The engine's templates, with `t()` and `cn_date` speaking the site's language.
    tera: std::sync::Arc<tera::Tera>,
    /// The words of the site's language (`language` in gazette.toml).
    locale: Locale,
    root: &'a Path,
    /// The folder being written: every file goes through it (see `output::tree`).
    tree: &'a Tree,
    out: &'a Path,
    progress: Option<crate::Progress<'a>>,
    done: AtomicUsize,
    total: AtomicUsize,
    /// `site` as every page gets it (made once; part of every page's cache key).
    site_value: serde_json::Value,
    /// `site_value` hashed once: every page's key has it, and walking it for each of 10 000
    /// pages cost more than the page's own view.
    site_key: crate::cache::Key,
    /// The folder of every `index.html` written, for the sitemap.
    written: Mutex<Vec<String>>,
    /// Each document's list row, once rendered ([`Self::row`]).
    rows: Vec<OnceLock<String>>,
    /// The site without its bodies, hashed by the session: with a cache, the pages written
    /// are remembered under keys made from it and placed again without their views
    /// (`replay.rs`).
    model_key: Option<crate::cache::Key>,
    /// Every page written so far, with its cache key: the list pass's record.
    placed: Mutex<Vec<replay::Placed>>,
}

type ListJob<'j> = Box<dyn Fn() -> Result<usize, Diagnostic> + Send + Sync + 'j>;

/// What the document pass hands on to the search index: a document's plain text, or, for one
/// whose pages were placed from the cache without being made, only the key of that text (the
/// search asks for the text itself if it needs it after all: `search::BodySource`).
pub(crate) struct DocumentText {
    /// `None`: not read.
    pub text: Option<String>,
    /// [`Engine::text_key`] of the body, `None` without a cache.
    pub key: Option<crate::cache::Key>,
}

impl<'a> Renderer<'a> {
    /// `root` is the site root (attachment sources are relative to it); `tree` the staging folder.
    pub(crate) fn new(site: &'a Site, root: &'a Path, engine: &'a Engine, tree: &'a Tree) -> Self {
        let urls = Urls::new(&site.config.base_url);
        let locale = engine.locales.locale(&site.config.language);
        let tera = engine.tera_in(&locale);
        let site_value =
            serde_json::to_value(views::site_view(site, &urls, &locale)).unwrap_or_default();
        let site_key = crate::cache::Key::builder().json(&site_value).finish();
        Renderer {
            site,
            site_value,
            site_key,
            urls,
            engine,
            tera,
            locale,
            root,
            tree,
            out: tree.dir(),
            progress: None,
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            written: Mutex::new(Vec::new()),
            rows: site.ixs().map(|_| OnceLock::new()).collect(),
            model_key: None,
            placed: Mutex::new(Vec::new()),
        }
    }

    /// Lets the renderer place pages it wrote before without making their views, when
    /// `key`, the hash of everything the site is made of but its bodies, is the same
    /// (`replay.rs`).
    pub(crate) fn with_model_key(mut self, key: crate::cache::Key) -> Self {
        self.model_key = Some(key);
        self
    }

    /// Reports `(done, total)` to `progress` as pages are rendered.
    pub(crate) fn with_progress(mut self, progress: crate::Progress<'a>) -> Self {
        self.total = AtomicUsize::new(self.steps());
        self.progress = Some(progress);
        self
    }

    /// The page of every document (in parallel). Returns each document's plain text, by
    /// index, and the number of pages written. The list pages do not need it, so a build can
    /// render them ([`Self::render_lists`]) while it builds the search index from the text.
    pub(crate) fn render_documents(
        &self,
        bodies: &Bodies,
    ) -> Result<(Vec<DocumentText>, usize), Diagnostics> {
        let results: Vec<Result<DocumentText, Diagnostic>> = self
            .site
            .ixs()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|i| {
                let r = self.document(i, bodies);
                self.tick();
                r
            })
            .collect();
        let mut diags = Diagnostics::new();
        let mut texts = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(t) => texts.push(t),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let count = texts.len();
        Ok((texts, count))
    }

    /// Every page that is not a document's: home, gazette issues, directories and their
    /// paginated lists, filings, cleanups, free pages, search, 404, open data.
    ///
    /// They are made of the site without its bodies: when that is as a build with the same
    /// replay key left it, its pages are placed again as they are ([`replay`]).
    pub(crate) fn render_lists(&self) -> Result<usize, Diagnostics> {
        let dirs = lists::directories_in(self.site, &self.urls, &self.locale);
        let jobs = self.list_jobs(&dirs);
        let replay = self.lists_replay_key();
        if let Some(count) = replay.as_ref().and_then(|k| self.replay(k)) {
            self.gazette_pdfs().map_err(|d| {
                let mut ds = Diagnostics::new();
                ds.push(d);
                ds
            })?;
            for _ in &jobs {
                self.tick();
            }
            return Ok(count);
        }
        let results: Vec<Result<usize, Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let r = job();
                self.tick();
                r
            })
            .collect();
        let mut diags = Diagnostics::new();
        let mut count = 0;
        for r in results {
            match r {
                Ok(n) => count += n,
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        if let Some(key) = &replay {
            let placed =
                std::mem::take(&mut *self.placed.lock().unwrap_or_else(|e| e.into_inner()));
            self.remember(key, placed.into_iter().map(Some).collect(), count);
        }
        Ok(count)
    }

    /// The folder (`""`, `documents/x/` …) of every HTML page written so far, parents before
    /// their children, siblings in name order.
    pub(crate) fn page_dirs(&self) -> Vec<String> {
        let mut dirs = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        Self::sort_page_dirs(&mut dirs);
        dirs
    }

    /// Parents before their children, siblings in name order, each once.
    pub(crate) fn sort_page_dirs(dirs: &mut Vec<String>) {
        dirs.sort_by(|a, b| a.split('/').cmp(b.split('/')));
        dirs.dedup();
    }

    /// Progress counts on from `done` steps (a second renderer after the document pages).
    pub(crate) fn starting_at(self, done: usize) -> Self {
        self.done.store(done, Ordering::Relaxed);
        self
    }

    /// The number of progress steps of a whole render: one per document, one per list job.
    pub(crate) fn steps(&self) -> usize {
        let dirs = lists::directories_in(self.site, &self.urls, &self.locale);
        self.site.document_count() + self.list_jobs(&dirs).len()
    }

    fn list_jobs<'j>(&'j self, dirs: &'j [lists::Directory]) -> Vec<ListJob<'j>> {
        let mut jobs: Vec<ListJob<'j>> = vec![
            Box::new(|| self.home()),
            Box::new(|| self.all_documents()),
            Box::new(|| self.gazette()),
            Box::new(|| self.filings()),
            Box::new(|| self.cleanups()),
            Box::new(|| self.statistics()),
            Box::new(|| self.consultations()),
            Box::new(|| self.pages()),
            Box::new(|| self.search_page()),
            Box::new(|| self.not_found()),
            Box::new(|| self.open_data()),
        ];
        jobs.push(Box::new(move || self.site_map(dirs)));
        for dir in dirs {
            jobs.push(Box::new(move || self.directory_index(dir)));
            for listing in &dir.listings {
                jobs.push(Box::new(move || self.listing(listing)));
            }
        }
        jobs
    }

    fn tick(&self) {
        if let Some(p) = self.progress {
            let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
            p(done, self.total.load(Ordering::Relaxed));
        }
    }

    /// The page of document `i` alone (`serve`'s quick preview of a saved document).
    pub(crate) fn render_document(
        &self,
        i: DocIx,
        bodies: &Bodies,
    ) -> Result<DocumentText, Diagnostic> {
        self.document(i, bodies)
    }

    fn document(&self, i: DocIx, bodies: &Bodies) -> Result<DocumentText, Diagnostic> {
        let d = &self.site.document(i);
        // The text that applies on the as-of date (versions.md §1), indexed and shown.
        // Known by their hashes: a page placed from the cache reads no body.
        let key = self
            .engine
            .text_key(&versions::current_digest(self.site, bodies, i));
        let dir = crate::model::route::Route::Document(d.id.as_str()).dir();
        let replay = self.document_replay_key(i, bodies, key.as_ref());
        let mut text = None;
        if replay.as_ref().and_then(|k| self.replay(k)).is_none() {
            let body = versions::current_body(self.site, bodies, i)?;
            let (plain, html) = self.engine.body_text_keyed(body, key.as_ref());
            let (meta, view) = document::page(self.site, &self.urls, &self.locale, i, &plain);
            let mut placed = vec![self.page_with(
                "document.html",
                &dir,
                &meta,
                &view,
                Some(Splice::markdown(body, html.as_deref())),
            )?];
            placed.extend(self.version_pages(i, bodies)?);
            if let Some(key) = &replay {
                self.remember(key, placed, 1);
            }
            text = Some(plain);
        }
        // Attachments are copied whatever the pages: their bytes are not in any page key.
        for a in &d.attachments {
            self.tree.copy(
                &self.site_root().join(&a.source),
                &self.out.join(&dir).join(&a.name),
            )?;
        }
        Ok(DocumentText { text, key })
    }

    fn site_root(&self) -> &Path {
        self.root
    }

    /// The text of `key` in the site's language.
    fn word(&self, key: &str) -> String {
        self.locale.get(key).to_string()
    }
}

#[cfg(test)]
mod tests;
