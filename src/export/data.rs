//! `/data/documents.json` and `/data/documents.csv`: the catalogue as open data.

use serde::Serialize;

use crate::model::route::Urls;
use crate::model::{BasisRef, DocIx, InterpretationRef, Relation, Site, Status};

/// One document of the catalogue. `status` is null for kinds without a validity of their own
/// (legal-model.md §1); an interpretation carries the status of what it interprets in
/// `interprets_status` instead.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    doc_number: Option<&'a str>,
    index_no: Option<&'a str>,
    registration_number: Option<&'a str>,
    issuer: &'a [String],
    issued: Option<String>,
    published: String,
    effective: Option<String>,
    expires: Option<String>,
    status: Option<&'static str>,
    interprets_status: Option<&'static str>,
    url: String,
    summary: Option<&'a str>,
    gazette: Option<String>,
    subjects: &'a [String],
    legality_review: Option<String>,
    deliberation: Option<&'a str>,
    record_number: Option<&'a str>,
    filed_on: Option<String>,
    source: Option<&'a str>,
    basis: Vec<String>,
    interpretations: Vec<String>,
    interprets: Vec<&'a str>,
    cleanup: bool,
    repealed_by: Vec<&'a str>,
    partially_repealed_by: Vec<PartialRepeal<'a>>,
    amended_by: Vec<&'a str>,
    declared_expired_by: Vec<&'a str>,
    continued_by: Vec<&'a str>,
    to_amend_by: Vec<&'a str>,
    /// The 征求意见稿 this document was drafted from; for a 征求意见稿, the final documents.
    consulted: Option<&'a str>,
    consulted_by: Vec<&'a str>,
    /// Every text of an amended document re-published in full (versions.md §1), oldest first;
    /// empty for a document without versions.
    versions: Vec<VersionRow<'a>>,
    /// Only on 征求意见稿 (versions.md §2).
    #[serde(skip_serializing_if = "Option::is_none")]
    consultation: Option<ConsultationRow<'a>>,
}

#[derive(Serialize)]
struct VersionRow<'a> {
    date: String,
    url: String,
    amended_by: Vec<&'a str>,
    current: bool,
}

#[derive(Serialize)]
struct ConsultationRow<'a> {
    comment_from: String,
    comment_to: String,
    /// `upcoming`, `open` or `closed` on `as_of`.
    state: &'static str,
    feedback: &'a [String],
    feedback_report: Option<String>,
}

#[derive(Serialize)]
struct PartialRepeal<'a> {
    id: &'a str,
    articles: &'a str,
}

fn rows<'a>(site: &'a Site, urls: &Urls) -> Vec<Row<'a>> {
    site.newest_first
        .iter()
        .map(|&i| {
            let d = &site.document(i);
            let url_of = |j: DocIx| urls.absolute(&urls.document(site.document(j).id.as_str()));
            let mut interpretations: Vec<String> = site
                .doc(i)
                .interpretations
                .iter()
                .map(|&j| url_of(j))
                .collect();
            interpretations.extend(d.interpretation.iter().filter_map(|r| match r {
                InterpretationRef::External(u) => Some(u.clone()),
                InterpretationRef::Doc(_) => None,
            }));
            let ids = |list: &'a [Relation]| -> Vec<&'a str> {
                list.iter()
                    .map(|r| site.document(r.doc).id.as_str())
                    .collect()
            };
            let own = site.doc(i).status.is_some();
            Row {
                id: d.id.as_str(),
                title: &d.title,
                kind: &d.kind,
                doc_number: d.doc_number.as_deref(),
                index_no: d.index_no.as_deref(),
                registration_number: d.registration_number.as_deref(),
                issuer: &d.issuers,
                issued: d.issued.map(|x| x.to_string()),
                published: d.published.to_string(),
                effective: own.then(|| d.effective.to_string()),
                expires: d.expires.filter(|_| own).map(|x| x.to_string()),
                status: site.doc(i).status.map(Status::code),
                interprets_status: site.doc(i).followed_status.map(Status::code),
                url: url_of(i),
                summary: d.summary.as_deref(),
                gazette: d.gazette.map(|g| g.to_string()),
                subjects: &d.subjects,
                legality_review: d.legality_review.map(|x| x.to_string()),
                deliberation: d.deliberation.as_deref(),
                record_number: d.record_number.as_deref(),
                filed_on: d.filed_on.map(|x| x.to_string()),
                source: d.source.as_deref(),
                basis: d
                    .basis
                    .iter()
                    .map(|b| match b {
                        BasisRef::Doc(id) => match site.lookup(id) {
                            Some(j) => url_of(j),
                            None => id.to_string(),
                        },
                        BasisRef::External(u) | BasisRef::Title(u) => u.clone(),
                    })
                    .collect(),
                interpretations,
                interprets: site
                    .doc(i)
                    .interprets
                    .iter()
                    .map(|&j| site.document(j).id.as_str())
                    .collect(),
                cleanup: d.cleanup,
                repealed_by: ids(&site.doc(i).repealed_by),
                partially_repealed_by: site
                    .doc(i)
                    .partially_repealed_by
                    .iter()
                    .map(|r| PartialRepeal {
                        id: site.document(r.doc).id.as_str(),
                        articles: r.articles.as_deref().unwrap_or_default(),
                    })
                    .collect(),
                amended_by: ids(&site.doc(i).amended_by),
                declared_expired_by: ids(&site.doc(i).declared_expired_by),
                continued_by: ids(&site.doc(i).continued_by),
                to_amend_by: ids(&site.doc(i).to_amend_by),
                consulted: site.doc(i).consulted.map(|j| site.document(j).id.as_str()),
                consulted_by: site
                    .doc(i)
                    .consulted_by
                    .iter()
                    .map(|&j| site.document(j).id.as_str())
                    .collect(),
                versions: site
                    .doc(i)
                    .texts
                    .iter()
                    .enumerate()
                    .map(|(k, t)| VersionRow {
                        date: t.date.to_string(),
                        url: urls.absolute(
                            &crate::model::route::Route::Version(d.id.as_str(), t.date).url(urls),
                        ),
                        amended_by: t
                            .version
                            .iter()
                            .flat_map(|v| v.amended_by.iter().map(|id| id.as_str()))
                            .collect(),
                        current: k == site.doc(i).current_text,
                    })
                    .collect(),
                consultation: d.consultation.as_ref().map(|c| ConsultationRow {
                    comment_from: c.from.to_string(),
                    comment_to: c.to.to_string(),
                    state: c.state(site.as_of).code(),
                    feedback: &c.feedback,
                    feedback_report: c.report.as_ref().map(|r| match r {
                        InterpretationRef::Doc(id) => match site.lookup(id) {
                            Some(j) => url_of(j),
                            None => id.to_string(),
                        },
                        InterpretationRef::External(u) => u.clone(),
                    }),
                }),
            }
        })
        .collect()
}

