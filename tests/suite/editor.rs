//! The editor's commands on the real binary: `check` (human and JSON), `new`, `init`,
//! `completions`, and what `build` prints.

use std::path::Path;

use crate::harness::{AS_OF, read, run, sample_site, stderr, stdout};

const BROKEN: &str = "content/documents/2021/lzb-2021-18.md";

fn root_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Renames `expires:` to `expire:` in a normative document: an unknown key and a missing one.
fn break_document(root: &Path) {
    let doc = root.join(BROKEN);
    let text = read(&doc).replace("expires:", "expire:");
    std::fs::write(doc, text).unwrap();
}

fn check_json(root: &Path, as_of: Option<&str>) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["check", "--root", root_arg(root), "--format", "json"];
    if let Some(d) = as_of {
        args.extend(["--as-of", d]);
    }
    let o = run(&args);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}\n{}", stdout(&o), stderr(&o)));
    (
        o.status.code().unwrap_or(-1),
        v.as_array().expect("a JSON array").clone(),
    )
}

#[test]
fn check_json_has_the_documented_keys_and_the_exit_codes_of_build() {
    let site = sample_site();
    let root = site.path();
    let (code, items) = check_json(root, Some(AS_OF));
    assert_eq!(code, 0, "{items:?}");
    // The sample has one warning on this date: warnings do not fail the check.
    assert!(
        items.iter().all(|d| d["severity"] == "warning"),
        "{items:?}"
    );

    break_document(root);
    let (code, items) = check_json(root, Some(AS_OF));
    assert_eq!(code, 1);
    for d in &items {
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code", "column", "file", "hint", "line", "message", "severity"
            ]
        );
    }
    let unknown = items
        .iter()
        .find(|d| d["code"] == "unknown-key")
        .expect("unknown-key reported");
    assert_eq!(unknown["file"], BROKEN);
    assert_eq!(unknown["line"], 10);
    assert_eq!(unknown["column"], 1);
    assert_eq!(unknown["severity"], "error");
    assert!(unknown["hint"].as_str().unwrap().contains("expires"));

    // `build` fails on the same content with the same code; usage errors are 2 for both.
    let b = run(&["build", "--root", root_arg(root), "--as-of", AS_OF]);
    assert_eq!(b.status.code(), Some(1));
    assert_eq!(run(&["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(
        run(&["build", "--as-of", "2026-02-30"]).status.code(),
        Some(2)
    );
}

#[test]
fn check_for_people_shows_the_place_the_line_and_a_hint_and_writes_nothing() {
    let site = sample_site();
    let root = site.path();
    break_document(root);
    let o = run(&["check", "--root", root_arg(root), "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("--> {BROKEN}:10:1")), "{err}");
    assert!(err.contains("10 | expire: 2026-07-31"), "{err}");
    assert!(err.contains("提示：是否应为 `expires`？"), "{err}");
    assert!(!err.contains('\x1b'), "no colours off a terminal");
    assert!(!root.join("public").exists(), "check writes nothing");
}

/// Runs `gazette new` and returns the path it printed, which must exist.
fn new_doc(root: &Path, args: &[&str]) -> std::path::PathBuf {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend(["--root", root_arg(root)]);
    let o = run(&all);
    assert!(o.status.success(), "new failed:\n{}", stderr(&o));
    let path = std::path::PathBuf::from(stdout(&o).trim());
    assert!(path.is_file(), "{} printed but missing", path.display());
    path
}

fn value_of<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no `{key}` in\n{text}"))
        .split("  #")
        .next()
        .unwrap()
}

#[test]
fn new_writes_the_kinds_contract_and_check_flags_each_placeholder_until_filled() {
    let site = sample_site();
    let root = site.path();
    let doc = new_doc(
        root,
        &[
            "normative",
            "--title",
            "洛阳市人民政府办公室关于印发测试办法的通知",
            "--issuer",
            "市政府办公室",
        ],
    );
    let rel = doc
        .strip_prefix(root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let text = read(&doc);
    let id = value_of(&text, "id").to_string();
    assert!(
        id.starts_with("normative-") && id.ends_with("-1") && id.is_ascii(),
        "{id}"
    );
    let published = value_of(&text, "published").to_string();
    assert!(
        rel.ends_with(&format!("{}/{id}.md", &published[..4])),
        "{rel}"
    );
    assert_eq!(
        value_of(&text, "issuer"),
        "洛阳市人民政府办公室",
        "short name expanded"
    );
    for key in [
        "doc_number",
        "issued",
        "effective",
        "expires",
        "summary",
        "interpretation:",
    ] {
        assert!(text.contains(&format!("\n{key}")), "{key} missing:\n{text}");
    }

    // Each placeholder is an error at its own line.
    let (code, items) = check_json(root, None);
    assert_eq!(code, 1);
    let mine: Vec<&serde_json::Value> = items.iter().filter(|d| d["file"] == rel).collect();
    let placeholder_lines: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && l.contains("待填写"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(mine.len(), placeholder_lines.len(), "{mine:?}");
    for d in &mine {
        assert_eq!(d["code"], "placeholder", "{d}");
        assert!(
            placeholder_lines.contains(&d["line"].as_u64().unwrap()),
            "{d}"
        );
    }

    // An interpretation for it, then every placeholder filled in: the site checks clean.
    let jd = new_doc(
        root,
        &[
            "interpretation",
            "--title",
            "《测试办法》解读",
            "--issuer",
            "洛阳市人民政府办公室",
        ],
    );
    let year: i32 = published[..4].parse().unwrap();
    let filled = fill(
        &text,
        &[
            ("doc_number", "洛政办〔2026〕99号"),
            ("issued", &published),
            ("effective", &published),
            ("expires", &format!("{}-01-01", year + 2)),
            ("summary", "测试用的概述。"),
        ],
    )
    .replace("interpretation:", "interpretation_removed:")
    .lines()
    .filter(|l| !l.starts_with("interpretation_removed:") && *l != "  - 待填写")
    .map(|l| format!("{l}\n"))
    .collect::<String>()
    .replace("subjects:  #", "subjects:\n  - 政务公开\n#");
    std::fs::write(&doc, filled).unwrap();
    let jd_text = fill(&read(&jd), &[("interprets", &id), ("summary", "解读。")])
        .replace("  - 待填写\n", "  - 政务公开\n");
    std::fs::write(&jd, jd_text).unwrap();
    let (code, items) = check_json(root, None);
    assert!(
        items.iter().all(|d| d["severity"] == "warning"),
        "{}\n{}\n{items:#?}",
        read(&doc),
        read(&jd)
    );
    assert_eq!(code, 0);
}

/// Replaces the value of each `key: 待填写 …` line.
fn fill(text: &str, values: &[(&str, &str)]) -> String {
    text.lines()
        .map(|l| {
            for (k, v) in values {
                if l.starts_with(&format!("{k}: 待填写")) {
                    return format!("{k}: {v}\n");
                }
            }
            format!("{l}\n")
        })
        .collect()
}

#[test]
fn new_refuses_to_overwrite_and_names_the_kinds_for_an_unknown_one() {
    let site = sample_site();
    let root = site.path();
    let doc = new_doc(
        root,
        &["notice", "--title", "关于测试的公告", "--id", "test-notice"],
    );
    assert!(doc.ends_with("test-notice.md"));
    std::fs::write(&doc, "mine").unwrap();

    let again = run(&[
        "new",
        "notice",
        "--title",
        "x",
        "--id",
        "test-notice",
        "--root",
        root_arg(root),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("没有覆盖"), "{}", stderr(&again));
    assert_eq!(read(&doc), "mine");
    // An id used by another file's front matter counts too.
    let taken = run(&[
        "new",
        "notice",
        "--title",
        "x",
        "--id",
        "lzb-2021-18",
        "--root",
        root_arg(root),
    ]);
    assert_eq!(taken.status.code(), Some(1));

    let unknown = run(&["new", "normtive", "--title", "x", "--root", root_arg(root)]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = stderr(&unknown);
    assert!(err.contains("`normative`"), "nearest kind: {err}");
    for kind in [
        "regulation",
        "policy",
        "interpretation",
        "notice",
        "personnel",
        "report",
    ] {
        assert!(err.contains(kind), "{kind} listed: {err}");
    }
    let bad_id = run(&[
        "new",
        "notice",
        "--title",
        "x",
        "--id",
        "Bad_Id",
        "--root",
        root_arg(root),
    ]);
    assert_eq!(bad_id.status.code(), Some(2));
    let bad_issuer = run(&[
        "new",
        "notice",
        "--title",
        "x",
        "--issuer",
        "洛阳市财正局",
        "--root",
        root_arg(root),
    ]);
    assert_eq!(bad_issuer.status.code(), Some(2));
    assert!(
        stderr(&bad_issuer).contains("洛阳市财政局"),
        "{}",
        stderr(&bad_issuer)
    );
}

#[test]
fn new_ids_count_up_and_titles_that_need_quoting_survive() {
    let site = sample_site();
    let root = site.path();
    let a = new_doc(
        root,
        &[
            "report",
            "--title",
            "报告: 第一号 #1",
            "--issuer",
            "洛阳市人民政府",
        ],
    );
    let b = new_doc(
        root,
        &["report", "--title", "x", "--issuer", "洛阳市人民政府"],
    );
    assert!(a.to_str().unwrap().ends_with("-1.md"), "{}", a.display());
    assert!(b.to_str().unwrap().ends_with("-2.md"), "{}", b.display());
    assert!(read(&a).contains("title: \"报告: 第一号 #1\""));
    // The report kind needs no doc_number, expires or interpretation: only comments for them.
    let text = read(&a);
    for key in ["doc_number", "expires", "interpretation"] {
        assert!(!text.contains(&format!("\n{key}:")), "{key}");
    }
}

#[test]
fn init_makes_a_site_that_checks_clean_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("新站点");
    let o = run(&["init", root_arg(&root)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (code, items) = check_json(&root, None);
    assert_eq!((code, items.len()), (0, 0), "{items:#?}");
    // The examples are dated today: built as of today, none of them is embargoed.
    let out = root.join("public");
    let b = run(&["build", "--root", root_arg(&root), "--quiet"]);
    assert!(b.status.success(), "{}", stderr(&b));
    for kind_page in ["szfl-1", "szfgzbg-", "jd-szb-", "szb-gg-", "szr-", "szf-"] {
        let found = std::fs::read_dir(out.join("documents"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(kind_page));
        assert!(found, "{kind_page}");
    }
    let toml = read(root.join("gazette.toml"));
    assert!(toml.contains("[[issuers]]") && toml.contains("[[subjects]]"));
    let ignore = read(root.join(".gitignore"));
    for line in [
        "/public/",
        "/.public.lock",
        "/.public.previous/",
        "/.gazette-cache/",
    ] {
        assert!(ignore.lines().any(|l| l == line), "{line}");
    }
    // The normative example and its interpretation name each other.
    let normative = std::fs::read_dir(out.join("documents"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("szb-2"))
        .unwrap();
    let page = read(normative.path().join("index.html"));
    assert!(page.contains("jd-szb-"), "links to its interpretation");

    // A folder with anything in it is refused and left alone.
    let again = run(&["init", root_arg(&root)]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(read(root.join("gazette.toml")), toml);
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_gazette()"),
        ("zsh", "#compdef gazette"),
        ("fish", "complete -c gazette"),
    ] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let out = stdout(&o);
        assert!(out.contains(marker), "{shell}: {out}");
        for cmd in ["build", "check", "new", "init", "serve"] {
            assert!(out.contains(cmd), "{shell} completes {cmd}");
        }
    }
    assert_eq!(run(&["completions", "cmd.exe"]).status.code(), Some(2));
}

#[test]
fn build_prints_one_summary_line_off_a_terminal_and_nothing_when_quiet() {
    let site = sample_site();
    let root = site.path();
    let o = run(&["build", "--root", root_arg(root), "--as-of", AS_OF]);
    assert!(o.status.success());
    let err = stderr(&o);
    let summary = err.lines().last().unwrap();
    assert!(
        summary.contains("48 份文件") && summary.contains("个页面") && summary.contains("秒"),
        "{err}"
    );
    // Embargoed documents (legal-model.md §6) are counted and dated, not published.
    assert!(
        err.contains("另有 3 份文件尚未到发布日期，暂不发布；最早一份将于2026年11月24日发布"),
        "{err}"
    );
    assert!(
        !err.contains('\x1b') && !err.contains('\r'),
        "no bar, no colours: {err:?}"
    );

    let q = run(&[
        "build",
        "--root",
        root_arg(root),
        "--as-of",
        AS_OF,
        "--quiet",
    ]);
    assert!(q.status.success());
    assert_eq!(stderr(&q), "");
    assert_eq!(stdout(&q), "");
}

mod docx;
mod import;
mod words;
