//! Which output a build may replace (issue 16): only what gazette made.
//!
//! Publishing swaps a whole folder in, so whatever stood at `--output` before is gone. A build
//! may therefore replace only an output that does not exist, an empty folder, or a folder that
//! carries the [`MARKER`] file an earlier gazette build left in it; anything else (a file, a
//! folder of someone's work, `.git`, `content/`) is refused before anything is written, with
//! the path and what is there. The site root, a folder containing it, the folders the build
//! reads, and any path inside a `.git` folder are refused even when empty.
//!
//! A symbolic link at `--output` (`public -> /var/www/gazette`, the usual deployment) is
//! followed: its target is checked by the same rules, and the build publishes a new folder
//! beside the target and then switches the link to it ([`super::Staging`]).

use std::path::{Component, Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// The file every published site holds, saying that gazette made the folder and may replace it.
pub(crate) const MARKER: &str = ".gazette-output";

/// What the marker file says to a person who finds it.
pub(crate) const MARKER_TEXT: &str =
    "此文件夹由 gazette 生成。下次生成时整个文件夹会被替换，请勿在其中存放其他文件。\n";

/// Folders of the site that a build reads: never an output, nor anything inside them.
const READ: &[&str] = &["content", "themes", "templates", "static", "schemas"];

/// Where a build publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A folder (or nothing yet) at the output path, replaced whole.
    Folder(PathBuf),
    /// A symbolic link at `link`, pointing to the folder `target` (as `text` spells it): a new
    /// folder is published beside `target` and the link switched to it.
    Link {
        link: PathBuf,
        target: PathBuf,
        text: PathBuf,
    },
}

/// Checks that a build of the site at `root` may replace `output`, and says how to publish.
pub(crate) fn check(root: &Path, output: &Path) -> Result<Target, Diagnostic> {
    // `public/` names the link `public`, not the folder it points to.
    let output: PathBuf = output.components().collect();
    let output = output.as_path();
    let root_abs = resolve(root);
    forbidden(&root_abs, &resolve_parent(output), output)?;
    match std::fs::symlink_metadata(output) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Folder(output.into())),
        Err(e) => Err(super::fs::io_error(output, "检查输出路径", e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            let text = std::fs::read_link(output)
                .map_err(|e| super::fs::io_error(output, "读取符号链接", e))?;
            let target = match output.parent() {
                Some(parent) => parent.join(&text),
                None => text.clone(),
            };
            forbidden(&root_abs, &resolve(&target), &target)?;
            match std::fs::symlink_metadata(&target) {
                Ok(m) if m.is_dir() => ours(&target)?,
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(refused(
                        output,
                        "指向另一个符号链接",
                        "让链接直接指向网站文件夹",
                    ));
                }
                Ok(_) => {
                    return Err(refused(output, "指向一个文件", "让链接指向一个文件夹"));
                }
                Err(_) => {}
            }
            Ok(Target::Link {
                link: output.into(),
                target,
                text,
            })
        }
        Ok(meta) if meta.is_dir() => {
            ours(output)?;
            Ok(Target::Folder(output.into()))
        }
        Ok(_) => Err(refused(
            output,
            "是一个文件，不是文件夹",
            "生成会用网站替换它：请换一个不存在的或空的文件夹，如默认的 public/",
        )),
    }
}

/// A folder the build may replace: empty, or marked as a previous build's output.
fn ours(dir: &Path) -> Result<(), Diagnostic> {
    let mut entries: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| super::fs::io_error(dir, "读取输出文件夹", e))?
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    if entries.is_empty() || entries.iter().any(|n| n == MARKER) {
        return Ok(());
    }
    entries.sort();
    let shown: Vec<String> = entries.iter().take(3).map(|n| format!("`{n}`")).collect();
    let what = if entries.len() > 3 {
        format!("{} 等 {} 项", shown.join("、"), entries.len())
    } else {
        shown.join("、")
    };
    Err(Diagnostic::new(
        Code::OutputNotOurs,
        format!(
            "输出文件夹 {} 不是 gazette 生成的，里面有 {what}；生成会整个替换它，所以没有动它",
            dir.display()
        ),
    )
    .hint(format!(
        "请换一个不存在的或空的文件夹；若它确是旧版 gazette 生成的网站，先删除它（gazette 生成的文件夹里有 {MARKER} 文件）"
    )))
}

