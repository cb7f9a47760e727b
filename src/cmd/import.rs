//! `gazette import FILE.docx… [--kind K] [--dry-run]`: Word files → document files.
//!
//! Each Word file becomes `content/documents/<year>/<id>.md` with its images and embedded files
//! beside it. The front matter is the one `gazette new` writes for the kind, with what the
//! official-document layout gave (标题, 发文字号, 发文机关, 成文日期, 印发日期) filled in and each
//! such guess marked `# 待核对`, so `gazette check` lists what to confirm against the original.
//! A comment records the Word file's hash: importing the same file again finds the document it
//! made and leaves it alone, edited or not; an existing file is never overwritten.

use std::path::{Path, PathBuf};

use gazette::config::{self, Config};
use gazette::contract::PLACEHOLDER;
use gazette::contract::schema::Schemas;
use gazette::diag::{Code, Diagnostic, Diagnostics};
use gazette::import::{self, ids::Learnt, layout::Layout};
use gazette::proofread::scan::UNCONFIRMED_MARK;
use jiff::civil::Date;

use super::new::{default_id, existing_ids, resolve_kind, template, write_new, yaml_str};
use super::{EXIT_INVALID, EXIT_OK, print_human};
use crate::cli::{ImportArgs, today};

pub fn run(args: &ImportArgs) -> i32 {
    let root = &args.root.root;
    let mut diags = Diagnostics::new();
    let Some(config) = config::load(root, &Schemas::new(), &mut diags) else {
        print_human(&diags.into_sorted(), root);
        return EXIT_INVALID;
    };
    let kind = match &args.kind {
        Some(k) => match resolve_kind(&config, k) {
            Ok(k) => Some(k),
            Err(code) => return code,
        },
        None => None,
    };
    let learnt = Learnt::from_site(root);
    let mut taken = existing_ids(root);
    let imported = imported_hashes(root);
    let mut failed = Vec::new();
    for file in &args.files {
        match one(
            root,
            file,
            &config,
            kind.as_deref(),
            &learnt,
            &mut taken,
            &imported,
            args.dry_run,
        ) {
            Ok(line) => eprintln!("{line}"),
            Err(d) => failed.push(d.in_file(file)),
        }
    }
    if !failed.is_empty() {
        print_human(&failed, Path::new("."));
        eprintln!("{} 个文件未导入。", failed.len());
        return EXIT_INVALID;
    }
    if !args.dry_run {
        eprintln!(
            "下一步：运行 gazette check，逐项核对标有“{UNCONFIRMED_MARK}”的值，再用 gazette fix 改正标点。"
        );
    }
    EXIT_OK
}

/// Imports one file; the line to print, or why not.
#[allow(clippy::too_many_arguments)]
fn one(
    root: &Path,
    file: &Path,
    config: &Config,
    kind: Option<&str>,
    learnt: &Learnt,
    taken: &mut std::collections::BTreeSet<String>,
    imported: &[(String, PathBuf)],
    dry_run: bool,
) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(file)
        .map_err(|e| Diagnostic::new(Code::Io, format!("无法读取 Word 文件：{e}")))?;
    let hash = blake3::hash(&bytes).to_hex()[..16].to_string();
    if let Some((_, done)) = imported.iter().find(|(h, _)| *h == hash) {
        return Ok(format!(
            "{}：已导入为 {}，未覆盖（要重新导入，先删除那个文件）",
            file.display(),
            done.display()
        ));
    }
    let today = today();
    let mut guessed_kind = false;
    let mut chosen_kind = String::new();
    let (doc, id) = import::convert(&bytes, config, |layout| {
        chosen_kind = match kind {
            Some(k) => k.to_string(),
            None => {
                guessed_kind = true;
                guess_kind(config, layout)
            }
        };
        let date = layout.printed.or(layout.issued).unwrap_or(today);
        let slug = layout
            .issuers
            .first()
            .and_then(|n| config.issuer(n))
            .map(|x| x.slug.as_str());
        let proposed = layout
            .doc_number
            .as_deref()
            .and_then(|n| learnt.propose(n, slug))
            .filter(|id| !taken.contains(id));
        proposed.unwrap_or_else(|| default_id(&chosen_kind, date, taken))
    })
    .map_err(|why| {
        Diagnostic::new(Code::ImportFailed, format!("无法导入：{why}"))
            .hint("用 Word 或 WPS 打开这个文件，另存为 .docx（Word 文档）后再导入")
    })?;
    let l = &doc.layout;
    let published = l.printed.or(l.issued).unwrap_or(today);
    let year = l.issued.unwrap_or(published).year();
    let rel = PathBuf::from(format!("content/documents/{year}/{id}.md"));
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let media: Vec<String> = doc.media.iter().map(|(n, _)| n.clone()).collect();
    let text = front_matter(
        config,
        &chosen_kind,
        guessed_kind,
        l,
        &id,
        published,
        &media,
        &name,
        &hash,
    ) + "\n"
        + &doc.body;
    if dry_run {
        println!("==> {}\n{text}", rel.display());
        return Ok(format!(
            "{}：将导入为 {}（--dry-run，未写入）",
            file.display(),
            rel.display()
        ));
    }
    let path = root.join(&rel);
    if path.exists() {
        return Err(Diagnostic::new(
            Code::DuplicateId,
            format!("{} 已存在，没有覆盖它", rel.display()),
        )
        .hint("这个 id 已被另一份文件使用；把那份文件改名，或先把本文件导入到别处再改 id"));
    }
    let dir = path.parent().unwrap_or(root);
    for (n, b) in &doc.media {
        write_new(&dir.join(n), b).map_err(|e| {
            Diagnostic::new(Code::Io, format!("无法写入 {n}:{e}"))
                .hint("同名文件已存在时不会覆盖：移走它再导入")
        })?;
    }
    write_new(&path, &text)
        .map_err(|e| Diagnostic::new(Code::Io, format!("无法写入 {}:{e}", rel.display())))?;
    taken.insert(id);
    let marks = text.matches(UNCONFIRMED_MARK).count();
    Ok(format!(
        "{} → {}（{marks} 项待核对{}）",
        file.display(),
        rel.display(),
        if media.is_empty() {
            String::new()
        } else {
            format!(",{} 个图片或附件", media.len())
        }
    ))
}

