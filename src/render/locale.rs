//! The words readers see, by language: `locales/<language>.toml` in the theme.
//!
//! Text for readers lives with the theme (as in Zola and Hugo), not in Rust: a site changes its
//! wording, or its language, without recompiling. The default theme ships `zh-CN` and `en`;
//! `language` in gazette.toml chooses one. A table is read in layers, key by key: the default
//! theme's, the site's `themes/<theme>/locales/`, then the site's own `locales/` folder, so a
//! site can reword one label and keep every other. A key a language leaves out falls back to
//! zh-CN, the language every key is written in first.
//!
//! Templates read the table with `{{ t(key="nav.home") }}`, with `{name}` filled from the
//! call's other arguments (`t(key="list.total", n=pager.total)`); the view code in this
//! module's siblings reads it through [`Locale::get`] and [`Locale::fill`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::cache::Key;
use crate::diag::{Code, Diagnostic};
use crate::model::Status;

use super::theme::{Theme, ThemeFile};

/// The language every key is written in, and the fallback for the others.
pub(crate) const DEFAULT_LANGUAGE: &str = "zh-CN";

/// Every language the theme has a table for, each as its layers merged.
#[derive(Debug, Default)]
pub(crate) struct Locales {
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl Locales {
    /// Reads every `locales/<language>.toml` of the theme, lower layers first.
    pub(crate) fn load(theme: &Theme) -> Result<Locales, Diagnostic> {
        let mut tables = BTreeMap::new();
        for (lang, layers) in &theme.locales {
            let mut table = BTreeMap::new();
            for file in layers {
                read_layer(file, lang, &mut table)?;
            }
            tables.insert(lang.clone(), table);
        }
        Ok(Locales { tables })
    }

    /// The default theme's tables alone, as compiled in.
    pub(crate) fn embedded() -> Locales {
        let mut tables = BTreeMap::new();
        for (path, bytes) in super::theme::DEFAULT_THEME {
            if let Some(lang) = path
                .strip_prefix("locales/")
                .and_then(|p| p.strip_suffix(".toml"))
            {
                let mut table = BTreeMap::new();
                // The default theme's tables are checked by the tests: they always read.
                let _ = read_layer(&ThemeFile::Embedded(bytes), lang, &mut table);
                tables.insert(lang.to_string(), table);
            }
        }
        Locales { tables }
    }

    /// Whether the theme has a table for `language`.
    pub(crate) fn has(&self, language: &str) -> bool {
        self.tables.contains_key(language)
    }

    /// The languages the theme has tables for, in name order.
    pub(crate) fn languages(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// The table of `language` over zh-CN's (zh-CN alone for a language without a table:
    /// `gazette check` has refused that language already, see [`Theme::check_language`]).
    pub(crate) fn locale(&self, language: &str) -> Locale {
        let mut words = self
            .tables
            .get(DEFAULT_LANGUAGE)
            .cloned()
            .unwrap_or_default();
        if language != DEFAULT_LANGUAGE
            && let Some(own) = self.tables.get(language)
        {
            words.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let mut parts: Vec<&[u8]> = vec![language.as_bytes()];
        for (k, v) in &words {
            parts.push(k.as_bytes());
            parts.push(v.as_bytes());
        }
        let key = Key::of(&parts);
        Locale {
            words: Arc::new(words.into_iter().collect()),
            key,
        }
    }
}

/// One layer of a table: TOML whose tables group the keys (`[nav]` `home = "首页"` is the
/// key `nav.home`); every value a string.
fn read_layer(
    file: &ThemeFile,
    lang: &str,
    table: &mut BTreeMap<String, String>,
) -> Result<(), Diagnostic> {
    let name = format!("locales/{lang}.toml");
    let bytes = file.bytes()?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Diagnostic::new(Code::Template, format!("语言文件 {name} 不是 UTF-8 文本")))?;
    let parsed: toml::Table = toml::from_str(text).map_err(|e| {
        Diagnostic::new(
            Code::Template,
            format!("语言文件 {name} 不是有效的 TOML：{}", e.message().trim()),
        )
        .hint("每条写成 键 = \"文字\"，如 home = \"首页\"；分组写成 [nav]")
    })?;
    flatten("", &parsed, &name, table)
}

fn flatten(
    prefix: &str,
    t: &toml::Table,
    name: &str,
    out: &mut BTreeMap<String, String>,
) -> Result<(), Diagnostic> {
    for (k, v) in t {
        let key = format!("{prefix}{k}");
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(inner) => flatten(&format!("{key}."), inner, name, out)?,
            _ => {
                return Err(Diagnostic::new(
                    Code::Template,
                    format!("语言文件 {name} 中 `{key}` 的值不是文字"),
                )
                .hint("每条的值都写成英文双引号括起的文字，如 home = \"首页\""));
            }
        }
    }
    Ok(())
}

/// The words of one language, as pages are rendered with them.
#[derive(Clone, Debug)]
pub(crate) struct Locale {
    words: Arc<HashMap<String, String>>,
    /// A hash of the language and every word: part of each page's cache key.
    pub key: Key,
}

impl Locale {
    /// The text of `key`; the key itself when no table has it (visible, never a failed page).
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub(crate) fn fill(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        fill(self.get(key), |name| {
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    /// `template` with each `{{ t(key="…") }}` that has no other argument replaced by its text,
    /// escaped as Tera would print it (see [`super::Engine`]); a text that holds Tera's own
    /// delimiters stays a call.
    pub(crate) fn write_into(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(at) = rest.find("{{ t(key=") {
            out.push_str(&rest[..at]);
            let call = &rest[at..];
            let written = call["{{ t(key=".len()..].chars().next().and_then(|q| {
                let body = &call["{{ t(key=".len() + 1..];
                let end = body.find(q)?;
                let key = &body[..end];
                let tail = format!("{q}) }}}}");
                if !(q == '"' || q == '\'') || !body[end..].starts_with(&tail) {
                    return None;
                }
                let text = self.words.get(key)?;
                if ["{{", "{%", "{#"].iter().any(|d| text.contains(d)) {
                    return None;
                }
                Some((
                    crate::markdown::escape(text),
                    "{{ t(key=".len() + 1 + end + tail.len(),
                ))
            });
            match written {
                Some((text, len)) => {
                    out.push_str(&text);
                    rest = &call[len..];
                }
                None => {
                    out.push_str("{{");
                    rest = &call[2..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A status as pages name it (the data files keep [`Status::label`]).
    pub(crate) fn status(&self, s: Status) -> String {
        self.get(&format!("status.{}", s.code())).to_string()
    }

    /// A date as prose writes it: `date` with `{year}`, `{month}`, `{day}` and `{month_name}`
    /// (`month.1` … `month.12`): 2024年3月18日, March 18, 2024.
    pub(crate) fn date(&self, d: jiff::civil::Date) -> String {
        let month_name = self.get(&format!("month.{}", d.month())).to_string();
        self.fill(
            "date",
            &[
                ("year", &d.year()),
                ("month", &d.month()),
                ("day", &d.day()),
                ("month_name", &month_name),
            ],
        )
    }

    /// `{{ d | cn_date }}`: `2024-03-18` as [`Self::date`] writes it (a value that is not such a
    /// date is left as it is). The name is the one themes have used since dates were Chinese only.
    pub(crate) fn date_filter(&self) -> impl tera::Filter + use<> {
        let locale = self.clone();
        move |value: &tera::Value, _: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let text = value.as_str().unwrap_or_default();
            Ok(tera::Value::String(
                crate::contract::parse_date(text)
                    .map_or_else(|| text.to_string(), |d| locale.date(d)),
            ))
        }
    }

    /// `{{ words(prefix="js.") }}`: every entry under `prefix`, keyed by the rest of its name,
    /// for a script to read from a `data-words` attribute (search.js, prefs.js): their words
    /// come from the same table as the page's.
    pub(crate) fn words_function(&self) -> impl tera::Function + use<> {
        let words = Arc::clone(&self.words);
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let prefix = args
                .get("prefix")
                .and_then(tera::Value::as_str)
                .ok_or_else(|| tera::Error::msg("words() 需要 prefix，如 words(prefix=\"js.\")"))?;
            let mut picked: Vec<(&str, &String)> = words
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?, v)))
                .collect();
            // In name order whatever the map's: the page is the same on every build.
            picked.sort_unstable();
            Ok(tera::Value::Object(
                picked
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), tera::Value::String(v.clone())))
                    .collect(),
            ))
        }
    }

    /// `{{ t(key="…", name=value …) }}` for the templates.
    pub(crate) fn tera_function(&self) -> impl tera::Function + use<> {
        let words = Arc::clone(&self.words);
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let key = args
                .get("key")
                .and_then(tera::Value::as_str)
                .ok_or_else(|| tera::Error::msg("t() 需要 key，如 t(key=\"nav.home\")"))?;
            let text = words.get(key).map_or(key, String::as_str);
            Ok(tera::Value::String(fill(text, |name| {
                args.get(name).map(|v| match v {
                    tera::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            })))
        }
    }
}

/// `text` with each `{name}` that `value` knows replaced; other braces stay as written.
fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            value(name).map(|v| (v, close))
        }) {
            Some((v, close)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn names_are_filled_and_other_braces_kept() {
        let v = |n: &str| (n == "n").then(|| "3".to_string());
        assert_eq!(fill("共 {n} 份", v), "共 3 份");
        assert_eq!(fill("{n}{n}", v), "33");
        assert_eq!(fill("{x} {n} {", v), "{x} 3 {");
        assert_eq!(fill("无", v), "无");
    }
}
