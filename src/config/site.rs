//! `[site]` and `[[gazette_toc]]` of `gazette.toml`: who runs the site, and how a gazette
//! issue's 目录 is grouped.
//!
//! 《政府网站发展指引》(国办发〔2017〕47号) requires every page of a government site to name its
//! 主办单位 and carry its 网站标识码, ICP备案编号 and 公安机关备案号; the default theme prints them in
//! the footer. Their forms are checked here, one problem per key with the key's own example
//! (the JSON Schema only knows types, so its messages could not name the key), and a site that
//! leaves one of the four out gets the warning `site-identity-missing`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::CONFIG_FILE;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::tree::Node;

/// `[site]`: the identity of the site, shown in the footer of every page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteIdentity {
    /// 主办单位.
    pub sponsor: Option<String>,
    /// 承办单位.
    pub organizer: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// 网站标识码 (10 characters, e.g. 4103000001).
    pub site_code: Option<String>,
    /// ICP备案编号, e.g. 豫ICP备12345678号-1.
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 豫公网安备41030202000123号.
    pub psb: Option<String>,
    /// Show the 党政机关网站标识.
    #[serde(default)]
    pub party_gov_mark: bool,
}

impl SiteIdentity {
    /// The 14 digits of the 公安机关备案号: the record's page on beian.mps.gov.cn is keyed by them.
    pub fn psb_code(&self) -> Option<String> {
        let psb = self.psb.as_deref()?;
        let digits: String = psb.chars().filter(char::is_ascii_digit).collect();
        (digits.len() == 14).then_some(digits)
    }
}

/// One group of an issue's 目录 (`[[gazette_toc]]`): the documents of these kinds and/or issuers.
/// A document goes to the first group, in file order, whose conditions it meets; a group that
/// names neither kinds nor issuers takes the documents no other group took, wherever it stands
/// (so 部门文件 can be listed before 人事任免 and still not take the appointments).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TocGroup {
    pub title: String,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub issuers: Vec<String>,
}

impl TocGroup {
    /// Whether a document of `kind` issued by `issuers` meets this group's conditions.
    pub fn takes(&self, kind: &str, issuers: &[String]) -> bool {
        (self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind))
            && (self.issuers.is_empty() || issuers.iter().any(|i| self.issuers.contains(i)))
    }

    /// A group without conditions: it takes what the others leave.
    pub fn is_rest(&self) -> bool {
        self.kinds.is_empty() && self.issuers.is_empty()
    }
}

/// The group (index into `groups`) a document of `kind` by `issuers` goes to, if any.
pub fn toc_group(groups: &[TocGroup], kind: &str, issuers: &[String]) -> Option<usize> {
    groups
        .iter()
        .position(|g| !g.is_rest() && g.takes(kind, issuers))
        .or_else(|| groups.iter().position(TocGroup::is_rest))
}

/// The four identity items the 指引 requires, with what each is called and an example.
const REQUIRED: [(&str, &str, &str); 4] = [
    ("sponsor", "主办单位", "sponsor = \"洛阳市人民政府办公室\""),
    ("site_code", "网站标识码", "site_code = \"4103000001\""),
    ("icp", "ICP备案编号", "icp = \"豫ICP备12345678号-1\""),
    (
        "psb",
        "公安机关备案号",
        "psb = \"豫公网安备41030202000123号\"",
    ),
];

/// One key's form check: key, value, whether the value is well formed, the hint when it is not.
type FormCheck<'a> = (&'a str, &'a Option<String>, fn(&str) -> bool, &'a str);

