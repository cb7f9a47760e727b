//! `gazette.toml`: raw, then resolved.
//!
//! The raw file is parsed with toml's spanned parser into the same positioned [`Node`] tree as
//! front matter, checked against `schemas/gazette.schema.json`, then deserialised with serde into
//! [`RawConfig`] and resolved into [`Config`]: registries in display order with lookups by name.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use url::Url;

use crate::contract::schema::{self, Schemas};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::tree::{Key, LineIndex, Node, NodeValue};

mod examples;
pub mod site;
pub use site::{SiteIdentity, TocGroup};

pub const CONFIG_FILE: &str = "gazette.toml";

/// `gazette.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    language: Option<String>,
    theme: Option<String>,
    description: Option<String>,
    page_size: Option<usize>,
    feed_length: Option<usize>,
    minify: Option<bool>,
    /// 解读同步发布: how many days after its document an interpretation may follow (default 3).
    interpretation_max_lag_days: Option<u32>,
    /// Public holidays (`YYYY-MM-DD`) that are not working days, for `publish-late`.
    #[serde(default)]
    holidays: Vec<String>,
    /// Weekend days that are working days (调休上班), for `publish-late`.
    #[serde(default)]
    workdays: Vec<String>,
    kinds: indexmap::IndexMap<String, RawKind>,
    issuers: Vec<Issuer>,
    #[serde(default)]
    subjects: Vec<Subject>,
    #[serde(default)]
    site: SiteIdentity,
    #[serde(default)]
    gazette_toc: Vec<TocGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    label: String,
    #[serde(default)]
    validity: Validity,
    #[serde(default)]
    require_interpretation: bool,
    max_validity_years: Option<u32>,
    provisional_max_validity_years: Option<u32>,
    filing_days: Option<u32>,
    #[serde(default)]
    consultation: bool,
}

/// Whether a kind's documents have a legal validity (legal-model.md §1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// The document has a status of its own (现行有效, 已废止 …), `effective` and `expires`.
    Own,
    /// An interpretation: it shows the status of the document it interprets.
    Follows,
    /// No status anywhere: 人事任免, 公告, 报告 …
    #[default]
    None,
}

/// A registered 文件类别 (kind of document; not 文种, which in 《党政机关公文处理工作条例》 means
/// 通知、决定、令…).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Kind {
    pub key: String,
    pub label: String,
    pub validity: Validity,
    pub require_interpretation: bool,
    pub max_validity_years: Option<u32>,
    /// The shorter term of 暂行 and 试行 documents.
    pub provisional_max_validity_years: Option<u32>,
    /// 备案 deadline after `published`, in calendar days.
    pub filing_days: Option<u32>,
    /// 征求意见稿 (versions.md §2).
    pub consultation: bool,
}

/// A registered 发文机关.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name: String,
    pub slug: String,
    pub short_name: Option<String>,
    pub parent: Option<String>,
}

/// A registered 主题分类.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub name: String,
    pub slug: String,
}

/// The resolved configuration every later stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// An http(s) URL whose path ends with `/`.
    pub base_url: Url,
    pub language: String,
    /// Where `language` is written in gazette.toml, for a language the theme has no words for.
    pub language_at: Option<crate::diag::Pos>,
    pub theme: String,
    pub description: Option<String>,
    pub page_size: usize,
    pub feed_length: usize,
    pub minify: bool,
    pub interpretation_max_lag_days: u32,
    /// Sorted; see [`Config::is_working_day`].
    pub holidays: Vec<jiff::civil::Date>,
    pub workdays: Vec<jiff::civil::Date>,
    pub kinds: Vec<Kind>,
    pub issuers: Vec<Issuer>,
    pub subjects: Vec<Subject>,
    /// `[site]`: 主办单位, 网站标识码, 备案号 … for every page's footer.
    pub site: SiteIdentity,
    /// `[[gazette_toc]]`: how an issue's 目录 is grouped (empty: by kind).
    pub gazette_toc: Vec<TocGroup>,
    kind_index: HashMap<String, usize>,
    issuer_index: HashMap<String, usize>,
    subject_index: HashMap<String, usize>,
}

impl Config {
    /// Everything this configuration says, as text: what a document's check kept in the build
    /// cache is keyed by. The lookup tables are left out: they are made from the lists, and a
    /// `HashMap` prints in no fixed order.
    pub fn describe(&self) -> String {
        let lists = Config {
            kind_index: HashMap::new(),
            issuer_index: HashMap::new(),
            subject_index: HashMap::new(),
            ..self.clone()
        };
        format!("{lists:?}")
    }

