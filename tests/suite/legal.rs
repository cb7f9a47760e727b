//! The legal model (legal-model.md), on `tests/fixtures/legal/`: which documents have a status
//! and which, every status and relation, 清理 as an act with its four lists, publication
//! control, and the annual statistics checked against a count made here from the front matter.
//!
//! `expected.json` holds, per published document, its status and relations as exported; run
//! with `GAZETTE_BLESS=1` to re-record it after an intended change, and review the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::harness::{build_fixture_at, fixture, read};

const AS_OF: &str = "2026-06-30";

fn build_at(as_of: &str) -> (tempfile::TempDir, PathBuf, String) {
    build_fixture_at("legal", as_of)
}

fn documents(out: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_str(&read(out.join("data/documents.json"))).unwrap();
    v["documents"].as_array().unwrap().clone()
}

#[test]
fn every_status_and_relation_is_exported_as_the_contract_says() {
    let (_dir, out, _) = build_at(AS_OF);
    let mut got = serde_json::Map::new();
    for d in documents(&out) {
        let keep = [
            "kind",
            "status",
            "interprets_status",
            "effective",
            "repealed_by",
            "partially_repealed_by",
            "amended_by",
            "declared_expired_by",
            "continued_by",
            "to_amend_by",
        ];
        let row: serde_json::Map<String, Value> = keep
            .iter()
            .map(|k| ((*k).to_string(), d[*k].clone()))
            .collect();
        got.insert(d["id"].as_str().unwrap().to_string(), Value::Object(row));
    }
    let got = Value::Object(got);
    let path = fixture("legal/expected.json");
    if std::env::var_os("GAZETTE_BLESS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let want: Value = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(got, want, "data/documents.json on {AS_OF}");
}

#[test]
fn kinds_without_validity_show_no_status_anywhere() {
    let (_dir, out, _) = build_at(AS_OF);
    let p1 = read(out.join("documents/p1/index.html"));
    for absent in [
        "现行有效",
        "<dt>有效性</dt>",
        "<dt>施行日期</dt>",
        "legislationLegalForce",
    ] {
        assert!(!p1.contains(absent), "人事任免 shows {absent}");
    }
    // The home page counts documents with a validity of their own only: n3 and n5 and r1.
    let home = read(out.join("index.html"));
    assert!(
        home.contains("<span class=\"badge status-in_force\">现行有效</span> <span class=\"count\">3 份</span>"),
        "{home}"
    );
    assert!(
        !out.join("status/in-force/index.html").exists() || {
            let list = read(out.join("status/in-force/index.html"));
            !list.contains("/documents/p1/") && !list.contains("/documents/c1/")
        }
    );
    // An interpretation shows what it interprets, as such.
    let jd = read(out.join("documents/jd-n7/index.html"));
    assert!(jd.contains("所解读文件：已废止"), "{jd}");
    assert!(!jd.contains("legislationLegalForce"));
}

#[test]
fn a_cleanup_lists_its_four_results_and_both_pages_say_what_happened() {
    let (_dir, out, _) = build_at(AS_OF);
    let cleanups = read(out.join("cleanups/index.html"));
    assert!(
        cleanups.contains("继续有效 1 件，废止 3 件，宣布失效 1 件，拟修改 1 件"),
        "{cleanups}"
    );
    for heading in [
        "继续有效（1 件）",
        "废止（3 件）",
        "宣布失效（1 件）",
        "拟修改（1 件）",
    ] {
        assert!(cleanups.contains(heading), "{heading}");
    }
    assert!(cleanups.contains("（废止第三条）"));
    assert!(
        !cleanups.contains("/documents/n5/\">"),
        "an amendment by a new document is not a 清理"
    );

    let n6 = read(out.join("documents/n6/index.html"));
    assert!(n6.contains("本文件第三条已于<time datetime=\"2026-01-15\">2026年1月15日</time>被<a href=\"/documents/c1/\">《测试市人民政府办公室关于公布行政规范性文件清理结果的公告》</a>（测政办〔2026〕1号）废止，其余条款继续有效。"), "{n6}");
    assert!(n6.contains("<span class=\"badge status-partially_in_force\">部分失效</span>"));
    let n8 = read(out.join("documents/n8/index.html"));
    assert!(n8.contains("宣布失效。"), "{n8}");
    assert!(n8.contains("<span class=\"badge status-expired\">已失效</span>"));
    let n3 = read(out.join("documents/n3/index.html"));
    assert!(n3.contains("清理，本文件继续有效"), "{n3}");
    let n4 = read(out.join("documents/n4/index.html"));
    assert!(n4.contains("清理，本文件拟修改"), "{n4}");
    // Already 已失效 when the 清理 repealed it: keeps its status (legal-model.md §3).
    let n10 = read(out.join("documents/n10/index.html"));
    assert!(
        n10.contains("<span class=\"badge status-expired\">已失效</span>"),
        "{n10}"
    );
}

#[test]
fn drafts_and_embargoed_documents_are_checked_but_never_written() {
    let (_dir, out, summary) = build_at(AS_OF);
    assert!(
        summary.contains("另有 1 份文件尚未到发布日期，暂不发布；最早一份将于2026年7月10日发布"),
        "{summary}"
    );
    for (id, title) in [("n11", "癸办法"), ("n12", "草稿办法")] {
        assert!(!out.join(format!("documents/{id}")).exists(), "{id}");
        for f in crate::harness::files(&out) {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(title), "{id} in {}", f.display());
        }
    }
    // On its day, the embargoed document goes live, 尚未施行 never meaning "not yet published".
    let (_dir, later, _) = build_at("2026-07-10");
    let n11 = documents(&later)
        .into_iter()
        .find(|d| d["id"] == "n11")
        .expect("published on its day");
    assert_eq!(n11["status"], "in_force");
    assert!(!later.join("documents/n12").exists(), "a draft never");
}

