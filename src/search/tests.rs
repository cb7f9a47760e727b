//! Whole-module tests: determinism and the layout of the files `search.js` reads.

use super::*;

fn doc(id: &str, published: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        title: title.into(),
        doc_number: Some(format!("洛政办〔{}〕{}号", &published[..4], id.len())),
        issuers: vec!["洛阳市人民政府办公室".into()],
        body: body.into(),
        summary: None,
        source: None,
        published: published.into(),
        year: published[..4].parse().unwrap(),
        status: if id.len().is_multiple_of(2) {
            "in_force"
        } else {
            "repealed"
        }
        .into(),
        status_label: if id.len().is_multiple_of(2) {
            "现行有效"
        } else {
            "已废止"
        }
        .into(),
        kind: "normative".into(),
        kind_label: "行政规范性文件".into(),
        url: format!("/documents/{id}/"),
    }
}

fn sample() -> Vec<SearchDoc> {
    vec![
        doc(
            "zwgk",
            "2019-04-10",
            "关于全面推进政务公开工作的实施意见",
            "推进政务公开。Open government.",
        ),
        doc(
            "hjbh",
            "2021-06-01",
            "环境保护管理办法",
            "加强环境保护,𠀀𠀁 policies",
        ),
        doc(
            "jy-2",
            "2021-06-01",
            "教育资金管理规定",
            "教育资金 Education funds",
        ),
        doc("a", "2020-01-01", "通知", "通知"),
    ]
}

/// A search file parsed, inflated first when it is gzip (every file but the manifest).
fn json(files: &[SearchFile], path: &str) -> serde_json::Value {
    let file = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path}"));
    if path.ends_with(".gz") {
        assert_eq!(file.bytes[..2], [0x1f, 0x8b], "{path} is gzip");
        let mut text = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&file.bytes[..]),
            &mut text,
        )
        .unwrap();
        serde_json::from_slice(&text).unwrap()
    } else {
        serde_json::from_slice(&file.bytes).unwrap()
    }
}

#[test]
fn same_docs_in_any_order_give_identical_files() {
    let docs = sample();
    let first = build_search_files(&docs);
    let mut reversed = docs.clone();
    reversed.reverse();
    assert_eq!(build_search_files(&reversed), first);
    let mut rotated = docs;
    rotated.rotate_left(1);
    assert_eq!(build_search_files(&rotated), first);
}

#[test]
fn files_live_under_their_layout_and_the_version_follows_the_content() {
    let files = build_search_files(&sample());
    let meta = json(&files, "search/meta.json");
    let layout = meta["layout"].as_str().unwrap();
    assert_eq!(layout.len(), 16);
    for file in &files {
        assert!(
            file.path == "search/meta.json" || file.path.starts_with(&format!("search/{layout}/")),
            "{}",
            file.path
        );
    }
    let meta_with = |change: fn(&mut SearchDoc)| {
        let mut docs = sample();
        docs.iter_mut().for_each(change);
        json(&build_search_files(&docs), "search/meta.json")
    };
    // A label, an address, a body: another version (the page's `?v=`), the same folder.
    for change in [
        (|d: &mut SearchDoc| d.status_label = "现行有效(已修订)".into()) as fn(&mut SearchDoc),
        |d| d.url = "/documents/other/".into(),
        |d| d.body.push('字'),
    ] {
        let other = meta_with(change);
        assert_ne!(other["version"], meta["version"]);
        assert_eq!(other["layout"], meta["layout"]);
    }
    // Another document order (ordinals): another folder.
    assert_ne!(
        meta_with(|d| d.published = format!("{}x", d.id))["layout"],
        meta["layout"]
    );
}

