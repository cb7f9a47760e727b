//! Rules over the whole site: uniqueness, references, cycles, 退文, validity warnings.
//!
//! These need every document at once, so they run after each file was checked on its own.
//! They see non-public documents too, so that a public document pointing at one is caught
//! (that link would leak the withheld document's existence and id).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Failed;
use crate::config::{Config, Validity};
use crate::contract::schema::nearest;
use crate::diag::{Code, Diagnostic, Diagnostics, Pos};
use crate::model::{DocId, Document, InterpretationRef};
use crate::source::tree::LineIndex;

/// The site-wide rules. `links` are what each document's body links to ([`links_in`]), in the
/// order of `docs`; `failed` is what is known of the files that failed their own checks.
pub fn check(
    config: &Config,
    docs: &[Arc<Document>],
    links: &[Arc<[BodyLink]>],
    failed: &Failed,
    as_of: Date,
    diags: &mut Diagnostics,
) {
    let by_id = unique_ids(docs, diags);
    unique_doc_numbers(docs, diags);
    references(docs, &by_id, &failed.ids, diags);
    let hidden = non_public_ids(docs);
    body_links_to_hidden(&hidden, docs, links, diags);
    shared_attachments(docs, diags);
    interprets_kind(config, docs, diags);
    consulted_kind(config, docs, &by_id, diags);
    cycles(docs, &by_id, diags);
    interpretations(config, docs, &by_id, &failed.interprets, diags);
    super::legal::check(config, docs, &by_id, as_of, diags);
}

/// Where a public document's body links to a non-public one, from the links its own check
/// found ([`links_in`]): a body is not read again for this (at 10 000 documents, 60 MB), and
/// a document whose check is kept is not read at all.
fn body_links_to_hidden(
    hidden: &HashSet<&str>,
    docs: &[Arc<Document>],
    links: &[Arc<[BodyLink]>],
    diags: &mut Diagnostics,
) {
    if hidden.is_empty() {
        return;
    }
    for (d, links) in docs.iter().zip(links) {
        if d.is_public() {
            report_links(hidden, &d.file, links, diags);
        }
    }
}

fn unique_ids<'a>(docs: &'a [Arc<Document>], diags: &mut Diagnostics) -> HashMap<&'a DocId, usize> {
    let mut by_id: HashMap<&DocId, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(&first) = by_id.get(&d.id) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("id `{}` 已被另一个文件使用", d.id),
                )
                .in_file(&d.file)
                .at(Some(d.pos("/id")))
                .hint(format!(
                    "{} 的 id 也是 `{}`：id 必须全站唯一，给其中一个改名（或写不同的 `id:`）",
                    docs[first].file.display(),
                    d.id
                )),
            );
        } else {
            by_id.insert(&d.id, i);
        }
    }
    by_id
}

/// Two public documents with one 发文字号: the one added later (by `published`, then path) is
/// the error, pointing at the other as the original.
fn unique_doc_numbers(docs: &[Arc<Document>], diags: &mut Diagnostics) {
    // Compared as a reader sees them (legal-model.md §5); the later one is the error.
    let mut numbered: Vec<&Document> = docs
        .iter()
        .filter(|d| d.is_public() && d.doc_number.is_some())
        .map(|d| &**d)
        .collect();
    numbered.sort_by(|a, b| (a.published, &a.file).cmp(&(b.published, &b.file)));
    let mut seen: HashMap<String, &Document> = HashMap::new();
    for d in numbered {
        let Some(n) = d.doc_number.as_deref() else {
            continue;
        };
        let key = super::text::comparable(n);
        if let Some(first) = seen.get(&key) {
            let p = first.pos("/doc_number");
            diags.push(
                Diagnostic::new(
                    Code::DuplicateDocNumber,
                    format!("发文字号 `{n}` 与先发布的一份文件重复"),
                )
                .in_file(&d.file)
                .at(Some(d.pos("/doc_number")))
                .hint(format!(
                    "注：{}:{}:{} 已使用这个发文字号（发布于 {}）。核对本文件的序号",
                    first.file.display().to_string().replace('\\', "/"),
                    p.line,
                    p.column,
                    first.published
                )),
            );
        } else {
            seen.insert(key, d);
        }
    }
}

