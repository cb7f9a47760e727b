//! The engine every page is rendered with: the theme's compiled Tera templates (minified once
//! when they can be, see [`super::minify`]), the Markdown renderer and the cache. Built once per
//! build, and kept across rebuilds by `serve`.

use std::sync::{Arc, Mutex};

use crate::cache::{self, Cache, Key};
use crate::diag::Diagnostic;
use crate::markdown::{Markdown, Rendered};

use super::locale::Locale;
use super::minify::{self, Minify};
use super::theme;

/// What rendering needs besides the site: compiled templates, the Markdown renderer, the
/// minifier settings and the cache. Built once per build (and kept across rebuilds by `serve`).
pub(crate) struct Engine {
    pub(super) tera: tera::Tera,
    pub markdown: Markdown,
    pub cache: Cache,
    /// Hash of every template and of how pages are minified: part of each page's cache key.
    pub(super) theme_key: Key,
    /// The theme's tables of reader-facing words, every language it has.
    pub(super) locales: super::locale::Locales,
    pub(super) minify: Minify,
    /// The templates as the theme has them, to write a language's words into.
    sources: Vec<(String, String)>,
    /// The templates in each language's words, compiled once ([`Engine::tera_in`]): a build
    /// makes two renderers (document pages, then lists), and compiling twice was 1 % of a
    /// clean build of 2 000 documents.
    localized: Mutex<Vec<(Key, Arc<tera::Tera>)>>,
}

impl Engine {
    pub(crate) fn new(
        theme: &theme::Theme,
        cache: Cache,
        minify: bool,
    ) -> Result<Engine, Diagnostic> {
        let sources = theme.sources()?;
        let locales = super::locale::Locales::load(theme)?;
        // The templates as written compile first: their errors point at the lines the
        // author wrote.
        let tera = theme.tera()?;
        let (tera, minify) = if !minify {
            (tera, Minify::Off)
        } else {
            match theme.minified_tera() {
                Some(minified) => (minified, Minify::Templates),
                None => (tera, Minify::Pages(minify::config())),
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
            locales,
            minify,
            sources,
            localized: Mutex::new(Vec::new()),
        })
    }

    /// The templates in the words of `locale`: each `{{ t(key="…") }}` without arguments written
    /// in as text before the templates are minified, so the minifier sees the words a page
    /// shows (an attribute whose value is one word is then written unquoted, as it was before
    /// the words left the templates), then `t()` and `cn_date` for what is left. A few dozen
    /// milliseconds, once per language an engine renders in.
    pub(super) fn tera_in(&self, locale: &Locale) -> Arc<tera::Tera> {
        let mut localized = self.localized.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, tera)) = localized.iter().find(|(key, _)| *key == locale.key) {
            return Arc::clone(tera);
        }
        let tera = Arc::new(self.compile_in(locale));
        localized.push((locale.key, Arc::clone(&tera)));
        tera
    }

    fn compile_in(&self, locale: &Locale) -> tera::Tera {
        let sources: Vec<(String, String)> = self
            .sources
            .iter()
            .map(|(name, text)| (name.clone(), locale.write_into(text)))
            .collect();
        let compiled = match &self.minify {
            Minify::Templates => {
                minify::templates(&sources, &minify::config()).and_then(|m| theme::compile(m).ok())
            }
            Minify::Off | Minify::Pages(_) => theme::compile(sources).ok(),
        };
        // Written-in words never fail where the templates as written did not; should they,
        // the engine's own templates say the same through `t()`.
        let mut tera = compiled.unwrap_or_else(|| self.tera.clone());
        tera.register_function("t", locale.tera_function());
        tera.register_function("words", locale.words_function());
        tera.register_filter("cn_date", locale.date_filter());
        tera
    }

    /// Whether pages come out minified because their templates were (the fast way), rather
    /// than each on its own.
    #[cfg(test)]
    pub(crate) fn minifies_templates(&self) -> bool {
        matches!(self.minify, Minify::Templates)
    }

    /// Whether each page is minified after rendering (a theme whose templates could not be).
    pub(crate) fn minifies_each_page(&self) -> bool {
        matches!(self.minify, Minify::Pages(_))
    }

    /// Markdown → HTML and text (forewords and pages: a few per site, not cached).
    pub(crate) fn render_markdown(&self, source: &str) -> Rendered {
        self.markdown.render(source)
    }

    /// A document body's plain text, memoised by the source's hash: every build needs every
    /// body's text (the search index, the page's description), but a body's HTML only when its
    /// page is rendered, which a cached page is not. So the cache keeps the text alone — half
    /// the bytes a clean build writes for bodies — and the HTML comes back with it only when
    /// this call had to render the body anyway.
    pub(crate) fn body_text(&self, source: &str) -> (String, Option<String>) {
        let key = self
            .cache
            .enabled()
            .then(|| Self::text_key_of(&crate::model::body_digest(source)));
        self.body_text_keyed(source, key.as_ref())
    }

    /// The key under which the text of the body whose [`crate::model::Body::digest`] is
    /// `digest` is kept (`None` without a cache): it also stands for the text where the text
    /// itself is not needed (`search::BodySource`). Made from the digest, which a body taken
    /// unread knows without its text.
    pub(crate) fn text_key(&self, digest: &[u8; 32]) -> Option<Key> {
        self.cache.enabled().then(|| Self::text_key_of(digest))
    }

    fn text_key_of(digest: &[u8; 32]) -> Key {
        Key::of(&[b"markdown-text 2", digest])
    }

    /// [`Self::body_text`] with its [`Self::text_key`] made before.
    pub(crate) fn body_text_keyed(
        &self,
        source: &str,
        key: Option<&Key>,
    ) -> (String, Option<String>) {
        if let Some(key) = key
            && let Some(bytes) = self.cache.get_packed(cache::Kind::Markdown, key)
            && let Ok(text) = String::from_utf8(bytes)
        {
            return (text, None);
        }
        let r = self.markdown.render(source);
        if let Some(key) = key {
            self.cache
                .put_packed(cache::Kind::Markdown, key, &[r.text.as_bytes()]);
        }
        (r.text, Some(r.html))
    }
}