    pub fn kind(&self, key: &str) -> Option<&Kind> {
        self.kind_index.get(key).map(|&i| &self.kinds[i])
    }
    /// For a kind that is not registered: the nearest registered key, if one is close, and every
    /// registered kind as `key(label)`, in order (the hint of `check` and of `new`).
    pub fn kind_suggestion(&self, key: &str) -> (Option<String>, Vec<String>) {
        let keys: Vec<&str> = self.kinds.iter().map(|k| k.key.as_str()).collect();
        let listed = self
            .kinds
            .iter()
            .map(|k| format!("{}（{}）", k.key, k.label))
            .collect();
        let near = crate::contract::schema::nearest(key, &keys).map(str::to_string);
        (near, listed)
    }

    /// Position of a kind in the configured order (tables of contents follow it).
    pub fn kind_order(&self, key: &str) -> usize {
        self.kind_index.get(key).copied().unwrap_or(usize::MAX)
    }
    pub fn issuer(&self, name: &str) -> Option<&Issuer> {
        self.issuer_index.get(name).map(|&i| &self.issuers[i])
    }
    pub fn issuer_order(&self, name: &str) -> usize {
        self.issuer_index.get(name).copied().unwrap_or(usize::MAX)
    }
    pub fn subject(&self, name: &str) -> Option<&Subject> {
        self.subject_index.get(name).map(|&i| &self.subjects[i])
    }
    pub fn subject_order(&self, name: &str) -> usize {
        self.subject_index.get(name).copied().unwrap_or(usize::MAX)
    }
    /// The validity of a kind (`none` for an unknown kind: never claim a legal force).
    pub fn validity(&self, kind: &str) -> Validity {
        self.kind(kind).map_or(Validity::None, |k| k.validity)
    }

    /// Monday to Friday, except listed holidays; plus listed weekend workdays (调休).
    pub fn is_working_day(&self, d: jiff::civil::Date) -> bool {
        use jiff::civil::Weekday;
        if self.workdays.binary_search(&d).is_ok() {
            return true;
        }
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
            && self.holidays.binary_search(&d).is_err()
    }

    /// The path part of `base_url` (`/` or `/gazette/`), the prefix of every link.
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }
}

/// Loads and checks `<root>/gazette.toml`. Problems go to `diags`; `None` when unusable.
pub fn load(root: &Path, schemas: &Schemas, diags: &mut Diagnostics) -> Option<Config> {
    let file = Path::new(CONFIG_FILE);
    let text = match crate::source::read_text(root, file) {
        Ok(t) => t,
        Err(mut d) => {
            if !root.join(file).exists() {
                d.message = format!("找不到站点配置 {CONFIG_FILE}");
                d.hint = Some(format!(
                    "在站点根目录运行 `gazette init <文件夹>` 新建站点，或用 --root 指向含 {CONFIG_FILE} 的文件夹"
                ));
            }
            diags.push(d);
            return None;
        }
    };
    let node = match parse_toml(&text) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d.in_file(file));
            return None;
        }
    };
    let json = node.to_json();
    let problems = schema::check(&schemas.config, &node, &json, file, &config_hint);
    if !problems.is_empty() {
        diags.extend(problems.into_iter().map(|mut d| {
            if matches!(
                d.code,
                Code::UnknownKey
                    | Code::MissingKey
                    | Code::WrongType
                    | Code::InvalidValue
                    | Code::InvalidId
            ) {
                d.code = Code::ConfigInvalid;
            }
            d
        }));
        return None;
    }
    let raw: RawConfig = match serde_json::from_value(json) {
        Ok(r) => r,
        Err(e) => {
            diags.push(
                Diagnostic::new(Code::ConfigInvalid, format!("{CONFIG_FILE} 无法读取：{e}"))
                    .in_file(file),
            );
            return None;
        }
    };
    resolve(raw, &node, diags)
}

