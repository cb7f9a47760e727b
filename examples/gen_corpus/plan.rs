//! The corpus plan: every document's metadata, decided before any file is written. Kinds come in
//! fixed shares, dates grow denser towards the present, numbers are handed out in publication
//! order (so serials rise with dates, as real 发文字号 do), and relations only ever point back in
//! time to earlier public documents, which makes cycles impossible by construction.

use crate::date::Date;
use crate::registry::{
    CITY, GOV_OFFICE, GOVERNMENT, HR, INTERPRETATION, ISSUERS, KIND_SHARE, KINDS, NORMATIVE,
    NOTICE, PARTY_OFFICE, PERSONNEL, POLICY, REGULATION, REPORT, departments_for,
};
use crate::rng::Rng;
use crate::titles;
use crate::vocab::TOPICS;
use std::collections::BTreeMap;

pub const FIRST_YEAR: i32 = 1995;

/// The last publication date in a corpus, and the `as_of` date that Hugo's precomputed status
/// uses (the benchmark builds gazette with `--as-of 2026-06-30` too).
pub fn end() -> Date {
    Date::ymd(2026, 6, 30)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Disclosure {
    Public,
    OnRequest,
    Withheld,
}

impl Disclosure {
    pub fn key(self) -> &'static str {
        match self {
            Disclosure::Public => "public",
            Disclosure::OnRequest => "on_request",
            Disclosure::Withheld => "withheld",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Issue {
    pub year: i32,
    pub nn: u32,
}

impl Issue {
    /// The half-month issue (24 a year) that covers a date.
    pub fn covering(d: Date) -> Issue {
        let (year, m, day) = d.parts();
        Issue {
            year,
            nn: (m - 1) * 2 + if day > 15 { 2 } else { 1 },
        }
    }

    pub fn key(self) -> String {
        format!("{}-{:02}", self.year, self.nn)
    }

    /// Printed on the 15th or the last day of its month.
    pub fn published(self) -> Date {
        let m = self.nn.div_ceil(2);
        let d = if self.nn % 2 == 1 {
            15
        } else {
            Date::last_day_of_month(self.year, m)
        };
        Date::ymd(self.year, m, d)
    }

    pub fn total_number(self) -> u32 {
        (self.year - FIRST_YEAR) as u32 * 24 + self.nn
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    Repealed,
    Expired,
    NotYetEffective,
    Amended,
    InForce,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Repealed => "已废止",
            Status::Expired => "已失效",
            Status::NotYetEffective => "尚未施行",
            Status::Amended => "已修改",
            Status::InForce => "现行有效",
        }
    }
}

pub enum InterpLink {
    Id(usize),
    Url(String),
}

pub struct Doc {
    pub id: String,
    pub kind: usize,
    pub title: String,
    /// 办法, 意见, 通知 …: how the body refers to itself (本办法自…起施行).
    pub genre: &'static str,
    pub doc_number: Option<String>,
    pub issuers: Vec<usize>,
    pub issued: Option<Date>,
    pub published: Date,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    pub repeals: Vec<usize>,
    pub amends: Vec<usize>,
    pub interpretation: Vec<InterpLink>,
    pub interprets: Option<usize>,
    pub gazette: Option<Issue>,
    pub subjects: Vec<usize>,
    pub record_number: Option<String>,
    pub source: Option<&'static str>,
    pub index_no: Option<String>,
    pub summary: Option<String>,
    pub disclosure: Disclosure,
    pub topic: usize,
    pub persons: Vec<String>,
    pub body_bytes: usize,
    pub repealed_by: Vec<usize>,
    pub amended_by: Vec<usize>,
    pub interpreted_by: Vec<usize>,
    pub status: Status,
}

impl Doc {
    fn new(kind: usize, published: Date, lead: usize, topic: usize) -> Doc {
        Doc {
            id: String::new(),
            kind,
            title: String::new(),
            genre: "通知",
            doc_number: None,
            issuers: vec![lead],
            issued: None,
            published,
            effective: None,
            expires: None,
            repeals: Vec::new(),
            amends: Vec::new(),
            interpretation: Vec::new(),
            interprets: None,
            gazette: None,
            subjects: Vec::new(),
            record_number: None,
            source: None,
            index_no: None,
            summary: None,
            disclosure: Disclosure::Public,
            topic,
            persons: Vec::new(),
            body_bytes: 0,
            repealed_by: Vec::new(),
            amended_by: Vec::new(),
            interpreted_by: Vec::new(),
            status: Status::InForce,
        }
    }

    pub fn lead(&self) -> usize {
        self.issuers[0]
    }

    pub fn effective_or_published(&self) -> Date {
        self.effective.unwrap_or(self.published)
    }

    pub fn is_public(&self) -> bool {
        self.disclosure == Disclosure::Public
    }
}

/// How many documents of each kind a corpus of `n` holds: floors of the shares, the rest are
/// interpretations (at least one per normative document).
pub fn kind_counts(n: usize) -> [usize; 7] {
    let mut counts = [0; 7];
    for (k, share) in KIND_SHARE.iter().enumerate() {
        counts[k] = (n as f64 * share).floor() as usize;
    }
    counts[INTERPRETATION] = n - counts.iter().sum::<usize>();
    counts
}

/// Plans a corpus of exactly `n` documents, sorted by publication date.
pub fn plan(n: usize, seed: u64) -> Vec<Doc> {
    let mut rng = Rng::derive(seed, 0x504C_414E);
    let counts = kind_counts(n);
    let mut docs = base_documents(&counts, &mut rng);
    add_interpretations(&mut docs, counts[INTERPRETATION], &mut rng);
    docs = chronological(docs);
    assign_ids(&mut docs);
    assign_numbers_and_dates(&mut docs, &mut rng);
    assign_relations(&mut docs, &mut rng);
    for i in 0..docs.len() {
        titles::title_and_summary(&mut docs, i, &mut rng);
    }
    derive_reverse_links_and_status(&mut docs, &mut rng);
    docs
}

fn year_weights() -> Vec<f64> {
    (FIRST_YEAR..=end().year())
        .map(|y| {
            let w = 1.0 + 0.35 * f64::from(y - FIRST_YEAR);
            if y == end().year() { w * 0.5 } else { w }
        })
        .collect()
}

fn random_date(rng: &mut Rng, weights: &[f64]) -> Date {
    let year = FIRST_YEAR + rng.weighted(weights) as i32;
    let first = Date::ymd(year, 1, 1);
    let last = Date::ymd(year, 12, 31).min(end());
    first.add_days(rng.below(first.days_until(last) as usize + 1) as i64)
}

fn topic_for(rng: &mut Rng, issuer: usize) -> usize {
    let subjects = ISSUERS[issuer].subjects;
    let fits: Vec<usize> = (0..TOPICS.len())
        .filter(|&t| issuer <= PARTY_OFFICE || subjects.contains(&TOPICS[t].subject))
        .collect();
    if fits.is_empty() {
        rng.below(TOPICS.len())
    } else {
        *rng.pick(&fits)
    }
}

fn department(rng: &mut Rng) -> usize {
    rng.range(3, ISSUERS.len() - 1)
}

fn lead_issuer(rng: &mut Rng, kind: usize) -> usize {
    let x = rng.unit();
    match kind {
        REGULATION => GOVERNMENT,
        NORMATIVE if x < 0.2 => GOVERNMENT,
        NORMATIVE if x < 0.45 => GOV_OFFICE,
        POLICY if x < 0.15 => GOVERNMENT,
        POLICY if x < 0.40 => GOV_OFFICE,
        POLICY if x < 0.45 => PARTY_OFFICE,
        NOTICE if x < 0.05 => GOVERNMENT,
        NOTICE if x < 0.15 => GOV_OFFICE,
        PERSONNEL if x < 0.7 => GOVERNMENT,
        PERSONNEL if x < 0.85 => HR,
        REPORT if x < 0.25 => GOVERNMENT,
        REPORT if x < 0.40 => 28, // 统计局
        REPORT if x < 0.55 => 24, // 审计局
        REPORT if x < 0.65 => 10, // 财政局
        _ => department(rng),
    }
}

fn body_range(kind: usize) -> (usize, usize) {
    match kind {
        REGULATION => (6_000, 12_500),
        NORMATIVE => (3_000, 12_500),
        POLICY => (3_000, 12_000),
        INTERPRETATION => (2_000, 6_000),
        NOTICE => (2_000, 5_000),
        PERSONNEL => (2_000, 4_000),
        _ => (8_000, 12_500),
    }
}

fn base_documents(counts: &[usize; 7], rng: &mut Rng) -> Vec<Doc> {
    let weights = year_weights();
    let mut kinds: Vec<usize> = (0..7)
        .filter(|&k| k != INTERPRETATION)
        .flat_map(|k| std::iter::repeat_n(k, counts[k]))
        .collect();
    rng.shuffle(&mut kinds);
    let mut docs: Vec<Doc> = kinds
        .into_iter()
        .map(|kind| {
            let published = random_date(rng, &weights);
            let lead = lead_issuer(rng, kind);
            let topic = topic_for(rng, lead);
            let mut d = Doc::new(kind, published, lead, topic);
            let joint = match kind {
                NORMATIVE => 0.12,
                POLICY => 0.10,
                _ => 0.0,
            };
            if lead == PARTY_OFFICE {
                d.issuers.push(GOV_OFFICE);
            } else if rng.chance(joint) {
                for _ in 0..rng.range(1, 2) {
                    let other = departments_for(TOPICS[topic].subject)
                        .into_iter()
                        .chain([department(rng)])
                        .find(|o| !d.issuers.contains(o) && rng.chance(0.6))
                        .unwrap_or_else(|| department(rng));
                    if !d.issuers.contains(&other) {
                        d.issuers.push(other);
                    }
                }
            }
            if matches!(kind, POLICY | NOTICE | PERSONNEL | REPORT) && rng.chance(0.012) {
                d.disclosure = if rng.chance(0.5) {
                    Disclosure::Withheld
                } else {
                    Disclosure::OnRequest
                };
            }
            let (lo, hi) = body_range(kind);
            // Skewed towards the short end: most documents are a few KB, a few are long.
            d.body_bytes = lo + ((hi - lo) as f64 * rng.unit().powf(1.6)) as usize;
            d
        })
        .collect();
    docs.sort_by_key(|d| d.published);
    docs
}

/// One interpretation per normative document, then the rest spread over regulations and
/// policies (public ones only), published the same day as their document or a few days later.
fn add_interpretations(docs: &mut Vec<Doc>, count: usize, rng: &mut Rng) {
    let mut targets: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].kind == NORMATIVE)
        .collect();
    let mut extra: Vec<usize> = (0..docs.len())
        .filter(|&i| matches!(docs[i].kind, REGULATION | POLICY) && docs[i].is_public())
        .collect();
    rng.shuffle(&mut extra);
    let normatives = targets.clone();
    targets.extend(extra);
    let mut round = 0;
    while targets.len() < count && !normatives.is_empty() {
        targets.push(normatives[round % normatives.len()]);
        round += 1;
    }
    targets.truncate(count);
    for target in targets {
        let t = &docs[target];
        let published = t.published.add_days(rng.below(4) as i64).min(end());
        let lead = if t.lead() <= PARTY_OFFICE {
            let depts = departments_for(TOPICS[t.topic].subject);
            if depts.is_empty() || rng.chance(0.4) {
                t.lead()
            } else {
                *rng.pick(&depts)
            }
        } else {
            t.lead()
        };
        let mut d = Doc::new(INTERPRETATION, published, lead, t.topic);
        d.interprets = Some(target);
        let (lo, hi) = body_range(INTERPRETATION);
        d.body_bytes = lo + ((hi - lo) as f64 * rng.unit().powf(1.6)) as usize;
        docs.push(d);
    }
    // Too few targets (a tiny corpus): the interpretations without one become notices.
    let missing = count.saturating_sub(docs.iter().filter(|d| d.interprets.is_some()).count());
    for _ in 0..missing {
        let published = random_date(rng, &year_weights());
        let mut d = Doc::new(NOTICE, published, department(rng), rng.below(TOPICS.len()));
        d.body_bytes = body_range(NOTICE).0;
        docs.push(d);
    }
}

