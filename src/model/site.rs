//! [`Site`]: the validated, public content with every relation resolved.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;

use super::status::History;
use super::{
    DocId, Document, GazetteIssue, InterpretationRef, IssueNo, Page, Status, Text, Version,
};
use crate::config::{Config, Validity};

/// A link from one document to another, with the date it takes effect (the acting document's
/// `effective`): "已于 <date> 被《…》废止".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub doc: usize,
    pub date: Date,
    /// For a partial repeal: the articles repealed (`第五条、第八条`).
    pub articles: Option<Arc<str>>,
    /// The acting document is a 清理 (`cleanup: true`).
    pub cleanup: bool,
}

/// What a 清理 document did, resolved (legal-model.md §3): its four lists.
#[derive(Debug, Clone, Default)]
pub struct CleanupLists {
    pub continues: Vec<usize>,
    pub repeals: Vec<usize>,
    pub declares_expired: Vec<usize>,
    pub to_amend: Vec<usize>,
}

/// The whole public site. Documents are addressed by index (`usize`) into `documents`, which is
/// sorted by id; every list below is precomputed and sorted deterministically.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub as_of: Date,
    pub documents: Vec<Arc<Document>>,
    index: HashMap<DocId, usize>,
    /// The status of each document of a kind with validity `own`; `None` for every other kind
    /// (a 人事任免 has no legal force to label).
    pub status: Vec<Option<Status>>,
    /// For documents of a `follows` kind: the status of the document they interpret.
    pub followed_status: Vec<Option<Status>>,
    /// The day each `own` document stopped being in force (已废止 or 已失效), if it has by
    /// `as_of`: the earliest ending that counts (the annual statistics count it in its year).
    pub ended_on: Vec<Option<Date>>,
    /// Whole repeals (废止).
    pub repealed_by: Vec<Vec<Relation>>,
    /// Repeals of some articles (部分废止: the target is 部分失效).
    pub partially_repealed_by: Vec<Vec<Relation>>,
    pub amended_by: Vec<Vec<Relation>>,
    /// 宣布失效.
    pub declared_expired_by: Vec<Vec<Relation>>,
    /// 经清理继续有效 / 经清理拟修改 (no status change).
    pub continued_by: Vec<Vec<Relation>>,
    pub to_amend_by: Vec<Vec<Relation>>,
    /// What each document did to others (the acting side), resolved to indexes: the same
    /// relations as above, seen from the other end.
    pub repeals: Vec<Vec<usize>>,
    pub partial_repeals: Vec<Vec<(usize, Arc<str>)>>,
    pub amends: Vec<Vec<usize>>,
    pub declares_expired: Vec<Vec<usize>>,
    /// 清理 documents, newest first, with their four lists.
    pub cleanups: Vec<(usize, CleanupLists)>,
    /// The 征求意见稿 a document was drafted from, and the reverse.
    pub consulted: Vec<Option<usize>>,
    pub consulted_by: Vec<Vec<usize>>,
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
    /// Public documents published after `as_of` (embargoed): how many, and the first day.
    pub waiting: Option<(usize, Date)>,
    /// 征求意见稿: open ones first, then upcoming, then closed; newest first within each.
    pub consultations: Vec<usize>,
    /// Every text of a document that has versions (versions.md §1): the original first, then
    /// each published version by date. Empty for a document without versions.
    pub texts: Vec<Vec<Text>>,
    /// Which of `texts` applies on `as_of` (the latest that has begun; 0, the original, when
    /// none has).
    pub current_text: Vec<usize>,
}

