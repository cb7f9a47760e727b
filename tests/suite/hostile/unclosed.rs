//! A tag or comment opened in a body and never closed must not take the rest of a regulation
//! with it (issue 16): the rest is published, and `check` says where the tag is.

use super::{build_ok, expect, site};
use crate::harness::{check_lines, read};

const CASES: &[&str] = &[
    "style",
    "script",
    "template",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noscript",
    "plaintext",
    "details",
    "comment",
    "inline",
];

#[test]
fn an_unclosed_tag_does_not_swallow_the_rest_of_the_body() {
    let s = site("unclosed-html");
    let (code, got) = check_lines(s.path());
    assert_eq!(code, 0, "warnings only:\n{got}");
    expect("unclosed-html", "expected.txt", &got);
    let out = s.path().join("public");
    build_ok(s.path(), &out, &["--no-minify"]);
    for case in CASES {
        let page = read(out.join(format!("documents/unclosed-{case}/index.html")));
        let body = page
            .split("<div class=\"doc-body\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{case}: no body"));
        for kept in [
            "第二条 本办法适用于本市行政区域。",
            &format!("SURVIVES-{}", case.to_uppercase()),
        ] {
            assert!(body.contains(kept), "{case}: {kept} was swallowed:\n{body}");
        }
        // Not hidden either: no `<details>` around it, nothing left open.
        assert!(!body.contains("<details>"), "{case}:\n{body}");
        assert!(!body.contains("<template"), "{case}:\n{body}");
    }
}
