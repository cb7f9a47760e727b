//! Attachments as the site publishes them (issue 16): how their names are written in links
//! (which files are refused at all is the contract's: `contract::attachments`).
//!
//! A file name with `#`, `?`, `%` or a space means something else in a URL (a fragment, a
//! query, an escape, the end of a bare link): [`encode_name`] escapes them, so every link
//! resolves to the file it names.

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
