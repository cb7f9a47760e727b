//! The document store: what a search result shows, in small chunks fetched per result.
//!
//! Documents are numbered by ordinal (newest first, see `mod.rs`); chunk `n` holds ordinals
//! `n × chunk … n × chunk + chunk − 1`, so the browser knows which file has a result without a
//! lookup table. A chunk is a JSON array of records, each an array (positions, not keys, to stay
//! small; `search.js` reads them by position):
//!
//! ```text
//! [id, title, doc_number or "", [issuer…], published, status, kind, url, snippet]
//! ```
//!
//! Labels of statuses and kinds are in the manifest, not repeated per record. The snippet source
//! is the start of the body (or the summary when there is no body), whitespace collapsed, cut at
//! [`SNIPPET_CHARS`] characters: the browser shows the stretch of it around the first of the
//! query's words and marks them, or its beginning when none of them is in it.

use super::{Memo, SearchDoc};

/// The longest snippet source kept per document, in characters: enough for the words of a query
/// to be in it for most results, few enough that a page of ten results stays a few kilobytes
/// once compressed.
pub(super) const SNIPPET_CHARS: usize = 300;

/// The snippet source of a document (see the module comment).
pub(super) fn snippet(doc: &SearchDoc) -> String {
    let source = Some(doc.body.as_str())
        .filter(|s| !s.trim().is_empty())
        .or(doc.summary.as_deref())
        .unwrap_or("");
    // The source's words joined by one space, cut after `SNIPPET_CHARS` characters: word by
    // word, so that a long body is not collapsed whole (every build makes every record).
    let mut out = String::new();
    let mut count = 0usize;
    let mut more = false;
    'words: for (i, word) in source.split_whitespace().enumerate() {
        for c in (i > 0).then_some(' ').into_iter().chain(word.chars()) {
            if count == SNIPPET_CHARS {
                more = true;
                break 'words;
            }
            out.push(c);
            count += 1;
        }
    }
    if more {
        out.push('…');
    }
    out
}

/// One document's record (see the module comment).
fn record(doc: &SearchDoc, memo: &dyn Memo) -> serde_json::Value {
    serde_json::json!([
        doc.id,
        doc.title,
        doc.doc_number.as_deref().unwrap_or(""),
        doc.issuers,
        doc.published,
        doc.status,
        doc.kind,
        doc.url,
        memo.snippet(doc),
    ])
}

/// The chunk files of documents in ordinal order, `chunk` documents each.
pub(super) fn chunk_files(docs: &[&SearchDoc], chunk: usize, memo: &dyn Memo) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    docs.par_chunks(chunk.max(1))
        .map(|part| chunk_file(part, memo))
        .collect()
}

/// The chunk file of `part`, documents in ordinal order.
pub(super) fn chunk_file(part: &[&SearchDoc], memo: &dyn Memo) -> Vec<u8> {
    let records: Vec<serde_json::Value> = part.iter().map(|d| record(d, memo)).collect();
    serde_json::to_vec(&records).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(summary: Option<&str>, body: &str) -> SearchDoc {
        SearchDoc {
            id: "a".into(),
            title: "标题".into(),
            doc_number: None,
            issuers: vec!["洛阳市人民政府".into()],
            body: body.into(),
            summary: summary.map(String::from),
            source: None,
            published: "2024-01-02".into(),
            year: 2024,
            status: "in_force".into(),
            status_label: "现行有效".into(),
            kind: "notice".into(),
            kind_label: "公告公示".into(),
            url: "/documents/a/".into(),
        }
    }

    #[test]
    fn snippet_is_the_start_of_the_body_cut() {
        assert_eq!(snippet(&doc(Some("概述。"), "正文")), "正文");
        assert_eq!(snippet(&doc(Some("概述。"), " \n")), "概述。");
        assert_eq!(snippet(&doc(Some("  "), "正文\n\n 第二段")), "正文 第二段");
        let long = "字".repeat(SNIPPET_CHARS + 5);
        let cut = snippet(&doc(None, &long));
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.ends_with('…'));
        // Cut where a word ends, where the space after it would be, one character later: the
        // same as collapsing the whole text first and cutting that.
        let whole = |body: &str| {
            let collapsed = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut chars = collapsed.chars();
            let mut out: String = chars.by_ref().take(SNIPPET_CHARS).collect();
            if chars.next().is_some() {
                out.push('…');
            }
            out
        };
        let word = "字".repeat(SNIPPET_CHARS / 2);
        for body in [
            "字".repeat(SNIPPET_CHARS),
            format!("{word} {word}"),
            format!("{word}\n\n {word}"),
            format!("{word} {word} 又"),
            format!("{word} {}字 又", "字".repeat(SNIPPET_CHARS / 2 - 2)),
            format!("  {word}  {word}字  "),
            "一 二\t三".into(),
        ] {
            assert_eq!(snippet(&doc(None, &body)), whole(&body), "{body:?}");
        }
    }

    #[test]
    fn records_are_positional() {
        let d = doc(None, "正文");
        let files = chunk_files(&[&d, &d, &d], 2, &());
        assert_eq!(files.len(), 2);
        let first: serde_json::Value = serde_json::from_slice(&files[0]).unwrap();
        assert_eq!(first[1][2], "");
        assert_eq!(first[1][7], "/documents/a/");
        assert_eq!(first[1][8], "正文");
    }
}
