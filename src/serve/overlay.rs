//! What the dev server adds to every HTML page it serves: the live-reload script and, while the
//! content has errors, the error overlay.
//!
//! Both are injected by the server into the HTML as it is sent — the built files are never
//! touched, so the folder being served is exactly what `gazette build` would publish. The pages
//! carry a strict CSP (`default-src 'self'`), so nothing is inline: the script and the stylesheet
//! are external files under `/__gazette/`. The overlay is plain HTML (a `<details>` element the
//! editor can fold away), so it shows even with JavaScript off.

use std::path::Path;

use crate::diag::{Diagnostic, render};

/// Reloads the page when the site was rebuilt (server-sent events).
pub const LIVE_JS: &str = include_str!("live.js");
/// Styles the overlay.
pub const OVERLAY_CSS: &str = include_str!("overlay.css");

/// How many diagnostics the overlay lists (the terminal shows them all).
const MAX_SHOWN: usize = 50;

/// The overlay for a failed build: every diagnostic as the terminal shows it (file:line:column,
/// the source line, the hint), escaped.
pub fn html(diags: &[Diagnostic], root: &Path) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut out = String::from(
        "<details id=\"gazette-overlay\" class=\"gazette-overlay\" open role=\"alert\">",
    );
    out.push_str(&format!(
        "<summary>gazette：内容有 {errors} 个错误，网站没有更新</summary><div class=\"gazette-overlay-body\">"
    ));
    out.push_str(
        "<p>下面显示的是上一次成功生成的网站。改正这些错误并保存，页面会自动恢复。</p><ol>",
    );
    for d in diags.iter().take(MAX_SHOWN) {
        out.push_str("<li><pre>");
        out.push_str(&escape(render::human(d, root, false).trim_end()));
        out.push_str("</pre></li>");
    }
    out.push_str("</ol>");
    if diags.len() > MAX_SHOWN {
        out.push_str(&format!(
            "<p>另有 {} 个问题，见终端。</p>",
            diags.len() - MAX_SHOWN
        ));
    }
    out.push_str("</div></details>");
    out
}

/// `html` with the live-reload script and stylesheet before `</head>` and the overlay (if any)
/// right after `<body …>`. `version` is the site version the page belongs to: the script asks
/// the server to reload as soon as the site is newer, so a rebuild between this response and the
/// script's connection is not missed.
pub fn inject(html: &str, version: &str, overlay: Option<&str>) -> String {
    let head = head_tags(version);
    let parts = injected(html.as_bytes(), &head, overlay);
    // The parts are cut at ASCII tags of a `str`: still UTF-8.
    String::from_utf8(parts.concat()).unwrap_or_default()
}

/// What goes before `</head>`: the stylesheet and the live-reload script for `version`.
pub fn head_tags(version: &str) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"/__gazette/overlay.css\"><script src=\"/__gazette/live.js?v={}\" defer></script>",
        escape(version)
    )
}

/// [`inject`] as five slices to send one after another, without copying the page (the server
/// writes them with one vectored write): `html` up to `</head>`, `head`, on to the end of the
/// `<body …>` tag, the overlay, the rest. Tags are found ignoring ASCII case, in bytes.
pub fn injected<'a>(html: &'a [u8], head: &'a str, overlay: Option<&'a str>) -> [&'a [u8]; 5] {
    let overlay = overlay.unwrap_or("").as_bytes();
    match places(html) {
        Some((h, b)) => [
            &html[..h],
            head.as_bytes(),
            &html[h..b],
            overlay,
            &html[b..],
        ],
        // Not a whole document: put everything first, where browsers still honour it.
        None => [head.as_bytes(), overlay, html, b"", b""],
    }
}

/// Where [`injected`] puts the head tags (at `</head>`) and the overlay (after `<body …>`), if
/// `html` has both in that order. Both are found in the first kilobytes of a page: the server
/// reads only those (`http::send_page`).
pub fn places(html: &[u8]) -> Option<(usize, usize)> {
    let head_at = find_ignoring_case(html, b"</head>", 0)?;
    let body_at = find_ignoring_case(html, b"<body", head_at)?;
    let body_end = body_at + html[body_at..].iter().position(|&b| b == b'>')? + 1;
    Some((head_at, body_end))
}

/// The first `needle` (lower-case ASCII) in `hay` at or after `from`, ignoring ASCII case.
fn find_ignoring_case(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let at = hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|b| b.to_ascii_lowercase() == first)?;
        i += at;
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A page for when there is nothing to serve yet (the first build failed).
pub fn empty_page(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body><h1>{0}</h1></body></html>",
        escape(title)
    )
}

pub use crate::markdown::escape;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Pos};

    #[test]
    fn the_script_goes_in_the_head_and_the_overlay_first_in_the_body() {
        let page = "<!DOCTYPE html><html><HEAD><title>t</title></HEAD><body class=\"x\"><p>hi</p></body></html>";
        let out = inject(
            page,
            "1-2",
            Some("<details id=\"gazette-overlay\"></details>"),
        );
        let script = out.find("/__gazette/live.js?v=1-2").unwrap();
        let head_end = out.find("</HEAD>").unwrap();
        let overlay = out.find("gazette-overlay").unwrap();
        let body = out.find("<body class=\"x\">").unwrap();
        let text = out.find("<p>hi</p>").unwrap();
        assert!(
            script < head_end && body < overlay && overlay < text,
            "{out}"
        );
        assert!(!inject(page, "1", None).contains("gazette-overlay\""));
    }

    #[test]
    fn tags_are_found_in_any_case_up_to_the_last_byte() {
        assert_eq!(find_ignoring_case(b"x</HeAd>", b"</head>", 0), Some(1));
        assert_eq!(find_ignoring_case(b"<</head>", b"</head>", 0), Some(1));
        assert_eq!(
            find_ignoring_case(b"</head></head>", b"</head>", 1),
            Some(7)
        );
        assert_eq!(find_ignoring_case(b"</hea", b"</head>", 0), None);
        assert_eq!(find_ignoring_case(b"", b"</head>", 0), None);
        let parts = injected(b"<html><head></head><BODY>x", "H", Some("O"));
        assert_eq!(parts.concat(), b"<html><head>H</head><BODY>Ox");
        let parts = injected("<head>文</head><body>字".as_bytes(), "H", None);
        assert_eq!(parts.concat(), "<head>文H</head><body>字".as_bytes());
    }

    #[test]
    fn fragments_still_get_the_script() {
        let out = inject("<p>x</p>", "v", None);
        assert!(out.starts_with("<link rel=\"stylesheet\" href=\"/__gazette/overlay.css\">"));
        assert!(out.ends_with("<p>x</p>"));
    }

    #[test]
    fn the_overlay_shows_file_line_and_escapes_content() {
        let d = Diagnostic::new(Code::UnknownKey, "未知的键 `<script>`")
            .in_file("content/documents/x.md")
            .at(Some(Pos::new(7, 1)))
            .hint("是否应为 `expires`?");
        let html = html(&[d], Path::new("/nonexistent"));
        assert!(html.contains("content/documents/x.md:7:1"), "{html}");
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains("是否应为 `expires`?"));
        assert!(html.contains("1 个错误"));
    }
}
