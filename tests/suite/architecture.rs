//! The shape of the code, as `ARCHITECTURE.md` draws it: each top-level module of `src/` has a
//! rank, and a module may use only modules of a lower rank. So no module imports one that
//! imports it back, and a stage never reaches into a later one (the model into the renderer,
//! the validator into the output). Read from the sources, not from a list kept by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lower first. Modules of the same rank may not use each other either.
const RANKS: &[(&str, u8)] = &[
    ("diag", 0),
    ("source", 1),
    ("contract", 2),
    ("config", 3),
    ("markdown", 4),
    ("proofread", 4),
    ("model", 5),
    ("import", 6),
    ("validate", 6),
    ("cache", 7),
    ("output", 8),
    ("export", 9),
    ("render", 9),
    ("search", 9),
    ("session", 10),
    ("serve", 11),
    // The command line, on top of everything (`main.rs` and `cmd/` are the binary's).
    ("cli", 12),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files of module `name`: `src/name.rs` and everything under `src/name/`, tests aside.
fn files_of(name: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let single = src().join(format!("{name}.rs"));
    if single.is_file() {
        files.push(single);
    }
    let dir = src().join(name);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(dir) {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
        .into_iter()
        .filter(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy();
            !stem.contains("tests") && stem != "props"
        })
        .collect()
}

/// The code of a file without its comments and its `#[cfg(test)] mod tests` block.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules named after `crate::` in `code`, in `crate::x` and in
/// `crate::{x, y::z}`.
fn used(code: &str, known: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|part| part.trim().split("::").next().unwrap_or("").trim())
                .collect()
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            vec![&rest[..end]]
        };
        out.extend(
            names
                .into_iter()
                .filter(|n| known.contains(n))
                .map(String::from),
        );
    }
    out
}

#[test]
fn each_module_uses_only_modules_ranked_below_it() {
    let rank: BTreeMap<&str, u8> = RANKS.iter().copied().collect();
    let known: BTreeSet<&str> = rank.keys().copied().collect();
    // Every module of src/ has a rank: a new one must be placed on the map.
    for entry in std::fs::read_dir(src()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let module = name.trim_end_matches(".rs");
        if !["lib", "main", "cmd"].contains(&module) {
            assert!(
                known.contains(module),
                "src/{name} is not in RANKS (and ARCHITECTURE.md)"
            );
        }
    }
    let mut wrong = Vec::new();
    for (&module, &r) in &rank {
        let files = files_of(module);
        assert!(!files.is_empty(), "no files for module {module}");
        for file in files {
            for other in used(&code(&file), &known) {
                if other != module && rank[other.as_str()] >= r {
                    wrong.push(format!(
                        "{} uses {other} (rank {} ≥ {module}'s {r})",
                        file.strip_prefix(src()).unwrap().display(),
                        rank[other.as_str()]
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the map:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_of_imports_sees_both_forms() {
    let known: BTreeSet<&str> = ["model", "render", "diag"].into_iter().collect();
    let found = used(
        "use crate::model::Site;\nuse crate::{diag::Code, render};\nlet x = crate::other::y;",
        &known,
    );
    assert_eq!(
        found,
        ["diag", "model", "render"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}
