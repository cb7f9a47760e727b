//! The quick preview: a saved document's own page, rendered in milliseconds, before the full
//! rebuild that follows it.
//!
//! A full rebuild of a 10 000-document site takes seconds even with every page cached: each
//! file is read and checked again, every page's inputs hashed. An editor who saves one document
//! wants to see *that* page now. So `serve` keeps every document file's checked result in
//! memory ([`Preview`]); on a save that touches only documents' Markdown files it re-checks
//! those files alone, runs the site-wide rules over the kept results (relations, ids,
//! interpretations: they are linear and fast), makes the site, renders the saved documents'
//! pages into a small folder the server prefers, and reloads the browser. Then the full rebuild
//! runs as before and replaces everything, lists and search included.
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
        let documents = validate::check_documents(root, &config, files.values(), as_of, &mut diags);
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
        let documents = validate::check_documents(
            &self.root,
            &self.config,
            self.files.values(),
            self.as_of,
            &mut diags,
        );
        if diags.has_errors() {
            return Quick::Failed(diags.into_sorted());
        }
        let site = Site::new(
            self.config.clone(),
            self.as_of,
            documents,
            self.issues.clone(),
            self.pages.clone(),
        );
        let renderer = Renderer::new(&site, &self.root, &self.engine, folder);
        let mut pages = 0;
        for file in changed {
            let Some(i) = site.documents.iter().position(|d| &d.file == file) else {
                continue; // removed, or not public: the full rebuild takes its page away
            };
            if let Err(d) = renderer.render_document(i) {
                return Quick::Failed(vec![d]);
            }
            pages += 1;
        }
        drop(renderer);
        // Freeing 10 000 documents takes as long as copying them did: not while the editor
        // waits for the page.
        let _ = std::thread::Builder::new()
            .name("gazette-preview-drop".into())
            .spawn(move || drop(site));
        Quick::Rendered {
            folder: folder.to_path_buf(),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