/// Hash → document, for documents that an import made (the comment it writes).
fn imported_hashes(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for (p, text) in gazette::import::ids::documents(root) {
        let p = p.as_path();
        for line in text.lines().take(4) {
            if let Some(rest) = line.split("（blake3 ").nth(1)
                && line.starts_with("# 由 gazette import")
            {
                let h: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
                out.push((h, p.strip_prefix(root).unwrap_or(p).to_path_buf()));
            }
        }
    }
    out
}

/// The kind when the editor gave none: 令 → regulation, a 文号 → normative, else policy, each
/// only when the site registers it.
fn guess_kind(config: &Config, layout: &Layout) -> String {
    let n = layout.doc_number.as_deref().unwrap_or("");
    let wanted = if n.contains("令第") {
        "regulation"
    } else if layout.title.as_deref().is_some_and(|t| t.contains("解读")) {
        "interpretation"
    } else if !n.is_empty() {
        "normative"
    } else {
        "policy"
    };
    if config.kind(wanted).is_some() {
        wanted.to_string()
    } else {
        config
            .kinds
            .first()
            .map(|k| k.key.clone())
            .unwrap_or_default()
    }
}

/// The front matter of `gazette new` for the kind, with the layout's values filled in and marked.
#[allow(clippy::too_many_arguments)]
fn front_matter(
    config: &Config,
    kind: &str,
    guessed_kind: bool,
    l: &Layout,
    id: &str,
    published: Date,
    media: &[String],
    source: &str,
    hash: &str,
) -> String {
    let mark = format!("  {UNCONFIRMED_MARK}");
    let title = l.title.clone().unwrap_or_else(|| PLACEHOLDER.to_string());
    let issuers = l.issuers.clone();
    let t = template(config, kind, &title, &issuers, id, published, None);
    let mut out = String::new();
    for line in t.lines() {
        let set = |key: &str, v: &str, what: &str| format!("{key}: {}{mark}：{what}", yaml_str(v));
        let line = if line == "---" && out.is_empty() {
            format!(
                "---\n# 由 gazette import 从 {} 导入（blake3 {hash}）",
                source.replace(['\n', '\r'], " ")
            )
        } else if line.starts_with("title:") && l.title.is_some() {
            format!("{line}{mark}：标题")
        } else if line.starts_with("kind:") && guessed_kind {
            format!("{line}{mark}：文种是推断的，可用 --kind 指定")
        } else if line.starts_with("doc_number:") || line.starts_with("# doc_number:") {
            match &l.doc_number {
                Some(n) => set("doc_number", n, "发文字号"),
                None => line.to_string(),
            }
        } else if line.starts_with("issuer:") && !issuers.is_empty() {
            format!("{line}{mark}：落款的发文机关")
        } else if line.starts_with("issuer:") && l.unregistered_issuer.is_some() {
            let name = l.unregistered_issuer.as_deref().unwrap_or_default();
            format!("{line}  # 落款为“{name}”，尚未在 gazette.toml 登记")
        } else if line.starts_with("issued:") || line.starts_with("# issued:") {
            match l.issued {
                Some(d) => set("issued", &d.to_string(), "落款的成文日期"),
                None => line.to_string(),
            }
        } else if line.starts_with("published:") {
            let from = if l.printed.is_some() {
                "版记的印发日期"
            } else if l.issued.is_some() {
                "即成文日期，请改为实际发布日期"
            } else {
                "即导入当天，请改为实际发布日期"
            };
            set("published", &published.to_string(), from)
        } else if line.starts_with("# attachments:") && !media.is_empty() {
            let mut s = format!("attachments:{mark}：Word 文件中的图片和附件");
            for m in media {
                s.push_str(&format!("\n  - {}", yaml_str(m)));
            }
            s
        } else if line.starts_with("<!--") {
            continue;
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}
