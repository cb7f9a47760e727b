//! Atom feeds: the whole site, each issuer, each subject. Newest first, `feed_length` entries.

use std::fmt::Write as _;

use super::xml_escape;
use crate::model::route::Urls;
use crate::model::{DocIx, Site};

/// One feed: `self_path` is its path under the site (`issuers/x/feed.xml`), `page` the HTML page
/// it mirrors, `docs` the documents in list order.
pub(crate) fn atom(
    site: &Site,
    urls: &Urls,
    title: &str,
    self_path: &str,
    page: &str,
    docs: &[DocIx],
) -> String {
    let base = site.config.base_url.as_str();
    let feed_url = format!("{base}{self_path}");
    let updated = docs
        .iter()
        .take(site.config.feed_length)
        .map(|&i| site.document(i).published)
        .max()
        .unwrap_or(site.as_of);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(&site.config.language)
    );
    let _ = writeln!(out, "  <title>{}</title>", xml_escape(title));
    let _ = writeln!(out, "  <id>{}</id>", xml_escape(&feed_url));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" href=\"{}\"/>",
        xml_escape(&feed_url)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>",
        xml_escape(base),
        xml_escape(page)
    );
    let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        xml_escape(&site.config.title)
    );
    for &i in docs.iter().take(site.config.feed_length) {
        let d = &site.document(i);
        let url = urls.absolute(&urls.document(d.id.as_str()));
        let _ = writeln!(out, "  <entry>");
        let _ = writeln!(out, "    <title>{}</title>", xml_escape(&d.title));
        let _ = writeln!(out, "    <id>{}</id>", xml_escape(&url));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_escape(&url)
        );
        let _ = writeln!(out, "    <published>{}T00:00:00Z</published>", d.published);
        let _ = writeln!(out, "    <updated>{}T00:00:00Z</updated>", d.published);
        for issuer in &d.issuers {
            let _ = writeln!(
                out,
                "    <author><name>{}</name></author>",
                xml_escape(issuer)
            );
        }
        // 洛政〔2019〕12号　现行有效　内容概述 (a status only where the kind has one).
        let mut parts: Vec<String> = Vec::new();
        if let Some(n) = &d.doc_number {
            parts.push(n.clone());
        }
        match site.shown_status(i) {
            Some((st, false)) => parts.push(st.label().to_string()),
            Some((st, true)) => parts.push(format!("所解读文件：{}", st.label())),
            None => {}
        }
        if let Some(c) = &d.consultation {
            parts.push(format!(
                "征求意见期：{}至{}（{}）",
                crate::contract::chinese_date(c.from),
                crate::contract::chinese_date(c.to),
                c.state(site.as_of).label()
            ));
        }
        if let Some(s) = &d.summary {
            parts.push(s.clone());
        }
        let summary = parts.join("\u{3000}");
        let _ = writeln!(out, "    <summary>{}</summary>", xml_escape(&summary));
        let _ = writeln!(out, "  </entry>");
    }
    out.push_str("</feed>\n");
    out
}
