//! `gazette build` on the sample site: what a reader gets in `public/`.

use crate::harness::{
    AS_OF, NEW_TITLE, build_command, build_ok, build_plain, files, read, retitle, run, sample_site,
    stderr,
};

#[test]
fn the_sample_site_builds_into_a_browsable_archive() {
    let site = sample_site();
    let out = build_ok(site.path());
    for page in [
        "index.html",
        "404.html",
        "documents/index.html",
        "documents/luoban-2019-zhengwu-gongkai/index.html",
        "pages/about/index.html",
        "gazette/index.html",
        "gazette/2025/06/index.html",
        "search/index.html",
        "assets/gazette.css",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    // Attachments sit beside their documents; the issue PDF beside its issue.
    assert!(
        out.join("documents/zfxxgk-ndbg-2024/zfxxgk-ndbg-2024.pdf")
            .is_file()
    );
    assert!(
        out.join("documents/lzrz-gg-2024-7/lzrz-gg-2024-7-zongdi.csv")
            .is_file()
    );
    assert!(out.join("gazette/2025/06/2025-06.pdf").is_file());
}

#[test]
fn a_document_page_shows_its_metadata_then_body_then_attachments() {
    let site = sample_site();
    let out = build_plain(site.path());
    let html = read(out.join("documents/zfxxgk-ndbg-2024/index.html"));
    let meta = html.find("class=\"meta-box\"").expect("metadata block");
    let body = html.find("class=\"doc-body\"").expect("body");
    let attachments = html.find("id=\"h-attachments\"").expect("attachments");
    assert!(
        meta < body && body < attachments,
        "order: metadata, body, attachments"
    );
    for label in ["标题", "发文机关", "发布日期", "公报期号"] {
        assert!(html.contains(&format!("<dt>{label}</dt>")), "label {label}");
    }
    // A report has no validity of its own (legal-model.md §1): no 施行日期, no status.
    for label in ["施行日期", "有效期至", "有效性"] {
        assert!(
            !html.contains(&format!("<dt>{label}</dt>")),
            "no {label} on a report"
        );
    }
    assert!(!html.contains("legislationLegalForce"));
    assert!(html.contains("PDF 文档"), "attachment type shown");
    assert!(
        html.contains(" KB") || html.contains(" B)"),
        "attachment size shown"
    );

    let normative = read(out.join("documents/lzb-2021-18/index.html"));
    for label in [
        "发文字号",
        "施行日期",
        "有效期至",
        "有效性",
        "主题分类",
        "来源",
        "统一登记编号",
        "合法性审核",
        "审议情况",
        "备案号",
        "备案日期",
        "索引号",
        "成文日期",
    ] {
        assert!(
            normative.contains(&format!("<dt>{label}</dt>")),
            "label {label} on a normative document"
        );
    }
    assert!(normative.contains("洛政办〔2021〕18号"));
}

#[test]
fn only_public_documents_reach_the_output() {
    let site = sample_site();
    let out = build_ok(site.path());
    for f in files(&out) {
        let bytes = std::fs::read(out.join(&f)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("CANARY-ON-REQUEST-7f3a"),
            "canary in {}",
            f.display()
        );
        assert!(
            !text.contains("依申请公开样例"),
            "title canary in {}",
            f.display()
        );
        assert!(
            !text.contains("lzb-2023-ysqgk"),
            "id of the withheld document in {}",
            f.display()
        );
    }
}

#[test]
fn output_is_byte_identical_across_builds_and_thread_counts() {
    let site = sample_site();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "2"] {
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("site");
        let o = crate::harness::build_command(site.path(), &dest)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let listing = files(&dest);
        let contents: Vec<Vec<u8>> = listing
            .iter()
            .map(|f| std::fs::read(dest.join(f)).unwrap())
            .collect();
        outputs.push((listing, contents, out));
    }
    for other in &outputs[1..] {
        assert_eq!(outputs[0].0, other.0, "same files");
        for (i, f) in outputs[0].0.iter().enumerate() {
            assert!(
                outputs[0].1[i] == other.1[i],
                "{} differs between builds",
                f.display()
            );
        }
    }
}

#[test]
fn the_build_prints_a_one_line_summary_and_quiet_silences_it() {
    let site = sample_site();
    let root = site.path().to_str().unwrap();
    let o = run(&["build", "--root", root, "--as-of", AS_OF]);
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("份文件") && err.contains("个页面") && err.contains("秒"),
        "{err}"
    );
    let o = run(&["build", "--root", root, "--as-of", AS_OF, "--quiet"]);
    assert!(o.status.success());
    assert_eq!(stderr(&o), "");
}

