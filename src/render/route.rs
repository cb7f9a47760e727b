//! Where every page lives: one [`Route`] gives both the folder a page is written to and the
//! URL that links to it, so the renderer and [`Urls`] can no longer build the same folder two
//! ways (Zola's permalinks and mdBook's path helpers do the same).

use jiff::civil::Date;

use super::views::Urls;
use crate::model::{IssueNo, Status};

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
        let urls = Urls::new("/sub/");
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
        assert_eq!(list_page("issuers/x/", 1), "issuers/x/");
        assert_eq!(list_page("issuers/x/", 2), "issuers/x/page/2/");
    }
}
