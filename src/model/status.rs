//! 时效性: a document's status on one date, exactly as the contract's table says.

use jiff::civil::Date;
use serde::Serialize;

/// The five statuses, in the contract's order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InForce,
    Amended,
    NotYetEffective,
    Expired,
    Repealed,
}

impl Status {
    /// Display order on the home page and in filters.
    pub const ALL: [Status; 5] = [
        Status::InForce,
        Status::Amended,
        Status::NotYetEffective,
        Status::Expired,
        Status::Repealed,
    ];

    /// The contract's table, applied in order: repealed wins over everything below it.
    ///
    /// `repealed_from` / `amended_from` are the `effective` dates of the public documents that
    /// repeal or amend this one; one of them in effect on `as_of` decides.
    pub fn on(
        as_of: Date,
        effective: Date,
        expires: Option<Date>,
        repealed_from: impl IntoIterator<Item = Date>,
        amended_from: impl IntoIterator<Item = Date>,
    ) -> Status {
        if repealed_from.into_iter().any(|d| d <= as_of) {
            Status::Repealed
        } else if expires.is_some_and(|e| as_of > e) {
            Status::Expired
        } else if as_of < effective {
            Status::NotYetEffective
        } else if amended_from.into_iter().any(|d| d <= as_of) {
            Status::Amended
        } else {
            Status::InForce
        }
    }

    /// The stable code used in URLs, data exports and CSS classes.
    pub fn code(self) -> &'static str {
        match self {
            Status::InForce => "in_force",
            Status::Amended => "amended",
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
            Status::NotYetEffective => "not-yet-effective",
            Status::Expired => "expired",
            Status::Repealed => "repealed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::InForce => "现行有效",
            Status::Amended => "已修改",
            Status::NotYetEffective => "尚未施行",
            Status::Expired => "已失效",
            Status::Repealed => "已废止",
        }
    }

    /// schema.org `legislationLegalForce`.
    pub fn legal_force(self) -> &'static str {
        match self {
            Status::InForce | Status::Amended => "https://schema.org/InForce",
            Status::NotYetEffective => "https://schema.org/NotInForce",
            Status::Expired | Status::Repealed => "https://schema.org/NotInForce",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn status(as_of: Date, repealed: &[Date], amended: &[Date]) -> Status {
        let effective = date(2020, 1, 1);
        let expires = Some(date(2024, 12, 31));
        Status::on(
            as_of,
            effective,
            expires,
            repealed.iter().copied(),
            amended.iter().copied(),
        )
    }

    #[test]
    fn follows_the_contract_table() {
        assert_eq!(
            status(date(2019, 12, 31), &[], &[]),
            Status::NotYetEffective
        );
        assert_eq!(status(date(2020, 1, 1), &[], &[]), Status::InForce);
        assert_eq!(
            status(date(2024, 12, 31), &[], &[]),
            Status::InForce,
            "expires is the last day in force"
        );
        assert_eq!(status(date(2025, 1, 1), &[], &[]), Status::Expired);
        assert_eq!(
            status(date(2022, 6, 1), &[], &[date(2022, 6, 1)]),
            Status::Amended
        );
        assert_eq!(
            status(date(2022, 5, 31), &[], &[date(2022, 6, 1)]),
            Status::InForce
        );
        assert_eq!(
            status(date(2022, 6, 1), &[date(2022, 6, 1)], &[date(2021, 1, 1)]),
            Status::Repealed
        );
        assert_eq!(
            status(date(2026, 1, 1), &[date(2022, 6, 1)], &[]),
            Status::Repealed,
            "repealed wins over expired"
        );
        assert_eq!(
            status(date(2019, 1, 1), &[date(2018, 6, 1)], &[]),
            Status::Repealed,
            "and over not yet effective"
        );
    }
}
