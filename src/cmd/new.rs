//! `gazette new <kind> --title …`: a new document file with every key of its kind's contract.
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
use gazette::diag::Diagnostics;
use gazette::validate::document::PLACEHOLDER;
use gazette::validate::fields::is_id;
use gazette::validate::schema::{Schemas, nearest};
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
    if config.kind(&args.kind).is_none() {
        let (nearest, listed) = config.kind_suggestion(&args.kind);
        eprintln!("error: 未登记的文种 `{}`", args.kind);
        if let Some(k) = nearest {
            eprintln!("   = 提示: 是否应为 `{k}`?");
        }
        eprintln!("   = 可用的文种: {}", listed.join("、"));
        return EXIT_USAGE;
    }
    let issuers = match resolve_issuers(&config, &args.issuer) {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return EXIT_USAGE;
        }
    };
    let date = today();
    let taken = existing_ids(root);
    let id = match &args.id {
        Some(id) if !is_id(id) => {
            eprintln!(
                "error: id `{id}` 无效\n   = 提示: id 只能由小写字母、数字和连字符组成,且以字母或数字开头,如 lzb-2026-12"
            );
            return EXIT_USAGE;
        }
        Some(id) => id.clone(),
        None => default_id(&args.kind, date, &taken),
    };
    let rel = PathBuf::from(format!("content/documents/{}/{id}.md", date.year()));
    let path = root.join(&rel);
    if taken.contains(&id) || path.exists() {
        eprintln!("error: 已有 id 为 `{id}` 的文件,没有覆盖它\n   = 提示: 用 --id 另取一个 id");
        return EXIT_INVALID;
    }
    let text = template(&config, &args.kind, &args.title, &issuers, &id, date);
    if let Err(e) = write_new(&path, &text) {
        eprintln!("error: 无法创建 {}:{e}", path.display());
        return EXIT_INVALID;
    }
    println!("{}", shown(root, &rel).display());
    eprintln!("已新建文件。填写标有“{PLACEHOLDER}”的项,写好正文,再运行 gazette check。");
    EXIT_OK
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
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
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
                Some(n) => format!("是否应为 `{n}`?"),
                None => "发文机关须先在 gazette.toml 的 [[issuers]] 中登记".into(),
            };
            return Err(format!(
                "error: 未登记的发文机关 `{name}`\n   = 提示: {hint}"
            ));
        }
    }
    Ok(out)
}

/// Every id in use: file stems and `id:` lines of the documents' front matter.
fn existing_ids(root: &Path) -> BTreeSet<String> {
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
) -> String {
    let p = PLACEHOLDER;
    let needs_number = matches!(kind, "regulation" | "normative");
    let needs_expires = kind == "normative";
    let is_interpretation = kind == "interpretation";
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
        let example = if kind == "regulation" {
            "洛阳市人民政府令第121号"
        } else {
            "洛政办〔2026〕12号"
        };
        line(format!("doc_number: {p}  # 发文字号,如 {example}"));
    }
    match issuers {
        [] => line(format!(
            "issuer: {p}  # 发文机关,与 gazette.toml 登记的名称一致;联合发文写成列表"
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
            "effective: {p}  # 施行日期 YYYY-MM-DD;与发布日期相同时可删去本行"
        ));
    }
    if needs_expires {
        let limit = max_years
            .map(|y| format!(",一般不超过施行后 {y} 年"))
            .unwrap_or_default();
        line(format!(
            "expires: {p}  # 有效期至:有效的最后一天 YYYY-MM-DD{limit}"
        ));
    }
    if needs_interpretation {
        line("interpretation:  # 政策解读的 id 或 https:// 网址;若解读文件已写 interprets 指向本文件,可删去这两行".into());
        line(format!("  - {p}"));
    }
    if is_interpretation {
        line(format!("interprets: {p}  # 所解读文件的 id"));
    }
    if subjects.is_empty() {
        line("# subjects: [主题分类]  # 须在 gazette.toml 的 [[subjects]] 中登记".into());
    } else {
        let mut shown: Vec<&str> = subjects.iter().take(8).copied().collect();
        if subjects.len() > 8 {
            shown.push("…");
        }
        line(format!("subjects:  # 主题分类:{}", shown.join("、")));
        line(format!("  - {p}"));
    }
    line(format!(
        "summary: {p}  # 内容概述:一两句话,用于列表、订阅和检索"
    ));
    line("# 以下为可选项:需要时删去行首的 # 再填写".into());
    if !needs_number {
        line("# doc_number: 发文字号".into());
    }
    if !dated {
        line("# issued: YYYY-MM-DD  # 成文日期".into());
        line("# effective: YYYY-MM-DD  # 施行日期,默认为发布日期".into());
    }
    if !needs_expires {
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
        ("attachments", "[附件文件名,与本文件放在同一文件夹]"),
        (
            "disclosure",
            "public  # 公开属性:public、on_request、withheld",
        ),
    ] {
        line(format!("# {key}: {what}"));
    }
    t.push_str("---\n");
    let _ = writeln!(
        t,
        "<!-- 在下面写正文(Markdown):段落之间空一行,## 开头的行是小标题。 -->\n"
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