#[test]
fn an_edited_body_changes_only_the_files_of_its_terms() {
    // Enough documents and shards that one document's terms are in a few of them.
    let words = [
        "政务公开",
        "环境保护",
        "财政资金",
        "养老保险",
        "交通安全",
        "土地审批",
    ];
    let docs: Vec<SearchDoc> = (0..300)
        .map(|n| {
            let body = format!(
                "{}{}第{n}条规定",
                words[n % words.len()],
                words[(n / 7) % words.len()]
            );
            doc(&format!("d{n}"), "2024-01-01", &format!("文件{n}"), &body)
        })
        .collect();
    let options = Options {
        target_shard_bytes: 256,
        ..Options::default()
    };
    let before = build_search_files_with(&docs, &options);
    let mut edited = docs.clone();
    edited[42].body = "地方标志性建筑保护第42条规定".into();
    let after = build_search_files_with(&edited, &options);
    assert_eq!(before.len(), after.len());
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| {
            assert_eq!(a.path, b.path);
            a.bytes != b.bytes
        })
        .map(|(a, _)| a.path.as_str())
        .collect();
    let shards = changed.iter().filter(|p| p.contains("/t/")).count();
    let total = before.iter().filter(|f| f.path.contains("/t/")).count();
    // The manifest, the document's record, and the shards of the terms it had or has now.
    assert!(changed.contains(&"search/meta.json"));
    assert_eq!(
        changed.iter().filter(|p| p.contains("/d/")).count(),
        1,
        "{changed:?}"
    );
    // Its exact body length is in one length chunk (format 6).
    assert_eq!(
        changed.iter().filter(|p| p.contains("/n/")).count(),
        1,
        "{changed:?}"
    );
    assert!(
        shards > 0 && shards * 4 < total,
        "{shards} of {total} term shards"
    );
    // Every changed term, length and position shard is the shard of a term the document had or
    // has (the class of its body length is in the length shards of its terms), and nothing else
    // changed.
    let mut terms: Vec<String> = [&docs[42], &edited[42]]
        .iter()
        .flat_map(|d| doc_tokens(d).into_iter().flatten())
        .map(|t| t.as_str().to_string())
        .collect();
    terms.sort();
    terms.dedup();
    let meta = json(&after, "search/meta.json");
    for path in &changed {
        let Some((kind, n)) = ["t", "l", "p"].iter().find_map(|k| {
            let (_, rest) = path.split_once(&format!("/{k}/"))?;
            Some((*k, rest.strip_suffix(".json.gz")?.parse::<u32>().ok()?))
        }) else {
            assert!(
                *path == "search/meta.json" || path.contains("/d/") || path.contains("/n/"),
                "{path}"
            );
            continue;
        };
        let key = match kind {
            "t" => "shards",
            "l" => "bodyLengths",
            _ => "positions",
        };
        let count = meta[key].as_u64().unwrap_or_default() as u32;
        assert!(
            terms.iter().any(|t| shard_of(t, count) == n),
            "{path} holds none of the document's terms"
        );
    }
    assert!(changed.iter().any(|p| p.contains("/l/")), "{changed:?}");
    assert!(changed.iter().all(|p| !p.contains("/f/")), "{changed:?}");
}

#[test]
fn ordinals_run_newest_first_and_years_are_ranges() {
    let docs = sample();
    let ids: Vec<&str> = ordered(&docs).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["hjbh", "jy-2", "a", "zwgk"]);
    let files = build_search_files(&docs);
    let meta = json(&files, "search/meta.json");
    let years = &meta["facets"]["year"];
    assert_eq!(
        years[0],
        serde_json::json!({"value": 2021, "count": 2, "from": 0, "to": 2})
    );
    assert_eq!(years[2]["from"], 3);
    let layout = meta["layout"].as_str().unwrap();
    let chunk = json(&files, &format!("search/{layout}/d/1.json.gz"));
    assert_eq!(chunk[0][0], "jy-2");
}

#[test]
fn every_term_sits_in_its_hashed_shard_in_utf16_order() {
    let docs = sample();
    let options = Options {
        target_shard_bytes: 64,
        doc_chunk: 2,
        length_chunk: 3,
    };
    let files = build_search_files_with(&docs, &options);
    let meta = json(&files, "search/meta.json");
    let layout = meta["layout"].as_str().unwrap();
    let count = meta["shards"].as_u64().unwrap() as u32;
    assert!(count > 1);
    let mut seen = 0;
    for n in 0..count {
        let shard = json(&files, &format!("search/{layout}/t/{n}.json.gz"));
        let terms: Vec<&str> = shard
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[0].as_str().unwrap())
            .collect();
        assert!(terms.iter().all(|t| shard_of(t, count) == n));
        assert!(
            terms
                .windows(2)
                .all(|w| lunr::cmp_utf16(w[0], w[1]).is_lt())
        );
        seen += terms.len();
    }
    let index = build_index(&ordered(&docs));
    assert_eq!(seen, index.terms.len());
    assert!(index.terms.iter().any(|t| t.term == "𠀀𠀁"));
}

