//! The sanitiser's output, written directly, for a body that is Markdown and nothing else.
//!
//! ammonia makes a body safe by parsing the HTML pulldown-cmark wrote into a tree (html5ever),
//! filtering it against the allow-list and writing it out again: about a tenth of a clean
//! build's CPU time. Most bodies hold no raw HTML at all, and then every element in the HTML is
//! one pulldown-cmark made from Markdown — paragraphs, headings, lists, tables, emphasis,
//! links — each of which the allow-list keeps. For those bodies [`write`] produces what the
//! sanitiser would have: pulldown-cmark's markup and line breaks, html5ever's escaping, the
//! allow-list's changes (`rel="noopener noreferrer"` on links, no `style` on table cells, no
//! `/` in void tags) and its URL rule (a link whose address has a scheme other than http,
//! https, mailto or tel loses it). Anything else — raw HTML, images, footnotes, task lists,
//! heading attributes, a link the URL rule would change, deep nesting — is left to the
//! sanitiser (`None`). The tests check both ways give the same bytes.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

/// The schemes a link may have (as in the sanitiser's settings, `Markdown::new`).
pub(super) const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Deeper than this, the sanitiser's own nesting rules (see `nesting`) may apply.
const MAX_DEPTH: usize = 64;

/// The safe HTML of `events`, or `None` where only the sanitiser can say.
pub(super) fn write(events: &[Event]) -> Option<String> {
    let mut w = Writer {
        out: String::with_capacity(events.len() * 16),
        end_newline: true,
        in_head: false,
        depth: 0,
    };
    for event in events {
        w.event(event)?;
    }
    Some(w.out)
}

struct Writer {
    out: String,
    /// Whether the output ends with a line break (pulldown-cmark's rule for block starts).
    end_newline: bool,
    in_head: bool,
    depth: usize,
}

impl Writer {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    /// A block's start tag, on a line of its own.
    fn block(&mut self, tag: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.write(tag);
    }

    fn event(&mut self, event: &Event) -> Option<()> {
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                self.start(tag)?;
            }
            Event::End(tag) => {
                self.depth = self.depth.checked_sub(1)?;
                self.end(*tag)?;
            }
            Event::Text(t) => {
                self.text(t)?;
                self.end_newline = t.ends_with('\n');
            }
            Event::Code(t) => {
                self.write("<code>");
                self.text(t)?;
                self.write("</code>");
            }
            Event::SoftBreak => self.write("\n"),
            Event::HardBreak => self.write("<br>\n"),
            Event::Rule => self.block("<hr>\n"),
            _ => return None,
        }
        Some(())
    }

    fn start(&mut self, tag: &Tag) -> Option<()> {
        match tag {
            Tag::Paragraph => self.block("<p>"),
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                if !attrs.is_empty() {
                    return None;
                }
                self.block(&format!("<{level}"));
                if let Some(id) = id {
                    self.write(" id=\"");
                    self.attribute(id)?;
                    self.write("\"");
                }
                if !classes.is_empty() {
                    self.write(" class=\"");
                    self.attribute(&classes.join(" "))?;
                    self.write("\"");
                }
                self.write(">");
            }
            Tag::BlockQuote(None) => self.block("<blockquote>\n"),
            Tag::List(Some(1)) => self.block("<ol>\n"),
            Tag::List(Some(start)) => self.block(&format!("<ol start=\"{start}\">\n")),
            Tag::List(None) => self.block("<ul>\n"),
            Tag::Item => self.block("<li>"),
            // Cells carry no alignment: the sanitiser drops pulldown-cmark's `style` on them.
            Tag::Table(_) => self.write("<table>"),
            Tag::TableHead => {
                self.in_head = true;
                self.write("<thead><tr>");
            }
            Tag::TableRow => self.write("<tr>"),
            Tag::TableCell => self.write(if self.in_head { "<th>" } else { "<td>" }),
            Tag::Emphasis => self.write("<em>"),
            Tag::Strong => self.write("<strong>"),
            Tag::Strikethrough => self.write("<del>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let mut href = String::new();
                if *link_type == LinkType::Email {
                    href.push_str("mailto:");
                }
                href_value(&mut href, dest_url);
                if !url_kept(&href) {
                    return None;
                }
                self.write("<a href=\"");
                self.attribute(&href)?;
                if !title.is_empty() {
                    self.write("\" title=\"");
                    self.attribute(title)?;
                }
                self.write("\" rel=\"noopener noreferrer\">");
            }
            _ => return None,
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        match tag {
            TagEnd::Paragraph => self.write("</p>\n"),
            TagEnd::Heading(level) => self.write(&format!("</{level}>\n")),
            TagEnd::BlockQuote(None) => self.write("</blockquote>\n"),
            TagEnd::List(true) => self.write("</ol>\n"),
            TagEnd::List(false) => self.write("</ul>\n"),
            TagEnd::Item => self.write("</li>\n"),
            TagEnd::Table => self.write("</tbody></table>\n"),
            TagEnd::TableHead => {
                self.in_head = false;
                self.write("</tr></thead><tbody>\n");
            }
            TagEnd::TableRow => self.write("</tr>\n"),
            TagEnd::TableCell => self.write(if self.in_head { "</th>" } else { "</td>" }),
            TagEnd::Emphasis => self.write("</em>"),
            TagEnd::Strong => self.write("</strong>"),
            TagEnd::Strikethrough => self.write("</del>"),
            TagEnd::Link => self.write("</a>"),
            _ => return None,
        }
        Some(())
    }

    /// Text as html5ever writes it: `&`, `<`, `>` and no-break spaces escaped, quotes not.
    fn text(&mut self, t: &str) -> Option<()> {
        self.escaped(t, false)
    }

    /// An attribute value as html5ever writes it: `&`, `"` and no-break spaces escaped.
    fn attribute(&mut self, v: &str) -> Option<()> {
        self.escaped(v, true)?;
        self.end_newline = false;
        Some(())
    }

    /// `None` for characters html5ever's parser would change (carriage returns, NUL).
    fn escaped(&mut self, s: &str, in_attribute: bool) -> Option<()> {
        for c in s.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '\u{A0}' => self.out.push_str("&nbsp;"),
                '"' if in_attribute => self.out.push_str("&quot;"),
                '<' if !in_attribute => self.out.push_str("&lt;"),
                '>' if !in_attribute => self.out.push_str("&gt;"),
                '\r' | '\0' => return None,
                c => self.out.push(c),
            }
        }
        Some(())
    }
}

