//! Machine-readable output: open data (JSON, CSV), Atom feeds, sitemap, robots.txt.
//!
//! Everything here is generated from the [`Site`] directly (no templates): formats with exact
//! escaping rules are safer written by code than by hand-edited templates.

pub(crate) mod data;
pub(crate) mod feeds;

use std::fmt::Write as _;

use crate::model::Site;
use crate::model::route::Urls;

/// XML text escaping (also for attribute values).
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids: drop them rather than write an invalid feed.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// `/sitemap.xml`: every HTML page the build wrote, as absolute URLs, sorted.
pub(crate) fn sitemap(site: &Site, pages: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let _ = writeln!(
            out,
            "  <url><loc>{}{}</loc></url>",
            xml_escape(site.config.base_url.as_str()),
            xml_escape(p)
        );
    }
    out.push_str("</urlset>\n");
    out
}

pub(crate) fn robots(site: &Site, urls: &Urls) -> String {
    let _ = urls;
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    )
}
