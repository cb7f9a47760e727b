//! The reader's site as a government portal must be (issue 20): the site's identity in every
//! footer (《政府网站发展指引》), the document page in official-document form (落款, 附件N), the
//! gazette issue's 上一期/下一期, configured 目录 groups with page numbers and the PDF's SHA-256,
//! and the warnings `site-identity-missing` and `issue-file-missing`.

use std::path::Path;

use sha2::Digest;

use crate::harness::{
    build_command, build_ok, build_plain, check_lines, read, run, sample_site, stderr,
};

/// Rewrites `gazette.toml` of `root` with `edit`.
fn edit_config(root: &Path, edit: impl FnOnce(String) -> String) {
    let path = root.join("gazette.toml");
    std::fs::write(&path, edit(read(&path))).unwrap();
}

/// The sample's `gazette.toml` without the `[site]` table.
fn without_site_table(toml: String) -> String {
    let start = toml
        .find("\n[site]\n")
        .expect("the sample has a [site] table");
    let end = start
        + toml[start + 1..]
            .find("\n\n")
            .expect("a blank line after it")
        + 1;
    format!("{}{}", &toml[..start], &toml[end..])
}

/// 1-based line of the first line of `text` that starts with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix}"))
        + 1
}

#[test]
fn every_page_names_the_site_in_its_footer_as_the_guideline_requires() {
    let site = sample_site();
    let out = build_plain(site.path());
    for page in [
        "index.html",
        "documents/lzb-2021-18/index.html",
        "gazette/2025/06/index.html",
        "search/index.html",
        "filings/index.html",
        "404.html",
    ] {
        let html = read(out.join(page));
        let footer = &html[html.find("<footer").expect(page)..];
        for expected in [
            "<dt>主办单位</dt><dd>洛阳市人民政府办公室</dd>",
            "<dt>承办单位</dt><dd>洛阳市大数据和政务服务中心</dd>",
            "<a href=\"tel:0379-63901234\">0379-63901234</a>",
            "<a href=\"mailto:gazette@example.gov.cn\">",
            "<dt>通信地址</dt>",
            "<dt>网站标识码</dt><dd>4103000001</dd>",
            "<a href=\"https://beian.miit.gov.cn/\" rel=\"external noopener\">豫ICP备12345678号-1</a>",
            "<a href=\"https://beian.mps.gov.cn/#/query/webSearch?code=41030202000123\" rel=\"external noopener\">豫公网安备41030202000123号</a>",
            "src=\"/assets/party-gov-mark.svg\"",
            "alt=\"党政机关网站标识\"",
            // 关于本站 and 使用说明 were linked from nowhere but sitemap.xml.
            "<a href=\"/pages/about/\">",
            "<a href=\"/pages/guide/\">",
            "<a href=\"/sitemap/\">网站地图</a>",
        ] {
            assert!(footer.contains(expected), "{page}: no {expected}");
        }
    }
    assert!(out.join("assets/party-gov-mark.svg").is_file());
    let map = read(out.join("sitemap/index.html"));
    for link in [
        "/issuers/lysrmzf/",
        "/subjects/zwgk/",
        "/gazette/2025/",
        "/pages/about/",
        "/filings/",
        "/search/",
    ] {
        assert!(
            map.contains(&format!("href=\"{link}\"")),
            "网站地图 lacks {link}"
        );
    }
}

#[test]
fn a_site_without_its_identity_gets_one_warning_per_missing_requirement() {
    let site = sample_site();
    edit_config(site.path(), without_site_table);
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 0, "warnings do not fail the check:\n{lines}");
    let mut warnings: Vec<&str> = lines
        .lines()
        .filter(|l| l.contains("[site-identity-missing]"))
        .collect();
    // Diagnostics come sorted by place, then message.
    warnings.sort_unstable();
    let mut expected = [
        "gazette.toml:1:1: warning[site-identity-missing] gazette.toml 没有填写主办单位（[site] 的 sponsor）",
        "gazette.toml:1:1: warning[site-identity-missing] gazette.toml 没有填写网站标识码（[site] 的 site_code）",
        "gazette.toml:1:1: warning[site-identity-missing] gazette.toml 没有填写ICP备案编号（[site] 的 icp）",
        "gazette.toml:1:1: warning[site-identity-missing] gazette.toml 没有填写公安机关备案号（[site] 的 psb）",
    ];
    expected.sort_unstable();
    assert_eq!(warnings, expected, "{lines}");
    assert!(lines.contains("《政府网站发展指引》要求网站每个页面底部标注主办单位"));
    // The site still builds; its footer just has no identity rows.
    let out = build_plain(site.path());
    let home = read(out.join("index.html"));
    assert!(!home.contains("主办单位") && !home.contains("party-gov-mark"));
}

