//! The document page: metadata block, body, 落款, attachments (附件1、附件2…), relations and
//! JSON-LD.

use serde::Serialize;
use serde_json::json;

use super::locale::Locale;
use super::views::{self, Crumb, DocRef, DocSummary, Link, PageMeta, Urls};
use crate::model::{DocIx, Site};

/// A row of the 信息公开 table: `key` names the field (`title`, `status` …) for templates
/// that treat one specially, `label` is its name in the site's language.
#[derive(Serialize)]
pub(crate) struct Row {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    pub links: Vec<Link>,
}

#[derive(Serialize)]
pub(crate) struct AttachmentView {
    /// 附件1, 附件2 … in the order of the front matter.
    pub label: String,
    /// The title given in the front matter, or the file's name without its extension.
    pub title: String,
    pub name: String,
    pub url: String,
    pub file_type: String,
    pub size: String,
}

/// The 落款 of a document in official-document form: issuing bodies and 成文日期.
#[derive(Serialize)]
pub(crate) struct Signature {
    pub issuers: Vec<String>,
    /// 2024年3月18日.
    pub date: String,
    /// The same date as YYYY-MM-DD, for `<time datetime>`.
    pub iso: String,
}

#[derive(Serialize)]
pub(crate) struct DocumentView {
    pub doc: DocSummary,
    pub rows: Vec<Row>,
    pub attachments: Vec<AttachmentView>,
    /// "已于 <date> 被《…》(文号) 废止" — the documents that repealed or amended this one.
    pub repealed_by: Vec<DocRef>,
    pub amended_by: Vec<DocRef>,
    /// 部分废止 (with `articles`), 宣布失效, and a 清理's findings that change nothing.
    pub partially_repealed_by: Vec<DocRef>,
    pub declared_expired_by: Vec<DocRef>,
    pub continued_by: Vec<DocRef>,
    pub to_amend_by: Vec<DocRef>,
    /// What this document repealed, amended or declared expired (with dates, for a 清理 its
    /// other two lists too).
    pub repeals: Vec<DocRef>,
    pub partial_repeals: Vec<DocRef>,
    pub amends: Vec<DocRef>,
    pub declares_expired: Vec<DocRef>,
    pub continues: Vec<DocRef>,
    pub to_amend: Vec<DocRef>,
    /// 制定依据: documents of this site, external pages or titles.
    pub basis: Vec<Link>,
    /// The 征求意见稿 this document was drafted from / the final documents of a consultation.
    pub consulted: Option<DocRef>,
    pub consulted_by: Vec<DocRef>,
    /// 题注 and 历次版本 of an amended document re-published in full (versions.md §1).
    pub texts: super::versions::Texts,
    pub interpretations: Vec<DocRef>,
    pub external_interpretations: Vec<String>,
    pub interprets: Vec<DocRef>,
    /// Shown after the body unless the body already ends with it (see [`signature`]).
    pub signature: Option<Signature>,
    pub jsonld: String,
}

