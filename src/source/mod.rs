//! Stage 1: find and read the site's sources.
//!
//! Walks `content/` once, sorting what it finds into documents, gazette issues, free pages and
//! other files (attachments), reads text as UTF-8 (a byte-order mark tolerated, CRLF folded to LF
//! so positions are the same on every platform), and splits front matter from the body while
//! remembering on which line each starts — so every later diagnostic names a file-absolute line.

mod slips;
pub(crate) mod tree;
pub(crate) mod yaml;

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, Diagnostics, Pos};

/// What `content/` holds, every path relative to the site root and sorted.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    pub documents: Vec<PathBuf>,
    pub issues: Vec<PathBuf>,
    pub pages: Vec<PathBuf>,
    /// Every other file: attachments, issue PDFs. Only those named by a public document are copied.
    pub files: Vec<PathBuf>,
}

/// Walks `<root>/content`. Hidden files and folders and editor leftovers are skipped; a symbolic
/// link is an error (it could expose a file outside the content folder).
pub(crate) fn discover(root: &Path, diags: &mut Diagnostics) -> Sources {
    let content = root.join("content");
    let mut sources = Sources::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(Code::Io, "找不到 content/ 文件夹")
                .in_file("content")
                .hint("在站点根目录下创建 content/documents/，或用 --root 指向站点根目录（含 gazette.toml 的文件夹）"),
        );
        return sources;
    }
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| PathBuf::from("content"));
                diags.push(Diagnostic::new(Code::Io, format!("无法读取：{err}")).in_file(path));
                continue;
            }
        };
        let relp = rel(root, entry.path());
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::new(Code::UnsafePath, "content/ 中不允许符号链接")
                    .in_file(&relp)
                    .hint("把文件本身复制到 content/ 中，而不是链接到别处"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let under: Vec<_> = relp.components().skip(1).collect();
        let is_md = relp.extension().is_some_and(|e| e == "md");
        if !is_md && let Some(d) = markdown_elsewise(&relp) {
            diags.push(d);
            continue;
        }
        let top = under
            .first()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("");
        match (top, is_md, under.len()) {
            ("documents", true, _) => sources.documents.push(relp),
            ("gazette", true, 2) => sources.issues.push(relp),
            ("pages", true, _) => sources.pages.push(relp),
            _ => sources.files.push(relp),
        }
    }
    sources
}

/// A Markdown file not named `*.md` (`*.MD`, `*.markdown`, `*.mdown`…) would be copied as an
/// attachment-like file and never published as a document: an error saying to rename it.
fn markdown_elsewise(relp: &Path) -> Option<Diagnostic> {
    let ext = relp.extension()?.to_str()?.to_ascii_lowercase();
    if !matches!(ext.as_str(), "md" | "markdown" | "mdown" | "mkd" | "mkdn") {
        return None;
    }
    let fixed = relp.with_extension("md");
    Some(
        Diagnostic::new(
            Code::MarkdownExtension,
            format!(
                "`{}` 看来是 Markdown 文件，但只有扩展名为小写 .md 的文件才会发布",
                relp.display()
            ),
        )
        .in_file(relp)
        .hint(format!("把它改名为 {}", fixed.display())),
    )
}

fn is_skipped(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

/// Reads a text file: UTF-8, BOM stripped, CRLF → LF (see [`decode`]).
pub(crate) fn read_text(root: &Path, relp: &Path) -> Result<String, Diagnostic> {
    decode(&read_bytes(root, relp)?, relp).map(Cow::into_owned)
}

/// Document files the build's input stamp (`output::inputs`) has already met, handed to the
/// load so that no file is read twice: each with its hash, and with its bytes when the stamp
/// read them. Each is taken once; a file not here is read from disk.
#[derive(Default)]
pub(crate) struct Prefetched(std::sync::Mutex<foldhash::HashMap<PathBuf, Read>>);

/// A file's [`file_hash`], and its bytes unless the file was known unchanged.
pub(crate) struct Read {
    pub hash: [u8; 32],
    pub bytes: Contents,
}

/// A file's bytes, or how to get them.
pub(crate) enum Contents {
    /// Read already.
    Bytes(Vec<u8>),
    /// Not read: the file is as it was when its hash was recorded (same size, times and inode;
    /// `output::inputs`). Read when needed, and checked against that hash then
    /// ([`read_known`]).
    Known {
        root: std::sync::Arc<Path>,
        hash: [u8; 32],
    },
}

impl Contents {
    /// The bytes of `relp`: those read, or the file read now and found to be the one known.
    pub(crate) fn into_bytes(self, relp: &Path) -> Result<Vec<u8>, Diagnostic> {
        match self {
            Contents::Bytes(bytes) => Ok(bytes),
            Contents::Known { root, hash } => read_known(&root, relp, &hash),
        }
    }
}

impl Prefetched {
    /// `files` by path relative to the site root, as [`discover`] names them.
    pub(crate) fn new(files: foldhash::HashMap<PathBuf, Read>) -> Prefetched {
        Prefetched(std::sync::Mutex::new(files))
    }

    /// The hash of `relp` and its bytes, if the stamp met it (and it was not taken yet).
    pub(crate) fn take(&self, relp: &Path) -> Option<Read> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(relp)
    }
}

