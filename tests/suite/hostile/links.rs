//! Attachments (issue 16): files a browser would run on the site's origin are refused, and
//! every link of every page resolves to a file of the site — attachment names with `#`, `?`,
//! `%` and spaces included.

use std::path::Path;

use super::{build_ok, doc, expect_rejected, readme, site, write};
use crate::harness::{files, read, sample_site};

#[test]
fn attachments_a_browser_would_run_are_refused() {
    let s = site("active-attachments");
    expect_rejected("active-attachments", s.path());
}

/// Names that a URL would misread, each written to the attachment and the PDF.
const NAMES: &[&str] = &[
    "附件 1.pdf",
    "表#2.xlsx",
    "问?.pdf",
    "增长100%.docx",
    "a b#c?d%e.pdf",
    "引\"号'.pdf",
    "%E4%B8%AD.pdf",
];

#[test]
fn attachment_links_are_encoded_and_every_link_resolves() {
    readme("attachment-names");
    let s = site("attachment-names");
    let root = s.path();
    let list: String = NAMES
        .iter()
        .map(|n| format!("  - '{}'\n", n.replace('\'', "''")))
        .collect();
    write(
        root,
        "content/documents/names.md",
        doc(&format!("attachments:\n{list}"), "正文。\n"),
    );
    for n in NAMES {
        write(root, &format!("content/documents/{n}"), format!("FILE {n}"));
    }
    write(
        root,
        "content/gazette/2024-01.md",
        "---\npublished: 2024-01-15\npdf: '2024 #1?.pdf'\n---\n",
    );
    write(root, "content/gazette/2024 #1?.pdf", "PDF");
    for minify in [false, true] {
        let out = root.join(if minify { "min" } else { "plain" });
        build_ok(root, &out, if minify { &[] } else { &["--no-minify"] });
        let page = read(out.join("documents/names/index.html"));
        for n in NAMES {
            // The link is there, and it leads to the file with the name's bytes.
            let href = href_of(&page, n);
            let target = href
                .strip_prefix('/')
                .and_then(|rel| resolve_in(&out, "", rel))
                .unwrap_or_else(|| panic!("the link {href} to {n} does not resolve"));
            assert_eq!(read(&target), format!("FILE {n}"));
        }
        check_links(&out, "https://test.example.cn/");
    }
}

#[test]
fn every_link_of_the_sample_site_resolves() {
    let site = sample_site();
    let out = site.path().join("public");
    build_ok(site.path(), &out, &[]);
    let checked = check_links(&out, "https://gazette.example.cn/");
    assert!(checked > 1000, "only {checked} links checked");
}

/// The href of the link whose text, or whose `download` file name, is `text` (an attachment
/// is shown by its title and downloads under its file name).
fn href_of(page: &str, text: &str) -> String {
    let mut from = 0;
    while let Some(i) = page[from..].find("<a ") {
        let tag = from + i;
        let close = tag + page[tag..].find('>').expect("a tag ends");
        let end = close + page[close..].find("</a>").expect("a link ends");
        from = end;
        let download = page[tag..close]
            .find("download=")
            .map(|d| attribute_value(&page[tag + d + 9..close]).0);
        if entities(&page[close + 1..end]) != text && download.as_deref() != Some(text) {
            continue;
        }
        let href = page[tag..close].find("href=").expect("an href") + tag + 5;
        return attribute_value(&page[href..close]).0;
    }
    panic!("no link to {text}")
}

/// Text or an attribute value with its character references decoded.
fn entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An attribute value at the start of `s` (quoted or not), references decoded; its length.
fn attribute_value(s: &str) -> (String, usize) {
    let (raw, len) = match s.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let end = s[1..].find(q).map_or(s.len(), |i| i + 1);
            (&s[1..end], end + 1)
        }
        _ => {
            let end = s
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(s.len());
            (&s[..end], end)
        }
    };
    (entities(raw), len)
}

/// Walks every `href` and `src` of every HTML page under `out` and checks that each link into
/// the site (relative, root-relative or under `base`) names a file that exists. Returns how
/// many links were checked.
fn check_links(out: &Path, base: &str) -> usize {
    let base_path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in files(out) {
        let name = file.to_string_lossy().into_owned();
        if !name.ends_with(".html") {
            continue;
        }
        let page = read(out.join(&file));
        let dir = match name.rfind('/') {
            Some(i) => &name[..=i],
            None => "",
        };
        for attr in ["href=", "src="] {
            let mut from = 0;
            while let Some(i) = page[from..].find(attr) {
                let at = from + i;
                from = at + attr.len();
                // An attribute, not text that happens to read `href=`.
                if !page[..at].ends_with([' ', '\n', '\t']) {
                    continue;
                }
                let (link, _) = attribute_value(&page[from..]);
                let link = match link.strip_prefix(base) {
                    Some(rest) => format!("{base_path}{rest}"),
                    None => link,
                };
                if link.is_empty()
                    || link.starts_with('#')
                    || link.contains("://")
                    || link.starts_with("//")
                    || link.starts_with("mailto:")
                    || link.starts_with("tel:")
                    || link.starts_with("data:")
                {
                    continue;
                }
                let rel = match link.strip_prefix(base_path) {
                    Some(rest) if link.starts_with('/') => rest.to_string(),
                    None if link.starts_with('/') => {
                        broken.push(format!("{name}: {link} (outside the base path)"));
                        continue;
                    }
                    _ => link.clone(),
                };
                let from_dir = if link.starts_with('/') { "" } else { dir };
                checked += 1;
                if resolve_in(out, from_dir, &rel).is_none() {
                    broken.push(format!("{name}: {link}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

/// The file a link `rel` (relative to the folder `dir` of the site) leads to: query and
/// fragment cut, `%XX` decoded, `.`/`..` applied, a folder's `index.html`.
fn resolve_in(out: &Path, dir: &str, rel: &str) -> Option<std::path::PathBuf> {
    let rel = rel.split(['#', '?']).next().unwrap_or("");
    let joined = format!("{dir}{rel}");
    let mut parts: Vec<String> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(String::from_utf8(decode(s)?).ok()?),
        }
    }
    let mut path = out.to_path_buf();
    path.extend(&parts);
    if joined.ends_with('/') || joined.is_empty() || path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}
