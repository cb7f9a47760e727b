//! List-shaped pages: paginated document lists, directories, the gazette, filings, cleanups.

use std::collections::BTreeMap;

use serde::Serialize;

use super::locale::{DEFAULT_LANGUAGE, Locale, Locales};
use super::views::{self, Crumb, DocRef, DocSummary, Link, PageMeta, StatusView, Urls};
use crate::model::route::{Route, list_page};
use crate::model::{DocIx, Site, Status};

/// One page of a paginated list.
#[derive(Serialize)]
pub(crate) struct Pager {
    /// The page's documents (indices into `Site::documents`).
    #[serde(skip)]
    pub docs: Vec<DocIx>,
    /// Their summaries, for templates that lay the documents out themselves (`filings.html`);
    /// `list.html` gets them as ready HTML rows instead (see `Renderer::row`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<DocSummary>>,
    pub number: usize,
    pub pages: usize,
    pub total: usize,
    pub first_url: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Every page's link, for a numbered pager.
    pub links: Vec<PageLink>,
}

#[derive(Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were skipped before this one (the pager shows "…").
    pub gap: bool,
}

/// A list of documents at `base` (`/issuers/x/`), split into pages of `size`:
/// page 1 at `base`, page N at `base/page/N/`. Returns (output folder, page) pairs.
pub(crate) fn paginate(
    urls: &Urls,
    base: &str,
    docs: &[DocIx],
    size: usize,
) -> Vec<(String, Pager)> {
    let size = size.max(1);
    let pages = docs.len().div_ceil(size).max(1);
    let url_of = |n: usize| urls.at(&list_page(base, n));
    let dir_of = |n: usize| list_page(base, n);
    (1..=pages)
        .map(|n| {
            let pager = Pager {
                docs: docs
                    .iter()
                    .skip((n - 1) * size)
                    .take(size)
                    .copied()
                    .collect(),
                items: None,
                number: n,
                pages,
                total: docs.len(),
                first_url: url_of(1),
                prev: (n > 1).then(|| url_of(n - 1)),
                next: (n < pages).then(|| url_of(n + 1)),
                links: {
                    let shown = window(n, pages);
                    let mut prev = 0;
                    shown
                        .into_iter()
                        .map(|k| {
                            let link = PageLink {
                                number: k,
                                url: url_of(k),
                                current: k == n,
                                gap: k > prev + 1,
                            };
                            prev = k;
                            link
                        })
                        .collect()
                },
            };
            (dir_of(n), pager)
        })
        .collect()
}

impl Pager {
    /// The pager with the summaries of its documents as `items`.
    pub(crate) fn with_items(mut self, site: &Site, urls: &Urls, l: &Locale) -> Pager {
        self.items = Some(
            self.docs
                .iter()
                .map(|&i| views::summary(site, urls, l, i))
                .collect(),
        );
        self
    }
}

/// The page numbers a pager shows: the first, the last and two on each side of the current one.
/// Bounded, so a list of 2 000 pages does not put 2 000 links on each of its pages (which made
/// the cost of list pages grow with the square of the archive's size).
fn window(current: usize, pages: usize) -> Vec<usize> {
    let mut shown: Vec<usize> = [1, pages]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(pages))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    shown
}

/// An entry of a directory index: a term with its count.
#[derive(Serialize)]
pub(crate) struct Term {
    pub title: String,
    pub url: String,
    pub count: usize,
    pub note: Option<String>,
}

/// A named list of documents (one issuer, subject, year, kind or status).
pub(crate) struct Listing {
    /// Output folder, e.g. `issuers/lysrmzf/`.
    pub base: String,
    pub title: String,
    pub section: &'static str,
    pub crumbs: Vec<Crumb>,
    pub docs: Vec<DocIx>,
    pub intro: Option<String>,
    pub feed: Option<String>,
}

/// A directory: its index page and one listing per term.
pub(crate) struct Directory {
    pub base: &'static str,
    pub title: String,
    pub terms: Vec<Term>,
    pub listings: Vec<Listing>,
}

fn crumbs(urls: &Urls, l: &Locale, trail: &[(&str, &str)]) -> Vec<Crumb> {
    let mut c = vec![Crumb {
        title: l.get("nav.home").into(),
        url: Some(urls.root()),
    }];
    c.extend(trail.iter().map(|(t, u)| Crumb {
        title: (*t).to_string(),
        url: Some(urls.at(u)),
    }));
    c
}

