//! The archive's own pages: the gazette by year and issue, the 备案目录, the 清理结果, the
//! 征求意见 list, the annual statistics, and the page of each text of an amended document.
//! Methods of [`Renderer`], kept apart from the engine and the page plan in `mod.rs`.

use serde::Serialize;

use super::replay::Placed;
use super::views::{self, Crumb, Link};
use super::{Renderer, document, lists, versions};
use crate::diag::Diagnostic;
use crate::model::route::Route;
use crate::model::{Bodies, DocIx, GazetteIssue};
use crate::output::fs;

impl Renderer<'_> {
    /// `/documents/<id>/versions/<date>/`: every text of an amended document, each with its
    /// 题注, a banner saying whether it is current or which text replaced it, and what changed
    /// from the text before it.
    /// Returns each page's folder and cache key (`replay.rs`).
    pub(super) fn version_pages(
        &self,
        i: DocIx,
        bodies: &Bodies,
    ) -> Result<Vec<Option<Placed>>, Diagnostic> {
        let site = self.site;
        let d = &site.document(i);
        let texts = &site.doc(i).texts;
        let list = versions::texts(site, &self.urls, i).list;
        let mut placed = Vec::with_capacity(texts.len());
        for (k, t) in texts.iter().enumerate() {
            let original = bodies.get(i)?;
            let body = t.version.as_deref().map_or(original, |v| &v.body);
            let previous = k
                .checked_sub(1)
                .map(|p| texts[p].version.as_deref().map_or(original, |v| &v.body));
            let dir = Route::Version(d.id.as_str(), t.date).dir();
            let html = self.engine.render_markdown(body).html;
            let view = serde_json::json!({
                "doc": views::summary(site, &self.urls, &self.locale, i),
                "caption": versions::caption_of(site, i, k),
                "text": &list[k],
                "current": list.iter().find(|l| l.current),
                "replaced_by": list.get(k + 1).filter(|_| k < site.doc(i).current_text),
                "texts": &list,
                "previous": k.checked_sub(1).map(|p| &list[p]),
                "diff": previous.map(|old| versions::compare(old, body)).unwrap_or_default(),
                "body_html": html,
            });
            let mut meta = document::page(site, &self.urls, &self.locale, i, "").0;
            meta.title = self.locale.fill(
                "version.page_title",
                &[("title", &d.title), ("date", &self.locale.date(t.date))],
            );
            meta.url = versions::url(&self.urls, d, t.date);
            meta.canonical = self.urls.absolute(&meta.url);
            placed.push(self.page("version.html", &dir, &meta, &view)?);
        }
        Ok(placed)
    }

    pub(super) fn gazette(&self) -> Result<usize, Diagnostic> {
        let site = self.site;
        let urls = &self.urls;
        let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
        for (k, issue) in site.issues.iter().enumerate() {
            match years.last_mut() {
                Some((y, list)) if *y == issue.no.year => list.push(k),
                _ => years.push((issue.no.year, vec![k])),
            }
        }
        years.reverse();
        #[derive(Serialize)]
        struct Year {
            year: i16,
            url: String,
            issues: Vec<lists::IssueSummary>,
        }
        let year_views: Vec<Year> = years
            .iter()
            .map(|(y, ks)| Year {
                year: *y,
                url: urls.gazette_year(*y),
                issues: ks
                    .iter()
                    .map(|&k| lists::issue_summary(site, urls, &self.locale, k))
                    .collect(),
            })
            .collect();
        let mut count = 0;
        let meta = lists::meta(
            urls,
            site,
            self.word("nav.gazette"),
            &Route::Gazette.dir(),
            "gazette",
            lists::trail(urls, &self.locale, &[], &self.word("nav.gazette")),
        );
        #[derive(Serialize)]
        struct Years<'a> {
            years: &'a [Year],
        }
        self.page(
            "gazette_years.html",
            &Route::Gazette.dir(),
            &meta,
            &Years { years: &year_views },
        )?;
        count += 1;
        for y in &year_views {
            let title = self.locale.fill("year", &[("year", &y.year)]);
            let meta = lists::meta(
                urls,
                site,
                self.locale.fill("gazette.year_page", &[("year", &y.year)]),
                &Route::GazetteYear(y.year).dir(),
                "gazette",
                lists::trail(
                    urls,
                    &self.locale,
                    &[(&self.word("nav.gazette"), &Route::Gazette.dir())],
                    &title,
                ),
            );
            self.page(
                "gazette_year.html",
                &Route::GazetteYear(y.year).dir(),
                &meta,
                y,
            )?;
            count += 1;
        }
        for (k, issue) in site.issues.iter().enumerate() {
            #[derive(Serialize)]
            struct IssueView {
                issue: lists::IssueSummary,
                toc: Vec<lists::TocGroup>,
                foreword: String,
                prev: Option<Link>,
                next: Option<Link>,
                pdf_sha256: Option<String>,
            }
            let pdf = self.pdf(issue)?;
            let (prev, next) = lists::neighbours(site, urls, &self.locale, k);
            let view = IssueView {
                issue: lists::issue_summary(site, urls, &self.locale, k),
                toc: lists::toc(site, urls, &self.locale, k),
                foreword: self.engine.render_markdown(&issue.foreword).html,
                prev,
                next,
                pdf_sha256: pdf.as_deref().map(lists::sha256_hex),
            };
            let dir = Route::Issue(issue.no).dir();
            let year = self.locale.fill("year", &[("year", &issue.no.year)]);
            let gazette = self.word("nav.gazette");
            let crumbs = lists::trail(
                urls,
                &self.locale,
                &[
                    (&gazette, &Route::Gazette.dir()),
                    (&year, &Route::GazetteYear(issue.no.year).dir()),
                ],
                &views::issue_label(&self.locale, issue.no),
            );
            let mut meta = lists::meta(
                urls,
                site,
                view.issue.title.clone(),
                &dir,
                "gazette",
                crumbs,
            );
            meta.prev = view.prev.as_ref().map(|l| l.url.clone());
            meta.next = view.next.as_ref().map(|l| l.url.clone());
            self.page("gazette_issue.html", &dir, &meta, &view)?;
            self.write_pdf(issue, pdf.as_deref())?;
            count += 1;
        }
        Ok(count)
    }

    /// Every issue's PDF into the issue's folder, as [`Self::gazette`] writes them: the list
    /// pass placed from the cache (`replay.rs`) writes no pages but still these files.
    pub(super) fn gazette_pdfs(&self) -> Result<(), Diagnostic> {
        for issue in &self.site.issues {
            self.write_pdf(issue, self.pdf(issue)?.as_deref())?;
        }
        Ok(())
    }

    /// The bytes of `issue`'s PDF, if it has one.
    fn pdf(&self, issue: &GazetteIssue) -> Result<Option<Vec<u8>>, Diagnostic> {
        let Some(p) = &issue.pdf else { return Ok(None) };
        let from = self.site_root().join(&p.source);
        std::fs::read(&from)
            .map(Some)
            .map_err(|e| fs::io_error(&from, "读取", e))
    }

    fn write_pdf(&self, issue: &GazetteIssue, bytes: Option<&[u8]>) -> Result<(), Diagnostic> {
        if let (Some(p), Some(bytes)) = (&issue.pdf, bytes) {
            let dir = Route::Issue(issue.no).dir();
            self.tree.write(&self.out.join(&dir).join(&p.name), bytes)?;
        }
        Ok(())
    }

    pub(super) fn filings(&self) -> Result<usize, Diagnostic> {
        let mut docs: Vec<DocIx> = self
            .site
            .ixs()
            .filter(|&i| {
                let d = &self.site.document(i);
                d.record_number.is_some() || d.filed_on.is_some()
            })
            .collect();
        self.site.sort_for_list(&mut docs);
        let listing = lists::Listing {
            base: Route::Filings.dir(),
            title: self.word("filings.title"),
            section: "filings",
            crumbs: vec![Crumb {
                title: self.word("nav.home"),
                url: Some(self.urls.root()),
            }],
            docs,
            intro: Some(self.word("filings.intro")),
            feed: None,
        };
        let pages = lists::paginate(
            &self.urls,
            &listing.base,
            &listing.docs,
            self.site.config.page_size,
        );
        let n = pages.len();
        for (dir, pager) in pages {
            let dir = &dir;
            let pager = &pager.with_items(self.site, &self.urls, &self.locale);
            let mut meta = lists::meta(
                &self.urls,
                self.site,
                listing.title.clone(),
                dir,
                "filings",
                lists::trail(&self.urls, &self.locale, &[], &listing.title),
            );
            meta.prev = pager.prev.clone();
            meta.next = pager.next.clone();
            #[derive(Serialize)]
            struct F<'a> {
                pager: &'a lists::Pager,
                intro: Option<&'a str>,
            }
            self.page(
                "filings.html",
                dir,
                &meta,
                &F {
                    pager,
                    intro: listing.intro.as_deref(),
                },
            )?;
        }
        Ok(n)
    }

    pub(super) fn cleanups(&self) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct C {
            cleanups: Vec<lists::Cleanup>,
        }
        let meta = lists::meta(
            &self.urls,
            self.site,
            self.word("cleanups.title"),
            &Route::Cleanups.dir(),
            "documents",
            lists::trail(&self.urls, &self.locale, &[], &self.word("cleanups.title")),
        );
        self.page(
            "cleanups.html",
            &Route::Cleanups.dir(),
            &meta,
            &C {
                cleanups: lists::cleanups(self.site, &self.urls),
            },
        )?;
        Ok(1)
    }

    /// `/consultations/`: 征求意见稿, open ones first (versions.md §2).
    pub(super) fn consultations(&self) -> Result<usize, Diagnostic> {
        let docs: Vec<views::DocSummary> = self
            .site
            .consultations
            .iter()
            .map(|&i| views::summary(self.site, &self.urls, &self.locale, i))
            .collect();
        let mut meta = lists::meta(
            &self.urls,
            self.site,
            self.word("consultations.title"),
            &Route::Consultations.dir(),
            "documents",
            lists::trail(
                &self.urls,
                &self.locale,
                &[],
                &self.word("consultations.title"),
            ),
        );
        meta.feed = Some(
            self.urls
                .at(&format!("{}feed.xml", Route::Consultations.dir())),
        );
        self.page(
            "consultations.html",
            &Route::Consultations.dir(),
            &meta,
            &serde_json::json!({ "docs": docs }),
        )?;
        Ok(1)
    }

    /// `/statistics/`: the annual numbers of legal-model.md §7, one table per year.
    pub(super) fn statistics(&self) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct Row {
            label: String,
            issued: usize,
            ended: usize,
            in_force: usize,
        }
        #[derive(Serialize)]
        struct YearView {
            year: i16,
            rows: Vec<Row>,
        }
        let stats = crate::model::statistics::Statistics::of(self.site);
        let years: Vec<YearView> = stats
            .years
            .iter()
            .rev()
            .map(|y| YearView {
                year: y.year,
                rows: y
                    .kinds
                    .iter()
                    .map(|(k, n)| Row {
                        label: views::kind_label(self.site, k),
                        issued: n.issued,
                        ended: n.ended,
                        in_force: n.in_force,
                    })
                    .collect(),
            })
            .collect();
        let meta = lists::meta(
            &self.urls,
            self.site,
            self.word("statistics.title"),
            &Route::Statistics.dir(),
            "home",
            lists::trail(&self.urls, &self.locale, &[], &self.word("nav.statistics")),
        );
        self.page(
            "statistics.html",
            &Route::Statistics.dir(),
            &meta,
            &serde_json::json!({ "years": years }),
        )?;
        Ok(1)
    }
}
