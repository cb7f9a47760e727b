//! YAML front matter → a positioned [`Node`] tree, with serde-saphyr.
//!
//! serde-saphyr is the maintained successor of the archived serde_yaml: the same serde model,
//! a panic-free YAML 1.2 parser, and budgets that bound what hostile input (alias bombs, deep
//! nesting, huge scalars) may cost. Its `Spanned<T>` hands us the line and column of every value,
//! which is what lets a diagnostic point at `expire:` on line 7 rather than "the front matter".

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::slips;
use super::tree::{Key, Node, NodeValue};
use crate::diag::{Code, Diagnostic, Pos};

/// Most nesting front matter may have (flow `[[…]]` and block alike). The contract needs three
/// (mapping → list → value). Each level costs the deserialiser tens of kilobytes of stack in a
/// debug build, and documents are parsed on rayon's 2 MiB worker threads: 64 levels of
/// `{a: {a: …}}` overflowed that stack and aborted the process.
pub(crate) const MAX_DEPTH: usize = 16;
/// Most nodes (keys, values, list items) after aliases are expanded.
pub(crate) const MAX_NODES: usize = 20_000;
/// Most text in all values together.
pub(crate) const MAX_SCALAR_BYTES: usize = 4 * 1024 * 1024;

/// Parses `text` (front matter that begins on file line `first_line`) into a tree.
/// Errors carry file-absolute positions but no file name; the caller adds it.
pub(crate) fn parse(text: &str, first_line: u32) -> Result<Node, Diagnostic> {
    // The commonest slips are named before the parser sees them: it would call a full-width
    // colon or a tab by the names of its own internals.
    if let Some(d) = slips::before_parsing(text, first_line) {
        return Err(d);
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_aliases: 64,
            max_anchors: 64,
            max_nodes: MAX_NODES,
            max_total_scalar_bytes: MAX_SCALAR_BYTES,
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
            let at = err.location().map(|l| (l.line(), l.column()));
            // Our own duplicate-key error carries the second key's place (relative to the text).
            let duplicate = match &err {
                serde_saphyr::Error::DuplicateMappingKey { key, location } => Some((
                    key.clone().unwrap_or_default(),
                    location.line(),
                    location.column(),
                )),
                _ => slips::duplicate_key(&err.to_string()),
            };
            if let Some((name, line, col)) = duplicate {
                return Err(Diagnostic::new(
                    Code::YamlSyntax,
                    format!("front matter 中键 `{name}` 写了两次"),
                )
                .at(Some(shift(line, col)))
                .hint(format!(
                    "同一个键只能写一次：保留正确的那一行 `{name}: …`，删去另一行"
                )));
            }
            let pos = shift(at.map_or(1, |a| a.0), at.map_or(1, |a| a.1));
            if let Some(why) = limit(&err) {
                return Err(Diagnostic::new(
                    Code::YamlLimit,
                    format!("front matter 超出限制：{why}"),
                )
                .at(Some(pos))
                .hint(
                    "front matter 只需简单的 `键: 值`；请删除锚点/别名（& 和 *）、深层嵌套和过长的值",
                ));
            }
            if let Some((line, col, c)) =
                slips::unclosed_bracket(text, at.map_or(1, |a| a.0) as usize)
            {
                let close = if c == '[' { ']' } else { '}' };
                return Err(Diagnostic::new(
                    Code::YamlSyntax,
                    format!("front matter 不是有效的 YAML：`{c}` 没有配对的 `{close}`"),
                )
                .at(Some(shift(line as u64, col as u64)))
                .hint(format!(
                    "列表写在一行时要以 `{close}` 结束，如 `issuer: [甲, 乙]`；或改写成每行一个 `  - 甲`"
                )));
            }
            let line_text = text
                .lines()
                .nth(at.map_or(0, |a| a.0.saturating_sub(1)) as usize)
                .unwrap_or("");
            let (message, hint) = slips::explain(&err, line_text);
            Err(Diagnostic::new(
                Code::YamlSyntax,
                format!("front matter 不是有效的 YAML：{message}"),
            )
            .at(Some(pos))
            .hint(hint))
        }
    }
}

