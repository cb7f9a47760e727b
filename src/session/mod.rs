//! The one pipeline. A [`Session`] holds what a build reads — the configuration, the schemas,
//! the theme and every content file checked — and is the only way in:
//!
//! - `gazette check` is [`Session::load`] and its [`Session::diagnostics`];
//! - `gazette build` is load, then [`Session::into_snapshot`] and [`Snapshot::render`] into a
//!   staging folder that [`build()`] publishes;
//! - `gazette serve` loads once, then on every save calls [`Session::update`] with the changed
//!   paths (only those files are read and checked again when they are documents) and renders
//!   from a fresh [`Snapshot`]: the saved documents' pages at once, then the whole site.
//!
//! A snapshot is the immutable [`Site`] on the session's as-of date plus the theme: rendering
//! never reads the session again, so `serve` renders one while the next save is checked.

mod build;
mod model_key;
mod stage;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::cache::{Cache, Key, Kind};
use crate::config::{self, Config};
use crate::contract::schema::Schemas;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Bodies, Body, Document, GazetteIssue, Page, Site, Version};
use crate::render::theme::Theme;
use crate::render::{Engine, Renderer};
use crate::source::{self, Sources};
use crate::validate::rules;
use crate::validate::{self, LoadedFile};

pub use build::{BuildOptions, BuildReport, build, build_with_progress};
pub use stage::{Stage, Timings};
pub use write::RenderOptions;

/// Told `(done, total)` as pages are rendered, from any rendering thread (`gazette build` draws
/// its progress bar with it).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// What a session is asked for besides the site's folder.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The day statuses, embargoes and consultations are computed for.
    pub as_of: Date,
    /// Overrides `base_url` of `gazette.toml` (a preview deployment, `serve`).
    pub base_url: Option<String>,
    /// The build cache, where the proofreading of unchanged files is kept (`None`: none;
    /// `gazette check` writes nothing).
    pub cache_dir: Option<PathBuf>,
}

/// The site's sources, read and checked, kept so that a change re-reads only what changed.
pub struct Session {
    root: PathBuf,
    settings: Settings,
    /// `None` when `gazette.toml` could not be read: nothing else can be checked then, and
    /// the next update tries again from the start.
    loaded: Option<Loaded>,
    /// Everything found by the last load or update, warnings included.
    diags: Diagnostics,
}

/// Everything read from a site whose configuration loaded.
struct Loaded {
    schemas: Schemas,
    config: Config,
    /// `None` after a theme error (in `setup_diags`).
    theme: Option<Arc<Theme>>,
    /// What the configuration and the theme gave; counts until they change.
    setup_diags: Diagnostics,
    sources: Sources,
    /// Every document and version file checked on its own, by path.
    files: BTreeMap<PathBuf, LoadedFile>,
    /// The result of the last check over the whole site.
    checked: Checked,
}

/// What passed the last check.
#[derive(Default)]
struct Checked {
    documents: Vec<Arc<Document>>,
    /// Each document's [`validate::LoadedFile::fingerprint`], in the order of `documents`.
    fingerprints: Vec<Option<[u8; 32]>>,
    /// The documents' bodies, in the order of `documents`.
    bodies: Vec<Body>,
    versions: Vec<Arc<Version>>,
    issues: Vec<GazetteIssue>,
    pages: Vec<Page>,
}

impl Checked {
    /// The site these make on `as_of`, with its key (`model_key.rs`). Neither needs the other,
    /// so they are made side by side.
    fn site(&self, config: &Config, as_of: Date) -> (Key, (Site, Bodies)) {
        rayon::join(
            || {
                model_key::of(
                    config,
                    as_of,
                    (&self.documents, &self.fingerprints),
                    &self.versions,
                    &self.issues,
                    &self.pages,
                )
            },
            || {
                let documents = self.documents.iter().cloned();
                Site::new(
                    config.clone(),
                    as_of,
                    documents.zip(self.bodies.iter().cloned()).collect(),
                    self.versions.clone(),
                    self.issues.clone(),
                    self.pages.clone(),
                )
            },
        )
    }
}

/// Proofreading through the build cache: unchanged files are not proofread again.
struct ProofreadCache<'a>(&'a Cache);

impl ProofreadCache<'_> {
    fn key(text: &str) -> Key {
        Key::of(&[b"proofread", text.as_bytes()])
    }
}

impl crate::proofread::Memo for ProofreadCache<'_> {
    fn kept_or(&self, text: &str, make: &mut dyn FnMut() -> Vec<u8>) -> Vec<u8> {
        if !self.0.enabled() {
            return make();
        }
        let key = Self::key(text);
        self.0.get_packed(Kind::Proofread, &key).unwrap_or_else(|| {
            let bytes = make();
            self.0.put_packed(Kind::Proofread, &key, &[&bytes]);
            bytes
        })
    }
}

