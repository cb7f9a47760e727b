//! Publishing is atomic: the previous site survives any failed build untouched.

use std::path::Path;

use crate::harness::{
    AS_OF, EDITED_DOC, build_command, build_ok, contents, retitle, run, sample_site, stderr,
};

#[test]
fn a_failed_build_leaves_the_published_site_exactly_as_it_was() {
    let site = sample_site();
    let out = build_ok(site.path());
    let before = contents(&out);

    // Break one document the way an editor might.
    let doc = site.path().join("content/documents/2021/lzb-2021-18.md");
    let text = std::fs::read_to_string(&doc)
        .unwrap()
        .replace("expires:", "expire:");
    std::fs::write(&doc, text).unwrap();
    let o = run(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("已发布的网站没有改动"));

    let after = contents(&out);
    assert!(before == after, "the published site changed");
    // No staging leftovers beside it.
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".staging-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_good_build_replaces_the_old_site_whole() {
    let site = sample_site();
    let out = build_ok(site.path());
    std::fs::write(out.join("stale.html"), "old").unwrap();
    build_ok(site.path());
    assert!(
        !out.join("stale.html").exists(),
        "files of the previous build are gone"
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn the_output_may_not_be_the_site_itself_or_inside_content() {
    let site = sample_site();
    let root = site.path().to_str().unwrap();
    for bad in [root.to_string(), format!("{root}/content/out")] {
        let o = run(&["build", "--root", root, "--output", &bad, "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        assert!(stderr(&o).contains("unsafe-path"), "{}", stderr(&o));
    }
    assert!(
        site.path().join("content/documents").is_dir(),
        "content untouched"
    );
}

#[test]
fn the_previous_site_is_swapped_out_whole_and_kept_beside_for_the_next_build() {
    let site = sample_site();
    let out = build_ok(site.path());
    retitle(site.path());
    let again = build_ok(site.path());
    assert_eq!(again, out);
    assert!(
        std::fs::read_to_string(out.join("documents/lzb-2021-18/index.html"))
            .unwrap()
            .contains("城镇老旧小区改造实施细则")
    );
    // The old site goes away in the background; give it a few seconds.
    let beside = || -> Vec<String> {
        std::fs::read_dir(site.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".old-") || n.contains(".staging-"))
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !beside().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(beside(), Vec::<String>::new());
    assert!(
        site.path().join(".public.previous/index.html").is_file(),
        "the site before this build is kept for the next one to write over"
    );
}

/// The site at `root` built from nothing, without the cache, into a folder of its own.
fn fresh_build(root: &Path) -> tempfile::TempDir {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("public");
    let o = build_command(root, &out)
        .arg("--no-cache")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    fresh
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn a_build_over_the_site_before_last_writes_only_what_differs_and_equals_a_fresh_build() {
    let site = sample_site();
    let root = site.path();
    let gone = root.join("content/documents/2019/luoban-2019-zhengwu-gongkai.md");
    let out = build_ok(root);
    let unchanged = out.join("documents/jd-lzb-2021-9/index.html");
    let first_inode = inode(&unchanged);
    let gone_page = out.join("documents/luoban-2019-zhengwu-gongkai");
    assert!(gone_page.join("index.html").is_file());

    // Second build: one title changes; the first site is kept beside the output.
    let other = root.join("content/documents/2026/lzb-2026-3.md");
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, format!("{text}\n本办法自公布之日起施行。\n")).unwrap();
    build_ok(root);
    assert!(root.join(".public.previous").is_dir());
    // A reader's server has a page open (another name of the same file) that both sites
    // share, unchanged since the first build: the next build changes it.
    let served = root.join("served.html");
    std::fs::hard_link(out.join("documents/lzb-2021-18/index.html"), &served).unwrap();
    let served_before = std::fs::read(&served).unwrap();

    // Third build, over the first site: a document withdrawn, another body changed again.
    std::fs::remove_file(&gone).unwrap();
    for doc in [&other, &root.join(EDITED_DOC)] {
        let text = std::fs::read_to_string(doc).unwrap();
        std::fs::write(doc, format!("{text}\n本办法由市司法局负责解释。\n")).unwrap();
    }
    build_ok(root);
    assert_eq!(
        inode(&unchanged),
        first_inode,
        "a page that did not change is the first build's file, not written again"
    );
    assert_eq!(
        std::fs::read(&served).unwrap(),
        served_before,
        "a changed page is a new file, never written through the one being served"
    );
    let fresh = fresh_build(root);
    assert!(
        !out.join("pages/extra").exists(),
        "the page that went is gone"
    );
    let (ours, theirs) = (contents(&out), contents(&fresh.path().join("public")));
    assert_eq!(
        ours.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        theirs.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "the same files as a fresh build, none left over"
    );
    assert!(ours == theirs, "the same bytes as a fresh build");
    // What the build recorded of the site it wrote is what is there: nothing changed since,
    // so the next build does nothing.
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--timings",
    ]);
    assert!(
        stderr(&o).contains("核对未改变"),
        "the next build found the output touched: {}",
        stderr(&o)
    );
    // No folder left empty by the document that went.
    for entry in walkdir::WalkDir::new(&out).min_depth(1) {
        let entry = entry.unwrap();
        if entry.file_type().is_dir() {
            assert!(
                std::fs::read_dir(entry.path()).unwrap().next().is_some(),
                "{} is empty",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_kept_site_touched_since_is_not_written_over() {
    let site = sample_site();
    let root = site.path();
    let out = build_ok(root);
    retitle(root);
    build_ok(root);
    // Someone edits the kept site (or a disk damages it): it no longer matches its record.
    let kept = root.join(".public.previous");
    let page = kept.join("documents/lzb-2026-3/index.html");
    let text = std::fs::read(&page).unwrap();
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&page, [&text[..], b"<!-- tampered -->"].concat()).unwrap();
    std::fs::write(kept.join("stray.html"), "stray").unwrap();
    let doc = root.join(EDITED_DOC);
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, format!("{text}\n本办法自公布之日起施行。\n")).unwrap();
    build_ok(root);
    assert!(!out.join("stray.html").exists());
    let fresh = fresh_build(root);
    assert!(
        contents(&out) == contents(&fresh.path().join("public")),
        "the build started from an empty folder instead"
    );
}

#[test]
fn a_linked_output_is_written_over_the_same_way() {
    let site = sample_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("www")).unwrap();
    std::os::unix::fs::symlink("www/gazette", root.join("public")).unwrap();
    let doc = root.join(EDITED_DOC);
    for n in 1..=3 {
        let text = std::fs::read_to_string(&doc).unwrap();
        std::fs::write(
            &doc,
            format!("{text}\n本办法自公布之日起施行（第{n}次）。\n"),
        )
        .unwrap();
        build_ok(root);
    }
    assert!(
        root.join("www/.gazette.previous").is_dir(),
        "the site before is kept beside the link's target"
    );
    let fresh = fresh_build(root);
    assert!(
        contents(&root.join("public")) == contents(&fresh.path().join("public")),
        "the third build, over the first one's site, equals a fresh build"
    );
}
