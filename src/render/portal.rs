//! The portal's pages: home, the lists of documents and their directories, free pages,
//! search, open data, the 网站地图 and 404. Methods of [`Renderer`]; the archive's own pages
//! are in `archive.rs`.

use serde::Serialize;

use super::splice::Splice;
use super::views::{self, Crumb, Link};
use super::{Renderer, lists, site_map};
use crate::diag::Diagnostic;
use crate::model::route::Route;

impl Renderer<'_> {
    pub(super) fn home(&self) -> Result<usize, Diagnostic> {
        let site = self.site;
        let urls = &self.urls;
        #[derive(Serialize)]
        struct Home {
            latest: Vec<views::DocSummary>,
            issue: Option<lists::IssueSummary>,
            issue_toc: Vec<lists::TocGroup>,
            counts: Vec<lists::StatusCount>,
            /// 征求意见中: what the public can comment on now.
            open_consultations: Vec<views::DocSummary>,
            entries: Vec<Link>,
            total: usize,
        }
        let newest_issue = (0..site.issues.len())
            .rev()
            .find(|&k| !site.issue_documents[k].is_empty() || site.issues[k].file.is_some());
        let home = Home {
            latest: site
                .newest_first
                .iter()
                .take(10)
                .map(|&i| views::summary(site, urls, &self.locale, i))
                .collect(),
            issue: newest_issue.map(|k| lists::issue_summary(site, urls, &self.locale, k)),
            issue_toc: newest_issue
                .map(|k| lists::toc(site, urls, &self.locale, k))
                .unwrap_or_default(),
            counts: lists::status_counts(site, urls),
            open_consultations: site
                .consultations
                .iter()
                .filter(|&&i| {
                    site.document(i).consultation.as_ref().is_some_and(|c| {
                        c.state(site.as_of) == crate::model::ConsultationState::Open
                    })
                })
                .map(|&i| views::summary(site, urls, &self.locale, i))
                .collect(),
            entries: [
                ("nav.gazette", &Route::Gazette.dir()),
                ("not_found.all", &Route::Documents.dir()),
                ("dir.issuers", &Route::Issuers.dir()),
                ("dir.subjects", &Route::Subjects.dir()),
                ("dir.kinds", &Route::Kinds.dir()),
                ("dir.years", &Route::Years.dir()),
                ("dir.status", &Route::Statuses.dir()),
                ("nav.filings", &Route::Filings.dir()),
                ("cleanups.title", &Route::Cleanups.dir()),
                ("consultations.title", &Route::Consultations.dir()),
                ("nav.statistics", &Route::Statistics.dir()),
                ("nav.data", &Route::Data.dir()),
            ]
            .iter()
            .map(|(key, u)| Link {
                // A directory is entered 按发文机关, 按年份 …
                title: if key.starts_with("dir.") {
                    self.locale.fill("by", &[("title", &self.locale.get(key))])
                } else {
                    self.word(key)
                },
                url: urls.at(u),
            })
            .collect(),
            total: site.document_count(),
        };
        let mut meta = lists::meta(
            urls,
            site,
            site.config.title.clone(),
            "",
            "home",
            Vec::new(),
        );
        meta.description = site
            .config
            .description
            .clone()
            .unwrap_or_else(|| site.config.title.clone());
        meta.feed = Some(urls.at("feed.xml"));
        self.page("index.html", &Route::Home.dir(), &meta, &home)?;
        Ok(1)
    }

    pub(super) fn all_documents(&self) -> Result<usize, Diagnostic> {
        let listing = lists::Listing {
            base: Route::Documents.dir(),
            title: self.word("nav.documents"),
            section: "documents",
            crumbs: vec![Crumb {
                title: self.word("nav.home"),
                url: Some(self.urls.root()),
            }],
            docs: self.site.newest_first.clone(),
            intro: Some(self.word("documents.intro")),
            feed: Some(self.urls.at("feed.xml")),
        };
        self.listing(&listing)
    }

    pub(super) fn listing(&self, l: &lists::Listing) -> Result<usize, Diagnostic> {
        let pages = lists::paginate(&self.urls, &l.base, &l.docs, self.site.config.page_size);
        let n = pages.len();
        #[derive(Serialize)]
        struct ListView<'a> {
            pager: &'a lists::Pager,
            intro: Option<&'a str>,
        }
        let mut rows = String::new();
        for (dir, pager) in &pages {
            let title = if pager.number > 1 {
                self.locale.fill(
                    "list.title_page",
                    &[("title", &l.title), ("n", &pager.number)],
                )
            } else {
                l.title.clone()
            };
            let mut crumbs = l.crumbs.clone();
            crumbs.push(Crumb {
                title: l.title.clone(),
                url: None,
            });
            let mut meta = lists::meta(&self.urls, self.site, title, dir, l.section, crumbs);
            meta.prev = pager.prev.clone();
            meta.next = pager.next.clone();
            meta.feed = l.feed.clone();
            rows.clear();
            for &i in &pager.docs {
                rows.push_str(self.row(i)?);
            }
            self.page_with(
                "list.html",
                dir,
                &meta,
                &ListView {
                    pager,
                    intro: l.intro.as_deref(),
                },
                Some(Splice::rows(&rows)),
            )?;
        }
        Ok(n)
    }

    pub(super) fn directory_index(&self, dir: &lists::Directory) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct DirView<'a> {
            terms: &'a [lists::Term],
        }
        let crumbs = lists::trail(&self.urls, &self.locale, &[], &dir.title);
        let meta = lists::meta(
            &self.urls,
            self.site,
            dir.title.clone(),
            dir.base,
            "documents",
            crumbs,
        );
        self.page(
            "directory.html",
            dir.base,
            &meta,
            &DirView { terms: &dir.terms },
        )?;
        Ok(1)
    }

    pub(super) fn pages(&self) -> Result<usize, Diagnostic> {
        for p in &self.site.pages {
            let dir = Route::Page(&p.slug).dir();
            let meta = lists::meta(
                &self.urls,
                self.site,
                p.title.clone(),
                &dir,
                "home",
                lists::trail(&self.urls, &self.locale, &[], &p.title),
            );
            let body = self.engine.render_markdown(&p.body).html;
            self.page_with(
                "page.html",
                &dir,
                &meta,
                &serde_json::json!({}),
                Some(Splice::body(&body)),
            )?;
        }
        Ok(self.site.pages.len())
    }

    pub(super) fn search_page(&self) -> Result<usize, Diagnostic> {
        let site = self.site;
        #[derive(Serialize)]
        struct Opt {
            value: String,
            label: String,
        }
        #[derive(Serialize)]
        struct Filters {
            statuses: Vec<Opt>,
            kinds: Vec<Opt>,
            issuers: Vec<Opt>,
            years: Vec<i16>,
        }
        let mut years: Vec<i16> = site
            .docs()
            .map(|(_, d)| d.document.published.year())
            .collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let filters = Filters {
            statuses: crate::model::Status::ALL
                .iter()
                .map(|s| Opt {
                    value: s.code().into(),
                    label: self.locale.status(*s),
                })
                .collect(),
            kinds: site
                .config
                .kinds
                .iter()
                .map(|k| Opt {
                    value: k.key.clone(),
                    label: k.label.clone(),
                })
                .collect(),
            issuers: site
                .config
                .issuers
                .iter()
                .map(|x| Opt {
                    value: x.slug.clone(),
                    label: x.name.clone(),
                })
                .collect(),
            years,
        };
        #[derive(Serialize)]
        struct S {
            filters: Filters,
        }
        let meta = lists::meta(
            &self.urls,
            site,
            self.word("nav.search"),
            &Route::Search.dir(),
            "search",
            lists::trail(&self.urls, &self.locale, &[], &self.word("nav.search")),
        );
        self.page("search.html", &Route::Search.dir(), &meta, &S { filters })?;
        Ok(1)
    }

    /// `/data/`: what the open data files are and what each field means.
    pub(super) fn open_data(&self) -> Result<usize, Diagnostic> {
        let meta = lists::meta(
            &self.urls,
            self.site,
            self.word("nav.data"),
            &Route::Data.dir(),
            "home",
            lists::trail(&self.urls, &self.locale, &[], &self.word("nav.data")),
        );
        self.page(
            "data.html",
            &Route::Data.dir(),
            &meta,
            &serde_json::json!({ "total": self.site.document_count() }),
        )?;
        Ok(1)
    }

    /// `/sitemap/`: the 网站地图 every footer links to.
    pub(super) fn site_map(&self, dirs: &[lists::Directory]) -> Result<usize, Diagnostic> {
        #[derive(Serialize)]
        struct Map {
            sections: Vec<site_map::MapSection>,
        }
        let meta = lists::meta(
            &self.urls,
            self.site,
            self.word("nav.sitemap"),
            &Route::SiteMap.dir(),
            "home",
            lists::trail(&self.urls, &self.locale, &[], &self.word("nav.sitemap")),
        );
        let sections = site_map::site_map(self.site, &self.urls, &self.locale, dirs);
        self.page(
            "sitemap.html",
            &Route::SiteMap.dir(),
            &meta,
            &Map { sections },
        )?;
        Ok(1)
    }

    pub(super) fn not_found(&self) -> Result<usize, Diagnostic> {
        let meta = lists::meta(
            &self.urls,
            self.site,
            self.word("not_found.title"),
            &Route::NotFound.dir(),
            "home",
            Vec::new(),
        );
        self.page(
            "404.html",
            &Route::NotFound.dir(),
            &meta,
            &serde_json::json!({}),
        )?;
        Ok(1)
    }
}