/// Checked document files through the build cache, keyed also by everything the configuration
/// says: a file is checked again when its bytes, its attachments or the configuration changed.
struct CheckedCache<'a> {
    cache: &'a Cache,
    config: Key,
}

impl<'a> CheckedCache<'a> {
    fn new(cache: &'a Cache, config: &Config) -> Self {
        let config = if cache.enabled() {
            Key::of(&[b"checked with", config.describe().as_bytes()])
        } else {
            Key::from_bytes([0; 32])
        };
        CheckedCache { cache, config }
    }

    fn key(&self, file: &[u8; 32]) -> Key {
        Key::of(&[self.config.as_bytes(), file])
    }
}

impl validate::memo::Memo for CheckedCache<'_> {
    fn enabled(&self) -> bool {
        self.cache.enabled()
    }
    fn get(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        self.cache.get_packed(Kind::Checked, &self.key(key))
    }
    fn put(&self, key: &[u8; 32], record: &[u8]) {
        self.cache
            .put_packed(Kind::Checked, &self.key(key), &[record]);
    }
}

/// What [`Session::update`] had to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// Only documents' Markdown files changed: those were checked again, then the rules over
    /// the whole site. Their pages can be shown before the whole site is rendered.
    Documents,
    /// Configuration, theme, gazette issues, pages or attachments changed: everything was
    /// read again.
    Everything,
}

impl Session {
    /// Reads and checks the whole site at `root`. Problems, errors included, are in
    /// [`Session::diagnostics`]; a session with errors gives no snapshot.
    pub fn load(root: &Path, settings: Settings) -> Session {
        Session::load_prefetched(root, settings, None)
    }

    /// [`Session::load`], taking the document files already read from `prefetched`.
    pub(crate) fn load_prefetched(
        root: &Path,
        settings: Settings,
        prefetched: Option<&source::Prefetched>,
    ) -> Session {
        let mut diags = Diagnostics::new();
        let loaded = Loaded::read(root, &settings, prefetched, &mut diags);
        Session {
            root: root.to_path_buf(),
            settings,
            loaded,
            diags,
        }
    }

    /// Everything the last load or update found, warnings included.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diags
    }

    /// Takes in changed paths (relative to the root; a path that is gone was deleted). When all
    /// of them are documents' Markdown files only those are read again; anything else reads
    /// the whole site again.
    pub fn update(&mut self, changed: &[PathBuf]) -> Update {
        match &mut self.loaded {
            Some(loaded) if only_documents(changed) => {
                for file in changed {
                    if self.root.join(file).is_file() {
                        let with = validate::Reading {
                            config: &loaded.config,
                            schemas: &loaded.schemas,
                            proofread: &(),
                            checked: &(),
                            prefetched: None,
                        };
                        let l = validate::load_document(&self.root, file, with);
                        loaded.files.insert(file.clone(), l);
                    } else {
                        loaded.files.remove(file);
                    }
                }
                self.diags = loaded.check(&self.root, self.settings.as_of);
                Update::Documents
            }
            _ => {
                *self = Session::load(&self.root, self.settings.clone());
                Update::Everything
            }
        }
    }

    /// The site as it stands, ready to render; the diagnostics when there are errors.
    pub fn snapshot(&self) -> Result<Snapshot, Vec<Diagnostic>> {
        match &self.loaded {
            Some(loaded) if !self.diags.has_errors() => {
                let Some(theme) = &loaded.theme else {
                    return Err(self.diags.clone().into_sorted());
                };
                let (key, (site, bodies)) =
                    loaded.checked.site(&loaded.config, self.settings.as_of);
                Ok(Snapshot {
                    root: self.root.clone(),
                    key,
                    site,
                    bodies,
                    theme: Arc::clone(theme),
                    warnings: self.diags.clone().into_sorted(),
                })
            }
            _ => Err(self.diags.clone().into_sorted()),
        }
    }

    /// [`Session::snapshot`], letting go of the session: the snapshot then holds the only
    /// reference to each body, so rendering frees them once the document pages are written
    /// (at 100 000 documents, hundreds of megabytes the lists and the search index do not
    /// need).
    pub fn into_snapshot(self) -> Result<Snapshot, Vec<Diagnostic>> {
        let Session {
            root,
            settings,
            loaded,
            diags,
        } = self;
        let Some(Loaded {
            config,
            theme: Some(theme),
            checked,
            ..
        }) = loaded.filter(|_| !diags.has_errors())
        else {
            return Err(diags.into_sorted());
        };
        let (key, (site, bodies)) = checked.site(&config, settings.as_of);
        Ok(Snapshot {
            root,
            key,
            site,
            bodies,
            theme,
            warnings: diags.into_sorted(),
        })
    }
}

