//! Stage 5: render every page through the theme's Tera templates, in parallel.
//!
//! The page plan is simple and explicit: one document page per public document, the listings
//! and directories of [`lists`], the gazette, the 备案目录 and 清理结果, free pages, search,
//! the 网站地图 ([`site_map`]), 404. Each page is built from a view, rendered, minified and
//! written straight into the staging folder — nothing site-sized is held in memory but the
//! model and the search text.

mod archive;
pub mod document;
pub mod lists;
pub mod minify;
pub mod site_map;
pub mod theme;
pub mod versions;
pub mod views;

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
mod tests;
