//! The 网站地图 page for people (`/sitemap/`), linked from every footer: 《政府网站发展指引》
//! asks for one. The XML `sitemap.xml` for search engines is written by `export`.

use serde::Serialize;

use super::lists::Directory;
use super::views::{Link, Urls};
use crate::model::Site;

/// A section of the 网站地图 page.
#[derive(Serialize)]
pub struct MapSection {
    pub title: String,
    pub links: Vec<Link>,
}

/// The 网站地图 for people: the main sections, every directory with its terms, the gazette's
/// years, and the other pages (备案目录, 清理结果, 开放数据, the free pages).
pub fn site_map(site: &Site, urls: &Urls, dirs: &[Directory]) -> Vec<MapSection> {
    let link = |title: &str, path: &str| Link {
        title: title.into(),
        url: urls.at(path),
    };
    let mut sections = vec![MapSection {
        title: "主要栏目".into(),
        links: vec![
            link("首页", ""),
            link("政府公报", "gazette/"),
            link("政策文件", "documents/"),
            link("政策解读", "kinds/interpretation/"),
            link("备案目录", "filings/"),
            link("清理结果", "cleanups/"),
            link("检索", "search/"),
            link("开放数据", "data/"),
        ],
    }];
    let mut years: Vec<i16> = site.issues.iter().map(|i| i.no.year).collect();
    years.dedup();
    sections.push(MapSection {
        title: "政府公报".into(),
        links: years
            .iter()
            .rev()
            .map(|&y| Link {
                title: format!("{y}年"),
                url: urls.gazette_year(y),
            })
            .collect(),
    });
    for dir in dirs {
        sections.push(MapSection {
            title: format!("按{}", dir.title),
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
            title: "关于本站".into(),
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
