//! The words readers see come from the theme's locale tables (issue 19): `language = "en"`
//! builds an English interface while the documents stay as written, a site rewords one entry
//! without copying the table, a language without a table is refused at its line, and the
//! tables cover every key the templates and the renderer ask for.

use std::collections::BTreeSet;
use std::path::Path;

use crate::harness::{build_ok, check_lines, copy_dir, fixture, read, repo};

/// A temporary copy of the English fixture site (`tests/fixtures/locale`).
fn english_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("locale"), dir.path());
    dir
}

fn set_language(root: &Path, line: &str) {
    let path = root.join("gazette.toml");
    let toml = read(&path).replace("language = \"en\"", line);
    std::fs::write(&path, toml).unwrap();
}

/// Words of the default theme's zh-CN interface that must not be left on an English page.
const CHINESE_UI: &[&str] = &[
    "首页",
    "检索",
    "跳到正文",
    "现行有效",
    "已废止",
    "发文字号",
    "页面不存在",
    "主办单位",
    "本文件",
    "份文件",
    "分类浏览",
];

#[test]
fn an_english_site_speaks_english_and_keeps_its_documents_as_written() {
    let site = english_site();
    let out = build_ok(site.path());
    let page = |rel: &str| read(out.join(rel));

    let home = page("index.html");
    for expected in [
        "<html lang=\"en\">",
        ">Skip to content</a>",
        ">Government Gazette</a>",
        ">Policy documents</a>",
        ">Latest documents</h2>",
        ">By validity</h2>",
        ">By Issuing body</a>",
        "<dt>Sponsor</dt><dd>测试市人民政府办公室</dd>",
    ] {
        assert!(home.contains(expected), "index.html lacks {expected}");
    }

    // A repealed regulation: the interface in English, its title and number as written.
    let doc = page("documents/b/index.html");
    for expected in [
        "测试市政府规章制定程序规定",
        "测试市人民政府令第1号",
        "<dt>Document number</dt>",
        "<dt>Issuing body</dt>",
        "<span class=\"badge status-repealed\">Repealed</span>",
        "This document was repealed on <time datetime=\"",
        ">Print this page</button>",
    ] {
        assert!(
            doc.contains(expected),
            "documents/b lacks {expected}\n{doc}"
        );
    }
    let search = page("search/index.html");
    for expected in [
        "<h1 id=search-heading>Search</h1>",
        "<option value=\"repealed\">Repealed</option>",
        ">Show more results</button>",
        // The scripts' words, handed to search.js and prefs.js in data-words.
        "No documents match.",
        "{n} near matches, {shown} shown.",
        "High contrast on",
    ] {
        assert!(search.contains(expected), "search lacks {expected}");
    }
    assert!(page("404.html").contains("<h1>Page not found</h1>"));
    assert!(
        page("status/repealed/index.html")
            .contains("Documents expressly repealed by other documents.")
    );
    assert!(page("gazette/index.html").contains("<h1>Government Gazette</h1>"));

    for rel in [
        "index.html",
        "documents/b/index.html",
        "documents/index.html",
        "search/index.html",
        "404.html",
        "filings/index.html",
        "gazette/2022/03/index.html",
        "sitemap/index.html",
        "data/index.html",
        "statistics/index.html",
    ] {
        let html = page(rel);
        for word in CHINESE_UI {
            assert!(!html.contains(word), "{rel} still says {word}");
        }
    }
    // The open data are the archive's own, as written whatever the interface.
    let csv = page("data/documents.csv");
    assert!(
        csv.contains("b,测试市政府规章制定程序规定,regulation,测试市人民政府令第1号,"),
        "{csv}"
    );
}

#[test]
fn without_a_language_the_interface_is_zh_cn() {
    let site = english_site();
    set_language(site.path(), "");
    let out = build_ok(site.path());
    let home = read(out.join("index.html"));
    for expected in [
        "<html lang=\"zh-CN\">",
        ">跳到正文</a>",
        ">首页</a>",
        ">分类浏览</h2>",
    ] {
        assert!(home.contains(expected), "index.html lacks {expected}");
    }
    let doc = read(out.join("documents/b/index.html"));
    assert!(doc.contains("<span class=\"badge status-repealed\">已废止</span>"));
    assert!(doc.contains("<dt>发文字号</dt>"));
}

#[test]
fn a_site_rewords_one_entry_and_keeps_every_other() {
    let site = english_site();
    std::fs::create_dir_all(site.path().join("locales")).unwrap();
    std::fs::write(
        site.path().join("locales/en.toml"),
        "[nav]\nhome = \"Start\"\n",
    )
    .unwrap();
    let out = build_ok(site.path());
    let home = read(out.join("index.html"));
    assert!(home.contains(">Start</a>"), "{home}");
    assert!(home.contains(">Government Gazette</a>"));
    assert!(!home.contains(">Home</a>"));
}