pub(crate) fn page(
    site: &Site,
    urls: &Urls,
    l: &Locale,
    i: DocIx,
    text: &str,
) -> (PageMeta, DocumentView) {
    let d = &site.document(i);
    let doc = views::summary(site, urls, l, i);
    let date = |x: jiff::civil::Date| x.to_string();
    let row = |key: &'static str, value: String, links: Vec<Link>| Row {
        key,
        label: l.get(&format!("field.{key}")).to_string(),
        value,
        links,
    };
    let mut rows = vec![row("title", d.title.clone(), vec![])];
    if let Some(n) = &d.index_no {
        rows.push(row("index_no", n.clone(), vec![]));
    }
    if let Some(n) = &d.doc_number {
        rows.push(row("doc_number", n.clone(), vec![]));
    }
    rows.push(row(
        "issuers",
        d.issuers.join(l.get("sep.list")),
        doc.issuers.clone(),
    ));
    rows.push(row(
        "kind",
        doc.kind_label.clone(),
        vec![Link {
            title: doc.kind_label.clone(),
            url: urls.kind(&d.kind),
        }],
    ));
    if let Some(x) = d.issued {
        rows.push(row("issued", date(x), vec![]));
    }
    rows.push(row("published", date(d.published), vec![]));
    let own = site.doc(i).status.is_some();
    if own {
        rows.push(row("effective", date(d.effective), vec![]));
        if let Some(x) = d.expires {
            rows.push(row("expires", date(x), vec![]));
        }
    }
    if let Some((st, follows)) = site.shown_status(i) {
        let label = if follows {
            format!("{}{}", l.get("status.follows"), l.status(st))
        } else {
            l.status(st)
        };
        rows.push(row(
            "status",
            label,
            vec![Link {
                title: l.status(st),
                url: urls.status(st),
            }],
        ));
    }
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
        rows.push(row("subjects", d.subjects.join(l.get("sep.list")), links));
    }
    if let Some(s) = &d.source {
        rows.push(row("source", s.clone(), vec![]));
    }
    if let Some(g) = &doc.gazette {
        rows.push(row("gazette", g.title.clone(), vec![g.clone()]));
    }
    procedure_rows(d, l, &mut rows);

    let with_date = |rel: &crate::model::Relation| {
        let mut r = views::doc_link(site, urls, rel.doc);
        r.date = Some(rel.date.to_string());
        r.pending = rel.date > site.as_of;
        r.articles = rel.articles.as_deref().map(str::to_string);
        r
    };
    // The acting side: the act takes effect on this document's `effective`.
    let acted = |t: DocIx| {
        let mut r = views::doc_link(site, urls, t);
        r.date = Some(d.effective.to_string());
        r.pending = d.effective > site.as_of;
        r
    };
    let acted_all = |list: &[DocIx]| list.iter().map(|&t| acted(t)).collect::<Vec<_>>();
    let cleanup = site.cleanups.iter().find(|(c, _)| *c == i).map(|(_, l)| l);
    let view = DocumentView {
        rows,
        attachments: d
            .attachments
            .iter()
            .enumerate()
            .map(|(n, a)| AttachmentView {
                label: l.fill("attachment.label", &[("n", &(n + 1))]),
                title: a.title.clone().unwrap_or_else(|| {
                    a.name
                        .rsplit_once('.')
                        .map_or(a.name.as_str(), |(stem, _)| stem)
                        .to_string()
                }),
                url: format!(
                    "{}{}",
                    urls.document(d.id.as_str()),
                    crate::output::links::encode_name(&a.name)
                ),
                file_type: views::file_type(l, &a.name),
                size: views::human_size(a.bytes),
                name: a.name.clone(),
            })
            .collect(),
        repealed_by: site.doc(i).repealed_by.iter().map(with_date).collect(),
        amended_by: site.doc(i).amended_by.iter().map(with_date).collect(),
        partially_repealed_by: site
            .doc(i)
            .partially_repealed_by
            .iter()
            .map(with_date)
            .collect(),
        declared_expired_by: site
            .doc(i)
            .declared_expired_by
            .iter()
            .map(with_date)
            .collect(),
        continued_by: site.doc(i).continued_by.iter().map(with_date).collect(),
        to_amend_by: site.doc(i).to_amend_by.iter().map(with_date).collect(),
        repeals: acted_all(&site.doc(i).repeals),
        partial_repeals: site
            .doc(i)
            .partial_repeals
            .iter()
            .map(|(t, a)| DocRef {
                articles: Some(a.to_string()),
                ..acted(*t)
            })
            .collect(),
        amends: acted_all(&site.doc(i).amends),
        declares_expired: acted_all(&site.doc(i).declares_expired),
        continues: cleanup.map(|l| acted_all(&l.continues)).unwrap_or_default(),
        to_amend: cleanup.map(|l| acted_all(&l.to_amend)).unwrap_or_default(),
        basis: basis_links(site, urls, d),
        consulted: site
            .doc(i)
            .consulted
            .map(|t| views::doc_link(site, urls, t)),
        texts: super::versions::texts(site, urls, i),
        consulted_by: site
            .doc(i)
            .consulted_by
            .iter()
            .map(|&t| views::doc_link(site, urls, t))
            .collect(),
        interpretations: site
            .doc(i)
            .interpretations
            .iter()
            .map(|&t| views::doc_link(site, urls, t))
            .collect(),
        external_interpretations: site.doc(i).external_interpretations.clone(),
        interprets: site
            .doc(i)
            .interprets
            .iter()
            .map(|&t| views::doc_link(site, urls, t))
            .collect(),
        signature: signature(d, text),
        jsonld: jsonld(site, urls, i),
        doc,
    };
    let kind_label = view.doc.kind_label.clone();
    let meta = PageMeta {
        title: d.title.clone(),
        url: urls.document(d.id.as_str()),
        canonical: urls.absolute(&urls.document(d.id.as_str())),
        description: d.summary.clone().unwrap_or_else(|| excerpt(text, 120)),
        section: if site.config.validity(&d.kind) == crate::config::Validity::Follows {
            "interpretations"
        } else {
            "documents"
        },
        breadcrumbs: vec![
            Crumb {
                title: l.get("nav.home").into(),
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

/// 三统一, 合法性审核, 审议 and 备案 (legal-model.md §4), in the 信息公开 table.
fn procedure_rows(d: &crate::model::Document, l: &Locale, rows: &mut Vec<Row>) {
    let text = |key: &'static str, value: &str| Row {
        key,
        label: l.get(&format!("field.{key}")).to_string(),
        value: value.to_string(),
        links: vec![],
    };
    if let Some(x) = &d.registration_number {
        rows.push(text("registration_number", x));
    }
    if let Some(x) = d.legality_review {
        rows.push(text("legality_review", &x.to_string()));
    }
    if let Some(x) = &d.deliberation {
        rows.push(text("deliberation", x));
    }
    if let Some(x) = &d.record_number {
        rows.push(text("record_number", x));
    }
    if let Some(x) = d.filed_on {
        rows.push(text("filed_on", &x.to_string()));
    }
}

/// 制定依据 as links: a document of this site by its title in 书名号, an external page by its
/// address, a title as written.
fn basis_links(site: &Site, urls: &Urls, d: &crate::model::Document) -> Vec<Link> {
    use crate::model::BasisRef;
    d.basis
        .iter()
        .filter_map(|b| match b {
            BasisRef::Doc(id) => site.lookup(id).map(|t| Link {
                title: crate::model::book_title(&site.document(t).title),
                url: urls.document(id.as_str()),
            }),
            BasisRef::External(u) => Some(Link {
                title: u.clone(),
                url: u.clone(),
            }),
            BasisRef::Title(t) => Some(Link {
                title: crate::model::book_title(t),
                url: String::new(),
            }),
        })
        .collect()
}

/// The 落款 a printed document ends with: its issuers and 成文日期, for a document that has an
/// `issued` date and whose body does not already end with that date (written 2024年3月18日 or
/// 二〇二四年三月十八日 within its last 200 characters).
pub(crate) fn signature(d: &crate::model::Document, text: &str) -> Option<Signature> {
    let issued = d.issued?;
    let tail: String = {
        let chars: Vec<char> = text.trim_end().chars().collect();
        chars[chars.len().saturating_sub(200)..].iter().collect()
    };
    let tail: String = tail.split_whitespace().collect();
    let written = [views::chinese_date(issued), numeral_date(issued)];
    if written.iter().any(|w| tail.contains(w.as_str())) {
        return None;
    }
    Some(Signature {
        issuers: d.issuers.clone(),
        date: views::chinese_date(issued),
        iso: issued.to_string(),
    })
}

/// 二〇二四年三月十八日: a date in Chinese numerals, as older documents sign.
fn numeral_date(d: jiff::civil::Date) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let small = |n: i8| match n {
        1..=9 => DIGITS[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[(n - 10) as usize]),
        _ => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n % 10 == 0 {
                String::new()
            } else {
                DIGITS[(n % 10) as usize].to_string()
            }
        ),
    };
    let year: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |v| DIGITS[v as usize]))
        .collect();
    format!("{year}年{}月{}日", small(d.month()), small(d.day()))
}

