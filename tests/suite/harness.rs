//! Running the real `gazette` binary on fixture sites copied to temporary folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every test builds with, so statuses are fixed.
pub const AS_OF: &str = "2026-06-30";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gazette"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// Runs `gazette <args>` and returns its output.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette")
}

/// `gazette build --root ROOT --output OUT --as-of AS_OF --quiet`, ready to run, spawn or
/// give more arguments and environment.
pub fn build_command(root: &Path, out: &Path) -> Command {
    let mut c = Command::new(bin());
    c.args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--as-of", AS_OF, "--quiet"])
        .env("NO_COLOR", "1");
    c
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copies a folder recursively (fixtures are small).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temporary site made from the repository's sample site (gazette.toml + content/).
/// The sample document an edit test changes, and its title before and after [`retitle`].
pub const EDITED_DOC: &str = "content/documents/2021/lzb-2021-18.md";
pub const OLD_TITLE: &str = "城镇老旧小区改造实施办法";
pub const NEW_TITLE: &str = "城镇老旧小区改造实施细则";

/// Edits a sample site as an editor would: [`EDITED_DOC`]'s title, [`OLD_TITLE`] → [`NEW_TITLE`].
pub fn retitle(root: &Path) {
    let doc = root.join(EDITED_DOC);
    let text = std::fs::read_to_string(&doc).unwrap();
    assert!(text.contains(OLD_TITLE), "{EDITED_DOC} lost its title");
    std::fs::write(&doc, text.replace(OLD_TITLE, NEW_TITLE)).unwrap();
}

pub fn sample_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("gazette.toml"), dir.path().join("gazette.toml")).unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    dir
}

/// Builds `root` into `<root>/public` at [`AS_OF`]; panics with the diagnostics on failure.
pub fn build_ok(root: &Path) -> PathBuf {
    build_with(root, &[])
}

/// Builds without minifying, for tests that read the HTML as the templates wrote it.
pub fn build_plain(root: &Path) -> PathBuf {
    build_with(root, &["--no-minify"])
}

fn build_with(root: &Path, extra: &[&str]) -> PathBuf {
    let out = root.join("public");
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    out
}

/// Copies the fixture site `name` to a temporary folder and builds it unminified on `as_of`
/// into `<copy>/public`; returns the copy, the output and what the build printed.
pub fn build_fixture_at(name: &str, as_of: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    let out = dir.path().join("public");
    let o = run(&[
        "build",
        "--root",
        dir.path().to_str().unwrap(),
        "--as-of",
        as_of,
        "--no-minify",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, out, stderr(&o))
}

/// Every file under `dir` with its bytes, by path (a site to compare with another).
pub fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(dir.join(&f)).unwrap();
            (f, b)
        })
        .collect()
}

pub fn read(path: impl AsRef<Path>) -> String {
    let p = path.as_ref();
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(base, &e.path(), out);
            } else {
                out.push(e.path().strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The diagnostics of `gazette check --format json` as `file:line:col: code message` lines
/// followed by `  hint: …`, the form the `expected.txt` files are written in.
pub fn check_lines(root: &Path) -> (i32, String) {
    let o = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "check printed no JSON ({e}):\n{}\n{}",
            stdout(&o),
            stderr(&o)
        )
    });
    let mut out = String::new();
    for d in v.as_array().unwrap() {
        let s = |k: &str| d[k].as_str().map(str::to_string).unwrap_or_default();
        let n = |k: &str| {
            d[k].as_u64()
                .map(|x| x.to_string())
                .unwrap_or_else(|| "-".into())
        };
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            s("file"),
            n("line"),
            n("column"),
            s("severity"),
            s("code"),
            s("message")
        ));
        if let Some(h) = d["hint"].as_str() {
            out.push_str(&format!("  hint: {h}\n"));
        }
    }
    (o.status.code().unwrap_or(-1), out)
}
