//! Stage 2: validate every source against the contract, collecting every problem.
//!
//! Files are checked in parallel (each on its own), then the site-wide [`rules`] run over all
//! documents. The steps are called by `session`, which keeps each file's result
//! between updates; the caller decides from the diagnostics whether to go on (`build`) or
//! just report (`check`).

pub mod document;
pub mod fields;
pub mod legal;
pub mod memo;
pub mod rules;
pub mod text;
mod version;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::config::Config;
use crate::contract;
use crate::contract::schema::{self, Schemas};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Body, Document, GazetteIssue, IssueNo, Page, Version};
use crate::source::{self, Contents, Sources};

/// One document file checked on its own: the document (`None` after an error) and what was
/// found. `serve` keeps these between rebuilds and reloads only the files that changed.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub file: PathBuf,
    /// Shared: `serve` hands the same document to every preview's site without copying it.
    pub doc: Option<Arc<Document>>,
    /// The document's Markdown body (with `doc`).
    pub body: Option<Body>,
    /// A version file's text (`doc` is then `None` without an error).
    pub version: Option<Arc<Version>>,
    pub diags: Diagnostics,
    /// Where the document's body names a document ([`rules::links_in`]): the site-wide rules
    /// compare these with the non-public ids without reading the body again.
    pub(crate) links: Arc<[rules::BodyLink]>,
    /// The document's [`crate::model::json_hash`], made when the file was checked and kept
    /// with the check ([`memo`]) where there is a build cache: the key of the site is made of
    /// these (`session/model_key.rs`), and 10 000 documents are not serialised again for it.
    pub(crate) fingerprint: Option<[u8; 32]>,
}

impl LoadedFile {
    /// `file`, which could not be read: `diag` says why.
    pub(crate) fn failed(file: &Path, diag: Diagnostic) -> LoadedFile {
        LoadedFile {
            file: file.to_path_buf(),
            doc: None,
            body: None,
            version: None,
            diags: std::iter::once(diag).collect(),
            links: Arc::from([]),
            fingerprint: None,
        }
    }
}

/// The version files among `loaded`, checked against `documents` (versions.md §1).
pub(crate) fn versions<'a>(
    documents: &[Arc<Document>],
    loaded: impl IntoIterator<Item = &'a LoadedFile>,
    diags: &mut Diagnostics,
) -> Vec<Arc<Version>> {
    let mut failed = HashSet::new();
    let mut versions = Vec::new();
    for l in loaded {
        match (&l.doc, &l.version) {
            (_, Some(v)) => versions.push(Arc::clone(v)),
            (None, None) => {
                if let Some(stem) = l.file.file_stem() {
                    failed.insert(stem.to_string_lossy().into_owned());
                }
            }
            _ => {}
        }
    }
    version::check(documents, &versions, &failed, diags);
    versions
}

/// What a document file's own check reads besides the file.
#[derive(Clone, Copy)]
pub(crate) struct Reading<'a> {
    pub config: &'a Config,
    pub schemas: &'a Schemas,
    /// Where proofreading results are kept.
    pub proofread: &'a dyn crate::proofread::Memo,
    /// Where whole checked files are kept ([`memo`]).
    pub checked: &'a dyn memo::Memo,
    /// Files the build has read already.
    pub prefetched: Option<&'a source::Prefetched>,
}

/// Every document file on its own (in parallel): schema, fields, dates, doc numbers.
///
/// On more threads than there are cores: reading a file whose bytes are not in memory waits on
/// the disk, and with one thread per core a cold start of a large archive (after a reboot, on
/// a fresh runner) spent half its time waiting. Measured on 100 000 documents with the page
/// cache dropped: see the book's performance chapter.
pub(crate) fn load_documents(root: &Path, files: &[PathBuf], with: Reading) -> Vec<LoadedFile> {
    let load = || {
        files
            .par_iter()
            .map(|file| load_document(root, file, with))
            .collect()
    };
    if files.len() <= READING_THREADS {
        return load();
    }
    match rayon::ThreadPoolBuilder::new()
        .num_threads(READING_THREADS.max(rayon::current_num_threads()))
        .build()
    {
        Ok(pool) => pool.install(load),
        Err(_) => load(),
    }
}

