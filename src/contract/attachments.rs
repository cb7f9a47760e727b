//! Which attachment files may be published at all.
//!
//! An attachment is served from the site's own origin. A browser runs an HTML, SVG or XML
//! file served there as a page of the site — its scripts with the site's cookies and
//! storage, past the Content-Security-Policy of the pages gazette writes — so such files are
//! refused ([`runs_in_browser`]); a PDF, an office document, an image or an archive is not.

/// Extensions a browser may render as an active document (HTML, XML with its stylesheets,
/// SVG, scripts, web archives, manifests), compared in lower case.
const ACTIVE: &[&str] = &[
    "htm",
    "html",
    "xhtml",
    "xht",
    "shtml",
    "shtm",
    "mht",
    "mhtml",
    "svg",
    "svgz",
    "xml",
    "xsl",
    "xslt",
    "rdf",
    "js",
    "mjs",
    "wasm",
    "swf",
    "appcache",
    "manifest",
    "webmanifest",
];

/// Whether a browser could run the file named `name` as part of the site (by its
/// extension, in any case). A name without an extension is not refused: static servers
/// send it as a download (`application/octet-stream`).
pub fn runs_in_browser(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ACTIVE.iter().any(|a| a.eq_ignore_ascii_case(ext)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_files_are_known_by_their_extension_in_any_case() {
        for name in [
            "a.html",
            "附件.HTM",
            "x.svg",
            "x.Xhtml",
            "x.xml",
            "x.js",
            "a.b.SVGZ",
        ] {
            assert!(runs_in_browser(name), "{name}");
        }
        for name in [
            "附件1.pdf",
            "a.docx",
            "x.html.pdf",
            "README",
            "表.xlsx",
            "图.png",
        ] {
            assert!(!runs_in_browser(name), "{name}");
        }
    }
}
