//! Markdown → safe HTML, plus the plain text the search and summaries need.
//!
//! pulldown-cmark parses CommonMark with tables, footnotes and strikethrough; fenced code is
//! highlighted by syntect with CSS classes (never inline styles: the pages run under a strict
//! Content-Security-Policy); the result goes through an ammonia allow-list so raw HTML in a
//! document cannot bring scripts, event handlers, frames, styles or `javascript:`/`data:` URLs.
//! Before sanitising, [`nesting`] flattens elements nested deeper than 256 levels and closes
//! formatting that a block closes around, so a hostile body cannot make the sanitiser's tree
//! building stall a build or blow up its memory. A body that is Markdown only needs none of
//! that: [`direct`] writes the allow-list's result for it without the parse. First of all,
//! [`unclosed`] shows as text any raw opening that is never closed and would swallow the rest.

mod direct;
mod nesting;
pub(crate) mod unclosed;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Renders Markdown. Create one per build and share it: the syntax set loads lazily, once.
pub(crate) struct Markdown {
    syntaxes: OnceLock<SyntaxSet>,
    sanitizer: ammonia::Builder<'static>,
}

/// A rendered body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub html: String,
    /// Text content without markup, whitespace collapsed: for the search index and snippets.
    pub text: String,
}

pub(crate) const CLASS_PREFIX: &str = "hl-";

impl Default for Markdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Markdown {
    pub(crate) fn new() -> Self {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class"])
            .add_tag_attributes("h1", ["id"])
            .add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tag_attributes("div", ["id"])
            .add_tag_attributes("li", ["id"])
            .add_tag_attributes("td", ["align"])
            .add_tag_attributes("th", ["align"])
            // `input` is there for task lists (`- [x]`) only: whatever raw HTML asks for, every
            // input becomes a checkbox (no password or text fields on an official page). One
            // forced attribute only: ammonia applies several in hash order, which varies by run.
            .add_tag_attributes("input", ["checked", "disabled"])
            .set_tag_attribute_value("input", "type", "checkbox")
            .add_tags(["input"])
            .url_schemes(HashSet::from(direct::URL_SCHEMES))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"));
        Markdown {
            syntaxes: OnceLock::new(),
            sanitizer: b,
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// Renders `source`. Headings get stable ids (from their text, de-duplicated); a body that
    /// uses `#` headings is shifted down one level, since the page title is the only `<h1>`.
    pub(crate) fn render(&self, source: &str) -> Rendered {
        // An unclosed `<style>`, `<details>`, comment… would take the rest of the body with it.
        let (source, _) = unclosed::neutralise(source);
        let (out, text) = self.events(&source);
        let clean = match direct::write(&out) {
            Some(html) => html,
            None => self.sanitize(out),
        };
        Rendered {
            html: wrap_tables(&clean),
            text,
        }
    }

    /// The events the HTML is written from (ids on headings, levels shifted, code
    /// highlighted), and the plain text.
    fn events<'s>(&self, source: &'s str) -> (Vec<Event<'s>>, String) {
        let opts = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_TASKLISTS;
        let events: Vec<Event> = Parser::new_ext(source, opts).collect();
        let shift = events.iter().any(|e| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        });

        let mut out: Vec<Event> = Vec::with_capacity(events.len());
        let mut text = String::new();
        let mut used_ids: HashMap<String, usize> = HashMap::new();
        let mut code: Option<(String, String)> = None; // (language, source)
        // Inside inline `<script>` or `<style>`: the sanitiser drops their content, so the
        // plain text (search index, descriptions) must not carry it either.
        let mut dropped: Option<&'static str> = None;
        let mut i = 0;
        while i < events.len() {
            let ev = events[i].clone();
            i += 1;
            if let Some((_, buf)) = code.as_mut() {
                match ev {
                    Event::Text(t) => buf.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        let (lang, src) = code.take().unwrap_or_default();
                        push_text(&mut text, &src);
                        out.push(Event::Html(CowStr::from(self.highlight(&lang, &src))));
                    }
                    _ => {}
                }
                continue;
            }
            match ev {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => {
                            l.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    // Collect the heading's text to make its id.
                    let mut j = i;
                    let mut htext = String::new();
                    while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                        if let Event::Text(t) | Event::Code(t) = &events[j] {
                            htext.push_str(t);
                        }
                        j += 1;
                    }
                    let base = id.map(|s| s.to_string()).unwrap_or_else(|| slug(&htext));
                    let n = used_ids.entry(base.clone()).or_insert(0);
                    *n += 1;
                    let unique = if *n == 1 { base } else { format!("{base}-{n}") };
                    let level = if shift { lower(level) } else { level };
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(unique)),
                        classes,
                        attrs,
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    push_text(&mut text, "");
                    let level = if shift { lower(level) } else { level };
                    out.push(Event::End(TagEnd::Heading(level)));
                }
                Event::InlineHtml(ref h) => {
                    dropped = dropped_content(h, dropped);
                    out.push(ev);
                }
                Event::Text(ref t) | Event::Code(ref t) => {
                    if dropped.is_none() {
                        push_text(&mut text, t);
                    }
                    out.push(ev);
                }
                Event::SoftBreak
                | Event::HardBreak
                | Event::End(TagEnd::Paragraph)
                | Event::End(TagEnd::TableCell)
                | Event::End(TagEnd::Item) => {
                    push_text(&mut text, "");
                    out.push(ev);
                }
                other => out.push(other),
            }
        }
        (out, text.trim().to_string())
    }

    /// pulldown-cmark's HTML through the allow-list.
    fn sanitize(&self, events: Vec<Event>) -> String {
        let mut raw = String::with_capacity(events.len() * 16);
        pulldown_cmark::html::push_html(&mut raw, events.into_iter());
        // Keep what the sanitiser's parser costs in proportion to the input (see `nesting`).
        self.sanitizer.clean(&nesting::bound(&raw)).to_string()
    }

    fn highlight(&self, lang: &str, src: &str) -> String {
        let ss = self.syntaxes();
        let syntax = ss
            .find_syntax_by_token(lang)
            .unwrap_or_else(|| ss.find_syntax_plain_text());
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            ss,
            ClassStyle::SpacedPrefixed {
                prefix: CLASS_PREFIX,
            },
        );
        for line in LinesWithEndings::from(src) {
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return format!("<pre><code>{}</code></pre>\n", escape(src));
            }
        }
        let lang_class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape(lang))
        };
        format!(
            "<pre class=\"code\"><code{lang_class}>{}</code></pre>\n",
            generator.finalize()
        )
    }
}