#[test]
fn a_malformed_identity_is_an_error_on_its_own_line_with_an_example() {
    let site = sample_site();
    edit_config(site.path(), |t| {
        t.replace("icp = \"豫ICP备12345678号-1\"", "icp = \"ICP12345678\"")
            .replace("site_code = \"4103000001\"", "site_code = \"41030\"")
            .replace("email = \"gazette@example.gov.cn\"", "email = \"gazette\"")
    });
    let toml = read(site.path().join("gazette.toml"));
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 1, "{lines}");
    for (key, hint) in [
        ("site_code", "site_code = \"4103000001\""),
        ("icp", "icp = \"豫ICP备12345678号-1\""),
        ("email", "email = \"gazette@example.gov.cn\""),
    ] {
        let at = format!(
            "gazette.toml:{}:{}: error[config-invalid] [site] 的 {key} ",
            line_of(&toml, &format!("{key} =")),
            key.len() + 4
        );
        assert!(lines.contains(&at), "{at}\n{lines}");
        assert!(lines.contains(hint), "hint {hint}\n{lines}");
    }
    // A build refuses too, and writes nothing.
    let out = site.path().join("public");
    let o = build_command(site.path(), &out).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn an_unknown_identity_key_is_named_with_the_nearest_one() {
    let site = sample_site();
    edit_config(site.path(), |t| t.replace("sponsor = ", "sponser = "));
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 1);
    assert!(
        lines.contains("error[config-invalid] 未知的键 `sponser`"),
        "{lines}"
    );
    assert!(lines.contains("是否应为 `sponsor`？"), "{lines}");
}

#[test]
fn init_fills_in_the_identity_and_the_new_site_checks_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let o = run(&["init", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let toml = read(root.join("gazette.toml"));
    for key in [
        "sponsor",
        "organizer",
        "phone",
        "email",
        "address",
        "site_code",
        "icp",
        "psb",
        "party_gov_mark",
    ] {
        assert!(
            toml.lines().any(|l| l.starts_with(&format!("{key} = "))),
            "gazette init wrote no {key}"
        );
    }
    let o = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "[]");
    let out = build_ok(&root);
    assert!(read(out.join("index.html")).contains("示例市人民政府办公室"));
}

#[test]
fn attachments_are_numbered_and_titled_with_their_type_and_size() {
    let site = sample_site();
    let doc = site.path().join("content/documents/2024/lzrz-gg-2024-7.md");
    std::fs::write(
        site.path().join("content/documents/2024/竞买须知.pdf"),
        vec![b'%'; 3000],
    )
    .unwrap();
    let text = read(&doc).replace(
        "    title: 宗地出让条件一览表\n",
        "    title: 宗地出让条件一览表\n  - 竞买须知.pdf\n",
    );
    std::fs::write(&doc, text).unwrap();
    let out = build_plain(site.path());
    let html = read(out.join("documents/lzrz-gg-2024-7/index.html"));
    let first = html.find("<span class=\"attachment-no\">附件1</span><a href=\"/documents/lzrz-gg-2024-7/lzrz-gg-2024-7-zongdi.csv\" download=\"lzrz-gg-2024-7-zongdi.csv\">宗地出让条件一览表</a> <span class=\"file-meta\">（CSV 表格，418 B）</span>");
    // Without a title: the file's name without its extension.
    let second = html.find("<span class=\"attachment-no\">附件2</span><a href=\"/documents/lzrz-gg-2024-7/竞买须知.pdf\" download=\"竞买须知.pdf\">竞买须知</a> <span class=\"file-meta\">（PDF 文档，2.9 KB）</span>");
    assert!(
        first.is_some(),
        "附件1 with its title, type and size:\n{html}"
    );
    assert!(
        second.is_some() && first < second,
        "附件2 after 附件1:\n{html}"
    );
    assert!(out.join("documents/lzrz-gg-2024-7/竞买须知.pdf").is_file());
}

