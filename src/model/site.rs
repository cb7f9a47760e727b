//! [`Site`]: the validated, public content with every relation resolved.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;

use super::bodies::{Bodies, Body};
use super::status::History;
use super::{
    DocId, Document, GazetteIssue, InterpretationRef, IssueNo, Page, Status, Text, Version,
};
use crate::config::{Config, Validity};

/// A link from one document to another, with the date it takes effect (the acting document's
/// `effective`): "已于 <date> 被《…》废止".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub doc: DocIx,
    pub date: Date,
    /// For a partial repeal: the articles repealed (`第五条、第八条`).
    pub articles: Option<Arc<str>>,
    /// The acting document is a 清理 (`cleanup: true`).
    pub cleanup: bool,
}

/// What a 清理 document did, resolved (legal-model.md §3): its four lists.
#[derive(Debug, Clone, Default)]
pub struct CleanupLists {
    pub continues: Vec<DocIx>,
    pub repeals: Vec<DocIx>,
    pub declares_expired: Vec<DocIx>,
    pub to_amend: Vec<DocIx>,
}

/// A document's place on the site: its rank by id. Only a [`Site`] makes one, from its own
/// documents, so an index always points at a document of the site that gave it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocIx(u32);

impl DocIx {
    pub(super) fn at(i: usize) -> DocIx {
        DocIx(u32::try_from(i).expect("fewer than 2^32 documents"))
    }

    /// The position in `0..site.document_count()`, for tables kept beside the site (one
    /// entry per document, in the site's order).
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// One public document with everything the site knows about it on `as_of`: its status, its
/// relations from both ends, its interpretations and its texts. Read as `site.doc(ix)`.
#[derive(Debug)]
pub struct SiteDoc {
    pub document: Arc<Document>,
    /// The status of a document of a kind with validity `own`; `None` for every other kind
    /// (a 人事任免 has no legal force to label).
    pub status: Option<Status>,
    /// For a document of a `follows` kind: the status of the document it interprets.
    pub followed_status: Option<Status>,
    /// The day an `own` document stopped being in force (已废止 or 已失效), if it has by
    /// `as_of`: the earliest ending that counts (the annual statistics count it in its year).
    pub ended_on: Option<Date>,
    /// Whole repeals (废止).
    pub repealed_by: Vec<Relation>,
    /// Repeals of some articles (部分废止: the target is 部分失效).
    pub partially_repealed_by: Vec<Relation>,
    pub amended_by: Vec<Relation>,
    /// 宣布失效.
    pub declared_expired_by: Vec<Relation>,
    /// 经清理继续有效 / 经清理拟修改 (no status change).
    pub continued_by: Vec<Relation>,
    pub to_amend_by: Vec<Relation>,
    /// What this document did to others (the acting side): the same relations as above, seen
    /// from the other end.
    pub repeals: Vec<DocIx>,
    pub partial_repeals: Vec<(DocIx, Arc<str>)>,
    pub amends: Vec<DocIx>,
    pub declares_expired: Vec<DocIx>,
    /// The 征求意见稿 this document was drafted from, and the reverse.
    pub consulted: Option<DocIx>,
    pub consulted_by: Vec<DocIx>,
    /// Interpretations of this document, named on either side: documents first (by id), then
    /// external URLs in the order written.
    pub interpretations: Vec<DocIx>,
    pub external_interpretations: Vec<String>,
    /// For an interpretation: the documents it explains (either side named the link).
    pub interprets: Vec<DocIx>,
    /// Every text of a document that has versions (versions.md §1): the original first, then
    /// each published version by date. Empty for a document without versions.
    pub texts: Vec<Text>,
    /// Which of `texts` applies on `as_of` (the latest that has begun; 0, the original, when
    /// none has).
    pub current_text: usize,
}

/// The whole public site. Documents are sorted by id and addressed by [`DocIx`]; every list
/// below is precomputed and sorted deterministically.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub as_of: Date,
    docs: Vec<SiteDoc>,
    index: HashMap<DocId, DocIx>,
    /// 清理 documents, newest first, with their four lists.
    pub cleanups: Vec<(DocIx, CleanupLists)>,
    /// Every issue, oldest first; issues that only documents name are included.
    pub issues: Vec<GazetteIssue>,
    /// Documents of each issue (same order as `issues`), in newest-first list order.
    pub issue_documents: Vec<Vec<DocIx>>,
    pub pages: Vec<Page>,
    /// All documents in list order: newest `published` first, then `doc_number`, then id.
    pub newest_first: Vec<DocIx>,
    /// Public documents published after `as_of` (embargoed): how many, and the first day.
    pub waiting: Option<(usize, Date)>,
    /// 征求意见稿: open ones first, then upcoming, then closed; newest first within each.
    pub consultations: Vec<DocIx>,
}

