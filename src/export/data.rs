//! `/data/documents.json` and `/data/documents.csv`: the catalogue as open data.

use serde::Serialize;

use crate::model::{InterpretationRef, Site};
use crate::render::document::absolute;
use crate::render::views::Urls;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    doc_number: Option<&'a str>,
    issuer: &'a [String],
    issued: Option<String>,
    published: String,
    effective: String,
    expires: Option<String>,
    status: &'static str,
    url: String,
    gazette: Option<String>,
    subjects: &'a [String],
    record_number: Option<&'a str>,
    source: Option<&'a str>,
    interpretations: Vec<String>,
    repealed_by: Vec<&'a str>,
    amended_by: Vec<&'a str>,
}

fn rows<'a>(site: &'a Site, urls: &Urls) -> Vec<Row<'a>> {
    site.newest_first
        .iter()
        .map(|&i| {
            let d = &site.documents[i];
            let url_of =
                |j: usize| absolute(site, &urls.document(site.documents[j].id.as_str()), urls);
            let mut interpretations: Vec<String> =
                site.interpretations[i].iter().map(|&j| url_of(j)).collect();
            interpretations.extend(d.interpretation.iter().filter_map(|r| match r {
                InterpretationRef::External(u) => Some(u.clone()),
                InterpretationRef::Doc(_) => None,
            }));
            Row {
                id: d.id.as_str(),
                title: &d.title,
                kind: &d.kind,
                doc_number: d.doc_number.as_deref(),
                issuer: &d.issuers,
                issued: d.issued.map(|x| x.to_string()),
                published: d.published.to_string(),
                effective: d.effective.to_string(),
                expires: d.expires.map(|x| x.to_string()),
                status: site.status[i].code(),
                url: url_of(i),
                gazette: d.gazette.map(|g| g.to_string()),
                subjects: &d.subjects,
                record_number: d.record_number.as_deref(),
                source: d.source.as_deref(),
                interpretations,
                repealed_by: site.repealed_by[i]
                    .iter()
                    .map(|r| site.documents[r.doc].id.as_str())
                    .collect(),
                amended_by: site.amended_by[i]
                    .iter()
                    .map(|r| site.documents[r.doc].id.as_str())
                    .collect(),
            }
        })
        .collect()
}

pub fn json(site: &Site, urls: &Urls) -> Vec<u8> {
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

/// CSV for spreadsheet users: UTF-8 with a BOM (so Excel reads Chinese correctly), lists joined
/// with `; `, and cells that a spreadsheet would run as a formula (= + - @, tab, CR) prefixed
/// with `'`.
pub fn csv(site: &Site, urls: &Urls) -> Vec<u8> {
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
            "issuer",
            "issued",
            "published",
            "effective",
            "expires",
            "status",
            "url",
            "gazette",
            "subjects",
            "record_number",
            "source",
            "interpretations",
            "repealed_by",
            "amended_by",
        ];
        let _ = w.write_record(header);
        for r in rows(site, urls) {
            let opt = |o: Option<&str>| o.unwrap_or("").to_string();
            let record = [
                r.id.to_string(),
                r.title.to_string(),
                r.kind.to_string(),
                opt(r.doc_number),
                r.issuer.join("; "),
                r.issued.unwrap_or_default(),
                r.published,
                r.effective,
                r.expires.unwrap_or_default(),
                r.status.to_string(),
                r.url,
                r.gazette.unwrap_or_default(),
                r.subjects.join("; "),
                opt(r.record_number),
                opt(r.source),
                r.interpretations.join("; "),
                r.repealed_by.join("; "),
                r.amended_by.join("; "),
            ];
            let _ = w.write_record(record.iter().map(|c| neutralise(c)));
        }
        let _ = w.flush();
    }
    out
}

/// Stops spreadsheet formula injection: a cell starting with = + - @ (or a tab/CR that some
/// spreadsheets skip before one) is written with a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
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
