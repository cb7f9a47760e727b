//! Hostile content: raw HTML in bodies, front-matter values that break out of their format, and
//! documents that must never be published.

use super::{between, build_ok, expect, expect_rejected, site, tree};
use crate::harness::{files, read};

/// The tags of an HTML page as a browser would tokenise them: quoted attribute values, comments
/// and the text of `title`, `textarea`, `script` and `style` are skipped whole, so `<` inside
/// them is not mistaken for a tag. `(name, [(attribute, value)])`, names lower-cased.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let lower = html.to_ascii_lowercase();
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<').map(|n| i + n) {
        i = at + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(b.len(), |n| i + n + 3);
            continue;
        }
        if b.get(i) == Some(&b'!') || b.get(i) == Some(&b'/') {
            i = html[i..].find('>').map_or(b.len(), |n| i + n + 1);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue; // a bare `<` in text
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(b.len(), |n| i + n);
        let name = lower[i..name_end].to_string();
        i = name_end;
        let mut attrs = Vec::new();
        while i < b.len() && b[i] != b'>' {
            if b[i].is_ascii_whitespace() || b[i] == b'/' {
                i += 1;
                continue;
            }
            let end = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '=')
                .map_or(b.len(), |n| i + n);
            let attr = lower[i..end].to_string();
            i = end;
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                match b.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let close = html[i + 1..].find(q as char).map_or(b.len(), |n| i + 1 + n);
                        value = html[i + 1..close].to_string();
                        i = close + 1;
                    }
                    _ => {
                        let close = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(b.len(), |n| i + n);
                        value = html[i..close].to_string();
                        i = close;
                    }
                }
            }
            attrs.push((attr, value));
        }
        i += 1;
        if ["title", "textarea", "script", "style"].contains(&name.as_str()) {
            let close = format!("</{name}");
            i = lower[i..].find(&close).map_or(b.len(), |n| i + n);
        }
        out.push((name, attrs));
    }
    out
}

/// What no page may carry, whatever its content: script or style from content, frames,
/// plugins, forms, event handlers, inline styles, `javascript:`/`data:` URLs.
fn assert_safe_page(page: &str, what: &str) {
    for (name, attrs) in tags(page) {
        assert!(
            !["iframe", "object", "embed", "svg", "math", "base", "style"].contains(&name.as_str()),
            "<{name}> in {what}"
        );
        if name == "form" {
            // The theme's own search form only.
            assert!(
                attrs.iter().any(|(a, v)| a == "action" && v == "/search/"),
                "a form in {what}: {attrs:?}"
            );
        }
        if name == "script" {
            let theme_script = attrs.iter().any(|(a, v)| {
                a == "src" && v.starts_with('/') || a == "type" && v == "application/ld+json"
            });
            assert!(theme_script, "an inline script in {what}: {attrs:?}");
        }
        if name == "meta" {
            assert!(
                !attrs
                    .iter()
                    .any(|(a, v)| a == "http-equiv" && v.eq_ignore_ascii_case("refresh")),
                "meta refresh in {what}"
            );
        }
        for (attr, value) in &attrs {
            assert!(!attr.starts_with("on"), "{attr} on <{name}> in {what}");
            assert!(attr != "style", "style on <{name}> in {what}");
            let v = value.trim_start().to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:") && !v.starts_with("data:"),
                "{attr}={value} on <{name}> in {what}"
            );
        }
    }
}

