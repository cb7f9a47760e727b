//! Titles and summaries. A title follows the 公文 pattern of its kind (发文机关 + 关于 + 事由 + 文种),
//! so the genre it ends with (办法, 意见, 通知 …) is also what the body calls itself.

use crate::plan::{Doc, person_name};
use crate::registry::{
    CITY, GOVERNMENT, INTERPRETATION, ISSUERS, NORMATIVE, NOTICE, PERSONNEL, POLICY, REGULATION,
};
use crate::rng::Rng;
use crate::vocab::{DISTRICTS, PURPOSES, TOPICS};

pub fn title_and_summary(docs: &mut [Doc], i: usize, rng: &mut Rng) {
    let d = &docs[i];
    let topic = TOPICS[d.topic].name;
    let issuers = d
        .issuers
        .iter()
        .map(|&k| ISSUERS[k].name)
        .collect::<Vec<_>>()
        .join(" ");
    let year = d.published.year();
    let mut persons = Vec::new();
    let (title, genre) = match d.kind {
        REGULATION => match d.amends.first() {
            Some(&j) => (
                format!(
                    "{}关于修改《{}》的决定",
                    ISSUERS[GOVERNMENT].name, docs[j].title
                ),
                "决定",
            ),
            None => {
                let g = *rng.pick(&["管理办法", "规定", "实施办法", "办法", "管理规定"]);
                let genre = if g.ends_with("规定") {
                    "规定"
                } else {
                    "办法"
                };
                (format!("{CITY}{topic}{g}"), genre)
            }
        },
        NORMATIVE | POLICY => policy_title(rng, &issuers, topic, year, d.kind),
        INTERPRETATION => {
            let target = &docs[d.interprets.expect("an interpretation names its document")].title;
            match rng.below(3) {
                0 => (format!("《{target}》政策解读"), "解读"),
                1 => (format!("关于《{target}》的解读"), "解读"),
                _ => (format!("一图读懂《{target}》"), "解读"),
            }
        }
        NOTICE => notice_title(rng, &issuers, topic, year),
        PERSONNEL => {
            for _ in 0..rng.range(1, 6) {
                persons.push(person_name(rng));
            }
            let who = if persons.len() > 1 {
                format!("{}等同志职务任免", persons[0])
            } else {
                format!("{}同志任职", persons[0])
            };
            (format!("{issuers}关于{who}的通知"), "通知")
        }
        _ => (report_title(rng, d.lead(), year), "报告"),
    };
    let short = ISSUERS[d.lead()].short_name;
    let kw = TOPICS[d.topic].keywords;
    let summary = match d.kind {
        INTERPRETATION => {
            let target = &docs[d.interprets.expect("checked above")].title;
            format!("对《{target}》的出台背景、主要内容和适用范围进行解读。")
        }
        NOTICE => format!("{short}就{topic}有关事项予以公告公示。"),
        PERSONNEL => format!("{}等同志职务任免事项。", persons.join("、")),
        REGULATION | NORMATIVE | POLICY => format!(
            "为{},{short}就{topic}作出规定,明确了{}、{}等方面的要求。",
            rng.pick(PURPOSES),
            kw[0],
            kw[1 % kw.len()]
        ),
        _ => format!("{title}全文,含{}等内容。", kw[0]),
    };
    let d = &mut docs[i];
    d.title = crate::body::fullwidth(&title);
    d.genre = genre;
    d.persons = persons;
    if rng.chance(0.75) {
        d.summary = Some(crate::body::fullwidth(&summary));
    }
}

fn policy_title(
    rng: &mut Rng,
    issuers: &str,
    topic: &str,
    year: i32,
    kind: usize,
) -> (String, &'static str) {
    let forms = if kind == NORMATIVE { 3 } else { 5 };
    match rng.below(forms) {
        0 => {
            let (g, genre) = *rng.pick(&[
                ("管理办法", "办法"),
                ("实施办法", "办法"),
                ("实施细则", "细则"),
                ("暂行办法", "办法"),
                ("若干措施", "措施"),
                ("工作方案", "方案"),
                ("考核办法", "办法"),
            ]);
            let trial = if rng.chance(0.15) { "(试行)" } else { "" };
            (
                format!("{issuers}关于印发{CITY}{topic}{g}{trial}的通知"),
                genre,
            )
        }
        1 => {
            let v = rng.pick(&[
                "进一步加强",
                "加快推进",
                "全面推进",
                "深化",
                "规范",
                "促进",
                "做好",
            ]);
            (format!("{issuers}关于{v}{topic}的实施意见"), "意见")
        }
        2 => {
            let v = rng.pick(&["加强", "做好", "推进", "规范", "开展"]);
            (format!("{issuers}关于{v}{topic}工作的通知"), "通知")
        }
        3 => (
            format!("{issuers}关于印发{year}年{topic}工作要点的通知"),
            "通知",
        ),
        _ => (format!("{issuers}关于开展{topic}专项行动的通知"), "通知"),
    }
}

fn notice_title(rng: &mut Rng, issuers: &str, topic: &str, year: i32) -> (String, &'static str) {
    match rng.below(4) {
        0 => (format!("{issuers}关于{topic}有关事项的公告"), "公告"),
        1 => {
            let what = rng.pick(&["拟认定名单", "评审结果", "项目资金分配结果", "拟表彰对象"]);
            (format!("{issuers}关于{year}年{topic}{what}的公示"), "公示")
        }
        2 => (
            format!("{issuers}关于公开征求《{CITY}{topic}管理办法(征求意见稿)》意见的公告"),
            "公告",
        ),
        _ => {
            let place = rng.pick(DISTRICTS);
            (format!("{issuers}关于{place}{topic}项目的通告"), "通告")
        }
    }
}

fn report_title(rng: &mut Rng, lead: usize, year: i32) -> String {
    let last = year - 1;
    match lead {
        GOVERNMENT => format!("{year}年{CITY}人民政府工作报告"),
        28 => format!("{CITY}{last}年国民经济和社会发展统计公报"),
        24 => format!("关于{last}年度市级预算执行和其他财政收支的审计工作报告"),
        10 => format!("关于{CITY}{last}年预算执行情况和{year}年预算草案的报告"),
        _ => {
            let what = rng.pick(&["政府信息公开工作年度报告", "法治政府建设情况报告"]);
            format!("{}{last}年{what}", ISSUERS[lead].name)
        }
    }
}
