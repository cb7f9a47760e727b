//! Hostile documents, property-tested through the whole per-file pipeline (read → split →
//! YAML → schema → typed checks): no panic, and a file is never dropped without saying why.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

const CONFIG: &str = r#"
title = "测试公报"
base_url = "https://test.example.cn/"
[kinds.normative]
label = "行政规范性文件"
require_interpretation = true
max_validity_years = 5
[kinds.policy]
label = "其他政策文件"
[kinds.interpretation]
label = "政策解读"
[[issuers]]
name = "洛阳市人民政府"
slug = "lysrmzf"
short_name = "市政府"
[[subjects]]
name = "政务公开"
slug = "zwgk"
"#;

fn value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let text = prop_oneof![
        Just(""),
        Just("x"),
        Just("a-1"),
        Just("Bad_ID"),
        Just("洛政办〔2019〕12号"),
        Just("洛政办〔２０１９〕１２号"),
        Just("洛政办[2019]012号"),
        Just("〔〕号"),
        Just("令第号"),
        Just("洛阳市人民政府令第0号"),
        Just("2024-02-30"),
        Just("2024-13-01"),
        Just("2024-01-02"),
        Just("9999-12-31"),
        Just("0000-01-01"),
        Just("2024-1-2"),
        Just("２０２４-０１-０２"),
        Just("../../../etc/passwd"),
        Just("/etc/passwd"),
        Just("C:\\x"),
        Just("a\0b"),
        Just("a:b"),
        Just("<script>alert(1)</script>"),
        Just("=1+1"),
        Just("待填写"),
        Just("public"),
        Just("withheld"),
        Just("on_request"),
        Just("policy"),
        Just("normative"),
        Just("interpretation"),
        Just("洛阳市人民政府"),
        Just("市政府"),
        Just("政务公开"),
        Just("https://x.example/"),
        Just("2024-01"),
        Just("2024-00"),
        Just("a.md"),
        Just("index.html"),
        Just("\u{202e}"),
    ]
    .prop_map(|s| Value::String(s.to_string()));
    let scalar = prop_oneof![
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ];
    let nested = scalar.clone().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-z]{1,3}", inner), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    });
    prop_oneof![
        12 => text.clone(),
        2 => any::<String>().prop_map(Value::String),
        4 => proptest::collection::vec(text, 0..4).prop_map(Value::Array),
        1 => scalar,
        1 => nested,
    ]
}

/// A valid document's front matter with hostile values put in for some keys (and a few
/// wrong keys added), then a body: most cases get past the schema into the typed checks.
fn document() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        Just("id"),
        Just("title"),
        Just("kind"),
        Just("doc_number"),
        Just("issuer"),
        Just("issued"),
        Just("published"),
        Just("effective"),
        Just("expires"),
        Just("repeals"),
        Just("amends"),
        Just("interpretation"),
        Just("interprets"),
        Just("gazette"),
        Just("subjects"),
        Just("record_number"),
        Just("source"),
        Just("index_no"),
        Just("summary"),
        Just("disclosure"),
        Just("attachments"),
        Just("expire"),
        Just("<<"),
    ];
    let body = prop_oneof![
        Just(""),
        Just("正文\n"),
        Just("<script>x</script>\n"),
        Just("---\n")
    ];
    (
        proptest::collection::vec((key, value()), 0..6),
        body,
        any::<bool>(),
    )
        .prop_map(|(changes, body, crlf)| {
            let mut entries: Vec<(&str, serde_json::Value)> = vec![
                ("title", "标题".into()),
                ("kind", "policy".into()),
                ("issuer", "洛阳市人民政府".into()),
                ("published", "2024-01-02".into()),
            ];
            for (k, v) in changes {
                match entries.iter_mut().find(|(key, _)| *key == k) {
                    Some(e) => e.1 = v,
                    None => entries.push((k, v)),
                }
            }
            let mut text = String::from("---\n");
            for (k, v) in entries {
                text.push_str(&format!("{k}: {v}\n"));
            }
            text.push_str("---\n");
            text.push_str(body);
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text.into_bytes()
        })
}

#[test]
fn no_document_panics_or_vanishes_silently() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    std::fs::write(root.join("gazette.toml"), CONFIG).unwrap();
    std::fs::create_dir_all(root.join("content/documents")).unwrap();
    let schemas = Schemas::new();
    let mut d = Diagnostics::new();
    let config = crate::config::load(root, &schemas, &mut d).expect("config");
    assert!(!d.has_errors());
    let file = Path::new("content/documents/a-1.md");
    let strategy = prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        3 => document(),
    ];
    let mut runner = TestRunner::new(RunnerConfig::with_cases(256));
    runner
        .run(&strategy, |bytes| {
            std::fs::write(root.join(file), &bytes).unwrap();
            let mut diags = Diagnostics::new();
            let doc = load(root, file, (&config, &schemas, &()), &mut None, &mut diags);
            let text = String::from_utf8_lossy(&bytes);
            match &doc {
                Some((doc, _body)) => {
                    // Invisible characters are the one error a document is kept with: its 文号
                    // must still meet its twin in the duplicate check (document.rs).
                    prop_assert!(
                        diags
                            .iter()
                            .all(|d| !d.is_error() || d.code == Code::InvisibleCharacter),
                        "a document with errors: {diags:?}"
                    );
                    prop_assert!(crate::contract::is_id(doc.id.as_str()), "{:?}", doc.id);
                }
                None => prop_assert!(diags.has_errors(), "dropped without an error:\n{text}"),
            }
            let lines = text.matches('\n').count() as u32 + 1;
            for d in diags.iter() {
                prop_assert_eq!(d.file.as_deref(), Some(file), "{:?}", d);
                if let Some(p) = d.pos {
                    prop_assert!(p.line >= 1 && p.line <= lines, "{d:?} in\n{text}");
                }
            }
            Ok(())
        })
        .unwrap();
}
