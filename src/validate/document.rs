//! One document file → a typed [`Document`], with every problem in the file reported.
//!
//! Order of checks: read → split → YAML → placeholders → JSON Schema (structure) → typed values
//! (real dates, 发文字号, registries, attachments). Each stage reports all it finds; a later
//! stage runs only on what the earlier ones let through, so one mistake is not reported twice.

use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;

use super::fields;
use crate::config::Config;
use crate::contract::schema::{self, Schemas, nearest};
use crate::contract::{self, doc_number};
use crate::diag::{Code, Diagnostic, Diagnostics, Pos};
use crate::model::{
    Attachment, BasisRef, Body, Disclosure, DocId, Document, InterpretationRef, IssueNo, Repeal,
    Version,
};
use crate::source::{self, tree::Node};

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawRepeal {
    Whole(String),
    Articles { id: String, articles: String },
}

#[derive(Deserialize)]
struct RawDocument {
    id: Option<String>,
    title: String,
    kind: String,
    doc_number: Option<String>,
    issuer: OneOrMany,
    issued: Option<String>,
    published: String,
    effective: Option<String>,
    expires: Option<String>,
    #[serde(default)]
    repeals: Vec<RawRepeal>,
    #[serde(default)]
    amends: Vec<String>,
    #[serde(default)]
    declares_expired: Vec<String>,
    #[serde(default)]
    cleanup: bool,
    #[serde(default)]
    continues: Vec<String>,
    #[serde(default)]
    to_amend: Vec<String>,
    #[serde(default)]
    basis: Vec<String>,
    consulted: Option<String>,
    comment_from: Option<String>,
    comment_to: Option<String>,
    #[serde(default)]
    feedback: Vec<String>,
    feedback_report: Option<String>,
    registration_number: Option<String>,
    legality_review: Option<String>,
    deliberation: Option<String>,
    filed_on: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    interpretation: Vec<String>,
    interprets: Option<String>,
    gazette: Option<String>,
    #[serde(default)]
    subjects: Vec<String>,
    record_number: Option<String>,
    source: Option<String>,
    index_no: Option<String>,
    summary: Option<String>,
    disclosure: Option<String>,
    gazette_page: Option<u32>,
    #[serde(default)]
    attachments: Vec<RawAttachment>,
}

/// An attachment as written: a path, or `{path, title}` with the name shown as 附件N.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAttachment {
    Path(String),
    Titled { path: String, title: Option<String> },
}

/// Reads, parses and checks one document. `None` when the file has errors that leave no usable
/// document (its diagnostics are in `diags`).
/// Besides the file: the site's configuration and schemas, and where proofreading results are
/// kept.
/// `bytes` are the file's; its attachments are looked up through `lookups`.
pub(crate) fn load(
    (root, file, bytes): (&Path, &Path, &[u8]),
    (config, schemas, proofread): (&Config, &Schemas, &dyn crate::proofread::Memo),
    lookups: &fields::Lookups,
    version: &mut Option<Version>,
    diags: &mut Diagnostics,
) -> Option<(Document, Body, Vec<super::rules::BodyLink>)> {
    let text = source::decode(bytes, file)
        .map_err(|d| diags.push(d))
        .ok()?;
    diags.extend(crate::proofread::check_with(&text, file, proofread));
    let split = source::split_front_matter(&text, file)
        .map_err(|d| diags.push(d))
        .ok()?;
    let node = fields::parse_mapping(split.yaml, split.yaml_line, file, diags)?;
    // A file with `version_of` is a consolidated text of a document (versions.md §1).
    if node.get("version_of").is_some() {
        *version = super::version::load(
            root,
            file,
            &node,
            schemas,
            split.body.into(),
            split.body_line,
            (lookups, diags),
        );
        return None;
    }
    let json = node.to_json();
    // Reported after the document is made: a 文号 with an invisible character must still
    // meet its twin in the duplicate check.
    let mut invisible = Vec::new();
    super::text::check(&node, &text, file, &mut invisible);

    let before = diags.error_count();
    let placeholders = fields::placeholders(&node, file, diags);
    let mut structural = schema::check(&schemas.document, &node, &json, file, &key_hint);
    structural.extend(fields::calendar_dates(
        &node,
        &[
            "issued",
            "published",
            "effective",
            "expires",
            "legality_review",
            "filed_on",
            "comment_from",
            "comment_to",
        ],
        file,
    ));
    diags.extend(
        structural
            .into_iter()
            .filter(|d| d.pos.is_none_or(|p| !placeholders.contains(&p))),
    );
    if diags.error_count() > before {
        diags.extend(invisible);
        return None;
    }
    let raw: RawDocument = serde_json::from_value(json).ok()?;
    let mut c = Checker {
        file,
        node: &node,
        lookups,
        diags,
        errors_before: before,
    };
    let doc = c.typed(raw, root, config, split.body_line);
    let doc = if c.diags.error_count() > c.errors_before {
        None
    } else {
        doc
    };
    diags.extend(invisible);
    let doc = doc?;
    // A public document's page shows its body: an unclosed tag there would swallow the rest.
    if doc.is_public() {
        crate::markdown::unclosed::warn(file, split.body, split.body_line, diags);
    }
    let links = super::rules::links_in(split.body, split.body_line);
    Some((doc, Body::from(split.body), links))
}

