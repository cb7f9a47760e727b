//! Every rule of the document contract has a failing fixture, and its exact diagnostics —
//! file, line, column, code, message and hint — are asserted.
//!
//! Each folder under `tests/fixtures/contract/` holds the documents of one small site (they are
//! copied to `content/documents/`) and `expected.txt`, the diagnostics in the form
//! `file:line:column: severity[code] message` + `  hint: …`. To re-record after an intended
//! change of wording, run with `GAZETTE_BLESS=1` and review the diff of `expected.txt` files.

use std::path::Path;

use crate::harness::{check_lines, copy_dir, fixture, run, stderr};

pub fn site_for(case: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("contract/gazette.toml"),
        dir.path().join("gazette.toml"),
    )
    .unwrap();
    let docs = dir.path().join("content/documents");
    copy_dir(case, &docs);
    let _ = std::fs::remove_file(docs.join("expected.txt"));
    dir
}

#[test]
fn every_contract_case_reports_its_exact_diagnostics() {
    let root = fixture("contract");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 25,
        "expected a case per rule, found {}",
        cases.len()
    );
    let bless = std::env::var_os("GAZETTE_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let site = site_for(case);
        let (code, got) = check_lines(site.path());
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if got != expected {
            failures.push(format!("── {name}: expected\n{expected}── got\n{got}"));
        }
        let has_error = got.lines().any(|l| l.contains(": error["));
        assert_eq!(
            code,
            if has_error { 1 } else { 0 },
            "{name}: exit code of check"
        );
        assert!(
            !got.is_empty(),
            "{name}: a contract case must report something"
        );

        // `build` agrees with `check` and, failing, writes nothing.
        let o = run(&[
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--as-of",
            crate::harness::AS_OF,
        ]);
        assert_eq!(
            o.status.code(),
            Some(if has_error { 1 } else { 0 }),
            "{name}: build exit code\n{}",
            stderr(&o)
        );
        if has_error {
            assert!(
                !site.path().join("public").exists(),
                "{name}: a failed build wrote public/"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn human_output_shows_file_line_source_and_hint() {
    let site = site_for(&fixture("contract/unknown-key"));
    let o = run(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--as-of",
        crate::harness::AS_OF,
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("error[unknown-key]: 未知的键 `expire`"),
        "{err}"
    );
    assert!(err.contains("--> content/documents/a.md:6:1"), "{err}");
    assert!(err.contains(" 6 | expire: 2026-01-01"), "{err}");
    assert!(err.contains("是否应为 `expires`？"), "{err}");
}

#[test]
fn wrong_usage_exits_with_2() {
    let o = run(&["build", "--as-of", "2026-13-01"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}
