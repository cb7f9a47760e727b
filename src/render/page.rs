//! One page, from its view to its file: the output path, the cache key, a cache hit placed
//! as it is, otherwise the template rendered, minified (or spliced, see [`Splice`]) and
//! written. And one list row, rendered once and shared by every list it is on.

use serde::Serialize;
use serde_json::{Map, Value};
use tera::Context;

use super::minify::{self, Minify};
use super::replay::Placed;
use super::splice::Splice;
use super::views::{self, PageMeta};
use super::{Renderer, theme};
use crate::cache::{self, Key};
use crate::diag::Diagnostic;
use crate::model::DocIx;

/// The template that renders one document as a row of a list.
const ROW_TEMPLATE: &str = "doc_row.html";

impl Renderer<'_> {
    /// Renders `template` with `page` and `extra` into `<out>/<dir>index.html` (or `dir` itself
    /// when it names a file). Returns the page's folder and cache key (none without a cache),
    /// which the renderer also keeps for the list pass's record (`replay.rs`).
    pub(super) fn page<T: Serialize>(
        &self,
        template: &str,
        dir: &str,
        page: &PageMeta,
        extra: &T,
    ) -> Result<Option<Placed>, Diagnostic> {
        self.page_with(template, dir, page, extra, None)
    }

    /// [`Self::page`] with HTML that bypasses the minifier ([`Splice`]).
    pub(super) fn page_with<T: Serialize>(
        &self,
        template: &str,
        dir: &str,
        page: &PageMeta,
        extra: &T,
        splice: Option<Splice>,
    ) -> Result<Option<Placed>, Diagnostic> {
        let dest = self.out.join(self.output_path(dir));
        let failed = |e| theme::template_error(template, &tera::Error::json(e));
        let page = serde_json::to_value(page).map_err(failed)?;
        let Value::Object(mut view) = serde_json::to_value(extra).map_err(failed)? else {
            return Err(theme::template_error(
                template,
                &tera::Error::msg("页面数据不是对象"),
            ));
        };
        let key = self.page_key(template, &view, &page, splice.as_ref());
        let placed = key.map(|k| (dir.to_string(), k));
        if let Some(p) = &placed {
            self.placed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(p.clone());
        }
        // Already this page, from an earlier build of this folder, or in the cache.
        if let Some(key) = &key
            && self.place(key, &dest)
        {
            return Ok(placed);
        }
        view.insert("site".into(), self.site_value.clone());
        view.insert("page".into(), page);
        let ctx = Context::from_value(Value::Object(view))
            .map_err(|e| theme::template_error(template, &e))?;
        let bytes = self.render_page(template, dir, ctx, splice.as_ref())?;
        // Hashed once, for the cache entry's name and the tree's record of the page (which
        // lets the build after next keep it unread, even where this folder is a fresh one).
        let hash = key.is_some().then(|| blake3::hash(&bytes));
        self.tree
            .write_hashed(&dest, &bytes, hash.as_ref().map(|h| h.as_bytes()))?;
        if let (Some(key), Some(hash)) = (&key, &hash) {
            self.engine
                .cache
                .keep_written(cache::Kind::Page, key, hash.as_bytes(), &dest);
        }
        Ok(placed)
    }

    /// The file a page goes to, relative to the output: `dir` itself when it names a file,
    /// else `<dir>index.html` (and `dir` is remembered for the sitemap).
    pub(super) fn output_path(&self, dir: &str) -> String {
        if dir.ends_with(".html") {
            return dir.to_string();
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(dir.to_string());
        format!("{dir}index.html")
    }

    /// The page is a function of its template set and everything it is given: hash those (a
    /// cache hit renders nothing). `None` without a cache.
    fn page_key(
        &self,
        template: &str,
        view: &Map<String, Value>,
        page: &Value,
        splice: Option<&Splice>,
    ) -> Option<Key> {
        self.engine.cache.enabled().then(|| {
            let mut key = Key::builder();
            key.part(self.engine.theme_key.as_bytes())
                .part(self.locale.key.as_bytes())
                .part(template.as_bytes())
                .json_map(view)
                .json(page)
                .part(self.site_key.as_bytes())
                .part(splice.map_or("", |s| s.var).as_bytes());
            for part in splice.map_or([&b""[..]; 2], Splice::key_parts) {
                key.part(part);
            }
            key.finish()
        })
    }

    /// The page's bytes: rendered, then minified as the engine says, with the spliced HTML in
    /// place.
    fn render_page(
        &self,
        template: &str,
        dir: &str,
        mut ctx: Context,
        splice: Option<&Splice>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let render = |ctx: &Context| {
            self.tera
                .render(template, ctx)
                .map_err(|e| theme::template_error(&format!("渲染 {template}（{dir}）"), &e))
        };
        let html = splice.map(|s| s.html(self.engine));
        Ok(match (&self.engine.minify, splice, &html) {
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
                if let (Some(s), Some(html)) = (splice, &html) {
                    ctx.insert(s.var, html);
                }
                render(&ctx)?.into_bytes()
            }
        })
    }

    /// Document `i` as one row of a list (`doc_row.html`), minified like the pages. Rendered
    /// once and shared by every list the document is on — all documents, its issuers', its
    /// subjects', its kind's, its year's and its status's — instead of once per list.
    pub(super) fn row(&self, i: DocIx) -> Result<&str, Diagnostic> {
        if let Some(row) = self.rows[i.get()].get() {
            return Ok(row);
        }
        let mut ctx = Context::new();
        ctx.insert("site", &self.site_value);
        ctx.insert("d", &views::summary(self.site, &self.urls, &self.locale, i));
        let html = self
            .tera
            .render(ROW_TEMPLATE, &ctx)
            .map_err(|e| theme::template_error(&format!("渲染 {ROW_TEMPLATE}"), &e))?;
        let row = match &self.engine.minify {
            Minify::Pages(cfg) => minify::html(html.trim(), cfg),
            Minify::Templates => html.trim().to_string(),
            Minify::Off => html,
        };
        Ok(self.rows[i.get()].get_or_init(|| row))
    }
}