/// Threads that read and check document files (see [`load_documents`]).
const READING_THREADS: usize = 8;

/// [`load_documents`] for one file: its check kept in `with.checked` when that still holds,
/// else checked and kept.
pub(crate) fn load_document(root: &Path, file: &Path, with: Reading) -> LoadedFile {
    let read = match with.prefetched.and_then(|p| p.take(file)) {
        Some(read) => Ok(read),
        None => source::read_bytes(root, file).map(|bytes| source::Read {
            hash: if with.checked.enabled() {
                source::file_hash(file, &bytes)
            } else {
                [0; 32]
            },
            bytes: Contents::Bytes(bytes),
        }),
    };
    let source::Read { hash, mut bytes } = match read {
        Ok(read) => read,
        Err(d) => return LoadedFile::failed(file, with.config.localise(d)),
    };
    let key = with.checked.enabled().then(|| memo::key(&hash));
    if let Some(key) = &key
        && let Some(kept) = with.checked.get(key)
    {
        match memo::reuse(root, file, bytes, &kept) {
            Ok(loaded) => return loaded,
            Err(back) => bytes = back,
        }
    }
    let bytes = match bytes.into_bytes(file) {
        Ok(bytes) => bytes,
        Err(d) => return LoadedFile::failed(file, d),
    };
    let lookups = fields::Lookups::default();
    let mut loaded = check_document(root, file, &bytes, with, &lookups);
    if let Some(key) = &key {
        loaded.fingerprint = loaded.doc.as_deref().map(crate::model::json_hash);
        if let Some(record) = memo::record(&loaded, lookups.into_inner()) {
            with.checked.put(key, &record);
        }
    }
    loaded
}

/// One document file's own check, every step of it.
fn check_document(
    root: &Path,
    file: &Path,
    bytes: &[u8],
    with: Reading,
    lookups: &fields::Lookups,
) -> LoadedFile {
    let mut diags = Diagnostics::new();
    let mut version = None;
    let loaded = document::load(
        (root, file, bytes),
        (with.config, with.schemas, with.proofread),
        lookups,
        &mut version,
        &mut diags,
    );
    let (doc, body, links) = match loaded {
        Some((doc, body, links)) => (Some(Arc::new(doc)), Some(body), Arc::from(links)),
        None => (None, None, Arc::from([])),
    };
    let diags = diags.into_iter().map(|d| with.config.localise(d)).collect();
    LoadedFile {
        file: file.to_path_buf(),
        doc,
        body,
        version: version.map(Arc::new),
        diags,
        links,
        fingerprint: None,
    }
}

/// The documents that loaded, each with its body, its links and its fingerprint
/// ([`LoadedFile`]), in the same order.
#[derive(Default)]
pub(crate) struct Gathered {
    pub documents: Vec<Arc<Document>>,
    pub bodies: Vec<Body>,
    pub links: Vec<Arc<[rules::BodyLink]>>,
    pub fingerprints: Vec<Option<[u8; 32]>>,
    /// The declared ids of the files that did not load (a reference to one of those is not
    /// reported as dangling).
    pub failed: Failed,
}

/// The documents that loaded; the files' own diagnostics go to `diags`.
pub(crate) fn gather<'a>(
    root: &Path,
    loaded: impl IntoIterator<Item = &'a LoadedFile>,
    diags: &mut Diagnostics,
) -> Gathered {
    let mut g = Gathered::default();
    for l in loaded {
        if !l.diags.is_empty() {
            diags.extend(l.diags.clone());
        }
        match (&l.doc, &l.body) {
            (Some(doc), Some(body)) => {
                g.documents.push(Arc::clone(doc));
                g.bodies.push(body.clone());
                g.links.push(Arc::clone(&l.links));
                g.fingerprints.push(l.fingerprint);
            }
            _ if l.version.is_some() => {}
            _ => {
                let (id, interprets) = declared(root, &l.file);
                g.failed.ids.insert(id);
                g.failed.interprets.extend(interprets);
            }
        }
    }
    g
}

