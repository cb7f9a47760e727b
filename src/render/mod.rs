//! Stage 5: render every page through the theme's Tera templates, in parallel.
//!
//! The page plan is simple and explicit: one document page per public document, the listings
//! and directories of [`lists`], the gazette, the 备案目录 and 清理结果, free pages, search,
//! the 网站地图 ([`site_map`]), 404. Each page is built from a view, rendered, minified and
//! written straight into the staging folder — nothing site-sized is held in memory but the
//! model and the search text.

pub mod document;
pub mod lists;
pub mod minify;
pub mod site_map;
pub mod theme;
pub mod versions;
pub mod views;

use crate::model::chinese_date;
use std::borrow::Cow;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::cache::{Cache, Key};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{Markdown, Rendered};
use crate::model::Site;
use crate::output::fs;
use minify::Minify;
use views::{Crumb, Link, PageMeta, Urls};

/// What rendering needs besides the site: compiled templates, the Markdown renderer, the
/// minifier settings and the cache. Built once per build (and kept across rebuilds by `serve`).
pub struct Engine {
    tera: Tera,
    pub markdown: Markdown,
    pub cache: Cache,
    /// Hash of every template and of how pages are minified: part of each page's cache key.
    theme_key: Key,
    minify: Minify,
}

impl Engine {
    pub fn new(theme: &theme::Theme, cache: Cache, minify: bool) -> Result<Engine, Diagnostic> {
        let sources = theme.sources()?;
        // The templates as written compile first: their errors point at the lines the
        // author wrote.
        let tera = theme::compile(sources.clone())?;
        let (tera, minify) = if !minify {
            (tera, Minify::Off)
        } else {
            let cfg = minify::config();
            match minify::templates(&sources, &cfg).and_then(|m| theme::compile(m).ok()) {
                Some(minified) => (minified, Minify::Templates),
                None => (tera, Minify::Pages(cfg)),
            }
        };
        let mut parts: Vec<&[u8]> = Vec::new();
        for (name, text) in &sources {
            parts.push(name.as_bytes());
            parts.push(text.as_bytes());
        }
        parts.push(match minify {
            Minify::Off => b"off",
            Minify::Templates => b"templates",
            Minify::Pages(_) => b"pages",
        });
        Ok(Engine {
            tera,
            markdown: Markdown::new(),
            cache,
            theme_key: Key::of(&parts),
            minify,
        })
    }

    /// Whether pages come out minified because their templates were (the fast way), rather
    /// than each on its own.
    pub fn minifies_templates(&self) -> bool {
        matches!(self.minify, Minify::Templates)
    }

    /// Whether each page is minified after rendering (a theme whose templates could not be).
    pub fn minifies_each_page(&self) -> bool {
        matches!(self.minify, Minify::Pages(_))
    }

    /// Markdown → HTML and text (forewords and pages: a few per site, not cached).
    pub fn render_markdown(&self, source: &str) -> Rendered {
        self.markdown.render(source)
    }

    /// A document body's plain text, memoised by the source's hash: every build needs every
    /// body's text (the search index, the page's description), but a body's HTML only when its
    /// page is rendered, which a cached page is not. So the cache keeps the text alone — half
    /// the bytes a clean build writes for bodies — and the HTML comes back with it only when
    /// this call had to render the body anyway.
    pub fn body_text(&self, source: &str) -> (String, Option<String>) {
        let key = self
            .cache
            .enabled()
            .then(|| Key::of(&[b"markdown-text", source.as_bytes()]));
        if let Some(key) = &key
            && let Some(bytes) = self.cache.get_packed("markdown", key)
            && let Ok(text) = String::from_utf8(bytes)
        {
            return (text, None);
        }
        let r = self.markdown.render(source);
        if let Some(key) = &key {
            self.cache.put_packed("markdown", key, &[r.text.as_bytes()]);
        }
        (r.text, Some(r.html))
    }
}

/// The template that renders one document as a row of a list.
const ROW_TEMPLATE: &str = "doc_row.html";

/// HTML that is put into a page after the page is minified, in place of a marker the template
/// prints: a document's Markdown body, or a list page's rows. Either is already compact (the
/// body as pulldown-cmark writes it, the rows minified one by one), and the minifier — the
/// largest single cost of a build — then only sees the page around it.
struct Splice<'h> {
    /// The template variable that holds the marker, then the HTML.
    var: &'static str,
    marker: &'static str,
    html: Html<'h>,
}

