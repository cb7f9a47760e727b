//! Consolidated versions (versions.md §1): a document's later full texts, which text applies on
//! a date, and the 题注 that says how the text came to be (国办公开办函〔2021〕33号).

use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Attachment, DocId, Document, book_title};
use crate::contract::chinese_date;

/// A consolidated text of a document, re-published in full after amendments. It is not a
/// document: it inherits title, kind, 文号 and issuer from the document it is a version of.
/// Serialised only into the build cache, without its body (`validate::memo`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Version {
    pub of: DocId,
    /// The day this text applies from.
    pub date: Date,
    /// The amending documents the text incorporates, oldest first.
    pub amended_by: Vec<DocId>,
    pub published: Date,
    pub summary: Option<String>,
    pub attachments: Vec<Attachment>,
    /// The file's Markdown body: not cached, it is taken from the file again.
    #[serde(skip)]
    pub body: Arc<str>,
    pub file: PathBuf,
    pub body_line: u32,
    /// Where keys and list items stood in the file (for site-wide rules' diagnostics).
    pub positions: Arc<[(String, crate::diag::Pos)]>,
}

impl Version {
    pub fn pos(&self, pointer: &str) -> crate::diag::Pos {
        super::position_of(&self.positions, pointer)
    }
}

/// One text of a document as the site shows it: the original (`version: None`) or a version.
#[derive(Debug, Clone)]
pub struct Text {
    /// The day the text applies from: the original's `effective`, a version's `version_date`.
    pub date: Date,
    pub version: Option<Arc<Version>>,
}

/// The 题注 of a text: `（2019年11月22日洛阳市人民政府令第176号公布　根据2023年7月1日《洛阳市
/// 人民政府关于修改〈洛阳市城市供水节水管理办法〉的决定》修改）`. `amending` are the amending
/// documents the text incorporates, in order; none for the original.
pub(crate) fn caption(original: &Document, amending: &[&Document]) -> String {
    let mut parts = Vec::with_capacity(amending.len() + 1);
    let mut first = chinese_date(original.published);
    if let Some(number) = &original.doc_number {
        // The 文号 names its issuer when it begins with the issuer's name (…人民政府令第176号);
        // otherwise the issuer is written before it (洛阳市人民政府 洛政〔2019〕12号).
        let issuer = original.issuers.first().map(String::as_str).unwrap_or("");
        if !issuer.is_empty() && !number.starts_with(issuer) {
            first.push_str(issuer);
        }
        first.push_str(number);
    } else if let Some(issuer) = original.issuers.first() {
        first.push_str(issuer);
    }
    first.push_str("公布");
    parts.push(first);
    for a in amending {
        parts.push(format!(
            "根据{}{}修改",
            chinese_date(a.effective),
            book_title(&a.title)
        ));
    }
    format!("（{}）", parts.join("\u{3000}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn doc(
        title: &str,
        number: Option<&str>,
        issuer: &str,
        published: Date,
        effective: Date,
    ) -> Document {
        Document {
            id: DocId::new("x"),
            title: title.into(),
            kind: "regulation".into(),
            doc_number: number.map(str::to_string),
            issuers: vec![issuer.into()],
            issued: None,
            published,
            effective,
            expires: None,
            repeals: vec![],
            amends: vec![],
            declares_expired: vec![],
            cleanup: false,
            continues: vec![],
            to_amend: vec![],
            basis: vec![],
            consulted: None,
            consultation: None,
            interpretation: vec![],
            interprets: None,
            gazette: None,
            gazette_page: None,
            subjects: vec![],
            record_number: None,
            source: None,
            index_no: None,
            summary: None,
            registration_number: None,
            legality_review: None,
            deliberation: None,
            filed_on: None,
            draft: false,
            disclosure: super::super::Disclosure::Public,
            attachments: vec![],
            file: PathBuf::new(),
            body_line: 1,
            positions: Arc::from(Vec::new()),
        }
    }

    #[test]
    fn the_caption_of_an_amended_rule() {
        let original = doc(
            "洛阳市城市供水节水管理办法",
            Some("洛阳市人民政府令第176号"),
            "洛阳市人民政府",
            date(2019, 11, 22),
            date(2020, 1, 1),
        );
        let amending = doc(
            "洛阳市人民政府关于修改《洛阳市城市供水节水管理办法》的决定",
            Some("洛阳市人民政府令第190号"),
            "洛阳市人民政府",
            date(2023, 6, 2),
            date(2023, 6, 2),
        );
        assert_eq!(
            caption(&original, &[&amending]),
            "（2019年11月22日洛阳市人民政府令第176号公布\u{3000}根据2023年6月2日《洛阳市人民政府关于修改〈洛阳市城市供水节水管理办法〉的决定》修改）"
        );
        assert_eq!(
            caption(&original, &[]),
            "（2019年11月22日洛阳市人民政府令第176号公布）"
        );
    }

    #[test]
    fn a_number_without_its_issuer_is_preceded_by_it() {
        let original = doc(
            "洛阳市某办法",
            Some("洛政〔2019〕12号"),
            "洛阳市人民政府",
            date(2019, 6, 14),
            date(2019, 7, 1),
        );
        assert_eq!(
            caption(&original, &[]),
            "（2019年6月14日洛阳市人民政府洛政〔2019〕12号公布）"
        );
    }
}