/// Sorts by publication date (a document before its interpretations) and remaps references.
fn chronological(docs: Vec<Doc>) -> Vec<Doc> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].published, docs[i].interprets.is_some(), i));
    let mut new_index = vec![0; docs.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<Doc>> = docs.into_iter().map(Some).collect();
    order
        .iter()
        .map(|&old| {
            let mut d = slots[old].take().expect("each document once");
            d.interprets = d.interprets.map(|t| new_index[t]);
            d
        })
        .collect()
}

fn assign_ids(docs: &mut [Doc]) {
    let mut seq: BTreeMap<(i32, usize), u32> = BTreeMap::new();
    for d in docs.iter_mut() {
        let y = d.published.year();
        let n = seq.entry((y, d.kind)).or_insert(0);
        *n += 1;
        d.id = format!("{y}-{}-{:04}", KINDS[d.kind].slug, n);
    }
}

/// Repeals and amendments: a new document of a kind replaces or amends an earlier public one of
/// the same kind and issuer, published at least two months before it.
fn assign_relations(docs: &mut [Doc], rng: &mut Rng) {
    let mut pools: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut repealed = vec![false; docs.len()];
    for i in 0..docs.len() {
        let (kind, lead) = (docs[i].kind, docs[i].lead());
        if !docs[i].is_public() || !matches!(kind, REGULATION | NORMATIVE | POLICY) {
            continue;
        }
        let (p_repeal, p_amend) = match kind {
            REGULATION => (0.12, 0.10),
            NORMATIVE => (0.10, 0.05),
            _ => (0.04, 0.02),
        };
        let cutoff = docs[i].published.add_days(-60);
        if let Some(pool) = pools.get(&(kind, lead)) {
            let old_enough = pool.partition_point(|&j| docs[j].published <= cutoff);
            if old_enough > 0 {
                let now = docs[i].published;
                // A few tries at an earlier document still in force: new rules replace live ones.
                let candidate = (0..4)
                    .map(|_| pool[rng.below(old_enough)])
                    .find(|&j| !repealed[j] && docs[j].expires.is_none_or(|e| e >= now));
                if let Some(j) = candidate {
                    if rng.chance(p_repeal) {
                        repealed[j] = true;
                        docs[i].repeals.push(j);
                        docs[i].topic = docs[j].topic;
                    } else if rng.chance(p_amend) {
                        docs[i].amends.push(j);
                        docs[i].topic = docs[j].topic;
                    }
                }
            }
        }
        pools.entry((kind, lead)).or_default().push(i);
    }
}

