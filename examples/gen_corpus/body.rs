//! Document bodies: Markdown in the shape of each kind (chapters and 第N条 articles for rules,
//! 一、二、 sections with numbered paragraphs for normative documents, a background/content/scope
//! outline for interpretations, lists and tables for notices and reports), grown sentence by
//! sentence until the planned size. Each body draws from its own random stream, so bodies can be
//! written in parallel and still be byte-identical for a seed.

use crate::plan::Doc;
use crate::registry::{CITY, INTERPRETATION, ISSUERS, NORMATIVE, NOTICE, PERSONNEL, REGULATION};
use crate::rng::Rng;
use crate::vocab::{
    ACTORS, ADVERBS, CLAUSES, DISTRICTS, LAWS, NOUNS, POSTS, PURPOSES, REGULATION_CHAPTERS,
    SECTION_HEADINGS, STOCK_SENTENCES, TABLE_HEADERS, TOPICS, VERBS,
};
use std::fmt::Write;

/// The Markdown body of `docs[i]`.
pub fn body(docs: &[Doc], i: usize, seed: u64) -> String {
    let mut b = Body {
        out: String::with_capacity(docs[i].body_bytes + 1024),
        rng: Rng::derive(seed, 0xB0D1_0000 + i as u64),
        doc: &docs[i],
        docs,
        article: 0,
    };
    match b.doc.kind {
        REGULATION => b.regulation(),
        NORMATIVE => b.normative(),
        INTERPRETATION => b.interpretation(),
        NOTICE => b.notice(),
        PERSONNEL => b.personnel(),
        k if k == crate::registry::REPORT => b.report(),
        _ => b.normative(),
    }
    fullwidth(&b.out)
}

/// Chinese text punctuates with full-width marks (，；：（）); the vocabulary is typed with ASCII
/// ones for convenience and converted here. Markdown syntax (`|`, `-`, `1.`, `**`) is untouched.
pub fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect()
}

struct Body<'a> {
    out: String,
    rng: Rng,
    doc: &'a Doc,
    docs: &'a [Doc],
    article: usize,
}

/// 1 → 一, 12 → 十二, 21 → 二十一, 105 → 一百零五.
pub fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n > 10 { D[n - 10] } else { "" }),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", D[rest]),
                10..=19 => format!("一{}", chinese_number(rest)),
                _ => chinese_number(rest),
            };
            format!("{}百{tail}", D[(n / 100) % 10])
        }
    }
}