#[test]
fn a_doc_number_finds_the_same_terms_however_typed() {
    let d = doc("x", "2019-04-10", "t", "b");
    let number = &doc_tokens(&d)[1];
    assert_eq!(number, &tokenize("洛政办[2019]1号"));
}

#[test]
fn empty_input_gives_a_manifest_and_no_documents() {
    let files = build_search_files(&[]);
    let meta = json(&files, "search/meta.json");
    assert_eq!(meta["docs"], 0);
    assert_eq!(meta["shards"], 1);
}

#[test]
fn the_owned_build_writes_the_same_files() {
    // More than two tokenizing batches of 512, with shared dates so ids break ties.
    let docs: Vec<SearchDoc> = (0..1200)
        .map(|n| {
            let date = format!("20{:02}-0{}-1{}", 10 + n % 13, 1 + n % 9, n % 10);
            let body = format!("第{n}条 政务公开 环境保护{} policies {n}", n % 7);
            doc(&format!("d-{n}"), &date, &format!("文件{n}号通知"), &body)
        })
        .chain(sample())
        .collect();
    assert_eq!(
        build_search_files_owned(docs.clone()),
        build_search_files(&docs)
    );
}

#[test]
fn only_the_first_million_characters_of_a_body_are_indexed() {
    let mut body = "政务".repeat(MAX_INDEXED_CHARS / 2);
    body.push_str("尾部独有词");
    let tokens = doc_tokens(&doc("big", "2024-01-01", "标题", &body));
    assert!(tokens[3].iter().any(|t| t == "政务"));
    assert!(!tokens[3].iter().any(|t| t == "独有"), "past the limit");
    let small = doc_tokens(&doc("s", "2024-01-01", "标题", "政务尾部独有词"));
    assert!(small[3].iter().any(|t| t == "独有"));
}

#[test]
fn the_index_does_not_depend_on_how_documents_are_batched_or_split() {
    // More documents than a batch, so the term table takes them in several batches, each
    // spread over its parts; one batch in one go must give the very same index.
    let phrases = [
        "政务公开",
        "采购管理",
        "行政规范性文件",
        "公报目录",
        "清理结果",
    ];
    let docs: Vec<SearchDoc> = (0..BATCH * 2 + 77)
        .map(|i| {
            let body = format!(
                "{}{}第{i}条",
                phrases[i % phrases.len()],
                phrases[(i / 3) % phrases.len()]
            );
            doc(&format!("d{i}"), "2024-01-01", phrases[i % 2], &body)
        })
        .collect();
    let refs: Vec<&SearchDoc> = docs.iter().collect();
    let batched = build_index(&refs);
    let one_batch = lunr::Index::build_positioned(docs.iter().map(doc_terms));
    assert_eq!(batched, one_batch);
    assert_eq!(batched.doc_count, docs.len());
}

#[test]
fn gzip_from_a_reused_state_equals_a_fresh_gzip_writer_byte_for_byte() {
    // Pseudo-random bytes (nothing to match), text (much to match), in both orders, empty,
    // and larger than the 32 KB window and the output's first allocation.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..300_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let text = "推进政务公开，加强政策解读。第一条 为了规范行政规范性文件管理。"
        .repeat(4000)
        .into_bytes();
    // Numbers as the shards hold them: where blocks are cut depends on the output window.
    let numbers = (0..60_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("{}", x % 1000)
        })
        .collect::<Vec<_>>()
        .join(",")
        .into_bytes();
    let inputs: [&[u8]; 7] = [
        b"",
        b"a",
        &text[..100],
        &noise,
        &numbers,
        &text,
        &noise[..5000],
    ];
    for bytes in inputs.iter().chain(inputs.iter().rev()) {
        assert_eq!(
            gzip(bytes),
            gzip::gzip_fresh(bytes),
            "{} bytes",
            bytes.len()
        );
    }
}
