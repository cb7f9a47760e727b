//! `gazette`: a static site generator for a government's official gazette (政府公报) and its
//! normative-document archive (行政规范性文件库).
//!
//! The build is a pipeline of stages, each a module, each passing typed data to the next:
//!
//! 1. [`config`] — `gazette.toml`, raw → resolved [`config::Config`].
//! 2. [`source`] — walk `content/`, read UTF-8, split front matter with file-absolute lines.
//! 3. [`validate`] — JSON Schema + typed checks per file, then site-wide rules; every problem
//!    collected as a [`diag::Diagnostic`].
//! 4. [`model`] — the immutable [`model::Site`]: public documents only, relations and
//!    statuses on the `as_of` date computed once.
//! 5. [`render`] — views → Tera templates of the theme, in parallel with rayon, minified.
//! 6. [`export`] and [`search`] — open data, feeds, sitemap, the lunr search index.
//! 7. [`output`] — all of it written to a staging folder, swapped in atomically on success.
//!
//! [`serve`] runs this whole pipeline again on each change, for the editor's preview.
//!
//! A failed stage stops the pipeline before anything is published: the previous site stays.

pub mod cache;
pub mod config;
pub mod diag;
pub mod export;
pub mod import;
pub mod markdown;
pub mod model;
pub mod output;
pub mod proofread;
pub mod render;
pub mod search;
pub mod serve;
pub mod source;
pub mod validate;

use std::path::{Path, PathBuf};
use std::time::Instant;

use jiff::civil::Date;

use diag::{Diagnostic, Diagnostics};
use model::Site;
use render::theme::Theme;
use render::views::Urls;
use validate::schema::Schemas;

/// What a build needs to know beyond the site itself.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub as_of: Date,
    /// Overrides `base_url` of `gazette.toml` (e.g. for a preview deployment).
    pub base_url: Option<String>,
    pub minify: bool,
    /// Where build products are memoised (`None`: no cache). Deleting it is always safe.
    pub cache_dir: Option<PathBuf>,
    /// With a cache: when nothing changed since the last build of this output and the output
    /// is as that build left it, leave it alone (see `output::stamp`). `serve`, which builds
    /// into a new folder each time, has no use for it.
    pub keep_unchanged: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub documents: usize,
    pub pages: usize,
    pub seconds: f64,
    /// Warnings (a build with errors returns `Err`).
    pub warnings: Vec<Diagnostic>,
    /// Public documents whose `published` is after the as-of date: how many, and the first
    /// day one of them goes live (the daily rebuild publishes it then).
    pub waiting: Option<(usize, jiff::civil::Date)>,
    /// How long each stage took, in pipeline order (`gazette build --timings`).
    pub timings: Timings,
}

/// Wall time per pipeline stage: where a slow build spends its time, without a profiler.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<(&'static str, f64)>,
    last: Option<Instant>,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            last: Some(Instant::now()),
        }
    }

    /// Closes the stage that ran since the previous mark (or the start) under `name`.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        if let Some(last) = self.last {
            self.stages.push((name, (now - last).as_secs_f64()));
        }
        self.last = Some(now);
    }

    /// `(stage, seconds)` in the order the stages ran.
    pub fn stages(&self) -> &[(&'static str, f64)] {
        &self.stages
    }
}

/// Stages 1–4: everything `gazette check` does. Returns the site when there were no errors,
/// and all diagnostics (warnings included) either way.
pub fn load(
    root: &Path,
    as_of: Date,
    base_url: Option<&str>,
) -> (Option<(Site, Theme)>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let schemas = Schemas::new();
    let Some(mut config) = config::load(root, &schemas, &mut diags) else {
        return (None, diags);
    };
    if let Some(url) = base_url {
        config.base_url = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
    }
    let theme = match Theme::load(root, &config.theme) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    if let Some(t) = &theme
        && let Err(d) = t.tera()
    {
        diags.push(d);
    }
    let sources = source::discover(root, &mut diags);
    let valid = validate::validate(root, &sources, &config, &schemas, as_of, &mut diags);
    if diags.has_errors() {
        return (None, diags);
    }
    let site = Site::new(
        config,
        as_of,
        valid.documents,
        valid.versions,
        valid.issues,
        valid.pages,
    );
    (theme.map(|t| (site, t)), diags)
}

/// Told `(done, total)` as pages are rendered, from any rendering thread (`gazette build` draws
/// its progress bar with it).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// The whole pipeline: load, render into a staging folder, publish atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    build_with_progress(opts, None)
}