fn resolve(raw: RawConfig, node: &Node, diags: &mut Diagnostics) -> Option<Config> {
    let file = Path::new(CONFIG_FILE);
    let kinds: Vec<Kind> = raw
        .kinds
        .into_iter()
        .map(|(key, k)| Kind {
            key,
            label: k.label,
            validity: if k.consultation {
                Validity::None
            } else {
                k.validity
            },
            require_interpretation: k.require_interpretation,
            max_validity_years: k.max_validity_years,
            provisional_max_validity_years: k.provisional_max_validity_years,
            filing_days: k.filing_days,
            consultation: k.consultation,
        })
        .collect();
    let before = diags.error_count();
    let mut dates = |key: &str, list: &[String]| -> Vec<jiff::civil::Date> {
        let mut out = Vec::new();
        for (i, s) in list.iter().enumerate() {
            match crate::contract::parse_date(s) {
                Some(d) => out.push(d),
                None => diags.push(
                    Diagnostic::new(Code::ConfigInvalid, format!("{key} 中的日期 `{s}` 无效"))
                        .in_file(file)
                        .at(Some(node.locate(&format!("/{key}/{i}"), false)))
                        .hint("日期写成 YYYY-MM-DD，如 \"2026-10-01\"，且必须是真实存在的日期"),
                ),
            }
        }
        out.sort_unstable();
        out
    };
    let holidays = dates("holidays", &raw.holidays);
    let workdays = dates("workdays", &raw.workdays);
    let mut issuer_index = HashMap::new();
    let mut seen_slugs = HashMap::new();
    for (i, issuer) in raw.issuers.iter().enumerate() {
        let at = Some(node.locate(&format!("/issuers/{i}/name"), false));
        if issuer_index.insert(issuer.name.clone(), i).is_some() {
            diags.push(
                Diagnostic::new(
                    Code::ConfigInvalid,
                    format!("发文机关 `{}` 登记了两次", issuer.name),
                )
                .in_file(file)
                .at(at)
                .hint("删除重复的 [[issuers]] 条目"),
            );
        }
        if seen_slugs.insert(issuer.slug.clone(), i).is_some() {
            diags.push(
                Diagnostic::new(
                    Code::ConfigInvalid,
                    format!("slug `{}` 被两个发文机关使用", issuer.slug),
                )
                .in_file(file)
                .at(Some(node.locate(&format!("/issuers/{i}/slug"), false)))
                .hint("每个发文机关的 slug 必须不同：它是网址 /issuers/<slug>/ 的一部分"),
            );
        }
    }
    for (i, issuer) in raw.issuers.iter().enumerate() {
        if let Some(parent) = &issuer.parent
            && !issuer_index.contains_key(parent)
        {
            let names: Vec<&str> = raw.issuers.iter().map(|x| x.name.as_str()).collect();
            let mut d =
                Diagnostic::new(Code::ConfigInvalid, format!("上级机关 `{parent}` 没有登记"))
                    .in_file(file)
                    .at(Some(node.locate(&format!("/issuers/{i}/parent"), false)));
            if let Some(n) = schema::nearest(parent, &names) {
                d = d.hint(format!(
                    "是否应为 `{n}`?parent 必须是另一个 [[issuers]] 的 name"
                ));
            }
            diags.push(d);
        }
    }
    let mut subject_index = HashMap::new();
    let mut subject_slugs = HashMap::new();
    for (i, s) in raw.subjects.iter().enumerate() {
        if subject_index.insert(s.name.clone(), i).is_some()
            || subject_slugs.insert(s.slug.clone(), i).is_some()
        {
            diags.push(
                Diagnostic::new(
                    Code::ConfigInvalid,
                    format!("主题分类 `{}` 或其 slug 重复", s.name),
                )
                .in_file(file)
                .at(Some(node.locate(&format!("/subjects/{i}"), false)))
                .hint("每个主题分类的 name 和 slug 都必须唯一"),
            );
        }
    }
    let base_url = match parse_base_url(&raw.base_url) {
        Ok(url) => Some(url),
        Err(why) => {
            diags.push(
                Diagnostic::new(Code::ConfigInvalid, format!("`base_url` {why}"))
                    .in_file(file)
                    .at(Some(node.locate("/base_url", false)))
                    .hint("写网站的完整网址，以 / 结尾，如 base_url = \"https://gazette.example.cn/\""),
            );
            None
        }
    };
    site::check_identity(&raw.site, node, diags);
    let kind_known = |k: &str| kinds.iter().any(|x| x.key == k);
    site::check_toc(
        &raw.gazette_toc,
        node,
        &kind_known,
        &|name| issuer_index.contains_key(name),
        diags,
    );
    if diags.error_count() > before {
        return None;
    }
    let kind_index = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| (k.key.clone(), i))
        .collect();
    let base_url = base_url?;
    Some(Config {
        title: raw.title,
        base_url,
        language_at: raw
            .language
            .as_ref()
            .map(|_| node.locate("/language", false)),
        language: raw.language.unwrap_or_else(|| "zh-CN".into()),
        theme: raw.theme.unwrap_or_else(|| "default".into()),
        description: raw.description,
        page_size: raw.page_size.unwrap_or(50),
        feed_length: raw.feed_length.unwrap_or(30),
        minify: raw.minify.unwrap_or(true),
        interpretation_max_lag_days: raw.interpretation_max_lag_days.unwrap_or(3),
        holidays,
        workdays,
        kinds,
        issuers: raw.issuers,
        subjects: raw.subjects,
        site: raw.site,
        gazette_toc: raw.gazette_toc,
        kind_index,
        issuer_index,
        subject_index,
    })
}

