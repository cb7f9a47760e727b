//! The archive: statuses on several dates, relations on both pages, gazette issues, exports.
//! Every expectation below was worked out by hand from `tests/fixtures/archive/`.

use std::path::Path;

use serde_json::Value;

use crate::harness::{build_fixture_at, read};

/// Unminified: these tests read the HTML as the templates wrote it; build.rs tests minifying.
fn build_at(as_of: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, out, _) = build_fixture_at("archive", as_of);
    (dir, out)
}

/// `(id, status)` of every published document; an interpretation (validity `follows`) has no
/// status of its own and is listed as `follows:<the status of what it interprets>`.
fn statuses(out: &Path) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(&read(out.join("data/documents.json"))).unwrap();
    let mut s: Vec<(String, String)> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let status = match (d["status"].as_str(), d["interprets_status"].as_str()) {
                (Some(own), None) => own.to_string(),
                (None, Some(followed)) => format!("follows:{followed}"),
                other => panic!("{}: status and interprets_status {other:?}", d["id"]),
            };
            (d["id"].as_str().unwrap().to_string(), status)
        })
        .collect();
    s.sort();
    s
}

fn expect(as_of: &str, table: &[(&str, &str)]) {
    let (_dir, out) = build_at(as_of);
    let got = statuses(&out);
    let want: Vec<(String, String)> = table
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want, "statuses on {as_of}");
}

#[test]
fn statuses_before_anything_takes_effect() {
    expect(
        "2019-12-25",
        // Only a and its interpretation are published by then: 尚未施行 means published and
        // not yet effective, never "not yet published" (legal-model.md §6).
        &[
            ("a", "not_yet_effective"),
            ("jd-a", "follows:not_yet_effective"),
        ],
    );
}

#[test]
fn statuses_after_a_repeal_takes_effect_but_before_the_amendment() {
    expect(
        "2022-07-01",
        &[
            ("a", "in_force"),
            ("b", "repealed"),
            ("c", "in_force"),
            ("jd-a", "follows:in_force"),
        ],
    );
}

#[test]
fn statuses_once_amended() {
    expect(
        "2023-06-01",
        &[
            ("a", "amended"),
            ("b", "repealed"),
            ("c", "in_force"),
            ("d", "in_force"),
            ("jd-a", "follows:amended"),
        ],
    );
}

#[test]
fn statuses_after_expiry() {
    expect(
        "2025-02-01",
        &[
            ("a", "expired"),
            ("b", "repealed"),
            ("c", "in_force"),
            ("d", "in_force"),
            ("e", "not_yet_effective"),
            ("jd-a", "follows:expired"),
        ],
    );
    expect(
        "2025-03-01",
        &[
            ("a", "expired"),
            ("b", "repealed"),
            ("c", "in_force"),
            ("d", "in_force"),
            ("e", "in_force"),
            ("jd-a", "follows:expired"),
        ],
    );
}

#[test]
fn repeal_and_amendment_are_shown_on_both_pages() {
    let (_dir, out) = build_at("2023-06-01");
    let b = read(out.join("documents/b/index.html"));
    assert!(b.contains("本文件已于<time datetime=\"2022-06-01\">2022年6月1日</time>被<a href=\"/documents/c/\">《测试市人民政府关于废止部分规章的决定》</a>（测政〔2022〕3号）废止"), "{b}");
    let c = read(out.join("documents/c/index.html"));
    assert!(c.contains("废止<a href=\"/documents/b/\">《测试市政府规章制定程序规定》</a>（测试市人民政府令第1号）"), "{c}");
    let a = read(out.join("documents/a/index.html"));
    assert!(a.contains("被<a href=\"/documents/d/\">《测试市人民政府关于修改财政资金管理办法的决定》</a>（测政〔2022〕9号）修改"));
    assert!(a.contains("<span class=\"badge status-amended\">已修改</span>"));
}

#[test]
fn interpretations_are_linked_from_both_sides() {
    let (_dir, out) = build_at("2023-06-01");
    let a = read(out.join("documents/a/index.html"));
    // GB/T 15834: the title's own 书名号 become single ones inside the double (never 《《…》…》).
    assert!(
        a.contains("<a href=\"/documents/jd-a/\">《〈测试市财政资金管理办法〉政策解读》</a>"),
        "{a}"
    );
    let jd = read(out.join("documents/jd-a/index.html"));
    assert!(
        jd.contains("<a href=\"/documents/a/\">《测试市财政资金管理办法》</a>（测政〔2019〕1号）")
    );
    // An interpretation shows the status of what it explains, never one of its own.
    assert!(jd.contains("所解读文件：已修改"), "{jd}");
    assert!(
        !jd.contains("legislationLegalForce"),
        "no legal force of its own"
    );
}

#[test]
fn gazette_issues_are_listed_by_year_with_their_contents() {
    let (_dir, out) = build_at("2025-03-01");
    let years = read(out.join("gazette/index.html"));
    for y in ["2025", "2022", "2020"] {
        assert!(years.contains(&format!("/gazette/{y}/")), "year {y}");
    }
    // An issue named only by documents still gets its page; one with a file shows its title.
    let issue = read(out.join("gazette/2022/03/index.html"));
    assert!(issue.contains("测试市人民政府公报 2022年第3期"));
    assert!(issue.contains("总第101期"));
    assert!(issue.contains("测政〔2022〕3号"));
    let grouped = read(out.join("gazette/2020/01/index.html"));
    let norm = grouped.find("id=\"k-normative\"").expect("normative group");
    let interp = grouped
        .find("id=\"k-interpretation\"")
        .expect("interpretation group");
    assert!(
        norm < interp,
        "tables of contents follow the configured kind order"
    );
}

