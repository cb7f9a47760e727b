//! The quick preview: a saved document's own page, rendered in milliseconds, before the full
//! rebuild that follows it.
//!
//! A full rebuild of a 10 000-document site takes seconds even with every page cached: each
//! file is read and checked again, every page's inputs hashed. An editor who saves one document
//! wants to see *that* page now. So `serve` keeps every document file's checked result in
//! memory ([`Preview`]); on a save that touches only documents' Markdown files it re-checks
//! those files alone, runs the site-wide rules over the kept results (relations, ids,
//! interpretations: linear, and the bodies that did not change are not read again), and at the
//! same time makes the site and renders the saved documents' pages into a small folder the
//! server prefers; then it reloads the browser. The documents are shared ([`std::sync::Arc`]),
//! not copied, from one preview to the next. Then the full rebuild runs as before and replaces
//! everything, lists and search included.
//!
//! Anything else — configuration, theme, schemas, gazette issues, free pages, attachments — is
//! not a quick change: those go straight to the full rebuild, after which the kept results are
//! read again from scratch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::cache::Cache;
use crate::config::{self, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{GazetteIssue, Page, Site};
use crate::render::theme::Theme;
use crate::render::{Engine, Renderer};
use crate::source;
use crate::validate::rules::{self, BodyScans};
use crate::validate::{self, LoadedFile, schema::Schemas};

/// Every document file's checked result, and what a site needs besides, kept between saves.
pub struct Preview {
    root: PathBuf,
    as_of: Date,
    schemas: Schemas,
    config: Config,
    engine: Engine,
    files: BTreeMap<PathBuf, LoadedFile>,
    issues: Vec<GazetteIssue>,
    pages: Vec<Page>,
    /// The diagnostics of the issue and page files (they count as long as those are unchanged).
    other_diags: Diagnostics,
    /// The rules' reading of every body, kept between saves.
    scans: BodyScans,
    /// Threads of the preview's own: the full rebuild keeps the shared pool busy for seconds,
    /// and work queued behind it there waited until it ended.
    pool: Option<rayon::ThreadPool>,
}

/// What a quick update produced.
pub enum Quick {
    /// The saved documents' pages, rendered into `folder` (paths as in the site).
    Rendered { folder: PathBuf, pages: usize },
    /// The site has errors now: the overlay should show them at once.
    Failed(Vec<Diagnostic>),
}

impl Preview {
    /// Reads and checks the whole site as `build` does. `None` when the configuration or the
    /// theme cannot be loaded (then every change goes to the full rebuild, which reports why).
    pub fn load(root: &Path, as_of: Date, base_url: &str) -> Option<Preview> {
        let mut diags = Diagnostics::new();
        let schemas = Schemas::new();
        let mut config = config::load(root, &schemas, &mut diags)?;
        config.base_url = base_url.to_string();
        let theme = Theme::load(root, &config.theme).ok()?;
        // Not minified and not cached: a handful of pages, shown once.
        let engine = Engine::new(&theme, Cache::disabled(), false).ok()?;
        let sources = source::discover(root, &mut diags);
        let files: BTreeMap<PathBuf, LoadedFile> =
            validate::load_documents(root, &sources.documents, &config, &schemas)
                .into_iter()
                .map(|l| (l.file.clone(), l))
                .collect();
        let (documents, failed_ids) = validate::gather(root, files.values(), &mut diags);
        let mut scans = BodyScans::default();
        rules::check_with(
            &config,
            &documents,
            &failed_ids,
            as_of,
            Some(&mut scans),
            &mut diags,
        );
        let mut other_diags = Diagnostics::new();
        let (issues, pages) =
            validate::load_issues_and_pages(root, &sources, &schemas, &documents, &mut other_diags);
        Some(Preview {
            root: root.to_path_buf(),
            as_of,
            schemas,
            config,
            engine,
            files,
            issues,
            pages,
            other_diags,
            scans,
            pool: rayon::ThreadPoolBuilder::new()
                .num_threads(rayon::current_num_threads())
                .thread_name(|i| format!("gazette-preview-{i}"))
                .build()
                .ok(),
        })
    }

    /// Whether `changed` (paths relative to the root) are all documents' Markdown files, the
    /// only changes a quick update handles.
    pub fn handles(changed: &[PathBuf]) -> bool {
        !changed.is_empty()
            && changed.iter().all(|p| {
                p.starts_with("content/documents")
                    && p.extension().is_some_and(|e| e == "md")
                    && !p
                        .components()
                        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
    }

    /// Re-checks the `changed` document files (a file that is gone is dropped) and renders
    /// their pages into `folder`. Call only when [`Preview::handles`] said yes.
    pub fn update(&mut self, changed: &[PathBuf], folder: &Path) -> Quick {
        match self.pool.take() {
            Some(pool) => {
                let quick = pool.install(|| self.update_here(changed, folder));
                self.pool = Some(pool);
                quick
            }
            None => self.update_here(changed, folder),
        }
    }

    /// [`Self::update`] on the current thread pool.
    fn update_here(&mut self, changed: &[PathBuf], folder: &Path) -> Quick {
        for file in changed {
            if self.root.join(file).is_file() {
                let loaded = validate::load_document(&self.root, file, &self.config, &self.schemas);
                self.files.insert(file.clone(), loaded);
            } else {
                self.files.remove(file);
            }
        }
        let mut diags = self.other_diags.clone();
        let (documents, failed_ids) = validate::gather(&self.root, self.files.values(), &mut diags);
        let versions = validate::versions(&documents, self.files.values(), &mut diags);
        // The site-wide rules and the saved pages need nothing from each other: side by side,
        // on both cores. The pages are thrown away if the rules find an error.
        let Preview {
            root,
            as_of,
            config,
            engine,
            issues,
            pages,
            scans,
            ..
        } = self;
        let (_, rendered) = rayon::join(
            || {
                rules::check_with(
                    config,
                    &documents,
                    &failed_ids,
                    *as_of,
                    Some(scans),
                    &mut diags,
                )
            },
            || {
                let site = Site::new(
                    config.clone(),
                    *as_of,
                    documents.clone(),
                    versions,
                    issues.clone(),
                    pages.clone(),
                );
                render_saved(&site, root, engine, changed, folder)
            },
        );
        match rendered {
            Ok(pages) if !diags.has_errors() => Quick::Rendered {
                folder: folder.to_path_buf(),
                pages,
            },
            rendered => {
                let _ = std::fs::remove_dir_all(folder);
                Quick::Failed(match rendered {
                    Err(d) if !diags.has_errors() => vec![d],
                    _ => diags.into_sorted(),
                })
            }
        }
    }
}

/// The pages of the `changed` files that are public documents of `site`, into `folder`.
fn render_saved(
    site: &Site,
    root: &Path,
    engine: &Engine,
    changed: &[PathBuf],
    folder: &Path,
) -> Result<usize, Diagnostic> {
    let renderer = Renderer::new(site, root, engine, folder);
    let mut pages = 0;
    for file in changed {
        let Some(i) = site.documents.iter().position(|d| &d.file == file) else {
            continue; // removed, or not public: the full rebuild takes its page away
        };
        renderer.render_document(i)?;
        pages += 1;
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = include_str!("../../tests/fixtures/contract/gazette.toml");

    fn doc(title: &str, disclosure: &str, body: &str) -> String {
        format!(
            "---\ntitle: {title}\nkind: policy\nissuer: 洛阳市人民政府\npublished: 2020-03-05\n\
             disclosure: {disclosure}\n---\n{body}\n"
        )
    }

    /// Saves `text` as `content/documents/<name>.md` and previews it.
    fn save(p: &mut Preview, root: &Path, name: &str, text: &str) -> Quick {
        let file = PathBuf::from(format!("content/documents/{name}.md"));
        std::fs::write(root.join(&file), text).unwrap();
        let folder = root.join(format!("quick-{name}-{}", text.len()));
        p.update(&[file], &folder)
    }

    fn errors(quick: &Quick) -> Vec<String> {
        match quick {
            Quick::Failed(ds) => ds
                .iter()
                .map(|d| format!("{} {}", d.file.as_deref().unwrap().display(), d.code))
                .collect(),
            Quick::Rendered { .. } => Vec::new(),
        }
    }

    #[test]
    fn every_preview_checks_the_whole_site_though_it_reads_only_the_bodies_that_changed() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/documents")).unwrap();
        std::fs::write(root.join("gazette.toml"), CONFIG).unwrap();
        std::fs::write(
            root.join("content/documents/a.md"),
            doc("甲", "public", "正文。"),
        )
        .unwrap();
        std::fs::write(
            root.join("content/documents/b.md"),
            doc("乙", "public", "正文。"),
        )
        .unwrap();
        std::fs::write(
            root.join("content/documents/secret.md"),
            doc("密", "withheld", "正文。"),
        )
        .unwrap();
        let as_of = Date::constant(2026, 6, 30);
        let mut p = Preview::load(root, as_of, "http://127.0.0.1:1/").expect("the site loads");
        let leak = ["content/documents/a.md non-public-reference"];

        // The saved body links to the withheld document.
        let q = save(
            &mut p,
            root,
            "a",
            &doc("甲", "public", "见[该文件](../secret/)。"),
        );
        assert_eq!(errors(&q), leak);
        // Another save: a's body is not read again, and still counts.
        let q = save(&mut p, root, "b", &doc("乙二", "public", "正文。"));
        assert_eq!(errors(&q), leak);
        // Fixed: a's page is rendered into the folder.
        let q = save(&mut p, root, "a", &doc("甲", "public", "见[乙](../b/)。"));
        let Quick::Rendered { folder, pages } = q else {
            panic!("{:?}", errors(&q));
        };
        assert_eq!(pages, 1);
        let page = std::fs::read_to_string(folder.join("documents/a/index.html")).unwrap();
        assert!(
            page.contains("<p>见<a href=\"../b/\" rel=\"noopener noreferrer\">乙</a>。</p>"),
            "{page}"
        );
        // b is withheld now: a's unchanged body links to a non-public document, and says so.
        let q = save(&mut p, root, "b", &doc("乙二", "withheld", "正文。"));
        assert_eq!(errors(&q), leak);
    }

    #[test]
    fn only_documents_markdown_is_a_quick_change() {
        let yes = |p: &[&str]| Preview::handles(&p.iter().map(PathBuf::from).collect::<Vec<_>>());
        assert!(yes(&["content/documents/2024/a.md"]));
        assert!(yes(&[
            "content/documents/2024/a.md",
            "content/documents/2023/b.md"
        ]));
        assert!(!yes(&[]));
        assert!(!yes(&["gazette.toml"]));
        assert!(!yes(&[
            "content/documents/2024/a.md",
            "themes/x/templates/base.html"
        ]));
        assert!(
            !yes(&["content/documents/2024/a.pdf"]),
            "attachments are copied by the full build"
        );
        assert!(!yes(&["content/gazette/2024-01.md"]));
        assert!(!yes(&["content/documents/2024/.a.md"]));
    }
}
