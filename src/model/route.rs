//! Where every page lives: one [`Route`] gives both the folder a page is written to and the
//! URL that links to it, so the renderer, the feeds and the open data can no longer build the
//! same folder two ways (Zola's permalinks and mdBook's path helpers do the same). [`Urls`]
//! holds the site's address, parsed once by `config` into a [`url::Url`].

use jiff::civil::Date;
use url::Url;

use super::{IssueNo, Status};

/// A page of the site, by what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route<'a> {
    Home,
    /// All documents, newest first.
    Documents,
    Document(&'a str),
    /// One text of an amended document, by the date it applies from.
    Version(&'a str, Date),
    Issuers,
    Issuer(&'a str),
    Subjects,
    Subject(&'a str),
    Kinds,
    Kind(&'a str),
    Years,
    Year(i16),
    Statuses,
    Status(Status),
    Gazette,
    GazetteYear(i16),
    Issue(IssueNo),
    /// A free page (关于本站 …), by its slug.
    Page(&'a str),
    Filings,
    Cleanups,
    Consultations,
    Statistics,
    Search,
    Data,
    SiteMap,
    NotFound,
}

impl Route<'_> {
    /// The output folder of the page, relative to the site (`documents/x/`; `""` for the home
    /// page), or the file itself for 404.
    pub(crate) fn dir(&self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Documents => "documents/".into(),
            Route::Document(id) => format!("documents/{id}/"),
            Route::Version(id, date) => format!("documents/{id}/versions/{date}/"),
            Route::Issuers => "issuers/".into(),
            Route::Issuer(slug) => format!("issuers/{slug}/"),
            Route::Subjects => "subjects/".into(),
            Route::Subject(slug) => format!("subjects/{slug}/"),
            Route::Kinds => "kinds/".into(),
            Route::Kind(key) => format!("kinds/{key}/"),
            Route::Years => "years/".into(),
            Route::Year(year) => format!("years/{year}/"),
            Route::Statuses => "status/".into(),
            Route::Status(s) => format!("status/{}/", s.slug()),
            Route::Gazette => "gazette/".into(),
            Route::GazetteYear(year) => format!("gazette/{year}/"),
            Route::Issue(no) => format!("gazette/{}/{:02}/", no.year, no.number),
            Route::Page(slug) => format!("pages/{slug}/"),
            Route::Filings => "filings/".into(),
            Route::Cleanups => "cleanups/".into(),
            Route::Consultations => "consultations/".into(),
            Route::Statistics => "statistics/".into(),
            Route::Search => "search/".into(),
            Route::Data => "data/".into(),
            Route::SiteMap => "sitemap/".into(),
            Route::NotFound => "404.html".into(),
        }
    }

    /// The page's URL, with the site's base path in front.
    pub(crate) fn url(&self, urls: &Urls) -> String {
        urls.at(&self.dir())
    }
}

/// The site's address, for links: root-relative (`/sub/documents/x/`) in pages, absolute
/// (`https://example.cn/sub/documents/x/`) in feeds, the sitemap, canonical links and the
/// open data.
#[derive(Debug, Clone)]
pub(crate) struct Urls {
    base: Url,
}

impl Urls {
    /// `base` is `base_url` as `config` parsed it: http(s), its path ending in `/`.
    pub(crate) fn new(base: &Url) -> Self {
        Urls { base: base.clone() }
    }

    /// The base path (`/` or `/sub/`), the link to the home page.
    pub(crate) fn root(&self) -> String {
        self.base.path().to_string()
    }

    /// `path` (relative to the site) as a root-relative link.
    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{}", self.base.path(), path.trim_start_matches('/'))
    }

    /// A root-relative link made absolute. Joined as text, not with [`Url::join`], which
    /// would percent-encode the Chinese of attachment names that pages link to as written.
    pub(crate) fn absolute(&self, link: &str) -> String {
        let rest = link
            .strip_prefix(self.base.path())
            .unwrap_or(link.trim_start_matches('/'));
        format!("{}{rest}", self.base.as_str())
    }

    // The pages' folders are [`Route`]'s: these name the common ones.
    pub(crate) fn document(&self, id: &str) -> String {
        Route::Document(id).url(self)
    }
    pub(crate) fn issuer(&self, slug: &str) -> String {
        Route::Issuer(slug).url(self)
    }
    pub(crate) fn subject(&self, slug: &str) -> String {
        Route::Subject(slug).url(self)
    }
    pub(crate) fn kind(&self, kind: &str) -> String {
        Route::Kind(kind).url(self)
    }
    pub(crate) fn status(&self, s: Status) -> String {
        Route::Status(s).url(self)
    }
    pub(crate) fn gazette_year(&self, year: i16) -> String {
        Route::GazetteYear(year).url(self)
    }
    pub(crate) fn issue(&self, no: IssueNo) -> String {
        Route::Issue(no).url(self)
    }
    pub(crate) fn page(&self, slug: &str) -> String {
        Route::Page(slug).url(self)
    }
}

/// The folder of page `n` of a list whose first page is at `base` (`issuers/x/page/2/`).
pub(crate) fn list_page(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_urls_agree() {
        let urls = Urls::new(&"https://example.cn/sub/".parse().unwrap());
        let no = IssueNo {
            year: 2024,
            number: 3,
        };
        assert_eq!(Route::Issue(no).dir(), "gazette/2024/03/");
        assert_eq!(Route::Issue(no).url(&urls), "/sub/gazette/2024/03/");
        assert_eq!(Route::Home.url(&urls), "/sub/");
        assert_eq!(Route::NotFound.dir(), "404.html");
        let date: Date = "2023-07-01".parse().unwrap();
        assert_eq!(
            Route::Version("a", date).url(&urls),
            "/sub/documents/a/versions/2023-07-01/"
        );
        assert_eq!(
            urls.absolute(&Route::Document("a").url(&urls)),
            "https://example.cn/sub/documents/a/"
        );
        assert_eq!(list_page("issuers/x/", 1), "issuers/x/");
        assert_eq!(list_page("issuers/x/", 2), "issuers/x/page/2/");
    }
}
