//! Inputs built to exhaust the parser: alias bombs, 50 MB, 10 000-deep nesting, bytes that are
//! not UTF-8, byte-order marks, foreign line endings, empty files, front matter that never ends.
//! Each gets its diagnostic or works; none panics, overflows its stack or hangs.

use super::{between, build, build_ok, doc, expect, expect_rejected, site, tree, write};
use crate::harness::{check_lines, read, stderr};

#[test]
fn a_yaml_alias_bomb_is_a_limit_error() {
    let s = site("alias-bomb");
    // Nine levels of nine aliases each: 9^9 = 387 420 489 strings if expanded.
    let mut y = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        y.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    y.push_str("title: 炸弹\n---\n正文。\n");
    write(s.path(), "content/documents/bomb.md", y);
    expect_rejected("alias-bomb", s.path());
}

/// About 50 MB of paragraphs, numbered, the last one marked.
fn fifty_megabytes() -> String {
    let mut body = String::with_capacity(50 << 20);
    let mut n = 0;
    while body.len() < 50 << 20 {
        body.push_str(&format!(
            "第{n}段。洛阳市人民政府关于进一步加强政务公开工作的通知,各县(市、区)人民政府,市人民政府各部门。\n\n"
        ));
        n += 1;
    }
    body.push_str("文末标记-END-OF-50-MB\n");
    body
}

#[test]
fn a_50_mb_document_is_published_whole() {
    let s = site("huge-document");
    let body = fifty_megabytes();
    write(s.path(), "content/documents/huge.md", doc("", &body));
    assert!(
        std::fs::metadata(s.path().join("content/documents/huge.md"))
            .unwrap()
            .len()
            > 50 << 20
    );
    let out = s.path().join("public");
    build_ok(s.path(), &out, &[]);
    let page = read(out.join("documents/huge/index.html"));
    assert!(page.contains("<p>第0段。"), "the first paragraph");
    assert!(
        page.contains("<p>文末标记-END-OF-50-MB</p>"),
        "the last paragraph"
    );
    assert!(page.len() > 50 << 20);
}

#[test]
fn a_50_mb_front_matter_value_is_a_limit_error() {
    let s = site("huge-document");
    let title = "标".repeat((50 << 20) / 3);
    write(
        s.path(),
        "content/documents/huge-title.md",
        format!("---\ntitle: {title}\nkind: policy\n---\n正文。\n"),
    );
    let (code, got) = check_lines(s.path());
    assert_eq!(code, 1);
    expect("huge-document", "expected-front-matter.txt", &got);
}

#[test]
fn nesting_10000_deep_in_front_matter_is_a_limit_error() {
    let s = site("deep-nesting");
    let n = 10_000;
    let fm = |yaml: String| format!("---\n{yaml}\ntitle: 深\n---\n正文。\n");
    write(
        s.path(),
        "content/documents/flow-list.md",
        fm(format!("x: {}1{}", "[".repeat(n), "]".repeat(n))),
    );
    write(
        s.path(),
        "content/documents/flow-map.md",
        fm(format!("x: {}1{}", "{a: ".repeat(n), "}".repeat(n))),
    );
    write(
        s.path(),
        "content/documents/block-list.md",
        fm(format!("x:\n{}1", "- ".repeat(n))),
    );
    expect_rejected("deep-nesting", s.path());
}

/// How deep element nesting may go in a body (`markdown::nesting::MAX_NESTING`).
const MAX_NESTING: usize = 256;

#[test]
fn nesting_10000_deep_in_a_body_renders_flattened_below_a_bound() {
    let s = site("deep-nesting");
    let n = 10_000;
    // (document, body, tag counted, how many the published body keeps)
    let bodies = [
        (
            "quotes",
            format!("{} 深\n", ">".repeat(n)),
            "<blockquote>",
            MAX_NESTING,
        ),
        (
            "lists",
            format!("{}深\n", "- ".repeat(n)),
            "<ul>",
            MAX_NESTING / 2,
        ),
        (
            "divs",
            format!("{}深{}\n", "<div>".repeat(n), "</div>".repeat(n)),
            "<div>",
            MAX_NESTING,
        ),
        // Inside the paragraph Markdown makes: one level less.
        (
            "spans",
            format!("x{}深{}\n", "<span>".repeat(n), "</span>".repeat(n)),
            "<span>",
            MAX_NESTING - 1,
        ),
        (
            "brackets",
            format!("{}深{}\n", "[".repeat(n), "](x)".repeat(n)),
            "<a ",
            1,
        ),
        (
            "emphasis",
            format!("{}深{}\n", "*".repeat(n), "*".repeat(n)),
            "<strong>",
            MAX_NESTING - 1,
        ),
    ];
    for (name, body, _, _) in &bodies {
        write(
            s.path(),
            &format!("content/documents/{name}.md"),
            doc("", body),
        );
    }
    let out = s.path().join("public");
    build_ok(s.path(), &out, &["--no-minify"]);
    for (name, _, tag, kept) in &bodies {
        let page = read(out.join(format!("documents/{name}/index.html")));
        let body = between(&page, "<div class=\"doc-body\">", "\n  </div>\n");
        assert!(body.contains('深'), "{name}: the innermost text");
        assert_eq!(body.matches(tag).count(), *kept, "{name}: {tag}");
    }
}

