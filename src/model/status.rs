//! 时效性: a document's status on one date, exactly as legal-model.md §2 says.
//!
//! Only documents of a kind with validity `own` have a status; [`History`] holds what happened
//! to one of them and answers for any date, so the annual statistics can ask for 31 December.

use jiff::civil::Date;
use serde::Serialize;

use super::site::Relation;

/// The six statuses, in the contract's order of precedence (last wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InForce,
    Amended,
    PartiallyInForce,
    NotYetEffective,
    Expired,
    Repealed,
}

/// What happened to one `own` document: its dates and the acts of other (published) documents.
pub(crate) struct History<'a> {
    pub effective: Date,
    pub expires: Option<Date>,
    pub repealed: &'a [Relation],
    pub declared_expired: &'a [Relation],
    pub partially_repealed: &'a [Relation],
    pub amended: &'a [Relation],
}

/// An ending act that counts: 废止 (`true`) or 宣布失效 (`false`), and its day.
type Ending = (Date, bool);

impl History<'_> {
    /// The day after `expires`: the first day not in force.
    fn natural_end(&self) -> Option<Date> {
        self.expires.and_then(|e| e.tomorrow().ok())
    }

    /// The endings in effect on `date`, oldest first. A 清理 that repeals or declares expired a
    /// document already 已失效 or 已废止 on its own day leaves that status alone (§3); any
    /// other repeal decides as the table says.
    fn endings(&self, date: Date) -> Vec<Ending> {
        let mut acts: Vec<(Date, bool, bool)> = self
            .repealed
            .iter()
            .map(|r| (r.date, !r.cleanup, true))
            .chain(
                self.declared_expired
                    .iter()
                    .map(|r| (r.date, !r.cleanup, false)),
            )
            .filter(|(d, _, _)| *d <= date)
            .collect();
        // Oldest first; on one day, acts that are not 清理 first.
        acts.sort_by_key(|&(d, plain, repeal)| (d, !plain, !repeal));
        let natural = self.natural_end();
        let mut kept: Vec<Ending> = Vec::new();
        for (day, plain, repeal) in acts {
            let already = natural.is_some_and(|n| n <= day) || kept.iter().any(|k| k.0 <= day);
            if plain || !already {
                kept.push((day, repeal));
            }
        }
        kept
    }

    /// legal-model.md §2, first match wins.
    pub(super) fn status_on(&self, date: Date) -> Status {
        let endings = self.endings(date);
        let in_effect = |list: &[Relation]| list.iter().any(|r| r.date <= date);
        if endings.iter().any(|e| e.1) {
            Status::Repealed
        } else if !endings.is_empty() || self.expires.is_some_and(|e| date > e) {
            Status::Expired
        } else if date < self.effective {
            Status::NotYetEffective
        } else if in_effect(self.partially_repealed) {
            Status::PartiallyInForce
        } else if in_effect(self.amended) {
            Status::Amended
        } else {
            Status::InForce
        }
    }

    /// The first day the document was no longer in force (已废止 or 已失效), by `date`.
    pub(super) fn ended_on(&self, date: Date) -> Option<Date> {
        let first_act = self.endings(date).first().map(|e| e.0);
        let natural = self.natural_end().filter(|n| *n <= date);
        match (first_act, natural) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Status {
    /// Display order on the home page and in filters.
    pub const ALL: [Status; 6] = [
        Status::InForce,
        Status::Amended,
        Status::PartiallyInForce,
        Status::NotYetEffective,
        Status::Expired,
        Status::Repealed,
    ];

    /// The stable code used in URLs, data exports and CSS classes.
    pub fn code(self) -> &'static str {
        match self {
            Status::InForce => "in_force",
            Status::Amended => "amended",
            Status::PartiallyInForce => "partially_in_force",
            Status::NotYetEffective => "not_yet_effective",
            Status::Expired => "expired",
            Status::Repealed => "repealed",
        }
    }

    /// URL segment: `/status/<slug>/`.
    pub fn slug(self) -> &'static str {
        match self {
            Status::InForce => "in-force",
            Status::Amended => "amended",
            Status::PartiallyInForce => "partially-in-force",
            Status::NotYetEffective => "not-yet-effective",
            Status::Expired => "expired",
            Status::Repealed => "repealed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::InForce => "现行有效",
            Status::Amended => "已修改",
            Status::PartiallyInForce => "部分失效",
            Status::NotYetEffective => "尚未施行",
            Status::Expired => "已失效",
            Status::Repealed => "已废止",
        }
    }

    /// Still in force in whole or in part (the statistics' 现行有效件数).
    pub fn is_in_force(self) -> bool {
        matches!(
            self,
            Status::InForce | Status::Amended | Status::PartiallyInForce
        )
    }

    /// schema.org `legislationLegalForce`.
    pub fn legal_force(self) -> &'static str {
        match self {
            Status::InForce | Status::Amended => "https://schema.org/InForce",
            Status::PartiallyInForce => "https://schema.org/PartiallyInForce",
            Status::NotYetEffective | Status::Expired | Status::Repealed => {
                "https://schema.org/NotInForce"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn rel(day: Date, cleanup: bool) -> Relation {
        Relation {
            doc: super::super::DocIx::at(0),
            date: day,
            articles: None,
            cleanup,
        }
    }

    struct Acts {
        repealed: Vec<Relation>,
        declared: Vec<Relation>,
        partial: Vec<Relation>,
        amended: Vec<Relation>,
    }

    impl Acts {
        fn none() -> Acts {
            Acts {
                repealed: vec![],
                declared: vec![],
                partial: vec![],
                amended: vec![],
            }
        }
        fn on(&self, day: Date) -> Status {
            self.history().status_on(day)
        }
        fn history(&self) -> History<'_> {
            History {
                effective: date(2020, 1, 1),
                expires: Some(date(2024, 12, 31)),
                repealed: &self.repealed,
                declared_expired: &self.declared,
                partially_repealed: &self.partial,
                amended: &self.amended,
            }
        }
    }

    #[test]
    fn follows_the_contract_table() {
        let none = Acts::none();
        assert_eq!(none.on(date(2019, 12, 31)), Status::NotYetEffective);
        assert_eq!(none.on(date(2020, 1, 1)), Status::InForce);
        assert_eq!(
            none.on(date(2024, 12, 31)),
            Status::InForce,
            "expires is the last day in force"
        );
        assert_eq!(none.on(date(2025, 1, 1)), Status::Expired);

        let amended = Acts {
            amended: vec![rel(date(2022, 6, 1), false)],
            ..Acts::none()
        };
        assert_eq!(amended.on(date(2022, 5, 31)), Status::InForce);
        assert_eq!(amended.on(date(2022, 6, 1)), Status::Amended);

        let partial = Acts {
            partial: vec![rel(date(2022, 6, 1), false)],
            amended: vec![rel(date(2021, 1, 1), false)],
            ..Acts::none()
        };
        assert_eq!(
            partial.on(date(2022, 6, 1)),
            Status::PartiallyInForce,
            "部分失效 wins over 已修改"
        );

        let repealed = Acts {
            repealed: vec![rel(date(2022, 6, 1), false)],
            ..Acts::none()
        };
        assert_eq!(repealed.on(date(2022, 6, 1)), Status::Repealed);
        assert_eq!(
            repealed.on(date(2026, 1, 1)),
            Status::Repealed,
            "repealed wins over expired"
        );
    }

    #[test]
    fn declared_expired_is_expired_not_repealed() {
        let acts = Acts {
            declared: vec![rel(date(2023, 3, 1), true)],
            ..Acts::none()
        };
        assert_eq!(acts.on(date(2023, 2, 28)), Status::InForce);
        assert_eq!(acts.on(date(2023, 3, 1)), Status::Expired);
        assert_eq!(
            acts.history().ended_on(date(2026, 1, 1)),
            Some(date(2023, 3, 1))
        );
    }

    #[test]
    fn a_cleanup_leaves_an_ended_document_as_it_was() {
        // Expired on 2025-01-01; a 清理 repeals it in 2025-06: it stays 已失效.
        let late = Acts {
            repealed: vec![rel(date(2025, 6, 1), true)],
            ..Acts::none()
        };
        assert_eq!(late.on(date(2026, 1, 1)), Status::Expired);
        assert_eq!(
            late.history().ended_on(date(2026, 1, 1)),
            Some(date(2025, 1, 1))
        );
        // Declared expired in 2023, then repealed by a later 清理: stays 已失效.
        let twice = Acts {
            declared: vec![rel(date(2023, 1, 1), true)],
            repealed: vec![rel(date(2024, 1, 1), true)],
            ..Acts::none()
        };
        assert_eq!(twice.on(date(2024, 6, 1)), Status::Expired);
        // A plain repeal (not a 清理) after expiry: the table's first match, 已废止.
        let plain = Acts {
            repealed: vec![rel(date(2025, 6, 1), false)],
            ..Acts::none()
        };
        assert_eq!(plain.on(date(2026, 1, 1)), Status::Repealed);
        assert_eq!(
            plain.history().ended_on(date(2026, 1, 1)),
            Some(date(2025, 1, 1)),
            "it ended when it expired"
        );
    }
}
