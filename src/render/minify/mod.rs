//! HTML minification: once per template when the theme loads, instead of once per page.
//!
//! minify-html parses and rewrites every byte it is given, and a page's shell (the parts the
//! templates write around the body) was the largest single cost of a build: about 200 µs for
//! each of 100 000 pages. Most of a shell is the templates' own text, which is the same on every
//! page. So the templates themselves are minified when the theme is loaded, and the pages they
//! render are written as they come.
//!
//! minify-html's own `preserve_brace_template_syntax` passes a tag through only in text
//! content, not inside an attribute value, and cannot tell us whether minifying kept a
//! template's structure, so it is not enough here.
//!
//! minify-html does not know Tera, so each Tera tag (`{{ … }}`, `{% … %}`, `{# … #}`, a whole
//! `{% raw %}` block) is swapped for a placeholder that it keeps as it is — a few private-use
//! characters around a number and a space, so that it also keeps an attribute value holding one
//! in quotes — and swapped back afterwards. This is only sound where a tag sits in text or
//! inside a quoted attribute value: minify-html sorts a tag's attributes, drops end tags that
//! close nothing and removes comments. So a template is minified only when
//!
//! - every Tera tag is in text, in the body of `<script>`/`<style>`, or inside a quoted
//!   attribute value whose Tera blocks open and close within it (`class="a{% if x %} b{% endif %}"`);
//! - the minified HTML has the same start and end tags, in the same order, and every
//!   placeholder once, in the same order (those of one tag's attributes in any order);
//! - the result still compiles.
//!
//! Otherwise — a theme that writes `<a{% if x %} class="y"{% endif %}>`, say — every page is
//! minified as before ([`Minify::Pages`]): slower, never wrong.

mod scan;

use std::ops::Range;

use scan::scan;

/// Where minification happens for a build.
pub(crate) enum Minify {
    /// Not at all (`--no-minify`).
    Off,
    /// In the templates, once: pages are written as rendered.
    Templates,
    /// On every page (a theme whose templates cannot be minified safely).
    Pages(minify_html::Cfg),
}

/// The settings: spec-compliant output only — quoted attributes where needed, a real doctype,
/// closing tags kept.
pub(crate) fn config() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_doctype = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    cfg.allow_optimal_entities = false;
    cfg.keep_comments = false;
    cfg
}

/// A page or fragment, minified.
pub(crate) fn html(html: &str, cfg: &minify_html::Cfg) -> String {
    String::from_utf8(minify_html::minify(html.as_bytes(), cfg)).unwrap_or_else(|_| html.into())
}

/// Every `.html` template minified (others as they are), or `None` if one of them cannot be
/// minified safely.
pub(crate) fn templates(
    sources: &[(String, String)],
    cfg: &minify_html::Cfg,
) -> Option<Vec<(String, String)>> {
    sources
        .iter()
        .map(|(name, text)| {
            let text = if name.ends_with(".html") {
                template(text, cfg)?
            } else {
                text.clone()
            };
            Some((name.clone(), text))
        })
        .collect()
}

/// Opens and closes placeholders; the number between them is the tag's index.
const OPEN: char = '\u{E010}';
const CLOSE: char = '\u{E011}';