#[test]
fn raw_html_in_a_body_is_cut_down_to_the_allow_list() {
    let s = site("raw-html");
    // As the templates wrote it: the sanitised body, byte for byte.
    let plain = s.path().join("plain");
    build_ok(s.path(), &plain, &["--no-minify"]);
    let page = read(plain.join("documents/raw-html/index.html"));
    let body = between(&page, "<div class=\"doc-body\">", "\n  </div>\n");
    expect(
        "raw-html",
        "expected-body.html",
        &format!("{}\n", body.trim()),
    );

    // As published (minified): no page of the site carries anything the allow-list refuses,
    // and the payloads' own markers are nowhere in any file.
    let out = s.path().join("public");
    build_ok(s.path(), &out, &[]);
    let files = tree(&out);
    assert!(files.len() > 20, "a whole site was built");
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let what = path.display().to_string();
        if what.ends_with(".html") {
            assert_safe_page(&text, &what);
        }
        for marker in [
            "CANARY-SCRIPT",
            "alert(",
            "evil.example",
            "display:none",
            "formaction",
            "xlink:href",
            "password",
        ] {
            assert!(!text.contains(marker), "{marker} in {what}");
        }
    }
    // The published page carries the same sanitised body (bodies are spliced in after
    // minifying): the table, image and links the allow-list keeps.
    let page = read(out.join("documents/raw-html/index.html"));
    assert!(page.contains(body.trim()), "{page}");
    for kept in [
        "<td>1</td>",
        "<a href=\"https://example.cn/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">正常链接</a>",
        "<img src=\"images/%E5%9B%BE.png\" alt=\"图片\" title=\"标题\">",
    ] {
        assert!(body.contains(kept), "{kept} lost:\n{body}");
    }
}

const TITLE: &str =
    "=HYPERLINK(\"https://evil.example/\",\"点击\")</title><script>alert('t')</script>&amp;";
const SOURCE: &str = "-2+3 </title><script>x</script>";

#[test]
fn front_matter_values_are_escaped_for_every_format() {
    let s = site("front-matter-escaping");
    let plain = s.path().join("plain");
    build_ok(s.path(), &plain, &["--no-minify"]);

    // HTML: text and attribute values entity-escaped where the templates put them.
    let title_html = "=HYPERLINK(&quot;https://evil.example/&quot;,&quot;点击&quot;)&lt;/title&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;&amp;amp;";
    let summary_html = "+1 &lt;img src=x onerror=alert(1)&gt; ]]&gt; &quot;引号&quot; &#39;single&#39; &amp; &lt;/script&gt;&lt;!--";
    let page = read(plain.join("documents/escaping/index.html"));
    for exact in [
        format!("<title>{title_html} - 测试公报</title>"),
        format!("<h1 id=\"doc-title\" class=\"doc-heading\">{title_html}</h1>"),
        format!("<meta name=\"description\" content=\"{summary_html}\">"),
        format!("<meta property=\"og:title\" content=\"{title_html}\">"),
        "<dt>来源</dt><dd>-2+3 &lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</dd>".to_string(),
        "<dt>备案号</dt><dd>@SUM(A1:A9)</dd>".to_string(),
        "<dt>索引号</dt><dd>\t=1+1</dd>".to_string(),
    ] {
        assert!(page.contains(&exact), "missing {exact}");
    }
    let list = read(plain.join("documents/index.html"));
    assert!(list.contains(&format!("<p class=\"doc-summary\">{summary_html}</p>")));

    // JSON-LD inside <script>: `<` written as \u003c, so no `</script>` can end it early.
    let ld = between(&page, "<script type=\"application/ld+json\">", "</script>");
    assert!(!ld.contains('<'), "{ld}");
    assert!(ld.contains(
        r#""name":"=HYPERLINK(\"https://evil.example/\",\"点击\")\u003c/title>\u003cscript>alert('t')\u003c/script>&amp;""#
    ));
    let v: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(v["name"], TITLE);

    // JSON: the open-data export and the search index round-trip the exact values.
    let data: serde_json::Value =
        serde_json::from_str(&read(plain.join("data/documents.json"))).unwrap();
    let row = &data["documents"][0];
    assert_eq!(row["title"], TITLE);
    assert_eq!(row["source"], SOURCE);
    assert_eq!(row["record_number"], "@SUM(A1:A9)");
    let store = files(&plain.join("search"))
        .into_iter()
        .find(|f| f.to_string_lossy().contains("/d/"))
        .expect("a search document store");
    // Stored gzip-compressed; the snippet source is the body's start.
    let gz = std::fs::read(plain.join("search").join(store)).unwrap();
    let store: serde_json::Value =
        serde_json::from_reader(flate2::read::GzDecoder::new(&gz[..])).unwrap();
    let record = store[0].as_array().unwrap();
    assert_eq!(record[1], TITLE);
    assert_eq!(record.last().unwrap(), "正文。");

    // XML: the feeds escape all five characters (`]]>` can never end a section).
    let feed = read(plain.join("feed.xml"));
    assert!(feed.contains("<title>=HYPERLINK(&quot;https://evil.example/&quot;,&quot;点击&quot;)&lt;/title&gt;&lt;script&gt;alert(&apos;t&apos;)&lt;/script&gt;&amp;amp;</title>"), "{feed}");
    assert!(feed.contains("<summary>现行有效\u{3000}+1 &lt;img src=x onerror=alert(1)&gt; ]]&gt; &quot;引号&quot; &apos;single&apos; &amp; &lt;/script&gt;&lt;!--</summary>"), "{feed}");
    assert!(!feed.contains("]]>") && !feed.contains("<script"), "{feed}");

    // CSV: formula cells get a leading `'`; quotes doubled; the row exactly.
    let csv = read(plain.join("data/documents.csv"));
    let row = csv.split("\r\n").nth(1).unwrap();
    assert_eq!(
        row,
        // index_no and summary are exported too (legal-model.md §4), neutralised like the rest.
        "escaping,\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"点击\"\")</title><script>alert('t')</script>&amp;\",policy,,'\t=1+1,,洛阳市人民政府,,2024-01-02,2024-01-02,,in_force,,https://test.example.cn/documents/escaping/,\"'+1 <img src=x onerror=alert(1)> ]]> \"\"引号\"\" 'single' & </script><!--\",,政务公开,,,'@SUM(A1:A9),,'-2+3 </title><script>x</script>,,,,,,,,,,"
    );

    // Published (minified): every page still tokenises without a script, handler or frame
    // from the values.
    let out = s.path().join("public");
    build_ok(s.path(), &out, &[]);
    for (path, bytes) in tree(&out) {
        if path.extension().is_some_and(|e| e == "html") {
            assert_safe_page(
                &String::from_utf8_lossy(&bytes),
                &path.display().to_string(),
            );
        }
    }
}

