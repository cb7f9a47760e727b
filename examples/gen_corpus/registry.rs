//! The registries a generated `gazette.toml` declares: the seven kinds of the spec, about forty
//! issuers (a city government, its office and its departments) and the twenty subjects of the
//! State Council's 主题分类. Each issuer carries the 机关代字 used in its 发文字号 and the subjects it
//! usually writes about, so that generated documents look like what that body would publish.

/// One kind (文种), in the order `gazette.toml` declares them.
pub struct KindDef {
    pub slug: &'static str,
    pub label: &'static str,
    pub require_interpretation: bool,
    pub max_validity_years: Option<u32>,
}

pub const REGULATION: usize = 0;
pub const NORMATIVE: usize = 1;
pub const POLICY: usize = 2;
pub const INTERPRETATION: usize = 3;
pub const NOTICE: usize = 4;
pub const PERSONNEL: usize = 5;
pub const REPORT: usize = 6;

pub const KINDS: [KindDef; 7] = [
    kind("regulation", "政府规章", false, None),
    kind("normative", "行政规范性文件", true, Some(5)),
    kind("policy", "其他政策文件", false, None),
    kind("interpretation", "政策解读", false, None),
    kind("notice", "公告公示", false, None),
    kind("personnel", "人事任免", false, None),
    kind("report", "报告", false, None),
];

const fn kind(slug: &'static str, label: &'static str, ri: bool, max: Option<u32>) -> KindDef {
    KindDef {
        slug,
        label,
        require_interpretation: ri,
        max_validity_years: max,
    }
}

/// Share of each kind in a corpus (interpretation takes whatever is left, about as many as
/// normative documents, since each normative document needs one).
pub const KIND_SHARE: [f64; 7] = [0.03, 0.25, 0.15, 0.0, 0.20, 0.07, 0.05];

pub struct Subject {
    pub name: &'static str,
    pub slug: &'static str,
}

pub const SUBJECTS: [Subject; 20] = [
    Subject {
        name: "综合政务",
        slug: "zhzw",
    },
    Subject {
        name: "国民经济管理、国有资产监管",
        slug: "gmjjgl",
    },
    Subject {
        name: "财政、金融、审计",
        slug: "czjrsj",
    },
    Subject {
        name: "国土资源、能源",
        slug: "gtzyny",
    },
    Subject {
        name: "农业、林业、水利",
        slug: "nylysl",
    },
    Subject {
        name: "工业、交通",
        slug: "gyjt",
    },
    Subject {
        name: "商贸、海关、旅游",
        slug: "smhgly",
    },
    Subject {
        name: "市场监管、安全生产监管",
        slug: "scjg",
    },
    Subject {
        name: "城乡建设、环境保护",
        slug: "cxjs",
    },
    Subject {
        name: "科技、教育",
        slug: "kjjy",
    },
    Subject {
        name: "文化、广电、新闻出版",
        slug: "whgd",
    },
    Subject {
        name: "卫生、体育",
        slug: "wsty",
    },
    Subject {
        name: "人口与计划生育、妇女儿童工作",
        slug: "rkjs",
    },
    Subject {
        name: "劳动、人事、监察",
        slug: "ldrs",
    },
    Subject {
        name: "公安、安全、司法",
        slug: "gasf",
    },
    Subject {
        name: "民政、扶贫、救灾",
        slug: "mzfp",
    },
    Subject {
        name: "民族、宗教",
        slug: "mzzj",
    },
    Subject {
        name: "对外事务",
        slug: "dwsw",
    },
    Subject {
        name: "国防",
        slug: "gf",
    },
    Subject {
        name: "政务公开",
        slug: "zwgk",
    },
];

pub struct Issuer {
    pub name: &'static str,
    pub slug: &'static str,
    pub short_name: &'static str,
    /// 机关代字, the prefix of its 发文字号 (`洛发改〔2019〕12号`).
    pub code: &'static str,
    /// Index of the parent issuer, if any.
    pub parent: Option<usize>,
    /// Indices into [`SUBJECTS`] it usually writes about.
    pub subjects: &'static [usize],
}

pub const CITY: &str = "洛阳市";
pub const GOVERNMENT: usize = 0;
pub const GOV_OFFICE: usize = 1;
pub const PARTY_OFFICE: usize = 2;
pub const HR: usize = 11;

const fn dept(
    name: &'static str,
    slug: &'static str,
    short_name: &'static str,
    code: &'static str,
    subjects: &'static [usize],
) -> Issuer {
    Issuer {
        name,
        slug,
        short_name,
        code,
        parent: Some(GOVERNMENT),
        subjects,
    }
}