/// Checks the forms of `[site]` (errors) and that the four required items are there (warnings).
pub fn check_identity(site: &SiteIdentity, node: &Node, diags: &mut Diagnostics) {
    let file = Path::new(CONFIG_FILE);
    let at = |key: &str| Some(node.locate(&format!("/site/{key}"), false));
    let checks: [FormCheck; 5] = [
        (
            "site_code",
            &site.site_code,
            is_site_code,
            "网站标识码是 10 位字母或数字，如 site_code = \"4103000001\"，见全国政府网站信息报送系统",
        ),
        (
            "icp",
            &site.icp,
            is_icp,
            "写成省份简称 + ICP备 + 编号 + 号，如 icp = \"豫ICP备12345678号-1\"",
        ),
        (
            "psb",
            &site.psb,
            is_psb,
            "写成省份简称 + 公网安备 + 14 位数字 + 号，如 psb = \"豫公网安备41030202000123号\"",
        ),
        (
            "email",
            &site.email,
            is_email,
            "写一个电子邮箱地址，如 email = \"gazette@example.gov.cn\"",
        ),
        (
            "phone",
            &site.phone,
            is_phone,
            "写区号和号码，只用数字、连字符、空格和括号，如 phone = \"0379-63901234\"",
        ),
    ];
    for (key, value, ok, hint) in checks {
        if let Some(v) = value
            && !ok(v.trim())
        {
            diags.push(
                Diagnostic::new(
                    Code::ConfigInvalid,
                    format!("[site] 的 {key} `{v}` 格式不对"),
                )
                .in_file(file)
                .at(at(key))
                .hint(hint),
            );
        }
    }
    for (key, value) in [
        ("sponsor", &site.sponsor),
        ("organizer", &site.organizer),
        ("address", &site.address),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            diags.push(
                Diagnostic::new(Code::ConfigInvalid, format!("[site] 的 {key} 是空的"))
                    .in_file(file)
                    .at(at(key))
                    .hint("填写内容，或删除这一行"),
            );
        }
    }
    let missing = |key: &str| match key {
        "sponsor" => site.sponsor.is_none(),
        "site_code" => site.site_code.is_none(),
        "icp" => site.icp.is_none(),
        _ => site.psb.is_none(),
    };
    for (key, name, example) in REQUIRED {
        if missing(key) {
            let place = if node.get("site").is_some() {
                node.locate("/site", true)
            } else {
                crate::diag::Pos::new(1, 1)
            };
            diags.push(
                Diagnostic::new(
                    Code::SiteIdentityMissing,
                    format!("gazette.toml 没有填写{name}（[site] 的 {key}）"),
                )
                .in_file(file)
                .at(Some(place))
                .hint(format!(
                    "《政府网站发展指引》要求网站每个页面底部标注{name}：在 [site] 表中写 {example}"
                )),
            );
        }
    }
}

/// Checks that every group of `[[gazette_toc]]` names registered kinds and issuers.
pub fn check_toc(
    groups: &[TocGroup],
    node: &Node,
    kind: &dyn Fn(&str) -> bool,
    issuer: &dyn Fn(&str) -> bool,
    diags: &mut Diagnostics,
) {
    let file = Path::new(CONFIG_FILE);
    for (g, group) in groups.iter().enumerate() {
        if group.title.trim().is_empty() {
            diags.push(
                Diagnostic::new(Code::ConfigInvalid, "公报目录分组的 title 是空的")
                    .in_file(file)
                    .at(Some(node.locate(&format!("/gazette_toc/{g}/title"), false)))
                    .hint("写分组名称，如 title = \"市政府文件\""),
            );
        }
        for (i, k) in group.kinds.iter().enumerate() {
            if !kind(k) {
                diags.push(
                    Diagnostic::new(
                        Code::ConfigInvalid,
                        format!("公报目录分组的文件类别 `{k}` 没有登记"),
                    )
                    .in_file(file)
                    .at(Some(
                        node.locate(&format!("/gazette_toc/{g}/kinds/{i}"), false),
                    ))
                    .hint("kinds 中每一项须是 [kinds.…] 的一个键，如 kinds = [\"personnel\"]"),
                );
            }
        }
        for (i, name) in group.issuers.iter().enumerate() {
            if !issuer(name) {
                diags.push(
                    Diagnostic::new(
                        Code::ConfigInvalid,
                        format!("公报目录分组的发文机关 `{name}` 没有登记"),
                    )
                    .in_file(file)
                    .at(Some(
                        node.locate(&format!("/gazette_toc/{g}/issuers/{i}"), false),
                    ))
                    .hint("issuers 中每一项须是某个 [[issuers]] 的 name"),
                );
            }
        }
    }
}

