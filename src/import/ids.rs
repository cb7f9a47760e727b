//! Proposing a document id from its 发文字号, the way the site already names its documents.
//!
//! Offices name files after the 文号: `洛政办〔2021〕18号` is `lzb-2021-18`, the order
//! `洛阳市人民政府令第172号` is `lyzfl-172`. The pinyin initials of a 机关代字 cannot be computed
//! without a dictionary, but the site's own documents already pair 代字 and id prefix, so they
//! are learnt from `content/documents/`; a 代字 the site has never used falls back on the
//! issuer's registered `slug` (its short code in the registry). `gazette new` and
//! `gazette import` both propose ids here.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;

/// A 文号 taken apart: 代字 (with `令` for an order), year (none for an order), serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub agency: String,
    pub year: Option<String>,
    pub serial: String,
}

/// `洛政办〔2021〕18号` → (洛政办, 2021, 18); `洛阳市人民政府令第172号` → (洛阳市人民政府令, –, 172).
pub fn parts(doc_number: &str) -> Option<Parts> {
    let rest = doc_number.trim().strip_suffix('号')?;
    if let Some((agency, serial)) = rest.rsplit_once("令第") {
        return digits(serial).then(|| Parts {
            agency: format!("{agency}令"),
            year: None,
            serial: serial.to_string(),
        });
    }
    let (agency, rest) = rest.split_once('〔')?;
    let (year, serial) = rest.split_once('〕')?;
    (digits(year) && digits(serial) && !agency.is_empty()).then(|| Parts {
        agency: agency.to_string(),
        year: Some(year.to_string()),
        serial: serial.to_string(),
    })
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Every document file under `root/content/documents` with its text, in name order
/// (unreadable files are skipped: `check` reports them).
pub fn documents(root: &Path) -> impl Iterator<Item = (std::path::PathBuf, String)> {
    walkdir::WalkDir::new(root.join("content/documents"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.into_path(), text))
        })
}

/// 代字 → id prefix, as the site's documents use them.
#[derive(Debug, Default, Clone)]
pub struct Learnt {
    prefixes: BTreeMap<String, String>,
}

impl Learnt {
    /// Reads the `id:` and `doc_number:` lines of every document under `root/content/documents`.
    pub fn from_site(root: &Path) -> Learnt {
        let mut learnt = Learnt::default();
        for (p, text) in documents(root) {
            let p = p.as_path();
            let mut id = p.file_stem().map(|s| s.to_string_lossy().into_owned());
            let mut number = None;
            for line in text.lines().skip(1).take_while(|l| l.trim_end() != "---") {
                let value = |v: &str| {
                    let v = v.split(" #").next().unwrap_or("").trim();
                    v.trim_matches(['"', '\'']).to_string()
                };
                if let Some(v) = line.strip_prefix("id:") {
                    id = Some(value(v));
                } else if let Some(v) = line.strip_prefix("doc_number:") {
                    number = Some(value(v));
                }
            }
            if let (Some(id), Some(n)) = (id, number) {
                learnt.learn(&id, &n);
            }
        }
        learnt
    }

    /// Pairs `id` with the 代字 of `doc_number` when the id ends with the number's parts.
    pub fn learn(&mut self, id: &str, doc_number: &str) {
        let Some(p) = parts(doc_number) else { return };
        let suffix = match &p.year {
            Some(y) => format!("-{y}-{}", p.serial),
            None => format!("-{}", p.serial),
        };
        if let Some(prefix) = id.strip_suffix(&suffix)
            && !prefix.is_empty()
        {
            self.prefixes
                .entry(p.agency)
                .or_insert_with(|| prefix.to_string());
        }
    }

    /// A 发文字号 of this site, for examples in hints and templates (`None` before the first).
    pub fn example(&self, order: bool) -> Option<String> {
        self.prefixes
            .keys()
            .find(|a| a.ends_with('令') == order)
            .cloned()
    }

    /// The id for a document with `doc_number` from `issuer`: learnt prefix, else the
    /// issuer's slug; `None` when the number cannot be read.
    pub fn propose(&self, doc_number: &str, issuer_slug: Option<&str>) -> Option<String> {
        let p = parts(doc_number)?;
        let prefix = self
            .prefixes
            .get(&p.agency)
            .map(String::as_str)
            .or(issuer_slug)?;
        let id = match p.year {
            Some(y) => format!("{prefix}-{y}-{}", p.serial),
            None => format!("{prefix}-{}", p.serial),
        };
        crate::contract::is_id(&id).then_some(id)
    }
}

/// Example 发文字号 for hints and templates: a number a document of the site already uses,
/// else [`Config::example_doc_number`] (never another city's).
pub fn example_doc_number(
    config: &Config,
    learnt: Option<&Learnt>,
    order: bool,
    year: i16,
) -> String {
    match learnt.and_then(|l| l.example(order)) {
        Some(ex) if order => format!("{ex}第1号"),
        Some(ex) => format!("{ex}〔{year}〕1号"),
        None => config.example_doc_number(order, year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learnt_prefixes_propose_ids() {
        let mut l = Learnt::default();
        l.learn("lzb-2021-18", "洛政办〔2021〕18号");
        l.learn("lyzfl-172", "洛阳市人民政府令第172号");
        l.learn("odd-name", "洛政〔2019〕12号");
        assert_eq!(
            l.propose("洛政办〔2026〕3号", Some("x")),
            Some("lzb-2026-3".into())
        );
        assert_eq!(
            l.propose("洛阳市人民政府令第200号", None),
            Some("lyzfl-200".into())
        );
        assert_eq!(
            l.propose("洛政〔2026〕5号", Some("lysrmzf")),
            Some("lysrmzf-2026-5".into())
        );
        assert_eq!(l.propose("洛政〔2026〕5号", None), None);
        assert_eq!(l.example(false).as_deref(), Some("洛政办"));
    }
}