/// What is known of the document files that failed their own checks, read from their front
/// matter line by line (it did not parse as a document). One mistake, one error: a reference
/// to such a file is not reported as dangling, and the document it says it interprets is not
/// reported as lacking an interpretation (退文) while the interpretation itself has an error.
#[derive(Debug, Default)]
pub struct Failed {
    /// Their ids (`id:`, else the file name).
    pub ids: HashSet<String>,
    /// What their `interprets:` lines name.
    pub interprets: HashSet<String>,
}

/// The gazette issue files and the free pages. `documents` are the site's (their bodies may
/// not link to a non-public one).
pub(crate) fn load_issues_and_pages(
    root: &Path,
    sources: &Sources,
    schemas: &Schemas,
    documents: &[Arc<Document>],
    diags: &mut Diagnostics,
) -> (Vec<GazetteIssue>, Vec<Page>) {
    let hidden = rules::non_public_ids(documents);
    let issues = sources
        .issues
        .iter()
        .filter_map(|f| load_issue(root, f, schemas, &hidden, diags))
        .collect();
    let pages = sources
        .pages
        .iter()
        .filter_map(|f| load_page(root, f, schemas, &hidden, diags))
        .collect();
    issue_files_missing(sources, documents, diags);
    (issues, pages)
}

/// `issue-file-missing`: an issue that public documents name but that has no file gets a page
/// without 出版日期, 总期号 or PDF — and may still be the home page's 最新一期. One warning per
/// issue, at the first document (by path) that names it.
fn issue_files_missing(sources: &Sources, documents: &[Arc<Document>], diags: &mut Diagnostics) {
    let with_file: HashSet<IssueNo> = sources
        .issues
        .iter()
        .filter_map(|f| IssueNo::parse(&f.file_stem()?.to_string_lossy()))
        .collect();
    let mut first: std::collections::BTreeMap<IssueNo, &Document> = Default::default();
    for d in documents.iter().filter(|d| d.is_public()) {
        if let Some(no) = d.gazette.filter(|no| !with_file.contains(no)) {
            let seen = first.entry(no).or_insert(d);
            if d.file < seen.file {
                *seen = d;
            }
        }
    }
    for (no, d) in first {
        let name = format!("{}-{:02}", no.year, no.number);
        diags.push(
            Diagnostic::new(
                Code::IssueFileMissing,
                format!("政府公报{}年第{}期没有期次文件 content/gazette/{name}.md", no.year, no.number),
            )
            .in_file(&d.file)
            .at(Some(d.pos("/gazette")))
            .hint(format!(
                "没有这个文件，该期页面没有出版日期、总期号和印刷版 PDF：新建 content/gazette/{name}.md，至少写 published: YYYY-MM-DD"
            )),
        );
    }
}

/// The `id:` (else the file name) and `interprets:` a failed file declares, read line by line.
fn declared(root: &Path, file: &Path) -> (String, Option<String>) {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let value = |key: &str| {
        text.lines()
            .skip(1)
            .take_while(|l| l.trim_end() != "---")
            .find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
            })
            .filter(|v| !v.is_empty())
    };
    (value("id").unwrap_or(stem), value("interprets"))
}

#[derive(Deserialize)]
struct RawIssue {
    title: Option<String>,
    published: String,
    total_number: Option<u32>,
    pdf: Option<String>,
}