impl Body<'_> {
    fn full(&self) -> bool {
        self.out.len() >= self.doc.body_bytes
    }

    fn kw(&mut self) -> &'static str {
        let kws = TOPICS[self.doc.topic].keywords;
        kws[self.rng.below(kws.len())]
    }

    fn dept_short(&mut self) -> &'static str {
        ISSUERS[self.rng.range(3, ISSUERS.len() - 1)].short_name
    }

    fn sentence(&mut self) -> String {
        let year = self.doc.published.year();
        let kw = self.kw();
        let r = &mut self.rng;
        match r.below(8) {
            0 | 1 => {
                let (a, adv, v) = (r.pick(ACTORS), r.pick(ADVERBS), r.pick(VERBS));
                let (n, c) = (r.pick(NOUNS), r.pick(CLAUSES));
                format!("{a}要{adv}{v}{kw}{n},{c}。")
            }
            2 => {
                let (v1, n1, v2) = (r.pick(VERBS), r.pick(NOUNS), r.pick(VERBS));
                let (n2, c) = (r.pick(NOUNS), r.pick(CLAUSES));
                format!("{v1}{n1},{v2}{kw}{n2},{c}。")
            }
            3 => {
                let later = year + r.range(1, 5) as i32;
                let goal = match r.below(4) {
                    0 => format!("覆盖率达到{}%以上", r.range(60, 99)),
                    1 => format!("新增{}个", r.range(3, 500)),
                    2 => format!("累计投入资金{}万元", r.range(100, 90_000)),
                    _ => format!("达标率提高{}个百分点", r.range(2, 30)),
                };
                format!("到{later}年,全市{kw}{goal},基本形成{}。", r.pick(NOUNS))
            }
            4 => {
                let lo = r.range(1, 20) * 1000;
                let dept = self.dept_short();
                format!(
                    "违反{kw}有关规定的,由{dept}责令限期改正;逾期不改正的,处{lo}元以上{}元以下罚款。",
                    lo * 10
                )
            }
            5 => r.pick(STOCK_SENTENCES).to_string(),
            6 => {
                let (d1, d2) = (r.pick(DISTRICTS), r.pick(DISTRICTS));
                let (adv, v, n) = (r.pick(ADVERBS), r.pick(VERBS), r.pick(NOUNS));
                format!("{d1}、{d2}等地要结合实际,{adv}{v}{kw}{n}。")
            }
            _ => {
                let what = r.pick(&["监督管理", "统筹协调", "组织实施", "指导服务"]);
                let (d1, d2) = (self.dept_short(), self.dept_short());
                format!("{d1}负责{kw}的{what}工作,{d2}等部门按照各自职责做好相关工作。")
            }
        }
    }

    fn sentences(&mut self, lo: usize, hi: usize) -> String {
        let n = self.rng.range(lo, hi);
        (0..n).map(|_| self.sentence()).collect()
    }

    fn para(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push_str("\n\n");
    }

    fn heading(&mut self, text: &str) {
        let _ = write!(self.out, "## {text}\n\n");
    }

    fn intro(&mut self, ending: &str) {
        let (p, l1, l2) = (
            self.rng.pick(PURPOSES),
            self.rng.pick(LAWS),
            self.rng.pick(LAWS),
        );
        let text = format!("为{p},根据《{l1}》《{l2}》等有关规定,结合本市实际,{ending}。");
        self.para(&text);
    }

    fn article(&mut self, lo: usize, hi: usize) {
        self.article += 1;
        let text = format!(
            "**第{}条** {}",
            chinese_number(self.article),
            self.sentences(lo, hi)
        );
        self.para(&text);
    }

    fn list(&mut self, numbered: bool) {
        for k in 1..=self.rng.range(3, 7) {
            let s = self.sentence();
            if numbered {
                let _ = writeln!(self.out, "{k}. {s}");
            } else {
                let _ = writeln!(self.out, "- {s}");
            }
        }
        self.out.push('\n');
    }

    fn table(&mut self) {
        let header = *self.rng.pick(TABLE_HEADERS);
        let _ = writeln!(self.out, "| {} |", header.join(" | "));
        let _ = writeln!(self.out, "|{}", "---|".repeat(header.len()));
        let year = self.doc.published.year();
        for row in 1..=self.rng.range(4, 12) {
            let mut cells = vec![row.to_string()];
            for name in &header[1..] {
                let cell = match *name {
                    "完成时限" => format!("{}年{}月底前", year + 1, self.rng.range(1, 12)),
                    "县(市、区)" => self.rng.pick(DISTRICTS).to_string(),
                    "牵头单位" | "配合单位" | "责任单位" => {
                        self.dept_short().to_string()
                    }
                    "承诺时限(工作日)" => self.rng.range(1, 20).to_string(),
                    "收费标准" => "不收费".to_string(),
                    "单位" => self.rng.pick(&["%", "万元", "个", "人"]).to_string(),
                    "基期值" | "目标值" => self.rng.range(10, 9_999).to_string(),
                    "属性" => self.rng.pick(&["预期性", "约束性"]).to_string(),
                    _ => {
                        let (v, n, kw) = (self.rng.pick(VERBS), self.rng.pick(NOUNS), self.kw());
                        format!("{v}{kw}{n}")
                    }
                };
                cells.push(cell);
            }
            let _ = writeln!(self.out, "| {} |", cells.join(" | "));
        }
        self.out.push('\n');
    }

    fn closing_relations(&mut self) {
        let genre = self.doc.genre;
        for &j in &self.doc.repeals {
            let t = &self.docs[j];
            let num = t
                .doc_number
                .as_deref()
                .map(|n| format!("({n})"))
                .unwrap_or_default();
            let text = format!("《{}》{num}同时废止。", t.title);
            self.para(&text);
        }
        for &j in &self.doc.amends {
            let t = &self.docs[j];
            let text = format!("本{genre}对《{}》作如下修改:", t.title);
            self.para(&text);
            self.list(true);
        }
    }

    fn normative(&mut self) {
        let ending = match self.doc.genre {
            "意见" => "现提出如下意见".to_string(),
            "通知" => "现就有关事项通知如下".to_string(),
            g => format!("制定本{g}"),
        };
        self.intro(&ending);
        let with_table = self.rng.chance(0.35);
        let articles = self.rng.chance(0.4);
        let mut section = 0;
        while !self.full() || section < 2 {
            section += 1;
            let h = SECTION_HEADINGS[(section - 1) % SECTION_HEADINGS.len()];
            self.heading(&format!("{}、{h}", chinese_number(section)));
            if articles {
                for _ in 0..self.rng.range(2, 5) {
                    self.article(1, 4);
                }
            } else {
                for k in 1..=self.rng.range(2, 5) {
                    let lead = format!(
                        "({}){}{}。",
                        chinese_number(k),
                        self.rng.pick(VERBS),
                        self.kw()
                    );
                    let text = lead + &self.sentences(2, 5);
                    self.para(&text);
                }
            }
            if self.rng.chance(0.25) {
                let numbered = self.rng.chance(0.5);
                self.list(numbered);
            }
            if with_table && section == 3 {
                self.table();
            }
        }
        self.closing_relations();
        let from = self.doc.effective_or_published().chinese();
        let text = match self.doc.expires {
            Some(e) => format!(
                "本{}自{from}起施行,有效期至{}。",
                self.doc.genre,
                e.chinese()
            ),
            None => format!("本{}自{from}起施行。", self.doc.genre),
        };
        self.para(&text);
    }

    fn regulation(&mut self) {
        let genre = self.doc.genre;
        let mut chapter = 0;
        while !self.full() || chapter < 2 {
            chapter += 1;
            let name = REGULATION_CHAPTERS[(chapter - 1).min(REGULATION_CHAPTERS.len() - 2)];
            self.heading(&format!("第{}章 {name}", chinese_number(chapter)));
            if chapter == 1 {
                let (p, l) = (self.rng.pick(PURPOSES), self.rng.pick(LAWS));
                self.article += 1;
                let text = format!(
                    "**第一条** 为{p},根据《{l}》等法律、法规,结合本市实际,制定本{genre}。"
                );
                self.para(&text);
            }
            for _ in 0..self.rng.range(3, 8) {
                self.article(1, 3);
            }
        }
        self.heading(&format!("第{}章 附则", chinese_number(chapter + 1)));
        self.closing_relations();
        self.article += 1;
        let from = self.doc.effective_or_published().chinese();
        let text = format!(
            "**第{}条** 本{genre}自{from}起施行。",
            chinese_number(self.article)
        );
        self.para(&text);
    }

    fn interpretation(&mut self) {
        let t = &self.docs[self
            .doc
            .interprets
            .expect("an interpretation names its document")];
        let num = t
            .doc_number
            .as_deref()
            .map(|n| format!("({n})"))
            .unwrap_or_default();
        let who = ISSUERS[t.lead()].name;
        let text = format!(
            "近日,{who}印发了《{}》{num}。现将有关情况解读如下。",
            t.title
        );
        self.para(&text);
        let parts = [
            "起草背景",
            "主要依据",
            "主要内容",
            "适用范围和有效期",
            "新旧政策差异",
        ];
        for (k, h) in parts.iter().enumerate() {
            self.heading(&format!("{}、{h}", chinese_number(k + 1)));
            let text = self.sentences(2, 5);
            self.para(&text);
            if k == 2 {
                self.list(true);
            }
            if self.full() && k >= 2 {
                break;
            }
        }
        while !self.full() {
            let text = self.sentences(3, 6);
            self.para(&text);
        }
        self.heading("解读机关及联系方式");
        let phone = format!("0379-6{:07}", self.rng.below(10_000_000));
        let text = format!(
            "解读机关:{}\n\n联系电话:{phone}",
            ISSUERS[self.doc.lead()].name
        );
        self.para(&text);
    }

    fn notice(&mut self) {
        let topic = TOPICS[self.doc.topic].name;
        let law = self.rng.pick(LAWS);
        let text = format!("根据《{law}》有关规定,现将{topic}有关事项公告如下:");
        self.para(&text);
        self.list(true);
        if self.rng.chance(0.5) {
            self.table();
        }
        while !self.full() {
            let text = self.sentences(2, 5);
            self.para(&text);
        }
        let text = format!(
            "特此公告。\n\n{}\n\n{}",
            ISSUERS[self.doc.lead()].name,
            self.doc.published.chinese()
        );
        self.para(&text);
    }

    fn personnel(&mut self) {
        let who = if self.doc.lead() == 0 {
            "市人民政府"
        } else {
            ISSUERS[self.doc.lead()].short_name
        };
        let text = format!("经{who}研究决定:");
        self.para(&text);
        for name in &self.doc.persons {
            let dept = ISSUERS[self.rng.range(3, ISSUERS.len() - 1)].name;
            let post = self.rng.pick(POSTS);
            let line = if self.rng.chance(0.6) {
                format!("任命{name}为{dept}{post};")
            } else {
                format!("免去{name}的{dept}{post}职务;")
            };
            self.out.push_str(&line);
            self.out.push_str("\n\n");
        }
        self.para("以上任职人员试用期一年,试用期满后经考核合格的正式任职。");
        while !self.full() {
            let text = self.sentences(2, 4);
            self.para(&text);
        }
    }

    fn report(&mut self) {
        let year = self.doc.published.year();
        let text = format!(
            "{}年,在市委的坚强领导下,全市上下{}。",
            year - 1,
            self.sentence()
        );
        self.para(&text);
        let parts = [
            format!("{}年工作回顾", year - 1),
            "主要指标完成情况".to_string(),
            "存在的主要问题".to_string(),
            format!("{year}年工作安排"),
            "加强自身建设".to_string(),
        ];
        let mut k = 0;
        while !self.full() || k < 3 {
            let h = &parts[k % parts.len()];
            self.heading(&format!("{}、{h}", chinese_number(k + 1)));
            if k == 1 {
                self.table();
            }
            for _ in 0..self.rng.range(2, 5) {
                let text = self.sentences(3, 6);
                self.para(&text);
            }
            k += 1;
        }
        let text = format!("{CITY}人民政府\n\n{}", self.doc.published.chinese());
        self.para(&text);
    }
}
