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

/// A site folder with [`CONFIG`] and an empty `content/documents/`, its configuration loaded.
fn site() -> (tempfile::TempDir, crate::config::Config, Schemas) {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    std::fs::write(root.join("gazette.toml"), CONFIG).unwrap();
    std::fs::create_dir_all(root.join("content/documents")).unwrap();
    let schemas = Schemas::new();
    let mut d = Diagnostics::new();
    let config = crate::config::load(root, &schemas, &mut d).expect("config");
    assert!(!d.has_errors(), "{d:?}");
    (site, config, schemas)
}

#[test]
fn no_document_panics_or_vanishes_silently() {
    let (site, config, schemas) = site();
    let root = site.path();
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
            let doc = load(
                (root, file, &bytes),
                (&config, &schemas, &()),
                &fields::Lookups::default(),
                &mut None,
                &mut diags,
            );
            let text = String::from_utf8_lossy(&bytes);
            match &doc {
                Some((doc, _body, _links)) => {
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

/// A memo in memory, for the tests: what the build cache does, without the disk.
#[derive(Default)]
struct InMemory(
    std::sync::Mutex<std::collections::HashMap<[u8; 32], Vec<u8>>>,
    std::sync::atomic::AtomicUsize,
);

impl crate::validate::memo::Memo for InMemory {
    fn enabled(&self) -> bool {
        true
    }
    fn get(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        self.0.lock().unwrap().get(key).cloned()
    }
    fn put(&self, key: &[u8; 32], record: &[u8]) {
        self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.lock().unwrap().insert(*key, record.to_vec());
    }
}

/// What a file's check reads, with no proofreading memo and `checked` as the check memo.
fn reading<'a>(
    config: &'a crate::config::Config,
    schemas: &'a Schemas,
    checked: &'a dyn crate::validate::memo::Memo,
) -> crate::validate::Reading<'a> {
    crate::validate::Reading {
        prefetched: None,
        config,
        schemas,
        proofread: &(),
        checked,
    }
}

/// Everything a loaded file holds, body and version text included (`Debug` shows every field).
fn shown(l: &crate::validate::LoadedFile) -> String {
    format!("{:?} {:?} {:?} {:?}", l.doc, l.body, l.version, l.diags)
}

#[test]
fn a_kept_check_gives_back_exactly_what_checking_the_file_gives() {
    let (site, config, schemas) = site();
    let root = site.path();
    std::fs::write(root.join("content/documents/附件1.pdf"), b"%PDF-1.7").unwrap();
    let file = Path::new("content/documents/a-1.md");
    let memo = InMemory::default();
    let with = |checked| reading(&config, &schemas, checked);
    let mut runner = TestRunner::new(RunnerConfig::with_cases(128));
    runner
        .run(&document(), |bytes| {
            std::fs::write(root.join(file), &bytes).unwrap();
            let checked = crate::validate::load_document(root, file, with(&()));
            let first = crate::validate::load_document(root, file, with(&memo));
            let stored = memo.1.load(std::sync::atomic::Ordering::Relaxed);
            let kept = crate::validate::load_document(root, file, with(&memo));
            let again = memo.1.load(std::sync::atomic::Ordering::Relaxed);
            prop_assert_eq!(again, stored, "the kept check was not reused");
            prop_assert_eq!(shown(&first), shown(&checked));
            prop_assert_eq!(shown(&kept), shown(&checked));
            Ok(())
        })
        .unwrap();
    assert!(memo.0.lock().unwrap().len() > 64, "the checks were kept");
}

#[test]
fn a_kept_check_is_not_reused_once_an_attachment_changed() {
    let (site, config, schemas) = site();
    let root = site.path();
    let docs = root.join("content/documents");
    std::fs::create_dir_all(docs.join("files")).unwrap();
    let file = Path::new("content/documents/a-1.md");
    std::fs::write(
        root.join(file),
        "---\ntitle: 关于测试的通知\nkind: policy\nissuer: 洛阳市人民政府\npublished: 2024-03-18\n\
         attachments:\n  - files/附件1.pdf\n---\n正文。\n",
    )
    .unwrap();
    let memo = InMemory::default();
    let with = |checked| reading(&config, &schemas, checked);
    let pdf = docs.join("files/附件1.pdf");
    // Each state of the attachment, checked through the memo (kept from the state before) and
    // without it: the same answer, and each change is seen.
    let mut answers = Vec::new();
    let states: [&dyn Fn(); 5] = [
        &|| std::fs::write(&pdf, b"%PDF-1.7").unwrap(),
        &|| std::fs::write(&pdf, b"%PDF-1.7 longer").unwrap(),
        &|| std::fs::remove_file(&pdf).unwrap(),
        &|| std::fs::create_dir(&pdf).unwrap(),
        &|| {
            std::fs::remove_dir(&pdf).unwrap();
            std::fs::rename(docs.join("files"), docs.join("real")).unwrap();
            std::os::unix::fs::symlink(docs.join("real"), docs.join("files")).unwrap();
            std::fs::write(docs.join("real/附件1.pdf"), b"%PDF-1.7").unwrap();
        },
    ];
    for state in states {
        state();
        let kept = crate::validate::load_document(root, file, with(&memo));
        let checked = crate::validate::load_document(root, file, with(&()));
        assert_eq!(shown(&kept), shown(&checked));
        answers.push(shown(&checked));
    }
    answers.dedup();
    assert_eq!(
        answers.len(),
        5,
        "every state reads differently: {answers:#?}"
    );
}