/// The directories with zh-CN's words (what the feeds of issuers and subjects are made from;
/// pages use [`directories_in`] with the site's language).
pub(crate) fn directories(site: &Site, urls: &Urls) -> Vec<Directory> {
    directories_in(site, urls, &Locales::embedded().locale(DEFAULT_LANGUAGE))
}

/// Every directory, its terms and their listings, in the words of `l`.
pub(crate) fn directories_in(site: &Site, urls: &Urls, l: &Locale) -> Vec<Directory> {
    let cfg = &site.config;
    let title = |key: &str| l.get(&format!("dir.{key}")).to_string();
    let crumbs = |key: &str, base: &str| crumbs(urls, l, &[(&title(key), base)]);
    let mut by_issuer: Vec<Vec<DocIx>> = vec![Vec::new(); cfg.issuers.len()];
    let mut by_subject: Vec<Vec<DocIx>> = vec![Vec::new(); cfg.subjects.len()];
    let mut by_kind: Vec<Vec<DocIx>> = vec![Vec::new(); cfg.kinds.len()];
    let mut by_year: BTreeMap<i16, Vec<DocIx>> = BTreeMap::new();
    let mut by_status: BTreeMap<Status, Vec<DocIx>> = BTreeMap::new();
    for &i in &site.newest_first {
        let d = &site.document(i);
        for name in &d.issuers {
            if let Some(list) = by_issuer.get_mut(cfg.issuer_order(name)) {
                list.push(i);
            }
        }
        for name in &d.subjects {
            if let Some(list) = by_subject.get_mut(cfg.subject_order(name)) {
                list.push(i);
            }
        }
        if let Some(list) = by_kind.get_mut(cfg.kind_order(&d.kind)) {
            list.push(i);
        }
        by_year.entry(d.published.year()).or_default().push(i);
        // Only documents with a validity of their own are listed by status.
        if let Some(st) = site.doc(i).status {
            by_status.entry(st).or_default().push(i);
        }
    }

    let mut dirs = Vec::new();
    let issuers = cfg.issuers.iter().zip(by_issuer).map(|(x, docs)| Listing {
        base: Route::Issuer(&x.slug).dir(),
        title: x.name.clone(),
        section: "documents",
        crumbs: crumbs("issuers", &Route::Issuers.dir()),
        docs,
        intro: x
            .parent
            .as_ref()
            .map(|p| l.fill("issuer.parent", &[("name", p)])),
        feed: Some(urls.at(&format!("{}feed.xml", Route::Issuer(&x.slug).dir()))),
    });
    dirs.push(directory("issuers/", "issuers", l, urls, issuers.collect()));
    let subjects = cfg
        .subjects
        .iter()
        .zip(by_subject)
        .map(|(x, docs)| Listing {
            base: Route::Subject(&x.slug).dir(),
            title: x.name.clone(),
            section: "documents",
            crumbs: crumbs("subjects", &Route::Subjects.dir()),
            docs,
            intro: None,
            feed: Some(urls.at(&format!("{}feed.xml", Route::Subject(&x.slug).dir()))),
        });
    dirs.push(directory(
        "subjects/",
        "subjects",
        l,
        urls,
        subjects.collect(),
    ));
    let kinds = cfg.kinds.iter().zip(by_kind).map(|(k, docs)| Listing {
        base: Route::Kind(&k.key).dir(),
        title: k.label.clone(),
        section: if k.validity == crate::config::Validity::Follows {
            "interpretations"
        } else {
            "documents"
        },
        crumbs: crumbs("kinds", &Route::Kinds.dir()),
        docs,
        intro: None,
        feed: None,
    });
    dirs.push(directory("kinds/", "kinds", l, urls, kinds.collect()));
    let years = by_year.into_iter().rev().map(|(y, docs)| Listing {
        base: Route::Year(y).dir(),
        title: l.fill("year", &[("year", &y)]),
        section: "documents",
        crumbs: crumbs("years", &Route::Years.dir()),
        docs,
        intro: None,
        feed: None,
    });
    dirs.push(directory("years/", "years", l, urls, years.collect()));
    let statuses = Status::ALL.iter().map(|s| Listing {
        base: Route::Status(*s).dir(),
        title: l.status(*s),
        section: "documents",
        crumbs: crumbs("status", &Route::Statuses.dir()),
        docs: by_status.remove(s).unwrap_or_default(),
        intro: Some(status_note(l, *s).into()),
        feed: None,
    });
    dirs.push(directory("status/", "status", l, urls, statuses.collect()));
    dirs
}