fn is_site_code(s: &str) -> bool {
    s.len() == 10 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// 豫ICP备12345678号 or 豫ICP备12345678号-1.
fn is_icp(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(province) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    let Some(rest) = rest.strip_prefix("ICP备") else {
        return false;
    };
    let Some((number, site)) = rest.split_once('号') else {
        return false;
    };
    is_han(province)
        && (4..=12).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && (site.is_empty()
            || site
                .strip_prefix('-')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
}

/// 豫公网安备41030202000123号 (a space after 备 is common and allowed).
fn is_psb(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(province) = chars.next() else {
        return false;
    };
    let Some(rest) = chars.as_str().strip_prefix("公网安备") else {
        return false;
    };
    let Some(number) = rest.trim_start().strip_suffix('号') else {
        return false;
    };
    is_han(province) && number.len() == 14 && number.bytes().all(|b| b.is_ascii_digit())
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 5
        && s.chars()
            .all(|c| c.is_ascii_digit() || "-+() 转".contains(c))
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_numbers_in_the_forms_the_registries_issue() {
        assert!(is_icp("豫ICP备12345678号"));
        assert!(is_icp("豫ICP备12345678号-1"));
        assert!(!is_icp("ICP备12345678号"));
        assert!(!is_icp("豫ICP备12345678"));
        assert!(!is_icp("豫ICP备1234567a号"));
        assert!(!is_icp("豫ICP备12345678号-"));
        assert!(is_psb("豫公网安备41030202000123号"));
        assert!(is_psb("豫公网安备 41030202000123号"));
        assert!(!is_psb("豫公网安备4103020200012号"));
        assert!(is_site_code("4103000001"));
        assert!(is_site_code("bm01000001"));
        assert!(!is_site_code("410300001"));
        assert!(is_email("gazette@example.gov.cn"));
        assert!(!is_email("gazette@localhost"));
        assert!(!is_email("a b@example.cn"));
        assert!(is_phone("0379-63901234"));
        assert!(is_phone("(0379) 6390 1234 转 8001"));
        assert!(!is_phone("电话"));
    }

    #[test]
    fn the_psb_link_takes_the_fourteen_digits() {
        let site = SiteIdentity {
            psb: Some("豫公网安备 41030202000123号".into()),
            ..SiteIdentity::default()
        };
        assert_eq!(site.psb_code().as_deref(), Some("41030202000123"));
    }

    #[test]
    fn a_toc_group_takes_by_kind_and_issuer() {
        let g = TocGroup {
            title: "市政府文件".into(),
            kinds: vec![],
            issuers: vec!["洛阳市人民政府".into()],
        };
        assert!(g.takes("normative", &["洛阳市人民政府".into()]));
        assert!(!g.takes("normative", &["洛阳市财政局".into()]));
        let all = TocGroup {
            title: "其他".into(),
            kinds: vec![],
            issuers: vec![],
        };
        assert!(all.takes("report", &[]));
        let personnel = TocGroup {
            title: "人事任免".into(),
            kinds: vec!["personnel".into()],
            issuers: vec![],
        };
        let groups = [g, all, personnel];
        let city = ["洛阳市人民政府".to_string()];
        assert_eq!(toc_group(&groups, "normative", &city), Some(0));
        assert_eq!(
            toc_group(&groups, "personnel", &city),
            Some(0),
            "first that takes it"
        );
        assert_eq!(
            toc_group(&groups, "personnel", &[]),
            Some(2),
            "before the rest"
        );
        assert_eq!(toc_group(&groups, "notice", &[]), Some(1));
        assert_eq!(toc_group(&groups[2..], "notice", &[]), None);
    }
}