impl Site {
    /// Builds the site from validated public documents. References were checked by the
    /// validator; an id that is still unknown here is skipped rather than trusted.
    pub fn new(
        config: Config,
        as_of: Date,
        documents: Vec<(Arc<Document>, Body)>,
        versions: Vec<Arc<Version>>,
        issues: Vec<GazetteIssue>,
        mut pages: Vec<Page>,
    ) -> (Site, Bodies) {
        // Drafts, non-public and embargoed documents are never written (legal-model.md §6);
        // a relation from or to one has no effect until it is published.
        let embargoed: Vec<Date> = documents
            .iter()
            .filter(|(d, _)| d.is_public() && d.published > as_of)
            .map(|(d, _)| d.published)
            .collect();
        let waiting = embargoed
            .iter()
            .min()
            .map(|&first| (embargoed.len(), first));
        let mut documents = documents;
        documents.retain(|(d, _)| d.is_live(as_of));
        documents.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let (documents, bodies): (Vec<Arc<Document>>, Vec<Body>) = documents.into_iter().unzip();
        let index: HashMap<DocId, DocIx> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), DocIx::at(i)))
            .collect();
        let n = documents.len();
        let ix = DocIx::at;
        let resolve = |id: &DocId| index.get(id).map(|t| t.get());
        let validity: Vec<Validity> = documents.iter().map(|d| config.validity(&d.kind)).collect();

        let mut repealed_by = vec![Vec::new(); n];
        let mut partially_repealed_by = vec![Vec::new(); n];
        let mut amended_by = vec![Vec::new(); n];
        let mut declared_expired_by = vec![Vec::new(); n];
        let mut continued_by = vec![Vec::new(); n];
        let mut to_amend_by = vec![Vec::new(); n];
        let mut repeals = vec![Vec::new(); n];
        let mut partial_repeals: Vec<Vec<(DocIx, Arc<str>)>> = vec![Vec::new(); n];
        let mut amends = vec![Vec::new(); n];
        let mut declares_expired = vec![Vec::new(); n];
        let mut interpretations: Vec<Vec<DocIx>> = vec![Vec::new(); n];
        let mut external = vec![Vec::new(); n];
        let mut interprets: Vec<Vec<DocIx>> = vec![Vec::new(); n];
        let mut consulted = vec![None; n];
        let mut consulted_by: Vec<Vec<DocIx>> = vec![Vec::new(); n];
        let mut cleanups = Vec::new();
        for (i, d) in documents.iter().enumerate() {
            let rel = |articles: Option<Arc<str>>| Relation {
                doc: ix(i),
                date: d.effective,
                articles,
                cleanup: d.cleanup,
            };
            let mut lists = CleanupLists::default();
            for r in &d.repeals {
                let Some(t) = resolve(&r.id) else { continue };
                match &r.articles {
                    None => {
                        repealed_by[t].push(rel(None));
                        repeals[i].push(ix(t));
                    }
                    Some(a) => {
                        let a: Arc<str> = a.as_str().into();
                        partially_repealed_by[t].push(rel(Some(a.clone())));
                        partial_repeals[i].push((ix(t), a));
                    }
                }
                lists.repeals.push(ix(t));
            }
            for t in d.amends.iter().filter_map(resolve) {
                amended_by[t].push(rel(None));
                amends[i].push(ix(t));
            }
            for t in d.declares_expired.iter().filter_map(resolve) {
                declared_expired_by[t].push(rel(None));
                declares_expired[i].push(ix(t));
                lists.declares_expired.push(ix(t));
            }
            if d.cleanup {
                for t in d.continues.iter().filter_map(resolve) {
                    continued_by[t].push(rel(None));
                    lists.continues.push(ix(t));
                }
                for t in d.to_amend.iter().filter_map(resolve) {
                    to_amend_by[t].push(rel(None));
                    lists.to_amend.push(ix(t));
                }
                cleanups.push((ix(i), lists));
            }
            for r in &d.interpretation {
                match r {
                    InterpretationRef::Doc(id) => {
                        if let Some(t) = resolve(id) {
                            interpretations[i].push(ix(t));
                            interprets[t].push(ix(i));
                        }
                    }
                    InterpretationRef::External(url) => {
                        if !external[i].contains(url) {
                            external[i].push(url.clone());
                        }
                    }
                }
            }
            if let Some(t) = d.interprets.as_ref().and_then(resolve) {
                interpretations[t].push(ix(i));
                interprets[i].push(ix(t));
            }
            if let Some(t) = d.consulted.as_ref().and_then(resolve) {
                consulted[i] = Some(ix(t));
                consulted_by[t].push(ix(i));
            }
        }
        for list in interpretations
            .iter_mut()
            .chain(interprets.iter_mut())
            .chain(repeals.iter_mut())
            .chain(amends.iter_mut())
            .chain(declares_expired.iter_mut())
            .chain(consulted_by.iter_mut())
        {
            list.sort_unstable();
            list.dedup();
        }
        for list in repealed_by
            .iter_mut()
            .chain(partially_repealed_by.iter_mut())
            .chain(amended_by.iter_mut())
            .chain(declared_expired_by.iter_mut())
            .chain(continued_by.iter_mut())
            .chain(to_amend_by.iter_mut())
        {
            list.sort_by_key(|r| (r.date, r.doc));
        }

        let mut status = vec![None; n];
        let mut ended_on = vec![None; n];
        for i in (0..n).filter(|&i| validity[i] == Validity::Own) {
            let d = &documents[i];
            let history = History {
                effective: d.effective,
                expires: d.expires,
                repealed: &repealed_by[i],
                declared_expired: &declared_expired_by[i],
                partially_repealed: &partially_repealed_by[i],
                amended: &amended_by[i],
            };
            status[i] = Some(history.status_on(as_of));
            ended_on[i] = history.ended_on(as_of);
        }
        let followed_status: Vec<Option<Status>> = (0..n)
            .map(|i| {
                if validity[i] != Validity::Follows {
                    return None;
                }
                interprets[i].iter().find_map(|&t| status[t.get()])
            })
            .collect();
        let order = |a: DocIx, b: DocIx| list_order(&documents[a.get()], &documents[b.get()]);
        let mut newest_first: Vec<DocIx> = (0..n).map(ix).collect();
        newest_first.sort_by(|&a, &b| order(a, b));
        cleanups.sort_by(|a, b| order(a.0, b.0));
        // Versions published by `as_of`, of documents on the site, by date.
        let mut texts: Vec<Vec<Text>> = vec![Vec::new(); n];
        for v in versions.into_iter().filter(|v| v.published <= as_of) {
            if let Some(i) = resolve(&v.of) {
                texts[i].push(Text {
                    date: v.date,
                    version: Some(v),
                });
            }
        }
        let mut current_text = vec![0; n];
        for (i, list) in texts.iter_mut().enumerate() {
            if list.is_empty() {
                continue;
            }
            list.push(Text {
                date: documents[i].effective,
                version: None,
            });
            list.sort_by_key(|t| (t.date, t.version.is_some()));
            current_text[i] = list.iter().rposition(|t| t.date <= as_of).unwrap_or(0);
        }
        let mut consultations: Vec<DocIx> = newest_first
            .iter()
            .copied()
            .filter(|&i| documents[i.get()].consultation.is_some())
            .collect();
        // Stable: newest first within each state.
        consultations.sort_by_key(|&i| {
            documents[i.get()]
                .consultation
                .as_ref()
                .map(|c| c.state(as_of))
        });

        // Issues: those with files, plus those that public documents name.
        let mut by_no: BTreeMap<IssueNo, GazetteIssue> =
            issues.into_iter().map(|i| (i.no, i)).collect();
        let mut members: BTreeMap<IssueNo, Vec<DocIx>> = BTreeMap::new();
        for &i in &newest_first {
            if let Some(no) = documents[i.get()].gazette {
                members.entry(no).or_default().push(i);
                by_no.entry(no).or_insert_with(|| GazetteIssue {
                    no,
                    title: None,
                    published: None,
                    total_number: None,
                    pdf: None,
                    foreword: String::new(),
                    file: None,
                });
            }
        }
        let issue_documents = by_no
            .keys()
            .map(|no| members.remove(no).unwrap_or_default())
            .collect();
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));

        let docs = documents
            .into_iter()
            .enumerate()
            .map(|(i, document)| SiteDoc {
                document,
                status: status[i],
                followed_status: followed_status[i],
                ended_on: ended_on[i],
                repealed_by: std::mem::take(&mut repealed_by[i]),
                partially_repealed_by: std::mem::take(&mut partially_repealed_by[i]),
                amended_by: std::mem::take(&mut amended_by[i]),
                declared_expired_by: std::mem::take(&mut declared_expired_by[i]),
                continued_by: std::mem::take(&mut continued_by[i]),
                to_amend_by: std::mem::take(&mut to_amend_by[i]),
                repeals: std::mem::take(&mut repeals[i]),
                partial_repeals: std::mem::take(&mut partial_repeals[i]),
                amends: std::mem::take(&mut amends[i]),
                declares_expired: std::mem::take(&mut declares_expired[i]),
                consulted: consulted[i],
                consulted_by: std::mem::take(&mut consulted_by[i]),
                interpretations: std::mem::take(&mut interpretations[i]),
                external_interpretations: std::mem::take(&mut external[i]),
                interprets: std::mem::take(&mut interprets[i]),
                texts: std::mem::take(&mut texts[i]),
                current_text: current_text[i],
            })
            .collect();
        let site = Site {
            config,
            as_of,
            docs,
            index,
            cleanups,
            issues: by_no.into_values().collect(),
            issue_documents,
            pages,
            newest_first,
            waiting,
            consultations,
        };
        (site, Bodies::new(bodies))
    }

    /// Document `ix` and what the site knows about it.
    pub fn doc(&self, ix: DocIx) -> &SiteDoc {
        &self.docs[ix.get()]
    }

    /// Document `ix` itself.
    pub fn document(&self, ix: DocIx) -> &Arc<Document> {
        &self.docs[ix.get()].document
    }

    /// How many documents the site publishes.
    pub fn document_count(&self) -> usize {
        self.docs.len()
    }

    /// Every document with its index, in id order.
    pub fn docs(&self) -> impl ExactSizeIterator<Item = (DocIx, &SiteDoc)> + '_ {
        self.docs.iter().enumerate().map(|(i, d)| (DocIx::at(i), d))
    }

    /// Every document's index, in id order.
    pub fn ixs(&self) -> impl ExactSizeIterator<Item = DocIx> + use<> {
        (0..self.docs.len()).map(DocIx::at)
    }

    /// The status of an `own` document on another date than `as_of` (the annual statistics ask
    /// for 31 December of each year). Relations are those of documents published by `as_of`.
    pub fn status_on(&self, i: DocIx, date: Date) -> Option<Status> {
        self.doc(i).status?;
        Some(self.history(i).status_on(date))
    }

    /// The day an `own` document stopped being in force, counting only what happened by `date`.
    pub fn ended_by(&self, i: DocIx, date: Date) -> Option<Date> {
        self.doc(i).status?;
        self.history(i).ended_on(date)
    }

    fn history(&self, i: DocIx) -> History<'_> {
        let s = self.doc(i);
        History {
            effective: s.document.effective,
            expires: s.document.expires,
            repealed: &s.repealed_by,
            declared_expired: &s.declared_expired_by,
            partially_repealed: &s.partially_repealed_by,
            amended: &s.amended_by,
        }
    }

    /// The status a page shows for a document: its own, or for an interpretation the status
    /// of the document it interprets (`follows`, with `true`).
    pub fn shown_status(&self, i: DocIx) -> Option<(Status, bool)> {
        let s = self.doc(i);
        match (s.status, s.followed_status) {
            (Some(s), _) => Some((s, false)),
            (None, Some(s)) => Some((s, true)),
            _ => None,
        }
    }

    pub fn lookup(&self, id: &DocId) -> Option<DocIx> {
        self.index.get(id).copied()
    }

    /// Sorts document indexes into list order (newest first, then doc_number, then id).
    pub fn sort_for_list(&self, docs: &mut [DocIx]) {
        docs.sort_by(|&a, &b| list_order(self.document(a), self.document(b)));
    }
}

/// Newest `published` first, then `doc_number` (documents without one last), then id.
fn list_order(a: &Document, b: &Document) -> Ordering {
    b.published
        .cmp(&a.published)
        .then_with(|| match (&a.doc_number, &b.doc_number) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.id.cmp(&b.id))
}