/// The first `n` characters of `text`, with an ellipsis when cut.
pub(crate) fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// schema.org `Legislation`, embedded as JSON-LD (a data block: allowed under a strict CSP).
fn jsonld(site: &Site, urls: &Urls, i: DocIx) -> String {
    let d = &site.document(i);
    let url = |j: DocIx| urls.absolute(&urls.document(site.document(j).id.as_str()));
    let mut changes: Vec<String> = site
        .doc(i)
        .amends
        .iter()
        .chain(&site.doc(i).repeals)
        .chain(&site.doc(i).declares_expired)
        .chain(site.doc(i).partial_repeals.iter().map(|(t, _)| t))
        .map(|&j| url(j))
        .collect();
    changes.dedup();
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
        "legislationPassedBy": d.issuers.iter().map(|n| json!({"@type": "GovernmentOrganization", "name": n})).collect::<Vec<_>>(),
        "inLanguage": site.config.language,
    });
    // Only a document with a validity of its own has a legal force to state (legal-model.md §1).
    if let Some(status) = site.doc(i).status {
        v["legislationDateVersion"] = json!(d.effective.to_string());
        v["legislationLegalForce"] = json!(status.legal_force());
    }
    if let Some(n) = &d.doc_number {
        v["legislationIdentifier"] = json!(n);
    }
    if let (Some(x), Some(_)) = (d.expires, site.doc(i).status) {
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

#[cfg(test)]
mod tests {
    use super::numeral_date;

    #[test]
    fn dates_in_chinese_numerals() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(numeral_date(d("2024-03-18")), "二〇二四年三月十八日");
        assert_eq!(numeral_date(d("2019-12-10")), "二〇一九年十二月十日");
        assert_eq!(numeral_date(d("2021-10-31")), "二〇二一年十月三十一日");
        assert_eq!(numeral_date(d("2020-01-20")), "二〇二〇年一月二十日");
    }
}