#[test]
fn an_attachment_mapping_needs_its_path_and_gazette_page_needs_gazette() {
    let file = "content/documents/2024/lzrz-gg-2024-7.md";
    let site = sample_site();
    let doc = site.path().join(file);
    let text = read(&doc).replace(
        "  - path: lzrz-gg-2024-7-zongdi.csv\n",
        "  - file: lzrz-gg-2024-7-zongdi.csv\n",
    );
    std::fs::write(&doc, &text).unwrap();
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 1);
    // Items are counted from 1 in messages, as editors count them.
    let attachment = format!(
        "{file}:{}:5: error[wrong-type] `attachments[1]` 的值不符合要求\n  hint: 附件列表，每项写相对于本文件的路径，如 - 附件1.pdf；要显示附件名称时写成 - {{path: 附件1.pdf, title: 宗地出让条件一览表}}\n",
        line_of(&text, "  - file:")
    );
    assert!(lines.contains(&attachment), "{attachment}\n{lines}");

    let site = sample_site();
    let doc = site.path().join(file);
    let text = read(&doc).replace(
        "published: 2024-03-26\n",
        "published: 2024-03-26\ngazette_page: 5\n",
    );
    std::fs::write(&doc, &text).unwrap();
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 1);
    let page = format!(
        "{file}:{}:1: error[missing-key] 写了 gazette_page 却没有写 gazette",
        line_of(&text, "gazette_page:")
    );
    assert!(lines.contains(&page), "{page}\n{lines}");
}

#[test]
fn a_document_ends_with_its_signature_unless_its_body_already_signs() {
    let site = sample_site();
    let out = build_plain(site.path());
    let html = read(out.join("documents/lzb-2021-18/index.html"));
    let signature = "<p class=\"doc-signature\"><span class=\"signature-issuer\">洛阳市人民政府办公室</span><time class=\"signature-date\" datetime=\"2021-07-12\">2021年7月12日</time></p>";
    let at = html
        .find(signature)
        .expect("落款 with the 成文日期 in Chinese form");
    assert!(
        html.find("class=\"doc-body\"").unwrap() < at,
        "after the body"
    );
    // The 任免 notice ends with 洛阳市人民政府 and 2024年3月5日 itself: no second 落款.
    let signed = read(out.join("documents/rm-2024-3/index.html"));
    assert!(signed.contains("2024年3月5日"));
    assert!(!signed.contains("doc-signature"), "the body already signs");
    // An interpretation has no 成文日期: no 落款.
    assert!(!read(out.join("documents/jd-lzb-2021-18/index.html")).contains("doc-signature"));
}

#[test]
fn the_interpretation_link_and_print_button_come_before_the_metadata() {
    let site = sample_site();
    let out = build_plain(site.path());
    let html = read(out.join("documents/lzb-2021-18/index.html"));
    let title = html.find("id=\"doc-title\"").unwrap();
    let interp = html
        .find("<h2 id=\"h-interp\">相关解读</h2>")
        .expect("相关解读");
    let print = html
        .find("data-print hidden>打印本页</button>")
        .expect("打印本页");
    let meta = html.find("class=\"meta-box\"").unwrap();
    assert!(title < interp && interp < print && print < meta);
    assert!(html[interp..meta].contains("href=\"/documents/jd-lzb-2021-18/\""));
    let jd = read(out.join("documents/jd-lzb-2021-18/index.html"));
    let back = jd
        .find("<h2 id=\"h-interprets\">解读的文件</h2>")
        .expect("解读的文件");
    assert!(back < jd.find("class=\"meta-box\"").unwrap());
}

#[test]
fn an_issue_links_its_neighbours_and_prints_its_pdf_size_and_sha256() {
    let site = sample_site();
    let out = build_plain(site.path());
    let html = read(out.join("gazette/2025/06/index.html"));
    assert!(html.contains("<a href=\"/gazette/2025/02/\" rel=\"prev\">上一期<span class=\"issue-nav-label\">2025年第2期</span></a>"), "{html}");
    assert!(html.contains("<a href=\"/gazette/2025/12/\" rel=\"next\">下一期<span class=\"issue-nav-label\">2025年第12期</span></a>"));
    assert!(html.contains("<link rel=\"prev\" href=\"/gazette/2025/02/\">"));
    let pdf = std::fs::read(site.path().join("content/gazette/2025-06.pdf")).unwrap();
    let digest: String = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(html.contains(&format!("SHA-256 <code class=\"digest\">{digest}</code>")));
    assert!(html.contains("（2025-06.pdf，") && (html.contains(" KB）") || html.contains(" B）")));
    assert_eq!(
        std::fs::read(out.join("gazette/2025/06/2025-06.pdf")).unwrap(),
        pdf
    );
    // The first and the last issue have one neighbour each.
    let first = read(out.join("gazette/2019/03/index.html"));
    assert!(!first.contains("rel=\"prev\">上一期") && first.contains("rel=\"next\">下一期"));
    let last = read(out.join("gazette/2026/06/index.html"));
    assert!(last.contains("rel=\"prev\">上一期") && !last.contains("rel=\"next\">下一期"));
}