#[test]
fn directories_list_every_term_with_counts_and_paginate() {
    let (_dir, out) = build_at("2025-03-01");
    let issuers = read(out.join("issuers/index.html"));
    assert!(issuers.contains("/issuers/csszf/"));
    // Joint documents appear under each issuer.
    let finance = read(out.join("issuers/cssczj/index.html"));
    assert!(finance.contains("/documents/a/") && finance.contains("/documents/jd-a/"));
    assert!(out.join("status/repealed/index.html").is_file());
    assert!(out.join("years/2022/index.html").is_file());
    assert!(out.join("kinds/normative/index.html").is_file());
    assert!(out.join("subjects/czjr/index.html").is_file());
    // Six documents, five per page.
    let p2 = read(out.join("documents/page/2/index.html"));
    assert!(
        p2.contains("rel=\"prev\" href=\"/documents/\"")
            || p2.contains("<link rel=\"prev\" href=\"/documents/\">")
    );
    assert!(p2.contains("/documents/jd-a/") || p2.contains("/documents/a/"));
}

#[test]
fn lists_sort_newest_first_then_by_number_then_id() {
    let (_dir, out) = build_at("2025-03-01");
    let v: Value = serde_json::from_str(&read(out.join("data/documents.json"))).unwrap();
    let ids: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    // a and jd-a share a date: a has a doc_number, jd-a has none, so a comes first.
    assert_eq!(ids, ["e", "d", "c", "b", "a", "jd-a"]);
}

#[test]
fn filings_and_cleanups() {
    let (_dir, out) = build_at("2023-06-01");
    let filings = read(out.join("filings/index.html"));
    assert!(filings.contains("测备〔2020〕1号") && filings.contains("测备〔2021〕2号"));
    assert!(
        !filings.contains("/documents/c/"),
        "only documents with a record number"
    );
    // A repeal or an amendment by a new document is not a 清理: /cleanups/ lists 清理 acts only
    // (tests/suite/legal.rs has them).
    let cleanups = read(out.join("cleanups/index.html"));
    assert!(!cleanups.contains("/documents/c/") && !cleanups.contains("/documents/d/"));
    assert!(cleanups.contains("暂无清理结果"));
}

#[test]
fn open_data_exports_every_field() {
    let (_dir, out) = build_at("2025-03-01");
    let v: Value = serde_json::from_str(&read(out.join("data/documents.json"))).unwrap();
    assert_eq!(v["as_of"], "2025-03-01");
    let a = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "a")
        .unwrap();
    assert_eq!(
        a["issuer"],
        serde_json::json!(["测试市人民政府", "测试市财政局"])
    );
    assert_eq!(a["amended_by"], serde_json::json!(["d"]));
    assert_eq!(
        a["interpretations"],
        serde_json::json!(["https://archive.test/documents/jd-a/"])
    );
    assert_eq!(a["url"], "https://archive.test/documents/a/");
    assert_eq!(a["expires"], "2024-12-31");
    let csv = std::fs::read(out.join("data/documents.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV starts with a BOM");
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("e,测试市公共数据管理办法,regulation,测试市人民政府令第2号")
    );
}

#[test]
fn feeds_sitemap_robots_and_jsonld() {
    let (_dir, out) = build_at("2023-06-01");
    let feed = read(out.join("feed.xml"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains("https://archive.test/documents/d/"));
    assert!(
        !feed.contains("https://archive.test/documents/e/"),
        "e is published in 2025: embargoed on 2023-06-01"
    );
    assert!(out.join("issuers/csszf/feed.xml").is_file());
    assert!(out.join("subjects/czjr/feed.xml").is_file());
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://archive.test/documents/a/</loc>"));
    assert!(read(out.join("robots.txt")).contains("Sitemap: https://archive.test/sitemap.xml"));
    let a = read(out.join("documents/a/index.html"));
    let start = a.find("application/ld+json\">").unwrap() + "application/ld+json\">".len();
    let end = a[start..].find("</script>").unwrap() + start;
    let ld: Value = serde_json::from_str(&a[start..end]).unwrap();
    assert_eq!(ld["@type"], "Legislation");
    assert_eq!(ld["legislationIdentifier"], "测政〔2019〕1号");
    assert_eq!(ld["legislationLegalForce"], "https://schema.org/InForce");
    assert!(a.contains("property=\"og:title\""));
}

#[test]
fn a_repeal_not_yet_in_effect_is_announced_not_applied() {
    // c is published 2022-03-01 and repeals b from 2022-06-01.
    let (_dir, out) = build_at("2022-03-15");
    assert_eq!(
        statuses(&out).iter().find(|(id, _)| id == "b").unwrap().1,
        "in_force"
    );
    let b = read(out.join("documents/b/index.html"));
    assert!(b.contains("决定自<time datetime=\"2022-06-01\">2022年6月1日</time>起废止本文件；在此之前本文件仍然有效"), "{b}");
    assert!(
        !b.contains("本文件已于"),
        "no past-tense repeal before it takes effect"
    );
}