fn directory(
    base: &'static str,
    key: &'static str,
    l: &Locale,
    urls: &Urls,
    listings: Vec<Listing>,
) -> Directory {
    let terms = listings
        .iter()
        .map(|l| Term {
            title: l.title.clone(),
            url: urls.at(&l.base),
            count: l.docs.len(),
            note: None,
        })
        .collect();
    Directory {
        base,
        title: l.get(&format!("dir.{key}")).to_string(),
        terms,
        listings,
    }
}

/// What a status means, said on its list (`status_note.<code>`).
pub(crate) fn status_note(l: &Locale, s: Status) -> &str {
    l.get(match s {
        Status::InForce => "status_note.in_force",
        Status::Amended => "status_note.amended",
        Status::PartiallyInForce => "status_note.partially_in_force",
        Status::NotYetEffective => "status_note.not_yet_effective",
        Status::Expired => "status_note.expired",
        Status::Repealed => "status_note.repealed",
    })
}

/// Counts by status for the home page.
#[derive(Serialize)]
pub(crate) struct StatusCount {
    pub status: StatusView,
    pub url: String,
    pub count: usize,
}

pub(crate) fn status_counts(site: &Site, urls: &Urls) -> Vec<StatusCount> {
    Status::ALL
        .iter()
        .map(|&s| StatusCount {
            status: s.into(),
            url: urls.status(s),
            // `own` documents only: a 人事任免 is not 现行有效 (legal-model.md §1).
            count: site.docs().filter(|(_, d)| d.status == Some(s)).count(),
        })
        .collect()
}

/// The 清理结果 page: every 清理 document (`cleanup: true`), newest first, with its four lists
/// and their counts (legal-model.md §3). A plain repeal by a new document is not a 清理.
#[derive(Serialize)]
pub(crate) struct Cleanup {
    pub by: DocRef,
    pub effective: String,
    pub continues: Vec<DocRef>,
    pub repealed: Vec<DocRef>,
    pub declared_expired: Vec<DocRef>,
    pub to_amend: Vec<DocRef>,
}

pub(crate) fn cleanups(site: &Site, urls: &Urls) -> Vec<Cleanup> {
    site.cleanups
        .iter()
        .map(|(i, lists)| {
            let refs = |list: &[DocIx]| {
                list.iter()
                    .map(|&t| views::doc_link(site, urls, t))
                    .collect::<Vec<_>>()
            };
            let articles = |t: DocIx| {
                site.doc(*i)
                    .partial_repeals
                    .iter()
                    .find(|(x, _)| *x == t)
                    .map(|(_, a)| a.to_string())
            };
            Cleanup {
                by: views::doc_link(site, urls, *i),
                effective: site.document(*i).effective.to_string(),
                continues: refs(&lists.continues),
                repealed: lists
                    .repeals
                    .iter()
                    .map(|&t| DocRef {
                        articles: articles(t),
                        ..views::doc_link(site, urls, t)
                    })
                    .collect(),
                declared_expired: refs(&lists.declares_expired),
                to_amend: refs(&lists.to_amend),
            }
        })
        .collect()
}

/// A gazette issue as listed under its year.
#[derive(Serialize)]
pub(crate) struct IssueSummary {
    pub label: String,
    pub title: String,
    pub url: String,
    pub published: Option<String>,
    pub total_number: Option<u32>,
    pub count: usize,
    pub pdf: Option<Link>,
    /// The PDF's size, 1.2 MB.
    pub pdf_size: Option<String>,
}

pub(crate) fn issue_summary(site: &Site, urls: &Urls, l: &Locale, k: usize) -> IssueSummary {
    let issue = &site.issues[k];
    IssueSummary {
        label: views::issue_label(l, issue.no),
        title: views::issue_title(site, l, issue),
        url: urls.issue(issue.no),
        published: issue.published.map(|d| d.to_string()),
        total_number: issue.total_number,
        count: site.issue_documents[k].len(),
        pdf: issue.pdf.as_ref().map(|p| Link {
            title: p.name.clone(),
            url: format!(
                "{}{}",
                urls.issue(issue.no),
                crate::output::links::encode_name(&p.name)
            ),
        }),
        pdf_size: issue.pdf.as_ref().map(|p| views::human_size(p.bytes)),
    }
}

