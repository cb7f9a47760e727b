//! `gazette import`: Word files written by the tests (see `docx.rs`) → documents that `check`
//! reads, on a copy of the sample site.

use std::path::Path;

use super::docx::{self, Docx, PNG, run as text_run};
use crate::harness::{AS_OF, read, run, sample_site, stderr, stdout};

fn import(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend(["--root", root.to_str().unwrap()]);
    run(&all)
}

/// The body of a document file: what follows the second `---` line.
fn body(text: &str) -> &str {
    let mut parts = text.splitn(3, "---\n");
    parts.next();
    parts.next();
    parts.next().unwrap_or("")
}

fn constructs(dir: &Path) -> std::path::PathBuf {
    let mut d = Docx::new();
    let note = d.note("见《洛阳市统计年鉴》。");
    let image = d.image("image1.png", PNG);
    let object = d.object(
        "Microsoft_Excel_Worksheet.xlsx",
        b"PK-not-really-a-workbook",
    );
    d.center("关于测试导入的通知")
        .p("一、总体要求")
        .p("（一）工作目标")
        .p("1．资金保障")
        .heading(2, "Word 标题样式")
        .para_runs(
            "",
            &format!(
                "{}{}{}",
                text_run("改造", false),
                text_run("必须", true),
                text_run("按期完成。", false)
            ),
        )
        .para_runs("", &format!("{}{note}", text_run("资金来源见统计", false)))
        .item(1, 0, "第一项")
        .item(1, 1, "第一项之下")
        .item(2, 0, "甲")
        .item(2, 0, "乙")
        .item(3, 0, "保障措施")
        .item(3, 0, "监督检查")
        .table(&[
            &[("类别", 1, ""), ("内容", 2, "")],
            &[("基础类", 1, "restart"), ("供水", 1, ""), ("供电", 1, "")],
            &[("", 1, "continue"), ("道路", 1, ""), ("消防", 1, "")],
        ])
        .para_runs("", &image)
        .para_runs("", &object);
    let path = dir.join("测试.docx");
    std::fs::write(&path, d.bytes()).unwrap();
    path
}