/// One template minified, or `None` where that would not be sound (see the module docs).
pub(crate) fn template(source: &str, cfg: &minify_html::Cfg) -> Option<String> {
    if source.contains([OPEN, CLOSE]) {
        return None; // the placeholders' own characters: nothing to tell them apart by
    }
    let tags = tera_tags(source)?;
    // First every tag as text, to learn where each one is.
    let first = mask(source, &tags, &|_| false);
    let kept: Vec<&str> = tags
        .iter()
        .map(|t| &source[t.clone()])
        .filter(|t| !t.starts_with("{#"))
        .collect();
    let mut in_text = vec![false; kept.len()];
    for n in scan(&first)?.in_text {
        *in_text.get_mut(n)? = true;
    }
    // A statement among elements (`{% for %}`, `{% if %}` …) prints nothing itself: as a
    // comment minify-html keeps, the white space around it is judged as around the elements
    // it stands between (`<ul>{% for %}<li>` instead of `<ul> {% for %} <li>`).
    let masked = mask(source, &tags, &|n| in_text[n] && kept[n].starts_with("{%"));
    let before = scan(&masked)?;
    for value in &before.attribute_values {
        if !blocks_balance(value.iter().map(|&n| kept[n])) {
            return None;
        }
    }
    let mut cfg = cfg.clone();
    cfg.keep_ssi_comments = true;
    let minified = html(&masked, &cfg);
    let after = scan(&minified)?;
    if after.tags != before.tags || after.placeholders != (0..kept.len()).collect::<Vec<_>>() {
        return None;
    }

    let mut out = String::with_capacity(source.len());
    let mut rest = minified.as_str();
    while let Some(start) = rest.find(OPEN) {
        let end = rest[start..].find(CLOSE)? + start;
        let n: usize = rest[start + OPEN.len_utf8()..end].trim().parse().ok()?;
        let mut after = &rest[end + CLOSE.len_utf8()..];
        let before = match rest[..start].strip_suffix(SSI_OPEN) {
            Some(b) if after.starts_with(SSI_CLOSE) => {
                after = &after[SSI_CLOSE.len()..];
                b
            }
            _ => &rest[..start],
        };
        out.push_str(before);
        out.push_str(kept.get(n)?);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

/// `source` with its Tera comments removed and every other tag replaced by a numbered
/// placeholder: text, or a comment where `as_comment(n)`.
fn mask(source: &str, tags: &[Range<usize>], as_comment: &dyn Fn(usize) -> bool) -> String {
    let mut masked = String::with_capacity(source.len());
    let mut at = 0;
    let mut n = 0;
    // Whether the last tag was a comment that trims the white space after it (`-#}`).
    let mut trim_next = false;
    for tag in tags {
        let text = &source[at..tag.start];
        let text = if trim_next { text.trim_start() } else { text };
        let tag_text = &source[tag.clone()];
        trim_next = false;
        if tag_text.starts_with("{#") {
            // A comment renders nothing: it goes, and so does the white space its `-` trims.
            masked.push_str(if tag_text.starts_with("{#-") {
                text.trim_end()
            } else {
                text
            });
            trim_next = tag_text.ends_with("-#}");
        } else {
            masked.push_str(text);
            if as_comment(n) {
                masked.push_str(SSI_OPEN);
                masked.push_str(&placeholder(n));
                masked.push_str(SSI_CLOSE);
            } else {
                masked.push_str(&placeholder(n));
            }
            n += 1;
        }
        at = tag.end;
    }
    let text = &source[at..];
    masked.push_str(if trim_next { text.trim_start() } else { text });
    masked
}

/// A placeholder as a comment: an SSI one (`<!--#…-->`), the kind minify-html can be told to keep.
const SSI_OPEN: &str = "<!--#";
const SSI_CLOSE: &str = "-->";

fn placeholder(n: usize) -> String {
    format!("{OPEN}{n} {CLOSE}")
}

/// The byte ranges of the Tera tags, in order; a `{% raw %}` block is one tag. `None` for a
/// tag that is not closed.
fn tera_tags(source: &str) -> Option<Vec<Range<usize>>> {
    let bytes = source.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(offset) = source[i..].find('{') {
        let start = i + offset;
        let close = match bytes.get(start + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                i = start + 1;
                continue;
            }
        };
        let mut end = if close == "#}" {
            // A comment's prose may hold an apostrophe: no strings in it.
            start + 2 + source[start + 2..].find(close)? + close.len()
        } else {
            tag_end(source, start + 2, close)?
        };
        if close == "%}" && is_raw(&source[start..end]) {
            // Up to the end of `{% endraw %}` (whatever `-` it is written with).
            let mut from = end;
            loop {
                let next = from + source[from..].find("{%")?;
                let next_end = tag_end(source, next + 2, "%}")?;
                if keyword(&source[next..next_end]) == "endraw" {
                    end = next_end;
                    break;
                }
                from = next_end;
            }
        }
        tags.push(start..end);
        i = end;
    }
    Some(tags)
}

/// The end of a tag whose body starts at `from`: past `close`, skipping string literals.
fn tag_end(source: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1 + source[i + 1..].find(q as char)?;
            }
            _ if bytes[i..].starts_with(close.as_bytes()) => return Some(i + close.len()),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first word of a `{% … %}` tag (`if`, `endfor` …).
fn keyword(tag: &str) -> &str {
    tag.trim_start_matches("{%")
        .trim_start_matches('-')
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches("%}")
        .trim_end_matches('-')
}

fn is_raw(tag: &str) -> bool {
    keyword(tag) == "raw"
}

/// Whether the Tera blocks among `tags` (one attribute value's) all open and close among them:
/// then the value stays whole wherever minify-html moves the attribute.
fn blocks_balance<'a>(tags: impl Iterator<Item = &'a str>) -> bool {
    let mut depth = 0i32;
    for tag in tags.filter(|t| t.starts_with("{%")) {
        match keyword(tag) {
            "if" | "for" | "block" | "macro" | "filter" | "raw" => depth += 1,
            k if k.starts_with("end") => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests;
