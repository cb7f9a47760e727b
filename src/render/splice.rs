//! The splice: HTML put into a page after the page is minified, so the minifier never reads a
//! document's body or a list's rows.

use std::borrow::Cow;

use super::Engine;

/// HTML that is put into a page after the page is minified, in place of a marker the template
/// prints: a document's Markdown body, or a list page's rows. Either is already compact (the
/// body as pulldown-cmark writes it, the rows minified one by one), and the minifier — the
/// largest single cost of a build — then only sees the page around it.
pub(super) struct Splice<'h> {
    /// The template variable that holds the marker, then the HTML.
    pub(super) var: &'static str,
    pub(super) marker: &'static str,
    html: Html<'h>,
}

/// What a [`Splice`] puts in.
enum Html<'h> {
    Ready(&'h str),
    /// A document's Markdown body: part of its page's cache key as its source, rendered only
    /// if the page is (`rendered`, when the body already was).
    Markdown {
        source: &'h str,
        rendered: Option<&'h str>,
    },
}

impl<'h> Splice<'h> {
    pub(super) fn body(html: &'h str) -> Self {
        Splice {
            var: "body",
            marker: "\u{E000}gazette-body\u{E000}",
            html: Html::Ready(html),
        }
    }

    pub(super) fn markdown(source: &'h str, rendered: Option<&'h str>) -> Self {
        Splice {
            html: Html::Markdown { source, rendered },
            ..Splice::body("")
        }
    }

    pub(super) fn rows(html: &'h str) -> Self {
        Splice {
            var: "rows",
            marker: "\u{E000}gazette-rows\u{E000}",
            html: Html::Ready(html),
        }
    }

    /// What the page's cache key takes for the HTML.
    pub(super) fn key_parts(&self) -> [&[u8]; 2] {
        match self.html {
            Html::Ready(html) => [b"html", html.as_bytes()],
            Html::Markdown { source, .. } => [b"markdown", source.as_bytes()],
        }
    }

    /// The HTML, rendered now if it must be.
    pub(super) fn html(&self, engine: &Engine) -> Cow<'h, str> {
        match self.html {
            Html::Ready(html)
            | Html::Markdown {
                rendered: Some(html),
                ..
            } => Cow::Borrowed(html),
            Html::Markdown { source, .. } => Cow::Owned(engine.markdown.render(source).html),
        }
    }

    /// The minified page with the HTML in place of its one marker (private-use characters:
    /// nothing an editor writes, and the minifier keeps text as it is); `None` unless the
    /// marker is there exactly once.
    pub(super) fn apply(&self, minified: &[u8], html: &str) -> Option<Vec<u8>> {
        let marker = self.marker.as_bytes();
        let find = |from: usize| {
            minified[from..]
                .windows(marker.len())
                .position(|w| w == marker)
                .map(|p| p + from)
        };
        let at = find(0)?;
        if find(at + marker.len()).is_some() {
            return None;
        }
        let mut out = Vec::with_capacity(minified.len() + html.len());
        out.extend_from_slice(&minified[..at]);
        out.extend_from_slice(html.as_bytes());
        out.extend_from_slice(&minified[at + marker.len()..]);
        Some(out)
    }
}