fn config_hint(key: &str) -> Option<String> {
    Some(
        match key {
            "title" => "站点标题，如 title = \"洛阳市人民政府公报\"",
            "base_url" => "站点网址，以 / 结尾，如 base_url = \"https://gazette.example.cn/\"",
            "kinds" => "每个文件类别一张表，如 [kinds.normative] 下写 label = \"行政规范性文件\" 和 validity = \"own\"",
            "issuers" => "每个发文机关一个 [[issuers]]，写 name = \"…\" 和 slug = \"…\"（小写字母、数字、连字符）",
            "subjects" => "每个主题分类一个 [[subjects]]，写 name 和 slug",
            "language" => "如 language = \"zh-CN\"",
            "theme" => "themes/ 下的文件夹名，如 theme = \"default\"",
            "site" => "[site] 表写网站标识：sponsor（主办单位）、organizer（承办单位）、phone、email、address、site_code（网站标识码）、icp（ICP备案编号）、psb（公安机关备案号）、party_gov_mark（true 或 false）",
            "gazette_toc" => "每个目录分组一个 [[gazette_toc]]，写 title，以及 kinds 或 issuers 列表",
            _ => return None,
        }
        .to_string(),
    )
}

/// TOML text → positioned tree (byte spans turned into lines and columns).
pub fn parse_toml(text: &str) -> Result<Node, Diagnostic> {
    let idx = LineIndex::new(text, 1);
    let table = DeTable::parse(text).map_err(|e| {
        let pos = e.span().map(|s| idx.pos(s.start));
        Diagnostic::new(Code::ConfigSyntax, format!("gazette.toml 不是有效的 TOML:{}", e.message().trim()))
            .at(pos)
            .hint("检查这一行：文本值要用英文双引号括起来，如 title = \"洛阳市人民政府公报\"；表头写成 [kinds.normative] 或 [[issuers]]")
    })?;
    let span = table.span();
    Ok(Node {
        pos: idx.pos(span.start),
        value: table_value(table.get_ref(), &idx),
    })
}

fn table_value(table: &DeTable<'_>, idx: &LineIndex) -> NodeValue {
    NodeValue::Map(
        table
            .iter()
            .map(|(k, v)| {
                let key = Key {
                    name: k.get_ref().to_string(),
                    pos: idx.pos(k.span().start),
                };
                (key, value_node(v.get_ref(), v.span().start, idx))
            })
            .collect(),
    )
}

fn value_node(v: &DeValue<'_>, start: usize, idx: &LineIndex) -> Node {
    let value = match v {
        DeValue::String(s) => NodeValue::Str(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map_or_else(|_| NodeValue::Str(i.as_str().to_string()), NodeValue::Int),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse()
            .map_or(NodeValue::Null, NodeValue::Float),
        DeValue::Boolean(b) => NodeValue::Bool(*b),
        DeValue::Datetime(d) => NodeValue::Str(d.to_string()),
        DeValue::Array(items) => NodeValue::Seq(
            items
                .iter()
                .map(|i| value_node(i.get_ref(), i.span().start, idx))
                .collect(),
        ),
        DeValue::Table(t) => table_value(t, idx),
    };
    Node {
        pos: idx.pos(start),
        value,
    }
}

/// `base_url` (from `gazette.toml` or `--base-url`) as a URL every link can start from: http
/// or https, with a host, no query or fragment, its path ending in `/` (one is added).
/// On error, why, in words for the editor.
pub fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text).map_err(|e| format!("不是有效的网址（{e}）"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("应以 http:// 或 https:// 开头，后接域名".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("不能带 ? 或 # 后的部分".into());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}
