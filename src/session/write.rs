//! Rendering a [`Snapshot`] into a folder: the document pages, then the list pages and the
//! search index side by side, then the data, the feeds and the site map.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Progress, Snapshot, Stage, Timings};
use crate::cache::{Cache, record};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::route::Urls;
use crate::model::{Bodies, DocIx, Site};
use crate::{export, output, render, search};

/// How a snapshot is rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Minify the pages (and the site's `minify` setting allows it).
    pub minify: bool,
    /// Where build products are memoised (`None`: no cache). Deleting it is always safe.
    pub cache_dir: Option<PathBuf>,
}

impl Snapshot {
    /// Renders the whole site into `out` (a fresh folder). Returns the number of HTML pages.
    /// Consumes the snapshot to free the documents' Markdown once their pages are written.
    pub(crate) fn render(
        self,
        out: &output::Tree,
        options: &RenderOptions,
        progress: Option<Progress<'_>>,
        timings: &mut Timings,
    ) -> Result<usize, Diagnostics> {
        let minify = options.minify && self.site.config.minify;
        let cache = Cache::new(options.cache_dir.clone());
        let engine = render::Engine::new(&self.theme, cache, minify).map_err(one)?;
        let pages = write_site(self, &engine, out, progress, timings)?;
        engine.cache.finish();
        Ok(pages)
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}

/// The pages, data and search files of the snapshot into `out`. Takes the snapshot to drop its
/// bodies once the document pages are written (in a build nothing else holds them; `serve`'s
/// session keeps its own references).
fn write_site(
    snapshot: Snapshot,
    engine: &render::Engine,
    tree: &output::Tree,
    progress: Option<Progress<'_>>,
    timings: &mut Timings,
) -> Result<usize, Diagnostics> {
    let Snapshot {
        root,
        key,
        site,
        bodies,
        theme,
        ..
    } = snapshot;
    let (site, theme, root) = (&site, &*theme, root.as_path());
    let out = tree.dir();
    let (texts, documents, mut html_pages) = {
        let mut renderer = render::Renderer::new(site, root, engine, tree).with_model_key(key);
        if let Some(p) = progress {
            renderer = renderer.with_progress(p);
        }
        let (texts, documents) = renderer.render_documents(&bodies)?;
        (texts, documents, renderer.page_dirs())
    };
    debug_assert_eq!(texts.len(), site.document_count());
    // The search may still ask for the text of a document whose pages were placed from the
    // cache unread (`search::BodySource`); every other body is dropped here.
    let bodies = bodies.keeping(|ix| texts.get(ix.get()).is_some_and(|t| t.text.is_none()));
    let mut renderer = render::Renderer::new(site, root, engine, tree).with_model_key(key);
    if let Some(p) = progress {
        renderer = renderer.with_progress(p).starting_at(documents);
    }
    // A theme minified page by page is slower (book: theme.md#minify): say so where speed is read.
    timings.mark(if engine.minifies_each_page() {
        Stage::DocumentPagesMinifiedEach
    } else {
        Stage::DocumentPages
    });
    // The list pages and the search index need nothing from each other: let rayon share the
    // cores between them.
    let (lists, files) = rayon::join(
        || renderer.render_lists(),
        || search_index(site, engine, texts, &bodies, tree),
    );
    let pages = documents + lists?;
    let files = files.map_err(one)?;
    timings.mark(Stage::ListsAndSearch);
    let urls = Urls::new(&site.config.base_url);
    let write = |path: &str, bytes: &[u8]| tree.write(&out.join(path), bytes).map_err(one);
    // The search files (80 000 at 100 000 documents) are written while the data exports and
    // feeds are made.
    let (searched, exported) = rayon::join(
        || write_all(tree, &files).map_err(one),
        || {
            for (path, file) in &theme.statics {
                let bytes = file.bytes().map_err(one)?;
                tree.write(&out.join(path), &bytes).map_err(one)?;
            }
            for (path, bytes) in &exports(site, &urls, &engine.cache, &key) {
                write(path, bytes)?;
            }
            Ok::<(), Diagnostics>(())
        },
    );
    searched?;
    exported?;
    timings.mark(Stage::DataFeedsAndSearchFiles);
    write("robots.txt", export::robots(site, &urls).as_bytes())?;
    html_pages.extend(renderer.page_dirs());
    render::Renderer::sort_page_dirs(&mut html_pages);
    write("sitemap.xml", export::sitemap(site, &html_pages).as_bytes())?;
    timings.mark(Stage::SiteMap);
    Ok(pages)
}

/// Writes many small files (the search index's thousands) in parallel, each folder made once.
fn write_all(tree: &output::Tree, files: &[search::SearchFile]) -> Result<(), Diagnostic> {
    use rayon::prelude::*;
    let out = tree.dir();
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| out.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        output::fs::create_dir_all(dir)?;
    }
    files.par_iter().try_for_each(|f| {
        let dest = out.join(&f.path);
        match f.held {
            Some(_) => tree.keep_held(&dest),
            None => tree.write_hashed(&dest, &f.bytes, Some(&f.hash)),
        }
    })
}

