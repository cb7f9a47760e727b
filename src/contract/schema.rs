//! The JSON-Schema pass: structure of every front matter and of `gazette.toml`.
//!
//! The schemas in `schemas/` are the machine-readable contract (editors point their YAML-aware
//! editor at them). They are compiled into the binary and enforced here, and each schema error
//! is turned into a diagnostic at the key or value it concerns, in words an editor understands.

use std::path::Path;

use jsonschema::Validator;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::diag::{Code, Diagnostic};
use crate::source::tree::Node;

pub const DOCUMENT_SCHEMA: &str = include_str!("../../schemas/document.schema.json");
pub const ISSUE_SCHEMA: &str = include_str!("../../schemas/issue.schema.json");
pub const PAGE_SCHEMA: &str = include_str!("../../schemas/page.schema.json");
pub const CONFIG_SCHEMA: &str = include_str!("../../schemas/gazette.schema.json");
pub const VERSION_SCHEMA: &str = include_str!("../../schemas/version.schema.json");

/// One compiled schema and its JSON (kept for "did you mean" key lists).
pub struct Schema {
    validator: Validator,
    json: Value,
}

/// The compiled schemas, built once per run and shared by all threads.
pub struct Schemas {
    pub document: Schema,
    pub issue: Schema,
    pub page: Schema,
    pub config: Schema,
    pub version: Schema,
}

impl Schemas {
    pub fn new() -> Self {
        // The schemas are part of the binary and covered by tests: failing here is a bug in
        // gazette itself, never in a site.
        let compile = |text: &str| {
            let json: Value = serde_json::from_str(text).expect("embedded schema is valid JSON");
            let validator = jsonschema::validator_for(&json).expect("embedded schema compiles");
            Schema { validator, json }
        };
        Schemas {
            document: compile(DOCUMENT_SCHEMA),
            issue: compile(ISSUE_SCHEMA),
            page: compile(PAGE_SCHEMA),
            config: compile(CONFIG_SCHEMA),
            version: compile(VERSION_SCHEMA),
        }
    }
}

impl Default for Schemas {
    fn default() -> Self {
        Self::new()
    }
}

