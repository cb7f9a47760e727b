//! Versions and consultations (versions.md), on `tests/fixtures/versions/`: the 题注 exactly,
//! the text that applies on each date (point in time), the page of each text with its banner
//! and its comparison with the text before, the 历次版本 in the open data, and a consultation's
//! state on the day before, on and after each boundary of its comment period.

use serde_json::Value;

use crate::harness::{build_fixture_at, read};

const CAPTION_ONE: &str = "（2020年3月10日测试市人民政府令第1号公布\u{3000}根据2022年7月1日《测试市人民政府关于修改〈测试市城市供水管理办法〉的决定》修改）";
const CAPTION_TWO: &str = "（2020年3月10日测试市人民政府令第1号公布\u{3000}根据2022年7月1日《测试市人民政府关于修改〈测试市城市供水管理办法〉的决定》修改\u{3000}根据2025年1月1日《测试市人民政府关于修改〈测试市城市供水管理办法〉等规章的决定》修改）";

fn page(out: &std::path::Path, path: &str) -> String {
    read(out.join(path).join("index.html"))
}

#[test]
fn the_document_page_shows_the_text_of_the_day_with_its_caption() {
    // Before any version is published: the original, no 题注, no 历次版本.
    let (_d, out, _) = build_fixture_at("versions", "2021-01-01");
    let r1 = page(&out, "documents/r1");
    assert!(
        r1.contains("超过1000立方米") && !r1.contains("历次版本"),
        "{r1}"
    );

    // Published but not yet applicable: the original still applies, the list shows both.
    let (_d, out, _) = build_fixture_at("versions", "2022-06-15");
    let r1 = page(&out, "documents/r1");
    assert!(r1.contains("超过1000立方米"), "{r1}");
    assert!(
        r1.contains("（2020年3月10日测试市人民政府令第1号公布）"),
        "{r1}"
    );
    assert!(r1.contains("2022年7月1日修改后文本"));

    let (_d, out, _) = build_fixture_at("versions", "2023-01-01");
    let r1 = page(&out, "documents/r1");
    assert!(r1.contains(CAPTION_ONE), "{r1}");
    assert!(
        r1.contains("超过500立方米") && r1.contains("第二条之一"),
        "{r1}"
    );

    let (_d, out, _) = build_fixture_at("versions", "2025-06-01");
    let r1 = page(&out, "documents/r1");
    assert!(r1.contains(CAPTION_TWO), "{r1}");
    assert!(
        r1.contains("超过500立方米") && !r1.contains("第二条之一 优先"),
        "{r1}"
    );
    // The search index holds the current text only. Its files are gzip: read them inflated,
    // or this could not fail.
    let search: String = crate::harness::files(&out.join("search"))
        .iter()
        .map(|f| {
            let bytes = std::fs::read(out.join("search").join(f)).unwrap();
            let mut text = String::new();
            if bytes.starts_with(&[0x1f, 0x8b]) {
                let mut gz = flate2::read::GzDecoder::new(&bytes[..]);
                std::io::Read::read_to_string(&mut gz, &mut text).unwrap();
            } else {
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
            text
        })
        .collect();
    assert!(
        search.contains("超过500立方米"),
        "the current text is indexed"
    );
    assert!(
        !search.contains("1000立方米"),
        "the original's text is not indexed"
    );
}

#[test]
fn each_text_has_its_page_banner_and_comparison() {
    let (_d, out, _) = build_fixture_at("versions", "2025-06-01");
    let original = page(&out, "documents/r1/versions/2020-05-01");
    assert!(original.contains("（2020年3月10日测试市人民政府令第1号公布）"));
    assert!(original.contains("已被<a href=\"/documents/r1/versions/2022-07-01/\"><time datetime=\"2022-07-01\">2022年7月1日</time>起适用的文本</a>取代；现行文本见<a href=\"/documents/r1/versions/2025-01-01/\">2025年1月1日文本</a>。"), "{original}");
    let second = page(&out, "documents/r1/versions/2022-07-01");
    assert!(second.contains(CAPTION_ONE), "{second}");
    assert!(second.contains("<span class=\"diff-label\">删除：</span><del>第二条 月均用水量超过1000立方米的，实行计划用水。</del>"), "{second}");
    assert!(second.contains("<span class=\"diff-label\">新增：</span><ins>第二条 月均用水量超过500立方米的，实行计划用水。</ins>"));
    assert!(second.contains(
        "<span class=\"diff-label\">新增：</span><ins>第二条之一 优先使用再生水。</ins>"
    ));
    let current = page(&out, "documents/r1/versions/2025-01-01");
    assert!(current.contains(CAPTION_TWO));
    assert!(current.contains("是现行文本"), "{current}");
    assert!(current.contains("<del>第二条之一 优先使用再生水。</del>"));
    // On 2023-01-01 the second text is current and the third does not exist yet.
    let (_d, out, _) = build_fixture_at("versions", "2023-01-01");
    assert!(page(&out, "documents/r1/versions/2022-07-01").contains("是现行文本"));
    assert!(!out.join("documents/r1/versions/2025-01-01").exists());
}

#[test]
fn versions_are_in_the_open_data_and_in_no_list() {
    let (_d, out, _) = build_fixture_at("versions", "2025-06-01");
    let v: Value = serde_json::from_str(&read(out.join("data/documents.json"))).unwrap();
    let docs = v["documents"].as_array().unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert!(
        !ids.iter().any(|id| id.starts_with("r1-")),
        "a version is not a document: {ids:?}"
    );
    let r1 = docs.iter().find(|d| d["id"] == "r1").unwrap();
    assert_eq!(
        r1["versions"],
        serde_json::json!([
            {"date": "2020-05-01", "url": "https://versions.test/documents/r1/versions/2020-05-01/", "amended_by": [], "current": false},
            {"date": "2022-07-01", "url": "https://versions.test/documents/r1/versions/2022-07-01/", "amended_by": ["r2"], "current": false},
            {"date": "2025-01-01", "url": "https://versions.test/documents/r1/versions/2025-01-01/", "amended_by": ["r2", "r3"], "current": true}
        ])
    );
}

fn consultation_state(as_of: &str) -> (String, String) {
    let (_d, out, _) = build_fixture_at("versions", as_of);
    let v: Value = serde_json::from_str(&read(out.join("data/documents.json"))).unwrap();
    let zq = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "zq1")
        .cloned()
        .unwrap();
    let html = page(&out, "documents/zq1");
    (
        zq["consultation"]["state"].as_str().unwrap().to_string(),
        html,
    )
}