#[test]
fn procedure_metadata_is_shown_and_exported() {
    let (_dir, out, _) = build_at(AS_OF);
    let r1 = read(out.join("documents/r1/index.html"));
    for (label, value) in [
        ("统一登记编号", "CSGZ-2021-001"),
        ("合法性审核", "2021-05-10"),
        ("审议情况", "市人民政府第8次常务会议审议通过"),
        ("备案日期", "2021-06-20"),
    ] {
        assert!(
            r1.contains(&format!("<dt>{label}</dt><dd>{value}</dd>")),
            "{label}: {r1}"
        );
    }
    assert!(r1.contains("《中华人民共和国立法法》"));
    let d = documents(&out)
        .into_iter()
        .find(|d| d["id"] == "r1")
        .unwrap();
    assert_eq!(d["registration_number"], "CSGZ-2021-001");
    assert_eq!(d["legality_review"], "2021-05-10");
    assert_eq!(d["filed_on"], "2021-06-20");
    assert_eq!(
        d["basis"],
        json!([
            "《中华人民共和国立法法》",
            "https://www.example.gov.cn/law/xzxkf.html"
        ])
    );
    let csv = read(out.join("data/documents.csv"));
    let header = csv.lines().next().unwrap();
    for col in [
        "index_no",
        "summary",
        "registration_number",
        "legality_review",
        "deliberation",
        "filed_on",
        "interprets_status",
    ] {
        assert!(header.contains(col), "CSV column {col}");
    }
}

/// One document's front matter, read here by hand (not by gazette), for the independent count.
struct Front {
    kind: String,
    published: String,
    effective: String,
    expires: Option<String>,
    draft: bool,
    /// Ids this document repeals whole or declares expired.
    ends: Vec<String>,
}

fn front_matter(file: &Path) -> Front {
    let text = read(file);
    let yaml = text.split("---\n").nth(1).unwrap();
    let mut map: BTreeMap<&str, &str> = BTreeMap::new();
    let mut ends = Vec::new();
    let mut list = "";
    for line in yaml.lines() {
        if let Some(item) = line.strip_prefix("  - ") {
            if matches!(list, "repeals" | "declares_expired") && !item.starts_with("id:") {
                ends.push(item.trim().to_string());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            list = k;
            map.insert(k, v.trim());
        }
    }
    let published = map["published"].to_string();
    Front {
        kind: map["kind"].to_string(),
        effective: map
            .get("effective")
            .map_or(published.clone(), |e| e.to_string()),
        published,
        expires: map.get("expires").map(|e| e.to_string()),
        draft: map.get("draft") == Some(&"true"),
        ends,
    }
}

fn day_after(date: &str) -> String {
    let d: jiff::civil::Date = date.parse().unwrap();
    d.tomorrow().unwrap().to_string()
}

#[test]
fn annual_statistics_match_a_count_made_from_the_front_matter() {
    let (_dir, out, _) = build_at(AS_OF);
    let got: Value = serde_json::from_str(&read(out.join("data/statistics.json"))).unwrap();
    assert_eq!(got["as_of"], AS_OF);

    let docs: BTreeMap<String, Front> = std::fs::read_dir(fixture("legal/content/documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, front_matter(&p))
        })
        .filter(|(_, f)| !f.draft && f.published.as_str() <= AS_OF)
        .collect();
    // The day each document stopped being in force: the earliest of the day after `expires`
    // and the days the documents that end it take effect.
    let mut ended: BTreeMap<&str, String> = BTreeMap::new();
    for (id, f) in &docs {
        if let Some(x) = &f.expires {
            ended.insert(id, day_after(x));
        }
    }
    for f in docs.values() {
        for target in &f.ends {
            let e = ended
                .entry(target.as_str())
                .or_insert_with(|| f.effective.clone());
            if f.effective < *e {
                *e = f.effective.clone();
            }
        }
    }
    let own = ["regulation", "normative"];
    let mut want_years = Vec::new();
    for year in 2020..=2026 {
        let day = if year == 2026 {
            AS_OF.to_string()
        } else {
            format!("{year}-12-31")
        };
        let mut kinds = serde_json::Map::new();
        for kind in own {
            let of_kind: Vec<(&String, &Front)> =
                docs.iter().filter(|(_, f)| f.kind == kind).collect();
            let issued = of_kind
                .iter()
                .filter(|(_, f)| f.published.starts_with(&year.to_string()))
                .count();
            let ended_in_year = of_kind
                .iter()
                .filter(|(id, _)| {
                    ended
                        .get(id.as_str())
                        .is_some_and(|e| e.starts_with(&year.to_string()) && e.as_str() <= AS_OF)
                })
                .count();
            let in_force = of_kind
                .iter()
                .filter(|(id, f)| {
                    f.published <= day
                        && f.effective <= day
                        && ended.get(id.as_str()).is_none_or(|e| *e > day)
                })
                .count();
            kinds.insert(
                kind.to_string(),
                json!({"issued": issued, "ended": ended_in_year, "in_force": in_force}),
            );
        }
        want_years.push(json!({"year": year, "kinds": kinds}));
    }
    assert_eq!(got["years"], Value::Array(want_years), "{got:#}");
    // The page shows the same numbers, and the home page's footer links to it.
    let page = read(out.join("statistics/index.html"));
    assert!(page.contains("<h2 id=\"y2026\">2026年</h2>"));
    assert!(read(out.join("index.html")).contains("/statistics/"));
}