struct Checker<'a> {
    file: &'a Path,
    node: &'a Node,
    lookups: &'a fields::Lookups,
    diags: &'a mut Diagnostics,
    errors_before: usize,
}

impl Checker<'_> {
    /// The places site-wide rules may need to point at.
    fn positions(&self) -> Vec<(String, Pos)> {
        let mut out = Vec::new();
        for key in [
            "id",
            "title",
            "kind",
            "doc_number",
            "interprets",
            "expires",
            "effective",
            "gazette",
            "issued",
            "published",
            "filed_on",
            "cleanup",
            "consulted",
            "comment_from",
            "comment_to",
            "feedback_report",
        ] {
            if let Some((k, _)) = self.node.entry(key) {
                out.push((format!("/{key}"), k.pos));
            }
        }
        for key in [
            "repeals",
            "amends",
            "declares_expired",
            "continues",
            "to_amend",
            "basis",
            "interpretation",
            "attachments",
        ] {
            if let Some(crate::source::tree::NodeValue::Seq(items)) =
                self.node.get(key).map(|n| &n.value)
            {
                for (i, item) in items.iter().enumerate() {
                    // `{id, articles}` items point at their id.
                    let pos = item.get("id").map_or(item.pos, |n| n.pos);
                    out.push((format!("/{key}/{i}"), pos));
                }
            }
        }
        out
    }

    fn at(&self, pointer: &str) -> Option<Pos> {
        Some(self.node.locate(pointer, false))
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d.in_file(self.file));
    }

    fn date(&mut self, key: &str, value: Option<&str>) -> Option<Date> {
        let v = value?;
        let parsed = contract::parse_date(v);
        if parsed.is_none() {
            let at = self.node.locate(&format!("/{key}"), false);
            self.diags.push(fields::invalid_date(key, v, self.file, at));
        }
        parsed
    }

    fn typed(
        &mut self,
        raw: RawDocument,
        root: &Path,
        config: &Config,
        body_line: u32,
    ) -> Option<Document> {
        let id = match &raw.id {
            Some(id) => id.clone(),
            None => {
                let stem = self
                    .file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if !contract::is_id(&stem) {
                    self.push(
                        Diagnostic::new(Code::InvalidId, format!("文件名 `{stem}` 不能用作 id"))
                            .at(Some(Pos::new(1, 1)))
                            .hint("把文件改名为小写字母、数字和连字符组成的名字（如 lzb-2021-15.md），或在 front matter 中写 `id: lzb-2021-15`"),
                    );
                }
                stem
            }
        };

        self.validity_keys(config, &raw);
        let consultation = self.consultation(config, &raw);
        if config.kind(&raw.kind).is_none() {
            let (nearest, listed) = config.kind_suggestion(&raw.kind);
            let mut hint = nearest
                .map(|k| format!("是否应为 `{k}`？"))
                .unwrap_or_default();
            hint.push_str(&format!(
                "gazette.toml 登记的文件类别：{}",
                listed.join(", ")
            ));
            let at = self.at("/kind");
            self.push(
                Diagnostic::new(
                    Code::UnknownKind,
                    format!("未登记的文件类别 `{}`", raw.kind),
                )
                .at(at)
                .hint(hint),
            );
        }

        let issuers = match raw.issuer {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        };
        let issuer_node = self.node.get("issuer").cloned();
        for (i, name) in issuers.iter().enumerate() {
            if config.issuer(name).is_some() {
                continue;
            }
            let pos = issuer_node
                .as_ref()
                .map(|n| n.strings().get(i).map_or(n.pos, |s| s.1));
            let by_short = config
                .issuers
                .iter()
                .find(|x| x.short_name.as_deref() == Some(name.as_str()));
            let names: Vec<&str> = config.issuers.iter().map(|x| x.name.as_str()).collect();
            let hint = match (by_short, nearest(name, &names)) {
                (Some(x), _) => format!("`{name}` 是简称，请写全称 `{}`", x.name),
                (None, Some(n)) => format!(
                    "是否应为 `{n}`？发文机关须与 gazette.toml 的 [[issuers]] 中的 name 完全一致"
                ),
                (None, None) => {
                    "先在 gazette.toml 中添加 [[issuers]] 条目（name 与 slug），再使用它"
                        .to_string()
                }
            };
            self.push(
                Diagnostic::new(Code::UnknownIssuer, format!("未登记的发文机关 `{name}`"))
                    .at(pos)
                    .hint(hint),
            );
        }
        for (i, name) in raw.subjects.iter().enumerate() {
            if config.subject(name).is_none() {
                let names: Vec<&str> = config.subjects.iter().map(|x| x.name.as_str()).collect();
                let hint = match nearest(name, &names) {
                    Some(n) => format!("是否应为 `{n}`？"),
                    None => format!("已登记的主题分类：{}", names.join("、")),
                };
                let at = self.at(&format!("/subjects/{i}"));
                self.push(
                    Diagnostic::new(Code::UnknownSubject, format!("未登记的主题分类 `{name}`"))
                        .at(at)
                        .hint(hint),
                );
            }
        }

        if let Some(n) = &raw.doc_number
            && let Err((why, fixed)) = doc_number::check(n)
        {
            let hint = match fixed {
                Some(f) => format!("应写作 `{f}`（GB/T 9704-2012 7.2.5）"),
                None => "发文字号写作 机关代字〔年份〕序号号，如 `洛政办〔2019〕12号`；规章写作 `洛阳市人民政府令第121号`".into(),
            };
            let at = self.at("/doc_number");
            self.push(
                Diagnostic::new(
                    Code::DocNumberFormat,
                    format!("发文字号 `{n}` 不规范：{why}"),
                )
                .at(at)
                .hint(hint),
            );
        }

        let issued = self.date("issued", raw.issued.as_deref());
        let published = self.date("published", Some(&raw.published));
        let effective = self.date("effective", raw.effective.as_deref());
        let expires = self.date("expires", raw.expires.as_deref());
        if let (Some(i), Some(p)) = (issued, published)
            && i > p
        {
            let at = self.at("/issued");
            self.push(
                Diagnostic::new(
                    Code::DateOrder,
                    format!("成文日期 issued（{i}）晚于发布日期 published（{p}）"),
                )
                .at(at)
                .hint("成文日期不能晚于发布日期：检查两个日期是否写反"),
            );
        }
        let effective_or_published = effective.or(published);
        if let (Some(e), Some(x)) = (effective_or_published, expires)
            && e > x
        {
            let at = self.at("/expires");
            self.push(
                Diagnostic::new(
                    Code::DateOrder,
                    format!("有效期至 expires（{x}）早于施行日期（{e}）"),
                )
                .at(at)
                .hint(
                    "expires 是有效的最后一天，必须不早于 effective（未写 effective 时为 published）",
                ),
            );
        }

        let legality_review = self.date("legality_review", raw.legality_review.as_deref());
        let filed_on = self.date("filed_on", raw.filed_on.as_deref());

        let gazette = raw.gazette.as_deref().and_then(|g| {
            let parsed = IssueNo::parse(g);
            if parsed.is_none() {
                let at = self.at("/gazette");
                self.push(
                    Diagnostic::new(Code::InvalidValue, format!("公报期号 `{g}` 无效"))
                        .at(at)
                        .hint("写成 YYYY-NN，期号两位且从 01 开始，如 2024-03"),
                );
            }
            parsed
        });

        let disclosure = match raw.disclosure.as_deref() {
            Some("on_request") => Disclosure::OnRequest,
            Some("withheld") => Disclosure::Withheld,
            _ => Disclosure::Public,
        };

        if raw.gazette_page.is_some() && raw.gazette.is_none() {
            let at = Some(self.node.locate("/gazette_page", true));
            self.push(
                Diagnostic::new(Code::MissingKey, "写了 gazette_page 却没有写 gazette")
                    .at(at)
                    .hint("gazette_page 是文件在所刊登公报中的页码：同时写 gazette（期号 YYYY-NN），或删除 gazette_page"),
            );
        }

        let mut attachments = Vec::new();
        for (i, item) in raw.attachments.iter().enumerate() {
            let at = self.at(&format!("/attachments/{i}"));
            let (name, title) = match item {
                RawAttachment::Path(p) => (p, None),
                RawAttachment::Titled { path, title } => (path, title.clone()),
            };
            match self
                .lookups
                .attachment(root, self.file, name)
                .map(|a| Attachment { title, ..a })
            {
                Ok(a) => {
                    if attachments.iter().any(|x: &Attachment| x.name == a.name) {
                        self.push(
                            Diagnostic::new(
                                Code::InvalidValue,
                                format!("两个附件同名 `{}`", a.name),
                            )
                            .at(at)
                            .hint("附件发布在同一个文件夹中，文件名必须不同：给其中一个改名"),
                        );
                    }
                    attachments.push(a);
                }
                Err(d) => self.push(d.at(at)),
            }
        }

        let interpretation = raw
            .interpretation
            .into_iter()
            .map(|s| {
                if s.starts_with("https://") {
                    InterpretationRef::External(s)
                } else {
                    InterpretationRef::Doc(DocId::new(s))
                }
            })
            .collect();

        Some(Document {
            id: DocId::new(id),
            title: raw.title,
            kind: raw.kind,
            doc_number: raw.doc_number,
            issuers,
            issued,
            published: published?,
            effective: effective_or_published?,
            expires,
            repeals: raw
                .repeals
                .into_iter()
                .map(|r| match r {
                    RawRepeal::Whole(id) => Repeal {
                        id: DocId::new(id),
                        articles: None,
                    },
                    RawRepeal::Articles { id, articles } => Repeal {
                        id: DocId::new(id),
                        articles: Some(articles),
                    },
                })
                .collect(),
            amends: raw.amends.into_iter().map(DocId::new).collect(),
            declares_expired: raw.declares_expired.into_iter().map(DocId::new).collect(),
            cleanup: raw.cleanup,
            continues: raw.continues.into_iter().map(DocId::new).collect(),
            to_amend: raw.to_amend.into_iter().map(DocId::new).collect(),
            basis: raw
                .basis
                .into_iter()
                .map(|b| {
                    if b.starts_with("https://") {
                        BasisRef::External(b)
                    } else if b.starts_with('《') {
                        BasisRef::Title(b)
                    } else {
                        BasisRef::Doc(DocId::new(b))
                    }
                })
                .collect(),
            consulted: raw.consulted.map(DocId::new),
            consultation,
            registration_number: raw.registration_number,
            legality_review,
            deliberation: raw.deliberation,
            filed_on,
            draft: raw.draft,
            interpretation,
            interprets: raw.interprets.map(DocId::new),
            gazette,
            gazette_page: raw.gazette_page,
            subjects: raw.subjects,
            record_number: raw.record_number,
            source: raw.source,
            index_no: raw.index_no,
            summary: raw.summary,
            disclosure,
            attachments,
            file: self.file.to_path_buf(),
            body_line,
            positions: self.positions().into(),
        })
    }
}

