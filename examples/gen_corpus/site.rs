//! Writing the gazette site: `gazette.toml` with the registries, one Markdown file with YAML front
//! matter per document, and the gazette issue files, all in the format of the document contract
//! (shared spec `front-matter.md`).

use crate::plan::{Doc, InterpLink, Issue};
use crate::registry::{ISSUERS, KINDS, SUBJECTS};
use crate::rng::Rng;
use std::collections::BTreeMap;
use std::fmt::Write;

pub const SITE_TITLE: &str = "洛阳市人民政府公报";
pub const BASE_URL: &str = "https://gazette.example.cn/";
pub const PAGE_SIZE: usize = 50;
pub const FEED_LENGTH: usize = 20;

/// A TOML basic string.
pub fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A YAML scalar: plain where that is unambiguous (as an editor would write it), else
/// double-quoted.
pub fn yaml_str(s: &str) -> String {
    let first = s.chars().next().unwrap_or(' ');
    let risky = s.is_empty()
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || first.is_whitespace()
        || s.ends_with(' ')
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(char::is_control)
        || s.parse::<f64>().is_ok()
        || matches!(
            s,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        );
    if risky {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

pub fn gazette_toml(seed: u64, n: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "title = {}", toml_str(SITE_TITLE));
    let _ = writeln!(s, "base_url = {}", toml_str(BASE_URL));
    let _ = writeln!(s, "language = \"zh-CN\"");
    let _ = writeln!(s, "theme = \"default\"");
    let desc = format!("洛阳市人民政府公报与行政规范性文件库（基准测试语料：{n}件，种子{seed}）");
    let _ = writeln!(s, "description = {}", toml_str(&desc));
    let _ = writeln!(s, "page_size = {PAGE_SIZE}");
    let _ = writeln!(s, "feed_length = {FEED_LENGTH}");
    for k in &KINDS {
        let _ = write!(s, "\n[kinds.{}]\nlabel = {}\n", k.slug, toml_str(k.label));
        // legal-model.md §1: only these kinds have a validity; an interpretation follows its
        // document's.
        match k.slug {
            "regulation" | "normative" | "policy" => {
                let _ = writeln!(s, "validity = \"own\"");
            }
            "interpretation" => {
                let _ = writeln!(s, "validity = \"follows\"");
            }
            _ => {}
        }
        if k.require_interpretation {
            let _ = writeln!(s, "require_interpretation = true");
        }
        if let Some(y) = k.max_validity_years {
            let _ = writeln!(s, "max_validity_years = {y}");
        }
    }
    for i in &ISSUERS {
        let _ = write!(
            s,
            "\n[[issuers]]\nname = {}\nslug = {}\nshort_name = {}\n",
            toml_str(i.name),
            toml_str(i.slug),
            toml_str(i.short_name)
        );
        if let Some(p) = i.parent {
            let _ = writeln!(s, "parent = {}", toml_str(ISSUERS[p].name));
        }
    }
    for sub in &SUBJECTS {
        let _ = write!(
            s,
            "\n[[subjects]]\nname = {}\nslug = {}\n",
            toml_str(sub.name),
            toml_str(sub.slug)
        );
    }
    s
}

fn list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key}:");
    for it in items {
        let _ = writeln!(out, "  - {}", yaml_str(it));
    }
}