#[test]
fn a_language_the_theme_lacks_is_refused_at_its_line_and_a_table_makes_it_work() {
    let site = english_site();
    set_language(site.path(), "language = \"fr\"");
    let toml = read(site.path().join("gazette.toml"));
    let line = toml
        .lines()
        .position(|l| l.starts_with("language = "))
        .unwrap()
        + 1;
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 1, "{lines}");
    let at =
        format!("gazette.toml:{line}:12: error[locale-missing] 主题没有语言 `fr` 的界面文字表");
    assert!(lines.contains(&at), "{at}\n{lines}");
    assert!(lines.contains("en、zh-CN"), "{lines}");

    // A table of its own, however short: the words it leaves out are zh-CN's.
    std::fs::create_dir_all(site.path().join("locales")).unwrap();
    std::fs::write(
        site.path().join("locales/fr.toml"),
        "[nav]\nhome = \"Accueil\"\n",
    )
    .unwrap();
    let out = build_ok(site.path());
    let home = read(out.join("index.html"));
    assert!(home.contains("<html lang=\"fr\">"));
    assert!(home.contains(">Accueil</a>"));
    assert!(home.contains(">政府公报</a>"));
}

/// Every key of a table, as `a.b.c`.
fn keys(path: &Path) -> BTreeSet<String> {
    fn walk(prefix: &str, t: &toml::Table, out: &mut BTreeSet<String>) {
        for (k, v) in t {
            match v {
                toml::Value::Table(inner) => walk(&format!("{prefix}{k}."), inner, out),
                _ => {
                    out.insert(format!("{prefix}{k}"));
                }
            }
        }
    }
    let table: toml::Table = toml::from_str(&read(path)).unwrap();
    let mut out = BTreeSet::new();
    walk("", &table, &mut out);
    out
}

const STATUSES: [&str; 6] = [
    "in_force",
    "amended",
    "partially_in_force",
    "not_yet_effective",
    "expired",
    "repealed",
];

/// The literal keys in `text` after each of `calls` (`t(key="`, `get("` …).
fn keys_used(text: &str, calls: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for call in calls {
        for (at, _) in text.match_indices(call) {
            let rest = &text[at + call.len()..];
            let quote = if call.ends_with('\'') { '\'' } else { '"' };
            let key = &rest[..rest.find(quote).unwrap()];
            // `"status." ~ s.code`: a family, checked below by its members.
            if !key.ends_with('.') {
                out.insert(key.to_string());
            }
        }
    }
    out
}

#[test]
fn the_tables_cover_every_key_the_theme_and_the_renderer_use() {
    let locales = repo().join("themes/default/locales");
    let zh = keys(&locales.join("zh-CN.toml"));
    let en = keys(&locales.join("en.toml"));
    let missing: Vec<_> = zh.difference(&en).collect();
    assert!(missing.is_empty(), "en.toml lacks {missing:?}");
    let unknown: Vec<_> = en.difference(&zh).collect();
    assert!(
        unknown.is_empty(),
        "en.toml has keys zh-CN.toml lacks: {unknown:?}"
    );

    let mut used = BTreeSet::new();
    for dir in ["themes/default/templates", "src/render"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                used.extend(keys_used(
                    &read(&path),
                    &[
                        "t(key=\"", "t(key='", ".get(\"", ".fill(\"", "word(\"", "link(\"",
                    ],
                ));
            }
        }
    }
    // The families the templates and the renderer build keys from (`"status." ~ s.code`,
    // `format!("field.{key}")` …).
    let families: &[(&str, &[&str])] = &[
        ("status", &STATUSES),
        ("status_note", &STATUSES),
        ("consultation", &["open", "upcoming", "closed"]),
        (
            "nav",
            &[
                "home",
                "gazette",
                "documents",
                "interpretations",
                "filings",
                "search",
            ],
        ),
        ("dir", &["issuers", "subjects", "kinds", "years", "status"]),
        (
            "file_type",
            &[
                "pdf", "word", "excel", "csv", "ofd", "image", "archive", "file",
            ],
        ),
        (
            "field",
            &[
                "title",
                "index_no",
                "doc_number",
                "issuers",
                "kind",
                "issued",
                "published",
                "effective",
                "expires",
                "status",
                "subjects",
                "source",
                "gazette",
                "registration_number",
                "legality_review",
                "deliberation",
                "record_number",
                "filed_on",
            ],
        ),
        (
            "month",
            &[
                "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
            ],
        ),
    ];
    for (family, members) in families {
        used.extend(members.iter().map(|m| format!("{family}.{m}")));
    }
    // Literal keys are dotted (`nav.home`) but for the three at the top of the table.
    used.retain(|k| {
        (k.contains('.') && !k.contains(['{', ' '])) || ["year", "by", "date"].contains(&k.as_str())
    });
    let missing: Vec<_> = used.difference(&zh).collect();
    assert!(missing.is_empty(), "zh-CN.toml lacks {missing:?}");
}
