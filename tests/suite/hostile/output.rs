//! `--output` is replaced whole by a build (issue 16): only an output that gazette made may
//! be, and a symbolic link is followed and switched, never replaced by a folder.

use std::path::Path;

use super::{build, build_ok, readme, site};
use crate::harness::{contents, stderr};

/// Every file under `dir` with its bytes (a folder that must not change).
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    contents(dir)
}

#[test]
fn an_output_gazette_did_not_make_is_refused_and_left_alone() {
    readme("output-not-ours");
    let s = site("output-not-ours");
    let root = s.path();
    super::write(root, "content/documents/a.md", super::doc("", "正文。\n"));
    super::write(root, "notes.txt", "precious\n");
    super::write(root, "work/report.docx", "someone's work");
    super::write(root, "work/drafts/1.txt", "draft");
    super::write(root, ".git/HEAD", "ref: refs/heads/main\n");
    let before = snapshot(root);
    let cases: &[(&str, &str, &str)] = &[
        ("notes.txt", "output-not-ours", "是一个文件"),
        ("gazette.toml", "output-not-ours", "是一个文件"),
        ("work", "output-not-ours", "`drafts/`、`report.docx`"),
        (".git", "unsafe-path", ".git"),
        (".git/public", "unsafe-path", ".git"),
        ("content", "unsafe-path", "content/"),
        ("content/documents", "unsafe-path", "content/"),
        (".", "unsafe-path", "站点根文件夹"),
        ("..", "unsafe-path", "站点根文件夹"),
    ];
    for (rel, code, what) in cases {
        let out = root.join(rel);
        let o = build(root, &out, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{rel}: {err}");
        assert!(err.contains(&format!("[{code}]")), "{rel}: {err}");
        assert!(err.contains(what), "{rel}: {err}");
        // Named as given (less a trailing `/` or `.`).
        let shown: std::path::PathBuf = out.components().collect();
        assert!(
            err.contains(&shown.display().to_string()),
            "{rel}: the path: {err}"
        );
    }
    // A link whose target is the site root is the site root.
    std::os::unix::fs::symlink(root, root.join("link")).unwrap();
    let o = build(root, &root.join("link"), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("[unsafe-path]"), "{}", stderr(&o));
    std::fs::remove_file(root.join("link")).unwrap();
    assert!(
        snapshot(root) == before,
        "a refused build changed the site's files"
    );
    let beside: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-") || n.contains(".old-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn empty_and_previously_built_outputs_are_replaced() {
    let s = site("output-not-ours");
    let root = s.path();
    super::write(root, "content/documents/a.md", super::doc("", "正文。\n"));
    let out = root.join("empty");
    std::fs::create_dir(&out).unwrap();
    build_ok(root, &out, &[]);
    assert!(out.join("index.html").is_file());
    assert!(out.join(".gazette-output").is_file(), "the marker");
    // The second build replaces the first (the marker says it is ours).
    std::fs::write(out.join("stale.html"), "old").unwrap();
    build_ok(root, &out, &["--no-cache"]);
    assert!(out.join("index.html").is_file());
    assert!(!out.join("stale.html").exists());
}

#[test]
fn a_linked_output_is_followed_and_switched_not_replaced() {
    readme("output-symlink");
    let s = site("output-symlink");
    let root = s.path();
    super::write(root, "content/documents/a.md", super::doc("", "正文。\n"));
    let www = root.join("www");
    std::fs::create_dir_all(www.join("gazette")).unwrap();
    let link = root.join("public");
    std::os::unix::fs::symlink("www/gazette", &link).unwrap();
    build_ok(root, &link, &[]);
    let first = std::fs::read_link(&link).expect("public is still a symbolic link");
    assert!(
        first.starts_with("www"),
        "relative as written: {}",
        first.display()
    );
    assert_ne!(first, Path::new("www/gazette"));
    assert!(root.join(&first).join("index.html").is_file());
    assert!(link.join("index.html").is_file());
    // Rebuilt (without the cache: a real build, not "nothing changed"): a new folder, the link switched to it, the
    // previous one removed in the background.
    let o = build(root, &link, &["--no-cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let second = std::fs::read_link(&link).expect("still a link");
    assert_ne!(second, first);
    assert!(root.join(&second).join("index.html").is_file());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let versions = || -> Vec<String> {
        std::fs::read_dir(&www)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    while versions().len() > 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        versions(),
        vec![second.file_name().unwrap().to_string_lossy().into_owned()]
    );
    // A target holding someone's files is refused, and the link left alone.
    std::fs::remove_file(&link).unwrap();
    super::write(root, "www/blog/index.php", "<?php");
    std::os::unix::fs::symlink("www/blog", &link).unwrap();
    let o = build(root, &link, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("`index.php`"), "{}", stderr(&o));
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("www/blog"));
    assert_eq!(
        std::fs::read_to_string(www.join("blog/index.php")).unwrap(),
        "<?php"
    );
}
