//! [`Site`]: the validated, public content with every relation resolved.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;

use super::{DocId, Document, GazetteIssue, InterpretationRef, IssueNo, Page, Status};
use crate::config::Config;

/// A link from one document to another, with the date it takes effect (the acting document's
/// `effective`): "已于 <date> 被《…》废止".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relation {
    pub doc: usize,
    pub date: Date,
}

/// The whole public site. Documents are addressed by index (`usize`) into `documents`, which is
/// sorted by id; every list below is precomputed and sorted deterministically.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub as_of: Date,
    pub documents: Vec<Arc<Document>>,
    index: HashMap<DocId, usize>,
    pub status: Vec<Status>,
    pub repealed_by: Vec<Vec<Relation>>,
    pub amended_by: Vec<Vec<Relation>>,
    /// What each document repealed or amended (the acting side), resolved to indexes.
    pub repeals: Vec<Vec<usize>>,
    pub amends: Vec<Vec<usize>>,
    /// Interpretations of each document, named on either side: documents first (by id), then
    /// external URLs in the order written.
    pub interpretations: Vec<Vec<usize>>,
    pub external_interpretations: Vec<Vec<String>>,
    /// For interpretation documents: the documents they explain (either side named the link).
    pub interprets: Vec<Vec<usize>>,
    /// Every issue, oldest first; issues that only documents name are included.
    pub issues: Vec<GazetteIssue>,
    /// Documents of each issue (same order as `issues`), in newest-first list order.
    pub issue_documents: Vec<Vec<usize>>,
    pub pages: Vec<Page>,
    /// All documents in list order: newest `published` first, then `doc_number`, then id.
    pub newest_first: Vec<usize>,
}

impl Site {
    /// Builds the site from validated public documents. References were checked by the
    /// validator; an id that is still unknown here is skipped rather than trusted.
    pub fn new(
        config: Config,
        as_of: Date,
        mut documents: Vec<Arc<Document>>,
        issues: Vec<GazetteIssue>,
        mut pages: Vec<Page>,
    ) -> Site {
        documents.retain(|d| d.is_public());
        documents.sort_by(|a, b| a.id.cmp(&b.id));
        let index: HashMap<DocId, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let n = documents.len();
        let resolve = |id: &DocId| index.get(id).copied();

        let mut repealed_by = vec![Vec::new(); n];
        let mut amended_by = vec![Vec::new(); n];
        let mut repeals = vec![Vec::new(); n];
        let mut amends = vec![Vec::new(); n];
        let mut interpretations: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut external = vec![Vec::new(); n];
        let mut interprets: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, d) in documents.iter().enumerate() {
            for t in d.repeals.iter().filter_map(resolve) {
                repealed_by[t].push(Relation {
                    doc: i,
                    date: d.effective,
                });
                repeals[i].push(t);
            }
            for t in d.amends.iter().filter_map(resolve) {
                amended_by[t].push(Relation {
                    doc: i,
                    date: d.effective,
                });
                amends[i].push(t);
            }
            for r in &d.interpretation {
                match r {
                    InterpretationRef::Doc(id) => {
                        if let Some(t) = resolve(id) {
                            interpretations[i].push(t);
                            interprets[t].push(i);
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
                interpretations[t].push(i);
                interprets[i].push(t);
            }
        }
        for list in interpretations
            .iter_mut()
            .chain(interprets.iter_mut())
            .chain(repeals.iter_mut())
            .chain(amends.iter_mut())
        {
            list.sort_unstable();
            list.dedup();
        }
        for list in repealed_by.iter_mut().chain(amended_by.iter_mut()) {
            list.sort_by_key(|r| (r.date, r.doc));
        }

        let status = (0..n)
            .map(|i| {
                let d = &documents[i];
                Status::on(
                    as_of,
                    d.effective,
                    d.expires,
                    repealed_by[i].iter().map(|r| r.date),
                    amended_by[i].iter().map(|r| r.date),
                )
            })
            .collect();

        let mut newest_first: Vec<usize> = (0..n).collect();
        newest_first.sort_by(|&a, &b| list_order(&documents[a], &documents[b]));

        // Issues: those with files, plus those that public documents name.
        let mut by_no: BTreeMap<IssueNo, GazetteIssue> =
            issues.into_iter().map(|i| (i.no, i)).collect();
        let mut members: BTreeMap<IssueNo, Vec<usize>> = BTreeMap::new();
        for &i in &newest_first {
            if let Some(no) = documents[i].gazette {
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

        Site {
            config,
            as_of,
            documents,
            index,
            status,
            repealed_by,
            amended_by,
            repeals,
            amends,
            interpretations,
            external_interpretations: external,
            interprets,
            issues: by_no.into_values().collect(),
            issue_documents,
            pages,
            newest_first,
        }
    }

    pub fn lookup(&self, id: &DocId) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Sorts document indexes into list order (newest first, then doc_number, then id).
    pub fn sort_for_list(&self, docs: &mut [usize]) {
        docs.sort_by(|&a, &b| list_order(&self.documents[a], &self.documents[b]));
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
