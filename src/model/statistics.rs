//! 政府信息公开工作年度报告, 第二部分: the annual numbers of rules and normative documents
//! (legal-model.md §7). Numbers, not prose: a report writer copies them into the national
//! template, so each is defined exactly and computed from the same [`Site`] as every page.

use indexmap::IndexMap;
use jiff::civil::Date;
use serde::Serialize;

use super::{DocIx, Site};
use crate::config::Validity;

/// One kind in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct KindYear {
    /// 本年制发件数: `published` in the year.
    pub issued: usize,
    /// 本年废止件数: became 已废止 or 已失效 during the year (the first such day counts).
    pub ended: usize,
    /// 现行有效件数: in force (wholly, amended or in part) on 31 December, or on `as_of` for
    /// the current year.
    pub in_force: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Year {
    pub year: i16,
    /// Every `own` kind, in the configured order, in every year.
    pub kinds: IndexMap<String, KindYear>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Statistics {
    pub as_of: String,
    pub years: Vec<Year>,
}

impl Statistics {
    pub(crate) fn of(site: &Site) -> Statistics {
        let own: Vec<&str> = site
            .config
            .kinds
            .iter()
            .filter(|k| k.validity == Validity::Own)
            .map(|k| k.key.as_str())
            .collect();
        let docs: Vec<DocIx> = site
            .ixs()
            .filter(|&i| site.doc(i).status.is_some())
            .collect();
        let first = docs
            .iter()
            .map(|&i| site.document(i).published.year())
            .min();
        let last = site.as_of.year();
        let years = match first {
            Some(first) => (first..=last)
                .map(|year| {
                    let day = Date::new(year, 12, 31)
                        .ok()
                        .filter(|d| *d < site.as_of)
                        .unwrap_or(site.as_of);
                    let mut kinds: IndexMap<String, KindYear> = own
                        .iter()
                        .map(|k| ((*k).to_string(), KindYear::default()))
                        .collect();
                    for &i in &docs {
                        let d = &site.document(i);
                        let Some(row) = kinds.get_mut(d.kind.as_str()) else {
                            continue;
                        };
                        if d.published.year() == year {
                            row.issued += 1;
                        }
                        if site
                            .ended_by(i, site.as_of)
                            .is_some_and(|e| e.year() == year)
                        {
                            row.ended += 1;
                        }
                        if d.published <= day
                            && site.status_on(i, day).is_some_and(|s| s.is_in_force())
                        {
                            row.in_force += 1;
                        }
                    }
                    Year { year, kinds }
                })
                .collect(),
            None => Vec::new(),
        };
        Statistics {
            as_of: site.as_of.to_string(),
            years,
        }
    }
}