#[test]
fn timings_list_every_stage_in_pipeline_order() {
    let site = sample_site();
    let root = site.path().to_str().unwrap();
    let o = run(&["build", "--root", root, "--as-of", AS_OF, "--timings"]);
    assert!(o.status.success());
    let err = stderr(&o);
    let stages: Vec<&str> = err
        .lines()
        .filter_map(|l| l.split_once(" 秒  ").map(|(_, stage)| stage))
        .collect();
    assert_eq!(
        stages,
        [
            "读取和检查",
            "文件页面",
            "列表页面和检索索引",
            "数据、订阅和检索索引文件",
            "网站地图",
            "发布"
        ],
        "{err}"
    );
}

#[test]
fn minified_and_unminified_pages_carry_the_same_content() {
    let site = sample_site();
    let root = site.path().to_str().unwrap();
    let plain = site.path().join("plain");
    let o = run(&[
        "build",
        "--root",
        root,
        "--output",
        plain.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--no-minify",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let min = build_ok(site.path());
    let a = read(plain.join("documents/lzb-2021-18/index.html"));
    let b = read(min.join("documents/lzb-2021-18/index.html"));
    assert!(b.len() < a.len(), "minified is smaller");
    assert!(
        b.starts_with("<!DOCTYPE html>") || b.starts_with("<!doctype html>"),
        "doctype kept"
    );
}

#[test]
fn the_cache_never_changes_the_output_and_never_serves_stale_pages() {
    let site = sample_site();
    let root = site.path().to_str().unwrap();
    let uncached = site.path().join("uncached");
    let build = |extra: &[&str], out: &std::path::Path| {
        let mut args = vec![
            "build",
            "--root",
            root,
            "--output",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--quiet",
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    build(&["--no-cache"], &uncached);
    assert!(
        !site.path().join(".gazette-cache").exists(),
        "--no-cache writes no cache"
    );
    let cached = site.path().join("cached");
    build(&[], &cached); // fills the cache
    build(&[], &cached); // served from it
    assert!(site.path().join(".gazette-cache/pages").is_dir());
    let a = files(&uncached);
    assert_eq!(a, files(&cached));
    for f in &a {
        assert!(
            std::fs::read(uncached.join(f)).unwrap() == std::fs::read(cached.join(f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
    // An edit shows up, on the document and on the lists that show its title.
    retitle(site.path());
    build(&[], &cached);
    assert!(
        read(cached.join("documents/lzb-2021-18/index.html")).contains("城镇老旧小区改造实施细则")
    );
    assert!(read(cached.join("documents/index.html")).contains("城镇老旧小区改造实施细则"));
    assert!(
        !read(cached.join("documents/lzb-2021-18/index.html"))
            .contains("城镇老旧小区改造实施办法的通知")
    );
}

#[test]
fn files_unchanged_since_the_last_build_are_known_by_its_records_and_give_the_same_site() {
    let site = sample_site();
    let root = site.path();
    let build = |extra: &[&str], out: &std::path::Path| {
        let o = build_command(root, out).args(extra).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    // The records trust a file only when it had not changed for three seconds when they were
    // made (a file written again within its file system's clock tick would look the same).
    std::thread::sleep(std::time::Duration::from_millis(3500));
    let cached = root.join("cached");
    build(&[], &cached);
    let records = root.join(".gazette-cache/inputs");
    assert_eq!(
        std::fs::read_dir(&records).unwrap().count(),
        1,
        "one site, one record"
    );
    // One document retitled: it is read; every other file is known by its record, unread,
    // and the two documents whose pages show that title read their bodies only now.
    retitle(root);
    build(&[], &cached);
    let uncached = root.join("uncached");
    build(&["--no-cache"], &uncached);
    assert_eq!(files(&cached), files(&uncached));
    for f in files(&uncached) {
        assert!(
            std::fs::read(cached.join(&f)).unwrap() == std::fs::read(uncached.join(&f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
    assert!(read(cached.join("documents/jd-lzb-2021-18/index.html")).contains(NEW_TITLE));
}

#[test]
fn a_build_with_nothing_changed_leaves_the_output_alone_unless_it_was_touched() {
    let site = sample_site();
    let root = site.path().to_str().unwrap();
    let out = site.path().join("public");
    let build = |as_of: &str| {
        let o = run(&["build", "--root", root, "--as-of", as_of, "--timings"]);
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    let shortcut = |err: &str| err.contains("秒  核对未改变") && !err.contains("秒  文件页面");
    let snapshot = || {
        files(&out)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(out.join(&f)).unwrap();
                (f, bytes)
            })
            .collect::<Vec<_>>()
    };

    // The warnings, above the summary line.
    let warnings = |err: &str| err.split("已生成").next().unwrap_or_default().to_string();
    let first = build(AS_OF);
    assert!(!shortcut(&first), "the first build builds");
    assert!(first.contains("warning[expiring-soon]"), "{first}");
    let published = snapshot();
    let again = build(AS_OF);
    assert!(shortcut(&again), "{again}");
    assert!(
        again.contains("个页面"),
        "the summary is still printed: {again}"
    );
    assert_eq!(
        warnings(&again),
        warnings(&first),
        "the same warnings, though no document was read"
    );
    assert_eq!(snapshot(), published);

    // A defaced page in the output: the next build puts the site right.
    std::fs::write(out.join("index.html"), "defaced").unwrap();
    assert!(!shortcut(&build(AS_OF)));
    assert_eq!(snapshot(), published);

    // Another date is another site; an edited document too.
    assert!(!shortcut(&build("2030-01-01")));
    assert!(shortcut(&build("2030-01-01")));
    retitle(site.path());
    assert!(!shortcut(&build("2030-01-01")));
    assert!(
        read(out.join("documents/lzb-2021-18/index.html")).contains("城镇老旧小区改造实施细则")
    );
}

#[test]
fn a_sites_doc_row_template_is_the_row_of_every_list_the_document_is_on() {
    let site = sample_site();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/doc_row.html"),
        "<li class=\"my-row\" data-id=\"{{ d.id }}\">{{ d.title }}</li>\n",
    )
    .unwrap();
    // Unminified and minified (where the attribute quotes go).
    for out in [build_plain(site.path()), build_ok(site.path())] {
        let is_list = |p: &str| {
            (p == "documents/index.html"
                || p.starts_with("documents/page/")
                || ["issuers/", "subjects/", "kinds/", "years/", "status/"]
                    .iter()
                    .any(|dir| p.starts_with(dir)))
                && read(out.join(p)).contains("doc-list")
        };
        let lists: Vec<String> = files(&out)
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| p.ends_with("index.html") && is_list(p))
            .collect();
        let on = lists
            .iter()
            .filter(|p| {
                let html = read(out.join(p));
                html.contains("data-id=\"luoban-2019-zhengwu-gongkai\"")
                    || html.contains("data-id=luoban-2019-zhengwu-gongkai")
            })
            .count();
        // All documents, its two issuers, its subject, its kind, year and status.
        assert!(on >= 7, "on {on} of {lists:?}");
        for p in &lists {
            assert!(
                !read(out.join(p)).contains("doc-item"),
                "{p} still has the default rows"
            );
        }
    }
}

#[test]
fn pages_are_minified_whether_or_not_the_templates_can_be() {
    let site = sample_site();
    // The default theme is minified once, as templates: no line breaks or indentation left.
    let out = build_ok(site.path());
    for page in [
        "index.html",
        "documents/index.html",
        "status/repealed/index.html",
    ] {
        let html = read(out.join(page));
        assert!(!html.contains('\n'), "{page} is not minified");
        assert!(html.contains("class=doc-item"), "{page}");
    }
    // A Tera tag between attributes: minify-html would sort the attributes out from under the
    // `if`, so these pages are minified one by one, after rendering.
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/doc_row.html"),
        "<li{% if d.status and d.status.code == \"repealed\" %} class=\"gone\"{% endif %} data-id=\"{{ d.id }}\">\n  {{ d.title }}\n</li>\n",
    )
    .unwrap();
    let out = build_ok(site.path());
    let repealed = read(out.join("status/repealed/index.html"));
    assert!(!repealed.contains('\n'), "not minified: {repealed}");
    assert!(repealed.contains("<li class=gone data-id="), "{repealed}");
    let in_force = read(out.join("status/in-force/index.html"));
    assert!(!in_force.contains("class=gone"), "{in_force}");
    assert!(in_force.contains("<li data-id="), "{in_force}");
}
