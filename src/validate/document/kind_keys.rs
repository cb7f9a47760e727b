//! Keys that depend on the document's kind (legal-model.md §1, §3; versions.md §2): `effective`
//! and `expires` only where the kind has a validity of its own, `interprets` on an
//! interpretation, `continues`/`to_amend` on a 清理, the comment period on a consultation.

use super::{Checker, RawDocument, key_hint};
use crate::config::{Config, Validity};
use crate::diag::{Code, Diagnostic};
use crate::model::{Consultation, DocId, InterpretationRef};

impl Checker<'_> {
    /// Keys that only some kinds may carry (legal-model.md §1, §3): `effective` and `expires`
    /// on a kind without validity would claim a legal force the document does not have.
    pub(super) fn validity_keys(&mut self, config: &Config, raw: &RawDocument) {
        let Some(kind) = config.kind(&raw.kind) else {
            return;
        };
        if kind.validity != Validity::Own {
            for (key, present) in [
                ("effective", raw.effective.is_some()),
                ("expires", raw.expires.is_some()),
            ] {
                if present {
                    let at = self.node.entry(key).map(|(k, _)| k.pos);
                    let what = if key == "expires" {
                        "有效期"
                    } else {
                        "施行日期"
                    };
                    self.push(
                        Diagnostic::new(
                            Code::ValidityNotApplicable,
                            format!("{} 没有有效性：请删除 {key}", kind.label),
                        )
                        .at(at)
                        .hint(format!(
                            "gazette.toml 中 [kinds.{}] 的 validity 不是 own，这类文件没有{what}；如本类文件确有有效期，请在 gazette.toml 中为它写 validity = \"own\"",
                            kind.key
                        )),
                    );
                }
            }
        }
        if kind.validity == Validity::Follows && raw.interprets.is_none() {
            let at = self.node.entry("kind").map(|(k, _)| k.pos);
            self.push(
                Diagnostic::new(
                    Code::MissingKey,
                    format!("{}缺少 interprets：没有写明所解读的文件", kind.label),
                )
                .at(at)
                .hint("写 `interprets: <所解读文件的 id>`，如 interprets: lzb-2021-15"),
            );
        }
        if !raw.cleanup {
            for key in ["continues", "to_amend"] {
                if let Some((k, _)) = self.node.entry(key) {
                    let pos = k.pos;
                    self.push(
                        Diagnostic::new(
                            Code::CleanupOnly,
                            format!("{key} 只能用于清理结果文件"),
                        )
                        .at(Some(pos))
                        .hint("公布清理结果的文件（清理决定或清理结果公告）请加上 `cleanup: true`；其他文件不能列出“继续有效”或“拟修改”的文件"),
                    );
                }
            }
        }
    }

    /// A consultation kind's comment period and channels (versions.md §2): required there,
    /// refused elsewhere (a 通知 with a 征求意见期 would be listed nowhere and mislead).
    pub(super) fn consultation(
        &mut self,
        config: &Config,
        raw: &RawDocument,
    ) -> Option<Consultation> {
        let kind = config.kind(&raw.kind)?;
        let keys = ["comment_from", "comment_to", "feedback", "feedback_report"];
        if !kind.consultation {
            for key in keys {
                if let Some((k, _)) = self.node.entry(key) {
                    let pos = k.pos;
                    self.push(
                        Diagnostic::new(
                            Code::ConsultationOnly,
                            format!("{key} 只能用于征求意见稿"),
                        )
                        .at(Some(pos))
                        .hint(format!(
                            "“{}”类别不是征求意见类别（gazette.toml 中 consultation = true）：删除 {key}，或把 kind 改为征求意见类别",
                            kind.label
                        )),
                    );
                }
            }
            return None;
        }
        let mut missing = false;
        for (key, present) in [
            ("comment_from", raw.comment_from.is_some()),
            ("comment_to", raw.comment_to.is_some()),
            ("feedback", !raw.feedback.is_empty()),
        ] {
            if !present {
                missing = true;
                let at = self.node.entry("kind").map(|(k, _)| k.pos);
                self.push(
                    Diagnostic::new(Code::MissingKey, format!("缺少必填的键 `{key}`"))
                        .at(at)
                        .hint(format!(
                            "征求意见稿须写明征求意见期（comment_from、comment_to）和提出意见的方式（feedback）；{}",
                            key_hint(key).unwrap_or_default()
                        )),
                );
            }
        }
        let from = self.date("comment_from", raw.comment_from.as_deref());
        let to = self.date("comment_to", raw.comment_to.as_deref());
        let (Some(from), Some(to)) = (from, to) else {
            return None;
        };
        if to < from {
            let at = self.at("/comment_to");
            self.push(
                Diagnostic::new(
                    Code::DateOrder,
                    format!("征求意见截止日期 comment_to（{to}）早于开始日期 comment_from（{from}）"),
                )
                .at(at)
                .hint("检查两个日期是否写反：征求意见期从 comment_from 开始，到 comment_to 截止（两天都包括在内）"),
            );
            return None;
        }
        if missing {
            return None;
        }
        Some(Consultation {
            from,
            to,
            feedback: raw.feedback.clone(),
            report: raw.feedback_report.as_ref().map(|r| {
                if r.starts_with("https://") {
                    InterpretationRef::External(r.clone())
                } else {
                    InterpretationRef::Doc(DocId::new(r.clone()))
                }
            }),
        })
    }
}