fn references(
    docs: &[Arc<Document>],
    by_id: &HashMap<&DocId, usize>,
    failed_ids: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    for d in docs.iter().filter(|d| d.is_public()) {
        // (field, index in a list field, target): pointers are spelled only for a problem
        // (`serve` runs this on every save).
        let named = d
            .relation_targets()
            .into_iter()
            .map(|(key, i, t)| (key, Some(i), t))
            .chain(
                d.interpretation
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| match r {
                        InterpretationRef::Doc(t) => Some(("interpretation", Some(i), t)),
                        InterpretationRef::External(_) => None,
                    }),
            )
            .chain(d.interprets.iter().map(|t| ("interprets", None, t)))
            .chain(d.consulted.iter().map(|t| ("consulted", None, t)))
            .chain(d.consultation.iter().filter_map(|c| match &c.report {
                Some(InterpretationRef::Doc(t)) => Some(("feedback_report", None, t)),
                _ => None,
            }));
        for (key, i, target) in named {
            let pointer = || match i {
                Some(i) => format!("/{key}/{i}"),
                None => format!("/{key}"),
            };
            match by_id.get(target).map(|&i| &docs[i]) {
                None if failed_ids.contains(target.as_str()) => {}
                None => {
                    let ids: Vec<&str> = docs
                        .iter()
                        .filter(|d| d.is_public())
                        .map(|d| d.id.as_str())
                        .collect();
                    let hint = match nearest(target.as_str(), &ids) {
                        Some(n) => format!("是否应为 `{n}`？"),
                        None => "检查拼写：这里要写目标文件的 id（默认是其文件名，不含 .md）".into(),
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::DanglingReference,
                            format!("`{key}` 中的 id `{target}` 不存在"),
                        )
                        .in_file(&d.file)
                        .at(Some(d.pos(&pointer())))
                        .hint(hint),
                    );
                }
                Some(t) if t.draft => diags.push(
                    Diagnostic::new(
                        Code::NonPublicReference,
                        format!("`{key}` 引用了草稿 `{target}`"),
                    )
                    .in_file(&d.file)
                    .at(Some(d.pos(&pointer())))
                    .hint("草稿（draft: true）不会发布，公开文件不能引用它：删除这个引用，或在目标文件中删去 draft: true"),
                ),
                Some(t) if !t.is_public() => diags.push(
                    Diagnostic::new(
                        Code::NonPublicReference,
                        format!("`{key}` 引用了不公开的文件 `{target}`"),
                    )
                    .in_file(&d.file)
                    .at(Some(d.pos(&pointer())))
                    .hint(
                        "公开文件不能链接到依申请公开或不公开的文件：删除这个引用，或先公开目标文件",
                    ),
                ),
                Some(_) => {}
            }
        }
    }
}

/// The ids of the documents that are not public (`on_request`, `withheld`).
pub fn non_public_ids(docs: &[Arc<Document>]) -> HashSet<&str> {
    docs.iter()
        .filter(|d| !d.is_public())
        .map(|d| d.id.as_str())
        .collect()
}

/// A place in a body that names a document by its id. A body (of a public document, an
/// issue's foreword or a page) that links to a non-public document would publish its id and
/// address. A path segment counts where it names a document: after `documents/`, `../` or
/// `./`, or as `<id>.md` — so `/documents/<id>/`, `https://…/documents/<id>/`, `../<id>/` and
/// `../2023/<id>.md`, in Markdown links, reference definitions and raw HTML alike
/// (`/pages/<id>/` does not). Found by each document's own check, kept with it, and compared
/// with the non-public ids by the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyLink {
    id: String,
    pos: Pos,
}

/// The places in `body` (whose first line is file line `body_line`) that name a document.
pub(crate) fn links_in(body: &str, body_line: u32) -> Vec<BodyLink> {
    let is_id_byte = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    let bytes = body.as_bytes();
    let mut index: Option<LineIndex> = None;
    let mut links = Vec::new();
    let mut i = 0;
    // `find` looks for the slashes with memchr, many bytes at a time.
    while let Some(offset) = body[i..].find('/') {
        i += offset;
        let start = i + 1;
        let mut end = start;
        while end < bytes.len() && is_id_byte(bytes[end]) {
            end += 1;
        }
        let before = &body[..i];
        let names_a_document = before.ends_with("documents")
            || before.ends_with('.')
            || body[end..].starts_with(".md");
        if names_a_document && end > start {
            let idx = index.get_or_insert_with(|| LineIndex::new(body, body_line));
            links.push(BodyLink {
                id: body[start..end].to_string(),
                pos: idx.pos(start),
            });
        }
        i = end.max(start);
    }
    links
}

