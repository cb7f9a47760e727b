//! The renderer's unit tests: the engine's caches and the splice of bodies and rows.
use super::*;
use crate::cache::Cache;

#[test]
fn the_default_theme_is_minified_once_not_on_every_page() {
    let theme = theme::Theme::load(Path::new("/no/site/here"), "default").unwrap();
    let sources = theme.sources().unwrap();
    for (name, text) in sources.iter().filter(|(n, _)| n.ends_with(".html")) {
        assert!(
            minify::template(text, &minify::config()).is_some(),
            "{name} cannot be minified as a template"
        );
    }
    let engine = Engine::new(&theme, Cache::disabled(), true).unwrap();
    assert!(engine.minifies_templates());
}

#[test]
fn a_body_text_comes_back_from_its_cache_entry_and_its_html_only_when_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let theme = theme::Theme::load(dir.path(), "default").unwrap();
    let engine = || {
        let cache = Cache::new(Some(dir.path().join("cache")));
        Engine::new(&theme, cache, true).unwrap()
    };
    let source = "# 第一章\n\n第一条 为了规范……\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n";
    let fresh = engine().render_markdown(source);
    let first = engine();
    assert_eq!(
        first.body_text(source),
        (fresh.text.clone(), Some(fresh.html.clone()))
    );
    assert_eq!(first.cache.hits.load(Ordering::Relaxed), 0);
    first.cache.finish();
    // The next build reads the text back instead of rendering the body.
    let next = engine();
    assert_eq!(next.body_text(source), (fresh.text, None));
    assert_eq!(next.cache.hits.load(Ordering::Relaxed), 1);
    // Its page renders the HTML when it needs it, the same HTML.
    let splice = Splice::markdown(source, None);
    assert_eq!(splice.html(&next), fresh.html);
    assert_eq!(
        splice.key_parts(),
        Splice::markdown(source, Some(&fresh.html)).key_parts(),
        "rendered now or not, the page's key is the same"
    );
}

#[test]
fn the_body_replaces_its_one_marker() {
    let body = Splice::body("<p>第一条\n<p>第二条");
    let page = format!("<main><div class=doc-body>{}</div></main>", body.marker);
    let out = body.apply(page.as_bytes(), "<p>第一条\n<p>第二条").unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "<main><div class=doc-body><p>第一条\n<p>第二条</div></main>"
    );
}

#[test]
fn no_marker_or_two_markers_mean_no_splice() {
    let rows = Splice::rows("x");
    assert!(rows.apply(b"<main></main>", "x").is_none());
    let twice = format!("{0}<hr>{0}", rows.marker);
    assert!(rows.apply(twice.as_bytes(), "x").is_none());
    // A body's marker is not a list's.
    let body_marker = Splice::body("").marker;
    assert!(rows.apply(body_marker.as_bytes(), "x").is_none());
}

#[test]
fn the_minifier_keeps_the_markers_intact() {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    for splice in [Splice::body("<p>正文</p>"), Splice::rows("<li>一</li>")] {
        let html = format!("<div class=\"x\">\n   {}\n  </div>", splice.marker);
        let min = minify_html::minify(html.as_bytes(), &cfg);
        assert!(splice.apply(&min, "y").is_some());
    }
}
