//! Attachments as the site publishes them (issue 16): which files are refused, and how their
//! names are written in links.
//!
//! An attachment is served from the site's own origin. A browser runs an HTML, SVG or XML
//! file served there as a page of the site — its scripts with the site's cookies and
//! storage, past the Content-Security-Policy of the pages gazette writes — so such files are
//! refused ([`runs_in_browser`]); a PDF, an office document, an image or an archive is not.
//! A file name with `#`, `?`, `%` or a space means something else in a URL (a fragment, a
//! query, an escape, the end of a bare link): [`encode_name`] escapes them, so every link
//! resolves to the file it names.

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
pub(crate) fn runs_in_browser(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ACTIVE.iter().any(|a| a.eq_ignore_ascii_case(ext)))
}

/// `name` (one file name, no `/`) as a URL path segment: every ASCII byte other than letters,
/// digits and `-._~!$&'()*+,;=:@` is `%XX`; other characters (Chinese names) are kept as they
/// are, which browsers and servers read as UTF-8.
pub(crate) fn encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let keep = !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c);
        if keep && !c.is_control() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
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

    #[test]
    fn names_are_escaped_where_a_url_would_misread_them() {
        assert_eq!(encode_name("附件1.pdf"), "附件1.pdf");
        assert_eq!(
            encode_name("附件 #2 ?v=1 100%.pdf"),
            "附件%20%232%20%3Fv=1%20100%25.pdf"
        );
        assert_eq!(encode_name("a\"b<c>.pdf"), "a%22b%3Cc%3E.pdf");
        // What a server decodes is the name again.
        let name = "表 #1?%.xlsx";
        let encoded = encode_name(name);
        let mut decoded = Vec::new();
        let b = encoded.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                decoded.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                decoded.push(b[i]);
                i += 1;
            }
        }
        assert_eq!(String::from_utf8(decoded).unwrap(), name);
    }
}
