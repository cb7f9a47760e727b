//! A parsed YAML or TOML value that remembers where every key and value stood.
//!
//! Both `gazette.toml` and document front matter are parsed into this one [`Node`] tree, so one
//! JSON-Schema pass and one set of typed conversions serve both, and every diagnostic can point
//! at the exact key or value (as a JSON pointer → [`Pos`] lookup) instead of "the front matter".

use serde_json::{Map, Number, Value};

use crate::diag::Pos;

/// A value with the position of its first character in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: NodeValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order; each key keeps its own position.
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// The plain JSON value, for JSON-Schema validation and typed deserialisation.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::Number((*i).into()),
            NodeValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NodeValue::Str(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.name.clone(), v.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// The entry `key` of a mapping, with its key.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            NodeValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Position of the value at a JSON pointer (`/issuer/1`); with `want_key`, of the key of the
    /// last segment instead (where "unknown key" errors belong). Falls back to the nearest
    /// enclosing node that exists, so a diagnostic always has a place.
    pub fn locate(&self, pointer: &str, want_key: bool) -> Pos {
        let mut node = self;
        let mut key_pos = None;
        for raw in pointer.split('/').skip(1) {
            let seg = raw.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                NodeValue::Map(entries) => {
                    entries.iter().find(|(k, _)| k.name == seg).map(|(k, v)| {
                        key_pos = Some(k.pos);
                        v
                    })
                }
                NodeValue::Seq(items) => seg
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .inspect(|_| {
                        key_pos = None;
                    }),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => return node.pos,
            }
        }
        if want_key {
            key_pos.unwrap_or(node.pos)
        } else {
            node.pos
        }
    }

    /// Position of a key of this mapping (or of the mapping itself when absent).
    pub fn key_pos(&self, key: &str) -> Pos {
        self.entry(key).map_or(self.pos, |(k, _)| k.pos)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A string, or each string of a list: how `issuer`, `subjects` and friends are written.
    pub fn strings(&self) -> Vec<(&str, Pos)> {
        match &self.value {
            NodeValue::Str(s) => vec![(s.as_str(), self.pos)],
            NodeValue::Seq(items) => items
                .iter()
                .filter_map(|n| n.as_str().map(|s| (s, n.pos)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Turns byte offsets into 1-based line and character columns, with a line offset for text that
/// was cut out of a larger file (front matter starts on line 2 of its document).
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: u32,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str, first_line: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            first_line,
        }
    }

    pub(crate) fn pos(&self, byte: usize) -> Pos {
        let byte = byte.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= byte) - 1;
        let start = self.starts[line];
        let col = self
            .text
            .get(start..byte)
            .map_or(1, |s| s.chars().count() + 1);
        Pos::new(line as u32 + self.first_line, col as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let idx = LineIndex::new("a: 1\n标题: 洛阳\n", 2);
        assert_eq!(idx.pos(0), Pos::new(2, 1));
        let byte = "a: 1\n标题: ".len();
        assert_eq!(idx.pos(byte), Pos::new(3, 5));
    }
}