/// The search index of every public document, through the build cache (`search::memo`).
/// Takes the documents' text (no copy of it is kept: at 100 000 documents it is hundreds of
/// megabytes).
fn search_index(
    site: &Site,
    engine: &render::Engine,
    texts: Vec<render::DocumentText>,
    bodies: &Bodies,
    tree: &output::Tree,
) -> Result<Vec<search::SearchFile>, Diagnostic> {
    let urls = Urls::new(&site.config.base_url);
    let docs: Vec<search::SearchDoc> = site
        .docs()
        .zip(texts)
        .map(|((ix, s), text)| (ix, &s.document, s.status, text))
        .map(|(ix, d, status, text)| search::SearchDoc {
            id: d.id.to_string(),
            title: d.title.clone(),
            doc_number: d.doc_number.clone(),
            issuers: d.issuers.clone(),
            source: text.key.map(|key| search::BodySource {
                key: *key.as_bytes(),
                at: ix.get(),
                unread: text.text.is_none(),
            }),
            body: text.text.unwrap_or_default(),
            summary: d.summary.clone(),
            published: d.published.to_string(),
            year: i32::from(d.published.year()),
            // Only `own` kinds have a status to filter by (legal-model.md §1).
            status: status.map_or_else(String::new, |s| s.code().to_string()),
            status_label: status.map_or_else(String::new, |s| s.label().to_string()),
            kind: d.kind.clone(),
            kind_label: render::views::kind_label(site, &d.kind),
            url: urls.document(d.id.as_str()),
        })
        .collect();
    let unread = Unread {
        site,
        engine,
        bodies,
        ixs: site.ixs().collect(),
        failed: Mutex::new(None),
    };
    let files = search::memo::search_files(docs, &engine.cache, &unread, &Held(tree));
    match unread
        .failed
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
    {
        Some(d) => Err(d),
        None => Ok(files),
    }
}

/// What the folder being written holds already, for the search (`search::Output`).
struct Held<'a>(&'a output::Tree);

impl search::Output for Held<'_> {
    fn holds(&self, path: &str, len: u64, hash: &[u8; 32]) -> bool {
        self.0.holds_bytes(path, len, hash)
    }
    fn holds_any(&self) -> bool {
        self.0.taken_up()
    }
}

/// The texts of documents handed to the search unread: made again from their bodies, which
/// the build keeps for them (their texts are in the cache, so this reads them from there).
struct Unread<'a> {
    site: &'a Site,
    engine: &'a render::Engine,
    bodies: &'a Bodies,
    ixs: Vec<DocIx>,
    /// Why a body could not be read: the build fails with it.
    failed: Mutex<Option<Diagnostic>>,
}