/// Reads `relp`, which the build knows by its [`file_hash`] `hash` without having read it,
/// and checks it is that file. It is not when it was saved again while the build ran: its
/// hash is then in the build's keys (the input stamp, the kept checks, the cached pages)
/// although its text is another, so the build stops rather than publish or cache a mixture.
pub(crate) fn read_known(root: &Path, relp: &Path, hash: &[u8; 32]) -> Result<Vec<u8>, Diagnostic> {
    let bytes = read_bytes(root, relp)?;
    if &file_hash(relp, &bytes) == hash {
        Ok(bytes)
    } else {
        Err(
            Diagnostic::new(Code::Io, "文件在生成过程中被改动，本次生成已停止")
                .in_file(relp)
                .hint("文件保存完毕后再运行一次 gazette build；已发布的网站没有改动"),
        )
    }
}

/// The hash of the file `relp` (relative to the site root) holding `bytes`: the input stamp's
/// and, through it, the key of the file's kept check, so that a build hashes each file once.
pub(crate) fn file_hash(relp: &Path, bytes: &[u8]) -> [u8; 32] {
    let path = relp.to_string_lossy();
    let mut h = blake3::Hasher::new();
    h.update(&(path.len() as u64).to_le_bytes());
    h.update(path.as_bytes());
    h.update(bytes);
    *h.finalize().as_bytes()
}

/// Reads a file's bytes, as they are.
pub(crate) fn read_bytes(root: &Path, relp: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(root.join(relp))
        .map_err(|e| Diagnostic::new(Code::Io, format!("无法读取文件：{e}")).in_file(relp))
}

/// The text of a file's bytes: UTF-8 with a byte-order mark tolerated, CRLF and lone CR folded
/// to LF. Invalid UTF-8 is reported at the line and column of the first bad byte.
pub(crate) fn decode<'a>(bytes: &'a [u8], relp: &Path) -> Result<Cow<'a, str>, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let idx = tree::LineIndex::new(good, 1);
            return Err(Diagnostic::new(Code::Encoding, "文件不是有效的 UTF-8 文本")
                .in_file(relp)
                .at(Some(idx.pos(good.len())))
                .hint(
                    "用 UTF-8 编码另存此文件（记事本：另存为 → 编码选 UTF-8；WPS/Word：纯文本 UTF-8）",
                ));
        }
    };
    // Borrowed unless line ends must change: a rebuild decodes every file it reuses, and
    // copying 60 MB of text for nothing was a measurable part of that (issue 19).
    Ok(if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

/// A text file cut into its front matter and its Markdown body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split<'a> {
    pub yaml: &'a str,
    /// File line on which the YAML starts (the line after the opening `---`).
    pub yaml_line: u32,
    pub body: &'a str,
    pub body_line: u32,
}

/// Splits `---\n<yaml>\n---\n<body>`. The closing line may also be `...` (YAML's end marker).
pub(crate) fn split_front_matter<'a>(text: &'a str, relp: &Path) -> Result<Split<'a>, Diagnostic> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        let what = if text.trim().is_empty() {
            "文件是空的"
        } else {
            "文件没有以 `---` 开头"
        };
        return Err(Diagnostic::new(
            Code::FrontMatterMissing,
            format!("{what}：缺少 front matter"),
        )
        .in_file(relp)
        .at(Some(Pos::new(1, 1)))
        .hint("文件第一行写 `---`，接着写 `title: …` 等键，再用一行 `---` 结束，然后是正文"));
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start.min(text.len());
    for (line_no, line) in (2u32..).zip(text[offset..].split_inclusive('\n')) {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        Code::FrontMatterUnclosed,
        "front matter 没有结束的 `---` 行",
    )
    .in_file(relp)
    .at(Some(Pos::new(1, 1)))
    .hint("在最后一个键（如 `published: …`）之后、正文之前，单独加一行 `---`"))
}

