//! Raw HTML that would swallow the rest of a body (issue 16).
//!
//! An HTML element whose content is not Markdown — `<style>`, `<script>`, `<textarea>`,
//! `<title>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<noscript>`, `<plaintext>` —,
//! a `<template>`, a `<details>` (the rest shown only when a reader opens it) or a comment,
//! opened and never closed, takes everything after it: CommonMark ends such an HTML block
//! only at its closing tag, and the sanitiser drops what is inside. One stray `<style>` in
//! article 3 would unpublish articles 3 to 30 without a word. [`neutralise`] finds each one
//! and turns its `<` into `&lt;`, so the tag is shown as text and the rest of the body is
//! published as written; [`warn`] tells `check` where it is.

use std::borrow::Cow;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser};

// Elements whose content is raw text up to their end tag (the sanitiser's guard knows them too).
use super::nesting::RAW_TEXT as RAW;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::tree::LineIndex;

/// Elements that hold Markdown-made HTML, but hide it until their end tag.
const HIDING: &[&str] = &["details", "template"];

/// An opening that is never closed: where its `<` is in the source, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unclosed {
    pub offset: usize,
    /// `<style>`, `<!--`, …
    pub tag: String,
}

/// `source` with the `<` of every unclosed opening replaced by `&lt;`, and those openings
/// (offsets in `source`). Borrowed, and no parse, when the body has no raw HTML to look at.
pub(crate) fn neutralise(source: &str) -> (Cow<'_, str>, Vec<Unclosed>) {
    if !might_swallow(source) {
        return (Cow::Borrowed(source), Vec::new());
    }
    let mut text = source.to_string();
    // Offsets in `source` of the `<` replaced so far, sorted.
    let mut replaced: Vec<usize> = Vec::new();
    let mut found = Vec::new();
    // Each pass shows text that was inside the openings it closed: look again (bounded; a
    // body needs as many passes as it nests unclosed openings, in practice one or two).
    for _ in 0..16 {
        let mut here = scan(&text);
        here.sort_by_key(|u| u.offset);
        if here.is_empty() {
            break;
        }
        for u in here.iter().rev() {
            text.replace_range(u.offset..u.offset + 1, "&lt;");
        }
        // Offsets in `text` before this pass's replacements, back to offsets in `source`:
        // the k-th earlier replacement (in source order) made the text 3 bytes longer at
        // `replaced[k] + 3k`.
        let originals: Vec<Unclosed> = here
            .into_iter()
            .map(|u| {
                let before = replaced
                    .iter()
                    .enumerate()
                    .filter(|&(k, &r)| r + 3 * k < u.offset)
                    .count();
                Unclosed {
                    offset: u.offset - 3 * before,
                    tag: u.tag,
                }
            })
            .collect();
        for u in originals {
            let at = replaced.partition_point(|&r| r < u.offset);
            replaced.insert(at, u.offset);
            found.push(u);
        }
    }
    found.sort_by_key(|u| u.offset);
    if found.is_empty() {
        (Cow::Borrowed(source), found)
    } else {
        (Cow::Owned(text), found)
    }
}

/// Warns of every unclosed opening in `body` (which starts on `body_line` of `file`).
pub(crate) fn warn(file: &Path, body: &str, body_line: u32, diags: &mut Diagnostics) {
    let (_, found) = neutralise(body);
    if found.is_empty() {
        return;
    }
    let index = LineIndex::new(body, body_line);
    for u in found {
        let close = if u.tag == "<!--" {
            "-->".to_string()
        } else {
            format!("</{}>", &u.tag[1..u.tag.len() - 1])
        };
        diags.push(
            Diagnostic::new(
                Code::UnclosedHtml,
                format!(
                    "正文中的 {} 没有闭合，会吞掉它之后的全部正文；已把它当作文字发布",
                    u.tag
                ),
            )
            .in_file(file)
            .at(Some(index.pos(u.offset)))
            .hint(format!("在它该结束的地方补上 {close}，或删除它")),
        );
    }
}

/// Whether `source` holds a `<` followed by `!--` or a tracked name (ASCII, any case).
fn might_swallow(source: &str) -> bool {
    let bytes = source.as_bytes();
    memchr_all(bytes, b'<').any(|i| opening(&source[i..]).is_some())
}

fn memchr_all(bytes: &[u8], b: u8) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(move |(_, c)| **c == b)
        .map(|(i, _)| i)
}

/// What the text at a `<` opens: a comment, or a tracked element (its name).
fn opening(at: &str) -> Option<&'static str> {
    if at.starts_with("<!--") {
        return Some("!--");
    }
    let rest = at.strip_prefix('<')?;
    RAW.iter()
        .chain(HIDING)
        .find(|name| names(rest, name))
        .copied()
}

/// Whether `rest` starts with the tag name `name` (any case), ended by a space, `>` or `/`.
fn names(rest: &str, name: &str) -> bool {
    rest.len() >= name.len()
        && rest.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && rest
            .as_bytes()
            .get(name.len())
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/'))
}