/// Every canary planted in the non-public documents of the case, in their fields, bodies,
/// attachment names and attachment bytes.
const CANARIES: &[&str] = &[
    "canary",
    "CANARY",
    "901号",
    "902号",
    "依申请公开标题",
    "不公开标题",
    "不公开文件的解读",
];

#[test]
fn non_public_documents_leave_no_trace_in_any_output_file() {
    let s = site("non-public-canary");
    let out = s.path().join("public");
    build_ok(s.path(), &out, &[]);
    let files = tree(&out);
    // The public document is there (the test would pass vacuously on an empty site).
    assert!(out.join("documents/public-notice/index.html").is_file());
    assert!(out.join("gazette/2024/01/index.html").is_file());
    assert!(out.join("404.html").is_file());
    let data: serde_json::Value =
        serde_json::from_str(&read(out.join("data/documents.json"))).unwrap();
    assert_eq!(data["documents"].as_array().unwrap().len(), 1);
    // An issue that only non-public documents name gets no page.
    assert!(!out.join("gazette/2024/02").exists());
    for (path, bytes) in &files {
        let name = path.to_string_lossy();
        let text = String::from_utf8_lossy(bytes);
        for canary in CANARIES {
            assert!(!name.contains(canary), "{canary} in the file name {name}");
            assert!(!text.contains(canary), "{canary} in {name}");
        }
    }
}

#[test]
fn a_public_page_naming_a_non_public_document_is_an_error() {
    let s = site("non-public-links");
    expect_rejected("non-public-links", s.path());
}
