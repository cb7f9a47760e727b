//! YAML front matter → a positioned [`Node`] tree, with serde-saphyr.
//!
//! serde-saphyr is the maintained successor of the archived serde_yaml: the same serde model,
//! a panic-free YAML 1.2 parser, and budgets that bound what hostile input (alias bombs, deep
//! nesting, huge scalars) may cost. Its `Spanned<T>` hands us the line and column of every value,
//! which is what lets a diagnostic point at `expire:` on line 7 rather than "the front matter".

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::tree::{Key, Node, NodeValue};
use crate::diag::{Code, Diagnostic, Pos};

/// Parses `text` (front matter that begins on file line `first_line`) into a tree.
/// Errors carry file-absolute positions but no file name; the caller adds it.
pub fn parse(text: &str, first_line: u32) -> Result<Node, Diagnostic> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_aliases: 64,
            max_anchors: 64,
            max_nodes: 20_000,
            max_total_scalar_bytes: 4 * 1024 * 1024,
        },
        with_snippet: false,
    };
    let shift = |line: u64, col: u64| Pos::new(clamp(line) + first_line - 1, clamp(col).max(1));
    match serde_saphyr::from_str_with_options::<Spanned<YamlValue>>(text, options) {
        Ok(root) => {
            let pos = shift(root.referenced.line(), root.referenced.column());
            Ok(shift_tree(
                Node {
                    pos,
                    value: root.value.0,
                },
                first_line,
                true,
            ))
        }
        Err(err) => {
            let pos = err.location().map(|l| shift(l.line(), l.column()));
            let message = first_line_of(&err.to_string());
            let lower = message.to_lowercase();
            let (code, hint) = if lower.contains("budget")
                || lower.contains("limit")
                || lower.contains("depth")
            {
                (
                    Code::YamlLimit,
                    "front matter 只需简单的 `键: 值`;请删除锚点/别名(& 和 *)和深层嵌套"
                        .to_string(),
                )
            } else if lower.contains("duplicate") {
                (
                    Code::YamlSyntax,
                    "同一个键只能写一次:删除重复的那一行".to_string(),
                )
            } else {
                (
                    Code::YamlSyntax,
                    "检查这一行的缩进和冒号:每行写成 `键: 值`,冒号后留一个空格;值以特殊字符(: # [ ] { } , & * ! | > ' \" % @ `)开头时用引号括起来".to_string(),
                )
            };
            Err(
                Diagnostic::new(code, format!("front matter 不是有效的 YAML:{message}"))
                    .at(pos)
                    .hint(hint),
            )
        }
    }
}

/// serde-saphyr reports positions relative to the YAML text; the tree needs file positions.
/// Only the root was shifted above; shift the rest here.
fn shift_tree(mut node: Node, first_line: u32, is_root: bool) -> Node {
    if !is_root {
        node.pos.line += first_line - 1;
    }
    node.value = match node.value {
        NodeValue::Seq(items) => NodeValue::Seq(
            items
                .into_iter()
                .map(|n| shift_tree(n, first_line, false))
                .collect(),
        ),
        NodeValue::Map(entries) => NodeValue::Map(
            entries
                .into_iter()
                .map(|(mut k, v)| {
                    k.pos.line += first_line - 1;
                    (k, shift_tree(v, first_line, false))
                })
                .collect(),
        ),
        other => other,
    };
    node
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn first_line_of(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s).trim();
    // serde-saphyr appends " at line X column Y"; we show the place ourselves.
    match line.find(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

/// Any YAML value; children are deserialised as `Spanned` so each keeps its place.
struct YamlValue(NodeValue);

fn to_node(s: Spanned<YamlValue>) -> Node {
    Node {
        pos: Pos::new(
            clamp(s.referenced.line()),
            clamp(s.referenced.column()).max(1),
        ),
        value: s.value.0,
    }
}

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(YamlValue)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<NodeValue, E> {
        Ok(i64::try_from(v).map_or(NodeValue::Float(v as f64), NodeValue::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<NodeValue, E> {
        Ok(i64::try_from(v).map_or(NodeValue::Float(v as f64), NodeValue::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<NodeValue, E> {
        Ok(i64::try_from(v).map_or(NodeValue::Float(v as f64), NodeValue::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v))
    }
    fn visit_unit<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_none<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<YamlValue>>()? {
            items.push(to_node(item));
        }
        Ok(NodeValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Spanned<YamlKey>>()? {
            let value = map.next_value::<Spanned<YamlValue>>()?;
            let key = Key {
                name: key.value.0,
                pos: Pos::new(
                    clamp(key.referenced.line()),
                    clamp(key.referenced.column()).max(1),
                ),
            };
            if entries.iter().any(|(k, _)| k.name == key.name) {
                return Err(de::Error::custom(format!("duplicate key `{}`", key.name)));
            }
            entries.push((key, to_node(value)));
        }
        Ok(NodeValue::Map(entries))
    }
}

/// A mapping key: any scalar, kept as its text.
struct YamlKey(String);

impl<'de> Deserialize<'de> for YamlKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(ValueVisitor)? {
            NodeValue::Str(s) => Ok(YamlKey(s)),
            NodeValue::Int(i) => Ok(YamlKey(i.to_string())),
            NodeValue::Float(f) => Ok(YamlKey(f.to_string())),
            NodeValue::Bool(b) => Ok(YamlKey(b.to_string())),
            NodeValue::Null => Ok(YamlKey("null".into())),
            _ => Err(de::Error::custom("a key must be plain text")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_file_absolute() {
        let node = parse("title: 标题\nissuer:\n  - 甲\n  - 乙\n", 2).unwrap();
        assert_eq!(node.key_pos("title"), Pos::new(2, 1));
        assert_eq!(node.get("title").unwrap().pos, Pos::new(2, 8));
        let issuers = node.get("issuer").unwrap().strings();
        assert_eq!(issuers[1], ("乙", Pos::new(5, 5)));
    }

    #[test]
    fn dates_stay_text() {
        let node = parse("published: 2019-04-10\ngazette: 2024-03\n", 2).unwrap();
        assert_eq!(node.get("published").unwrap().as_str(), Some("2019-04-10"));
        assert_eq!(node.get("gazette").unwrap().as_str(), Some("2024-03"));
    }

    #[test]
    fn alias_bomb_is_a_limit_error() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            y.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let err = parse(&y, 2).unwrap_err();
        assert_eq!(err.code, Code::YamlLimit, "{err:?}");
    }
}
