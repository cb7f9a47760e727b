//! Bounds on what the HTML given to the sanitiser may cost to parse.
//!
//! ammonia parses with html5ever, which builds the tree as a browser does, and two shapes of
//! input make that cost out of all proportion to their size:
//!
//! - **Depth.** The tree builder looks through the stack of open elements for each tag, so
//!   time grows with depth × tags: 20 000 nested list items (40 KB of `- - - …`) took 30 s in a
//!   debug build, 40 000 nested `<div>`s 20 s. Elements deeper than [`MAX_NESTING`] are
//!   flattened: their tags dropped, their text kept (raw-text elements such as `<script>`
//!   dropped whole). Real documents nest a dozen levels.
//! - **Formatting that leaks across blocks.** A `<b>` still open when its paragraph closes is
//!   re-opened by the parser in every later paragraph; 250 distinct unclosed `<b class=…>`s and
//!   8 000 `<p>`s (35 KB) made 39 MB of HTML and took 550 MB. Here a formatting element that a
//!   block closes around it is closed right there, with its end tag inserted, so it does not
//!   spill into the blocks after it (which is also what its author meant).
//!
//! HTML that does neither passes through untouched, byte for byte. The tree is modelled closely
//! enough for these bounds, not exactly: void elements and `<x/>` do not nest; the elements whose
//! end tag may be left out (`<p>`, `<li>`, `<td>` …) are closed by their successors within the
//! scopes a browser uses, so a sloppy table of ten thousand unclosed `<td>`s stays shallow.

use std::borrow::Cow;
use std::collections::HashMap;

/// Deepest element nesting handed to the sanitiser.
pub(super) const MAX_NESTING: usize = 256;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is raw text, up to their own end tag.
pub(super) const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// The elements a parser re-opens after a block closes around them.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements that bound the search for an element to close ("has an element in scope").
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];
const BUTTON_SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button",
];
const LIST_SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "ol", "ul",
];
const DL_SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "dl",
];
const TABLE_SCOPE: &[&str] = &["html", "table", "template"];

/// Opening `tag` closes an open element of these names found within that scope, and everything
/// opened inside it.
fn closes(tag: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match tag {
        "td" | "th" => (&["td", "th"], TABLE_SCOPE),
        "tr" => (&["td", "th", "tr"], TABLE_SCOPE),
        "thead" | "tbody" | "tfoot" => {
            (&["td", "th", "tr", "thead", "tbody", "tfoot"], TABLE_SCOPE)
        }
        "li" => (&["li"], LIST_SCOPE),
        "dt" | "dd" => (&["dt", "dd"], DL_SCOPE),
        "option" => (&["option"], &["select", "optgroup"]),
        "optgroup" => (&["option", "optgroup"], &["select"]),
        "address" | "article" | "aside" | "blockquote" | "center" | "details" | "dialog"
        | "dir" | "div" | "dl" | "fieldset" | "figcaption" | "figure" | "footer" | "form"
        | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "header" | "hgroup" | "hr" | "listing"
        | "main" | "menu" | "nav" | "ol" | "p" | "pre" | "section" | "summary" | "table" | "ul" => {
            (&["p"], BUTTON_SCOPE)
        }
        _ => return None,
    })
}

/// The scope within which the end tag `</tag>` finds its element.
fn end_scope(tag: &str) -> &'static [&'static str] {
    match tag {
        "p" => BUTTON_SCOPE,
        "li" => LIST_SCOPE,
        "dt" | "dd" => DL_SCOPE,
        "td" | "th" | "tr" | "thead" | "tbody" | "tfoot" | "table" | "caption" => TABLE_SCOPE,
        t if FORMATTING.contains(&t) => &[],
        _ => SCOPE,
    }
}

/// Edits to the HTML: the byte range to replace, and what with.
type Edits = Vec<(usize, usize, String)>;

/// The elements open where the walk has got to, and what to do to keep the bounds.
struct Walk {
    stack: Vec<String>,
    /// End tags still to come of elements that were dropped, by name.
    dropped: HashMap<String, usize>,
    edits: Edits,
}

impl Walk {
    /// Closes the open elements from index `k` up, before the tag at `at`; formatting elements
    /// among them get their end tag there, so they do not re-open in the blocks that follow.
    fn close_from(&mut self, k: usize, at: usize) {
        let closed: String = self.stack[k..]
            .iter()
            .rev()
            .filter(|t| FORMATTING.contains(&t.as_str()))
            .map(|t| format!("</{t}>"))
            .collect();
        if !closed.is_empty() {
            self.edits.push((at, at, closed));
        }
        self.stack.truncate(k);
    }

    /// Index of the innermost open element named in `names`, searching down to a `scope` boundary.
    fn find(&self, names: &[&str], scope: &[&str]) -> Option<usize> {
        for (i, t) in self.stack.iter().enumerate().rev() {
            if names.contains(&t.as_str()) {
                return Some(i);
            }
            if scope.contains(&t.as_str()) {
                return None;
            }
        }
        None
    }
}