/// An error for each of `links` (in `file`) that names one of the `hidden` ids.
fn report_links(
    hidden: &HashSet<&str>,
    file: &std::path::Path,
    links: &[BodyLink],
    diags: &mut Diagnostics,
) {
    for link in links {
        if let Some(id) = hidden.get(link.id.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::NonPublicReference,
                    format!("正文链接了不公开的文件 `{id}`"),
                )
                .in_file(file)
                .at(Some(link.pos))
                .hint(
                    "公开的页面不能链接到依申请公开或不公开的文件：删除这个链接，或先公开目标文件",
                ),
            );
        }
    }
}

/// [`links_in`] `body` (of `file`) that name one of the `hidden` ids, reported: the bodies of
/// gazette issues and free pages, which have no kept check.
pub fn body_links(
    hidden: &HashSet<&str>,
    file: &std::path::Path,
    body: &str,
    body_line: u32,
    diags: &mut Diagnostics,
) {
    if !hidden.is_empty() {
        report_links(hidden, file, &links_in(body, body_line), diags);
    }
}

/// An attachment of a non-public document is part of it: a public document naming the same
/// file would publish it.
fn shared_attachments(docs: &[Arc<Document>], diags: &mut Diagnostics) {
    let mut hidden: HashMap<&std::path::Path, &DocId> = HashMap::new();
    for d in docs.iter().filter(|d| !d.is_public()) {
        for a in &d.attachments {
            hidden.entry(a.source.as_path()).or_insert(&d.id);
        }
    }
    for d in docs.iter().filter(|d| d.is_public()) {
        for (i, a) in d.attachments.iter().enumerate() {
            if let Some(owner) = hidden.get(a.source.as_path()) {
                diags.push(
                    Diagnostic::new(
                        Code::NonPublicReference,
                        format!("附件 `{}` 也是不公开文件 `{owner}` 的附件", a.name),
                    )
                    .in_file(&d.file)
                    .at(Some(d.pos(&format!("/attachments/{i}"))))
                    .hint(
                        "不公开文件的附件不能随公开文件发布：为公开文件另备一份附件，或先公开该文件",
                    ),
                );
            }
        }
    }
}

/// `interprets` belongs on a 政策解读 (a kind whose validity `follows`); on any other kind it
/// would silently make that document count as an interpretation of another.
fn interprets_kind(config: &Config, docs: &[Arc<Document>], diags: &mut Diagnostics) {
    for d in docs
        .iter()
        .filter(|d| d.interprets.is_some() && config.validity(&d.kind) != Validity::Follows)
    {
        let label = config
            .kind(&d.kind)
            .map_or(d.kind.as_str(), |k| k.label.as_str());
        diags.push(
            Diagnostic::new(Code::InterpretsNonInterpretation, format!("文件类别为“{label}”的文件不能写 `interprets`"))
                .in_file(&d.file)
                .at(Some(d.pos("/interprets")))
                .hint("只有政策解读类别（gazette.toml 中 validity = \"follows\"）的文件写 interprets；要给本文件关联解读，请用 `interpretation:` 列出解读"),
        );
    }
}

/// `consulted` names the 征求意见稿 a document was drafted from: a document of a consultation
/// kind (versions.md §2), or the two pages would link a 通知 as its own draft.
fn consulted_kind(
    config: &Config,
    docs: &[Arc<Document>],
    by_id: &HashMap<&DocId, usize>,
    diags: &mut Diagnostics,
) {
    for d in docs.iter().filter(|d| d.is_public()) {
        let Some(target) = d.consulted.as_ref() else {
            continue;
        };
        let Some(&t) = by_id.get(target) else {
            continue;
        };
        let kind = config.kind(&docs[t].kind);
        if kind.is_some_and(|k| k.consultation) {
            continue;
        }
        let label = kind.map_or(docs[t].kind.as_str(), |k| k.label.as_str());
        diags.push(
            Diagnostic::new(
                Code::ConsultedWrongKind,
                format!("`consulted` 中的 `{target}` 是“{label}”类别的文件，不是征求意见稿"),
            )
            .in_file(&d.file)
            .at(Some(d.pos("/consulted")))
            .hint("consulted 写本文件据以起草的征求意见稿的 id：征求意见稿的类别在 gazette.toml 中写 consultation = true"),
        );
    }
}