/// Whether `changed` are all documents' Markdown files, the changes [`Session::update`] takes
/// in file by file.
pub fn only_documents(changed: &[PathBuf]) -> bool {
    !changed.is_empty()
        && changed.iter().all(|p| {
            p.starts_with("content/documents")
                && p.extension().is_some_and(|e| e == "md")
                && !p
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
}

impl Loaded {
    fn read(
        root: &Path,
        settings: &Settings,
        prefetched: Option<&source::Prefetched>,
        diags: &mut Diagnostics,
    ) -> Option<Loaded> {
        let schemas = Schemas::new();
        let mut setup_diags = Diagnostics::new();
        let Some(mut config) = config::load(root, &schemas, &mut setup_diags) else {
            diags.extend(setup_diags);
            return None;
        };
        if let Some(url) = &settings.base_url {
            match config::parse_base_url(url) {
                Ok(url) => config.base_url = url,
                Err(why) => {
                    diags.push(
                        Diagnostic::new(Code::ConfigInvalid, format!("`--base-url {url}` {why}"))
                            .hint("写网站的完整网址，以 / 结尾，如 --base-url https://preview.example.cn/"),
                    );
                    return None;
                }
            }
        }
        // The theme compiles (twice: as written, and minified for the renderer, which takes it
        // from the theme later) while the content folder is walked: three jobs that need
        // nothing from each other, and a rebuild's largest stretch on one core otherwise.
        let (theme, (sources, found)) = rayon::join(
            || load_theme(root, &config),
            || {
                let mut found = Diagnostics::new();
                (source::discover(root, &mut found), found)
            },
        );
        let theme = theme.map_err(|d| setup_diags.push(d)).ok();
        setup_diags.extend(found);
        let cache = Cache::new(settings.cache_dir.clone());
        let checked = CheckedCache::new(&cache, &config);
        let with = validate::Reading {
            config: &config,
            schemas: &schemas,
            proofread: &ProofreadCache(&cache),
            checked: &checked,
            prefetched,
        };
        let files = validate::load_documents(root, &sources.documents, with)
            .into_iter()
            .map(|l| (l.file.clone(), l))
            .collect();
        cache.finish();
        let mut loaded = Loaded {
            schemas,
            config,
            theme,
            setup_diags,
            sources,
            files,
            checked: Checked::default(),
        };
        *diags = loaded.check(root, settings.as_of);
        Some(loaded)
    }

    /// The site-wide checks over the files as they are now. Returns every diagnostic.
    fn check(&mut self, root: &Path, as_of: Date) -> Diagnostics {
        let mut diags = self.setup_diags.clone();
        let validate::Gathered {
            documents,
            bodies,
            links,
            fingerprints,
            failed,
        } = validate::gather(root, self.files.values(), &mut diags);
        rules::check(&self.config, &documents, &links, &failed, as_of, &mut diags);
        let versions = validate::versions(&documents, self.files.values(), &mut diags);
        let (issues, pages) = validate::load_issues_and_pages(
            root,
            &self.sources,
            &self.schemas,
            &documents,
            &mut diags,
        );
        self.checked = Checked {
            documents,
            fingerprints,
            bodies,
            versions,
            issues,
            pages,
        };
        diags
    }
}

/// The theme `config` names, compiled and able to speak its language.
fn load_theme(root: &Path, config: &Config) -> Result<Arc<Theme>, Diagnostic> {
    let theme = Theme::load(root, &config.theme)?;
    let (checked, _) = rayon::join(
        || theme.tera().and_then(|_| theme.check_language(config)),
        // Memoised in the theme for `render::Engine`; the site may forbid minifying, and
        // `--no-minify` only the renderer knows of (then this was done for nothing).
        || config.minify.then(|| theme.minified_tera()),
    );
    checked.map(|()| Arc::new(theme))
}

/// The site on the session's as-of date and the theme it is rendered with.
pub struct Snapshot {
    root: PathBuf,
    /// Everything `site` is made of but the bodies, hashed (`model_key.rs`).
    key: Key,
    site: Site,
    /// Apart from `site`: a build drops them once the document pages are written.
    bodies: Bodies,
    theme: Arc<Theme>,
    warnings: Vec<Diagnostic>,
}

impl Snapshot {
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The warnings of the check this snapshot passed, sorted.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The pages of the documents in `files` (paths relative to the root) that are public
    /// documents of the site, into `folder`, not minified and not cached: `serve`'s preview of
    /// a save, shown before the whole site is rendered again. Returns how many.
    pub fn render_documents(&self, files: &[PathBuf], folder: &Path) -> Result<usize, Diagnostic> {
        let engine = Engine::new(&self.theme, Cache::disabled(), false)?;
        let tree = crate::output::Tree::fresh(folder.to_path_buf());
        let renderer = Renderer::new(&self.site, &self.root, &engine, &tree);
        let mut pages = 0;
        for file in files {
            let Some(i) = self.site.docs().find(|(_, d)| &d.document.file == file) else {
                continue; // removed, or not public: the whole render takes its page away
            };
            renderer.render_document(i.0, &self.bodies)?;
            pages += 1;
        }
        Ok(pages)
    }
}

#[cfg(test)]
mod tests;
