//! What templates see: small serialisable views, precomputed from the [`Site`].
//!
//! Templates never reach into the site model. Every label, URL, date string and status is
//! worked out here, so a page is a pure function of its view (and pages render in parallel).

use serde::Serialize;

use super::locale::Locale;
pub(crate) use crate::model::route::{Route, Urls};
use crate::model::{DocIx, Document, GazetteIssue, IssueNo, Site, Status};

/// Site-wide values every page gets as `site`.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub base_url: &'a str,
    pub base_path: String,
    pub language: &'a str,
    pub as_of: String,
    pub nav: Vec<NavItem>,
    /// `[site]` of gazette.toml: 主办单位, 联系方式, 网站标识码, 备案号 (the footer).
    pub identity: &'a crate::config::SiteIdentity,
    /// The 公安机关备案号's page on the national registry (its link in the footer).
    pub psb_url: Option<String>,
    /// The free pages (关于本站, 使用说明 …) and the site map, linked from every footer.
    pub footer_links: Vec<Link>,
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    pub key: &'static str,
    pub title: String,
    pub url: String,
}

/// Per-page values every page gets as `page`.
#[derive(Serialize, Default)]
pub(crate) struct PageMeta {
    pub title: String,
    /// Root-relative URL of this page (with the base path).
    pub url: String,
    /// Absolute URL, for canonical links and Open Graph.
    pub canonical: String,
    pub description: String,
    /// The main-navigation key this page belongs to (for `aria-current`).
    pub section: &'static str,
    pub breadcrumbs: Vec<Crumb>,
    pub og_type: &'static str,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Atom feed of this page's list, if it has one.
    pub feed: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct Crumb {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

/// A status badge. `follows`: the status is that of the document an interpretation explains,
/// shown as 所解读文件：已废止 (an interpretation has no legal force of its own).
#[derive(Serialize, Clone)]
pub(crate) struct StatusView {
    pub code: &'static str,
    pub label: &'static str,
    pub slug: &'static str,
    pub follows: bool,
}

impl From<Status> for StatusView {
    fn from(s: Status) -> Self {
        StatusView {
            code: s.code(),
            label: s.label(),
            slug: s.slug(),
            follows: false,
        }
    }
}

/// The badge a document shows: its own status, the followed one, or none (`validity = none`).
pub(crate) fn shown_status(site: &Site, i: DocIx) -> Option<StatusView> {
    site.shown_status(i).map(|(s, follows)| StatusView {
        follows,
        ..s.into()
    })
}

/// A document as a list entry shows it.
#[derive(Serialize, Clone)]
pub(crate) struct DocSummary {
    pub id: String,
    pub url: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub issuers: Vec<Link>,
    pub published: String,
    pub kind: String,
    pub kind_label: String,
    /// `None` for kinds without validity (人事任免, 公告 …).
    pub status: Option<StatusView>,
    pub summary: Option<String>,
    pub record_number: Option<String>,
    /// 备案日期.
    pub filed_on: Option<String>,
    pub gazette: Option<Link>,
    /// For a 征求意见稿: its period, state and channels.
    pub consultation: Option<ConsultationView>,
}

/// A 征求意见稿 as pages show it (versions.md §2).
#[derive(Serialize, Clone)]
pub(crate) struct ConsultationView {
    /// `open`, `upcoming`, `closed`.
    pub state: &'static str,
    /// 征求意见中, 即将开始, 已结束.
    pub label: &'static str,
    pub from: String,
    pub to: String,
    /// While open: the days left, today included.
    pub days_left: Option<i32>,
    /// How to comment: a link for `mailto:` and `https://`, text otherwise.
    pub feedback: Vec<Link>,
    /// 意见采纳情况.
    pub report: Option<Link>,
}

pub(crate) fn consultation_view(
    site: &Site,
    urls: &Urls,
    d: &Document,
) -> Option<ConsultationView> {
    use crate::model::{ConsultationState, InterpretationRef};
    let c = d.consultation.as_ref()?;
    let state = c.state(site.as_of);
    Some(ConsultationView {
        state: state.code(),
        label: state.label(),
        from: c.from.to_string(),
        to: c.to.to_string(),
        days_left: (state == ConsultationState::Open).then(|| c.days_left(site.as_of)),
        feedback: c
            .feedback
            .iter()
            .map(|f| {
                let url = if f.starts_with("https://") || f.starts_with("mailto:") {
                    f.clone()
                } else {
                    String::new()
                };
                Link {
                    title: f.strip_prefix("mailto:").unwrap_or(f).to_string(),
                    url,
                }
            })
            .collect(),
        report: c.report.as_ref().and_then(|r| match r {
            InterpretationRef::Doc(id) => site.lookup(id).map(|t| Link {
                title: crate::model::book_title(&site.document(t).title),
                url: urls.document(id.as_str()),
            }),
            InterpretationRef::External(u) => Some(Link {
                title: u.clone(),
                url: u.clone(),
            }),
        }),
    })
}

pub(crate) use crate::contract::chinese_date;

/// 2024年第3期 (`issue.label`).
pub(crate) fn issue_label(l: &Locale, no: IssueNo) -> String {
    l.fill("issue.label", &[("year", &no.year), ("n", &no.number)])
}

pub(crate) fn issue_title(site: &Site, l: &Locale, issue: &GazetteIssue) -> String {
    issue
        .title
        .clone()
        .unwrap_or_else(|| format!("{} {}", site.config.title, issue_label(l, issue.no)))
}

pub(crate) fn site_view<'a>(site: &'a Site, urls: &Urls, l: &Locale) -> SiteView<'a> {
    let nav = |key: &'static str, url: String| NavItem {
        key,
        title: l.get(&format!("nav.{key}")).to_string(),
        url,
    };
    let c = &site.config;
    SiteView {
        title: &c.title,
        description: c.description.as_deref(),
        base_url: c.base_url.as_str(),
        base_path: urls.root(),
        language: &c.language,
        as_of: site.as_of.to_string(),
        nav: vec![
            nav("home", urls.root()),
            nav("gazette", Route::Gazette.url(urls)),
            nav("documents", Route::Documents.url(urls)),
            nav("interpretations", urls.kind("interpretation")),
            nav("filings", Route::Filings.url(urls)),
            nav("search", Route::Search.url(urls)),
        ],
        identity: &c.site,
        psb_url: c
            .site
            .psb_code()
            .map(|code| format!("https://beian.mps.gov.cn/#/query/webSearch?code={code}")),
        footer_links: site
            .pages
            .iter()
            .filter(|p| !p.slug.contains('/'))
            .map(|p| Link {
                title: p.title.clone(),
                url: urls.page(&p.slug),
            })
            .chain(std::iter::once(Link {
                title: l.get("nav.sitemap").into(),
                url: Route::SiteMap.url(urls),
            }))
            .collect(),
    }
}