#[test]
fn each_construct_of_a_word_file_becomes_markdown_and_files_beside_it() {
    let site = sample_site();
    let root = site.path();
    let word = constructs(root);
    let o = import(root, &["--kind", "其他政策文件", word.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let made: Vec<_> = walk(&root.join("content/documents"))
        .into_iter()
        .filter(|p| read(p).contains("gazette import"))
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    let text = read(&made[0]);
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .to_string();
    assert!(text.contains("kind: policy\n"), "{text}");
    assert!(
        text.contains("title: 关于测试导入的通知  # 待核对"),
        "{text}"
    );
    let expected = format!(
        "\n## 一、总体要求\n\n### （一）工作目标\n\n#### 1．资金保障\n\n### Word 标题样式\n\n\
改造**必须**按期完成。\n\n资金来源见统计[^1]\n\n- 第一项\n  - 第一项之下\n1. 甲\n1. 乙\n\n\
## 一、保障措施\n\n## 二、监督检查\n\n\
| 类别 | 内容 |  |\n|---|---|---|\n| 基础类 | 供水 | 供电 |\n| 基础类 | 道路 | 消防 |\n\n\
![图](<{id}-image1.png>)\n\n[附件：{id}-microsoft-excel-worksheet.xlsx](<{id}-microsoft-excel-worksheet.xlsx>)\n\n\
[^1]: 见《洛阳市统计年鉴》。\n"
    );
    assert_eq!(body(&text), expected);
    let dir = made[0].parent().unwrap();
    assert_eq!(
        std::fs::read(dir.join(format!("{id}-image1.png"))).unwrap(),
        PNG
    );
    assert!(
        dir.join(format!("{id}-microsoft-excel-worksheet.xlsx"))
            .is_file()
    );
    assert!(text.contains("attachments:  # 待核对"), "{text}");

    // What Word cannot say is a placeholder; once filled, the guesses are only warnings, and
    // the image is published with the page.
    let filled = text
        .replace("summary: 待填写", "summary: 测试导入。  #")
        .replace("issuer: 待填写", "issuer: 洛阳市人民政府  #")
        .replace("  - 待填写", "  - 城乡建设")
        .replace("published: ", "published: 2026-06-01  # 待核对 ");
    std::fs::write(&made[0], filled).unwrap();
    let c = run(&["check", "--root", root.to_str().unwrap(), "--as-of", AS_OF]);
    let err = stderr(&c);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(c.status.code(), Some(0), "{errors:?}");
    assert!(
        stderr(&c).contains("warning[unconfirmed]"),
        "{}",
        stderr(&c)
    );
    let out = crate::harness::build_ok(root);
    assert_eq!(
        std::fs::read(out.join(format!("documents/{id}/{id}-image1.png"))).unwrap(),
        PNG
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    crate::harness::files(dir)
        .into_iter()
        .map(|p| dir.join(p))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect()
}

#[test]
fn an_official_document_fills_the_front_matter_and_check_lists_each_guess() {
    let site = sample_site();
    let root = site.path();
    let word = root.join("通知.docx");
    std::fs::write(&word, docx::official()).unwrap();
    let o = import(root, &["--kind", "normative", word.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The id follows the site's own naming: 洛政办〔2021〕18号 is lzb-2021-18.
    let rel = "content/documents/2024/lzb-2024-12.md";
    assert!(stderr(&o).contains(rel), "{}", stderr(&o));
    let text = read(root.join(rel));
    for line in [
        "id: lzb-2024-12",
        "title: 洛阳市人民政府办公室关于印发洛阳市老旧小区加装电梯实施办法的通知  # 待核对：标题",
        "doc_number: 洛政办〔2024〕12号  # 待核对：发文字号",
        "issuer: 洛阳市人民政府办公室  # 待核对：落款的发文机关",
        "issued: 2024-03-18  # 待核对：落款的成文日期",
        "published: 2024-03-20  # 待核对：版记的印发日期",
        "expires: 待填写  # 有效期至：有效的最后一天 YYYY-MM-DD，一般不超过施行后 5 年",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
    }
    let b = body(&text);
    assert!(
        b.starts_with("\n各县（市、区）人民政府，市人民政府各部门：\n\n"),
        "{b}"
    );
    assert!(b.contains("\n## 一、适用范围\n"), "{b}");
    assert!(b.ends_with("附件：洛阳市老旧小区加装电梯补助标准\n\n洛阳市人民政府办公室\n\n2024年3月18日\n\n（此件公开发布）\n"), "{b}");
    assert!(
        !b.contains("抄送") && !b.contains("印发\n") && !b.contains("000128"),
        "{b}"
    );

    // check lists each guess (warnings, with lines) and the placeholders still to fill (errors).
    let (code, lines) = crate::harness::check_lines(root);
    assert_eq!(code, 1);
    let mine: Vec<&str> = lines.lines().filter(|l| l.starts_with(rel)).collect();
    let unconfirmed: Vec<&str> = mine
        .iter()
        .filter(|l| l.contains("[unconfirmed]"))
        .copied()
        .collect();
    assert_eq!(unconfirmed.len(), 5, "{lines}");
    assert!(
        unconfirmed[0].starts_with(&format!("{rel}:4:1: warning[unconfirmed] `title`")),
        "{lines}"
    );
    assert!(
        mine.iter()
            .any(|l| l.contains("[placeholder]") && l.contains("expires")),
        "{lines}"
    );

    // Importing again never overwrites the document, edited or not.
    std::fs::write(root.join(rel), text.replace("待核对：标题", "已核对")).unwrap();
    let again = import(root, &[word.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("已导入为"), "{}", stderr(&again));
    assert!(read(root.join(rel)).contains("已核对"));
}

#[test]
fn dry_run_writes_nothing_and_a_file_that_is_not_word_is_refused_in_chinese() {
    let site = sample_site();
    let root = site.path();
    let word = root.join("a.docx");
    std::fs::write(&word, docx::official()).unwrap();
    let before = walk(&root.join("content")).len();
    let o = import(root, &["--dry-run", word.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("==> content/documents/2024/lzb-2024-12.md"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("kind: normative  # 待核对"),
        "{}",
        stdout(&o)
    );
    assert_eq!(walk(&root.join("content")).len(), before);

    let bad = root.join("b.docx");
    std::fs::write(&bad, "这不是 Word 文件").unwrap();
    let o = import(root, &[bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error[import-failed]: 无法导入：不是 .docx 文件"),
        "{err}"
    );
    assert_eq!(walk(&root.join("content")).len(), before);
}