/// The unclosed openings in the raw HTML of `source` (pulldown-cmark says which text is raw
/// HTML: a `<style>` in a code span or block is text, not a tag).
fn scan(source: &str) -> Vec<Unclosed> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS;
    let mut state = State::default();
    for (event, range) in Parser::new_ext(source, opts).into_offset_iter() {
        let html = match &event {
            Event::Html(h) | Event::InlineHtml(h) => h,
            _ => continue,
        };
        // The event's text is the source's, unless a container (a quote's `>`) was cut out.
        let base = source
            .get(range.clone())
            .and_then(|s| s.find(html.as_ref()))
            .map_or(range.start, |i| range.start + i);
        state.feed(html, base);
    }
    state.finish()
}

/// Where the scan is, across the raw HTML fragments of a body in order.
#[derive(Default)]
struct State {
    /// Inside a comment opened at this offset.
    comment: Option<usize>,
    /// Inside a raw-text element: its name and where it opened.
    raw: Option<(&'static str, usize)>,
    /// Open hiding elements.
    open: Vec<(&'static str, usize)>,
}

impl State {
    fn feed(&mut self, html: &str, base: usize) {
        let mut i = 0;
        while i < html.len() {
            let rest = &html[i..];
            if self.comment.is_some() {
                match rest.find("-->") {
                    Some(end) => {
                        self.comment = None;
                        i += end + 3;
                    }
                    None => return,
                }
                continue;
            }
            if let Some((name, _)) = self.raw {
                match find_end_tag(rest, name) {
                    Some(end) => {
                        self.raw = None;
                        i += end;
                    }
                    None => return,
                }
                continue;
            }
            let Some(lt) = rest.find('<') else { return };
            let at = &rest[lt..];
            let offset = base + i + lt;
            if let Some(body) = at.strip_prefix("<!--") {
                // `<!-->` and `<!--->` are whole (empty) comments.
                if !(body.starts_with('>') || body.starts_with("->")) {
                    self.comment = Some(offset);
                }
                i += lt + 4;
                continue;
            }
            if let Some(close) = at.strip_prefix("</") {
                if let Some(name) = HIDING.iter().find(|n| names(close, n))
                    && let Some(pos) = self.open.iter().rposition(|(n, _)| n == name)
                {
                    self.open.truncate(pos);
                }
                i += lt + 2;
                continue;
            }
            match opening(at) {
                Some(name) if RAW.contains(&name) => self.raw = Some((name, offset)),
                Some(name) => self.open.push((name, offset)),
                None => {}
            }
            i += lt + 1;
        }
    }

    fn finish(self) -> Vec<Unclosed> {
        let mut out: Vec<Unclosed> = self
            .open
            .into_iter()
            .map(|(name, offset)| Unclosed {
                offset,
                tag: format!("<{name}>"),
            })
            .collect();
        if let Some((name, offset)) = self.raw {
            out.push(Unclosed {
                offset,
                tag: format!("<{name}>"),
            });
        }
        if let Some(offset) = self.comment {
            out.push(Unclosed {
                offset,
                tag: "<!--".into(),
            });
        }
        out
    }
}

/// Where the end tag `</name` (any case, then a space, `>` or `/`) ends in `text`.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("</") {
        let at = from + i + 2;
        if names(&text[at..], name) {
            return Some(at + name.len());
        }
        from = at;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(source: &str) -> Vec<(usize, String)> {
        neutralise(source)
            .1
            .into_iter()
            .map(|u| (u.offset, u.tag))
            .collect()
    }

    #[test]
    fn closed_tags_and_tags_in_code_are_left_alone() {
        for source in [
            "第一条\n\n<style>p{}</style>\n\n第二条\n",
            "<details><summary>附</summary>\n\n内容\n\n</details>\n\n第二条\n",
            "<!-- 注释 -->\n\n第二条\n",
            "`<style>` 是代码\n\n第二条\n",
            "```\n<script>\n```\n\n第二条\n",
            "<!-->\n\n第二条\n",
            "没有标签的正文\n",
        ] {
            assert_eq!(tags(source), vec![], "{source}");
            assert!(matches!(neutralise(source).0, Cow::Borrowed(_)));
        }
    }

    #[test]
    fn every_unclosed_opening_is_found_where_it_is() {
        for tag in RAW.iter().chain(HIDING) {
            let source = format!("第一条\n\n<{tag}>\n第二条\n\n第三条\n");
            assert_eq!(tags(&source), vec![(11, format!("<{tag}>"))], "{tag}");
            let upper = source.replace(tag, &tag.to_uppercase());
            assert_eq!(tags(&upper).len(), 1, "{upper}");
        }
        assert_eq!(
            tags("第一条\n\n<!-- 注释\n\n第二条\n"),
            vec![(11, "<!--".into())]
        );
        // Inline, inside a paragraph.
        assert_eq!(
            tags("第一条 <style> 之后\n\n第二条\n"),
            vec![(10, "<style>".into())]
        );
    }

    #[test]
    fn openings_hidden_inside_another_are_found_on_the_next_pass() {
        // The `<script>` is inside the unclosed `<style>`'s raw text at first.
        let source = "<style>\n\n<script>\n\n第二条\n";
        assert_eq!(
            tags(source),
            vec![(0, "<style>".into()), (9, "<script>".into())]
        );
        let (fixed, _) = neutralise(source);
        assert_eq!(fixed, "&lt;style>\n\n&lt;script>\n\n第二条\n");
    }
}