fn load_issue(
    root: &Path,
    file: &Path,
    schemas: &Schemas,
    hidden: &HashSet<&str>,
    diags: &mut Diagnostics,
) -> Option<GazetteIssue> {
    let stem = file.file_stem()?.to_string_lossy().into_owned();
    let Some(no) = IssueNo::parse(&stem) else {
        diags.push(
            Diagnostic::new(
                Code::IssueFileName,
                format!("公报期次文件名 `{stem}.md` 不是 YYYY-NN.md"),
            )
            .in_file(file)
            .hint("按年份和两位期号命名，如 content/gazette/2024-03.md"),
        );
        return None;
    };
    let text = source::read_text(root, file)
        .map_err(|d| diags.push(d))
        .ok()?;
    let split = source::split_front_matter(&text, file)
        .map_err(|d| diags.push(d))
        .ok()?;
    rules::body_links(hidden, file, split.body, split.body_line, diags);
    crate::markdown::unclosed::warn(file, split.body, split.body_line, diags);
    let node = fields::parse_mapping(split.yaml, split.yaml_line, file, diags)?;
    let json = node.to_json();
    let problems = schema::check(&schemas.issue, &node, &json, file, &|k| match k {
        "published" => Some("出版日期，格式 YYYY-MM-DD".into()),
        "pdf" => Some("印刷版 PDF 的路径，相对于本文件，如 2024-03.pdf".into()),
        "total_number" => Some("总期号，整数，如 315".into()),
        _ => None,
    });
    if !problems.is_empty() {
        diags.extend(problems);
        return None;
    }
    let raw: RawIssue = serde_json::from_value(json).ok()?;
    let Some(published) = contract::parse_date(&raw.published) else {
        diags.push(
            Diagnostic::new(
                Code::InvalidDate,
                format!("出版日期 `{}` 不存在", raw.published),
            )
            .in_file(file)
            .at(Some(node.locate("/published", false)))
            .hint("检查月份和日期"),
        );
        return None;
    };
    let pdf = match raw.pdf {
        Some(p) => match fields::attachment(root, file, &p) {
            Ok(a) => Some(a),
            Err(d) => {
                diags.push(d.in_file(file).at(Some(node.locate("/pdf", false))));
                return None;
            }
        },
        None => None,
    };
    Some(GazetteIssue {
        no,
        title: raw.title,
        published: Some(published),
        total_number: raw.total_number,
        pdf,
        foreword: split.body.to_string(),
        file: Some(file.to_path_buf()),
    })
}

#[derive(Deserialize)]
struct RawPage {
    title: String,
}

fn load_page(
    root: &Path,
    file: &Path,
    schemas: &Schemas,
    hidden: &HashSet<&str>,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let text = source::read_text(root, file)
        .map_err(|d| diags.push(d))
        .ok()?;
    let split = source::split_front_matter(&text, file)
        .map_err(|d| diags.push(d))
        .ok()?;
    rules::body_links(hidden, file, split.body, split.body_line, diags);
    crate::markdown::unclosed::warn(file, split.body, split.body_line, diags);
    let node = fields::parse_mapping(split.yaml, split.yaml_line, file, diags)?;
    let json = node.to_json();
    let problems = schema::check(&schemas.page, &node, &json, file, &|_| None);
    if !problems.is_empty() {
        diags.extend(problems);
        return None;
    }
    let raw: RawPage = serde_json::from_value(json).ok()?;
    let under = file
        .strip_prefix("content/pages")
        .unwrap_or(file)
        .with_extension("");
    let slug: Vec<String> = under
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if !slug.iter().all(|s| contract::is_slug(s)) {
        diags.push(
            Diagnostic::new(
                Code::InvalidId,
                format!("页面文件名 `{}` 不能用作网址", under.display()),
            )
            .in_file(file)
            .hint("页面文件名只用小写字母、数字和连字符，如 about.md"),
        );
        return None;
    }
    Some(Page {
        slug: slug.join("/"),
        title: raw.title,
        body: split.body.to_string(),
        file: file.to_path_buf(),
    })
}
