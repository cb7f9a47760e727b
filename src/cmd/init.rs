//! `gazette init <DIR>`: a new site that builds as is.
//!
//! It writes `gazette.toml` (the `[site]` identity with example values to replace, the seven
//! kinds, and issuer and subject registries with example entries to replace), one example document of each kind — consistent with each other: the
//! normative document and its interpretation name each other, every document sits in the
//! example gazette issue — an `about` page and a `.gitignore`. Dates are today's (China time),
//! so the examples are in force whenever the site is created; `expires` stays within the
//! normative kind's `max_validity_years`, so the new site checks without a warning.

use jiff::ToSpan;
use jiff::civil::Date;

use super::{EXIT_INVALID, EXIT_OK};
use crate::cli::{InitArgs, today};

pub fn run(args: &InitArgs) -> i32 {
    let dir = &args.dir;
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                eprintln!(
                    "error: {} 不是空文件夹，没有在其中新建站点\n   = 提示：换一个新的文件夹名，如 gazette init my-gazette",
                    dir.display()
                );
                return EXIT_INVALID;
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            eprintln!("error: 无法使用 {}:{e}", dir.display());
            return EXIT_INVALID;
        }
    }
    for (rel, text) in files(today()) {
        let path = dir.join(&rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            eprintln!("error: 无法写入 {}:{e}", path.display());
            return EXIT_INVALID;
        }
    }
    println!("{}", dir.display());
    eprintln!(
        "已新建站点 {0}。下一步：\n  1. 在 {0}/gazette.toml 中改站点名称、网址，登记本地的发文机关和主题分类；\n  2. 运行 gazette serve --root {0}，在浏览器中打开 http://127.0.0.1:8000/ 预览；\n  3. 用 gazette new <文件类别> --title \"…\" --root {0} 新建文件。",
        dir.display()
    );
    EXIT_OK
}

/// Every file of the new site: (path relative to the site, contents).
pub fn files(today: Date) -> Vec<(String, String)> {
    let year = today.year().to_string();
    // The last day of five years in force: within `max_validity_years = 5`.
    let expires = today
        .checked_add(5.years())
        .and_then(|d| d.yesterday())
        .unwrap_or(today);
    let fill = |s: &str| {
        s.replace("{Y}", &year)
            .replace("{D}", &today.to_string())
            .replace("{E}", &expires.to_string())
    };
    let doc = |name: &str| format!("content/documents/{year}/{}.md", fill(name));
    vec![
        ("gazette.toml".into(), CONFIG.into()),
        (".gitignore".into(), GITIGNORE.into()),
        (doc("szfl-1"), fill(REGULATION)),
        (doc("szb-{Y}-1"), fill(NORMATIVE)),
        (doc("jd-szb-{Y}-1"), fill(INTERPRETATION)),
        (doc("szf-{Y}-2"), fill(POLICY)),
        (doc("szb-gg-{Y}-1"), fill(NOTICE)),
        (doc("szr-{Y}-1"), fill(PERSONNEL)),
        (doc("szfgzbg-{Y}"), fill(REPORT)),
        (format!("content/gazette/{year}-01.md"), fill(ISSUE)),
        ("content/pages/about.md".into(), ABOUT.into()),
    ]
}

const GITIGNORE: &str = "\
# gazette 生成的网站与临时文件，不纳入版本库
/public/
/.public.lock
/.public.staging-*
/.public.old-*
/.public.previous/
/.gazette-cache/
";

const CONFIG: &str = r#"# gazette 站点配置。标有“请改为”的地方改成本地的实际内容。
# 每个键的说明见用户手册“配置参考”；改完运行 gazette check 检查。

title = "示例市人民政府公报"                 # 请改为：××市人民政府公报
base_url = "https://gazette.example.cn/"    # 请改为网站的正式网址，以 / 结尾
language = "zh-CN"
theme = "default"
description = "示例站点：请改为本站简介"

# 网站标识：《政府网站发展指引》要求每个页面底部标注，本站主题显示在页脚。
# 下面是示例值，请改为本站的实际信息；缺少 sponsor、site_code、icp 或 psb 时，
# gazette check 给出警告 site-identity-missing。

