//! Small value checks shared by documents, issues and pages.

use std::cell::RefCell;
use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics, Pos};
use crate::model::Attachment;
use crate::source::tree::{Node, NodeValue};
use crate::source::{self, yaml};

/// Parses front matter and insists on a mapping (`key: value` lines).
pub fn parse_mapping(
    text: &str,
    first_line: u32,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let empty = |diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::new(Code::NotAMapping, "front matter 是空的")
                .in_file(file)
                .at(Some(Pos::new(first_line, 1)))
                .hint("在两行 `---` 之间写 `title: …` 等键"),
        );
    };
    if text.trim().is_empty() {
        empty(diags);
        return None;
    }
    let node = yaml::parse(text, first_line)
        .map_err(|d| diags.push(d.in_file(file)))
        .ok()?;
    if node.value == NodeValue::Null {
        // Only comments between the two `---` lines.
        empty(diags);
        return None;
    }
    if !matches!(node.value, NodeValue::Map(_)) {
        diags.push(
            Diagnostic::new(Code::NotAMapping, "front matter 不是 `键: 值` 的形式")
                .in_file(file)
                .at(Some(node.pos))
                .hint("每行写一个 `键: 值`，如 `title: 洛阳市人民政府关于……的通知`"),
        );
        return None;
    }
    Some(node)
}

/// Reports every string value that still holds `gazette new`'s placeholder; returns their places.
pub fn placeholders(node: &Node, file: &Path, diags: &mut Diagnostics) -> Vec<Pos> {
    let mut found = Vec::new();
    collect_placeholders(node, "", &mut found);
    for (key, pos) in &found {
        diags.push(
            Diagnostic::new(
                Code::Placeholder,
                format!("`{key}` 还是占位内容“{}”", crate::contract::PLACEHOLDER),
            )
            .in_file(file)
            .at(Some(*pos))
            .hint(format!(
                "填写实际内容；不需要的可选键整行删除。{}",
                super::document::key_hint(key.split('[').next().unwrap_or(key)).unwrap_or_default()
            )),
        );
    }
    found.into_iter().map(|(_, p)| p).collect()
}

fn collect_placeholders(node: &Node, key: &str, out: &mut Vec<(String, Pos)>) {
    match &node.value {
        NodeValue::Str(s) if s.contains(crate::contract::PLACEHOLDER) => {
            out.push((key.to_string(), node.pos))
        }
        NodeValue::Seq(items) => items.iter().for_each(|n| collect_placeholders(n, key, out)),
        NodeValue::Map(entries) => entries
            .iter()
            .for_each(|(k, v)| collect_placeholders(v, &k.name, out)),
        _ => {}
    }
}

/// Dates written in the right form that do not exist (2021-02-30), reported alongside the
/// schema's errors so that one run shows every bad date of a file.
pub fn calendar_dates(node: &Node, keys: &[&str], file: &Path) -> Vec<Diagnostic> {
    keys.iter()
        .filter_map(|key| {
            let v = node.get(key)?;
            let s = v.as_str()?;
            let well_formed = s.len() == 10
                && s.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            (well_formed && crate::contract::parse_date(s).is_none())
                .then(|| invalid_date(key, s, file, v.pos))
        })
        .collect()
}

/// The diagnostic for a well-formed date that is not on the calendar.
pub fn invalid_date(key: &str, value: &str, file: &Path, pos: Pos) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDate,
        format!("`{key}` 的日期 `{value}` 不存在"),
    )
    .in_file(file)
    .at(Some(pos))
    .hint("检查月份（01–12）和该月的天数，如 2月最多 28 或 29 日")
}

/// The attachment lookups of one file's check, in order, with what each found. They read the
/// file system, not the file: a check kept in the build cache is reused only when every one
/// of its lookups finds the same again ([`super::memo`]).
#[derive(Debug, Default)]
pub(crate) struct Lookups(RefCell<Vec<Lookup>>);

/// An attachment named in a file, and what [`attachment`] made of it.
pub(crate) type Lookup = (String, Result<Attachment, Diagnostic>);

impl Lookups {
    /// [`attachment`], remembered.
    pub(crate) fn attachment(
        &self,
        root: &Path,
        file: &Path,
        name: &str,
    ) -> Result<Attachment, Diagnostic> {
        let found = attachment(root, file, name);
        self.0.borrow_mut().push((name.to_string(), found.clone()));
        found
    }

    pub(crate) fn into_inner(self) -> Vec<Lookup> {
        self.0.into_inner()
    }
}

/// Resolves an attachment named in `file`: inside `content/`, a regular file (not a link).
pub fn attachment(root: &Path, file: &Path, name: &str) -> Result<Attachment, Diagnostic> {
    let rel = source::resolve_relative(file, name).map_err(|why| {
        let shown: String = name.chars().flat_map(char::escape_debug).collect();
        let shown = if name.chars().any(char::is_control) {
            shown
        } else {
            name.to_string()
        };
        Diagnostic::new(
            Code::UnsafePath,
            format!("附件路径 `{shown}` 不安全：{why}"),
        )
        .hint("附件放在 content/ 中，写相对于本文件的路径，如 `附件1.pdf` 或 `files/附件1.pdf`")
    })?;
    let abs = root.join(&rel);
    // A folder on the way that is a symbolic link leads out of content/ as surely as `..`.
    let mut on_the_way = root.to_path_buf();
    for part in rel.parent().into_iter().flat_map(Path::components) {
        on_the_way.push(part);
        if std::fs::symlink_metadata(&on_the_way).is_ok_and(|m| m.file_type().is_symlink()) {
            let link = on_the_way.strip_prefix(root).unwrap_or(&on_the_way);
            return Err(Diagnostic::new(
                Code::UnsafePath,
                format!("附件路径 `{name}` 经过符号链接 {}", link.display()),
            )
            .hint("把文件本身复制到 content/ 中"));
        }
    }
    let meta = std::fs::symlink_metadata(&abs).map_err(|_| {
        Diagnostic::new(Code::AttachmentMissing, format!("找不到附件 `{name}`")).hint(format!(
            "文件应在 {}：检查文件名（含扩展名）和大小写",
            rel.display()
        ))
    })?;
    if meta.file_type().is_symlink() {
        return Err(
            Diagnostic::new(Code::UnsafePath, format!("附件 `{name}` 是符号链接"))
                .hint("把文件本身复制到 content/ 中"),
        );
    }
    if !meta.is_file() {
        return Err(Diagnostic::new(
            Code::AttachmentMissing,
            format!("附件 `{name}` 不是文件"),
        ));
    }
    let file_name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::contract::attachments::runs_in_browser(&file_name) {
        return Err(Diagnostic::new(
            Code::ActiveAttachment,
            format!("附件 `{name}` 是浏览器会当作网页运行的文件，不能发布"),
        )
        .hint(
            "网页、SVG、XML、脚本放在网站上会以网站的名义运行：请转成 PDF，或压缩成 .zip 后作为附件",
        ));
    }
    if file_name.ends_with(".md") || file_name == "index.html" {
        return Err(
            Diagnostic::new(Code::InvalidValue, format!("`{name}` 不能作为附件"))
                .hint("附件不能是 .md 文件或 index.html：它们会与页面冲突"),
        );
    }
    Ok(Attachment {
        name: file_name,
        source: rel,
        bytes: meta.len(),
        title: None,
    })
}