/// The group titles of an issue page's 目录, in order, and each group's entries' page numbers.
fn toc_groups(html: &str) -> Vec<(String, Vec<String>)> {
    html.split("<section class=\"toc-group\"")
        .skip(1)
        .map(|g| {
            let h3 = &g[g.find("<h3").unwrap()..];
            let title = &h3[h3.find('>').unwrap() + 1..h3.find("</h3>").unwrap()];
            let pages = g
                .split("<span class=\"toc-page\">")
                .skip(1)
                .map(|p| p.split("</span>").next().unwrap().to_string())
                .collect();
            (title.to_string(), pages)
        })
        .collect()
}

#[test]
fn an_issue_toc_is_grouped_as_the_site_configures_with_page_numbers() {
    let site = sample_site();
    let out = build_plain(site.path());
    let groups = toc_groups(&read(out.join("gazette/2025/06/index.html")));
    let expected: Vec<(String, Vec<String>)> = [
        ("市政府办公室文件", vec!["第 3 页"]),
        ("部门文件", vec!["第 17 页"]),
        ("人事任免", vec!["第 21 页"]),
    ]
    .into_iter()
    .map(|(t, p)| (t.to_string(), p.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(groups, expected);

    // Without [[gazette_toc]], by kind in the configured order.
    edit_config(site.path(), |t| {
        let start = t.find("# 公报目录的分组").unwrap();
        let end = t.find("# 文件类别（kinds）").unwrap();
        format!("{}{}", &t[..start], &t[end..])
    });
    let out = build_plain(site.path());
    let titles: Vec<String> = toc_groups(&read(out.join("gazette/2025/06/index.html")))
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(titles, ["其他政策文件", "公告公示", "人事任免"]);
}

#[test]
fn toc_groups_must_name_registered_kinds_and_issuers() {
    let site = sample_site();
    edit_config(site.path(), |t| {
        t.replace("kinds = [\"personnel\"]", "kinds = [\"personel\"]")
            .replace(
                "issuers = [\"洛阳市人民政府\"]",
                "issuers = [\"洛阳市政府\"]",
            )
    });
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 1);
    assert!(
        lines.contains("error[config-invalid] 公报目录分组的文件类别 `personel` 没有登记"),
        "{lines}"
    );
    assert!(
        lines.contains("error[config-invalid] 公报目录分组的发文机关 `洛阳市政府` 没有登记"),
        "{lines}"
    );
}

#[test]
fn an_issue_that_documents_name_without_a_file_is_a_warning() {
    let site = sample_site();
    std::fs::remove_file(site.path().join("content/gazette/2026-06.md")).unwrap();
    let (code, lines) = check_lines(site.path());
    assert_eq!(code, 0, "{lines}");
    let missing: Vec<&str> = lines
        .lines()
        .filter(|l| l.contains("[issue-file-missing]"))
        .collect();
    // Four documents name 2026-06: one warning, at the first of them by path.
    let first = "content/documents/2026/jd-lyzfl-198.md";
    let line = line_of(&read(site.path().join(first)), "gazette:");
    assert_eq!(
        missing,
        [format!(
            "{first}:{line}:1: warning[issue-file-missing] 政府公报2026年第6期没有期次文件 content/gazette/2026-06.md"
        )],
        "{lines}"
    );
    assert!(
        lines.contains("新建 content/gazette/2026-06.md，至少写 published: YYYY-MM-DD"),
        "{lines}"
    );
    // With every issue's file, the sample has no such warning.
    let site = sample_site();
    assert!(!check_lines(site.path()).1.contains("issue-file-missing"));
}

#[test]
fn search_filings_and_home_read_on_a_phone() {
    let site = sample_site();
    let out = build_plain(site.path());
    let search = read(out.join("search/index.html"));
    assert!(search.contains("<h1 id=\"search-heading\">检索</h1>"));
    assert!(search.contains("<title>检索 - 洛阳市人民政府公报</title>"));
    let fold = search
        .find("<details class=\"search-fold\" open data-fold-narrow>")
        .expect("one control");
    assert!(fold < search.find("id=\"search-status-filter\"").unwrap());
    let filings = read(out.join("filings/index.html"));
    for label in ["备案号", "文号", "标题", "发文机关", "发布日期", "有效性"] {
        assert!(
            filings.contains(&format!("data-label=\"{label}\"")),
            "card label {label}"
        );
    }
    // 已废止 in words and colour, never struck through.
    let css = read(out.join("assets/gazette.css"));
    let rule = &css[css.find(".is-repealed {").unwrap()..];
    let rule = &rule[..rule.find('}').unwrap()];
    assert!(
        !rule.contains("linear-gradient") && !rule.contains("line-through"),
        "{rule}"
    );
}
