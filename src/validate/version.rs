//! Version files (versions.md §1): a document's text re-published in full after amendments.
//!
//! A file under `content/documents/` whose front matter has `version_of` is a version, checked
//! against `schemas/version.schema.json` instead of the document contract, then, with every
//! document known, against the rules of §1: the document exists and is public, each
//! `amended_by` amends it, one text per date, none before the document took effect.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::fields;
use crate::contract::schema::{self, Schemas};
use crate::diag::{Code, Diagnostic, Diagnostics, Pos};
use crate::model::{DocId, Document, Version};
use crate::source::tree::{Node, NodeValue};

#[derive(Deserialize)]
struct RawVersion {
    version_of: String,
    version_date: String,
    amended_by: Vec<String>,
    published: String,
    summary: Option<String>,
    #[serde(default)]
    attachments: Vec<String>,
}

/// Checks one version file's front matter (already parsed into `node`). `None` after an error.
pub(super) fn load(
    root: &Path,
    file: &Path,
    node: &Node,
    schemas: &Schemas,
    body: Arc<str>,
    body_line: u32,
    (lookups, diags): (&fields::Lookups, &mut Diagnostics),
) -> Option<Version> {
    let json = node.to_json();
    let before = diags.error_count();
    // `gazette new version` leaves 待填写 where the editor must write a value.
    let placeholders = fields::placeholders(node, file, diags);
    let mut found: Vec<Diagnostic> = schema::check(&schemas.version, node, &json, file, &hint)
        .into_iter()
        .filter(|d| d.pos.is_none_or(|p| !placeholders.contains(&p)))
        .collect();
    found.extend(fields::calendar_dates(
        node,
        &["version_date", "published"],
        file,
    ));
    diags.extend(found);
    if diags.error_count() > before {
        return None;
    }
    let raw: RawVersion = serde_json::from_value(json).ok()?;
    let date = crate::contract::parse_date(&raw.version_date)?;
    let published = crate::contract::parse_date(&raw.published)?;
    let mut attachments = Vec::new();
    for (i, name) in raw.attachments.iter().enumerate() {
        match lookups.attachment(root, file, name) {
            Ok(a) => attachments.push(a),
            Err(d) => diags.push(d.at(Some(node.locate(&format!("/attachments/{i}"), false)))),
        }
    }
    if diags.error_count() > before {
        return None;
    }
    let mut positions = Vec::new();
    for key in ["version_of", "version_date", "published"] {
        if let Some((k, _)) = node.entry(key) {
            positions.push((format!("/{key}"), k.pos));
        }
    }
    if let Some(NodeValue::Seq(items)) = node.get("amended_by").map(|n| &n.value) {
        for (i, item) in items.iter().enumerate() {
            positions.push((format!("/amended_by/{i}"), item.pos));
        }
    }
    Some(Version {
        of: DocId::new(raw.version_of),
        date,
        amended_by: raw.amended_by.into_iter().map(DocId::new).collect(),
        published,
        summary: raw.summary,
        attachments,
        body,
        file: file.to_path_buf(),
        body_line,
        positions: positions.into(),
    })
}

fn hint(key: &str) -> Option<String> {
    Some(
        match key {
            "version_of" => "原文件的 id，如 version_of: lyzfl-176",
            "version_date" => "本文本开始适用的日期（通常是修改决定的施行日期），格式 YYYY-MM-DD",
            "amended_by" => "本文本吸收的修改决定的 id，按时间先后写成列表",
            "published" => "本文本的公布日期，格式 YYYY-MM-DD",
            "summary" => "内容概述",
            "attachments" => "附件列表，写相对于本文件的路径",
            _ => return None,
        }
        .to_string(),
    )
}

/// The rules of versions.md §1 over every version, with every document known.
pub(super) fn check(
    docs: &[Arc<Document>],
    versions: &[Arc<Version>],
    failed_ids: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    let by_id: HashMap<&DocId, &Document> = docs.iter().map(|d| (&d.id, d.as_ref())).collect();
    let mut seen: HashMap<(&DocId, jiff::civil::Date), &Version> = HashMap::new();
    let error = |code: Code, v: &Version, at: Pos, message: String, hint: &str| {
        Diagnostic::new(code, message)
            .in_file(&v.file)
            .at(Some(at))
            .hint(hint.to_string())
    };
    for v in versions {
        let Some(original) = by_id.get(&v.of) else {
            if !failed_ids.contains(v.of.as_str()) {
                diags.push(error(
                    Code::DanglingReference,
                    v,
                    v.pos("/version_of"),
                    format!("`version_of` 中的 id `{}` 不存在", v.of),
                    "version_of 写原文件的 id（默认是原文件的文件名，不含 .md）",
                ));
            }
            continue;
        };
        if !original.is_public() {
            diags.push(error(
                Code::NonPublicReference,
                v,
                v.pos("/version_of"),
                format!("`version_of` 引用了不公开或草稿文件 `{}`", v.of),
                "版本文件只能属于公开文件：先公开原文件，或删除这个版本文件",
            ));
        }
        for (i, id) in v.amended_by.iter().enumerate() {
            let at = v.pos(&format!("/amended_by/{i}"));
            match by_id.get(id) {
                None if failed_ids.contains(id.as_str()) => {}
                None => diags.push(error(
                    Code::DanglingReference,
                    v,
                    at,
                    format!("`amended_by` 中的 id `{id}` 不存在"),
                    "amended_by 写修改决定的 id",
                )),
                Some(a) if !a.is_public() => diags.push(error(
                    Code::NonPublicReference,
                    v,
                    at,
                    format!("`amended_by` 引用了不公开或草稿文件 `{id}`"),
                    "修改决定必须是公开文件",
                )),
                Some(a) if !a.amends.contains(&v.of) => diags.push(error(
                    Code::VersionMismatch,
                    v,
                    at,
                    format!("`{id}` 没有修改 `{}`：它的 amends 中没有这个文件", v.of),
                    "amended_by 只列修改了原文件的决定：核对 id，或在修改决定中写 amends",
                )),
                Some(_) => {}
            }
        }
        if v.date < original.effective {
            diags.push(error(
                Code::VersionMismatch,
                v,
                v.pos("/version_date"),
                format!(
                    "版本日期 {} 早于原文件的施行日期 {}",
                    v.date, original.effective
                ),
                "version_date 是本文本开始适用的日期，不能早于原文件施行",
            ));
        }
        if let Some(other) = seen.insert((&v.of, v.date), v.as_ref()) {
            diags.push(error(
                Code::VersionMismatch,
                v,
                v.pos("/version_date"),
                format!("`{}` 在 {} 已经有一个版本", v.of, v.date),
                &format!(
                    "同一文件每天只能有一个文本：{} 也是这一天的版本",
                    other.file.display()
                ),
            ));
        }
    }
}