pub(crate) fn json(site: &Site, urls: &Urls) -> Vec<u8> {
    #[derive(Serialize)]
    struct Export<'a> {
        as_of: String,
        documents: Vec<Row<'a>>,
    }
    let export = Export {
        as_of: site.as_of.to_string(),
        documents: rows(site, urls),
    };
    let mut out = serde_json::to_vec_pretty(&export).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `/data/statistics.json`: the annual statistics (legal-model.md §7).
pub(crate) fn statistics(site: &Site) -> Vec<u8> {
    let stats = crate::model::statistics::Statistics::of(site);
    let mut out = serde_json::to_vec_pretty(&stats).unwrap_or_default();
    out.push(b'\n');
    out
}

/// CSV for spreadsheet users: UTF-8 with a BOM (so Excel reads Chinese correctly), lists joined
/// with `; `, and cells that a spreadsheet would run as a formula (= + - @, tab, CR) prefixed
/// with `'`.
pub(crate) fn csv(site: &Site, urls: &Urls) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let header = [
            "id",
            "title",
            "kind",
            "doc_number",
            "index_no",
            "registration_number",
            "issuer",
            "issued",
            "published",
            "effective",
            "expires",
            "status",
            "interprets_status",
            "url",
            "summary",
            "gazette",
            "subjects",
            "legality_review",
            "deliberation",
            "record_number",
            "filed_on",
            "source",
            "basis",
            "interpretations",
            "interprets",
            "cleanup",
            "repealed_by",
            "partially_repealed_by",
            "amended_by",
            "declared_expired_by",
            "continued_by",
            "to_amend_by",
        ];
        let _ = w.write_record(header);
        for r in rows(site, urls) {
            let opt = |o: Option<&str>| o.unwrap_or("").to_string();
            let record = [
                r.id.to_string(),
                r.title.to_string(),
                r.kind.to_string(),
                opt(r.doc_number),
                opt(r.index_no),
                opt(r.registration_number),
                r.issuer.join("; "),
                r.issued.unwrap_or_default(),
                r.published,
                r.effective.unwrap_or_default(),
                r.expires.unwrap_or_default(),
                opt(r.status),
                opt(r.interprets_status),
                r.url,
                opt(r.summary),
                r.gazette.unwrap_or_default(),
                r.subjects.join("; "),
                r.legality_review.unwrap_or_default(),
                opt(r.deliberation),
                opt(r.record_number),
                r.filed_on.unwrap_or_default(),
                opt(r.source),
                r.basis.join("; "),
                r.interpretations.join("; "),
                r.interprets.join("; "),
                if r.cleanup { "true" } else { "" }.to_string(),
                r.repealed_by.join("; "),
                r.partially_repealed_by
                    .iter()
                    .map(|p| format!("{} {}", p.id, p.articles))
                    .collect::<Vec<_>>()
                    .join("; "),
                r.amended_by.join("; "),
                r.declared_expired_by.join("; "),
                r.continued_by.join("; "),
                r.to_amend_by.join("; "),
            ];
            let _ = w.write_record(record.iter().map(|c| neutralise(c)));
        }
        let _ = w.flush();
    }
    out
}

/// Stops spreadsheet formula injection: a cell starting with = + - @ (or a tab/CR that some
/// spreadsheets skip before one) is written with a leading apostrophe.
pub(crate) fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(super::neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::neutralise("洛政〔2019〕12号"), "洛政〔2019〕12号");
    }
}