pub const ISSUERS: [Issuer; 41] = [
    Issuer {
        name: "洛阳市人民政府",
        slug: "lysrmzf",
        short_name: "市政府",
        code: "洛政",
        parent: None,
        subjects: &[0, 1, 8, 15],
    },
    dept(
        "洛阳市人民政府办公室",
        "lysrmzfbgs",
        "市政府办公室",
        "洛政办",
        &[0, 19],
    ),
    Issuer {
        name: "中共洛阳市委办公室",
        slug: "zglyswbgs",
        short_name: "市委办公室",
        code: "洛办",
        parent: None,
        subjects: &[0, 19],
    },
    dept(
        "洛阳市发展和改革委员会",
        "lysfgw",
        "市发展改革委",
        "洛发改",
        &[1, 3],
    ),
    dept("洛阳市教育局", "lysjyj", "市教育局", "洛教", &[9]),
    dept("洛阳市科学技术局", "lyskjj", "市科技局", "洛科", &[9]),
    dept(
        "洛阳市工业和信息化局",
        "lysgxj",
        "市工业和信息化局",
        "洛工信",
        &[5],
    ),
    dept("洛阳市公安局", "lysgaj", "市公安局", "洛公", &[14]),
    dept("洛阳市民政局", "lysmzj", "市民政局", "洛民", &[15]),
    dept("洛阳市司法局", "lyssfj", "市司法局", "洛司", &[14]),
    dept("洛阳市财政局", "lysczj", "市财政局", "洛财", &[2]),
    dept(
        "洛阳市人力资源和社会保障局",
        "lysrsj",
        "市人力资源社会保障局",
        "洛人社",
        &[13],
    ),
    dept(
        "洛阳市自然资源和规划局",
        "lyszrzyj",
        "市自然资源和规划局",
        "洛自然资规",
        &[3, 8],
    ),
    dept("洛阳市生态环境局", "lyssthjj", "市生态环境局", "洛环", &[8]),
    dept(
        "洛阳市住房和城乡建设局",
        "lyszjj",
        "市住房城乡建设局",
        "洛建",
        &[8],
    ),
    dept("洛阳市城市管理局", "lyscgj", "市城市管理局", "洛城管", &[8]),
    dept("洛阳市交通运输局", "lysjtj", "市交通运输局", "洛交", &[5]),
    dept("洛阳市水利局", "lysslj", "市水利局", "洛水", &[4]),
    dept(
        "洛阳市农业农村局",
        "lysnyj",
        "市农业农村局",
        "洛农",
        &[4, 15],
    ),
    dept("洛阳市商务局", "lysswj", "市商务局", "洛商务", &[6]),
    dept(
        "洛阳市文化广电和旅游局",
        "lyswglj",
        "市文化广电和旅游局",
        "洛文广旅",
        &[10, 6],
    ),
    dept(
        "洛阳市卫生健康委员会",
        "lyswjw",
        "市卫生健康委",
        "洛卫",
        &[11, 12],
    ),
    dept(
        "洛阳市退役军人事务局",
        "lystyjrj",
        "市退役军人事务局",
        "洛退役军人",
        &[18, 15],
    ),
    dept(
        "洛阳市应急管理局",
        "lysyjj",
        "市应急管理局",
        "洛应急",
        &[7, 15],
    ),
    dept("洛阳市审计局", "lyssjj", "市审计局", "洛审", &[2]),
    dept(
        "洛阳市人民政府国有资产监督管理委员会",
        "lysgzw",
        "市政府国资委",
        "洛国资",
        &[1],
    ),
    dept(
        "洛阳市市场监督管理局",
        "lysscjgj",
        "市市场监管局",
        "洛市监",
        &[7],
    ),
    dept("洛阳市体育局", "lystyj", "市体育局", "洛体", &[11]),
    dept("洛阳市统计局", "lystjj", "市统计局", "洛统", &[1]),
    dept(
        "洛阳市医疗保障局",
        "lysybj",
        "市医保局",
        "洛医保",
        &[11, 13],
    ),
    dept("洛阳市林业局", "lyslyj", "市林业局", "洛林", &[4]),
    dept(
        "洛阳市地方金融监督管理局",
        "lysjrj",
        "市金融局",
        "洛金融",
        &[2],
    ),
    dept(
        "洛阳市行政审批和政务信息管理局",
        "lysspj",
        "市政务服务局",
        "洛审批",
        &[0, 19],
    ),
    dept("洛阳市信访局", "lysxfj", "市信访局", "洛信访", &[0]),
    dept(
        "洛阳市粮食和物资储备局",
        "lyslsj",
        "市粮食和储备局",
        "洛粮",
        &[6, 1],
    ),
    dept(
        "洛阳市人民防空办公室",
        "lysrfb",
        "市人防办",
        "洛人防",
        &[18],
    ),
    dept(
        "洛阳市住房公积金管理中心",
        "lysgjj",
        "市住房公积金中心",
        "洛公积金",
        &[8, 2],
    ),
    dept(
        "洛阳市民族宗教事务局",
        "lysmzzjj",
        "市民族宗教局",
        "洛民宗",
        &[16],
    ),
    dept(
        "洛阳市人民政府外事办公室",
        "lyswsb",
        "市外事办",
        "洛外事",
        &[17],
    ),
    dept(
        "洛阳市机关事务管理局",
        "lysjgswj",
        "市机关事务局",
        "洛机管",
        &[0],
    ),
    dept(
        "洛阳市妇女儿童工作委员会办公室",
        "lysfegwb",
        "市妇儿工委办",
        "洛妇儿",
        &[12],
    ),
];

/// Issuers (other than the government and the two offices) that write about a subject.
pub fn departments_for(subject: usize) -> Vec<usize> {
    (3..ISSUERS.len())
        .filter(|&i| ISSUERS[i].subjects.contains(&subject))
        .collect()
}