fn assign_numbers_and_dates(docs: &mut [Doc], rng: &mut Rng) {
    let mut serial: BTreeMap<(String, i32), u32> = BTreeMap::new();
    let mut next = |code: String, year: i32| -> String {
        let n = serial.entry((code.clone(), year)).or_insert(0);
        *n += 1;
        format!("{code}〔{year}〕{n}号")
    };
    let mut order_no = 0;
    let mut index_seq: BTreeMap<(usize, i32), u32> = BTreeMap::new();
    for d in docs.iter_mut() {
        let year = d.published.year();
        let code = ISSUERS[d.lead()].code;
        d.doc_number = match d.kind {
            REGULATION => {
                order_no += 1;
                Some(format!("{CITY}人民政府令第{order_no}号"))
            }
            NORMATIVE => Some(next(code.to_string(), year)),
            POLICY if rng.chance(0.7) => Some(next(code.to_string(), year)),
            NOTICE if rng.chance(0.25) => Some(next(format!("{code}公"), year)),
            PERSONNEL if rng.chance(0.9) => Some(next(format!("{code}人"), year)),
            _ => None,
        };
        if rng.chance(0.7) {
            d.issued = Some(d.published.add_days(-(rng.below(16) as i64)));
        }
        match d.kind {
            REGULATION => d.effective = Some(d.published.add_days(rng.range(20, 60) as i64)),
            NORMATIVE => {
                if rng.chance(0.5) {
                    let lag = if rng.chance(0.6) {
                        30
                    } else {
                        rng.range(1, 45)
                    };
                    d.effective = Some(d.published.add_days(lag as i64));
                }
                let years = *rng.pick(&[5, 5, 5, 5, 5, 5, 3, 3, 2]);
                d.expires = Some(d.effective_or_published().add_years(years).add_days(-1));
            }
            POLICY if rng.chance(0.15) => {
                d.effective = Some(d.published.add_days(rng.range(0, 30) as i64));
                if rng.chance(0.5) {
                    d.expires = Some(d.effective_or_published().add_years(3).add_days(-1));
                }
            }
            _ => {}
        }
        if d.is_public() && rng.chance(gazette_share(d.kind)) {
            d.gazette = Some(Issue::covering(d.published));
        }
        if d.kind == REGULATION {
            d.record_number = Some(format!("豫府规备〔{year}〕{}号", rng.range(1, 300)));
        } else if d.kind == NORMATIVE && rng.chance(0.85) {
            d.record_number = Some(format!("洛规备〔{year}〕{}号", rng.range(1, 900)));
        }
        if rng.chance(0.8) {
            let n = index_seq.entry((d.lead(), year)).or_insert(0);
            *n += 1;
            d.index_no = Some(format!(
                "11410300{:09}{}/{year}-{:05}",
                5_184_950 + d.lead() * 7_919,
                (b'A' + (d.lead() % 26) as u8) as char,
                n
            ));
        }
        let topic = &TOPICS[d.topic];
        d.subjects.push(topic.subject);
        let extra = ISSUERS[d.lead()].subjects;
        if rng.chance(0.3) {
            let s = *rng.pick(extra);
            if !d.subjects.contains(&s) {
                d.subjects.push(s);
            }
        }
        if d.kind == PERSONNEL {
            d.subjects = vec![13];
        }
        if rng.chance(0.08) {
            d.subjects.clear();
        }
        if rng.chance(0.4) {
            d.source = Some(*rng.pick(&["洛阳日报", "市政府网", "洛阳市人民政府公报", "洛阳发布"]));
        }
    }
}

