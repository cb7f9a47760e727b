//! The site model: typed, validated, immutable.
//!
//! Everything after validation reads these types only. [`Site`] is built once, with every
//! reverse relation (repealed by, amended by, interpreted by) and every document's [`Status`]
//! on the `as_of` date computed up front, then shared read-only by the parallel renderers.

mod site;
mod status;

pub use site::{Relation, Site};
pub use status::Status;

use std::fmt;
use std::path::PathBuf;

use jiff::civil::Date;
use serde::Serialize;

/// A document's stable identifier: `[a-z0-9][a-z0-9-]*`, unique site-wide, safe in a URL and a
/// file name (validated before one is made).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DocId(String);

impl DocId {
    /// Wraps an id already checked against the id pattern.
    pub fn new(id: impl Into<String>) -> Self {
        DocId(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 公开属性. Only `Public` documents are ever written anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    Public,
    OnRequest,
    Withheld,
}

/// A gazette issue number `YYYY-NN` (政府公报 YYYY年第NN期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IssueNo {
    pub year: i16,
    pub number: u8,
}

impl IssueNo {
    pub fn parse(s: &str) -> Option<IssueNo> {
        let (y, n) = s.split_once('-')?;
        if y.len() != 4 || n.len() != 2 {
            return None;
        }
        let issue = IssueNo {
            year: y.parse().ok()?,
            number: n.parse().ok()?,
        };
        (issue.number >= 1).then_some(issue)
    }
}

impl fmt::Display for IssueNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.number)
    }
}

/// An interpretation named on a document: another document, or an external `https://` page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpretationRef {
    Doc(DocId),
    External(String),
}

/// A file published next to its document (or an issue's PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name in the output folder of its page.
    pub name: String,
    /// The source, relative to the site root.
    pub source: PathBuf,
    pub bytes: u64,
    /// The name shown as 附件N (front matter `{path, title}`); `None`: the file's name.
    pub title: Option<String>,
}

/// A published document, validated.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: DocId,
    pub title: String,
    pub kind: String,
    pub doc_number: Option<String>,
    pub issuers: Vec<String>,
    pub issued: Option<Date>,
    pub published: Date,
    /// `effective` as written, or `published`.
    pub effective: Date,
    pub expires: Option<Date>,
    pub repeals: Vec<DocId>,
    pub amends: Vec<DocId>,
    pub interpretation: Vec<InterpretationRef>,
    pub interprets: Option<DocId>,
    pub gazette: Option<IssueNo>,
    /// The page of the issue on which the document starts (`gazette_page`).
    pub gazette_page: Option<u32>,
    pub subjects: Vec<String>,
    pub record_number: Option<String>,
    pub source: Option<String>,
    pub index_no: Option<String>,
    pub summary: Option<String>,
    pub disclosure: Disclosure,
    pub attachments: Vec<Attachment>,
    /// The Markdown body (shared: `serve` keeps every document between rebuilds and makes a
    /// new site from them on each save, which then copies no body).
    pub body: std::sync::Arc<str>,
    /// The source file, relative to the site root.
    pub file: PathBuf,
    /// The file line on which the body starts (for diagnostics inside the body).
    pub body_line: u32,
    /// Where keys and list items stood in the file (JSON pointer → position), so that
    /// site-wide rules can point at `repeals[2]` after the YAML tree is gone.
    pub positions: std::sync::Arc<[(String, crate::diag::Pos)]>,
}

impl Document {
    pub fn is_public(&self) -> bool {
        self.disclosure == Disclosure::Public
    }

    /// Position of a key or list item (`/repeals/0`), falling back to the first line.
    pub fn pos(&self, pointer: &str) -> crate::diag::Pos {
        self.positions
            .iter()
            .find(|(p, _)| p == pointer)
            .map_or(crate::diag::Pos::new(1, 1), |(_, pos)| *pos)
    }
}

/// One issue of the printed gazette. It exists when a file describes it or a document names it.
#[derive(Debug, Clone)]
pub struct GazetteIssue {
    pub no: IssueNo,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub total_number: Option<u32>,
    pub pdf: Option<Attachment>,
    /// The foreword (Markdown), empty when none.
    pub foreword: String,
    pub file: Option<PathBuf>,
}

/// A free page under `content/pages/`, published at `/pages/<slug>/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path under `pages/` without `.md`, `/`-separated (`about`, `guide/search`).
    pub slug: String,
    pub title: String,
    pub body: String,
    pub file: PathBuf,
}
