//! The 网站地图 page for people (`/sitemap/`), linked from every footer: 《政府网站发展指引》
//! asks for one. The XML `sitemap.xml` for search engines is written by `export`.

use serde::Serialize;

use super::lists::Directory;
use super::locale::Locale;
use super::views::{Link, Urls};
use crate::model::Site;
use crate::model::route::Route;

/// A section of the 网站地图 page.
#[derive(Serialize)]
pub(crate) struct MapSection {
    pub title: String,
    pub links: Vec<Link>,
}

/// The 网站地图 for people: the main sections, every directory with its terms, the gazette's
/// years, and the other pages (备案目录, 清理结果, 开放数据, the free pages).
pub(crate) fn site_map(
    site: &Site,
    urls: &Urls,
    l: &Locale,
    dirs: &[Directory],
) -> Vec<MapSection> {
    let link = |key: &str, path: &str| Link {
        title: l.get(key).into(),
        url: urls.at(path),
    };
    let mut sections = vec![MapSection {
        title: l.get("sitemap.main").into(),
        links: vec![
            link("nav.home", &Route::Home.dir()),
            link("nav.gazette", &Route::Gazette.dir()),
            link("nav.documents", &Route::Documents.dir()),
            link("nav.interpretations", &Route::Kind("interpretation").dir()),
            link("nav.filings", &Route::Filings.dir()),
            link("cleanups.title", &Route::Cleanups.dir()),
            link("nav.search", &Route::Search.dir()),
            link("nav.data", &Route::Data.dir()),
        ],
    }];
    let mut years: Vec<i16> = site.issues.iter().map(|i| i.no.year).collect();
    years.dedup();
    sections.push(MapSection {
        title: l.get("nav.gazette").into(),
        links: years
            .iter()
            .rev()
            .map(|&y| Link {
                title: l.fill("year", &[("year", &y)]),
                url: urls.gazette_year(y),
            })
            .collect(),
    });
    for dir in dirs {
        sections.push(MapSection {
            title: l.fill("by", &[("title", &dir.title)]),
            links: dir
                .terms
                .iter()
                .map(|t| Link {
                    title: t.title.clone(),
                    url: t.url.clone(),
                })
                .collect(),
        });
    }
    if !site.pages.is_empty() {
        sections.push(MapSection {
            title: l.get("sitemap.about").into(),
            links: site
                .pages
                .iter()
                .map(|p| Link {
                    title: p.title.clone(),
                    url: urls.page(&p.slug),
                })
                .collect(),
        });
    }
    sections
}