[site]
sponsor = "示例市人民政府办公室"           # 请改为：主办单位
organizer = "示例市大数据管理局"           # 请改为：承办单位（没有可删除这一行）
phone = "0000-00000000"                  # 请改为：联系电话
email = "gazette@example.gov.cn"         # 请改为：联系邮箱
address = "示例市示例路 1 号"              # 请改为：通信地址
site_code = "0000000000"                 # 请改为：网站标识码（10 位）
icp = "京ICP备00000000号"                 # 请改为：ICP备案编号
psb = "京公网安备00000000000000号"         # 请改为：公安机关备案号
party_gov_mark = false                   # 取得党政机关网站标识后改为 true

# 公报目录默认按文件类别分组。要按发文机关分组时，去掉下面的 # 并按本地情况修改：
# [[gazette_toc]]
# title = "市政府文件"
# issuers = ["示例市人民政府"]
# kinds = ["regulation", "normative", "policy", "notice", "report"]
#
# [[gazette_toc]]
# title = "部门文件"                       # 不写 kinds 和 issuers：收下其余的文件
#
# [[gazette_toc]]
# title = "人事任免"
# kinds = ["personnel"]

# 文件类别，按目录中的显示顺序。文件的 kind 必须是这里的一个键。
# validity：own 本身有有效性（现行有效、已废止……）；follows 显示所解读文件的有效性；
# 不写为 none，没有有效性（人事任免、公告等不标注有效性）。

[kinds.regulation]
label = "政府规章"
validity = "own"
filing_days = 30                # 自公布之日起 30 日内备案

[kinds.normative]
label = "行政规范性文件"
validity = "own"
require_interpretation = true   # 政策解读同步发布：无解读材料的实行退文处理
max_validity_years = 5          # 有效期超过 5 年时给出警告
provisional_max_validity_years = 2   # 标题含“暂行”“试行”的，超过 2 年时给出警告
filing_days = 30

[kinds.policy]
label = "其他政策文件"
validity = "own"

[kinds.interpretation]
label = "政策解读"
validity = "follows"            # 显示所解读文件的有效性

[kinds.notice]
label = "公告公示"

[kinds.personnel]
label = "人事任免"

[kinds.report]
label = "报告"

# 发文机关登记表，按显示顺序。请改为本地的机关：
#   name       全称，文件的 issuer 必须与它完全一致
#   slug       网址中使用的代号：小写字母、数字、连字符
#   short_name 简称（可选）
#   parent     上级机关的全称（可选）

[[issuers]]
name = "示例市人民政府"
slug = "szf"
short_name = "市政府"

[[issuers]]
name = "示例市人民政府办公室"
slug = "szfbgs"
short_name = "市政府办公室"
parent = "示例市人民政府"

[[issuers]]
name = "示例市财政局"
slug = "sczj"
short_name = "市财政局"
parent = "示例市人民政府"

# 主题分类登记表，按显示顺序。请按本地的分类增删。

[[subjects]]
name = "政务公开"
slug = "zwgk"

[[subjects]]
name = "综合政务"
slug = "zhzw"

[[subjects]]
name = "财政金融"
slug = "czjr"

[[subjects]]
name = "人事"
slug = "rs"
"#;

const REGULATION: &str = "---
id: szfl-1
title: 示例市政务公开规定
kind: regulation
doc_number: 示例市人民政府令第1号
issuer: 示例市人民政府
issued: {D}
published: {D}
effective: {D}
gazette: {Y}-01
subjects:
  - 政务公开
summary: 示例规章：规定政务公开的主体、内容、方式和监督。（这是 gazette init 生成的示例文件，可删除。）
---
《示例市政务公开规定》已经市人民政府常务会议审议通过，现予公布，自公布之日起施行。

## 第一章 总则

**第一条** 为了保障公民、法人和其他组织依法获取政府信息，制定本规定。

**第二条** 本规定适用于本市各级行政机关的政务公开工作。
";

const NORMATIVE: &str = "---
id: szb-{Y}-1
title: 示例市人民政府办公室关于印发示例市政务服务事项管理办法的通知
kind: normative
doc_number: 示政办〔{Y}〕1号
issuer: 示例市人民政府办公室
issued: {D}
published: {D}
effective: {D}
expires: {E}
interpretation:
  - jd-szb-{Y}-1
gazette: {Y}-01
subjects:
  - 综合政务
summary: 示例行政规范性文件：有效期五年，并与政策解读同步发布。（示例文件，可删除。）
---
各县（市、区）人民政府，市人民政府各部门：

