//! The document page: metadata block, body, attachments, relations and JSON-LD.

use serde::Serialize;
use serde_json::json;

use super::views::{self, Crumb, DocRef, DocSummary, Link, PageMeta, Urls};
use crate::model::Site;

#[derive(Serialize)]
pub struct Row {
    pub label: &'static str,
    pub value: String,
    pub links: Vec<Link>,
}

#[derive(Serialize)]
pub struct AttachmentView {
    pub name: String,
    pub url: String,
    pub file_type: String,
    pub size: String,
}

#[derive(Serialize)]
pub struct DocumentView {
    pub doc: DocSummary,
    pub rows: Vec<Row>,
    pub attachments: Vec<AttachmentView>,
    /// "已于 <date> 被《…》(文号) 废止" — the documents that repealed or amended this one.
    pub repealed_by: Vec<DocRef>,
    pub amended_by: Vec<DocRef>,
    /// What this document repealed or amended.
    pub repeals: Vec<DocRef>,
    pub amends: Vec<DocRef>,
    pub interpretations: Vec<DocRef>,
    pub external_interpretations: Vec<String>,
    pub interprets: Vec<DocRef>,
    pub jsonld: String,
}

pub fn page(site: &Site, urls: &Urls, i: usize, text: &str) -> (PageMeta, DocumentView) {
    let d = &site.documents[i];
    let doc = views::summary(site, urls, i);
    let date = |x: jiff::civil::Date| x.to_string();
    let mut rows = vec![Row {
        label: "标题",
        value: d.title.clone(),
        links: vec![],
    }];
    if let Some(n) = &d.index_no {
        rows.push(Row {
            label: "索引号",
            value: n.clone(),
            links: vec![],
        });
    }
    if let Some(n) = &d.doc_number {
        rows.push(Row {
            label: "发文字号",
            value: n.clone(),
            links: vec![],
        });
    }
    rows.push(Row {
        label: "发文机关",
        value: d.issuers.join("、"),
        links: doc.issuers.clone(),
    });
    rows.push(Row {
        label: "文种",
        value: doc.kind_label.clone(),
        links: vec![Link {
            title: doc.kind_label.clone(),
            url: urls.kind(&d.kind),
        }],
    });
    if let Some(x) = d.issued {
        rows.push(Row {
            label: "成文日期",
            value: date(x),
            links: vec![],
        });
    }
    rows.push(Row {
        label: "发布日期",
        value: date(d.published),
        links: vec![],
    });
    rows.push(Row {
        label: "施行日期",
        value: date(d.effective),
        links: vec![],
    });
    if let Some(x) = d.expires {
        rows.push(Row {
            label: "有效期至",
            value: date(x),
            links: vec![],
        });
    }
    let st = site.status[i];
    rows.push(Row {
        label: "有效性",
        value: st.label().into(),
        links: vec![Link {
            title: st.label().into(),
            url: urls.status(st),
        }],
    });
    if !d.subjects.is_empty() {
        let links = d
            .subjects
            .iter()
            .map(|s| Link {
                title: s.clone(),
                url: site
                    .config
                    .subject(s)
                    .map(|x| urls.subject(&x.slug))
                    .unwrap_or_default(),
            })
            .collect();
        rows.push(Row {
            label: "主题分类",
            value: d.subjects.join("、"),
            links,
        });
    }
    if let Some(s) = &d.source {
        rows.push(Row {
            label: "来源",
            value: s.clone(),
            links: vec![],
        });
    }
    if let Some(g) = &doc.gazette {
        rows.push(Row {
            label: "公报期号",
            value: g.title.clone(),
            links: vec![g.clone()],
        });
    }
    if let Some(r) = &d.record_number {
        rows.push(Row {
            label: "备案号",
            value: r.clone(),
            links: vec![],
        });
    }

    let with_date = |rel: &crate::model::Relation| {
        let mut r = views::doc_link(site, urls, rel.doc);
        r.date = Some(rel.date.to_string());
        r.pending = rel.date > site.as_of;
        r
    };
    let view = DocumentView {
        rows,
        attachments: d
            .attachments
            .iter()
            .map(|a| AttachmentView {
                url: format!(
                    "{}{}",
                    urls.document(d.id.as_str()),
                    crate::output::links::encode_name(&a.name)
                ),
                file_type: views::file_type(&a.name),
                size: views::human_size(a.bytes),
                name: a.name.clone(),
            })
            .collect(),
        repealed_by: site.repealed_by[i].iter().map(with_date).collect(),
        amended_by: site.amended_by[i].iter().map(with_date).collect(),
        repeals: site.repeals[i]
            .iter()
            .map(|&t| views::doc_link(site, urls, t))
            .collect(),
        amends: site.amends[i]
            .iter()
            .map(|&t| views::doc_link(site, urls, t))
            .collect(),
        interpretations: site.interpretations[i]
            .iter()
            .map(|&t| views::doc_link(site, urls, t))
            .collect(),
        external_interpretations: site.external_interpretations[i].clone(),
        interprets: site.interprets[i]
            .iter()
            .map(|&t| views::doc_link(site, urls, t))
            .collect(),
        jsonld: jsonld(site, urls, i),
        doc,
    };
    let kind_label = view.doc.kind_label.clone();
    let meta = PageMeta {
        title: d.title.clone(),
        url: urls.document(d.id.as_str()),
        canonical: absolute(site, &urls.document(d.id.as_str()), urls),
        description: d.summary.clone().unwrap_or_else(|| excerpt(text, 120)),
        section: if d.kind == "interpretation" {
            "interpretations"
        } else {
            "documents"
        },
        breadcrumbs: vec![
            Crumb {
                title: "首页".into(),
                url: Some(urls.root()),
            },
            Crumb {
                title: kind_label,
                url: Some(urls.kind(&d.kind)),
            },
            Crumb {
                title: d.title.clone(),
                url: None,
            },
        ],
        og_type: "article",
        ..PageMeta::default()
    };
    (meta, view)
}