/// What each key means and how to write it: the hint for a missing or malformed value.
pub fn key_hint(key: &str) -> Option<String> {
    Some(
        match key {
            "id" => "id：小写字母、数字、连字符，如 lzb-2021-15",
            "title" => "标题，如 title: 洛阳市人民政府关于……的通知",
            "kind" => "文件类别：regulation、normative、policy、interpretation、notice、personnel、report 之一（以 gazette.toml 登记为准）",
            "doc_number" => "发文字号，如 洛政办〔2019〕12号；规章如 洛阳市人民政府令第121号。政府规章和行政规范性文件必填",
            "issuer" => "发文机关，须与 gazette.toml 登记的名称一致；联合发文写成列表",
            "issued" => "成文日期，格式 YYYY-MM-DD",
            "published" => "发布日期，格式 YYYY-MM-DD，如 2021-03-05",
            "effective" => "施行日期，格式 YYYY-MM-DD",
            "expires" => "有效期至（有效的最后一天），格式 YYYY-MM-DD。行政规范性文件必填",
            "repeals" => "被本文件废止的文件 id 列表；只废止部分条款时写 {id: …, articles: 第五条}",
            "amends" => "被本文件修改的文件 id 列表",
            "declares_expired" => "被本文件宣布失效的文件 id 列表",
            "cleanup" => "公布清理结果的文件写 cleanup: true",
            "continues" => "经清理继续有效的文件 id 列表（仅 cleanup: true 的文件）",
            "to_amend" => "经清理拟修改的文件 id 列表（仅 cleanup: true 的文件）",
            "basis" => "制定依据：文件 id、https:// 网址或用书名号括起的标题，写成列表",
            "consulted" => "本文件据以起草的征求意见稿的 id",
            "registration_number" => "统一登记编号，如 LYDR-2024-003",
            "legality_review" => "合法性审核日期，格式 YYYY-MM-DD",
            "deliberation" => "审议情况，如 市人民政府第57次常务会议审议通过",
            "filed_on" => "备案日期，格式 YYYY-MM-DD",
            "draft" => "草稿写 draft: true：照常检查，但不发布",
            "comment_from" => "征求意见开始日期，格式 YYYY-MM-DD",
            "comment_to" => "征求意见截止日期（当天仍可提出意见），格式 YYYY-MM-DD",
            "feedback" => "提出意见的方式，写成列表，如 - mailto:zqyj@example.gov.cn",
            "feedback_report" => "意见采纳情况：本站文件的 id 或 https:// 网址",
            "interpretation" => "政策解读：解读文件的 id 或 https:// 网址，写成列表",
            "interprets" => "本解读所解读文件的 id。文件类别为 interpretation 时必填",
            "gazette" => "公报期号，格式 YYYY-NN，如 2024-03",
            "subjects" => "主题分类列表，须与 gazette.toml 的 [[subjects]] 一致",
            "disclosure" => "公开属性：public、on_request 或 withheld",
            "attachments" => "附件列表，每项写相对于本文件的路径，如 - 附件1.pdf；要显示附件名称时写成 - {path: 附件1.pdf, title: 宗地出让条件一览表}",
            "gazette_page" => "在所刊登公报中的起始页码，正整数，如 12",
            _ => return None,
        }
        .to_string(),
    )
}

mod kind_keys;
#[cfg(test)]
mod props;