《示例市政务服务事项管理办法》已经市人民政府同意，现印发给你们，请认真贯彻执行。

## 一、适用范围

本办法适用于本市行政区域内政务服务事项的确认、发布和调整。

## 二、办理时限

| 事项类别 | 承诺时限 |
|---|---|
| 即办件 | 当场办结 |
| 承诺件 | 5个工作日 |

本办法自印发之日起施行，有效期五年。
";

const INTERPRETATION: &str = "---
id: jd-szb-{Y}-1
title: 《示例市人民政府办公室关于印发示例市政务服务事项管理办法的通知》解读
kind: interpretation
interprets: szb-{Y}-1
issuer: 示例市人民政府办公室
published: {D}
gazette: {Y}-01
subjects:
  - 综合政务
summary: 解读《示例市政务服务事项管理办法》的制定背景和主要内容。（示例文件，可删除。）
---
## 一、制定背景

为规范政务服务事项管理，提高办事效率，制定本办法。

## 二、主要内容

本办法明确了政务服务事项的确认、发布和调整程序，以及即办件、承诺件的办理时限。
";

const POLICY: &str = "---
id: szf-{Y}-2
title: 示例市人民政府关于做好年度财政预算公开工作的通知
kind: policy
doc_number: 示政〔{Y}〕2号
issuer: 示例市人民政府
issued: {D}
published: {D}
gazette: {Y}-01
subjects:
  - 财政金融
summary: 示例政策文件：部署年度财政预算公开工作。（示例文件，可删除。）
---
各县（市、区）人民政府，市人民政府各部门：

现就做好年度财政预算公开工作通知如下。

1. 预算批准后20日内向社会公开；
2. 公开内容包括收支总表和“三公”经费预算。
";

const NOTICE: &str = "---
id: szb-gg-{Y}-1
title: 示例市财政局关于政府采购意向公开的公告
kind: notice
issuer: 示例市财政局
published: {D}
subjects:
  - 财政金融
summary: 示例公告：公开本年度政府采购意向。（示例文件，可删除。）
---
根据政府采购有关规定，现将本年度政府采购意向公告如下。

特此公告。
";

const PERSONNEL: &str = "---
id: szr-{Y}-1
title: 示例市人民政府关于张某某等同志职务任免的通知
kind: personnel
doc_number: 示政人〔{Y}〕1号
issuer: 示例市人民政府
issued: {D}
published: {D}
gazette: {Y}-01
subjects:
  - 人事
summary: 示例人事任免：任命张某某为示例市财政局副局长。（示例文件，可删除。）
---
各县（市、区）人民政府，市人民政府各部门：

经市人民政府研究决定：

任命张某某为示例市财政局副局长。
";

const REPORT: &str = "---
id: szfgzbg-{Y}
title: {Y}年示例市人民政府工作报告
kind: report
issuer: 示例市人民政府
published: {D}
gazette: {Y}-01
subjects:
  - 综合政务
summary: 示例报告：回顾上一年工作，部署本年度重点任务。（示例文件，可删除。）
---
## 一、过去一年的工作

（示例正文。）

## 二、今年的主要任务

（示例正文。）
";

const ISSUE: &str = "---
published: {D}
total_number: 1
---
本期公报为 gazette init 生成的示例，刊登示例规章、行政规范性文件及其解读、政策文件、人事任免和政府工作报告。

在政府公报上刊登的规章和规范性文件文本为标准文本。
";

const ABOUT: &str = "---
title: 关于本站
---
本站是用 gazette 生成的政府公报与行政规范性文件库。请把本页改为本站的说明。
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_an_example_and_no_template_marker_is_left() {
        let files = files(Date::new(2024, 2, 29).unwrap());
        for (path, text) in &files {
            assert!(!text.contains("{Y}") && !text.contains("{D}"), "{path}");
            assert!(!text.contains("待填写"), "{path}");
        }
        for kind in [
            "regulation",
            "normative",
            "policy",
            "interpretation",
            "notice",
            "personnel",
            "report",
        ] {
            assert!(
                files
                    .iter()
                    .any(|(_, t)| t.contains(&format!("\nkind: {kind}\n"))),
                "{kind}"
            );
        }
        let normative = &files
            .iter()
            .find(|(p, _)| p.contains("szb-2024-1"))
            .unwrap()
            .1;
        assert!(normative.contains("expires: 2029-02-27"), "{normative}");
    }
}