/// The front matter of `docs[i]`, keys in the order of the contract's table.
pub fn front_matter(docs: &[Doc], i: usize) -> String {
    let d = &docs[i];
    let mut o = String::with_capacity(1024);
    o.push_str("---\n");
    let _ = writeln!(o, "title: {}", yaml_str(&d.title));
    let _ = writeln!(o, "kind: {}", KINDS[d.kind].slug);
    if let Some(n) = &d.doc_number {
        let _ = writeln!(o, "doc_number: {}", yaml_str(n));
    }
    if d.issuers.len() == 1 {
        let _ = writeln!(o, "issuer: {}", yaml_str(ISSUERS[d.lead()].name));
    } else {
        let names: Vec<String> = d.issuers.iter().map(|&k| ISSUERS[k].name.into()).collect();
        list(&mut o, "issuer", &names);
    }
    if let Some(x) = d.issued {
        let _ = writeln!(o, "issued: {x}");
    }
    let _ = writeln!(o, "published: {}", d.published);
    if let Some(x) = d.effective {
        let _ = writeln!(o, "effective: {x}");
    }
    if let Some(x) = d.expires {
        let _ = writeln!(o, "expires: {x}");
    }
    let ids = |v: &[usize]| v.iter().map(|&j| docs[j].id.clone()).collect::<Vec<_>>();
    list(&mut o, "repeals", &ids(&d.repeals));
    list(&mut o, "amends", &ids(&d.amends));
    let interp: Vec<String> = d
        .interpretation
        .iter()
        .map(|l| match l {
            InterpLink::Id(j) => docs[*j].id.clone(),
            InterpLink::Url(u) => u.clone(),
        })
        .collect();
    list(&mut o, "interpretation", &interp);
    if let Some(t) = d.interprets {
        let _ = writeln!(o, "interprets: {}", docs[t].id);
    }
    if let Some(g) = d.gazette {
        let _ = writeln!(o, "gazette: {}", yaml_str(&g.key()));
    }
    let subjects: Vec<String> = d
        .subjects
        .iter()
        .map(|&s| SUBJECTS[s].name.into())
        .collect();
    list(&mut o, "subjects", &subjects);
    for (key, v) in [
        ("record_number", &d.record_number),
        ("source", &d.source.map(String::from)),
        ("index_no", &d.index_no),
        ("summary", &d.summary),
    ] {
        if let Some(v) = v {
            let _ = writeln!(o, "{key}: {}", yaml_str(v));
        }
    }
    if !d.is_public() {
        let _ = writeln!(o, "disclosure: {}", d.disclosure.key());
    }
    o.push_str("---\n");
    o
}

/// The public documents of each issue that the plan names, in publication order.
pub fn issues(docs: &[Doc]) -> BTreeMap<Issue, Vec<usize>> {
    let mut map: BTreeMap<Issue, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(g) = d.gazette {
            map.entry(g).or_default().push(i);
        }
    }
    map
}

/// `content/gazette/YYYY-NN.md` for most issues (some have no file, which the contract allows).
/// Returns `None` for an issue without a file.
pub fn issue_file(issue: Issue, members: &[usize], docs: &[Doc], seed: u64) -> Option<String> {
    let mut rng = Rng::derive(seed, 0x1550_0000 + u64::from(issue.total_number()));
    if rng.chance(0.08) {
        return None;
    }
    let mut o = String::from("---\n");
    if rng.chance(0.5) {
        let _ = writeln!(o, "title: {SITE_TITLE} {}年第{}期", issue.year, issue.nn);
    }
    let _ = writeln!(o, "published: {}", issue.published());
    let _ = writeln!(o, "total_number: {}", issue.total_number());
    o.push_str("---\n");
    if rng.chance(0.7) {
        let mut counts = [0usize; 7];
        for &i in members {
            counts[docs[i].kind] += 1;
        }
        let parts: Vec<String> = (0..7)
            .filter(|&k| counts[k] > 0)
            .map(|k| format!("{}{}件", KINDS[k].label, counts[k]))
            .collect();
        let _ = write!(
            o,
            "本期公报刊登{}。\n\n《{SITE_TITLE}》是市人民政府主办的政府出版物，集中、准确刊登市人民政府及其部门发布的政府规章、行政规范性文件和其他政策文件，其刊登的文本为标准文本。\n",
            parts.join("、")
        );
    }
    Some(o)
}

pub const ABOUT_PAGE: &str = "---\ntitle: 关于本公报\n---\n《洛阳市人民政府公报》是市人民政府主办的政府出版物,每月出版两期，刊登市人民政府规章、行政规范性文件和其他政策文件。\n\n本站为基准测试生成的语料，内容不具有法律效力。\n";