#[test]
fn formatting_left_open_does_not_multiply_across_paragraphs() {
    let s = site("deep-nesting");
    // 250 distinct unclosed `<b>`s, then 8 000 paragraphs: a parser re-opens every `<b>` in
    // every paragraph (39 MB of HTML from 35 KB) unless each is closed where its block ends.
    let mut body = String::new();
    for i in 0..250 {
        body.push_str(&format!("<b class=c{i}>"));
    }
    body.push_str(&"<p>x".repeat(8_000));
    body.push('\n');
    write(s.path(), "content/documents/bold.md", doc("", &body));
    let out = s.path().join("public");
    build_ok(s.path(), &out, &["--no-minify"]);
    let page = read(out.join("documents/bold/index.html"));
    let published = between(&page, "<div class=\"doc-body\">", "\n  </div>\n");
    assert_eq!(published.matches("<b class=").count(), 250, "each <b> once");
    assert_eq!(published.matches("<p>x</p>").count(), 8_000);
    assert!(
        published.len() < 3 * body.len(),
        "{} bytes from {}",
        published.len(),
        body.len()
    );
}

#[test]
fn bytes_that_are_not_utf8_are_encoding_errors_at_their_place() {
    let s = site("invalid-utf8");
    let root = s.path();
    let front = b"---\ntitle: \xe6\xa0\x87\xff\nkind: policy\n---\n".to_vec();
    write(root, "content/documents/front.md", front);
    let mut body = doc("", "正文第一行\n").into_bytes();
    body.extend_from_slice(b"\xe7\xac\xac\xc3(\n");
    write(root, "content/documents/body.md", body);
    let mut truncated = doc("", "正文").into_bytes();
    truncated.extend_from_slice(b"\xe6\x96");
    write(root, "content/documents/truncated.md", truncated);
    // 标题 in GBK, as a Windows editor in a Chinese locale saves it.
    write(
        root,
        "content/documents/gbk.md",
        b"---\ntitle: \xb1\xea\xcc\xe2\n---\n",
    );
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            "---\ntitle: 标题\n---\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    write(root, "content/documents/utf16.md", utf16);
    write(
        root,
        "content/pages/latin1.md",
        b"---\ntitle: caf\xe9\n---\n",
    );
    write(
        root,
        "content/gazette/2024-01.md",
        b"---\npublished: 2024-01-05\n---\n\x80\n",
    );
    expect_rejected("invalid-utf8", root);
}

#[test]
fn a_byte_order_mark_is_tolerated_and_positions_stay_right() {
    let s = site("bom");
    let root = s.path();
    let bom = "\u{feff}";
    write(
        root,
        "content/documents/bom.md",
        format!(
            "{bom}---\ntitle: 带 BOM 的文件\nkind: policy\nissuer: 洛阳市人民政府\npublished: 2024-01-02\n---\n正文。\n"
        ),
    );
    let out = root.join("public");
    build_ok(root, &out, &["--no-minify"]);
    let page = read(out.join("documents/bom/index.html"));
    assert!(
        page.contains("<title>带 BOM 的文件 - 测试公报</title>"),
        "{page}"
    );
    for (path, bytes) in tree(&out) {
        // The CSV export starts with its own BOM, for Excel; none may come from content.
        let bytes = match path.to_str() {
            Some("data/documents.csv") => bytes[3..].to_vec(),
            _ => bytes,
        };
        assert!(
            !String::from_utf8_lossy(&bytes).contains(bom),
            "a BOM in {}",
            path.display()
        );
    }
    // With a mistake on line 6 and on line 7, column 12, of a file with a BOM.
    write(
        root,
        "content/documents/bom-error.md",
        format!(
            "{bom}---\ntitle: 带 BOM 的文件\nkind: policy\nissuer: 洛阳市人民政府\npublished: 2024-01-02\nexpire: 2026-01-01\neffective: 2024-02-30\n---\n"
        ),
    );
    write(
        root,
        "content/documents/bom-twice.md",
        format!("{bom}{bom}---\ntitle: x\n---\n"),
    );
    std::fs::remove_dir_all(&out).unwrap();
    expect_rejected("bom", root);
}

#[test]
fn crlf_and_cr_line_endings_work_and_keep_positions() {
    let s = site("crlf");
    let root = s.path();
    let lf = doc("summary: 摘要\n", "第一段。\n\n第二段。\n");
    write(root, "content/documents/crlf.md", lf.replace('\n', "\r\n"));
    write(root, "content/documents/cr.md", lf.replace('\n', "\r"));
    let out = root.join("public");
    build_ok(root, &out, &["--no-minify"]);
    for name in ["crlf", "cr"] {
        let page = read(out.join(format!("documents/{name}/index.html")));
        assert!(
            !page.contains('\r'),
            "{name}: a carriage return in the page"
        );
        assert!(
            page.contains("<p>第一段。</p>\n<p>第二段。</p>"),
            "{name}: {page}"
        );
        assert!(
            page.contains("<meta name=\"description\" content=\"摘要\">"),
            "{name}"
        );
    }
    // The same mistakes, on the same lines and columns, whatever the line endings.
    let bad = doc("expire: 2026-01-01\neffective: 2024-02-30\n", "正文。\n");
    write(root, "content/documents/lf-error.md", &bad);
    write(
        root,
        "content/documents/crlf-error.md",
        bad.replace('\n', "\r\n"),
    );
    write(
        root,
        "content/documents/cr-error.md",
        bad.replace('\n', "\r"),
    );
    std::fs::remove_dir_all(&out).unwrap();
    expect_rejected("crlf", root);
}

#[test]
fn empty_documents_are_errors() {
    let s = site("empty-file");
    expect_rejected("empty-file", s.path());
}

#[test]
fn front_matter_without_its_closing_line_is_an_error() {
    let s = site("front-matter-unclosed");
    expect_rejected("front-matter-unclosed", s.path());
    // The human form names the file and the first line.
    let o = build(s.path(), &s.path().join("public"), &[]);
    assert!(
        stderr(&o).contains("--> content/documents/no-close.md:1:1"),
        "{}",
        stderr(&o)
    );
}