/// A link's address as pulldown-cmark writes it, once the HTML parser has read it back:
/// bytes outside its safe set percent-encoded (`&` and `'` it writes as entities, which read
/// back as themselves).
fn href_value(out: &mut String, url: &str) {
    for &b in url.as_bytes() {
        if b == b'&' || b == b'\'' || (b < 0x80 && HREF_SAFE[usize::from(b)]) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The sanitiser's URL rule: an address without a scheme stays (relative); one with a scheme
/// stays if the scheme is allowed; one that does not parse goes.
fn url_kept(href: &str) -> bool {
    match url::Url::parse(href) {
        Ok(u) => URL_SCHEMES.contains(&u.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// The ASCII bytes pulldown-cmark writes into an address as they are.
static HREF_SAFE: [bool; 128] = {
    let mut safe = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        safe[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b':'
                    | b';'
                    | b'='
                    | b'?'
                    | b'@'
                    | b'^'
                    | b'_'
                    | b'~'
            );
        b += 1;
    }
    safe
};

#[cfg(test)]
mod tests {
    use super::super::Markdown;
    use super::write;

    /// The direct HTML of `source` (if any) and the sanitiser's.
    fn both(source: &str) -> (Option<String>, String) {
        let md = Markdown::new();
        let (events, _) = md.events(source);
        (write(&events), md.sanitize(events))
    }

    #[track_caller]
    fn same(source: &str) {
        let (direct, sanitized) = both(source);
        assert_eq!(direct.as_deref(), Some(sanitized.as_str()), "{source}");
    }

    #[test]
    fn markdown_only_bodies_come_out_as_the_sanitiser_writes_them() {
        same("第一条 为了规范……\n\n第二条 本办法适用于:\n\n1. 市级;\n2. 县级。\n");
        same("# 标题\n\n## 第一章 总则\n\n正文 *强调* **加粗** ~~删除~~ `代码 <a> & \"引号\"`。\n");
        same("## 重复\n\n## 重复\n\n### 小节 {#own-id .a .b}\n");
        same("> 引用\n>\n> > 嵌套\n\n---\n\n行一  \n行二\n行三\n");
        same("3. 三\n4. 四\n\n- 甲\n  - 乙\n\n    段落\n- 丙\n");
        same("| 项目 | 金额 |\n|:--|--:|\n| A & B | 1\u{a0}000 |\n| `x` | **y** |\n");
        same(
            "[相对](../b/) [站内](/documents/x/?a=1&b=2#c) [外部](https://example.cn/路径 \"标题 & \\\"引\\\"\") [锚](#x)\n",
        );
        same(
            "<https://example.cn/a?b=c> <someone@example.cn> [电话](tel:+86-379-1234) [ok](mailto:a@b.cn)\n",
        );
        same("[空格](<a b>) [引号](a'b) [尖括号](a%3Cb) [中文](文件/甲.pdf)\n");
        same("1 < 2 > 0 & \"quoted\" 'single' &amp; &copy; &nbsp;x\n");
    }

    #[test]
    fn whatever_the_sanitiser_must_judge_is_left_to_it() {
        for source in [
            "<b>原始 HTML</b>\n",
            "段落 <span>行内</span>\n",
            "<script>alert(1)</script>\n",
            "[脚本](javascript:alert(1))\n",
            "[数据](data:text/html,x)\n",
            "![图](a.png)\n",
            "脚注[^1]\n\n[^1]: 说明\n",
            "- [x] 任务\n",
            "## 标题 {data-x=1}\n",
            "```rust\nfn main() {}\n```\n",
            "[坏地址](http://[::1)\n",
        ] {
            let (direct, _) = both(source);
            assert_eq!(direct, None, "{source}");
        }
        let deep = format!("{}x\n", "> ".repeat(100));
        assert_eq!(both(&deep).0, None, "deep nesting");
    }

    #[test]
    fn a_link_with_a_scheme_the_sanitiser_drops_never_reaches_the_page() {
        let md = Markdown::new();
        for source in [
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](vbscript:x)",
        ] {
            let html = md.render(source).html;
            assert!(!html.to_lowercase().contains("script:"), "{html}");
        }
    }

    /// Arbitrary Markdown, property-tested: wherever the direct way answers, it answers as
    /// the sanitiser does.
    #[test]
    fn arbitrary_markdown_comes_out_the_same_either_way() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let piece = prop_oneof![
            Just("| a | b |\n|---|:-:|\n"),
            Just("| c | d |\n"),
            Just("|"),
            Just("[链接](/documents/x/)"),
            Just("[t](<a b> \"q&\\\"\")"),
            Just("[x](http://a.example/c?d=e&f='g')"),
            Just("[y](HTTPS://A.example/%zz)"),
            Just("[z](ftp://x)"),
            Just("<https://example.cn/>"),
            Just("<a@b.cn>"),
            Just("[r]: /ref \"t\"\n"),
            Just("[r]"),
            Just("*"),
            Just("**"),
            Just("_"),
            Just("~~"),
            Just("`"),
            Just("> "),
            Just("1. "),
            Just("7) "),
            Just("- "),
            Just("  "),
            Just("    "),
            Just("\n"),
            Just("\n\n"),
            Just("  \n"),
            Just("\\\n"),
            Just("# "),
            Just("### "),
            Just("## h {#id .c}\n"),
            Just("---\n"),
            Just("==="),
            Just("&"),
            Just("&amp;"),
            Just("&nbsp;"),
            Just("&#0;"),
            Just("<"),
            Just(">"),
            Just("\""),
            Just("'"),
            Just("\u{a0}"),
            Just("\r\n"),
            Just("标题"),
            Just("第一条"),
        ];
        let strategy = proptest::collection::vec(
            prop_oneof![
                12 => piece.prop_map(str::to_string),
                1 => "[^<>]{0,8}",
            ],
            0..40,
        )
        .prop_map(|v| v.concat());
        let mut runner = TestRunner::new(Config::with_cases(512));
        runner
            .run(&strategy, |source| {
                let (direct, sanitized) = both(&source);
                if let Some(direct) = direct {
                    prop_assert_eq!(direct, sanitized, "{:?}", source);
                }
                Ok(())
            })
            .unwrap();
    }

    /// Every document of the sample site and the test fixtures: where the direct way answers,
    /// it answers exactly as the sanitiser does; and it answers for most of them.
    #[test]
    fn the_sample_site_renders_the_same_either_way() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut direct, mut total) = (0, 0);
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.path().extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
                let (d, sanitized) = both(body);
                total += 1;
                if let Some(d) = d {
                    assert_eq!(d, sanitized, "{}", entry.path().display());
                    direct += 1;
                }
            }
        }
        assert!(
            total > 50 && direct * 2 > total,
            "{direct} of {total} written directly"
        );
    }
}