#[test]
fn a_consultation_is_upcoming_open_then_closed_at_its_boundaries() {
    let (state, html) = consultation_state("2020-01-09");
    assert_eq!(state, "upcoming");
    assert!(html.contains(">即将开始</span>"), "{html}");
    let (state, html) = consultation_state("2020-01-10");
    assert_eq!(state, "open");
    assert!(html.contains(">征求意见中</span> 还剩 31 天"), "{html}");
    let (state, html) = consultation_state("2020-02-09");
    assert_eq!(state, "open");
    assert!(
        html.contains("还剩 1 天"),
        "the last day is a day to comment: {html}"
    );
    assert!(html.contains("<a href=\"mailto:zqyj@example.gov.cn\">zqyj@example.gov.cn</a>"));
    let (state, html) = consultation_state("2020-02-10");
    assert_eq!(state, "closed");
    assert!(html.contains(">已结束</span>"), "{html}");
    assert!(!html.contains("提出意见："), "no channel once closed");
    assert!(html.contains("意见采纳情况：<a href=\"https://www.example.gov.cn/zqyj/cnqk.html\">"));
}

#[test]
fn a_final_document_and_its_draft_link_each_other_and_the_list_puts_open_ones_first() {
    let (_d, out, _) = build_fixture_at("versions", "2020-06-01");
    let r1 = page(&out, "documents/r1");
    assert!(
        r1.contains("本文件的征求意见稿") && r1.contains("/documents/zq1/"),
        "{r1}"
    );
    let zq = page(&out, "documents/zq1");
    assert!(
        zq.contains("已正式印发") && zq.contains("/documents/r1/"),
        "{zq}"
    );
    let feed = read(out.join("consultations/feed.xml"));
    assert!(
        feed.contains("征求意见期：2020年1月10日至2020年2月9日（已结束）"),
        "{feed}"
    );
    assert!(page(&out, "consultations").contains("/documents/zq1/"));
    // Open ones are on the home page while open.
    let (_d, out, _) = build_fixture_at("versions", "2020-01-20");
    assert!(page(&out, "").contains("正在征求意见"));
}
