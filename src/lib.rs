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
//! One type runs it: [`Session`] (`session`) loads and checks, [`Snapshot::render`] renders;
//! `check`, `build` and `serve` all go through it ([`session`] says how).
//!
//! A failed stage stops the pipeline before anything is published: the previous site stays.

#![warn(unreachable_pub)]

pub mod cache;
pub mod config;
pub mod contract;
pub mod diag;
mod export;
pub mod import;
mod markdown;
mod model;
mod output;
pub mod proofread;
mod render;
pub mod search;
pub mod serve;
pub mod session;
mod source;
pub mod validate;

pub use session::{
    BuildOptions, BuildReport, Progress, RenderOptions, Session, Settings, Snapshot, Stage,
    Timings, Update, build, build_with_progress,
};

/// Registers the default theme's `t(key=…)` and `words(prefix=…)` template functions in
/// `language` (zh-CN where it has no table), for tools that render one of its templates on
/// their own, such as the search tests' `examples/search_dump.rs`.
pub fn register_default_theme_words(tera: &mut tera::Tera, language: &str) {
    let locale = render::locale::Locales::embedded().locale(language);
    tera.register_function("t", locale.tera_function());
    tera.register_function("words", locale.words_function());
}