/// `html` within the bounds of this module: see there.
pub(super) fn bound(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut w = Walk {
        stack: Vec::new(),
        dropped: HashMap::new(),
        edits: Vec::new(),
    };
    let mut i = 0;
    while let Some(at) = html[i..].find('<').map(|n| i + n) {
        let rest = &html[at..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(b.len(), |n| at + n + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_at = at + if closing { 2 } else { 1 };
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = if rest.starts_with("<!") || rest.starts_with("<?") {
                rest.find('>').map_or(b.len(), |n| at + n + 1)
            } else {
                at + 1 // a `<` in text
            };
            continue;
        }
        let name_end = html[name_at..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .map_or(b.len(), |n| name_at + n);
        let name = html[name_at..name_end].to_ascii_lowercase();
        let end = tag_end(html, name_end);
        i = end;
        if closing {
            if let Some(n) = w.dropped.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                w.edits.push((at, end, String::new()));
            } else if FORMATTING.contains(&name.as_str()) {
                // The adoption agency's business; bounded per end tag.
                if let Some(k) = w.stack.iter().rposition(|t| *t == name) {
                    w.stack.truncate(k);
                }
            } else if let Some(k) = w.find(&[name.as_str()], end_scope(&name)) {
                w.close_from(k, at);
            }
            continue;
        }
        if VOID.contains(&name.as_str()) || html[..end].ends_with("/>") {
            continue;
        }
        if let Some((names, scope)) = closes(&name)
            && let Some(k) = w.find(names, scope)
        {
            w.close_from(k, at);
        }
        let raw_end = RAW_TEXT.contains(&name.as_str()).then(|| {
            let close = format!("</{name}");
            let after = html[end..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(b.len(), |n| end + n);
            tag_end(html, (after + close.len()).min(b.len()))
        });
        if w.stack.len() >= MAX_NESTING {
            match raw_end {
                Some(raw_end) => {
                    w.edits.push((at, raw_end, String::new()));
                    i = raw_end;
                }
                None => {
                    w.edits.push((at, end, String::new()));
                    *w.dropped.entry(name).or_insert(0) += 1;
                }
            }
            continue;
        }
        match raw_end {
            // Opened and closed: it holds no further elements.
            Some(raw_end) => i = raw_end,
            None => w.stack.push(name),
        }
    }
    if w.edits.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (start, end, with) in w.edits {
        out.push_str(&html[from..start]);
        out.push_str(&with);
        from = end;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

/// Where the tag whose name ends at `from` ends: after its `>`, skipping quoted attribute
/// values (which may hold `>`).
fn tag_end(html: &str, from: usize) -> usize {
    let b = html.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None => {}
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_html_passes_untouched() {
        let html = "<div class=\"a>b\"><ul><li>1<li>2</ul><p>x<p>y<br><img src=x/></div>\
                    <!-- <div> --><script>if (a < b) {}</script><p><b>粗</b><i>斜</i></p>\
                    <table><tr><td>1<td><b>2</b><tr><td>3</table> a < b <dl><dt>a<dd>b</dl>";
        assert!(matches!(bound(html), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_elements_are_flattened_and_their_text_kept() {
        let n = 10_000;
        let html = format!("{}深{}", "<div>".repeat(n), "</div>".repeat(n));
        assert_eq!(
            bound(&html),
            format!(
                "{}深{}",
                "<div>".repeat(MAX_NESTING),
                "</div>".repeat(MAX_NESTING)
            )
        );
        let lists = format!("{}深{}", "<ul><li>".repeat(n), "</li></ul>".repeat(n));
        let flat = bound(&lists);
        // Each dropped `<ul>` leaves its `<li>` a sibling of the one before, which it closes
        // (here as in a browser), so lists stop deepening too.
        assert_eq!(flat.matches("<ul>").count(), MAX_NESTING / 2);
        assert_eq!(flat.matches("</ul>").count(), MAX_NESTING / 2);
        assert!(flat.contains('深'));
    }

    #[test]
    fn unclosed_cells_items_and_paragraphs_stay_shallow() {
        let cells = format!("<table><tr>{}</table>", "<td><b>x</b>".repeat(5_000));
        assert!(matches!(bound(&cells), Cow::Borrowed(_)));
        let items = format!("<ul>{}</ul>", "<li>x".repeat(5_000));
        assert!(matches!(bound(&items), Cow::Borrowed(_)));
        let paragraphs = "<p>x".repeat(5_000);
        assert!(matches!(bound(&paragraphs), Cow::Borrowed(_)));
    }

    #[test]
    fn formatting_is_closed_where_its_block_closes() {
        assert_eq!(bound("<p><b>粗</p><p>细</p>"), "<p><b>粗</b></p><p>细</p>");
        assert_eq!(
            bound("<p><b class=x><i>a<p>b"),
            "<p><b class=x><i>a</i></b><p>b"
        );
        assert_eq!(
            bound("<div><a href=x><em>a</div>b"),
            "<div><a href=x><em>a</em></a></div>b"
        );
    }

    #[test]
    fn a_script_too_deep_goes_whole() {
        let html = format!(
            "{}<script>alert(1)</script>深",
            "<span>".repeat(MAX_NESTING)
        );
        let flat = bound(&html);
        assert!(!flat.contains("alert"), "{flat}");
        assert!(flat.ends_with("<span>深"));
    }
}