/// An absolute URL for a root-relative one.
pub fn absolute(site: &Site, url: &str, urls: &Urls) -> String {
    let rest = url
        .strip_prefix(&urls.base)
        .unwrap_or(url.trim_start_matches('/'));
    format!("{}{}", site.config.base_url, rest)
}

/// The first `n` characters of `text`, with an ellipsis when cut.
pub fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// schema.org `Legislation`, embedded as JSON-LD (a data block: allowed under a strict CSP).
fn jsonld(site: &Site, urls: &Urls, i: usize) -> String {
    let d = &site.documents[i];
    let url = |j: usize| absolute(site, &urls.document(site.documents[j].id.as_str()), urls);
    let mut changes: Vec<String> = site.amends[i]
        .iter()
        .chain(&site.repeals[i])
        .map(|&j| url(j))
        .collect();
    changes.sort();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": url(i),
        "name": d.title,
        "url": url(i),
        "legislationType": views::kind_label(site, &d.kind),
        "legislationDate": d.issued.unwrap_or(d.published).to_string(),
        "datePublished": d.published.to_string(),
        "legislationDateVersion": d.effective.to_string(),
        "legislationPassedBy": d.issuers.iter().map(|n| json!({"@type": "GovernmentOrganization", "name": n})).collect::<Vec<_>>(),
        "legislationLegalForce": site.status[i].legal_force(),
        "inLanguage": site.config.language,
    });
    if let Some(n) = &d.doc_number {
        v["legislationIdentifier"] = json!(n);
    }
    if let Some(x) = d.expires {
        v["expires"] = json!(x.to_string());
    }
    if !changes.is_empty() {
        v["legislationChanges"] = json!(changes);
    }
    // `</script>` inside a string must not end the element.
    serde_json::to_string(&v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}