/// What a [`Splice`] puts in.
enum Html<'h> {
    Ready(&'h str),
    /// A document's Markdown body: part of its page's cache key as its source, rendered only
    /// if the page is (`rendered`, when the body already was).
    Markdown {
        source: &'h str,
        rendered: Option<&'h str>,
    },
}

impl<'h> Splice<'h> {
    fn body(html: &'h str) -> Self {
        Splice {
            var: "body",
            marker: "\u{E000}gazette-body\u{E000}",
            html: Html::Ready(html),
        }
    }

    fn markdown(source: &'h str, rendered: Option<&'h str>) -> Self {
        Splice {
            html: Html::Markdown { source, rendered },
            ..Splice::body("")
        }
    }

    fn rows(html: &'h str) -> Self {
        Splice {
            var: "rows",
            marker: "\u{E000}gazette-rows\u{E000}",
            html: Html::Ready(html),
        }
    }

    /// What the page's cache key takes for the HTML.
    fn key_parts(&self) -> [&[u8]; 2] {
        match self.html {
            Html::Ready(html) => [b"html", html.as_bytes()],
            Html::Markdown { source, .. } => [b"markdown", source.as_bytes()],
        }
    }

    /// The HTML, rendered now if it must be.
    fn html(&self, engine: &Engine) -> Cow<'h, str> {
        match self.html {
            Html::Ready(html)
            | Html::Markdown {
                rendered: Some(html),
                ..
            } => Cow::Borrowed(html),
            Html::Markdown { source, .. } => Cow::Owned(engine.markdown.render(source).html),
        }
    }

    /// The minified page with the HTML in place of its one marker (private-use characters:
    /// nothing an editor writes, and the minifier keeps text as it is); `None` unless the
    /// marker is there exactly once.
    fn apply(&self, minified: &[u8], html: &str) -> Option<Vec<u8>> {
        let marker = self.marker.as_bytes();
        let find = |from: usize| {
            minified[from..]
                .windows(marker.len())
                .position(|w| w == marker)
                .map(|p| p + from)
        };
        let at = find(0)?;
        if find(at + marker.len()).is_some() {
            return None;
        }
        let mut out = Vec::with_capacity(minified.len() + html.len());
        out.extend_from_slice(&minified[..at]);
        out.extend_from_slice(html.as_bytes());
        out.extend_from_slice(&minified[at + marker.len()..]);
        Some(out)
    }
}

/// Renders pages of one site into one folder.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub urls: Urls,
    engine: &'a Engine,
    root: &'a Path,
    out: &'a Path,
    progress: Option<crate::Progress<'a>>,
    done: AtomicUsize,
    total: AtomicUsize,
    /// `site` as every page gets it (made once; part of every page's cache key).
    site_value: serde_json::Value,
    /// The folder of every `index.html` written, for the sitemap.
    written: Mutex<Vec<String>>,
    /// Each document's list row, once rendered ([`Self::row`]).
    rows: Vec<OnceLock<String>>,
}

type ListJob<'j> = Box<dyn Fn() -> Result<usize, Diagnostic> + Send + Sync + 'j>;

/// What the document pass hands on to the search index and feeds.
pub struct DocumentText {
    pub text: String,
}

