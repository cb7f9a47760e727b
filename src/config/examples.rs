//! Examples made from the site's own registries, for hints and templates: a 示例市 site never
//! reads 洛阳, the sample site's city the contract's examples name.

use super::Config;
use crate::diag::Diagnostic;

impl Config {
    /// The site's people's government (its first issuer named `…人民政府`, else its first
    /// issuer): where examples take their place name from.
    pub fn government(&self) -> &str {
        self.issuers
            .iter()
            .find(|x| x.name.ends_with("人民政府"))
            .or(self.issuers.first())
            .map_or("本市人民政府", |x| x.name.as_str())
    }

    /// An example 发文字号 made from the first registered issuer's place name
    /// (`示例市人民政府` → `示政办〔2026〕1号`, or the order `示例市人民政府令第1号`).
    pub fn example_doc_number(&self, order: bool, year: i16) -> String {
        let government = self.government();
        if order {
            return format!("{government}令第1号");
        }
        let first = government.chars().next().unwrap_or('本');
        format!("{first}政办〔{year}〕1号")
    }

    /// A diagnostic whose hint quotes the contract's examples (the 洛阳 of the sample site),
    /// with the examples made from this site's registries instead.
    pub fn localise(&self, mut d: Diagnostic) -> Diagnostic {
        let Some(hint) = d.hint.as_deref().filter(|h| h.contains('洛')) else {
            return d;
        };
        let government = self.government();
        if government.starts_with("洛阳") {
            return d;
        }
        let hint = hint
            .replace("洛阳市人民政府令第121号", &format!("{government}令第1号"))
            .replace("洛政办〔2019〕12号", &self.example_doc_number(false, 2019))
            .replace("洛阳市人民政府", government);
        d.hint = Some(hint);
        d
    }
}