/// Repeals and amendments form a graph from the acting document to its target. A circle in it
/// (A repeals B, B repeals A) has no meaning in law and no status can be computed for it.
fn cycles(docs: &[Arc<Document>], by_id: &HashMap<&DocId, usize>, diags: &mut Diagnostics) {
    let edges: Vec<Vec<usize>> = docs
        .iter()
        .map(|d| {
            let mut e: Vec<usize> = d
                .repeal_ids()
                .chain(&d.amends)
                .chain(&d.declares_expired)
                .filter_map(|t| by_id.get(t).copied())
                .collect();
            e.sort_unstable();
            e.dedup();
            e
        })
        .collect();
    // Iterative three-colour DFS: deep chains of amendments cannot overflow the stack.
    let mut colour = vec![0u8; docs.len()];
    for start in 0..docs.len() {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let mut path: Vec<String> = stack[from..]
                            .iter()
                            .map(|&(n, _)| docs[n].id.to_string())
                            .collect();
                        path.push(docs[to].id.to_string());
                        let at = &docs[node];
                        diags.push(
                            Diagnostic::new(Code::RelationCycle, format!("废止、修改或宣布失效关系形成循环：{}", path.join(" → ")))
                                .in_file(&at.file)
                                .at(Some(at.pos("/repeals/0")))
                                .hint("一份文件不能（直接或间接）废止、修改或宣布失效一份作用于它自己的文件：删除其中一条 repeals、amends 或 declares_expired"),
                        );
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
}

/// 政策解读同步发布: kinds with `require_interpretation` need one, named on either side. Only a
/// document of a `follows` kind (or an external page) is an interpretation: a document cannot
/// satisfy the rule with itself or with a 通知 that happens to be named (legal-model.md §1). An
/// embargoed interpretation counts: it is published on its own day (§6).
/// `failed_interprets`: what interpretations that failed their own checks say they interpret
/// (those documents have one; its error is reported where it is).
fn interpretations(
    config: &Config,
    docs: &[Arc<Document>],
    by_id: &HashMap<&DocId, usize>,
    failed_interprets: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    let follows = |d: &Document| config.validity(&d.kind) == Validity::Follows;
    let mut interpreted = vec![false; docs.len()];
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.is_public()) {
        if follows(d)
            && let Some(&t) = d.interprets.as_ref().and_then(|t| by_id.get(t))
            && t != i
        {
            interpreted[t] = true;
        }
        for (n, r) in d.interpretation.iter().enumerate() {
            let target = match r {
                InterpretationRef::External(_) => {
                    interpreted[i] = true;
                    continue;
                }
                InterpretationRef::Doc(id) => id,
            };
            let Some(&t) = by_id.get(target) else {
                continue;
            };
            let problem = if t == i || docs[t].id == d.id {
                Some("本文件自身".to_string())
            } else if !follows(&docs[t]) {
                let label = config
                    .kind(&docs[t].kind)
                    .map_or(docs[t].kind.as_str(), |k| k.label.as_str());
                Some(format!("“{label}”类别的文件，不是政策解读"))
            } else {
                None
            };
            match problem {
                Some(what) => diags.push(
                    Diagnostic::new(
                        Code::InterpretationWrongTarget,
                        format!("`interpretation` 中的 `{target}` 是{what}"),
                    )
                    .in_file(&d.file)
                    .at(Some(d.pos(&format!("/interpretation/{n}"))))
                    .hint("interpretation 只能列出政策解读类别（gazette.toml 中 validity = \"follows\"）的文件 id，或解读网页的 https:// 网址"),
                ),
                None if docs[t].is_public() => interpreted[i] = true,
                None => {}
            }
        }
    }
    for (i, d) in docs.iter().enumerate() {
        let needs = config
            .kind(&d.kind)
            .is_some_and(|k| k.require_interpretation);
        if d.is_public()
            && needs
            && !interpreted[i]
            && !failed_interprets.contains(d.id.as_str())
            && by_id.get(&d.id) == Some(&i)
        {
            let label = config
                .kind(&d.kind)
                .map_or(d.kind.as_str(), |k| k.label.as_str());
            let number = d
                .doc_number
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default();
            let interpretation_kind = config
                .kinds
                .iter()
                .find(|k| k.validity == Validity::Follows)
                .map_or("interpretation", |k| k.key.as_str());
            diags.push(
                Diagnostic::new(
                    Code::MissingInterpretation,
                    format!("{}{number}没有政策解读：{label}须与解读同步发布，无解读材料的实行退文处理", crate::model::book_title(&d.title)),
                )
                .in_file(&d.file)
                .at(Some(d.pos("/kind")))
                .hint(format!(
                    "添加 `interpretation:` 列出解读文件的 id 或 https:// 网址，或新建一份 kind: {interpretation_kind} 的解读并写 `interprets: {}`",
                    d.id
                )),
            );
        }
    }
}