impl<'a> Renderer<'a> {
    /// `root` is the site root (attachment sources are relative to it); `out` the staging folder.
    pub fn new(site: &'a Site, root: &'a Path, engine: &'a Engine, out: &'a Path) -> Self {
        let urls = Urls::new(&site.config.base_path());
        Renderer {
            site,
            site_value: serde_json::to_value(views::site_view(site, &urls)).unwrap_or_default(),
            urls,
            engine,
            root,
            out,
            progress: None,
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            written: Mutex::new(Vec::new()),
            rows: site.documents.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// Reports `(done, total)` to `progress` as pages are rendered.
    pub fn with_progress(mut self, progress: crate::Progress<'a>) -> Self {
        self.total = AtomicUsize::new(self.steps());
        self.progress = Some(progress);
        self
    }

    /// Renders `template` with `page` and `extra` into `<out>/<dir>index.html` (or `dir` itself
    /// when it names a file).
    fn page<T: Serialize>(
        &self,
        template: &str,
        dir: &str,
        page: &PageMeta,
        extra: &T,
    ) -> Result<(), Diagnostic> {
        self.page_with(template, dir, page, extra, None)
    }

    /// [`Self::page`] with HTML that bypasses the minifier ([`Splice`]).
    fn page_with<T: Serialize>(
        &self,
        template: &str,
        dir: &str,
        page: &PageMeta,
        extra: &T,
        splice: Option<Splice>,
    ) -> Result<(), Diagnostic> {
        let path = if dir.ends_with(".html") {
            dir.to_string()
        } else {
            self.written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(dir.to_string());
            format!("{dir}index.html")
        };
        let dest = self.out.join(path);
        let failed = |e| theme::template_error(template, &tera::Error::json(e));
        let page = serde_json::to_value(page).map_err(failed)?;
        let serde_json::Value::Object(mut view) = serde_json::to_value(extra).map_err(failed)?
        else {
            return Err(theme::template_error(
                template,
                &tera::Error::msg("页面数据不是对象"),
            ));
        };
        // The page is a function of its template set and everything it is given: hash those
        // (a cache hit renders nothing).
        let key = self.engine.cache.enabled().then(|| {
            let mut key = Key::builder();
            key.part(self.engine.theme_key.as_bytes())
                .part(template.as_bytes())
                .json_map(&view)
                .json(&page)
                .json(&self.site_value)
                .part(splice.as_ref().map_or("", |s| s.var).as_bytes());
            for part in splice.as_ref().map_or([&b""[..]; 2], Splice::key_parts) {
                key.part(part);
            }
            key.finish()
        });
        if let Some(key) = &key
            && self.engine.cache.place("pages", key, &dest)
        {
            return Ok(());
        }
        view.insert("site".into(), self.site_value.clone());
        view.insert("page".into(), page);
        let mut ctx = Context::from_value(serde_json::Value::Object(view))
            .map_err(|e| theme::template_error(template, &e))?;
        let render = |ctx: &Context| {
            self.engine
                .tera
                .render(template, ctx)
                .map_err(|e| theme::template_error(&format!("渲染 {template}({dir})"), &e))
        };
        let html = splice.as_ref().map(|s| s.html(self.engine));
        let bytes = match (&self.engine.minify, &splice, &html) {
            (Minify::Pages(cfg), Some(s), Some(html)) => {
                ctx.insert(s.var, s.marker);
                let minified = minify_html::minify(render(&ctx)?.as_bytes(), cfg);
                match s.apply(&minified, html) {
                    Some(bytes) => bytes,
                    // The marker did not come through once (a theme that prints the variable
                    // twice or not at all): minify the page whole instead.
                    None => {
                        ctx.insert(s.var, html);
                        minify_html::minify(render(&ctx)?.as_bytes(), cfg)
                    }
                }
            }
            (Minify::Pages(cfg), _, _) => minify_html::minify(render(&ctx)?.as_bytes(), cfg),
            (Minify::Templates | Minify::Off, _, _) => {
                if let (Some(s), Some(html)) = (&splice, &html) {
                    ctx.insert(s.var, html);
                }
                render(&ctx)?.into_bytes()
            }
        };
        match &key {
            Some(key) => self.engine.cache.put_and_place("pages", key, &bytes, &dest),
            None => fs::write(&dest, &bytes),
        }
    }

    /// Every page of the site. Returns the plain text of each document (by index) and the
    /// number of HTML pages written.
    pub fn render_all(&self) -> Result<(Vec<DocumentText>, usize), Diagnostics> {
        let texts = self.render_documents()?;
        let lists = self.render_lists()?;
        Ok((texts.0, texts.1 + lists))
    }

    /// The page of every document (in parallel). Returns each document's plain text, by
    /// index, and the number of pages written. The list pages do not need it, so a build can
    /// render them ([`Self::render_lists`]) while it builds the search index from the text.
    pub fn render_documents(&self) -> Result<(Vec<DocumentText>, usize), Diagnostics> {
        let results: Vec<Result<DocumentText, Diagnostic>> = (0..self.site.documents.len())
            .into_par_iter()
            .map(|i| {
                let r = self.document(i);
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
    pub fn render_lists(&self) -> Result<usize, Diagnostics> {
        let dirs = lists::directories(self.site, &self.urls);
        let jobs = self.list_jobs(&dirs);
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
            Err(diags)
        } else {
            Ok(count)
        }
    }

    /// The folder (`""`, `documents/x/` …) of every HTML page written so far, parents before
    /// their children, siblings in name order.
    pub fn page_dirs(&self) -> Vec<String> {
        let mut dirs = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        Self::sort_page_dirs(&mut dirs);
        dirs
    }

    /// Parents before their children, siblings in name order, each once.
    pub fn sort_page_dirs(dirs: &mut Vec<String>) {
        dirs.sort_by(|a, b| a.split('/').cmp(b.split('/')));
        dirs.dedup();
    }

    /// Progress counts on from `done` steps (a second renderer after the document pages).
    pub fn starting_at(self, done: usize) -> Self {
        self.done.store(done, Ordering::Relaxed);
        self
    }

    /// The number of progress steps of a whole render: one per document, one per list job.
    pub fn steps(&self) -> usize {
        let dirs = lists::directories(self.site, &self.urls);
        self.site.documents.len() + self.list_jobs(&dirs).len()
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
    pub fn render_document(&self, i: usize) -> Result<DocumentText, Diagnostic> {
        self.document(i)
    }

    fn document(&self, i: usize) -> Result<DocumentText, Diagnostic> {
        let d = &self.site.documents[i];
        // The text that applies on the as-of date (versions.md §1), indexed and shown.
        let body = versions::current_body(self.site, i);
        let (text, html) = self.engine.body_text(body);
        let (meta, view) = document::page(self.site, &self.urls, i, &text);
        let dir = format!("documents/{}/", d.id);
        self.page_with(
            "document.html",
            &dir,
            &meta,
            &view,
            Some(Splice::markdown(body, html.as_deref())),
        )?;
        self.version_pages(i)?;
        for a in &d.attachments {
            fs::copy(
                &self.site_root().join(&a.source),
                &self.out.join(&dir).join(&a.name),
            )?;
        }
        Ok(DocumentText { text })
    }

    /// `/documents/<id>/versions/<date>/`: every text of an amended document, each with its
    /// 题注, a banner saying whether it is current or which text replaced it, and what changed
    /// from the text before it.
    fn version_pages(&self, i: usize) -> Result<(), Diagnostic> {
        let site = self.site;
        let d = &site.documents[i];
        let texts = &site.texts[i];
        let list = versions::texts(site, &self.urls, i).list;
        for (k, t) in texts.iter().enumerate() {
            let body = t.version.as_deref().map_or(&d.body, |v| &v.body);
            let previous = k
                .checked_sub(1)
                .map(|p| texts[p].version.as_deref().map_or(&d.body, |v| &v.body));
            let dir = format!("documents/{}/versions/{}/", d.id, t.date);
            let html = self.engine.render_markdown(body).html;
            let view = serde_json::json!({
                "doc": views::summary(site, &self.urls, i),
                "caption": versions::caption_of(site, i, k),
                "text": &list[k],
                "current": list.iter().find(|l| l.current),
                "replaced_by": list.get(k + 1).filter(|_| k < site.current_text[i]),
                "texts": &list,
                "previous": k.checked_sub(1).map(|p| &list[p]),
                "diff": previous.map(|old| versions::compare(old, body)).unwrap_or_default(),
                "body_html": html,
            });
            let mut meta = document::page(site, &self.urls, i, "").0;
            meta.title = format!("{}（{}文本）", d.title, chinese_date(t.date));
            meta.url = versions::url(&self.urls, d, t.date);
            meta.canonical = document::absolute(site, &meta.url, &self.urls);
            self.page("version.html", &dir, &meta, &view)?;
        }
        Ok(())
    }

    fn site_root(&self) -> &Path {
        self.root
    }

    fn home(&self) -> Result<usize, Diagnostic> {
        let site = self.site;
        let urls = &self.urls;
        #[derive(Serialize)]
        struct Home {
            latest: Vec<views::DocSummary>,
            issue: Option<lists::IssueSummary>,
            issue_toc: Vec<lists::TocGroup>,
            counts: Vec<lists::StatusCount>,
            /// 征求意见中: what the public can comment on now.
            open_consultations: Vec<views::DocSummary>,
            entries: Vec<Link>,
            total: usize,
        }
        let newest_issue = (0..site.issues.len())
            .rev()
            .find(|&k| !site.issue_documents[k].is_empty() || site.issues[k].file.is_some());
        let home = Home {
            latest: site
                .newest_first
                .iter()
                .take(10)
                .map(|&i| views::summary(site, urls, i))
                .collect(),
            issue: newest_issue.map(|k| lists::issue_summary(site, urls, k)),
            issue_toc: newest_issue
                .map(|k| lists::toc(site, urls, k))
                .unwrap_or_default(),
            counts: lists::status_counts(site, urls),
            open_consultations: site
                .consultations
                .iter()
                .filter(|&&i| {
                    site.documents[i].consultation.as_ref().is_some_and(|c| {
                        c.state(site.as_of) == crate::model::ConsultationState::Open
                    })
                })
                .map(|&i| views::summary(site, urls, i))
                .collect(),
            entries: [
                ("政府公报", "gazette/"),
                ("全部文件", "documents/"),
                ("按发文机关", "issuers/"),
                ("按主题分类", "subjects/"),
                ("按文件类别", "kinds/"),
                ("按年份", "years/"),
                ("按有效性", "status/"),
                ("备案目录", "filings/"),
                ("清理结果", "cleanups/"),
                ("征求意见", "consultations/"),
                ("统计数据", "statistics/"),
                ("开放数据", "data/"),
            ]
            .iter()
            .map(|(t, u)| Link {
                title: (*t).into(),
                url: urls.at(u),
            })
            .collect(),
            total: site.documents.len(),
        };
        let mut meta = lists::meta(
            urls,
            site,
            site.config.title.clone(),
            "",
            "home",
            Vec::new(),
        );
        meta.description = site
            .config
            .description
            .clone()
            .unwrap_or_else(|| site.config.title.clone());
        meta.feed = Some(urls.at("feed.xml"));
        self.page("index.html", "", &meta, &home)?;
        Ok(1)
    }

    fn all_documents(&self) -> Result<usize, Diagnostic> {
        let listing = lists::Listing {
            base: "documents/".into(),
            title: "政策文件".into(),
            section: "documents",
            crumbs: vec![Crumb {
                title: "首页".into(),
                url: Some(self.urls.root()),
            }],
            docs: self.site.newest_first.clone(),
            intro: Some(
                "本站发布的全部规章、行政规范性文件和其他政策文件,按发布日期从新到旧排列。".into(),
            ),
            feed: Some(self.urls.at("feed.xml")),
        };
        self.listing(&listing)
    }

    fn listing(&self, l: &lists::Listing) -> Result<usize, Diagnostic> {
        let pages = lists::paginate(&self.urls, &l.base, &l.docs, self.site.config.page_size);
        let n = pages.len();
        #[derive(Serialize)]
        struct ListView<'a> {
            pager: &'a lists::Pager,
            intro: Option<&'a str>,
        }
        let mut rows = String::new();
        for (dir, pager) in &pages {
            let title = if pager.number > 1 {
                format!("{}(第 {} 页)", l.title, pager.number)
            } else {
                l.title.clone()
            };
            let mut crumbs = l.crumbs.clone();
            crumbs.push(Crumb {
                title: l.title.clone(),
                url: None,
            });
            let mut meta = lists::meta(&self.urls, self.site, title, dir, l.section, crumbs);
            meta.prev = pager.prev.clone();
            meta.next = pager.next.clone();
            meta.feed = l.feed.clone();
            rows.clear();
            for &i in &pager.docs {
                rows.push_str(self.row(i)?);
            }
            self.page_with(
                "list.html",
                dir,
                &meta,
                &ListView {
                    pager,
                    intro: l.intro.as_deref(),
                },
                Some(Splice::rows(&rows)),
            )?;
        }
        Ok(n)
    }

    /// Document `i` as one row of a list (`doc_row.html`), minified like the pages. Rendered
    /// once and shared by every list the document is on — all documents, its issuers', its
    /// subjects', its kind's, its year's and its status's — instead of once per list.
    fn row(&self, i: usize) -> Result<&str, Diagnostic> {
        if let Some(row) = self.rows[i].get() {
            return Ok(row);
        }
        let mut ctx = Context::new();
        ctx.insert("site", &self.site_value);
        ctx.insert("d", &views::summary(self.site, &self.urls, i));
        let html = self
            .engine
            .tera
            .render(ROW_TEMPLATE, &ctx)
            .map_err(|e| theme::template_error(&format!("渲染 {ROW_TEMPLATE}"), &e))?;
        let row = match &self.engine.minify {
            Minify::Pages(cfg) => minify::html(html.trim(), cfg),
            Minify::Templates => html.trim().to_string(),
            Minify::Off => html,
        };
        Ok(self.rows[i].get_or_init(|| row))
    }

    fn directory_index(&self, dir: &lists::Directory) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct DirView<'a> {
            terms: &'a [lists::Term],
        }
        let crumbs = lists::trail(&self.urls, &[], dir.title);
        let meta = lists::meta(
            &self.urls,
            self.site,
            dir.title.to_string(),
            dir.base,
            "documents",
            crumbs,
        );
        self.page(
            "directory.html",
            dir.base,
            &meta,
            &DirView { terms: &dir.terms },
        )?;
        Ok(1)
    }

    fn gazette(&self) -> Result<usize, Diagnostic> {
        let site = self.site;
        let urls = &self.urls;
        let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
        for (k, issue) in site.issues.iter().enumerate() {
            match years.last_mut() {
                Some((y, list)) if *y == issue.no.year => list.push(k),
                _ => years.push((issue.no.year, vec![k])),
            }
        }
        years.reverse();
        #[derive(Serialize)]
        struct Year {
            year: i16,
            url: String,
            issues: Vec<lists::IssueSummary>,
        }
        let year_views: Vec<Year> = years
            .iter()
            .map(|(y, ks)| Year {
                year: *y,
                url: urls.gazette_year(*y),
                issues: ks
                    .iter()
                    .map(|&k| lists::issue_summary(site, urls, k))
                    .collect(),
            })
            .collect();
        let mut count = 0;
        let meta = lists::meta(
            urls,
            site,
            "政府公报".into(),
            "gazette/",
            "gazette",
            lists::trail(urls, &[], "政府公报"),
        );
        #[derive(Serialize)]
        struct Years<'a> {
            years: &'a [Year],
        }
        self.page(
            "gazette_years.html",
            "gazette/",
            &meta,
            &Years { years: &year_views },
        )?;
        count += 1;
        for y in &year_views {
            let title = format!("{}年", y.year);
            let meta = lists::meta(
                urls,
                site,
                format!("政府公报 {title}"),
                &format!("gazette/{}/", y.year),
                "gazette",
                lists::trail(urls, &[("政府公报", "gazette/")], &title),
            );
            self.page(
                "gazette_year.html",
                &format!("gazette/{}/", y.year),
                &meta,
                y,
            )?;
            count += 1;
        }
        for (k, issue) in site.issues.iter().enumerate() {
            #[derive(Serialize)]
            struct IssueView {
                issue: lists::IssueSummary,
                toc: Vec<lists::TocGroup>,
                foreword: String,
                prev: Option<Link>,
                next: Option<Link>,
                pdf_sha256: Option<String>,
            }
            let pdf = match &issue.pdf {
                Some(p) => {
                    let from = self.site_root().join(&p.source);
                    Some(std::fs::read(&from).map_err(|e| fs::io_error(&from, "读取", e))?)
                }
                None => None,
            };
            let (prev, next) = lists::neighbours(site, urls, k);
            let view = IssueView {
                issue: lists::issue_summary(site, urls, k),
                toc: lists::toc(site, urls, k),
                foreword: self.engine.render_markdown(&issue.foreword).html,
                prev,
                next,
                pdf_sha256: pdf.as_deref().map(lists::sha256_hex),
            };
            let dir = format!("gazette/{}/{:02}/", issue.no.year, issue.no.number);
            let year = format!("{}年", issue.no.year);
            let crumbs = lists::trail(
                urls,
                &[
                    ("政府公报", "gazette/"),
                    (&year, &format!("gazette/{}/", issue.no.year)),
                ],
                &views::issue_label(issue.no),
            );
            let mut meta = lists::meta(
                urls,
                site,
                view.issue.title.clone(),
                &dir,
                "gazette",
                crumbs,
            );
            meta.prev = view.prev.as_ref().map(|l| l.url.clone());
            meta.next = view.next.as_ref().map(|l| l.url.clone());
            self.page("gazette_issue.html", &dir, &meta, &view)?;
            if let (Some(p), Some(bytes)) = (&issue.pdf, &pdf) {
                fs::write(&self.out.join(&dir).join(&p.name), bytes)?;
            }
            count += 1;
        }
        Ok(count)
    }

    fn filings(&self) -> Result<usize, Diagnostic> {
        let mut docs: Vec<usize> = (0..self.site.documents.len())
            .filter(|&i| {
                let d = &self.site.documents[i];
                d.record_number.is_some() || d.filed_on.is_some()
            })
            .collect();
        self.site.sort_for_list(&mut docs);
        let listing = lists::Listing {
            base: "filings/".into(),
            title: "备案目录".into(),
            section: "filings",
            crumbs: vec![Crumb {
                title: "首页".into(),
                url: Some(self.urls.root()),
            }],
            docs,
            intro: Some("已向上级机关报送备案的规章和行政规范性文件目录。".into()),
            feed: None,
        };
        let pages = lists::paginate(
            &self.urls,
            &listing.base,
            &listing.docs,
            self.site.config.page_size,
        );
        let n = pages.len();
        for (dir, pager) in pages {
            let dir = &dir;
            let pager = &pager.with_items(self.site, &self.urls);
            let mut meta = lists::meta(
                &self.urls,
                self.site,
                listing.title.clone(),
                dir,
                "filings",
                lists::trail(&self.urls, &[], "备案目录"),
            );
            meta.prev = pager.prev.clone();
            meta.next = pager.next.clone();
            #[derive(Serialize)]
            struct F<'a> {
                pager: &'a lists::Pager,
                intro: Option<&'a str>,
            }
            self.page(
                "filings.html",
                dir,
                &meta,
                &F {
                    pager,
                    intro: listing.intro.as_deref(),
                },
            )?;
        }
        Ok(n)
    }