/// Validates `node` and returns one diagnostic per problem, positioned in `file`.
pub fn check(
    schema: &Schema,
    node: &Node,
    json: &Value,
    file: &Path,
    hints: &dyn Fn(&str) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for err in schema.validator.iter_errors(json) {
        let pointer = err.instance_path().as_str().to_string();
        let field = pointer.split('/').nth(1).unwrap_or("").to_string();
        let value_pos = Some(node.locate(&pointer, false));
        let d = match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let key_pointer =
                        format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    let known = known_keys(&schema.json, &pointer);
                    let mut hint = match nearest(key, &known) {
                        Some(k) => format!("是否应为 `{k}`？"),
                        None => String::new(),
                    };
                    if !known.is_empty() {
                        hint.push_str(&format!("允许的键：{}", known.join(", ")));
                    }
                    out.push(
                        Diagnostic::new(Code::UnknownKey, format!("未知的键 `{key}`"))
                            .in_file(file)
                            .at(Some(node.locate(&key_pointer, true)))
                            .hint(hint),
                    );
                }
                continue;
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or_default().to_string();
                let mut d = Diagnostic::new(Code::MissingKey, format!("缺少必填的键 `{key}`"))
                    .in_file(file)
                    .at(Some(node.locate(&pointer, false)));
                if let Some(h) = hints(&key) {
                    d = d.hint(format!("添加一行 `{key}: …`：{h}"));
                }
                d
            }
            ValidationErrorKind::Type { kind } => {
                let want = match kind {
                    TypeKind::Single(t) => type_name(&format!("{t:?}")),
                    TypeKind::Multiple(_) => "文本或列表".to_string(),
                };
                let mut d = Diagnostic::new(
                    Code::WrongType,
                    format!("`{}` 的值应为{want}", display_field(&pointer)),
                )
                .in_file(file)
                .at(value_pos);
                d = d.hint(match want.as_str() {
                    "列表" => format!("写成列表，每项一行：\n       {field}:\n         - 第一项"),
                    "文本" => "给值加上引号，如 `\"2019\"`，或检查是否多写了缩进".to_string(),
                    _ => hints(&field).unwrap_or_default(),
                });
                d
            }
            ValidationErrorKind::Pattern { .. } => {
                pattern_error(&pointer, &field, json_at(json, &pointer), hints)
                    .in_file(file)
                    .at(value_pos)
            }
            // `repeals` takes an id or `{id, articles}`: a string that is neither is a bad id,
            // and saying so beats "does not match any of the forms".
            ValidationErrorKind::AnyOf { .. }
                if pointer.starts_with("/repeals/")
                    && json_at(json, &pointer).is_some_and(Value::is_string) =>
            {
                pattern_error(&pointer, &field, json_at(json, &pointer), hints)
                    .in_file(file)
                    .at(value_pos)
            }
            ValidationErrorKind::AnyOf { .. } => {
                let d = Diagnostic::new(
                    Code::WrongType,
                    format!("`{}` 的值不符合要求", display_field(&pointer)),
                )
                .in_file(file)
                .at(value_pos);
                match hints(&field) {
                    Some(h) => d.hint(h),
                    None => d,
                }
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> = options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{}` 的值不在允许范围内", display_field(&pointer)),
                )
                .in_file(file)
                .at(value_pos)
                .hint(format!("允许的值：{}", allowed.join(", ")))
            }
            ValidationErrorKind::MinLength { .. } | ValidationErrorKind::MinItems { .. } => {
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{}` 不能为空", display_field(&pointer)),
                )
                .in_file(file)
                .at(value_pos)
                .hint(hints(&field).unwrap_or_else(|| "填写内容，或删除这一行".into()))
            }
            _ => {
                let d = Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{}` 的值无效：{err}", display_field(&pointer)),
                )
                .in_file(file)
                .at(value_pos);
                match hints(&field) {
                    Some(h) => d.hint(h),
                    None => d,
                }
            }
        };
        out.push(d);
    }
    out
}

fn pattern_error(
    pointer: &str,
    field: &str,
    value: Option<&Value>,
    hints: &dyn Fn(&str) -> Option<String>,
) -> Diagnostic {
    let shown = value.and_then(Value::as_str).unwrap_or_default();
    let is_date = matches!(
        field,
        "issued" | "published" | "effective" | "expires" | "legality_review" | "filed_on"
    );
    let is_id = matches!(
        field,
        "id" | "repeals"
            | "amends"
            | "declares_expired"
            | "continues"
            | "to_amend"
            | "consulted"
            | "interprets"
            | "slug"
            | "issuers"
            | "subjects"
    ) && !pointer.starts_with("/interpretation");
    if is_date {
        Diagnostic::new(
            Code::InvalidDate,
            format!("`{field}` 的日期 `{shown}` 格式不对"),
        )
        .hint("日期写成 YYYY-MM-DD，月和日都用两位数，如 2021-03-05")
    } else if is_id {
        Diagnostic::new(
            Code::InvalidId,
            format!("`{}` 的值 `{shown}` 不是有效的 id", display_field(pointer)),
        )
        .hint("id 只能用小写英文字母、数字和连字符 -，以字母或数字开头，如 lzb-2021-15")
    } else {
        let d = Diagnostic::new(
            Code::InvalidValue,
            format!("`{}` 的值 `{shown}` 格式不对", display_field(pointer)),
        );
        match hints(field) {
            Some(h) => d.hint(h),
            None => d,
        }
    }
}

fn json_at<'a>(json: &'a Value, pointer: &str) -> Option<&'a Value> {
    json.pointer(pointer)
}

/// `/issuer/1` → `issuer` 第 2 项, shown to editors.
fn display_field(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    match parts.as_slice() {
        [] => "front matter".into(),
        [k] => (*k).to_string(),
        [k, i] if i.parse::<usize>().is_ok() => {
            format!("{k}[{}]", i.parse::<usize>().unwrap_or(0) + 1)
        }
        _ => parts.join("."),
    }
}

fn type_name(json_type: &str) -> String {
    match json_type.to_lowercase().as_str() {
        "string" => "文本",
        "array" => "列表",
        "object" => "`键: 值` 的表",
        "integer" => "整数",
        "number" => "数字",
        "boolean" => "true 或 false",
        _ => "其他类型",
    }
    .to_string()
}

/// The keys a schema allows at `pointer`, for "did you mean": walks `properties`, `items`,
/// `additionalProperties` and local `$ref`s.
fn known_keys(root: &Value, pointer: &str) -> Vec<String> {
    let resolve = |s: &Value| -> Value {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => root
                .pointer(r.trim_start_matches('#'))
                .cloned()
                .unwrap_or(Value::Null),
            None => s.clone(),
        }
    };
    let mut schema = root.clone();
    for seg in pointer.split('/').skip(1) {
        let next = schema
            .get("properties")
            .and_then(|p| p.get(seg))
            .or_else(|| seg.parse::<usize>().ok().and_then(|_| schema.get("items")))
            .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))
            .cloned();
        match next {
            Some(n) => schema = resolve(&n),
            None => return Vec::new(),
        }
    }
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The registered name closest to `wanted`, if it is close enough to be a likely typo.
pub fn nearest<'a>(wanted: &str, names: &'a [impl AsRef<str>]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| {
            (
                strsim::normalized_damerau_levenshtein(wanted, n.as_ref()),
                n.as_ref(),
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}