/// The previous and next issue of issue `k` (issues are oldest first): 上一期 / 下一期.
pub(crate) fn neighbours(
    site: &Site,
    urls: &Urls,
    l: &Locale,
    k: usize,
) -> (Option<Link>, Option<Link>) {
    let link = |j: usize| {
        let no = site.issues[j].no;
        Link {
            title: views::issue_label(l, no),
            url: urls.issue(no),
        }
    };
    (
        k.checked_sub(1).map(link),
        (k + 1 < site.issues.len()).then(|| link(k + 1)),
    )
}

/// The SHA-256 of a file's bytes, in lower-case hex: printed beside an issue's PDF so a reader
/// can check that a downloaded copy is the authoritative one (`sha256sum` on Linux, `certutil
/// -hashfile … SHA256` on Windows).
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The table of contents of an issue: documents grouped as `[[gazette_toc]]` says (see
/// [`crate::config::site::toc_group`]; what no group takes goes under 其他), or by kind in the
/// configured order when the site sets no groups.
#[derive(Serialize)]
pub(crate) struct TocGroup {
    /// A key for the group's anchor (`k-<kind>`, or `g<n>` for a configured group).
    pub kind: String,
    pub label: String,
    pub items: Vec<TocEntry>,
}

/// A document in a table of contents, with its page in the printed issue.
#[derive(Serialize)]
pub(crate) struct TocEntry {
    #[serde(flatten)]
    pub doc: DocSummary,
    /// `gazette_page`: where the document starts in the printed issue.
    pub page: Option<u32>,
}

pub(crate) fn toc(site: &Site, urls: &Urls, l: &Locale, k: usize) -> Vec<TocGroup> {
    let rules = &site.config.gazette_toc;
    let mut groups: BTreeMap<usize, TocGroup> = BTreeMap::new();
    let mut docs = site.issue_documents[k].clone();
    // An issue reads in publication order; documents with a page number in the order printed.
    docs.reverse();
    docs.sort_by_key(|&i| site.document(i).gazette_page.unwrap_or(u32::MAX));
    for i in docs {
        let d = &site.document(i);
        let (at, key, label) = if rules.is_empty() {
            (
                site.config.kind_order(&d.kind),
                d.kind.clone(),
                views::kind_label(site, &d.kind),
            )
        } else {
            match crate::config::site::toc_group(rules, &d.kind, &d.issuers) {
                Some(n) => (n, format!("g{}", n + 1), rules[n].title.clone()),
                None => (rules.len(), "other".into(), l.get("issue.other").into()),
            }
        };
        groups
            .entry(at)
            .or_insert_with(|| TocGroup {
                kind: key,
                label,
                items: Vec::new(),
            })
            .items
            .push(TocEntry {
                doc: views::summary(site, urls, l, i),
                page: d.gazette_page,
            });
    }
    groups.into_values().collect()
}

pub(crate) fn meta(
    urls: &Urls,
    site: &Site,
    title: String,
    path: &str,
    section: &'static str,
    crumbs: Vec<Crumb>,
) -> PageMeta {
    let url = urls.at(path);
    PageMeta {
        canonical: urls.absolute(&url),
        url,
        description: format!("{title} - {}", site.config.title),
        title,
        section,
        breadcrumbs: crumbs,
        og_type: "website",
        ..PageMeta::default()
    }
}

pub(crate) fn trail(urls: &Urls, l: &Locale, trail: &[(&str, &str)], last: &str) -> Vec<Crumb> {
    let mut c = crumbs(urls, l, trail);
    c.push(Crumb {
        title: last.to_string(),
        url: None,
    });
    c
}

#[cfg(test)]
mod tests {
    use super::{sha256_hex, window};

    #[test]
    fn sha256_of_known_inputs() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn pagers_show_a_bounded_window() {
        assert_eq!(window(1, 1), [1]);
        assert_eq!(window(1, 3), [1, 2, 3]);
        assert_eq!(window(50, 2000), [1, 48, 49, 50, 51, 52, 2000]);
        assert_eq!(window(2000, 2000), [1, 1998, 1999, 2000]);
    }
}
