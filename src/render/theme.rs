//! The theme: templates and static files, in layers.
//!
//! Lowest layer: the default theme compiled into the binary. Above it, the site's own
//! `themes/<name>/` when present (required when `theme` names anything but `default`). On top,
//! the site's `templates/` and `static/` folders, which override single files by path, and its
//! `locales/` folder, whose tables override single keys (see [`super::locale`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub(crate) enum ThemeFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl ThemeFile {
    pub(crate) fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>, Diagnostic> {
        match self {
            ThemeFile::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            ThemeFile::Disk(p) => std::fs::read(p)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| crate::output::fs::io_error(p, "读取主题文件", e)),
        }
    }
}

/// The resolved theme: every template and static file by its path within the theme.
pub(crate) struct Theme {
    pub templates: BTreeMap<String, ThemeFile>,
    pub statics: BTreeMap<String, ThemeFile>,
    /// Each language's tables of reader-facing words (`locales/<language>.toml`), lowest
    /// layer first: they are merged key by key, not replaced.
    pub locales: BTreeMap<String, Vec<ThemeFile>>,
    /// Folders whose changes should trigger a rebuild in `serve`.
    pub watched: Vec<PathBuf>,
    /// The templates as written, compiled once ([`Theme::tera`]): the session checks them,
    /// then the engine renders with them.
    compiled: std::sync::OnceLock<Result<Tera, Diagnostic>>,
    /// The templates minified and compiled, once ([`Theme::minified_tera`]).
    minified: std::sync::OnceLock<Option<Tera>>,
}

impl Theme {
    pub(crate) fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme {
            templates: BTreeMap::new(),
            statics: BTreeMap::new(),
            locales: BTreeMap::new(),
            watched: Vec::new(),
            compiled: std::sync::OnceLock::new(),
            minified: std::sync::OnceLock::new(),
        };
        for (path, bytes) in DEFAULT_THEME {
            theme.insert(path, ThemeFile::Embedded(bytes));
        }
        let folder = root.join("themes").join(name);
        if folder.is_dir() {
            theme.overlay(&folder, "");
            theme.watched.push(folder);
        } else if name != "default" {
            return Err(
                Diagnostic::new(Code::ThemeMissing, format!("找不到主题 `{name}`"))
                    .in_file("gazette.toml")
                    .hint(format!(
                        "主题文件夹应在 themes/{name}/；或把 theme 改回 \"default\""
                    )),
            );
        }
        for (sub, prefix) in [
            ("templates", "templates/"),
            ("static", "static/"),
            ("locales", "locales/"),
        ] {
            let dir = root.join(sub);
            if dir.is_dir() {
                theme.overlay(&dir, prefix);
                theme.watched.push(dir);
            }
        }
        Ok(theme)
    }

    fn insert(&mut self, path: &str, file: ThemeFile) {
        if let Some(t) = path.strip_prefix("templates/") {
            self.templates.insert(t.to_string(), file);
        } else if let Some(s) = path.strip_prefix("static/") {
            self.statics.insert(s.to_string(), file);
        } else if let Some(lang) = path
            .strip_prefix("locales/")
            .and_then(|l| l.strip_suffix(".toml"))
            .filter(|l| !l.contains('/'))
        {
            self.locales.entry(lang.to_string()).or_default().push(file);
        }
    }

    fn overlay(&mut self, dir: &Path, prefix: &str) {
        for entry in WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            if let Ok(rel) = entry.path().strip_prefix(dir) {
                let rel = format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/"));
                self.insert(&rel, ThemeFile::Disk(entry.path().to_path_buf()));
            }
        }
    }

    /// Compiles every template into one Tera instance (autoescaping `.html` and `.xml`).
    /// Every template's name and text.
    pub(crate) fn sources(&self) -> Result<Vec<(String, String)>, Diagnostic> {
        let mut sources = Vec::new();
        for (name, file) in &self.templates {
            let bytes = file.bytes()?;
            let text = String::from_utf8(bytes.into_owned()).map_err(|_| {
                Diagnostic::new(Code::Template, format!("模板 {name} 不是 UTF-8 文本"))
            })?;
            sources.push((name.clone(), text));
        }
        Ok(sources)
    }

    pub(crate) fn tera(&self) -> Result<Tera, Diagnostic> {
        self.compiled
            .get_or_init(|| compile(self.sources()?))
            .clone()
    }

    /// The templates minified ([`super::minify::templates`]) and compiled, once: `None` when
    /// they cannot be, and each page is then minified on its own.
    pub(crate) fn minified_tera(&self) -> Option<Tera> {
        self.minified
            .get_or_init(|| {
                let sources = self.sources().ok()?;
                super::minify::templates(&sources, &super::minify::config())
                    .and_then(|m| compile(m).ok())
            })
            .clone()
    }

    /// Whether the theme can speak `config.language`: an error at the `language` line of
    /// gazette.toml when it has no table for it (or a table that does not read).
    pub(crate) fn check_language(&self, config: &crate::config::Config) -> Result<(), Diagnostic> {
        let locales = super::locale::Locales::load(self)?;
        let lang = &config.language;
        if locales.has(lang) {
            return Ok(());
        }
        let known: Vec<&str> = locales.languages().collect();
        Err(Diagnostic::new(
            Code::LocaleMissing,
            format!("主题没有语言 `{lang}` 的界面文字表"),
        )
        .in_file(crate::config::CONFIG_FILE)
        .at(config.language_at)
        .hint(format!(
            "可用的语言：{}；或在 locales/{lang}.toml（或 themes/{}/locales/{lang}.toml）中写这种语言的界面文字，缺少的条目用 zh-CN 的",
            known.join("、"),
            config.theme
        )))
    }
}

/// The templates, compiled, with our escaping.
pub(crate) fn compile(sources: Vec<(String, String)>) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.add_raw_templates(sources)
        .map_err(|e| template_error("加载模板", &e))?;
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which turns every URL into `&#x2F;documents&#x2F;…`:
    // valid, but unreadable and larger. Escaping & < > " ' is what HTML requires.
    tera.set_escape_fn(escape_html);
    tera.register_filter("cn_date", cn_date);
    Ok(tera)
}

/// `{{ d | cn_date }}`: `2024-03-18` → `2024年3月18日`, as dates are written in Chinese prose
/// (a value that is not such a date is left as it is).
fn cn_date(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or_default();
    Ok(tera::Value::String(
        crate::contract::parse_date(text)
            .map_or_else(|| text.to_string(), crate::contract::chinese_date),
    ))
}

fn escape_html(s: &str) -> String {
    crate::markdown::escape(s)
}

/// Tera's errors nest their cause; show the whole chain, which is where the useful part is.
pub(crate) fn template_error(doing: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = format!("{doing}失败：{e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!(":{s}"));
        source = s.source();
    }
    Diagnostic::new(Code::Template, msg)
        .hint("检查主题模板的语法和用到的变量；模板说明见用户手册“主题”一章")
}