/// After the inline HTML `h`: the element whose content is being dropped (`script`, `style`),
/// if any, given the one before.
fn dropped_content(h: &str, before: Option<&'static str>) -> Option<&'static str> {
    let lower = h.to_ascii_lowercase();
    match before {
        Some(tag) if lower.starts_with(&format!("</{tag}")) => None,
        Some(tag) => Some(tag),
        None => ["script", "style"].into_iter().find(|tag| {
            lower.starts_with(&format!("<{tag}")) && !lower.contains(&format!("</{tag}"))
        }),
    }
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Appends `t` to the plain text, turning block ends (empty `t`) into single spaces.
fn push_text(text: &mut String, t: &str) {
    if t.is_empty() {
        if !text.ends_with(' ') && !text.is_empty() {
            text.push(' ');
        }
        return;
    }
    for c in t.chars() {
        if c.is_whitespace() {
            if !text.ends_with(' ') && !text.is_empty() {
                text.push(' ');
            }
        } else {
            text.push(c);
        }
    }
}

/// An id from heading text: letters and digits of any script kept, the rest folded to `-`.
pub(crate) fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "section".into() } else { s }
}

/// Tables scroll sideways on phones instead of widening the page; the wrapper is a focusable,
/// labelled region so keyboard users can scroll it too.
fn wrap_tables(html: &str) -> String {
    html.replace(
        "<table>",
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"表格\" tabindex=\"0\"><table>",
    )
    .replace("</table>", "</table></div>")
}

