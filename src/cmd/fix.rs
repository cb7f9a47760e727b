//! `gazette fix [--check] [PATH…]`: apply the safe proofreading fixes in place, print a diff.
//!
//! Safe means the fix cannot change what a sentence says: half-width punctuation next to
//! Chinese becomes full-width, and a 书名号 inside a 书名号 becomes 〈〉 (GB/T 15834-2011). Code,
//! URLs, link targets, numbers and English text are never touched (see `proofread::scan`).
//! Other findings (an unpaired mark, a repeated mark, a wrong 文号 or date) need a person and
//! are only reported by `gazette check`. With `--check` nothing is written and the exit code is
//! 1 when something would change, for CI. A file is replaced atomically (written beside it,
//! then renamed), keeping its byte-order mark and line endings.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use gazette::proofread;

use super::{EXIT_INVALID, EXIT_OK};
use crate::cli::FixArgs;

pub fn run(args: &FixArgs) -> i32 {
    let root = &args.root.root;
    let starts: Vec<PathBuf> = if args.paths.is_empty() {
        vec![root.join("content")]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    for s in &starts {
        for e in walkdir::WalkDir::new(s).sort_by_file_name().into_iter() {
            match e {
                Ok(e)
                    if e.file_type().is_file()
                        && e.path().extension().is_some_and(|x| x == "md") =>
                {
                    files.push(e.into_path());
                }
                Ok(_) => {}
                Err(err) => {
                    eprintln!("error[io]: 无法读取 {}:{err}", s.display());
                    return EXIT_INVALID;
                }
            }
        }
    }
    let (mut changed, mut total) = (0usize, 0usize);
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            eprintln!("error[io]: 无法读取 {}", f.display());
            return EXIT_INVALID;
        };
        let Ok(raw) = String::from_utf8(bytes) else {
            eprintln!("warning[encoding]: {} 不是 UTF-8 文本，跳过", f.display());
            continue;
        };
        let bom = raw.starts_with('\u{feff}');
        let body = raw.trim_start_matches('\u{feff}');
        let crlf = body.contains("\r\n");
        let text = if crlf {
            body.replace("\r\n", "\n")
        } else {
            body.to_string()
        };
        let (fixed, n) = proofread::fix(&text);
        if n == 0 || fixed == text {
            continue;
        }
        changed += 1;
        total += n;
        // A closed pipe (`gazette fix | head`) must not stop the fixing.
        let _ = write!(
            std::io::stdout().lock(),
            "{}",
            diff(&shown(root, f), &text, &fixed)
        );
        if args.check {
            continue;
        }
        let mut out = if crlf {
            fixed.replace('\n', "\r\n")
        } else {
            fixed
        };
        if bom {
            out.insert(0, '\u{feff}');
        }
        if let Err(e) = replace(f, out.as_bytes()) {
            eprintln!("error[io]: 无法写入 {}:{e}", f.display());
            return EXIT_INVALID;
        }
    }
    match (changed, args.check) {
        (0, _) => {
            eprintln!("无需改正：{} 个文件的标点都符合 GB/T 15834。", files.len());
            EXIT_OK
        }
        (c, true) => {
            eprintln!("{c} 个文件有 {total} 处可自动改正（运行 gazette fix 改正）。");
            EXIT_INVALID
        }
        (c, false) => {
            eprintln!("已改正 {c} 个文件中的 {total} 处。其余问题见 gazette check。");
            EXIT_OK
        }
    }
}

fn shown(root: &Path, f: &Path) -> String {
    let rel = f.strip_prefix(root).unwrap_or(f);
    rel.display().to_string().replace('\\', "/")
}

/// A unified-style diff of changed lines (fixes never add or remove lines).
fn diff(name: &str, old: &str, new: &str) -> String {
    let mut out = format!("--- {name}\n+++ {name}\n");
    for (i, (a, b)) in old.lines().zip(new.lines()).enumerate() {
        if a != b {
            out.push_str(&format!("@@ -{n} +{n} @@\n-{a}\n+{b}\n", n = i + 1));
        }
    }
    out
}

/// Writes `bytes` beside `path` and renames it over `path`.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.gazette-fix"));
    std::fs::write(&tmp, bytes)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