    fn cleanups(&self) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct C {
            cleanups: Vec<lists::Cleanup>,
        }
        let meta = lists::meta(
            &self.urls,
            self.site,
            "清理结果".into(),
            "cleanups/",
            "documents",
            lists::trail(&self.urls, &[], "清理结果"),
        );
        self.page(
            "cleanups.html",
            "cleanups/",
            &meta,
            &C {
                cleanups: lists::cleanups(self.site, &self.urls),
            },
        )?;
        Ok(1)
    }

    /// `/consultations/`: 征求意见稿, open ones first (versions.md §2).
    fn consultations(&self) -> Result<usize, Diagnostic> {
        let docs: Vec<views::DocSummary> = self
            .site
            .consultations
            .iter()
            .map(|&i| views::summary(self.site, &self.urls, i))
            .collect();
        let mut meta = lists::meta(
            &self.urls,
            self.site,
            "征求意见".into(),
            "consultations/",
            "documents",
            lists::trail(&self.urls, &[], "征求意见"),
        );
        meta.feed = Some(self.urls.at("consultations/feed.xml"));
        self.page(
            "consultations.html",
            "consultations/",
            &meta,
            &serde_json::json!({ "docs": docs }),
        )?;
        Ok(1)
    }

    /// `/statistics/`: the annual numbers of legal-model.md §7, one table per year.
    fn statistics(&self) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct Row {
            label: String,
            issued: usize,
            ended: usize,
            in_force: usize,
        }
        #[derive(Serialize)]
        struct YearView {
            year: i16,
            rows: Vec<Row>,
        }
        let stats = crate::model::statistics::Statistics::of(self.site);
        let years: Vec<YearView> = stats
            .years
            .iter()
            .rev()
            .map(|y| YearView {
                year: y.year,
                rows: y
                    .kinds
                    .iter()
                    .map(|(k, n)| Row {
                        label: views::kind_label(self.site, k),
                        issued: n.issued,
                        ended: n.ended,
                        in_force: n.in_force,
                    })
                    .collect(),
            })
            .collect();
        let meta = lists::meta(
            &self.urls,
            self.site,
            "规章和行政规范性文件统计".into(),
            "statistics/",
            "home",
            lists::trail(&self.urls, &[], "统计数据"),
        );
        self.page(
            "statistics.html",
            "statistics/",
            &meta,
            &serde_json::json!({ "years": years }),
        )?;
        Ok(1)
    }

    fn pages(&self) -> Result<usize, Diagnostic> {
        for p in &self.site.pages {
            let dir = format!("pages/{}/", p.slug);
            let meta = lists::meta(
                &self.urls,
                self.site,
                p.title.clone(),
                &dir,
                "home",
                lists::trail(&self.urls, &[], &p.title),
            );
            let body = self.engine.render_markdown(&p.body).html;
            self.page_with(
                "page.html",
                &dir,
                &meta,
                &serde_json::json!({}),
                Some(Splice::body(&body)),
            )?;
        }
        Ok(self.site.pages.len())
    }

    fn search_page(&self) -> Result<usize, Diagnostic> {
        let site = self.site;
        #[derive(Serialize)]
        struct Opt {
            value: String,
            label: String,
        }
        #[derive(Serialize)]
        struct Filters {
            statuses: Vec<Opt>,
            kinds: Vec<Opt>,
            issuers: Vec<Opt>,
            years: Vec<i16>,
        }
        let mut years: Vec<i16> = site.documents.iter().map(|d| d.published.year()).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let filters = Filters {
            statuses: crate::model::Status::ALL
                .iter()
                .map(|s| Opt {
                    value: s.code().into(),
                    label: s.label().into(),
                })
                .collect(),
            kinds: site
                .config
                .kinds
                .iter()
                .map(|k| Opt {
                    value: k.key.clone(),
                    label: k.label.clone(),
                })
                .collect(),
            issuers: site
                .config
                .issuers
                .iter()
                .map(|x| Opt {
                    value: x.slug.clone(),
                    label: x.name.clone(),
                })
                .collect(),
            years,
        };
        #[derive(Serialize)]
        struct S {
            filters: Filters,
        }
        let meta = lists::meta(
            &self.urls,
            site,
            "检索".into(),
            "search/",
            "search",
            lists::trail(&self.urls, &[], "检索"),
        );
        self.page("search.html", "search/", &meta, &S { filters })?;
        Ok(1)
    }

    /// `/data/`: what the open data files are and what each field means.
    fn open_data(&self) -> Result<usize, Diagnostic> {
        let meta = lists::meta(
            &self.urls,
            self.site,
            "开放数据".into(),
            "data/",
            "home",
            lists::trail(&self.urls, &[], "开放数据"),
        );
        self.page(
            "data.html",
            "data/",
            &meta,
            &serde_json::json!({ "total": self.site.documents.len() }),
        )?;
        Ok(1)
    }

    /// `/sitemap/`: the 网站地图 every footer links to.
    fn site_map(&self, dirs: &[lists::Directory]) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct Map {
            sections: Vec<site_map::MapSection>,
        }
        let meta = lists::meta(
            &self.urls,
            self.site,
            "网站地图".into(),
            "sitemap/",
            "home",
            lists::trail(&self.urls, &[], "网站地图"),
        );
        let sections = site_map::site_map(self.site, &self.urls, dirs);
        self.page("sitemap.html", "sitemap/", &meta, &Map { sections })?;
        Ok(1)
    }

    fn not_found(&self) -> Result<usize, Diagnostic> {
        let meta = lists::meta(
            &self.urls,
            self.site,
            "页面不存在".into(),
            "404.html",
            "home",
            Vec::new(),
        );
        self.page("404.html", "404.html", &meta, &serde_json::json!({}))?;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_minified_once_not_on_every_page() {
        let theme = theme::Theme::load(Path::new("/no/site/here"), "default").unwrap();
        let sources = theme.sources().unwrap();
        for (name, text) in sources.iter().filter(|(n, _)| n.ends_with(".html")) {
            assert!(
                minify::template(text, &minify::config()).is_some(),
                "{name} cannot be minified as a template"
            );
        }
        let engine = Engine::new(&theme, Cache::disabled(), true).unwrap();
        assert!(engine.minifies_templates());
    }

    #[test]
    fn a_body_text_comes_back_from_its_cache_entry_and_its_html_only_when_rendered() {
        let dir = tempfile::tempdir().unwrap();
        let theme = theme::Theme::load(dir.path(), "default").unwrap();
        let engine = || {
            let cache = Cache::new(Some(dir.path().join("cache")));
            Engine::new(&theme, cache, true).unwrap()
        };
        let source = "# 第一章\n\n第一条 为了规范……\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n";
        let fresh = engine().render_markdown(source);
        let first = engine();
        assert_eq!(
            first.body_text(source),
            (fresh.text.clone(), Some(fresh.html.clone()))
        );
        assert_eq!(first.cache.hits.load(Ordering::Relaxed), 0);
        first.cache.finish();
        // The next build reads the text back instead of rendering the body.
        let next = engine();
        assert_eq!(next.body_text(source), (fresh.text, None));
        assert_eq!(next.cache.hits.load(Ordering::Relaxed), 1);
        // Its page renders the HTML when it needs it, the same HTML.
        let splice = Splice::markdown(source, None);
        assert_eq!(splice.html(&next), fresh.html);
        assert_eq!(
            splice.key_parts(),
            Splice::markdown(source, Some(&fresh.html)).key_parts(),
            "rendered now or not, the page's key is the same"
        );
    }

    #[test]
    fn the_body_replaces_its_one_marker() {
        let body = Splice::body("<p>第一条\n<p>第二条");
        let page = format!("<main><div class=doc-body>{}</div></main>", body.marker);
        let out = body.apply(page.as_bytes(), "<p>第一条\n<p>第二条").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<main><div class=doc-body><p>第一条\n<p>第二条</div></main>"
        );
    }

    #[test]
    fn no_marker_or_two_markers_mean_no_splice() {
        let rows = Splice::rows("x");
        assert!(rows.apply(b"<main></main>", "x").is_none());
        let twice = format!("{0}<hr>{0}", rows.marker);
        assert!(rows.apply(twice.as_bytes(), "x").is_none());
        // A body's marker is not a list's.
        let body_marker = Splice::body("").marker;
        assert!(rows.apply(body_marker.as_bytes(), "x").is_none());
    }

    #[test]
    fn the_minifier_keeps_the_markers_intact() {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_closing_tags = true;
        for splice in [Splice::body("<p>正文</p>"), Splice::rows("<li>一</li>")] {
            let html = format!("<div class=\"x\">\n   {}\n  </div>", splice.marker);
            let min = minify_html::minify(html.as_bytes(), &cfg);
            assert!(splice.apply(&min, "y").is_some());
        }
    }
}