/// HTML text and attribute escaping. Our own, not `tera::escape_html`: that one also writes
/// `/` as `&#x2F;`, which would change every link and path the pages show.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_and_handlers_keeps_tables() {
        let md = Markdown::new();
        let r = md.render("<script>alert(1)</script>\n\n<a href=\"javascript:x\" onclick=\"y\">z</a>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(r.html.contains("<table>"), "{}", r.html);
    }

    #[test]
    fn dropped_script_and_style_text_is_not_indexed_either() {
        let md = Markdown::new();
        let r = md.render("前 <script>alert(1)</script> 中 <STYLE>b{}</STYLE> 后 <b>粗</b>\n");
        assert_eq!(r.html, "<p>前  中  后 <b>粗</b></p>\n");
        assert_eq!(r.text, "前 中 后 粗");
    }

    #[test]
    fn every_input_is_a_checkbox() {
        let md = Markdown::new();
        let r = md.render(
            "- [x] 已办\n- [ ] 待办\n\n<input type=\"password\" name=\"pw\" value=\"x\">\n",
        );
        assert_eq!(
            r.html,
            "<ul>\n<li><input disabled=\"\" checked=\"\" type=\"checkbox\">\n已办</li>\n<li><input disabled=\"\" type=\"checkbox\">\n待办</li>\n</ul>\n<input type=\"checkbox\">\n"
        );
    }

    #[test]
    fn headings_get_ids_and_text_is_plain() {
        let md = Markdown::new();
        let r = md.render("## 一、总体要求\n\n正文**加粗**。\n\n## 一、总体要求\n");
        assert!(r.html.contains("<h2 id=\"一-总体要求\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"一-总体要求-2\">"), "{}", r.html);
        assert_eq!(r.text, "一、总体要求 正文加粗。 一、总体要求");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let md = Markdown::new();
        let r = md.render("```rust\nfn main() {}\n```\n");
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    /// Every tag in sanitised HTML: `(name, [(attribute, value)])`. Outside tags the output
    /// escapes `<`, so each literal `<` there starts a tag; attribute values are double-quoted
    /// (and may hold `<` and `>`, so they are skipped whole).
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let b = html.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        let word = |i: &mut usize| {
            let start = *i;
            while *i < b.len() && !b" \t\n/>=".contains(&b[*i]) {
                *i += 1;
            }
            html[start..*i].to_ascii_lowercase()
        };
        while i < b.len() {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            i += 1;
            if b.get(i) == Some(&b'/') {
                i += 1;
            }
            let name = word(&mut i);
            let mut attrs = Vec::new();
            while i < b.len() && b[i] != b'>' {
                if b" \t\n/".contains(&b[i]) {
                    i += 1;
                    continue;
                }
                let attr = word(&mut i);
                let mut value = String::new();
                if b.get(i) == Some(&b'=') && b.get(i + 1) == Some(&b'"') {
                    let start = i + 2;
                    let close = html[start..].find('"').map_or(b.len(), |n| start + n);
                    value = html[start..close].to_string();
                    i = close + 1;
                } else if attr.is_empty() {
                    i += 1;
                }
                attrs.push((attr, value));
            }
            out.push((name, attrs));
        }
        out
    }

    /// Hostile Markdown, property-tested: whatever the body, rendering never panics and the
    /// sanitised HTML carries no script, frame, style, form or event handler, and no
    /// `javascript:` or `data:` URL.
    #[test]
    fn arbitrary_markdown_renders_to_safe_html() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let piece = prop_oneof![
            Just("<script>alert(1)</script>"),
            Just("<SCRIPT SRC=//x>"),
            Just("<img src=x onerror=alert(1)>"),
            Just("<a href=\"javascript:alert(1)\">"),
            Just("<a href='JaVaScRiPt:x'>"),
            Just("<a href=\"&#106;avascript:x\">"),
            Just("<img src=\"data:image/png;base64,AA\">"),
            Just("<iframe src=x>"),
            Just("<style>*{}</style>"),
            Just("<object data=x>"),
            Just("<form action=x><input name=q>"),
            Just("<svg onload=x>"),
            Just("<math>"),
            Just("<div style=\"x\" onclick=\"y\">"),
            Just("</div>"),
            Just("<!--"),
            Just("-->"),
            Just("<![CDATA["),
            Just("]]>"),
            Just("<"),
            Just(">"),
            Just("\""),
            Just("'"),
            Just("&"),
            Just("[a](javascript:x)"),
            Just("[a]: javascript:x\n"),
            Just("![i](data:x)"),
            Just("<javascript:x>"),
            Just("```js\n"),
            Just("```\n"),
            Just("    code\n"),
            Just("| a | b |\n|---|:-:|\n"),
            Just("# "),
            Just("## h {#id .c onclick=x}\n"),
            Just("- [x] "),
            Just("[^1]"),
            Just("[^1]: n\n"),
            Just("~~"),
            Just("*"),
            Just("_"),
            Just("> "),
            Just("\n"),
            Just("\n\n"),
            Just("  "),
            Just("\t"),
            Just("\0"),
            Just("标题"),
        ];
        let strategy = proptest::collection::vec(
            prop_oneof![
                8 => piece.prop_map(str::to_string),
                1 => any::<String>(),
            ],
            0..30,
        )
        .prop_map(|v| v.concat());
        let md = Markdown::new();
        let mut runner = TestRunner::new(Config::with_cases(256));
        let forbidden_tags = [
            "script", "iframe", "style", "object", "embed", "form", "svg", "math", "link", "meta",
            "base",
        ];
        runner
            .run(&strategy, |source| {
                let r = md.render(&source);
                for (name, attrs) in tags(&r.html) {
                    prop_assert!(
                        !forbidden_tags.contains(&name.as_str()),
                        "<{name}> in {}",
                        r.html
                    );
                    for (attr, value) in attrs {
                        prop_assert!(!attr.starts_with("on"), "{attr} on <{name}> in {}", r.html);
                        prop_assert!(attr != "style", "style on <{name}> in {}", r.html);
                        let v = value.to_ascii_lowercase();
                        let url = v.trim_start();
                        prop_assert!(
                            !url.starts_with("javascript:") && !url.starts_with("data:"),
                            "{attr}={value} in {}",
                            r.html
                        );
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}