pub(crate) fn summary(site: &Site, urls: &Urls, l: &Locale, i: DocIx) -> DocSummary {
    let d = &site.document(i);
    DocSummary {
        id: d.id.to_string(),
        url: urls.document(d.id.as_str()),
        title: d.title.clone(),
        doc_number: d.doc_number.clone(),
        issuers: issuer_links(site, urls, d),
        published: d.published.to_string(),
        kind: d.kind.clone(),
        kind_label: kind_label(site, &d.kind),
        status: shown_status(site, i),
        summary: d.summary.clone(),
        record_number: d.record_number.clone(),
        filed_on: d.filed_on.map(|x| x.to_string()),
        consultation: consultation_view(site, urls, d),
        gazette: d.gazette.map(|no| Link {
            title: issue_label(l, no),
            url: urls.issue(no),
        }),
    }
}

pub(crate) fn issuer_links(site: &Site, urls: &Urls, d: &Document) -> Vec<Link> {
    d.issuers
        .iter()
        .map(|name| Link {
            title: name.clone(),
            url: site
                .config
                .issuer(name)
                .map(|x| urls.issuer(&x.slug))
                .unwrap_or_default(),
        })
        .collect()
}

pub(crate) fn kind_label(site: &Site, kind: &str) -> String {
    site.config
        .kind(kind)
        .map_or_else(|| kind.to_string(), |k| k.label.clone())
}

/// A link to a document with its 文号: 《title》（洛政〔2019〕12号）.
pub(crate) fn doc_link(site: &Site, urls: &Urls, i: DocIx) -> DocRef {
    let d = &site.document(i);
    DocRef {
        title: d.title.clone(),
        quoted: crate::model::book_title(&d.title),
        doc_number: d.doc_number.clone(),
        url: urls.document(d.id.as_str()),
        status: shown_status(site, i),
        date: None,
        pending: false,
        articles: None,
    }
}

#[derive(Serialize, Clone)]
pub(crate) struct DocRef {
    pub title: String,
    /// The title in 书名号, nested per GB/T 15834 (never `《《…》解读》`).
    pub quoted: String,
    pub doc_number: Option<String>,
    pub url: String,
    pub status: Option<StatusView>,
    /// For a partial repeal: the articles repealed.
    pub articles: Option<String>,
    /// The date a relation takes effect (repealed/amended on).
    pub date: Option<String>,
    /// The relation takes effect after the as-of date ("将自 … 起废止"), not yet in force.
    pub pending: bool,
}

/// Human-readable file size: 12.3 KB.
pub(crate) fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A short, readable file type for an attachment: PDF, CSV … (`file_type.*`).
pub(crate) fn file_type(l: &Locale, name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    let key = match ext.as_str() {
        "pdf" => "pdf",
        "doc" | "docx" | "wps" => "word",
        "xls" | "xlsx" | "et" => "excel",
        "csv" => "csv",
        "ofd" => "ofd",
        "jpg" | "jpeg" | "png" | "gif" | "webp" => "image",
        "zip" | "rar" | "7z" => "archive",
        "" => "file",
        e => return e.to_uppercase(),
    };
    l.get(&format!("file_type.{key}")).to_string()
}