fn gazette_share(kind: usize) -> f64 {
    match kind {
        REGULATION => 1.0,
        NORMATIVE => 0.9,
        POLICY => 0.6,
        INTERPRETATION => 0.15,
        NOTICE => 0.25,
        PERSONNEL => 0.8,
        _ => 0.5,
    }
}

/// Interpretation links on the interpreted side for some documents, the reverse links every
/// page shows, and the status as of [`end`].
fn derive_reverse_links_and_status(docs: &mut [Doc], rng: &mut Rng) {
    for i in 0..docs.len() {
        for j in docs[i].repeals.clone() {
            docs[j].repealed_by.push(i);
        }
        for j in docs[i].amends.clone() {
            docs[j].amended_by.push(i);
        }
        if let Some(t) = docs[i].interprets {
            docs[t].interpreted_by.push(i);
        }
    }
    for d in docs.iter_mut() {
        if !d.interpreted_by.is_empty() && rng.chance(0.35) {
            d.interpretation = d
                .interpreted_by
                .iter()
                .map(|&i| InterpLink::Id(i))
                .collect();
        }
        if matches!(d.kind, NORMATIVE | REGULATION) && rng.chance(0.05) {
            let url = format!(
                "https://zcjd.example.gov.cn/{}/{}.html",
                d.published.year(),
                d.id
            );
            d.interpretation.push(InterpLink::Url(url));
        }
    }
    let as_of = end();
    let effective: Vec<Date> = docs.iter().map(Doc::effective_or_published).collect();
    for i in 0..docs.len() {
        let d = &docs[i];
        let by = |list: &[usize]| list.iter().any(|&j| effective[j] <= as_of);
        let status = if by(&d.repealed_by) {
            Status::Repealed
        } else if d.expires.is_some_and(|e| as_of > e) {
            Status::Expired
        } else if as_of < effective[i] {
            Status::NotYetEffective
        } else if by(&d.amended_by) {
            Status::Amended
        } else {
            Status::InForce
        };
        docs[i].status = status;
    }
}

/// A personnel document's names, deterministic for the document.
pub fn person_name(rng: &mut Rng) -> String {
    use crate::vocab::{GIVEN_CHARS, SURNAMES};
    let mut s = rng.pick(SURNAMES).to_string();
    for _ in 0..rng.range(1, 2) {
        let c: &&str = rng.pick(GIVEN_CHARS);
        s.push_str(c);
    }
    s
}