/// [`build`], reporting rendering progress to `progress`.
pub fn build_with_progress(
    opts: &BuildOptions,
    progress: Option<Progress<'_>>,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let target = output::guard::check(&opts.root, &opts.output).map_err(|d| vec![d])?;
    let inputs = opts
        .cache_dir
        .as_ref()
        .filter(|_| opts.keep_unchanged)
        .map(|dir| {
            let inputs = output::stamp::Inputs::of(
                &opts.root,
                opts.as_of,
                opts.base_url.as_deref(),
                opts.minify,
            );
            (dir, inputs)
        });
    let staging = output::Staging::begin(&opts.output.components().collect::<PathBuf>(), target)
        .map_err(|d| vec![d])?;
    // Under the lock: nothing changed since the last build of this output → nothing to do,
    // not even reading the documents (the stamp has the warnings they gave).
    if let Some((dir, inputs)) = &inputs
        && let Some(stamp) = output::stamp::unchanged(dir, &opts.output, inputs)
        && let Some(warnings) = stamp.warnings()
    {
        drop(staging);
        timings.mark("核对未改变");
        return Ok(BuildReport {
            documents: stamp.documents,
            pages: stamp.pages,
            seconds: started.elapsed().as_secs_f64(),
            warnings,
            waiting: stamp
                .waiting
                .as_ref()
                .and_then(|(n, d)| Some((*n, validate::fields::parse_date(d)?))),
            timings,
        });
    }
    let (loaded, diags) = load(&opts.root, opts.as_of, opts.base_url.as_deref());
    let Some((site, theme)) = loaded else {
        return Err(diags.into_sorted());
    };
    let warnings: Vec<Diagnostic> = diags.into_sorted();
    let waiting = site.waiting;
    timings.mark("读取和检查");
    let minify = opts.minify && site.config.minify;
    let cache = cache::Cache::new(opts.cache_dir.clone());
    if let Some((dir, _)) = &inputs
        && !output::stamp::intact(dir, &opts.output)
    {
        cache.clear("pages");
    }
    let engine = render::Engine::new(&theme, cache, minify).map_err(|d| vec![d])?;
    let mut site = site;
    let pages = write_site_timed(
        &mut site,
        &theme,
        &engine,
        &opts.root,
        staging.dir(),
        progress,
        &mut timings,
    )
    .map_err(|d| output::disk_full_once(d.into_sorted(), staging.dir(), &opts.output))?;
    engine.cache.finish();
    if let Some((dir, inputs)) = &inputs {
        let documents = site.documents.len();
        output::stamp::record(
            dir,
            &opts.output,
            staging.dir(),
            inputs,
            output::stamp::Made {
                documents,
                pages,
                warnings: &warnings,
                waiting: waiting.map(|(n, d)| (n, d.to_string())),
            },
        );
    }
    staging.publish().map_err(|d| vec![d])?;
    timings.mark("发布");
    Ok(BuildReport {
        documents: site.documents.len(),
        pages,
        seconds: started.elapsed().as_secs_f64(),
        warnings,
        waiting,
        timings,
    })
}

