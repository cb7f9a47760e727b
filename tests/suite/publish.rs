//! Publishing is atomic: the previous site survives any failed build untouched.

use crate::harness::{AS_OF, build_ok, files, retitle, run, sample_site, stderr};

#[test]
fn a_failed_build_leaves_the_published_site_exactly_as_it_was() {
    let site = sample_site();
    let out = build_ok(site.path());
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(out.join(&f)).unwrap();
            (f, b)
        })
        .collect();

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

    let after: Vec<(std::path::PathBuf, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(out.join(&f)).unwrap();
            (f, b)
        })
        .collect();
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
fn the_previous_site_is_swapped_out_whole_and_removed_after_the_build() {
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
}
