//! What the editor reads: `gazette fix`, YAML messages without the parser's English, `gazette
//! new` by label and for an issue with an id from the 文号, Chinese `--help` and usage lines.

use std::path::Path;

use crate::harness::{check_lines, fixture, read, run, sample_site, stderr, stdout};

/// A site with the contract's gazette.toml and the documents of `case`.
fn site(case: &str) -> tempfile::TempDir {
    crate::contract::site_for(&fixture(&format!("contract/{case}")))
}

fn r(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn fix_applies_the_safe_fixes_prints_a_diff_and_check_mode_fails_ci() {
    let s = site("proofread");
    let root = s.path();
    let doc = root.join("content/documents/a.md");
    let before = read(&doc);
    let c = run(&["fix", "--check", "--root", r(root)]);
    assert_eq!(c.status.code(), Some(1), "{}", stderr(&c));
    assert_eq!(read(&doc), before, "--check writes nothing");
    assert!(
        stdout(&c)
            .contains("--- content/documents/a.md\n+++ content/documents/a.md\n@@ -2 +2 @@\n"),
        "{}",
        stdout(&c)
    );

    let f = run(&["fix", "--root", r(root)]);
    assert_eq!(f.status.code(), Some(0), "{}", stderr(&f));
    assert_eq!(stdout(&f), stdout(&c), "fix prints the diff it applies");
    let after = read(&doc);
    let expected = before
        .replace("(试行)的通知", "（试行）的通知")
        .replace("明确范围,内容", "明确范围，内容")
        .replace("各县(市、区)人民政府:", "各县（市、区）人民政府：")
        .replace(
            "《关于修改《洛阳市物业管理办法》的决定》,",
            "《关于修改〈洛阳市物业管理办法〉的决定》，",
        );
    assert_eq!(after, expected);
    // Code, URLs, numbers and English are left alone.
    for kept in [
        "代码,不改",
        "1,000 and 3:30",
        "?b=1,c",
        "`code,中文`",
        "English text,",
    ] {
        assert!(after.contains(kept), "{kept}");
    }
    let again = run(&["fix", "--check", "--root", r(root)]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    // What fix cannot decide stays a warning of check.
    let (code, lines) = check_lines(root);
    assert_eq!(code, 0, "{lines}");
    let codes: Vec<&str> = lines
        .lines()
        .filter_map(|l| {
            l.split_once("warning[")
                .map(|(_, c)| c.split(']').next().unwrap())
        })
        .collect();
    assert_eq!(
        codes,
        [
            "punctuation-repeat",
            "doc-number-in-text",
            "punctuation-pair"
        ],
        "{lines}"
    );
}

#[test]
fn a_build_with_its_cache_warns_as_check_does_and_proofreads_an_edited_file_again() {
    let s = site("proofread");
    let root = s.path();
    let warnings = |o: &std::process::Output| -> Vec<String> {
        assert!(o.status.success(), "{}", stderr(o));
        stderr(o)
            .lines()
            .filter(|l| l.contains("warning["))
            .map(str::to_string)
            .collect()
    };
    let build = || run(&["build", "--root", r(root), "--as-of", crate::harness::AS_OF]);
    let first = warnings(&build());
    assert!(first.len() >= 4, "{first:?}");
    let kept = root.join(".gazette-cache");
    assert!(
        walkdir::WalkDir::new(&kept).into_iter().flatten().any(|e| e
            .path()
            .components()
            .any(|c| c.as_os_str() == "proofread")
            && e.file_type().is_file()),
        "the proofreading is kept in the cache"
    );
    // Something else changes: the same file's warnings come from the cache, word for word.
    let config = root.join("gazette.toml");
    std::fs::write(&config, format!("{}\n# 改动\n", read(&config))).unwrap();
    assert_eq!(warnings(&build()), first);
    // The file changes: proofread again, the fixed slip no longer reported.
    let doc = root.join("content/documents/a.md");
    std::fs::write(&doc, read(&doc).replace("明确范围,内容", "明确范围，内容")).unwrap();
    let third = warnings(&build());
    assert_eq!(third.len(), first.len() - 1, "{third:?}");
    assert!(third.iter().all(|w| first.contains(w)), "{third:?}");
}

#[test]
fn fix_keeps_crlf_and_bom() {
    let s = site("proofread");
    let doc = s.path().join("content/documents/a.md");
    let text = format!("\u{feff}{}", read(&doc).replace('\n', "\r\n"));
    std::fs::write(&doc, &text).unwrap();
    assert!(run(&["fix", "--root", r(s.path())]).status.success());
    let after = read(&doc);
    assert!(
        after.starts_with('\u{feff}') && after.contains("人民政府：\r\n"),
        "{after:?}"
    );
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
}

/// Any run of three ASCII letters in a message or hint outside backticks: the parser's English.
fn english(s: &str) -> Option<String> {
    let mut outside = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 0 {
            outside.push_str(part);
            outside.push(' ');
        }
    }
    outside
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| {
            w.len() >= 3
                && !["YAML", "Tab", "UTF", "front", "matter", "Word", "gazette"].contains(w)
        })
        .map(str::to_string)
}