/// Refuses outputs that must never be replaced, whatever they hold. `abs` is `shown` resolved.
fn forbidden(root: &Path, abs: &Path, shown: &Path) -> Result<(), Diagnostic> {
    let why = if root.starts_with(abs) {
        Some("是站点根文件夹或包含它")
    } else if let Some(dir) = READ.iter().find(|d| abs.starts_with(root.join(d))) {
        Some(match *dir {
            "content" => "在 content/ 之中",
            "themes" => "在 themes/ 之中",
            "templates" => "在 templates/ 之中",
            "static" => "在 static/ 之中",
            _ => "在 schemas/ 之中",
        })
    } else if abs.components().any(|c| c.as_os_str() == ".git") {
        Some("在 .git 文件夹之中")
    } else {
        None
    };
    match why {
        Some(why) => Err(Diagnostic::new(
            Code::UnsafePath,
            format!("不能把网站输出到 {}:{why}", shown.display()),
        )
        .hint("输出文件夹会被整个替换：请用站点内单独的文件夹，如默认的 public/")),
        None => Ok(()),
    }
}

fn refused(output: &Path, what: &str, hint: &str) -> Diagnostic {
    Diagnostic::new(
        Code::OutputNotOurs,
        format!(
            "输出路径 {} {what}；生成会整个替换它，所以没有动它",
            output.display()
        ),
    )
    .hint(hint)
}

/// `p` absolute, with `.` and `..` applied and every symbolic link in the part that exists
/// followed (`--output link/..` and `--output link-to-root` are what they point at).
fn resolve(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let abs = lexical(&abs);
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// [`resolve`] of the folder that holds `p`, joined with `p`'s own name: the output itself
/// may be a link, which is checked separately (through its target).
fn resolve_parent(p: &Path) -> PathBuf {
    let abs = lexical(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => resolve(parent).join(name),
        _ => abs,
    }
}

fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absent_empty_or_marked_folders_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let out = dir.path().join("out");
        assert_eq!(check(&root, &out), Ok(Target::Folder(out.clone())));
        std::fs::create_dir(&out).unwrap();
        assert!(check(&root, &out).is_ok());
        std::fs::write(out.join("notes.txt"), "precious").unwrap();
        let e = check(&root, &out).unwrap_err();
        assert_eq!(e.code, Code::OutputNotOurs);
        assert!(e.message.contains("`notes.txt`"), "{}", e.message);
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check(&root, &out).is_ok());
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "precious").unwrap();
        assert_eq!(check(&root, &file).unwrap_err().code, Code::OutputNotOurs);
    }

    #[test]
    fn the_root_what_the_build_reads_and_git_are_never_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join(".git/x")).unwrap();
        for bad in [
            root.clone(),
            dir.path().to_path_buf(),
            root.join("content"),
            root.join("content/out"),
            root.join(".git/x"),
            root.join("public/../content"),
        ] {
            let e = check(&root, &bad).unwrap_err();
            assert_eq!(e.code, Code::UnsafePath, "{}", bad.display());
        }
        // Through a link to the root.
        std::os::unix::fs::symlink(&root, dir.path().join("link")).unwrap();
        let e = check(&root, &dir.path().join("link")).unwrap_err();
        assert_eq!(e.code, Code::UnsafePath);
        let e = check(&root, &dir.path().join("link/content/x")).unwrap_err();
        assert_eq!(e.code, Code::UnsafePath);
    }

    #[test]
    fn a_link_is_followed_and_its_target_checked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let www = dir.path().join("www");
        std::fs::create_dir_all(&www).unwrap();
        std::os::unix::fs::symlink("../www", root.join("public")).unwrap();
        let got = check(&root, &root.join("public")).unwrap();
        assert_eq!(
            got,
            Target::Link {
                link: root.join("public"),
                target: root.join("../www"),
                text: PathBuf::from("../www"),
            }
        );
        let slash = check(&root, &root.join("public/")).unwrap();
        assert!(matches!(slash, Target::Link { .. }), "{slash:?}");
        std::fs::write(www.join("index.php"), "<?php").unwrap();
        let e = check(&root, &root.join("public")).unwrap_err();
        assert_eq!(e.code, Code::OutputNotOurs);
    }
}