/// Which limit a parse error hit, said for an editor (the parser's own words are English and
/// name internal counters); `None` when the error is not about a limit. Read from the message:
/// a budget breach raised inside our visitor reaches us wrapped, not as `Error::Budget`.
fn limit(err: &serde_saphyr::Error) -> Option<String> {
    let text = err.to_string();
    let lower = text.to_lowercase();
    let has = |what: &str| text.contains(what);
    if has("Depth {") || lower.contains("recursion limit") || lower.contains("nesting") {
        Some(format!("嵌套过深（最多 {MAX_DEPTH} 层）"))
    } else if has("ScalarBytes {") {
        Some(format!(
            "值的文字过长（合计最多 {} MB）",
            MAX_SCALAR_BYTES >> 20
        ))
    } else if has("Aliases {") || has("Anchors {") || has("AliasAnchorRatio {") {
        Some("锚点或别名（& 和 *）过多".to_string())
    } else if has("Nodes {") || has("Events {") {
        Some(format!("键和值过多（别名展开后最多 {MAX_NODES} 个）"))
    } else if lower.contains("budget") {
        Some("内容过多或过大".to_string())
    } else {
        None
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
        f.write_str("任意 YAML 值")
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
                return Err(de::Error::custom(slips::duplicate_key_message(
                    &key.name, key.pos,
                )));
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
            _ => Err(de::Error::custom(slips::KEY_NOT_TEXT)),
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

    /// Nesting up to the limit and one past it, each shape, on a thread with the stack of a
    /// rayon worker (where documents are parsed): a result, never a stack overflow.
    #[test]
    fn nesting_at_the_limit_fits_a_worker_thread_stack() {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                for depth in MAX_DEPTH - 2..=MAX_DEPTH + 1 {
                    for text in [
                        format!("x: {}1{}", "[".repeat(depth), "]".repeat(depth)),
                        format!("x: {}1{}", "{a: ".repeat(depth), "}".repeat(depth)),
                        format!("{}x\n", "- ".repeat(depth)),
                        (0..depth)
                            .map(|i| format!("{}a:\n", " ".repeat(i)))
                            .collect(),
                    ] {
                        let r = parse(&text, 2);
                        // The top mapping may be one more level: no assertion at the border.
                        if depth <= MAX_DEPTH - 2 {
                            assert!(r.is_ok(), "{text}: {r:?}");
                        } else if depth > MAX_DEPTH {
                            assert_eq!(r.unwrap_err().code, Code::YamlLimit, "{text}");
                        }
                    }
                }
            })
            .unwrap()
            .join()
            .unwrap();
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
        assert_eq!(
            err.message,
            format!("front matter 超出限制：键和值过多（别名展开后最多 {MAX_NODES} 个）")
        );
    }

    /// Hostile YAML, property-tested: any text parses or fails with a YAML diagnostic — never a
    /// panic — and every position in a parsed tree lies inside the text it came from.
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn yaml_ish() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("title"),
                Just("issuer"),
                Just(": "),
                Just(":"),
                Just("- "),
                Just("\n"),
                Just("  "),
                Just("["),
                Just("]"),
                Just("{"),
                Just("}"),
                Just(", "),
                Just("&a "),
                Just("*a"),
                Just("<<: *a"),
                Just("!!binary "),
                Just("!tag "),
                Just("\""),
                Just("'"),
                Just("|"),
                Just(">"),
                Just("# "),
                Just("~"),
                Just("null"),
                Just("1e400"),
                Just("0x7fffffffffffffffff"),
                Just("2024-02-30"),
                Just("标题"),
                Just("\t"),
                Just("? "),
                Just("%YAML 1.2\n"),
                Just("---\n"),
                Just("...\n"),
                Just("\u{feff}"),
                Just("\0"),
                Just("\\"),
            ];
            let any_piece = prop_oneof![
                8 => piece.prop_map(str::to_string),
                1 => any::<String>(),
            ];
            proptest::collection::vec(any_piece, 0..40).prop_map(|v| v.concat())
        }

        fn within(node: &Node, lines: std::ops::RangeInclusive<u32>) -> Result<(), TestCaseError> {
            prop_assert!(
                lines.contains(&node.pos.line),
                "{:?} outside {lines:?}",
                node.pos
            );
            match &node.value {
                NodeValue::Seq(items) => {
                    for n in items {
                        within(n, lines.clone())?;
                    }
                }
                NodeValue::Map(entries) => {
                    for (k, v) in entries {
                        prop_assert!(
                            lines.contains(&k.pos.line),
                            "key {:?} outside {lines:?}",
                            k.pos
                        );
                        within(v, lines.clone())?;
                    }
                }
                _ => {}
            }
            Ok(())
        }

        fn check(text: &str) -> Result<(), TestCaseError> {
            let first = 2;
            let last = first + text.matches('\n').count() as u32 + 1;
            match parse(text, first) {
                Ok(node) => within(&node, first..=last)?,
                Err(d) => {
                    prop_assert!(
                        matches!(d.code, Code::YamlSyntax | Code::YamlLimit),
                        "{d:?}"
                    );
                    if let Some(p) = d.pos {
                        prop_assert!((first..=last).contains(&p.line), "{d:?}");
                    }
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn yaml_like_text_never_panics(text in yaml_ish()) {
                check(&text)?;
            }

            #[test]
            fn arbitrary_text_never_panics(text in any::<String>()) {
                check(&text)?;
            }

            #[test]
            fn deep_nesting_of_any_shape_is_a_limit_error(
                shape in 0..3u8,
                depth in MAX_DEPTH + 1..3000,
            ) {
                let text = match shape {
                    0 => format!("x: {}1{}", "[".repeat(depth), "]".repeat(depth)),
                    1 => format!("x: {}1{}", "{a: ".repeat(depth), "}".repeat(depth)),
                    _ => format!("{}x\n", "- ".repeat(depth)),
                };
                let d = parse(&text, 2).unwrap_err();
                prop_assert_eq!(d.code, Code::YamlLimit, "{:?}", d);
                prop_assert!(d.message.contains("嵌套过深"), "{}", d.message);
            }
        }
    }
}
