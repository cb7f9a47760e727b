//! The site model: typed, validated, immutable.
//!
//! Everything after validation reads these types only. [`Site`] is built once, with every
//! reverse relation (repealed by, amended by, interpreted by) and every document's [`Status`]
//! on the `as_of` date computed up front, then shared read-only by the parallel renderers.

mod bodies;
mod fingerprint;
pub(crate) mod route;
mod site;
pub(crate) mod statistics;
mod status;
mod title;
mod version;

pub(crate) use bodies::{Bodies, Body, digest as body_digest};
pub(crate) use fingerprint::json_hash;
pub(crate) use site::{DocIx, Relation, Site};
pub(crate) use status::Status;
pub(crate) use title::book_title;
pub(crate) use version::{Text, Version, caption};

use std::fmt;
use std::path::PathBuf;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A document's stable identifier: `[a-z0-9][a-z0-9-]*`, unique site-wide, safe in a URL and a
/// file name (validated before one is made).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    Public,
    OnRequest,
    Withheld,
}

/// A gazette issue number `YYYY-NN` (政府公报 YYYY年第NN期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InterpretationRef {
    Doc(DocId),
    External(String),
}

/// 废止: a whole document, or only some of its articles (the target is then 部分失效).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeal {
    pub id: DocId,
    /// `第五条、第八条`, as written; `None` for the whole document.
    pub articles: Option<String>,
}

/// 制定依据 (上位法): a document of this site, an external page, or a title in 《》.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BasisRef {
    Doc(DocId),
    External(String),
    Title(String),
}

/// A 征求意见稿's comment period and channels (versions.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    /// 征求意见期, both days included.
    pub from: Date,
    pub to: Date,
    /// How to comment: `mailto:` or `https://` addresses, or text (信函地址、电话).
    pub feedback: Vec<String>,
    /// 意见采纳情况: a document of this site or an external page.
    pub report: Option<InterpretationRef>,
}

/// Where a consultation stands on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationState {
    /// 征求意见中, with the days left (today included).
    Open,
    /// 即将开始.
    Upcoming,
    /// 已结束.
    Closed,
}

impl Consultation {
    pub fn state(&self, as_of: Date) -> ConsultationState {
        if as_of < self.from {
            ConsultationState::Upcoming
        } else if as_of > self.to {
            ConsultationState::Closed
        } else {
            ConsultationState::Open
        }
    }

    /// Days one can still comment, today and the last day included (1 on the last day).
    pub fn days_left(&self, as_of: Date) -> i32 {
        (self.to - as_of).get_days() + 1
    }
}

impl ConsultationState {
    pub fn code(self) -> &'static str {
        match self {
            ConsultationState::Open => "open",
            ConsultationState::Upcoming => "upcoming",
            ConsultationState::Closed => "closed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ConsultationState::Open => "征求意见中",
            ConsultationState::Upcoming => "即将开始",
            ConsultationState::Closed => "已结束",
        }
    }
}

/// A file published next to its document (or an issue's PDF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
/// Serialised only into the build cache, as a document file's checked result (`validate::memo`):
/// a `Document` read back from there is one this binary checked, from the same bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    pub repeals: Vec<Repeal>,
    pub amends: Vec<DocId>,
    /// 宣布失效: the targets become 已失效, not 已废止.
    pub declares_expired: Vec<DocId>,
    /// This document publishes 清理结果 (a 清理决定 or 清理结果公告).
    pub cleanup: bool,
    /// 经清理继续有效 / 经清理拟修改 (only on a `cleanup` document; no status change).
    pub continues: Vec<DocId>,
    pub to_amend: Vec<DocId>,
    pub basis: Vec<BasisRef>,
    /// The 征求意见稿 this document was drafted from.
    pub consulted: Option<DocId>,
    /// For a document of a consultation kind: its comment period and channels.
    pub consultation: Option<Consultation>,
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
    /// 统一登记编号 (三统一), distinct from the 文号.
    pub registration_number: Option<String>,
    /// 合法性审核 date.
    pub legality_review: Option<Date>,
    /// 审议, e.g. 市政府第57次常务会议审议通过.
    pub deliberation: Option<String>,
    /// 备案日期.
    pub filed_on: Option<Date>,
    /// Checked like any document, never written anywhere.
    pub draft: bool,
    pub disclosure: Disclosure,
    pub attachments: Vec<Attachment>,
    /// The source file, relative to the site root.
    pub file: PathBuf,
    /// The file line on which the body starts (for diagnostics inside the body).
    pub body_line: u32,
    /// Where keys and list items stood in the file (JSON pointer → position), so that
    /// site-wide rules can point at `repeals[2]` after the YAML tree is gone.
    pub positions: std::sync::Arc<[(String, crate::diag::Pos)]>,
}

impl Document {
    /// Public and not a draft: may be written to the output once `published` is reached.
    pub fn is_public(&self) -> bool {
        self.disclosure == Disclosure::Public && !self.draft
    }

    /// Public and published on `as_of`: written to the output (legal-model.md §6). A public
    /// document whose `published` is later is embargoed: checked, not written.
    pub fn is_live(&self, as_of: Date) -> bool {
        self.is_public() && self.published <= as_of
    }

    /// The ids this document repeals, whole or in part.
    pub fn repeal_ids(&self) -> impl Iterator<Item = &DocId> {
        self.repeals.iter().map(|r| &r.id)
    }

    /// Every document id named by a relation of legal-model.md §3 (not `interprets` and
    /// `interpretation`, which have rules of their own), with its key for diagnostics.
    pub fn relation_targets(&self) -> Vec<(&'static str, usize, &DocId)> {
        let mut out = Vec::new();
        for (i, r) in self.repeals.iter().enumerate() {
            out.push(("repeals", i, &r.id));
        }
        let lists: [(&'static str, &Vec<DocId>); 4] = [
            ("amends", &self.amends),
            ("declares_expired", &self.declares_expired),
            ("continues", &self.continues),
            ("to_amend", &self.to_amend),
        ];
        for (key, list) in lists {
            for (i, id) in list.iter().enumerate() {
                out.push((key, i, id));
            }
        }
        for (i, b) in self.basis.iter().enumerate() {
            if let BasisRef::Doc(id) = b {
                out.push(("basis", i, id));
            }
        }
        out
    }

    /// Position of a key or list item (`/repeals/0`), falling back to the first line.
    pub fn pos(&self, pointer: &str) -> crate::diag::Pos {
        position_of(&self.positions, pointer)
    }
}

/// Where a key or list item stood in its file (JSON pointer → position), kept after the YAML
/// tree is gone so that site-wide rules can point at it; the first line when it is not there.
pub(crate) fn position_of(
    positions: &[(String, crate::diag::Pos)],
    pointer: &str,
) -> crate::diag::Pos {
    positions
        .iter()
        .find(|(p, _)| p == pointer)
        .map_or(crate::diag::Pos::new(1, 1), |(_, pos)| *pos)
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
