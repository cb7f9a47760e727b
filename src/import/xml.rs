//! A small element tree over quick-xml, enough to walk the parts of a `.docx`.
//!
//! WordprocessingML is read by walking nested elements (`w:p` → `w:r` → `w:t`) and looking at
//! a few attributes; a tree makes that plain code. Names are kept without their namespace
//! prefix (`w:p` → `p`, `r:embed` → `embed`): the parts a Word or WPS file holds use each
//! local name in one sense only, for what we read. Entity and character references are
//! resolved; anything that is not well-formed XML is an error, never a panic.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// An element: local name, attributes (local name → value) and children in order.
#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Child>,
}

#[derive(Debug, Clone)]
pub enum Child {
    Element(Element),
    Text(String),
}

/// The deepest nesting we follow (a real document uses a few dozen levels).
const MAX_DEPTH: usize = 256;

impl Element {
    /// The value of an attribute, by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Child::Element(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The first element with this local name anywhere below (depth first).
    pub fn find(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// The text directly inside (for `w:t`).
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|c| match c {
                Child::Text(t) => Some(t.as_str()),
                Child::Element(_) => None,
            })
            .collect()
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn element(start: &BytesStart<'_>) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for a in start.attributes().with_checks(false) {
        let a = a.map_err(|e| e.to_string())?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        attrs.push((local(a.key.as_ref()).to_string(), value.into_owned()));
    }
    Ok(Element {
        name: local(start.name().as_ref()).to_string(),
        attrs,
        children: Vec::new(),
    })
}

/// Parses one XML part into its root element. The error is the parser's own text, which the
/// caller wraps in a Chinese message naming the part.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} （第 {} 字节）", reader.buffer_position()))?;
        match event {
            Event::Start(s) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!("嵌套超过 {MAX_DEPTH} 层"));
                }
                stack.push(element(&s)?);
            }
            Event::Empty(s) => {
                let e = element(&s)?;
                push(&mut stack, Child::Element(e));
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err("多余的结束标签".into());
                }
                let done = stack.pop().unwrap_or_default();
                push(&mut stack, Child::Element(done));
            }
            Event::Text(t) => push(&mut stack, Child::Text(t.xml10_content().into_owned())),
            Event::CData(t) => push(&mut stack, Child::Text(t.xml10_content().into_owned())),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => match &*r.xml10_content() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => format!("&{other};"),
                    },
                };
                push(&mut stack, Child::Text(c));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("XML 没有结束（缺少结束标签）".into());
    }
    let mut top = stack.pop().unwrap_or_default();
    match top.children.drain(..).find_map(|c| match c {
        Child::Element(e) => Some(e),
        Child::Text(_) => None,
    }) {
        Some(root) => Ok(root),
        None => Err("没有根元素".into()),
    }
}

fn push(stack: &mut [Element], child: Child) {
    if let Some(top) = stack.last_mut() {
        // Adjacent text pieces (split by references) are joined.
        if let (Child::Text(t), Some(Child::Text(prev))) = (&child, top.children.last_mut()) {
            prev.push_str(t);
            return;
        }
        top.children.push(child);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_prefixes_and_references_resolve() {
        let root = parse(r#"<w:document xmlns:w="x"><w:p w:val="a&amp;b"><w:t>1 &lt; 2 &#x4e2d;</w:t></w:p></w:document>"#).unwrap();
        let p = root.child("p").unwrap();
        assert_eq!(p.attr("val"), Some("a&b"));
        assert_eq!(p.child("t").unwrap().text(), "1 < 2 中");
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
    }
}