/// Renders the site into `out` (a fresh folder). Returns the number of HTML pages. Takes the
/// site mutably only to free the documents' Markdown once their pages are written (at 100 000
/// documents, hundreds of megabytes the lists and the search index do not need).
fn write_site_timed(
    site: &mut Site,
    theme: &Theme,
    engine: &render::Engine,
    root: &Path,
    out: &Path,
    progress: Option<Progress<'_>>,
    timings: &mut Timings,
) -> Result<usize, Diagnostics> {
    let one = |d: Diagnostic| {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    };
    let (texts, documents, mut html_pages) = {
        let mut renderer = render::Renderer::new(site, root, engine, out);
        if let Some(p) = progress {
            renderer = renderer.with_progress(p);
        }
        let (texts, documents) = renderer.render_documents()?;
        (texts, documents, renderer.page_dirs())
    };
    debug_assert_eq!(texts.len(), site.documents.len());
    for d in &mut site.documents {
        // Held only here in a build (`serve`'s preview shares its documents: those stay).
        if let Some(d) = std::sync::Arc::get_mut(d) {
            d.body = std::sync::Arc::from("");
        }
    }
    let site: &Site = site;
    let mut renderer = render::Renderer::new(site, root, engine, out);
    if let Some(p) = progress {
        renderer = renderer.with_progress(p).starting_at(documents);
    }
    // A theme minified page by page is slower (book: theme.md#minify): say so where speed is read.
    timings.mark(if engine.minifies_each_page() {
        "文件页面(模板无法预先压缩,逐页压缩)"
    } else {
        "文件页面"
    });
    // The list pages and the search index need nothing from each other: let rayon share the
    // cores between them.
    let (lists, files) = rayon::join(
        || renderer.render_lists(),
        || search_index(site, engine, texts),
    );
    let pages = documents + lists?;
    timings.mark("列表页面和检索索引");
    let urls = Urls::new(&site.config.base_path());
    let write = |path: &str, bytes: &[u8]| output::fs::write(&out.join(path), bytes).map_err(one);
    // The search files (80 000 at 100 000 documents) are written while the data exports and
    // feeds are made.
    let (searched, exported) = rayon::join(
        || write_all(out, &files).map_err(one),
        || {
            for (path, file) in &theme.statics {
                let bytes = file.bytes().map_err(one)?;
                output::fs::write(&out.join(path), &bytes).map_err(one)?;
            }
            write("data/documents.json", &export::data::json(site, &urls))?;
            write("data/documents.csv", &export::data::csv(site, &urls))?;
            write("data/statistics.json", &export::data::statistics(site))?;
            write(
                "feed.xml",
                export::feeds::atom(
                    site,
                    &urls,
                    &site.config.title,
                    "feed.xml",
                    "",
                    &site.newest_first,
                )
                .as_bytes(),
            )?;
            // 征求意见稿 (versions.md §2), newest first.
            let consultations: Vec<usize> = site
                .newest_first
                .iter()
                .copied()
                .filter(|&i| site.documents[i].consultation.is_some())
                .collect();
            let title = format!("征求意见 - {}", site.config.title);
            write(
                "consultations/feed.xml",
                export::feeds::atom(
                    site,
                    &urls,
                    &title,
                    "consultations/feed.xml",
                    "consultations/",
                    &consultations,
                )
                .as_bytes(),
            )?;
            for dir in render::lists::directories(site, &urls) {
                if !matches!(dir.base, "issuers/" | "subjects/") {
                    continue;
                }
                for l in &dir.listings {
                    let title = format!("{} - {}", l.title, site.config.title);
                    let path = format!("{}feed.xml", l.base);
                    write(
                        &path,
                        export::feeds::atom(site, &urls, &title, &path, &l.base, &l.docs)
                            .as_bytes(),
                    )?;
                }
            }
            Ok::<(), Diagnostics>(())
        },
    );
    searched?;
    exported?;
    timings.mark("数据、订阅和检索索引文件");
    write("robots.txt", export::robots(site, &urls).as_bytes())?;
    html_pages.extend(renderer.page_dirs());
    render::Renderer::sort_page_dirs(&mut html_pages);
    write("sitemap.xml", export::sitemap(site, &html_pages).as_bytes())?;
    timings.mark("网站地图");
    Ok(pages)
}

/// Writes many small files (the search index's thousands) in parallel, each folder made once.
fn write_all(out: &Path, files: &[search::SearchFile]) -> Result<(), Diagnostic> {
    use rayon::prelude::*;
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
        let path = out.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(|e| output::fs::io_error(&path, "写入", e))
    })
}

/// The search index of every public document, through the build cache (`search::memo`).
/// Takes the documents' text (no copy of it is kept: at 100 000 documents it is hundreds of
/// megabytes).
fn search_index(
    site: &Site,
    engine: &render::Engine,
    texts: Vec<render::DocumentText>,
) -> Vec<search::SearchFile> {
    let urls = Urls::new(&site.config.base_path());
    let docs: Vec<search::SearchDoc> = site
        .documents
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (d, text))| search::SearchDoc {
            id: d.id.to_string(),
            title: d.title.clone(),
            doc_number: d.doc_number.clone(),
            issuers: d.issuers.clone(),
            body: text.text,
            summary: d.summary.clone(),
            published: d.published.to_string(),
            year: i32::from(d.published.year()),
            // Only `own` kinds have a status to filter by (legal-model.md §1).
            status: site.status[i].map_or_else(String::new, |s| s.code().to_string()),
            status_label: site.status[i].map_or_else(String::new, |s| s.label().to_string()),
            kind: d.kind.clone(),
            kind_label: render::views::kind_label(site, &d.kind),
            url: urls.document(d.id.as_str()),
        })
        .collect();
    search::memo::search_files(docs, &engine.cache)
}