/// Messages and hints without the place and the severity label (`error[yaml-syntax]`).
fn bare(lines: &str) -> String {
    lines
        .lines()
        .map(|l| match l.split_once("] ") {
            Some((_, msg)) if !l.starts_with("  hint: ") => msg,
            _ => l.trim_start_matches("  hint: "),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn yaml_slips_are_named_in_chinese_with_the_fix() {
    for (case, line, col, says) in [
        ("yaml-full-width-colon", 2, 6, "全角冒号"),
        ("yaml-tab", 7, 1, "请用空格缩进"),
        ("yaml-duplicate-key", 5, 1, "写了两次"),
        ("yaml-no-space", 5, 11, "缺少空格"),
        ("yaml-syntax", 4, 9, "没有配对的 `]`"),
    ] {
        let s = site(case);
        let (code, lines) = check_lines(s.path());
        assert_eq!(code, 1, "{case}: {lines}");
        let first = lines.lines().next().unwrap();
        assert!(
            first.starts_with(&format!(
                "content/documents/a.md:{line}:{col}: error[yaml-syntax]"
            )),
            "{case}: {lines}"
        );
        assert!(lines.contains(says), "{case}: {lines}");
        assert_eq!(english(&bare(&lines)), None, "{case}: {lines}");
    }
    let (_, lines) = check_lines(site("yaml-full-width-colon").path());
    assert!(lines.contains("改为 `title: 关于测试的通知`"), "{lines}");
}

#[test]
fn every_yaml_error_the_parser_can_give_is_chinese_with_a_place() {
    // One of each family of parser error; none may show the parser's English.
    let cases = [
        "title: \"未闭合\n",
        "title: 'x' y\n",
        "a: [1, 2\n",
        "a: {b: 1\n",
        "a: ]\n",
        "a: *nothing\n",
        "a: !!binary ???\n",
        "a: |\n b\n  c\n",
        "- a\nb: c\n",
        "a: b: c\n",
        "a:\n  - b\n  c: d\n",
        "%TAG ! x\n",
        "a: \"\\q\"\n",
        "? [a]\n: b\n",
        "a: &x 1\nb: &x 2\nc: *y\n",
        "---\na: 1\n---\nb: 2\n",
        "a: @b\n",
        "a: `b\n",
        "[a, b]: c\n",
        "a:\n- b\n - c\n",
    ];
    for yaml in cases {
        let s = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixture("contract/gazette.toml"),
            s.path().join("gazette.toml"),
        )
        .unwrap();
        let docs = s.path().join("content/documents");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("a.md"), format!("---\n{yaml}---\n正文。\n")).unwrap();
        let (_, lines) = check_lines(s.path());
        let Some(first) = lines.lines().next() else {
            continue;
        };
        if first.contains("[yaml-syntax]") || first.contains("[yaml-limit]") {
            assert!(
                first.starts_with("content/documents/a.md:"),
                "{yaml:?}: {lines}"
            );
            assert!(!first.contains(":-:"), "{yaml:?} has no place: {lines}");
            assert!(lines.contains("  hint: "), "{yaml:?}: {lines}");
            assert_eq!(english(&bare(&lines)), None, "{yaml:?}: {lines}");
        }
    }
}

#[test]
fn new_takes_a_label_proposes_the_id_from_the_doc_number_and_makes_issues() {
    let site = sample_site();
    let root = site.path();
    let o = run(&[
        "new",
        "行政规范性文件",
        "--title",
        "关于测试的通知",
        "--issuer",
        "市政府办公室",
        "--doc-number",
        "洛政办〔2026〕30号",
        "--root",
        r(root),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = stdout(&o).trim().to_string();
    assert!(path.ends_with("/lzb-2026-30.md"), "{path}");
    let text = read(&path);
    assert!(
        text.contains("kind: normative\n") && text.contains("doc_number: 洛政办〔2026〕30号\n"),
        "{text}"
    );

    let o = run(&["new", "issue", "2026-07", "--root", r(root)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let issue = read(root.join("content/gazette/2026-07.md"));
    assert!(
        issue.starts_with("---\ntitle: 洛阳市人民政府公报 2026年第7期"),
        "{issue}"
    );
    assert!(issue.contains("published: 待填写"), "{issue}");
    let bad = run(&["new", "issue", "2026-7", "--root", r(root)]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("期号写作 YYYY-NN"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_new_site_of_another_city_never_sees_luoyang_examples() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(run(&["init", r(&root)]).status.success());
    for kind in ["regulation", "normative"] {
        let o = run(&["new", kind, "--title", "关于测试的通知", "--root", r(&root)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = read(stdout(&o).trim());
        assert!(!text.contains('洛'), "{text}");
        let example = text.lines().find(|l| l.starts_with("doc_number:")).unwrap();
        assert!(
            example.contains("如 示例市人民政府令第") || example.contains("如 示政"),
            "{text}"
        );
        // What check says about the file: the hints' examples are this site's too.
        let (_, lines) = check_lines(&root);
        assert!(
            lines.contains("[placeholder]") && !lines.contains('洛'),
            "{lines}"
        );
        assert!(lines.contains("示例市人民政府令第1号"), "{lines}");
        std::fs::remove_file(stdout(&o).trim()).unwrap();
    }
}

#[test]
fn help_and_usage_lines_are_chinese() {
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["import", "--help"],
        &["fix", "-h"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let out = stdout(&o);
        assert!(out.contains("用法："), "{out}");
        for en in [
            "Usage",
            "Options",
            "Commands",
            "Arguments",
            "Print help",
            "[OPTIONS]",
        ] {
            assert!(!out.contains(en), "{args:?}: {en} in\n{out}");
        }
    }
    let o = run(&["build", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.starts_with("error: 不认识的参数 `--bogus`"), "{err}");
    assert!(err.contains("用法：gazette build [选项]"), "{err}");
    let o = run(&["check", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("可选值：human、json"), "{}", stderr(&o));
    let o = run(&["biuld"]);
    assert!(
        stderr(&o).contains("提示：是否应为 `build`？"),
        "{}",
        stderr(&o)
    );
}