impl Site {
    /// Builds the site from validated public documents. References were checked by the
    /// validator; an id that is still unknown here is skipped rather than trusted.
    pub fn new(
        config: Config,
        as_of: Date,
        mut documents: Vec<Arc<Document>>,
        versions: Vec<Arc<Version>>,
        issues: Vec<GazetteIssue>,
        mut pages: Vec<Page>,
    ) -> Site {
        // Drafts, non-public and embargoed documents are never written (legal-model.md §6);
        // a relation from or to one has no effect until it is published.
        let embargoed: Vec<Date> = documents
            .iter()
            .filter(|d| d.is_public() && d.published > as_of)
            .map(|d| d.published)
            .collect();
        let waiting = embargoed
            .iter()
            .min()
            .map(|&first| (embargoed.len(), first));
        documents.retain(|d| d.is_live(as_of));
        documents.sort_by(|a, b| a.id.cmp(&b.id));
        let index: HashMap<DocId, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let n = documents.len();
        let resolve = |id: &DocId| index.get(id).copied();
        let validity: Vec<Validity> = documents.iter().map(|d| config.validity(&d.kind)).collect();

        let mut repealed_by = vec![Vec::new(); n];
        let mut partially_repealed_by = vec![Vec::new(); n];
        let mut amended_by = vec![Vec::new(); n];
        let mut declared_expired_by = vec![Vec::new(); n];
        let mut continued_by = vec![Vec::new(); n];
        let mut to_amend_by = vec![Vec::new(); n];
        let mut repeals = vec![Vec::new(); n];
        let mut partial_repeals: Vec<Vec<(usize, Arc<str>)>> = vec![Vec::new(); n];
        let mut amends = vec![Vec::new(); n];
        let mut declares_expired = vec![Vec::new(); n];
        let mut interpretations: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut external = vec![Vec::new(); n];
        let mut interprets: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut consulted = vec![None; n];
        let mut consulted_by: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut cleanups = Vec::new();
        for (i, d) in documents.iter().enumerate() {
            let rel = |articles: Option<Arc<str>>| Relation {
                doc: i,
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
                        repeals[i].push(t);
                    }
                    Some(a) => {
                        let a: Arc<str> = a.as_str().into();
                        partially_repealed_by[t].push(rel(Some(a.clone())));
                        partial_repeals[i].push((t, a));
                    }
                }
                lists.repeals.push(t);
            }
            for t in d.amends.iter().filter_map(resolve) {
                amended_by[t].push(rel(None));
                amends[i].push(t);
            }
            for t in d.declares_expired.iter().filter_map(resolve) {
                declared_expired_by[t].push(rel(None));
                declares_expired[i].push(t);
                lists.declares_expired.push(t);
            }
            if d.cleanup {
                for t in d.continues.iter().filter_map(resolve) {
                    continued_by[t].push(rel(None));
                    lists.continues.push(t);
                }
                for t in d.to_amend.iter().filter_map(resolve) {
                    to_amend_by[t].push(rel(None));
                    lists.to_amend.push(t);
                }
                cleanups.push((i, lists));
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
            if let Some(t) = d.consulted.as_ref().and_then(resolve) {
                consulted[i] = Some(t);
                consulted_by[t].push(i);
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
        let followed_status = (0..n)
            .map(|i| {
                if validity[i] != Validity::Follows {
                    return None;
                }
                interprets[i].iter().find_map(|&t| status[t])
            })
            .collect();
        let mut newest_first: Vec<usize> = (0..n).collect();
        newest_first.sort_by(|&a, &b| list_order(&documents[a], &documents[b]));
        cleanups.sort_by(|a, b| list_order(&documents[a.0], &documents[b.0]));
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
        let mut consultations: Vec<usize> = newest_first
            .iter()
            .copied()
            .filter(|&i| documents[i].consultation.is_some())
            .collect();
        // Stable: newest first within each state.
        consultations.sort_by_key(|&i| documents[i].consultation.as_ref().map(|c| c.state(as_of)));

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
            followed_status,
            ended_on,
            repealed_by,
            partially_repealed_by,
            amended_by,
            declared_expired_by,
            continued_by,
            to_amend_by,
            repeals,
            partial_repeals,
            amends,
            declares_expired,
            cleanups,
            consulted,
            consulted_by,
            interpretations,
            external_interpretations: external,
            interprets,
            issues: by_no.into_values().collect(),
            issue_documents,
            pages,
            newest_first,
            waiting,
            consultations,
            texts,
            current_text,
        }
    }

    /// The status of an `own` document on another date than `as_of` (the annual statistics ask
    /// for 31 December of each year). Relations are those of documents published by `as_of`.
    pub fn status_on(&self, i: usize, date: Date) -> Option<Status> {
        self.status[i]?;
        Some(self.history(i).status_on(date))
    }

    /// The day an `own` document stopped being in force, counting only what happened by `date`.
    pub fn ended_by(&self, i: usize, date: Date) -> Option<Date> {
        self.status[i]?;
        self.history(i).ended_on(date)
    }

    fn history(&self, i: usize) -> History<'_> {
        let d = &self.documents[i];
        History {
            effective: d.effective,
            expires: d.expires,
            repealed: &self.repealed_by[i],
            declared_expired: &self.declared_expired_by[i],
            partially_repealed: &self.partially_repealed_by[i],
            amended: &self.amended_by[i],
        }
    }

    /// The status a page shows for a document: its own, or for an interpretation the status
    /// of the document it interprets (`follows`, with `true`).
    pub fn shown_status(&self, i: usize) -> Option<(Status, bool)> {
        match (self.status[i], self.followed_status[i]) {
            (Some(s), _) => Some((s, false)),
            (None, Some(s)) => Some((s, true)),
            _ => None,
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
