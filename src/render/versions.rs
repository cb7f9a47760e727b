//! The texts of an amended document (versions.md §1): the 题注 of each text, the 历次版本 list,
//! and the page of each text at `/documents/<id>/versions/<date>/` with a comparison against
//! the text before it, paragraph by paragraph.

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::views::{self, DocRef, Urls};
use crate::contract::chinese_date;
use crate::diag::Diagnostic;
use crate::model::route::Route;
use crate::model::{Bodies, DocIx, Document, Site, caption};

/// One entry of the 历次版本 list.
#[derive(Serialize, Clone)]
pub(crate) struct TextLink {
    pub date: String,
    /// 2023年7月1日.
    pub date_cn: String,
    pub url: String,
    /// The text that applies on the as-of date.
    pub current: bool,
    /// 原文 for the original; the amending documents a version incorporates.
    pub original: bool,
    pub amended_by: Vec<DocRef>,
}

/// What a document's page and each text's page say about its texts.
#[derive(Serialize, Default)]
pub(crate) struct Texts {
    /// The 题注 of the text shown, or `None` for a document without versions.
    pub caption: Option<String>,
    pub list: Vec<TextLink>,
}

/// The Markdown body that applies on the as-of date: the current version's, else the original
/// (an error when it had to be read from a file that changed during the build).
pub(crate) fn current_body<'a>(
    site: &'a Site,
    bodies: &'a Bodies,
    i: DocIx,
) -> Result<&'a str, Diagnostic> {
    match site
        .doc(i)
        .texts
        .get(site.doc(i).current_text)
        .and_then(|t| t.version.as_deref())
    {
        Some(v) => Ok(&v.body),
        None => bodies.get(i),
    }
}

/// The hash of [`current_body`] ([`crate::model::Body::digest`]): the body as filed is not
/// read for it when it was taken unread.
pub(crate) fn current_digest(site: &Site, bodies: &Bodies, i: DocIx) -> [u8; 32] {
    match site
        .doc(i)
        .texts
        .get(site.doc(i).current_text)
        .and_then(|t| t.version.as_deref())
    {
        Some(v) => crate::model::body_digest(&v.body),
        None => bodies.digest(i),
    }
}

/// The 题注 of text `k` of document `i`: the original's publication, then each amendment.
pub(crate) fn caption_of(site: &Site, i: DocIx, k: usize) -> String {
    let d = &site.document(i);
    let amending: Vec<&Document> = site
        .doc(i)
        .texts
        .get(k)
        .and_then(|t| t.version.as_ref())
        .map(|v| {
            v.amended_by
                .iter()
                .filter_map(|id| site.lookup(id))
                .map(|j| site.document(j).as_ref())
                .collect()
        })
        .unwrap_or_default();
    caption(d, &amending)
}

pub(crate) fn url(urls: &Urls, d: &Document, date: jiff::civil::Date) -> String {
    Route::Version(d.id.as_str(), date).url(urls)
}

/// The 历次版本 of document `i` and the 题注 of the text its page shows.
pub(crate) fn texts(site: &Site, urls: &Urls, i: DocIx) -> Texts {
    let d = &site.document(i);
    if site.doc(i).texts.is_empty() {
        return Texts::default();
    }
    let list = site
        .doc(i)
        .texts
        .iter()
        .enumerate()
        .map(|(k, t)| TextLink {
            date: t.date.to_string(),
            date_cn: chinese_date(t.date),
            url: url(urls, d, t.date),
            current: k == site.doc(i).current_text,
            original: t.version.is_none(),
            amended_by: t
                .version
                .iter()
                .flat_map(|v| v.amended_by.iter())
                .filter_map(|id| site.lookup(id))
                .map(|j| views::doc_link(site, urls, j))
                .collect(),
        })
        .collect();
    Texts {
        caption: Some(caption_of(site, i, site.doc(i).current_text)),
        list,
    }
}

/// A paragraph of the comparison: `same`, `added` or `removed`, marked in words (新增、删除)
/// and with `<ins>`/`<del>`, never by colour alone; or `folded`, whose text is the number of
/// unchanged paragraphs left out.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub(crate) struct DiffPara {
    pub change: &'static str,
    pub text: String,
}

/// Paragraphs of a Markdown body: blocks separated by blank lines, each on one line.
fn paragraphs(body: &str) -> Vec<String> {
    body.split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| l.trim().trim_start_matches('#').trim_start())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// The comparison of two texts, paragraph by paragraph (Myers' diff, from the `similar`
/// crate). Unchanged runs longer than two paragraphs are folded to their ends.
pub(crate) fn compare(old: &str, new: &str) -> Vec<DiffPara> {
    let (a, b) = (paragraphs(old), paragraphs(new));
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                let run = &a[old_index..old_index + len];
                if run.len() > 2 {
                    out.push(para("same", &run[0]));
                    // Its text is the number of paragraphs folded: the theme says it
                    // (`version.folded`).
                    out.push(DiffPara {
                        change: "folded",
                        text: (run.len() - 2).to_string(),
                    });
                    out.push(para("same", &run[run.len() - 1]));
                } else {
                    out.extend(run.iter().map(|p| para("same", p)));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend(
                a[old_index..old_index + old_len]
                    .iter()
                    .map(|p| para("removed", p)),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend(
                b[new_index..new_index + new_len]
                    .iter()
                    .map(|p| para("added", p)),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                out.extend(
                    a[old_index..old_index + old_len]
                        .iter()
                        .map(|p| para("removed", p)),
                );
                out.extend(
                    b[new_index..new_index + new_len]
                        .iter()
                        .map(|p| para("added", p)),
                );
            }
        }
    }
    out
}

fn para(change: &'static str, text: &str) -> DiffPara {
    DiffPara {
        change,
        text: text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_pair_compares_paragraph_by_paragraph() {
        let old =
            "第一条 总则。\n\n第二条 月均用水量超过1000立方米的，实行计划用水。\n\n第三条 附则。";
        let new = "第一条 总则。\n\n第二条 月均用水量超过500立方米的，实行计划用水。\n\n第二条之一 优先使用再生水。\n\n第三条 附则。";
        let diff = compare(old, new);
        let got: Vec<(&str, &str)> = diff.iter().map(|p| (p.change, p.text.as_str())).collect();
        assert_eq!(
            got,
            [
                ("same", "第一条 总则。"),
                (
                    "removed",
                    "第二条 月均用水量超过1000立方米的，实行计划用水。"
                ),
                ("added", "第二条 月均用水量超过500立方米的，实行计划用水。"),
                ("added", "第二条之一 优先使用再生水。"),
                ("same", "第三条 附则。"),
            ]
        );
    }

    #[test]
    fn long_unchanged_runs_are_folded() {
        let old = "一\n\n二\n\n三\n\n四\n\n五";
        let new = "一\n\n二\n\n三\n\n四\n\n六";
        let got: Vec<&str> = compare(old, new).iter().map(|p| p.change).collect();
        assert_eq!(got, ["same", "folded", "same", "removed", "added"]);
    }
}
