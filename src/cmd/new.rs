//! `gazette new <kind> --title …`: a new document file with every key of its kind's contract;
//! `gazette new issue YYYY-NN`: a new gazette issue.
//!
//! The kind may be given by key or by label (`normative` or `行政规范性文件`). With
//! `--doc-number` the id is proposed from the 文号 as the site already names its documents
//! (`import::ids`), otherwise from the kind and the date. Examples in the template come from the
//! site's own documents and registries, never from another city's.
//!
//! What the editor knows now is written as values (id, title, kind, issuer, today's date as
//! `published`); what they must still look up is written as `待填写`, which `gazette check` and
//! `gazette build` report with its file:line until it is filled in; keys a kind rarely needs are
//! written as comments to uncomment. Each line carries a short comment saying how to write it.
//! Which keys a kind requires mirrors `schemas/document.schema.json` and the kind's
//! `require_interpretation` in `gazette.toml`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gazette::config::{self, Config};
use gazette::contract::PLACEHOLDER;
use gazette::contract::is_id;
use gazette::contract::schema::{Schemas, nearest};
use gazette::diag::Diagnostics;
use gazette::import::ids::{Learnt, example_doc_number};
use jiff::civil::Date;

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, print_human};
use crate::cli::{NewArgs, today};

pub fn run(args: &NewArgs) -> i32 {
    let root = &args.root.root;
    let mut diags = Diagnostics::new();
    let Some(config) = config::load(root, &Schemas::new(), &mut diags) else {
        print_human(&diags.into_sorted(), root);
        return EXIT_INVALID;
    };
    if ISSUE_WORDS.contains(&args.kind.as_str()) && config.kind(&args.kind).is_none() {
        return new_issue(root, &config, args.number.as_deref());
    }
    if VERSION_WORDS.contains(&args.kind.as_str()) && config.kind(&args.kind).is_none() {
        return new_version(root, args);
    }
    let kind = match resolve_kind(&config, &args.kind) {
        Ok(k) => k,
        Err(code) => return code,
    };
    let Some(title) = &args.title else {
        eprintln!(
            "error: 缺少标题\n   = 提示：用 --title 写上标题，如 gazette new {} --title \"关于……的通知\"",
            args.kind
        );
        return EXIT_USAGE;
    };
    let issuers = match resolve_issuers(&config, &args.issuer) {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return EXIT_USAGE;
        }
    };
    if let Some(n) = &args.doc_number
        && let Err((why, fixed)) = gazette::contract::doc_number::check(n)
    {
        let fix = fixed.map_or_else(String::new, |f| format!("，应为 {f}"));
        eprintln!("error: 发文字号 `{n}` 写法有误：{why}{fix}");
        return EXIT_USAGE;
    }
    let date = today();
    let taken = existing_ids(root);
    let learnt = Learnt::from_site(root);
    let id = match &args.id {
        Some(id) if !is_id(id) => {
            eprintln!(
                "error: id `{id}` 无效\n   = 提示：id 只能由小写字母、数字和连字符组成，且以字母或数字开头，如 {}",
                example_id(&config, &learnt, date)
            );
            return EXIT_USAGE;
        }
        Some(id) => id.clone(),
        None => {
            let slug = issuers
                .first()
                .and_then(|n| config.issuer(n))
                .map(|x| x.slug.as_str());
            args.doc_number
                .as_deref()
                .and_then(|n| learnt.propose(n, slug))
                .unwrap_or_else(|| default_id(&kind, date, &taken))
        }
    };
    let rel = PathBuf::from(format!("content/documents/{}/{id}.md", date.year()));
    let path = root.join(&rel);
    if taken.contains(&id) || path.exists() {
        eprintln!("error: 已有 id 为 `{id}` 的文件，没有覆盖它\n   = 提示：用 --id 另取一个 id");
        return EXIT_INVALID;
    }
    let mut text = template(&config, &kind, title, &issuers, &id, date, Some(&learnt));
    if let Some(n) = &args.doc_number {
        text = text
            .lines()
            .map(|l| {
                if l.starts_with("doc_number:") || l.starts_with("# doc_number:") {
                    format!("doc_number: {}", yaml_str(n))
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
    }
    if let Err(e) = write_new(&path, &text) {
        eprintln!("error: 无法创建 {}:{e}", path.display());
        return EXIT_INVALID;
    }
    println!("{}", shown(root, &rel).display());
    eprintln!("已新建文件。填写标有“{PLACEHOLDER}”的项，写好正文，再运行 gazette check。");
    EXIT_OK
}

/// Words that ask for a gazette issue rather than a document (`gazette new issue 2026-07`).
const ISSUE_WORDS: &[&str] = &["issue", "公报", "期次"];

/// Words that ask for a version file (`gazette new version --version-of lyzfl-176`).
const VERSION_WORDS: &[&str] = &["version", "版本"];

/// A version file (versions.md §1) next to the original, its body a copy of the original's
/// text for the editor to amend: `<id>-<today>.md`, never overwriting.
fn new_version(root: &Path, args: &NewArgs) -> i32 {
    let Some(of) = args.version_of.as_deref() else {
        eprintln!(
            "error: 缺少原文件\n   = 提示：用 --version-of 写原文件的 id，如 gazette new version --version-of lyzfl-176 --amended-by lyzfl-190"
        );
        return EXIT_USAGE;
    };
    let original = walkdir::WalkDir::new(root.join("content/documents"))
        .into_iter()
        .flatten()
        .find(|e| e.path().file_stem().is_some_and(|s| s == of) && e.file_type().is_file())
        .map(|e| e.into_path());
    let Some(original) = original else {
        eprintln!(
            "error: 找不到原文件 `{of}`\n   = 提示：--version-of 写原文件的 id（它的文件名，不含 .md）"
        );
        return EXIT_USAGE;
    };
    let text = std::fs::read_to_string(&original).unwrap_or_default();
    let body = text
        .strip_prefix("---")
        .and_then(|t| t.split_once("\n---"))
        .map_or("", |(_, rest)| rest.trim_start_matches(['\r', '\n']));
    let date = today();
    let p = PLACEHOLDER;
    let amended = if args.amended_by.is_empty() {
        format!("  - {p}  # 修改决定的 id")
    } else {
        args.amended_by
            .iter()
            .map(|a| format!("  - {a}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let out = format!(
        "---\nversion_of: {of}  # 原文件\nversion_date: {p}  # 本文本开始适用的日期，通常是修改决定的施行日期 YYYY-MM-DD\namended_by:  # 本文本吸收的修改决定，按时间先后\n{amended}\npublished: {date}  # 本文本的公布日期\n---\n{body}"
    );
    let path = original.with_file_name(format!("{of}-{date}.md"));
    match write_new(&path, out) {
        Ok(()) => {
            println!("{}", path.strip_prefix(root).unwrap_or(&path).display());
            eprintln!(
                "已新建版本文件：正文是原文件的文本，请按修改决定改成修改后的全文，并填写 version_date。"
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: 不能新建 {}：{e}", path.display());
            EXIT_INVALID
        }
    }
}

/// A kind by its key or its label (`normative` or `行政规范性文件`); an unknown one is printed
/// with the nearest and the registered ones, and gives the exit code.
pub fn resolve_kind(config: &Config, given: &str) -> Result<String, i32> {
    if config.kind(given).is_some() {
        return Ok(given.to_string());
    }
    if let Some(k) = config.kinds.iter().find(|k| k.label == given) {
        return Ok(k.key.clone());
    }
    let (nearest, listed) = config.kind_suggestion(given);
    eprintln!("error: 未登记的文件类别 `{given}`");
    if let Some(k) = nearest {
        eprintln!("   = 提示：是否应为 `{k}`？");
    }
    eprintln!(
        "   = 可用的文件类别（写键或名称均可）：{}",
        listed.join("、")
    );
    eprintln!("   = 新建一期政府公报：gazette new issue YYYY-NN");
    Err(EXIT_USAGE)
}

/// `content/gazette/YYYY-NN.md` with every key of an issue.
fn new_issue(root: &Path, config: &Config, number: Option<&str>) -> i32 {
    let valid = number.and_then(|n| {
        let (y, nn) = n.split_once('-')?;
        (y.len() == 4
            && nn.len() == 2
            && y.chars().chain(nn.chars()).all(|c| c.is_ascii_digit())
            && nn != "00")
            .then_some((y, nn))
    });
    let Some((year, nn)) = valid else {
        eprintln!(
            "error: 期号写作 YYYY-NN，如 gazette new issue {}-07\n   = 提示：年份四位，期数两位（第7期写 07）",
            today().year()
        );
        return EXIT_USAGE;
    };
    let rel = PathBuf::from(format!("content/gazette/{year}-{nn}.md"));
    let path = root.join(&rel);
    let n: u32 = nn.parse().unwrap_or(0);
    let text = format!(
        "---\ntitle: {}  # 刊名与期号，可删去本行使用默认\npublished: {PLACEHOLDER}  # 出版日期 YYYY-MM-DD\n# total_number: 总期号（整数）\n# pdf: 本期 PDF 文件名，与本文件放在同一文件夹\n---\n<!-- 在下面写本期的卷首语（可不写）。刊登在本期的文件，在其 front matter 中写 gazette: {year}-{nn}。 -->\n",
        yaml_str(&format!("{} {year}年第{n}期", config.title))
    );
    if path.exists() {
        eprintln!("error: {} 已存在，没有覆盖它", rel.display());
        return EXIT_INVALID;
    }
    if let Err(e) = write_new(&path, &text) {
        eprintln!("error: 无法创建 {}:{e}", path.display());
        return EXIT_INVALID;
    }
    println!("{}", shown(root, &rel).display());
    eprintln!("已新建一期公报。填写出版日期，再运行 gazette check。");
    EXIT_OK
}

/// An id as this site would propose it, for hints.
fn example_id(config: &Config, learnt: &Learnt, date: Date) -> String {
    let number = example_doc_number(config, Some(learnt), false, date.year());
    let slug = config.issuers.first().map(|x| x.slug.as_str());
    learnt
        .propose(&number, slug)
        .unwrap_or_else(|| format!("doc-{}-1", date.year()))
}

/// `root/rel`, without a leading `./` when the root is the current folder.
fn shown(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}

/// Creates the file, failing if it exists (never overwrites, even in a race).
pub fn write_new(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_ref())
}

/// Registered names, short names expanded to the full name; an unknown name is an error with
/// the nearest registered one.
fn resolve_issuers(config: &Config, given: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for name in given {
        if config.issuer(name).is_some() {
            out.push(name.clone());
        } else if let Some(x) = config
            .issuers
            .iter()
            .find(|x| x.short_name.as_deref() == Some(name.as_str()))
        {
            out.push(x.name.clone());
        } else {
            let names: Vec<&str> = config.issuers.iter().map(|x| x.name.as_str()).collect();
            let hint = match nearest(name, &names) {
                Some(n) => format!("是否应为 `{n}`？"),
                None => "发文机关须先在 gazette.toml 的 [[issuers]] 中登记".into(),
            };
            return Err(format!(
                "error: 未登记的发文机关 `{name}`\n   = 提示：{hint}"
            ));
        }
    }
    Ok(out)
}

/// Every id in use: file stems and `id:` lines of the documents' front matter.
pub fn existing_ids(root: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let dir = root.join("content/documents");
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "md") {
            continue;
        }
        if let Some(stem) = p.file_stem() {
            ids.insert(stem.to_string_lossy().into_owned());
        }
        if let Ok(text) = std::fs::read_to_string(p) {
            let front = text.lines().skip(1).take_while(|l| l.trim_end() != "---");
            for line in front {
                if let Some(v) = line.strip_prefix("id:") {
                    let v = v.split(" #").next().unwrap_or("").trim();
                    ids.insert(v.trim_matches(['"', '\'']).to_string());
                }
            }
        }
    }
    ids
}

/// `<kind>-<date>-<n>` with the smallest free `n`, made a valid id.
pub fn default_id(kind: &str, date: Date, taken: &BTreeSet<String>) -> String {
    let mut base: String = kind
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    base = base.trim_matches('-').to_string();
    if base.is_empty() {
        base = "doc".into();
    }
    (1..)
        .map(|n| format!("{base}-{date}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_default()
}

/// A YAML scalar: plain when that reads back as the same string, JSON-quoted otherwise (JSON
/// strings are YAML).
pub fn yaml_str(s: &str) -> String {
    let risky_start = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`', ' ',
    ]);
    let plain = !s.is_empty()
        && !risky_start
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.ends_with(':')
        && !s.contains(" #")
        && !s.chars().any(char::is_control)
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// The new file's text.
pub fn template(
    config: &Config,
    kind: &str,
    title: &str,
    issuers: &[String],
    id: &str,
    date: Date,
    learnt: Option<&Learnt>,
) -> String {
    let p = PLACEHOLDER;
    let needs_number = matches!(kind, "regulation" | "normative");
    let needs_expires = kind == "normative";
    let is_interpretation = kind == "interpretation";
    let is_consultation = config.kind(kind).is_some_and(|k| k.consultation);
    let needs_interpretation = config.kind(kind).is_some_and(|k| k.require_interpretation);
    let dated = needs_number || needs_expires;
    let subjects: Vec<&str> = config.subjects.iter().map(|s| s.name.as_str()).collect();
    let max_years = config.kind(kind).and_then(|k| k.max_validity_years);

    let mut t = String::from("---\n");
    let mut line = |s: String| {
        t.push_str(&s);
        t.push('\n');
    };
    line(format!("id: {id}"));
    line(format!("title: {}", yaml_str(title)));
    line(format!("kind: {kind}"));
    if needs_number {
        let example = example_doc_number(config, learnt, kind == "regulation", date.year());
        line(format!("doc_number: {p}  # 发文字号，如 {example}"));
    }
    match issuers {
        [] => line(format!(
            "issuer: {p}  # 发文机关，与 gazette.toml 登记的名称一致；联合发文写成列表"
        )),
        [one] => line(format!("issuer: {}", yaml_str(one))),
        many => {
            line("issuer:  # 联合发文".into());
            for i in many {
                line(format!("  - {}", yaml_str(i)));
            }
        }
    }
    if dated {
        line(format!("issued: {p}  # 成文日期 YYYY-MM-DD"));
    }
    line(format!("published: {date}  # 发布日期"));
    if dated {
        line(format!(
            "effective: {p}  # 施行日期 YYYY-MM-DD；与发布日期相同时可删去本行"
        ));
    }
    if needs_expires {
        let limit = max_years
            .map(|y| format!("，一般不超过施行后 {y} 年"))
            .unwrap_or_default();
        line(format!(
            "expires: {p}  # 有效期至：有效的最后一天 YYYY-MM-DD{limit}"
        ));
    }
    if needs_interpretation {
        line("interpretation:  # 政策解读的 id 或 https:// 网址；若解读文件已写 interprets 指向本文件，可删去这两行".into());
        line(format!("  - {p}"));
    }
    if is_interpretation {
        line(format!("interprets: {p}  # 所解读文件的 id"));
    }
    if is_consultation {
        line(format!("comment_from: {p}  # 征求意见开始日期 YYYY-MM-DD"));
        line(format!(
            "comment_to: {p}  # 征求意见截止日期 YYYY-MM-DD（当天仍可提出意见）"
        ));
        line("feedback:  # 提出意见的方式：mailto: 邮箱、https:// 网址或文字".into());
        line(format!("  - {p}"));
        line("# feedback_report: 意见采纳情况的文件 id 或 https:// 网址".into());
    }
    if subjects.is_empty() {
        line("# subjects: [主题分类]  # 须在 gazette.toml 的 [[subjects]] 中登记".into());
    } else {
        let mut shown: Vec<&str> = subjects.iter().take(8).copied().collect();
        if subjects.len() > 8 {
            shown.push("…");
        }
        line(format!("subjects:  # 主题分类：{}", shown.join("、")));
        line(format!("  - {p}"));
    }
    line(format!(
        "summary: {p}  # 内容概述：一两句话，用于列表、订阅和检索"
    ));
    line("# 以下为可选项：需要时删去行首的 # 再填写".into());
    if !needs_number {
        line("# doc_number: 发文字号".into());
    }
    // Only kinds with a validity of their own have 施行日期 and 有效期 (legal-model.md §1).
    let own = config.validity(kind) == gazette::config::Validity::Own;
    if !dated {
        line("# issued: YYYY-MM-DD  # 成文日期".into());
        if own {
            line("# effective: YYYY-MM-DD  # 施行日期，默认为发布日期".into());
        }
    }
    if !needs_expires && own {
        line("# expires: YYYY-MM-DD  # 有效期至".into());
    }
    if !needs_interpretation && !is_interpretation {
        line("# interpretation: [政策解读的 id]".into());
    }
    for (key, what) in [
        ("gazette", "YYYY-NN  # 刊登的政府公报期号"),
        ("repeals", "[被本文件废止的文件 id]"),
        ("amends", "[被本文件修改的文件 id]"),
        ("record_number", "备案号"),
        ("source", "来源"),
        ("index_no", "索引号"),
        ("attachments", "[附件文件名，与本文件放在同一文件夹]"),
        (
            "disclosure",
            "public  # 公开属性：public、on_request、withheld",
        ),
    ] {
        line(format!("# {key}: {what}"));
    }
    t.push_str("---\n");
    let _ = writeln!(
        t,
        "<!-- 在下面写正文（Markdown）：段落之间空一行，## 开头的行是小标题。 -->\n"
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_when_safe_quoted_otherwise() {
        assert_eq!(yaml_str("关于印发……的通知"), "关于印发……的通知");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("《x》"), "《x》");
        assert_eq!(yaml_str("\"引\""), "\"\\\"引\\\"\"");
        assert_eq!(yaml_str("2026"), "\"2026\"");
        assert_eq!(yaml_str("yes"), "\"yes\"");
    }

    #[test]
    fn default_ids_count_up_past_taken_ones() {
        let d = Date::new(2026, 6, 30).unwrap();
        let mut taken = BTreeSet::new();
        assert_eq!(default_id("normative", d, &taken), "normative-2026-06-30-1");
        taken.insert("normative-2026-06-30-1".to_string());
        assert_eq!(default_id("normative", d, &taken), "normative-2026-06-30-2");
        assert_eq!(default_id("Some_Kind", d, &taken), "some-kind-2026-06-30-1");
    }
}