impl search::Texts for Unread<'_> {
    fn text(&self, at: usize) -> String {
        let Some(&ix) = self.ixs.get(at) else {
            return String::new();
        };
        match render::versions::current_body(self.site, self.bodies, ix) {
            Ok(body) => self.engine.body_text(body).0,
            Err(d) => {
                // The search goes on with an empty text, keyed by the hash of another: nothing
                // it makes from here is kept, and the build fails once it returns.
                self.engine.cache.stop_keeping();
                let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.get_or_insert(d);
                String::new()
            }
        }
    }
}

/// The open data, the statistics and the feeds, by path. They are made from the site alone
/// (code, not templates; no body): under the site's key (`model_key.rs`) the cache keeps
/// them, and a build whose site is the same, as after an edit of bodies only, takes them from
/// there instead of writing 10 000 rows of JSON and CSV again.
fn exports(
    site: &Site,
    urls: &Urls,
    cache: &Cache,
    site_key: &crate::cache::Key,
) -> Vec<(String, Vec<u8>)> {
    let key = cache.enabled().then(|| {
        crate::cache::Key::builder()
            .part(b"exports")
            .part(site_key.as_bytes())
            .finish()
    });
    if let Some(key) = &key
        && let Some(files) = cache
            .get_packed(crate::cache::Kind::Exports, key)
            .and_then(|bytes| decode_files(&bytes))
    {
        return files;
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut write = |path: &str, bytes: &[u8]| files.push((path.to_string(), bytes.to_vec()));
    write("data/documents.json", &export::data::json(site, urls));
    write("data/documents.csv", &export::data::csv(site, urls));
    write("data/statistics.json", &export::data::statistics(site));
    write(
        "feed.xml",
        export::feeds::atom(
            site,
            urls,
            &site.config.title,
            "feed.xml",
            "",
            &site.newest_first,
        )
        .as_bytes(),
    );
    // 征求意见稿 (versions.md §2), newest first.
    let consultations: Vec<DocIx> = site
        .newest_first
        .iter()
        .copied()
        .filter(|&i| site.document(i).consultation.is_some())
        .collect();
    let title = format!("征求意见 - {}", site.config.title);
    write(
        "consultations/feed.xml",
        export::feeds::atom(
            site,
            urls,
            &title,
            "consultations/feed.xml",
            "consultations/",
            &consultations,
        )
        .as_bytes(),
    );
    for dir in render::lists::directories(site, urls) {
        if !matches!(dir.base, "issuers/" | "subjects/") {
            continue;
        }
        for l in &dir.listings {
            let title = format!("{} - {}", l.title, site.config.title);
            let path = format!("{}feed.xml", l.base);
            write(
                &path,
                export::feeds::atom(site, urls, &title, &path, &l.base, &l.docs).as_bytes(),
            );
        }
    }
    if let Some(key) = &key {
        cache.put_packed(crate::cache::Kind::Exports, key, &[&encode_files(&files)]);
    }
    files
}

/// `files` as one cache entry: their count, then each path and its bytes
/// (`cache::record`).
fn encode_files(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    record::put_number(&mut out, files.len());
    for (path, bytes) in files {
        record::put_bytes(&mut out, path.as_bytes());
        record::put_bytes(&mut out, bytes);
    }
    out
}

/// [`encode_files`] read back; `None` if the bytes are not such an entry.
fn decode_files(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut r = record::Reader::new(bytes);
    let count = r.number()?;
    let mut files = Vec::with_capacity(count.min(bytes.len() / 16));
    for _ in 0..count {
        let path = r.text()?;
        files.push((path, r.bytes()?.to_vec()));
    }
    r.at_end().then_some(files)
}

#[cfg(test)]
mod tests {
    use super::{decode_files, encode_files};

    #[test]
    fn exported_files_read_back_and_a_damaged_entry_does_not() {
        let files = vec![
            ("data/documents.json".to_string(), b"[]".to_vec()),
            ("feed.xml".to_string(), Vec::new()),
        ];
        let bytes = encode_files(&files);
        assert_eq!(decode_files(&bytes), Some(files));
        assert_eq!(decode_files(&bytes[..bytes.len() - 1]), None);
        assert_eq!(decode_files(&[bytes.as_slice(), b"x"].concat()), None);
    }
}