/// Resolves `name` (written in a file at `relp`) against that file's folder, refusing anything
/// that leaves `content/`: `..` above it, absolute paths, drive letters, NUL. Returns the path
/// relative to the site root.
pub(crate) fn resolve_relative(relp: &Path, name: &str) -> Result<PathBuf, &'static str> {
    if name.is_empty() {
        return Err("路径是空的");
    }
    if name.contains('\0') {
        return Err("路径中含有 NUL 字符");
    }
    if name.starts_with('/') || name.starts_with('\\') || name.as_bytes().get(1) == Some(&b':') {
        return Err("不能使用绝对路径或盘符");
    }
    if name.contains(':') {
        // Not a legal file name on Windows, where `a/C:x` would also turn into a drive path.
        return Err("路径中不能有冒号 `:`");
    }
    let dir = relp.parent().unwrap_or(Path::new(""));
    let mut out: Vec<String> = dir
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if out.len() <= 1 {
                    return Err("路径跑到了 content/ 之外");
                }
                out.pop();
            }
            p => out.push(p.to_string()),
        }
    }
    let path: PathBuf = out.iter().collect();
    debug_assert!(path.components().all(|c| matches!(c, Component::Normal(_))));
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_file_lines() {
        let s = split_front_matter("---\ntitle: x\n---\n正文\n", Path::new("a.md")).unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let e = split_front_matter("---\ntitle: x\n正文\n", Path::new("a.md")).unwrap_err();
        assert_eq!(e.code, Code::FrontMatterUnclosed);
    }

    #[test]
    fn relative_paths_stay_inside_content() {
        let f = Path::new("content/documents/2021/a.md");
        assert_eq!(
            resolve_relative(f, "../2020/b.pdf").unwrap(),
            PathBuf::from("content/documents/2020/b.pdf")
        );
        assert!(resolve_relative(f, "../../../etc/passwd").is_err());
        assert!(resolve_relative(f, "/etc/passwd").is_err());
        assert!(resolve_relative(f, "C:\\x").is_err());
        assert!(resolve_relative(f, "a\0b").is_err());
    }

    /// Hostile input, property-tested: whatever bytes a file holds, reading and splitting it
    /// never panics, and what comes out keeps the positions diagnostics rely on.
    mod props {
        use super::*;
        use proptest::prelude::*;

        /// Text made of the pieces that matter to the splitter, plus anything at all.
        fn front_matter_ish() -> impl Strategy<Value = Vec<u8>> {
            let piece = prop_oneof![
                Just(b"---".to_vec()),
                Just(b"...".to_vec()),
                Just(b"\n".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"\r".to_vec()),
                Just(b"\xEF\xBB\xBF".to_vec()),
                Just(b"title: x".to_vec()),
                Just("标题".as_bytes().to_vec()),
                Just(b" ".to_vec()),
                Just(b"\0".to_vec()),
                Just(vec![0xff]),
                Just(vec![0xe6, 0x96]),
                proptest::collection::vec(any::<u8>(), 0..8),
            ];
            proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
        }

        fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
            let file = Path::new("content/documents/a.md");
            let text = match decode(bytes, file) {
                Ok(t) => t,
                Err(d) => {
                    prop_assert_eq!(d.code, Code::Encoding);
                    prop_assert!(d.pos.is_some(), "an encoding error says where");
                    return Ok(());
                }
            };
            prop_assert!(!text.contains('\r'), "line endings folded");
            match split_front_matter(&text, file) {
                Ok(s) => {
                    prop_assert!(text.ends_with(s.body));
                    if !s.body.is_empty() {
                        let body_at = text.len() - s.body.len();
                        let line = text[..body_at].matches('\n').count() as u32 + 1;
                        prop_assert_eq!(line, s.body_line, "the body starts on the line it says");
                    }
                    prop_assert_eq!(s.yaml_line, 2);
                    prop_assert!(text[text.find('\n').map_or(0, |i| i + 1)..].starts_with(s.yaml));
                }
                Err(d) => prop_assert!(matches!(
                    d.code,
                    Code::FrontMatterMissing | Code::FrontMatterUnclosed
                )),
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn arbitrary_bytes_are_read_and_split_without_panic(
                bytes in proptest::collection::vec(any::<u8>(), 0..512)
            ) {
                check(&bytes)?;
            }

            #[test]
            fn front_matter_like_bytes_are_read_and_split_without_panic(bytes in front_matter_ish()) {
                check(&bytes)?;
            }

            #[test]
            fn relative_paths_never_leave_content(
                name in proptest::collection::vec(
                    prop_oneof![
                        Just(".."), Just("."), Just("/"), Just("\\"), Just("a"), Just("C:"),
                        Just("\0"), Just(""), Just("附件.pdf"),
                    ],
                    0..10,
                ).prop_map(|v| v.concat())
            ) {
                if let Ok(p) = resolve_relative(Path::new("content/documents/2021/a.md"), &name) {
                    prop_assert!(p.starts_with("content"), "{} from {name:?}", p.display());
                    prop_assert!(p.components().all(|c| matches!(c, Component::Normal(_))));
                    prop_assert!(!p.to_string_lossy().contains(['\0', '\\', ':']));
                }
            }
        }
    }
}
